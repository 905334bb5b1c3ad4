#include "db/transaction.hpp"

#include <array>

#include "db/db_error.hpp"
#include "db/detail/connection.hpp"

namespace kianax::db {
namespace asio = boost::asio;

namespace {

constexpr std::string_view kBegin = "BEGIN";
constexpr std::string_view kSetUser = "SELECT set_config('app.current_user_id', $1, true)";
constexpr std::string_view kCommit = "COMMIT";
constexpr std::string_view kRollback = "ROLLBACK";

void require_user(std::string_view user_id) {
  // An empty id would match rows whose user_id is '' once a connection has had a context (the setting then
  // reads '' instead of NULL); no real user has an empty id, so refuse it outright.
  if (user_id.empty()) throw DbError(DbErrorKind::kUsage, "user context requires a non-empty user id");
}

}  // namespace

asio::awaitable<Transaction> Transaction::begin_for_user(Pool& pool, std::string user_id, Deadline deadline) {
  require_user(user_id);
  auto connection = co_await pool.acquire(deadline);
  co_return Transaction(std::move(connection), std::move(user_id), deadline);
}

Transaction::~Transaction() {
  if (state_ == State::kOpen && connection_) connection_->mark_broken();
}

asio::awaitable<Result> Transaction::query(std::string_view sql, const Params& params) {
  if (state_ == State::kFinished || !connection_) {
    throw DbError(DbErrorKind::kUsage, "query on a finished transaction");
  }
  if (state_ == State::kNotStarted) {
    const Params user(user_id_);
    const std::array<detail::Statement, 3> batch{
        detail::Statement{kBegin}, detail::Statement{kSetUser, &user}, detail::Statement{sql, &params}};
    state_ = State::kOpen;  // even if the statement fails, BEGIN ran: the transaction needs a ROLLBACK
    auto results = co_await connection_->run(batch, deadline_);
    co_return std::move(results[2]);
  }
  const detail::Statement statement{sql, &params};
  auto results = co_await connection_->run(std::span(&statement, 1), deadline_);
  co_return std::move(results.front());
}

asio::awaitable<void> Transaction::commit() {
  if (state_ == State::kFinished) throw DbError(DbErrorKind::kUsage, "transaction already finished");
  const bool started = state_ == State::kOpen;
  state_ = State::kFinished;
  if (started) {
    const detail::Statement statement{kCommit};
    std::exception_ptr failure;
    try {
      co_await connection_->run(std::span(&statement, 1), deadline_);
    } catch (...) {
      failure = std::current_exception();
    }
    if (failure) {
      connection_->mark_broken();  // COMMIT's outcome is known to the server; the connection is not worth it
      std::rethrow_exception(failure);
    }
  }
  connection_ = PooledConnection();  // back to the pool now, not when the Transaction object dies
}

asio::awaitable<void> Transaction::rollback() {
  if (state_ == State::kOpen && connection_) {
    const detail::Statement statement{kRollback};
    try {
      co_await connection_->run(std::span(&statement, 1), deadline_);
    } catch (...) {
      connection_->mark_broken();
    }
  }
  state_ = State::kFinished;
  connection_ = PooledConnection();
}

asio::awaitable<Result> user_query(Pool& pool, std::string_view user_id, std::string_view sql,
                                   const Params& params, Deadline deadline) {
  require_user(user_id);
  auto connection = co_await pool.acquire(deadline);
  // No BEGIN/COMMIT needed: in the extended protocol every statement up to the Sync runs in ONE implicit
  // transaction, committed at the Sync if all succeeded and rolled back otherwise. set_config(…, true) is
  // local to that transaction, so the context covers exactly the statement and ends with it — the same
  // guarantee as BEGIN … COMMIT, with two statements fewer for the server to run (docs/benchmarks.md).
  const Params user(user_id);
  const std::array<detail::Statement, 2> batch{detail::Statement{kSetUser, &user},
                                               detail::Statement{sql, &params}};
  auto results = co_await connection->run(batch, deadline);
  co_return std::move(results[1]);
}

UserScope::UserScope(Pool& pool, std::string user_id) : pool_(&pool), user_id_(std::move(user_id)) {}
UserScope::UserScope(Pool& pool, std::string user_id, Deadline deadline)
    : pool_(&pool), user_id_(std::move(user_id)), deadline_(deadline) {}
UserScope::UserScope(Transaction& tx) : tx_(&tx), user_id_(tx.user_id()) {}

asio::awaitable<Result> UserScope::query(std::string_view sql, const Params& params) const {
  if (tx_ != nullptr) co_return co_await tx_->query(sql, params);
  const Deadline deadline = deadline_ ? *deadline_ : deadline_after(pool_->options().query_timeout);
  co_return co_await user_query(*pool_, user_id_, sql, params, deadline);
}

}  // namespace kianax::db
