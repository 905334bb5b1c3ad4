#include "worker/queue_listener.hpp"

#include <libpq-fe.h>
#include <poll.h>

#include <string_view>
#include <thread>

namespace kianax::worker {

QueueListener::~QueueListener() { disconnect(); }

void QueueListener::disconnect() {
  if (conn_ != nullptr) PQfinish(conn_);
  conn_ = nullptr;
}

bool QueueListener::connect() {
  conn_ = PQconnectdb(conninfo_.c_str());
  if (conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK) {
    disconnect();
    return false;
  }
  PGresult* r = PQexec(conn_, "LISTEN kianax_run_queue; LISTEN kianax_run_cancel");
  const bool ok = r != nullptr && PQresultStatus(r) == PGRES_COMMAND_OK;
  PQclear(r);
  if (!ok) disconnect();
  return ok;
}

QueueListener::Hints QueueListener::drain() {
  Hints hints;
  while (PGnotify* n = PQnotifies(conn_)) {
    if (std::string_view(n->relname) == "kianax_run_cancel") {
      hints.cancelled.emplace_back(n->extra);
    } else {
      hints.work = true;
    }
    PQfreemem(n);
  }
  return hints;
}

QueueListener::Hints QueueListener::wait(std::chrono::milliseconds timeout) {
  if (conn_ == nullptr) {
    if (!connect()) {
      std::this_thread::sleep_for(timeout);
      return {};
    }
    return {.work = true};  // anything enqueued while we were not listening sent no hint we could see
  }
  Hints hints = drain();
  if (hints.work || !hints.cancelled.empty()) return hints;
  pollfd fd{PQsocket(conn_), POLLIN, 0};
  const int ready = ::poll(&fd, 1, static_cast<int>(timeout.count()));
  if (ready <= 0) return {};         // timeout, or EINTR: the caller loops
  if (PQconsumeInput(conn_) == 0) {  // the connection broke: reconnect next time
    disconnect();
    return {};
  }
  return drain();
}

}  // namespace kianax::worker
