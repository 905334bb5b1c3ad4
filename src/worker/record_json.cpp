#include "worker/record_json.hpp"

namespace kianax::worker {

boost::json::array node_states_json(const engine::ExecutionState& state) {
  boost::json::array out;
  for (const engine::NodeRecord& r : state.records()) {
    boost::json::object o{{"nodeId", r.node_id}, {"status", r.status}, {"startedAt", r.started_at_ms}};
    if (r.completed_at_ms) {
      o["completedAt"] = *r.completed_at_ms;
      o["duration"] = *r.duration_ms();
    }
    if (r.output) o["output"] = *r.output;
    if (r.error) {
      boost::json::object e{{"message", r.error->message}};
      if (!r.error->stack.empty()) e["stack"] = r.error->stack;
      o["error"] = std::move(e);
    }
    out.push_back(std::move(o));
  }
  return out;
}

boost::json::array execution_path_json(const engine::ExecutionState& state) {
  boost::json::array out;
  for (const engine::PathEntry& p : state.execution_path()) out.push_back(boost::json::value(p.node_id));
  return out;
}

}  // namespace kianax::worker
