#include "db/conninfo.hpp"

#include <libpq-fe.h>

#include <cctype>
#include <memory>
#include <vector>

namespace kianax::db {
namespace {

bool starts_with_icase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  }
  return true;
}

std::string redact_uri(std::string_view uri, std::vector<std::string>& found) {
  std::string out(uri);
  const auto scheme_end = out.find("://");
  const size_t authority = scheme_end + 3;
  // userinfo ends at the last '@' before the path; a ':' in it separates the password.
  const size_t path = out.find_first_of("/?", authority);
  const size_t at = out.rfind('@', path == std::string::npos ? std::string::npos : path);
  if (at != std::string::npos && at >= authority) {
    const size_t colon = out.find(':', authority);
    if (colon != std::string::npos && colon < at) {
      found.emplace_back(out.substr(colon + 1, at - colon - 1));
      out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  // ?password=…&… in the query string.
  size_t q = out.find('?');
  while (q != std::string::npos) {
    const size_t key = q + 1;
    if (starts_with_icase(std::string_view(out).substr(key), "password=")) {
      const size_t value = key + 9;
      const size_t end = out.find('&', value);
      found.emplace_back(out.substr(value, (end == std::string::npos ? out.size() : end) - value));
      out.replace(value, (end == std::string::npos ? out.size() : end) - value, "***");
    }
    q = out.find('&', key);
  }
  return out;
}

std::string redact_keywords(std::string_view s, std::vector<std::string>& found) {
  std::string out;
  size_t i = 0;
  while (i < s.size()) {
    // Copy whitespace.
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) out += s[i++];
    const size_t key_start = i;
    while (i < s.size() && s[i] != '=' && !std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    std::string key(s.substr(key_start, i - key_start));
    out += key;
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) out += s[i++];
    if (i >= s.size() || s[i] != '=') continue;
    out += s[i++];
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) out += s[i++];
    // The value: 'quoted with \' escapes' or a bare word.
    const size_t value_start = i;
    if (i < s.size() && s[i] == '\'') {
      ++i;
      while (i < s.size() && s[i] != '\'') i += (s[i] == '\\' && i + 1 < s.size()) ? 2 : 1;
      if (i < s.size()) ++i;
    } else {
      while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i]))) i += (s[i] == '\\') ? 2 : 1;
      if (i > s.size()) i = s.size();
    }
    std::string lower;
    for (char c : key) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == "password") {
      found.emplace_back(s.substr(value_start, i - value_start));
      out += "***";
    } else {
      out += s.substr(value_start, i - value_start);
    }
  }
  return out;
}

std::string redact(std::string_view conninfo, std::vector<std::string>& found) {
  if (starts_with_icase(conninfo, "postgresql://") || starts_with_icase(conninfo, "postgres://")) {
    return redact_uri(conninfo, found);
  }
  return redact_keywords(conninfo, found);
}

}  // namespace

std::string redact_conninfo(std::string_view conninfo) {
  std::vector<std::string> found;
  return redact(conninfo, found);
}

std::string scrub_passwords(std::string message, std::string_view conninfo) {
  std::vector<std::string> found;
  (void)redact(conninfo, found);
  for (const auto& secret : found) {
    if (secret.empty() || secret == "***") continue;
    for (size_t at = message.find(secret); at != std::string::npos; at = message.find(secret, at + 3)) {
      message.replace(at, secret.size(), "***");
    }
  }
  return message;
}

std::optional<std::string> conninfo_problem(const std::string& conninfo) {
  char* err = nullptr;
  PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &err);
  if (options != nullptr) {
    PQconninfoFree(options);
    return std::nullopt;
  }
  std::string reason = err != nullptr ? err : "out of memory";
  if (err != nullptr) PQfreemem(err);
  while (!reason.empty() && (reason.back() == '\n' || reason.back() == ' ')) reason.pop_back();
  return scrub_passwords("invalid connection string " + redact_conninfo(conninfo) + ": " + reason, conninfo);
}

}  // namespace kianax::db
