// RLS isolation through the app role: the repositories and raw SQL on an app-role connection.
#include <boost/json/parse.hpp>

#include "db/db_error.hpp"
#include "store/credential_repository.hpp"
#include "store/execution_repository.hpp"
#include "store/routine_repository.hpp"
#include "store/settings_repository.hpp"
#include "store_fixture.hpp"

namespace kianax::store {
namespace {
namespace json = boost::json;

constexpr const char* kTables[] = {"routines", "routine_executions", "user_credentials", "user_settings"};

class RlsIsolationTest : public testing::StoreTest {
 protected:
  Routine a_routine;
  CredentialSummary a_credential;

  void SetUp() override {
    NewRoutine r;
    r.name = "A's routine";
    a_routine = run(routines::create(as("user-a"), r));
    NewExecution e;
    e.routine_id = a_routine.id;
    e.workflow_id = "wf-a";
    e.run_id = "run-a";
    ASSERT_TRUE(run(executions::create(as("user-a"), e)).has_value());
    a_credential =
        run(credentials::create(as("user-a"), NewCredential{"openai-api", "A's key", "secret-a", {}}));
    (void)run(settings::upsert(as("user-a"), Theme::kDark));
  }

  // Count of every table as the owner sees it (superuser: not filtered).
  std::int64_t owner_count(const std::string& table) {
    auto c = owner();
    return c.exec("SELECT count(*) FROM " + table).front().get<std::int64_t>(0);
  }

