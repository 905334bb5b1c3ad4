#pragma once
// A statement's result: owns the PGresult, rows in text format. Row::get<T>(column) parses a field; NULL
// reads as std::nullopt for get<std::optional<T>> and throws DbError(kUsage) for a non-optional T, so a
// schema change that makes a column nullable fails loudly instead of reading as "".
// A Row (and a string_view read from it) is a view into its Result: keep the Result alive while reading —
// `auto row = co_await pool.query(…).front();` keeps a dangling Row.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct pg_result;

namespace kianax::db {

class Result;

class Row {
 public:
  Row(const Result& result, int index) : result_(&result), index_(index) {}

  [[nodiscard]] bool is_null(int column) const;
  [[nodiscard]] std::string_view text(int column) const;  // "" for NULL
  [[nodiscard]] int index() const { return index_; }

  template <class T>
  [[nodiscard]] T get(int column) const;
  template <class T>
  [[nodiscard]] T get(std::string_view column_name) const;

 private:
  const Result* result_;
  int index_;
};

class Result {
 public:
  Result() = default;
  explicit Result(pg_result* owned);

  [[nodiscard]] int size() const;  // rows
  [[nodiscard]] bool empty() const { return size() == 0; }
  [[nodiscard]] int columns() const;
  [[nodiscard]] int column(std::string_view name) const;  // throws DbError(kUsage) if absent
  [[nodiscard]] std::string_view column_name(int column) const;
  [[nodiscard]] std::int64_t affected_rows() const;  // INSERT/UPDATE/DELETE/SELECT count; 0 otherwise
  [[nodiscard]] Row operator[](int row) const { return Row(*this, row); }
  [[nodiscard]] Row front() const;  // throws DbError(kUsage) when empty

  class iterator {
   public:
    iterator(const Result* r, int i) : r_(r), i_(i) {}
    Row operator*() const { return Row(*r_, i_); }
    iterator& operator++() {
      ++i_;
      return *this;
    }
    bool operator==(const iterator& o) const { return i_ == o.i_; }

   private:
    const Result* r_;
    int i_;
  };
  [[nodiscard]] iterator begin() const { return iterator(this, 0); }
  [[nodiscard]] iterator end() const { return iterator(this, size()); }

  [[nodiscard]] pg_result* native() const { return res_.get(); }

 private:
  struct Deleter {
    void operator()(pg_result* r) const;
  };
  std::unique_ptr<pg_result, Deleter> res_;
};

// Parses one field of text-format output. Specialised for std::string, std::string_view (valid while the
// Result lives), bool, std::int32_t, std::int64_t, double; std::optional<T> of each.
template <class T>
struct FieldReader {
  static T read(const Row& row, int column);
};
template <class T>
struct FieldReader<std::optional<T>> {
  static std::optional<T> read(const Row& row, int column) {
    if (row.is_null(column)) return std::nullopt;
    return FieldReader<T>::read(row, column);
  }
};

template <>
std::string FieldReader<std::string>::read(const Row& row, int column);
template <>
std::string_view FieldReader<std::string_view>::read(const Row& row, int column);
template <>
bool FieldReader<bool>::read(const Row& row, int column);
template <>
std::int32_t FieldReader<std::int32_t>::read(const Row& row, int column);
template <>
std::int64_t FieldReader<std::int64_t>::read(const Row& row, int column);
template <>
double FieldReader<double>::read(const Row& row, int column);

template <class T>
T Row::get(int column) const {
  return FieldReader<T>::read(*this, column);
}
template <class T>
T Row::get(std::string_view column_name) const {
  return FieldReader<T>::read(*this, result_->column(column_name));
}

}  // namespace kianax::db
