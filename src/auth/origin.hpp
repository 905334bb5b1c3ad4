#pragma once
// Better Auth's origin rules (wire-protocols §2.7): which origins are trusted, and which callback URLs may
// be redirected to (relative paths or trusted origins only — no open redirect).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kianax::auth {

// "scheme://host[:port]" of an absolute http(s) URL, lower-cased scheme and host, default ports dropped;
// nullopt for anything else (relative, other schemes, malformed).
[[nodiscard]] std::optional<std::string> origin_of(std::string_view url);

class TrustedOrigins {
 public:
  // `base_url`'s origin plus each entry of `extra` (origins or URLs; `*` matches any run of characters).
  TrustedOrigins(std::string_view base_url, const std::vector<std::string>& extra);

  [[nodiscard]] bool is_trusted_origin(std::string_view origin) const;
  // A relative path starting with exactly one '/', free of '\' and control characters, or an absolute URL
  // whose origin is trusted.
  [[nodiscard]] bool is_allowed_callback(std::string_view url) const;
  [[nodiscard]] const std::string& base_origin() const { return base_origin_; }

 private:
  std::string base_origin_;
  std::vector<std::string> patterns_;
};

}  // namespace kianax::auth
