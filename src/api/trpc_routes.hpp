#pragma once
// The API's one entry point for the server binary: registers GET, POST and HEAD on the prefix
// "/api/trpc/" with every procedure of procedures.hpp behind the tRPC codec, and — when a vault key is
// configured — GET /api/oauth/callback (oauth_callback.hpp).
#include "api/api_options.hpp"
#include "auth/authenticator.hpp"
#include "http/router.hpp"

namespace kianax::db {
class Pool;
}

namespace kianax::api {

inline constexpr const char* kTrpcPrefix = "/api/trpc/";

// `pool` and `authenticator` must outlive the router's use (the server's lifetime). Throws
// vault::VaultError when KIANAX_ENCRYPTION_KEY / KIANAX_ENCRYPTION_PREVIOUS_KEYS are set but malformed.
void add_trpc_routes(http::Router& router, db::Pool& pool, auth::Authenticator& authenticator,
                     ApiOptions options = {});

}  // namespace kianax::api
