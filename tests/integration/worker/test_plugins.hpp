#pragma once
// Test plugins shared by the worker tests and the worker helper process: the builtin registry plus plugins
// that count their calls, block until the run is stopped, or fail a given number of times.
#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "engine/plugin.hpp"
#include "plugins/builtin_plugins.hpp"

namespace kianax::worker::testing {
namespace json = boost::json;

// Counts calls per node id; outputs its config's `value` on port "output".
class CountingPlugin : public engine::Plugin {
 public:
  CountingPlugin() {
    metadata_.id = "test-count";
    metadata_.name = "Count";
    metadata_.version = "1.0.0";
    metadata_.tags = {"test"};
    metadata_.inputs = {{"input", "Input", "", json::object{}}};
    metadata_.outputs = {{"output", "Output", "", json::object{}}};
    metadata_.config_schema = {{"type", "object"}};
  }
  const engine::PluginMetadata& metadata() const override { return metadata_; }
  engine::PluginOutputs execute(const json::object&, const json::object& config,
                                engine::PluginContext& context) const override {
    {
      std::lock_guard lock(mutex_);
      ++calls_[context.node_id];
      keys_.push_back(context.idempotency_key);
    }
    const json::value* v = config.if_contains("value");
    return {{"output", v ? std::optional<json::value>(*v) : json::value("done")}};
  }
  int calls(const std::string& node) const {
    std::lock_guard lock(mutex_);
    auto it = calls_.find(node);
    return it == calls_.end() ? 0 : it->second;
  }
  int total_calls() const {
    std::lock_guard lock(mutex_);
    int n = 0;
    for (const auto& [_, c] : calls_) n += c;
    return n;
  }

 private:
  engine::PluginMetadata metadata_;
  mutable std::mutex mutex_;
  mutable std::map<std::string, int> calls_;
  mutable std::vector<std::string> keys_;
};

// Blocks until the run is stopped (cancel, release, deadline) or `open` is set; counts entries.
class BlockingPlugin : public engine::Plugin {
 public:
  BlockingPlugin() {
    metadata_.id = "test-block";
    metadata_.name = "Block";
    metadata_.version = "1.0.0";
    metadata_.tags = {"test"};
    metadata_.inputs = {{"input", "Input", "", json::object{}}};
    metadata_.outputs = {{"output", "Output", "", json::object{}}};
    metadata_.config_schema = {{"type", "object"}};
  }
  const engine::PluginMetadata& metadata() const override { return metadata_; }
  engine::PluginOutputs execute(const json::object&, const json::object&,
                                engine::PluginContext& context) const override {
    ++entered;
    last_attempt = context.attempt;
    while (!open && !context.should_stop()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    context.throw_if_stopped();
    return {{"output", json::value("unblocked")}};
  }
  mutable std::atomic<int> entered{0};
  mutable std::atomic<int> last_attempt{0};
  std::atomic<bool> open{false};

 private:
  engine::PluginMetadata metadata_;
};

// Fails while it has been called fewer than config `failTimes` times (per node); counts calls.
class FlakyPlugin : public engine::Plugin {
 public:
  FlakyPlugin() {
    metadata_.id = "test-flaky";
    metadata_.name = "Flaky";
    metadata_.version = "1.0.0";
    metadata_.tags = {"test"};
    metadata_.inputs = {{"input", "Input", "", json::object{}}};
    metadata_.outputs = {{"output", "Output", "", json::object{}}};
    metadata_.config_schema = {{"type", "object"}};
  }
  const engine::PluginMetadata& metadata() const override { return metadata_; }
  engine::PluginOutputs execute(const json::object&, const json::object& config,
                                engine::PluginContext&) const override {
    const json::value* fail = config.if_contains("failTimes");
    const int n = ++calls;
    if (fail != nullptr && n <= fail->to_number<int>())
      throw engine::PluginError("flaky " + std::to_string(n));
    return {{"output", json::value(n)}};
  }
  mutable std::atomic<int> calls{0};

 private:
  engine::PluginMetadata metadata_;
};

class TestPlugins : public engine::PluginProvider {
 public:
  const engine::Plugin* find(std::string_view id) const override {
    if (id == "test-count") return &counting;
    if (id == "test-block") return &blocking;
    if (id == "test-flaky") return &flaky;
    return builtin.find(id);
  }
  plugins::Registry builtin = plugins::make_builtin_registry();
  CountingPlugin counting;
  BlockingPlugin blocking;
  FlakyPlugin flaky;
};

}  // namespace kianax::worker::testing
