#include "db/pool.hpp"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <deque>
#include <mutex>
#include <vector>

#include "db/conninfo.hpp"
#include "db/db_error.hpp"
#include "db/detail/connection.hpp"

namespace kianax::db {
namespace asio = boost::asio;

namespace detail {

// A coroutine waiting for a connection. Whoever frees a slot sets `handed` (a connection) or `may_connect`
// (a slot to open one in) under the pool mutex, then cancels the timer to wake it.
struct PoolState;
struct Waiter {
  Waiter(asio::any_io_executor executor, std::weak_ptr<PoolState> owner)
      : timer(std::move(executor)), pool(std::move(owner)) {}
  ~Waiter();  // a connection handed to a waiter that never woke (its coroutine was destroyed) goes back
  asio::steady_timer timer;
  std::weak_ptr<PoolState> pool;
  std::unique_ptr<Connection> handed;
  bool may_connect = false;
  bool woken = false;
};

struct PoolState : std::enable_shared_from_this<PoolState> {
  PoolState(asio::io_context& io_context, PoolOptions opts) : io(io_context), options(std::move(opts)) {}

  asio::io_context& io;
  const PoolOptions options;
  mutable std::mutex mutex;
  std::vector<std::unique_ptr<Connection>> idle;  // back = most recently used (warm)
  std::deque<std::shared_ptr<Waiter>> waiters;
  int open = 0;
  std::int64_t opened_total = 0;
  std::int64_t discarded_total = 0;
  bool closed = false;
  std::shared_ptr<asio::steady_timer> reaper;

  static void wake(const std::shared_ptr<Waiter>& w) {
    asio::post(w->timer.get_executor(), [w] { w->timer.cancel(); });
  }

  // REQUIRES: mutex held. A slot was freed: let the first waiter open a connection in it.
  std::shared_ptr<Waiter> free_slot_locked() {
    --open;
    if (waiters.empty()) return nullptr;
    auto w = waiters.front();
    waiters.pop_front();
    w->may_connect = true;
    w->woken = true;
    return w;
  }

  void discard(std::unique_ptr<Connection> connection) {
    std::shared_ptr<Waiter> w;
    {
      std::lock_guard lock(mutex);
      ++discarded_total;
      w = free_slot_locked();
    }
    connection.reset();  // PQfinish outside the lock
    if (w) wake(w);
  }

  void release(std::unique_ptr<Connection> connection) {
    if (!connection->returnable()) {
      discard(std::move(connection));
      return;
    }
    std::shared_ptr<Waiter> w;
    {
      std::lock_guard lock(mutex);
      if (closed) {
        --open;
      } else if (!waiters.empty()) {
        w = waiters.front();
        waiters.pop_front();
        w->handed = std::move(connection);
        w->woken = true;
      } else {
        connection->idle_since = Clock::now();
        idle.push_back(std::move(connection));
      }
    }
    if (w) wake(w);
  }

