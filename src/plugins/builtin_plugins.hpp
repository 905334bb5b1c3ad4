// The registry every binary uses: all built-in plugins.
#pragma once

#include "plugins/registry.hpp"

namespace kianax::plugins {

[[nodiscard]] Registry make_builtin_registry();

}  // namespace kianax::plugins
