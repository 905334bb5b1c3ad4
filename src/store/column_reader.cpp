#include "store/column_reader.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cctype>

namespace kianax::store::detail {

boost::json::value json_column(const db::Row& row, int column) {
  return boost::json::parse(row.get<std::string_view>(column));
}

std::optional<boost::json::value> optional_json_column(const db::Row& row, int column) {
  if (row.is_null(column)) return std::nullopt;
  return boost::json::parse(row.text(column));
}

std::string json_text(const boost::json::value& value) { return boost::json::serialize(value); }

std::optional<std::string> optional_json_text(const std::optional<boost::json::value>& value) {
  if (!value) return std::nullopt;
  return boost::json::serialize(*value);
}

bool is_uuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : std::isxdigit(static_cast<unsigned char>(text[i])) == 0) return false;
  }
  return true;
}

}  // namespace kianax::store::detail
