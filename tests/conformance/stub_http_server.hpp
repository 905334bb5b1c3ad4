// A tiny blocking HTTP/1.1 server on 127.0.0.1 (ephemeral port) for the plugin_unit cases: one thread per
// connection, one request per connection, every request recorded.
#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace kianax::conformance {

struct StubRequest {
  std::string method;
  std::string target;                                        // path + query as sent
  std::vector<std::pair<std::string, std::string>> headers;  // names as sent
  std::string body;
};

struct StubResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  int delay_ms = 0;
};

class StubHttpServer {
 public:
  using Handler = std::function<StubResponse(const StubRequest&)>;
  explicit StubHttpServer(Handler handler);
  ~StubHttpServer();
  StubHttpServer(const StubHttpServer&) = delete;
  StubHttpServer& operator=(const StubHttpServer&) = delete;

  [[nodiscard]] int port() const { return port_; }
  [[nodiscard]] std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  [[nodiscard]] std::vector<StubRequest> requests() const;

 private:
  void accept_loop();
  void serve(int fd);

  Handler handler_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread acceptor_;
  mutable std::mutex mu_;
  std::vector<std::thread> connections_;
  std::vector<StubRequest> requests_;
};

}  // namespace kianax::conformance
