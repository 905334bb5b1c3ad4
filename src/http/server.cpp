#include "http/server.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace kianax::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

struct Server::Impl : std::enable_shared_from_this<Server::Impl> {
  asio::io_context& io;
  const Router& router;
  ServerOptions options;
  tcp::acceptor acceptor;
  std::atomic<int> active{0};

  Impl(asio::io_context& io_, const Router& router_, ServerOptions options_)
      : io(io_), router(router_), options(std::move(options_)), acceptor(io_) {}

  asio::awaitable<void> accept_loop();
  asio::awaitable<void> session(tcp::socket socket);
};

namespace {

Request to_request(bhttp::request<bhttp::string_body>& in, const tcp::socket& socket) {
  Request r;
  r.method = std::string(in.method_string());
  r.target = std::string(in.target());
  auto q = r.target.find('?');
  r.path = r.target.substr(0, q);
  if (q != std::string::npos) r.query = r.target.substr(q + 1);
  for (const auto& field : in) {
    std::string name(field.name_string());
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    r.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  r.body = std::move(in.body());
  boost::system::error_code ec;
  auto ep = socket.remote_endpoint(ec);
  if (!ec) r.remote_address = ep.address().to_string();
  return r;
}

// Writes chunks of a streamed body with HTTP/1.1 chunked encoding.
class ChunkWriter final : public BodyWriter {
 public:
  explicit ChunkWriter(beast::tcp_stream& stream) : stream_(stream) {}
  asio::awaitable<bool> write(std::string_view chunk) override {
    if (failed_ || chunk.empty()) co_return !failed_;
    auto [ec, n] = co_await asio::async_write(
        stream_, bhttp::make_chunk(asio::const_buffer(chunk.data(), chunk.size())), use_tuple);
    (void)n;
    if (ec) failed_ = true;
    co_return !failed_;
  }
  asio::awaitable<void> finish() {
    if (failed_) co_return;
    co_await asio::async_write(stream_, bhttp::make_chunk_last(), use_tuple);
  }

 private:
  beast::tcp_stream& stream_;
  bool failed_ = false;
};

std::string json_error(std::string_view message) {
  return std::string(R"({"error":")") + std::string(message) + "\"}";
}

}  // namespace

asio::awaitable<void> Server::Impl::accept_loop() {
  auto self = shared_from_this();
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(io), use_tuple);
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
      spdlog::warn("http: accept failed: {}", ec.message());
      continue;
    }
    auto executor = socket.get_executor();
    asio::co_spawn(executor, session(std::move(socket)), asio::detached);
  }
}

asio::awaitable<void> Server::Impl::session(tcp::socket socket) {
  auto self = shared_from_this();
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  for (;;) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.body_limit(options.body_limit);
    stream.expires_after(options.idle_timeout);
    auto [ec, n] = co_await bhttp::async_read(stream, buffer, parser, use_tuple);
    (void)n;
    if (ec) {
      if (ec == bhttp::error::body_limit) {
        bhttp::response<bhttp::string_body> res{bhttp::status::payload_too_large, 11};
        res.set(bhttp::field::content_type, "application/json");
        res.set(bhttp::field::connection, "close");
        res.body() = json_error("request body too large");
        res.prepare_payload();
        co_await bhttp::async_write(stream, res, use_tuple);
      } else if (ec != bhttp::error::end_of_stream && ec != beast::error::timeout &&
                 ec != asio::error::connection_reset && ec != asio::error::eof &&
                 ec != asio::error::operation_aborted) {
        bhttp::response<bhttp::string_body> res{bhttp::status::bad_request, 11};
        res.set(bhttp::field::content_type, "application/json");
        res.set(bhttp::field::connection, "close");
        res.body() = json_error("malformed HTTP request");
        res.prepare_payload();
        co_await bhttp::async_write(stream, res, use_tuple);
      }
      break;
    }
    auto& in = parser.get();
    const bool keep_alive = in.keep_alive();
    const unsigned version = in.version();
    Request req = to_request(in, stream.socket());

    Response resp;
    bool path_known = false;
    const Handler* handler = router.find(req.method, req.path, path_known);
    if (handler == nullptr) {
      resp =
          Response::json(path_known ? 405 : 404, json_error(path_known ? "method not allowed" : "not found"));
    } else {
      ++active;
      try {
        resp = co_await (*handler)(req);
      } catch (const std::exception& e) {
        spdlog::error("http: handler for {} {} threw: {}", req.method, req.path, e.what());
        resp = Response::json(500, json_error("internal server error"));
      }
      --active;
    }

    if (resp.stream) {
      bhttp::response<bhttp::empty_body> head{static_cast<bhttp::status>(resp.status), version};
      for (const auto& [name, value] : resp.headers) head.insert(name, value);  // repeats kept (Set-Cookie)
      head.chunked(true);
      head.keep_alive(false);
      bhttp::response_serializer<bhttp::empty_body> sr{head};
      stream.expires_never();
      auto [wec, wn] = co_await bhttp::async_write_header(stream, sr, use_tuple);
      (void)wn;
      if (!wec) {
        ChunkWriter writer(stream);
        ++active;
        try {
          co_await resp.stream->run(writer);
        } catch (const std::exception& e) {
          spdlog::error("http: stream for {} {} threw: {}", req.method, req.path, e.what());
        }
        --active;
        co_await writer.finish();
      }
      break;
    }

    bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(resp.status), version};
    for (const auto& [name, value] : resp.headers) res.insert(name, value);  // repeats kept (Set-Cookie)
    res.body() = std::move(resp.body);
    res.keep_alive(keep_alive && acceptor.is_open());
    res.prepare_payload();
    auto [wec, wn] = co_await bhttp::async_write(stream, res, use_tuple);
    (void)wn;
    if (wec || !res.keep_alive()) break;
  }
  boost::system::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

Server::Server(asio::io_context& io, const Router& router, ServerOptions options)
    : impl_(std::make_shared<Impl>(io, router, std::move(options))) {}

Server::~Server() { stop(); }

std::uint16_t Server::listen() {
  boost::system::error_code ec;
  auto address = asio::ip::make_address(impl_->options.host, ec);
  if (ec) throw std::runtime_error("HOST='" + impl_->options.host + "' is not an IP address");
  tcp::endpoint endpoint(address, impl_->options.port);
  auto& acceptor = impl_->acceptor;
  const std::string where = impl_->options.host + ":" + std::to_string(impl_->options.port);
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) throw std::runtime_error("cannot listen on " + where + ": " + ec.message());
  asio::co_spawn(impl_->io, impl_->accept_loop(), asio::detached);
  return acceptor.local_endpoint().port();
}

void Server::stop() {
  if (!impl_) return;
  // Closing from any thread: post to the acceptor's executor so it does not race the accept loop.
  auto impl = impl_;
  asio::post(impl->io, [impl] {
    boost::system::error_code ec;
    impl->acceptor.close(ec);
  });
}

int Server::active_requests() const { return impl_->active.load(); }

}  // namespace kianax::http
