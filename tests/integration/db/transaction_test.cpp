#include "db/transaction.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <stdexcept>

#include "db/db_error.hpp"
#include "db/sync_connection.hpp"
#include "pg_harness/run_sync.hpp"
#include "pg_harness/test_cluster.hpp"

namespace kianax::db {
namespace {
namespace asio = boost::asio;
using kianax::testing::run_sync;
using kianax::testing::TestCluster;
using namespace std::chrono_literals;

constexpr std::string_view kCurrentUser = "SELECT current_setting('app.current_user_id', true)";
constexpr std::string_view kCountRoutines = "SELECT count(*) FROM routines";
constexpr std::string_view kInsertRoutine = "INSERT INTO routines (user_id, name) VALUES ($1, $2)";

class TransactionTest : public ::testing::Test {
 protected:
  kianax::testing::TestDatabase database = TestCluster::shared().create_database();
  asio::io_context io;
  // The app role (RLS applies); one connection, so every test also checks what the next user inherits.
  Pool pool{io, {.conninfo = database.app_conninfo(), .max_connections = 1}};

  void seed(const std::string& user, const std::string& name) {
    auto owner = SyncConnection::open(database.owner_conninfo());
    owner.exec(kInsertRoutine, Params(user, name));
  }
  std::int64_t owner_count() {
    auto owner = SyncConnection::open(database.owner_conninfo());
    return owner.exec(kCountRoutines).front().get<std::int64_t>(0);
  }
};

TEST_F(TransactionTest, sets_the_user_context_for_every_statement) {
  const auto seen = run_sync(
      io,
      with_user_tx(pool, "user-a", deadline_after(5s), [](Transaction& tx) -> asio::awaitable<std::string> {
        (void)co_await tx.query("SELECT 1");
        co_return (co_await tx.query(kCurrentUser)).front().get<std::string>(0);
      }));
  EXPECT_EQ(seen, "user-a");
}

TEST_F(TransactionTest, context_ends_with_the_transaction) {
  (void)run_sync(io, user_query(pool, "user-a", "SELECT 1", {}, deadline_after(5s)));
  // Same (only) pooled connection, no context now: the setting reads '' or NULL, never user-a.
  const auto after = run_sync(io, pool.query(kCurrentUser)).front().get<std::optional<std::string>>(0);
  EXPECT_NE(after.value_or(""), "user-a");
}

TEST_F(TransactionTest, commits_on_success) {
  run_sync(io, with_user_tx(pool, "user-a", deadline_after(5s), [](Transaction& tx) -> asio::awaitable<void> {
             (void)co_await tx.query(kInsertRoutine, Params("user-a", "kept"));
           }));
  EXPECT_EQ(owner_count(), 1);
}

TEST_F(TransactionTest, rolls_back_when_the_body_throws) {
  EXPECT_THROW(run_sync(io, with_user_tx(pool, "user-a", deadline_after(5s),
                                         [](Transaction& tx) -> asio::awaitable<void> {
                                           (void)co_await tx.query(kInsertRoutine,
                                                                   Params("user-a", "discarded"));
                                           throw std::runtime_error("body failed");
                                         })),
               std::runtime_error);
  EXPECT_EQ(owner_count(), 0);
  EXPECT_EQ(run_sync(io, pool.query("SELECT 1")).front().get<int>(0), 1);  // connection reusable
  EXPECT_EQ(pool.stats().opened_total, 1);
}

TEST_F(TransactionTest, rolls_back_when_a_statement_fails) {
  try {
    run_sync(io,
             with_user_tx(pool, "user-a", deadline_after(5s), [](Transaction& tx) -> asio::awaitable<void> {
               (void)co_await tx.query(kInsertRoutine, Params("user-a", "discarded"));
               (void)co_await tx.query("SELECT 1/0");
             }));
    FAIL() << "division by zero succeeded";
  } catch (const DbError& e) {
    EXPECT_EQ(e.sqlstate(), "22012");
  }
  EXPECT_EQ(owner_count(), 0);
}

TEST_F(TransactionTest, user_query_failure_rolls_back_and_keeps_the_connection) {
  EXPECT_THROW((void)run_sync(io, user_query(pool, "user-a", "SELECT 1/0", {}, deadline_after(5s))), DbError);
  EXPECT_EQ(run_sync(io, pool.query("SELECT 3")).front().get<int>(0), 3);
  EXPECT_EQ(pool.stats().opened_total, 1);
}

TEST_F(TransactionTest, hostile_user_id_is_only_a_value) {
  seed("user-a", "a's routine");
  const std::string hostile = "x' OR '1'='1";
  const auto visible = run_sync(io, user_query(pool, hostile, kCountRoutines, {}, deadline_after(5s)));
  EXPECT_EQ(visible.front().get<std::int64_t>(0), 0);
  const auto context = run_sync(io, user_query(pool, hostile, kCurrentUser, {}, deadline_after(5s)));
  EXPECT_EQ(context.front().get<std::string>(0), hostile);
}

TEST_F(TransactionTest, refuses_an_empty_user_id) {
  try {
    (void)run_sync(io, user_query(pool, "", kCountRoutines, {}, deadline_after(5s)));
    FAIL() << "empty user id accepted";
  } catch (const DbError& e) {
    EXPECT_EQ(e.kind(), DbErrorKind::kUsage);
  }
}

TEST_F(TransactionTest, unfinished_transaction_object_discards_its_connection) {
  run_sync(io, [this]() -> asio::awaitable<void> {
    auto tx = co_await Transaction::begin_for_user(pool, "user-a", deadline_after(5s));
    (void)co_await tx.query(kInsertRoutine, Params("user-a", "never committed"));
  }());
  EXPECT_EQ(pool.stats().discarded_total, 1);
  EXPECT_EQ(owner_count(), 0);
}

}  // namespace
}  // namespace kianax::db
