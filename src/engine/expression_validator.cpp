#include "engine/expression_validator.hpp"

#include "engine/expression.hpp"

#include <unordered_map>
#include <unordered_set>

namespace kianax::engine {

namespace {

// Every string anywhere inside `v` (values only; object keys are never expressions), in document order.
template <typename Fn>
void for_each_string(const boost::json::value& v, Fn&& fn) {
  if (v.is_string()) {
    fn(std::string_view(v.get_string()));
  } else if (v.is_array()) {
    for (const auto& e : v.get_array()) for_each_string(e, fn);
  } else if (v.is_object()) {
    for (const auto& m : v.get_object()) for_each_string(m.value(), fn);
  }
}

}  // namespace

std::vector<ExpressionIssue> validate_expressions(const Routine& r) {
  std::unordered_set<std::string> var_names;
  for (const auto& v : r.variables) var_names.insert(v.name);
  std::unordered_set<std::string> node_ids;
  std::unordered_map<std::string, std::vector<std::string>> sources_of;  // target → direct sources
  for (const auto& n : r.nodes) node_ids.insert(n.id);
  for (const auto& e : r.edges) sources_of[e.target].push_back(e.source);

  // Upstream = every node with a directed path to `id`, handles ignored.
  auto upstream_of = [&](const std::string& id) {
    std::unordered_set<std::string> seen;
    std::vector<std::string> stack{id};
    while (!stack.empty()) {
      std::string cur = std::move(stack.back());
      stack.pop_back();
      auto it = sources_of.find(cur);
      if (it == sources_of.end()) continue;
      for (const auto& s : it->second)
        if (seen.insert(s).second) stack.push_back(s);
    }
    return seen;
  };

  std::vector<ExpressionIssue> out;
  for (const auto& node : r.nodes) {
    std::optional<std::unordered_set<std::string>> upstream;  // computed on first node reference
    for_each_string(boost::json::value(node.parameters), [&](std::string_view s) {
      for (auto& ref : extract_references(s)) {
        auto issue = [&](std::string message, const char* type) {
          out.push_back({node.id, node.label, ref.expression, std::move(message), type});
        };
        if (ref.source == "vars") {
          if (!ref.path.empty() && !var_names.count(ref.path[0]))
            issue("Variable \"" + ref.path[0] + "\" is not defined. Add it in the Variables panel.",
                  "UNDEFINED_VARIABLE");
        } else if (ref.source == "nodes" && ref.node_id) {
          const std::string& target = *ref.node_id;
          if (target == node.id) {
            issue("Node cannot reference its own output", "SELF_REFERENCE");
          } else if (!node_ids.count(target)) {
            issue("Referenced node \"" + target + "\" does not exist", "INVALID_NODE_REF");
          } else {
            if (!upstream) upstream = upstream_of(node.id);
            if (!upstream->count(target))
              issue("Node \"" + target +
                        "\" is not upstream. You can only reference nodes that execute before this one.",
                    "NOT_UPSTREAM");
          }
        }
      }
    });
  }
  return out;
}

boost::json::object to_json(const ExpressionIssue& i) {
  return {{"nodeId", i.node_id},
          {"nodeLabel", i.node_label},
          {"expression", i.expression},
          {"message", i.message},
          {"type", i.type}};
}

}  // namespace kianax::engine
