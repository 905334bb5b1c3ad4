#pragma once
// The HTTP/1.1 listener: Beast + C++20 coroutines, one strand per connection, any number of io threads.
// Invariants: a handler exception becomes a 500 JSON body and a log line (it is a bug, never expected input);
// request bodies above `body_limit` get 413 without reaching a handler; streamed responses (SSE) stop as soon
// as the peer goes away.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "http/router.hpp"

namespace boost::asio {
class io_context;
}

namespace kianax::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 3000;  // 0 = an ephemeral port (tests), read back from listen()
  std::size_t body_limit = 10 * 1024 * 1024;
  std::chrono::seconds idle_timeout{75};
};

class Server {
 public:
  Server(boost::asio::io_context& io, const Router& router, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and starts accepting. Returns the bound port. Throws std::runtime_error naming host:port on
  // failure.
  std::uint16_t listen();
  // Stops accepting; open connections finish their current request.
  void stop();
  // Requests currently inside a handler (for graceful shutdown).
  [[nodiscard]] int active_requests() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace kianax::http
