#pragma once
// User credentials (seed §3.2 `user_credentials`; api-spec §1c). `data` is opaque text here (the vault's
// encrypted envelope); list() never reads it, so listing cannot leak secrets.
#include <boost/asio/awaitable.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "db/transaction.hpp"
#include "store/epoch_ms.hpp"

namespace kianax::store {

// Every column except `data`.
struct CredentialSummary {
  std::string id;
  std::string user_id;
  std::string type_id;
  std::string name;
  std::optional<boost::json::value> metadata;
  EpochMs created_at = 0;
  EpochMs updated_at = 0;
  std::optional<std::string> legacy_id;
};

struct Credential : CredentialSummary {
  std::string data;
};

struct NewCredential {
  std::string type_id;
  std::string name;
  std::string data;
  std::optional<boost::json::value> metadata;
};

namespace credentials {

// The user's credentials without `data`, oldest first (Convex's order).
boost::asio::awaitable<std::vector<CredentialSummary>> list(db::UserScope scope);
boost::asio::awaitable<std::optional<Credential>> get(db::UserScope scope, std::string_view id);
boost::asio::awaitable<CredentialSummary> create(db::UserScope scope, const NewCredential& credential);
// Renames; replaces data when given. nullopt when not found.
boost::asio::awaitable<std::optional<CredentialSummary>> update(db::UserScope scope, std::string_view id,
                                                                std::string_view name,
                                                                std::optional<std::string_view> data);
// Replaces data (token refresh). Metadata is replaced only when given — unlike Convex's updateInternal,
// a refresh does not erase {status: "active"}. False when not found.
boost::asio::awaitable<bool> update_data(db::UserScope scope, std::string_view id, std::string_view data,
                                         const std::optional<boost::json::value>& metadata = std::nullopt);
boost::asio::awaitable<bool> remove(db::UserScope scope, std::string_view id);
// get() with SELECT … FOR UPDATE in the caller's transaction: a token refresh holds the row so that two
// workers refreshing the same credential do not race (the second sees the first one's new token).
boost::asio::awaitable<std::optional<Credential>> get_for_update(db::Transaction& tx, std::string_view id);

}  // namespace credentials
}  // namespace kianax::store
