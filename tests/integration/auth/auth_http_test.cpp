// The auth endpoints end to end inside one process: http::Server on loopback, AuthService over a pool of the
// RLS-bound app role, a fresh migrated database per test. Requests are plain HTTP/1.1 written by hand, so
// what is checked is exactly what goes over the wire.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/asio/write.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <optional>
#include <thread>

#include "auth/auth_service.hpp"
#include "auth/cookies.hpp"
#include "db/migration_runner.hpp"
#include "db/pool.hpp"
#include "db/sync_connection.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "pg_harness/run_sync.hpp"
#include "pg_harness/test_cluster.hpp"

namespace kianax::auth {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;

constexpr const char* kSecret = "integration-test-secret-0123456789abcdef";
constexpr const char* kOrigin = "http://app.test";

struct Reply {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;

  [[nodiscard]] std::optional<std::string> header(const std::string& name) const {
    for (const auto& [n, v] : headers) {
      if (n == name) return v;
    }
    return std::nullopt;
  }
  [[nodiscard]] json::value json() const { return json::parse(body); }
  // "better-auth.session_token=<value>" from Set-Cookie, ready for a Cookie header.
  [[nodiscard]] std::string session_cookie() const {
    auto c = header("set-cookie");
    if (!c) return {};
    return c->substr(0, c->find(';'));
  }
};

// One server process's worth of auth: its own io threads, pool and AuthService over the shared database.
struct Node {
  Node(const std::string& conninfo, AuthOptions options)
      : pool(io, db::PoolOptions{.conninfo = conninfo, .max_connections = 4}),
        auth(pool, std::move(options)) {
    auth.add_routes(router);
    server = std::make_unique<http::Server>(io, router, http::ServerOptions{.host = "127.0.0.1", .port = 0});
    port = server->listen();
    work.emplace(io.get_executor());
    thread = std::thread([this] { io.run(); });
  }
  ~Node() {
    server->stop();
    work.reset();
    io.stop();
    thread.join();
  }

  Reply request(const std::string& method, const std::string& target, const std::string& body = "",
                std::vector<std::pair<std::string, std::string>> headers = {}) const {
    asio::io_context client_io;
    asio::ip::tcp::socket socket(client_io);
    socket.connect({asio::ip::make_address("127.0.0.1"), port});
    std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
    for (const auto& [n, v] : headers) req += n + ": " + v + "\r\n";
    const bool typed =
        std::any_of(headers.begin(), headers.end(), [](const auto& h) { return h.first == "Content-Type"; });
    if (typed) {
      req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    } else if (!body.empty() || method == "POST") {
      req += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
    }
    req += "\r\n" + body;
    asio::write(socket, asio::buffer(req));
    std::string raw;
    boost::system::error_code ec;
    asio::read(socket, asio::dynamic_buffer(raw), ec);
    Reply r;
    const auto head_end = raw.find("\r\n\r\n");
    EXPECT_NE(head_end, std::string::npos) << raw;
    std::string head = raw.substr(0, head_end);
    r.body = raw.substr(head_end + 4);
    r.status = std::stoi(head.substr(9, 3));
    std::size_t pos = head.find("\r\n");
    bool chunked = false;
    while (pos != std::string::npos) {
      const auto next = head.find("\r\n", pos + 2);
      std::string line = head.substr(pos + 2, next == std::string::npos ? std::string::npos : next - pos - 2);
      const auto colon = line.find(':');
      if (colon != std::string::npos) {
        std::string name = line.substr(0, colon);
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        std::string value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.erase(0, 1);
        if (name == "transfer-encoding" && value == "chunked") chunked = true;
        r.headers.emplace_back(name, value);
      }
      pos = next;
    }
    EXPECT_FALSE(chunked) << "auth replies are not streamed";
    return r;
  }

  // Authenticator::authenticate on the node's io threads, awaited from the test thread.
  std::optional<AuthenticatedUser> authenticate(const std::string& cookie) {
    http::Request req;
    req.headers = {{"cookie", cookie}};
    auto fut = asio::co_spawn(
        io,
        [this, req]() -> asio::awaitable<std::optional<AuthenticatedUser>> {
          co_return co_await auth.authenticator().authenticate(req);
        },
        asio::use_future);
    return fut.get();
  }

