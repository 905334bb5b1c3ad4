#include "plugins/builtin_plugins.hpp"

#include "plugins/google_sheets/google_sheets_plugin.hpp"
#include "plugins/http_request/http_request_plugin.hpp"
#include "plugins/if_else/if_else_plugin.hpp"
#include "plugins/openai_message/openai_message_plugin.hpp"
#include "plugins/static_data/static_data_plugin.hpp"

namespace kianax::plugins {

// To add a plugin: include its header above and add one `registry.add(make_<name>_plugin());` line below.
Registry make_builtin_registry() {
  Registry registry;
  registry.add(make_static_data_plugin());
  registry.add(make_if_else_plugin());
  registry.add(make_http_request_plugin());
  registry.add(make_openai_message_plugin());
  registry.add(make_google_sheets_plugin());
  return registry;
}

}  // namespace kianax::plugins
