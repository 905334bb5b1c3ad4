#include "pg_harness/test_cluster.hpp"

#include <grp.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

#include "db/migration_runner.hpp"
#include "db/sync_connection.hpp"

namespace kianax::testing {
namespace fs = std::filesystem;

namespace {

constexpr const char* kClusterUser = "kianax-test";
constexpr const char* kTemplate = "kianax_template";
constexpr const char* kDirPrefix = "kianax-pgtest-";

int free_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    if (fd >= 0) ::close(fd);
    throw std::runtime_error("cannot find a free loopback port");
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

std::string read_tail(const fs::path& file, size_t bytes = 4000) {
  std::ifstream in(file);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  return s.size() > bytes ? s.substr(s.size() - bytes) : s;
}

// Directories of test processes that died without cleaning up (SIGKILL, timeout): their pid file names a
// process that no longer exists.
void remove_stale_dirs() {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(fs::temp_directory_path(), ec)) {
    if (entry.path().filename().string().rfind(kDirPrefix, 0) != 0) continue;
    std::ifstream pid_file(entry.path() / "owner.pid");
    long pid = 0;
    if (pid_file >> pid && pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) {
      fs::remove_all(entry.path(), ec);
    }
  }
}

// fork + exec, dropping to uid/gid when given; the child dies with us. Returns the child's pid.
pid_t spawn(const std::vector<std::string>& argv, int uid, int gid, const fs::path& log) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::setpgid(0, 0);  // our terminal's Ctrl-C is for us; we stop the server ourselves
    if (uid >= 0) {
      if (::setgroups(0, nullptr) != 0 || ::setgid(gid) != 0 || ::setuid(uid) != 0) ::_exit(126);
    }
    ::prctl(PR_SET_PDEATHSIG, SIGQUIT);  // after setuid: credential changes clear it
    if (!log.empty()) {
      FILE* out = std::freopen(log.c_str(), "a", stdout);
      if (out == nullptr || ::dup2(::fileno(stdout), 2) < 0) ::_exit(125);
    }
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  return pid;
}

int wait_exit(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::unique_ptr<TestCluster>& instance() {
  static std::unique_ptr<TestCluster> cluster;
  return cluster;
}

}  // namespace

// -------------------------------------------------------------------------------------------------------
// TestDatabase

TestDatabase::TestDatabase(TestDatabase&& other) noexcept
    : cluster_(other.cluster_), name_(std::exchange(other.name_, std::string())) {}

TestDatabase::~TestDatabase() {
  if (name_.empty()) return;
  try {
    auto conn = db::SyncConnection::open(cluster_->conninfo("postgres", cluster_->superuser()));
    conn.exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");  // name is ours: t_<pid>_<n>
  } catch (const std::exception&) {
    // The cluster is deleted at exit anyway.
  }
}

std::string TestDatabase::owner_conninfo() const { return cluster_->conninfo(name_, cluster_->superuser()); }
std::string TestDatabase::app_conninfo() const {
  return cluster_->conninfo(name_, TestCluster::kAppLoginRole);
}
std::string TestDatabase::tcp_owner_conninfo() const {
  return "host=127.0.0.1 port=" + std::to_string(cluster_->port()) + " dbname=" + name_ +
         " user=" + cluster_->superuser();
}

// -------------------------------------------------------------------------------------------------------
// TestCluster

TestCluster& TestCluster::shared() {
  static std::once_flag once;
  std::call_once(once, [] {
    instance().reset(new TestCluster());
    instance()->start();
    instance()->create_template();
  });
  return *instance();
}

TestCluster::TestCluster() = default;
TestCluster::~TestCluster() { stop(); }

std::string TestCluster::bin_dir() const { return KIANAX_PG_BIN_DIR; }

std::string TestCluster::conninfo(const std::string& database, const std::string& user) const {
  return "host=" + dir_ + " port=" + std::to_string(port_) + " dbname=" + database + " user=" + user;
}

