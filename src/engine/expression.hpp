// The {{ … }} expression language, spec (d): a path lookup, not JavaScript.
//
// Occurrences are found exactly as upstream's /\{\{([^}]+)\}\}/g: at each "{{", the text up to the first "}"
// must be non-empty and that "}" must be followed by another "}". There is no escaping. A whole string that
// is one occurrence (after trimming outer whitespace) keeps the looked-up value's JSON type; otherwise every
// occurrence is replaced by text. A missing path is undefined, never an error.
#pragma once

#include "engine/execution_state.hpp"
#include "engine/js_value.hpp"

#include <boost/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kianax::engine {

struct ExpressionOccurrence {
  size_t begin = 0;          // offset of "{{"
  size_t end = 0;            // offset one past "}}"
  std::string_view content;  // trimmed inner text (may be empty: "{{ }}")
};

// All occurrences, left to right, non-overlapping.
[[nodiscard]] std::vector<ExpressionOccurrence> find_expressions(std::string_view text);
[[nodiscard]] bool has_expressions(std::string_view text);

// What an expression may read. `state` supplies each node's latest outputs; `trigger` may be undefined.
struct ExpressionContext {
  const boost::json::object* vars = nullptr;       // name → value; nullptr = {}
  const MaybeValue* trigger = nullptr;             // nullptr or empty = undefined
  const boost::json::object* execution = nullptr;  // {id, routineId, startedAt}; nullptr = undefined
  const ExecutionState* state = nullptr;           // nullptr = no node has run
};

// Value of one expression's trimmed content, e.g. "nodes.fetch.success.body".
[[nodiscard]] MaybeValue evaluate_expression(std::string_view content, const ExpressionContext& ctx);

// Resolves strings, arrays element by element and object values (never keys); other values pass through.
// Returns new containers. In objects, members resolving to undefined are left out; in arrays, undefined
// elements become null (see js_value.hpp).
[[nodiscard]] MaybeValue resolve_value(const boost::json::value& v, const ExpressionContext& ctx);
[[nodiscard]] MaybeValue resolve_string(std::string_view s, const ExpressionContext& ctx);
[[nodiscard]] boost::json::object resolve_object(const boost::json::object& o, const ExpressionContext& ctx);

// A reference as the expression validator sees it: the content split on '.', roots other than
// nodes/vars/trigger/execution skipped.
struct ExpressionReference {
  std::string source;                    // nodes | vars | trigger | execution
  std::vector<std::string> path;         // the parts after the root
  std::string expression;                // the full "{{ … }}" text as written
  std::optional<std::string> node_id;    // nodes: path[0]
  std::optional<std::string> port_name;  // nodes: path[1]
};

[[nodiscard]] std::vector<ExpressionReference> extract_references(std::string_view text);

}  // namespace kianax::engine
