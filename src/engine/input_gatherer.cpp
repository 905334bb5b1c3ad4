#include "engine/input_gatherer.hpp"

namespace kianax::engine {

namespace {

void append_items(PortData& target, const Edge& edge, const PortData& from) {
  for (size_t i = 0; i < from.items.size(); ++i) {
    ExecutionItem copy = from.items[i];
    copy.metadata["sourceNode"] = edge.source;
    copy.metadata["sourcePort"] = from.port_name;  // equals the handle when the edge has one
    copy.metadata["sourceItemIndex"] = static_cast<std::int64_t>(i);
    target.items.push_back(std::move(copy));
  }
}

PortData& target_port(std::vector<PortData>& ports, const std::string& name) {
  for (auto& p : ports)
    if (p.port_name == name) return p;
  ports.push_back(PortData{name, {}});
  return ports.back();
}

}  // namespace

std::vector<PortData> gather_inputs(std::span<const Edge* const> incoming, const ExecutionState& state) {
  std::vector<PortData> ports;
  for (const Edge* edge : incoming) {
    const NodeResult* source = state.latest_result(edge->source);
    if (source == nullptr || source->status != ResultStatus::success) continue;
    if (edge->handle) {
      for (const auto& p : source->outputs) {
        if (p.port_name == *edge->handle) {
          append_items(target_port(ports, edge->target_port), *edge, p);
          break;
        }
      }
    } else {
      PortData& target = target_port(ports, edge->target_port);
      for (const auto& p : source->outputs) append_items(target, *edge, p);
    }
  }
  return ports;
}

boost::json::object plugin_inputs(const std::vector<PortData>& gathered) {
  boost::json::object inputs;
  for (const auto& p : gathered)
    if (!p.items.empty()) inputs[p.port_name] = p.items.front().data;
  return inputs;
}

bool edge_active(const Edge& edge, const std::vector<PortData>& source_outputs) {
  for (const auto& p : source_outputs) {
    if (edge.handle) {
      if (p.port_name == *edge.handle) return !p.items.empty();
    } else if (!p.items.empty()) {
      return true;
    }
  }
  return false;
}

}  // namespace kianax::engine
