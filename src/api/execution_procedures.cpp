// executions.listByRoutine / get / getByWorkflowId (api-spec §1b). Upstream left these open to anyone;
// here every read is the caller's only (store filter + RLS), and another user's run is NOT_FOUND.
#include <boost/json/object.hpp>

#include "api/procedure_support.hpp"
#include "api/procedures.hpp"
#include "api/store_json.hpp"
#include "store/execution_repository.hpp"
#include "store/routine_repository.hpp"

namespace kianax::api {
namespace asio = boost::asio;
namespace json = boost::json;

void add_execution_procedures(ProcedureRegistry& registry, const ApiOptions& options) {
  const int default_page = options.default_page_size;

  registry.add(Procedure{
      .name = "executions.listByRoutine",
      .type = ProcedureType::kQuery,
      .input = schema::object({
          {"routineId", schema::uuid()},
          {"limit", schema::integer(1, options.max_page_size), true},
          {"cursor", schema::nullable(schema::uuid()), true},
      }),
      .handler = [default_page](Context& ctx, const json::value& in) -> asio::awaitable<json::value> {
        const auto routine_id = str(in, "routineId");
        // A foreign routine would list nothing anyway; answering NOT_FOUND keeps "not yours" and "no such
        // routine" one answer, as for every other id.
        if (!co_await store::routines::get_by_id(scope_of(ctx), routine_id))
          throw_not_found("Routine", routine_id);
        const auto page = co_await store::executions::list_page_by_routine(
            scope_of(ctx), routine_id, optional_int(in, "limit").value_or(default_page),
            optional_str(in, "cursor"));
        json::array items;
        for (const auto& e : page.items) items.push_back(to_json(e));
        json::object out;
        out["items"] = std::move(items);
        out["nextCursor"] = page.next_cursor ? json::value(*page.next_cursor) : json::value(nullptr);
        co_return out;
      },
  });

  registry.add(Procedure{
      .name = "executions.get",
      .type = ProcedureType::kQuery,
      .input = schema::object({{"id", schema::uuid()}}),
      .handler = [](Context& ctx, const json::value& in) -> asio::awaitable<json::value> {
        const auto id = str(in, "id");
        auto execution = co_await store::executions::get(scope_of(ctx), id);
        if (!execution) throw_not_found("Execution", id);
        co_return to_json(*execution);
      },
  });

  registry.add(Procedure{
      .name = "executions.getByWorkflowId",
      .type = ProcedureType::kQuery,
      .input = schema::object({{"workflowId", schema::string(1, 255)}}),
      .handler = [](Context& ctx, const json::value& in) -> asio::awaitable<json::value> {
        const auto workflow_id = str(in, "workflowId");
        auto execution = co_await store::executions::get_by_workflow_id(scope_of(ctx), workflow_id);
        if (!execution) throw_not_found("Execution for workflow", workflow_id);
        co_return to_json(*execution);
      },
  });
}

}  // namespace kianax::api
