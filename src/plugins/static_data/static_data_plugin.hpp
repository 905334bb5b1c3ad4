// static-data: returns its config's `data` on port `output` (spec (f)). No 1-second sleep (upstream quirk).
#pragma once

#include "engine/plugin.hpp"

#include <memory>

namespace kianax::plugins {

[[nodiscard]] std::unique_ptr<engine::Plugin> make_static_data_plugin();

}  // namespace kianax::plugins
