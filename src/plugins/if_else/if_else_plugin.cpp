#include "plugins/if_else/if_else_plugin.hpp"

#include "engine/js_value.hpp"
#include "plugins/if_else/conditions.hpp"

namespace kianax::plugins {

namespace {

engine::PluginMetadata if_else_metadata() {
  engine::PluginMetadata m;
  m.id = "if-else";
  m.name = "If / Else";
  m.description =
      "Routes the run to `true` or `false` by testing a value against groups of conditions "
      "(OR of groups, AND within a group).";
  m.version = "1.0.0";
  m.tags = {"logic", "condition", "routing"};
  m.icon = "git-branch";
  m.inputs = {
      {"input", "Input", "Only orders execution; the tested value comes from config", boost::json::object{}}};
  m.outputs = {{"true", "True", "Taken when the conditions pass", boost::json::object{}},
               {"false", "False", "Taken when they do not", boost::json::object{}}};
  m.config_schema = boost::json::parse(R"({
    "type": "object",
    "properties": {
      "value": {"description": "The value to test; usually an expression such as {{ nodes.src.output.temp }}"},
      "conditionGroups": {
        "type": "array",
        "description": "The result is true when any group passes; a group passes when all its conditions do",
        "items": {
          "type": "object",
          "properties": {
            "conditions": {
              "type": "array",
              "items": {
                "type": "object",
                "properties": {
                  "operator": {"type": "string", "enum": ["==", "!=", ">", "<", ">=", "<=", "contains", "startsWith",
                                                          "endsWith", "matches", "exists", "empty"]},
                  "compareValue": {"description": "May be an expression; ignored by exists and empty"}
                },
                "required": ["operator"]
              }
            }
          },
          "required": ["conditions"]
        }
      }
    },
    "required": ["conditionGroups"]
  })")
                        .as_object();
  return m;
}

engine::MaybeValue member(const boost::json::object& o, std::string_view key) {
  const auto* v = engine::find_member(o, key);
  return v ? engine::MaybeValue(*v) : std::nullopt;
}

class IfElsePlugin final : public engine::Plugin {
 public:
  const engine::PluginMetadata& metadata() const override { return metadata_; }

  engine::PluginOutputs execute(const boost::json::object& /*inputs*/, const boost::json::object& config,
                                engine::PluginContext& /*context*/) const override {
    // conditionGroups is required: its documented default ([]) is not applied, because a routine saved
    // without it is broken and upstream fails the node too (it cannot map over undefined).
    const auto* groups = engine::find_member(config, "conditionGroups");
    if (groups == nullptr || !groups->is_array())
      throw engine::PluginError("Invalid config: conditionGroups must be an array (cannot map over " +
                                std::string(groups ? "a non-array" : "undefined") + ")");
    engine::MaybeValue value = member(config, "value");

    bool result = false;
    boost::json::array groups_out;
    for (size_t g = 0; g < groups->get_array().size(); ++g) {
      const auto& group = groups->get_array()[g];
      const auto* conditions =
          group.is_object() ? engine::find_member(group.get_object(), "conditions") : nullptr;
      if (conditions == nullptr || !conditions->is_array())
        throw engine::PluginError("Invalid config: conditionGroups[" + std::to_string(g) +
                                  "].conditions must be an array");
      bool group_passed = true;
      boost::json::array conditions_out;
      for (const auto& c : conditions->get_array()) {
        boost::json::object co = c.is_object() ? c.get_object() : boost::json::object{};
        engine::MaybeValue op = member(co, "operator");
        engine::MaybeValue compare = member(co, "compareValue");
        bool passed = op && op->is_string() && if_else::evaluate_condition(op->get_string(), value, compare);
        group_passed = group_passed && passed;
        boost::json::object entry;
        if (op) entry["operator"] = *op;
        if (compare) entry["expected"] = *compare;
        if (value) entry["actual"] = *value;
        entry["passed"] = passed;
        conditions_out.push_back(std::move(entry));
      }
      result = result || group_passed;
      groups_out.push_back(
          boost::json::object{{"passed", group_passed}, {"conditions", std::move(conditions_out)}});
    }

    boost::json::object payload;
    payload["result"] = result;
    if (value) payload["value"] = *value;
    payload["groups"] = std::move(groups_out);
    return {{result ? "true" : "false", boost::json::value(std::move(payload))}};
  }

 private:
  engine::PluginMetadata metadata_ = if_else_metadata();
};

}  // namespace

std::unique_ptr<engine::Plugin> make_if_else_plugin() { return std::make_unique<IfElsePlugin>(); }

}  // namespace kianax::plugins