  asio::io_context io{2};
  db::Pool pool;
  AuthService auth;
  http::Router router;
  std::unique_ptr<http::Server> server;
  std::uint16_t port = 0;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::thread thread;
};

AuthOptions test_options(int rate_limit_max = 1000) {
  return AuthOptions{.secret = kSecret,
                     .base_url = "http://localhost:3000",
                     .trusted_origins = {kOrigin},
                     .sign_in_rate_limit_max = rate_limit_max,
                     .hasher_threads = 1};
}

using Headers = std::vector<std::pair<std::string, std::string>>;
Headers browser(const std::string& cookie = "") {
  Headers h{{"Origin", kOrigin}, {"User-Agent", "gtest"}};
  if (!cookie.empty()) h.emplace_back("Cookie", cookie);
  return h;
}

class AuthHttpTest : public ::testing::Test {
 protected:
  kianax::testing::TestDatabase database = kianax::testing::TestCluster::shared().create_database();
  db::SyncConnection owner() { return db::SyncConnection::open(database.owner_conninfo()); }

  Reply sign_up(const Node& n, const std::string& email, const std::string& password = "password123") {
    return n.request("POST", "/api/auth/sign-up/email",
                     R"({"name":"Alice","email":")" + email + R"(","password":")" + password + R"("})",
                     browser());
  }
  Reply sign_in(const Node& n, const std::string& email, const std::string& password,
                const std::string& extra = "") {
    return n.request("POST", "/api/auth/sign-in/email",
                     R"({"email":")" + email + R"(","password":")" + password + "\"" + extra + "}",
                     browser());
  }
};

TEST_F(AuthHttpTest, SignUpSignInSessionsAndSignOut) {
  Node node(database.app_conninfo(), test_options());

  Reply up = sign_up(node, "Alice@Example.com");
  ASSERT_EQ(up.status, 200) << up.body;
  const json::value body = up.json();
  const std::string user_id(body.at("user").at("id").as_string());
  EXPECT_EQ(user_id.size(), 32u);
  EXPECT_EQ(body.at("user").at("email").as_string(), "alice@example.com");
  EXPECT_EQ(body.at("user").at("emailVerified").as_bool(), false);
  EXPECT_EQ(body.at("token").as_string().size(), 32u);
  EXPECT_EQ(up.body.find("password"), std::string::npos);
  const std::string set = up.header("set-cookie").value();
  EXPECT_EQ(set, "better-auth.session_token=" +
                     sign_cookie_value(kSecret, std::string(body.at("token").as_string())) +
                     "; Max-Age=604800; Path=/; HttpOnly; SameSite=Lax");

  // The credential account holds Better Auth's hash format, never the password.
  {
    auto o = owner();
    auto r = o.exec("SELECT account_id, provider_id, password FROM accounts WHERE user_id = $1",
                    db::Params(user_id));
    ASSERT_EQ(r.size(), 1);
    EXPECT_EQ(r.front().get<std::string>(0), user_id);
    EXPECT_EQ(r.front().get<std::string>(1), "credential");
    EXPECT_EQ(r.front().get<std::string>(2).size(), 161u);
  }

  Reply dup = sign_up(node, "alice@example.com");
  EXPECT_EQ(dup.status, 422);
  EXPECT_EQ(dup.json().at("code").as_string(), "USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL");

  Reply wrong = sign_in(node, "alice@example.com", "password124");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(wrong.json().at("code").as_string(), "INVALID_EMAIL_OR_PASSWORD");
  Reply unknown = sign_in(node, "nobody@example.com", "password123");
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(unknown.body, wrong.body) << "unknown e-mail and wrong password are indistinguishable";

  Reply in = sign_in(node, "ALICE@example.com", "password123", R"(,"callbackURL":"/dashboard")");
  ASSERT_EQ(in.status, 200) << in.body;
  EXPECT_EQ(in.json().at("redirect").as_bool(), true);
  EXPECT_EQ(in.json().at("url").as_string(), "/dashboard");
  EXPECT_EQ(in.header("location").value_or(""), "/dashboard");
  const std::string cookie = in.session_cookie();

  Reply session = node.request("GET", "/api/auth/get-session", "", browser(cookie));
  ASSERT_EQ(session.status, 200);
  EXPECT_EQ(session.json().at("user").at("id").as_string(), user_id);
  EXPECT_EQ(session.json().at("session").at("userAgent").as_string(), "gtest");
  EXPECT_EQ(session.header("cache-control").value_or(""), "no-store");

  auto who = node.authenticate(cookie);
  ASSERT_TRUE(who.has_value());
  EXPECT_EQ(who->user_id, user_id);
  Reply list = node.request("GET", "/api/auth/list-sessions", "", browser(cookie));
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_EQ(list.json().as_array().size(), 2u);  // the sign-up's and the sign-in's

  // Revoke the sign-up session from the sign-in one.
  const std::string first_token(body.at("token").as_string());
  Reply revoke = node.request("POST", "/api/auth/revoke-session", R"({"token":")" + first_token + R"("})",
                              browser(cookie));
  EXPECT_EQ(revoke.status, 200) << revoke.body;
  EXPECT_EQ(node.request("GET", "/api/auth/get-session", "", browser(up.session_cookie())).body, "null");
  EXPECT_EQ(node.request("GET", "/api/auth/list-sessions", "", browser(cookie)).json().as_array().size(), 1u);

  Reply out = node.request("POST", "/api/auth/sign-out", "{}", browser(cookie));
  EXPECT_EQ(out.status, 200);
  EXPECT_EQ(out.body, R"({"success":true})");
  EXPECT_EQ(out.header("set-cookie").value_or(""),
            "better-auth.session_token=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax");
  EXPECT_EQ(node.request("GET", "/api/auth/get-session", "", browser(cookie)).body, "null");
  EXPECT_EQ(node.request("GET", "/api/auth/list-sessions", "", browser(cookie)).status, 401);
  EXPECT_FALSE(node.authenticate(cookie).has_value()) << "sign-out takes effect at once in this process";
}

