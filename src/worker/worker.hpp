#pragma once
// The Worker: N execution slots (threads) that claim runs from execution_queue, run them with the engine
// and record their progress; a heartbeat thread renewing leases and noticing cancel requests; a LISTEN
// thread turning NOTIFYs into wake-ups. See src/worker/README.md for the invariants.
//
//   worker::Worker w(options, registry, credential_loader);
//   w.run_until(stop_token);  // blocks; returns after a graceful stop
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <vector>

#include "engine/credentials.hpp"
#include "engine/executor.hpp"
#include "engine/plugin.hpp"
#include "worker/retry_policy.hpp"
#include "worker/run_claimed.hpp"

namespace kianax::worker {

struct WorkerOptions {
  std::string conninfo;   // the app role (RLS applies); one connection per slot + heartbeat + listener
  std::string worker_id;  // "" → <hostname>-<pid>-<random>; lease tokens start with it (shows in the queue)
  int slots = 4;          // concurrent executions
  RunSettings run;        // lease, caps, engine parallelism
  RetryPolicy retry;      // per-step retries and step timeout (nodes may override: retry_policy.hpp)
  std::chrono::milliseconds heartbeat_interval{10'000};  // keep well below run.lease
  std::chrono::milliseconds poll_min{50};                // idle polling backoff: min…max, doubling
  std::chrono::milliseconds poll_max{5'000};
  std::chrono::milliseconds drain_timeout{30'000};  // graceful stop: wait this long, then release the rest
  bool listen = true;                               // LISTEN kianax_run_queue for wake-ups
};

struct WorkerStats {
  std::int64_t claimed = 0;
  std::int64_t finished = 0;    // final status written
  std::int64_t released = 0;    // stopped mid-run at shutdown and given back
  std::int64_t lease_lost = 0;  // taken over by another worker
  std::int64_t deferred = 0;    // given back unrun: the user was at the per-user cap
  std::int64_t errors = 0;      // database errors (the run's lease then expires and it is retried)
};

class Worker {
 public:
  // `plugins` and `credentials` (may be null) must outlive the Worker and be thread-safe.
  Worker(WorkerOptions options, const engine::PluginProvider& plugins,
         engine::CredentialLoader* credentials = nullptr);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Runs until `stop` is requested, then stops claiming, lets running executions finish for up to
  // drain_timeout and releases the leases of those still running (another worker resumes them).
  void run_until(std::stop_token stop);

  [[nodiscard]] WorkerStats stats() const;
  [[nodiscard]] const std::string& worker_id() const { return options_.worker_id; }

 private:
  void slot_loop();
  void heartbeat_loop(const std::stop_token& stop);
  void listen_loop(const std::stop_token& stop);
  void wait_for_work(std::chrono::milliseconds timeout);
  void wake_all();
  void heartbeat_soon(const std::vector<std::string>& execution_ids);
  std::string new_lease_token();
  std::vector<std::shared_ptr<ActiveRun>> active_snapshot();
  void remove_active(const ActiveRun* run);

  WorkerOptions options_;
  RetryingPlugins plugins_;  // what the engine calls: the given plugins inside the retry loop
  engine::RoutineExecutor executor_;

  mutable std::mutex mutex_;
  std::condition_variable work_cv_;
  std::uint64_t wake_seq_ = 0;
  std::condition_variable idle_cv_;  // an active run ended
  std::condition_variable_any heartbeat_cv_;
  bool heartbeat_now_ = false;  // a cancel hint arrived: renew (and so check) leases at once
  std::vector<std::shared_ptr<ActiveRun>> active_;
  std::atomic<bool> claiming_{false};
  std::atomic<std::uint64_t> token_counter_{0};

  std::atomic<std::int64_t> claimed_{0}, finished_{0}, released_{0}, lease_lost_{0}, deferred_{0}, errors_{0};
};

}  // namespace kianax::worker
