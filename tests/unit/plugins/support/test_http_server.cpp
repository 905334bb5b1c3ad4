#include "support/test_http_server.hpp"

#include "plugins/net/http_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace kianax::plugins::testing {
namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string trim(const std::string& text) {
  const auto begin = text.find_first_not_of(" \t");
  if (begin == std::string::npos) return {};
  const auto end = text.find_last_not_of(" \t\r");
  return text.substr(begin, end - begin + 1);
}

void write_all(int fd, const std::string& data) {
  std::size_t sent = 0;
  while (sent < data.size()) {
    const ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return;  // the client went away (timeout, size cap): nothing to do
    sent += static_cast<std::size_t>(n);
  }
}

// Reads one request (head + Content-Length body). Returns false when the client sent nothing usable.
bool read_request(int fd, RecordedRequest& request) {
  std::string buffer;
  char chunk[8192];
  std::size_t head_end = std::string::npos;
  while ((head_end = buffer.find("\r\n\r\n")) == std::string::npos) {
    const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<std::size_t>(n));
  }
  const std::string head = buffer.substr(0, head_end);
  std::string body = buffer.substr(head_end + 4);

  std::size_t line_end = head.find("\r\n");
  const std::string request_line = head.substr(0, line_end);
  const auto sp1 = request_line.find(' ');
  const auto sp2 = request_line.find(' ', sp1 + 1);
  if (sp1 == std::string::npos || sp2 == std::string::npos) return false;
  request.method = request_line.substr(0, sp1);
  request.target = request_line.substr(sp1 + 1, sp2 - sp1 - 1);

  std::size_t content_length = 0;
  std::size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
  while (pos < head.size()) {
    auto next = head.find("\r\n", pos);
    if (next == std::string::npos) next = head.size();
    const std::string line = head.substr(pos, next - pos);
    pos = next + 2;
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = lower(trim(line.substr(0, colon)));
    std::string value = trim(line.substr(colon + 1));
    if (name == "content-length") content_length = std::stoul(value);
    request.headers.emplace_back(std::move(name), std::move(value));
  }
  while (body.size() < content_length) {
    const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) break;
    body.append(chunk, static_cast<std::size_t>(n));
  }
  request.body = std::move(body);
  return true;
}

std::string echo_body(const RecordedRequest& request) {
  boost::json::object headers;
  for (const auto& [name, value] : request.headers) headers[name] = value;
  boost::json::object echo;
  echo["method"] = request.method;
  echo["url"] = request.target;
  echo["body"] = request.body;
  echo["headers"] = std::move(headers);
  return boost::json::serialize(echo);
}

}  // namespace

std::string RecordedRequest::header(const std::string& lower_case_name) const {
  for (const auto& [name, value] : headers)
    if (name == lower_case_name) return value;
  return {};
}

bool RecordedRequest::has_header(const std::string& lower_case_name) const {
  return std::any_of(headers.begin(), headers.end(),
                     [&](const auto& h) { return h.first == lower_case_name; });
}

TestHttpServer::TestHttpServer() {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) throw std::runtime_error("test server: socket() failed");
  const int yes = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(listen_fd_, 64) != 0) {
    ::close(listen_fd_);
    throw std::runtime_error("test server: bind/listen on 127.0.0.1:0 failed");
  }
  socklen_t length = sizeof address;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length);
  port_ = ntohs(address.sin_port);
  acceptor_ = std::thread([this] { accept_loop(); });
}

TestHttpServer::~TestHttpServer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  acceptor_.join();
  std::vector<std::thread> connections;
  {
    std::lock_guard lock(mutex_);
    connections.swap(connections_);
  }
  for (auto& thread : connections) thread.join();
  ::close(listen_fd_);
}

std::string TestHttpServer::base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

void TestHttpServer::on(const std::string& path, ScriptedResponse response) {
  on_sequence(path, {std::move(response)});
}

void TestHttpServer::on_sequence(const std::string& path, std::vector<ScriptedResponse> responses) {
  std::lock_guard lock(mutex_);
  routes_[path] = std::move(responses);
}

std::vector<RecordedRequest> TestHttpServer::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

std::size_t TestHttpServer::request_count() const {
  std::lock_guard lock(mutex_);
  return requests_.size();
}

std::size_t TestHttpServer::request_count(const std::string& path) const {
  std::lock_guard lock(mutex_);
  const auto it = hits_.find(path);
  return it == hits_.end() ? 0 : it->second;
}

void TestHttpServer::accept_loop() {
  while (!stopping_) {
    pollfd poll_fd{listen_fd_, POLLIN, 0};
    if (::poll(&poll_fd, 1, 20) <= 0) continue;
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    std::lock_guard lock(mutex_);
    connections_.emplace_back([this, fd] {
      serve(fd);
      ::close(fd);
    });
  }
}

ScriptedResponse TestHttpServer::pick(const RecordedRequest& request) {
  const std::string path = request.target.substr(0, request.target.find('?'));
  std::lock_guard lock(mutex_);
  requests_.push_back(request);
  const std::size_t index = hits_[path]++;
  const auto it = routes_.find(path);
  if (it == routes_.end() || it->second.empty()) {
    return ScriptedResponse{404, "Not Found", {{"content-type", "text/plain"}}, "no route for " + path};
  }
  return it->second[std::min(index, it->second.size() - 1)];
}

bool TestHttpServer::wait_or_stop(std::chrono::milliseconds delay) {
  std::unique_lock lock(mutex_);
  return !stop_cv_.wait_for(lock, delay, [this] { return stopping_.load(); });
}

void TestHttpServer::serve(int fd) {
  RecordedRequest request;
  if (!read_request(fd, request)) return;
  ScriptedResponse response = pick(request);
  if (response.delay.count() > 0 && !wait_or_stop(response.delay)) return;
  if (response.echo) {
    response.status = 200;
    response.headers = {{"content-type", "application/json"}};
    response.body = echo_body(request);
  }
  std::string reason = response.reason;
  if (reason.empty()) reason = std::string(net::standard_reason_phrase(response.status));
  std::string out = "HTTP/1.1 " + std::to_string(response.status) + " " + reason + "\r\n";
  for (const auto& [name, value] : response.headers) out += name + ": " + value + "\r\n";
  out += "Content-Length: " + std::to_string(response.body.size()) + "\r\nConnection: close\r\n\r\n";
  if (request.method != "HEAD") out += response.body;
  write_all(fd, out);
}

}  // namespace kianax::plugins::testing
