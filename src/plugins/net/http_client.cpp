#include "plugins/net/http_client.hpp"

#include "plugins/net/url.hpp"

#include <curl/curl.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <memory>
#include <mutex>

namespace kianax::plugins::net {
namespace {

using Clock = std::chrono::steady_clock;

void ensure_curl_initialized() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool iequals(std::string_view a, std::string_view b) { return lower(a) == lower(b); }

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() &&
         (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' || text.back() == '\n'))
    text.remove_suffix(1);
  return text;
}

// RFC 9110 token characters; anything else in a header name could split or smuggle a request.
bool valid_header_name(std::string_view name) {
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return std::isalnum(c) ||
           std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
  });
}

bool valid_header_value(std::string_view value) {
  return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

// State one libcurl transfer (one hop) shares with its callbacks.
struct Transfer {
  const AddressPolicy* policy = nullptr;
  const std::stop_token* stop = nullptr;
  Clock::time_point deadline;
  std::size_t cap = 0;

  std::string blocked_message;  // the first refusal of the SSRF guard
  bool too_large = false;
  bool cancelled = false;
  bool deadline_hit = false;

  int status = 0;
  std::string reason;
  std::vector<HttpHeader> headers;
  std::string body;
};

curl_socket_t open_socket(void* clientp, curlsocktype purpose, curl_sockaddr* address) {
  auto* transfer = static_cast<Transfer*>(clientp);
  if (purpose != CURLSOCKTYPE_IPCXN) return CURL_SOCKET_BAD;
  if (auto refused = refusal(*transfer->policy, &address->addr)) {
    if (transfer->blocked_message.empty()) transfer->blocked_message = *refused;
    return CURL_SOCKET_BAD;
  }
  return ::socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* userp) {
  auto* transfer = static_cast<Transfer*>(userp);
  const std::size_t bytes = size * count;
  std::string_view line(data, bytes);
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
  if (line.rfind("HTTP/", 0) == 0) {
    // A new status line (after a 1xx, or the only one): start over.
    transfer->headers.clear();
    transfer->reason.clear();
    const auto first_space = line.find(' ');
    if (first_space != std::string_view::npos) {
      std::string_view rest = line.substr(first_space + 1);
      transfer->status = std::atoi(std::string(rest.substr(0, 3)).c_str());
      if (rest.size() > 4) transfer->reason = std::string(trim(rest.substr(4)));
    }
  } else if (!line.empty() && (line.front() == ' ' || line.front() == '\t')) {
    if (!transfer->headers.empty()) transfer->headers.back().value += " " + std::string(trim(line));
  } else if (const auto colon = line.find(':'); colon != std::string_view::npos) {
    transfer->headers.push_back(
        {lower(trim(line.substr(0, colon))), std::string(trim(line.substr(colon + 1)))});
  }
  return bytes;
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* userp) {
  auto* transfer = static_cast<Transfer*>(userp);
  const std::size_t bytes = size * count;
  if (transfer->body.size() + bytes > transfer->cap) {
    transfer->too_large = true;
    return 0;  // makes libcurl stop with CURLE_WRITE_ERROR
  }
  transfer->body.append(data, bytes);
  return bytes;
}

// libcurl calls this at least about once a second, also while waiting for data: the cancellation point.
int on_progress(void* clientp, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* transfer = static_cast<Transfer*>(clientp);
  if (transfer->stop->stop_requested()) {
    transfer->cancelled = true;
    return 1;
  }
  if (Clock::now() >= transfer->deadline) {
    transfer->deadline_hit = true;
    return 1;
  }
  return 0;
}

struct CurlDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

bool has_header(const std::vector<HttpHeader>& headers, std::string_view name) {
  return std::any_of(headers.begin(), headers.end(),
                     [&](const HttpHeader& h) { return iequals(h.name, name); });
}

void remove_header(std::vector<HttpHeader>& headers, std::string_view name) {
  std::erase_if(headers, [&](const HttpHeader& h) { return iequals(h.name, name); });
}

struct Hop {
  std::string url;
  std::string method;
  std::vector<HttpHeader> headers;
  std::optional<std::string> body;
};

std::string timeout_message(std::chrono::milliseconds timeout) {
  return "Request timed out after " + std::to_string(timeout.count()) + "ms";
}

// One request/response exchange without redirects.
HttpResult perform(const Hop& hop, const HttpRequest& request, const ClientOptions& options,
                   Clock::time_point attempt_end, std::size_t cap) {
  const Clock::time_point now = Clock::now();
  const bool deadline_binds = request.deadline <= attempt_end;
  const Clock::time_point limit = deadline_binds ? request.deadline : attempt_end;
  if (request.stop.stop_requested()) return HttpError{HttpErrorKind::kCancelled, "Request cancelled"};
  if (now >= limit) {
    if (deadline_binds) return HttpError{HttpErrorKind::kDeadline, "Execution deadline exceeded"};
    return HttpError{HttpErrorKind::kTimeout, timeout_message(request.timeout)};
  }
  const auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(limit - now);

  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) return HttpError{HttpErrorKind::kNetwork, "Could not create an HTTP client handle"};
  CURL* h = curl.get();

  Transfer transfer;
  transfer.policy = &options.policy;
  transfer.stop = &request.stop;
  transfer.deadline = request.deadline;
  transfer.cap = cap;

  curl_slist* raw_list = nullptr;
  auto append = [&](const std::string& line) { raw_list = curl_slist_append(raw_list, line.c_str()); };
  for (const auto& header : hop.headers) {
    // "Name;" is libcurl's spelling of a header with an empty value.
    append(header.value.empty() ? header.name + ";" : header.name + ": " + header.value);
  }
  append("Expect:");  // no 100-continue round trip for large bodies
  // libcurl would label any POSTFIELDS as a form; only the caller decides the content type.
  const bool sends_length = hop.body || hop.method == "POST" || hop.method == "PUT" || hop.method == "PATCH";
  if (sends_length && !has_header(hop.headers, "content-type")) append("Content-Type:");
  std::unique_ptr<curl_slist, SlistDeleter> header_list(raw_list);

  char error_buffer[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(h, CURLOPT_URL, hop.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  // Environment proxies would make the guard check the proxy's address instead of the target's.
  curl_easy_setopt(h, CURLOPT_PROXY, "");
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(std::max<std::int64_t>(1, remaining.count())));
  curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, open_socket);
  curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, &transfer);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &transfer);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(h, CURLOPT_XFERINFODATA, &transfer);
  curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(cap));
  curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");  // decoded bytes count against the cap
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, header_list.get());
  if (!has_header(hop.headers, "user-agent"))
    curl_easy_setopt(h, CURLOPT_USERAGENT, options.user_agent.c_str());

  if (hop.method == "HEAD") {
    curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
  } else if (hop.method == "GET" && !hop.body) {
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
  } else {
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, hop.method.c_str());
    const bool sends_length =
        hop.body || hop.method == "POST" || hop.method == "PUT" || hop.method == "PATCH";
    if (sends_length) {
      const std::string& body = hop.body ? *hop.body : std::string();
      curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
      curl_easy_setopt(h, CURLOPT_COPYPOSTFIELDS, body.c_str());
    }
  }

  const CURLcode code = curl_easy_perform(h);
  if (code != CURLE_OK) {
    if (transfer.too_large || code == CURLE_FILESIZE_EXCEEDED) {
      return HttpError{HttpErrorKind::kTooLarge,
                       "Response body exceeds the limit of " + std::to_string(cap) + " bytes"};
    }
    if (transfer.cancelled) return HttpError{HttpErrorKind::kCancelled, "Request cancelled"};
    if (transfer.deadline_hit || (code == CURLE_OPERATION_TIMEDOUT && deadline_binds)) {
      return HttpError{HttpErrorKind::kDeadline, "Execution deadline exceeded"};
    }
    if (code == CURLE_OPERATION_TIMEDOUT)
      return HttpError{HttpErrorKind::kTimeout, timeout_message(request.timeout)};
    if (!transfer.blocked_message.empty())
      return HttpError{HttpErrorKind::kBlocked, transfer.blocked_message};
    if (code == CURLE_URL_MALFORMAT || code == CURLE_UNSUPPORTED_PROTOCOL) {
      return HttpError{HttpErrorKind::kInvalidRequest, "Invalid URL"};
    }
    std::string message = curl_easy_strerror(code);
    if (error_buffer[0] != '\0') message += ": " + std::string(error_buffer);
    return HttpError{HttpErrorKind::kNetwork, message};
  }

  HttpResponse response;
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  response.status = static_cast<int>(status);
  response.status_text = transfer.reason;
  if (response.status_text.empty())
    response.status_text = std::string(standard_reason_phrase(response.status));
  response.headers = std::move(transfer.headers);
  response.body = std::move(transfer.body);
  response.url = hop.url;
  return response;
}

