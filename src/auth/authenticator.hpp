#pragma once
// Who is calling: the seam between the auth module (which owns sessions and cookies) and everything that
// needs a user (the tRPC API, live streams, OAuth connect). Handlers depend on this interface only, so they
// never parse cookies or read the sessions table themselves.
#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>

#include "http/message.hpp"

namespace kianax::auth {

struct AuthenticatedUser {
  std::string user_id;     // users.id (text, as Better Auth writes it)
  std::string session_id;  // sessions.id
};

class Authenticator {
 public:
  virtual ~Authenticator() = default;
  // The session the request's cookie (better-auth.session_token / __Secure-…) names, when it is valid and
  // unexpired; nullopt otherwise. Never throws for a bad or missing cookie.
  virtual boost::asio::awaitable<std::optional<AuthenticatedUser>> authenticate(
      const http::Request& request) = 0;
};

}  // namespace kianax::auth
