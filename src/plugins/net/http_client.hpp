// Outbound HTTP for plugins, OAuth token exchange and anything else that calls outside services.
//
// Rules this client enforces so callers cannot forget them:
//  - SSRF: every connection (first request and each redirect hop) goes through the AddressPolicy on the
//    address actually being connected to; refused targets never get a socket.
//  - Only http and https, at most `max_redirects` hops (followed here, not by libcurl, so each hop is
//    checked and method/body/credentials are adjusted like fetch does).
//  - Bounded: `timeout` covers the whole exchange including redirects, `deadline` is the caller's hard limit,
//    `stop` cancels, and the body is capped at `max_response_bytes` (after decompression).
//  - Blocking; one call = one libcurl easy handle, so it is safe to call from many threads at once.
#pragma once

#include "plugins/net/address_guard.hpp"

#include <chrono>
#include <cstddef>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

namespace kianax::plugins::net {

inline constexpr std::size_t kDefaultMaxResponseBytes = 10 * 1024 * 1024;

struct HttpHeader {
  std::string name;
  std::string value;
};

struct HttpRequest {
  std::string method = "GET";  // sent as given (upper-case expected)
  std::string url;             // absolute http(s) URL; normalized with normalize_http_url
  std::vector<HttpHeader> headers;
  // Sent when present (for GET/HEAD too — callers decide). No Content-Type is added for it: set one.
  std::optional<std::string> body;
  std::chrono::milliseconds timeout{30'000};
  bool follow_redirects = true;
  int max_redirects = 5;
  // 0 = the process default (KIANAX_HTTP_MAX_RESPONSE_BYTES, else 10 MiB).
  std::size_t max_response_bytes = 0;
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  std::stop_token stop;
};

struct HttpResponse {
  int status = 0;
  std::string status_text;          // the reason phrase (the standard one when the server sent none)
  std::vector<HttpHeader> headers;  // final response's headers, names lower-cased, in arrival order
  std::string body;
  std::string url;  // the URL that produced this response (after redirects)
  int redirects = 0;

  // The header's value, repeated headers joined with ", " (as fetch's Headers.get); nullopt when absent.
  [[nodiscard]] std::optional<std::string> header(std::string_view lower_case_name) const;
};

enum class HttpErrorKind {
  kInvalidRequest,    // bad URL, scheme, header name/value — the request was never sent
  kBlocked,           // the SSRF guard refused every address of the target
  kTimeout,           // `timeout` elapsed
  kDeadline,          // the caller's `deadline` passed
  kCancelled,         // `stop` was requested
  kTooLarge,          // body above max_response_bytes
  kTooManyRedirects,  // more than max_redirects hops
  kNetwork,           // DNS, connect, TLS, protocol errors
};

struct HttpError {
  HttpErrorKind kind = HttpErrorKind::kNetwork;
  std::string message;  // one clear sentence, safe to show users (never contains header values)
};

// Either a response (any status) or an error. `[[nodiscard]]` so a failure cannot be dropped silently.
class [[nodiscard]] HttpResult {
 public:
  HttpResult(HttpResponse response) : response_(std::move(response)) {}
  HttpResult(HttpError error) : error_(std::move(error)) {}
  [[nodiscard]] bool ok() const { return response_.has_value(); }
  [[nodiscard]] const HttpResponse& response() const { return *response_; }  // REQUIRES: ok()
  [[nodiscard]] HttpResponse& response() { return *response_; }              // REQUIRES: ok()
  [[nodiscard]] const HttpError& error() const { return *error_; }           // REQUIRES: !ok()

 private:
  std::optional<HttpResponse> response_;
  std::optional<HttpError> error_;
};

struct ClientOptions {
  AddressPolicy policy = AddressPolicy::from_env();
  std::string user_agent = "kianax";
};

// Performs the request (following redirects when asked). Never throws for network conditions.
[[nodiscard]] HttpResult send(const HttpRequest& request, const ClientOptions& options = {});

// The process-wide default body cap: KIANAX_HTTP_MAX_RESPONSE_BYTES if set to a positive integer, else 10
// MiB.
[[nodiscard]] std::size_t default_max_response_bytes();

// "Not Found" for 404 etc.; "" for codes without a standard phrase.
[[nodiscard]] std::string_view standard_reason_phrase(int status);

}  // namespace kianax::plugins::net
