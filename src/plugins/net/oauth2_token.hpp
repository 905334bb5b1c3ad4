// OAuth2 token endpoint calls and token bookkeeping (engine spec (h), api-spec §3), shared by the OAuth
// callback (code exchange) and the worker's credential loader (refresh). Storage and locking are the
// caller's: these functions neither read nor write credentials.
#pragma once

#include "plugins/net/http_client.hpp"
#include "plugins/net/url.hpp"

#include <boost/json.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <stop_token>
#include <string>

namespace kianax::plugins::net {

struct TokenRequest {
  std::string token_url;
  // authMethod "body" (Google): client_id/client_secret go in the form; otherwise HTTP Basic.
  bool client_auth_in_body = false;
  std::string client_id;
  std::string client_secret;
  // grant_type=authorization_code&code&redirect_uri, or grant_type=refresh_token&refresh_token.
  QueryParams form;
  std::chrono::milliseconds timeout{30'000};
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  std::stop_token stop;
};

class OAuth2TokenError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// POSTs the form (application/x-www-form-urlencoded, Accept: application/json) through the SSRF-guarded
// client and returns the JSON reply. Throws OAuth2TokenError: "OAuth2 token request failed: <body>" for a
// non-2xx reply (spec), "OAuth2 token request failed: <client error>" when no reply came, and
// "OAuth2 token response is not a JSON object" otherwise.
[[nodiscard]] boost::json::object request_oauth2_token(const TokenRequest& request,
                                                       const ClientOptions& options = {});

// The stored data after a token reply: old data, then every reply field; refresh_token = the reply's or
// else the old one; expires_at = now_ms + expires_in·1000 when the reply has expires_in, else removed.
[[nodiscard]] boost::json::object merge_oauth2_token(const boost::json::object& old_data,
                                                     const boost::json::object& reply, std::int64_t now_ms);

// The run-time decision of getAccessToken: nullopt when the stored access_token can be used as it is
// (present and either no expires_at or now < expires_at − 5 min, or there is no refresh_token so a refresh
// is impossible — then the stored token, possibly stale or absent, is returned by the caller); otherwise
// the refresh_token to refresh with.
[[nodiscard]] std::optional<std::string> refresh_token_if_needed(const boost::json::object& data,
                                                                 std::int64_t now_ms);

}  // namespace kianax::plugins::net
