#pragma once
// Runs one claimed execution to its end on the calling thread: the engine runs (or resumes from the
// checkpoint) with the execution's user as RLS context, and every node start/finish is saved with
// queue::save_progress before the run goes on. No transaction is open while a plugin runs.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <stop_token>

#include "db/sync_connection.hpp"
#include "engine/executor.hpp"
#include "worker/queue_ops.hpp"

namespace kianax::worker {

struct RunSettings {
  std::chrono::milliseconds lease{30'000};
  // A run claimed more often than this (its workers keep dying) is failed instead of run again.
  int max_attempts = 5;
  int parallelism = 1;  // engine threads per wave
  // Fairness: at most this many executions of one user run at once across all workers (0 = no cap);
  // a claim over the cap is given back for cap_retry_delay so other users' runs go first.
  int per_user_cap = 0;
  std::chrono::milliseconds cap_retry_delay{1'000};
  std::optional<std::int64_t> max_execution_time_ms = engine::kDefaultMaxExecutionTimeMs;
  std::optional<std::int64_t> max_executions = engine::kDefaultMaxExecutions;
};

// A run in progress, shared by its slot thread and the heartbeat thread.
struct ActiveRun {
  explicit ActiveRun(Claim c) : claim(std::move(c)) {}
  const Claim claim;
  std::stop_source stop;                       // requested on cancel, lease loss or release
  std::atomic<bool> cancel_seen{false};        // the user asked to cancel: end as `cancelled`
  std::atomic<bool> lease_lost{false};         // another worker owns it now: write nothing more
  std::atomic<bool> release_requested{false};  // graceful stop: give it back instead of finishing

  void on_lease_state(LeaseState s);
};

enum class RunOutcome { kFinished, kReleased, kLeaseLost, kDeferred };

// Never throws for routine or plugin problems (they end in the record); throws db::DbError when the
// database is unreachable — the lease then expires and another worker takes the run over.
RunOutcome run_claimed(db::SyncConnection& conn, ActiveRun& run, const engine::RoutineExecutor& executor,
                       const RunSettings& settings);

}  // namespace kianax::worker