  // Closes idle connections unused for idle_timeout (as of `now`).
  void reap(Clock::time_point now) {
    std::vector<std::unique_ptr<Connection>> expired;
    {
      std::lock_guard lock(mutex);
      auto stale = [&](const std::unique_ptr<Connection>& c) {
        return now - c->idle_since >= options.idle_timeout;
      };
      for (auto& c : idle) {
        if (stale(c)) expired.push_back(std::move(c));
      }
      std::erase(idle, nullptr);
      open -= static_cast<int>(expired.size());
    }
    // A waiter can't exist while connections sit idle, so no one needs waking for these slots.
  }
};

Waiter::~Waiter() {
  if (!handed) return;
  if (auto state = pool.lock()) {
    state->release(std::move(handed));
  }
}

}  // namespace detail

using detail::Connection;
using detail::PoolState;
using detail::Waiter;

// ---------------------------------------------------------------------------------------------------------
// PooledConnection

PooledConnection::PooledConnection(std::shared_ptr<PoolState> pool, std::unique_ptr<Connection> connection)
    : pool_(std::move(pool)), connection_(std::move(connection)) {}

PooledConnection::PooledConnection(PooledConnection&& other) noexcept = default;

PooledConnection& PooledConnection::operator=(PooledConnection&& other) noexcept {
  if (this != &other) {
    give_back();
    pool_ = std::move(other.pool_);
    connection_ = std::move(other.connection_);
  }
  return *this;
}

PooledConnection::~PooledConnection() { give_back(); }

void PooledConnection::give_back() {
  if (connection_ && pool_) pool_->release(std::move(connection_));
  connection_.reset();
  pool_.reset();
}

asio::awaitable<Result> PooledConnection::query(std::string_view sql, const Params& params,
                                                Deadline deadline) {
  const detail::Statement statement{sql, &params};
  auto results = co_await connection_->run(std::span(&statement, 1), deadline);
  co_return std::move(results.front());
}

// ---------------------------------------------------------------------------------------------------------
// Pool

Pool::Pool(asio::io_context& io, PoolOptions options)
    : state_(std::make_shared<PoolState>(io, std::move(options))) {
  if (state_->options.max_connections < 1) {
    throw DbError(DbErrorKind::kUsage, "pool max_connections must be at least 1");
  }
}

Pool::~Pool() {
  std::vector<std::unique_ptr<Connection>> idle;
  std::vector<std::shared_ptr<Waiter>> waiters;
  std::shared_ptr<asio::steady_timer> reaper;
  {
    std::lock_guard lock(state_->mutex);
    state_->closed = true;
    idle.swap(state_->idle);
    state_->open -= static_cast<int>(idle.size());
    reaper = std::move(state_->reaper);
  }
  if (reaper) asio::post(reaper->get_executor(), [reaper] { reaper->cancel(); });
}

const PoolOptions& Pool::options() const { return state_->options; }

PoolStats Pool::stats() const {
  std::lock_guard lock(state_->mutex);
  return PoolStats{state_->open, static_cast<int>(state_->idle.size()),
                   static_cast<int>(state_->waiters.size()), state_->opened_total, state_->discarded_total};
}

void Pool::reap_idle_for_test(Clock::time_point now) { state_->reap(now); }

void Pool::start_idle_reaper() {
  auto timer = std::make_shared<asio::steady_timer>(state_->io);
  {
    std::lock_guard lock(state_->mutex);
    if (state_->reaper || state_->closed) return;
    state_->reaper = timer;
  }
  const auto period =
      std::max<std::chrono::milliseconds>(state_->options.idle_timeout / 2, std::chrono::milliseconds(10));
  asio::co_spawn(
      state_->io,
      [weak = std::weak_ptr<PoolState>(state_), timer, period]() -> asio::awaitable<void> {
        for (;;) {
          timer->expires_after(period);
          boost::system::error_code ec;
          co_await timer->async_wait(asio::redirect_error(asio::use_awaitable, ec));
          auto state = weak.lock();
          if (ec || !state) co_return;
          state->reap(Clock::now());
        }
      },
      asio::detached);
}

asio::awaitable<PooledConnection> Pool::acquire(Deadline deadline) {
  auto state = state_;
  const auto& options = state->options;
  for (;;) {
    std::unique_ptr<Connection> candidate;
    std::shared_ptr<Waiter> waiter;
    bool may_open = false;
    {
      std::lock_guard lock(state->mutex);
      if (!state->idle.empty()) {
        candidate = std::move(state->idle.back());
        state->idle.pop_back();
      } else if (state->open < options.max_connections) {
        ++state->open;
        may_open = true;
      } else {
        waiter = std::make_shared<Waiter>(state->io.get_executor(), state);
        waiter->timer.expires_at(deadline);
        state->waiters.push_back(waiter);
      }
    }

    if (candidate) {
      if (Clock::now() - candidate->idle_since < options.idle_timeout && candidate->reusable()) {
        co_return PooledConnection(state, std::move(candidate));
      }
      state->discard(std::move(candidate));  // stale or dead: close it and try again
      continue;
    }

    if (may_open) {
      std::exception_ptr failure;
      try {
        const Deadline connect_by = std::min(deadline, Clock::now() + options.connect_timeout);
        auto connection = co_await Connection::connect(state->io.get_executor(), options.conninfo, connect_by,
                                                       options.prepare_statements);
        {
          std::lock_guard lock(state->mutex);
          ++state->opened_total;
        }
        co_return PooledConnection(state, std::move(connection));
      } catch (...) {
        failure = std::current_exception();
      }
      std::shared_ptr<Waiter> next;
      {
        std::lock_guard lock(state->mutex);
        next = state->free_slot_locked();
      }
      if (next) PoolState::wake(next);
      std::rethrow_exception(failure);
    }

    boost::system::error_code ec;
    co_await waiter->timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    bool retry = false;
    {
      std::lock_guard lock(state->mutex);
      if (waiter->handed) {
        candidate = std::move(waiter->handed);
      } else if (waiter->may_connect) {
        retry = true;
      } else if (!waiter->woken) {
        std::erase(state->waiters, waiter);
      }
    }
    if (candidate) co_return PooledConnection(state, std::move(candidate));
    if (retry) continue;
    throw DbError(DbErrorKind::kTimeout, "pool exhausted: no connection to " +
                                             redact_conninfo(options.conninfo) +
                                             " became free before the deadline (max_connections " +
                                             std::to_string(options.max_connections) + ")");
  }
}

asio::awaitable<Result> Pool::query(std::string_view sql, const Params& params) {
  co_return co_await query(sql, params, deadline_after(state_->options.query_timeout));
}

asio::awaitable<Result> Pool::query(std::string_view sql, const Params& params, Deadline deadline) {
  auto connection = co_await acquire(deadline);
  co_return co_await connection.query(sql, params, deadline);
}

}  // namespace kianax::db
