#include "plugins/net/oauth2_token.hpp"

#include <openssl/evp.h>

namespace kianax::plugins::net {
namespace {

constexpr std::int64_t kRefreshMarginMs = 5 * 60 * 1000;

std::string base64(const std::string& text) {
  std::string out(4 * ((text.size() + 2) / 3), '\0');
  const int written =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

std::string form_body(const QueryParams& params) {
  std::string body;
  for (const auto& [name, value] : params) {
    if (!body.empty()) body += '&';
    body += form_encode(name) + "=" + form_encode(value);
  }
  return body;
}

std::optional<double> number(const boost::json::value* value) {
  if (value == nullptr) return std::nullopt;
  if (value->is_int64()) return static_cast<double>(value->get_int64());
  if (value->is_uint64()) return static_cast<double>(value->get_uint64());
  if (value->is_double()) return value->get_double();
  if (value->is_string()) {  // some providers send expires_in as a string
    try {
      return std::stod(std::string(value->get_string()));
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  return std::nullopt;
}

}  // namespace

boost::json::object request_oauth2_token(const TokenRequest& token_request, const ClientOptions& options) {
  QueryParams form = token_request.form;
  HttpRequest request;
  request.method = "POST";
  request.url = token_request.token_url;
  request.timeout = token_request.timeout;
  request.deadline = token_request.deadline;
  request.stop = token_request.stop;
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}, {"Accept", "application/json"}};
  if (token_request.client_auth_in_body) {
    form.emplace_back("client_id", token_request.client_id);
    form.emplace_back("client_secret", token_request.client_secret);
  } else {
    request.headers.push_back(
        {"Authorization", "Basic " + base64(token_request.client_id + ":" + token_request.client_secret)});
  }
  request.body = form_body(form);

  const HttpResult result = send(request, options);
  if (!result.ok()) throw OAuth2TokenError("OAuth2 token request failed: " + result.error().message);
  const HttpResponse& response = result.response();
  if (response.status < 200 || response.status >= 300) {
    throw OAuth2TokenError("OAuth2 token request failed: " + response.body);
  }
  boost::system::error_code ec;
  auto reply = boost::json::parse(response.body, ec);
  if (ec || !reply.is_object()) throw OAuth2TokenError("OAuth2 token response is not a JSON object");
  return std::move(reply.get_object());
}

boost::json::object merge_oauth2_token(const boost::json::object& old_data, const boost::json::object& reply,
                                       std::int64_t now_ms) {
  boost::json::object merged = old_data;
  for (const auto& member : reply) merged[member.key()] = member.value();
  const auto* new_refresh = reply.if_contains("refresh_token");
  const auto* old_refresh = old_data.if_contains("refresh_token");
  if ((new_refresh == nullptr || new_refresh->is_null()) && old_refresh != nullptr) {
    merged["refresh_token"] = *old_refresh;
  }
  if (const auto expires_in = number(reply.if_contains("expires_in"))) {
    merged["expires_at"] = now_ms + static_cast<std::int64_t>(*expires_in * 1000);
  } else {
    merged.erase("expires_at");  // spec: treated as never expiring from now on
  }
  return merged;
}

std::optional<std::string> refresh_token_if_needed(const boost::json::object& data, std::int64_t now_ms) {
  const auto* access = data.if_contains("access_token");
  const bool has_access = access != nullptr && access->is_string() && !access->get_string().empty();
  if (has_access) {
    const auto expires_at = number(data.if_contains("expires_at"));
    if (!expires_at || static_cast<double>(now_ms) < *expires_at - static_cast<double>(kRefreshMarginMs)) {
      return std::nullopt;
    }
  }
  const auto* refresh = data.if_contains("refresh_token");
  if (refresh == nullptr || !refresh->is_string() || refresh->get_string().empty()) return std::nullopt;
  return std::string(refresh->get_string());
}

}  // namespace kianax::plugins::net
