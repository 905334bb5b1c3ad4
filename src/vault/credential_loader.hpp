#pragma once
// The worker's one call for credential data (issue 5 "Vault", api-spec §3 getAccessToken): given a credential
// id and the executing user, it
//   1. reads the row as that user (user-context transaction: RLS + user_id filter) — another user's
//      credential is "not found", unlike upstream's getForExecution, which served any id;
//   2. opens `data` with the vault (bound to the owner's user id);
//   3. for an OAuth2 type whose access_token expires within 5 minutes (and has a refresh_token), refreshes it
//      at the type's token endpoint, seals and stores the merged data, keeping `metadata` (upstream's refresh
//      erased {status:"active"}). The row is held FOR UPDATE meanwhile, so concurrent refreshes serialise;
//   4. returns only the type's runtime fields ({"apiKey"} / {"access_token"}) — never the refresh_token.
// Errors (CredentialLoadError) name the credential id and the reason, never a secret value.
//
// The token request is a blocking HTTP call made while the coroutine runs: call this from the worker's
// io_context, not from the HTTP server's.
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string_view>

#include "plugins/credential_types.hpp"
#include "plugins/net/http_client.hpp"
#include "vault/vault.hpp"

namespace kianax::db {
class Pool;
}

namespace kianax::vault {

class CredentialLoadError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct CredentialLoadOptions {
  const plugins::CredentialTypeRegistry* types = nullptr;  // null: builtin_credential_types()
  plugins::net::ClientOptions http;                        // token endpoint client (tests allow loopback)
  std::function<std::int64_t()> now_ms;                    // null: the system clock
};

boost::asio::awaitable<boost::json::object> load_credential_data(db::Pool& pool, const Vault& vault,
                                                                 std::string_view user_id,
                                                                 std::string_view credential_id,
                                                                 const CredentialLoadOptions& options = {});

}  // namespace kianax::vault
