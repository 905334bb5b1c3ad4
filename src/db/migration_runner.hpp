#pragma once
// Applies the embedded migrations (db/embedded_migrations.hpp) as the owner role (DIRECT_URL, falling back
// to DATABASE_URL).
//
// Rules:
// - Bookkeeping: schema_migrations(version text primary key, name text, checksum text = sha256 hex of the
//   file, applied_at timestamptz default now()).
// - Concurrency: the whole run holds pg_advisory_lock(kMigrationLockKey) on its session, so processes that
//   start together apply each migration exactly once; the later ones wait, then find nothing to do.
// - Each migration runs in its own transaction together with its schema_migrations row: a failure leaves
//   the database at the previous migration.
// - Refusal: an applied migration whose checksum differs from the binary's, or an applied version the
//   binary does not know, stops the run before anything is applied (MigrationError says which and why).
//   Never edit a released migration; add a new one.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "db/embedded_migrations.hpp"

namespace kianax::db {

class Pool;

// "kianax" in ASCII: the fixed advisory lock key every migrating process takes.
inline constexpr std::int64_t kMigrationLockKey = 0x6b69616e6178;

struct MigrationError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct MigrationState {
  std::string version;
  std::string name;
  std::string checksum;  // of the binary's file; the database's when unknown_to_binary
  bool applied = false;
  std::optional<std::string> applied_at;  // ISO-8601 UTC, e.g. 2025-01-31T12:00:00.123Z
  bool checksum_mismatch = false;         // applied, but the file in the binary differs
  bool unknown_to_binary = false;         // applied, but this binary has no such migration
};

struct MigrationCheck {
  bool current = false;
  std::string reason;  // empty when current
};

class MigrationRunner {
 public:
  explicit MigrationRunner(std::string owner_conninfo,
                           std::span<const MigrationFile> migrations = embedded_migrations());

  // Applies what is pending; returns the versions applied by this call (empty: already current).
  // Throws MigrationError (refusal, or a migration failed: names it and the server's message) or DbError
  // (cannot connect).
  std::vector<std::string> migrate();

  // Applied and pending migrations in version order (plus applied ones the binary does not know).
  [[nodiscard]] std::vector<MigrationState> status();

  [[nodiscard]] MigrationCheck check();
  [[nodiscard]] bool is_current() { return check().current; }

  std::chrono::seconds lock_timeout{60};  // waiting for another process's run

 private:
  std::string conninfo_;
  std::span<const MigrationFile> migrations_;
};

// Same verdict as MigrationRunner::check(), over a pool (e.g. the app role's, for /readyz). Never throws
// for database errors: not reachable / not current is reported as a reason.
boost::asio::awaitable<MigrationCheck> check_migrations(
    Pool& pool, std::span<const MigrationFile> migrations = embedded_migrations());

}  // namespace kianax::db
