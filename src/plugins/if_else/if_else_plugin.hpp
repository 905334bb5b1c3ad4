// if-else: OR over condition groups of AND over conditions; returns only the active port, `true` or `false`
// (spec (f)). An unknown operator is false.
#pragma once

#include "engine/plugin.hpp"

#include <memory>

namespace kianax::plugins {

[[nodiscard]] std::unique_ptr<engine::Plugin> make_if_else_plugin();

}  // namespace kianax::plugins
