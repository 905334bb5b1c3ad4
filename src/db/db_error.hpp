#pragma once
// The one exception type of the db layer. Exceptions end a query (DuckDB's rule); callers that care about
// a specific condition test sqlstate() (e.g. "23505" unique_violation) or kind(), never the message text.
// Messages never contain a password: connection targets are passed through redact_conninfo first.
#include <stdexcept>
#include <string>

namespace kianax::db {

enum class DbErrorKind {
  kServer,      // the server rejected a statement; sqlstate() says why
  kConnection,  // could not connect, or the connection broke (sqlstate 08xxx when libpq knows)
  kTimeout,     // the call's deadline passed (connect, pool wait, or query)
  kUsage,       // our misuse: bad column name, NULL read into a non-optional, empty user id
};

class DbError : public std::runtime_error {
 public:
  DbError(DbErrorKind kind, const std::string& message, std::string sqlstate = {}, std::string detail = {})
      : std::runtime_error(message),
        kind_(kind),
        sqlstate_(std::move(sqlstate)),
        detail_(std::move(detail)) {}

  [[nodiscard]] DbErrorKind kind() const { return kind_; }
  [[nodiscard]] const std::string& sqlstate() const { return sqlstate_; }  // five characters, or empty
  [[nodiscard]] const std::string& detail() const { return detail_; }

 private:
  DbErrorKind kind_;
  std::string sqlstate_;
  std::string detail_;
};

}  // namespace kianax::db
