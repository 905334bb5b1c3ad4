// In-process engine throughput: how much the engine itself costs per node, with plugins that do nothing but
// pass their input through. Target: >= 200 000 node executions/s (the engine must never be the worker's
// bottleneck). Each iteration is a whole run: graph validation, traversal, input gathering, expression
// resolution of the node config, plugin call, output conversion, node records.
#include "engine/executor.hpp"
#include "engine/expression.hpp"

#include <benchmark/benchmark.h>

namespace {

using namespace kianax::engine;

class PassThrough : public Plugin {
 public:
  PassThrough() {
    meta_.id = "pass";
    meta_.name = "pass";
    meta_.version = "1.0.0";
    meta_.tags = {"bench"};
    meta_.inputs = {{"input", "Input", "", boost::json::object{}}};
    meta_.outputs = {{"output", "Output", "", boost::json::object{}}};
  }
  const PluginMetadata& metadata() const override { return meta_; }
  PluginOutputs execute(const boost::json::object& inputs, const boost::json::object& config,
                        PluginContext&) const override {
    if (const auto* in = inputs.if_contains("input")) return {{"output", *in}};
    return {{"output", config.contains("seed") ? config.at("seed") : boost::json::value(1)}};
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

// Built with append rather than "n" + std::to_string(i): GCC 12 at -O3 reports a false -Wrestrict on the
// latter.
std::string node_id(const char* prefix, int i) {
  std::string id = prefix;
  id += std::to_string(i);
  return id;
}

boost::json::object node(const std::string& id) {
  return {{"id", id}, {"pluginId", "pass"}, {"config", {{"seed", {{"n", 1}, {"text", "payload"}}}}}};
}
boost::json::object edge(const std::string& a, const std::string& b) {
  return {{"sourceNodeId", a}, {"targetNodeId", b}, {"sourceHandle", "output"}, {"targetHandle", "input"}};
}

Routine chain(int n) {
  boost::json::array nodes, edges;
  for (int i = 0; i < n; ++i) {
    nodes.push_back(node(node_id("n", i)));
    if (i) edges.push_back(edge(node_id("n", i - 1), node_id("n", i)));
  }
  return load_routine(boost::json::object{{"id", "bench"}, {"nodes", nodes}, {"connections", edges}});
}

Routine fan(int width) {
  boost::json::array nodes{node("src"), node("sink")}, edges;
  for (int i = 0; i < width; ++i) {
    std::string b = node_id("b", i);
    nodes.push_back(node(b));
    edges.push_back(edge("src", b));
    edges.push_back(edge(b, "sink"));
  }
  return load_routine(boost::json::object{{"id", "bench"}, {"nodes", nodes}, {"connections", edges}});
}

void report(benchmark::State& state, double nodes) {
  state.counters["node_exec_per_s"] =
      benchmark::Counter(nodes, benchmark::Counter::kIsIterationInvariantRate);
  // Inverted rate = wall time per node execution (printed with its unit, e.g. 3.1us).
  state.counters["time_per_node"] =
      benchmark::Counter(nodes, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

void run_routine(benchmark::State& state, const Routine& routine) {
  Provider provider;
  RoutineExecutor executor(provider);
  RunOptions options;
  options.execution_id = "exec-bench";
  for (auto _ : state) {
    auto result = executor.run(routine, options);
    if (result.status != RunStatus::completed)
      state.SkipWithError(result.error.value_or("run failed").c_str());
    benchmark::DoNotOptimize(result);
  }
  report(state, static_cast<double>(routine.nodes.size()));
}

void BM_Chain1000(benchmark::State& state) { run_routine(state, chain(1000)); }
void BM_FanOutFanIn100(benchmark::State& state) { run_routine(state, fan(100)); }

// One node config with five expressions of the common shapes (node port path, vars, trigger, embedded text).
void BM_ExpressionResolve(benchmark::State& state) {
  boost::json::object vars{{"base", "https://api.example.com"}, {"limit", 50}};
  MaybeValue trigger = boost::json::parse(R"({"user":{"id":"u-1","email":"a@b.c"}})");
  boost::json::object execution{{"id", "e"}, {"routineId", "r"}, {"startedAt", 1}};
  ExecutionState exec_state;
  NodeResult r;
  r.outputs.push_back(
      {"success", {{boost::json::parse(R"({"status":200,"body":{"items":[{"id":7}]}})"), {}, {}}}});
  exec_state.add_node_result("fetch", r);
  ExpressionContext ctx{&vars, &trigger, &execution, &exec_state};
  auto config = boost::json::parse(R"({
    "url": "{{ vars.base }}/users/{{ trigger.user.id }}",
    "status": "{{ nodes.fetch.success.status }}",
    "firstId": "{{ nodes.fetch.success.body.items[0].id }}",
    "limit": "{{ vars.limit }}",
    "note": "plain text, no expression"
  })")
                    .as_object();
  for (auto _ : state) benchmark::DoNotOptimize(resolve_object(config, ctx));
  state.counters["expr_per_s"] = benchmark::Counter(4, benchmark::Counter::kIsIterationInvariantRate);
}

}  // namespace

BENCHMARK(BM_Chain1000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FanOutFanIn100)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ExpressionResolve)->Unit(benchmark::kNanosecond);
BENCHMARK_MAIN();
