#include "plugins/credential_types.hpp"

#include "plugin_test_support.hpp"

#include <gtest/gtest.h>

namespace kianax::plugins {
namespace {

using testing::obj;
using testing::ScopedEnv;

TEST(CredentialTypes, registers_the_three_types_the_plugins_require) {
  const auto& registry = builtin_credential_types();
  ASSERT_EQ(registry.types().size(), 3u);
  EXPECT_EQ(registry.types()[0].id, "openai-api");
  EXPECT_EQ(registry.types()[1].id, "google-sheets-oauth");
  EXPECT_EQ(registry.types()[2].id, "google-calendar-oauth");
  EXPECT_EQ(registry.find("google-sheets"), nullptr);
}

TEST(CredentialTypes, openai_is_a_simple_type_with_a_masked_api_key) {
  const CredentialType* type = builtin_credential_types().find("openai-api");
  ASSERT_NE(type, nullptr);
  EXPECT_EQ(type->kind, CredentialKind::kSimple);
  EXPECT_FALSE(type->oauth2.has_value());
  ASSERT_EQ(type->fields.size(), 1u);
  EXPECT_EQ(type->fields[0].name, "apiKey");
  EXPECT_TRUE(type->fields[0].masked);
  EXPECT_EQ(type->runtime_fields, std::vector<std::string>{"apiKey"});
}

TEST(CredentialTypes, google_types_use_google_endpoints_body_auth_and_their_scope) {
  const CredentialType* sheets = builtin_credential_types().find("google-sheets-oauth");
  const CredentialType* calendar = builtin_credential_types().find("google-calendar-oauth");
  ASSERT_TRUE(sheets && calendar && sheets->oauth2 && calendar->oauth2);
  EXPECT_EQ(sheets->kind, CredentialKind::kOAuth2);
  EXPECT_TRUE(sheets->fields.empty());
  EXPECT_EQ(sheets->runtime_fields, std::vector<std::string>{"access_token"});
  EXPECT_EQ(sheets->oauth2->grant_type, "authorization_code");
  EXPECT_EQ(sheets->oauth2->authorization_url, "https://accounts.google.com/o/oauth2/v2/auth");
  EXPECT_EQ(sheets->oauth2->token_url, "https://oauth2.googleapis.com/token");
  EXPECT_EQ(sheets->oauth2->auth_method, OAuth2AuthMethod::kBody);
  EXPECT_EQ(sheets->oauth2->scopes, std::vector<std::string>{"https://www.googleapis.com/auth/spreadsheets"});
  EXPECT_EQ(calendar->oauth2->scopes, std::vector<std::string>{"https://www.googleapis.com/auth/calendar"});
}

TEST(CredentialTypes, oauth_endpoints_follow_the_environment) {
  ScopedEnv auth{"KIANAX_GOOGLE_OAUTH_AUTH_URL", "http://127.0.0.1:9/auth"};
  ScopedEnv token{"KIANAX_GOOGLE_OAUTH_TOKEN_URL", "http://127.0.0.1:9/token"};
  const auto registry = make_builtin_credential_types();
  const CredentialType* sheets = registry.find("google-sheets-oauth");
  ASSERT_TRUE(sheets && sheets->oauth2);
  EXPECT_EQ(sheets->oauth2->authorization_url, "http://127.0.0.1:9/auth");
  EXPECT_EQ(sheets->oauth2->token_url, "http://127.0.0.1:9/token");
}

TEST(CredentialTypes, exports_json_for_the_api) {
  const auto json = builtin_credential_types().to_json();
  ASSERT_EQ(json.size(), 3u);
  EXPECT_EQ(json[0], boost::json::parse(R"j({"id":"openai-api","displayName":"OpenAI API","type":"simple",
      "documentationUrl":"https://platform.openai.com/docs/api-reference/authentication",
      "fields":[{"name":"apiKey","label":"API Key","description":"Your OpenAI API key (sk-…)","required":true,
                 "minLength":1,"masked":true}],
      "maskedFields":["apiKey"],"runtimeFields":["apiKey"]})j"));
  const auto& sheets = json[1].as_object();
  EXPECT_EQ(sheets.at("type"), "oauth2");
  EXPECT_EQ(sheets.at("oauthConfig"), boost::json::parse(R"({"grantType":"authorization_code",
      "authorizationUrl":"https://accounts.google.com/o/oauth2/v2/auth","tokenUrl":"https://oauth2.googleapis.com/token",
      "scopes":["https://www.googleapis.com/auth/spreadsheets"],"authMethod":"body"})"));
}

TEST(CredentialTypes, duplicate_id_is_refused) {
  CredentialTypeRegistry registry;
  registry.add(CredentialType{.id = "x"});
  EXPECT_THROW(registry.add(CredentialType{.id = "x"}), std::invalid_argument);
}

TEST(CredentialTypes, validates_simple_data) {
  const CredentialType& openai = *builtin_credential_types().find("openai-api");
  EXPECT_TRUE(validate_credential_data(openai, obj(R"({"apiKey":"sk-1"})")).empty());
  EXPECT_EQ(validate_credential_data(openai, obj("{}")),
            std::vector<std::string>{"apiKey: API Key is required"});
  EXPECT_EQ(validate_credential_data(openai, obj(R"({"apiKey":""})")),
            std::vector<std::string>{"apiKey: API Key is required"});
  EXPECT_EQ(validate_credential_data(openai, obj(R"({"apiKey":5})")),
            std::vector<std::string>{"apiKey must be a string"});
  EXPECT_TRUE(
      validate_credential_data(*builtin_credential_types().find("google-sheets-oauth"), obj("{}")).empty());
}

TEST(CredentialTypes, google_client_comes_from_environment) {
  ScopedEnv id{"GOOGLE_CLIENT_ID", "cid"};
  ScopedEnv secret{"GOOGLE_CLIENT_SECRET", "csecret"};
  const OAuth2Client client = oauth2_client_for("google-sheets-oauth");
  EXPECT_EQ(client.client_id, "cid");
  EXPECT_EQ(client.client_secret, "csecret");
}

TEST(CredentialTypes, oauth_not_configured_names_the_type) {
  ScopedEnv id{"GOOGLE_CLIENT_ID", nullptr};
  const std::string expected =
      "OAuth not configured for 'google-calendar-oauth'. Please set the required environment variables "
      "(e.g., "
      "GOOGLE_CLIENT_ID, GOOGLE_CLIENT_SECRET).";
  try {
    (void)oauth2_client_for("google-calendar-oauth");
    FAIL() << "expected OAuthNotConfigured";
  } catch (const OAuthNotConfigured& error) {
    EXPECT_EQ(error.what(), expected);
  }
  ScopedEnv set_id{"GOOGLE_CLIENT_ID", "cid"};
  ScopedEnv set_secret{"GOOGLE_CLIENT_SECRET", "s"};
  EXPECT_THROW((void)oauth2_client_for("github-oauth"), OAuthNotConfigured);
}

TEST(CredentialTypes, authorization_url_carries_the_flow_parameters) {
  const CredentialType& sheets = *builtin_credential_types().find("google-sheets-oauth");
  const std::string url =
      authorization_url(sheets, {"cid", "secret"}, "https://app.test/api/oauth/callback", "cred-1");
  EXPECT_EQ(url,
            "https://accounts.google.com/o/oauth2/v2/auth?response_type=code&client_id=cid"
            "&redirect_uri=https%3A%2F%2Fapp.test%2Fapi%2Foauth%2Fcallback"
            "&scope=https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fspreadsheets&state=cred-1&access_type=offline"
            "&prompt=consent");
  EXPECT_EQ(url.find("secret"), std::string::npos);
}

}  // namespace
}  // namespace kianax::plugins
