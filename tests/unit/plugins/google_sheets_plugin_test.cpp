#include "plugins/google_sheets/google_sheets_plugin.hpp"

#include "plugin_test_support.hpp"
#include "support/test_http_server.hpp"

#include <gtest/gtest.h>

namespace kianax::plugins {
namespace {

using testing::as_json;
using testing::make_context;
using testing::obj;
using testing::ScopedEnv;
using testing::ScriptedResponse;
using testing::TestHttpServer;

ScriptedResponse json_reply(int status, std::string body) {
  return ScriptedResponse{
      .status = status, .headers = {{"content-type", "application/json"}}, .body = std::move(body)};
}

class GoogleSheetsPluginTest : public ::testing::Test {
 protected:
  boost::json::object run(
      const boost::json::object& config,
      boost::json::object credentials = obj(R"({"googleSheets":{"access_token":"tok"}})")) {
    engine::PluginContext context = make_context(std::move(credentials));
    boost::json::object state;
    context.node_state = &state;
    return as_json(plugin->execute({}, config, context));
  }
  std::string error_of(const boost::json::object& config,
                       boost::json::object credentials = obj(R"({"googleSheets":{"access_token":"tok"}})")) {
    try {
      run(config, std::move(credentials));
    } catch (const engine::PluginError& error) {
      return error.what();
    }
    return "";
  }

  TestHttpServer server;
  ScopedEnv allow_private{"KIANAX_HTTP_ALLOW_PRIVATE", "1"};
  ScopedEnv base_url{"KIANAX_GOOGLE_SHEETS_BASE_URL", (server.base_url() + "/v4").c_str()};
  std::unique_ptr<engine::Plugin> plugin = make_google_sheets_plugin();
};

TEST_F(GoogleSheetsPluginTest, read_gets_the_range_with_bearer_token) {
  server.on("/v4/spreadsheets/SID/values/Sheet1!A1:B2",
            json_reply(200, R"({"range":"S!A1:B2","values":[["a","b"]]})"));
  const auto out = run(obj(R"({"operation":"read","spreadsheetId":"SID","range":"Sheet1!A1:B2"})"));
  EXPECT_EQ(out, obj(R"({"output":{"values":[["a","b"]]}})"));
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "GET");
  EXPECT_EQ(requests[0].target, "/v4/spreadsheets/SID/values/Sheet1!A1:B2");
  EXPECT_EQ(requests[0].header("authorization"), "Bearer tok");
  EXPECT_EQ(requests[0].header("content-type"), "application/json");
}

TEST_F(GoogleSheetsPluginTest, read_of_an_empty_range_gives_empty_values) {
  server.on("/v4/spreadsheets/SID/values/A1", json_reply(200, R"({"range":"A1"})"));
  EXPECT_EQ(run(obj(R"({"operation":"read","spreadsheetId":"SID","range":"A1"})")),
            obj(R"({"output":{"values":[]}})"));
}

TEST_F(GoogleSheetsPluginTest, append_posts_one_row) {
  server.on(
      "/v4/spreadsheets/SID/values/Sheet1:append",
      json_reply(200, R"({"updates":{"updatedRange":"Sheet1!A3:B3","updatedRows":1,"updatedCells":2}})"));
  const auto out =
      run(obj(R"({"operation":"append","spreadsheetId":"SID","range":"Sheet1","values":["x",2]})"));
  EXPECT_EQ(out, obj(R"({"output":{"updatedRange":"Sheet1!A3:B3","updatedRows":1}})"));
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].target, "/v4/spreadsheets/SID/values/Sheet1:append?valueInputOption=USER_ENTERED");
  EXPECT_EQ(requests[0].body, R"({"values":[["x",2]]})");
}

TEST_F(GoogleSheetsPluginTest, append_without_values_sends_an_empty_row) {
  server.on("/v4/spreadsheets/SID/values/Sheet1:append", json_reply(200, R"({"updates":{}})"));
  EXPECT_EQ(run(obj(R"({"operation":"append","spreadsheetId":"SID","range":"Sheet1"})")),
            obj(R"({"output":{}})"));
  ASSERT_EQ(server.request_count(), 1u);
  EXPECT_EQ(server.requests()[0].body, R"({"values":[[]]})");
}

TEST_F(GoogleSheetsPluginTest, clear_posts_and_returns_empty_object) {
  server.on("/v4/spreadsheets/SID/values/Sheet1!A1:Z:clear", json_reply(200, R"({"clearedRange":"S"})"));
  EXPECT_EQ(run(obj(R"({"operation":"clear","spreadsheetId":"SID","range":"Sheet1!A1:Z"})")),
            obj(R"({"output":{}})"));
  ASSERT_EQ(server.request_count(), 1u);
  EXPECT_EQ(server.requests()[0].method, "POST");
}

