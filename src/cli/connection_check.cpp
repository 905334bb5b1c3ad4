#include "cli/connection_check.hpp"

#include <algorithm>
#include <stdexcept>

#include "db/conninfo.hpp"
#include "db/db_error.hpp"
#include "db/sync_connection.hpp"

namespace kianax::cli {

void check_connection(const std::string& conninfo, const std::string& setting,
                      std::chrono::milliseconds timeout) {
  if (auto problem = db::conninfo_problem(conninfo)) {
    throw std::runtime_error(setting + " is malformed: " + *problem);
  }
  try {
    auto seconds = std::chrono::ceil<std::chrono::seconds>(timeout);
    (void)db::SyncConnection::open(conninfo, std::max(seconds, std::chrono::seconds(1)));
  } catch (const db::DbError& e) {
    rethrow_naming(setting, e);
  }
}

void rethrow_naming(const std::string& setting, const std::exception& e) {
  throw std::runtime_error(setting + ": " + e.what());
}

}  // namespace kianax::cli
