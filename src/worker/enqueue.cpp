#include "worker/enqueue.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>

#include "engine/routine.hpp"
#include "store/routine_repository.hpp"

namespace kianax::worker {
namespace {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Insert the execution only if the routine is the user's (an FK check alone does not see RLS), in one
// statement so the three writes commit or fail together even on a pool scope.
constexpr const char* kStartSql =
    "WITH r AS (UPDATE routines SET last_executed_at = now() WHERE id = $1::uuid AND user_id = $2"
    "   RETURNING id),"
    " e AS (INSERT INTO routine_executions (routine_id, user_id, workflow_id, run_id, status, trigger_type,"
    "   trigger_data, node_states)"
    "   SELECT r.id, $2, $3, gen_random_uuid()::text, 'pending', $4::execution_trigger_type, $5::jsonb,"
    "   '[]'::jsonb FROM r RETURNING id, run_id),"
    " q AS (INSERT INTO execution_queue (execution_id, user_id, routine) SELECT e.id, $2, $6::jsonb FROM e"
    "   RETURNING execution_id)"
    " SELECT e.id::text, e.run_id FROM e JOIN q ON q.execution_id = e.id";

}  // namespace

boost::asio::awaitable<StartResult> start_execution(db::UserScope scope, const StartRequest& request) {
  StartResult out;
  std::optional<store::Routine> routine = co_await store::routines::get_by_id(scope, request.routine_id);
  if (!routine) {
    out.status = StartResult::Status::kNotFound;
    co_return out;
  }

  boost::json::value trigger_data = request.trigger_data.value_or(
      boost::json::object{{"timestamp", now_ms()},
                          {"source", "manual-trigger"},
                          {"triggerType", std::string(store::to_string(routine->trigger_type))}});
  boost::json::object input{{"id", routine->id},
                            {"name", routine->name},
                            {"userId", routine->user_id},
                            {"nodes", routine->nodes},
                            {"connections", routine->connections},
                            {"variables", routine->variables.value_or(boost::json::array())},
                            {"triggerData", trigger_data}};
  try {
    engine::GraphValidation validation = engine::validate_graph(engine::load_routine(input));
    if (!validation.valid()) {
      out.status = StartResult::Status::kInvalidGraph;
      out.message = engine::format_graph_errors(validation.errors);
      out.errors = std::move(validation.errors);
      co_return out;
    }
  } catch (const engine::RoutineLoadError& e) {
    out.status = StartResult::Status::kInvalidGraph;
    out.errors.push_back({.type = "invalid_routine", .message = e.what()});
    out.message = engine::format_graph_errors(out.errors);
    co_return out;
  }

  out.workflow_id = std::string(store::to_string(request.trigger_type)) + "-" + routine->id + "-" +
                    std::to_string(now_ms());
  db::Result r = co_await scope.query(
      kStartSql, db::Params(routine->id, scope.user_id(), out.workflow_id,
                            std::string(store::to_string(request.trigger_type)),
                            boost::json::serialize(trigger_data), boost::json::serialize(input)));
  if (r.empty()) {  // deleted between the read and the insert
    out.status = StartResult::Status::kNotFound;
    co_return out;
  }
  out.execution_id = r.front().get<std::string>(0);
  out.run_id = r.front().get<std::string>(1);
  co_return out;
}

boost::asio::awaitable<bool> request_cancel(db::UserScope scope, std::string_view execution_id) {
  // Compared as text: a malformed id is simply not found instead of a cast error.
  // The NOTIFY (sent at commit, only when a row changed) lets the running worker check at once instead
  // of at its next heartbeat.
  db::Result r = co_await scope.query(
      "WITH u AS (UPDATE execution_queue SET cancel_requested = true"
      "   WHERE execution_id::text = $1 AND user_id = $2 RETURNING execution_id)"
      " SELECT pg_notify('kianax_run_cancel', execution_id::text) FROM u",
      db::Params(std::string(execution_id), scope.user_id()));
  co_return r.size() == 1;
}

}  // namespace kianax::worker
