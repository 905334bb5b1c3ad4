// A handler's repeated header entries (several Set-Cookie lines) reach the client as repeated header
// lines; set_header still replaces. Real listener on an ephemeral loopback port, libcurl as the client.
#include <curl/curl.h>
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include <string>
#include <thread>
#include <vector>

#include "http/router.hpp"
#include "http/server.hpp"

namespace {

using namespace kianax;

std::size_t collect_header(char* data, std::size_t size, std::size_t n, void* out) {
  static_cast<std::vector<std::string>*>(out)->emplace_back(data, size * n);
  return size * n;
}

TEST(HttpServerHeaders, RepeatedHeadersAreAllSentAndSetHeaderReplaces) {
  http::Router router;
  router.add("GET", "/cookies", [](http::Request&) -> boost::asio::awaitable<http::Response> {
    auto r = http::Response::json(200, "{}");
    r.headers.emplace_back("set-cookie", "a=1; Path=/");
    r.headers.emplace_back("set-cookie", "b=2; Path=/");
    r.set_header("x-kind", "first");
    r.set_header("x-kind", "second");
    co_return r;
  });
  boost::asio::io_context io;
  http::Server server(io, router, http::ServerOptions{.host = "127.0.0.1", .port = 0});
  const auto port = server.listen();
  std::thread loop([&io] { io.run(); });

  std::vector<std::string> headers;
  CURL* curl = curl_easy_init();
  ASSERT_NE(curl, nullptr);
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/cookies";
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, collect_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &headers);
  curl_easy_setopt(
      curl, CURLOPT_WRITEFUNCTION, +[](char*, std::size_t s, std::size_t n, void*) { return s * n; });
  const CURLcode rc = curl_easy_perform(curl);
  curl_easy_cleanup(curl);
  server.stop();
  io.stop();
  loop.join();
  ASSERT_EQ(rc, CURLE_OK);

  int cookies = 0, kinds = 0;
  for (const auto& h : headers) {
    if (h.rfind("set-cookie: ", 0) == 0 || h.rfind("Set-Cookie: ", 0) == 0) ++cookies;
    if (h.find("x-kind: second") != std::string::npos || h.find("X-Kind: second") != std::string::npos)
      ++kinds;
    EXPECT_EQ(h.find("first"), std::string::npos) << h;
  }
  EXPECT_EQ(cookies, 2);
  EXPECT_EQ(kinds, 1);
}

}  // namespace
