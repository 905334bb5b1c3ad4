// Services over one db::Pool of the application role. Everything database-specific a server process needs
// lives here so that serve_command.cpp compiles without the db headers.
#include "cli/server_wiring.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>

#include <stdexcept>
#include <string>

#include "cli/connection_check.hpp"
#include "db/db_error.hpp"
#include "db/migration_runner.hpp"
#include "db/pool.hpp"

namespace kianax::cli {
namespace {

class PoolServices final : public Services {
 public:
  PoolServices(boost::asio::io_context& io, const core::Config& config, const std::string& conninfo)
      : pool_(io, db::PoolOptions{.conninfo = conninfo,
                                  .max_connections = config.pool.max_connections,
                                  .idle_timeout = config.pool.idle_timeout,
                                  .connect_timeout = config.pool.connect_timeout}) {
    pool_.start_idle_reaper();
  }

  http::ReadinessProbe readiness_probe() override {
    return [this]() -> boost::asio::awaitable<http::Readiness> {
      db::MigrationCheck check = co_await db::check_migrations(pool_);
      co_return http::Readiness{.ready = check.current, .reason = check.reason};
    };
  }

  void add_routes(http::Router&) override {}

  void stop() override {}

 private:
  db::Pool pool_;
};

}  // namespace

std::unique_ptr<Services> start_services(boost::asio::io_context& io, const core::Config& config,
                                         DatabaseTarget& target) {
  // Fail at start, in one line, rather than serving 503s forever against a database that cannot exist.
  check_connection(target.app_conninfo, target.embedded ? "the embedded database" : "DATABASE_URL",
                   config.pool.connect_timeout);
  return std::make_unique<PoolServices>(io, config, target.app_conninfo);
}

void apply_migrations_at_startup(DatabaseTarget& target) {
  try {
    auto applied = db::MigrationRunner(target.owner_conninfo).migrate();
    if (applied.empty()) {
      spdlog::info("schema is current");
    } else {
      for (const auto& version : applied) spdlog::info("applied migration {}", version);
    }
  } catch (const db::DbError& e) {
    throw std::runtime_error(std::string("migrations: ") + e.what());
  }
}

}  // namespace kianax::cli
