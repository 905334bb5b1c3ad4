#include "store/credential_repository.hpp"

#include "store/column_reader.hpp"

namespace kianax::store::credentials {
namespace asio = boost::asio;
using detail::is_uuid;
using detail::json_text;

namespace {

// ---- All SQL of this repository ------------------------------------------------------------------------

const std::string& summary_columns() {
  static const std::string s = "id, user_id, type_id, name, metadata, " + sql_epoch_ms("created_at") + ", " +
                               sql_epoch_ms("updated_at") + ", legacy_id";
  return s;
}

const std::string& list_sql() {
  static const std::string s =
      "SELECT " + summary_columns() + " FROM user_credentials WHERE user_id = $1 ORDER BY created_at, id";
  return s;
}

const std::string& get_sql() {
  static const std::string s =
      "SELECT " + summary_columns() + ", data FROM user_credentials WHERE id = $1::uuid AND user_id = $2";
  return s;
}

const std::string& insert_sql() {
  static const std::string s =
      "INSERT INTO user_credentials (user_id, type_id, name, data, metadata)"
      " VALUES ($1, $2, $3, $4, $5::jsonb) RETURNING " +
      summary_columns();
  return s;
}

const std::string& update_sql() {
  static const std::string s =
      "UPDATE user_credentials SET name = $3, data = COALESCE($4, data)"
      " WHERE id = $1::uuid AND user_id = $2 RETURNING " +
      summary_columns();
  return s;
}

constexpr std::string_view kUpdateDataSql =
    "UPDATE user_credentials SET data = $3, metadata = COALESCE($4::jsonb, metadata)"
    " WHERE id = $1::uuid AND user_id = $2";

const std::string& get_for_update_sql() {
  static const std::string s = get_sql() + " FOR UPDATE";
  return s;
}

constexpr std::string_view kDeleteSql = "DELETE FROM user_credentials WHERE id = $1::uuid AND user_id = $2";

// ---- Mapping --------------------------------------------------------------------------------------------

void read_summary(const db::Row& row, CredentialSummary& c) {
  c.id = row.get<std::string>(0);
  c.user_id = row.get<std::string>(1);
  c.type_id = row.get<std::string>(2);
  c.name = row.get<std::string>(3);
  c.metadata = detail::optional_json_column(row, 4);
  c.created_at = row.get<std::int64_t>(5);
  c.updated_at = row.get<std::int64_t>(6);
  c.legacy_id = row.get<std::optional<std::string>>(7);
}

}  // namespace

asio::awaitable<std::vector<CredentialSummary>> list(db::UserScope scope) {
  const db::Result r = co_await scope.query(list_sql(), db::Params(scope.user_id()));
  std::vector<CredentialSummary> out(static_cast<size_t>(r.size()));
  for (const db::Row row : r) read_summary(row, out[static_cast<size_t>(row.index())]);
  co_return out;
}

asio::awaitable<std::optional<Credential>> get(db::UserScope scope, std::string_view id) {
  if (!is_uuid(id)) co_return std::nullopt;
  const db::Result r = co_await scope.query(get_sql(), db::Params(id, scope.user_id()));
  if (r.empty()) co_return std::nullopt;
  Credential c;
  read_summary(r.front(), c);
  c.data = r.front().get<std::string>(8);
  co_return c;
}

asio::awaitable<std::optional<Credential>> get_for_update(db::Transaction& tx, std::string_view id) {
  if (!is_uuid(id)) co_return std::nullopt;
  const db::Result r = co_await tx.query(get_for_update_sql(), db::Params(id, tx.user_id()));
  if (r.empty()) co_return std::nullopt;
  Credential c;
  read_summary(r.front(), c);
  c.data = r.front().get<std::string>(8);
  co_return c;
}

asio::awaitable<CredentialSummary> create(db::UserScope scope, const NewCredential& credential) {
  const db::Result r = co_await scope.query(
      insert_sql(), db::Params(scope.user_id(), credential.type_id, credential.name, credential.data,
                               detail::optional_json_text(credential.metadata)));
  CredentialSummary c;
  read_summary(r.front(), c);
  co_return c;
}

asio::awaitable<std::optional<CredentialSummary>> update(db::UserScope scope, std::string_view id,
                                                         std::string_view name,
                                                         std::optional<std::string_view> data) {
  if (!is_uuid(id)) co_return std::nullopt;
  const db::Result r = co_await scope.query(update_sql(), db::Params(id, scope.user_id(), name, data));
  if (r.empty()) co_return std::nullopt;
  CredentialSummary c;
  read_summary(r.front(), c);
  co_return c;
}

asio::awaitable<bool> update_data(db::UserScope scope, std::string_view id, std::string_view data,
                                  const std::optional<boost::json::value>& metadata) {
  if (!is_uuid(id)) co_return false;
  const db::Result r = co_await scope.query(
      kUpdateDataSql, db::Params(id, scope.user_id(), data, detail::optional_json_text(metadata)));
  co_return r.affected_rows() == 1;
}

asio::awaitable<bool> remove(db::UserScope scope, std::string_view id) {
  if (!is_uuid(id)) co_return false;
  const db::Result r = co_await scope.query(kDeleteSql, db::Params(id, scope.user_id()));
  co_return r.affected_rows() == 1;
}

}  // namespace kianax::store::credentials
