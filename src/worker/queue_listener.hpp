#pragma once
// LISTEN kianax_run_queue on a dedicated connection. A notification is only a hint that work may be
// waiting (NOTIFYs are lost while disconnected); the Worker polls with backoff regardless.
#include <chrono>
#include <string>

struct pg_conn;

namespace kianax::worker {

class QueueListener {
 public:
  explicit QueueListener(std::string conninfo) : conninfo_(std::move(conninfo)) {}
  ~QueueListener();
  QueueListener(const QueueListener&) = delete;
  QueueListener& operator=(const QueueListener&) = delete;

  // Waits up to `timeout` for a notification; true when at least one arrived (all pending ones are
  // consumed). Connects (and LISTENs) on demand; on a connection problem returns false after the timeout
  // and reconnects on the next call.
  bool wait(std::chrono::milliseconds timeout);

 private:
  bool connect();
  void disconnect();
  std::string conninfo_;
  pg_conn* conn_ = nullptr;
};

}  // namespace kianax::worker
