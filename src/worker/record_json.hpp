#pragma once
// What the execution record stores, derived from the engine state (api-spec §2 storeNodeResult result):
// one node_states entry per node — {nodeId, status, startedAt, completedAt?, duration?, output?, error?} —
// and execution_path as node ids in completion order, repeats kept. Derived from the same state that is
// checkpointed, in the same statement, so a resumed run can never record a node twice.
#include <boost/json/array.hpp>

#include "engine/execution_state.hpp"

namespace kianax::worker {

[[nodiscard]] boost::json::array node_states_json(const engine::ExecutionState& state);
[[nodiscard]] boost::json::array execution_path_json(const engine::ExecutionState& state);

}  // namespace kianax::worker
