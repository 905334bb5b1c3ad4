#include "api/input_schema.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace kianax::api {
namespace {
namespace json = boost::json;
using schema::Field;

SchemaPtr sample() {
  return schema::object({
      {"id", schema::uuid()},
      {"name", schema::string(1, 5)},
      {"status", schema::enumeration({"draft", "active"}), true},
      {"items", schema::array(schema::object({{"x", schema::number()}}), 2), true},
      {"limit", schema::integer(1, 10), true},
      {"note", schema::nullable(schema::string()), true},
  });
}

std::vector<Issue> check(const char* text) { return validate(*sample(), json::parse(text)); }

TEST(InputSchema, accepts_valid_input_with_optional_fields_absent_or_null) {
  EXPECT_TRUE(check(R"({"id":"123e4567-e89b-12d3-a456-426614174000","name":"ab"})").empty());
  EXPECT_TRUE(check(R"({"id":"123e4567-e89b-12d3-a456-426614174000","name":"ab","note":null})").empty());
}

TEST(InputSchema, reports_each_problem_with_its_path) {
  const auto issues = check(R"({"id":"nope","name":"","items":[{"x":1},{"x":"a"}],"limit":0,"extra":1})");
  ASSERT_EQ(issues.size(), 5u);
  EXPECT_EQ(json::serialize(issues[0].path), R"(["id"])");
  EXPECT_EQ(issues[0].message, "Invalid uuid");
  EXPECT_EQ(json::serialize(issues[1].path), R"(["name"])");
  EXPECT_EQ(issues[1].message, "String must contain at least 1 character(s)");
  EXPECT_EQ(json::serialize(issues[2].path), R"(["items",1,"x"])");
  EXPECT_EQ(issues[2].message, "Expected number, received string");
  EXPECT_EQ(json::serialize(issues[3].path), R"(["limit"])");
  EXPECT_EQ(issues[4].message, "Unrecognized key(s) in object: 'extra'");
}

TEST(InputSchema, missing_required_field_is_required) {
  const auto issues = check(R"({"name":"ab"})");
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(json::serialize(issues[0].path), R"(["id"])");
  EXPECT_EQ(issues[0].message, "Required");
}

TEST(InputSchema, too_long_array_is_one_issue_without_checking_items) {
  const auto issues = check(R"({"id":"123e4567-e89b-12d3-a456-426614174000","name":"a","items":[1,2,3]})");
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].message, "Array must contain at most 2 element(s)");
}

TEST(InputSchema, enum_and_integer_messages) {
  const auto issues =
      check(R"({"id":"123e4567-e89b-12d3-a456-426614174000","name":"a","status":"gone","limit":2.5})");
  ASSERT_EQ(issues.size(), 2u);
  EXPECT_EQ(issues[0].message, "Invalid enum value. Expected 'draft' | 'active', received 'gone'");
  EXPECT_EQ(issues[1].message, "Expected integer, received float");
}

TEST(InputSchema, issues_message_names_first_path_and_counts_the_rest) {
  const auto issues = check(R"({"id":"x","name":""})");
  EXPECT_EQ(issues_message(issues), "id: Invalid uuid (and 1 more issues)");
}

}  // namespace
}  // namespace kianax::api
