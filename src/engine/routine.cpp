#include "engine/routine.hpp"

#include <unordered_set>

namespace kianax::engine {

namespace {

std::string field(std::string_view list, size_t i, std::string_view name) {
  return std::string(list) + "[" + std::to_string(i) + "]" + (name.empty() ? "" : ".") + std::string(name);
}

// A string field, or nullopt if absent/null; anything else is an error naming the field.
std::optional<std::string> optional_string(const boost::json::object& o, std::string_view key,
                                           const std::string& where) {
  const auto* v = find_member(o, key);
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (!v->is_string()) throw RoutineLoadError(where + ": must be a string");
  return std::string(v->get_string());
}

std::string required_string(const boost::json::object& o, std::string_view key, const std::string& where) {
  auto s = optional_string(o, key, where);
  if (!s) throw RoutineLoadError(where + ": is required");
  if (s->empty()) throw RoutineLoadError(where + ": must not be empty");
  return *s;
}

// An empty-string handle counts as no handle (spec (a)).
std::optional<std::string> non_empty(std::optional<std::string> s) {
  if (s && s->empty()) return std::nullopt;
  return s;
}

Node load_node(const boost::json::value& v, size_t i) {
  if (!v.is_object()) throw RoutineLoadError(field("nodes", i, "") + ": must be an object");
  const auto& o = v.get_object();
  Node n;
  n.id = required_string(o, "id", field("nodes", i, "id"));
  n.plugin_id = required_string(o, "pluginId", field("nodes", i, "pluginId"));
  n.label = optional_string(o, "label", field("nodes", i, "label")).value_or(n.plugin_id);
  // Engine form uses `parameters`, stored routines and RoutineInput use `config`; a missing config is {}.
  const auto* params = find_member(o, "parameters");
  const char* params_name = "parameters";
  if (params == nullptr || params->is_null()) {
    params = find_member(o, "config");
    params_name = "config";
  }
  if (params != nullptr && !params->is_null()) {
    if (!params->is_object()) throw RoutineLoadError(field("nodes", i, params_name) + ": must be an object");
    n.parameters = params->get_object();
  }
  if (const auto* cm = find_member(o, "credentialMappings"); cm != nullptr && !cm->is_null()) {
    if (!cm->is_object())
      throw RoutineLoadError(field("nodes", i, "credentialMappings") + ": must be an object");
    for (const auto& m : cm->get_object()) {
      if (!m.value().is_string())
        throw RoutineLoadError(field("nodes", i, "credentialMappings") + "." + std::string(m.key()) +
                               ": must be a string credential id");
    }
    n.credential_mappings = cm->get_object();
  }
  return n;
}

Edge load_edge(const boost::json::value& v, size_t i) {
  if (!v.is_object()) throw RoutineLoadError(field("connections", i, "") + ": must be an object");
  const auto& o = v.get_object();
  Edge e;
  e.id = optional_string(o, "id", field("connections", i, "id")).value_or("");
  e.source = required_string(o, "sourceNodeId", field("connections", i, "sourceNodeId"));
  e.target = required_string(o, "targetNodeId", field("connections", i, "targetNodeId"));
  e.handle = non_empty(optional_string(o, "sourceHandle", field("connections", i, "sourceHandle")));
  if (!e.handle)
    e.handle = non_empty(optional_string(o, "sourcePort", field("connections", i, "sourcePort")));
  auto target = non_empty(optional_string(o, "targetHandle", field("connections", i, "targetHandle")));
  if (!target) target = non_empty(optional_string(o, "targetPort", field("connections", i, "targetPort")));
  e.target_port = target.value_or("input");
  return e;
}

}  // namespace

boost::json::object Routine::variables_map() const {
  boost::json::object m;
  for (const auto& v : variables) m[v.name] = v.value;
  return m;
}

Routine load_routine(const boost::json::value& json) {
  if (!json.is_object()) throw RoutineLoadError("routine: must be a JSON object");
  const auto& o = json.get_object();
  Routine r;
  // Stored routines carry `_id`, RoutineInput carries `routineId`, the engine form carries `id`.
  r.id = optional_string(o, "id", "id");
  if (!r.id) r.id = optional_string(o, "routineId", "routineId");
  if (!r.id) r.id = optional_string(o, "_id", "_id");
  r.name = optional_string(o, "name", "name").value_or("");
  r.user_id = optional_string(o, "userId", "userId");

  const auto* nodes = find_member(o, "nodes");
  if (nodes == nullptr || nodes->is_null()) throw RoutineLoadError("nodes: is required");
  if (!nodes->is_array()) throw RoutineLoadError("nodes: must be an array");
  std::unordered_set<std::string> ids;
  for (size_t i = 0; i < nodes->get_array().size(); ++i) {
    Node n = load_node(nodes->get_array()[i], i);
    if (!ids.insert(n.id).second)
      throw RoutineLoadError(field("nodes", i, "id") + ": duplicate node id \"" + n.id + "\"");
    r.nodes.push_back(std::move(n));
  }

  const auto* conns = find_member(o, "connections");
  if (conns == nullptr || conns->is_null()) conns = find_member(o, "edges");
  if (conns != nullptr && !conns->is_null()) {
    if (!conns->is_array()) throw RoutineLoadError("connections: must be an array");
    for (size_t i = 0; i < conns->get_array().size(); ++i)
      r.edges.push_back(load_edge(conns->get_array()[i], i));
  }

  if (const auto* vars = find_member(o, "variables"); vars != nullptr && !vars->is_null()) {
    if (vars->is_array()) {
      const auto& arr = vars->get_array();
      for (size_t i = 0; i < arr.size(); ++i) {
        if (!arr[i].is_object()) throw RoutineLoadError(field("variables", i, "") + ": must be an object");
        const auto& vo = arr[i].get_object();
        Variable var;
        var.name = required_string(vo, "name", field("variables", i, "name"));
        // A variable without `value` holds undefined; as a map member that is "absent", modelled as null
        // only if present. Skip it so {{ vars.x }} stays undefined.
        const auto* value = find_member(vo, "value");
        if (value == nullptr) continue;
        var.value = *value;
        r.variables.push_back(std::move(var));
      }
    } else if (vars->is_object()) {  // already a name → value map
      for (const auto& m : vars->get_object()) r.variables.push_back({std::string(m.key()), m.value()});
    } else {
      throw RoutineLoadError("variables: must be an array of {name, value} or an object");
    }
  }

  if (const auto* td = find_member(o, "triggerData"); td != nullptr) r.trigger_data = *td;
  return r;
}

Routine load_routine_text(std::string_view text) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  if (ec) throw RoutineLoadError("routine is not valid JSON: " + ec.message());
  return load_routine(v);
}

