#pragma once
// Routines (seed §3.2 `routines`, operations of §4.3). Every call runs in a user-context transaction
// (db::UserScope: its own, or the caller's) and also filters on user_id — RLS is the net, not the check.
#include <boost/asio/awaitable.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "db/transaction.hpp"
#include "store/enums.hpp"
#include "store/epoch_ms.hpp"

namespace kianax::store {

struct Routine {
  std::string id;  // uuid
  std::string user_id;
  std::string name;
  std::optional<std::string> description;
  RoutineStatus status = RoutineStatus::kDraft;
  std::optional<boost::json::value> tags;  // string[]
  int version = 1;
  RoutineTrigger trigger_type = RoutineTrigger::kManual;
  std::optional<boost::json::value> trigger_config;
  boost::json::value nodes;                     // Node[]
  boost::json::value connections;               // Conn[]
  std::optional<boost::json::value> variables;  // Var[]
  std::optional<EpochMs> last_executed_at;
  EpochMs created_at = 0;
  EpochMs updated_at = 0;
  std::optional<std::string> legacy_id;
};

struct NewRoutine {
  std::string name;
  std::optional<std::string> description;
  RoutineStatus status = RoutineStatus::kDraft;
  RoutineTrigger trigger_type = RoutineTrigger::kManual;
  std::optional<boost::json::value> trigger_config;
  boost::json::value nodes = boost::json::array();
  boost::json::value connections = boost::json::array();
  std::optional<boost::json::value> tags;       // absent: []
  std::optional<boost::json::value> variables;  // absent: []
};

// Absent = unchanged. For nullable columns the inner optional says "set to NULL" (clearing is allowed).
struct RoutinePatch {
  std::optional<std::string> name;
  std::optional<std::optional<std::string>> description;
  std::optional<RoutineStatus> status;
  std::optional<RoutineTrigger> trigger_type;
  std::optional<std::optional<boost::json::value>> trigger_config;
  std::optional<boost::json::value> nodes;        // present (even unchanged): version + 1
  std::optional<boost::json::value> connections;  // present (even unchanged): version + 1
  std::optional<std::optional<boost::json::value>> tags;
  std::optional<std::optional<boost::json::value>> variables;
  std::optional<std::optional<EpochMs>> last_executed_at;
};

namespace routines {

boost::asio::awaitable<Routine> create(db::UserScope scope, const NewRoutine& routine);
// nullopt when missing, not the scope user's, or `id` is not a uuid.
boost::asio::awaitable<std::optional<Routine>> get_by_id(db::UserScope scope, std::string_view id);
// The user's routines, newest update first (seed §4.3), optionally only one status.
boost::asio::awaitable<std::vector<Routine>> list_by_user(db::UserScope scope,
                                                          std::optional<RoutineStatus> status = std::nullopt);
// Applies the patch in ONE UPDATE (version + 1 when nodes or connections are present); nullopt when not
// found.
boost::asio::awaitable<std::optional<Routine>> update(db::UserScope scope, std::string_view id,
                                                      const RoutinePatch& patch);
// True when a row was deleted (its executions cascade).
boost::asio::awaitable<bool> remove(db::UserScope scope, std::string_view id);

// One page of list_by_user's order made total (updated_at DESC, id DESC): at most `limit` rows after the
// row `after_id` (keyset pagination; the cursor is the last row's id). next_cursor is set when more rows
// follow. A cursor that names no row of the user (deleted meanwhile, foreign, not a uuid) yields no rows.
struct RoutinePage {
  std::vector<Routine> items;
  std::optional<std::string> next_cursor;
};
boost::asio::awaitable<RoutinePage> list_page(db::UserScope scope, std::optional<RoutineStatus> status,
                                              int limit, std::optional<std::string_view> after_id);
// Case-insensitive substring of name or description (no wildcards: `%` and `_` match themselves), newest
// update first, at most `limit`.
boost::asio::awaitable<std::vector<Routine>> search(db::UserScope scope, std::string_view query, int limit);
// SELECT … FOR UPDATE inside the caller's transaction: read-modify-write of one routine (variables) then
// cannot lose a concurrent writer's change. nullopt when not found.
boost::asio::awaitable<std::optional<Routine>> get_for_update(db::Transaction& tx, std::string_view id);

}  // namespace routines
}  // namespace kianax::store
