// OAuth connect: credentials.oauthStart builds the provider URL (signed state, PKCE S256, one redirect URI);
// GET /api/oauth/callback verifies state and session, exchanges the code at a fake token endpoint, and
// stores sealed tokens with metadata {status:"active"}.
#include <boost/asio/executor_work_guard.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <mutex>

#include "api/oauth_state.hpp"
#include "api_fixture.hpp"
#include "plugins/credential_types.hpp"
#include "plugins/net/url.hpp"

namespace kianax::api::testing {
namespace {
namespace asio = boost::asio;
namespace json = boost::json;

// One fake token endpoint for the process (its own io thread), started before any fixture needs its port.
class FakeTokenEndpoint {
 public:
  static FakeTokenEndpoint& shared() {
    static FakeTokenEndpoint endpoint;
    return endpoint;
  }
  std::string last_form() {
    std::lock_guard lock(mutex_);
    return last_form_;
  }
  std::uint16_t port = 0;

 private:
  FakeTokenEndpoint() {
    router_.add("POST", "/token", [this](http::Request& request) -> asio::awaitable<http::Response> {
      {
        std::lock_guard lock(mutex_);
        last_form_ = request.body;
      }
      co_return http::Response::json(200,
                                     R"({"access_token":"at-1","refresh_token":"rt-1","expires_in":3600})");
    });
    server_ =
        std::make_unique<http::Server>(io_, router_, http::ServerOptions{.host = "127.0.0.1", .port = 0});
    port = server_->listen();
    work_.emplace(io_.get_executor());
    thread_ = std::thread([this] { io_.run(); });
    thread_.detach();  // lives until the process exits
  }
  asio::io_context io_;
  http::Router router_;
  std::unique_ptr<http::Server> server_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  std::thread thread_;
  std::mutex mutex_;
  std::string last_form_;
};

ApiOptions oauth_options() {
  auto& endpoint = FakeTokenEndpoint::shared();
  ::setenv("GOOGLE_CLIENT_ID", "client-id", 1);
  ::setenv("GOOGLE_CLIENT_SECRET", "client-secret", 1);
  ::setenv("KIANAX_GOOGLE_OAUTH_TOKEN_URL",
           ("http://127.0.0.1:" + std::to_string(endpoint.port) + "/token").c_str(), 1);
  static const plugins::CredentialTypeRegistry types = plugins::make_builtin_credential_types();
  ApiOptions options = ApiTest::test_options();
  options.credential_types = &types;
  options.public_url = "http://app.test";
  options.oauth_http.policy.allowed_endpoints = {{"127.0.0.1", endpoint.port}};
  return options;
}

std::string query_value(const std::string& url, const std::string& name) {
  const auto q = url.find('?');
  std::string_view rest = q == std::string::npos ? std::string_view{} : std::string_view(url).substr(q + 1);
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const auto pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    const auto eq = pair.find('=');
    if (pair.substr(0, eq) == name) return plugins::net::form_decode(pair.substr(eq + 1));
  }
  return "";
}

class OAuthConnect : public ApiTest {
 protected:
  OAuthConnect() : ApiTest(oauth_options()) {}

