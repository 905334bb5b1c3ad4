// Checkpoint/resume: the worker persists ExecutionState::to_json() in on_node_finished and, after a crash,
// resumes from the last checkpoint without re-running completed nodes.
#include "engine/executor.hpp"
#include "test_plugins.hpp"

#include <gtest/gtest.h>

using namespace kianax::engine;
using kianax::engine::testing::CountingPlugin;
using kianax::engine::testing::SinglePluginProvider;

namespace {

class Checkpoints : public ExecutionObserver {
 public:
  void on_node_finished(const std::string& id, const NodeRecord&, const ExecutionState& state) override {
    saved.push_back({id, boost::json::serialize(state.to_json())});
  }
  std::vector<std::pair<std::string, std::string>> saved;
};

// a → b1, b2, b3 → z (one wave of three in the middle), then z → end.
Routine diamond() {
  return load_routine_text(R"({"id":"r","nodes":[
    {"id":"a","pluginId":"count"},{"id":"b1","pluginId":"count"},{"id":"b2","pluginId":"count"},
    {"id":"b3","pluginId":"count"},{"id":"z","pluginId":"count"},{"id":"end","pluginId":"count"}],
    "connections":[{"sourceNodeId":"a","targetNodeId":"b1"},{"sourceNodeId":"a","targetNodeId":"b2"},
      {"sourceNodeId":"a","targetNodeId":"b3"},{"sourceNodeId":"b1","targetNodeId":"z"},
      {"sourceNodeId":"b2","targetNodeId":"z"},{"sourceNodeId":"b3","targetNodeId":"z"},
      {"sourceNodeId":"z","targetNodeId":"end"}]})");
}

std::vector<std::string> path_ids(const ExecutionState& s) {
  std::vector<std::string> out;
  for (const auto& p : s.execution_path()) out.push_back(p.node_id);
  return out;
}

}  // namespace

TEST(Resume, from_every_checkpoint_runs_each_remaining_node_exactly_once) {
  auto routine = diamond();
  CountingPlugin first;
  SinglePluginProvider provider(first);
  Checkpoints checkpoints;
  RunOptions options;
  options.execution_id = "exec-1";
  auto full = RoutineExecutor(provider).run(routine, options, &checkpoints);
  ASSERT_EQ(full.status, RunStatus::completed);
  ASSERT_EQ(checkpoints.saved.size(), 6u);
  const auto expected_path = path_ids(full.state);

  for (size_t k = 0; k < checkpoints.saved.size(); ++k) {
    SCOPED_TRACE("crash after checkpoint " + std::to_string(k) + " (" + checkpoints.saved[k].first + ")");
    // Round-trip through text, as the worker stores it.
    auto saved = ExecutionState::from_json(boost::json::parse(checkpoints.saved[k].second));
    CountingPlugin second;
    SinglePluginProvider provider2(second);
    auto resumed = RoutineExecutor(provider2).resume(routine, std::move(saved), options);
    ASSERT_EQ(resumed.status, RunStatus::completed) << resumed.error.value_or("");
    EXPECT_EQ(path_ids(resumed.state), expected_path);
    EXPECT_EQ(second.total_calls(), static_cast<int>(checkpoints.saved.size() - k - 1));
    for (size_t done = 0; done <= k; ++done) EXPECT_EQ(second.calls(checkpoints.saved[done].first), 0);
    EXPECT_EQ(resumed.started_at_ms, full.started_at_ms);
  }
}

TEST(Resume, state_json_round_trips) {
  auto routine = diamond();
  CountingPlugin plugin;
  SinglePluginProvider provider(plugin);
  auto result = RoutineExecutor(provider).run(routine, {});
  auto json = result.state.to_json();
  auto back = ExecutionState::from_json(json);
  EXPECT_EQ(boost::json::serialize(back.to_json()), boost::json::serialize(json));
}

