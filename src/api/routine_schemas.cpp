#include "api/routine_schemas.hpp"

#include <set>
#include <string>

#include "api/trpc_error.hpp"

namespace kianax::api {
using schema::Field;

SchemaPtr routine_status_schema() { return schema::enumeration({"draft", "active", "paused", "archived"}); }
SchemaPtr routine_trigger_schema() { return schema::enumeration({"manual", "cron", "webhook", "event"}); }
SchemaPtr routine_name_schema() { return schema::string(1, 255); }

SchemaPtr node_schema() {
  static const SchemaPtr s = schema::object({
      {"id", schema::string(1, 255)},
      {"pluginId", schema::string(1, 255)},
      {"label", schema::string(0, 1000)},
      {"position", schema::object({{"x", schema::number()}, {"y", schema::number()}})},
      {"config", schema::any(), true},
      {"credentialMappings", schema::record(schema::string()), true},
  });
  return s;
}

SchemaPtr connection_schema() {
  static const SchemaPtr s = schema::object({
      {"id", schema::string(1, 255)},
      {"sourceNodeId", schema::string(1, 255)},
      {"targetNodeId", schema::string(1, 255)},
      {"sourceHandle", schema::string(), true},
      {"targetHandle", schema::string(), true},
  });
  return s;
}

SchemaPtr variable_schema(bool id_optional) {
  return schema::object({
      {"id", schema::string(1, 255), id_optional},
      {"name", schema::string(1, 255)},
      {"type", schema::enumeration({"string", "number", "boolean", "json"})},
      {"value", schema::any()},
      {"description", schema::string(), true},
  });
}

void require_unique_variable_names(const boost::json::array& variables, std::string_view field) {
  std::set<std::string, std::less<>> seen;
  std::vector<Issue> issues;
  for (std::size_t i = 0; i < variables.size(); ++i) {
    const auto name = variables[i].as_object().at("name").as_string();
    if (!seen.emplace(name).second) {
      issues.push_back(Issue{boost::json::array{field, static_cast<std::int64_t>(i), "name"},
                             "Variable \"" + std::string(name) + "\" already exists"});
    }
  }
  if (!issues.empty()) throw TrpcError(ErrorCode::kBadRequest, issues_message(issues), issues_json(issues));
}

}  // namespace kianax::api
