// The contract between the routine engine and every plugin (built-in or network).
//
// Design rules (shared with the worker and the network plugins):
//  - A plugin is stateless and `execute` is const: one instance serves every node and every thread at once.
//    Per-node state that must survive between runs of a node lives in `PluginContext::node_state`.
//  - `execute` is synchronous and may block (the worker runs executions on worker threads). A blocking call
//    must honour `PluginContext::deadline` and `PluginContext::stop` (poll `should_stop()` or pass the
//    remaining time to libcurl); a plugin that gives up for either reason throws `PluginError`.
//  - A plugin signals failure by throwing `PluginError` (or any std::exception) carrying exactly the message
//  the
//    engine spec requires; the engine turns it into `Node <id> (<pluginId>) failed: <message>`.
//    Failures that are *data* (http-request's `error` port) are returned, not thrown.
//  - Undefined vs null: JS `undefined` is modelled as "absent" — a missing key in an object, or an empty
//    std::optional where a single value may be undefined (see src/engine/README.md).
//  - Network plugins are created by `make_<name>_plugin()` returning std::unique_ptr<kianax::engine::Plugin>
//    and registered in src/plugins/builtin_plugins.cpp.
#pragma once

#include <boost/json.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <stdexcept>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

namespace kianax::engine {

// Thrown by a plugin (or by the engine on the plugin's behalf) to fail the node. `what()` is the message.
class PluginError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One credential a plugin needs. The node's `credentialMappings` maps `id` (or, failing that, `key()`) to a
// user credential id; the loaded data reaches the plugin as `PluginContext::credentials[key()]`.
struct CredentialRequirement {
  std::string id;                    // credential type id, e.g. "openai-api", "google-sheets-oauth"
  std::optional<std::string> alias;  // key the plugin reads, e.g. "googleSheets"
  bool required = true;

  [[nodiscard]] const std::string& key() const { return alias ? *alias : id; }
};

// An input or output port. `schema` is JSON-schema-like ({} accepts anything).
struct PortSpec {
  std::string name;
  std::string label;
  std::string description;
  boost::json::value schema = boost::json::object{};
};

struct PluginMetadata {
  std::string id;  // registry id, e.g. "if-else"
  std::string name;
  std::string description;
  std::string version;
  std::vector<std::string> tags;  // at least one
  std::string icon;               // optional, "" when none
  std::string author;             // optional, "" when none
  std::vector<PortSpec> inputs;   // every built-in has exactly one: "input"
  std::vector<PortSpec> outputs;  // at least one; the names are the routing handles
  // JSON-schema-like object schema of the node config:
  // {"type":"object","properties":{"<field>":{"type":…,"default":…,"enum":[…],"minimum":…,"maximum":…,
  //  "description":…}},"required":[…]}. Plugins apply the documented defaults themselves (see
  // apply_config_defaults), so a config missing a field behaves as the editor's saved default would.
  boost::json::object config_schema;
  std::vector<CredentialRequirement> credential_requirements;
};

// What one plugin call returns: output port name → value, in the order the ports should appear.
// `value` empty (undefined) or null → the port exists with zero items (downstream edges stay inactive).
// Any other value, including false, 0 and "", → one item.
struct PortOutput {
  std::string port;
  std::optional<boost::json::value> value;
};
using PluginOutputs = std::vector<PortOutput>;

struct PluginContext {
  std::string user_id;
  std::string routine_id;
  std::string execution_id;
  std::string node_id;
  // credential key (requirement alias, else id) → loaded credential data (e.g. {"apiKey": "…"}).
  boost::json::object credentials;
  std::optional<boost::json::value> trigger_data;  // empty = no trigger data (JS undefined)
  // "<executionId>:<nodeId>:<attempt>" — stable across retries of the same attempt number, so outside
  // services that support idempotency keys can deduplicate at-least-once calls.
  std::string idempotency_key;
  int attempt = 1;
  // Absolute time by which the call must return. Defaults to "no deadline".
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  // Requested when the run is cancelled (user cancel, worker shutdown, lease lost).
  std::stop_token stop;
  // Mutable per-node state, created empty on a node's first run and kept between runs of that node
  // within one execution. Never null while `execute` runs.
  boost::json::object* node_state = nullptr;

  [[nodiscard]] bool cancelled() const { return stop.stop_requested(); }
  [[nodiscard]] bool deadline_passed() const { return std::chrono::steady_clock::now() >= deadline; }
  [[nodiscard]] bool should_stop() const { return cancelled() || deadline_passed(); }
  // Time left before the deadline (zero when passed; a very large value when there is no deadline).
  [[nodiscard]] std::chrono::milliseconds remaining() const {
    if (deadline == std::chrono::steady_clock::time_point::max()) return std::chrono::milliseconds::max();
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    return left.count() > 0 ? left : std::chrono::milliseconds{0};
  }
  // Throws PluginError("Execution cancelled") / ("Execution deadline exceeded") when the call must stop.
  void throw_if_stopped() const {
    if (cancelled()) throw PluginError("Execution cancelled");
    if (deadline_passed()) throw PluginError("Execution deadline exceeded");
  }
};

class Plugin {
 public:
  virtual ~Plugin() = default;
  [[nodiscard]] virtual const PluginMetadata& metadata() const = 0;
  // inputs: one key per gathered input port that has at least one item → that port's first item's data.
  //         (Built-in plugins ignore inputs; data reaches them through config expressions.)
  // config: the node's parameters with every {{ … }} expression resolved; keys whose expression resolved
  //         to undefined are absent.
  virtual PluginOutputs execute(const boost::json::object& inputs, const boost::json::object& config,
                                PluginContext& context) const = 0;
};

// How the executor finds plugins (implemented by kianax::plugins::Registry, and by test doubles).
class PluginProvider {
 public:
  virtual ~PluginProvider() = default;
  // nullptr when no plugin has this id. The returned plugin outlives the provider's use by the engine.
  [[nodiscard]] virtual const Plugin* find(std::string_view plugin_id) const = 0;
};

// Returns `config` with every top-level property missing from it that has a "default" in
// `schema.properties` filled in (nested objects are left as they are). Used by plugins so a config saved
// without a field behaves like the documented default (spec quirk: upstream never applied them).
[[nodiscard]] boost::json::object apply_config_defaults(const boost::json::object& schema,
                                                        boost::json::object config);

}  // namespace kianax::engine
