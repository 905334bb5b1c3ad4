#pragma once
// Async PostgreSQL connection pool (no thread per query): libpq driven non-blocking from Boost.Asio
// coroutines; see db/detail/connection.hpp for the wire protocol and db/transaction.hpp for user context.
//
// Invariants:
// - At most `max_connections` connections exist (idle + in use + being opened).
// - A connection goes back to the pool only when idle (no open transaction), unbroken, and silent; anything
//   else — a deadline hit mid-statement, a lost socket, a transaction left open — is closed and replaced by
//   a fresh connection on demand.
// - Idle connections older than `idle_timeout` are closed when the pool is next used, and — for long-running
//   servers — by the reaper started with start_idle_reaper() (opt-in: a pending timer keeps io_context::run()
//   from returning, which a CLI command does not want).
// - The io_context outlives the pool and every connection checked out of it.
// - Calls take `sql`/`params` by reference: co_await them in the same full expression (the usual rule for
//   coroutine arguments), never store the awaitable for later.
// - Thread-safe: the io_context may run on several threads; one coroutine owns a connection at a time.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "db/deadline.hpp"
#include "db/params.hpp"
#include "db/result.hpp"

namespace boost::asio {
class io_context;
}

namespace kianax::db {

namespace detail {
class Connection;
struct PoolState;
}  // namespace detail

struct PoolOptions {
  std::string conninfo;                              // URI or key=value; DATABASE_URL
  int max_connections = 20;                          // seed §4.2
  std::chrono::milliseconds idle_timeout{30'000};    // seed §4.2
  std::chrono::milliseconds connect_timeout{2'000};  // seed §4.2
  std::chrono::milliseconds query_timeout{30'000};   // default budget of Pool::query / UserScope calls
  // Prepare each distinct statement once per connection (saves the server's parse + plan on every call).
  // Turn off behind a transaction-pooling proxy that cannot route named statements (PgBouncer < 1.21).
  bool prepare_statements = true;
};

struct PoolStats {
  int open = 0;  // idle + in use + connecting
  int idle = 0;
  int waiting = 0;                   // coroutines waiting for a connection
  std::int64_t opened_total = 0;     // connections ever opened
  std::int64_t discarded_total = 0;  // connections closed because they were broken / not reusable
};

// A connection checked out of the pool; returns it (or discards it) when destroyed. Move-only.
class [[nodiscard]] PooledConnection {
 public:
  PooledConnection() = default;
  PooledConnection(std::shared_ptr<detail::PoolState> pool, std::unique_ptr<detail::Connection> connection);
  PooledConnection(PooledConnection&&) noexcept;
  PooledConnection& operator=(PooledConnection&&) noexcept;
  ~PooledConnection();

  [[nodiscard]] detail::Connection& operator*() const { return *connection_; }
  [[nodiscard]] detail::Connection* operator->() const { return connection_.get(); }
  [[nodiscard]] explicit operator bool() const { return connection_ != nullptr; }

  // Runs one statement on this connection (autocommit unless a transaction is open on it).
  boost::asio::awaitable<Result> query(std::string_view sql, const Params& params, Deadline deadline);

 private:
  void give_back();
  std::shared_ptr<detail::PoolState> pool_;
  std::unique_ptr<detail::Connection> connection_;
};

class Pool {
 public:
  // Opens nothing yet: connections are made on demand. REQUIRES: options.max_connections >= 1.
  Pool(boost::asio::io_context& io, PoolOptions options);
  ~Pool();  // closes idle connections; checked-out ones close when returned
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  // An idle connection, a new one (within connect_timeout), or the next one returned — until `deadline`
  // (DbError kTimeout "pool exhausted").
  boost::asio::awaitable<PooledConnection> acquire(Deadline deadline);

  // One statement in its own implicit transaction, with NO user context: for system queries only
  // (readiness, migrations status). Tenant data goes through UserScope / with_user_tx.
  boost::asio::awaitable<Result> query(std::string_view sql, const Params& params = {});
  boost::asio::awaitable<Result> query(std::string_view sql, const Params& params, Deadline deadline);

  // Closes idle connections older than idle_timeout every idle_timeout/2 until the Pool is destroyed.
  void start_idle_reaper();

  [[nodiscard]] PoolStats stats() const;
  [[nodiscard]] const PoolOptions& options() const;

  // Test seam: closes idle connections as the reaper would at time `now`.
  void reap_idle_for_test(Clock::time_point now);

 private:
  std::shared_ptr<detail::PoolState> state_;
};

}  // namespace kianax::db
