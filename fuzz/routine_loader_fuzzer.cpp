// Fuzzes the routine loader on arbitrary bytes, then — for inputs that load — graph validation, expression
// validation and a capped run with a pass-through plugin. Bad input must end in RoutineLoadError or a failed
// result, never a crash.
#include "engine/executor.hpp"
#include "engine/expression_validator.hpp"
#include "engine/graph_validator.hpp"

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
  PluginOutputs execute(const boost::json::object& inputs, const boost::json::object& config,
                        PluginContext&) const override {
    if (const auto* in = inputs.if_contains("input")) return {{"output", *in}};
    return {{"output", boost::json::value(config)}};
  }

 private:
  PluginMetadata meta_;
};

// Every plugin id resolves to the pass-through plugin, except "missing" (exercises Plugin not found).
class Provider : public PluginProvider {
 public:
  const Plugin* find(std::string_view id) const override { return id == "missing" ? nullptr : &plugin_; }

 private:
  PassThrough plugin_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  Routine routine;
  try {
    routine = load_routine_text(text);
  } catch (const RoutineLoadError&) {
    return 0;
  }
  auto graph = validate_graph(routine);
  if (!graph.valid() && format_graph_errors(graph.errors).find("Invalid routine graph:") != 0)
    __builtin_trap();
  (void)validate_expressions(routine);
  static const Provider provider;
  RunOptions options;
  options.execution_id = "exec-fuzz";
  options.max_executions = 200;
  auto result = RoutineExecutor(provider).run(routine, options);
  (void)result.to_record_json();
  // A checkpoint must load back.
  (void)ExecutionState::from_json(result.state.to_json());
  return 0;
}
