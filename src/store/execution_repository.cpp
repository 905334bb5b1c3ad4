#include "store/execution_repository.hpp"

#include <boost/json/object.hpp>

#include "store/column_reader.hpp"

namespace kianax::store::executions {
namespace asio = boost::asio;
using detail::is_uuid;
using detail::json_text;

namespace {

// ---- All SQL of this repository ------------------------------------------------------------------------

const std::string& columns() {
  static const std::string s =
      "id, routine_id, user_id, workflow_id, run_id, status, trigger_type, trigger_data, execution_path, "
      "node_states, error, " +
      sql_epoch_ms("started_at") + ", " + sql_epoch_ms("completed_at") + ", duration, " +
      sql_epoch_ms("created_at") + ", legacy_id";
  return s;
}

// The routine must belong to the user: the foreign key alone would accept anyone's routine id (RI checks
// do not see RLS), so the INSERT selects the routine under both the user filter and RLS.
const std::string& insert_sql() {
  static const std::string s =
      "INSERT INTO routine_executions (routine_id, user_id, workflow_id, run_id, status, trigger_type, "
      "trigger_data, started_at, node_states)"
      " SELECT r.id, $2, $3, $4, $5::execution_status, $6::execution_trigger_type, $7::jsonb, COALESCE(" +
      sql_timestamptz("$8::int8") +
      ", now()), '[]'::jsonb"
      " FROM routines r WHERE r.id = $1::uuid AND r.user_id = $2"
      " RETURNING " +
      columns();
  return s;
}

// "The execution of a workflow id": the newest row (a reused workflow id keeps its history).
constexpr std::string_view kTargetExecution =
    "(SELECT id FROM routine_executions WHERE workflow_id = $1 AND user_id = $2"
    " ORDER BY created_at DESC, id DESC LIMIT 1)";

// $3 node id, $4 node status, $5 patch object (status, startedAt | output?, error?, completedAt, iteration?),
// $6 completedAt (int8, terminal statuses), $7 extra fields for an appended terminal entry
// (startedAt?, duration?). Entry order is preserved (WITH ORDINALITY).
const std::string& store_node_result_sql() {
  static const std::string s =
      "UPDATE routine_executions SET node_states = CASE"
      " WHEN $4::text = 'running' THEN"
      "  CASE WHEN node_states @> jsonb_build_array(jsonb_build_object('nodeId', $3::text)) THEN"
      "   (SELECT jsonb_agg(CASE WHEN e->>'nodeId' = $3::text THEN e || $5::jsonb ELSE e END ORDER BY i)"
      "    FROM jsonb_array_elements(node_states) WITH ORDINALITY AS t(e, i))"
      "  ELSE node_states || jsonb_build_array(jsonb_build_object('nodeId', $3::text) || $5::jsonb) END"
      " ELSE"
      "  CASE WHEN node_states @> jsonb_build_array(jsonb_build_object('nodeId', $3::text, 'status', "
      "'running'))"
      "  THEN"
      "   (SELECT jsonb_agg(CASE WHEN e->>'nodeId' = $3::text AND e->>'status' = 'running' THEN"
      "      e || $5::jsonb || CASE WHEN jsonb_typeof(e->'startedAt') = 'number'"
      "        THEN jsonb_build_object('duration', $6::int8 - (e->>'startedAt')::numeric) ELSE '{}'::jsonb "
      "END"
      "    ELSE e END ORDER BY i)"
      "    FROM jsonb_array_elements(node_states) WITH ORDINALITY AS t(e, i))"
      "  ELSE node_states || jsonb_build_array(jsonb_build_object('nodeId', $3::text) || $5::jsonb || "
      "$7::jsonb)"
      "  END"
      " END"
      " WHERE id = " +
      std::string(kTargetExecution) + " AND user_id = $2";
  return s;
}

const std::string& update_status_sql() {
  const std::string started = sql_timestamptz("$4::int8");
  const std::string completed = sql_timestamptz("$5::int8");
  static const std::string s =
      "UPDATE routine_executions SET"
      " status = $3::execution_status,"
      " started_at = COALESCE(" +
      started + ", started_at), completed_at = COALESCE(" + completed +
      ", completed_at),"
      " error = COALESCE($6::jsonb, error),"
      " execution_path = COALESCE($7::jsonb, execution_path),"
      " duration = CASE WHEN $5::int8 IS NOT NULL AND COALESCE(" +
      started + ", started_at) IS NOT NULL THEN ($5::int8 - " +
      sql_epoch_ms("COALESCE(" + started + ", started_at)") +
      ")::int ELSE duration END"
      " WHERE id = " +
      std::string(kTargetExecution) + " AND user_id = $2 RETURNING " + columns();
  return s;
}

const std::string& get_by_workflow_sql() {
  static const std::string s = "SELECT " + columns() +
                               " FROM routine_executions WHERE workflow_id = $1 AND user_id = $2"
                               " ORDER BY created_at DESC, id DESC LIMIT 1";
  return s;
}

const std::string& list_by_routine_sql() {
  static const std::string s = "SELECT " + columns() +
                               " FROM routine_executions WHERE routine_id = $1::uuid AND user_id = $2"
                               " ORDER BY created_at DESC, id DESC LIMIT $3::int";
  return s;
}

const std::string& get_sql() {
  static const std::string s =
      "SELECT " + columns() + " FROM routine_executions WHERE id = $1::uuid AND user_id = $2";
  return s;
}

const std::string& list_page_sql() {
  static const std::string s =
      "SELECT " + columns() +
      " FROM routine_executions WHERE routine_id = $1::uuid AND user_id = $2"
      " AND ($3::uuid IS NULL OR (created_at, id) <"
      "   (SELECT c.created_at, c.id FROM routine_executions c WHERE c.id = $3::uuid AND c.user_id = $2))"
      " ORDER BY created_at DESC, id DESC LIMIT $4::int";
  return s;
}

// ---- Mapping --------------------------------------------------------------------------------------------

Execution read_execution(const db::Row& row) {
  Execution e;
  e.id = row.get<std::string>(0);
  e.routine_id = row.get<std::string>(1);
  e.user_id = row.get<std::string>(2);
  e.workflow_id = row.get<std::string>(3);
  e.run_id = row.get<std::string>(4);
  e.status = detail::enum_column(row, 5, parse_execution_status);
  e.trigger_type = detail::enum_column(row, 6, parse_execution_trigger);
  e.trigger_data = detail::optional_json_column(row, 7);
  e.execution_path = detail::optional_json_column(row, 8);
  e.node_states = detail::json_column(row, 9);
  e.error = detail::optional_json_column(row, 10);
  e.started_at = row.get<std::optional<std::int64_t>>(11);
  e.completed_at = row.get<std::optional<std::int64_t>>(12);
  e.duration = row.get<std::optional<std::int32_t>>(13);
  e.created_at = row.get<std::int64_t>(14);
  e.legacy_id = row.get<std::optional<std::string>>(15);
  return e;
}

}  // namespace

asio::awaitable<std::optional<Execution>> create(db::UserScope scope, const NewExecution& execution) {
  if (!is_uuid(execution.routine_id)) co_return std::nullopt;
  const db::Params params(execution.routine_id, scope.user_id(), execution.workflow_id, execution.run_id,
                          to_string(execution.status), to_string(execution.trigger_type),
                          detail::optional_json_text(execution.trigger_data), execution.started_at);
  const db::Result r = co_await scope.query(insert_sql(), params);
  if (r.empty()) co_return std::nullopt;
  co_return read_execution(r.front());
}

asio::awaitable<bool> store_node_result(db::UserScope scope, std::string_view workflow_id,
                                        const NodeResult& result) {
  boost::json::object patch;
  boost::json::object appended_extra;
  patch["status"] = to_string(result.status);
  std::optional<EpochMs> completed_at;
  if (result.status == NodeStatus::kRunning) {
    patch["startedAt"] = result.started_at.value_or(now_epoch_ms());
  } else {
    completed_at = result.completed_at.value_or(now_epoch_ms());
    if (result.output) patch["output"] = *result.output;
    if (result.error) patch["error"] = *result.error;
    patch["completedAt"] = *completed_at;
    if (result.started_at) {
      appended_extra["startedAt"] = *result.started_at;
      appended_extra["duration"] = *completed_at - *result.started_at;
    }
  }
  if (result.iteration) patch["iteration"] = *result.iteration;
  const db::Params params(workflow_id, scope.user_id(), result.node_id, to_string(result.status),
                          json_text(patch), completed_at, json_text(appended_extra));
  const db::Result r = co_await scope.query(store_node_result_sql(), params);
  co_return r.affected_rows() == 1;
}

asio::awaitable<std::optional<Execution>> update_status(db::UserScope scope, std::string_view workflow_id,
                                                        const StatusUpdate& update) {
  const db::Params params(workflow_id, scope.user_id(), to_string(update.status), update.started_at,
                          update.completed_at, detail::optional_json_text(update.error),
                          detail::optional_json_text(update.execution_path));
  const db::Result r = co_await scope.query(update_status_sql(), params);
  if (r.empty()) co_return std::nullopt;
  co_return read_execution(r.front());
}

asio::awaitable<std::optional<Execution>> get_by_workflow_id(db::UserScope scope,
                                                             std::string_view workflow_id) {
  const db::Result r = co_await scope.query(get_by_workflow_sql(), db::Params(workflow_id, scope.user_id()));
  if (r.empty()) co_return std::nullopt;
  co_return read_execution(r.front());
}

asio::awaitable<std::vector<Execution>> list_by_routine(db::UserScope scope, std::string_view routine_id,
                                                        std::optional<int> limit) {
  std::vector<Execution> out;
  if (!is_uuid(routine_id)) co_return out;
  const db::Result r =
      co_await scope.query(list_by_routine_sql(), db::Params(routine_id, scope.user_id(), limit));
  out.reserve(static_cast<size_t>(r.size()));
  for (const db::Row row : r) out.push_back(read_execution(row));
  co_return out;
}

asio::awaitable<std::optional<Execution>> get(db::UserScope scope, std::string_view id) {
  if (!detail::is_uuid(id)) co_return std::nullopt;
  const db::Result r = co_await scope.query(get_sql(), db::Params(id, scope.user_id()));
  if (r.empty()) co_return std::nullopt;
  co_return read_execution(r.front());
}

asio::awaitable<ExecutionPage> list_page_by_routine(db::UserScope scope, std::string_view routine_id,
                                                    int limit, std::optional<std::string_view> after_id) {
  ExecutionPage page;
  if (!detail::is_uuid(routine_id) || (after_id && !detail::is_uuid(*after_id))) co_return page;
  const db::Result r =
      co_await scope.query(list_page_sql(), db::Params(routine_id, scope.user_id(), after_id, limit + 1));
  for (const db::Row row : r) {
    if (static_cast<int>(page.items.size()) == limit) {
      page.next_cursor = page.items.back().id;
      break;
    }
    page.items.push_back(read_execution(row));
  }
  co_return page;
}

}  // namespace kianax::store::executions
