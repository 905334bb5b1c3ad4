#include "db/sync_connection.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <array>
#include <utility>
#include <vector>

#include "db/conninfo.hpp"
#include "db/db_error.hpp"

namespace kianax::db {
namespace {

void ignore_notice(void*, const char*) {}

std::string trimmed(const char* text) {
  std::string s = text != nullptr ? text : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

SyncConnection SyncConnection::open(const std::string& conninfo, std::chrono::seconds connect_timeout) {
  if (auto problem = conninfo_problem(conninfo)) throw DbError(DbErrorKind::kConnection, *problem);
  const std::string timeout = std::to_string(std::max<long>(connect_timeout.count(), 1));
  // connect_timeout first: a connect_timeout inside the connection string (expanded from dbname) wins.
  const std::array<const char*, 3> keys{"connect_timeout", "dbname", nullptr};
  const std::array<const char*, 3> values{timeout.c_str(), conninfo.c_str(), nullptr};
  PGconn* conn = PQconnectdbParams(keys.data(), values.data(), /*expand_dbname=*/1);
  std::string target = redact_conninfo(conninfo);
  if (conn == nullptr) throw DbError(DbErrorKind::kConnection, "out of memory connecting to " + target);
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string reason = scrub_passwords(trimmed(PQerrorMessage(conn)), conninfo);
    PQfinish(conn);
    // libpq's text spans lines ("connection to server … failed: …"); keep it to one.
    for (char& c : reason) {
      if (c == '\n') c = ' ';
    }
    throw DbError(DbErrorKind::kConnection, "cannot connect to " + target + ": " + reason, "08001");
  }
  PQsetNoticeProcessor(conn, ignore_notice, nullptr);
  return SyncConnection(conn, std::move(target));
}

SyncConnection::SyncConnection(SyncConnection&& other) noexcept
    : conn_(std::exchange(other.conn_, nullptr)), target_(std::move(other.target_)) {}

SyncConnection& SyncConnection::operator=(SyncConnection&& other) noexcept {
  if (this != &other) {
    if (conn_ != nullptr) PQfinish(conn_);
    conn_ = std::exchange(other.conn_, nullptr);
    target_ = std::move(other.target_);
  }
  return *this;
}

SyncConnection::~SyncConnection() {
  if (conn_ != nullptr) PQfinish(conn_);
}

Result SyncConnection::check(PGresult* raw) {
  Result result(raw);
  const auto status = raw != nullptr ? PQresultStatus(raw) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY) return result;
  if (raw == nullptr || PQstatus(conn_) == CONNECTION_BAD) {
    throw DbError(DbErrorKind::kConnection,
                  "lost the connection to " + target_ + ": " + trimmed(PQerrorMessage(conn_)), "08006");
  }
  const char* state = PQresultErrorField(raw, PG_DIAG_SQLSTATE);
  const char* primary = PQresultErrorField(raw, PG_DIAG_MESSAGE_PRIMARY);
  const char* detail = PQresultErrorField(raw, PG_DIAG_MESSAGE_DETAIL);
  std::string message = primary != nullptr ? primary : trimmed(PQresultErrorMessage(raw));
  std::string sqlstate = state != nullptr ? state : "";
  if (!sqlstate.empty()) message += " (SQLSTATE " + sqlstate + ")";
  throw DbError(DbErrorKind::kServer, message, sqlstate, detail != nullptr ? detail : "");
}

Result SyncConnection::exec(std::string_view sql) { return check(PQexec(conn_, std::string(sql).c_str())); }

Result SyncConnection::exec(std::string_view sql, const Params& params) {
  std::vector<const char*> values;
  std::vector<int> lengths;
  std::vector<int> formats;
  std::vector<Oid> types;
  for (const Param& p : params.items()) {
    values.push_back(p.is_null ? nullptr : p.bytes.data());
    lengths.push_back(static_cast<int>(p.bytes.size()));
    formats.push_back(p.binary ? 1 : 0);
    types.push_back(p.type_oid);
  }
  return check(PQexecParams(conn_, std::string(sql).c_str(), static_cast<int>(values.size()), types.data(),
                            values.data(), lengths.data(), formats.data(), 0));
}

}  // namespace kianax::db
