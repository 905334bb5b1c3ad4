#pragma once
// GET /api/oauth/callback (see oauth_flow.hpp): always answers with a 302 to the dashboard's credentials
// page, ?status=success or ?status=error&message=<short reason>. The reason never carries a token or the
// provider's reply (that goes to the log).
#include "api/oauth_flow.hpp"
#include "api/trpc_handler.hpp"
#include "auth/authenticator.hpp"
#include "http/message.hpp"

namespace kianax::api {

inline constexpr const char* kOAuthCallbackPath = "/api/oauth/callback";

// `flow`, `services` and `authenticator` must outlive the handler.
[[nodiscard]] http::Handler make_oauth_callback(const OAuthFlow& flow, Services services,
                                                auth::Authenticator& authenticator);

}  // namespace kianax::api
