#include "api/oauth_state.hpp"

#include <gtest/gtest.h>

namespace kianax::api {
namespace {

OAuthStateSigner signer(unsigned char fill) {
  std::array<unsigned char, 32> key{};
  key.fill(fill);
  return OAuthStateSigner(key);
}

TEST(OAuthState, signed_state_verifies_until_it_expires) {
  const auto s = signer(1);
  const auto state = s.issue("alice", "cred-1", 1'000, 600'000);
  const auto text = s.sign(state);
  const auto back = s.verify(text, 2'000);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->user_id, "alice");
  EXPECT_EQ(back->credential_id, "cred-1");
  EXPECT_EQ(back->nonce, state.nonce);
  EXPECT_FALSE(s.verify(text, 601'000).has_value());
}

TEST(OAuthState, tampered_or_foreign_key_state_is_refused) {
  const auto s = signer(1);
  const auto text = s.sign(s.issue("alice", "cred-1", 0));
  EXPECT_FALSE(signer(2).verify(text, 1).has_value());
  auto tampered = text;
  tampered[3] = tampered[3] == 'a' ? 'b' : 'a';
  EXPECT_FALSE(s.verify(tampered, 1).has_value());
  EXPECT_FALSE(s.verify("no-dot-here", 1).has_value());
  EXPECT_FALSE(s.verify(".", 1).has_value());
}

TEST(OAuthState, nonces_differ_and_pkce_verifier_matches_its_challenge) {
  const auto s = signer(1);
  const auto a = s.issue("u", "c", 0);
  const auto b = s.issue("u", "c", 0);
  EXPECT_NE(a.nonce, b.nonce);
  EXPECT_NE(s.pkce_verifier(a), s.pkce_verifier(b));
  EXPECT_EQ(s.pkce_verifier(a), s.pkce_verifier(a));
  EXPECT_GE(s.pkce_verifier(a).size(), 43u);  // RFC 7636: 43..128 characters
  // RFC 7636 appendix B example.
  EXPECT_EQ(OAuthStateSigner::pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

}  // namespace
}  // namespace kianax::api
