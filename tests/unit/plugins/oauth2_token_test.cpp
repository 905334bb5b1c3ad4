#include "plugins/net/oauth2_token.hpp"

#include "plugin_test_support.hpp"
#include "support/test_http_server.hpp"

#include <gtest/gtest.h>

namespace kianax::plugins::net {
namespace {

using testing::obj;
using testing::ScriptedResponse;
using testing::TestHttpServer;

ClientOptions allow_private() { return ClientOptions{AddressPolicy{.allow_private = true}}; }

TEST(OAuth2Token, code_exchange_with_body_auth_posts_the_form) {
  TestHttpServer provider;
  provider.on("/token",
              ScriptedResponse{.headers = {{"content-type", "application/json"}},
                               .body = R"({"access_token":"at","expires_in":3600,"refresh_token":"rt"})"});
  TokenRequest request{
      .token_url = provider.base_url() + "/token",
      .client_auth_in_body = true,
      .client_id = "cid",
      .client_secret = "sec ret",
      .form = {{"grant_type", "authorization_code"}, {"code", "c/1"}, {"redirect_uri", "https://a.test/cb"}}};
  const auto reply = request_oauth2_token(request, allow_private());
  EXPECT_EQ(reply, obj(R"({"access_token":"at","expires_in":3600,"refresh_token":"rt"})"));
  const auto recorded = provider.requests();
  ASSERT_EQ(recorded.size(), 1u);
  EXPECT_EQ(recorded[0].method, "POST");
  EXPECT_EQ(recorded[0].header("content-type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(recorded[0].header("accept"), "application/json");
  EXPECT_FALSE(recorded[0].has_header("authorization"));
  EXPECT_EQ(recorded[0].body,
            "grant_type=authorization_code&code=c%2F1&redirect_uri=https%3A%2F%2Fa.test%2Fcb&client_id=cid"
            "&client_secret=sec+ret");
}

TEST(OAuth2Token, header_auth_sends_basic_credentials) {
  TestHttpServer provider;
  provider.on("/token", ScriptedResponse{.body = R"({"access_token":"at"})"});
  TokenRequest request{.token_url = provider.base_url() + "/token",
                       .client_id = "id",
                       .client_secret = "secret",
                       .form = {{"grant_type", "refresh_token"}, {"refresh_token", "rt"}}};
  (void)request_oauth2_token(request, allow_private());
  ASSERT_EQ(provider.request_count(), 1u);
  EXPECT_EQ(provider.requests()[0].header("authorization"), "Basic aWQ6c2VjcmV0");
  EXPECT_EQ(provider.requests()[0].body, "grant_type=refresh_token&refresh_token=rt");
}

TEST(OAuth2Token, error_reply_throws_with_body) {
  TestHttpServer provider;
  provider.on("/token", ScriptedResponse{.status = 400, .body = R"({"error":"invalid_grant"})"});
  TokenRequest request{.token_url = provider.base_url() + "/token", .client_id = "id", .client_secret = "s"};
  try {
    (void)request_oauth2_token(request, allow_private());
    FAIL() << "expected OAuth2TokenError";
  } catch (const OAuth2TokenError& error) {
    EXPECT_STREQ(error.what(), R"(OAuth2 token request failed: {"error":"invalid_grant"})");
  }
}

TEST(OAuth2Token, token_endpoint_is_ssrf_guarded) {
  TestHttpServer provider;
  provider.on("/token", ScriptedResponse{.body = "{}"});
  TokenRequest request{.token_url = provider.base_url() + "/token", .client_id = "id", .client_secret = "s"};
  EXPECT_THROW((void)request_oauth2_token(request, ClientOptions{AddressPolicy{}}), OAuth2TokenError);
  EXPECT_EQ(provider.request_count(), 0u);
}

TEST(OAuth2Token, merge_keeps_old_refresh_token_and_sets_expiry) {
  const auto merged = merge_oauth2_token(obj(R"({"refresh_token":"old","scope":"s","access_token":"a0"})"),
                                         obj(R"({"access_token":"a1","expires_in":3600})"), 1'000);
  EXPECT_EQ(
      merged,
      obj(R"({"refresh_token":"old","scope":"s","access_token":"a1","expires_in":3600,"expires_at":3601000})"));
  const auto replaced = merge_oauth2_token(obj(R"({"refresh_token":"old"})"),
                                           obj(R"({"access_token":"a","refresh_token":"new"})"), 0);
  EXPECT_EQ(replaced.at("refresh_token"), "new");
}

TEST(OAuth2Token, merge_without_expires_in_drops_expiry) {
  const auto merged =
      merge_oauth2_token(obj(R"({"access_token":"a0","expires_at":5})"), obj(R"({"access_token":"a1"})"), 10);
  EXPECT_EQ(merged, obj(R"({"access_token":"a1"})"));
}

TEST(OAuth2Token, refresh_decision_follows_the_five_minute_margin) {
  const std::int64_t now = 1'000'000'000;
  const std::int64_t margin = 5 * 60 * 1000;
  // Fresh enough, or never expiring: use as is.
  EXPECT_FALSE(refresh_token_if_needed(
      boost::json::object{{"access_token", "a"}, {"refresh_token", "r"}, {"expires_at", now + margin + 1}},
      now));
  EXPECT_FALSE(refresh_token_if_needed(obj(R"({"access_token":"a","refresh_token":"r"})"), now));
  // Inside the margin, or no access token: refresh when possible.
  EXPECT_EQ(
      refresh_token_if_needed(
          boost::json::object{{"access_token", "a"}, {"refresh_token", "r"}, {"expires_at", now + margin}},
          now),
      "r");
  EXPECT_EQ(refresh_token_if_needed(obj(R"({"refresh_token":"r"})"), now), "r");
  // No refresh token: the caller returns whatever is stored.
  EXPECT_FALSE(refresh_token_if_needed(boost::json::object{{"access_token", "a"}, {"expires_at", 0}}, now));
}

}  // namespace
}  // namespace kianax::plugins::net
