// `kianax migrate [--status]`: applies the embedded migrations as the owner role (DIRECT_URL, falling back
// to DATABASE_URL, else the embedded cluster), or prints what is applied and pending without changing
// anything.
#include <cstdio>
#include <stdexcept>
#include <string>

#include "cli/commands.hpp"
#include "cli/connection_check.hpp"
#include "cli/database_target.hpp"
#include "db/db_error.hpp"
#include "db/migration_runner.hpp"

namespace kianax::cli {
namespace {

std::string setting_name(const core::Config& config, const DatabaseTarget& target) {
  if (target.embedded) return "the embedded database";
  return config.direct_url ? "DIRECT_URL" : "DATABASE_URL";
}

int print_status(db::MigrationRunner& runner) {
  auto states = runner.status();
  std::printf("%-8s %-32s %-10s %s\n", "VERSION", "NAME", "STATE", "APPLIED AT");
  int pending = 0;
  for (const auto& s : states) {
    std::string state = s.applied ? "applied" : "pending";
    if (s.checksum_mismatch) state = "changed";
    if (s.unknown_to_binary) state = "unknown";
    if (!s.applied) ++pending;
    std::printf("%-8s %-32s %-10s %s\n", s.version.c_str(), s.name.c_str(), state.c_str(),
                s.applied_at.value_or("-").c_str());
  }
  auto check = runner.check();
  if (!check.current) std::printf("\nnot current: %s\n", check.reason.c_str());
  return check.current ? 0 : (pending > 0 ? 3 : 1);
}

}  // namespace

int run_migrate(const core::Config& config, bool status_only) {
  DatabaseTarget target = open_database_target(config);
  const std::string setting = setting_name(config, target);
  check_connection(target.owner_conninfo, setting, config.pool.connect_timeout);
  db::MigrationRunner runner(target.owner_conninfo);
  try {
    if (status_only) return print_status(runner);
    auto applied = runner.migrate();
    if (applied.empty()) std::printf("schema is current; nothing to apply\n");
    for (const auto& version : applied) std::printf("applied %s\n", version.c_str());
    return 0;
  } catch (const db::DbError& e) {
    rethrow_naming(setting, e);
  }
}

}  // namespace kianax::cli
