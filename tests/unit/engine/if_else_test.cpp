#include "plugins/if_else/conditions.hpp"

#include <gtest/gtest.h>

#include <cmath>

using namespace kianax::plugins::if_else;
using kianax::engine::MaybeValue;

namespace {
MaybeValue j(const char* text) { return boost::json::parse(text); }
}  // namespace

TEST(IfElseCoercion, converts_like_javascript_number) {
  EXPECT_EQ(js_to_number(j(R"(" 12 ")")), 12);
  EXPECT_EQ(js_to_number(j(R"("0x1F")")), 31);
  EXPECT_EQ(js_to_number(j(R"("")")), 0);
  EXPECT_EQ(js_to_number(j("null")), 0);
  EXPECT_EQ(js_to_number(j("true")), 1);
  EXPECT_EQ(js_to_number(j("[5]")), 5);
  EXPECT_TRUE(std::isnan(js_to_number(j("[1,2]"))));
  EXPECT_TRUE(std::isnan(js_to_number(j("{}"))));
  EXPECT_TRUE(std::isnan(js_to_number(std::nullopt)));
  EXPECT_TRUE(std::isnan(js_to_number(j(R"("12px")"))));
  EXPECT_TRUE(std::isnan(js_to_number(j(R"("-0x10")"))));
  EXPECT_EQ(js_to_number(j(R"("-1.5e2")")), -150);
}

TEST(IfElseOperators, strict_equality_and_ordering) {
  EXPECT_FALSE(evaluate_condition("==", j("10"), j(R"("10")")));
  EXPECT_TRUE(evaluate_condition("==", j("10"), j("10.0")));
  EXPECT_FALSE(evaluate_condition("==", j("{}"), j("{}")));
  EXPECT_TRUE(evaluate_condition("==", std::nullopt, std::nullopt));
  EXPECT_TRUE(evaluate_condition("<=", j("null"), j("0")));
  EXPECT_FALSE(evaluate_condition(">", std::nullopt, j("0")));
}

TEST(IfElseOperators, string_and_collection_operators) {
  EXPECT_TRUE(evaluate_condition("contains", j(R"("hello")"), j(R"("ell")")));
  EXPECT_TRUE(evaluate_condition("contains", j("[1,2]"), j("2")));
  EXPECT_FALSE(evaluate_condition("startsWith", j("123"), j(R"("1")")));
  EXPECT_TRUE(evaluate_condition("endsWith", j(R"("report.pdf")"), j(R"(".pdf")")));
  EXPECT_TRUE(evaluate_condition("matches", j(R"("order-42")"), j(R"("\\d+$")")));
  EXPECT_FALSE(evaluate_condition("matches", j(R"("abc")"), j(R"("[")")));
  EXPECT_TRUE(evaluate_condition("empty", j("{}"), std::nullopt));
  EXPECT_FALSE(evaluate_condition("empty", j("0"), std::nullopt));
  EXPECT_TRUE(evaluate_condition("exists", j("false"), std::nullopt));
  EXPECT_FALSE(evaluate_condition("between", j("1"), j("1")));
}

TEST(IfElseOperators, matches_survives_huge_subjects_and_catastrophic_patterns) {
  MaybeValue big = boost::json::value(std::string(200000, 'a'));
  EXPECT_FALSE(evaluate_condition("matches", big, j(R"("(a|b)*c")")));
  MaybeValue evil = boost::json::value(std::string(40, 'a') + "!");
  EXPECT_FALSE(evaluate_condition("matches", evil, j(R"("(a+)+$")")));
  EXPECT_TRUE(evaluate_condition("matches", big, j(R"("a{3}")")));
}
