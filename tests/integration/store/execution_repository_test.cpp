#include "store/execution_repository.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/json/parse.hpp>
#include <set>

#include "store/routine_repository.hpp"
#include "store_fixture.hpp"

namespace kianax::store {
namespace {
namespace json = boost::json;

class ExecutionRepositoryTest : public testing::StoreTest {
 protected:
  std::string routine_id = make_routine("user-a");

  std::string make_routine(const std::string& user) {
    NewRoutine r;
    r.name = "routine of " + user;
    return run(routines::create(as(user), r)).id;
  }
  Execution start(const std::string& workflow_id, std::optional<EpochMs> started_at = std::nullopt) {
    NewExecution e;
    e.routine_id = routine_id;
    e.workflow_id = workflow_id;
    e.run_id = "run-" + workflow_id;
    e.started_at = started_at;
    auto created = run(executions::create(as("user-a"), e));
    EXPECT_TRUE(created.has_value());
    return *created;
  }
  json::array states(const std::string& workflow_id) {
    return run(executions::get_by_workflow_id(as("user-a"), workflow_id))->node_states.as_array();
  }
  void store(const NodeResult& r, const std::string& workflow_id = "wf") {
    ASSERT_TRUE(run(executions::store_node_result(as("user-a"), workflow_id, r)));
  }
};

NodeResult node(const std::string& id, NodeStatus status) {
  NodeResult r;
  r.node_id = id;
  r.status = status;
  return r;
}

TEST_F(ExecutionRepositoryTest, create_starts_a_running_execution_with_no_node_states) {
  NewExecution e;
  e.routine_id = routine_id;
  e.workflow_id = "wf-1";
  e.run_id = "run-1";
  e.trigger_type = ExecutionTrigger::kWebhook;
  e.trigger_data = json::parse(R"({"body":{"a":1}})");
  const auto created = run(executions::create(as("user-a"), e));
  ASSERT_TRUE(created.has_value());
  EXPECT_EQ(created->status, ExecutionStatus::kRunning);
  EXPECT_EQ(created->trigger_type, ExecutionTrigger::kWebhook);
  EXPECT_EQ(created->trigger_data, e.trigger_data);
  EXPECT_EQ(created->node_states, json::value(json::array()));
  EXPECT_EQ(created->execution_path, json::value(json::array()));
  EXPECT_EQ(created->routine_id, routine_id);
  EXPECT_EQ(created->user_id, "user-a");
  ASSERT_TRUE(created->started_at.has_value());
  EXPECT_FALSE(created->completed_at.has_value());
}

TEST_F(ExecutionRepositoryTest, create_refuses_another_users_routine) {
  const std::string foreign = make_routine("user-b");
  NewExecution e;
  e.routine_id = foreign;
  e.workflow_id = "wf";
  e.run_id = "run";
  EXPECT_FALSE(run(executions::create(as("user-a"), e)).has_value());
  auto c = owner();
  EXPECT_EQ(c.exec("SELECT count(*) FROM routine_executions").front().get<std::int64_t>(0), 0);
}

TEST_F(ExecutionRepositoryTest, node_goes_running_then_completed_in_one_entry_with_duration) {
  (void)start("wf");
  NodeResult running = node("n1", NodeStatus::kRunning);
  running.started_at = 1000;
  store(running);
  NodeResult done = node("n1", NodeStatus::kCompleted);
  done.output = json::parse(R"({"value":42,"nothing":null})");
  done.completed_at = 1250;
  store(done);
  const auto s = states("wf");
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0], json::parse(R"({"nodeId":"n1","status":"completed","startedAt":1000,"completedAt":1250,
                                  "duration":250,"output":{"value":42,"nothing":null}})"));
}

TEST_F(ExecutionRepositoryTest, failed_node_records_error_and_duration) {
  (void)start("wf");
  NodeResult running = node("n1", NodeStatus::kRunning);
  running.started_at = 5000;
  store(running);
  NodeResult failed = node("n1", NodeStatus::kFailed);
  failed.error = json::parse(R"({"message":"boom","stack":"at x"})");
  failed.completed_at = 5007;
  store(failed);
  const auto s = states("wf");
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].at("status"), "failed");
  EXPECT_EQ(s[0].at("error").at("message"), "boom");
  EXPECT_EQ(s[0].at("duration"), 7);
  EXPECT_FALSE(s[0].as_object().contains("output"));
}

TEST_F(ExecutionRepositoryTest, rerun_sets_existing_entry_running_and_keeps_stale_fields) {
  (void)start("wf");
  NodeResult r1 = node("loop", NodeStatus::kRunning);
  r1.started_at = 100;
  store(r1);
  NodeResult c1 = node("loop", NodeStatus::kCompleted);
  c1.output = json::value(1);
  c1.completed_at = 110;
  store(c1);
  NodeResult r2 = node("loop", NodeStatus::kRunning);
  r2.started_at = 200;
  store(r2);
  auto s = states("wf");
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].at("status"), "running");
  EXPECT_EQ(s[0].at("startedAt"), 200);
  EXPECT_EQ(s[0].at("output"), 1);  // api-spec §2: stale output kept while running again
  NodeResult c2 = node("loop", NodeStatus::kCompleted);
  c2.output = json::value(2);
  c2.completed_at = 230;
  store(c2);
  s = states("wf");
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].at("output"), 2);
  EXPECT_EQ(s[0].at("duration"), 30);
}

