// BFS traversal in waves, spec (c) "Traversal". The traversal decides *which* nodes run and in which waves; a
// WaveRunner runs them and stores their results in the ExecutionState. All position data lives in
// ExecutionState::frontier(), so a traversal restored from a saved state resumes mid-wave: nodes already in
// frontier().wave_done are not run again.
#pragma once

#include "engine/execution_state.hpp"
#include "engine/routine.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <stop_token>
#include <vector>

namespace kianax::engine {

// Why a traversal stopped early. `what()` is the spec's message.
class TraversalError : public std::runtime_error {
 public:
  enum class Kind { no_entry_nodes, deadlock, timeout, execution_cap, cancelled, node_failed };
  TraversalError(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  [[nodiscard]] Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

struct TraversalLimits {
  std::optional<std::int64_t> max_execution_time_ms;  // checked between waves
  std::optional<std::int64_t> max_executions;         // checked between waves; a wave may overshoot
  std::stop_token stop;                               // checked between waves
};

// Runs `pending` (the wave's nodes not yet done, in queue order). For each node that finishes it must store
// the result in the state and append the node to state.frontier().wave_done; it throws (any exception) to
// fail the traversal. Results may be missing for a node (it then simply routes nothing).
using WaveRunner = std::function<void(const std::vector<std::uint32_t>& pending)>;

// Epoch-ms clock, injectable for tests.
using NowMs = std::function<std::int64_t()>;
[[nodiscard]] std::int64_t system_now_ms();

// Runs the traversal to the end. Throws TraversalError (or whatever the WaveRunner throws).
// REQUIRES: state.frontier().started_at_ms is set when limits.max_execution_time_ms is.
void run_bfs(const ExecutionGraph& graph, ExecutionState& state, const WaveRunner& run_wave,
             const TraversalLimits& limits, const NowMs& now = system_now_ms);

// Edge readiness: its source has a successful latest result and the edge is active.
[[nodiscard]] bool edge_satisfied(const ExecutionGraph& graph, std::uint32_t edge,
                                  const ExecutionState& state);

}  // namespace kianax::engine
