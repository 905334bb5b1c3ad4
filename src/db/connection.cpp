#include "db/detail/connection.hpp"

#include <poll.h>

#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <optional>
#include <variant>

#include "db/conninfo.hpp"
#include "db/db_error.hpp"

namespace kianax::db::detail {
namespace asio = boost::asio;

namespace {

void ignore_notice(void*, const char*) {}  // NOTICEs (e.g. "already exists, skipping") are not errors

std::string trimmed(const char* text) {
  std::string s = text != nullptr ? text : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

DbError server_error(const PGresult* r) {
  const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
  const char* primary = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
  const char* detail = PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL);
  std::string message = primary != nullptr ? primary : trimmed(PQresultErrorMessage(r));
  std::string sqlstate = state != nullptr ? state : "";
  if (!sqlstate.empty()) message += " (SQLSTATE " + sqlstate + ")";
  return DbError(DbErrorKind::kServer, message, sqlstate, detail != nullptr ? detail : "");
}

}  // namespace

Connection::Connection(asio::any_io_executor executor, PGconn* conn, std::string redacted_target)
    : conn_(conn), target_(std::move(redacted_target)), socket_(executor), timer_(executor) {}

Connection::~Connection() {
  // PQfinish closes the socket; the descriptor object must not close it a second time.
  if (socket_.is_open()) socket_.release();
  PQfinish(conn_);
}

void Connection::fail_connection(const std::string& doing) {
  broken_ = true;
  throw DbError(DbErrorKind::kConnection, doing + " " + target_ + ": " + trimmed(PQerrorMessage(conn_)),
                "08006");
}

void Connection::bind_socket() {
  if (socket_.is_open()) socket_.release();
  const int fd = PQsocket(conn_);
  if (fd < 0) fail_connection("lost the socket of");
  socket_.assign(fd);
}

asio::awaitable<std::unique_ptr<Connection>> Connection::connect(asio::any_io_executor executor,
                                                                 const std::string& conninfo,
                                                                 Deadline deadline, bool prepare) {
  if (auto problem = conninfo_problem(conninfo)) throw DbError(DbErrorKind::kConnection, *problem);
  PGconn* raw = PQconnectStart(conninfo.c_str());
  if (raw == nullptr) throw DbError(DbErrorKind::kConnection, "out of memory starting a connection");
  std::unique_ptr<Connection> c(new Connection(executor, raw, redact_conninfo(conninfo)));
  if (PQstatus(raw) == CONNECTION_BAD) c->fail_connection("cannot connect to");
  PQsetNoticeProcessor(raw, ignore_notice, nullptr);
  c->prepare_ = prepare;

  // libpq's contract: behave as if the last poll said "writing", then follow what PQconnectPoll asks.
  PostgresPollingStatusType state = PGRES_POLLING_WRITING;
  while (state != PGRES_POLLING_OK) {
    if (state == PGRES_POLLING_FAILED) c->fail_connection("cannot connect to");
    c->bind_socket();  // the fd may have changed (next address); re-register every time
    co_await c->wait(state == PGRES_POLLING_READING ? Wait::kRead : Wait::kWrite, deadline, "connecting to");
    state = PQconnectPoll(raw);
  }
  c->bind_socket();
  if (PQsetnonblocking(raw, 1) != 0) c->fail_connection("cannot make non-blocking the connection to");
  if (PQenterPipelineMode(raw) != 1) c->fail_connection("cannot enter pipeline mode on");
  co_return c;
}

asio::awaitable<void> Connection::wait(Wait what, Deadline deadline, const char* doing) {
  if (Clock::now() >= deadline) {
    broken_ = true;
    throw DbError(DbErrorKind::kTimeout, std::string("deadline passed while ") + doing + " " + target_);
  }
  // A parallel group of deferred operations: the loser is cancelled and reports an error code — no
  // exception is thrown per wait (awaitable operators would throw and catch one on every query).
  timer_.expires_at(deadline);
  namespace ex = asio::experimental;
  using Dir = asio::posix::descriptor_base;
  bool timed_out = false;
  boost::system::error_code socket_error;
  if (what == Wait::kReadOrWrite) {
    auto [order, read_ec, write_ec, timer_ec] =
        co_await ex::make_parallel_group(socket_.async_wait(Dir::wait_read, asio::deferred),
                                         socket_.async_wait(Dir::wait_write, asio::deferred),
                                         timer_.async_wait(asio::deferred))
            .async_wait(ex::wait_for_one(), asio::use_awaitable);
    timed_out = order[0] == 2;
    socket_error = order[0] == 0 ? read_ec : write_ec;
  } else {
    const auto direction = what == Wait::kRead ? Dir::wait_read : Dir::wait_write;
    auto [order, socket_ec, timer_ec] =
        co_await ex::make_parallel_group(socket_.async_wait(direction, asio::deferred),
                                         timer_.async_wait(asio::deferred))
            .async_wait(ex::wait_for_one(), asio::use_awaitable);
    timed_out = order[0] == 1;
    socket_error = socket_ec;
  }
  if (timed_out) {
    broken_ = true;
    throw DbError(DbErrorKind::kTimeout, std::string("deadline passed while ") + doing + " " + target_);
  }
  if (socket_error) {
    broken_ = true;
    throw DbError(
        DbErrorKind::kConnection,
        std::string("socket wait failed while ") + doing + " " + target_ + ": " + socket_error.message(),
        "08006");
  }
}

asio::awaitable<PGresult*> Connection::next_result(Deadline deadline) {
  while (PQisBusy(conn_) != 0) {
    co_await wait(Wait::kRead, deadline, "waiting for a result from");
    if (PQconsumeInput(conn_) == 0) fail_connection("lost the connection to");
  }
  co_return PQgetResult(conn_);
}

asio::awaitable<std::vector<Result>> Connection::run(std::span<const Statement> statements,
                                                     Deadline deadline) {
  if (broken_) throw DbError(DbErrorKind::kConnection, "connection to " + target_ + " is broken", "08006");

  // Beyond this many distinct statements per connection, new ones run unnamed: ad-hoc SQL must not grow the
  // server's memory without bound.
  constexpr size_t kMaxPrepared = 256;
  // What the server will answer, in order: a Prepare (statement index, to remember its name) or an Execute.
  struct Expected {
    size_t statement;
    bool is_prepare;
  };
  std::vector<Expected> expected;
  expected.reserve(statements.size() * 2);
  std::vector<std::string> new_names(statements.size());

  std::vector<const char*> values;
  std::vector<int> lengths;
  std::vector<int> formats;
  std::vector<Oid> types;
  std::string sql;
  for (size_t i = 0; i < statements.size(); ++i) {
    const Statement& s = statements[i];
    values.clear();
    lengths.clear();
    formats.clear();
    types.clear();
    if (s.params != nullptr) {
      for (const Param& p : s.params->items()) {
        values.push_back(p.is_null ? nullptr : p.bytes.data());
        lengths.push_back(static_cast<int>(p.bytes.size()));
        formats.push_back(p.binary ? 1 : 0);
        types.push_back(p.type_oid);
      }
    }
    const int n = static_cast<int>(values.size());
    sql.assign(s.sql);  // libpq wants NUL-terminated text
    int sent = 0;
    const std::string* name = nullptr;
    if (prepare_) {
      if (auto it = prepared_.find(sql); it != prepared_.end()) {
        name = &it->second;
      } else if (prepared_.size() < kMaxPrepared) {
        // Two statements of one batch with the same text: the second one waits for the first's Prepare.
        bool pending = false;
        for (size_t j = 0; j < i; ++j)
          pending = pending || (!new_names[j].empty() && statements[j].sql == s.sql);
        if (!pending) {
          new_names[i] = "k" + std::to_string(next_name_++);
          if (PQsendPrepare(conn_, new_names[i].c_str(), sql.c_str(), n, types.data()) != 1) {
            fail_connection("cannot send a statement to");
          }
          expected.push_back({i, true});
          name = &new_names[i];
        }
      }
    }
    if (name != nullptr) {
      sent = PQsendQueryPrepared(conn_, name->c_str(), n, values.data(), lengths.data(), formats.data(), 0);
    } else {
      sent = PQsendQueryParams(conn_, sql.c_str(), n, types.data(), values.data(), lengths.data(),
                               formats.data(), 0);
    }
    if (sent != 1) fail_connection("cannot send a statement to");
    expected.push_back({i, false});
  }
  if (PQpipelineSync(conn_) != 1) fail_connection("cannot send a sync to");

  // Flush; if the server's replies fill our receive buffer meanwhile, read them so neither side blocks.
  for (int pending = PQflush(conn_); pending != 0; pending = PQflush(conn_)) {
    if (pending < 0) fail_connection("cannot send to");
    co_await wait(Wait::kReadOrWrite, deadline, "sending to");
    if (PQconsumeInput(conn_) == 0) fail_connection("lost the connection to");
  }

  std::vector<Result> results;
  results.reserve(statements.size());
  std::optional<DbError> first_error;
  for (const Expected& e : expected) {
    PGresult* first = co_await next_result(deadline);
    if (first == nullptr) fail_connection("protocol out of step with");
    while (PGresult* extra = co_await next_result(deadline)) PQclear(extra);
    Result result(first);
    switch (PQresultStatus(first)) {
      case PGRES_COMMAND_OK:
        if (e.is_prepare) prepared_.emplace(std::string(statements[e.statement].sql), new_names[e.statement]);
        break;
      case PGRES_TUPLES_OK:
      case PGRES_EMPTY_QUERY:
      case PGRES_PIPELINE_ABORTED:
        break;
      case PGRES_FATAL_ERROR:
        if (PQstatus(conn_) == CONNECTION_BAD) fail_connection("lost the connection to");
        if (!first_error) first_error.emplace(server_error(first));
        break;
      default:
        if (!first_error) {
          first_error.emplace(DbErrorKind::kUsage,
                              std::string("unsupported result status ") + PQresStatus(PQresultStatus(first)));
        }
        broken_ = true;  // e.g. COPY: the pool must not reuse this connection
        break;
    }
    if (!e.is_prepare) results.push_back(std::move(result));
  }
  PGresult* sync = co_await next_result(deadline);
  const bool in_step = sync != nullptr && PQresultStatus(sync) == PGRES_PIPELINE_SYNC;
  if (sync != nullptr) PQclear(sync);
  if (!in_step) fail_connection("protocol out of step (no sync) with");
  if (first_error) throw *first_error;
  co_return results;
}

bool Connection::returnable() const {
  return !broken_ && PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) == PQTRANS_IDLE;
}

bool Connection::reusable() {
  if (!returnable()) return false;
  // Nothing should arrive on an idle pooled connection; if something did (typically the error a terminated
  // backend sends before closing), the connection is not worth keeping.
  pollfd p{PQsocket(conn_), POLLIN, 0};
  return ::poll(&p, 1, 0) == 0;
}

}  // namespace kianax::db::detail
