// Credential type registry (api-spec §3): what each credential type stores, what plugins receive at run
// time, and — for OAuth2 types — where to authorize and exchange tokens.
//
// Ids reconcile the two specs: plugins require `openai-api` and `google-sheets-oauth` (engine spec (f)), and
// the dashboard filters a user's credentials on `typeId == requirement.id`, so the type ids are exactly
// those: `openai-api`, `google-sheets-oauth`, `google-calendar-oauth`.
//
// Environment (read when a registry is built, so tests can point OAuth at a local fake provider):
//   KIANAX_GOOGLE_OAUTH_AUTH_URL   replaces https://accounts.google.com/o/oauth2/v2/auth
//   KIANAX_GOOGLE_OAUTH_TOKEN_URL  replaces https://oauth2.googleapis.com/token
//   GOOGLE_CLIENT_ID / GOOGLE_CLIENT_SECRET  the OAuth client of every `google-*` type (oauth2_client_for)
#pragma once

#include <boost/json.hpp>

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace kianax::plugins {

enum class CredentialKind { kSimple, kOAuth2 };

// A field the user fills in when creating a credential (simple types).
struct CredentialField {
  std::string name;  // key in the credential's data JSON, e.g. "apiKey"
  std::string label;
  std::string description;
  bool required = true;
  std::size_t min_length = 0;
  bool masked = false;  // a secret: shown as dots, never echoed back in full
};

// How the token endpoint receives the client credentials: HTTP Basic (the default) or form fields.
enum class OAuth2AuthMethod { kHeader, kBody };

struct OAuth2Config {
  std::string grant_type = "authorization_code";
  std::string authorization_url;
  std::string token_url;
  std::vector<std::string> scopes;
  OAuth2AuthMethod auth_method = OAuth2AuthMethod::kHeader;
};

struct CredentialType {
  std::string id;
  std::string display_name;
  std::string documentation_url;
  CredentialKind kind = CredentialKind::kSimple;
  std::vector<CredentialField> fields;      // empty for OAuth2 types: the data comes from the provider
  std::vector<std::string> runtime_fields;  // what a plugin receives: {"apiKey"} or {"access_token"}
  std::optional<OAuth2Config> oauth2;       // set iff kind == kOAuth2
};

class CredentialTypeRegistry {
 public:
  // Throws std::invalid_argument("Credential type '<id>' is already registered") on a duplicate id.
  void add(CredentialType type);
  [[nodiscard]] const CredentialType* find(std::string_view id) const;
  [[nodiscard]] const std::vector<CredentialType>& types() const { return types_; }
  // [credential_type_to_json(t)…] in registration order.
  [[nodiscard]] boost::json::array to_json() const;

 private:
  std::vector<CredentialType> types_;
};

// {id, displayName, type: "simple"|"oauth2", documentationUrl, fields: [{name, label, description, required,
//  minLength, masked}], maskedFields: [...], runtimeFields: [...], oauthConfig?: {grantType,
//  authorizationUrl, tokenUrl, scopes, authMethod: "header"|"body"}}
[[nodiscard]] boost::json::object credential_type_to_json(const CredentialType& type);

// openai-api, google-sheets-oauth, google-calendar-oauth, with the environment overrides applied now.
[[nodiscard]] CredentialTypeRegistry make_builtin_credential_types();
// The same, built once per process (the server and worker use this one).
[[nodiscard]] const CredentialTypeRegistry& builtin_credential_types();

// Checks user-entered data of a simple type against its fields: one message per problem, e.g.
// "apiKey: API Key is required" or "apiKey must be a string"; empty when valid. OAuth2 types accept `{}`.
[[nodiscard]] std::vector<std::string> validate_credential_data(const CredentialType& type,
                                                                const boost::json::object& data);

// Thrown when an OAuth2 type has no client configured (api-spec §3 "Client config").
class OAuthNotConfigured : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct OAuth2Client {
  std::string client_id;
  std::string client_secret;
};

// The OAuth client for a type id: `google-*` types use GOOGLE_CLIENT_ID/GOOGLE_CLIENT_SECRET. Anything else,
// or missing variables, throws OAuthNotConfigured("OAuth not configured for '<typeId>'. Please set the
// required environment variables (e.g., GOOGLE_CLIENT_ID, GOOGLE_CLIENT_SECRET).").
[[nodiscard]] OAuth2Client oauth2_client_for(std::string_view type_id);

// The provider URL the browser is sent to (api-spec §3 flow step 3): response_type=code, client_id,
// redirect_uri, scope (space-joined), state, access_type=offline, prompt=consent — form-encoded.
// REQUIRES: type.oauth2.
[[nodiscard]] std::string authorization_url(const CredentialType& type, const OAuth2Client& client,
                                            std::string_view redirect_uri, std::string_view state);

}  // namespace kianax::plugins
