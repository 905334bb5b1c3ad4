#include "cli/database_target.hpp"

#include <spdlog/spdlog.h>

#include <filesystem>

namespace kianax::cli {

DatabaseTarget open_database_target(const core::Config& config) {
  DatabaseTarget t;
  if (config.database_url) {
    t.app_conninfo = *config.database_url;
    t.owner_conninfo = *config.migration_url();
    return t;
  }
  db::EmbeddedPostgresOptions options;
  options.data_dir = config.data_dir;
  spdlog::info("no DATABASE_URL: using the embedded PostgreSQL under {}",
               std::filesystem::absolute(config.data_dir).lexically_normal().string());
  t.embedded = db::EmbeddedPostgres::start(options);
  t.owner_conninfo = t.embedded->owner_conninfo();
  t.app_conninfo = t.embedded->app_conninfo();
  return t;
}

}  // namespace kianax::cli
