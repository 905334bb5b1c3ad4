#include "engine/executor.hpp"
#include "engine/input_gatherer.hpp"
#include "plugins/builtin_plugins.hpp"
#include "test_plugins.hpp"

#include <gtest/gtest.h>

using namespace kianax::engine;
using kianax::engine::testing::CountingPlugin;
using kianax::engine::testing::SinglePluginProvider;

namespace {

Routine chain(int n, const char* plugin = "count") {
  boost::json::array nodes, edges;
  for (int i = 0; i < n; ++i) {
    nodes.push_back({{"id", "n" + std::to_string(i)}, {"pluginId", plugin}});
    if (i)
      edges.push_back(
          {{"sourceNodeId", "n" + std::to_string(i - 1)}, {"targetNodeId", "n" + std::to_string(i)}});
  }
  return load_routine(boost::json::object{{"id", "r"}, {"nodes", nodes}, {"connections", edges}});
}

// a → {b1..bk} → z
Routine fan(int k) {
  boost::json::array nodes{{{"id", "a"}, {"pluginId", "count"}}, {{"id", "z"}, {"pluginId", "count"}}};
  boost::json::array edges;
  for (int i = 0; i < k; ++i) {
    std::string b = "b" + std::to_string(i);
    nodes.push_back({{"id", b}, {"pluginId", "count"}});
    edges.push_back({{"sourceNodeId", "a"}, {"targetNodeId", b}});
    edges.push_back({{"sourceNodeId", b}, {"targetNodeId", "z"}});
  }
  return load_routine(boost::json::object{{"nodes", nodes}, {"connections", edges}});
}

std::vector<std::string> path_ids(const ExecutionResult& r) {
  std::vector<std::string> out;
  for (const auto& p : r.state.execution_path()) out.push_back(p.node_id);
  return out;
}

}  // namespace

TEST(Executor, runs_a_chain_and_records_node_states) {
  CountingPlugin plugin;
  SinglePluginProvider provider(plugin);
  auto routine = chain(3);
  auto result = RoutineExecutor(provider).run(routine, {});
  ASSERT_EQ(result.status, RunStatus::completed) << result.error.value_or("");
  EXPECT_EQ(path_ids(result), (std::vector<std::string>{"n0", "n1", "n2"}));
  auto record = result.to_record_json();
  EXPECT_EQ(record.at("status"), "completed");
  const auto& states = record.at("nodeStates").as_array();
  ASSERT_EQ(states.size(), 3u);
  EXPECT_EQ(states[2].at("status"), "completed");
  EXPECT_EQ(states[2].at("input").at("input"), "n0");
  EXPECT_EQ(states[2].at("output").at("output"), "n0");
  EXPECT_TRUE(states[2].as_object().contains("duration"));
}

TEST(Executor, invalid_graph_runs_nothing) {
  CountingPlugin plugin;
  SinglePluginProvider provider(plugin);
  auto routine = chain(1);
  auto result = RoutineExecutor(provider).run(routine, {});
  EXPECT_EQ(result.status, RunStatus::failed);
  EXPECT_FALSE(result.graph_valid);
  EXPECT_EQ(plugin.total_calls(), 0);
}

TEST(Executor, unknown_plugin_fails_the_node_by_name) {
  CountingPlugin plugin;
  SinglePluginProvider provider(plugin);
  auto routine = chain(2, "nope");
  auto result = RoutineExecutor(provider).run(routine, {});
  EXPECT_EQ(result.status, RunStatus::failed);
  EXPECT_EQ(result.error, std::optional<std::string>("Node n0 (nope) failed: Plugin not found: nope"));
  EXPECT_EQ(result.to_record_json().at("nodeStates").as_array()[0].at("status"), "failed");
}

TEST(Executor, pinned_node_skips_its_plugin) {
  CountingPlugin plugin;
  SinglePluginProvider provider(plugin);
  auto routine = chain(2);
  RunOptions options;
  options.pinned_outputs["n0"] = boost::json::object{{"output", "pinned"}};
  auto result = RoutineExecutor(provider).run(routine, options);
  ASSERT_EQ(result.status, RunStatus::completed);
  EXPECT_EQ(plugin.calls("n0"), 0);
  EXPECT_EQ(result.state.latest_outputs("n1")->at(0).items.at(0).data, "pinned");
}

