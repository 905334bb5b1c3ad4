#include "engine/expression.hpp"

#include <gtest/gtest.h>

using namespace kianax::engine;

namespace {

struct Fixture {
  boost::json::object vars = boost::json::parse(R"({"s":"str","n":2,"obj":{"k":[10,20]}})").as_object();
  MaybeValue trigger = boost::json::parse(R"({"user":{"id":"u1"}})");
  boost::json::object execution{{"id", "e1"}, {"routineId", "r1"}, {"startedAt", 5}};
  ExecutionState state;
  ExpressionContext ctx() { return {&vars, &trigger, &execution, &state}; }
};

}  // namespace

TEST(Expression, whole_string_keeps_type_embedded_stringifies) {
  Fixture f;
  EXPECT_EQ(resolve_string("{{ vars.n }}", f.ctx())->as_int64(), 2);
  EXPECT_EQ(resolve_string("n={{ vars.n }}", f.ctx())->as_string(), "n=2");
  EXPECT_EQ(resolve_string("{{ vars.obj }}!", f.ctx())->as_string(), "{\"k\":[10,20]}!");
}

TEST(Expression, missing_paths_are_undefined_and_drop_object_members) {
  Fixture f;
  EXPECT_FALSE(resolve_string("{{ vars.nope.deeper }}", f.ctx()).has_value());
  auto o = resolve_object(
      boost::json::parse(R"({"a":"{{ vars.nope }}","b":"{{ trigger.user.id }}"})").as_object(), f.ctx());
  EXPECT_FALSE(o.contains("a"));
  EXPECT_EQ(o.at("b").as_string(), "u1");
}

TEST(Expression, undefined_array_elements_become_null) {
  Fixture f;
  auto v = resolve_value(boost::json::parse(R"(["{{ vars.nope }}", "{{ vars.s }}"])"), f.ctx());
  EXPECT_EQ(js_stringify(*v), "[null,\"str\"]");
}

TEST(Expression, node_port_reads_first_item_and_indexes) {
  Fixture f;
  NodeResult r;
  r.outputs.push_back({"out", {{boost::json::parse(R"({"list":[1,2,3]})"), {}, std::nullopt}}});
  f.state.add_node_result("src", r);
  EXPECT_EQ(resolve_string("{{ nodes.src.out.list[2] }}", f.ctx())->as_int64(), 3);
  EXPECT_EQ(resolve_string("{{ nodes.src.out.list.length }}", f.ctx())->as_int64(), 3);
  EXPECT_FALSE(resolve_string("{{ nodes.src.out.list[1][0] }}", f.ctx()).has_value());
  EXPECT_FALSE(resolve_string("{{ nodes.other.out }}", f.ctx()).has_value());
}

TEST(Expression, unterminated_and_malformed_braces_are_literal_text) {
  Fixture f;
  for (const char* s : {"{{", "{{ vars.s", "}}", "{{}}", "{ {vars.s} }", "{{ a } }}"})
    EXPECT_EQ(resolve_string(s, f.ctx())->as_string(), s) << s;
}

TEST(Expression, references_keep_written_text_and_skip_unknown_roots) {
  auto refs = extract_references("{{nodes.a.b}} {{ x.y }} {{ vars }}");
  ASSERT_EQ(refs.size(), 2u);
  EXPECT_EQ(refs[0].expression, "{{nodes.a.b}}");
  EXPECT_EQ(refs[0].node_id, std::optional<std::string>("a"));
  EXPECT_EQ(refs[0].port_name, std::optional<std::string>("b"));
  EXPECT_TRUE(refs[1].path.empty());
}

TEST(Expression, trims_unicode_whitespace_like_javascript) {
  Fixture f;
  EXPECT_EQ(resolve_string("\u00a0{{\u3000vars.n\u2003}}\n", f.ctx())->as_int64(), 2);
  EXPECT_EQ(resolve_string("{{ vars.s\u00a0}}", f.ctx())->as_string(), "str");
}
