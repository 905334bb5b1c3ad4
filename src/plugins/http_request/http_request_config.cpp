#include "plugins/http_request/http_request_config.hpp"

#include "engine/js_value.hpp"
#include "engine/plugin.hpp"
#include "plugins/net/plugin_io.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

namespace kianax::plugins::http_request {
namespace {

// A number field clamped to [low, high]. Numeric strings count, as JavaScript would coerce them (an
// expression embedded in text, e.g. "{{ vars.t }}0", resolves to a string); anything else gives the default.
double number_in_range(const boost::json::object& config, std::string_view key, double fallback, double low,
                       double high) {
  const auto* value = engine::find_member(config, key);
  if (value == nullptr) return fallback;
  double number = fallback;
  if (value->is_number()) {
    number = engine::number_as_double(*value);
  } else if (value->is_string() && !value->get_string().empty()) {
    const std::string text(value->get_string());
    char* end = nullptr;
    number = std::strtod(text.c_str(), &end);
    if (end != text.c_str() + text.size()) return fallback;
  } else {
    return fallback;
  }
  if (!std::isfinite(number)) return fallback;
  return std::clamp(number, low, high);
}

std::vector<std::pair<std::string, std::string>> string_map(const boost::json::object& config,
                                                            std::string_view key) {
  std::vector<std::pair<std::string, std::string>> out;
  const auto* value = engine::find_member(config, key);
  if (value == nullptr || !value->is_object()) return out;
  for (const auto& member : value->get_object())
    out.emplace_back(member.key(), net::js_string(member.value()));
  return out;
}

}  // namespace

boost::json::object config_schema() {
  return boost::json::parse(R"json({
    "type": "object",
    "properties": {
      "url": {"type": "string", "description": "The URL to request (http or https)"},
      "method": {"type": "string", "enum": ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"], "default": "GET"},
      "headers": {"type": "object", "additionalProperties": {"type": "string"}, "description": "Request headers"},
      "body": {"description": "Request body: strings are sent as they are, anything else as JSON (not for GET/HEAD)"},
      "queryParams": {"type": "object", "additionalProperties": {"type": "string"},
                      "description": "Appended to the URL's query, form-encoded"},
      "timeout": {"type": "number", "minimum": 100, "maximum": 300000, "default": 30000,
                  "description": "Per-attempt timeout in milliseconds"},
      "retries": {"type": "number", "minimum": 0, "maximum": 5, "default": 0,
                  "description": "Extra attempts after a 5xx, network error or timeout (4xx is never retried)"},
      "retryDelay": {"type": "number", "minimum": 0, "maximum": 10000, "default": 1000,
                     "description": "Backoff base in milliseconds: attempt n waits retryDelay * 2^n"},
      "followRedirects": {
  "type" : "boolean", "default" : true
}
}
, "required" : ["url"]
})json")
      .as_object();
}

RequestConfig read_config(const boost::json::object& raw) {
  static const boost::json::object schema = config_schema();
  const boost::json::object config = engine::apply_config_defaults(schema, raw);
  RequestConfig out;
  if (const auto* url = engine::find_member(config, "url"); url != nullptr && url->is_string()) {
    out.url = std::string(url->get_string());
  }
  const auto* method = engine::find_member(config, "method");
  out.method = method != nullptr && method->is_string() ? std::string(method->get_string()) : "GET";
  std::transform(out.method.begin(), out.method.end(), out.method.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  out.headers = string_map(config, "headers");
  if (const auto* body = engine::find_member(config, "body")) out.body = *body;
  out.query_params = string_map(config, "queryParams");
  out.timeout = std::chrono::milliseconds(
      static_cast<long long>(number_in_range(config, "timeout", 30'000, 100, 300'000)));
  out.retries = static_cast<int>(std::floor(number_in_range(config, "retries", 0, 0, 5)));
  out.retry_delay = std::chrono::milliseconds(
      static_cast<long long>(number_in_range(config, "retryDelay", 1'000, 0, 10'000)));
  if (const auto* follow = engine::find_member(config, "followRedirects")) {
    out.follow_redirects = net::js_truthy(*follow);
  }
  return out;
}

}  // namespace kianax::plugins::http_request

namespace kianax::plugins::http_request {

std::chrono::milliseconds backoff_delay(std::chrono::milliseconds retry_delay, int attempt) {
  return retry_delay * (std::int64_t{1} << attempt);
}

}  // namespace kianax::plugins::http_request
