#include <gtest/gtest.h>

#include <set>

#include "auth/crypto.hpp"

namespace kianax::auth {
namespace {

TEST(Crypto, RandomAlphanumericHasBetterAuthAlphabet) {
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    const std::string id = random_alphanumeric(32);
    ASSERT_EQ(id.size(), 32u);
    for (char c : id) ASSERT_TRUE(std::isalnum(static_cast<unsigned char>(c))) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 50u);
}

TEST(Crypto, HmacAndBase64MatchRfc4231) {
  // RFC 4231 test case 2.
  EXPECT_EQ(hex(hmac_sha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(base64("foob"), "Zm9vYg==");
  EXPECT_EQ(base64url_nopad("\xfb\xff"), "-_8");
}

TEST(Crypto, ConstantTimeEqual) {
  EXPECT_TRUE(constant_time_equal("abc", "abc"));
  EXPECT_FALSE(constant_time_equal("abc", "abd"));
  EXPECT_FALSE(constant_time_equal("abc", "abcd"));
  EXPECT_TRUE(constant_time_equal("", ""));
}

TEST(Crypto, UriComponentLikeJavaScript) {
  EXPECT_EQ(uri_encode_component("a+b/c=d e!~*'()"), "a%2Bb%2Fc%3Dd%20e!~*'()");
  EXPECT_EQ(uri_encode_component("\xC3\xA9"), "%C3%A9");
  EXPECT_EQ(uri_decode_component("a%2Bb%2fc%3D").value(), "a+b/c=");
  EXPECT_FALSE(uri_decode_component("%").has_value());
  EXPECT_FALSE(uri_decode_component("%4").has_value());
  EXPECT_FALSE(uri_decode_component("%zz").has_value());
}

}  // namespace
}  // namespace kianax::auth
