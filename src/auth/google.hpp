#pragma once
// Google's side of "Sign in with Google" (authorization-code flow with PKCE): the authorization URL, the code
// exchange and the user-info call. Endpoints default to Google's and can be pointed elsewhere (a local fake
// provider in tests). The two network calls are blocking; AuthService runs them off the I/O threads.
#include <cstdint>
#include <optional>
#include <string>

namespace kianax::auth {

struct GoogleOptions {
  std::string client_id;                                                  // GOOGLE_CLIENT_ID
  std::string client_secret;                                              // GOOGLE_CLIENT_SECRET
  std::string auth_url = "https://accounts.google.com/o/oauth2/v2/auth";  // KIANAX_GOOGLE_AUTH_URL
  std::string token_url = "https://oauth2.googleapis.com/token";          // KIANAX_GOOGLE_TOKEN_URL
  std::string userinfo_url =
      "https://openidconnect.googleapis.com/v1/userinfo";  // KIANAX_GOOGLE_USERINFO_URL
};

struct GoogleTokens {
  std::string access_token;
  std::optional<std::string> refresh_token;
  std::optional<std::string> id_token;
  std::optional<std::string> scope;  // comma-joined, as Better Auth stores it
  std::optional<std::int64_t> expires_in_s;
};

struct GoogleUser {
  std::string sub;
  std::string email;
  bool email_verified = false;
  std::optional<std::string> name;
  std::optional<std::string> picture;
};

// PKCE S256 challenge of a code verifier: base64url-without-padding(SHA-256(verifier)).
[[nodiscard]] std::string pkce_challenge(const std::string& verifier);

// The URL the browser is sent to, with Better Auth's parameters (wire-protocols §2.2 sign-in/social).
[[nodiscard]] std::string google_authorization_url(const GoogleOptions& google, const std::string& state,
                                                   const std::string& code_challenge,
                                                   const std::string& redirect_uri);

// nullopt when Google refuses the code or cannot be reached (the callback then redirects with an error).
// Never logs tokens or the client secret.
[[nodiscard]] std::optional<GoogleTokens> google_exchange_code(const GoogleOptions& google,
                                                               const std::string& code,
                                                               const std::string& code_verifier,
                                                               const std::string& redirect_uri);
[[nodiscard]] std::optional<GoogleUser> google_user_info(const GoogleOptions& google,
                                                         const std::string& access_token);

}  // namespace kianax::auth
