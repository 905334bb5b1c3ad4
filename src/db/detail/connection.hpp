#pragma once
// One libpq connection driven without blocking from Asio. Internal to src/db (pool, transactions).
//
// Protocol (why it looks like this):
// - Connect: PQconnectStart, then PQconnectPoll each time the socket is ready in the direction libpq asks
//   for. libpq may close and reopen the socket while it tries addresses (e.g. ::1 then 127.0.0.1) and the new
//   socket can reuse the old fd number, so while connecting we re-register the fd before every wait.
// - Statements: the connection lives in pipeline mode. run() queues every statement with PQsendQueryParams
//   (parameters out of band, never spliced into SQL), adds one PQpipelineSync and flushes — one round trip
//   for the batch. Results are read in order; each statement's results end with a NULL, the batch with
//   PGRES_PIPELINE_SYNC. After a failed statement the server skips the rest (PGRES_PIPELINE_ABORTED) up to
//   the sync; we drain everything before throwing, so the connection stays in a known state and reusable.
// - Prepared statements: with `prepare` on, each distinct SQL text is prepared once per connection (named
//   k1, k2, …; PQsendPrepare goes into the same pipeline as its first execution) and executed by name after
//   that, so the server skips parse and plan on every later call. The name is remembered only once the
//   server confirmed the Prepare. Off for transaction-pooling proxies that cannot route named statements.
// - Waiting: socket readiness via PQsocket wrapped in a posix::stream_descriptor (async_wait), raced against
//   a steady_timer at the deadline. A deadline hit mid-statement leaves the protocol state unknown: the
//   connection is marked broken and the pool discards it.
// - Ownership: exactly one coroutine uses a Connection at a time (the pool hands it out), so no locking here.
#include <libpq-fe.h>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "db/deadline.hpp"
#include "db/params.hpp"
#include "db/result.hpp"

namespace kianax::db::detail {

struct Statement {
  std::string_view sql;
  const Params* params = nullptr;  // nullptr = no parameters
};

class Connection {
 public:
  // Throws DbError(kConnection) naming the redacted target, or DbError(kTimeout).
  static boost::asio::awaitable<std::unique_ptr<Connection>> connect(boost::asio::any_io_executor executor,
                                                                     const std::string& conninfo,
                                                                     Deadline deadline, bool prepare = true);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // One round trip for the whole batch; returns one Result per statement. Throws DbError(kServer) for the
  // first failed statement (after draining to the sync point), kConnection / kTimeout otherwise.
  boost::asio::awaitable<std::vector<Result>> run(std::span<const Statement> statements, Deadline deadline);

  // True when the connection can go back to the pool: not broken, idle (no open transaction), and nothing
  // unexpected arrived while it sat idle (a terminated backend sends an error and closes the socket).
  [[nodiscard]] bool reusable();
  // The cheap half of reusable() (no syscall): what release checks; acquire adds the socket check.
  [[nodiscard]] bool returnable() const;
  [[nodiscard]] bool broken() const { return broken_; }
  void mark_broken() { broken_ = true; }
  [[nodiscard]] PGTransactionStatusType transaction_status() const { return PQtransactionStatus(conn_); }
  [[nodiscard]] int backend_pid() const { return PQbackendPID(conn_); }

  Clock::time_point idle_since{};

 private:
  enum class Wait { kRead, kWrite, kReadOrWrite };
  Connection(boost::asio::any_io_executor executor, PGconn* conn, std::string redacted_target);

  boost::asio::awaitable<void> wait(Wait what, Deadline deadline, const char* doing);
  boost::asio::awaitable<PGresult*> next_result(Deadline deadline);
  void bind_socket();
  [[noreturn]] void fail_connection(const std::string& doing);

  PGconn* conn_;
  std::string target_;  // redacted conninfo, for messages
  boost::asio::posix::stream_descriptor socket_;
  boost::asio::steady_timer timer_;
  bool broken_ = false;
  bool prepare_ = true;
  std::uint64_t next_name_ = 0;
  std::unordered_map<std::string, std::string> prepared_;  // SQL text -> statement name
};

}  // namespace kianax::db::detail