TEST_F(ExecutionRepositoryTest, terminal_result_without_running_entry_is_appended) {
  (void)start("wf");
  NodeResult done = node("n9", NodeStatus::kCompleted);
  done.started_at = 10;
  done.completed_at = 15;
  done.output = json::value(nullptr);
  done.iteration = 3;
  store(done);
  const auto s = states("wf");
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0], json::parse(R"({"nodeId":"n9","status":"completed","output":null,"startedAt":10,
                                  "completedAt":15,"duration":5,"iteration":3})"));
}

TEST_F(ExecutionRepositoryTest, entries_keep_their_order) {
  (void)start("wf");
  for (const char* id : {"a", "b", "c"}) store(node(id, NodeStatus::kRunning));
  store(node("b", NodeStatus::kCompleted));
  const auto s = states("wf");
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].at("nodeId"), "a");
  EXPECT_EQ(s[1].at("nodeId"), "b");
  EXPECT_EQ(s[1].at("status"), "completed");
  EXPECT_EQ(s[2].at("nodeId"), "c");
}

TEST_F(ExecutionRepositoryTest, parallel_node_writes_are_not_lost) {
  (void)start("wf");
  constexpr int kNodes = 24;
  int finished = 0;
  for (int i = 0; i < kNodes; ++i) {
    boost::asio::co_spawn(
        io,
        [&, i]() -> boost::asio::awaitable<void> {
          const std::string id = "n" + std::to_string(i);
          NodeResult r = node(id, NodeStatus::kRunning);
          r.started_at = 1;
          (void)co_await executions::store_node_result(as("user-a"), "wf", r);
          NodeResult c = node(id, NodeStatus::kCompleted);
          c.completed_at = 2;
          c.output = json::value(i);
          (void)co_await executions::store_node_result(as("user-a"), "wf", c);
          ++finished;
        },
        boost::asio::detached);
  }
  io.restart();
  io.run();
  ASSERT_EQ(finished, kNodes);
  const auto s = states("wf");
  ASSERT_EQ(s.size(), static_cast<size_t>(kNodes));
  std::set<std::string> ids;
  for (const auto& entry : s) {
    EXPECT_EQ(entry.at("status"), "completed");
    ids.insert(std::string(entry.at("nodeId").as_string()));
  }
  EXPECT_EQ(ids.size(), static_cast<size_t>(kNodes));
}

TEST_F(ExecutionRepositoryTest, store_node_result_for_unknown_workflow_reports_not_found) {
  EXPECT_FALSE(run(executions::store_node_result(as("user-a"), "nope", node("n1", NodeStatus::kRunning))));
}

TEST_F(ExecutionRepositoryTest, update_status_computes_duration_from_stored_start) {
  (void)start("wf", EpochMs{1700000000000});
  StatusUpdate u;
  u.status = ExecutionStatus::kCompleted;
  u.completed_at = 1700000001500;
  u.execution_path = json::parse(R"(["a","b","a"])");
  const auto updated = run(executions::update_status(as("user-a"), "wf", u));
  ASSERT_TRUE(updated.has_value());
  EXPECT_EQ(updated->status, ExecutionStatus::kCompleted);
  EXPECT_EQ(updated->started_at, 1700000000000);
  EXPECT_EQ(updated->completed_at, 1700000001500);
  EXPECT_EQ(updated->duration, 1500);
  EXPECT_EQ(updated->execution_path, u.execution_path);
  EXPECT_FALSE(updated->error.has_value());
}

TEST_F(ExecutionRepositoryTest, update_status_overwrites_start_and_keeps_absent_fields) {
  (void)start("wf", EpochMs{1000});
  StatusUpdate running;
  running.status = ExecutionStatus::kRunning;
  running.started_at = 2000;
  const auto r = run(executions::update_status(as("user-a"), "wf", running));
  EXPECT_EQ(r->started_at, 2000);
  EXPECT_FALSE(r->duration.has_value());
  StatusUpdate failed;
  failed.status = ExecutionStatus::kFailed;
  failed.completed_at = 2600;
  failed.error = json::parse(R"({"message":"Node n1 (http) failed: boom"})");
  const auto f = run(executions::update_status(as("user-a"), "wf", failed));
  EXPECT_EQ(f->status, ExecutionStatus::kFailed);
  EXPECT_EQ(f->duration, 600);
  EXPECT_EQ(f->error, failed.error);
  EXPECT_EQ(f->execution_path, json::value(json::array()));  // not sent: unchanged
}

TEST_F(ExecutionRepositoryTest, update_status_of_unknown_workflow_is_not_found) {
  StatusUpdate u;
  EXPECT_FALSE(run(executions::update_status(as("user-a"), "missing", u)).has_value());
}

TEST_F(ExecutionRepositoryTest, get_by_workflow_id_returns_the_newest_run) {
  (void)start("reused");
  const Execution second = start("reused");
  const auto got = run(executions::get_by_workflow_id(as("user-a"), "reused"));
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->id, second.id);
}

TEST_F(ExecutionRepositoryTest, list_by_routine_is_newest_first_and_limited) {
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(start("wf-" + std::to_string(i)).id);
  const auto all = run(executions::list_by_routine(as("user-a"), routine_id));
  ASSERT_EQ(all.size(), 5u);
  EXPECT_EQ(all.front().id, ids.back());
  EXPECT_EQ(all.back().id, ids.front());
  const auto two = run(executions::list_by_routine(as("user-a"), routine_id, 2));
  ASSERT_EQ(two.size(), 2u);
  EXPECT_EQ(two[0].id, ids[4]);
  EXPECT_EQ(two[1].id, ids[3]);
  EXPECT_TRUE(run(executions::list_by_routine(as("user-a"), "bogus")).empty());
}

}  // namespace
}  // namespace kianax::store
