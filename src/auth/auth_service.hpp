#pragma once
// The Better Auth-compatible server side (wire-protocols §2): email/password sign-up and sign-in, sessions
// in the `sessions` table, Better Auth's cookies, origin/CSRF rules and PostgreSQL-backed rate limits, plus
// the Authenticator every other handler uses to turn a request into a user.
//
// Usage (one per process, over the app-role pool):
//   auth::AuthService auth(pool, auth::AuthOptions{.secret = …, .base_url = …});
//   auth.add_routes(router);                  // /api/auth/*
//   api.use(auth.authenticator());            // who is calling
// The service must outlive the router's server: handlers refer to it.
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "auth/authenticator.hpp"
#include "auth/google.hpp"
#include "http/router.hpp"

namespace kianax::db {
class Pool;
}

namespace kianax::auth {

struct AuthOptions {
  std::string secret;    // BETTER_AUTH_SECRET: signs cookies; REQUIRES non-empty
  std::string base_url;  // BETTER_AUTH_URL, e.g. http://localhost:3000; https ⇒ __Secure- cookies
  std::vector<std::string> trusted_origins;  // besides the base URL's origin (KIANAX_TRUSTED_ORIGINS)

  // Better Auth's special rule for /sign-in/* and /sign-up/*: `max` requests per `window` per client IP
  // and path, counted in PostgreSQL so that every server process shares the budget. max = 0 disables it.
  int sign_in_rate_limit_max = 3;
  std::chrono::seconds sign_in_rate_limit_window{10};
  // Use the first X-Forwarded-For address as the client IP (only behind a proxy that sets it; otherwise a
  // client could pick its own rate-limit key). Off: the TCP peer address.
  bool trust_forwarded_for = false;

  std::size_t hasher_threads = 2;  // scrypt workers (each hash: ~50 ms CPU, 32 MiB)
  std::size_t hasher_queue = 64;   // jobs queued or running before sign-in answers 429

  // How long authenticate() may reuse a session it looked up. A session revoked by another process stops
  // working here within this time; revocations made by this process take effect at once.
  std::chrono::milliseconds session_cache_ttl{5'000};

  // "Sign in with Google" (sign-in/social + callback/google); absent = PROVIDER_NOT_FOUND.
  std::optional<GoogleOptions> google;
};

class AuthService {
 public:
  // REQUIRES: options.secret non-empty; `pool` connects as the app role and outlives this.
  AuthService(db::Pool& pool, AuthOptions options);
  ~AuthService();
  AuthService(const AuthService&) = delete;
  AuthService& operator=(const AuthService&) = delete;

  // /api/auth/{sign-up/email, sign-in/email, sign-in/social, callback/google, get-session, sign-out,
  // list-sessions, revoke-session, ok}, and a
  // 404 with an empty body for any other path under /api/auth/ (as Better Auth).
  void add_routes(http::Router& router);
  Authenticator& authenticator();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kianax::auth