void TestCluster::start() {
  remove_stale_dirs();
  if (::geteuid() == 0) {
    if (::getpwnam(kClusterUser) == nullptr) {
      // Two test binaries may race here; whoever loses sees the user afterwards.
      (void)std::system(
          "useradd --system --no-create-home --shell /usr/sbin/nologin kianax-test >/dev/null 2>&1");
    }
    const passwd* pw = ::getpwnam(kClusterUser);
    if (pw == nullptr) throw std::runtime_error("cannot create the system user kianax-test for PostgreSQL");
    uid_ = static_cast<int>(pw->pw_uid);
    gid_ = static_cast<int>(pw->pw_gid);
  }
  std::string templ = (fs::temp_directory_path() / (std::string(kDirPrefix) + "XXXXXX")).string();
  if (::mkdtemp(templ.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  dir_ = templ;
  std::ofstream(fs::path(dir_) / "owner.pid") << ::getpid() << "\n";
  if (uid_ >= 0 && ::chown(dir_.c_str(), uid_, gid_) != 0)
    throw std::runtime_error("chown " + dir_ + " failed");

  const fs::path data = fs::path(dir_) / "data";
  const fs::path log = fs::path(dir_) / "server.log";
  const int initdb =
      wait_exit(spawn({bin_dir() + "/initdb", "-D", data.string(), "-U", "postgres", "--auth=trust",
                       "--no-locale", "-E", "UTF8", "--no-sync", "--no-instructions"},
                      uid_, gid_, log));
  if (initdb != 0)
    throw std::runtime_error("initdb failed (" + std::to_string(initdb) + "):\n" + read_tail(log));

  port_ = free_loopback_port();
  postmaster_pid_ = spawn({bin_dir() + "/postgres",
                           "-D",
                           data.string(),
                           "-p",
                           std::to_string(port_),
                           "-k",
                           dir_,
                           "-c",
                           "listen_addresses=127.0.0.1",
                           "-c",
                           "fsync=off",
                           "-c",
                           "synchronous_commit=off",
                           "-c",
                           "full_page_writes=off",
                           "-c",
                           "max_connections=200",
                           "-c",
                           "log_min_messages=warning",
                           "-c",
                           "log_min_error_statement=panic"},
                          uid_, gid_, log);
  const std::string ping = conninfo("postgres", superuser());
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (PQping(ping.c_str()) != PQPING_OK) {
    int status = 0;
    if (::waitpid(postmaster_pid_, &status, WNOHANG) == postmaster_pid_) {
      postmaster_pid_ = -1;
      throw std::runtime_error("test PostgreSQL exited during start:\n" + read_tail(log));
    }
    if (std::chrono::steady_clock::now() > until) {
      throw std::runtime_error("test PostgreSQL did not accept connections within 60 s:\n" + read_tail(log));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

void TestCluster::create_template() {
  {
    auto conn = db::SyncConnection::open(conninfo("postgres", superuser()));
    conn.exec(std::string("CREATE DATABASE ") + kTemplate);
  }
  db::MigrationRunner(conninfo(kTemplate, superuser())).migrate();
  auto conn = db::SyncConnection::open(conninfo("postgres", superuser()));
  // The role exists cluster-wide; the app's servers log in as it (member of kianax_app: RLS applies).
  conn.exec(std::string("CREATE ROLE ") + kAppLoginRole +
            " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS " + "PASSWORD '" + kAppLoginPassword +
            "' IN ROLE kianax_app");
}

std::string TestCluster::new_database_name() {
  static std::mutex mutex;
  std::lock_guard lock(mutex);
  return "t_" + std::to_string(::getpid()) + "_" + std::to_string(++counter_);
}

TestDatabase TestCluster::create_database() {
  std::string name = new_database_name();
  auto conn = db::SyncConnection::open(conninfo("postgres", superuser()));
  conn.exec("CREATE DATABASE " + name + " TEMPLATE " + kTemplate);
  return TestDatabase(*this, name);
}

TestDatabase TestCluster::create_empty_database() {
  std::string name = new_database_name();
  auto conn = db::SyncConnection::open(conninfo("postgres", superuser()));
  conn.exec("CREATE DATABASE " + name + " TEMPLATE template0");
  return TestDatabase(*this, name);
}

int TestCluster::run_tool(const std::string& tool, const std::string& args, std::string* output) const {
  const std::string command = bin_dir() + "/" + tool + " " + args + " 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return -1;
  char buf[4096];
  size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) {
    if (output != nullptr) output->append(buf, n);
  }
  const int status = ::pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void TestCluster::stop() {
  if (postmaster_pid_ > 0) {
    ::kill(postmaster_pid_, SIGQUIT);  // immediate shutdown: nothing here is worth a checkpoint
    wait_exit(postmaster_pid_);
    postmaster_pid_ = -1;
  }
  if (!dir_.empty()) {
    std::error_code ec;
    fs::remove_all(dir_, ec);
    dir_.clear();
  }
}

}  // namespace kianax::testing