TEST_F(AuthHttpTest, ForgedOrTamperedCookiesAreAnonymous) {
  Node node(database.app_conninfo(), test_options());
  Reply up = sign_up(node, "bob@example.com");
  ASSERT_EQ(up.status, 200);
  const std::string token(up.json().at("token").as_string());
  // Right token, signature from another secret; and a valid signature over another token.
  const std::string forged =
      "better-auth.session_token=" + sign_cookie_value("not-the-secret-not-the-secret!!", token);
  std::string tampered = up.session_cookie();
  tampered[std::string("better-auth.session_token=").size()] ^= 1;
  for (const auto& c :
       {forged, tampered, "better-auth.session_token=" + token, "__Secure-" + up.session_cookie()}) {
    Reply r = node.request("GET", "/api/auth/get-session", "", browser(c));
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "null") << c;
    EXPECT_FALSE(node.authenticate(c).has_value()) << c;
  }
  EXPECT_TRUE(node.authenticate(up.session_cookie()).has_value());
}

TEST_F(AuthHttpTest, ValidationAndOriginErrorsAreBetterAuths) {
  Node node(database.app_conninfo(), test_options());
  auto code = [](const Reply& r) { return std::string(r.json().at("code").as_string()); };

  Reply no_name = node.request("POST", "/api/auth/sign-up/email",
                               R"({"email":"a@example.com","password":"password123"})", browser());
  EXPECT_EQ(no_name.status, 400);
  EXPECT_EQ(no_name.json().at("message").as_string(),
            "[body.name] Invalid input: expected string, received undefined");
  Reply bad_email = node.request("POST", "/api/auth/sign-up/email",
                                 R"({"name":"A","email":"nope","password":"password123"})", browser());
  EXPECT_EQ(bad_email.status, 400);
  EXPECT_EQ(bad_email.json().at("message").as_string(), "[body.email] Invalid email address");
  EXPECT_EQ(code(sign_up(node, "a@example.com", "short")), "PASSWORD_TOO_SHORT");
  EXPECT_EQ(code(sign_up(node, "a@example.com", std::string(129, 'x'))), "PASSWORD_TOO_LONG");
  // U+0000 cannot be stored in PostgreSQL text: a 400, never a 500 from the database.
  Reply nul =
      node.request("POST", "/api/auth/sign-up/email",
                   R"({"name":"a\u0000b","email":"nul@example.com","password":"password123"})", browser());
  EXPECT_EQ(nul.status, 400) << nul.body;
  EXPECT_EQ(code(nul), "VALIDATION_ERROR");
  Reply nul_token = node.request("POST", "/api/auth/revoke-session", R"({"token":"\u0000"})", browser("a=b"));
  EXPECT_EQ(nul_token.status, 400) << nul_token.body;
  Reply not_json = node.request("POST", "/api/auth/sign-up/email", "{", browser());
  EXPECT_EQ(not_json.status, 400);
  EXPECT_EQ(code(not_json), "VALIDATION_ERROR");
  Reply wrong_type =
      node.request("POST", "/api/auth/sign-in/email", R"({"email":1,"password":"x"})", browser());
  EXPECT_EQ(wrong_type.json().at("message").as_string(),
            "[body.email] Invalid input: expected string, received number");

  // Origin rules: a foreign origin never signs in; a cookie-bearing POST needs a trusted Origin.
  Reply evil = node.request("POST", "/api/auth/sign-up/email",
                            R"({"name":"A","email":"e@example.com","password":"password123"})",
                            {{"Origin", "https://evil.example"}});
  EXPECT_EQ(evil.status, 403);
  EXPECT_EQ(code(evil), "INVALID_ORIGIN");
  Reply fetch_no_origin =
      node.request("POST", "/api/auth/sign-in/email", R"({"email":"e@example.com","password":"password123"})",
                   {{"Sec-Fetch-Mode", "cors"}});
  EXPECT_EQ(code(fetch_no_origin), "MISSING_OR_NULL_ORIGIN");
  Reply navigate =
      node.request("POST", "/api/auth/sign-in/email", R"({"email":"e@example.com","password":"password123"})",
                   {{"Sec-Fetch-Mode", "navigate"}, {"Sec-Fetch-Site", "cross-site"}, {"Origin", kOrigin}});
  EXPECT_EQ(code(navigate), "CROSS_SITE_NAVIGATION_LOGIN_BLOCKED");
  Reply out = node.request("POST", "/api/auth/sign-out", "{}", {{"Cookie", "a=b"}});
  EXPECT_EQ(code(out), "MISSING_OR_NULL_ORIGIN");
  Reply open_redirect = sign_in(node, "e@example.com", "password123", R"(,"callbackURL":"//evil.example/x")");
  EXPECT_EQ(open_redirect.status, 403);
  EXPECT_EQ(code(open_redirect), "INVALID_CALLBACK_URL");

  EXPECT_EQ(node.request("GET", "/api/auth/ok").body, R"({"ok":true})");
  Reply missing = node.request("GET", "/api/auth/no-such-endpoint");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body, "");
  EXPECT_EQ(node.request("GET", "/api/auth/get-session").body, "null");
  EXPECT_EQ(code(node.request("GET", "/api/auth/list-sessions")), "UNAUTHORIZED");
}

