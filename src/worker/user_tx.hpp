#pragma once
// Short user-context transactions on a blocking connection, for worker threads (the engine is synchronous,
// so each execution slot owns one SyncConnection instead of sharing the async pool's event loop).
// Same RLS rule as db/transaction.hpp: BEGIN; set_config('app.current_user_id', $1, true); …; COMMIT.
#include <functional>
#include <string>
#include <string_view>

#include "db/sync_connection.hpp"

namespace kianax::worker {

// Runs fn inside BEGIN … COMMIT with `user_id` as the RLS context; ROLLBACK and rethrow if fn throws.
// REQUIRES: user_id non-empty (an empty context would match no row and hide bugs as "not found").
void with_user_tx(db::SyncConnection& conn, std::string_view user_id,
                  const std::function<void(db::SyncConnection&)>& fn);

// Opens a connection for worker use: statement_timeout bounds every statement, so a stuck server cannot
// hang an execution slot forever.
[[nodiscard]] db::SyncConnection open_worker_connection(const std::string& conninfo);

}  // namespace kianax::worker
