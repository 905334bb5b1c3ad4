#include "auth/auth_service.hpp"

#include "core/json_type_name.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <ctime>
#include <functional>
#include <mutex>
#include <optional>
#include <regex>
#include <stdexcept>
#include <unordered_map>
#include <variant>

#include "auth/cookies.hpp"
#include "auth/crypto.hpp"
#include "auth/origin.hpp"
#include "auth/password.hpp"
#include "db/pool.hpp"
#include "db/transaction.hpp"

namespace kianax::auth {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using http::Request;
using http::Response;

constexpr std::int64_t kDayMs = 24LL * 60 * 60 * 1000;
constexpr std::int64_t kExpiresInMs = 7 * kDayMs;  // session.expiresIn
constexpr std::int64_t kUpdateAgeMs = kDayMs;      // session.updateAge
constexpr std::int64_t kFreshAgeMs = kDayMs;       // session.freshAge
constexpr std::int64_t kDontRememberMs = kDayMs;   // rememberMe:false
constexpr std::size_t kMinPassword = 8;            // emailAndPassword.minPasswordLength
constexpr std::size_t kMaxPassword = 128;          // emailAndPassword.maxPasswordLength
constexpr std::size_t kSessionCacheMax = 100'000;  // entries; the cache is emptied when it fills up

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// JavaScript's Date#toISOString: what the client's date parser turns back into a Date.
std::string iso8601(std::int64_t ms) {
  const std::time_t secs = static_cast<std::time_t>(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
  const int millis = static_cast<int>(ms - static_cast<std::int64_t>(secs) * 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
  return buf;
}

std::string epoch_ms_sql(std::string_view column) {
  return "(extract(epoch FROM " + std::string(column) + ") * 1000)::bigint";
}

Response json_response(int status, const json::value& body) {
  return Response::json(status, json::serialize(body));
}

// Better Auth's error body: {"message", "code"} (wire-protocols §2.8).
Response error(int status, std::string_view code, std::string_view message) {
  json::object body;
  body["message"] = message;
  body["code"] = code;
  return json_response(status, body);
}

Response too_many_requests(std::int64_t retry_after_seconds) {
  // Better Auth's 429 body has no `code`.
  Response r = Response::json(429, R"({"message":"Too many requests. Please try again later."})");
  r.set_header("x-retry-after", std::to_string(std::max<std::int64_t>(retry_after_seconds, 1)));
  return r;
}

Response validation_error(std::string_view field, std::string_view problem) {
  return error(400, "VALIDATION_ERROR", "[body." + std::string(field) + "] " + std::string(problem));
}

// zod's name for what it got instead of the expected type.
std::string_view received(const json::value* v) { return core::json_type_name(v); }

// The request body as a JSON object, or the error Better Auth gives for a body it cannot read.
// application/x-www-form-urlencoded → an object of strings ("true"/"false" become booleans, as an HTML form
// can only send text). nullopt for a malformed escape.
std::optional<json::object> parse_form(std::string_view body) {
  json::object out;
  while (!body.empty()) {
    const auto amp = body.find('&');
    std::string_view pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view() : body.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    std::string key(pair.substr(0, eq));
    std::string value(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
    std::replace(key.begin(), key.end(), '+', ' ');
    std::replace(value.begin(), value.end(), '+', ' ');
    auto k = uri_decode_component(key);
    auto v = uri_decode_component(value);
    if (!k || !v) return std::nullopt;
    if (*v == "true" || *v == "false") {
      out[*k] = *v == "true";
    } else {
      out[*k] = *v;
    }
  }
  return out;
}

// `form_ok`: sign-in and sign-up also accept HTML form posts, as Better Auth does.
std::variant<json::object, Response> parse_body(const Request& req, bool form_ok = false) {
  auto invalid = [] {
    return error(400, "VALIDATION_ERROR", "[body] Invalid input: expected object, received undefined");
  };
  const auto type = req.header("content-type");
  if (!type) return invalid();
  std::string lowered(*type);
  std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  if (form_ok && lowered.starts_with("application/x-www-form-urlencoded")) {
    auto form = parse_form(req.body);
    if (!form) return invalid();
    return std::move(*form);
  }
  if (!lowered.starts_with("application/json")) return invalid();
  boost::system::error_code ec;
  json::value v = json::parse(req.body, ec);
  if (ec || !v.is_object()) return invalid();
  return std::move(v.as_object());
}

// A required (or optional) string field; a Response when it is missing or of another type.
std::variant<std::optional<std::string>, Response> string_field(const json::object& body,
                                                                std::string_view name, bool required) {
  const json::value* v = body.if_contains(name);
  if (v == nullptr || (v->is_null() && !required)) {
    if (!required) return std::optional<std::string>();
    return validation_error(name, "Invalid input: expected string, received undefined");
  }
  if (!v->is_string()) {
    return validation_error(name, "Invalid input: expected string, received " + std::string(received(v)));
  }
  // PostgreSQL text cannot hold U+0000: refuse it here as bad input rather than fail in the database (5xx).
  if (v->as_string().find('\0') != json::string::npos) {
    return validation_error(name, "Invalid input: the string contains a NUL character");
  }
  return std::optional<std::string>(std::string(v->as_string()));
}

// An optional boolean field (absent or null → `fallback`); a Response when it has another type.
std::variant<bool, Response> bool_field(const json::object& body, std::string_view name, bool fallback) {
  const json::value* v = body.if_contains(name);
  if (v == nullptr || v->is_null()) return fallback;
  if (!v->is_bool()) {
    return validation_error(name, "Invalid input: expected boolean, received " + std::string(received(v)));
  }
  return v->as_bool();
}

// Password lengths are JavaScript string lengths: UTF-16 code units.
std::size_t utf16_length(std::string_view utf8) {
  std::size_t n = 0;
  for (unsigned char c : utf8) {
    if ((c & 0xC0) == 0x80) continue;  // continuation byte
    n += (c >= 0xF0) ? 2 : 1;          // 4-byte sequences are surrogate pairs
  }
  return n;
}

bool is_valid_email(std::string_view email) {
  // zod 4's email pattern, which Better Auth's z.email() applies.
  static const std::regex kEmail(
      R"(^(?!\.)(?!.*\.\.)([A-Za-z0-9_'+\-\.]*)[A-Za-z0-9_+\-]@([A-Za-z0-9][A-Za-z0-9\-]*\.)+[A-Za-z]{2,}$)");
  if (email.size() > 320) return false;
  return std::regex_match(email.begin(), email.end(), kEmail);
}

std::string lower_ascii(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

struct UserRecord {
  std::string id;
  std::optional<std::string> name;
  std::string email;
  bool email_verified = false;
  std::optional<std::string> image;
  std::int64_t created_ms = 0;
  std::int64_t updated_ms = 0;
};

struct SessionRecord {
  std::string id;
  std::string token;
  std::string user_id;
  std::int64_t expires_ms = 0;
  std::int64_t created_ms = 0;
  std::int64_t updated_ms = 0;
  std::optional<std::string> ip_address;
  std::optional<std::string> user_agent;
  // A rememberMe:false session lives one day and is never refreshed (Better Auth marks it with a
  // dont_remember cookie; the row's own lifetime says the same without a second cookie).
  [[nodiscard]] bool dont_remember() const { return expires_ms - created_ms < 2 * kDayMs; }
};

json::value to_json(const UserRecord& u) {
  json::object o;
  o["id"] = u.id;
  o["name"] = u.name ? json::value(*u.name) : json::value(nullptr);
  o["email"] = u.email;
  o["emailVerified"] = u.email_verified;
  o["image"] = u.image ? json::value(*u.image) : json::value(nullptr);
  o["createdAt"] = iso8601(u.created_ms);
  o["updatedAt"] = iso8601(u.updated_ms);
  return o;
}

json::value to_json(const SessionRecord& s) {
  json::object o;
  o["id"] = s.id;
  o["token"] = s.token;
  o["userId"] = s.user_id;
  o["expiresAt"] = iso8601(s.expires_ms);
  o["createdAt"] = iso8601(s.created_ms);
  o["updatedAt"] = iso8601(s.updated_ms);
  o["ipAddress"] = s.ip_address.value_or("");
  o["userAgent"] = s.user_agent.value_or("");
  return o;
}

// ---- SQL (all parameterised) ---------------------------------------------------------------------------

const std::string& session_columns() {
  static const std::string s = "id, token, user_id, " + epoch_ms_sql("expires_at") + " AS expires_ms, " +
                               epoch_ms_sql("created_at") + " AS created_ms, " + epoch_ms_sql("updated_at") +
                               " AS updated_ms, ip_address, user_agent";
  return s;
}

SessionRecord read_session(const db::Row& r) {
  SessionRecord s;
  s.id = r.get<std::string>(0);
  s.token = r.get<std::string>(1);
  s.user_id = r.get<std::string>(2);
  s.expires_ms = r.get<std::int64_t>(3);
  s.created_ms = r.get<std::int64_t>(4);
  s.updated_ms = r.get<std::int64_t>(5);
  s.ip_address = r.get<std::optional<std::string>>(6);
  s.user_agent = r.get<std::optional<std::string>>(7);
  return s;
}

const std::string& insert_user_sql() {
  static const std::string s =
      "INSERT INTO users (id, name, email, image) VALUES ($1, $2, $3, $4) ON CONFLICT (email) DO NOTHING "
      "RETURNING " +
      epoch_ms_sql("created_at") + ", " + epoch_ms_sql("updated_at");
  return s;
}

const std::string kInsertCredentialSql =
    "INSERT INTO accounts (id, user_id, account_id, provider_id, password) VALUES ($1, $2, $2, 'credential', "
    "$3)";

const std::string& insert_session_sql() {
  static const std::string s =
      "INSERT INTO sessions (id, user_id, token, expires_at, ip_address, user_agent) "
      "VALUES ($1, $2, $3, to_timestamp($4::bigint / 1000.0), $5, $6) RETURNING " +
      session_columns();
  return s;
}

// Sign-in: the new session and the user it belongs to, in one round trip.
const std::string& insert_session_with_user_sql() {
  static const std::string s = "WITH s AS (" + insert_session_sql() +
                               ") SELECT s.*, u.name, u.email, u.email_verified, u.image, " +
                               epoch_ms_sql("u.created_at") + ", " + epoch_ms_sql("u.updated_at") +
                               " FROM s JOIN users u ON u.id = s.user_id";
  return s;
}

const std::string& refresh_session_sql() {
  static const std::string s =
      "UPDATE sessions SET expires_at = to_timestamp($2::bigint / 1000.0) WHERE id = $1 RETURNING " +
      session_columns();
  return s;
}

const std::string& list_sessions_sql() {
  static const std::string s = "SELECT " + session_columns() +
                               " FROM sessions WHERE user_id = $1 AND expires_at > now() ORDER BY created_at";
  return s;
}

const std::string kDeleteSessionSql = "DELETE FROM sessions WHERE token = $1 AND user_id = $2";

const std::string kRateLimitSql =
    "INSERT INTO auth_rate_limits AS r (key, count, window_started_at) VALUES ($1, 1, now()) "
    "ON CONFLICT (key) DO UPDATE SET "
    "count = CASE WHEN r.window_started_at <= now() - make_interval(secs => $2::int) THEN 1 "
    "ELSE r.count + 1 END, "
    "window_started_at = CASE WHEN r.window_started_at <= now() - make_interval(secs => $2::int) THEN now() "
    "ELSE r.window_started_at END "
    "RETURNING count, ceil(extract(epoch FROM (window_started_at + make_interval(secs => $2::int) - "
    "now())))::int";

const std::string kRateLimitCleanupSql =
    "DELETE FROM auth_rate_limits WHERE window_started_at < now() - make_interval(secs => $1::int)";

struct SessionWithUser {
  SessionRecord session;
  UserRecord user;
};

class SessionCache final : public Authenticator {
 public:
  SessionCache(std::function<asio::awaitable<std::optional<SessionWithUser>>(std::string)> lookup,
               std::function<std::optional<std::string>(const Request&)> token_of,
               std::chrono::milliseconds ttl)
      : lookup_(std::move(lookup)), token_of_(std::move(token_of)), ttl_(ttl) {}

  asio::awaitable<std::optional<AuthenticatedUser>> authenticate(const Request& request) override {
    const auto token = token_of_(request);
    if (!token) co_return std::nullopt;
    const auto now = std::chrono::steady_clock::now();
    {
      std::lock_guard lock(mutex_);
      auto it = entries_.find(*token);
      if (it != entries_.end()) {
        if (now - it->second.cached_at < ttl_ && it->second.expires_ms > now_ms()) {
          co_return AuthenticatedUser{it->second.user_id, it->second.session_id};
        }
        entries_.erase(it);
      }
    }
    std::optional<SessionWithUser> found;
    try {
      found = co_await lookup_(*token);
    } catch (const std::exception& e) {
      // The interface promises no throw for bad cookies; a database outage is not a bad cookie, but an
      // anonymous answer is the safe one (the caller then answers 401, never grants access).
      spdlog::warn("auth: session lookup failed: {}", e.what());
      co_return std::nullopt;
    }
    if (!found || found->session.expires_ms <= now_ms()) co_return std::nullopt;
    {
      std::lock_guard lock(mutex_);
      if (entries_.size() >= kSessionCacheMax) entries_.clear();
      entries_[*token] = Entry{found->session.user_id, found->session.id, found->session.expires_ms, now};
    }
    co_return AuthenticatedUser{found->session.user_id, found->session.id};
  }

  void forget(const std::string& token) {
    std::lock_guard lock(mutex_);
    entries_.erase(token);
  }

 private:
  struct Entry {
    std::string user_id;
    std::string session_id;
    std::int64_t expires_ms;
    std::chrono::steady_clock::time_point cached_at;
  };
  std::function<asio::awaitable<std::optional<SessionWithUser>>(std::string)> lookup_;
  std::function<std::optional<std::string>(const Request&)> token_of_;
  std::chrono::milliseconds ttl_;
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace

struct AuthService::Impl {
  Impl(db::Pool& p, AuthOptions o)
      : pool(p),
        options(std::move(o)),
        secure(options.base_url.starts_with("https://")),
        session_cookie(cookie_name("session_token", secure)),
        origins(options.base_url, options.trusted_origins),
        hasher(options.hasher_threads, options.hasher_queue),
        cache([this](std::string token) { return find_session(std::move(token)); },
              [this](const Request& r) { return session_token(r); }, options.session_cache_ttl) {
    if (options.secret.empty()) throw std::invalid_argument("auth: the secret must not be empty");
  }

  db::Pool& pool;
  AuthOptions options;
  bool secure;
  std::string session_cookie;
  TrustedOrigins origins;
  PasswordHasher hasher;
  SessionCache cache;
  std::atomic<std::uint64_t> rate_limit_calls{0};
  asio::thread_pool outbound{2};  // blocking calls to the OAuth provider, never on an I/O thread

  ~Impl() { outbound.join(); }

  // Runs fn() on `outbound` and resumes on the caller's executor. (Named locals, not temporaries in the
  // co_await expression: GCC 12 destroys those twice in coroutines.)
  template <class Fn>
  auto off_thread(Fn fn) -> asio::awaitable<decltype(fn())> {
    auto job = [fn = std::move(fn)]() -> asio::awaitable<decltype(fn())> { co_return fn(); };
    auto result = co_await asio::co_spawn(outbound, std::move(job), asio::use_awaitable);
    co_return result;
  }

  // ---- cookies ---------------------------------------------------------------------------------------

  std::optional<std::string> session_token(const Request& req) const {
    const auto header = req.header("cookie");
    if (!header) return std::nullopt;
    for (const auto& [name, value] : parse_cookie_header(*header)) {
      if (name == session_cookie) return verify_cookie_value(options.secret, value);
    }
    return std::nullopt;
  }

  void set_session_cookie(Response& r, const SessionRecord& s) const {
    std::optional<std::int64_t> max_age;
    if (!s.dont_remember()) max_age = kExpiresInMs / 1000;  // rememberMe:false ⇒ a browser-session cookie
    // One Set-Cookie per response: the listener keeps one value per header name.
    r.headers.emplace_back("set-cookie",
                           set_cookie(session_cookie, sign_cookie_value(options.secret, s.token),
                                      CookieOptions{.secure = secure, .max_age = max_age}));
  }

  void clear_session_cookie(Response& r) const {
    r.headers.emplace_back("set-cookie", clear_cookie(session_cookie, secure));
  }

  // ---- request context ---------------------------------------------------------------------------------

  std::string client_ip(const Request& req) const {
    if (options.trust_forwarded_for) {
      if (auto xff = req.header("x-forwarded-for")) {
        std::string_view first = xff->substr(0, xff->find(','));
        while (!first.empty() && first.front() == ' ') first.remove_prefix(1);
        while (!first.empty() && first.back() == ' ') first.remove_suffix(1);
        if (!first.empty()) return std::string(first);
      }
    }
    return req.remote_address;
  }

  // Rule A of wire-protocols §2.7 (and Rule B for sign-in/up with `login_guard`): a nullopt means allowed.
  std::optional<Response> check_origin(const Request& req, bool login_guard) const {
    const bool has_cookie = req.header("cookie").has_value();
    if (!has_cookie) {
      if (!login_guard) return std::nullopt;
      const auto site = req.header("sec-fetch-site");
      const auto mode = req.header("sec-fetch-mode");
      const bool fetch_metadata = site || mode || req.header("sec-fetch-dest");
      if (fetch_metadata) {
        if (site == "cross-site" && mode == "navigate") {
          return error(403, "CROSS_SITE_NAVIGATION_LOGIN_BLOCKED",
                       "Cross-site navigation login blocked. This request appears to be a CSRF attack.");
        }
        return validate_origin(req);
      }
      if (req.header("origin") || req.header("referer")) return validate_origin(req);
      return std::nullopt;  // no browser signals at all (curl, server-to-server): nothing to forge
    }
    return validate_origin(req);
  }

  std::optional<Response> validate_origin(const Request& req) const {
    std::optional<std::string> origin;
    if (auto o = req.header("origin")) {
      origin = std::string(*o);
    } else if (auto ref = req.header("referer")) {
      origin = origin_of(*ref).value_or("null");
    }
    if (!origin || origin->empty() || *origin == "null") {
      if (origin == "null" && req.header("sec-fetch-site") == "same-origin") return std::nullopt;
      return error(403, "MISSING_OR_NULL_ORIGIN", "Missing or null Origin");
    }
    if (!origins.is_trusted_origin(*origin)) return error(403, "INVALID_ORIGIN", "Invalid origin");
    return std::nullopt;
  }

  // ---- rate limit ----------------------------------------------------------------------------------------

  asio::awaitable<std::optional<Response>> rate_limit(const Request& req) {
    if (options.sign_in_rate_limit_max <= 0) co_return std::nullopt;
    const int window = static_cast<int>(options.sign_in_rate_limit_window.count());
    const std::string key = client_ip(req) + "|" + req.path;
    const db::Result r = co_await pool.query(kRateLimitSql, db::Params(key, window));
    // Expired windows are garbage: sweep them now and then, from whichever process happens to be counting.
    if (rate_limit_calls.fetch_add(1) % 1000 == 999) {
      co_await pool.query(kRateLimitCleanupSql, db::Params(window));
    }
    const auto row = r.front();
    if (row.get<std::int32_t>(0) > options.sign_in_rate_limit_max) {
      co_return too_many_requests(row.get<std::int32_t>(1));
    }
    co_return std::nullopt;
  }

  // ---- sessions ------------------------------------------------------------------------------------------

  asio::awaitable<std::optional<SessionWithUser>> find_session(std::string token) {
    const db::Result r = co_await pool.query(
        "SELECT session_id, user_id, expires_at_ms, session_created_ms, session_updated_ms, ip_address, "
        "user_agent, user_name, user_email, email_verified, user_image, user_created_ms, user_updated_ms "
        "FROM kianax_auth_session_by_token($1)",
        db::Params(token));
    if (r.empty()) co_return std::nullopt;
    const db::Row row = r.front();
    SessionWithUser out;
    out.session.id = row.get<std::string>(0);
    out.session.token = token;
    out.session.user_id = row.get<std::string>(1);
    out.session.expires_ms = row.get<std::int64_t>(2);
    out.session.created_ms = row.get<std::int64_t>(3);
    out.session.updated_ms = row.get<std::int64_t>(4);
    out.session.ip_address = row.get<std::optional<std::string>>(5);
    out.session.user_agent = row.get<std::optional<std::string>>(6);
    out.user.id = out.session.user_id;
    out.user.name = row.get<std::optional<std::string>>(7);
    out.user.email = row.get<std::string>(8);
    out.user.email_verified = row.get<bool>(9);
    out.user.image = row.get<std::optional<std::string>>(10);
    out.user.created_ms = row.get<std::int64_t>(11);
    out.user.updated_ms = row.get<std::int64_t>(12);
    co_return out;
  }

  asio::awaitable<void> delete_session(const std::string& user_id, const std::string& token) {
    cache.forget(token);
    co_await db::user_query(pool, user_id, kDeleteSessionSql, db::Params(token, user_id),
                            db::deadline_after(pool.options().query_timeout));
  }

  // The request's live session: nullopt for no/forged cookie and for an unknown or expired session (an
  // expired row is deleted on the way, as Better Auth does lazily).
  asio::awaitable<std::optional<SessionWithUser>> current_session(const Request& req) {
    const auto token = session_token(req);
    if (!token) co_return std::nullopt;
    auto found = co_await find_session(*token);
    if (!found) co_return std::nullopt;
    if (found->session.expires_ms <= now_ms()) {
      co_await delete_session(found->session.user_id, *token);
      co_return std::nullopt;
    }
    co_return found;
  }

  std::optional<std::string> user_agent(const Request& req) const {
    if (auto ua = req.header("user-agent")) return std::string(*ua);
    return std::nullopt;
  }

  // ---- endpoints -----------------------------------------------------------------------------------------

  asio::awaitable<Response> sign_up(Request& req) {
    if (auto denied = co_await rate_limit(req)) co_return std::move(*denied);
    if (auto denied = check_origin(req, true)) co_return std::move(*denied);
    auto parsed = parse_body(req, true);
    if (auto* err = std::get_if<Response>(&parsed)) co_return std::move(*err);
    const json::object& body = std::get<json::object>(parsed);

    auto name = string_field(body, "name", true);
    if (auto* err = std::get_if<Response>(&name)) co_return std::move(*err);
    auto email = string_field(body, "email", true);
    if (auto* err = std::get_if<Response>(&email)) co_return std::move(*err);
    auto password = string_field(body, "password", true);
    if (auto* err = std::get_if<Response>(&password)) co_return std::move(*err);
    auto image = string_field(body, "image", false);
    if (auto* err = std::get_if<Response>(&image)) co_return std::move(*err);
    auto callback = string_field(body, "callbackURL", false);
    if (auto* err = std::get_if<Response>(&callback)) co_return std::move(*err);
    // rememberMe:false ⇒ a one-day session and a browser-session cookie
    auto remember_field = bool_field(body, "rememberMe", true);
    if (auto* err = std::get_if<Response>(&remember_field)) co_return std::move(*err);
    const bool remember = std::get<bool>(remember_field);

    const std::string email_value = lower_ascii(*std::get<0>(email));
    if (!is_valid_email(email_value)) co_return validation_error("email", "Invalid email address");
    const std::string& pw = *std::get<0>(password);
    if (utf16_length(pw) < kMinPassword) co_return error(400, "PASSWORD_TOO_SHORT", "Password too short");
    if (utf16_length(pw) > kMaxPassword) co_return error(400, "PASSWORD_TOO_LONG", "Password too long");
    if (const auto& cb = std::get<0>(callback); cb && !origins.is_allowed_callback(*cb)) {
      co_return error(403, "INVALID_CALLBACK_URL", "Invalid callbackURL");
    }

    std::string hash;
    try {
      hash = co_await hasher.hash(pw);
    } catch (const HasherBusy&) {
      co_return too_many_requests(1);
    }

    UserRecord user;
    user.id = random_alphanumeric(32);
    user.name = *std::get<0>(name);
    user.email = email_value;
    user.image = std::get<0>(image);
    SessionRecord session;
    session.id = random_alphanumeric(32);
    session.token = random_alphanumeric(32);
    session.user_id = user.id;
    const std::int64_t expires = now_ms() + (remember ? kExpiresInMs : kDontRememberMs);
    const std::string ip = client_ip(req);
    const auto ua = user_agent(req);

    // The new user's own context: RLS admits rows whose user id is the one being created, so sign-up needs
    // no privileged function. ON CONFLICT DO NOTHING turns a taken e-mail into "no row" without an error.
    const bool created = co_await db::with_user_tx(
        pool, user.id, db::deadline_after(pool.options().query_timeout),
        [&](db::Transaction& tx) -> asio::awaitable<bool> {
          const db::Result u =
              co_await tx.query(insert_user_sql(), db::Params(user.id, *user.name, user.email, user.image));
          if (u.empty()) co_return false;
          user.created_ms = u.front().get<std::int64_t>(0);
          user.updated_ms = u.front().get<std::int64_t>(1);
          co_await tx.query(kInsertCredentialSql, db::Params(random_alphanumeric(32), user.id, hash));
          const db::Result s = co_await tx.query(
              insert_session_sql(), db::Params(session.id, user.id, session.token, expires, ip, ua));
          session = read_session(s.front());
          co_return true;
        });
    if (!created) {
      co_return error(422, "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL",
                      "User already exists. Use another email.");
    }
    json::object out;
    out["token"] = session.token;
    out["user"] = to_json(user);
    Response r = json_response(200, out);
    set_session_cookie(r, session);
    co_return r;
  }

  asio::awaitable<Response> sign_in(Request& req) {
    if (auto denied = co_await rate_limit(req)) co_return std::move(*denied);
    if (auto denied = check_origin(req, true)) co_return std::move(*denied);
    auto parsed = parse_body(req, true);
    if (auto* err = std::get_if<Response>(&parsed)) co_return std::move(*err);
    const json::object& body = std::get<json::object>(parsed);

    auto email = string_field(body, "email", true);
    if (auto* err = std::get_if<Response>(&email)) co_return std::move(*err);
    auto password = string_field(body, "password", true);
    if (auto* err = std::get_if<Response>(&password)) co_return std::move(*err);
    auto callback = string_field(body, "callbackURL", false);
    if (auto* err = std::get_if<Response>(&callback)) co_return std::move(*err);
    // rememberMe:false ⇒ a one-day session and a browser-session cookie
    auto remember_field = bool_field(body, "rememberMe", true);
    if (auto* err = std::get_if<Response>(&remember_field)) co_return std::move(*err);
    const bool remember = std::get<bool>(remember_field);
    const std::string email_value = lower_ascii(*std::get<0>(email));
    if (!is_valid_email(email_value)) co_return error(400, "INVALID_EMAIL", "Invalid email");
    const auto& cb = std::get<0>(callback);
    if (cb && !origins.is_allowed_callback(*cb)) {
      co_return error(403, "INVALID_CALLBACK_URL", "Invalid callbackURL");
    }

    const db::Result found = co_await pool.query(
        "SELECT user_id, password_hash FROM kianax_auth_credential_by_email($1)", db::Params(email_value));
    std::optional<std::string> user_id;
    std::optional<std::string> stored;
    if (!found.empty()) {
      user_id = found.front().get<std::string>(0);
      stored = found.front().get<std::optional<std::string>>(1);
    }
    bool ok = false;
    try {
      if (stored) {
        ok = co_await hasher.verify(*std::get<0>(password), *stored);
      } else {
        // Spend the same scrypt time for an unknown e-mail, so response time does not reveal which
        // addresses have accounts (Better Auth hashes here too).
        (void)co_await hasher.hash(*std::get<0>(password));
      }
    } catch (const HasherBusy&) {
      co_return too_many_requests(1);
    }
    if (!ok) co_return error(401, "INVALID_EMAIL_OR_PASSWORD", "Invalid email or password");

    const std::int64_t expires = now_ms() + (remember ? kExpiresInMs : kDontRememberMs);
    const db::Result r =
        co_await db::user_query(pool, *user_id, insert_session_with_user_sql(),
                                db::Params(random_alphanumeric(32), *user_id, random_alphanumeric(32),
                                           expires, client_ip(req), user_agent(req)),
                                db::deadline_after(pool.options().query_timeout));
    const db::Row row = r.front();
    const SessionRecord session = read_session(row);
    UserRecord user;
    user.id = *user_id;
    user.name = row.get<std::optional<std::string>>(8);
    user.email = row.get<std::string>(9);
    user.email_verified = row.get<bool>(10);
    user.image = row.get<std::optional<std::string>>(11);
    user.created_ms = row.get<std::int64_t>(12);
    user.updated_ms = row.get<std::int64_t>(13);

    json::object out;
    out["redirect"] = cb.has_value();
    out["token"] = session.token;
    if (cb) out["url"] = *cb;
    out["user"] = to_json(user);
    Response resp = json_response(200, out);
    if (cb) resp.set_header("location", *cb);
    set_session_cookie(resp, session);
    co_return resp;
  }

  asio::awaitable<Response> get_session(Request& req) {
    const bool had_cookie = session_token(req).has_value();
    auto current = co_await current_session(req);
    Response r;
    if (!current) {
      r = Response::json(200, "null");
      if (had_cookie) clear_session_cookie(r);  // a stale or revoked session: drop it from the browser
    } else {
      SessionRecord& s = current->session;
      // Sliding refresh (updateAge): a session older than a day is pushed to now + expiresIn.
      const std::int64_t now = now_ms();
      bool refreshed = false;
      if (!s.dont_remember() && s.expires_ms - kExpiresInMs + kUpdateAgeMs <= now) {
        const db::Result u = co_await db::user_query(pool, s.user_id, refresh_session_sql(),
                                                     db::Params(s.id, now + kExpiresInMs),
                                                     db::deadline_after(pool.options().query_timeout));
        if (!u.empty()) {
          s = read_session(u.front());
          refreshed = true;
        }
      }
      json::object out;
      out["session"] = to_json(s);
      out["user"] = to_json(current->user);
      r = json_response(200, out);
      if (refreshed) set_session_cookie(r, s);
    }
    r.set_header("cache-control", "no-store");
    r.set_header("pragma", "no-cache");
    co_return r;
  }

  asio::awaitable<Response> sign_out(Request& req) {
    if (auto denied = check_origin(req, false)) co_return std::move(*denied);
    if (auto token = session_token(req)) {
      if (auto found = co_await find_session(*token)) co_await delete_session(found->session.user_id, *token);
    }
    Response r = Response::json(200, R"({"success":true})");
    clear_session_cookie(r);
    co_return r;
  }

  asio::awaitable<Response> list_sessions(Request& req) {
    auto current = co_await current_session(req);
    if (!current) co_return error(401, "UNAUTHORIZED", "Unauthorized");
    if (now_ms() - current->session.created_ms > kFreshAgeMs) {
      co_return error(403, "SESSION_NOT_FRESH", "Session is not fresh");
    }
    const db::Result r = co_await db::user_query(pool, current->session.user_id, list_sessions_sql(),
                                                 db::Params(current->session.user_id),
                                                 db::deadline_after(pool.options().query_timeout));
    json::array out;
    for (const db::Row row : r) out.push_back(to_json(read_session(row)));
    co_return json_response(200, out);
  }

  asio::awaitable<Response> revoke_session(Request& req) {
    if (auto denied = check_origin(req, false)) co_return std::move(*denied);
    auto parsed = parse_body(req);
    if (auto* err = std::get_if<Response>(&parsed)) co_return std::move(*err);
    auto token = string_field(std::get<json::object>(parsed), "token", true);
    if (auto* err = std::get_if<Response>(&token)) co_return std::move(*err);
    auto current = co_await current_session(req);
    if (!current) co_return error(401, "UNAUTHORIZED", "Unauthorized");
    // Scoped to the caller's own sessions (the statement and RLS both say so): another user's token is a
    // no-op, not an error that would confirm it exists.
    co_await delete_session(current->session.user_id, *std::get<0>(token));
    co_return Response::json(200, R"({"status":true})");
  }

  // ---- Sign in with Google
  // ---------------------------------------------------------------------------------

  std::string google_redirect_uri() const {
    std::string base = options.base_url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base + "/api/auth/callback/google";
  }

  std::string error_page() const {
    std::string base = options.base_url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base + "/api/auth/error";
  }

  static Response redirect(const std::string& location) {
    Response r;
    r.status = 302;
    r.set_header("location", location);
    return r;
  }

  static std::string with_error(const std::string& url, std::string_view code) {
    return url + (url.find('?') == std::string::npos ? "?" : "&") + "error=" + uri_encode_component(code);
  }

  asio::awaitable<Response> sign_in_social(Request& req) {
    if (auto denied = co_await rate_limit(req)) co_return std::move(*denied);  // Better Auth: /sign-in*
    if (auto denied = check_origin(req, false)) co_return std::move(*denied);
    auto parsed = parse_body(req);
    if (auto* err = std::get_if<Response>(&parsed)) co_return std::move(*err);
    const json::object& body = std::get<json::object>(parsed);
    auto provider = string_field(body, "provider", true);
    if (auto* err = std::get_if<Response>(&provider)) co_return std::move(*err);
    if (*std::get<0>(provider) != "google" || !options.google) {
      co_return error(404, "PROVIDER_NOT_FOUND", "Provider not found");
    }
    json::object state_data;
    struct UrlField {
      const char* body_name;
      const char* state_name;
      const char* code;
      const char* message;
    };
    for (const UrlField& f :
         {UrlField{"callbackURL", "callbackURL", "INVALID_CALLBACK_URL", "Invalid callbackURL"},
          UrlField{"errorCallbackURL", "errorURL", "INVALID_ERROR_CALLBACK_URL", "Invalid errorCallbackURL"},
          UrlField{"newUserCallbackURL", "newUserURL", "INVALID_NEW_USER_CALLBACK_URL",
                   "Invalid newUserCallbackURL"}}) {
      auto v = string_field(body, f.body_name, false);
      if (auto* err = std::get_if<Response>(&v)) co_return std::move(*err);
      if (const auto& url = std::get<0>(v)) {
        if (!origins.is_allowed_callback(*url)) co_return error(403, f.code, f.message);
        state_data[f.state_name] = *url;
      }
    }
    bool disable_redirect = false;
    if (const json::value* v = body.if_contains("disableRedirect"); v && v->is_bool())
      disable_redirect = v->as_bool();

    const std::string state = random_alphanumeric(32);
    const std::string verifier = random_alphanumeric(128);
    const std::int64_t expires = now_ms() + 10 * 60 * 1000;
    if (!state_data.contains("callbackURL")) state_data["callbackURL"] = "/";
    state_data["codeVerifier"] = verifier;
    state_data["expiresAt"] = expires;
    state_data["oauthState"] = state;
    // The verification row is the server-side half of the state (Better Auth's database strategy); the
    // signed state cookie ties it to this browser.
    co_await pool.query(
        "INSERT INTO verifications (id, identifier, value, expires_at) "
        "VALUES ($1, $2, $3, to_timestamp($4::bigint / 1000.0))",
        db::Params(random_alphanumeric(32), "auth-state:" + state, json::serialize(state_data), expires));

    const std::string url =
        google_authorization_url(*options.google, state, pkce_challenge(verifier), google_redirect_uri());
    json::object out;
    out["url"] = url;
    out["redirect"] = !disable_redirect;
    Response r = json_response(200, out);
    if (!disable_redirect) r.set_header("location", url);
    r.headers.emplace_back("set-cookie",
                           set_cookie(cookie_name("state", secure), sign_cookie_value(options.secret, state),
                                      CookieOptions{.secure = secure, .max_age = 300}));
    co_return r;
  }

  std::optional<std::string> query_param(const Request& req, std::string_view name) const {
    std::string_view rest = req.query;
    while (!rest.empty()) {
      const auto amp = rest.find('&');
      std::string_view pair = rest.substr(0, amp);
      rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
      const auto eq = pair.find('=');
      if (pair.substr(0, eq) != name) continue;
      std::string value(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
      std::replace(value.begin(), value.end(), '+', ' ');
      return uri_decode_component(value);
    }
    return std::nullopt;
  }

  // response_mode=form_post: the provider POSTs the result; Better Auth answers with a 302 to the same URL
  // as a GET so the browser comes back with its SameSite=Lax state cookie. Parameters are re-encoded, never
  // copied raw into the Location header.
  asio::awaitable<Response> callback_google_post(Request& req) {
    std::string query;
    auto append = [&query](const json::object& fields) {
      for (const auto& [key, value] : fields) {
        if (!value.is_string()) continue;
        query += query.empty() ? "?" : "&";
        query += uri_encode_component(key) + "=" + uri_encode_component(value.as_string());
      }
    };
    if (auto from_query = parse_form(req.query)) append(*from_query);
    const auto type = req.header("content-type");
    if (type && lower_ascii(std::string(*type)).starts_with("application/x-www-form-urlencoded")) {
      if (auto from_body = parse_form(req.body)) append(*from_body);
    }
    std::string base = options.base_url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    co_return redirect(base + "/api/auth/callback/google" + query);
  }

  asio::awaitable<Response> callback_google(Request& req) {
    const auto state = query_param(req, "state");
    if (!state || state->empty()) co_return redirect(with_error(error_page(), "state_not_found"));
    // Ours are 32 characters of [A-Za-z0-9]; anything else cannot match a row (and is never sent to SQL).
    if (state->size() != 32 ||
        !std::all_of(state->begin(), state->end(), [](unsigned char c) { return std::isalnum(c); })) {
      co_return redirect(with_error(error_page(), "state_mismatch"));
    }
    // One use only: the row is deleted as it is read.
    const db::Result row = co_await pool.query(
        "DELETE FROM verifications WHERE identifier = $1 RETURNING value, " + epoch_ms_sql("expires_at"),
        db::Params("auth-state:" + *state));
    if (row.empty() || row.front().get<std::int64_t>(1) <= now_ms()) {
      co_return redirect(with_error(error_page(), "state_mismatch"));
    }
    // The browser finishing the flow must be the one that started it.
    std::optional<std::string> cookie_state;
    if (const auto header = req.header("cookie")) {
      for (const auto& [name, value] : parse_cookie_header(*header)) {
        if (name == cookie_name("state", secure)) cookie_state = verify_cookie_value(options.secret, value);
      }
    }
    if (!cookie_state || !constant_time_equal(*cookie_state, *state)) {
      co_return redirect(with_error(error_page(), "state_mismatch"));
    }
    boost::system::error_code ec;
    const json::value data = json::parse(row.front().text(0), ec);
    if (ec || !data.is_object()) co_return redirect(with_error(error_page(), "state_mismatch"));
    auto member = [&](std::string_view key) -> std::optional<std::string> {
      if (const json::value* v = data.as_object().if_contains(key); v && v->is_string()) {
        return std::string(v->as_string());
      }
      return std::nullopt;
    };
    const std::string callback = member("callbackURL").value_or("/");
    const std::string error_url = member("errorURL").value_or(error_page());
    const std::optional<std::string> new_user_url = member("newUserURL");
    const std::string verifier = member("codeVerifier").value_or("");

    if (auto provider_error = query_param(req, "error"))
      co_return redirect(with_error(error_url, *provider_error));
    const auto code = query_param(req, "code");
    if (!code || code->empty()) co_return redirect(with_error(error_url, "no_code"));

    const GoogleOptions google = *options.google;
    const std::string redirect_uri = google_redirect_uri();
    const std::string code_value = *code;
    auto exchange = [google, code_value, verifier, redirect_uri] {
      return google_exchange_code(google, code_value, verifier, redirect_uri);
    };
    const std::optional<GoogleTokens> tokens = co_await off_thread(std::move(exchange));
    if (!tokens) co_return redirect(with_error(error_url, "invalid_code"));
    const std::string access_token = tokens->access_token;
    auto info = [google, access_token] { return google_user_info(google, access_token); };
    const std::optional<GoogleUser> profile = co_await off_thread(std::move(info));
    if (!profile) co_return redirect(with_error(error_url, "unable_to_get_user_info"));
    if (profile->email.empty()) co_return redirect(with_error(error_url, "email_not_found"));
    const std::string email = lower_ascii(profile->email);

    std::optional<std::int64_t> token_expiry;
    if (tokens->expires_in_s) token_expiry = now_ms() + *tokens->expires_in_s * 1000;
    const std::string ip = client_ip(req);
    const auto ua = user_agent(req);
    const std::int64_t expires = now_ms() + kExpiresInMs;
    SessionRecord session;
    session.id = random_alphanumeric(32);
    session.token = random_alphanumeric(32);

    const db::Result existing =
        co_await pool.query("SELECT user_id FROM kianax_auth_credential_by_email($1)", db::Params(email));
    bool is_new = false;
    if (!existing.empty()) {
      const std::string user_id = existing.front().get<std::string>(0);
      // Better Auth 1.7's linking rule: an existing e-mail gets a Google account only when Google verified
      // the address and the local user's e-mail is verified too; otherwise account_not_linked.
      const bool linked = co_await db::with_user_tx(
          pool, user_id, db::deadline_after(pool.options().query_timeout),
          [&](db::Transaction& tx) -> asio::awaitable<bool> {
            const db::Result acc = co_await tx.query(
                "UPDATE accounts SET access_token = $3, refresh_token = coalesce($4, refresh_token), "
                "id_token = coalesce($5, id_token), scope = coalesce($6, scope), "
                "access_token_expires_at = to_timestamp($7::bigint / 1000.0) "
                "WHERE user_id = $1 AND provider_id = 'google' AND account_id = $2 RETURNING id",
                db::Params(user_id, profile->sub, tokens->access_token, tokens->refresh_token,
                           tokens->id_token, tokens->scope, token_expiry));
            if (acc.empty()) {
              const db::Result u =
                  co_await tx.query("SELECT email_verified FROM users WHERE id = $1", db::Params(user_id));
              if (u.empty() || !profile->email_verified || !u.front().get<bool>(0)) co_return false;
              co_await tx.query(
                  "INSERT INTO accounts (id, user_id, account_id, provider_id, access_token, refresh_token, "
                  "id_token, scope, access_token_expires_at) VALUES ($1, $2, $3, 'google', $4, $5, $6, $7, "
                  "to_timestamp($8::bigint / 1000.0))",
                  db::Params(random_alphanumeric(32), user_id, profile->sub, tokens->access_token,
                             tokens->refresh_token, tokens->id_token, tokens->scope, token_expiry));
            }
            const db::Result s = co_await tx.query(
                insert_session_sql(), db::Params(session.id, user_id, session.token, expires, ip, ua));
            session = read_session(s.front());
            co_return true;
          });
      if (!linked) co_return redirect(with_error(error_url, "account_not_linked"));
    } else {
      const std::string user_id = random_alphanumeric(32);
      const bool created = co_await db::with_user_tx(
          pool, user_id, db::deadline_after(pool.options().query_timeout),
          [&](db::Transaction& tx) -> asio::awaitable<bool> {
            const db::Result u = co_await tx.query(
                "INSERT INTO users (id, name, email, email_verified, image) VALUES ($1, $2, $3, $4, $5) "
                "ON CONFLICT (email) DO NOTHING RETURNING id",
                db::Params(user_id, profile->name.value_or(""), email, profile->email_verified,
                           profile->picture));
            if (u.empty()) co_return false;  // signed up concurrently: let the user retry
            co_await tx.query(
                "INSERT INTO accounts (id, user_id, account_id, provider_id, access_token, refresh_token, "
                "id_token, scope, access_token_expires_at) VALUES ($1, $2, $3, 'google', $4, $5, $6, $7, "
                "to_timestamp($8::bigint / 1000.0))",
                db::Params(random_alphanumeric(32), user_id, profile->sub, tokens->access_token,
                           tokens->refresh_token, tokens->id_token, tokens->scope, token_expiry));
            const db::Result s = co_await tx.query(
                insert_session_sql(), db::Params(session.id, user_id, session.token, expires, ip, ua));
            session = read_session(s.front());
            co_return true;
          });
      if (!created) co_return redirect(with_error(error_url, "unable_to_create_user"));
      is_new = true;
    }
    Response r = redirect(is_new && new_user_url ? *new_user_url : callback);
    set_session_cookie(r, session);
    co_return r;
  }
};

AuthService::AuthService(db::Pool& pool, AuthOptions options)
    : impl_(std::make_unique<Impl>(pool, std::move(options))) {}

AuthService::~AuthService() = default;

Authenticator& AuthService::authenticator() { return impl_->cache; }

void AuthService::add_routes(http::Router& router) {
  Impl* self = impl_.get();
  auto bind = [self](asio::awaitable<Response> (Impl::*fn)(Request&)) {
    return [self, fn](Request& req) -> asio::awaitable<Response> { co_return co_await (self->*fn)(req); };
  };
  router.add("POST", "/api/auth/sign-up/email", bind(&Impl::sign_up));
  router.add("POST", "/api/auth/sign-in/email", bind(&Impl::sign_in));
  router.add("GET", "/api/auth/get-session", bind(&Impl::get_session));
  router.add("POST", "/api/auth/sign-in/social", bind(&Impl::sign_in_social));
  router.add("GET", "/api/auth/callback/google", bind(&Impl::callback_google));
  router.add("POST", "/api/auth/callback/google", bind(&Impl::callback_google_post));
  router.add("POST", "/api/auth/sign-out", bind(&Impl::sign_out));
  router.add("GET", "/api/auth/list-sessions", bind(&Impl::list_sessions));
  router.add("POST", "/api/auth/revoke-session", bind(&Impl::revoke_session));
  router.add("GET", "/api/auth/ok",
             [](Request&) -> asio::awaitable<Response> { co_return Response::json(200, R"({"ok":true})"); });
  // Better Auth answers any other path under its base with 404 and an empty body.
  for (const char* method : {"GET", "POST"}) {
    router.add_prefix(method, "/api/auth/", [](Request&) -> asio::awaitable<Response> {
      Response r;
      r.status = 404;
      co_return r;
    });
  }
}

}  // namespace kianax::auth
