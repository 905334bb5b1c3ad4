// routines.list / get / create / update / delete / duplicate / search (api-spec §1a). Routines are the
// caller's only: the store filters on user_id (and RLS backs it), so another user's id reads as missing and
// is answered NOT_FOUND — the same as an id that never existed.
#include <boost/json/object.hpp>

#include "api/procedure_support.hpp"
#include "api/procedures.hpp"
#include "api/routine_schemas.hpp"
#include "api/store_json.hpp"
#include "store/routine_repository.hpp"

namespace kianax::api {
namespace asio = boost::asio;
namespace json = boost::json;
using schema::Field;

namespace {

std::optional<json::value> optional_json(const json::value& input, std::string_view key) {
  const auto* v = field(input, key);
  if (v == nullptr) return std::nullopt;
  return *v;
}

json::array routines_json(const std::vector<store::Routine>& rows) {
  json::array out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(to_json(r));
  return out;
}

}  // namespace

void add_routine_procedures(ProcedureRegistry& registry, const ApiOptions& options) {
  const SchemaPtr nodes = schema::array(node_schema(), options.max_nodes);
  const SchemaPtr connections = schema::array(connection_schema(), options.max_connections);
  const SchemaPtr variables = schema::array(variable_schema(), options.max_variables);
  const SchemaPtr tags = schema::array(schema::string(0, 255), options.max_tags);
  const SchemaPtr id_only = schema::object({{"id", schema::uuid()}});
  const int default_page = options.default_page_size;

  registry.add(Procedure{
      .name = "routines.list",
      .type = ProcedureType::kQuery,
      .input = schema::object({
          {"status", routine_status_schema(), true},
          {"limit", schema::integer(1, options.max_page_size), true},
          {"cursor", schema::nullable(schema::uuid()), true},
      }),
      .input_required = false,
      .handler = [default_page](Context& ctx, const json::value& in) -> asio::awaitable<json::value> {
        std::optional<store::RoutineStatus> status;
        if (auto s = optional_str(in, "status")) status = store::parse_routine_status(*s);
        const auto page = co_await store::routines::list_page(
            scope_of(ctx), status, optional_int(in, "limit").value_or(default_page),
            optional_str(in, "cursor"));
        json::object out;
        out["items"] = routines_json(page.items);
        out["nextCursor"] = page.next_cursor ? json::value(*page.next_cursor) : json::value(nullptr);
        co_return out;
      },
  });

  registry.add(Procedure{
      .name = "routines.get",
      .type = ProcedureType::kQuery,
      .input = id_only,
      .handler = [](Context& ctx, const json::value& in) -> asio::awaitable<json::value> {
        const auto id = str(in, "id");
        auto routine = co_await store::routines::get_by_id(scope_of(ctx), id);
        if (!routine) throw_not_found("Routine", id);
        co_return to_json(*routine);
      },
  });

  registry.add(Procedure{
      .name = "routines.create",
      .type = ProcedureType::kMutation,
      .input = schema::object({
          {"name", routine_name_schema()},
          {"description", schema::string(), true},
          {"status", routine_status_schema(), true},
          {"triggerType", routine_trigger_schema(), true},
          {"triggerConfig", schema::any(), true},
          {"nodes", nodes, true},
          {"connections", connections, true},
          {"tags", tags, true},
          {"variables", variables, true},
      }),
      .handler = [](Context& ctx, const json::value& in) -> asio::awaitable<json::value> {
        store::NewRoutine r;
        r.name = str(in, "name");
        if (auto d = optional_str(in, "description")) r.description = std::string(*d);
        if (auto s = optional_str(in, "status")) r.status = *store::parse_routine_status(*s);
        if (auto t = optional_str(in, "triggerType")) r.trigger_type = *store::parse_routine_trigger(*t);
        r.trigger_config = optional_json(in, "triggerConfig");
        if (auto n = optional_json(in, "nodes")) r.nodes = *n;
        if (auto c = optional_json(in, "connections")) r.connections = *c;
        r.tags = optional_json(in, "tags");
        r.variables = optional_json(in, "variables");
        if (r.variables) require_unique_variable_names(r.variables->as_array(), "variables");
        const auto created = co_await store::routines::create(scope_of(ctx), r);
        co_return json::value(created.id);
      },
  });

  registry.add(Procedure{
      .name = "routines.update",
      .type = ProcedureType::kMutation,
      .input = schema::object({
          {"id", schema::uuid()},
          {"name", routine_name_schema(), true},
          {"description", schema::nullable(schema::string()), true},
          {"status", routine_status_schema(), true},
          {"triggerType", routine_trigger_schema(), true},
          {"triggerConfig", schema::any(), true},
          {"nodes", nodes, true},
          {"connections", connections, true},
          {"tags", schema::nullable(tags), true},
          {"variables", variables, true},
      }),
      // The editor's save (nodes + connections + variables) is this one call and one UPDATE statement, so
      // it is atomic — upstream's update-then-setVariables was two writes. Version + 1 happens in the same
      // statement whenever nodes or connections are present (the store's rule).
      .handler = [](Context& ctx, const json::value& in) -> asio::awaitable<json::value> {
        const auto id = str(in, "id");
        store::RoutinePatch p;
        if (auto n = optional_str(in, "name")) p.name = std::string(*n);
        if (const auto* d = field(in, "description")) {
          p.description = d->is_null() ? std::optional<std::string>() : std::string(d->as_string());
        }
        if (auto s = optional_str(in, "status")) p.status = store::parse_routine_status(*s);
        if (auto t = optional_str(in, "triggerType")) p.trigger_type = store::parse_routine_trigger(*t);
        if (const auto* c = field(in, "triggerConfig")) {
          p.trigger_config = c->is_null() ? std::optional<json::value>() : *c;
        }
        p.nodes = optional_json(in, "nodes");
        p.connections = optional_json(in, "connections");
        if (const auto* t = field(in, "tags")) p.tags = t->is_null() ? std::optional<json::value>() : *t;
        if (const auto* v = field(in, "variables")) {
          require_unique_variable_names(v->as_array(), "variables");
          p.variables = std::optional<json::value>(*v);
        }
        auto updated = co_await store::routines::update(scope_of(ctx), id, p);
        if (!updated) throw_not_found("Routine", id);
        co_return json::value(updated->id);
      },
  });

  registry.add(Procedure{
      .name = "routines.delete",
      .type = ProcedureType::kMutation,
      .input = id_only,
      .handler = [](Context& ctx, const json::value& in) -> asio::awaitable<json::value> {
        const auto id = str(in, "id");
        if (!co_await store::routines::remove(scope_of(ctx), id)) throw_not_found("Routine", id);
        co_return nullptr;
      },
  });

  registry.add(Procedure{
      .name = "routines.duplicate",
      .type = ProcedureType::kMutation,
      .input = schema::object({{"id", schema::uuid()}, {"name", routine_name_schema(), true}}),
      // A draft copy: same graph, variables, trigger and tags; version 1, never executed, name "<name>
      // (copy)" unless given (cut to the column's 255 characters).
      .handler = [](Context& ctx, const json::value& in) -> asio::awaitable<json::value> {
        const auto id = str(in, "id");
        auto source = co_await store::routines::get_by_id(scope_of(ctx), id);
        if (!source) throw_not_found("Routine", id);
        store::NewRoutine copy;
        if (auto n = optional_str(in, "name")) {
          copy.name = std::string(*n);
        } else {
          copy.name = source->name + " (copy)";
          if (copy.name.size() > 255) copy.name = source->name;
        }
        copy.description = source->description;
        copy.status = store::RoutineStatus::kDraft;
        copy.trigger_type = source->trigger_type;
        copy.trigger_config = source->trigger_config;
        copy.nodes = source->nodes;
        copy.connections = source->connections;
        copy.tags = source->tags;
        copy.variables = source->variables;
        const auto created = co_await store::routines::create(scope_of(ctx), copy);
        co_return json::value(created.id);
      },
  });

  registry.add(Procedure{
      .name = "routines.search",
      .type = ProcedureType::kQuery,
      .input = schema::object(
          {{"query", schema::string(0, 255)}, {"limit", schema::integer(1, options.max_page_size), true}}),
      .handler = [default_page](Context& ctx, const json::value& in) -> asio::awaitable<json::value> {
        const auto rows = co_await store::routines::search(scope_of(ctx), str(in, "query"),
                                                           optional_int(in, "limit").value_or(default_page));
        co_return routines_json(rows);
      },
  });
}

}  // namespace kianax::api
