#include "engine/graph_validator.hpp"

#include <deque>
#include <string_view>
#include <unordered_map>

namespace kianax::engine {

namespace {

std::string node_ref(const Node& n) { return "Node \"" + n.label + "\" (" + n.id + ")"; }

// Depth-first search from each unvisited node in declaration order, following edges in declaration order
// (edges pointing at missing ids included: such ids get vertex numbers after the nodes). Each back-edge to a
// vertex on the current path reports one cycle: the path from that vertex to the current one, closed by
// repeating the first. Iterative over a compact adjacency array, so a 50 000-node chain neither overflows the
// stack nor costs more than a few allocations.
void find_cycles(const Routine& r, const ExecutionGraph& graph, std::vector<GraphIssue>& errors) {
  const auto n = static_cast<std::uint32_t>(graph.node_count());
  std::vector<std::string_view> names;  // vertex → id, for nodes and missing ids
  names.reserve(n);
  for (const auto& node : r.nodes) names.push_back(node.id);
  std::unordered_map<std::string_view, std::uint32_t> missing;
  auto vertex = [&](std::uint32_t index, std::string_view id) {
    if (index != ExecutionGraph::kNoNode) return index;
    auto [it, added] = missing.emplace(id, static_cast<std::uint32_t>(names.size()));
    if (added) names.push_back(id);
    return it->second;
  };
  std::vector<std::pair<std::uint32_t, std::uint32_t>> arcs;  // (from, to) in edge declaration order
  arcs.reserve(r.edges.size());
  for (std::uint32_t e = 0; e < r.edges.size(); ++e)
    arcs.emplace_back(vertex(graph.edge_source(e), r.edges[e].source),
                      vertex(graph.edge_target(e), r.edges[e].target));
  const auto vertices = names.size();
  std::vector<std::uint32_t> offset(vertices + 1, 0), targets(arcs.size());
  for (const auto& a : arcs) ++offset[a.first + 1];
  for (size_t v = 0; v < vertices; ++v) offset[v + 1] += offset[v];
  std::vector<std::uint32_t> fill(offset.begin(), offset.end() - 1);
  for (const auto& a : arcs) targets[fill[a.first]++] = a.second;  // stable: keeps declaration order

  std::vector<char> visited(vertices, 0), on_path(vertices, 0);
  std::vector<std::uint32_t> path;
  struct Frame {
    std::uint32_t v;
    std::uint32_t next;  // index into targets
  };
  std::vector<Frame> stack;
  for (std::uint32_t start = 0; start < n; ++start) {
    if (visited[start]) continue;
    visited[start] = on_path[start] = 1;
    path.push_back(start);
    stack.push_back({start, offset[start]});
    while (!stack.empty()) {
      Frame& f = stack.back();
      if (f.next == offset[f.v + 1]) {
        on_path[f.v] = 0;
        path.pop_back();
        stack.pop_back();
        continue;
      }
      std::uint32_t t = targets[f.next++];
      if (!visited[t]) {
        visited[t] = on_path[t] = 1;
        path.push_back(t);
        stack.push_back({t, offset[t]});
      } else if (on_path[t]) {
        std::string msg = "Cycle detected in graph: ";
        size_t from = 0;
        while (path[from] != t) ++from;
        for (size_t i = from; i < path.size(); ++i) {
          msg += names[path[i]];
          msg += " \u2192 ";
        }
        msg += names[t];
        errors.push_back({"cycle_detected", msg, std::nullopt, std::nullopt});
      }
    }
  }
}

}  // namespace

GraphValidation validate_graph(const Routine& r) { return validate_graph(ExecutionGraph(r)); }

GraphValidation validate_graph(const ExecutionGraph& graph) {
  const Routine& r = graph.routine();
  GraphValidation out;
  const auto entries = graph.entry_nodes();

  if (entries.empty())
    out.errors.push_back({"no_entry_nodes", "Routine has no entry nodes (nodes with no incoming connections)",
                          std::nullopt, std::nullopt});

  std::vector<char> connected(graph.node_count(), 0);
  for (std::uint32_t e = 0; e < r.edges.size(); ++e) {
    if (graph.edge_source(e) != ExecutionGraph::kNoNode) connected[graph.edge_source(e)] = 1;
    if (graph.edge_target(e) != ExecutionGraph::kNoNode) connected[graph.edge_target(e)] = 1;
  }
  for (std::uint32_t i = 0; i < graph.node_count(); ++i)
    if (!connected[i])
      out.errors.push_back({"orphaned_node", node_ref(r.nodes[i]) + " is not connected to any other node",
                            r.nodes[i].id, std::nullopt});

  for (std::uint32_t e = 0; e < r.edges.size(); ++e) {
    const auto& edge = r.edges[e];
    if (graph.edge_source(e) == ExecutionGraph::kNoNode)
      out.errors.push_back({"missing_node", "Connection references non-existent source node: " + edge.source,
                            std::nullopt, edge.id});
    if (graph.edge_target(e) == ExecutionGraph::kNoNode)
      out.errors.push_back({"missing_node", "Connection references non-existent target node: " + edge.target,
                            std::nullopt, edge.id});
  }

  find_cycles(r, graph, out.errors);

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
