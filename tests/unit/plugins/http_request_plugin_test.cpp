#include "plugins/http_request/http_request_plugin.hpp"

#include "plugin_test_support.hpp"
#include "support/test_http_server.hpp"

#include <gtest/gtest.h>

namespace kianax::plugins {
namespace {

using namespace std::chrono_literals;
using testing::as_json;
using testing::make_context;
using testing::obj;
using testing::ScopedEnv;
using testing::ScriptedResponse;
using testing::TestHttpServer;

class HttpRequestPluginTest : public ::testing::Test {
 protected:
  // Replaces "{{SERVER}}" in the config's url with the local server's base URL.
  boost::json::object run(boost::json::object config) {
    engine::PluginContext context = make_context();
    return run(std::move(config), context);
  }
  boost::json::object run(boost::json::object config, engine::PluginContext& context) {
    if (auto* url = config.if_contains("url"); url && url->is_string()) {
      std::string text(url->get_string());
      if (const auto at = text.find("{{SERVER}}"); at != std::string::npos)
        text.replace(at, 10, server.base_url());
      *url = text;
    }
    boost::json::object state;
    context.node_state = &state;
    return as_json(plugin->execute({}, config, context));
  }

  ScopedEnv allow_private{"KIANAX_HTTP_ALLOW_PRIVATE", "1"};
  TestHttpServer server;
  std::unique_ptr<engine::Plugin> plugin = make_http_request_plugin();
};

TEST_F(HttpRequestPluginTest, client_error_goes_to_error_port_with_body_and_is_not_retried) {
  server.on("/nf",
            ScriptedResponse{.status = 404, .headers = {{"content-type", "text/plain"}}, .body = "nope"});
  const auto out =
      run(obj(R"({"url":"{{SERVER}}/nf","method":"GET","timeout":5000,"retries":3,"retryDelay":10})"));
  EXPECT_EQ(
      out,
      obj(R"({"error":{"status":404,"statusText":"Not Found","message":"HTTP 404: Not Found","data":"nope"}})"));
  EXPECT_EQ(server.request_count("/nf"), 1u);
}

TEST_F(HttpRequestPluginTest, server_error_is_retried_then_reported_with_status_zero) {
  server.on("/boom",
            ScriptedResponse{.status = 500, .headers = {{"content-type", "text/plain"}}, .body = "x"});
  const auto out = run(obj(R"({"url":"{{SERVER}}/boom","timeout":5000,"retries":2,"retryDelay":10})"));
  EXPECT_EQ(
      out,
      obj(R"({"error":{"status":0,"statusText":"Error","message":"Request failed: HTTP 500: Internal Server Error"}})"));
  EXPECT_EQ(server.request_count("/boom"), 3u);
}

TEST_F(HttpRequestPluginTest, server_error_then_success_returns_success) {
  server.on_sequence("/flaky", {ScriptedResponse{.status = 503}, ScriptedResponse{.body = "ok"}});
  const auto out = run(obj(R"({"url":"{{SERVER}}/flaky","retries":3,"retryDelay":0})"));
  ASSERT_TRUE(out.contains("success")) << boost::json::serialize(out);
  EXPECT_EQ(out.at("success").at("data"), "ok");
  EXPECT_EQ(server.request_count("/flaky"), 2u);
}

TEST_F(HttpRequestPluginTest, post_object_body_is_json_with_default_content_type_and_query_params) {
  server.on("/echo", ScriptedResponse{.echo = true});
  const auto out = run(obj(R"({"url":"{{SERVER}}/echo?x=1","method":"POST","body":{"k":"v"},
      "queryParams":{"q":"a b","n":"2"},"headers":{"X-T":"1"},"timeout":5000,"retries":0,"retryDelay":10})"));
  const auto& success = out.at("success").as_object();
  EXPECT_EQ(success.at("status"), 200);
  EXPECT_EQ(success.at("statusText"), "OK");
  const auto& data = success.at("data").as_object();
  EXPECT_EQ(data.at("method"), "POST");
  EXPECT_EQ(data.at("url"), "/echo?x=1&q=a+b&n=2");
  EXPECT_EQ(data.at("body"), R"({"k":"v"})");
  EXPECT_EQ(data.at("headers").at("content-type"), "application/json");
  EXPECT_EQ(data.at("headers").at("x-t"), "1");
  EXPECT_EQ(success.at("headers").at("content-type"), "application/json");
}

TEST_F(HttpRequestPluginTest, user_content_type_overrides_default_and_string_body_is_raw) {
  server.on("/echo", ScriptedResponse{.echo = true});
  const auto out = run(obj(R"({"url":"{{SERVER}}/echo","method":"PUT","body":"raw text",
      "headers":{"content-type":"text/plain"}})"));
  const auto& data = out.at("success").at("data").as_object();
  EXPECT_EQ(data.at("method"), "PUT");
  EXPECT_EQ(data.at("body"), "raw text");
  EXPECT_EQ(data.at("headers").at("content-type"), "text/plain");
}

TEST_F(HttpRequestPluginTest, get_never_sends_a_body) {
  server.on("/echo", ScriptedResponse{.echo = true});
  const auto out = run(obj(R"({"url":"{{SERVER}}/echo","method":"GET","body":{"ignored":true}})"));
  const auto& data = out.at("success").at("data").as_object();
  EXPECT_EQ(data.at("body"), "");
  EXPECT_FALSE(data.at("headers").as_object().contains("content-type"));
}

TEST_F(HttpRequestPluginTest, falsy_body_is_not_sent) {
  server.on("/echo", ScriptedResponse{.echo = true});
  for (const char* body : {"0", "\"\"", "false", "null"}) {
    const auto out =
        run(obj(std::string(R"({"url":"{{SERVER}}/echo","method":"POST","body":)") + body + "}"));
    const auto& data = out.at("success").at("data").as_object();
    EXPECT_EQ(data.at("body"), "") << body;
    EXPECT_FALSE(data.at("headers").as_object().contains("content-type")) << body;
  }
}

TEST_F(HttpRequestPluginTest, sends_idempotency_key_unless_user_set_one) {
  server.on("/echo", ScriptedResponse{.echo = true});
  auto out = run(obj(R"({"url":"{{SERVER}}/echo","method":"POST","body":{"a":1}})"));
  EXPECT_EQ(out.at("success").at("data").at("headers").at("idempotency-key"), "exec-1:node-1:1");
  out = run(obj(R"({"url":"{{SERVER}}/echo","headers":{"Idempotency-Key":"mine"}})"));
  EXPECT_EQ(out.at("success").at("data").at("headers").at("idempotency-key"), "mine");
}

TEST_F(HttpRequestPluginTest, non_string_header_and_query_values_are_converted_like_javascript) {
  server.on("/echo", ScriptedResponse{.echo = true});
  const auto out = run(
      obj(R"({"url":"{{SERVER}}/echo","headers":{"X-N":5,"X-B":true},"queryParams":{"n":1.5,"z":null}})"));
  const auto& data = out.at("success").at("data").as_object();
  EXPECT_EQ(data.at("url"), "/echo?n=1.5&z=null");
  EXPECT_EQ(data.at("headers").at("x-n"), "5");
  EXPECT_EQ(data.at("headers").at("x-b"), "true");
}

TEST_F(HttpRequestPluginTest, json_response_is_parsed_and_headers_are_lower_case_in_name_order) {
  server.on("/j",
            ScriptedResponse{.headers = {{"X-Zed", "z"}, {"Content-Type", "application/json; charset=utf-8"}},
                             .body = R"({"b":1,"a":[true,null]})"});
  const auto out = run(obj(R"({"url":"{{SERVER}}/j"})"));
  const auto& success = out.at("success").as_object();
  EXPECT_EQ(success.at("data"), boost::json::parse(R"({"b":1,"a":[true,null]})"));
  std::vector<std::string> names;
  for (const auto& header : success.at("headers").as_object()) names.emplace_back(header.key());
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  EXPECT_EQ(success.at("headers").at("x-zed"), "z");
}

TEST_F(HttpRequestPluginTest, unparseable_json_body_is_retried_then_reported) {
  server.on("/bad", ScriptedResponse{.headers = {{"content-type", "application/json"}}, .body = "{not json"});
  const auto out = run(obj(R"({"url":"{{SERVER}}/bad","retries":1,"retryDelay":0})"));
  const auto& error = out.at("error").as_object();
  EXPECT_EQ(error.at("status"), 0);
  EXPECT_EQ(error.at("statusText"), "Error");
  EXPECT_EQ(
      std::string(error.at("message").as_string()).rfind("Request failed: Invalid JSON in response body", 0),
      0u);
  EXPECT_EQ(server.request_count("/bad"), 2u);
}

TEST_F(HttpRequestPluginTest, timeout_reports_timeout) {
  server.on("/slow", ScriptedResponse{.body = "late", .delay = 5s});
  const auto out = run(obj(R"({"url":"{{SERVER}}/slow","timeout":500,"retries":1,"retryDelay":0})"));
  EXPECT_EQ(
      out, obj(R"({"error":{"status":0,"statusText":"Timeout","message":"Request timed out after 500ms"}})"));
  EXPECT_EQ(server.request_count("/slow"), 2u);
}

TEST_F(HttpRequestPluginTest, manual_redirects_make_a_3xx_a_retryable_failure) {
  server.on("/r", ScriptedResponse{.status = 302, .headers = {{"location", "/ok"}}});
  server.on("/ok", ScriptedResponse{.body = "fine"});
  const auto out = run(obj(R"({"url":"{{SERVER}}/r","followRedirects":false,"retries":1,"retryDelay":0})"));
  EXPECT_EQ(
      out, obj(R"({"error":{"status":0,"statusText":"Error","message":"Request failed: HTTP 302: Found"}})"));
  EXPECT_EQ(server.request_count("/r"), 2u);
  EXPECT_EQ(server.request_count("/ok"), 0u);
}

TEST_F(HttpRequestPluginTest, follows_redirects_by_default) {
  server.on("/r", ScriptedResponse{.status = 302, .headers = {{"location", "/ok"}}});
  server.on("/ok", ScriptedResponse{.headers = {{"content-type", "text/plain"}}, .body = "fine"});
  const auto out = run(obj(R"({"url":"{{SERVER}}/r"})"));
  EXPECT_EQ(out.at("success").at("status"), 200);
  EXPECT_EQ(out.at("success").at("data"), "fine");
}

TEST_F(HttpRequestPluginTest, redirect_loop_fails_without_retrying) {
  server.on("/loop", ScriptedResponse{.status = 302, .headers = {{"location", "/loop"}}});
  const auto out = run(obj(R"({"url":"{{SERVER}}/loop","retries":2,"retryDelay":0})"));
  EXPECT_EQ(out.at("error").at("message"), "Request failed: Too many redirects (more than 5)");
  EXPECT_EQ(out.at("error").at("status"), 0);
  EXPECT_EQ(server.request_count("/loop"), 6u);
}

TEST_F(HttpRequestPluginTest, documented_defaults_apply_when_fields_are_missing) {
  server.on("/ok", ScriptedResponse{.headers = {{"content-type", "text/plain"}}, .body = "x"});
  const auto out = run(obj(R"({"url":"{{SERVER}}/ok","method":"GET","timeout":5000})"));
  EXPECT_EQ(out.at("success").at("data"), "x");
  ASSERT_EQ(server.request_count("/ok"), 1u);
  EXPECT_EQ(server.requests()[0].method, "GET");
}

TEST_F(HttpRequestPluginTest, oversized_response_fails_without_retrying) {
  server.on("/big", ScriptedResponse{.body = std::string(10 * 1024 * 1024 + 1, 'x')});
  const auto out = run(obj(R"({"url":"{{SERVER}}/big","retries":2,"retryDelay":0})"));
  EXPECT_EQ(out.at("error").at("message"),
            "Request failed: Response body exceeds the limit of 10485760 bytes");
  EXPECT_EQ(server.request_count("/big"), 1u);
}

TEST_F(HttpRequestPluginTest, invalid_url_goes_to_error_port) {
  const auto out = run(obj(R"({"url":"not a url","retries":0})"));
  EXPECT_EQ(out,
            obj(R"({"error":{"status":0,"statusText":"Error","message":"Request failed: Invalid URL"}})"));
  const auto missing = run(obj(R"({"method":"GET"})"));
  EXPECT_EQ(missing.at("error").at("message"), "Request failed: Invalid URL");
}

TEST_F(HttpRequestPluginTest, unsupported_method_goes_to_error_port) {
  const auto out = run(obj(R"({"url":"{{SERVER}}/x","method":"TRACE"})"));
  EXPECT_EQ(out.at("error").at("message"), "Request failed: Unsupported HTTP method 'TRACE'");
  EXPECT_EQ(server.request_count(), 0u);
}

TEST_F(HttpRequestPluginTest, private_targets_are_refused_without_the_allow_flag) {
  ScopedEnv deny{"KIANAX_HTTP_ALLOW_PRIVATE", nullptr};
  server.on("/x", ScriptedResponse{});
  for (const std::string& url :
       {server.base_url() + "/x", std::string("http://169.254.169.254/latest/meta-data/"),
        std::string("http://10.0.0.1/"), std::string("http://192.168.1.1/")}) {
    const auto out = run(boost::json::object{{"url", url}, {"retries", 3}, {"retryDelay", 0}});
    const auto& error = out.at("error").as_object();
    EXPECT_EQ(error.at("status"), 0) << url;
    EXPECT_EQ(
        std::string(error.at("message").as_string()).rfind("Request failed: Refusing to connect to ", 0), 0u)
        << url << ": " << error.at("message");
  }
  EXPECT_EQ(server.request_count(), 0u);
}

TEST_F(HttpRequestPluginTest, cancelled_run_throws_instead_of_routing) {
  server.on("/x", ScriptedResponse{});
  engine::PluginContext context = make_context();
  std::stop_source stop;
  context.stop = stop.get_token();
  stop.request_stop();
  EXPECT_THROW(
      {
        try {
          run(obj(R"({"url":"{{SERVER}}/x"})"), context);
        } catch (const engine::PluginError& error) {
          EXPECT_STREQ(error.what(), "Execution cancelled");
          throw;
        }
      },
      engine::PluginError);
  EXPECT_EQ(server.request_count(), 0u);
}

TEST_F(HttpRequestPluginTest, deadline_during_backoff_throws) {
  server.on("/boom", ScriptedResponse{.status = 500});
  engine::PluginContext context = make_context();
  context.deadline = std::chrono::steady_clock::now() + 2s;
  EXPECT_THROW(run(obj(R"({"url":"{{SERVER}}/boom","retries":5,"retryDelay":10000})"), context),
               engine::PluginError);
  EXPECT_EQ(server.request_count("/boom"), 1u);
}

TEST_F(HttpRequestPluginTest, metadata_declares_ports_and_defaults) {
  const auto& m = plugin->metadata();
  EXPECT_EQ(m.id, "http-request");
  ASSERT_EQ(m.inputs.size(), 1u);
  EXPECT_EQ(m.inputs[0].name, "input");
  ASSERT_EQ(m.outputs.size(), 2u);
  EXPECT_EQ(m.outputs[0].name, "success");
  EXPECT_EQ(m.outputs[1].name, "error");
  const auto& props = m.config_schema.at("properties").as_object();
  EXPECT_EQ(props.at("method").at("default"), "GET");
  EXPECT_EQ(props.at("timeout").at("default"), 30000);
  EXPECT_EQ(props.at("retries").at("default"), 0);
  EXPECT_EQ(props.at("retryDelay").at("default"), 1000);
  EXPECT_EQ(props.at("followRedirects").at("default"), true);
  EXPECT_TRUE(m.credential_requirements.empty());
}

}  // namespace
}  // namespace kianax::plugins
