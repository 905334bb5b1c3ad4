#include "plugins/openai_message/openai_message_plugin.hpp"

#include "engine/js_value.hpp"
#include "plugins/net/env_url.hpp"
#include "plugins/net/http_client.hpp"
#include "plugins/net/plugin_io.hpp"

#include <algorithm>
#include <cstdlib>

namespace kianax::plugins {
namespace {

using namespace std::chrono_literals;

constexpr int kMaxRetries = 2;               // the official SDK's default
constexpr auto kRequestTimeout = 600'000ms;  // the SDK's default: 10 minutes, bounded by the run's deadline
constexpr auto kInitialRetryDelay = 500ms;
constexpr auto kMaxRetryDelay = 8'000ms;

engine::PluginMetadata make_metadata() {
  engine::PluginMetadata m;
  m.id = "openai-message";
  m.name = "OpenAI Message";
  m.description =
      "Sends a message (with an optional system prompt) to an OpenAI chat model and outputs the reply.";
  m.version = "1.0.0";
  m.tags = {"ai", "openai", "llm"};
  m.icon = "sparkles";
  m.author = "Kianax";
  m.inputs = {{"input", "Input", "Only orders execution; the message comes from the config", {}}};
  m.outputs = {{"output", "Output", "{text, usage?: {prompt_tokens, completion_tokens, total_tokens}}",
                boost::json::object{}}};
  m.config_schema = boost::json::parse(R"json({
    "type": "object",
    "properties": {
      "model": {"type": "string", "default": "gpt-4o", "description": "Chat model id"},
      "temperature": {"type": "number", "minimum": 0, "maximum": 2, "default": 0.7},
      "maxTokens": {"type": "number", "description": "Upper bound on the reply's tokens (max_tokens)"},
      "message": {"type": "string", "description": "The user message; may contain {{ … }} expressions"},
      "systemPrompt": {"type": "string", "description": "Optional system message sent first"}
    },
    "required": ["message"]
  })json")
                        .as_object();
  m.credential_requirements = {{"openai-api", std::nullopt, true}};
  return m;
}

std::string api_key(const engine::PluginContext& context) {
  const auto* credential = context.credentials.if_contains("openai-api");
  if (credential != nullptr && credential->is_object()) {
    const auto* key = credential->get_object().if_contains("apiKey");
    if (key != nullptr && key->is_string() && !key->get_string().empty())
      return std::string(key->get_string());
  }
  throw engine::PluginError("OpenAI API Key is missing. Please check your credential configuration.");
}

// The Chat Completions request body; fields the node leaves undefined are left out, as the SDK does.
std::string request_body(const boost::json::object& config) {
  boost::json::array messages;
  if (const auto* system = config.if_contains("systemPrompt"); system != nullptr && net::js_truthy(*system)) {
    messages.push_back(boost::json::object{{"role", "system"}, {"content", *system}});
  }
  boost::json::object user{{"role", "user"}};
  if (const auto* message = config.if_contains("message")) user["content"] = *message;
  messages.push_back(std::move(user));

  boost::json::object body;
  if (const auto* model = config.if_contains("model")) body["model"] = *model;
  body["messages"] = std::move(messages);
  if (const auto* temperature = config.if_contains("temperature")) body["temperature"] = *temperature;
  if (const auto* max_tokens = config.if_contains("maxTokens");
      max_tokens != nullptr && !max_tokens->is_null()) {
    body["max_tokens"] = *max_tokens;
  }
  return engine::js_stringify(body);
}

// The SDK's APIError message: "<status> <error.message>", the raw text when the body is not JSON, or
// "<status> status code (no body)".
std::string api_error_message(const net::HttpResponse& response) {
  const std::string prefix = std::to_string(response.status);
  boost::system::error_code ec;
  const auto parsed = boost::json::parse(response.body, ec);
  if (ec) return response.body.empty() ? prefix + " status code (no body)" : prefix + " " + response.body;
  const auto* error = parsed.is_object() ? parsed.get_object().if_contains("error") : nullptr;
  if (error == nullptr || error->is_null()) return prefix + " status code (no body)";
  if (error->is_object()) {
    if (const auto* message = error->get_object().if_contains("message");
        message && net::js_truthy(*message)) {
      return prefix + " " +
             (message->is_string() ? std::string(message->get_string()) : engine::js_stringify(*message));
    }
  }
  return prefix + " " + engine::js_stringify(*error);
}

bool retryable_status(int status) { return status == 408 || status == 409 || status == 429 || status >= 500; }

// Retry-After(-ms) when the server asks for under a minute, else exponential backoff capped at 8 s.
std::chrono::milliseconds retry_delay(const net::HttpResponse* response, int retry) {
  if (response != nullptr) {
    for (const char* name : {"retry-after-ms", "retry-after"}) {
      const auto value = response->header(name);
      if (!value) continue;
      char* end = nullptr;
      const double number = std::strtod(value->c_str(), &end);
      if (end == value->c_str() || *end != '\0') continue;
      const double ms = std::string_view(name) == "retry-after" ? number * 1000 : number;
      if (ms > 0 && ms < 60'000) return std::chrono::milliseconds(static_cast<long long>(ms));
    }
  }
  return std::min<std::chrono::milliseconds>(kInitialRetryDelay * (1 << retry), kMaxRetryDelay);
}

boost::json::value completion_output(const boost::json::value& completion) {
  const boost::json::array* choices = nullptr;
  if (completion.is_object()) {
    if (const auto* c = completion.get_object().if_contains("choices"); c != nullptr && c->is_array()) {
      choices = &c->get_array();
    }
  }
  if (choices == nullptr || choices->empty())
    throw engine::PluginError("No completion choice returned from OpenAI.");
  std::string text;
  const auto& first = choices->front();
  if (first.is_object()) {
    if (const auto* message = first.get_object().if_contains("message"); message && message->is_object()) {
      if (const auto* content = message->get_object().if_contains("content");
          content && content->is_string()) {
        text = std::string(content->get_string());
      }
    }
  }
  boost::json::object output{{"text", text}};
  if (const auto* usage = completion.get_object().if_contains("usage"); usage && usage->is_object()) {
    boost::json::object picked;
    for (const char* field : {"prompt_tokens", "completion_tokens", "total_tokens"}) {
      if (const auto* v = usage->get_object().if_contains(field)) picked[field] = *v;
    }
    output["usage"] = std::move(picked);
  }
  return output;
}

class OpenAiMessagePlugin final : public engine::Plugin {
 public:
  const engine::PluginMetadata& metadata() const override { return metadata_; }

  engine::PluginOutputs execute(const boost::json::object& /*inputs*/, const boost::json::object& raw_config,
                                engine::PluginContext& context) const override {
    const std::string key = api_key(context);
    const boost::json::object config = engine::apply_config_defaults(metadata_.config_schema, raw_config);

    net::HttpRequest request = net::request_for(context);
    request.method = "POST";
    request.url =
        net::base_url_from_env("KIANAX_OPENAI_BASE_URL", "https://api.openai.com/v1") + "/chat/completions";
    request.headers = {{"Authorization", "Bearer " + key},
                       {"Content-Type", "application/json"},
                       {"Accept", "application/json"}};
    request.body = request_body(config);
    request.timeout = kRequestTimeout;

    for (int retry = 0;; ++retry) {
      context.throw_if_stopped();
      const net::HttpResult result = net::send(request);
      const bool can_retry = retry < kMaxRetries;
      if (!result.ok()) {
        const net::HttpError& error = result.error();
        net::throw_if_interrupted(error, context);
        const bool transient =
            error.kind == net::HttpErrorKind::kNetwork || error.kind == net::HttpErrorKind::kTimeout;
        if (transient && can_retry) {
          net::wait_before_retry(retry_delay(nullptr, retry), context);
          continue;
        }
        if (error.kind == net::HttpErrorKind::kTimeout) throw engine::PluginError("Request timed out.");
        if (error.kind == net::HttpErrorKind::kNetwork) throw engine::PluginError("Connection error.");
        throw engine::PluginError("OpenAI request failed: " + error.message);
      }
      const net::HttpResponse& response = result.response();
      if (response.status < 200 || response.status >= 300) {
        if (retryable_status(response.status) && can_retry) {
          net::wait_before_retry(retry_delay(&response, retry), context);
          continue;
        }
        throw engine::PluginError(api_error_message(response));
      }
      boost::system::error_code ec;
      const auto completion = boost::json::parse(response.body, ec);
      if (ec) throw engine::PluginError("OpenAI returned a response that is not JSON: " + ec.message());
      return {{"output", completion_output(completion)}};
    }
  }

 private:
  engine::PluginMetadata metadata_ = make_metadata();
};

}  // namespace

std::unique_ptr<engine::Plugin> make_openai_message_plugin() {
  return std::make_unique<OpenAiMessagePlugin>();
}

}  // namespace kianax::plugins
