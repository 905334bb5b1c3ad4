#include <gtest/gtest.h>

#include "auth/cookies.hpp"

namespace kianax::auth {
namespace {

constexpr const char* kSecret = "better-auth-secret-12345678901234567890";
constexpr const char* kToken = "EYu4VkjFTmMZC3JSl8Z4FeOMf37Igxf8";
// node: encodeURIComponent(t + "." + createHmac("sha256", secret).update(t).digest("base64"))
constexpr const char* kSigned =
    "EYu4VkjFTmMZC3JSl8Z4FeOMf37Igxf8.xdOzoif5rSy9dYzM4jyB94bQbelv1f90%2BF9P9Hv6Rhk%3D";

TEST(Cookies, SignsLikeBetterAuth) { EXPECT_EQ(sign_cookie_value(kSecret, kToken), kSigned); }

TEST(Cookies, VerifiesOnlyGenuineSignatures) {
  EXPECT_EQ(verify_cookie_value(kSecret, kSigned).value(), kToken);
  EXPECT_FALSE(verify_cookie_value("another-secret-another-secret-1234", kSigned).has_value());
  std::string tampered = kSigned;
  tampered[0] = 'F';  // token changed, signature kept
  EXPECT_FALSE(verify_cookie_value(kSecret, tampered).has_value());
  EXPECT_FALSE(verify_cookie_value(kSecret, kToken).has_value());
  EXPECT_FALSE(verify_cookie_value(kSecret, "").has_value());
  EXPECT_FALSE(verify_cookie_value(kSecret, "x.%ZZ").has_value());
  EXPECT_FALSE(verify_cookie_value(kSecret, std::string(kToken) + ".short%3D").has_value());
}

TEST(Cookies, ParsesHeaderAndFormatsSetCookie) {
  auto c = parse_cookie_header("a=1; better-auth.session_token=x.y%3D ;b=\"q\"");
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[1].first, "better-auth.session_token");
  EXPECT_EQ(c[1].second, "x.y%3D");
  EXPECT_EQ(c[2].second, "q");
  EXPECT_EQ(set_cookie(cookie_name("session_token", false), "v", {.secure = false, .max_age = 604800}),
            "better-auth.session_token=v; Max-Age=604800; Path=/; HttpOnly; SameSite=Lax");
  EXPECT_EQ(set_cookie(cookie_name("session_token", true), "v", {.secure = true, .max_age = std::nullopt}),
            "__Secure-better-auth.session_token=v; Path=/; HttpOnly; Secure; SameSite=Lax");
  EXPECT_EQ(clear_cookie("better-auth.session_token", false),
            "better-auth.session_token=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax");
}

}  // namespace
}  // namespace kianax::auth
