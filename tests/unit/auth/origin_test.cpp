#include <gtest/gtest.h>

#include "auth/origin.hpp"

namespace kianax::auth {
namespace {

TEST(Origin, OriginOf) {
  EXPECT_EQ(origin_of("http://LocalHost:3000/api/auth?x").value(), "http://localhost:3000");
  EXPECT_EQ(origin_of("https://example.com:443/").value(), "https://example.com");
  EXPECT_FALSE(origin_of("/relative").has_value());
  EXPECT_FALSE(origin_of("javascript://x").has_value());
  EXPECT_FALSE(origin_of("http://user@evil.com").has_value());
}

TEST(Origin, TrustsBaseAndConfiguredOrigins) {
  TrustedOrigins t("http://localhost:3000", {"https://app.example.com", "https://*.preview.example.com"});
  EXPECT_TRUE(t.is_trusted_origin("http://localhost:3000"));
  EXPECT_TRUE(t.is_trusted_origin("https://app.example.com"));
  EXPECT_TRUE(t.is_trusted_origin("https://pr-1.preview.example.com"));
  EXPECT_FALSE(t.is_trusted_origin("http://localhost:3001"));
  EXPECT_FALSE(t.is_trusted_origin("https://evil.com"));
  EXPECT_FALSE(t.is_trusted_origin("null"));
  EXPECT_FALSE(t.is_trusted_origin("https://app.example.com.evil.com"));
}

TEST(Origin, CallbackUrlsAreRelativeOrTrusted) {
  TrustedOrigins t("http://localhost:3000", {});
  EXPECT_TRUE(t.is_allowed_callback("/dashboard"));
  EXPECT_TRUE(t.is_allowed_callback("/"));
  EXPECT_TRUE(t.is_allowed_callback("http://localhost:3000/x"));
  EXPECT_FALSE(t.is_allowed_callback("//evil.com"));
  EXPECT_FALSE(t.is_allowed_callback("/\\evil.com"));
  EXPECT_FALSE(t.is_allowed_callback("https://evil.com/"));
  EXPECT_FALSE(t.is_allowed_callback("/a\nb"));
  EXPECT_FALSE(t.is_allowed_callback("dashboard"));
  EXPECT_FALSE(t.is_allowed_callback(""));
}

}  // namespace
}  // namespace kianax::auth
