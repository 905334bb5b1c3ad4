#pragma once
// Starting and cancelling runs — what the tRPC `executions.start` / `executions.cancel` mutations call
// (issue 6 "Starting runs"). Async over the pool like src/store, under the caller's RLS context.
#include <boost/asio/awaitable.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "db/transaction.hpp"
#include "engine/graph_validator.hpp"
#include "store/enums.hpp"

namespace kianax::worker {

struct StartRequest {
  std::string routine_id;
  store::ExecutionTrigger trigger_type = store::ExecutionTrigger::kManual;
  // Absent: upstream's {timestamp, source: "manual-trigger", triggerType: <routine's trigger type>}.
  std::optional<boost::json::value> trigger_data;
};

struct StartResult {
  enum class Status { kStarted, kNotFound, kInvalidGraph };
  Status status = Status::kStarted;
  std::string execution_id;  // routine_executions.id, when started
  std::string workflow_id;   // "<trigger>-<routineId>-<epoch ms>", e.g. manual-<routineId>-<ms>
  std::string run_id;        // a uuid
  // kInvalidGraph: the validator's errors, and their text ("Invalid routine graph:\n- …"); a routine
  // whose JSON cannot even be loaded gives one issue of type "invalid_routine".
  std::vector<engine::GraphIssue> errors;
  std::string message;
};

// Validates the user's routine, then in ONE statement: the execution row (status pending, trigger type and
// data), its queue row holding the routine snapshot, and routines.last_executed_at. Nothing is written
// for an unknown routine or an invalid graph. The queue insert NOTIFYs idle workers (at commit).
boost::asio::awaitable<StartResult> start_execution(db::UserScope scope, const StartRequest& request);

// Asks a pending or running execution to stop (`cancelled` at the next safe point; a pending one is
// cancelled without running). False when it is not the user's or has already finished.
boost::asio::awaitable<bool> request_cancel(db::UserScope scope, std::string_view execution_id);

}  // namespace kianax::worker
