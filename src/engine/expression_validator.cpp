#include "engine/expression_validator.hpp"

#include "engine/expression.hpp"

#include <unordered_map>
#include <unordered_set>

namespace kianax::engine {

namespace {

// Every string anywhere inside `v` (values only; object keys are never expressions), in document order, with
// its field path ("body.items[0]").
template <typename Fn>
void for_each_string(const boost::json::value& v, const std::string& field, Fn&& fn) {
  if (v.is_string()) {
    fn(std::string_view(v.get_string()), field);
  } else if (v.is_array()) {
    for (size_t i = 0; i < v.get_array().size(); ++i)
      for_each_string(v.get_array()[i], field + "[" + std::to_string(i) + "]", fn);
  } else if (v.is_object()) {
    for (const auto& m : v.get_object())
      for_each_string(m.value(), field.empty() ? std::string(m.key()) : field + "." + std::string(m.key()),
                      fn);
  }
}

template <typename Fn>
void for_each_parameter_string(const Node& node, Fn&& fn) {
  for (const auto& m : node.parameters) for_each_string(m.value(), std::string(m.key()), fn);
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
    for_each_parameter_string(node, [&](std::string_view s, const std::string& field) {
      for (auto& ref : extract_references(s)) {
        auto issue = [&](std::string message, const char* type) {
          out.push_back({node.id, node.label, ref.expression, std::move(message), type, field});
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

std::vector<ExpressionIssue> lint_expressions(const Routine& r) {
  std::vector<ExpressionIssue> out;
  for (const auto& node : r.nodes) {
    for_each_parameter_string(node, [&](std::string_view s, const std::string& field) {
      auto warn = [&](std::string expression, std::string message, const char* type) {
        out.push_back({node.id, node.label, std::move(expression), std::move(message), type, field});
      };
      for (const auto& occ : find_expressions(s)) {
        std::string text(s.substr(occ.begin, occ.end - occ.begin));
        std::string_view root = occ.content.substr(0, occ.content.find('.'));
        if (occ.content.empty())
          warn(text, "Empty expression; it resolves to nothing", "EMPTY_EXPRESSION");
        else if (root != "nodes" && root != "vars" && root != "trigger" && root != "execution")
          warn(text,
               "Unknown source \"" + std::string(root) +
                   "\"; expressions start with nodes, vars, trigger or execution",
               "UNKNOWN_SOURCE");
      }
      // "{{" that never closes is kept as literal text; almost always a typo.
      size_t open = s.rfind("{{");
      if (open != std::string_view::npos && s.find("}}", open) == std::string_view::npos)
        warn(std::string(s.substr(open)), "Unclosed \"{{\"; the text is used literally",
             "UNCLOSED_EXPRESSION");
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
