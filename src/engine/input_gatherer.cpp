#include "engine/input_gatherer.hpp"

namespace kianax::engine {

namespace {

void append_items(PortData& target, const Edge& edge, const PortData& from) {
  for (size_t i = 0; i < from.items.size(); ++i) {
    ExecutionItem copy = from.items[i];
    copy.metadata.reserve(copy.metadata.size() + 3);
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

boost::json::object gather_plugin_inputs(std::span<const Edge* const> incoming, const ExecutionState& state) {
  // Target ports in order of first appearance, each with the first item's data once one arrives.
  struct Slot {
    const std::string* port;
    const boost::json::value* first = nullptr;
  };
  std::vector<Slot> slots;
  auto slot = [&](const std::string& name) -> Slot& {
    for (auto& s : slots)
      if (*s.port == name) return s;
    slots.push_back({&name});
    return slots.back();
  };
  for (const Edge* edge : incoming) {
    const NodeResult* source = state.latest_result(edge->source);
    if (source == nullptr || source->status != ResultStatus::success) continue;
    if (edge->handle) {
      for (const auto& p : source->outputs) {
        if (p.port_name == *edge->handle) {
          Slot& s = slot(edge->target_port);
          if (!s.first && !p.items.empty()) s.first = &p.items.front().data;
          break;
        }
      }
    } else {
      Slot& s = slot(edge->target_port);
      for (const auto& p : source->outputs)
        if (!s.first && !p.items.empty()) s.first = &p.items.front().data;
    }
  }
  boost::json::object inputs;
  inputs.reserve(slots.size());
  for (const auto& s : slots)
    if (s.first) inputs.emplace(*s.port, *s.first);
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
