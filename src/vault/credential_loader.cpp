#include "vault/credential_loader.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>

#include "db/pool.hpp"
#include "db/transaction.hpp"
#include "plugins/net/oauth2_token.hpp"
#include "store/credential_repository.hpp"

namespace kianax::vault {
namespace asio = boost::asio;
namespace json = boost::json;

namespace {

std::int64_t system_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

json::object runtime_view(const plugins::CredentialType& type, const json::object& data) {
  json::object out;
  for (const auto& field : type.runtime_fields) {
    if (const auto* v = data.if_contains(field)) out[field] = *v;
  }
  return out;
}

json::object open_data(const Vault& vault, const store::Credential& row, std::string_view user_id) {
  std::string plain;
  try {
    plain = vault.decrypt(row.data, user_id);
  } catch (const VaultError& e) {
    throw CredentialLoadError("Credential " + row.id + " cannot be decrypted: " + e.what());
  }
  std::error_code ec;
  json::value v = json::parse(plain, ec);
  if (ec || !v.is_object()) throw CredentialLoadError("Credential " + row.id + " holds no JSON object");
  return std::move(v.as_object());
}

}  // namespace

asio::awaitable<json::object> load_credential_data(db::Pool& pool, const Vault& vault,
                                                   std::string_view user_id, std::string_view credential_id,
                                                   const CredentialLoadOptions& options) {
  const auto& types = options.types ? *options.types : plugins::builtin_credential_types();
  const std::int64_t now = options.now_ms ? options.now_ms() : system_now_ms();
  co_return co_await db::with_user_tx(
      pool, std::string(user_id), db::deadline_after(pool.options().query_timeout),
      [&](db::Transaction& tx) -> asio::awaitable<json::object> {
        auto row = co_await store::credentials::get_for_update(tx, credential_id);
        if (!row) throw CredentialLoadError("Credential not found: " + std::string(credential_id));
        const auto* type = types.find(row->type_id);
        if (type == nullptr) throw CredentialLoadError("Invalid credential type definition: " + row->type_id);
        json::object data = open_data(vault, *row, user_id);
        if (type->kind != plugins::CredentialKind::kOAuth2 || !type->oauth2)
          co_return runtime_view(*type, data);

        const auto refresh_token = plugins::net::refresh_token_if_needed(data, now);
        if (!refresh_token) co_return runtime_view(*type, data);
        plugins::OAuth2Client client;
        try {
          client = plugins::oauth2_client_for(type->id);
        } catch (const plugins::OAuthNotConfigured& e) {
          throw CredentialLoadError(e.what());
        }
        plugins::net::TokenRequest request;
        request.token_url = type->oauth2->token_url;
        request.client_auth_in_body = type->oauth2->auth_method == plugins::OAuth2AuthMethod::kBody;
        request.client_id = client.client_id;
        request.client_secret = client.client_secret;
        request.form = {{"grant_type", "refresh_token"}, {"refresh_token", *refresh_token}};
        json::object reply;
        try {
          reply = plugins::net::request_oauth2_token(request, options.http);
        } catch (const plugins::net::OAuth2TokenError& e) {
          // The provider's error body explains the failure and holds no secret of ours.
          throw CredentialLoadError("Credential " + row->id + ": " + e.what());
        }
        data = plugins::net::merge_oauth2_token(data, reply, now);
        // Metadata is left as it is (update_data without metadata keeps it).
        co_await store::credentials::update_data(tx, row->id, vault.encrypt(json::serialize(data), user_id));
        co_return runtime_view(*type, data);
      });
}

}  // namespace kianax::vault
