// Services over one db::Pool of the application role. Everything database-specific a server process needs
// lives here so that serve_command.cpp compiles without the db headers.
#include "cli/server_wiring.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>

#include <stdexcept>
#include <string>

#include "api/trpc_routes.hpp"
#include "auth/auth_service.hpp"
#include "auth/secret_file.hpp"
#include "cli/connection_check.hpp"
#include "cli/vault_key.hpp"
#include "db/db_error.hpp"
#include "db/migration_runner.hpp"
#include "db/pool.hpp"

namespace kianax::cli {
namespace {

// Auth settings for this process. The cookie secret must be shared by every `serve` process, so serve
// refuses to start without BETTER_AUTH_SECRET; the all-in-one mode keeps a generated one in its data dir.
auth::AuthOptions auth_options(const core::Config& config, bool embedded) {
  auth::AuthOptions o;
  if (config.auth.secret) {
    o.secret = *config.auth.secret;
  } else if (embedded) {
    o.secret = auth::load_or_create_secret(config.data_dir + "/auth-secret");
  } else {
    throw std::runtime_error(
        "BETTER_AUTH_SECRET is not set: `kianax serve` needs the secret that signs session cookies (the same "
        "for every server process)");
  }
  o.base_url = config.auth.base_url.value_or("http://localhost:" + std::to_string(config.port));
  o.trusted_origins = config.auth.trusted_origins;
  o.sign_in_rate_limit_max = config.auth.sign_in_rate_limit_max;
  o.trust_forwarded_for = config.auth.trust_forwarded_for;
  if (config.auth.google_client_id && config.auth.google_client_secret) {
    auth::GoogleOptions g;
    g.client_id = *config.auth.google_client_id;
    g.client_secret = *config.auth.google_client_secret;
    if (config.auth.google_auth_url) g.auth_url = *config.auth.google_auth_url;
    if (config.auth.google_token_url) g.token_url = *config.auth.google_token_url;
    if (config.auth.google_userinfo_url) g.userinfo_url = *config.auth.google_userinfo_url;
    o.google = std::move(g);
  }
  return o;
}

class PoolServices final : public Services {
 public:
  PoolServices(boost::asio::io_context& io, const core::Config& config, const std::string& conninfo,
               auth::AuthOptions auth_options, api::ApiOptions api_options)
      : pool_(io, db::PoolOptions{.conninfo = conninfo,
                                  .max_connections = config.pool.max_connections,
                                  .idle_timeout = config.pool.idle_timeout,
                                  .connect_timeout = config.pool.connect_timeout}),
        auth_(pool_, std::move(auth_options)),
        api_options_(std::move(api_options)) {
    pool_.start_idle_reaper();
  }

  http::ReadinessProbe readiness_probe() override {
    return [this]() -> boost::asio::awaitable<http::Readiness> {
      db::MigrationCheck check = co_await db::check_migrations(pool_);
      co_return http::Readiness{.ready = check.current, .reason = check.reason};
    };
  }

  void add_routes(http::Router& router) override {
    auth_.add_routes(router);
    api::add_trpc_routes(router, pool_, auth_.authenticator(), api_options_);
  }

  void stop() override {}

 private:
  db::Pool pool_;
  auth::AuthService auth_;  // after pool_: its handlers use the pool
  api::ApiOptions api_options_;
};

}  // namespace

std::unique_ptr<Services> start_services(boost::asio::io_context& io, const core::Config& config,
                                         DatabaseTarget& target) {
  // Configuration errors first, then the database: fail at start, in one line, rather than serving 503s
  // forever against a database that cannot exist.
  const bool embedded = target.embedded != nullptr;
  auth::AuthOptions auth = auth_options(config, embedded);
  api::ApiOptions api;
  api.vault = resolve_vault(config.data_dir, embedded);
  api.public_url = auth.base_url;
  check_connection(target.app_conninfo, embedded ? "the embedded database" : "DATABASE_URL",
                   config.pool.connect_timeout);
  return std::make_unique<PoolServices>(io, config, target.app_conninfo, std::move(auth), std::move(api));
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
