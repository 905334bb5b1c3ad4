#pragma once
// Every database call takes a Deadline: the point on the monotonic clock after which the call gives up
// with DbErrorKind::kTimeout (a connection caught mid-query is then discarded, never reused).
#include <chrono>

namespace kianax::db {

using Clock = std::chrono::steady_clock;
using Deadline = Clock::time_point;

[[nodiscard]] inline Deadline deadline_after(std::chrono::milliseconds budget) {
  return Clock::now() + budget;
}

}  // namespace kianax::db
