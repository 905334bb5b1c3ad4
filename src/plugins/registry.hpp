// Plugin registry: plugin id → plugin instance, plus the metadata export the API and dashboard list.
#pragma once

#include "engine/plugin.hpp"

#include <boost/json.hpp>

#include <memory>
#include <stdexcept>
#include <string_view>
#include <vector>

namespace kianax::plugins {

class Registry : public engine::PluginProvider {
 public:
  // Throws std::invalid_argument when a plugin with the same id is already registered.
  void add(std::unique_ptr<engine::Plugin> plugin);
  [[nodiscard]] const engine::Plugin* find(std::string_view plugin_id) const override;
  // Registration order.
  [[nodiscard]] std::vector<const engine::Plugin*> plugins() const;
  // [{id, name, description, version, tags, icon?, author?, inputs, outputs, configSchema,
  //   credentialRequirements}] in registration order.
  [[nodiscard]] boost::json::array metadata_json() const;

 private:
  std::vector<std::unique_ptr<engine::Plugin>> plugins_;
};

[[nodiscard]] boost::json::object metadata_to_json(const engine::PluginMetadata& m);

}  // namespace kianax::plugins