  // Raw SQL on an app-role connection inside a transaction with `user` as context.
  db::Result app_sql_as(db::SyncConnection& c, const std::string& user, const std::string& sql) {
    c.exec("BEGIN");
    c.exec("SELECT set_config('app.current_user_id', $1, true)", db::Params(user));
    try {
      db::Result r = c.exec(sql);
      c.exec("COMMIT");
      return r;
    } catch (...) {
      c.exec("ROLLBACK");
      throw;
    }
  }
};

TEST_F(RlsIsolationTest, user_b_cannot_read_a_rows_through_repositories) {
  EXPECT_FALSE(run(routines::get_by_id(as("user-b"), a_routine.id)).has_value());
  EXPECT_TRUE(run(routines::list_by_user(as("user-b"))).empty());
  EXPECT_FALSE(run(executions::get_by_workflow_id(as("user-b"), "wf-a")).has_value());
  EXPECT_TRUE(run(executions::list_by_routine(as("user-b"), a_routine.id)).empty());
  EXPECT_FALSE(run(credentials::get(as("user-b"), a_credential.id)).has_value());
  EXPECT_TRUE(run(credentials::list(as("user-b"))).empty());
  EXPECT_FALSE(run(settings::get(as("user-b"))).has_value());
}

TEST_F(RlsIsolationTest, user_b_cannot_change_or_delete_a_rows_through_repositories) {
  RoutinePatch patch;
  patch.name = "hijacked";
  patch.nodes = json::array();
  EXPECT_FALSE(run(routines::update(as("user-b"), a_routine.id, patch)).has_value());
  EXPECT_FALSE(run(routines::remove(as("user-b"), a_routine.id)));
  NodeResult n;
  n.node_id = "x";
  EXPECT_FALSE(run(executions::store_node_result(as("user-b"), "wf-a", n)));
  EXPECT_FALSE(run(executions::update_status(as("user-b"), "wf-a", StatusUpdate{})).has_value());
  EXPECT_FALSE(
      run(credentials::update(as("user-b"), a_credential.id, "mine", std::string_view("x"))).has_value());
  EXPECT_FALSE(run(credentials::update_data(as("user-b"), a_credential.id, "x")));
  EXPECT_FALSE(run(credentials::remove(as("user-b"), a_credential.id)));
  // B's settings upsert creates B's own row; A's stays as it was.
  (void)run(settings::upsert(as("user-b"), Theme::kLight));

  const auto routine = run(routines::get_by_id(as("user-a"), a_routine.id));
  ASSERT_TRUE(routine.has_value());
  EXPECT_EQ(routine->name, "A's routine");
  EXPECT_EQ(routine->version, 1);
  const auto execution = run(executions::get_by_workflow_id(as("user-a"), "wf-a"));
  EXPECT_EQ(execution->status, ExecutionStatus::kRunning);
  EXPECT_TRUE(execution->node_states.as_array().empty());
  const auto credential = run(credentials::get(as("user-a"), a_credential.id));
  EXPECT_EQ(credential->name, "A's key");
  EXPECT_EQ(credential->data, "secret-a");
  EXPECT_EQ(run(settings::get(as("user-a")))->theme, Theme::kDark);
}

TEST_F(RlsIsolationTest, raw_sql_as_user_b_sees_and_touches_nothing_of_a) {
  auto c = app();
  for (const char* table : kTables) {
    EXPECT_EQ(
        app_sql_as(c, "user-b", std::string("SELECT count(*) FROM ") + table).front().get<std::int64_t>(0), 0)
        << table;
    // No WHERE clause at all: RLS alone decides.
    EXPECT_EQ(
        app_sql_as(c, "user-b", std::string("UPDATE ") + table + " SET user_id = 'user-b'").affected_rows(),
        0)
        << table;
    EXPECT_EQ(app_sql_as(c, "user-b", std::string("DELETE FROM ") + table).affected_rows(), 0) << table;
    EXPECT_EQ(owner_count(table), 1) << table;
  }
}

TEST_F(RlsIsolationTest, raw_sql_cannot_write_rows_for_another_user) {
  auto c = app();
  try {
    app_sql_as(c, "user-b", "INSERT INTO routines (user_id, name) VALUES ('user-a', 'planted')");
    FAIL() << "inserted a row owned by another user";
  } catch (const db::DbError& e) {
    EXPECT_EQ(e.sqlstate(), "42501");  // new row violates row-level security policy
  }
  try {
    app_sql_as(c, "user-a", "UPDATE routines SET user_id = 'user-b'");
    FAIL() << "moved a row to another user";
  } catch (const db::DbError& e) {
    EXPECT_EQ(e.sqlstate(), "42501");
  }
  EXPECT_EQ(owner_count("routines"), 1);
}

TEST_F(RlsIsolationTest, injection_shaped_user_id_sees_nothing) {
  const std::string hostile = "x' OR '1'='1";
  EXPECT_TRUE(run(routines::list_by_user(as(hostile))).empty());
  EXPECT_FALSE(run(routines::get_by_id(as(hostile), a_routine.id)).has_value());
  EXPECT_TRUE(run(credentials::list(as(hostile))).empty());
  auto c = app();
  for (const char* table : kTables) {
    EXPECT_EQ(
        app_sql_as(c, hostile, std::string("SELECT count(*) FROM ") + table).front().get<std::int64_t>(0), 0)
        << table;
  }
  // And the id is stored verbatim as a value when that "user" writes.
  NewRoutine r;
  r.name = "odd id";
  EXPECT_EQ(run(routines::create(as(hostile), r)).user_id, hostile);
  EXPECT_EQ(run(routines::list_by_user(as(hostile))).size(), 1u);
  EXPECT_EQ(owner_count("routines"), 2);
}

TEST_F(RlsIsolationTest, without_user_context_no_rows_are_visible) {
  auto c = app();
  for (const char* table : kTables) {
    EXPECT_EQ(c.exec(std::string("SELECT count(*) FROM ") + table).front().get<std::int64_t>(0), 0) << table;
  }
  // Also on a connection that had a context before (the setting now reads '' rather than NULL).
  (void)app_sql_as(c, "user-a", "SELECT 1");
  for (const char* table : kTables) {
    EXPECT_EQ(c.exec(std::string("SELECT count(*) FROM ") + table).front().get<std::int64_t>(0), 0) << table;
  }
  // The pool path: a plain query outside any user transaction.
  EXPECT_EQ(run(pool.query("SELECT count(*) FROM routines")).front().get<std::int64_t>(0), 0);
}

TEST_F(RlsIsolationTest, app_role_cannot_switch_row_security_off) {
  auto c = app();
  c.exec("SET row_security = off");
  try {
    (void)c.exec("SELECT count(*) FROM routines");
    FAIL() << "row_security=off let the app role read past RLS";
  } catch (const db::DbError& e) {
    EXPECT_EQ(e.sqlstate(), "42501");  // query would be affected by row-level security policy
  }
}

TEST_F(RlsIsolationTest, app_role_is_not_owner_superuser_or_bypassrls) {
  auto c = app();
  // Rows point into their Result: keep each Result alive while reading.
  const db::Result role_result =
      c.exec("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user");
  const db::Row role = role_result.front();
  EXPECT_FALSE(role.get<bool>(0));
  EXPECT_FALSE(role.get<bool>(1));
  const db::Result group_result =
      c.exec("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = 'kianax_app'");
  const db::Row group = group_result.front();
  EXPECT_FALSE(group.get<bool>(0));
  EXPECT_FALSE(group.get<bool>(1));
  for (const char* table : kTables) {
    const auto owned =
        c.exec("SELECT pg_has_role(current_user, tableowner, 'MEMBER') FROM pg_tables WHERE tablename = $1",
               db::Params(table));
    ASSERT_EQ(owned.size(), 1) << table;
    EXPECT_FALSE(owned.front().get<bool>(0)) << table;
    const auto forced = c.exec(
        "SELECT relrowsecurity AND relforcerowsecurity FROM pg_class WHERE relname = $1", db::Params(table));
    EXPECT_TRUE(forced.front().get<bool>(0)) << table;
  }
  try {
    c.exec("ALTER TABLE routines DISABLE ROW LEVEL SECURITY");
    FAIL() << "app role altered a table";
  } catch (const db::DbError& e) {
    EXPECT_EQ(e.sqlstate(), "42501");
  }
}

TEST_F(RlsIsolationTest, context_does_not_leak_to_the_next_user_of_a_pooled_connection) {
  db::Pool one(io, {.conninfo = database.app_conninfo(), .max_connections = 1});
  EXPECT_EQ(run(routines::list_by_user(db::UserScope(one, "user-a"))).size(), 1u);
  EXPECT_EQ(run(one.query("SELECT count(*) FROM routines")).front().get<std::int64_t>(0), 0);
  EXPECT_TRUE(run(routines::list_by_user(db::UserScope(one, "user-b"))).empty());
  EXPECT_EQ(one.stats().opened_total, 1);
}

}  // namespace
}  // namespace kianax::store
