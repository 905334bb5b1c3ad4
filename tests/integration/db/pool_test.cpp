#include "db/pool.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <thread>

#include "db/db_error.hpp"
#include "db/detail/connection.hpp"
#include "db/sync_connection.hpp"
#include "pg_harness/run_sync.hpp"
#include "pg_harness/test_cluster.hpp"

namespace kianax::db {
namespace {
namespace asio = boost::asio;
using kianax::testing::run_sync;
using kianax::testing::TestCluster;
using namespace std::chrono_literals;

class PoolTest : public ::testing::Test {
 protected:
  kianax::testing::TestDatabase database = TestCluster::shared().create_database();
  asio::io_context io;
};

TEST_F(PoolTest, query_binds_parameters_and_reads_typed_values) {
  Pool pool(io, {.conninfo = database.owner_conninfo()});
  const Result r =
      run_sync(io, pool.query("SELECT $1::text AS s, $2::int8 AS n, $3::bool AS b, $4::float8 AS d, "
                              "$5::text AS missing",
                              Params("it's", std::int64_t{-9007199254740993}, true, 0.1, std::nullopt)));
  ASSERT_EQ(r.size(), 1);
  const Row row = r.front();
  EXPECT_EQ(row.get<std::string>("s"), "it's");
  EXPECT_EQ(row.get<std::int64_t>("n"), -9007199254740993);
  EXPECT_TRUE(row.get<bool>("b"));
  EXPECT_EQ(row.get<double>("d"), 0.1);
  EXPECT_TRUE(row.is_null(4));
  EXPECT_EQ(row.get<std::optional<std::string>>("missing"), std::nullopt);
  EXPECT_THROW((void)row.get<std::string>("missing"), DbError);
  EXPECT_THROW((void)row.get<int>("nope"), DbError);
}

TEST_F(PoolTest, parameters_are_values_never_sql) {
  Pool pool(io, {.conninfo = database.owner_conninfo()});
  const std::string hostile = "'); DROP TABLE routines; --";
  const Result r = run_sync(io, pool.query("SELECT $1::text", Params(hostile)));
  EXPECT_EQ(r.front().get<std::string>(0), hostile);
  const Result still_there = run_sync(io, pool.query("SELECT to_regclass('routines') IS NOT NULL"));
  EXPECT_TRUE(still_there.front().get<bool>(0));
}

TEST_F(PoolTest, binary_parameter_is_sent_in_wire_format) {
  Pool pool(io, {.conninfo = database.owner_conninfo()});
  const std::string big_endian_42{'\0', '\0', '\0', '\0', '\0', '\0', '\0', '\x2a'};
  Params params;
  params.add_binary(big_endian_42, 20 /* int8 */);
  const Result r = run_sync(io, pool.query("SELECT $1 + 1", params));
  EXPECT_EQ(r.front().get<std::int64_t>(0), 43);
}

TEST_F(PoolTest, server_error_carries_sqlstate_and_connection_stays_usable) {
  Pool pool(io, {.conninfo = database.owner_conninfo(), .max_connections = 1});
  try {
    (void)run_sync(io, pool.query("SELECT * FROM no_such_table"));
    FAIL() << "query on a missing table succeeded";
  } catch (const DbError& e) {
    EXPECT_EQ(e.kind(), DbErrorKind::kServer);
    EXPECT_EQ(e.sqlstate(), "42P01");
  }
  EXPECT_EQ(run_sync(io, pool.query("SELECT 7")).front().get<int>(0), 7);
  EXPECT_EQ(pool.stats().opened_total, 1);  // the same connection served both
}

TEST_F(PoolTest, deadline_interrupts_a_slow_query_and_the_connection_is_replaced) {
  Pool pool(io, {.conninfo = database.owner_conninfo(), .max_connections = 1});
  try {
    (void)run_sync(io, pool.query("SELECT pg_sleep(30)", {}, deadline_after(200ms)));
    FAIL() << "pg_sleep(30) finished within its deadline";
  } catch (const DbError& e) {
    EXPECT_EQ(e.kind(), DbErrorKind::kTimeout);
  }
  EXPECT_EQ(pool.stats().discarded_total, 1);
  EXPECT_EQ(run_sync(io, pool.query("SELECT 1")).front().get<int>(0), 1);
  EXPECT_EQ(pool.stats().opened_total, 2);
}

TEST_F(PoolTest, terminated_backend_is_discarded_and_replaced) {
  Pool pool(io, {.conninfo = database.owner_conninfo(), .max_connections = 1});
  const int first_pid = run_sync(io, pool.query("SELECT pg_backend_pid()")).front().get<int>(0);
  auto admin = SyncConnection::open(database.owner_conninfo());
  // Waits (up to 5 s) until the backend is gone.
  ASSERT_TRUE(admin.exec("SELECT pg_terminate_backend($1, 5000)", Params(first_pid)).front().get<bool>(0));
  const int second_pid = run_sync(io, pool.query("SELECT pg_backend_pid()")).front().get<int>(0);
  EXPECT_NE(second_pid, first_pid);
  EXPECT_EQ(pool.stats().discarded_total, 1);
}

TEST_F(PoolTest, never_opens_more_than_max_connections_and_serves_every_waiter) {
  Pool pool(io, {.conninfo = database.owner_conninfo(), .max_connections = 2});
  int done = 0;
  int most_open = 0;
  for (int i = 0; i < 12; ++i) {
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
          (void)co_await pool.query("SELECT pg_sleep(0.02)");
          most_open = std::max(most_open, pool.stats().open);
          ++done;
        },
        asio::detached);
  }
  io.run();
  EXPECT_EQ(done, 12);
  EXPECT_LE(most_open, 2);
  EXPECT_EQ(pool.stats().opened_total, 2);
}

