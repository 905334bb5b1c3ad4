// Helpers shared by the plugin suites: running a plugin with a context, and a scoped environment variable.
#pragma once

#include "engine/plugin.hpp"

#include <boost/json.hpp>

#include <cstdlib>
#include <optional>
#include <string>

namespace kianax::plugins::testing {

// Sets (or unsets) an environment variable for the lifetime of the object, restoring the old value after.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value != nullptr) {
      ::setenv(name, value, 1);
    } else {
      ::unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_.c_str(), old_->c_str(), 1);
    } else {
      ::unsetenv(name_.c_str());
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::string name_;
  std::optional<std::string> old_;
};

// A context like the engine builds for one node run.
inline engine::PluginContext make_context(boost::json::object credentials = {}) {
  engine::PluginContext context;
  context.user_id = "user-1";
  context.routine_id = "routine-1";
  context.execution_id = "exec-1";
  context.node_id = "node-1";
  context.credentials = std::move(credentials);
  context.idempotency_key = "exec-1:node-1:1";
  return context;
}

// The returned port map as one JSON object {port: value}; an undefined port value is left out.
inline boost::json::object as_json(const engine::PluginOutputs& outputs) {
  boost::json::object out;
  for (const auto& port : outputs) {
    if (port.value) out[port.port] = *port.value;
  }
  return out;
}

inline boost::json::object obj(std::string_view json) { return boost::json::parse(json).as_object(); }

}  // namespace kianax::plugins::testing
