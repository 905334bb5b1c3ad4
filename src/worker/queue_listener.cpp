#include "worker/queue_listener.hpp"

#include <libpq-fe.h>
#include <poll.h>

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
  PGresult* r = PQexec(conn_, "LISTEN kianax_run_queue");
  const bool ok = r != nullptr && PQresultStatus(r) == PGRES_COMMAND_OK;
  PQclear(r);
  if (!ok) disconnect();
  return ok;
}

bool QueueListener::wait(std::chrono::milliseconds timeout) {
  if (conn_ == nullptr) {
    if (!connect()) {
      std::this_thread::sleep_for(timeout);
      return false;
    }
    return true;  // anything enqueued while we were not listening sent no hint we could see
  }
  auto drain = [this] {
    bool any = false;
    while (PGnotify* n = PQnotifies(conn_)) {
      any = true;
      PQfreemem(n);
    }
    return any;
  };
  if (drain()) return true;
  pollfd fd{PQsocket(conn_), POLLIN, 0};
  const int ready = ::poll(&fd, 1, static_cast<int>(timeout.count()));
  if (ready < 0) return false;  // EINTR: the caller loops
  if (ready == 0) return false;
  if (PQconsumeInput(conn_) == 0) {  // the connection broke: reconnect next time
    disconnect();
    return false;
  }
  return drain();
}

}  // namespace kianax::worker
