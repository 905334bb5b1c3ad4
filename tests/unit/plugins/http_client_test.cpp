#include "plugins/net/http_client.hpp"

#include "support/test_http_server.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace kianax::plugins::net {
namespace {

using testing::ScriptedResponse;
using testing::TestHttpServer;
using namespace std::chrono_literals;

ClientOptions allow_private() { return ClientOptions{AddressPolicy{.allow_private = true}}; }

// Only `server` is reachable: every other private address stays refused.
ClientOptions allow_only(const TestHttpServer& server) {
  ClientOptions options{AddressPolicy{}};
  options.policy.allowed_endpoints.push_back({"127.0.0.1", server.port()});
  return options;
}

HttpRequest get(const std::string& url) {
  HttpRequest request;
  request.url = url;
  request.timeout = 5s;
  return request;
}

TEST(HttpClient, sends_method_headers_and_body_and_reads_response) {
  TestHttpServer server;
  server.on("/echo", ScriptedResponse{.echo = true});
  HttpRequest request = get(server.base_url() + "/echo?a=1");
  request.method = "PATCH";
  request.headers = {{"X-Custom", "yes"}, {"Content-Type", "text/plain"}};
  request.body = "payload";
  const HttpResult result = send(request, allow_private());
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result.response().status, 200);
  const auto recorded = server.requests();
  ASSERT_EQ(recorded.size(), 1u);
  EXPECT_EQ(recorded[0].method, "PATCH");
  EXPECT_EQ(recorded[0].target, "/echo?a=1");
  EXPECT_EQ(recorded[0].body, "payload");
  EXPECT_EQ(recorded[0].header("x-custom"), "yes");
  EXPECT_EQ(recorded[0].header("content-type"), "text/plain");
  EXPECT_FALSE(recorded[0].has_header("expect"));
}

TEST(HttpClient, body_without_content_type_gets_none_added) {
  TestHttpServer server;
  server.on("/p", ScriptedResponse{});
  HttpRequest request = get(server.base_url() + "/p");
  request.method = "POST";
  request.body = "a=b";
  ASSERT_TRUE(send(request, allow_private()).ok());
  const auto recorded = server.requests();
  ASSERT_EQ(recorded.size(), 1u);
  EXPECT_FALSE(recorded[0].has_header("content-type"));
  EXPECT_EQ(recorded[0].header("content-length"), "3");
}

TEST(HttpClient, post_without_body_sends_zero_content_length) {
  TestHttpServer server;
  server.on("/p", ScriptedResponse{});
  HttpRequest request = get(server.base_url() + "/p");
  request.method = "POST";
  ASSERT_TRUE(send(request, allow_private()).ok());
  ASSERT_EQ(server.request_count(), 1u);
  EXPECT_EQ(server.requests()[0].header("content-length"), "0");
  EXPECT_FALSE(server.requests()[0].has_header("content-type"));
}

TEST(HttpClient, returns_reason_phrase_and_lower_cased_headers) {
  TestHttpServer server;
  server.on("/t", ScriptedResponse{.status = 418,
                                   .reason = "I'm a teapot",
                                   .headers = {{"X-Mixed-Case", "v1"}, {"X-Mixed-Case", "v2"}},
                                   .body = "short and stout"});
  const HttpResult result = send(get(server.base_url() + "/t"), allow_private());
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result.response().status, 418);
  EXPECT_EQ(result.response().status_text, "I'm a teapot");
  EXPECT_EQ(result.response().body, "short and stout");
  EXPECT_EQ(result.response().header("x-mixed-case"), "v1, v2");
  EXPECT_FALSE(result.response().header("X-Mixed-Case").has_value());
}

TEST(HttpClient, head_reads_no_body) {
  TestHttpServer server;
  server.on("/h", ScriptedResponse{.body = "ignored"});
  HttpRequest request = get(server.base_url() + "/h");
  request.method = "HEAD";
  const HttpResult result = send(request, allow_private());
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result.response().body, "");
  EXPECT_EQ(server.requests().at(0).method, "HEAD");
}

TEST(HttpClient, follows_relative_redirect) {
  TestHttpServer server;
  server.on("/r", ScriptedResponse{.status = 302, .headers = {{"Location", "/ok"}}});
  server.on("/ok", ScriptedResponse{.body = "fine"});
  const HttpResult result = send(get(server.base_url() + "/r"), allow_private());
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result.response().status, 200);
  EXPECT_EQ(result.response().body, "fine");
  EXPECT_EQ(result.response().redirects, 1);
  EXPECT_EQ(result.response().url, server.base_url() + "/ok");
}

