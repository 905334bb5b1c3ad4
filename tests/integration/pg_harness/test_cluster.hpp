#pragma once
// A throwaway PostgreSQL 15 cluster for tests and benchmarks, shared by everything in one process.
//
// - Started on first use (initdb + postgres from /usr/lib/postgresql/15/bin), stopped and deleted at exit.
//   The postmaster is our child with PR_SET_PDEATHSIG, so a killed test binary does not leave it running;
//   leftover directories of dead test processes are removed at the next start.
// - fsync/synchronous_commit/full_page_writes off: durability is irrelevant here, speed is not.
// - Unix socket in a private temp dir plus a free loopback port (pgbench and TCP clients use it).
// - As root, the cluster runs as the system user `kianax-test` (created if missing): PostgreSQL refuses root.
// - The embedded migrations are applied once, into the template database `kianax_template`; each
//   create_database() copies it (CREATE DATABASE … TEMPLATE), which costs milliseconds, not a migration.
// - Roles: `postgres` is the superuser and owns the tables (it ran the migrations); `kianax_app_login` is a
//   LOGIN member of `kianax_app` — connect with app_conninfo to have RLS actually apply.
// REQUIRES: call shared() first from the main thread (the postmaster's death signal follows the thread
// that started it).
#include <memory>
#include <string>

namespace kianax::testing {

class TestCluster;

// A database that is dropped (WITH FORCE) when this object dies. Move-only.
class TestDatabase {
 public:
  TestDatabase(TestCluster& cluster, std::string name) : cluster_(&cluster), name_(std::move(name)) {}
  TestDatabase(TestDatabase&& other) noexcept;
  TestDatabase& operator=(TestDatabase&&) = delete;
  ~TestDatabase();

  [[nodiscard]] const std::string& name() const { return name_; }
  [[nodiscard]] std::string owner_conninfo() const;      // superuser `postgres`
  [[nodiscard]] std::string app_conninfo() const;        // `kianax_app_login`
  [[nodiscard]] std::string tcp_owner_conninfo() const;  // same as owner_conninfo, over 127.0.0.1:port

 private:
  TestCluster* cluster_;
  std::string name_;
};

class TestCluster {
 public:
  static constexpr const char* kAppLoginRole = "kianax_app_login";
  static constexpr const char* kAppLoginPassword = "kianax-test-password";

  // The process's cluster, started on first call. Throws std::runtime_error (with the server log's tail).
  static TestCluster& shared();

  TestDatabase create_database();        // a copy of the migrated template
  TestDatabase create_empty_database();  // no migrations, no schema_migrations: for migration tests

  [[nodiscard]] std::string conninfo(const std::string& database, const std::string& user) const;
  [[nodiscard]] int port() const { return port_; }
  [[nodiscard]] const std::string& socket_dir() const { return dir_; }
  [[nodiscard]] std::string bin_dir() const;
  [[nodiscard]] std::string superuser() const { return "postgres"; }
  // Runs a program from bin_dir (e.g. pgbench) as the cluster's user; returns its exit status, stdout+err.
  int run_tool(const std::string& tool, const std::string& args, std::string* output) const;

  ~TestCluster();
  TestCluster(const TestCluster&) = delete;
  TestCluster& operator=(const TestCluster&) = delete;

 private:
  TestCluster();
  void start();
  void stop();
  void create_template();
  std::string new_database_name();

  std::string dir_;  // socket dir, holds data/ and server.log
  int port_ = 0;
  int postmaster_pid_ = -1;
  int uid_ = -1;  // cluster user when we are root, else -1
  int gid_ = -1;
  int counter_ = 0;
};

}  // namespace kianax::testing
