// Graph validation, spec (b): run before anything executes. Checks, messages and their order are exact.
#pragma once

#include "engine/routine.hpp"

#include <boost/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace kianax::engine {

struct GraphIssue {
  std::string type;  // no_entry_nodes, orphaned_node, missing_node, cycle_detected, unreachable_node, …
  std::string message;
  std::optional<std::string> node_id;
  std::optional<std::string> edge_id;
};

struct GraphValidation {
  std::vector<GraphIssue> errors;
  std::vector<GraphIssue> warnings;
  [[nodiscard]] bool valid() const { return errors.empty(); }
};

[[nodiscard]] GraphValidation validate_graph(const Routine& routine);
// The same on an already built graph (the executor validates the graph it is about to run).
[[nodiscard]] GraphValidation validate_graph(const ExecutionGraph& graph);

// "Invalid routine graph:" followed by "\n- <message>" per error.
[[nodiscard]] std::string format_graph_errors(const std::vector<GraphIssue>& errors);

[[nodiscard]] boost::json::object to_json(const GraphIssue& issue);

}  // namespace kianax::engine
