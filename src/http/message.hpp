#pragma once
// HTTP request/response values handed between the listener and handlers. Deliberately free of Beast so that
// handlers (auth, api, realtime) compile without the heavy headers; only server.cpp includes Beast.
#include <boost/asio/awaitable.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kianax::http {

using Headers = std::vector<std::pair<std::string, std::string>>;  // names lower-cased on the way in

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // raw request-target: path + optional "?query"
  std::string path;    // target up to '?', still percent-encoded
  std::string query;   // after '?', without it
  Headers headers;
  std::string body;
  std::string remote_address;

  // First header with this (lower-case) name.
  [[nodiscard]] std::optional<std::string_view> header(std::string_view lower_name) const;
};

// A response body produced incrementally (SSE, JSON lines). The listener sends the head with chunked transfer
// encoding and then lets `run` write; `write` returns false once the peer is gone, and `run` should return
// then.
class BodyWriter {
 public:
  virtual ~BodyWriter() = default;
  virtual boost::asio::awaitable<bool> write(std::string_view chunk) = 0;
};

class StreamBody {
 public:
  virtual ~StreamBody() = default;
  virtual boost::asio::awaitable<void> run(BodyWriter& out) = 0;
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  std::shared_ptr<StreamBody> stream;  // when set, `body` is ignored and the body is streamed

  Response& set_header(std::string name, std::string value);
  static Response json(int status, std::string body);
  static Response text(int status, std::string body);
};

using Handler = std::function<boost::asio::awaitable<Response>(Request&)>;

}  // namespace kianax::http
