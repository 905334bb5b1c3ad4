// URL handling shared by the HTTP client and the plugins: lenient parsing of user-typed URLs, the
// application/x-www-form-urlencoded query serializer (WHATWG URLSearchParams rules, space → '+'), and
// redirect target resolution.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kianax::plugins::net {

// Outcome of a URL operation: `url` when `error` is empty.
struct UrlResult {
  std::string url;
  std::string error;  // e.g. "Invalid URL", "Unsupported URL scheme 'ftp:'"
  [[nodiscard]] bool ok() const { return error.empty(); }
};

using QueryParams = std::vector<std::pair<std::string, std::string>>;

// Parses an absolute http(s) URL the way a browser's URL parser accepts user input: surrounding spaces are
// trimmed, bytes not allowed in a URI (space, quotes, non-ASCII, …) are percent-encoded, the fragment is
// dropped (it is never sent). Error "Invalid URL" when it is not an absolute URL with a host, and
// "Unsupported URL scheme '<scheme>:'" for schemes other than http and https.
[[nodiscard]] UrlResult normalize_http_url(std::string_view raw);

// Appends `params` to the URL's query as URLSearchParams.append does: when there is at least one param, the
// existing query is re-serialized in form encoding too (so "?a%20b" becomes "?a+b=") — this mirrors the
// upstream behaviour users' routines were written against. REQUIRES: `url` came from normalize_http_url.
[[nodiscard]] std::string append_form_query(const std::string& url, const QueryParams& params);

// Resolves a redirect's Location against the URL that answered it; same errors as normalize_http_url.
[[nodiscard]] UrlResult resolve_redirect(const std::string& base, std::string_view location);

// The form-urlencoded byte serializer: [A-Za-z0-9*-._] kept, space → '+', everything else %XX.
[[nodiscard]] std::string form_encode(std::string_view text);
// Its inverse: '+' → space, %XX decoded (malformed escapes kept literally).
[[nodiscard]] std::string form_decode(std::string_view text);

// "scheme://host[:port]" of an absolute URL (lower-cased scheme and host), used to detect cross-origin hops.
[[nodiscard]] std::string url_origin(const std::string& url);

}  // namespace kianax::plugins::net
