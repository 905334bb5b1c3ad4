#include "plugins/net/url.hpp"

#include <boost/url.hpp>

#include <cctype>

namespace kianax::plugins::net {
namespace {

constexpr char kHex[] = "0123456789ABCDEF";

// Percent-encodes the bytes RFC 3986 never allows anywhere, leaving the URL's structure intact. Browsers do
// the same with what users type ("https://x/a b" works in fetch), so routines written for upstream keep
// working.
std::string encode_disallowed(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    const bool disallowed = c <= 0x20 || c >= 0x7F || c == '"' || c == '<' || c == '>' || c == '\\' ||
                            c == '^' || c == '`' || c == '{' || c == '|' || c == '}';
    if (disallowed) {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && static_cast<unsigned char>(text.front()) <= 0x20) text.remove_prefix(1);
  while (!text.empty() && static_cast<unsigned char>(text.back()) <= 0x20) text.remove_suffix(1);
  return text;
}

UrlResult check_http(boost::urls::url& url) {
  if (!url.has_scheme() || !url.has_authority() || url.encoded_host().empty()) return {{}, "Invalid URL"};
  const auto scheme = url.scheme_id();
  if (scheme != boost::urls::scheme::http && scheme != boost::urls::scheme::https) {
    return {{}, "Unsupported URL scheme '" + std::string(url.scheme()) + ":'"};
  }
  url.remove_fragment();
  if (url.encoded_path().empty()) url.set_path_absolute(true);
  return {std::string(url.buffer()), {}};
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

UrlResult normalize_http_url(std::string_view raw) {
  const std::string encoded = encode_disallowed(trim(raw));
  auto parsed = boost::urls::parse_uri(encoded);
  if (!parsed) return {{}, "Invalid URL"};
  boost::urls::url url(*parsed);
  return check_http(url);
}

std::string form_encode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '*' || c == '-' || c == '.' || c == '_') {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

std::string form_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
               hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::string append_form_query(const std::string& url_text, const QueryParams& params) {
  if (params.empty()) return url_text;
  boost::urls::url url(url_text);
  std::string query;
  auto add = [&](std::string_view name, std::string_view value) {
    if (!query.empty()) query += '&';
    query += form_encode(name);
    query += '=';
    query += form_encode(value);
  };
  // Re-serialize what is already there, as URLSearchParams does once it is touched.
  std::string_view existing = url.encoded_query();
  while (!existing.empty()) {
    const auto amp = existing.find('&');
    const std::string_view pair = existing.substr(0, amp);
    existing = amp == std::string_view::npos ? std::string_view{} : existing.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    if (eq == std::string_view::npos) {
      add(form_decode(pair), "");
    } else {
      add(form_decode(pair.substr(0, eq)), form_decode(pair.substr(eq + 1)));
    }
  }
  for (const auto& [name, value] : params) add(name, value);
  url.set_encoded_query(query);
  return std::string(url.buffer());
}

UrlResult resolve_redirect(const std::string& base, std::string_view location) {
  const std::string encoded = encode_disallowed(trim(location));
  auto reference = boost::urls::parse_uri_reference(encoded);
  if (!reference) return {{}, "Invalid URL"};
  auto base_url = boost::urls::parse_uri(base);
  if (!base_url) return {{}, "Invalid URL"};
  boost::urls::url resolved;
  if (!boost::urls::resolve(*base_url, *reference, resolved)) return {{}, "Invalid URL"};
  return check_http(resolved);
}

std::string url_origin(const std::string& url_text) {
  auto parsed = boost::urls::parse_uri(url_text);
  if (!parsed) return {};
  std::string origin;
  for (char c : parsed->scheme()) origin += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  origin += "://";
  for (char c : parsed->encoded_host())
    origin += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string port(parsed->port());
  if (port.empty()) port = parsed->scheme_id() == boost::urls::scheme::https ? "443" : "80";
  origin += ":" + port;
  return origin;
}

}  // namespace kianax::plugins::net
