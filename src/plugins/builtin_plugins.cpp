#include "plugins/builtin_plugins.hpp"

#include "plugins/if_else/if_else_plugin.hpp"
#include "plugins/static_data/static_data_plugin.hpp"

namespace kianax::plugins {

// To add a plugin: include its header above and add one `registry.add(make_<name>_plugin());` line below.
Registry make_builtin_registry() {
  Registry registry;
  registry.add(make_static_data_plugin());
  registry.add(make_if_else_plugin());
  return registry;
}

}  // namespace kianax::plugins
