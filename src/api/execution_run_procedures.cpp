// executions.start / executions.cancel (issue 6 "Starting runs"): the API side of the durable run queue.
// The run itself happens in a worker process; these only write the execution + queue rows (one statement,
// under the caller's RLS context) or the cancel request. An invalid graph is refused here with the
// validator's errors, where upstream left the UI waiting for a run that never started.
#include <boost/json/object.hpp>

#include "api/procedure_support.hpp"
#include "api/procedures.hpp"
#include "api/trpc_error.hpp"
#include "worker/enqueue.hpp"

namespace kianax::api {
namespace asio = boost::asio;
namespace json = boost::json;

void add_execution_run_procedures(ProcedureRegistry& registry) {
  registry.add(Procedure{
      .name = "executions.start",
      .type = ProcedureType::kMutation,
      .input = schema::object({
          {"routineId", schema::uuid()},
          {"triggerData", schema::any(), true},
      }),
      .handler = [](Context& ctx, const json::value& in) -> asio::awaitable<json::value> {
        worker::StartRequest request;
        request.routine_id = std::string(str(in, "routineId"));
        if (const auto* data = in.as_object().if_contains("triggerData")) request.trigger_data = *data;
        const worker::StartResult result = co_await worker::start_execution(scope_of(ctx), request);
        switch (result.status) {
          case worker::StartResult::Status::kNotFound:
            throw_not_found("Routine", request.routine_id);
          case worker::StartResult::Status::kInvalidGraph: {
            json::array issues;
            for (const auto& e : result.errors) {
              json::object issue{{"type", e.type}, {"message", e.message}};
              if (e.node_id) issue["nodeId"] = *e.node_id;
              issues.push_back(std::move(issue));
            }
            throw TrpcError(ErrorCode::kBadRequest, result.message, std::move(issues));
          }
          case worker::StartResult::Status::kStarted:
            break;
        }
        co_return json::object{{"workflowId", result.workflow_id},
                               {"executionId", result.execution_id},
                               {"runId", result.run_id}};
      },
  });

  registry.add(Procedure{
      .name = "executions.cancel",
      .type = ProcedureType::kMutation,
      .input = schema::object({{"id", schema::uuid()}}),
      .handler = [](Context& ctx, const json::value& in) -> asio::awaitable<json::value> {
        const auto id = str(in, "id");
        // False for "not yours", "no such run" and "already finished": one answer, as for every other id.
        if (!co_await worker::request_cancel(scope_of(ctx), id)) throw_not_found("Running execution", id);
        co_return nullptr;
      },
  });
}

}  // namespace kianax::api
