#pragma once
// LISTEN kianax_run_queue (work may be waiting) and kianax_run_cancel (payload: an execution id whose
// cancel was requested) on a dedicated connection. Notifications are only hints (they are lost while
// disconnected, and anyone may NOTIFY): the Worker polls for work with backoff and checks a cancel in the
// database (heartbeat) before acting on it.
#include <chrono>
#include <string>
#include <vector>

struct pg_conn;

namespace kianax::worker {

class QueueListener {
 public:
  explicit QueueListener(std::string conninfo) : conninfo_(std::move(conninfo)) {}
  ~QueueListener();
  QueueListener(const QueueListener&) = delete;
  QueueListener& operator=(const QueueListener&) = delete;

  struct Hints {
    bool work = false;                   // kianax_run_queue fired (or we just (re)connected)
    std::vector<std::string> cancelled;  // kianax_run_cancel payloads
  };
  // Waits up to `timeout` for notifications and returns all pending ones. Connects (and LISTENs) on
  // demand; on a connection problem returns nothing after the timeout and reconnects on the next call.
  Hints wait(std::chrono::milliseconds timeout);

 private:
  bool connect();
  Hints drain();
  void disconnect();
  std::string conninfo_;
  pg_conn* conn_ = nullptr;
};

}  // namespace kianax::worker
