#include "plugins/http_request/http_request_plugin.hpp"

#include "engine/js_value.hpp"
#include "plugins/http_request/http_request_config.hpp"
#include "plugins/net/http_client.hpp"
#include "plugins/net/plugin_io.hpp"
#include "plugins/net/url.hpp"

#include <algorithm>
#include <cctype>
#include <map>

namespace kianax::plugins {
namespace {

using http_request::RequestConfig;

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(),
                    [](unsigned char x, unsigned char y) { return std::tolower(x) == std::tolower(y); });
}

void set_header(std::vector<net::HttpHeader>& headers, const std::string& name, const std::string& value) {
  std::erase_if(headers, [&](const net::HttpHeader& h) { return iequals(h.name, name); });
  headers.push_back({name, value});
}

bool has_header(const std::vector<net::HttpHeader>& headers, std::string_view name) {
  return std::any_of(headers.begin(), headers.end(), [&](const auto& h) { return iequals(h.name, name); });
}

engine::PluginOutputs error_port(boost::json::object error) {
  return {{"error", boost::json::value(std::move(error))}};
}

// The final error after the attempts ran out (or a failure that is not worth retrying).
engine::PluginOutputs failed(bool timed_out, const std::string& message, std::chrono::milliseconds timeout) {
  boost::json::object error;
  error["status"] = 0;
  error["statusText"] = timed_out ? "Timeout" : "Error";
  error["message"] = timed_out ? "Request timed out after " + std::to_string(timeout.count()) + "ms"
                               : "Request failed: " + message;
  return error_port(std::move(error));
}

// What a single attempt produced when it did not end the plugin call.
struct AttemptFailure {
  bool timed_out = false;
  std::string message;
};

// A 2xx or 4xx response ends the call with `outputs`; anything else (other statuses, a JSON body that does
// not parse) is retried, with `retry_reason` as the message if it was the last attempt.
struct Finished {
  std::optional<engine::PluginOutputs> outputs;
  std::string retry_reason;
};

Finished finish(const net::HttpResponse& response);

class HttpRequestPlugin final : public engine::Plugin {
 public:
  HttpRequestPlugin() {
    metadata_.id = "http-request";
    metadata_.name = "HTTP Request";
    metadata_.description =
        "Calls any HTTP API or webhook (GET, POST, PUT, DELETE, PATCH, HEAD) with headers, query parameters, "
        "a "
        "body, a timeout and retries; routes to 'success' on 2xx and to 'error' otherwise.";
    metadata_.version = "1.0.0";
    metadata_.tags = {"action", "http", "api", "webhook", "integration"};
    metadata_.icon = "globe";
    metadata_.author = "Kianax";
    metadata_.inputs = {{"input", "Input", "Only orders execution; the request comes from the config", {}}};
    metadata_.outputs = {
        {"success", "Success", "2xx response: {status, statusText, data, headers}", boost::json::object{}},
        {"error", "Error",
         "4xx response, or failure after all attempts: {status, statusText, message, data?}",
         boost::json::object{}}};
    metadata_.config_schema = http_request::config_schema();
  }

  const engine::PluginMetadata& metadata() const override { return metadata_; }

  engine::PluginOutputs execute(const boost::json::object& /*inputs*/, const boost::json::object& raw_config,
                                engine::PluginContext& context) const override {
    const RequestConfig config = http_request::read_config(raw_config);

    const net::UrlResult parsed =
        config.url ? net::normalize_http_url(*config.url) : net::UrlResult{{}, "Invalid URL"};
    if (!parsed.ok()) return failed(false, parsed.error, config.timeout);
    static constexpr std::string_view kMethods[] = {"GET",   "POST", "PUT",    "DELETE",
                                                    "PATCH", "HEAD", "OPTIONS"};
    if (std::find(std::begin(kMethods), std::end(kMethods), config.method) == std::end(kMethods)) {
      return failed(false, "Unsupported HTTP method '" + config.method + "'", config.timeout);
    }

    net::HttpRequest request = net::request_for(context);
    request.method = config.method;
    request.url = net::append_form_query(parsed.url, config.query_params);
    request.timeout = config.timeout;
    request.follow_redirects = config.follow_redirects;
    const bool sends_body =
        config.body && net::js_truthy(*config.body) && config.method != "GET" && config.method != "HEAD";
    if (sends_body) {
      request.headers.push_back({"Content-Type", "application/json"});
      request.body = config.body->is_string() ? std::string(config.body->get_string())
                                              : engine::js_stringify(*config.body);
    }
    for (const auto& [name, value] : config.headers) set_header(request.headers, name, value);
    // At-least-once delivery: a retried node sends the same key, so services that honour it deduplicate.
    if (!context.idempotency_key.empty() && !has_header(request.headers, "idempotency-key")) {
      request.headers.push_back({"Idempotency-Key", context.idempotency_key});
    }

    AttemptFailure last;
    for (int attempt = 0; attempt <= config.retries; ++attempt) {
      context.throw_if_stopped();
      net::HttpResult result = net::send(request);
      if (!result.ok()) {
        const net::HttpError& error = result.error();
        net::throw_if_interrupted(error, context);
        if (error.kind != net::HttpErrorKind::kTimeout && error.kind != net::HttpErrorKind::kNetwork) {
          return failed(false, error.message, config.timeout);  // deterministic: retrying cannot help
        }
        last = {error.kind == net::HttpErrorKind::kTimeout, error.message};
      } else {
        Finished finished = finish(result.response());
        if (finished.outputs) return std::move(*finished.outputs);
        last = {false, std::move(finished.retry_reason)};
      }
      if (attempt < config.retries) {
        net::wait_before_retry(http_request::backoff_delay(config.retry_delay, attempt), context);
      }
    }
    return failed(last.timed_out, last.message, config.timeout);
  }

 private:
  engine::PluginMetadata metadata_;
};

Finished finish(const net::HttpResponse& response) {
  const bool ok = response.status >= 200 && response.status < 300;
  const bool client_error = response.status >= 400 && response.status < 500;
  const std::string status_line = "HTTP " + std::to_string(response.status) + ": " + response.status_text;
  if (!ok && !client_error) {
    return {std::nullopt, status_line};
  }
  boost::json::value data;
  const std::string content_type = response.header("content-type").value_or("");
  if (content_type.find("application/json") != std::string::npos) {
    boost::system::error_code ec;
    data = boost::json::parse(response.body, ec);
    if (ec) {
      return {std::nullopt, "Invalid JSON in response body: " + ec.message()};
    }
  } else {
    data = response.body;
  }
  boost::json::object port;
  port["status"] = response.status;
  port["statusText"] = response.status_text;
  if (client_error) {
    port["message"] = status_line;
    port["data"] = std::move(data);
    return {error_port(std::move(port)), {}};
  }
  port["data"] = std::move(data);
  // fetch's Headers iterate in name order, with repeated headers combined.
  std::map<std::string, std::string> sorted;
  for (const auto& header : response.headers) sorted.emplace(header.name, *response.header(header.name));
  boost::json::object headers;
  for (auto& [name, value] : sorted) headers[name] = std::move(value);
  port["headers"] = std::move(headers);
  return {engine::PluginOutputs{{"success", boost::json::value(std::move(port))}}, {}};
}

}  // namespace

std::unique_ptr<engine::Plugin> make_http_request_plugin() { return std::make_unique<HttpRequestPlugin>(); }

}  // namespace kianax::plugins