bool is_redirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

}  // namespace

std::optional<std::string> HttpResponse::header(std::string_view lower_case_name) const {
  std::optional<std::string> value;
  for (const auto& h : headers) {
    if (h.name != lower_case_name) continue;
    if (value) {
      *value += ", " + h.value;
    } else {
      value = h.value;
    }
  }
  return value;
}

std::size_t default_max_response_bytes() {
  static const std::size_t value = [] {
    if (const char* text = std::getenv("KIANAX_HTTP_MAX_RESPONSE_BYTES")) {
      char* end = nullptr;
      const unsigned long long parsed = std::strtoull(text, &end, 10);
      if (end != text && *end == '\0' && parsed > 0) return static_cast<std::size_t>(parsed);
    }
    return kDefaultMaxResponseBytes;
  }();
  return value;
}

HttpResult send(const HttpRequest& request, const ClientOptions& options) {
  ensure_curl_initialized();
  const UrlResult url = normalize_http_url(request.url);
  if (!url.ok()) return HttpError{HttpErrorKind::kInvalidRequest, url.error};
  for (const auto& header : request.headers) {
    if (!valid_header_name(header.name)) {
      return HttpError{HttpErrorKind::kInvalidRequest, "Invalid header name '" + header.name + "'"};
    }
    if (!valid_header_value(header.value)) {
      return HttpError{HttpErrorKind::kInvalidRequest, "Invalid value for header '" + header.name + "'"};
    }
  }
  const std::size_t cap =
      request.max_response_bytes > 0 ? request.max_response_bytes : default_max_response_bytes();
  const Clock::time_point attempt_end = Clock::now() + request.timeout;

  Hop hop{url.url, request.method, request.headers, request.body};
  for (int redirects = 0;; ++redirects) {
    HttpResult result = perform(hop, request, options, attempt_end, cap);
    if (!result.ok()) return result;
    HttpResponse& response = result.response();
    response.redirects = redirects;
    if (!request.follow_redirects || !is_redirect(response.status)) return result;
    const auto location = response.header("location");
    if (!location) return result;
    if (redirects >= request.max_redirects) {
      return HttpError{HttpErrorKind::kTooManyRedirects,
                       "Too many redirects (more than " + std::to_string(request.max_redirects) + ")"};
    }
    const UrlResult next = resolve_redirect(hop.url, *location);
    if (!next.ok())
      return HttpError{HttpErrorKind::kInvalidRequest, "Invalid redirect target: " + next.error};
    // Method and body rewriting as fetch does: 303 becomes GET, and so does a POST answered by 301/302.
    const bool to_get = (response.status == 303 && hop.method != "HEAD") ||
                        ((response.status == 301 || response.status == 302) && hop.method == "POST");
    if (to_get) {
      hop.method = "GET";
      hop.body.reset();
      for (auto name :
           {"content-type", "content-length", "content-encoding", "content-language", "content-location"}) {
        remove_header(hop.headers, name);
      }
    }
    // Credentials never follow a redirect to another origin.
    if (url_origin(next.url) != url_origin(hop.url)) {
      for (auto name : {"authorization", "cookie", "proxy-authorization"}) remove_header(hop.headers, name);
    }
    hop.url = next.url;
  }
}

std::string_view standard_reason_phrase(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 101:
      return "Switching Protocols";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 203:
      return "Non-Authoritative Information";
    case 204:
      return "No Content";
    case 205:
      return "Reset Content";
    case 206:
      return "Partial Content";
    case 300:
      return "Multiple Choices";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 304:
      return "Not Modified";
    case 307:
      return "Temporary Redirect";
    case 308:
      return "Permanent Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 402:
      return "Payment Required";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 406:
      return "Not Acceptable";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 411:
      return "Length Required";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Payload Too Large";
    case 414:
      return "URI Too Long";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Entity";
    case 425:
      return "Too Early";
    case 428:
      return "Precondition Required";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return "";
  }
}

}  // namespace kianax::plugins::net
