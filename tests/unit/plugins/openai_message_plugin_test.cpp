#include "plugins/openai_message/openai_message_plugin.hpp"

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

const char* const kPath = "/v1/chat/completions";

ScriptedResponse json_reply(int status, std::string body,
                            std::vector<std::pair<std::string, std::string>> extra = {}) {
  extra.emplace_back("content-type", "application/json");
  return ScriptedResponse{.status = status, .headers = std::move(extra), .body = std::move(body)};
}

class OpenAiMessagePluginTest : public ::testing::Test {
 protected:
  boost::json::object run(const boost::json::object& config, boost::json::object credentials) {
    engine::PluginContext context = make_context(std::move(credentials));
    boost::json::object state;
    context.node_state = &state;
    return as_json(plugin->execute({}, config, context));
  }
  boost::json::object run(const boost::json::object& config) { return run(config, with_key()); }
  static boost::json::object with_key() { return obj(R"({"openai-api":{"apiKey":"sk-test"}})"); }

  // Runs and returns the PluginError message ("" when nothing was thrown).
  std::string error_of(const boost::json::object& config, boost::json::object credentials = with_key()) {
    try {
      run(config, std::move(credentials));
    } catch (const engine::PluginError& error) {
      return error.what();
    }
    return "";
  }

  TestHttpServer server;
  ScopedEnv allow_private{"KIANAX_HTTP_ALLOW_PRIVATE", "1"};
  ScopedEnv base_url{"KIANAX_OPENAI_BASE_URL", (server.base_url() + "/v1/").c_str()};
  std::unique_ptr<engine::Plugin> plugin = make_openai_message_plugin();
};

TEST_F(OpenAiMessagePluginTest, sends_chat_completion_request_and_returns_text_and_usage) {
  server.on(
      kPath,
      json_reply(200, R"({"id":"c1","choices":[{"index":0,"message":{"role":"assistant","content":"Hello!"}}],
      "usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5,"prompt_tokens_details":{"cached_tokens":0}}})"));
  const auto out = run(obj(
      R"({"model":"gpt-4o-mini","temperature":0.2,"maxTokens":50,"message":"hi","systemPrompt":"be brief"})"));
  EXPECT_EQ(
      out,
      obj(R"({"output":{"text":"Hello!","usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}})"));
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].target, kPath);
  EXPECT_EQ(requests[0].header("authorization"), "Bearer sk-test");
  EXPECT_EQ(requests[0].header("content-type"), "application/json");
  EXPECT_EQ(boost::json::parse(requests[0].body),
            boost::json::parse(R"({"model":"gpt-4o-mini","messages":[{"role":"system","content":"be brief"},
                {"role":"user","content":"hi"}],"temperature":0.2,"max_tokens":50})"));
}

TEST_F(OpenAiMessagePluginTest, applies_default_model_and_temperature_and_omits_unset_fields) {
  server.on(kPath, json_reply(200, R"({"choices":[{"message":{"content":"ok"}}]})"));
  const auto out = run(obj(R"({"message":"hi"})"));
  EXPECT_EQ(out, obj(R"({"output":{"text":"ok"}})"));
  ASSERT_EQ(server.request_count(), 1u);
  EXPECT_EQ(boost::json::parse(server.requests()[0].body),
            boost::json::parse(
                R"({"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"temperature":0.7})"));
}

TEST_F(OpenAiMessagePluginTest, null_content_gives_empty_text) {
  server.on(kPath, json_reply(200, R"({"choices":[{"message":{"content":null}}]})"));
  EXPECT_EQ(run(obj(R"({"message":"hi"})")), obj(R"({"output":{"text":""}})"));
}

TEST_F(OpenAiMessagePluginTest, no_choice_throws) {
  server.on(kPath, json_reply(200, R"({"choices":[]})"));
  EXPECT_EQ(error_of(obj(R"({"message":"hi"})")), "No completion choice returned from OpenAI.");
}

TEST_F(OpenAiMessagePluginTest, missing_or_empty_api_key_throws_before_any_request) {
  const std::string expected = "OpenAI API Key is missing. Please check your credential configuration.";
  EXPECT_EQ(error_of(obj(R"({"message":"hi"})"), {}), expected);
  EXPECT_EQ(error_of(obj(R"({"message":"hi"})"), obj(R"({"openai-api":{"apiKey":""}})")), expected);
  EXPECT_EQ(error_of(obj(R"({"message":"hi"})"), obj(R"({"openai":{"apiKey":"sk"}})")), expected);
  EXPECT_EQ(server.request_count(), 0u);
}

TEST_F(OpenAiMessagePluginTest, client_error_throws_sdk_style_message_without_retry) {
  server.on(kPath,
            json_reply(
                401, R"({"error":{"message":"Incorrect API key provided","type":"invalid_request_error"}})"));
  EXPECT_EQ(error_of(obj(R"({"message":"hi"})")), "401 Incorrect API key provided");
  EXPECT_EQ(server.request_count(), 1u);
}

TEST_F(OpenAiMessagePluginTest, error_without_json_body_uses_text_or_status) {
  server.on(kPath,
            ScriptedResponse{.status = 400, .headers = {{"content-type", "text/plain"}}, .body = "bad"});
  EXPECT_EQ(error_of(obj(R"({"message":"hi"})")), "400 bad");
  server.on(kPath, ScriptedResponse{.status = 404});
  EXPECT_EQ(error_of(obj(R"({"message":"hi"})")), "404 status code (no body)");
}

TEST_F(OpenAiMessagePluginTest, server_error_is_retried_like_the_sdk) {
  server.on_sequence(kPath, {json_reply(500, R"({"error":{"message":"boom"}})", {{"retry-after-ms", "1"}}),
                             json_reply(200, R"({"choices":[{"message":{"content":"second try"}}]})")});
  EXPECT_EQ(run(obj(R"({"message":"hi"})")), obj(R"({"output":{"text":"second try"}})"));
  EXPECT_EQ(server.request_count(), 2u);
}

TEST_F(OpenAiMessagePluginTest, rate_limit_gives_up_after_two_retries) {
  server.on(kPath,
            json_reply(429, R"({"error":{"message":"Rate limit reached"}})", {{"retry-after-ms", "1"}}));
  EXPECT_EQ(error_of(obj(R"({"message":"hi"})")), "429 Rate limit reached");
  EXPECT_EQ(server.request_count(), 3u);
}

TEST_F(OpenAiMessagePluginTest, private_endpoint_is_refused_without_the_allow_flag) {
  ScopedEnv deny{"KIANAX_HTTP_ALLOW_PRIVATE", nullptr};
  const std::string message = error_of(obj(R"({"message":"hi"})"));
  EXPECT_EQ(message.rfind("OpenAI request failed: Refusing to connect to 127.0.0.1", 0), 0u) << message;
  EXPECT_EQ(server.request_count(), 0u);
}

TEST_F(OpenAiMessagePluginTest, metadata_requires_the_openai_credential) {
  const auto& m = plugin->metadata();
  EXPECT_EQ(m.id, "openai-message");
  ASSERT_EQ(m.credential_requirements.size(), 1u);
  EXPECT_EQ(m.credential_requirements[0].id, "openai-api");
  EXPECT_EQ(m.credential_requirements[0].key(), "openai-api");
  EXPECT_TRUE(m.credential_requirements[0].required);
  ASSERT_EQ(m.outputs.size(), 1u);
  EXPECT_EQ(m.outputs[0].name, "output");
  EXPECT_EQ(m.config_schema.at("properties").at("model").at("default"), "gpt-4o");
}

}  // namespace
}  // namespace kianax::plugins
