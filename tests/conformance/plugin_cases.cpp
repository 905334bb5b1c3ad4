// plugin_unit: a built-in plugin's execute() called directly, network plugins pointed at a local stub server.
//
// Environment the network plugins are expected to honour (see src/plugins/README.md):
//   KIANAX_HTTP_ALLOW_PRIVATE=1                      the stub server is on loopback
//   KIANAX_OPENAI_BASE_URL=<stub>/v1                 replaces https://api.openai.com/v1
//   KIANAX_GOOGLE_SHEETS_BASE_URL=<stub>/v4/spreadsheets   replaces
//   https://sheets.googleapis.com/v4/spreadsheets
#include "case_kinds.hpp"
#include "case_support.hpp"
#include "stub_http_server.hpp"

#include "plugins/builtin_plugins.hpp"

#include <cstdlib>
#include <memory>

namespace kianax::conformance {

namespace {

void replace_server(boost::json::value& v, const std::string& base) {
  if (v.is_string()) {
    std::string s(v.get_string());
    for (size_t at; (at = s.find("{{SERVER}}")) != std::string::npos;) s.replace(at, 10, base);
    v = s;
  } else if (v.is_array()) {
    for (auto& e : v.get_array()) replace_server(e, base);
  } else if (v.is_object()) {
    for (auto& m : v.get_object()) replace_server(m.value(), base);
  }
}

// A canned body: strings as they are (text/plain unless headers say otherwise), anything else as JSON.
StubResponse canned(int status, const boost::json::value* body, const boost::json::value* headers) {
  StubResponse r;
  r.status = status;
  bool has_type = false;
  if (headers && headers->is_object())
    for (const auto& h : headers->get_object()) {
      r.headers.emplace_back(std::string(h.key()), std::string(h.value().as_string()));
      has_type = has_type || h.key() == "content-type" || h.key() == "Content-Type";
    }
  if (body && body->is_string()) {
    r.body = std::string(body->get_string());
    if (!has_type) r.headers.emplace_back("Content-Type", "text/plain");
  } else if (body) {
    r.body = engine::js_stringify(*body);
    if (!has_type) r.headers.emplace_back("Content-Type", "application/json");
  }
  return r;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

class ScopedEnv {
 public:
  void set(const char* name, const std::string& value) {
    names_.push_back(name);
    ::setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() {
    for (const auto* n : names_) ::unsetenv(n);
  }

 private:
  std::vector<const char*> names_;
};

std::unique_ptr<StubHttpServer> make_server(const boost::json::object& c) {
  if (const auto* routes = c.if_contains("http_server_stub")) {
    boost::json::object table = routes->as_object();
    return std::make_unique<StubHttpServer>([table](const StubRequest& req) {
      std::string path = req.target.substr(0, req.target.find('?'));
      const auto* route = table.if_contains(path);
      if (route == nullptr) return canned(404, nullptr, nullptr);
      if (const auto* echo = member(*route, "echo"); echo && echo->is_bool() && echo->get_bool()) {
        boost::json::object headers;
        for (const auto& [k, v] : req.headers) headers[lower(k)] = v;
        boost::json::value body = boost::json::object{
            {"method", req.method}, {"url", req.target}, {"body", req.body}, {"headers", std::move(headers)}};
        return canned(200, &body, nullptr);
      }
      StubResponse r = canned(static_cast<int>(member(*route, "status")->to_number<std::int64_t>()),
                              member(*route, "body"), member(*route, "headers"));
      if (const auto* d = member(*route, "delay_ms"))
        r.delay_ms = static_cast<int>(d->to_number<std::int64_t>());
      return r;
    });
  }
  if (const auto* fetch = c.if_contains("fetch_stub")) {
    boost::json::value f = *fetch;
    return std::make_unique<StubHttpServer>([f](const StubRequest&) {
      return canned(static_cast<int>(member(f, "status")->to_number<std::int64_t>()), member(f, "body"),
                    member(f, "headers"));
    });
  }
  if (const auto* openai = c.if_contains("openai_stub")) {
    boost::json::value o = *openai;
    return std::make_unique<StubHttpServer>(
        [o](const StubRequest&) { return canned(200, member(o, "response"), nullptr); });
  }
  return nullptr;
}

}  // namespace

void run_plugin_unit(const boost::json::object& c) {
  static const plugins::Registry registry = plugins::make_builtin_registry();
  std::string id(c.at("plugin").as_string());
  const engine::Plugin* plugin = registry.find(id);
  if (plugin == nullptr) throw CaseFailure("plugin not found: " + id);

  auto server = make_server(c);
  ScopedEnv env;
  boost::json::value config = c.at("config");
  if (server) {
    replace_server(config, server->base_url());
    env.set("KIANAX_HTTP_ALLOW_PRIVATE", "1");
    env.set("KIANAX_OPENAI_BASE_URL", server->base_url() + "/v1");
    env.set("KIANAX_GOOGLE_SHEETS_BASE_URL", server->base_url() + "/v4/spreadsheets");
  }
  engine::PluginContext ctx;
  ctx.user_id = "user-1";
  ctx.routine_id = "routine-1";
  ctx.execution_id = "exec-1";
  ctx.node_id = "node-1";
  ctx.idempotency_key = "exec-1:node-1:1";
  boost::json::object node_state;
  ctx.node_state = &node_state;
  if (const auto* creds = c.if_contains("context_credentials")) ctx.credentials = creds->as_object();

  std::optional<std::string> error;
  engine::PluginOutputs outputs;
  try {
    auto cfg = from_case(config);
    outputs = plugin->execute({}, cfg && cfg->is_object() ? cfg->get_object() : boost::json::object{}, ctx);
  } catch (const std::exception& e) {
    error = e.what();
  }
  if (const auto* t = c.if_contains("expect_throws"))
    expect_throws(*t, error);
  else if (error)
    throw CaseFailure("plugin threw: " + *error);

  boost::json::object got;
  for (const auto& o : outputs)
    if (o.value) got[o.port] = *o.value;
  if (const auto* e = c.if_contains("expect_output")) {
    for (const auto& o : outputs)  // a port whose value is undefined must be expected as $undefined
      if (!o.value && !(e->as_object().contains(o.port)))
        throw CaseFailure("output: unexpected undefined port " + o.port);
    expect_equal(*e, boost::json::value(got), "output");
  }
  if (const auto* e = c.if_contains("expect_output_subset"))
    expect_subset(*e, boost::json::value(got), "output");
  if (const auto* p = c.if_contains("expect_active_port")) {
    if (outputs.size() != 1 || outputs[0].port != p->as_string())
      throw CaseFailure("active port: expected only \"" + std::string(p->as_string()) + "\", got " +
                        engine::js_stringify(got));
  }
  if (const auto* absent = c.if_contains("expect_absent_ports"))
    for (const auto& p : absent->as_array())
      for (const auto& o : outputs)
        if (o.port == p.as_string()) throw CaseFailure("port " + o.port + " should be absent");

  auto requests = server ? server->requests() : std::vector<StubRequest>{};
  if (const auto* n = c.if_contains("expect_requests"))
    expect_equal(*n, boost::json::value(static_cast<std::int64_t>(requests.size())), "requests");
  if (const auto* f = c.if_contains("expect_fetch")) {
    if (requests.empty()) throw CaseFailure("expect_fetch: no request was made");
    const auto& r = requests.front();
    boost::json::object headers;
    for (const auto& [k, v] : r.headers) headers[lower(k)] = v;
    boost::json::object got_req{
        {"url", "https://sheets.googleapis.com" + r.target}, {"method", r.method}, {"body", r.body}};
    for (const auto& m : f->as_object()) {
      if (m.key() == "headers") {
        for (const auto& h : m.value().as_object()) {
          const auto* g = headers.if_contains(lower(std::string(h.key())));
          expect_equal(h.value(), g ? engine::MaybeValue(*g) : std::nullopt,
                       "fetch.headers." + std::string(h.key()));
        }
      } else {
        expect_equal(m.value(), engine::MaybeValue(got_req.at(m.key())), "fetch." + std::string(m.key()));
      }
    }
  }
  if (const auto* o = c.if_contains("expect_openai_request")) {
    if (requests.empty()) throw CaseFailure("expect_openai_request: no request was made");
    boost::system::error_code ec;
    auto body = boost::json::parse(requests.front().body, ec);
    if (ec) throw CaseFailure("openai request body is not JSON: " + requests.front().body);
    expect_subset(*o, body, "openai_request");
  }
}

}  // namespace kianax::conformance
