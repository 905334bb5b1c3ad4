// The Worker end to end: runs to completion with node states, concurrency without double runs, failure,
// cancel (running and pending), graceful stop releasing a run that another worker then finishes.
#include <algorithm>
#include <set>

#include "worker_fixture.hpp"

namespace kianax::worker::testing {
namespace {
using namespace std::chrono_literals;

TEST_F(WorkerTest, runs_an_execution_to_completion_with_one_state_per_node) {
  // static-data → if-else (builtin plugins) → count on the true branch.
  json::object cond{
      {"value", "{{ nodes.data.output.n }}"},
      {"conditionGroups",
       json::array{
           json::object{{"conditions", json::array{json::object{{"operator", ">"}, {"compareValue", 5}}}}}}}};
  const std::string routine =
      make_routine("user-a",
                   {node("data", "static-data", {{"data", {{"n", 7}}}}), node("check", "if-else", cond),
                    node("yes", "test-count", {{"value", "big"}})},
                   {edge("data", "check"),
                    {{"id", "check-yes"},
                     {"sourceNodeId", "check"},
                     {"targetNodeId", "yes"},
                     {"sourceHandle", "true"},
                     {"targetHandle", "input"}}});
  const std::string id = start("user-a", routine).execution_id;
  {
    RunningWorker worker(options(), plugins);
    ASSERT_TRUE(eventually([&] { return terminal(id); }));
  }
  json::object e = execution(id);
  ASSERT_EQ(e["status"], "completed") << json::serialize(e);
  EXPECT_FALSE(e["startedAt"].is_null());
  EXPECT_FALSE(e["completedAt"].is_null());
  EXPECT_GE(e["duration"].as_int64(), 0);
  EXPECT_TRUE(e["error"].is_null());
  EXPECT_EQ(e["executionPath"], json::parse(R"(["data","check","yes"])"));
  const json::array& states = e["nodeStates"].as_array();
  ASSERT_EQ(states.size(), 3U) << json::serialize(states);
  for (const auto& s : states) {
    const json::object& o = s.as_object();
    EXPECT_EQ(o.at("status"), "completed") << json::serialize(o);
    EXPECT_GE(o.at("duration").as_int64(), 0);
    EXPECT_EQ(o.at("completedAt").as_int64() - o.at("startedAt").as_int64(), o.at("duration").as_int64());
    EXPECT_FALSE(o.contains("input"));
  }
  EXPECT_EQ(states[0].at("output"), json::parse(R"({"output":{"n":7}})"));
  EXPECT_EQ(states[2].at("output"), json::parse(R"({"output":"big"})"));
  EXPECT_EQ(plugins.counting.calls("yes"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM execution_queue"), 0);
}

TEST_F(WorkerTest, a_failing_node_fails_the_run_with_its_error) {
  const std::string id =
      start("user-a",
            make_routine("user-a", {node("a", "test-count"), node("b", "no-such-plugin")}, {edge("a", "b")}))
          .execution_id;
  {
    RunningWorker worker(options(), plugins);
    ASSERT_TRUE(eventually([&] { return terminal(id); }));
  }
  json::object e = execution(id);
  EXPECT_EQ(e["status"], "failed") << json::serialize(e);
  EXPECT_FALSE(std::string(e["error"].as_object()["message"].as_string()).empty());
  EXPECT_EQ(count("SELECT count(*) FROM execution_queue"), 0);
}

TEST_F(WorkerTest, a_failing_step_is_retried_and_the_node_records_one_entry) {
  const std::string id =
      start("user-a",
            make_routine("user-a", {node("a", "test-count"), node("b", "test-flaky", {{"failTimes", 2}})},
                         {edge("a", "b")}))
          .execution_id;
  {
    RunningWorker worker(options(), plugins);
    ASSERT_TRUE(eventually([&] { return terminal(id); }));
  }
  json::object e = execution(id);
  EXPECT_EQ(e["status"], "completed") << json::serialize(e);
  EXPECT_EQ(plugins.flaky.calls, 3);
  ASSERT_EQ(e["nodeStates"].as_array().size(), 2U);
  EXPECT_EQ(e["nodeStates"].as_array()[1].at("output"), json::parse(R"({"output":3})"));
}

TEST_F(WorkerTest, a_step_failing_every_attempt_fails_the_run_after_the_nodes_maximum_attempts) {
  json::object config{{"failTimes", 100}, {"retryPolicy", {{"maximumAttempts", 2}}}};
  const std::string id =
      start("user-a", make_routine("user-a", {node("a", "test-count"), node("b", "test-flaky", config)},
                                   {edge("a", "b")}))
          .execution_id;
  {
    RunningWorker worker(options(), plugins);
    ASSERT_TRUE(eventually([&] { return terminal(id); }));
  }
  json::object e = execution(id);
  EXPECT_EQ(e["status"], "failed") << json::serialize(e);
  EXPECT_EQ(plugins.flaky.calls, 2);
  EXPECT_NE(std::string(e["error"].as_object()["message"].as_string()).find("flaky 2"), std::string::npos)
      << json::serialize(e);
  const json::object& b = e["nodeStates"].as_array()[1].as_object();
  EXPECT_EQ(b.at("status"), "failed");
}

TEST_F(WorkerTest, the_run_cap_ends_a_run_as_timeout) {
  const std::string id =
      start("user-a",
            make_routine("user-a", {node("a", "test-count"), node("b", "test-block")}, {edge("a", "b")}))
          .execution_id;
  WorkerOptions o = options();
  o.run.max_execution_time_ms = 300;
  {
    RunningWorker worker(o, plugins);
    ASSERT_TRUE(eventually([&] { return terminal(id); }));
  }
  json::object e = execution(id);
  EXPECT_EQ(e["status"], "timeout") << json::serialize(e);
  EXPECT_EQ(count("SELECT count(*) FROM execution_queue"), 0);
}

TEST_F(WorkerTest, two_workers_run_every_execution_exactly_once) {
  std::vector<std::string> ids;
  for (int i = 0; i < 12; ++i) {
    const std::string user = i % 2 == 0 ? "user-a" : "user-b";
    ids.push_back(start(user, make_chain(user)).execution_id);
  }
  {
    RunningWorker w1(options(2), plugins);
    RunningWorker w2(options(2), plugins);
    ASSERT_TRUE(eventually([&] { return count("SELECT count(*) FROM execution_queue") == 0; }));
    w1.stop();
    w2.stop();
    EXPECT_EQ(w1.worker().stats().finished + w2.worker().stats().finished, 12);
    EXPECT_EQ(w1.worker().stats().lease_lost + w2.worker().stats().lease_lost, 0);
  }
  EXPECT_EQ(plugins.counting.total_calls(), 36);  // 12 runs × 3 nodes, each exactly once
  for (const std::string& id : ids) {
    json::object e = execution(id);
    EXPECT_EQ(e["status"], "completed");
    EXPECT_EQ(e["nodeStates"].as_array().size(), 3U);
  }
}

TEST_F(WorkerTest, cancel_stops_a_running_execution) {
  const std::string id =
      start("user-a",
            make_routine("user-a", {node("a", "test-block"), node("b", "test-count")}, {edge("a", "b")}))
          .execution_id;
  RunningWorker worker(options(), plugins);
  ASSERT_TRUE(eventually([&] { return plugins.blocking.entered == 1; }));
  EXPECT_EQ(status(id), "running");
  ASSERT_TRUE(run(request_cancel(as("user-a"), id)));
  ASSERT_TRUE(eventually([&] { return terminal(id); }));
  json::object e = execution(id);
  EXPECT_EQ(e["status"], "cancelled") << json::serialize(e);
  EXPECT_FALSE(e["completedAt"].is_null());
  EXPECT_EQ(plugins.counting.calls("b"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM execution_queue"), 0);
  EXPECT_FALSE(run(request_cancel(as("user-a"), id)));  // already finished
}

TEST_F(WorkerTest, cancel_reaches_the_worker_through_notify_before_its_next_heartbeat) {
  const std::string id =
      start("user-a",
            make_routine("user-a", {node("a", "test-block"), node("b", "test-count")}, {edge("a", "b")}))
          .execution_id;
  WorkerOptions o = options();
  o.heartbeat_interval = 10min;  // only the kianax_run_cancel notification can stop it within the wait
  RunningWorker worker(o, plugins);
  ASSERT_TRUE(eventually([&] { return plugins.blocking.entered == 1; }));
  ASSERT_TRUE(run(request_cancel(as("user-a"), id)));
  ASSERT_TRUE(eventually([&] { return terminal(id); }, std::chrono::seconds(30)));
  EXPECT_EQ(status(id), "cancelled");
}

TEST_F(WorkerTest, a_pending_execution_cancelled_before_any_worker_never_runs) {
  const std::string id = start("user-a", make_chain("user-a")).execution_id;
  ASSERT_TRUE(run(request_cancel(as("user-a"), id)));
  {
    RunningWorker worker(options(), plugins);
    ASSERT_TRUE(eventually([&] { return terminal(id); }));
  }
  EXPECT_EQ(status(id), "cancelled");
  EXPECT_EQ(plugins.counting.total_calls(), 0);
}

TEST_F(WorkerTest, graceful_stop_releases_a_running_execution_and_another_worker_finishes_it) {
  const std::string id =
      start("user-a",
            make_routine("user-a", {node("a", "test-count"), node("b", "test-block")}, {edge("a", "b")}))
          .execution_id;
  WorkerOptions o = options();
  o.drain_timeout = 0ms;  // release at once
  {
    RunningWorker first(o, plugins);
    ASSERT_TRUE(eventually([&] { return plugins.blocking.entered == 1; }));
    first.stop();
    EXPECT_EQ(first.worker().stats().released, 1);
  }
  EXPECT_EQ(status(id), "running");
  EXPECT_EQ(
      count("SELECT count(*) FROM execution_queue WHERE lease_owner IS NULL AND checkpoint IS NOT NULL"), 1);
  // b was interrupted, so it is still "running" in the record: it runs again, a does not.
  plugins.blocking.open = true;
  {
    RunningWorker second(options(), plugins);
    ASSERT_TRUE(eventually([&] { return terminal(id); }));
  }
  json::object e = execution(id);
  EXPECT_EQ(e["status"], "completed") << json::serialize(e);
  EXPECT_EQ(plugins.counting.calls("a"), 1);
  EXPECT_EQ(plugins.blocking.entered, 2);
  EXPECT_EQ(e["nodeStates"].as_array().size(), 2U);
  EXPECT_EQ(e["executionPath"], json::parse(R"(["a","b"])"));
}

TEST_F(WorkerTest, the_per_user_cap_keeps_one_user_from_taking_every_slot) {
  // user-a's three blocking runs are older than user-b's run; with 3 slots and no cap they would take
  // every slot and user-b's run could never start.
  std::vector<std::string> a_runs;
  for (int i = 0; i < 3; ++i) {
    a_runs.push_back(
        start("user-a",
              make_routine("user-a", {node("a", "test-block"), node("b", "test-count")}, {edge("a", "b")}))
            .execution_id);
  }
  const std::string b_run = start("user-b", make_chain("user-b")).execution_id;
  WorkerOptions o = options(3);
  o.run.per_user_cap = 1;
  o.run.cap_retry_delay = 20ms;
  RunningWorker worker(o, plugins);
  ASSERT_TRUE(eventually([&] { return terminal(b_run); }));
  EXPECT_EQ(status(b_run), "completed");
  EXPECT_EQ(plugins.blocking.entered, 1);
  EXPECT_EQ(count("SELECT count(*) FROM routine_executions WHERE user_id = 'user-a' AND status = 'running'"),
            1);
  plugins.blocking.open = true;
  ASSERT_TRUE(eventually([&] {
    return std::all_of(a_runs.begin(), a_runs.end(), [&](const std::string& id) { return terminal(id); });
  }));
  for (const std::string& id : a_runs) EXPECT_EQ(status(id), "completed");
  EXPECT_EQ(plugins.blocking.entered, 3);
  EXPECT_GE(worker.worker().stats().deferred, 1);
  EXPECT_EQ(count("SELECT count(*) FROM execution_queue"), 0);
}

TEST_F(WorkerTest, listen_wakes_an_idle_worker) {
  WorkerOptions o = options(1);
  o.poll_min = 60s;  // polling alone would not find the run within the wait below
  o.poll_max = 60s;
  RunningWorker worker(o, plugins);
  // Give the slot time to go idle (its first claim finds nothing) before enqueueing; if it has not yet,
  // the test passes without exercising LISTEN, but it cannot pass when LISTEN is broken and it had.
  std::this_thread::sleep_for(200ms);
  const std::string id = start("user-a", make_chain("user-a")).execution_id;
  EXPECT_TRUE(eventually([&] { return terminal(id); }, std::chrono::seconds(30)));
}

}  // namespace
}  // namespace kianax::worker::testing
