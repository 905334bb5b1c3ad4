#pragma once
// The schema's enums (seed §3.2) as C++ enums. Text on the wire is exactly the PostgreSQL label.
// Note RoutineTrigger (manual|cron|webhook|event) and ExecutionTrigger (manual|scheduled|webhook|event)
// are different enums, as in the seed.
#include <optional>
#include <string_view>

namespace kianax::store {

enum class RoutineStatus { kDraft, kActive, kPaused, kArchived };
enum class RoutineTrigger { kManual, kCron, kWebhook, kEvent };
enum class ExecutionStatus { kPending, kRunning, kCompleted, kFailed, kCancelled, kTimeout };
enum class ExecutionTrigger { kManual, kScheduled, kWebhook, kEvent };
enum class Theme { kLight, kDark, kSystem };
// A node's state inside routine_executions.node_states (what storeNodeResult writes).
enum class NodeStatus { kRunning, kCompleted, kFailed };

[[nodiscard]] std::string_view to_string(RoutineStatus v);
[[nodiscard]] std::string_view to_string(RoutineTrigger v);
[[nodiscard]] std::string_view to_string(ExecutionStatus v);
[[nodiscard]] std::string_view to_string(ExecutionTrigger v);
[[nodiscard]] std::string_view to_string(Theme v);
[[nodiscard]] std::string_view to_string(NodeStatus v);

// nullopt for an unknown label.
[[nodiscard]] std::optional<RoutineStatus> parse_routine_status(std::string_view s);
[[nodiscard]] std::optional<RoutineTrigger> parse_routine_trigger(std::string_view s);
[[nodiscard]] std::optional<ExecutionStatus> parse_execution_status(std::string_view s);
[[nodiscard]] std::optional<ExecutionTrigger> parse_execution_trigger(std::string_view s);
[[nodiscard]] std::optional<Theme> parse_theme(std::string_view s);
[[nodiscard]] std::optional<NodeStatus> parse_node_status(std::string_view s);

}  // namespace kianax::store
