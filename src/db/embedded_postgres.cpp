#include "db/embedded_postgres.hpp"

#include <fcntl.h>
#include <grp.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

namespace fs = std::filesystem;

namespace kianax::db {
namespace {

constexpr const char* kSuperuser = "kianax";
constexpr const char* kClusterUser = "kianax-pg";  // only used when we run as root
constexpr const char* kAppLoginRole = "kianax_app_login";

struct RunAs {
  bool drop = false;  // true when we are root and must become the cluster user
  uid_t uid = 0;
  gid_t gid = 0;
};

[[noreturn]] void fail(const std::string& what) { throw std::runtime_error("embedded PostgreSQL: " + what); }

std::string errno_text() { return std::strerror(errno); }

RunAs resolve_run_as() {
  RunAs r;
  if (geteuid() != 0) return r;
  r.drop = true;
  passwd* pw = getpwnam(kClusterUser);
  if (pw == nullptr) {
    spdlog::info("running as root: creating system user '{}' to own the embedded PostgreSQL cluster",
                 kClusterUser);
    std::string cmd = std::string(
                          "useradd --system --no-create-home --home-dir /nonexistent "
                          "--shell /usr/sbin/nologin ") +
                      kClusterUser + " >/dev/null 2>&1";
    if (std::system(cmd.c_str()) != 0)
      fail(std::string("could not create system user '") + kClusterUser + "'");
    pw = getpwnam(kClusterUser);
    if (pw == nullptr) fail(std::string("system user '") + kClusterUser + "' not found after useradd");
  }
  r.uid = pw->pw_uid;
  r.gid = pw->pw_gid;
  return r;
}

// Runs in a forked child only: become the cluster user. Async-signal-safe calls only.
void drop_privileges(const RunAs& as) {
  if (!as.drop) return;
  if (setgroups(0, nullptr) != 0 || setgid(as.gid) != 0 || setuid(as.uid) != 0) _exit(126);
}

void chown_to(const RunAs& as, const fs::path& p) {
  if (as.drop && ::chown(p.c_str(), as.uid, as.gid) != 0) fail("chown " + p.string() + ": " + errno_text());
}

// Runs a program (as the cluster user when root), output appended to log_fd; returns its exit status.
int run_program(const RunAs& as, const std::vector<std::string>& argv, int log_fd) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = fork();
  if (pid < 0) fail("fork: " + errno_text());
  if (pid == 0) {
    dup2(log_fd, STDOUT_FILENO);
    dup2(log_fd, STDERR_FILENO);
    drop_privileges(as);
    execv(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// True if the cluster user can reach `dir` (every parent must be searchable by it).
bool reachable_by(const RunAs& as, const fs::path& dir) {
  if (!as.drop) return true;
  pid_t pid = fork();
  if (pid < 0) fail("fork: " + errno_text());
  if (pid == 0) {
    drop_privileges(as);
    // Traverse only: the cluster lives in dir/pg (which we chown to it); dir itself stays ours.
    _exit(access(dir.c_str(), X_OK) == 0 ? 0 : 1);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

int free_loopback_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) fail("socket: " + errno_text());
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd);
    fail("no free loopback port: " + errno_text());
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

std::string read_file_tail(const fs::path& p, std::size_t max_lines) {
  std::ifstream in(p);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
    if (lines.size() > max_lines) lines.erase(lines.begin());
  }
  std::string out;
  for (const auto& l : lines) out += "\n  " + l;
  return out;
}

bool process_alive(pid_t pid) { return pid > 0 && (::kill(pid, 0) == 0 || errno == EPERM); }

bool is_postgres_process(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/cmdline");
  std::string argv0;
  std::getline(in, argv0, '\0');
  return argv0.size() >= 8 && argv0.compare(argv0.size() - 8, 8, "postgres") == 0;
}

// postmaster.pid: line 1 pid, line 4 port, line 5 socket directory.
struct PostmasterPid {
  pid_t pid = 0;
  int port = 0;
  std::string socket_dir;
};

std::optional<PostmasterPid> read_postmaster_pid(const fs::path& cluster) {
  std::ifstream in(cluster / "postmaster.pid");
  if (!in) return std::nullopt;
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  if (lines.size() < 5) return std::nullopt;
  PostmasterPid p;
  try {
    p.pid = static_cast<pid_t>(std::stol(lines[0]));
    p.port = std::stoi(lines[3]);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  p.socket_dir = lines[4];
  return p;
}

void wait_for_exit(pid_t pid, std::chrono::seconds timeout) {
  auto until = std::chrono::steady_clock::now() + timeout;
  while (process_alive(pid) && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

std::string conninfo(const std::string& socket_dir, int port, const std::string& user,
                     const std::string& db) {
  std::ostringstream s;
  // Values are quoted per libpq's rules: our paths may contain spaces.
  auto quote = [](const std::string& v) {
    std::string q = "'";
    for (char c : v) {
      if (c == '\'' || c == '\\') q += '\\';
      q += c;
    }
    return q + "'";
  };
  s << "host=" << quote(socket_dir) << " port=" << port << " user=" << quote(user) << " dbname=" << quote(db);
  return s.str();
}

// Executes one statement on a fresh connection; throws with the server's message.
void exec_sql(const std::string& info, const std::string& sql, const std::vector<std::string>& params = {}) {
  PGconn* conn = PQconnectdb(info.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(conn);
    PQfinish(conn);
    fail("connect: " + msg);
  }
  std::vector<const char*> values;
  for (const auto& p : params) values.push_back(p.c_str());
  PGresult* res = PQexecParams(conn, sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(),
                               nullptr, nullptr, 0);
  auto status = PQresultStatus(res);
  std::string msg = PQresultErrorMessage(res);
  PQclear(res);
  PQfinish(conn);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(msg);
}

bool query_exists(const std::string& info, const std::string& sql, const std::string& param) {
  PGconn* conn = PQconnectdb(info.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(conn);
    PQfinish(conn);
    fail("connect: " + msg);
  }
  const char* values[] = {param.c_str()};
  PGresult* res = PQexecParams(conn, sql.c_str(), 1, nullptr, values, nullptr, nullptr, 0);
  bool ok = PQresultStatus(res) == PGRES_TUPLES_OK;
  bool found = ok && PQntuples(res) > 0;
  std::string msg = PQresultErrorMessage(res);
  PQclear(res);
  PQfinish(conn);
  if (!ok) fail(msg);
  return found;
}

}  // namespace

std::unique_ptr<EmbeddedPostgres> EmbeddedPostgres::start(const EmbeddedPostgresOptions& options) {
  std::unique_ptr<EmbeddedPostgres> self(new EmbeddedPostgres());
  self->database_ = options.database;
  self->bin_dir_ = options.bin_dir;
  if (!fs::exists(fs::path(options.bin_dir) / "postgres")) {
    fail("PostgreSQL server binaries not found in " + options.bin_dir +
         " (install Debian's postgresql package, or set DATABASE_URL)");
  }

  const RunAs as = resolve_run_as();
  std::error_code ec;
  fs::path data = fs::absolute(options.data_dir);
  fs::create_directories(data, ec);
  if (ec) fail("cannot create data directory " + data.string() + ": " + ec.message());
  data = fs::canonical(data);
  // Root: the cluster user must be able to traverse into the data dir, but not read our secrets in it.
  ::chmod(data.c_str(), as.drop ? 0711 : 0700);
  if (!reachable_by(as, data)) {
    fail("data directory " + data.string() + " is not reachable by system user '" + kClusterUser +
         "' (a parent directory denies access); set KIANAX_DATA_DIR to a path it can reach, e.g. "
         "/var/lib/kianax");
  }

  // One owner per data dir at a time: the owner holds this lock for its lifetime; others attach.
  fs::path lock_path = data / "kianax.lock";
  int lock_fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock_fd < 0) fail("cannot open " + lock_path.string() + ": " + errno_text());
  fs::path cluster = data / "pg";
  self->cluster_dir_ = cluster.string();

  if (::flock(lock_fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(lock_fd);
    // Another kianax process owns the cluster: use it.
    auto until = std::chrono::steady_clock::now() + options.start_timeout;
    for (;;) {
      auto pm = read_postmaster_pid(cluster);
      if (pm) {
        self->port_ = pm->port;
        self->socket_dir_ = pm->socket_dir;
        if (PQping(conninfo(pm->socket_dir, pm->port, kSuperuser, "postgres").c_str()) == PQPING_OK) break;
      }
      if (std::chrono::steady_clock::now() > until)
        fail("another kianax owns " + data.string() + " but its database does not answer");
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    spdlog::info("embedded PostgreSQL: attached to the cluster in {} (owned by another kianax process)",
                 cluster.string());
    return self;
  }
  // Keep the lock fd open for our lifetime (closed in stop()).
  self->lock_fd_ = lock_fd;

  fs::path log_path = data / "postgres.log";
  int log_fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (log_fd < 0) fail("cannot open " + log_path.string() + ": " + errno_text());
  struct LogFd {
    int fd;
    ~LogFd() { ::close(fd); }
  } log_guard{log_fd};

  if (!fs::exists(cluster / "PG_VERSION")) {
    if (fs::exists(cluster) && !fs::is_empty(cluster)) {
      fail(cluster.string() +
           " exists but is not a PostgreSQL cluster; move it away or choose another KIANAX_DATA_DIR");
    }
    fs::create_directories(cluster);
    ::chmod(cluster.c_str(), 0700);
    chown_to(as, cluster);
    spdlog::info("embedded PostgreSQL: creating a new cluster in {}", cluster.string());
    int rc = run_program(
        as,
        {(fs::path(options.bin_dir) / "initdb").string(), "-D", cluster.string(), "-U", kSuperuser,
         "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--no-locale", "--no-instructions"},
        log_fd);
    if (rc != 0) {
      fail("initdb failed (exit " + std::to_string(rc) + "), see " + log_path.string() + ":" +
           read_file_tail(log_path, 10));
    }
  }

  // A postmaster.pid left behind: by a postmaster whose owner crashed (stop it), or stale (remove it).
  if (auto pm = read_postmaster_pid(cluster)) {
    if (process_alive(pm->pid) && is_postgres_process(pm->pid)) {
      spdlog::warn("embedded PostgreSQL: stopping a server left running by a previous kianax (pid {})",
                   pm->pid);
      ::kill(pm->pid, SIGINT);
      wait_for_exit(pm->pid, std::chrono::seconds(30));
      if (process_alive(pm->pid)) {
        ::kill(pm->pid, SIGQUIT);
        wait_for_exit(pm->pid, std::chrono::seconds(10));
      }
    } else {
      spdlog::warn("embedded PostgreSQL: removing stale postmaster.pid (pid {} is not running)", pm->pid);
    }
    fs::remove(cluster / "postmaster.pid", ec);
  }

  // Socket directory: inside the data dir when the path fits the 107-byte sun_path limit, else under /tmp.
  fs::path sock = data / "run";
  if (sock.string().size() + std::strlen("/.s.PGSQL.65535") >= 100) {
    char tmpl[] = "/tmp/kianax-pg-XXXXXX";
    if (::mkdtemp(tmpl) == nullptr) fail("mkdtemp: " + errno_text());
    sock = tmpl;
    self->temp_socket_dir_ = true;
  }
  fs::create_directories(sock);
  ::chmod(sock.c_str(), 0700);
  chown_to(as, sock);
  self->socket_dir_ = sock.string();
  self->port_ = free_loopback_port();

  std::vector<std::string> argv = {(fs::path(options.bin_dir) / "postgres").string(),
                                   "-D",
                                   cluster.string(),
                                   "-p",
                                   std::to_string(self->port_),
                                   "-k",
                                   sock.string(),
                                   "-c",
                                   "listen_addresses=127.0.0.1",
                                   "-c",
                                   "unix_socket_permissions=0700"};
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) fail("fork: " + errno_text());
  if (pid == 0) {
    // Own process group: a Ctrl-C in our terminal reaches us, and we shut the server down in order.
    setpgid(0, 0);
    dup2(log_fd, STDOUT_FILENO);
    dup2(log_fd, STDERR_FILENO);
    drop_privileges(as);
    // After setuid (which clears it): if we die without stopping the server, it gets a fast shutdown.
    prctl(PR_SET_PDEATHSIG, SIGINT);
    if (getppid() != parent) _exit(0);
    execv(args[0], args.data());
    _exit(127);
  }
  self->child_pid_ = pid;

  const std::string ping_info = conninfo(self->socket_dir_, self->port_, kSuperuser, "postgres");
  auto until = std::chrono::steady_clock::now() + options.start_timeout;
  for (;;) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) {
      self->child_pid_ = -1;
      fail("server exited during start-up, see " + log_path.string() + ":" + read_file_tail(log_path, 10));
    }
    if (PQping(ping_info.c_str()) == PQPING_OK) break;
    if (std::chrono::steady_clock::now() > until) {
      self->stop();
      fail("server did not accept connections within " + std::to_string(options.start_timeout.count()) +
           " s, see " + log_path.string());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }

  if (!query_exists(ping_info, "SELECT 1 FROM pg_database WHERE datname = $1", options.database)) {
    PGconn* conn = PQconnectdb(ping_info.c_str());
    char* ident = PQescapeIdentifier(conn, options.database.c_str(), options.database.size());
    std::string sql = std::string("CREATE DATABASE ") + ident;
    PQfreemem(ident);
    PQfinish(conn);
    exec_sql(ping_info, sql);
    spdlog::info("embedded PostgreSQL: created database '{}'", options.database);
  }
  spdlog::info("embedded PostgreSQL: data in {}, socket {}, port 127.0.0.1:{}", cluster.string(),
               self->socket_dir_, self->port_);
  return self;
}

std::string EmbeddedPostgres::owner_conninfo() const {
  return conninfo(socket_dir_, port_, kSuperuser, database_);
}

std::string EmbeddedPostgres::app_conninfo() const {
  return conninfo(socket_dir_, port_, kAppLoginRole, database_);
}

void EmbeddedPostgres::ensure_app_login_role() const {
  // Role names are constants; CREATE ROLE takes no parameters, so the statement is fixed text.
  exec_sql(owner_conninfo(),
           "DO $$ BEGIN "
           "IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'kianax_app_login') THEN "
           "CREATE ROLE kianax_app_login LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS IN ROLE "
           "kianax_app; "
           "END IF; END $$");
  exec_sql(owner_conninfo(), "GRANT kianax_app TO kianax_app_login");
}

void EmbeddedPostgres::stop() {
  if (child_pid_ > 0) {
    ::kill(child_pid_, SIGINT);  // fast shutdown: active transactions roll back, clean checkpoint
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    int status = 0;
    while (waitpid(child_pid_, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > until) {
        ::kill(child_pid_, SIGQUIT);
        waitpid(child_pid_, &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    child_pid_ = -1;
    spdlog::info("embedded PostgreSQL: stopped");
  }
  if (temp_socket_dir_) {
    std::error_code ec;
    fs::remove_all(socket_dir_, ec);
    temp_socket_dir_ = false;
  }
  if (lock_fd_ >= 0) {
    ::close(lock_fd_);
    lock_fd_ = -1;
  }
}

EmbeddedPostgres::~EmbeddedPostgres() { stop(); }

}  // namespace kianax::db
