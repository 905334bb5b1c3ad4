#include "db/migration_runner.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

#include "db/embedded_migrations.hpp"
#include "db/pool.hpp"
#include "db/sha256.hpp"
#include "db/sync_connection.hpp"
#include "pg_harness/run_sync.hpp"
#include "pg_harness/test_cluster.hpp"

namespace kianax::db {
namespace {
using kianax::testing::TestCluster;

std::int64_t count_applied(const std::string& conninfo) {
  auto c = SyncConnection::open(conninfo);
  return c.exec("SELECT count(*) FROM schema_migrations").front().get<std::int64_t>(0);
}

TEST(EmbeddedMigrations, are_present_sorted_and_named) {
  const auto files = embedded_migrations();
  ASSERT_FALSE(files.empty());
  EXPECT_EQ(files.front().version, "0001");
  EXPECT_EQ(files.front().name, "initial");
  EXPECT_NE(files.front().sql.find("CREATE TABLE routines"), std::string_view::npos);
  for (size_t i = 1; i < files.size(); ++i) EXPECT_LT(files[i - 1].version, files[i].version);
}

TEST(EmbeddedMigrations, are_byte_for_byte_the_files_on_disk) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(KIANAX_MIGRATIONS_DIR)) {
    if (entry.path().extension() == ".sql") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  ASSERT_EQ(files.size(), embedded_migrations().size());
  for (size_t i = 0; i < files.size(); ++i) {
    std::ifstream in(files[i], std::ios::binary);
    const std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto& m = embedded_migrations()[i];
    EXPECT_EQ(files[i].filename().string(), std::string(m.version) + "_" + std::string(m.name) + ".sql");
    EXPECT_EQ(content, m.sql) << files[i];
  }
}

TEST(Migrations, apply_from_empty_then_rerun_is_a_no_op) {
  auto database = TestCluster::shared().create_empty_database();
  MigrationRunner runner(database.owner_conninfo());
  EXPECT_FALSE(runner.check().current);
  const auto first = runner.migrate();
  EXPECT_EQ(first.size(), embedded_migrations().size());
  EXPECT_TRUE(runner.check().current) << runner.check().reason;
  EXPECT_TRUE(runner.migrate().empty());
  EXPECT_EQ(count_applied(database.owner_conninfo()),
            static_cast<std::int64_t>(embedded_migrations().size()));
  auto c = SyncConnection::open(database.owner_conninfo());
  EXPECT_EQ(
      c.exec("SELECT checksum FROM schema_migrations WHERE version = '0001'").front().get<std::string>(0),
      sha256_hex(embedded_migrations().front().sql));
}

TEST(Migrations, status_lists_applied_and_pending_with_timestamps) {
  auto database = TestCluster::shared().create_empty_database();
  MigrationRunner runner(database.owner_conninfo());
  const auto before = runner.status();
  ASSERT_EQ(before.size(), embedded_migrations().size());
  EXPECT_FALSE(before.front().applied);
  EXPECT_FALSE(before.front().applied_at.has_value());
  (void)runner.migrate();
  const auto after = runner.status();
  ASSERT_TRUE(after.front().applied);
  ASSERT_TRUE(after.front().applied_at.has_value());
  EXPECT_EQ(after.front().applied_at->size(), std::string("2025-01-31T12:00:00.123Z").size());
  EXPECT_EQ(after.front().applied_at->back(), 'Z');
}

TEST(Migrations, refuses_when_an_applied_migration_changed) {
  auto database = TestCluster::shared().create_empty_database();
  (void)MigrationRunner(database.owner_conninfo()).migrate();
  std::vector<MigrationFile> tampered(embedded_migrations().begin(), embedded_migrations().end());
  const std::string edited = std::string(tampered.front().sql) + "\n-- edited after release\n";
  tampered.front().sql = edited;
  MigrationRunner runner(database.owner_conninfo(), tampered);
  try {
    (void)runner.migrate();
    FAIL() << "migrated over a changed migration";
  } catch (const MigrationError& e) {
    EXPECT_NE(std::string(e.what()).find("0001_initial was changed"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(runner.check().current);
  EXPECT_TRUE(runner.status().front().checksum_mismatch);
}

TEST(Migrations, refuses_when_the_recorded_checksum_was_tampered_with) {
  auto database = TestCluster::shared().create_empty_database();
  MigrationRunner runner(database.owner_conninfo());
  (void)runner.migrate();
  auto c = SyncConnection::open(database.owner_conninfo());
  c.exec("UPDATE schema_migrations SET checksum = repeat('0', 64) WHERE version = '0001'");
  EXPECT_THROW((void)runner.migrate(), MigrationError);
}

TEST(Migrations, refuses_a_database_newer_than_the_binary) {
  auto database = TestCluster::shared().create_empty_database();
  (void)MigrationRunner(database.owner_conninfo()).migrate();
  auto c = SyncConnection::open(database.owner_conninfo());
  c.exec("INSERT INTO schema_migrations (version, name, checksum) VALUES ('9999', 'future', 'x')");
  MigrationRunner runner(database.owner_conninfo());
  try {
    (void)runner.migrate();
    FAIL() << "migrated a database that has an unknown migration";
  } catch (const MigrationError& e) {
    EXPECT_NE(std::string(e.what()).find("9999_future"), std::string::npos) << e.what();
  }
}

TEST(Migrations, failed_migration_is_rolled_back_and_named) {
  auto database = TestCluster::shared().create_empty_database();
  const std::vector<MigrationFile> files{{"0001", "ok", "CREATE TABLE a (x int);"},
                                         {"0002", "broken", "CREATE TABLE b (x int); SELECT 1/0;"}};
  MigrationRunner runner(database.owner_conninfo(), files);
  try {
    (void)runner.migrate();
    FAIL() << "a failing migration was reported as applied";
  } catch (const MigrationError& e) {
    EXPECT_NE(std::string(e.what()).find("0002_broken"), std::string::npos) << e.what();
  }
  auto c = SyncConnection::open(database.owner_conninfo());
  EXPECT_TRUE(c.exec("SELECT to_regclass('a') IS NOT NULL").front().get<bool>(0));
  EXPECT_FALSE(c.exec("SELECT to_regclass('b') IS NOT NULL").front().get<bool>(0));
  EXPECT_EQ(count_applied(database.owner_conninfo()), 1);
}

TEST(Migrations, four_concurrent_processes_apply_each_migration_once) {
  auto database = TestCluster::shared().create_empty_database();
  const std::string conninfo = database.owner_conninfo();
  struct Child {
    pid_t pid;
    FILE* out;
  };
  std::vector<Child> children;
  for (int i = 0; i < 4; ++i) {
    int pipe_fds[2];
    ASSERT_EQ(::pipe(pipe_fds), 0);
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::dup2(pipe_fds[1], 1);
      ::close(pipe_fds[0]);
      ::execl(KIANAX_MIGRATE_HELPER, KIANAX_MIGRATE_HELPER, conninfo.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::close(pipe_fds[1]);
    children.push_back({pid, ::fdopen(pipe_fds[0], "r")});
  }
  long applied_total = 0;
  for (auto& child : children) {
    long applied = -1;
    EXPECT_EQ(std::fscanf(child.out, "%ld", &applied), 1);
    std::fclose(child.out);
    int status = 0;
    ::waitpid(child.pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "helper status " << status;
    applied_total += applied;
  }
  EXPECT_EQ(applied_total, static_cast<long>(embedded_migrations().size()));
  EXPECT_EQ(count_applied(conninfo), static_cast<std::int64_t>(embedded_migrations().size()));
}

TEST(Migrations, readiness_check_runs_on_the_app_role_pool) {
  auto database = TestCluster::shared().create_database();
  boost::asio::io_context io;
  Pool pool(io, {.conninfo = database.app_conninfo()});
  const auto current = kianax::testing::run_sync(io, check_migrations(pool));
  EXPECT_TRUE(current.current) << current.reason;
  auto owner = SyncConnection::open(database.owner_conninfo());
  owner.exec("DELETE FROM schema_migrations");
  const auto behind = kianax::testing::run_sync(io, check_migrations(pool));
  EXPECT_FALSE(behind.current);
  EXPECT_NE(behind.reason.find("0001_initial is not applied"), std::string::npos) << behind.reason;
}

TEST(Migrations, readiness_check_reports_an_unreachable_database) {
  boost::asio::io_context io;
  Pool pool(io, {.conninfo = "host=127.0.0.1 port=1 dbname=x user=y"});
  const auto verdict = kianax::testing::run_sync(io, check_migrations(pool));
  EXPECT_FALSE(verdict.current);
  EXPECT_NE(verdict.reason.find("not reachable"), std::string::npos) << verdict.reason;
}

}  // namespace
}  // namespace kianax::db
