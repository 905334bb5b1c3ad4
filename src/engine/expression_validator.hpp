// Expression validation, spec (d) "validateExpressions": what the editor checks before "Run test".
// The executor never calls it (upstream neither); `kianax routine validate` reports its errors.
#pragma once

#include "engine/routine.hpp"

#include <boost/json.hpp>

#include <string>
#include <vector>

namespace kianax::engine {

struct ExpressionIssue {
  std::string node_id;
  std::string node_label;
  std::string expression;  // the full "{{ … }}" text
  std::string message;
  std::string type;   // UNDEFINED_VARIABLE | SELF_REFERENCE | INVALID_NODE_REF | NOT_UPSTREAM (errors);
                      // EMPTY_EXPRESSION | UNKNOWN_SOURCE | UNCLOSED_EXPRESSION (lint warnings)
  std::string field;  // where in the node config, e.g. "body.items[0]" (not part of the upstream shape)
};

// Errors per node in declaration order, and within a node in the order the references occur.
[[nodiscard]] std::vector<ExpressionIssue> validate_expressions(const Routine& routine);

// Warnings upstream never produced (its UNKNOWN_SOURCE / EMPTY_EXPRESSION types exist unused) plus unclosed
// "{{": for `kianax routine validate` and the editor. They never block a run.
[[nodiscard]] std::vector<ExpressionIssue> lint_expressions(const Routine& routine);

// The upstream shape {nodeId, nodeLabel, expression, message, type}.
[[nodiscard]] boost::json::object to_json(const ExpressionIssue& issue);

}  // namespace kianax::engine
