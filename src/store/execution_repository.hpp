#pragma once
// Routine executions (seed §3.2 `routine_executions`; worker operations of §7.3 with the merge semantics of
// api-spec §2). Each write is one statement, so parallel nodes of one run never lose each other's updates:
// PostgreSQL re-evaluates the UPDATE on the newest row version after waiting for the row lock.
#include <boost/asio/awaitable.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "db/transaction.hpp"
#include "store/enums.hpp"
#include "store/epoch_ms.hpp"

namespace kianax::store {

struct Execution {
  std::string id;
  std::string routine_id;
  std::string user_id;
  std::string workflow_id;
  std::string run_id;
  ExecutionStatus status = ExecutionStatus::kPending;
  ExecutionTrigger trigger_type = ExecutionTrigger::kManual;
  std::optional<boost::json::value> trigger_data;
  std::optional<boost::json::value> execution_path;  // string[]
  boost::json::value
      node_states;  // [{nodeId,status,output?,error?,startedAt?,completedAt?,duration?,iteration?}]
  std::optional<boost::json::value> error;  // {message, stack?}
  std::optional<EpochMs> started_at;
  std::optional<EpochMs> completed_at;
  std::optional<std::int32_t> duration;  // ms
  EpochMs created_at = 0;
  std::optional<std::string> legacy_id;
};

struct NewExecution {
  std::string routine_id;  // must be the scope user's routine
  std::string workflow_id;
  std::string run_id;
  ExecutionTrigger trigger_type = ExecutionTrigger::kManual;
  std::optional<boost::json::value> trigger_data;
  ExecutionStatus status = ExecutionStatus::kRunning;  // §7.3 creates runs as running
  std::optional<EpochMs> started_at;                   // absent: the server's now()
};

struct NodeResult {
  std::string node_id;
  NodeStatus status = NodeStatus::kRunning;
  std::optional<boost::json::value> output;  // a JSON null output is kept as null; absent = not written
  std::optional<boost::json::value> error;   // {message, stack?}
  std::optional<EpochMs> started_at;         // running: absent = now
  std::optional<EpochMs> completed_at;       // completed/failed: absent = now
  std::optional<std::int64_t> iteration;
};

struct StatusUpdate {
  ExecutionStatus status = ExecutionStatus::kCompleted;
  std::optional<EpochMs> started_at;                 // overwrites when present
  std::optional<EpochMs> completed_at;               // present: duration = completed_at - started_at
  std::optional<boost::json::value> error;           // written only when present
  std::optional<boost::json::value> execution_path;  // written only when present
};

namespace executions {

// nullopt when the routine is not the scope user's (or does not exist).
boost::asio::awaitable<std::optional<Execution>> create(db::UserScope scope, const NewExecution& execution);

// api-spec §2, in one UPDATE on the newest execution with that workflow id:
// - running: every entry of the node is set running with the new startedAt (other fields kept); no entry:
//   append {nodeId, status, startedAt}.
// - completed/failed: the node's running entry becomes {...old, status, output?, error?, completedAt,
//   duration = completedAt - old.startedAt}; none running: append {nodeId, status, output?, error?,
//   startedAt?, completedAt, duration?}.
// Returns false when no execution has that workflow id (for the scope user).
boost::asio::awaitable<bool> store_node_result(db::UserScope scope, std::string_view workflow_id,
                                               const NodeResult& result);

// Sets the status (and the present fields) of the newest execution with that workflow id; duration =
// completedAt - startedAt (the new startedAt if given, else the stored one). nullopt when not found.
boost::asio::awaitable<std::optional<Execution>> update_status(db::UserScope scope,
                                                               std::string_view workflow_id,
                                                               const StatusUpdate& update);

// The newest execution with that workflow id, or nullopt.
boost::asio::awaitable<std::optional<Execution>> get_by_workflow_id(db::UserScope scope,
                                                                    std::string_view workflow_id);

// Newest first, at most `limit` (absent: all).
boost::asio::awaitable<std::vector<Execution>> list_by_routine(db::UserScope scope,
                                                               std::string_view routine_id,
                                                               std::optional<int> limit = std::nullopt);

// The execution with that id, or nullopt (missing, another user's, not a uuid).
boost::asio::awaitable<std::optional<Execution>> get(db::UserScope scope, std::string_view id);

// Newest first (created_at DESC, id DESC), at most `limit` after the execution `after_id` (keyset cursor =
// the last row's id); next_cursor set when more follow. A cursor naming no row of the user yields no rows.
struct ExecutionPage {
  std::vector<Execution> items;
  std::optional<std::string> next_cursor;
};
boost::asio::awaitable<ExecutionPage> list_page_by_routine(db::UserScope scope, std::string_view routine_id,
                                                           int limit,
                                                           std::optional<std::string_view> after_id);

}  // namespace executions
}  // namespace kianax::store
