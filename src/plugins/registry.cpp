#include "plugins/registry.hpp"

namespace kianax::plugins {

void Registry::add(std::unique_ptr<engine::Plugin> plugin) {
  if (!plugin) throw std::invalid_argument("Registry::add: null plugin");
  if (find(plugin->metadata().id) != nullptr)
    throw std::invalid_argument("plugin \"" + plugin->metadata().id + "\" is already registered");
  plugins_.push_back(std::move(plugin));
}

// A linear scan: there are a handful of plugins and it keeps registration order for free.
const engine::Plugin* Registry::find(std::string_view plugin_id) const {
  for (const auto& p : plugins_)
    if (p->metadata().id == plugin_id) return p.get();
  return nullptr;
}

std::vector<const engine::Plugin*> Registry::plugins() const {
  std::vector<const engine::Plugin*> out;
  for (const auto& p : plugins_) out.push_back(p.get());
  return out;
}

namespace {

boost::json::array ports_json(const std::vector<engine::PortSpec>& ports) {
  boost::json::array out;
  for (const auto& p : ports) {
    boost::json::object o{{"name", p.name}, {"label", p.label}};
    if (!p.description.empty()) o["description"] = p.description;
    o["schema"] = p.schema;
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace

boost::json::object metadata_to_json(const engine::PluginMetadata& m) {
  boost::json::array tags;
  for (const auto& t : m.tags) tags.emplace_back(t);
  boost::json::array creds;
  for (const auto& c : m.credential_requirements) {
    boost::json::object o{{"id", c.id}};
    if (c.alias) o["alias"] = *c.alias;
    o["required"] = c.required;
    creds.push_back(std::move(o));
  }
  boost::json::object o{{"id", m.id},
                        {"name", m.name},
                        {"description", m.description},
                        {"version", m.version},
                        {"tags", std::move(tags)}};
  if (!m.icon.empty()) o["icon"] = m.icon;
  if (!m.author.empty()) o["author"] = m.author;
  o["inputs"] = ports_json(m.inputs);
  o["outputs"] = ports_json(m.outputs);
  o["configSchema"] = m.config_schema;
  o["credentialRequirements"] = std::move(creds);
  return o;
}

boost::json::array Registry::metadata_json() const {
  boost::json::array out;
  for (const auto& p : plugins_) out.push_back(metadata_to_json(p->metadata()));
  return out;
}

}  // namespace kianax::plugins