TEST(Resume, rejects_state_that_names_unknown_nodes) {
  auto routine = diamond();
  CountingPlugin plugin;
  SinglePluginProvider provider(plugin);
  auto state = ExecutionState::from_json(boost::json::parse(
      R"({"executionPath":[],"frontier":{"queue":["ghost"],"wave":[],"waveDone":[],"executions":0,"started":true}})"));
  auto result = RoutineExecutor(provider).resume(routine, std::move(state), {});
  EXPECT_EQ(result.status, RunStatus::failed);
  EXPECT_NE(result.error.value_or("").find("ghost"), std::string::npos);
}

TEST(Resume, malformed_state_json_is_a_clear_error) {
  EXPECT_THROW((void)ExecutionState::from_json(boost::json::parse(R"({"executionPath":[{"nodeId":"a"}]})")),
               std::invalid_argument);
  EXPECT_THROW((void)ExecutionState::from_json(boost::json::parse("[]")), std::invalid_argument);
}

TEST(Resume, node_restarted_from_its_start_checkpoint_gets_the_next_attempt) {
  // The worker checkpoints when a node starts; it crashes during the call and resumes from that checkpoint.
  class StartCheckpoint : public ExecutionObserver {
   public:
    void on_node_started(const std::string& id, const ExecutionState& state) override {
      if (id == "b2") saved = boost::json::serialize(state.to_json());
    }
    std::string saved;
  } observer;
  class KeyEcho : public Plugin {
   public:
    KeyEcho() {
      meta_.id = "count";
      meta_.outputs = {{"output", "o", "", boost::json::object{}}};
    }
    const PluginMetadata& metadata() const override { return meta_; }
    PluginOutputs execute(const boost::json::object&, const boost::json::object&,
                          PluginContext& ctx) const override {
      return {{"output", boost::json::value(ctx.idempotency_key)}};
    }
    PluginMetadata meta_;
  } plugin;
  SinglePluginProvider provider(plugin);
  auto routine = diamond();
  RunOptions options;
  options.execution_id = "exec-9";
  auto first = RoutineExecutor(provider).run(routine, options, &observer);
  ASSERT_EQ(first.state.latest_outputs("b2")->at(0).items.at(0).data, "exec-9:b2:1");
  auto resumed = RoutineExecutor(provider).resume(
      routine, ExecutionState::from_json(boost::json::parse(observer.saved)), options);
  ASSERT_EQ(resumed.status, RunStatus::completed);
  EXPECT_EQ(resumed.state.latest_outputs("b2")->at(0).items.at(0).data, "exec-9:b2:2");
  EXPECT_EQ(resumed.state.latest_outputs("b1")->at(0).items.at(0).data, "exec-9:b1:1");  // not re-run
}

TEST(Resume, rejects_mid_wave_state_whose_queue_names_unknown_nodes) {
  auto routine = diamond();
  CountingPlugin plugin;
  SinglePluginProvider provider(plugin);
  auto state = ExecutionState::from_json(boost::json::parse(
      R"({"executionPath":[],"frontier":{"queue":["a","ghost"],"wave":["a"],"waveDone":[],"executions":0,"started":true}})"));
  auto result = RoutineExecutor(provider).resume(routine, std::move(state), {});
  EXPECT_EQ(result.status, RunStatus::failed);
  EXPECT_NE(result.error.value_or("").find("ghost"), std::string::npos);
  EXPECT_EQ(plugin.total_calls(), 0);
}

TEST(Resume, state_with_out_of_range_numbers_is_rejected) {
  EXPECT_THROW((void)ExecutionState::from_json(boost::json::parse(R"({"frontier":{"startedAt":-5}})")),
               std::invalid_argument);
  EXPECT_THROW((void)ExecutionState::from_json(boost::json::parse(R"({"frontier":{"executions":1e300}})")),
               std::invalid_argument);
  EXPECT_THROW((void)ExecutionState::from_json(
                   boost::json::parse(R"({"nodeRecords":[{"nodeId":"a","startedAt":1.5}]})")),
               std::invalid_argument);
}
