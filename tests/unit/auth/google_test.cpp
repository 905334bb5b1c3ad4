#include <gtest/gtest.h>

#include "auth/google.hpp"

namespace kianax::auth {
namespace {

TEST(Google, PkceChallengeIsRfc7636S256) {
  // RFC 7636 appendix B.
  EXPECT_EQ(pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

TEST(Google, AuthorizationUrlCarriesBetterAuthsParameters) {
  GoogleOptions g;
  g.client_id = "id 1";
  const std::string url =
      google_authorization_url(g, "STATE", "CHALLENGE", "http://localhost:4100/api/auth/callback/google");
  EXPECT_EQ(url,
            "https://accounts.google.com/o/oauth2/v2/auth?response_type=code&client_id=id%201&state=STATE"
            "&scope=email+profile+openid&redirect_uri=http%3A%2F%2Flocalhost%3A4100%2Fapi%2Fauth%2Fcallback%"
            "2Fgoogle"
            "&code_challenge_method=S256&code_challenge=CHALLENGE&include_granted_scopes=true");
}

}  // namespace
}  // namespace kianax::auth
