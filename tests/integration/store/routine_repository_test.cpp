#include "store/routine_repository.hpp"

#include <boost/json/parse.hpp>

#include "store/execution_repository.hpp"
#include "store_fixture.hpp"

namespace kianax::store {
namespace {
namespace json = boost::json;
using RoutineRepositoryTest = testing::StoreTest;

NewRoutine named(const std::string& name) {
  NewRoutine r;
  r.name = name;
  return r;
}

TEST_F(RoutineRepositoryTest, create_applies_the_seed_defaults) {
  const Routine r = run(routines::create(as("user-a"), named("Daily report")));
  EXPECT_EQ(r.id.size(), 36u);
  EXPECT_EQ(r.user_id, "user-a");
  EXPECT_EQ(r.name, "Daily report");
  EXPECT_EQ(r.status, RoutineStatus::kDraft);
  EXPECT_EQ(r.trigger_type, RoutineTrigger::kManual);
  EXPECT_EQ(r.version, 1);
  EXPECT_EQ(r.tags, json::value(json::array()));
  EXPECT_EQ(r.variables, json::value(json::array()));
  EXPECT_EQ(r.nodes, json::value(json::array()));
  EXPECT_FALSE(r.description.has_value());
  EXPECT_FALSE(r.last_executed_at.has_value());
  EXPECT_EQ(r.created_at, r.updated_at);
}

TEST_F(RoutineRepositoryTest, create_stores_every_field) {
  NewRoutine n = named("Cron job");
  n.description = "runs hourly";
  n.status = RoutineStatus::kActive;
  n.trigger_type = RoutineTrigger::kCron;
  n.trigger_config = json::parse(R"({"schedule":"0 * * * *"})");
  n.nodes = json::parse(R"([{"id":"n1","pluginId":"static-data","label":"S","position":{"x":1,"y":2}}])");
  n.connections = json::parse(R"([{"id":"c1","sourceNodeId":"n1","targetNodeId":"n2"}])");
  n.tags = json::parse(R"(["ops"])");
  const Routine created = run(routines::create(as("user-a"), n));
  const auto got = run(routines::get_by_id(as("user-a"), created.id));
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->description, "runs hourly");
  EXPECT_EQ(got->status, RoutineStatus::kActive);
  EXPECT_EQ(got->trigger_type, RoutineTrigger::kCron);
  EXPECT_EQ(got->trigger_config, n.trigger_config);
  EXPECT_EQ(got->nodes, n.nodes);
  EXPECT_EQ(got->connections, n.connections);
  EXPECT_EQ(got->tags, n.tags);
}

TEST_F(RoutineRepositoryTest, get_by_id_answers_not_found_for_missing_and_malformed_ids) {
  EXPECT_FALSE(run(routines::get_by_id(as("user-a"), "00000000-0000-0000-0000-000000000000")).has_value());
  EXPECT_FALSE(run(routines::get_by_id(as("user-a"), "not-a-uuid")).has_value());
  EXPECT_FALSE(run(routines::get_by_id(as("user-a"), "jd7abc123convexid")).has_value());
}

TEST_F(RoutineRepositoryTest, list_by_user_orders_by_updated_at_desc_and_filters_status) {
  const Routine first = run(routines::create(as("user-a"), named("first")));
  NewRoutine active = named("second");
  active.status = RoutineStatus::kActive;
  (void)run(routines::create(as("user-a"), active));
  (void)run(routines::create(as("user-b"), named("other user's")));
  // Touch the first one so it becomes the most recently updated.
  RoutinePatch rename;
  rename.name = "first, renamed";
  ASSERT_TRUE(run(routines::update(as("user-a"), first.id, rename)).has_value());

  const auto all = run(routines::list_by_user(as("user-a")));
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].name, "first, renamed");
  EXPECT_EQ(all[1].name, "second");
  EXPECT_GE(all[0].updated_at, all[1].updated_at);

  const auto only_active = run(routines::list_by_user(as("user-a"), RoutineStatus::kActive));
  ASSERT_EQ(only_active.size(), 1u);
  EXPECT_EQ(only_active[0].name, "second");
  EXPECT_TRUE(run(routines::list_by_user(as("user-a"), RoutineStatus::kArchived)).empty());
}

TEST_F(RoutineRepositoryTest, update_changes_only_given_fields_without_version_bump) {
  NewRoutine n = named("before");
  n.description = "keep me";
  const Routine r = run(routines::create(as("user-a"), n));
  RoutinePatch patch;
  patch.name = "after";
  patch.status = RoutineStatus::kPaused;
  const auto updated = run(routines::update(as("user-a"), r.id, patch));
  ASSERT_TRUE(updated.has_value());
  EXPECT_EQ(updated->name, "after");
  EXPECT_EQ(updated->status, RoutineStatus::kPaused);
  EXPECT_EQ(updated->description, "keep me");
  EXPECT_EQ(updated->version, 1);
}

