#include "api/oauth_callback.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>

#include "api/trpc_request.hpp"
#include "db/transaction.hpp"
#include "plugins/net/oauth2_token.hpp"
#include "plugins/net/url.hpp"
#include "store/credential_repository.hpp"
#include "vault/vault.hpp"

namespace kianax::api {
namespace asio = boost::asio;
namespace json = boost::json;

namespace {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::optional<std::string> param(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    const auto eq = pair.find('=');
    if (url_decode(pair.substr(0, eq), true) == name) {
      return eq == std::string_view::npos ? std::string() : url_decode(pair.substr(eq + 1), true);
    }
  }
  return std::nullopt;
}

http::Response redirect(const OAuthFlow& flow, const std::string& message) {
  http::Response r;
  r.status = 302;
  plugins::net::QueryParams params = {{"status", message.empty() ? "success" : "error"}};
  if (!message.empty()) params.emplace_back("message", message);
  r.set_header("location", plugins::net::append_form_query(flow.dashboard_url(), params));
  r.set_header("cache-control", "no-store");
  return r;
}

// Thrown inside the flow to end it with an error redirect; the message is shown to the user.
struct CallbackFailure {
  // A constructor, not aggregate init: GCC 12 miscompiles `T{"literal"}` inside coroutines ("array used as
  // initializer").
  explicit CallbackFailure(std::string m) : message(std::move(m)) {}
  std::string message;
};

plugins::net::TokenRequest code_exchange(const OAuthFlow& flow, const plugins::CredentialType& type,
                                         const plugins::OAuth2Client& client, const std::string& code,
                                         const OAuthState& state) {
  plugins::net::TokenRequest token;
  token.token_url = type.oauth2->token_url;
  token.client_auth_in_body = type.oauth2->auth_method == plugins::OAuth2AuthMethod::kBody;
  token.client_id = client.client_id;
  token.client_secret = client.client_secret;
  token.form = {{"grant_type", "authorization_code"},
                {"code", code},
                {"redirect_uri", flow.redirect_uri()},
                {"code_verifier", flow.signer().pkce_verifier(state)}};
  return token;
}

std::optional<json::value> active_metadata() { return json::value(json::object{{"status", "active"}}); }

}  // namespace

http::Handler make_oauth_callback(const OAuthFlow& flow, Services services,
                                  auth::Authenticator& authenticator) {
  return [&flow, services, &authenticator](http::Request& request) -> asio::awaitable<http::Response> {
    try {
      if (auto error = param(request.query, "error")) {
        throw CallbackFailure("Authorization was not granted (" + error->substr(0, 64) + ")");
      }
      const auto code = param(request.query, "code");
      const auto state_text = param(request.query, "state");
      if (!code || code->empty() || !state_text) throw CallbackFailure("Missing code or state");
      const auto state = flow.signer().verify(*state_text, now_ms());
      if (!state) throw CallbackFailure("Invalid or expired OAuth state");
      // The state is bound to the user who started; the browser finishing it must be signed in as them.
      const auto user = co_await authenticator.authenticate(request);
      if (!user || user->user_id != state->user_id) {
        throw CallbackFailure("Sign in as the user who started the connection");
      }
      if (services.vault == nullptr || services.credential_types == nullptr) {
        throw CallbackFailure("Credential storage is not configured");
      }
      const db::UserScope scope(*services.pool, state->user_id);
      auto row = co_await store::credentials::get(scope, state->credential_id);
      if (!row) throw CallbackFailure("Credential not found");
      const auto* type = services.credential_types->find(row->type_id);
      if (type == nullptr || !type->oauth2)
        throw CallbackFailure("Invalid credential type for OAuth exchange");
      plugins::OAuth2Client client;
      try {
        client = plugins::oauth2_client_for(type->id);
      } catch (const plugins::OAuthNotConfigured& e) {
        throw CallbackFailure(e.what());
      }

      const auto token = code_exchange(flow, *type, client, *code, *state);
      // Blocking HTTP on the flow's own thread, then back to this connection's executor.
      const auto home = co_await asio::this_coro::executor;
      co_await asio::post(flow.blocking().get_executor(), asio::use_awaitable);
      std::optional<json::object> reply;
      std::string failure;
      try {
        reply = plugins::net::request_oauth2_token(token, flow.http());
      } catch (const std::exception& e) {
        failure = e.what();
      }
      co_await asio::post(home, asio::use_awaitable);
      if (!reply) {
        spdlog::warn("oauth: code exchange for credential {} failed: {}", row->id, failure);
        throw CallbackFailure("Token exchange with the provider failed");
      }

      json::object old_data;
      try {
        auto v = json::parse(services.vault->decrypt(row->data, state->user_id));
        if (v.is_object()) old_data = std::move(v.as_object());
      } catch (const std::exception&) {
        // A pending credential's "{}" from before the vault, or a rotated-away key: start from nothing.
      }
      const auto data = plugins::net::merge_oauth2_token(old_data, *reply, now_ms());
      const bool stored = co_await store::credentials::update_data(
          scope, row->id, services.vault->encrypt(json::serialize(data), state->user_id), active_metadata());
      if (!stored) throw CallbackFailure("Credential not found");
      co_return redirect(flow, "");
    } catch (const CallbackFailure& f) {
      co_return redirect(flow, f.message);
    }
  };
}

}  // namespace kianax::api