TEST_F(GoogleSheetsPluginTest, api_error_throws_with_body_text) {
  server.on(
      "/v4/spreadsheets/SID/values/A1",
      ScriptedResponse{.status = 403, .headers = {{"content-type", "text/plain"}}, .body = "forbidden"});
  EXPECT_EQ(error_of(obj(R"({"operation":"read","spreadsheetId":"SID","range":"A1"})")),
            "Google Sheets API error: forbidden");
}

TEST_F(GoogleSheetsPluginTest, missing_token_throws_before_any_request) {
  EXPECT_EQ(error_of(obj(R"({"operation":"read","spreadsheetId":"SID","range":"A1"})"), {}),
            "Missing Google Sheets access token");
  EXPECT_EQ(error_of(obj(R"({"operation":"read","spreadsheetId":"SID","range":"A1"})"),
                     obj(R"({"google-sheets-oauth":{"access_token":"tok"}})")),
            "Missing Google Sheets access token");
  EXPECT_EQ(server.request_count(), 0u);
}

TEST_F(GoogleSheetsPluginTest, missing_operation_defaults_to_read) {
  server.on("/v4/spreadsheets/SID/values/A1", json_reply(200, R"({"values":[["a"]]})"));
  EXPECT_EQ(run(obj(R"({"spreadsheetId":"SID","range":"A1"})")), obj(R"({"output":{"values":[["a"]]}})"));
  ASSERT_EQ(server.request_count(), 1u);
  EXPECT_EQ(server.requests()[0].method, "GET");
}

TEST_F(GoogleSheetsPluginTest, unknown_operation_and_missing_fields_fail_clearly) {
  EXPECT_EQ(error_of(obj(R"({"operation":"delete","spreadsheetId":"SID","range":"A1"})")),
            "Unsupported Google Sheets operation 'delete'");
  EXPECT_EQ(error_of(obj(R"({"operation":"read","range":"A1"})")), "Google Sheets spreadsheetId is required");
  EXPECT_EQ(error_of(obj(R"({"operation":"read","spreadsheetId":"SID","range":""})")),
            "Google Sheets range is required");
  EXPECT_EQ(server.request_count(), 0u);
}

TEST_F(GoogleSheetsPluginTest, range_is_not_url_encoded_except_for_characters_urls_cannot_hold) {
  server.on("/v4/spreadsheets/SID/values/My%20Sheet!A1", json_reply(200, R"({"values":[]})"));
  EXPECT_EQ(run(obj(R"({"operation":"read","spreadsheetId":"SID","range":"My Sheet!A1"})")),
            obj(R"({"output":{"values":[]}})"));
  EXPECT_EQ(server.request_count("/v4/spreadsheets/SID/values/My%20Sheet!A1"), 1u);
}

TEST_F(GoogleSheetsPluginTest, base_url_may_name_the_spreadsheets_collection) {
  ScopedEnv collection{"KIANAX_GOOGLE_SHEETS_BASE_URL", (server.base_url() + "/v4/spreadsheets").c_str()};
  server.on("/v4/spreadsheets/SID/values/A1", json_reply(200, R"({"values":[[1]]})"));
  EXPECT_EQ(run(obj(R"({"operation":"read","spreadsheetId":"SID","range":"A1"})")),
            obj(R"({"output":{"values":[[1]]}})"));
}

TEST_F(GoogleSheetsPluginTest, private_endpoint_is_refused_without_the_allow_flag) {
  ScopedEnv deny{"KIANAX_HTTP_ALLOW_PRIVATE", nullptr};
  const std::string message = error_of(obj(R"({"operation":"read","spreadsheetId":"SID","range":"A1"})"));
  EXPECT_EQ(message.rfind("Google Sheets request failed: Refusing to connect to 127.0.0.1", 0), 0u)
      << message;
  EXPECT_EQ(server.request_count(), 0u);
}

TEST_F(GoogleSheetsPluginTest, metadata_requires_the_sheets_oauth_credential_under_its_alias) {
  const auto& m = plugin->metadata();
  EXPECT_EQ(m.id, "google-sheets");
  ASSERT_EQ(m.credential_requirements.size(), 1u);
  EXPECT_EQ(m.credential_requirements[0].id, "google-sheets-oauth");
  EXPECT_EQ(m.credential_requirements[0].key(), "googleSheets");
  EXPECT_EQ(m.config_schema.at("properties").at("operation").at("default"), "read");
}

}  // namespace
}  // namespace kianax::plugins
