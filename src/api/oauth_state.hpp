#pragma once
// The OAuth connect flow's `state`: a signed, expiring nonce bound to the user and the credential (upstream
// sent the raw credential id, so anyone could complete a flow into anyone's credential), and the PKCE
// verifier derived from it — so the server keeps no per-flow row: the callback recomputes the verifier from
// the verified state.
//   state    = base64url(json{u,c,n,e}) "." base64url(HMAC-SHA256(key, that first part))
//   verifier = base64url(HMAC-SHA256(key, "pkce:" n))      challenge = base64url(SHA-256(verifier)) (S256)
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kianax::api {

struct OAuthState {
  std::string user_id;
  std::string credential_id;
  std::string nonce;            // 16 random bytes, base64url
  std::int64_t expires_at = 0;  // epoch ms
};

class OAuthStateSigner {
 public:
  explicit OAuthStateSigner(std::array<unsigned char, 32> key) : key_(key) {}
  // A fresh state for (user, credential), valid until now_ms + ttl_ms.
  [[nodiscard]] OAuthState issue(std::string user_id, std::string credential_id, std::int64_t now_ms,
                                 std::int64_t ttl_ms = 10 * 60 * 1000) const;
  [[nodiscard]] std::string sign(const OAuthState& state) const;
  // nullopt when malformed, forged, or expired.
  [[nodiscard]] std::optional<OAuthState> verify(std::string_view text, std::int64_t now_ms) const;
  [[nodiscard]] std::string pkce_verifier(const OAuthState& state) const;
  [[nodiscard]] static std::string pkce_challenge(std::string_view verifier);

 private:
  std::array<unsigned char, 32> key_;
};

[[nodiscard]] std::string base64url(std::string_view bytes);

}  // namespace kianax::api
