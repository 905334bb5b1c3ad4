// Stub plugins described by the cases' "plugin_stubs" / "worker_plugin_stubs", and a provider that counts
// registry lookups (the cases' plugin_instantiations) and records every call.
#pragma once

#include "engine/plugin.hpp"
#include "plugins/registry.hpp"

#include <boost/json.hpp>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace kianax::conformance {

struct RecordedCall {
  boost::json::object inputs;
  boost::json::object config;
  boost::json::object context;  // {userId, routineId, executionId, nodeId, triggerData?, credentials}
  boost::json::object node_state_before;
};

class CallLog {
 public:
  void add(const std::string& node_id, RecordedCall call);
  [[nodiscard]] std::vector<RecordedCall> calls(const std::string& node_id) const;
  [[nodiscard]] int count(const std::string& node_id) const;
  int next_index(const std::string& node_id);  // for "sequence": 0, 1, 2… per node

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::vector<RecordedCall>> calls_;
  std::map<std::string, int> sequence_;
};

[[nodiscard]] boost::json::object context_json(const engine::PluginContext& ctx);

// One stub from its case description ({kind, …, metadata?}); `id` is its plugin id.
[[nodiscard]] std::unique_ptr<engine::Plugin> make_stub(const std::string& id,
                                                        const boost::json::object& spec, CallLog& log);

// Stubs by id ('*' = fallback for unknown ids) plus selected built-ins; find() counts lookups.
class CaseProvider : public engine::PluginProvider {
 public:
  CaseProvider(const boost::json::object* stubs, const boost::json::array* builtin_ids, bool all_builtins,
               CallLog& log);
  [[nodiscard]] const engine::Plugin* find(std::string_view plugin_id) const override;
  [[nodiscard]] int lookups() const { return lookups_; }

 private:
  CallLog& log_;
  plugins::Registry builtins_;
  std::vector<std::string> builtin_allowed_;
  bool all_builtins_;
  boost::json::object stub_specs_;
  mutable std::map<std::string, std::unique_ptr<engine::Plugin>, std::less<>> stubs_;
  mutable int lookups_ = 0;
};

}  // namespace kianax::conformance
