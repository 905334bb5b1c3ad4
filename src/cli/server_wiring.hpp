#pragma once
// What a server process holds besides the listener: the database pool and the services built on it. Kept
// behind this small interface so serve_command.cpp stays free of database headers.
#include <memory>

#include "cli/database_target.hpp"
#include "core/config.hpp"
#include "http/health.hpp"
#include "http/router.hpp"

namespace boost::asio {
class io_context;
}

namespace kianax::cli {

class Services {
 public:
  virtual ~Services() = default;
  virtual http::ReadinessProbe readiness_probe() = 0;
  virtual void add_routes(http::Router& router) = 0;
  virtual void stop() = 0;  // stop background work; connections close when destroyed
};

// Connects to the database (throws a one-line error, password redacted, when it cannot).
std::unique_ptr<Services> start_services(boost::asio::io_context& io, const core::Config& config,
                                         DatabaseTarget& target);

// All-in-one only: applies pending migrations (waiting for a concurrent migrator) before serving.
void apply_migrations_at_startup(DatabaseTarget& target);

}  // namespace kianax::cli