  std::string pending_credential(const std::string& user) {
    const auto r = mutate("credentials.create",
                          json::object{{"typeId", "google-sheets-oauth"},
                                       {"name", "Sheets"},
                                       {"data", "{}"},
                                       {"metadata", json::object{{"status", "pending_oauth"}}}},
                          user);
    EXPECT_EQ(r.status, 200) << r.body;
    return std::string(r.data().as_string());
  }
  std::string start(const std::string& user, const std::string& credential) {
    const auto r = mutate("credentials.oauthStart", json::object{{"credentialId", credential}}, user);
    EXPECT_EQ(r.status, 200) << r.body;
    return std::string(r.data().at("authorizationUrl").as_string());
  }
  json::object stored_data(const std::string& user) {
    const auto raw = owner().exec("SELECT data FROM user_credentials");
    const vault::Vault v = *test_options().vault;
    return json::parse(v.decrypt(raw.front().get<std::string>(0), user)).as_object();
  }
};

TEST_F(OAuthConnect, start_returns_provider_url_with_signed_state_and_pkce) {
  const auto url = start("alice", pending_credential("alice"));
  EXPECT_EQ(url.rfind("https://accounts.google.com/o/oauth2/v2/auth?", 0), 0u) << url;
  EXPECT_EQ(query_value(url, "redirect_uri"), "http://app.test/api/oauth/callback");
  EXPECT_EQ(query_value(url, "client_id"), "client-id");
  EXPECT_EQ(query_value(url, "code_challenge_method"), "S256");
  EXPECT_FALSE(query_value(url, "code_challenge").empty());
  EXPECT_NE(query_value(url, "state").find('.'), std::string::npos);
}

TEST_F(OAuthConnect, callback_exchanges_the_code_and_stores_sealed_tokens) {
  const auto credential = pending_credential("alice");
  const auto url = start("alice", credential);
  const auto state = query_value(url, "state");
  const auto r = raw_get("/api/oauth/callback?code=code-1&state=" + encode(state), "alice");
  EXPECT_EQ(r.status, 302);
  EXPECT_EQ(r.location, "http://app.test/dashboard/settings/credentials?status=success");
  const auto form = FakeTokenEndpoint::shared().last_form();
  EXPECT_NE(form.find("grant_type=authorization_code"), std::string::npos);
  EXPECT_NE(form.find("code=code-1"), std::string::npos);
  // The verifier sent now hashes to the challenge sent at the start (PKCE S256).
  const auto verifier = query_value("?" + form, "code_verifier");
  EXPECT_EQ(OAuthStateSigner::pkce_challenge(verifier), query_value(url, "code_challenge"));
  const auto data = stored_data("alice");
  EXPECT_EQ(data.at("access_token"), "at-1");
  EXPECT_EQ(data.at("refresh_token"), "rt-1");
  EXPECT_TRUE(data.at("expires_at").is_int64());
  EXPECT_EQ(count("SELECT count(*) FROM user_credentials WHERE metadata->>'status' = 'active'"), 1);
  const auto raw = owner().exec("SELECT data FROM user_credentials");
  EXPECT_EQ(raw.front().get<std::string>(0).find("at-1"), std::string::npos);
}

TEST_F(OAuthConnect, callback_refuses_another_session_and_forged_state) {
  const auto credential = pending_credential("alice");
  const auto state = query_value(start("alice", credential), "state");
  const auto as_bob = raw_get("/api/oauth/callback?code=c&state=" + encode(state), "bob");
  EXPECT_EQ(as_bob.status, 302);
  EXPECT_NE(as_bob.location.find("status=error"), std::string::npos);
  auto forged = state;
  forged.back() = forged.back() == 'A' ? 'B' : 'A';
  const auto forged_reply = raw_get("/api/oauth/callback?code=c&state=" + encode(forged), "alice");
  EXPECT_NE(forged_reply.location.find("status=error"), std::string::npos);
  EXPECT_EQ(count("SELECT count(*) FROM user_credentials WHERE metadata->>'status' = 'pending_oauth'"), 1);
}

TEST_F(OAuthConnect, start_on_a_simple_type_is_bad_request) {
  const auto r =
      mutate("credentials.create",
             json::object{{"typeId", "openai-api"}, {"name", "k"}, {"data", R"({"apiKey":"x"})"}}, "alice");
  const auto start_reply =
      mutate("credentials.oauthStart", json::object{{"credentialId", r.data()}}, "alice");
  EXPECT_EQ(start_reply.status, 400);
  EXPECT_EQ(start_reply.error_code(), "BAD_REQUEST");
}

}  // namespace
}  // namespace kianax::api::testing
