#pragma once
// OAuth connect for OAuth2 credential types (api-spec §3 flow, fixed): credentials.oauthStart returns the
// provider's authorization URL with a signed state (oauth_state.hpp) and a PKCE S256 challenge; the provider
// redirects the browser to GET /api/oauth/callback, which verifies the state and that the signed-in user
// is the one who started, exchanges the code (with the PKCE verifier), seals and stores the tokens with
// metadata {status:"active"}, and redirects to the dashboard's credentials page with ?status=success|error.
//
// One redirect URI in both places (upstream sent one and handled another): <public url>/api/oauth/callback.
// The token request is a blocking HTTP call: it runs on this object's own thread, never on an io thread.
#include <boost/asio/thread_pool.hpp>
#include <string>

#include "api/oauth_state.hpp"
#include "plugins/credential_types.hpp"
#include "plugins/net/http_client.hpp"

namespace kianax::api {

class OAuthFlow {
 public:
  OAuthFlow(OAuthStateSigner signer, std::string public_url, plugins::net::ClientOptions http);
  ~OAuthFlow();

  // The provider URL for the caller's credential of OAuth2 type `type`. Throws TrpcError
  // PRECONDITION_FAILED when the type has no OAuth client configured.
  [[nodiscard]] std::string authorization_url(const plugins::CredentialType& type, const std::string& user_id,
                                              const std::string& credential_id, std::int64_t now_ms) const;

  [[nodiscard]] const OAuthStateSigner& signer() const { return signer_; }
  [[nodiscard]] std::string redirect_uri() const { return public_url_ + "/api/oauth/callback"; }
  [[nodiscard]] std::string dashboard_url() const { return public_url_ + "/dashboard/settings/credentials"; }
  [[nodiscard]] const plugins::net::ClientOptions& http() const { return http_; }
  [[nodiscard]] boost::asio::thread_pool& blocking() const { return blocking_; }

 private:
  OAuthStateSigner signer_;
  std::string public_url_;
  plugins::net::ClientOptions http_;
  mutable boost::asio::thread_pool blocking_{1};
};

}  // namespace kianax::api
