#include "api/oauth_flow.hpp"

#include "api/trpc_error.hpp"
#include "plugins/net/url.hpp"

namespace kianax::api {

OAuthFlow::OAuthFlow(OAuthStateSigner signer, std::string public_url, plugins::net::ClientOptions http)
    : signer_(signer), public_url_(std::move(public_url)), http_(std::move(http)) {
  while (!public_url_.empty() && public_url_.back() == '/') public_url_.pop_back();
}

OAuthFlow::~OAuthFlow() { blocking_.join(); }

std::string OAuthFlow::authorization_url(const plugins::CredentialType& type, const std::string& user_id,
                                         const std::string& credential_id, std::int64_t now_ms) const {
  plugins::OAuth2Client client;
  try {
    client = plugins::oauth2_client_for(type.id);
  } catch (const plugins::OAuthNotConfigured& e) {
    throw TrpcError(ErrorCode::kPreconditionFailed, e.what());
  }
  const OAuthState state = signer_.issue(user_id, credential_id, now_ms);
  const std::string url = plugins::authorization_url(type, client, redirect_uri(), signer_.sign(state));
  return plugins::net::append_form_query(
      url, {{"code_challenge", OAuthStateSigner::pkce_challenge(signer_.pkce_verifier(state))},
            {"code_challenge_method", "S256"}});
}

}  // namespace kianax::api
