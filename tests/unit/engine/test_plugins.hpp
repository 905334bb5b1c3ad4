// Small plugins for engine tests: pass-through and a call counter.
#pragma once

#include "engine/plugin.hpp"

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace kianax::engine::testing {

// Returns {"output": inputs.input} (or config.value for entry nodes); counts calls per node.
class CountingPlugin : public Plugin {
 public:
  explicit CountingPlugin(std::string id = "count") {
    meta_.id = std::move(id);
    meta_.name = meta_.id;
    meta_.version = "1";
    meta_.tags = {"test"};
    meta_.inputs = {{"input", "Input", "", boost::json::object{}}};
    meta_.outputs = {{"output", "Output", "", boost::json::object{}}};
  }
  const PluginMetadata& metadata() const override { return meta_; }
  PluginOutputs execute(const boost::json::object& inputs, const boost::json::object& config,
                        PluginContext& ctx) const override {
    {
      std::lock_guard lock(mu_);
      ++calls_[ctx.node_id];
    }
    if (const auto* in = inputs.if_contains("input")) return {{"output", *in}};
    if (const auto* v = config.if_contains("value")) return {{"output", *v}};
    return {{"output", boost::json::value(ctx.node_id)}};
  }
  int calls(const std::string& node) const {
    std::lock_guard lock(mu_);
    auto it = calls_.find(node);
    return it == calls_.end() ? 0 : it->second;
  }
  int total_calls() const {
    std::lock_guard lock(mu_);
    int n = 0;
    for (const auto& [k, v] : calls_) n += v;
    return n;
  }

 private:
  PluginMetadata meta_;
  mutable std::mutex mu_;
  mutable std::map<std::string, int> calls_;
};

class SinglePluginProvider : public PluginProvider {
 public:
  explicit SinglePluginProvider(const Plugin& p) : plugin_(p) {}
  const Plugin* find(std::string_view id) const override {
    return id == plugin_.metadata().id ? &plugin_ : nullptr;
  }

 private:
  const Plugin& plugin_;
};

}  // namespace kianax::engine::testing