TEST_F(PoolTest, acquire_gives_up_at_the_deadline_when_exhausted) {
  Pool pool(io, {.conninfo = database.owner_conninfo(), .max_connections = 1});
  auto held = run_sync(io, pool.acquire(deadline_after(5s)));
  try {
    (void)run_sync(io, pool.acquire(deadline_after(100ms)));
    FAIL() << "a second connection was handed out past max_connections=1";
  } catch (const DbError& e) {
    EXPECT_EQ(e.kind(), DbErrorKind::kTimeout);
    EXPECT_NE(std::string(e.what()).find("pool exhausted"), std::string::npos);
  }
  EXPECT_EQ(pool.stats().waiting, 0);
  held = PooledConnection();  // returned: the next acquire gets it
  EXPECT_EQ(run_sync(io, pool.query("SELECT 2")).front().get<int>(0), 2);
}

TEST_F(PoolTest, idle_connections_past_idle_timeout_are_closed) {
  Pool pool(io, {.conninfo = database.owner_conninfo(), .idle_timeout = 30s});
  (void)run_sync(io, pool.query("SELECT 1"));
  EXPECT_EQ(pool.stats().idle, 1);
  pool.reap_idle_for_test(Clock::now() + 10s);
  EXPECT_EQ(pool.stats().idle, 1);
  pool.reap_idle_for_test(Clock::now() + 31s);
  EXPECT_EQ(pool.stats().idle, 0);
  EXPECT_EQ(pool.stats().open, 0);
}

TEST_F(PoolTest, connection_left_inside_a_transaction_is_not_reused) {
  Pool pool(io, {.conninfo = database.owner_conninfo(), .max_connections = 1});
  run_sync(io, [&]() -> asio::awaitable<void> {
    auto c = co_await pool.acquire(deadline_after(5s));
    (void)co_await c.query("BEGIN", {}, deadline_after(5s));
  }());
  EXPECT_EQ(pool.stats().discarded_total, 1);
  EXPECT_EQ(run_sync(io, pool.query("SELECT 1")).front().get<int>(0), 1);
}

TEST_F(PoolTest, works_from_an_io_context_on_several_threads) {
  Pool pool(io, {.conninfo = database.owner_conninfo(), .max_connections = 4});
  std::atomic<int> sum{0};
  for (int i = 1; i <= 40; ++i) {
    asio::co_spawn(
        io,
        [&pool, &sum, i]() -> asio::awaitable<void> {
          sum += (co_await pool.query("SELECT $1::int", Params(i))).front().get<int>(0);
        },
        asio::detached);
  }
  std::thread second([&] { io.run(); });
  io.run();
  second.join();
  EXPECT_EQ(sum.load(), 40 * 41 / 2);
  EXPECT_LE(pool.stats().opened_total, 4);
}

}  // namespace
}  // namespace kianax::db

namespace kianax::db {
namespace {

TEST_F(PoolTest, prepared_statement_is_reused_and_survives_errors) {
  Pool pool(io, {.conninfo = database.owner_conninfo(), .max_connections = 1});
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(run_sync(io, pool.query("SELECT $1::int * 2", Params(i))).front().get<int>(0), i * 2);
  }
  // A statement that fails to prepare reports the server's error and leaves the connection usable.
  try {
    (void)run_sync(io, pool.query("SELEC 1"));
    FAIL() << "syntax error accepted";
  } catch (const DbError& e) {
    EXPECT_EQ(e.sqlstate(), "42601");
  }
  EXPECT_EQ(run_sync(io, pool.query("SELECT $1::int * 2", Params(21))).front().get<int>(0), 42);
  const auto names = run_sync(io, pool.query("SELECT count(*) FROM pg_prepared_statements"));
  EXPECT_EQ(names.front().get<std::int64_t>(0), 2);  // "SELECT $1::int * 2" and this one; not the typo
  EXPECT_EQ(pool.stats().opened_total, 1);
}

TEST_F(PoolTest, unprepared_mode_leaves_no_named_statements) {
  Pool pool(io, {.conninfo = database.owner_conninfo(), .max_connections = 1, .prepare_statements = false});
  EXPECT_EQ(run_sync(io, pool.query("SELECT $1::int + 1", Params(1))).front().get<int>(0), 2);
  EXPECT_EQ(
      run_sync(io, pool.query("SELECT count(*) FROM pg_prepared_statements")).front().get<std::int64_t>(0),
      0);
}

}  // namespace
}  // namespace kianax::db

namespace kianax::db {
namespace {

TEST_F(PoolTest, idle_reaper_closes_idle_connections_in_the_background) {
  Pool pool(io, {.conninfo = database.owner_conninfo(), .idle_timeout = std::chrono::milliseconds(20)});
  (void)run_sync(io, pool.query("SELECT 1"));
  ASSERT_EQ(pool.stats().idle, 1);
  pool.start_idle_reaper();
  // Run the loop (bounded) until the reaper has run; the assertion is on the state, not on how long it took.
  // (io.run() would not return: the reaper's timer is pending for as long as the pool lives.)
  const auto until = Clock::now() + 5s;
  io.restart();
  while (pool.stats().idle > 0 && Clock::now() < until) io.run_for(10ms);
  const bool reaped = pool.stats().idle == 0;
  EXPECT_TRUE(reaped);
  EXPECT_EQ(pool.stats().open, 0);
}

}  // namespace
}  // namespace kianax::db