TEST(Executor, cancelled_before_start_reports_cancelled) {
  CountingPlugin plugin;
  SinglePluginProvider provider(plugin);
  auto routine = chain(2);
  std::stop_source stop;
  stop.request_stop();
  RunOptions options;
  options.stop = stop.get_token();
  auto result = RoutineExecutor(provider).run(routine, options);
  EXPECT_EQ(result.status, RunStatus::cancelled);
  EXPECT_EQ(plugin.total_calls(), 0);
}

TEST(Executor, execution_cap_stops_the_run) {
  CountingPlugin plugin;
  SinglePluginProvider provider(plugin);
  auto routine = chain(5);
  RunOptions options;
  options.max_executions = 3;
  auto result = RoutineExecutor(provider).run(routine, options);
  EXPECT_EQ(result.status, RunStatus::failed);
  EXPECT_EQ(result.error, std::optional<std::string>("Execution stopped after 3 executions"));
  EXPECT_EQ(plugin.total_calls(), 3);
}

TEST(Executor, parallel_waves_give_the_same_path_as_sequential) {
  CountingPlugin plugin;
  SinglePluginProvider provider(plugin);
  auto routine = fan(8);
  auto sequential = RoutineExecutor(provider).run(routine, {});
  RunOptions options;
  options.parallelism = 4;
  auto parallel = RoutineExecutor(provider).run(routine, options);
  ASSERT_EQ(parallel.status, RunStatus::completed);
  EXPECT_EQ(path_ids(sequential), path_ids(parallel));
}

TEST(Executor, plugin_context_carries_idempotency_key_and_node_state) {
  class Probe : public Plugin {
   public:
    Probe() {
      meta_.id = "probe";
      meta_.outputs = {{"output", "o", "", boost::json::object{}}};
    }
    const PluginMetadata& metadata() const override { return meta_; }
    PluginOutputs execute(const boost::json::object&, const boost::json::object&,
                          PluginContext& ctx) const override {
      (*ctx.node_state)["seen"] = true;
      return {{"output", boost::json::value(ctx.idempotency_key)}};
    }
    PluginMetadata meta_;
  } probe;
  SinglePluginProvider provider(probe);
  auto routine = chain(2, "probe");
  RunOptions options;
  options.execution_id = "ex1";
  auto result = RoutineExecutor(provider).run(routine, options);
  ASSERT_EQ(result.status, RunStatus::completed);
  EXPECT_EQ(result.state.latest_outputs("n1")->at(0).items.at(0).data, "ex1:n1:1");
  EXPECT_TRUE(result.state.to_json().at("nodeState").at("n1").at("seen").as_bool());
}

TEST(Executor, static_data_and_if_else_route_by_branch) {
  auto registry = kianax::plugins::make_builtin_registry();
  auto routine = load_routine_text(R"({"id":"r","nodes":[
    {"id":"src","pluginId":"static-data","config":{"data":{"temp":75}}},
    {"id":"hot","pluginId":"if-else","config":{"value":"{{ nodes.src.output.temp }}",
      "conditionGroups":[{"conditions":[{"operator":">","compareValue":"{{ vars.threshold }}"}]}]}},
    {"id":"yes","pluginId":"static-data","config":{"data":"hot"}},
    {"id":"no","pluginId":"static-data","config":{"data":"cold"}}],
    "connections":[{"sourceNodeId":"src","targetNodeId":"hot","sourceHandle":"output"},
      {"sourceNodeId":"hot","targetNodeId":"yes","sourceHandle":"true"},
      {"sourceNodeId":"hot","targetNodeId":"no","sourceHandle":"false"}],
    "variables":[{"name":"threshold","value":70}]})");
  auto result = RoutineExecutor(registry).run(routine, {});
  ASSERT_EQ(result.status, RunStatus::completed) << result.error.value_or("");
  EXPECT_EQ(path_ids(result), (std::vector<std::string>{"src", "hot", "yes"}));
}

