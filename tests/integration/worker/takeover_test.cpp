// Crash recovery: a worker that "dies" after checkpointing node a (its lease is never released) is taken
// over once the lease expires; the new owner resumes after a — a is not run again, no node state twice.
#include <set>

#include "worker/queue_ops.hpp"
#include "worker/record_json.hpp"
#include "worker_fixture.hpp"

namespace kianax::worker::testing {
namespace {
using namespace std::chrono_literals;

// Saves progress like the worker does, then "dies" right after node a's checkpoint.
class DyingObserver : public engine::ExecutionObserver {
 public:
  DyingObserver(db::SyncConnection& conn, const Claim& claim) : conn_(conn), claim_(claim) {}
  void on_node_started(const std::string&, const engine::ExecutionState& state) override { save(state); }
  void on_node_finished(const std::string& node_id, const engine::NodeRecord&,
                        const engine::ExecutionState& state) override {
    save(state);
    if (node_id == "a") throw std::runtime_error("worker killed");
  }

 private:
  void save(const engine::ExecutionState& state) {
    ASSERT_EQ(queue::save_progress(conn_, claim_, state.to_json(), node_states_json(state),
                                   execution_path_json(state), 200ms),
              LeaseState::kHeld);
  }
  db::SyncConnection& conn_;
  const Claim& claim_;
};

TEST_F(WorkerTest, a_run_abandoned_after_node_a_is_resumed_elsewhere_without_running_a_again) {
  const std::string id = start("user-a", make_chain("user-a")).execution_id;

  db::SyncConnection dying = db::SyncConnection::open(database.app_conninfo());
  std::optional<Claim> claim = queue::claim(dying, "dead-worker/1", 200ms);
  ASSERT_TRUE(claim);
  ASSERT_TRUE(queue::mark_running(dying, *claim));
  {
    engine::RoutineExecutor executor(plugins);
    engine::RunOptions options;
    options.execution_id = claim->execution_id;
    options.user_id = claim->user_id;
    DyingObserver observer(dying, *claim);
    (void)executor.run(engine::load_routine(claim->routine), options, &observer);
  }
  ASSERT_EQ(plugins.counting.calls("a"), 1);
  ASSERT_EQ(plugins.counting.calls("b"), 0);
  json::object before = execution(id);
  ASSERT_EQ(before["nodeStates"].as_array().size(), 1U);
  const json::value a_started = before["nodeStates"].as_array()[0].as_object()["startedAt"];

  {
    RunningWorker worker(options(), plugins);
    ASSERT_TRUE(eventually([&] { return terminal(id); }));
  }
  json::object after = execution(id);
  EXPECT_EQ(after["status"], "completed") << json::serialize(after);
  EXPECT_EQ(plugins.counting.calls("a"), 1);
  EXPECT_EQ(plugins.counting.calls("b"), 1);
  EXPECT_EQ(plugins.counting.calls("c"), 1);
  const json::array& states = after["nodeStates"].as_array();
  ASSERT_EQ(states.size(), 3U) << json::serialize(states);
  std::set<std::string> ids;
  for (const auto& s : states) {
    ids.insert(std::string(s.at("nodeId").as_string()));
    EXPECT_EQ(s.at("status"), "completed");
  }
  EXPECT_EQ(ids, (std::set<std::string>{"a", "b", "c"}));
  EXPECT_EQ(states[0].at("startedAt"), a_started);  // a's entry is the dead worker's, untouched
  EXPECT_EQ(after["executionPath"], json::parse(R"(["a","b","c"])"));
  EXPECT_EQ(count("SELECT count(*) FROM execution_queue"), 0);
  // The dead worker's token no longer passes the fence.
  EXPECT_FALSE(queue::finish(dying, *claim, {.status = "failed"}));
  EXPECT_EQ(status(id), "completed");
}

TEST_F(WorkerTest, a_run_whose_workers_keep_dying_is_failed_after_max_attempts) {
  const std::string id = start("user-a", make_chain("user-a")).execution_id;
  db::SyncConnection dying = db::SyncConnection::open(database.app_conninfo());
  WorkerOptions o = options();
  o.run.max_attempts = 2;
  for (int i = 0; i < o.run.max_attempts; ++i) {
    ASSERT_TRUE(eventually(
        [&] { return queue::claim(dying, "dead-worker/" + std::to_string(i), 100ms).has_value(); }));
  }
  {
    RunningWorker worker(o, plugins);
    ASSERT_TRUE(eventually([&] { return terminal(id); }));
  }
  json::object e = execution(id);
  EXPECT_EQ(e["status"], "failed");
  EXPECT_NE(std::string(e["error"].as_object()["message"].as_string()).find("abandoned"), std::string::npos);
  EXPECT_EQ(plugins.counting.total_calls(), 0);
}

}  // namespace
}  // namespace kianax::worker::testing
