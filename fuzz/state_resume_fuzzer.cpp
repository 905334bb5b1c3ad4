// Fuzzes resuming from a saved execution state (a checkpoint read back from the database could be corrupt or
// from another routine version): ExecutionState::from_json must reject bad input with std::invalid_argument,
// and resume() must end in a result, never a crash.
#include "engine/executor.hpp"

#include <cstdint>
#include <string_view>

using namespace kianax::engine;

namespace {

class PassThrough : public Plugin {
 public:
  PassThrough() {
    meta_.id = "pass";
    meta_.outputs = {{"output", "Output", "", boost::json::object{}}};
  }
  const PluginMetadata& metadata() const override { return meta_; }
  PluginOutputs execute(const boost::json::object& inputs, const boost::json::object&,
                        PluginContext& ctx) const override {
    if (const auto* in = inputs.if_contains("input")) return {{"output", *in}};
    return {{"output", boost::json::value(ctx.node_id)}};
  }

 private:
  PluginMetadata meta_;
};

class Provider : public PluginProvider {
 public:
  const Plugin* find(std::string_view) const override { return &plugin_; }

 private:
  PassThrough plugin_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Routine routine = load_routine_text(R"({"id":"r","nodes":[
    {"id":"a","pluginId":"pass"},{"id":"b","pluginId":"pass"},{"id":"c","pluginId":"pass"},{"id":"d","pluginId":"pass"}],
    "connections":[{"sourceNodeId":"a","targetNodeId":"b","sourceHandle":"output"},
      {"sourceNodeId":"a","targetNodeId":"c"},{"sourceNodeId":"b","targetNodeId":"d"},
      {"sourceNodeId":"c","targetNodeId":"d","targetHandle":"other"}]})");
  static const Provider provider;
  boost::system::error_code ec;
  auto json = boost::json::parse(std::string_view(reinterpret_cast<const char*>(data), size), ec);
  if (ec) return 0;
  ExecutionState state;
  try {
    state = ExecutionState::from_json(json);
  } catch (const std::invalid_argument&) {
    return 0;
  }
  RunOptions options;
  options.execution_id = "exec-fuzz";
  options.max_executions = 100;
  auto result = RoutineExecutor(provider).resume(routine, std::move(state), options);
  (void)result.to_record_json();
  return 0;
}
