#pragma once
// The type name zod (and so tRPC and Better Auth) puts in "expected X, received Y" messages, for a JSON
// value; nullptr (an absent field) is "undefined". Shared so every endpoint words type errors alike.
#include <boost/json/value.hpp>

#include <string_view>

namespace kianax::core {

[[nodiscard]] inline std::string_view json_type_name(const boost::json::value* v) {
  if (v == nullptr) return "undefined";
  switch (v->kind()) {
    case boost::json::kind::null:
      return "null";
    case boost::json::kind::bool_:
      return "boolean";
    case boost::json::kind::string:
      return "string";
    case boost::json::kind::array:
      return "array";
    case boost::json::kind::object:
      return "object";
    case boost::json::kind::int64:
    case boost::json::kind::uint64:
    case boost::json::kind::double_:
      return "number";
  }
  return "unknown";
}

}  // namespace kianax::core
