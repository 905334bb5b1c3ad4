#pragma once
// Reading store rows: jsonb columns as boost::json values, enum columns as C++ enums, uuid text checks.
// Internal to src/store (repositories' .cpp files).
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "db/result.hpp"

namespace kianax::store::detail {

[[nodiscard]] boost::json::value json_column(const db::Row& row, int column);  // NOT NULL jsonb
[[nodiscard]] std::optional<boost::json::value> optional_json_column(const db::Row& row, int column);
[[nodiscard]] std::string json_text(const boost::json::value& value);
[[nodiscard]] std::optional<std::string> optional_json_text(const std::optional<boost::json::value>& value);

// Parses an enum label read from the database; an unknown label means the schema and the code disagree.
template <class E>
E enum_column(const db::Row& row, int column, std::optional<E> (*parse)(std::string_view));

// True for the canonical 8-4-4-4-12 hex form. Ids that are not uuids cannot name a row: repositories answer
// "not found" for them instead of letting PostgreSQL raise invalid_text_representation.
[[nodiscard]] bool is_uuid(std::string_view text);

}  // namespace kianax::store::detail

#include "db/db_error.hpp"

namespace kianax::store::detail {

template <class E>
E enum_column(const db::Row& row, int column, std::optional<E> (*parse)(std::string_view)) {
  const auto text = row.get<std::string_view>(column);
  if (auto v = parse(text)) return *v;
  throw db::DbError(db::DbErrorKind::kUsage,
                    "unknown enum label '" + std::string(text) + "' in column " + std::to_string(column));
}

}  // namespace kianax::store::detail
