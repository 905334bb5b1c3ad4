// A real HTTP/1.1 server on 127.0.0.1, port 0, for plugin tests: it records every request and answers with
// scripted responses (status, headers, body, delay, redirects, big bodies, or an echo of the request).
// One thread accepts; each connection gets its own thread and is closed after one response. Delays wait on
// a condition variable, so destroying the server never waits for a scripted delay to run out.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace kianax::plugins::testing {

struct RecordedRequest {
  std::string method;
  std::string target;                                        // path and query as sent
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;

  // The first value of a header ("" when absent).
  [[nodiscard]] std::string header(const std::string& lower_case_name) const;
  [[nodiscard]] bool has_header(const std::string& lower_case_name) const;
};

struct ScriptedResponse {
  int status = 200;
  std::string reason;  // "" → the standard phrase
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds delay{0};  // before the status line is written
  // Replies 200 application/json {method, url, body, headers: {lower-case name: value}}.
  bool echo = false;
};

class TestHttpServer {
 public:
  TestHttpServer();
  ~TestHttpServer();
  TestHttpServer(const TestHttpServer&) = delete;
  TestHttpServer& operator=(const TestHttpServer&) = delete;

  [[nodiscard]] std::uint16_t port() const { return port_; }
  [[nodiscard]] std::string base_url() const;  // "http://127.0.0.1:<port>"

  // Every request to `path` (query ignored) gets `response`.
  void on(const std::string& path, ScriptedResponse response);
  // The k-th request to `path` gets responses[k]; the last one repeats.
  void on_sequence(const std::string& path, std::vector<ScriptedResponse> responses);

  [[nodiscard]] std::vector<RecordedRequest> requests() const;
  [[nodiscard]] std::size_t request_count() const;
  [[nodiscard]] std::size_t request_count(const std::string& path) const;

 private:
  void accept_loop();
  void serve(int fd);
  ScriptedResponse pick(const RecordedRequest& request);
  bool wait_or_stop(std::chrono::milliseconds delay);

  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mutex_;
  std::condition_variable stop_cv_;
  std::map<std::string, std::vector<ScriptedResponse>> routes_;
  std::map<std::string, std::size_t> hits_;
  std::vector<RecordedRequest> requests_;
  std::vector<std::thread> connections_;
  std::thread acceptor_;
};

}  // namespace kianax::plugins::testing
