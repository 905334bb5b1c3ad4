// JSON values with JavaScript semantics where the engine spec depends on them.
//
// Representation of JS `undefined` (see README.md): a single value that may be undefined is a `MaybeValue`
// (std::optional, empty = undefined). Inside containers, undefined is never stored: an object member that
// would be undefined is left out, and an array element that would be undefined becomes null — exactly what
// JSON.stringify does, so the JSON we persist equals what upstream would have persisted.
#pragma once

#include <boost/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace kianax::engine {

using MaybeValue = std::optional<boost::json::value>;

// JS Number.prototype.toString for a double: 5000, 1.5, 1e+21, 1e-7, 0.000001, NaN, Infinity.
[[nodiscard]] std::string js_number_to_string(double v);

// JSON.stringify(v) with no indentation: keys in insertion order, numbers formatted as JS does
// (non-finite numbers become null), non-ASCII characters written as they are.
[[nodiscard]] std::string js_stringify(const boost::json::value& v);
void js_stringify_to(std::string& out, const boost::json::value& v);
// JSON.stringify(v, null, indent): the same, laid out over lines.
[[nodiscard]] std::string js_stringify_pretty(const boost::json::value& v, int indent = 2);

// Text of a value interpolated into a string: undefined/null → "", strings as they are, numbers and
// booleans as JS prints them, objects and arrays as compact JSON.
void append_interpolated(std::string& out, const boost::json::value* v);

// The numeric value of a JSON number of any of the three Boost.JSON kinds. REQUIRES: v.is_number().
[[nodiscard]] double number_as_double(const boost::json::value& v);

// Deep equality where numbers compare by value across int64/uint64/double (JSON has one number type).
// Object member order is not significant.
[[nodiscard]] bool json_equal(const boost::json::value& a, const boost::json::value& b);

// Shorthands for reading optional fields of a JSON object.
[[nodiscard]] const boost::json::value* find_member(const boost::json::object& o, std::string_view key);
[[nodiscard]] std::optional<std::string> string_member(const boost::json::object& o, std::string_view key);

}  // namespace kianax::engine
