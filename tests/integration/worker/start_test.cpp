// start_execution / request_cancel: what executions.start and executions.cancel write, and what they
// refuse to write.
#include "worker_fixture.hpp"

namespace kianax::worker::testing {
namespace {

TEST_F(WorkerTest, start_writes_a_pending_execution_its_queue_row_and_last_executed_at) {
  const std::string routine = make_chain("user-a");
  const StartResult started = start("user-a", routine);
  ASSERT_EQ(started.status, StartResult::Status::kStarted);
  EXPECT_TRUE(started.workflow_id.starts_with("manual-" + routine + "-")) << started.workflow_id;
  EXPECT_EQ(started.run_id.size(), 36U);

  json::object e = execution(started.execution_id);
  EXPECT_EQ(e["status"], "pending");
  EXPECT_EQ(e["workflowId"], json::value(started.workflow_id));
  EXPECT_EQ(e["triggerType"], "manual");
  EXPECT_TRUE(e["startedAt"].is_null());
  EXPECT_EQ(e["nodeStates"], json::array());
  EXPECT_EQ(e["triggerData"].as_object().at("source"), "manual-trigger");
  db::SyncConnection c = owner();
  EXPECT_EQ(c.exec("SELECT count(*) FROM execution_queue WHERE execution_id = $1::uuid AND user_id = 'user-a'"
                   " AND lease_owner IS NULL AND NOT cancel_requested AND routine->>'id' = $2",
                   db::Params(started.execution_id, routine))
                .front()
                .get<std::int64_t>(0),
            1);
  EXPECT_EQ(count("SELECT count(*) FROM routines WHERE last_executed_at IS NOT NULL"), 1);
}

TEST_F(WorkerTest, start_keeps_the_given_trigger_type_and_data) {
  const std::string routine = make_chain("user-a");
  const StartResult started =
      run(start_execution(as("user-a"), {.routine_id = routine,
                                         .trigger_type = store::ExecutionTrigger::kWebhook,
                                         .trigger_data = json::parse(R"({"body":{"x":1}})")}));
  ASSERT_EQ(started.status, StartResult::Status::kStarted);
  EXPECT_TRUE(started.workflow_id.starts_with("webhook-")) << started.workflow_id;
  json::object e = execution(started.execution_id);
  EXPECT_EQ(e["triggerType"], "webhook");
  EXPECT_EQ(e["triggerData"], json::parse(R"({"body":{"x":1}})"));
}

TEST_F(WorkerTest, an_invalid_graph_is_rejected_with_the_validators_errors_and_nothing_is_written) {
  // b → a → b: no entry node, a cycle.
  const std::string routine = make_routine("user-a", {node("a", "test-count"), node("b", "test-count")},
                                           {edge("a", "b"), edge("b", "a")});
  const StartResult r = run(start_execution(as("user-a"), {.routine_id = routine}));
  EXPECT_EQ(r.status, StartResult::Status::kInvalidGraph);
  ASSERT_FALSE(r.errors.empty());
  EXPECT_TRUE(r.message.starts_with("Invalid routine graph:")) << r.message;
  EXPECT_TRUE(r.execution_id.empty());
  EXPECT_EQ(count("SELECT count(*) FROM routine_executions"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM execution_queue"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM routines WHERE last_executed_at IS NOT NULL"), 0);
}

TEST_F(WorkerTest, a_routine_that_cannot_be_loaded_is_rejected_too) {
  const std::string routine =
      make_routine("user-a", {node("a", "test-count"), node("a", "test-count")}, {});  // duplicate id
  const StartResult r = run(start_execution(as("user-a"), {.routine_id = routine}));
  EXPECT_EQ(r.status, StartResult::Status::kInvalidGraph);
  ASSERT_EQ(r.errors.size(), 1U);
  EXPECT_EQ(r.errors[0].type, "invalid_routine");
  EXPECT_EQ(count("SELECT count(*) FROM routine_executions"), 0);
}

TEST_F(WorkerTest, another_users_routine_is_not_found_and_nothing_is_written) {
  const std::string routine = make_chain("user-a");
  EXPECT_EQ(run(start_execution(as("user-b"), {.routine_id = routine})).status,
            StartResult::Status::kNotFound);
  EXPECT_EQ(run(start_execution(as("user-a"), {.routine_id = "not-a-uuid"})).status,
            StartResult::Status::kNotFound);
  EXPECT_EQ(count("SELECT count(*) FROM routine_executions"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM execution_queue"), 0);
}

TEST_F(WorkerTest, user_b_sees_and_cancels_none_of_user_as_runs) {
  const StartResult started = start("user-a", make_chain("user-a"));
  auto visible = [&](const std::string& user, const std::string& table, const std::string& column) {
    db::Result r = run(as(user).query("SELECT count(*) FROM " + table + " WHERE " + column + " = $1::uuid",
                                      db::Params(started.execution_id)));
    return r.front().get<std::int64_t>(0);
  };
  EXPECT_EQ(visible("user-a", "routine_executions", "id"), 1);
  EXPECT_EQ(visible("user-a", "execution_queue", "execution_id"), 1);
  EXPECT_EQ(visible("user-b", "routine_executions", "id"), 0);
  EXPECT_EQ(visible("user-b", "execution_queue", "execution_id"), 0);
  EXPECT_FALSE(run(request_cancel(as("user-b"), started.execution_id)));
  EXPECT_EQ(count("SELECT count(*) FROM execution_queue WHERE cancel_requested"), 0);
  EXPECT_TRUE(run(request_cancel(as("user-a"), started.execution_id)));
  EXPECT_EQ(count("SELECT count(*) FROM execution_queue WHERE cancel_requested"), 1);
}

TEST_F(WorkerTest, neither_app_role_nor_claimer_role_can_bypass_rls) {
  EXPECT_EQ(count("SELECT count(*) FROM pg_roles WHERE rolname IN ('kianax_app', 'kianax_queue_claimer')"
                  " AND NOT rolbypassrls AND NOT rolsuper AND NOT rolcanlogin"),
            2);
  // The app role is not a member of the claimer role: it can only call the claim function.
  EXPECT_EQ(count("SELECT count(*) FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid"
                  " JOIN pg_roles u ON u.oid = m.member"
                  " WHERE r.rolname = 'kianax_queue_claimer' AND u.rolname LIKE 'kianax_app%'"),
            0);
}

}  // namespace
}  // namespace kianax::worker::testing
