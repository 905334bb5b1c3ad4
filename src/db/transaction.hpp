#pragma once
// Transactions that carry the RLS user context.
//
// Why set_config and not the seed's `SET LOCAL app.current_user_id = '${userId}'`:
// - The seed splices the id into SQL text: a user id such as `x' OR '1'='1` (or `'; DROP …`) becomes SQL.
//   set_config('app.current_user_id', $1, true) takes the id as a bound parameter — it is only ever a value.
// - SET LOCAL outside a transaction block does nothing (PostgreSQL warns and discards it), and the seed's
//   withUserContext never opens one, so its queries ran with no context at all. We always run
//   BEGIN; SELECT set_config(…, $1, true); …; COMMIT on one connection; `true` = transaction-local, so the
//   context dies at COMMIT/ROLLBACK and can never leak to the next user of a pooled connection (and the
//   pattern is safe behind a transaction-pooling PgBouncer).
// - With no context, current_setting('app.current_user_id', true) is NULL (or '' on a connection that had
//   one before): the policies match no row, because user ids are never empty (we refuse empty ids here).
//
// Round trips (measured in bench/db, see docs/benchmarks.md "## Database"):
// - with_user_tx: BEGIN and set_config are not sent on their own; they are pipelined with the transaction's
//   first statement, so a transaction costs (statements + 1) round trips, COMMIT being the last.
// - user_query (single statement, what the repositories use on a pool): set_config + statement in one
//   pipeline segment, without BEGIN/COMMIT. In the extended protocol everything before a Sync runs as ONE
//   implicit transaction (committed at the Sync, rolled back on error), and set_config(…, true) is local
//   to it — the same isolation as BEGIN … COMMIT in one round trip and two statements fewer.
// - Statements are prepared once per connection (PoolOptions::prepare_statements).
//
// Defence in depth: repositories also filter on user_id; RLS is the net, not the only check.
#include <boost/asio/awaitable.hpp>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "db/deadline.hpp"
#include "db/params.hpp"
#include "db/pool.hpp"
#include "db/result.hpp"

namespace kianax::db {

class Transaction {
 public:
  // Checks out a connection; BEGIN + set_config go out with the first query. Throws DbError(kUsage) for an
  // empty user id.
  static boost::asio::awaitable<Transaction> begin_for_user(Pool& pool, std::string user_id,
                                                            Deadline deadline);

  Transaction(Transaction&&) noexcept = default;
  Transaction& operator=(Transaction&&) noexcept = default;
  ~Transaction();  // still open: the connection is discarded (a destructor cannot await a ROLLBACK)

  boost::asio::awaitable<Result> query(std::string_view sql, const Params& params = {});
  boost::asio::awaitable<void> commit();
  boost::asio::awaitable<void> rollback();  // never throws; a connection that can't roll back is discarded

  [[nodiscard]] const std::string& user_id() const { return user_id_; }
  [[nodiscard]] Deadline deadline() const { return deadline_; }

 private:
  enum class State { kNotStarted, kOpen, kFinished };
  Transaction(PooledConnection connection, std::string user_id, Deadline deadline)
      : connection_(std::move(connection)), user_id_(std::move(user_id)), deadline_(deadline) {}

  PooledConnection connection_;
  std::string user_id_;
  Deadline deadline_;
  State state_ = State::kNotStarted;
};

template <class T>
struct AwaitableValue;
template <class T, class E>
struct AwaitableValue<boost::asio::awaitable<T, E>> {
  using type = T;
};

// Runs fn(Transaction&) -> awaitable<T> inside BEGIN … COMMIT with the user's context; ROLLBACK and rethrow
// if fn throws. Returns fn's value.
template <class Fn>
auto with_user_tx(Pool& pool, std::string user_id, Deadline deadline, Fn fn)
    -> boost::asio::awaitable<typename AwaitableValue<std::invoke_result_t<Fn&, Transaction&>>::type> {
  using T = typename AwaitableValue<std::invoke_result_t<Fn&, Transaction&>>::type;
  Transaction tx = co_await Transaction::begin_for_user(pool, std::move(user_id), deadline);
  std::exception_ptr failure;
  if constexpr (std::is_void_v<T>) {
    try {
      co_await fn(tx);
    } catch (...) {
      failure = std::current_exception();
    }
    if (!failure) {
      co_await tx.commit();
      co_return;
    }
    co_await tx.rollback();
    std::rethrow_exception(failure);
  } else {
    std::optional<T> value;
    try {
      value.emplace(co_await fn(tx));
    } catch (...) {
      failure = std::current_exception();
    }
    if (!failure) {
      co_await tx.commit();
      co_return std::move(*value);
    }
    co_await tx.rollback();
    std::rethrow_exception(failure);
  }
}

// One statement in its own user-context transaction, in one round trip:
// BEGIN; SELECT set_config('app.current_user_id', $1, true); <sql>; COMMIT.
boost::asio::awaitable<Result> user_query(Pool& pool, std::string_view user_id, std::string_view sql,
                                          const Params& params, Deadline deadline);

// Where a repository call runs: its own one-round-trip user transaction on a pool, or a caller's open
// transaction (whose user it takes). Cheap to copy; refers to the pool/transaction, which must outlive it.
class UserScope {
 public:
  UserScope(Pool& pool, std::string user_id);
  UserScope(Pool& pool, std::string user_id, Deadline deadline);
  UserScope(Transaction& tx);  // NOLINT(google-explicit-constructor): repositories take either

  [[nodiscard]] const std::string& user_id() const { return user_id_; }
  boost::asio::awaitable<Result> query(std::string_view sql, const Params& params) const;

 private:
  Pool* pool_ = nullptr;
  Transaction* tx_ = nullptr;
  std::string user_id_;
  std::optional<Deadline>
      deadline_;  // pool scopes: fixed at construction, or the pool's query_timeout per call
};

}  // namespace kianax::db