TEST(InputGathering, fast_path_matches_full_gathering) {
  // Port "a" appears first with no items, "b" gets an item, then "a" gets one: order and first-edge-wins
  // hold.
  auto routine = load_routine_text(R"({"nodes":[],"connections":[
    {"sourceNodeId":"s1","targetNodeId":"t","sourceHandle":"empty","targetHandle":"a"},
    {"sourceNodeId":"s2","targetNodeId":"t","targetHandle":"b"},
    {"sourceNodeId":"s2","targetNodeId":"t","sourceHandle":"out","targetHandle":"a"},
    {"sourceNodeId":"s3","targetNodeId":"t","targetHandle":"a"},
    {"sourceNodeId":"missing","targetNodeId":"t","targetHandle":"c"}]})");
  ExecutionState state;
  state.add_node_result("s1", result_from_json(boost::json::parse(
                                  R"({"status":"success","outputs":[{"portName":"empty","items":[]}]})")));
  state.add_node_result("s2", result_from_json(boost::json::parse(
                                  R"({"status":"success","outputs":[{"portName":"x","items":[]},
                                      {"portName":"out","items":[{"data":2},{"data":3}]}]})")));
  state.add_node_result("s3",
                        result_from_json(boost::json::parse(
                            R"({"status":"success","outputs":[{"portName":"o","items":[{"data":9}]}]})")));
  std::vector<const Edge*> edges;
  for (const auto& e : routine.edges) edges.push_back(&e);
  auto full = plugin_inputs(gather_inputs(edges, state));
  auto fast = gather_plugin_inputs(edges, state);
  EXPECT_EQ(boost::json::serialize(fast), boost::json::serialize(full));
  EXPECT_EQ(boost::json::serialize(fast), R"({"a":2,"b":2})");
}

TEST(Executor, plugin_stopping_for_cancellation_makes_the_run_cancelled) {
  static std::stop_source stop;
  class Canceller : public Plugin {
   public:
    Canceller() {
      meta_.id = "cancel";
      meta_.outputs = {{"output", "o", "", boost::json::object{}}};
    }
    const PluginMetadata& metadata() const override { return meta_; }
    PluginOutputs execute(const boost::json::object&, const boost::json::object&,
                          PluginContext& ctx) const override {
      stop.request_stop();  // e.g. the user pressed cancel while this call was running
      ctx.throw_if_stopped();
      return {{"output", boost::json::value(1)}};
    }
    PluginMetadata meta_;
  } plugin;
  SinglePluginProvider provider(plugin);
  auto routine = chain(3, "cancel");
  RunOptions options;
  options.stop = stop.get_token();
  auto result = RoutineExecutor(provider).run(routine, options);
  EXPECT_EQ(result.status, RunStatus::cancelled);
  EXPECT_EQ(result.state.records().at(0).error->message, "Execution cancelled");
  EXPECT_EQ(result.state.execution_path().size(), 1u);
}

TEST(Executor, parallel_wave_failure_commits_earlier_nodes_in_queue_order_then_fails) {
  class FailB3 : public Plugin {
   public:
    FailB3() {
      meta_.id = "count";
      meta_.outputs = {{"output", "o", "", boost::json::object{}}};
    }
    const PluginMetadata& metadata() const override { return meta_; }
    PluginOutputs execute(const boost::json::object&, const boost::json::object&,
                          PluginContext& ctx) const override {
      if (ctx.node_id == "b3") throw PluginError("boom");
      return {{"output", boost::json::value(1)}};
    }
    PluginMetadata meta_;
  } plugin;
  SinglePluginProvider provider(plugin);
  auto routine = fan(6);
  RunOptions options;
  options.parallelism = 8;
  auto result = RoutineExecutor(provider).run(routine, options);
  EXPECT_EQ(result.status, RunStatus::failed);
  EXPECT_EQ(result.error, std::optional<std::string>("Node b3 (count) failed: boom"));
  EXPECT_EQ(path_ids(result), (std::vector<std::string>{"a", "b0", "b1", "b2", "b3"}));
}
