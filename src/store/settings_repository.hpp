#pragma once
// User settings (seed §3.2 `user_settings`, one row per user; api-spec §1d/§6).
#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>

#include "db/transaction.hpp"
#include "store/enums.hpp"
#include "store/epoch_ms.hpp"

namespace kianax::store {

struct UserSettings {
  std::string id;
  std::string user_id;
  std::optional<Theme> theme;
  EpochMs created_at = 0;
  EpochMs updated_at = 0;
  std::optional<std::string> legacy_id;
};

namespace settings {

// The user's row, or nullopt (settings.get returns null then).
boost::asio::awaitable<std::optional<UserSettings>> get(db::UserScope scope);
// INSERT … ON CONFLICT (user_id) DO UPDATE: creates the row on first use.
boost::asio::awaitable<UserSettings> upsert(db::UserScope scope, Theme theme);

}  // namespace settings
}  // namespace kianax::store
