#include "worker/user_tx.hpp"

#include <exception>

#include "db/db_error.hpp"

namespace kianax::worker {

void with_user_tx(db::SyncConnection& conn, std::string_view user_id,
                  const std::function<void(db::SyncConnection&)>& fn) {
  if (user_id.empty()) throw db::DbError(db::DbErrorKind::kUsage, "empty user id for a user transaction");
  conn.exec("BEGIN");
  try {
    conn.exec("SELECT set_config('app.current_user_id', $1, true)", db::Params(std::string(user_id)));
    fn(conn);
    conn.exec("COMMIT");
  } catch (...) {
    try {
      conn.exec("ROLLBACK");
    } catch (const std::exception&) {  // a broken connection: the caller reconnects on the next error
    }
    throw;
  }
}

db::SyncConnection open_worker_connection(const std::string& conninfo) {
  db::SyncConnection conn = db::SyncConnection::open(conninfo);
  conn.exec("SET statement_timeout = '30s'");
  return conn;
}

}  // namespace kianax::worker
