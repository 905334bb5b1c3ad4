#include "plugins/static_data/static_data_plugin.hpp"

#include "engine/js_value.hpp"

namespace kianax::plugins {

namespace {

engine::PluginMetadata static_data_metadata() {
  engine::PluginMetadata m;
  m.id = "static-data";
  m.name = "Static Data";
  m.description = "Outputs the configured data unchanged; use it to start a routine or inject constants.";
  m.version = "1.0.0";
  m.tags = {"data", "input"};
  m.icon = "database";
  m.inputs = {{"input", "Input", "Only orders execution; the data is not read", boost::json::object{}}};
  m.outputs = {{"output", "Output", "The configured data", boost::json::object{}}};
  m.config_schema = boost::json::parse(R"({
    "type": "object",
    "properties": {
      "data": {"description": "Any JSON value; may contain {{ … }} expressions"}
    }
  })")
                        .as_object();
  return m;
}

class StaticDataPlugin final : public engine::Plugin {
 public:
  const engine::PluginMetadata& metadata() const override { return metadata_; }

  // A missing `data` returns undefined, so the port is empty and downstream nodes are skipped (spec).
  engine::PluginOutputs execute(const boost::json::object& /*inputs*/, const boost::json::object& config,
                                engine::PluginContext& /*context*/) const override {
    const auto* data = engine::find_member(config, "data");
    return {{"output", data ? engine::MaybeValue(*data) : std::nullopt}};
  }

 private:
  engine::PluginMetadata metadata_ = static_data_metadata();
};

}  // namespace

std::unique_ptr<engine::Plugin> make_static_data_plugin() { return std::make_unique<StaticDataPlugin>(); }

}  // namespace kianax::plugins
