#include "db/conninfo.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include "db/db_error.hpp"
#include "db/pool.hpp"
#include "db/sync_connection.hpp"
#include "pg_harness/run_sync.hpp"

namespace kianax::db {
namespace {

TEST(Conninfo, redacts_password_in_uri_userinfo) {
  EXPECT_EQ(redact_conninfo("postgresql://app:s3cr%40t@db.example:5432/kianax?sslmode=require"),
            "postgresql://app:***@db.example:5432/kianax?sslmode=require");
}

TEST(Conninfo, redacts_password_query_parameter) {
  EXPECT_EQ(redact_conninfo("postgres://db/kianax?user=app&password=hunter2&sslmode=disable"),
            "postgres://db/kianax?user=app&password=***&sslmode=disable");
}

TEST(Conninfo, redacts_keyword_password_quoted_and_bare) {
  EXPECT_EQ(redact_conninfo("host=db user=app password=hunter2 dbname=k"),
            "host=db user=app password=*** dbname=k");
  EXPECT_EQ(redact_conninfo("host=db password = 'a b\\'c' dbname=k"), "host=db password = *** dbname=k");
}

TEST(Conninfo, leaves_strings_without_password_alone) {
  EXPECT_EQ(redact_conninfo("postgresql://app@db/kianax"), "postgresql://app@db/kianax");
  EXPECT_EQ(redact_conninfo("host=/tmp port=5 dbname=x"), "host=/tmp port=5 dbname=x");
}

TEST(Conninfo, reports_malformed_string_without_the_password) {
  const auto problem = conninfo_problem("host=db password=hunter2 bogus");
  ASSERT_TRUE(problem.has_value());
  EXPECT_EQ(problem->find("hunter2"), std::string::npos) << *problem;
  EXPECT_FALSE(conninfo_problem("postgresql://u:p@h/d").has_value());
}

TEST(Conninfo, sync_connect_failure_is_one_redacted_line) {
  try {
    // Port 1 on loopback: nothing listens there.
    (void)SyncConnection::open("postgresql://app:hunter2@127.0.0.1:1/kianax");
    FAIL() << "connected to port 1";
  } catch (const DbError& e) {
    const std::string message = e.what();
    EXPECT_EQ(e.kind(), DbErrorKind::kConnection);
    EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
    EXPECT_NE(message.find("app:***@127.0.0.1:1"), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
}

TEST(Conninfo, pool_connect_failure_is_redacted) {
  boost::asio::io_context io;
  Pool pool(io, PoolOptions{.conninfo = "host=127.0.0.1 port=1 user=app password=hunter2 dbname=k"});
  try {
    (void)testing::run_sync(io, pool.query("SELECT 1"));
    FAIL() << "connected to port 1";
  } catch (const DbError& e) {
    EXPECT_EQ(e.kind(), DbErrorKind::kConnection);
    EXPECT_EQ(std::string(e.what()).find("hunter2"), std::string::npos) << e.what();
  }
  EXPECT_EQ(pool.stats().open, 0);  // the failed slot was given back
}

}  // namespace
}  // namespace kianax::db
