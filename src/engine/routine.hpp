// The routine graph the engine runs, and the loader that builds it from stored JSON.
//
// One loader accepts every shape the spec names: stored routines (node `config`, edge `sourceHandle` /
// `targetHandle`), the worker's RoutineInput (same, without labels) and the engine's own test form (node
// `parameters`, edge `sourcePort` / `targetPort` / `type`). Handles are normalised once here:
//   routing handle = sourceHandle, else sourcePort (empty string = no handle)
//   target port    = targetHandle, else targetPort, else "input"
#pragma once

#include "engine/js_value.hpp"

#include <boost/json.hpp>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

namespace kianax::engine {

// The routine JSON is structurally unusable (not an object, a node without an id, duplicate node ids, …).
// The message names the offending field, e.g. `nodes[2].id: duplicate node id "fetch"`.
class RoutineLoadError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Node {
  std::string id;
  std::string plugin_id;
  std::string label;               // the user's label, else the plugin id (as the worker adapter does)
  boost::json::object parameters;  // node config; may hold {{ … }} anywhere in values
  boost::json::object credential_mappings;  // requirement id or alias → user credential id
};

struct Edge {
  std::string id;
  std::string source;
  std::string target;
  std::optional<std::string> handle;  // routing handle (source port); empty = follow any non-empty port
  std::string target_port;            // never empty
};

struct Variable {
  std::string name;
  boost::json::value value;
};

struct Routine {
  std::optional<std::string> id;
  std::string name;
  std::optional<std::string> user_id;
  std::vector<Node> nodes;  // declaration order
  std::vector<Edge> edges;  // declaration order
  std::vector<Variable> variables;
  MaybeValue trigger_data;  // empty = none (JS undefined)

  // name → value; when two variables share a name the later one wins (spec (a)).
  [[nodiscard]] boost::json::object variables_map() const;
};

// Builds a Routine from any of the accepted JSON shapes. Throws RoutineLoadError.
[[nodiscard]] Routine load_routine(const boost::json::value& json);
// Parses text first; a parse failure is a RoutineLoadError naming the position.
[[nodiscard]] Routine load_routine_text(std::string_view text);

// Indexes over a routine: node id → index, incoming and outgoing edges per node (declaration order).
// Edges whose endpoints are missing are kept in Routine::edges but appear in no index.
class ExecutionGraph {
 public:
  static constexpr std::uint32_t kNoNode = UINT32_MAX;

  explicit ExecutionGraph(const Routine& routine);

  [[nodiscard]] const Routine& routine() const { return *routine_; }
  [[nodiscard]] size_t node_count() const { return routine_->nodes.size(); }
  [[nodiscard]] const Node& node(std::uint32_t i) const { return routine_->nodes[i]; }
  [[nodiscard]] const Edge& edge(std::uint32_t e) const { return routine_->edges[e]; }
  [[nodiscard]] std::uint32_t index_of(std::string_view node_id) const;
  [[nodiscard]] const std::vector<std::uint32_t>& incoming(std::uint32_t node) const {
    return incoming_[node];
  }
  [[nodiscard]] const std::vector<std::uint32_t>& outgoing(std::uint32_t node) const {
    return outgoing_[node];
  }
  [[nodiscard]] std::uint32_t edge_source(std::uint32_t e) const { return edge_source_[e]; }
  [[nodiscard]] std::uint32_t edge_target(std::uint32_t e) const { return edge_target_[e]; }
  // Nodes with no incoming edge (an edge from a missing node still counts as incoming), declaration order.
  [[nodiscard]] std::vector<std::uint32_t> entry_nodes() const;

 private:
  const Routine* routine_;
  std::unordered_map<std::string_view, std::uint32_t> index_;
  std::vector<std::vector<std::uint32_t>> incoming_;
  std::vector<std::vector<std::uint32_t>> outgoing_;
  std::vector<std::uint32_t> edge_source_;
  std::vector<std::uint32_t> edge_target_;
  std::vector<bool> has_any_incoming_;
};

}  // namespace kianax::engine
