#include "core/version.hpp"

namespace kianax::core {
std::string_view version() { return KIANAX_VERSION_STRING; }
}  // namespace kianax::core
