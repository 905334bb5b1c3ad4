#include "api/store_json.hpp"

#include <boost/json/value_from.hpp>

namespace kianax::api {
namespace json = boost::json;

namespace {

template <class T>
void put_optional(json::object& o, const char* key, const std::optional<T>& v) {
  if (v) o[key] = json::value_from(*v);
}

void put_ids(json::object& o, const std::string& id, store::EpochMs created_at) {
  o["_id"] = id;
  o["id"] = id;
  o["_creationTime"] = created_at;
}

}  // namespace

json::object to_json(const store::Routine& r) {
  json::object o;
  put_ids(o, r.id, r.created_at);
  o["userId"] = r.user_id;
  o["name"] = r.name;
  put_optional(o, "description", r.description);
  o["status"] = store::to_string(r.status);
  o["triggerType"] = store::to_string(r.trigger_type);
  put_optional(o, "triggerConfig", r.trigger_config);
  o["nodes"] = r.nodes;
  o["connections"] = r.connections;
  o["tags"] = r.tags ? *r.tags : json::array();
  o["variables"] = r.variables ? *r.variables : json::array();
  o["version"] = r.version;
  put_optional(o, "lastExecutedAt", r.last_executed_at);
  o["createdAt"] = r.created_at;
  o["updatedAt"] = r.updated_at;
  return o;
}

json::object to_json(const store::Execution& e) {
  json::object o;
  put_ids(o, e.id, e.created_at);
  o["routineId"] = e.routine_id;
  o["userId"] = e.user_id;
  o["workflowId"] = e.workflow_id;
  o["runId"] = e.run_id;
  o["status"] = store::to_string(e.status);
  o["triggerType"] = store::to_string(e.trigger_type);
  put_optional(o, "triggerData", e.trigger_data);
  put_optional(o, "executionPath", e.execution_path);
  o["nodeStates"] = e.node_states;
  put_optional(o, "error", e.error);
  put_optional(o, "startedAt", e.started_at);
  put_optional(o, "completedAt", e.completed_at);
  put_optional(o, "duration", e.duration);
  return o;
}

json::object to_json(const store::CredentialSummary& c) {
  json::object o;
  put_ids(o, c.id, c.created_at);
  o["userId"] = c.user_id;
  o["typeId"] = c.type_id;
  o["name"] = c.name;
  put_optional(o, "metadata", c.metadata);
  o["createdAt"] = c.created_at;
  o["updatedAt"] = c.updated_at;
  return o;
}

json::object to_json(const store::UserSettings& s) {
  json::object o;
  put_ids(o, s.id, s.created_at);
  o["userId"] = s.user_id;
  o["theme"] = store::to_string(s.theme.value_or(store::Theme::kSystem));
  o["updatedAt"] = s.updated_at;
  return o;
}

json::object default_settings_json(const std::string& user_id) {
  json::object o;
  o["userId"] = user_id;
  o["theme"] = "system";
  return o;
}

}  // namespace kianax::api
