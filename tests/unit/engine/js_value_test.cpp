#include "engine/js_value.hpp"
#include "engine/plugin.hpp"

#include <gtest/gtest.h>

#include <cmath>

using namespace kianax::engine;

TEST(JsNumberToString, matches_javascript_formatting) {
  EXPECT_EQ(js_number_to_string(5000), "5000");
  EXPECT_EQ(js_number_to_string(1.5), "1.5");
  EXPECT_EQ(js_number_to_string(1e21), "1e+21");
  EXPECT_EQ(js_number_to_string(1e-7), "1e-7");
  EXPECT_EQ(js_number_to_string(0.000001), "0.000001");
  EXPECT_EQ(js_number_to_string(-0.0), "0");
  EXPECT_EQ(js_number_to_string(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(js_number_to_string(123456789012345680000.0), "123456789012345680000");
  EXPECT_EQ(js_number_to_string(1.2345e-10), "1.2345e-10");
  EXPECT_EQ(js_number_to_string(NAN), "NaN");
  EXPECT_EQ(js_number_to_string(-INFINITY), "-Infinity");
}

TEST(JsStringify, is_compact_keeps_order_and_formats_doubles_as_js) {
  auto v = boost::json::parse(R"({"b":1.0,"a":[true,null,"x\n"],"c":{"é":2.5}})");
  EXPECT_EQ(js_stringify(v), "{\"b\":1,\"a\":[true,null,\"x\\n\"],\"c\":{\"é\":2.5}}");
}

TEST(JsonEqual, compares_numbers_by_value_and_ignores_key_order) {
  EXPECT_TRUE(json_equal(boost::json::parse(R"({"a":1,"b":2})"), boost::json::parse(R"({"b":2.0,"a":1})")));
  EXPECT_FALSE(json_equal(boost::json::parse("[1]"), boost::json::parse(R"(["1"])")));
}

TEST(ApplyConfigDefaults, fills_only_missing_top_level_fields) {
  auto schema = boost::json::parse(R"({"properties":{"timeout":{"default":30000},"method":{"default":"GET"},
    "url":{"type":"string"}}})")
                    .as_object();
  auto out = apply_config_defaults(schema, boost::json::object{{"method", "POST"}});
  EXPECT_EQ(out.at("timeout").as_int64(), 30000);
  EXPECT_EQ(out.at("method").as_string(), "POST");
  EXPECT_FALSE(out.contains("url"));
}
