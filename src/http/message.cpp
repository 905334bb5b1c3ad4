#include "http/message.hpp"

#include <cctype>

namespace kianax::http {

std::optional<std::string_view> Request::header(std::string_view lower_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_name) return std::string_view(value);
  }
  return std::nullopt;
}

namespace {
bool same_name(std::string_view a, std::string_view b) {  // header names are case-insensitive
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}
}  // namespace

// Replaces every earlier value of the header: the listener sends repeated entries as repeated lines, which
// is right only for headers a handler adds on purpose (Set-Cookie).
Response& Response::set_header(std::string name, std::string value) {
  for (auto& h : headers) {
    if (same_name(h.first, name)) {
      h.second = std::move(value);
      return *this;
    }
  }
  headers.emplace_back(std::move(name), std::move(value));
  return *this;
}

Response Response::json(int status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  r.headers.emplace_back("content-type", "application/json");
  return r;
}

Response Response::text(int status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  r.headers.emplace_back("content-type", "text/plain; charset=utf-8");
  return r;
}

}  // namespace kianax::http
