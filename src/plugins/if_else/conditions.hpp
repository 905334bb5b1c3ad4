// if-else condition operators with the JavaScript semantics the spec (f) table describes.
// Operands may be undefined (empty MaybeValue): a missing `value` or `compareValue`.
#pragma once

#include "engine/js_value.hpp"

#include <string_view>

namespace kianax::plugins::if_else {

// JS Number(v) as used by the relational operators: numeric strings (trimmed; hex/octal/binary; "" → 0),
// null → 0, booleans → 1/0, undefined → NaN, arrays through their joined string ([5] → 5), objects → NaN.
[[nodiscard]] double js_to_number(const engine::MaybeValue& v);

// JS strict equality (===) for JSON values: no coercion; objects/arrays never equal (distinct instances).
[[nodiscard]] bool js_strict_equal(const engine::MaybeValue& a, const engine::MaybeValue& b);

// One condition. An unknown operator is false (the spec's suggested port behaviour).
[[nodiscard]] bool evaluate_condition(std::string_view op, const engine::MaybeValue& value,
                                      const engine::MaybeValue& compare);

}  // namespace kianax::plugins::if_else