TEST_F(RoutineRepositoryTest, update_with_nodes_or_connections_bumps_version_in_the_same_update) {
  const Routine r = run(routines::create(as("user-a"), named("graph")));
  RoutinePatch nodes;
  nodes.nodes = json::parse(R"([{"id":"n1"}])");
  const auto v2 = run(routines::update(as("user-a"), r.id, nodes));
  ASSERT_TRUE(v2.has_value());
  EXPECT_EQ(v2->version, 2);
  EXPECT_EQ(v2->nodes, *nodes.nodes);
  RoutinePatch connections;
  connections.connections = json::array();  // unchanged content still counts as a save
  EXPECT_EQ(run(routines::update(as("user-a"), r.id, connections))->version, 3);
  RoutinePatch both;
  both.nodes = json::array();
  both.connections = json::array();
  EXPECT_EQ(run(routines::update(as("user-a"), r.id, both))->version, 4);
}

TEST_F(RoutineRepositoryTest, update_can_clear_nullable_fields_and_set_the_rest) {
  NewRoutine n = named("clear");
  n.description = "old";
  n.trigger_config = json::parse(R"({"a":1})");
  const Routine r = run(routines::create(as("user-a"), n));
  RoutinePatch patch;
  patch.description = std::optional<std::string>();
  patch.trigger_config = std::optional<json::value>();
  patch.trigger_type = RoutineTrigger::kWebhook;
  patch.variables = json::parse(R"([{"id":"v1","name":"x","type":"string","value":"y"}])");
  patch.last_executed_at = EpochMs{1700000000123};
  const auto updated = run(routines::update(as("user-a"), r.id, patch));
  ASSERT_TRUE(updated.has_value());
  EXPECT_FALSE(updated->description.has_value());
  EXPECT_FALSE(updated->trigger_config.has_value());
  EXPECT_EQ(updated->trigger_type, RoutineTrigger::kWebhook);
  EXPECT_EQ(updated->variables, *patch.variables);
  EXPECT_EQ(updated->last_executed_at, 1700000000123);
  EXPECT_EQ(updated->version, 1);
}

TEST_F(RoutineRepositoryTest, epoch_ms_maps_exactly_to_timestamptz) {
  const Routine r = run(routines::create(as("user-a"), named("clock")));
  RoutinePatch patch;
  patch.last_executed_at = EpochMs{1700000000123};
  (void)run(routines::update(as("user-a"), r.id, patch));
  auto c = owner();
  const auto text =
      c.exec("SELECT (last_executed_at AT TIME ZONE 'UTC')::text FROM routines WHERE id = $1::uuid",
             db::Params(r.id));
  EXPECT_EQ(text.front().get<std::string>(0), "2023-11-14 22:13:20.123");
}

TEST_F(RoutineRepositoryTest, update_of_missing_routine_is_not_found) {
  RoutinePatch patch;
  patch.name = "x";
  EXPECT_FALSE(
      run(routines::update(as("user-a"), "00000000-0000-0000-0000-000000000000", patch)).has_value());
}

TEST_F(RoutineRepositoryTest, remove_deletes_the_routine_and_cascades_to_executions) {
  const Routine r = run(routines::create(as("user-a"), named("doomed")));
  NewExecution e;
  e.routine_id = r.id;
  e.workflow_id = "wf-1";
  e.run_id = "run-1";
  ASSERT_TRUE(run(executions::create(as("user-a"), e)).has_value());
  EXPECT_TRUE(run(routines::remove(as("user-a"), r.id)));
  EXPECT_FALSE(run(routines::get_by_id(as("user-a"), r.id)).has_value());
  EXPECT_FALSE(run(executions::get_by_workflow_id(as("user-a"), "wf-1")).has_value());
  EXPECT_FALSE(run(routines::remove(as("user-a"), r.id)));
}

TEST_F(RoutineRepositoryTest, joins_a_callers_transaction_and_rolls_back_with_it) {
  const Routine r = run(routines::create(as("user-a"), named("tx")));
  EXPECT_THROW(run(db::with_user_tx(pool, "user-a", db::deadline_after(std::chrono::seconds(5)),
                                    [&](db::Transaction& tx) -> boost::asio::awaitable<void> {
                                      RoutinePatch patch;
                                      patch.nodes = json::parse(R"([{"id":"n1"}])");
                                      (void)co_await routines::update(tx, r.id, patch);
                                      RoutinePatch vars;
                                      vars.variables = json::array();
                                      (void)co_await routines::update(tx, r.id, vars);
                                      throw std::runtime_error("save failed half-way");
                                    })),
               std::runtime_error);
  const auto after = run(routines::get_by_id(as("user-a"), r.id));
  EXPECT_EQ(after->version, 1);
  EXPECT_EQ(after->nodes, json::value(json::array()));
}

}  // namespace
}  // namespace kianax::store
