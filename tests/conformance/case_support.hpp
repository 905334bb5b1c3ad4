// Conventions of the conformance cases file: {"$undefined": true} markers, structural comparison with
// a readable difference, and the throws matcher ({equals|contains|matches}).
#pragma once

#include "engine/js_value.hpp"

#include <boost/json.hpp>

#include <optional>
#include <string>

namespace kianax::conformance {

// Thrown by a case runner when an expectation does not hold; what() is the reason printed for the case.
struct CaseFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

[[nodiscard]] bool is_undefined_marker(const boost::json::value& v);

// Case JSON → engine value: a top-level marker → undefined; marked object members are dropped; marked array
// elements become null (the engine's representation of undefined, see src/engine/README.md).
[[nodiscard]] engine::MaybeValue from_case(const boost::json::value& v);

// Deep equality with the cases' semantics: key order ignored, numbers by value, an expected $undefined
// matches an absent actual value. Returns "" when equal, else where and how they differ.
[[nodiscard]] std::string difference(const boost::json::value& expected, const engine::MaybeValue& actual,
                                     const std::string& where = "$");
// Like difference(), but only the keys present in `expected` objects are checked (at every depth).
[[nodiscard]] std::string subset_difference(const boost::json::value& expected,
                                            const engine::MaybeValue& actual, const std::string& where = "$");

void expect_equal(const boost::json::value& expected, const engine::MaybeValue& actual,
                  const std::string& what);
void expect_subset(const boost::json::value& expected, const engine::MaybeValue& actual,
                   const std::string& what);

// `spec` is {"equals"|"contains"|"matches": text} or a plain string (equals).
void expect_throws(const boost::json::value& spec, const std::optional<std::string>& message);

[[nodiscard]] std::string show(const engine::MaybeValue& v);
[[nodiscard]] const boost::json::value* member(const boost::json::value& o, std::string_view key);

}  // namespace kianax::conformance
