#pragma once
// Test seam for auth::Authenticator: the header `x-test-user: <user id>` names the caller; no header (or an
// empty one) is an anonymous request. Stands in for the Better Auth session lookup in API tests.
#include "auth/authenticator.hpp"

namespace kianax::api::testing {

class HeaderAuthenticator final : public auth::Authenticator {
 public:
  boost::asio::awaitable<std::optional<auth::AuthenticatedUser>> authenticate(
      const http::Request& request) override {
    ++calls;
    const auto user = request.header("x-test-user");
    if (!user || user->empty()) co_return std::nullopt;
    co_return auth::AuthenticatedUser{std::string(*user), "session-" + std::string(*user)};
  }
  int calls = 0;
};

}  // namespace kianax::api::testing
