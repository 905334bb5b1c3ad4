#pragma once
// The laptop default: a private PostgreSQL cluster under $KIANAX_DATA_DIR/pg, run from Debian's server
// binaries, started and stopped with our process.
//
// Design notes (why it works this way):
// - The postmaster is our child (fork/exec of `postgres`, not `pg_ctl start`), so we know its pid, see it
// die,
//   and it gets PR_SET_PDEATHSIG=SIGINT: if we are killed with SIGKILL it still does a fast, clean shutdown.
// - PostgreSQL refuses to run as root. When we are root the cluster belongs to an unprivileged system user
//   (`kianax-pg`, created on demand) and the child drops privileges before exec.
// - Local connections use a Unix socket in a directory only the cluster's user (and root) can enter, with
//   `trust`; TCP listens on a free loopback port and requires SCRAM, so no other local user gets in.
// - A second `kianax` on the same data dir attaches to the running cluster instead of starting another one:
//   the owner holds flock($KIANAX_DATA_DIR/kianax.lock) for its lifetime (the kernel drops it if we crash). A
//   postmaster left by a crashed owner is stopped and restarted; a stale postmaster.pid is removed.
#include <chrono>
#include <memory>
#include <string>

namespace kianax::db {

struct EmbeddedPostgresOptions {
  std::string data_dir;  // $KIANAX_DATA_DIR; the cluster lives in <data_dir>/pg
  std::string bin_dir = "/usr/lib/postgresql/15/bin";
  std::string database = "kianax";
  std::chrono::seconds start_timeout{60};
};

class EmbeddedPostgres {
 public:
  // Starts (or attaches to) the cluster and makes sure the database exists. Throws std::runtime_error with a
  // one-line reason (and the tail of the server log when the server failed to start).
  static std::unique_ptr<EmbeddedPostgres> start(const EmbeddedPostgresOptions& options);
  ~EmbeddedPostgres();  // stops the postmaster if we started it (fast shutdown, waits for it)
  EmbeddedPostgres(const EmbeddedPostgres&) = delete;
  EmbeddedPostgres& operator=(const EmbeddedPostgres&) = delete;

  // libpq key=value connection strings over the Unix socket.
  [[nodiscard]] std::string owner_conninfo() const;  // the cluster superuser: migrations, role setup
  [[nodiscard]] std::string app_conninfo() const;    // kianax_app_login: what serve/worker use (RLS applies)
  [[nodiscard]] const std::string& cluster_dir() const { return cluster_dir_; }
  [[nodiscard]] const std::string& socket_dir() const { return socket_dir_; }
  [[nodiscard]] int port() const { return port_; }
  [[nodiscard]] bool owns_server() const { return child_pid_ > 0; }

  // After migrations: makes sure the LOGIN role for the app (member of kianax_app) exists.
  void ensure_app_login_role() const;

  void stop();

 private:
  EmbeddedPostgres() = default;
  std::string cluster_dir_;
  std::string socket_dir_;
  std::string database_;
  std::string bin_dir_;
  int port_ = 0;
  int child_pid_ = -1;
  int lock_fd_ = -1;
  bool temp_socket_dir_ = false;
};

}  // namespace kianax::db
