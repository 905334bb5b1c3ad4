#include "engine/bfs_traversal.hpp"

#include "engine/input_gatherer.hpp"

#include <algorithm>
#include <chrono>

namespace kianax::engine {

std::int64_t system_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool edge_satisfied(const ExecutionGraph& graph, std::uint32_t e, const ExecutionState& state) {
  if (graph.edge_source(e) == ExecutionGraph::kNoNode) return false;
  const NodeResult* r = state.latest_result(graph.edge(e).source);
  return r != nullptr && r->status == ResultStatus::success && edge_active(graph.edge(e), r->outputs);
}

namespace {

std::vector<std::uint32_t> to_indexes(const ExecutionGraph& graph, const std::vector<std::string>& ids) {
  std::vector<std::uint32_t> out;
  out.reserve(ids.size());
  for (const auto& id : ids) {
    auto i = graph.index_of(id);
    if (i == ExecutionGraph::kNoNode)
      throw std::invalid_argument("saved execution state names unknown node \"" + id + "\"");
    out.push_back(i);
  }
  return out;
}

// Steps 5 and 6: count the wave, drop it from the queue, queue the targets of active edges.
void finish_wave(const ExecutionGraph& graph, ExecutionState& state, const std::vector<std::uint32_t>& wave) {
  Frontier& f = state.frontier();
  f.executions += static_cast<std::int64_t>(wave.size());
  std::vector<bool> in_wave(graph.node_count(), false);
  for (auto n : wave) in_wave[n] = true;
  std::vector<std::string> queue;
  std::vector<bool> queued(graph.node_count(), false);
  for (const auto& id : f.queue) {
    auto i = graph.index_of(id);
    if (!in_wave[i]) {
      queue.push_back(id);
      queued[i] = true;
    }
  }
  for (auto n : wave) {
    const NodeResult* r = state.latest_result(graph.node(n).id);
    if (r == nullptr || r->status != ResultStatus::success) continue;
    for (auto e : graph.outgoing(n)) {
      auto t = graph.edge_target(e);
      if (!queued[t] && edge_active(graph.edge(e), r->outputs)) {
        queued[t] = true;
        queue.push_back(graph.node(t).id);
      }
    }
  }
  f.queue = std::move(queue);
  f.wave.clear();
  f.wave_done.clear();
}

void run_pending(ExecutionState& state, const ExecutionGraph& graph, const WaveRunner& run_wave) {
  const Frontier& f = state.frontier();
  std::vector<std::uint32_t> pending;
  for (const auto& id : f.wave)
    if (std::find(f.wave_done.begin(), f.wave_done.end(), id) == f.wave_done.end())
      pending.push_back(graph.index_of(id));
  if (!pending.empty()) run_wave(pending);
}

}  // namespace

void run_bfs(const ExecutionGraph& graph, ExecutionState& state, const WaveRunner& run_wave,
             const TraversalLimits& limits, const NowMs& now) {
  Frontier& f = state.frontier();
  if (!f.started) {
    auto entries = graph.entry_nodes();
    if (entries.empty())
      throw TraversalError(TraversalError::Kind::no_entry_nodes,
                           "No entry nodes found - routine has no starting point");
    f.queue.clear();
    for (auto n : entries) f.queue.push_back(graph.node(n).id);
    f.started = true;
  }
  // A restored frontier must only name nodes of this routine (index lookups below rely on it).
  (void)to_indexes(graph, f.queue);
  (void)to_indexes(graph, f.wave_done);
  if (!f.wave.empty()) {  // resuming inside a wave
    auto wave = to_indexes(graph, f.wave);
    run_pending(state, graph, run_wave);
    finish_wave(graph, state, wave);
  }
  while (!state.frontier().queue.empty()) {
    if (limits.stop.stop_requested())
      throw TraversalError(TraversalError::Kind::cancelled, "Execution cancelled");
    if (limits.max_execution_time_ms && now() - f.started_at_ms > *limits.max_execution_time_ms)
      throw TraversalError(TraversalError::Kind::timeout,
                           "Execution timeout after " + std::to_string(*limits.max_execution_time_ms) + "ms");
    if (limits.max_executions && f.executions >= *limits.max_executions)
      throw TraversalError(TraversalError::Kind::execution_cap,
                           "Execution stopped after " + std::to_string(f.executions) + " executions");

    auto queue = to_indexes(graph, f.queue);
    std::vector<std::uint32_t> ready;
    for (auto n : queue) {
      bool all = true;
      for (auto e : graph.incoming(n))
        if (!edge_satisfied(graph, e, state)) {
          all = false;
          break;
        }
      if (all) ready.push_back(n);
    }
    if (ready.empty())
      throw TraversalError(
          TraversalError::Kind::deadlock,
          "Execution deadlock: " + std::to_string(queue.size()) + " nodes waiting but none are ready");
    f.wave.clear();
    for (auto n : ready) f.wave.push_back(graph.node(n).id);
    f.wave_done.clear();
    run_wave(ready);
    finish_wave(graph, state, ready);
  }
}

}  // namespace kianax::engine
