#include "store/settings_repository.hpp"

#include "store/column_reader.hpp"

namespace kianax::store::settings {
namespace asio = boost::asio;

namespace {

// ---- All SQL of this repository ------------------------------------------------------------------------

const std::string& columns() {
  static const std::string s =
      "id, user_id, theme, " + sql_epoch_ms("created_at") + ", " + sql_epoch_ms("updated_at") + ", legacy_id";
  return s;
}

const std::string& get_sql() {
  static const std::string s = "SELECT " + columns() + " FROM user_settings WHERE user_id = $1";
  return s;
}

const std::string& upsert_sql() {
  static const std::string s =
      "INSERT INTO user_settings (user_id, theme) VALUES ($1, $2::theme)"
      " ON CONFLICT (user_id) DO UPDATE SET theme = EXCLUDED.theme"
      " RETURNING " +
      columns();
  return s;
}

UserSettings read_settings(const db::Row& row) {
  UserSettings s;
  s.id = row.get<std::string>(0);
  s.user_id = row.get<std::string>(1);
  if (!row.is_null(2)) s.theme = detail::enum_column(row, 2, parse_theme);
  s.created_at = row.get<std::int64_t>(3);
  s.updated_at = row.get<std::int64_t>(4);
  s.legacy_id = row.get<std::optional<std::string>>(5);
  return s;
}

}  // namespace

asio::awaitable<std::optional<UserSettings>> get(db::UserScope scope) {
  const db::Result r = co_await scope.query(get_sql(), db::Params(scope.user_id()));
  if (r.empty()) co_return std::nullopt;
  co_return read_settings(r.front());
}

asio::awaitable<UserSettings> upsert(db::UserScope scope, Theme theme) {
  const db::Result r = co_await scope.query(upsert_sql(), db::Params(scope.user_id(), to_string(theme)));
  co_return read_settings(r.front());
}

}  // namespace kianax::store::settings
