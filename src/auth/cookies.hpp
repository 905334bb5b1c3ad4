#pragma once
// Better Auth's cookies (wire-protocols §2.3): names, signed values and Set-Cookie lines.
//   signed value = encodeURIComponent(value + "." + base64(HMAC-SHA256(secret, value)))
// The server reads only the name matching its own prefix (`__Secure-` when the base URL is https).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kianax::auth {

[[nodiscard]] std::string sign_cookie_value(std::string_view secret, std::string_view value);
// The value a signed cookie carries, when its signature verifies (constant time); nullopt for a missing,
// malformed or forged one. `raw` is the cookie's value as sent (still percent-encoded).
[[nodiscard]] std::optional<std::string> verify_cookie_value(std::string_view secret, std::string_view raw);

// Cookie header → (name, value) pairs, in order, values untouched.
[[nodiscard]] std::vector<std::pair<std::string, std::string>> parse_cookie_header(std::string_view header);

struct CookieOptions {
  bool secure = false;                  // https base URL: `__Secure-` prefix + Secure
  std::optional<std::int64_t> max_age;  // seconds; none = a browser-session cookie
};

// "better-auth.<name>", with `__Secure-` in front when secure.
[[nodiscard]] std::string cookie_name(std::string_view name, bool secure);
// A Set-Cookie header value with Better Auth's attribute order: Max-Age, Path, HttpOnly, Secure, SameSite.
[[nodiscard]] std::string set_cookie(std::string_view full_name, std::string_view encoded_value,
                                     const CookieOptions& options);
// Deletion: empty value and Max-Age=0 with the same attributes.
[[nodiscard]] std::string clear_cookie(std::string_view full_name, bool secure);

}  // namespace kianax::auth
