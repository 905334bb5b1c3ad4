#include "store/enums.hpp"

#include <array>

namespace kianax::store {
namespace {

constexpr std::array<std::string_view, 4> kRoutineStatus{"draft", "active", "paused", "archived"};
constexpr std::array<std::string_view, 4> kRoutineTrigger{"manual", "cron", "webhook", "event"};
constexpr std::array<std::string_view, 6> kExecutionStatus{"pending", "running",   "completed",
                                                           "failed",  "cancelled", "timeout"};
constexpr std::array<std::string_view, 4> kExecutionTrigger{"manual", "scheduled", "webhook", "event"};
constexpr std::array<std::string_view, 3> kTheme{"light", "dark", "system"};
constexpr std::array<std::string_view, 3> kNodeStatus{"running", "completed", "failed"};

template <class E, size_t N>
std::optional<E> parse(const std::array<std::string_view, N>& labels, std::string_view s) {
  for (size_t i = 0; i < N; ++i) {
    if (labels[i] == s) return static_cast<E>(i);
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(RoutineStatus v) { return kRoutineStatus.at(static_cast<size_t>(v)); }
std::string_view to_string(RoutineTrigger v) { return kRoutineTrigger.at(static_cast<size_t>(v)); }
std::string_view to_string(ExecutionStatus v) { return kExecutionStatus.at(static_cast<size_t>(v)); }
std::string_view to_string(ExecutionTrigger v) { return kExecutionTrigger.at(static_cast<size_t>(v)); }
std::string_view to_string(Theme v) { return kTheme.at(static_cast<size_t>(v)); }
std::string_view to_string(NodeStatus v) { return kNodeStatus.at(static_cast<size_t>(v)); }

std::optional<RoutineStatus> parse_routine_status(std::string_view s) {
  return parse<RoutineStatus>(kRoutineStatus, s);
}
std::optional<RoutineTrigger> parse_routine_trigger(std::string_view s) {
  return parse<RoutineTrigger>(kRoutineTrigger, s);
}
std::optional<ExecutionStatus> parse_execution_status(std::string_view s) {
  return parse<ExecutionStatus>(kExecutionStatus, s);
}
std::optional<ExecutionTrigger> parse_execution_trigger(std::string_view s) {
  return parse<ExecutionTrigger>(kExecutionTrigger, s);
}
std::optional<Theme> parse_theme(std::string_view s) { return parse<Theme>(kTheme, s); }
std::optional<NodeStatus> parse_node_status(std::string_view s) { return parse<NodeStatus>(kNodeStatus, s); }

}  // namespace kianax::store
