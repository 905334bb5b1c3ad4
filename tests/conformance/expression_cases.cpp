// expression, has_expressions, extract_references, graph_validation, expression_validation.
#include "case_kinds.hpp"
#include "case_support.hpp"

#include "engine/expression.hpp"
#include "engine/expression_validator.hpp"
#include "engine/graph_validator.hpp"

namespace kianax::conformance {

void run_expression(const boost::json::object& c, const boost::json::object& shared_contexts) {
  boost::json::object context;
  if (const auto* ref = c.if_contains("context_ref"))
    context = shared_contexts.at(ref->as_string()).as_object();
  if (const auto* inline_ctx = c.if_contains("context")) context = inline_ctx->as_object();

  boost::json::object vars;
  if (const auto* v = context.if_contains("vars")) vars = v->as_object();
  if (const auto* arr = c.if_contains("variables_array")) {
    vars = {};
    for (const auto& v : arr->as_array()) vars[v.at("name").as_string()] = v.at("value");
  }
  engine::MaybeValue trigger;
  if (const auto* t = context.if_contains("trigger")) trigger = from_case(*t);
  boost::json::object execution{{"id", ""}, {"routineId", ""}, {"startedAt", 0}};
  if (const auto* e = context.if_contains("execution")) execution = e->as_object();
  engine::ExecutionState state;
  if (const auto* nodes = context.if_contains("nodes"))
    for (const auto& n : nodes->as_object()) {
      engine::NodeResult r;
      for (const auto& p : n.value().as_array()) r.outputs.push_back(engine::port_from_json(p));
      state.add_node_result(std::string(n.key()), std::move(r));
    }

  engine::ExpressionContext ctx{&vars, &trigger, &execution, &state};
  const auto& input = c.at("expression");
  engine::MaybeValue in = from_case(input);
  boost::json::value before = in ? *in : boost::json::value();
  engine::MaybeValue got = in ? engine::resolve_value(*in, ctx) : std::nullopt;
  expect_equal(c.at("expect"), got, "resolved");
  if (in && !engine::json_equal(before, *in)) throw CaseFailure("the input was mutated");
}

void run_has_expressions(const boost::json::object& c) {
  expect_equal(c.at("expect"), boost::json::value(engine::has_expressions(c.at("input").as_string())),
               "hasExpressions");
}

void run_extract_references(const boost::json::object& c) {
  boost::json::array got;
  for (const auto& r : engine::extract_references(c.at("input").as_string())) {
    boost::json::array path;
    for (const auto& p : r.path) path.emplace_back(p);
    boost::json::object o{{"source", r.source}, {"path", std::move(path)}, {"expression", r.expression}};
    if (r.node_id) o["nodeId"] = *r.node_id;
    if (r.port_name) o["portName"] = *r.port_name;
    got.push_back(std::move(o));
  }
  expect_equal(c.at("expect"), boost::json::value(got), "references");
}

void run_graph_validation(const boost::json::object& c) {
  auto v = engine::validate_graph(engine::load_routine(c.at("routine")));
  expect_equal(c.at("expect_valid"), boost::json::value(v.valid()), "valid");
  auto issues = [](const std::vector<engine::GraphIssue>& list) {
    boost::json::array a;
    for (const auto& i : list) {
      auto o = engine::to_json(i);
      o.erase("edgeId");  // our addition; the cases do not list it
      a.push_back(std::move(o));
    }
    return boost::json::value(std::move(a));
  };
  if (const auto* e = c.if_contains("expect_errors")) expect_equal(*e, issues(v.errors), "errors");
  if (const auto* w = c.if_contains("expect_warnings")) expect_equal(*w, issues(v.warnings), "warnings");
}

void run_expression_validation(const boost::json::object& c) {
  auto errors = engine::validate_expressions(engine::load_routine(c.at("routine")));
  expect_equal(c.at("expect_valid"), boost::json::value(errors.empty()), "valid");
  boost::json::array got;
  for (const auto& e : errors) got.push_back(engine::to_json(e));
  if (const auto* e = c.if_contains("expect_errors")) expect_equal(*e, boost::json::value(got), "errors");
}

}  // namespace kianax::conformance
