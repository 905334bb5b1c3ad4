#include "auth/origin.hpp"

#include <algorithm>
#include <cctype>

namespace kianax::auth {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

// Glob with '*' only; iterative so a hostile pattern/input pair cannot recurse deeply.
bool glob_match(std::string_view pattern, std::string_view text) {
  std::size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace

std::optional<std::string> origin_of(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::nullopt;
  const std::string scheme = lower(url.substr(0, scheme_end));
  if (scheme != "http" && scheme != "https") return std::nullopt;
  std::string_view rest = url.substr(scheme_end + 3);
  const auto end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, end);
  if (authority.find('@') != std::string_view::npos) return std::nullopt;  // userinfo: never trusted
  if (authority.empty()) return std::nullopt;
  for (char c : authority) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == '\\') return std::nullopt;
  }
  std::string host = lower(authority);
  if ((scheme == "http" && host.ends_with(":80")) || (scheme == "https" && host.ends_with(":443"))) {
    host.resize(host.rfind(':'));
  }
  return scheme + "://" + host;
}

TrustedOrigins::TrustedOrigins(std::string_view base_url, const std::vector<std::string>& extra) {
  base_origin_ = origin_of(base_url).value_or(std::string(base_url));
  patterns_.push_back(base_origin_);
  for (const auto& e : extra) {
    std::string_view entry = e;
    while (!entry.empty() && entry.front() == ' ') entry.remove_prefix(1);
    while (!entry.empty() && (entry.back() == ' ' || entry.back() == '/')) entry.remove_suffix(1);
    if (entry.empty()) continue;
    if (entry.find('*') != std::string_view::npos) {
      patterns_.push_back(lower(entry));
    } else if (auto o = origin_of(entry)) {
      patterns_.push_back(*o);
    }
  }
}

bool TrustedOrigins::is_trusted_origin(std::string_view origin) const {
  const auto normalized = origin_of(origin);
  if (!normalized) return false;
  return std::any_of(patterns_.begin(), patterns_.end(),
                     [&](const std::string& p) { return glob_match(p, *normalized); });
}

bool TrustedOrigins::is_allowed_callback(std::string_view url) const {
  if (url.empty()) return false;
  for (char c : url) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
  }
  if (url.front() == '/') {
    // "//host" and "/\host" are protocol-relative to browsers: an open redirect.
    if (url.size() > 1 && (url[1] == '/' || url[1] == '\\')) return false;
    return url.find('\\') == std::string_view::npos;
  }
  return is_trusted_origin(url);
}

}  // namespace kianax::auth
