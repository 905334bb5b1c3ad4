#pragma once
// One tRPC procedure: its dotted name, query or mutation, its input schema, whether it needs a signed-in
// user, and its handler. The codec checks method, user and input before the handler runs, so a handler
// sees only valid input and (when needs_user) a user.
#include <boost/asio/awaitable.hpp>
#include <boost/json/value.hpp>
#include <functional>
#include <optional>
#include <string>

#include "api/input_schema.hpp"
#include "auth/authenticator.hpp"

namespace kianax::db {
class Pool;
}
namespace kianax::plugins {
class Registry;
class CredentialTypeRegistry;
}  // namespace kianax::plugins
namespace kianax::vault {
class Vault;
}

namespace kianax::api {

class OAuthFlow;

// What a handler may use. Procedures never see SQL: they call src/store with a db::UserScope on `pool`.
struct Context {
  db::Pool& pool;
  std::optional<auth::AuthenticatedUser> user;
  const plugins::Registry* plugins = nullptr;                         // plugins.list
  const plugins::CredentialTypeRegistry* credential_types = nullptr;  // credentials.*
  const vault::Vault* vault = nullptr;  // credentials.create/update; null: not configured
  const OAuthFlow* oauth = nullptr;     // credentials.oauthStart; null when there is no vault

  // REQUIRES: user (guaranteed for procedures with needs_user).
  [[nodiscard]] const std::string& user_id() const { return user->user_id; }
};

enum class ProcedureType { kQuery, kMutation };

using ProcedureHandler =
    std::function<boost::asio::awaitable<boost::json::value>(Context&, const boost::json::value&)>;

struct Procedure {
  std::string name;  // "routines.get"
  ProcedureType type = ProcedureType::kQuery;
  // Checked before the handler. Null: the procedure takes no input (anything sent is ignored).
  SchemaPtr input;
  // When false, an absent input is checked (and passed on) as {} — for inputs whose fields are all optional.
  bool input_required = true;
  bool needs_user = true;
  ProcedureHandler handler;
};

}  // namespace kianax::api
