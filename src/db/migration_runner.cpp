#include "db/migration_runner.hpp"

#include <algorithm>
#include <map>

#include "db/db_error.hpp"
#include "db/pool.hpp"
#include "db/sha256.hpp"
#include "db/sync_connection.hpp"

namespace kianax::db {
namespace {

constexpr std::string_view kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version text PRIMARY KEY,"
    " name text NOT NULL,"
    " checksum text NOT NULL,"
    " applied_at timestamptz NOT NULL DEFAULT now())";

// The app role may read (not write) the bookkeeping, so /readyz can run on the app's pool.
constexpr std::string_view kGrantRead =
    "DO $$ BEGIN "
    "IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'kianax_app') THEN "
    "GRANT SELECT ON schema_migrations TO kianax_app; "
    "END IF; END $$";

constexpr std::string_view kTableExists = "SELECT to_regclass('schema_migrations') IS NOT NULL";

constexpr std::string_view kSelectApplied =
    "SELECT version, name, checksum,"
    " to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
    " FROM schema_migrations ORDER BY version";

constexpr std::string_view kInsertApplied =
    "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)";

struct Applied {
  std::string name;
  std::string checksum;
  std::string applied_at;
};

std::map<std::string, Applied> read_applied(const Result& rows) {
  std::map<std::string, Applied> applied;
  for (const Row row : rows) {
    applied[row.get<std::string>(0)] =
        Applied{row.get<std::string>(1), row.get<std::string>(2), row.get<std::string>(3)};
  }
  return applied;
}

std::vector<MigrationState> compare(std::span<const MigrationFile> migrations,
                                    const std::map<std::string, Applied>& applied) {
  std::vector<MigrationState> states;
  for (const MigrationFile& m : migrations) {
    MigrationState s{std::string(m.version), std::string(m.name), sha256_hex(m.sql)};
    if (auto it = applied.find(s.version); it != applied.end()) {
      s.applied = true;
      s.applied_at = it->second.applied_at;
      s.checksum_mismatch = it->second.checksum != s.checksum;
    }
    states.push_back(std::move(s));
  }
  for (const auto& [version, a] : applied) {
    const bool known = std::any_of(migrations.begin(), migrations.end(),
                                   [&](const MigrationFile& m) { return m.version == version; });
    if (!known) {
      states.push_back(MigrationState{version, a.name, a.checksum, true, a.applied_at, false, true});
    }
  }
  std::sort(states.begin(), states.end(), [](const auto& a, const auto& b) { return a.version < b.version; });
  return states;
}

// The reason the states are not acceptable to migrate over, or "" if they are.
std::string refusal(const std::vector<MigrationState>& states) {
  for (const auto& s : states) {
    if (s.unknown_to_binary) {
      return "the database has migration " + s.version + "_" + s.name +
             " applied, which this binary does not contain (is the binary older than the database?)";
    }
    if (s.checksum_mismatch) {
      return "migration " + s.version + "_" + s.name +
             " was changed after it was applied (its sha256 differs from the one recorded in "
             "schema_migrations); never edit an applied migration — add a new one";
    }
  }
  return "";
}

MigrationCheck verdict(const std::vector<MigrationState>& states) {
  if (auto reason = refusal(states); !reason.empty()) return {false, reason};
  for (const auto& s : states) {
    if (!s.applied) return {false, "migration " + s.version + "_" + s.name + " is not applied"};
  }
  return {true, ""};
}

}  // namespace

MigrationRunner::MigrationRunner(std::string owner_conninfo, std::span<const MigrationFile> migrations)
    : conninfo_(std::move(owner_conninfo)), migrations_(migrations) {}

std::vector<std::string> MigrationRunner::migrate() {
  SyncConnection conn = SyncConnection::open(conninfo_);
  conn.exec("SELECT set_config('lock_timeout', $1, false)",
            Params(std::to_string(lock_timeout.count() * 1000)));
  try {
    conn.exec("SELECT pg_advisory_lock($1)", Params(kMigrationLockKey));
  } catch (const DbError& e) {
    throw MigrationError("could not take the migration lock (another migration still running?): " +
                         std::string(e.what()));
  }
  // Everything below runs under the lock; closing the session (also on an exception) releases it.
  conn.exec(kCreateTable);
  const auto states = compare(migrations_, read_applied(conn.exec(kSelectApplied)));
  if (auto reason = refusal(states); !reason.empty()) throw MigrationError("refusing to migrate: " + reason);

  std::vector<std::string> applied_now;
  for (const MigrationFile& m : migrations_) {
    const auto it =
        std::find_if(states.begin(), states.end(), [&](const auto& s) { return s.version == m.version; });
    if (it->applied) continue;
    try {
      conn.exec("BEGIN");
      conn.exec(m.sql);
      conn.exec(kInsertApplied, Params(m.version, m.name, it->checksum));
      conn.exec("COMMIT");
    } catch (const DbError& e) {
      try {
        conn.exec("ROLLBACK");
      } catch (const DbError&) {
        // the connection is gone; the server rolled back
      }
      throw MigrationError("migration " + std::string(m.version) + "_" + std::string(m.name) +
                           " failed and was rolled back: " + e.what());
    }
    applied_now.emplace_back(m.version);
  }
  conn.exec(kGrantRead);
  conn.exec("SELECT pg_advisory_unlock($1)", Params(kMigrationLockKey));
  return applied_now;
}

std::vector<MigrationState> MigrationRunner::status() {
  SyncConnection conn = SyncConnection::open(conninfo_);
  const bool exists = conn.exec(kTableExists).front().get<bool>(0);
  return compare(migrations_,
                 exists ? read_applied(conn.exec(kSelectApplied)) : std::map<std::string, Applied>{});
}

MigrationCheck MigrationRunner::check() { return verdict(status()); }

boost::asio::awaitable<MigrationCheck> check_migrations(Pool& pool,
                                                        std::span<const MigrationFile> migrations) {
  std::string failure;
  try {
    const bool exists = (co_await pool.query(kTableExists)).front().get<bool>(0);
    if (!exists) co_return MigrationCheck{false, "schema_migrations does not exist (run `kianax migrate`)"};
    auto rows = co_await pool.query(kSelectApplied);
    co_return verdict(compare(migrations, read_applied(rows)));
  } catch (const DbError& e) {
    failure = e.what();
  }
  co_return MigrationCheck{false, "database not reachable: " + failure};
}

}  // namespace kianax::db
