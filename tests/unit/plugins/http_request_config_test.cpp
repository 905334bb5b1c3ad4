#include "plugins/http_request/http_request_config.hpp"

#include "plugin_test_support.hpp"

#include <gtest/gtest.h>

namespace kianax::plugins::http_request {
namespace {

using namespace std::chrono_literals;
using testing::obj;

TEST(HttpRequestConfig, applies_documented_defaults) {
  const RequestConfig config = read_config(obj(R"({"url":"http://h.test/"})"));
  EXPECT_EQ(config.url, "http://h.test/");
  EXPECT_EQ(config.method, "GET");
  EXPECT_EQ(config.timeout, 30'000ms);
  EXPECT_EQ(config.retries, 0);
  EXPECT_EQ(config.retry_delay, 1'000ms);
  EXPECT_TRUE(config.follow_redirects);
  EXPECT_FALSE(config.body.has_value());
  EXPECT_TRUE(config.headers.empty());
  EXPECT_TRUE(config.query_params.empty());
}

TEST(HttpRequestConfig, clamps_numbers_to_documented_ranges) {
  const RequestConfig low = read_config(obj(R"({"timeout":0,"retries":-3,"retryDelay":-1})"));
  EXPECT_EQ(low.timeout, 100ms);
  EXPECT_EQ(low.retries, 0);
  EXPECT_EQ(low.retry_delay, 0ms);
  const RequestConfig high = read_config(obj(R"({"timeout":1e9,"retries":99,"retryDelay":1e6})"));
  EXPECT_EQ(high.timeout, 300'000ms);
  EXPECT_EQ(high.retries, 5);
  EXPECT_EQ(high.retry_delay, 10'000ms);
}

TEST(HttpRequestConfig, accepts_numeric_strings_and_ignores_other_types) {
  const RequestConfig config = read_config(obj(R"({"timeout":"2500","retries":"2","retryDelay":true})"));
  EXPECT_EQ(config.timeout, 2'500ms);
  EXPECT_EQ(config.retries, 2);
  EXPECT_EQ(config.retry_delay, 1'000ms);
  EXPECT_EQ(read_config(obj(R"({"timeout":"soon"})")).timeout, 30'000ms);
}

TEST(HttpRequestConfig, upper_cases_method_and_keeps_header_order) {
  const RequestConfig config =
      read_config(obj(R"({"url":5,"method":"post","headers":{"B":"2","A":"1"},"followRedirects":0})"));
  EXPECT_FALSE(config.url.has_value());
  EXPECT_EQ(config.method, "POST");
  ASSERT_EQ(config.headers.size(), 2u);
  EXPECT_EQ(config.headers[0].first, "B");
  EXPECT_EQ(config.headers[1].first, "A");
  EXPECT_FALSE(config.follow_redirects);
}

TEST(HttpRequestConfig, backoff_doubles_per_attempt) {
  EXPECT_EQ(backoff_delay(1'000ms, 0), 1'000ms);
  EXPECT_EQ(backoff_delay(1'000ms, 1), 2'000ms);
  EXPECT_EQ(backoff_delay(1'000ms, 2), 4'000ms);
  EXPECT_EQ(backoff_delay(10'000ms, 4), 160'000ms);
  EXPECT_EQ(backoff_delay(0ms, 3), 0ms);
}

}  // namespace
}  // namespace kianax::plugins::http_request
