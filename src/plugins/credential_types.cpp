#include "plugins/credential_types.hpp"

#include "plugins/net/url.hpp"

#include <cstdlib>

namespace kianax::plugins {
namespace {

constexpr const char* kGoogleAuthUrl = "https://accounts.google.com/o/oauth2/v2/auth";
constexpr const char* kGoogleTokenUrl = "https://oauth2.googleapis.com/token";

std::string env_or(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : fallback;
}

CredentialType openai_api() {
  CredentialType type;
  type.id = "openai-api";
  type.display_name = "OpenAI API";
  type.documentation_url = "https://platform.openai.com/docs/api-reference/authentication";
  type.kind = CredentialKind::kSimple;
  type.fields = {{"apiKey", "API Key", "Your OpenAI API key (sk-…)", true, 1, true}};
  type.runtime_fields = {"apiKey"};
  return type;
}

// Google's types share the client (GOOGLE_CLIENT_ID/SECRET) and endpoints; only the scope differs.
CredentialType google_oauth(std::string id, std::string display_name, std::string documentation_url,
                            std::string scope) {
  CredentialType type;
  type.id = std::move(id);
  type.display_name = std::move(display_name);
  type.documentation_url = std::move(documentation_url);
  type.kind = CredentialKind::kOAuth2;
  type.runtime_fields = {"access_token"};
  OAuth2Config oauth;
  oauth.grant_type = "authorization_code";
  oauth.authorization_url = env_or("KIANAX_GOOGLE_OAUTH_AUTH_URL", kGoogleAuthUrl);
  oauth.token_url = env_or("KIANAX_GOOGLE_OAUTH_TOKEN_URL", kGoogleTokenUrl);
  oauth.scopes = {std::move(scope)};
  oauth.auth_method = OAuth2AuthMethod::kBody;
  type.oauth2 = std::move(oauth);
  return type;
}

boost::json::array strings(const std::vector<std::string>& values) {
  boost::json::array out;
  for (const auto& value : values) out.emplace_back(value);
  return out;
}

}  // namespace

void CredentialTypeRegistry::add(CredentialType type) {
  if (find(type.id) != nullptr) {
    throw std::invalid_argument("Credential type '" + type.id + "' is already registered");
  }
  types_.push_back(std::move(type));
}

const CredentialType* CredentialTypeRegistry::find(std::string_view id) const {
  for (const auto& type : types_)
    if (type.id == id) return &type;
  return nullptr;
}

boost::json::array CredentialTypeRegistry::to_json() const {
  boost::json::array out;
  for (const auto& type : types_) out.emplace_back(credential_type_to_json(type));
  return out;
}

boost::json::object credential_type_to_json(const CredentialType& type) {
  boost::json::object out;
  out["id"] = type.id;
  out["displayName"] = type.display_name;
  out["type"] = type.kind == CredentialKind::kOAuth2 ? "oauth2" : "simple";
  out["documentationUrl"] = type.documentation_url;
  boost::json::array fields;
  std::vector<std::string> masked;
  for (const auto& field : type.fields) {
    fields.emplace_back(boost::json::object{{"name", field.name},
                                            {"label", field.label},
                                            {"description", field.description},
                                            {"required", field.required},
                                            {"minLength", field.min_length},
                                            {"masked", field.masked}});
    if (field.masked) masked.push_back(field.name);
  }
  out["fields"] = std::move(fields);
  out["maskedFields"] = strings(masked);
  out["runtimeFields"] = strings(type.runtime_fields);
  if (type.oauth2) {
    out["oauthConfig"] = boost::json::object{
        {"grantType", type.oauth2->grant_type},
        {"authorizationUrl", type.oauth2->authorization_url},
        {"tokenUrl", type.oauth2->token_url},
        {"scopes", strings(type.oauth2->scopes)},
        {"authMethod", type.oauth2->auth_method == OAuth2AuthMethod::kBody ? "body" : "header"}};
  }
  return out;
}

CredentialTypeRegistry make_builtin_credential_types() {
  CredentialTypeRegistry registry;
  registry.add(openai_api());
  registry.add(google_oauth("google-sheets-oauth", "Google Sheets",
                            "https://developers.google.com/sheets/api/guides/authorizing",
                            "https://www.googleapis.com/auth/spreadsheets"));
  registry.add(google_oauth("google-calendar-oauth", "Google Calendar",
                            "https://developers.google.com/calendar/api/guides/auth",
                            "https://www.googleapis.com/auth/calendar"));
  return registry;
}

const CredentialTypeRegistry& builtin_credential_types() {
  static const CredentialTypeRegistry registry = make_builtin_credential_types();
  return registry;
}

std::vector<std::string> validate_credential_data(const CredentialType& type,
                                                  const boost::json::object& data) {
  std::vector<std::string> problems;
  for (const auto& field : type.fields) {
    const auto* value = data.if_contains(field.name);
    if (value == nullptr || value->is_null()) {
      if (field.required) problems.push_back(field.name + ": " + field.label + " is required");
      continue;
    }
    if (!value->is_string()) {
      problems.push_back(field.name + " must be a string");
      continue;
    }
    if (value->get_string().size() < field.min_length) {
      problems.push_back(field.name + ": " + field.label + " is required");
    }
  }
  return problems;
}

OAuth2Client oauth2_client_for(std::string_view type_id) {
  if (type_id.rfind("google-", 0) == 0) {
    const char* id = std::getenv("GOOGLE_CLIENT_ID");
    const char* secret = std::getenv("GOOGLE_CLIENT_SECRET");
    if (id != nullptr && *id != '\0' && secret != nullptr && *secret != '\0') return {id, secret};
  }
  throw OAuthNotConfigured("OAuth not configured for '" + std::string(type_id) +
                           "'. Please set the required environment variables (e.g., GOOGLE_CLIENT_ID, "
                           "GOOGLE_CLIENT_SECRET).");
}

std::string authorization_url(const CredentialType& type, const OAuth2Client& client,
                              std::string_view redirect_uri, std::string_view state) {
  std::string scope;
  for (const auto& s : type.oauth2->scopes) {
    if (!scope.empty()) scope += ' ';
    scope += s;
  }
  const net::QueryParams params = {
      {"response_type", "code"}, {"client_id", client.client_id}, {"redirect_uri", std::string(redirect_uri)},
      {"scope", scope},          {"state", std::string(state)},   {"access_type", "offline"},
      {"prompt", "consent"}};
  std::string url = type.oauth2->authorization_url;
  std::string query;
  for (const auto& [name, value] : params) {
    query += query.empty() ? "" : "&";
    query += net::form_encode(name) + "=" + net::form_encode(value);
  }
  return url + (url.find('?') == std::string::npos ? "?" : "&") + query;
}

}  // namespace kianax::plugins
