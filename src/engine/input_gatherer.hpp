// Input gathering, spec (c) "Running one node: [engine]" step 2 and step 6.
#pragma once

#include "engine/execution_state.hpp"
#include "engine/routine.hpp"

#include <boost/json.hpp>

#include <span>
#include <vector>

namespace kianax::engine {

// PortData for a node from its incoming edges (declaration order). Sources without a successful result are
// skipped; a handle edge takes that port's items (nothing if the port is absent; an empty port still creates
// the target entry); a handle-less edge takes the items of every source port in port order. Items are copies
// with lineage metadata (sourceNode, sourcePort, sourceItemIndex) overwritten and other metadata kept. Target
// ports are ordered by first appearance.
[[nodiscard]] std::vector<PortData> gather_inputs(std::span<const Edge* const> incoming,
                                                  const ExecutionState& state);

// What the plugin receives: one key per gathered port that has items → its first item's data (first edge
// wins).
[[nodiscard]] boost::json::object plugin_inputs(const std::vector<PortData>& gathered);

// Same result as plugin_inputs(gather_inputs(incoming, state)) without copying every gathered item: the
// executor's hot path (a 100-way fan-in would otherwise copy 100 items to keep one).
[[nodiscard]] boost::json::object gather_plugin_inputs(std::span<const Edge* const> incoming,
                                                       const ExecutionState& state);

// True when the edge would carry data from `source_outputs`: with a handle, that port exists and has items;
// without one, any port has items.
[[nodiscard]] bool edge_active(const Edge& edge, const std::vector<PortData>& source_outputs);

}  // namespace kianax::engine
