#include "db/result.hpp"

#include <libpq-fe.h>

#include <charconv>
#include <cstdlib>

#include "db/db_error.hpp"

namespace kianax::db {
namespace {

[[noreturn]] void null_field(const Row& row, int column, const char* type) {
  throw DbError(DbErrorKind::kUsage, "column " + std::to_string(column) + " of row " +
                                         std::to_string(row.index()) + " is NULL; read it as optional<" +
                                         type + ">");
}

template <class Int>
Int parse_int(const Row& row, int column, const char* type) {
  if (row.is_null(column)) null_field(row, column, type);
  const std::string_view s = row.text(column);
  Int value{};
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size()) {
    throw DbError(DbErrorKind::kUsage,
                  "column " + std::to_string(column) + " is not an " + type + ": '" + std::string(s) + "'");
  }
  return value;
}

}  // namespace

void Result::Deleter::operator()(pg_result* r) const { PQclear(r); }

Result::Result(pg_result* owned) : res_(owned) {}

int Result::size() const { return res_ ? PQntuples(res_.get()) : 0; }
int Result::columns() const { return res_ ? PQnfields(res_.get()) : 0; }

int Result::column(std::string_view name) const {
  for (int i = 0; i < columns(); ++i) {
    if (name == PQfname(res_.get(), i)) return i;
  }
  throw DbError(DbErrorKind::kUsage, "result has no column '" + std::string(name) + "'");
}

std::string_view Result::column_name(int column) const { return PQfname(res_.get(), column); }

std::int64_t Result::affected_rows() const {
  if (!res_) return 0;
  const char* n = PQcmdTuples(res_.get());
  return (n != nullptr && *n != '\0') ? std::strtoll(n, nullptr, 10) : 0;
}

Row Result::front() const {
  if (empty()) throw DbError(DbErrorKind::kUsage, "result has no rows");
  return Row(*this, 0);
}

bool Row::is_null(int column) const { return PQgetisnull(result_->native(), index_, column) != 0; }

std::string_view Row::text(int column) const {
  pg_result* r = result_->native();
  return std::string_view(PQgetvalue(r, index_, column), static_cast<size_t>(PQgetlength(r, index_, column)));
}

template <>
std::string FieldReader<std::string>::read(const Row& row, int column) {
  if (row.is_null(column)) null_field(row, column, "std::string");
  return std::string(row.text(column));
}
template <>
std::string_view FieldReader<std::string_view>::read(const Row& row, int column) {
  if (row.is_null(column)) null_field(row, column, "std::string_view");
  return row.text(column);
}
template <>
bool FieldReader<bool>::read(const Row& row, int column) {
  if (row.is_null(column)) null_field(row, column, "bool");
  const std::string_view s = row.text(column);
  if (s == "t" || s == "true") return true;
  if (s == "f" || s == "false") return false;
  throw DbError(DbErrorKind::kUsage,
                "column " + std::to_string(column) + " is not a bool: '" + std::string(s) + "'");
}
template <>
std::int32_t FieldReader<std::int32_t>::read(const Row& row, int column) {
  return parse_int<std::int32_t>(row, column, "int32");
}
template <>
std::int64_t FieldReader<std::int64_t>::read(const Row& row, int column) {
  return parse_int<std::int64_t>(row, column, "int64");
}
template <>
double FieldReader<double>::read(const Row& row, int column) {
  if (row.is_null(column)) null_field(row, column, "double");
  const std::string s(row.text(column));
  char* end = nullptr;
  const double value = std::strtod(s.c_str(), &end);  // also accepts NaN / Infinity as the server prints them
  if (end != s.c_str() + s.size()) {
    throw DbError(DbErrorKind::kUsage, "column " + std::to_string(column) + " is not a double: '" + s + "'");
  }
  return value;
}

}  // namespace kianax::db
