#include "worker/run_claimed.hpp"

#include <spdlog/spdlog.h>

#include <exception>
#include <stdexcept>
#include <string>

#include "db/db_error.hpp"
#include "engine/routine.hpp"
#include "worker/record_json.hpp"

namespace kianax::worker {
namespace {

// Thrown from the observer to stop the engine without saving anything more (lease lost, or the run is
// being released: a node interrupted by the stop must stay "not done" in the checkpoint so it runs again).
class StopWriting : public std::runtime_error {
 public:
  StopWriting() : std::runtime_error("execution handed over") {}
};

class ProgressObserver : public engine::ExecutionObserver {
 public:
  // The database error that stopped the run, if any.
  [[nodiscard]] std::exception_ptr db_error() const { return db_error_; }

  ProgressObserver(db::SyncConnection& conn, ActiveRun& run, const RunSettings& settings)
      : conn_(conn), run_(run), settings_(settings) {}

  void on_node_started(const std::string&, const engine::ExecutionState& state) override { save(state); }
  void on_node_finished(const std::string&, const engine::NodeRecord&,
                        const engine::ExecutionState& state) override {
    save(state);
  }

 private:
  void save(const engine::ExecutionState& state) {
    if (run_.lease_lost || run_.release_requested || db_error_) throw StopWriting();
    LeaseState s = LeaseState::kLost;
    try {
      s = queue::save_progress(conn_, run_.claim, state.to_json(), node_states_json(state),
                               execution_path_json(state), settings_.lease);
    } catch (const db::DbError&) {
      // Not the routine's fault: the run must not end as failed. Stop, and let the caller abandon it.
      db_error_ = std::current_exception();
      throw StopWriting();
    }
    run_.on_lease_state(s);
    if (s == LeaseState::kLost) throw StopWriting();
  }

  db::SyncConnection& conn_;
  ActiveRun& run_;
  std::exception_ptr db_error_;
  const RunSettings& settings_;
};

boost::json::value error_json(const std::string& message) {
  return boost::json::object{{"message", message}};
}

bool fail(db::SyncConnection& conn, const Claim& claim, const std::string& message) {
  return queue::finish(conn, claim, {.status = "failed", .error = error_json(message)});
}

}  // namespace

void ActiveRun::on_lease_state(LeaseState s) {
  if (s == LeaseState::kLost) {
    lease_lost = true;
    stop.request_stop();
  } else if (s == LeaseState::kCancelRequested) {
    cancel_seen = true;
    stop.request_stop();
  }
}

RunOutcome run_claimed(db::SyncConnection& conn, ActiveRun& run, const engine::RoutineExecutor& executor,
                       const RunSettings& settings) {
  const Claim& claim = run.claim;
  const auto finished = [](bool held) { return held ? RunOutcome::kFinished : RunOutcome::kLeaseLost; };
  if (claim.attempts > settings.max_attempts) {
    return finished(fail(
        conn, claim, "Execution abandoned after " + std::to_string(claim.attempts - 1) + " worker attempts"));
  }
  if (claim.cancel_requested) {
    return finished(
        queue::finish(conn, claim, {.status = "cancelled", .error = error_json("Execution cancelled")}));
  }
  if (settings.per_user_cap > 0 && queue::running_for_user(conn, claim) >= settings.per_user_cap) {
    return queue::defer(conn, claim, settings.cap_retry_delay) ? RunOutcome::kDeferred
                                                               : RunOutcome::kLeaseLost;
  }
  if (!queue::mark_running(conn, claim)) return RunOutcome::kLeaseLost;

  engine::Routine routine;
  std::optional<engine::ExecutionState> saved;
  try {
    routine = engine::load_routine(claim.routine);
    if (claim.checkpoint) saved = engine::ExecutionState::from_json(*claim.checkpoint);
  } catch (const std::exception& e) {
    return finished(fail(conn, claim, std::string("Cannot load the execution: ") + e.what()));
  }

  engine::RunOptions options;
  options.execution_id = claim.execution_id;
  options.user_id = claim.user_id;
  options.stop = run.stop.get_token();
  options.parallelism = settings.parallelism;
  options.max_execution_time_ms = settings.max_execution_time_ms;
  options.max_executions = settings.max_executions;
  ProgressObserver observer(conn, run, settings);
  engine::ExecutionResult result = saved ? executor.resume(routine, std::move(*saved), options, &observer)
                                         : executor.run(routine, options, &observer);

  // Leave the lease to expire: another worker resumes from the last checkpoint.
  if (observer.db_error()) std::rethrow_exception(observer.db_error());
  if (run.lease_lost) return RunOutcome::kLeaseLost;
  if (run.release_requested && !run.cancel_seen && result.status != engine::RunStatus::completed) {
    return queue::release(conn, claim) ? RunOutcome::kReleased : RunOutcome::kLeaseLost;
  }
  queue::Final final_state;
  final_state.status = engine::to_string(result.status);
  if (run.cancel_seen && result.status != engine::RunStatus::completed) final_state.status = "cancelled";
  if (result.error) final_state.error = error_json(*result.error);
  final_state.node_states = node_states_json(result.state);
  final_state.execution_path = execution_path_json(result.state);
  spdlog::debug("worker: execution {} {}", claim.execution_id, final_state.status);
  return finished(queue::finish(conn, claim, final_state));
}

}  // namespace kianax::worker