TEST(HttpClient, manual_redirect_mode_returns_the_3xx) {
  TestHttpServer server;
  server.on("/r", ScriptedResponse{.status = 302, .headers = {{"Location", "/ok"}}});
  server.on("/ok", ScriptedResponse{.body = "fine"});
  HttpRequest request = get(server.base_url() + "/r");
  request.follow_redirects = false;
  const HttpResult result = send(request, allow_private());
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(result.response().status, 302);
  EXPECT_EQ(result.response().status_text, "Found");
  EXPECT_EQ(server.request_count("/ok"), 0u);
}

TEST(HttpClient, stops_after_max_redirects) {
  TestHttpServer server;
  server.on("/loop", ScriptedResponse{.status = 307, .headers = {{"Location", "/loop"}}});
  HttpRequest request = get(server.base_url() + "/loop");
  request.max_redirects = 3;
  const HttpResult result = send(request, allow_private());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, HttpErrorKind::kTooManyRedirects);
  EXPECT_EQ(result.error().message, "Too many redirects (more than 3)");
  EXPECT_EQ(server.request_count("/loop"), 4u);  // the original request + 3 followed hops
}

TEST(HttpClient, see_other_turns_post_into_get_without_body) {
  TestHttpServer server;
  server.on("/form", ScriptedResponse{.status = 303, .headers = {{"Location", "/done"}}});
  server.on("/done", ScriptedResponse{.body = "ok"});
  HttpRequest request = get(server.base_url() + "/form");
  request.method = "POST";
  request.body = "{}";
  request.headers = {{"Content-Type", "application/json"}};
  ASSERT_TRUE(send(request, allow_private()).ok());
  const auto recorded = server.requests();
  ASSERT_EQ(recorded.size(), 2u);
  EXPECT_EQ(recorded[1].method, "GET");
  EXPECT_EQ(recorded[1].body, "");
  EXPECT_FALSE(recorded[1].has_header("content-type"));
}

TEST(HttpClient, temporary_redirect_keeps_method_and_body) {
  TestHttpServer server;
  server.on("/a", ScriptedResponse{.status = 307, .headers = {{"Location", "/b"}}});
  server.on("/b", ScriptedResponse{});
  HttpRequest request = get(server.base_url() + "/a");
  request.method = "PUT";
  request.body = "data";
  ASSERT_TRUE(send(request, allow_private()).ok());
  const auto recorded = server.requests();
  ASSERT_EQ(recorded.size(), 2u);
  EXPECT_EQ(recorded[1].method, "PUT");
  EXPECT_EQ(recorded[1].body, "data");
}

TEST(HttpClient, cross_origin_redirect_drops_authorization) {
  TestHttpServer target;
  target.on("/land", ScriptedResponse{});
  TestHttpServer origin;
  origin.on("/go", ScriptedResponse{.status = 302, .headers = {{"Location", target.base_url() + "/land"}}});
  HttpRequest request = get(origin.base_url() + "/go");
  request.headers = {{"Authorization", "Bearer secret"}, {"X-Keep", "1"}};
  ASSERT_TRUE(send(request, allow_private()).ok());
  EXPECT_EQ(origin.requests().at(0).header("authorization"), "Bearer secret");
  const auto landed = target.requests();
  ASSERT_EQ(landed.size(), 1u);
  EXPECT_FALSE(landed[0].has_header("authorization"));
  EXPECT_EQ(landed[0].header("x-keep"), "1");
}

TEST(HttpClient, redirect_to_other_scheme_is_refused) {
  TestHttpServer server;
  server.on("/r", ScriptedResponse{.status = 302, .headers = {{"Location", "ftp://127.0.0.1/file"}}});
  const HttpResult result = send(get(server.base_url() + "/r"), allow_private());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, HttpErrorKind::kInvalidRequest);
  EXPECT_EQ(result.error().message, "Invalid redirect target: Unsupported URL scheme 'ftp:'");
}

TEST(HttpClient, times_out) {
  TestHttpServer server;
  server.on("/slow", ScriptedResponse{.body = "late", .delay = 5s});
  HttpRequest request = get(server.base_url() + "/slow");
  request.timeout = 100ms;
  const HttpResult result = send(request, allow_private());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, HttpErrorKind::kTimeout);
  EXPECT_EQ(result.error().message, "Request timed out after 100ms");
}