ExecutionGraph::ExecutionGraph(const Routine& routine)
    : routine_(&routine),
      incoming_(routine.nodes.size()),
      outgoing_(routine.nodes.size()),
      has_any_incoming_(routine.nodes.size(), false) {
  index_.reserve(routine.nodes.size());
  for (std::uint32_t i = 0; i < routine.nodes.size(); ++i) index_.emplace(routine.nodes[i].id, i);
  edge_source_.reserve(routine.edges.size());
  edge_target_.reserve(routine.edges.size());
  for (std::uint32_t e = 0; e < routine.edges.size(); ++e) {
    std::uint32_t s = index_of(routine.edges[e].source);
    std::uint32_t t = index_of(routine.edges[e].target);
    edge_source_.push_back(s);
    edge_target_.push_back(t);
    if (t != kNoNode) {
      has_any_incoming_[t] = true;
      incoming_[t].push_back(e);  // even from a missing source: such an edge can never be satisfied
    }
    if (s != kNoNode && t != kNoNode) outgoing_[s].push_back(e);
  }
}

std::uint32_t ExecutionGraph::index_of(std::string_view node_id) const {
  auto it = index_.find(node_id);
  return it == index_.end() ? kNoNode : it->second;
}

std::vector<std::uint32_t> ExecutionGraph::entry_nodes() const {
  std::vector<std::uint32_t> out;
  for (std::uint32_t i = 0; i < node_count(); ++i)
    if (!has_any_incoming_[i]) out.push_back(i);
  return out;
}

}  // namespace kianax::engine
