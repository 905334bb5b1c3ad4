// routines.addVariable / updateVariable / removeVariable / setVariables (api-spec §1a). Variables live in
// the routine's `variables` jsonb; each edit reads the routine FOR UPDATE and writes it back in the same
// transaction, so two concurrent edits cannot lose one another or sneak in a duplicate name.
#include <boost/json/object.hpp>

#include "api/procedure_support.hpp"
#include "api/procedures.hpp"
#include "api/routine_schemas.hpp"
#include "db/pool.hpp"
#include "store/routine_repository.hpp"

namespace kianax::api {
namespace asio = boost::asio;
namespace json = boost::json;

namespace {

[[noreturn]] void variable_not_found(std::string_view id) {
  throw TrpcError(ErrorCode::kNotFound, "Variable " + std::string(id) + " not found");
}

[[noreturn]] void name_taken(std::string_view name) {
  throw TrpcError(ErrorCode::kConflict, "Variable \"" + std::string(name) + "\" already exists");
}

// Runs `edit` on the routine's variables inside one transaction and stores the result. `edit` returns the
// procedure's answer.
template <class Edit>
asio::awaitable<json::value> edit_variables(Context& ctx, std::string_view routine_id, Edit edit) {
  co_return co_await db::with_user_tx(
      ctx.pool, ctx.user_id(), db::deadline_after(ctx.pool.options().query_timeout),
      [&](db::Transaction& tx) -> asio::awaitable<json::value> {
        auto routine = co_await store::routines::get_for_update(tx, routine_id);
        if (!routine) throw_not_found("Routine", routine_id);
        json::array variables = routine->variables && routine->variables->is_array()
                                    ? routine->variables->get_array()
                                    : json::array();
        json::value answer = edit(variables);
        store::RoutinePatch patch;
        patch.variables = std::optional<json::value>(std::move(variables));
        co_await store::routines::update(tx, routine_id, patch);
        co_return answer;
      });
}

std::size_t index_of(const json::array& variables, std::string_view id) {
  for (std::size_t i = 0; i < variables.size(); ++i) {
    if (variables[i].as_object().at("id").as_string() == id) return i;
  }
  return variables.size();
}

bool name_used_elsewhere(const json::array& variables, std::string_view name, std::size_t except) {
  for (std::size_t i = 0; i < variables.size(); ++i) {
    if (i != except && variables[i].as_object().at("name").as_string() == name) return true;
  }
  return false;
}

}  // namespace

void add_routine_variable_procedures(ProcedureRegistry& registry, const ApiOptions& options) {
  const std::size_t max_variables = options.max_variables;

  registry.add(Procedure{
      .name = "routines.addVariable",
      .type = ProcedureType::kMutation,
      .input = schema::object({{"routineId", schema::uuid()}, {"variable", variable_schema(true)}}),
      .handler = [max_variables](Context& ctx, const json::value& in) -> asio::awaitable<json::value> {
        json::object variable = in.as_object().at("variable").as_object();
        if (!variable.contains("id")) variable["id"] = random_uuid();
        co_return co_await edit_variables(ctx, str(in, "routineId"), [&](json::array& variables) {
          const auto name = variable.at("name").as_string();
          if (name_used_elsewhere(variables, name, variables.size())) name_taken(name);
          if (index_of(variables, variable.at("id").as_string()) != variables.size()) {
            throw TrpcError(ErrorCode::kConflict,
                            "Variable " + std::string(variable.at("id").as_string()) + " already exists");
          }
          if (variables.size() >= max_variables) {
            throw TrpcError(ErrorCode::kBadRequest,
                            "A routine has at most " + std::to_string(max_variables) + " variables");
          }
          variables.push_back(variable);
          return json::value(variable.at("id"));
        });
      },
  });

  registry.add(Procedure{
      .name = "routines.updateVariable",
      .type = ProcedureType::kMutation,
      .input = schema::object({
          {"routineId", schema::uuid()},
          {"variableId", schema::string(1, 255)},
          {"updates", schema::object({
                          {"name", schema::string(1, 255), true},
                          {"type", schema::enumeration({"string", "number", "boolean", "json"}), true},
                          {"value", schema::any(), true},
                          {"description", schema::string(), true},
                      })},
      }),
      .handler = [](Context& ctx, const json::value& in) -> asio::awaitable<json::value> {
        const auto variable_id = str(in, "variableId");
        const auto& updates = in.as_object().at("updates").as_object();
        co_return co_await edit_variables(ctx, str(in, "routineId"), [&](json::array& variables) {
          const std::size_t i = index_of(variables, variable_id);
          if (i == variables.size()) variable_not_found(variable_id);
          if (const auto* name = updates.if_contains("name");
              name && name_used_elsewhere(variables, name->as_string(), i)) {
            name_taken(name->as_string());
          }
          auto& target = variables[i].as_object();
          for (const auto& kv : updates) target[kv.key()] = kv.value();
          return json::value(nullptr);
        });
      },
  });

  registry.add(Procedure{
      .name = "routines.removeVariable",
      .type = ProcedureType::kMutation,
      .input = schema::object({{"routineId", schema::uuid()}, {"variableId", schema::string(1, 255)}}),
      .handler = [](Context& ctx, const json::value& in) -> asio::awaitable<json::value> {
        const auto variable_id = str(in, "variableId");
        co_return co_await edit_variables(ctx, str(in, "routineId"), [&](json::array& variables) {
          const std::size_t i = index_of(variables, variable_id);
          if (i == variables.size()) variable_not_found(variable_id);
          variables.erase(variables.begin() + static_cast<std::ptrdiff_t>(i));
          return json::value(nullptr);
        });
      },
  });

  registry.add(Procedure{
      .name = "routines.setVariables",
      .type = ProcedureType::kMutation,
      .input = schema::object(
          {{"routineId", schema::uuid()}, {"variables", schema::array(variable_schema(), max_variables)}}),
      // Replaces the whole list in one UPDATE; unlike upstream, names must be unique.
      .handler = [](Context& ctx, const json::value& in) -> asio::awaitable<json::value> {
        const auto routine_id = str(in, "routineId");
        const auto& variables = in.as_object().at("variables");
        require_unique_variable_names(variables.as_array(), "variables");
        store::RoutinePatch patch;
        patch.variables = std::optional<json::value>(variables);
        if (!co_await store::routines::update(scope_of(ctx), routine_id, patch)) {
          throw_not_found("Routine", routine_id);
        }
        co_return nullptr;
      },
  });
}

}  // namespace kianax::api