TEST(HttpClient, caller_deadline_wins_over_a_longer_timeout) {
  TestHttpServer server;
  server.on("/slow", ScriptedResponse{.delay = 5s});
  HttpRequest request = get(server.base_url() + "/slow");
  request.timeout = 60s;
  request.deadline = std::chrono::steady_clock::now() + 100ms;
  const HttpResult result = send(request, allow_private());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, HttpErrorKind::kDeadline);
}

TEST(HttpClient, past_deadline_sends_nothing) {
  TestHttpServer server;
  server.on("/x", ScriptedResponse{});
  HttpRequest request = get(server.base_url() + "/x");
  request.deadline = std::chrono::steady_clock::now() - 1ms;
  const HttpResult result = send(request, allow_private());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, HttpErrorKind::kDeadline);
  EXPECT_EQ(server.request_count(), 0u);
}

TEST(HttpClient, stop_request_cancels_a_transfer_in_flight) {
  TestHttpServer server;
  server.on("/slow", ScriptedResponse{.delay = 30s});
  std::stop_source stop;
  HttpRequest request = get(server.base_url() + "/slow");
  request.timeout = 60s;
  request.stop = stop.get_token();
  std::jthread canceller([&] {
    while (server.request_count() == 0) std::this_thread::sleep_for(5ms);
    stop.request_stop();
  });
  const HttpResult result = send(request, allow_private());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, HttpErrorKind::kCancelled);
  EXPECT_EQ(result.error().message, "Request cancelled");
}

TEST(HttpClient, caps_the_response_size) {
  TestHttpServer server;
  server.on("/big", ScriptedResponse{.body = std::string(4096, 'x')});
  server.on("/fits", ScriptedResponse{.body = std::string(1024, 'y')});
  HttpRequest request = get(server.base_url() + "/big");
  request.max_response_bytes = 1024;
  const HttpResult big = send(request, allow_private());
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().kind, HttpErrorKind::kTooLarge);
  EXPECT_EQ(big.error().message, "Response body exceeds the limit of 1024 bytes");
  request.url = server.base_url() + "/fits";
  const HttpResult fits = send(request, allow_private());
  ASSERT_TRUE(fits.ok()) << fits.error().message;
  EXPECT_EQ(fits.response().body.size(), 1024u);
}

TEST(HttpClient, default_cap_is_ten_mebibytes) {
  TestHttpServer server;
  server.on("/huge", ScriptedResponse{.body = std::string(kDefaultMaxResponseBytes + 1, 'z')});
  const HttpResult result = send(get(server.base_url() + "/huge"), allow_private());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, HttpErrorKind::kTooLarge);
}

TEST(HttpClient, rejects_header_injection_before_sending) {
  TestHttpServer server;
  server.on("/x", ScriptedResponse{});
  HttpRequest request = get(server.base_url() + "/x");
  request.headers = {{"X-Evil", "a\r\nHost: other"}};
  const HttpResult bad_value = send(request, allow_private());
  ASSERT_FALSE(bad_value.ok());
  EXPECT_EQ(bad_value.error().kind, HttpErrorKind::kInvalidRequest);
  EXPECT_EQ(bad_value.error().message, "Invalid value for header 'X-Evil'");
  request.headers = {{"Bad Name", "v"}};
  const HttpResult bad_name = send(request, allow_private());
  ASSERT_FALSE(bad_name.ok());
  EXPECT_EQ(bad_name.error().message, "Invalid header name 'Bad Name'");
  EXPECT_EQ(server.request_count(), 0u);
}

TEST(HttpClient, invalid_url_is_reported_without_sending) {
  const HttpResult result = send(get("not a url"), allow_private());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, HttpErrorKind::kInvalidRequest);
  EXPECT_EQ(result.error().message, "Invalid URL");
}

TEST(HttpClient, connection_refused_is_a_network_error) {
  std::uint16_t closed_port = 0;
  {
    TestHttpServer server;  // grab a free port, then close it
    closed_port = server.port();
  }
  const HttpResult result =
      send(get("http://127.0.0.1:" + std::to_string(closed_port) + "/"), allow_private());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, HttpErrorKind::kNetwork);
  EXPECT_FALSE(result.error().message.empty());
}

