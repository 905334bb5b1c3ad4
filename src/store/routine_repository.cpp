#include "store/routine_repository.hpp"

#include <boost/json/object.hpp>

#include "store/column_reader.hpp"

namespace kianax::store::routines {
namespace asio = boost::asio;
using detail::is_uuid;
using detail::json_text;

namespace {

// ---- All SQL of this repository ------------------------------------------------------------------------

// Column order is the order read_routine() reads.
const std::string& columns() {
  static const std::string s =
      "id, user_id, name, description, status, tags, version, trigger_type, trigger_config, nodes, "
      "connections, "
      "variables, " +
      sql_epoch_ms("last_executed_at") + ", " + sql_epoch_ms("created_at") + ", " +
      sql_epoch_ms("updated_at") + ", legacy_id";
  return s;
}

const std::string& insert_sql() {
  static const std::string s =
      "INSERT INTO routines (user_id, name, description, status, trigger_type, trigger_config, nodes, "
      "connections, tags, variables) VALUES ($1, $2, $3, $4::routine_status, $5::trigger_type, $6::jsonb, "
      "$7::jsonb, $8::jsonb, $9::jsonb, $10::jsonb) RETURNING " +
      columns();
  return s;
}

const std::string& get_sql() {
  static const std::string s = "SELECT " + columns() + " FROM routines WHERE id = $1::uuid AND user_id = $2";
  return s;
}

const std::string& list_sql() {
  static const std::string s = "SELECT " + columns() +
                               " FROM routines WHERE user_id = $1"
                               " AND ($2::routine_status IS NULL OR status = $2::routine_status)"
                               " ORDER BY updated_at DESC, id";
  return s;
}

// $3 is a JSON object holding only the fields to change (keys as in RoutinePatch). The version bump lives in
// the same statement as the nodes/connections change, so no reader ever sees one without the other.
const std::string& update_sql() {
  static const std::string s =
      "UPDATE routines SET"
      " name = CASE WHEN p.v ? 'name' THEN p.v->>'name' ELSE name END,"
      " description = CASE WHEN p.v ? 'description' THEN p.v->>'description' ELSE description END,"
      " status = CASE WHEN p.v ? 'status' THEN (p.v->>'status')::routine_status ELSE status END,"
      " trigger_type = CASE WHEN p.v ? 'trigger_type' THEN (p.v->>'trigger_type')::trigger_type"
      "   ELSE trigger_type END,"
      " trigger_config = CASE WHEN p.v ? 'trigger_config' THEN NULLIF(p.v->'trigger_config', 'null')"
      "   ELSE trigger_config END,"
      " nodes = CASE WHEN p.v ? 'nodes' THEN p.v->'nodes' ELSE nodes END,"
      " connections = CASE WHEN p.v ? 'connections' THEN p.v->'connections' ELSE connections END,"
      " tags = CASE WHEN p.v ? 'tags' THEN NULLIF(p.v->'tags', 'null') ELSE tags END,"
      " variables = CASE WHEN p.v ? 'variables' THEN NULLIF(p.v->'variables', 'null') ELSE variables END,"
      " last_executed_at = CASE WHEN p.v ? 'last_executed_at' THEN " +
      sql_timestamptz("(p.v->>'last_executed_at')::int8") +
      " ELSE last_executed_at END,"
      " version = version + CASE WHEN p.v ?| array['nodes', 'connections'] THEN 1 ELSE 0 END"
      " FROM (SELECT $3::jsonb AS v) AS p"
      " WHERE id = $1::uuid AND user_id = $2"
      " RETURNING " +
      columns();
  return s;
}

const std::string& list_page_sql() {
  static const std::string s =
      "SELECT " + columns() +
      " FROM routines WHERE user_id = $1"
      " AND ($2::routine_status IS NULL OR status = $2::routine_status)"
      " AND ($3::uuid IS NULL OR (updated_at, id) <"
      "   (SELECT c.updated_at, c.id FROM routines c WHERE c.id = $3::uuid AND c.user_id = $1))"
      " ORDER BY updated_at DESC, id DESC LIMIT $4::int";
  return s;
}

const std::string& search_sql() {
  static const std::string s =
      "SELECT " + columns() +
      " FROM routines WHERE user_id = $1"
      " AND (strpos(lower(name), lower($2)) > 0 OR strpos(lower(coalesce(description, '')), lower($2)) > 0)"
      " ORDER BY updated_at DESC, id DESC LIMIT $3::int";
  return s;
}

const std::string& get_for_update_sql() {
  static const std::string s = get_sql() + " FOR UPDATE";
  return s;
}

constexpr std::string_view kDeleteSql = "DELETE FROM routines WHERE id = $1::uuid AND user_id = $2";

// ---- Mapping --------------------------------------------------------------------------------------------

Routine read_routine(const db::Row& row) {
  Routine r;
  r.id = row.get<std::string>(0);
  r.user_id = row.get<std::string>(1);
  r.name = row.get<std::string>(2);
  r.description = row.get<std::optional<std::string>>(3);
  r.status = detail::enum_column(row, 4, parse_routine_status);
  r.tags = detail::optional_json_column(row, 5);
  r.version = row.get<std::int32_t>(6);
  r.trigger_type = detail::enum_column(row, 7, parse_routine_trigger);
  r.trigger_config = detail::optional_json_column(row, 8);
  r.nodes = detail::json_column(row, 9);
  r.connections = detail::json_column(row, 10);
  r.variables = detail::optional_json_column(row, 11);
  r.last_executed_at = row.get<std::optional<std::int64_t>>(12);
  r.created_at = row.get<std::int64_t>(13);
  r.updated_at = row.get<std::int64_t>(14);
  r.legacy_id = row.get<std::optional<std::string>>(15);
  return r;
}

template <class T, class Fn>
void put_nullable(boost::json::object& o, const char* key, const std::optional<std::optional<T>>& field,
                  Fn to_json) {
  if (!field) return;
  if (*field) {
    o[key] = to_json(**field);
  } else {
    o[key] = nullptr;
  }
}

boost::json::object patch_object(const RoutinePatch& p) {
  boost::json::object o;
  auto same = [](const auto& v) { return boost::json::value(v); };
  if (p.name) o["name"] = *p.name;
  put_nullable(o, "description", p.description, [](const std::string& s) { return boost::json::value(s); });
  if (p.status) o["status"] = to_string(*p.status);
  if (p.trigger_type) o["trigger_type"] = to_string(*p.trigger_type);
  put_nullable(o, "trigger_config", p.trigger_config, same);
  if (p.nodes) o["nodes"] = *p.nodes;
  if (p.connections) o["connections"] = *p.connections;
  put_nullable(o, "tags", p.tags, same);
  put_nullable(o, "variables", p.variables, same);
  put_nullable(o, "last_executed_at", p.last_executed_at, [](EpochMs ms) { return boost::json::value(ms); });
  return o;
}

}  // namespace

asio::awaitable<Routine> create(db::UserScope scope, const NewRoutine& routine) {
  const db::Params params(scope.user_id(), routine.name, routine.description, to_string(routine.status),
                          to_string(routine.trigger_type), detail::optional_json_text(routine.trigger_config),
                          json_text(routine.nodes), json_text(routine.connections),
                          routine.tags ? json_text(*routine.tags) : std::string("[]"),
                          routine.variables ? json_text(*routine.variables) : std::string("[]"));
  const db::Result r = co_await scope.query(insert_sql(), params);
  co_return read_routine(r.front());
}

asio::awaitable<std::optional<Routine>> get_by_id(db::UserScope scope, std::string_view id) {
  if (!is_uuid(id)) co_return std::nullopt;
  const db::Result r = co_await scope.query(get_sql(), db::Params(id, scope.user_id()));
  if (r.empty()) co_return std::nullopt;
  co_return read_routine(r.front());
}

asio::awaitable<std::vector<Routine>> list_by_user(db::UserScope scope, std::optional<RoutineStatus> status) {
  std::optional<std::string_view> status_label;
  if (status) status_label = to_string(*status);
  const db::Result r = co_await scope.query(list_sql(), db::Params(scope.user_id(), status_label));
  std::vector<Routine> out;
  out.reserve(static_cast<size_t>(r.size()));
  for (const db::Row row : r) out.push_back(read_routine(row));
  co_return out;
}

asio::awaitable<std::optional<Routine>> update(db::UserScope scope, std::string_view id,
                                               const RoutinePatch& patch) {
  if (!is_uuid(id)) co_return std::nullopt;
  const db::Result r =
      co_await scope.query(update_sql(), db::Params(id, scope.user_id(), json_text(patch_object(patch))));
  if (r.empty()) co_return std::nullopt;
  co_return read_routine(r.front());
}

asio::awaitable<bool> remove(db::UserScope scope, std::string_view id) {
  if (!is_uuid(id)) co_return false;
  const db::Result r = co_await scope.query(kDeleteSql, db::Params(id, scope.user_id()));
  co_return r.affected_rows() == 1;
}

asio::awaitable<RoutinePage> list_page(db::UserScope scope, std::optional<RoutineStatus> status, int limit,
                                       std::optional<std::string_view> after_id) {
  RoutinePage page;
  if (after_id && !is_uuid(*after_id)) co_return page;
  std::optional<std::string_view> status_label;
  if (status) status_label = to_string(*status);
  // One row more than asked tells whether another page follows.
  const db::Result r =
      co_await scope.query(list_page_sql(), db::Params(scope.user_id(), status_label, after_id, limit + 1));
  for (const db::Row row : r) {
    if (static_cast<int>(page.items.size()) == limit) {
      page.next_cursor = page.items.back().id;
      break;
    }
    page.items.push_back(read_routine(row));
  }
  co_return page;
}

asio::awaitable<std::vector<Routine>> search(db::UserScope scope, std::string_view query, int limit) {
  const db::Result r = co_await scope.query(search_sql(), db::Params(scope.user_id(), query, limit));
  std::vector<Routine> out;
  for (const db::Row row : r) out.push_back(read_routine(row));
  co_return out;
}

asio::awaitable<std::optional<Routine>> get_for_update(db::Transaction& tx, std::string_view id) {
  if (!is_uuid(id)) co_return std::nullopt;
  const db::Result r = co_await tx.query(get_for_update_sql(), db::Params(id, tx.user_id()));
  if (r.empty()) co_return std::nullopt;
  co_return read_routine(r.front());
}

}  // namespace kianax::store::routines