TEST_F(AuthHttpTest, AHashWrittenByBetterAuthVerifies) {
  // node: scryptSync("correct horse battery".normalize("NFKC"), salt, 64, {N:16384, r:16, p:1}), as a
  // migrated Better Auth user's account row would hold it.
  const std::string hash =
      "0123456789abcdef0123456789abcdef:"
      "b87ad68e260d745e9edfac97cc70f72a8fbb1771cf033e8d2b3c360d3788e3548d977bae5"
      "090f5d6cd75f5190a6fbe6b0b5737d5420119bd1e44ccdc779acfe5";
  {
    auto o = owner();
    o.exec("INSERT INTO users (id, name, email) VALUES ('migrated-user', 'M', 'm@example.com')", {});
    o.exec(
        "INSERT INTO accounts (id, user_id, account_id, provider_id, password) "
        "VALUES ('acc1', 'migrated-user', 'migrated-user', 'credential', $1)",
        db::Params(hash));
  }
  Node node(database.app_conninfo(), test_options());
  EXPECT_EQ(sign_in(node, "m@example.com", "correct horse battery x").status, 401);
  Reply ok = sign_in(node, "M@example.com", "correct horse battery");
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.json().at("user").at("id").as_string(), "migrated-user");
}

TEST_F(AuthHttpTest, RateLimitIsSharedAcrossProcesses) {
  // Two nodes over one database stand for two `serve` processes behind a load balancer.
  Node a(database.app_conninfo(), test_options(3));
  Node b(database.app_conninfo(), test_options(3));
  EXPECT_EQ(sign_in(a, "x@example.com", "password123").status, 401);
  EXPECT_EQ(sign_in(b, "x@example.com", "password123").status, 401);
  EXPECT_EQ(sign_in(a, "x@example.com", "password123").status, 401);
  Reply limited = sign_in(b, "x@example.com", "password123");
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.body, R"({"message":"Too many requests. Please try again later."})");
  EXPECT_TRUE(limited.header("x-retry-after").has_value());
  // Another path has its own budget; other endpoints are not limited here.
  EXPECT_EQ(sign_up(a, "y@example.com").status, 200);
  EXPECT_EQ(a.request("GET", "/api/auth/ok").status, 200);
}

