// Everything a run has produced so far, and everything needed to resume it (spec (c) "Execution state").
//
// Resume design (for the worker, issue 6): the executor checkpoints after every node by serialising this
// whole object (to_json). It holds the results and execution path, the plugins' per-node state, one record
// per node for the execution row (status/input/output/error/times), and the BFS frontier: the queue, the wave
// in progress and which of its nodes already finished, and the execution counter. A run restored with
// from_json continues with the unfinished nodes of the current wave, so no completed node runs again.
#pragma once

#include "engine/js_value.hpp"

#include <boost/json.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace kianax::engine {

struct ExecutionItem {
  boost::json::value data;
  boost::json::object metadata;  // sourceNode, sourcePort, sourceItemIndex, iteration, …
  std::optional<boost::json::object> error;
};

struct PortData {
  std::string port_name;
  std::vector<ExecutionItem> items;
};

struct NodeError {
  std::string message;
  std::string stack;  // "" when none
};

enum class ResultStatus { success, error };

struct NodeResult {
  std::vector<PortData> outputs;
  std::int64_t execution_time_ms = 0;
  ResultStatus status = ResultStatus::success;
  std::optional<NodeError> error;
};

struct PathEntry {
  std::string node_id;
  int run_index = 0;
};

// One per node, in the order nodes first started: what the execution record stores (spec (g) nodeStates).
struct NodeRecord {
  std::string node_id;
  std::string status;  // "running" | "completed" | "failed"
  boost::json::object input;
  std::optional<boost::json::object> output;  // port → value (empty ports omitted); set when completed
  std::optional<NodeError> error;             // set when failed
  std::int64_t started_at_ms = 0;
  std::optional<std::int64_t> completed_at_ms;
  int attempts = 0;  // times the node was started in this execution (the idempotency key's attempt)
  [[nodiscard]] std::optional<std::int64_t> duration_ms() const;
};

// The BFS traversal's position, saved so a run can resume exactly where it stopped.
struct Frontier {
  std::vector<std::string> queue;      // queued node ids, queue order
  std::vector<std::string> wave;       // ready nodes of the wave in progress ([] between waves)
  std::vector<std::string> wave_done;  // nodes of `wave` already finished (results stored)
  std::int64_t executions = 0;         // node executions counted (advances after a whole wave)
  bool started = false;                // entry nodes have been queued
  std::int64_t started_at_ms = 0;      // epoch ms when the run began (timeout and {{ execution.startedAt }})
};

struct ExecutionStats {
  int unique_nodes = 0;
  int total_executions = 0;
  int failed_nodes = 0;
  int successful_nodes = 0;
};

class ExecutionState {
 public:
  void add_node_result(const std::string& node_id, NodeResult result);
  [[nodiscard]] const NodeResult* latest_result(std::string_view node_id) const;
  [[nodiscard]] const std::vector<PortData>* latest_outputs(std::string_view node_id) const;
  [[nodiscard]] const std::vector<NodeResult>* all_results(std::string_view node_id) const;
  [[nodiscard]] int run_index(std::string_view node_id) const;  // number of results stored for the node
  [[nodiscard]] bool has_executed(std::string_view node_id) const { return run_index(node_id) > 0; }
  [[nodiscard]] const std::vector<PathEntry>& execution_path() const { return path_; }

  // The plugin-visible per-node state object, created as {} on first access; stable address.
  boost::json::object& node_state(const std::string& node_id);
  void set_node_state(const std::string& node_id, boost::json::object state);

  [[nodiscard]] bool has_errors() const;
  // One {nodeId, error} per error result, grouped by node in first-seen order.
  [[nodiscard]] std::vector<std::pair<std::string, NodeError>> errors() const;
  [[nodiscard]] ExecutionStats stats() const;

  NodeRecord& record(const std::string& node_id);  // created on first use, in first-use order
  [[nodiscard]] const std::vector<NodeRecord>& records() const { return records_; }

  Frontier& frontier() { return frontier_; }
  [[nodiscard]] const Frontier& frontier() const { return frontier_; }

  void clear();

  [[nodiscard]] boost::json::object to_json() const;
  // Throws std::invalid_argument naming the field when the JSON is not a saved state.
  [[nodiscard]] static ExecutionState from_json(const boost::json::value& json);

 private:
  struct NodeEntry {
    std::vector<NodeResult> results;
    std::optional<size_t> record;  // index into records_
  };
  NodeEntry& entry(const std::string& node_id);

  std::unordered_map<std::string, NodeEntry> nodes_;
  std::vector<std::string> first_seen_;  // node ids in the order their first result arrived
  std::vector<PathEntry> path_;
  std::unordered_map<std::string, std::unique_ptr<boost::json::object>> node_state_;
  std::vector<std::string> node_state_order_;  // creation order, so to_json() is deterministic
  std::vector<NodeRecord> records_;
  Frontier frontier_;
};

// JSON forms shared by the state file, the CLI and the conformance runner.
[[nodiscard]] boost::json::object to_json(const ExecutionItem& item);
[[nodiscard]] boost::json::object to_json(const PortData& port);
[[nodiscard]] boost::json::object to_json(const NodeResult& result);
[[nodiscard]] boost::json::object to_json(const NodeRecord& record);
[[nodiscard]] ExecutionItem item_from_json(const boost::json::value& v);
[[nodiscard]] PortData port_from_json(const boost::json::value& v);
[[nodiscard]] NodeResult result_from_json(const boost::json::value& v);

// Port map of a node's outputs for records and `{{ nodes.N }}`: port → first item's data, ports with no items
// left out, port order kept.
[[nodiscard]] boost::json::object first_items_by_port(const std::vector<PortData>& outputs);

}  // namespace kianax::engine
