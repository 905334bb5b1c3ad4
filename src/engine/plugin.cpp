#include "engine/plugin.hpp"

namespace kianax::engine {

boost::json::object apply_config_defaults(const boost::json::object& schema, boost::json::object config) {
  auto props = schema.find("properties");
  if (props == schema.end() || !props->value().is_object()) return config;
  for (const auto& p : props->value().get_object()) {
    if (!p.value().is_object() || config.contains(p.key())) continue;
    auto def = p.value().get_object().find("default");
    if (def != p.value().get_object().end()) config[p.key()] = def->value();
  }
  return config;
}

}  // namespace kianax::engine
