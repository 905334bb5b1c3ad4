#pragma once
// Small pieces every procedure file uses: reading validated input, the store scope of the caller, the
// NOT_FOUND errors (missing and not-owned are the same answer), and random ids for embedded items.
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "api/procedure.hpp"
#include "api/trpc_error.hpp"
#include "db/transaction.hpp"

namespace kianax::api {

[[nodiscard]] inline db::UserScope scope_of(const Context& context) {
  return db::UserScope(context.pool, context.user_id());
}

// Validated input: the schema has already guaranteed presence and type.
[[nodiscard]] inline std::string_view str(const boost::json::value& input, std::string_view key) {
  return input.as_object().at(key).as_string();
}
[[nodiscard]] std::optional<std::string_view> optional_str(const boost::json::value& input,
                                                           std::string_view key);
[[nodiscard]] const boost::json::value* field(const boost::json::value& input, std::string_view key);
[[nodiscard]] std::optional<int> optional_int(const boost::json::value& input, std::string_view key);

[[noreturn]] void throw_not_found(std::string_view what, std::string_view id);

// A random (version 4) uuid for items that live inside a routine's JSON (variables), not in a table.
[[nodiscard]] std::string random_uuid();

}  // namespace kianax::api
