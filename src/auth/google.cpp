#include "auth/google.hpp"

#include <spdlog/spdlog.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "auth/crypto.hpp"
#include "plugins/net/http_client.hpp"

namespace kianax::auth {
namespace {

namespace json = boost::json;
namespace net = kianax::plugins::net;

// The endpoints are the operator's configuration, never user input; an override (a fake provider on
// loopback in tests, a corporate proxy) must be reachable even though it is a private address.
net::ClientOptions client_options(const GoogleOptions& google) {
  net::ClientOptions o;
  const GoogleOptions defaults;
  if (google.token_url != defaults.token_url || google.userinfo_url != defaults.userinfo_url) {
    o.policy.allow_private = true;
  }
  return o;
}

std::optional<std::string> string_member(const json::object& o, std::string_view key) {
  if (const json::value* v = o.if_contains(key); v && v->is_string()) return std::string(v->as_string());
  return std::nullopt;
}

}  // namespace

std::string pkce_challenge(const std::string& verifier) { return base64url_nopad(sha256(verifier)); }

std::string google_authorization_url(const GoogleOptions& google, const std::string& state,
                                     const std::string& code_challenge, const std::string& redirect_uri) {
  std::string url = google.auth_url;
  url += url.find('?') == std::string::npos ? '?' : '&';
  url += "response_type=code&client_id=" + uri_encode_component(google.client_id) +
         "&state=" + uri_encode_component(state) + "&scope=email+profile+openid" +
         "&redirect_uri=" + uri_encode_component(redirect_uri) +
         "&code_challenge_method=S256&code_challenge=" + uri_encode_component(code_challenge) +
         "&include_granted_scopes=true";
  return url;
}

std::optional<GoogleTokens> google_exchange_code(const GoogleOptions& google, const std::string& code,
                                                 const std::string& code_verifier,
                                                 const std::string& redirect_uri) {
  net::HttpRequest req;
  req.method = "POST";
  req.url = google.token_url;
  req.headers = {{"content-type", "application/x-www-form-urlencoded"}, {"accept", "application/json"}};
  req.body = "grant_type=authorization_code&code=" + uri_encode_component(code) +
             "&redirect_uri=" + uri_encode_component(redirect_uri) +
             "&client_id=" + uri_encode_component(google.client_id) +
             "&client_secret=" + uri_encode_component(google.client_secret) +
             "&code_verifier=" + uri_encode_component(code_verifier);
  req.follow_redirects = false;
  req.timeout = std::chrono::seconds(10);
  const net::HttpResult result = net::send(req, client_options(google));
  if (!result.ok()) {
    spdlog::warn("auth: google token exchange failed: {}", result.error().message);
    return std::nullopt;
  }
  if (result.response().status != 200) {
    spdlog::warn("auth: google token endpoint answered {}", result.response().status);
    return std::nullopt;
  }
  boost::system::error_code ec;
  json::value v = json::parse(result.response().body, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const json::object& o = v.as_object();
  GoogleTokens t;
  auto access = string_member(o, "access_token");
  if (!access) return std::nullopt;
  t.access_token = *access;
  t.refresh_token = string_member(o, "refresh_token");
  t.id_token = string_member(o, "id_token");
  if (auto scope = string_member(o, "scope")) {
    std::string s = *scope;
    for (char& c : s) {
      if (c == ' ') c = ',';
    }
    t.scope = s;
  }
  if (const json::value* e = o.if_contains("expires_in"); e && e->is_number()) {
    t.expires_in_s = e->to_number<std::int64_t>();
  }
  return t;
}

std::optional<GoogleUser> google_user_info(const GoogleOptions& google, const std::string& access_token) {
  net::HttpRequest req;
  req.url = google.userinfo_url;
  req.headers = {{"authorization", "Bearer " + access_token}, {"accept", "application/json"}};
  req.follow_redirects = false;
  req.timeout = std::chrono::seconds(10);
  const net::HttpResult result = net::send(req, client_options(google));
  if (!result.ok() || result.response().status != 200) {
    spdlog::warn("auth: google user info failed");
    return std::nullopt;
  }
  boost::system::error_code ec;
  json::value v = json::parse(result.response().body, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const json::object& o = v.as_object();
  GoogleUser u;
  auto sub = string_member(o, "sub");
  if (!sub || sub->empty()) return std::nullopt;
  u.sub = *sub;
  u.email = string_member(o, "email").value_or("");
  if (const json::value* ev = o.if_contains("email_verified")) {
    u.email_verified = (ev->is_bool() && ev->as_bool()) || (ev->is_string() && ev->as_string() == "true");
  }
  u.name = string_member(o, "name");
  u.picture = string_member(o, "picture");
  return u;
}

}  // namespace kianax::auth
