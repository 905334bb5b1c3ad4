#include "plugins/google_sheets/google_sheets_plugin.hpp"

#include "engine/js_value.hpp"
#include "plugins/net/env_url.hpp"
#include "plugins/net/http_client.hpp"
#include "plugins/net/plugin_io.hpp"

namespace kianax::plugins {
namespace {

using namespace std::chrono_literals;

constexpr auto kRequestTimeout = 120'000ms;  // upstream had none; bounded by the run's deadline as well

engine::PluginMetadata make_metadata() {
  engine::PluginMetadata m;
  m.id = "google-sheets";
  m.name = "Google Sheets";
  m.description = "Reads a range, appends a row, or clears a range in a Google Sheets spreadsheet.";
  m.version = "1.0.0";
  m.tags = {"google", "sheets", "spreadsheet", "integration"};
  m.icon = "sheet";
  m.author = "Kianax";
  m.inputs = {{"input", "Input", "Only orders execution; the operation comes from the config", {}}};
  m.outputs = {{"output", "Output", "read: {values}; append: {updatedRange, updatedRows}; clear: {}",
                boost::json::object{}}};
  m.config_schema = boost::json::parse(R"json({
    "type": "object",
    "properties": {
      "operation": {"type": "string", "enum": ["read", "append", "clear"], "default": "read"},
      "spreadsheetId": {"type": "string", "description": "The id in the spreadsheet's URL"},
      "range": {"type": "string", "description": "A1 notation, e.g. Sheet1!A1:B10 (sent as written)"},
      "values": {"type": "array", "description": "append: the cells of the one row to add"}
    },
    "required": ["spreadsheetId", "range"]
  })json")
                        .as_object();
  m.credential_requirements = {{"google-sheets-oauth", std::string("googleSheets"), true}};
  return m;
}

std::string access_token(const engine::PluginContext& context) {
  const auto* credential = context.credentials.if_contains("googleSheets");
  if (credential != nullptr && credential->is_object()) {
    const auto* token = credential->get_object().if_contains("access_token");
    if (token != nullptr && token->is_string() && !token->get_string().empty()) {
      return std::string(token->get_string());
    }
  }
  throw engine::PluginError("Missing Google Sheets access token");
}

std::string required_text(const boost::json::object& config, const char* field) {
  const auto* value = config.if_contains(field);
  if (value == nullptr || value->is_null() || (value->is_string() && value->get_string().empty())) {
    throw engine::PluginError(std::string("Google Sheets ") + field + " is required");
  }
  return net::js_string(*value);
}

std::string spreadsheets_url() {
  std::string base =
      net::base_url_from_env("KIANAX_GOOGLE_SHEETS_BASE_URL", "https://sheets.googleapis.com/v4");
  constexpr std::string_view kCollection = "/spreadsheets";
  if (base.size() < kCollection.size() ||
      base.compare(base.size() - kCollection.size(), kCollection.size(), kCollection) != 0) {
    base += kCollection;
  }
  return base;
}

boost::json::value parse_reply(const net::HttpResponse& response) {
  boost::system::error_code ec;
  auto parsed = boost::json::parse(response.body, ec);
  if (ec || !parsed.is_object())
    throw engine::PluginError("Google Sheets API returned a reply that is not a JSON object");
  return parsed;
}

class GoogleSheetsPlugin final : public engine::Plugin {
 public:
  const engine::PluginMetadata& metadata() const override { return metadata_; }

  engine::PluginOutputs execute(const boost::json::object& /*inputs*/, const boost::json::object& raw_config,
                                engine::PluginContext& context) const override {
    const std::string token = access_token(context);
    const boost::json::object config = engine::apply_config_defaults(metadata_.config_schema, raw_config);
    const std::string operation = net::js_string(config.at("operation"));
    if (operation != "read" && operation != "append" && operation != "clear") {
      throw engine::PluginError("Unsupported Google Sheets operation '" + operation + "'");
    }
    const std::string values_url = spreadsheets_url() + "/" + required_text(config, "spreadsheetId") +
                                   "/values/" + required_text(config, "range");

    net::HttpRequest request = net::request_for(context);
    request.headers = {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}};
    request.timeout = kRequestTimeout;
    if (operation == "read") {
      request.method = "GET";
      request.url = values_url;
    } else if (operation == "append") {
      request.method = "POST";
      request.url = values_url + ":append?valueInputOption=USER_ENTERED";
      const auto* values = config.if_contains("values");
      boost::json::value row = values != nullptr && net::js_truthy(*values) ? *values : boost::json::array{};
      request.body =
          engine::js_stringify(boost::json::object{{"values", boost::json::array{std::move(row)}}});
    } else {
      request.method = "POST";
      request.url = values_url + ":clear";
    }

    const net::HttpResult result = net::send(request);
    if (!result.ok()) {
      net::throw_if_interrupted(result.error(), context);
      throw engine::PluginError("Google Sheets request failed: " + result.error().message);
    }
    const net::HttpResponse& response = result.response();
    if (response.status < 200 || response.status >= 300) {
      throw engine::PluginError("Google Sheets API error: " + response.body);
    }

    boost::json::object output;
    if (operation == "read") {
      const auto reply = parse_reply(response);
      const auto* values = reply.get_object().if_contains("values");
      output["values"] = values != nullptr && net::js_truthy(*values) ? *values : boost::json::array{};
    } else if (operation == "append") {
      const auto reply = parse_reply(response);
      if (const auto* updates = reply.get_object().if_contains("updates"); updates && updates->is_object()) {
        for (const char* field : {"updatedRange", "updatedRows"}) {
          if (const auto* v = updates->get_object().if_contains(field)) output[field] = *v;
        }
      }
    }
    return {{"output", boost::json::value(std::move(output))}};
  }

 private:
  engine::PluginMetadata metadata_ = make_metadata();
};

}  // namespace

std::unique_ptr<engine::Plugin> make_google_sheets_plugin() { return std::make_unique<GoogleSheetsPlugin>(); }

}  // namespace kianax::plugins
