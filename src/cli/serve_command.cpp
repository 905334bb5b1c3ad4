// The long-running roles: all-in-one (embedded PostgreSQL + migrations + API) and `serve` (API only).
//
// Shutdown order matters: on SIGINT/SIGTERM we stop accepting, let in-flight requests finish (bounded), stop
// the io threads, close the pool, and only then stop the embedded PostgreSQL — so no request sees its
// database vanish.
#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <pthread.h>
#include <signal.h>

#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

#include "cli/commands.hpp"
#include "cli/connection_check.hpp"
#include "cli/database_target.hpp"
#include "cli/server_wiring.hpp"
#include "cli/vault_key.hpp"
#include "cli/worker_wiring.hpp"
#include "http/health.hpp"
#include "http/router.hpp"
#include "http/server.hpp"

namespace kianax::cli {
namespace {

namespace asio = boost::asio;

int io_thread_count(const core::Config& config) {
  if (config.io_threads > 0) return config.io_threads;
  unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

// Runs the API server until SIGINT/SIGTERM. REQUIRES: migrations were applied when `target` is embedded.
int serve_until_signalled(const core::Config& config, DatabaseTarget& target) {
  asio::io_context io(io_thread_count(config));
  auto services = start_services(io, config, target);

  http::Router router;
  http::add_health_routes(router, services->readiness_probe());
  services->add_routes(router);

  http::Server server(io, router, http::ServerOptions{.host = config.host, .port = config.port});
  const auto port = server.listen();
  spdlog::info("kianax {}: listening on http://{}:{}", target.embedded ? "all-in-one" : "serve", config.host,
               port);

  asio::signal_set signals(io, SIGINT, SIGTERM);
  asio::steady_timer drain(io);
  signals.async_wait([&](const boost::system::error_code& ec, int signo) {
    if (ec) return;
    spdlog::info("received signal {}: shutting down", signo);
    server.stop();
    services->stop();
    // Give in-flight requests up to 10 s, then stop the loop.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    std::function<void()> check;
    check = [&, deadline] {
      if (server.active_requests() == 0 || std::chrono::steady_clock::now() > deadline) {
        io.stop();
        return;
      }
      drain.expires_after(std::chrono::milliseconds(20));
      drain.async_wait([&](const boost::system::error_code&) { check(); });
    };
    check();
  });

  std::vector<std::thread> threads;
  for (int i = 1; i < io_thread_count(config); ++i) threads.emplace_back([&io] { io.run(); });
  io.run();
  for (auto& t : threads) t.join();
  services.reset();  // closes database connections before the embedded cluster stops
  spdlog::info("stopped");
  return 0;
}

}  // namespace

int run_all_in_one(const core::Config& config) {
  DatabaseTarget target = open_database_target(config);
  apply_migrations_at_startup(target);
  if (target.embedded) target.embedded->ensure_app_login_role();
  auto worker = start_background_worker(config, target.app_conninfo,
                                        resolve_vault(config.data_dir, target.embedded != nullptr));
  int rc = serve_until_signalled(config, target);
  worker->stop();  // finishes or releases running executions while the database is still up
  if (target.embedded) target.embedded->stop();
  return rc;
}

int run_serve(const core::Config& config) {
  if (!config.database_url) {
    throw std::runtime_error(
        "DATABASE_URL is not set: `kianax serve` needs an external PostgreSQL (run `kianax` alone for the "
        "embedded one)");
  }
  DatabaseTarget target = open_database_target(config);
  return serve_until_signalled(config, target);
}

int run_worker(const core::Config& config) {
  if (!config.database_url) {
    throw std::runtime_error(
        "DATABASE_URL is not set: `kianax worker` needs an external PostgreSQL (run `kianax` alone for the "
        "embedded one)");
  }
  vault::Vault vault = resolve_vault(config.data_dir, /*embedded=*/false);  // config errors before network
  DatabaseTarget target = open_database_target(config);
  check_connection(target.app_conninfo, "DATABASE_URL", config.pool.connect_timeout);
  // Block the stop signals before any worker thread exists (threads inherit the mask), then wait for one
  // here: the worker threads never see them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  auto worker = start_background_worker(config, target.app_conninfo, std::move(vault));
  spdlog::info("kianax worker: running");
  int signo = 0;
  sigwait(&stop_signals, &signo);
  spdlog::info("received signal {}: shutting down", signo);
  worker->stop();
  spdlog::info("stopped");
  return 0;
}

int report_unavailable(const char* command, const char* coming_with) {
  std::fprintf(stderr, "kianax: error: `kianax %s` is not yet available in this build; it comes with %s\n",
               command, coming_with);
  return 2;
}

}  // namespace kianax::cli
