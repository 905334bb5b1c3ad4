#pragma once
// Where this process's database is: the configured DATABASE_URL/DIRECT_URL, or (with no DATABASE_URL) the
// embedded cluster under KIANAX_DATA_DIR, started on demand and stopped when the target is destroyed.
#include <memory>
#include <string>

#include "core/config.hpp"
#include "db/embedded_postgres.hpp"

namespace kianax::cli {

struct DatabaseTarget {
  std::string owner_conninfo;  // migrations (DIRECT_URL, else DATABASE_URL; the superuser when embedded)
  std::string app_conninfo;    // serve/worker: the RLS-bound application role
  std::unique_ptr<db::EmbeddedPostgres> embedded;  // set in embedded mode
};

// Throws std::runtime_error with one line naming the problem (passwords redacted).
[[nodiscard]] DatabaseTarget open_database_target(const core::Config& config);

}  // namespace kianax::cli