TEST_F(AuthHttpTest, SlidingRefreshAndFreshness) {
  Node node(database.app_conninfo(), test_options());
  Reply up = sign_up(node, "old@example.com");
  ASSERT_EQ(up.status, 200);
  const std::string token(up.json().at("token").as_string());
  // Make the session two days old: it is refreshed to a full week and the cookie re-set; list-sessions,
  // behind the freshness guard, now refuses.
  owner().exec(
      "UPDATE sessions SET created_at = now() - interval '2 days', expires_at = now() + interval '5 days' "
      "WHERE token = $1",
      db::Params(token));
  Reply s = node.request("GET", "/api/auth/get-session", "", browser(up.session_cookie()));
  ASSERT_EQ(s.status, 200) << s.body;
  EXPECT_TRUE(s.header("set-cookie").has_value());
  auto r = owner().exec("SELECT expires_at > now() + interval '6 days' FROM sessions WHERE token = $1",
                        db::Params(token));
  EXPECT_TRUE(r.front().get<bool>(0));
  Reply list = node.request("GET", "/api/auth/list-sessions", "", browser(up.session_cookie()));
  EXPECT_EQ(list.status, 403);
  EXPECT_EQ(list.json().at("code").as_string(), "SESSION_NOT_FRESH");

  // Expired: anonymous, cookie cleared, row deleted.
  owner().exec("UPDATE sessions SET expires_at = now() - interval '1 second' WHERE token = $1",
               db::Params(token));
  Reply gone = node.request("GET", "/api/auth/get-session", "", browser(up.session_cookie()));
  EXPECT_EQ(gone.body, "null");
  EXPECT_EQ(gone.header("set-cookie").value_or(""),
            "better-auth.session_token=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax");
  EXPECT_EQ(owner()
                .exec("SELECT count(*) FROM sessions WHERE token = $1", db::Params(token))
                .front()
                .get<std::int64_t>(0),
            0);
}

TEST_F(AuthHttpTest, RememberMeFalseIsABrowserSessionOfOneDay) {
  Node node(database.app_conninfo(), test_options());
  ASSERT_EQ(sign_up(node, "short@example.com").status, 200);
  Reply in = sign_in(node, "short@example.com", "password123", R"(,"rememberMe":false)");
  ASSERT_EQ(in.status, 200);
  EXPECT_EQ(in.header("set-cookie").value_or("").find("Max-Age"), std::string::npos);
  auto r = owner().exec("SELECT expires_at < now() + interval '25 hours' FROM sessions WHERE token = $1",
                        db::Params(std::string(in.json().at("token").as_string())));
  EXPECT_TRUE(r.front().get<bool>(0));
}

