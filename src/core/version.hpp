#pragma once
#include <string_view>

namespace kianax::core {
// Set from the CMake project version; the git revision is appended when the build knows it.
std::string_view version();
}  // namespace kianax::core
