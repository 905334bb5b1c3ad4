#include "stub_plugins.hpp"

#include "case_support.hpp"
#include "plugins/builtin_plugins.hpp"

#include <cmath>

namespace kianax::conformance {

void CallLog::add(const std::string& node_id, RecordedCall call) {
  std::lock_guard lock(mu_);
  calls_[node_id].push_back(std::move(call));
}

std::vector<RecordedCall> CallLog::calls(const std::string& node_id) const {
  std::lock_guard lock(mu_);
  auto it = calls_.find(node_id);
  return it == calls_.end() ? std::vector<RecordedCall>{} : it->second;
}

int CallLog::count(const std::string& node_id) const { return static_cast<int>(calls(node_id).size()); }

int CallLog::next_index(const std::string& node_id) {
  std::lock_guard lock(mu_);
  return sequence_[node_id]++;
}

boost::json::object context_json(const engine::PluginContext& ctx) {
  boost::json::object o{{"userId", ctx.user_id},
                        {"routineId", ctx.routine_id},
                        {"executionId", ctx.execution_id},
                        {"nodeId", ctx.node_id}};
  if (ctx.trigger_data) o["triggerData"] = *ctx.trigger_data;
  o["credentials"] = ctx.credentials;
  return o;
}

namespace {

bool js_truthy(const boost::json::value* v) {
  if (v == nullptr || v->is_null()) return false;
  if (v->is_bool()) return v->get_bool();
  if (v->is_number()) {
    double d = engine::number_as_double(*v);
    return d != 0 && !std::isnan(d);
  }
  if (v->is_string()) return !v->get_string().empty();
  return true;
}

std::string str(const boost::json::object& o, std::string_view key, std::string fallback) {
  return engine::string_member(o, key).value_or(std::move(fallback));
}

engine::PluginOutputs outputs_from(const boost::json::value* outputs) {
  engine::PluginOutputs out;
  if (outputs && outputs->is_object())
    for (const auto& m : outputs->get_object()) out.push_back({std::string(m.key()), from_case(m.value())});
  return out;
}

class StubPlugin final : public engine::Plugin {
 public:
  StubPlugin(const std::string& id, boost::json::object spec, CallLog& log)
      : spec_(std::move(spec)), log_(log) {
    meta_.id = id;
    meta_.name = id;
    meta_.version = "0.0.0";
    meta_.tags = {"test"};
    std::vector<std::string> inputs{"input"};
    if (const auto* in = spec_.if_contains("inputs"); in && in->is_array()) {
      inputs.clear();
      for (const auto& i : in->get_array()) inputs.emplace_back(i.as_string());
    }
    for (const auto& i : inputs) meta_.inputs.push_back({i, i, "", boost::json::object{}});
    meta_.outputs.push_back({"output", "output", "", boost::json::object{}});
    const auto* md = spec_.if_contains("metadata");
    const auto* reqs = md ? member(*md, "credentialRequirements") : nullptr;
    if (reqs && reqs->is_array()) {
      for (const auto& r : reqs->get_array()) {
        engine::CredentialRequirement cr;
        cr.id = str(r.as_object(), "id", "");
        cr.alias = engine::string_member(r.as_object(), "alias");
        if (const auto* req = r.as_object().if_contains("required"); req && req->is_bool())
          cr.required = req->get_bool();
        meta_.credential_requirements.push_back(std::move(cr));
      }
    }
  }

  const engine::PluginMetadata& metadata() const override { return meta_; }

  engine::PluginOutputs execute(const boost::json::object& inputs, const boost::json::object& config,
                                engine::PluginContext& ctx) const override {
    log_.add(ctx.node_id,
             {inputs, config, context_json(ctx), ctx.node_state ? *ctx.node_state : boost::json::object{}});
    std::string kind = str(spec_, "kind", "");
    std::string out_port = str(spec_, "out_port", "output");
    if (kind == "echo_or_default") {
      const auto* in = inputs.if_contains(str(spec_, "in_port", "input"));
      const boost::json::value* def = spec_.if_contains("default");
      return {{out_port, js_truthy(in) ? engine::MaybeValue(*in) : (def ? from_case(*def) : std::nullopt)}};
    }
    if (kind == "throw") throw engine::PluginError(str(spec_, "message", "stub failure"));
    if (kind == "fixed") return outputs_from(spec_.if_contains("outputs"));
    if (kind == "sequence") {
      const auto& runs = spec_.at("runs").as_array();
      size_t k = static_cast<size_t>(log_.next_index(ctx.node_id));
      return outputs_from(&runs[std::min(k, runs.size() - 1)]);
    }
    if (kind == "return_config") return {{out_port, boost::json::value(config)}};
    if (kind == "return_context") return {{out_port, boost::json::value(context_json(ctx))}};
    if (kind == "probe")
      return {{"output",
               boost::json::value(boost::json::object{{"inputs", inputs}, {"context", context_json(ctx)}})}};
    if (kind == "counter") {
      auto& state = *ctx.node_state;
      std::int64_t count =
          state.contains("count") ? static_cast<std::int64_t>(engine::number_as_double(state["count"])) : 0;
      state["count"] = ++count;
      return {{"output", boost::json::value(count)}};
    }
    throw engine::PluginError("unknown stub kind \"" + kind + "\"");
  }

 private:
  boost::json::object spec_;
  CallLog& log_;
  engine::PluginMetadata meta_;
};

}  // namespace

std::unique_ptr<engine::Plugin> make_stub(const std::string& id, const boost::json::object& spec,
                                          CallLog& log) {
  return std::make_unique<StubPlugin>(id, spec, log);
}

CaseProvider::CaseProvider(const boost::json::object* stubs, const boost::json::array* builtin_ids,
                           bool all_builtins, CallLog& log)
    : log_(log), builtins_(plugins::make_builtin_registry()), all_builtins_(all_builtins) {
  if (stubs) stub_specs_ = *stubs;
  if (builtin_ids)
    for (const auto& b : *builtin_ids) builtin_allowed_.emplace_back(b.as_string());
}

const engine::Plugin* CaseProvider::find(std::string_view plugin_id) const {
  ++lookups_;
  if (auto it = stubs_.find(plugin_id); it != stubs_.end()) return it->second.get();
  const auto* spec = stub_specs_.if_contains(plugin_id);
  if (spec && spec->is_object())
    return stubs_.emplace(std::string(plugin_id), make_stub(std::string(plugin_id), spec->get_object(), log_))
        .first->second.get();
  bool allowed = all_builtins_;
  for (const auto& b : builtin_allowed_) allowed = allowed || b == plugin_id;
  if (allowed)
    if (const auto* p = builtins_.find(plugin_id)) return p;
  if (const auto* any = stub_specs_.if_contains("*"); any && any->is_object())
    return stubs_.emplace(std::string(plugin_id), make_stub(std::string(plugin_id), any->get_object(), log_))
        .first->second.get();
  return nullptr;
}

}  // namespace kianax::conformance