TEST(HttpClient, concurrent_requests_from_many_threads_all_complete) {
  TestHttpServer server;
  server.on("/echo", ScriptedResponse{.echo = true});
  constexpr int kThreads = 8;
  constexpr int kPerThread = 10;
  std::atomic<int> ok{0};
  {
    std::vector<std::jthread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kPerThread; ++i) {
          HttpRequest request =
              get(server.base_url() + "/echo?t=" + std::to_string(t) + "&i=" + std::to_string(i));
          const HttpResult result = send(request, allow_private());
          const std::string expected = "/echo?t=" + std::to_string(t) + "&i=" + std::to_string(i);
          if (result.ok() && result.response().body.find(expected) != std::string::npos) ++ok;
        }
      });
    }
  }
  EXPECT_EQ(ok.load(), kThreads * kPerThread);
  EXPECT_EQ(server.request_count("/echo"), static_cast<std::size_t>(kThreads * kPerThread));
}

// --- SSRF guard, end to end -------------------------------------------------------------------------

TEST(HttpClientSsrf, refuses_loopback_server_by_default) {
  TestHttpServer server;
  server.on("/x", ScriptedResponse{});
  const HttpResult result = send(get(server.base_url() + "/x"), ClientOptions{AddressPolicy{}});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, HttpErrorKind::kBlocked);
  EXPECT_NE(result.error().message.find("Refusing to connect to 127.0.0.1"), std::string::npos);
  EXPECT_EQ(server.request_count(), 0u);
}

TEST(HttpClientSsrf, refuses_private_metadata_and_special_targets_without_connecting) {
  // Non-routable on this machine: the guard must refuse before a socket exists, or these would time out.
  for (const char* url :
       {"http://10.0.0.1/", "http://169.254.169.254/latest/meta-data/", "http://192.168.1.1/",
        "http://172.16.0.1/", "http://100.64.0.1/", "http://0.0.0.0/", "http://[::1]/",
        "http://[::ffff:127.0.0.1]/", "http://[::ffff:a9fe:a9fe]/", "http://[fe80::1]/", "http://[fd00::1]/",
        "http://localhost/", "http://2130706433/", "http://0x7f.1/"}) {
    HttpRequest request = get(url);
    request.timeout = 3s;
    const HttpResult result = send(request, ClientOptions{AddressPolicy{}});
    ASSERT_FALSE(result.ok()) << url;
    EXPECT_EQ(result.error().kind, HttpErrorKind::kBlocked) << url << ": " << result.error().message;
  }
}

TEST(HttpClientSsrf, allow_private_env_lets_loopback_through) {
  TestHttpServer server;
  server.on("/x", ScriptedResponse{.body = "hi"});
  ::setenv("KIANAX_HTTP_ALLOW_PRIVATE", "1", 1);
  const HttpResult allowed = send(get(server.base_url() + "/x"));
  ::setenv("KIANAX_HTTP_ALLOW_PRIVATE", "0", 1);
  const HttpResult refused = send(get(server.base_url() + "/x"));
  ::unsetenv("KIANAX_HTTP_ALLOW_PRIVATE");
  ASSERT_TRUE(allowed.ok()) << allowed.error().message;
  EXPECT_EQ(allowed.response().body, "hi");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, HttpErrorKind::kBlocked);
  EXPECT_EQ(server.request_count(), 1u);
}

TEST(HttpClientSsrf, redirect_from_allowed_host_to_private_host_is_refused) {
  TestHttpServer internal;
  internal.on("/secret", ScriptedResponse{.body = "internal data"});
  TestHttpServer allowed;
  allowed.on("/go",
             ScriptedResponse{.status = 302, .headers = {{"Location", internal.base_url() + "/secret"}}});
  const HttpResult result = send(get(allowed.base_url() + "/go"), allow_only(allowed));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, HttpErrorKind::kBlocked);
  EXPECT_EQ(allowed.request_count(), 1u);
  EXPECT_EQ(internal.request_count(), 0u);
}

TEST(HttpClientSsrf, redirect_to_cloud_metadata_is_refused) {
  TestHttpServer allowed;
  allowed.on("/go", ScriptedResponse{.status = 301,
                                     .headers = {{"Location", "http://169.254.169.254/latest/meta-data/"}}});
  const HttpResult result = send(get(allowed.base_url() + "/go"), allow_only(allowed));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, HttpErrorKind::kBlocked);
  EXPECT_NE(result.error().message.find("169.254.169.254"), std::string::npos);
}

}  // namespace
}  // namespace kianax::plugins::net
