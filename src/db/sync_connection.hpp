#pragma once
// A blocking libpq connection for one-shot work where there is no event loop: the migration runner, CLI
// commands (`kianax migrate --status`), test and benchmark set-up. Servers use Pool instead.
#include <chrono>
#include <string>
#include <string_view>

#include "db/params.hpp"
#include "db/result.hpp"

struct pg_conn;

namespace kianax::db {

class SyncConnection {
 public:
  // Throws DbError(kConnection) with a one-line reason naming the redacted target.
  static SyncConnection open(const std::string& conninfo,
                             std::chrono::seconds connect_timeout = std::chrono::seconds(2));
  SyncConnection(SyncConnection&& other) noexcept;
  SyncConnection& operator=(SyncConnection&& other) noexcept;
  ~SyncConnection();

  // Simple protocol: `sql` may hold several statements (a migration file); returns the last result.
  Result exec(std::string_view sql);
  // Extended protocol, one statement, parameters out of band.
  Result exec(std::string_view sql, const Params& params);

  [[nodiscard]] const std::string& target() const { return target_; }  // redacted

 private:
  SyncConnection(pg_conn* conn, std::string target) : conn_(conn), target_(std::move(target)) {}
  Result check(pg_result* result);
  pg_conn* conn_ = nullptr;
  std::string target_;
};

}  // namespace kianax::db
