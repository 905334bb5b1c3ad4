#include "engine/graph_validator.hpp"

#include <deque>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace kianax::engine {

namespace {

std::string node_ref(const Node& n) { return "Node \"" + n.label + "\" (" + n.id + ")"; }

// Depth-first search from each unvisited node in declaration order, following edges in declaration order
// (edges pointing at missing ids included). Each back-edge to a node on the current path reports one cycle:
// the path from that node to the current node, closed by repeating the first node. Iterative, so a
// 10 000-node chain cannot overflow the stack.
void find_cycles(const Routine& r, std::vector<GraphIssue>& errors) {
  std::unordered_map<std::string_view, std::vector<std::string_view>> adjacency;
  for (const auto& e : r.edges) adjacency[e.source].push_back(e.target);
  static const std::vector<std::string_view> kNone;
  auto next_of = [&](std::string_view id) -> const std::vector<std::string_view>& {
    auto it = adjacency.find(id);
    return it == adjacency.end() ? kNone : it->second;
  };

  std::unordered_set<std::string_view> visited;
  std::unordered_set<std::string_view> on_path;
  std::vector<std::string_view> path;
  struct Frame {
    std::string_view id;
    size_t next_edge;
  };
  for (const auto& start : r.nodes) {
    if (visited.count(start.id)) continue;
    std::vector<Frame> stack{{start.id, 0}};
    visited.insert(start.id);
    on_path.insert(start.id);
    path.push_back(start.id);
    while (!stack.empty()) {
      Frame& f = stack.back();
      const auto& next = next_of(f.id);
      if (f.next_edge == next.size()) {
        on_path.erase(f.id);
        path.pop_back();
        stack.pop_back();
        continue;
      }
      std::string_view target = next[f.next_edge++];
      if (!visited.count(target)) {
        visited.insert(target);
        on_path.insert(target);
        path.push_back(target);
        stack.push_back({target, 0});
      } else if (on_path.count(target)) {
        std::string msg = "Cycle detected in graph: ";
        size_t from = 0;
        while (path[from] != target) ++from;
        for (size_t i = from; i < path.size(); ++i) {
          msg += path[i];
          msg += " \u2192 ";
        }
        msg += target;
        errors.push_back({"cycle_detected", msg, std::nullopt, std::nullopt});
      }
    }
  }
}

}  // namespace

GraphValidation validate_graph(const Routine& r) {
  GraphValidation out;
  ExecutionGraph graph(r);
  const auto entries = graph.entry_nodes();

  if (entries.empty())
    out.errors.push_back({"no_entry_nodes", "Routine has no entry nodes (nodes with no incoming connections)",
                          std::nullopt, std::nullopt});

  std::unordered_set<std::string_view> connected;
  for (const auto& e : r.edges) {
    connected.insert(e.source);
    connected.insert(e.target);
  }
  for (const auto& n : r.nodes)
    if (!connected.count(n.id))
      out.errors.push_back(
          {"orphaned_node", node_ref(n) + " is not connected to any other node", n.id, std::nullopt});

  for (std::uint32_t e = 0; e < r.edges.size(); ++e) {
    const auto& edge = r.edges[e];
    if (graph.edge_source(e) == ExecutionGraph::kNoNode)
      out.errors.push_back({"missing_node", "Connection references non-existent source node: " + edge.source,
                            std::nullopt, edge.id});
    if (graph.edge_target(e) == ExecutionGraph::kNoNode)
      out.errors.push_back({"missing_node", "Connection references non-existent target node: " + edge.target,
                            std::nullopt, edge.id});
  }

  find_cycles(r, out.errors);

  if (!entries.empty()) {
    std::vector<bool> reached(graph.node_count(), false);
    std::deque<std::uint32_t> queue(entries.begin(), entries.end());
    for (auto i : entries) reached[i] = true;
    while (!queue.empty()) {
      auto n = queue.front();
      queue.pop_front();
      for (auto e : graph.outgoing(n)) {
        auto t = graph.edge_target(e);
        if (!reached[t]) {
          reached[t] = true;
          queue.push_back(t);
        }
      }
    }
    for (std::uint32_t i = 0; i < graph.node_count(); ++i)
      if (!reached[i])
        out.warnings.push_back({"unreachable_node", node_ref(r.nodes[i]) + " is unreachable from entry nodes",
                                r.nodes[i].id, std::nullopt});
  }

  if (entries.size() > 1)
    out.warnings.push_back(
        {"multiple_entry_points",
         "Routine has " + std::to_string(entries.size()) +
             " entry points. This might be intentional but could indicate parallel execution "
             "paths.",
         std::nullopt, std::nullopt});
  return out;
}

std::string format_graph_errors(const std::vector<GraphIssue>& errors) {
  std::string msg = "Invalid routine graph:";
  for (const auto& e : errors) msg += "\n- " + e.message;
  return msg;
}

boost::json::object to_json(const GraphIssue& issue) {
  boost::json::object o;
  o["type"] = issue.type;
  o["message"] = issue.message;
  if (issue.node_id) o["nodeId"] = *issue.node_id;
  if (issue.edge_id) o["edgeId"] = *issue.edge_id;
  return o;
}

}  // namespace kianax::engine