TEST_F(AuthHttpTest, HtmlFormPostsAreAcceptedOnSignUpAndSignIn) {
  Node node(database.app_conninfo(), test_options());
  Headers form = browser();
  form.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  Reply up =
      node.request("POST", "/api/auth/sign-up/email",
                   "name=Form+User&email=form%40example.com&password=pass+word%2B1&rememberMe=false", form);
  ASSERT_EQ(up.status, 200) << up.body;
  EXPECT_EQ(up.json().at("user").at("name").as_string(), "Form User");
  EXPECT_EQ(up.header("set-cookie").value_or("").find("Max-Age"), std::string::npos) << "rememberMe=false";
  Reply in = node.request("POST", "/api/auth/sign-in/email",
                          "email=form%40example.com&password=pass+word%2B1", form);
  EXPECT_EQ(in.status, 200) << in.body;
  Reply bad = node.request("POST", "/api/auth/sign-in/email", "email=%zz", form);
  EXPECT_EQ(bad.status, 400);
  // Other endpoints take JSON only.
  Reply out = node.request("POST", "/api/auth/revoke-session", "token=x", form);
  EXPECT_EQ(out.status, 400);
}

TEST_F(AuthHttpTest, AppRoleStillCannotReadAuthTablesWithoutContext) {
  Node node(database.app_conninfo(), test_options());
  ASSERT_EQ(sign_up(node, "rls@example.com").status, 200);
  auto app = db::SyncConnection::open(database.app_conninfo());
  EXPECT_EQ(app.exec("SELECT count(*) FROM sessions", {}).front().get<std::int64_t>(0), 0);
  EXPECT_EQ(app.exec("SELECT count(*) FROM users", {}).front().get<std::int64_t>(0), 0);
  EXPECT_EQ(app.exec("SELECT count(*) FROM accounts", {}).front().get<std::int64_t>(0), 0);
  // The definer functions answer only what a token or an e-mail names.
  EXPECT_EQ(app.exec("SELECT count(*) FROM kianax_auth_session_by_token('not-a-token')", {})
                .front()
                .get<std::int64_t>(0),
            0);
}

}  // namespace
}  // namespace kianax::auth

namespace kianax::auth {
namespace {

// In production the migrating owner (DIRECT_URL) need not be a superuser, and FORCE ROW LEVEL SECURITY then
// applies to it too: the definer functions must still see rows (0002's owner-only policies), while the app
// role still sees nothing without a user context.
TEST(AuthMigration, WorksWhenTheOwnerIsNotASuperuser) {
  auto& cluster = kianax::testing::TestCluster::shared();
  kianax::testing::TestDatabase database = cluster.create_empty_database();
  {
    auto su = db::SyncConnection::open(database.owner_conninfo());
    su.exec(
        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'kianax_auth_owner_test') THEN "
        "CREATE ROLE kianax_auth_owner_test LOGIN NOSUPERUSER NOBYPASSRLS; END IF; END $$");
    su.exec("ALTER DATABASE " + database.name() + " OWNER TO kianax_auth_owner_test");
  }
  // Up to 0002 only: what this suite checks is auth's migration, whatever later ones require of the owner.
  std::vector<db::MigrationFile> files;
  for (const auto& f : db::embedded_migrations()) {
    if (f.version <= "0002") files.push_back(f);
  }
  db::MigrationRunner(cluster.conninfo(database.name(), "kianax_auth_owner_test"), files).migrate();
  {
    auto su = db::SyncConnection::open(database.owner_conninfo());
    EXPECT_FALSE(su.exec("SELECT rolsuper FROM pg_roles r JOIN pg_class c ON c.relowner = r.oid "
                         "WHERE c.relname = 'sessions'")
                     .front()
                     .get<bool>(0));
  }
  Node node(database.app_conninfo(), test_options());
  Reply up = node.request("POST", "/api/auth/sign-up/email",
                          R"({"name":"O","email":"owner@example.com","password":"password123"})", browser());
  ASSERT_EQ(up.status, 200) << up.body;
  Reply in = node.request("POST", "/api/auth/sign-in/email",
                          R"({"email":"owner@example.com","password":"password123"})", browser());
  ASSERT_EQ(in.status, 200) << in.body;
  Reply s = node.request("GET", "/api/auth/get-session", "", browser(in.session_cookie()));
  EXPECT_EQ(s.json().at("user").at("email").as_string(), "owner@example.com");
  auto app = db::SyncConnection::open(database.app_conninfo());
  EXPECT_EQ(app.exec("SELECT count(*) FROM sessions", {}).front().get<std::int64_t>(0), 0);
}

}  // namespace
}  // namespace kianax::auth
