#include "auth/cookies.hpp"

#include "auth/crypto.hpp"

namespace kianax::auth {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string sign_cookie_value(std::string_view secret, std::string_view value) {
  std::string plain(value);
  plain += '.';
  plain += base64(hmac_sha256(secret, value));
  return uri_encode_component(plain);
}

std::optional<std::string> verify_cookie_value(std::string_view secret, std::string_view raw) {
  auto decoded = uri_decode_component(raw);
  if (!decoded) return std::nullopt;
  const auto dot = decoded->rfind('.');
  if (dot == std::string::npos || dot == 0) return std::nullopt;
  const std::string_view value = std::string_view(*decoded).substr(0, dot);
  const std::string_view signature = std::string_view(*decoded).substr(dot + 1);
  // A base64 SHA-256 MAC is always 44 characters ending in '='; Better Auth ignores anything else.
  if (signature.size() != 44 || signature.back() != '=') return std::nullopt;
  if (!constant_time_equal(base64(hmac_sha256(secret, value)), signature)) return std::nullopt;
  return std::string(value);
}

std::vector<std::pair<std::string, std::string>> parse_cookie_header(std::string_view header) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!header.empty()) {
    const auto semi = header.find(';');
    const std::string_view part = trim(header.substr(0, semi));
    header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
    const auto eq = part.find('=');
    if (eq == std::string_view::npos) continue;
    std::string_view value = trim(part.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
      value = value.substr(1, value.size() - 2);
    out.emplace_back(std::string(trim(part.substr(0, eq))), std::string(value));
  }
  return out;
}

std::string cookie_name(std::string_view name, bool secure) {
  std::string out = secure ? "__Secure-better-auth." : "better-auth.";
  out += name;
  return out;
}

std::string set_cookie(std::string_view full_name, std::string_view encoded_value,
                       const CookieOptions& options) {
  std::string out(full_name);
  out += '=';
  out += encoded_value;
  if (options.max_age) out += "; Max-Age=" + std::to_string(*options.max_age);
  out += "; Path=/; HttpOnly";
  if (options.secure) out += "; Secure";
  out += "; SameSite=Lax";
  return out;
}

std::string clear_cookie(std::string_view full_name, bool secure) {
  return set_cookie(full_name, "", CookieOptions{.secure = secure, .max_age = 0});
}

}  // namespace kianax::auth
