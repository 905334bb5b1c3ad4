// engine_run, worker_run and worker_resolution: whole runs through engine::RoutineExecutor.
#include "case_kinds.hpp"
#include "case_support.hpp"
#include "stub_plugins.hpp"

#include "engine/executor.hpp"
#include "engine/expression.hpp"

#include <regex>

namespace kianax::conformance {

namespace {

class CallbackLog : public engine::ExecutionObserver {
 public:
  void on_node_started(const std::string& id, const engine::ExecutionState&) override {
    start.emplace_back(id);
  }
  void on_node_finished(const std::string& id, const engine::NodeRecord& r,
                        const engine::ExecutionState&) override {
    (r.status == "completed" ? complete : error).emplace_back(id);
  }
  boost::json::array start, complete, error;
};

// credential_store: id → data, or {"$throw": msg}; unknown ids fail with "Credential not found: <id>".
class StoreLoader : public engine::CredentialLoader {
 public:
  explicit StoreLoader(boost::json::object store) : store_(std::move(store)) {}
  boost::json::value load(const std::string&, const std::string& id,
                          const engine::CredentialRequirement&) override {
    const auto* v = store_.if_contains(id);
    if (v == nullptr) throw std::runtime_error("Credential not found: " + id);
    if (const auto* t = member(*v, "$throw")) throw std::runtime_error(std::string(t->as_string()));
    return *v;
  }

 private:
  boost::json::object store_;
};

boost::json::object outputs_by_port(const std::vector<engine::PortData>& outputs) {
  boost::json::object o;
  for (const auto& p : outputs) {
    boost::json::array items;
    for (const auto& i : p.items) items.push_back(i.data);
    o[p.port_name] = std::move(items);
  }
  return o;
}

boost::json::array path_json(const engine::ExecutionState& s) {
  boost::json::array a;
  for (const auto& p : s.execution_path()) a.push_back({{"nodeId", p.node_id}, {"runIndex", p.run_index}});
  return a;
}

void check_plugin_calls(const boost::json::object& expected, const CallLog& log) {
  for (const auto& [node, calls_v] : expected) {
    const auto& want = calls_v.as_array();
    auto got = log.calls(std::string(node));
    if (got.size() != want.size())
      throw CaseFailure("plugin_calls." + std::string(node) + ": expected " + std::to_string(want.size()) +
                        " calls, got " + std::to_string(got.size()));
    for (size_t i = 0; i < want.size(); ++i) {
      std::string at = "plugin_calls." + std::string(node) + "[" + std::to_string(i) + "]";
      const auto& w = want[i];
      if (const auto* in = member(w, "inputs"))
        expect_equal(*in, boost::json::value(got[i].inputs), at + ".inputs");
      if (const auto* cfg = member(w, "config"))
        expect_equal(*cfg, boost::json::value(got[i].config), at + ".config");
      if (const auto* ctx = member(w, "context_subset"))
        for (const auto& m : ctx->as_object()) {
          const auto* g = got[i].context.if_contains(m.key());
          expect_equal(m.value(), g ? engine::MaybeValue(*g) : std::nullopt,
                       at + ".context." + std::string(m.key()));
        }
      if (const auto* re = member(w, "context_matches"))
        for (const auto& m : re->as_object()) {
          const auto* g = got[i].context.if_contains(m.key());
          std::string text = g && g->is_string() ? std::string(g->get_string()) : "";
          if (!std::regex_search(text, std::regex(std::string(m.value().as_string()))))
            throw CaseFailure(at + ".context." + std::string(m.key()) + ": \"" + text +
                              "\" does not match /" + std::string(m.value().as_string()) + "/");
        }
    }
  }
}

}  // namespace

void run_engine_run(const boost::json::object& c) {
  engine::Routine routine = engine::load_routine(c.at("routine"));
  CallLog log;
  const auto* stubs = c.if_contains("plugin_stubs");
  const auto* builtins = c.if_contains("builtin_plugins");
  CaseProvider provider(stubs ? &stubs->as_object() : nullptr, builtins ? &builtins->as_array() : nullptr,
                        false, log);
  std::unique_ptr<StoreLoader> loader;
  if (const auto* store = c.if_contains("credential_store"))
    loader = std::make_unique<StoreLoader>(store->as_object());

  engine::RunOptions options;
  options.max_execution_time_ms.reset();  // the in-process engine has no caps unless given
  options.max_executions.reset();
  if (const auto* eo = c.if_contains("executor_options")) {
    if (const auto* t = member(*eo, "maxExecutionTime"))
      options.max_execution_time_ms = t->to_number<std::int64_t>();
    if (const auto* n = member(*eo, "maxNodes")) options.max_executions = n->to_number<std::int64_t>();
  }
  CallbackLog callbacks;
  engine::RoutineExecutor executor(provider, loader.get());
  auto result = executor.run(routine, options, &callbacks);
  const auto& state = result.state;

  const auto& expect = c.at("expect").as_object();
  if (const auto* s = expect.if_contains("status"))
    expect_equal(*s, boost::json::value(engine::to_string(result.status)),
                 "status (error: " + result.error.value_or("none") + ")");
  if (const auto* t = expect.if_contains("throws")) expect_throws(*t, result.error);
  if (const auto* p = expect.if_contains("execution_path"))
    expect_equal(*p, boost::json::value(path_json(state)), "execution_path");
  if (const auto* n = expect.if_contains("node_result_count"))
    expect_equal(*n, boost::json::value(state.stats().unique_nodes), "node_result_count");
  if (const auto* outs = expect.if_contains("node_outputs"))
    for (const auto& m : outs->as_object()) {
      const auto* o = state.latest_outputs(m.key());
      expect_equal(m.value(), o ? engine::MaybeValue(outputs_by_port(*o)) : std::nullopt,
                   "node_outputs." + std::string(m.key()));
    }
  if (const auto* ne = expect.if_contains("not_executed"))
    for (const auto& id : ne->as_array())
      if (state.has_executed(id.as_string()))
        throw CaseFailure("node " + std::string(id.as_string()) + " executed");
  if (const auto* ns = expect.if_contains("node_status"))
    for (const auto& m : ns->as_object()) {
      const auto* r = state.latest_result(m.key());
      std::string got = r ? (r->status == engine::ResultStatus::success ? "success" : "error") : "none";
      expect_equal(m.value(), boost::json::value(got), "node_status." + std::string(m.key()));
    }
  if (const auto* pc = expect.if_contains("plugin_calls")) check_plugin_calls(pc->as_object(), log);
  if (const auto* cb = expect.if_contains("callbacks")) {
    boost::json::object got{{"onNodeStart", callbacks.start},
                            {"onNodeComplete", callbacks.complete},
                            {"onNodeError", callbacks.error}};
    expect_subset(*cb, boost::json::value(got), "callbacks");
  }
  if (const auto* pi = expect.if_contains("plugin_instantiations"))
    expect_equal(*pi, boost::json::value(provider.lookups()), "plugin_instantiations");
  if (const auto* errs = expect.if_contains("errors")) {
    boost::json::array got;
    if (result.status != engine::RunStatus::completed)
      for (const auto& [id, e] : state.errors())
        got.push_back({{"nodeId", id}, {"error", {{"message", e.message}}}});
    expect_equal(*errs, boost::json::value(got), "errors");
  }
}

void run_worker_resolution(const boost::json::object& c) {
  engine::Routine routine = engine::load_routine(c.at("input"));
  const auto& expect = c.at("expect").as_object();
  std::string node_id(c.at("node_id").as_string());
  const engine::Node* node = nullptr;
  for (const auto& n : routine.nodes)
    if (n.id == node_id) node = &n;
  if (!node) throw CaseFailure("node " + node_id + " not loaded");
  auto vars = routine.variables_map();
  if (const auto* gv = expect.if_contains("graph_variables"))
    expect_equal(*gv, boost::json::value(vars), "graph_variables");
  if (const auto* an = expect.if_contains("adapted_node")) {
    boost::json::object got{{"id", node->id},
                            {"pluginId", node->plugin_id},
                            {"label", node->label},
                            {"parameters", node->parameters}};
    if (!node->credential_mappings.empty()) got["credentialMappings"] = node->credential_mappings;
    expect_equal(*an, boost::json::value(got), "adapted_node");
  }
  if (const auto* rc = expect.if_contains("resolved_config")) {
    boost::json::object execution{{"id", "1"}, {"routineId", "1"}, {"startedAt", 1}};
    engine::ExecutionState empty;
    engine::ExpressionContext ctx{&vars, &routine.trigger_data, &execution, &empty};
    expect_equal(*rc, boost::json::value(engine::resolve_object(node->parameters, ctx)), "resolved_config");
  }
}

// The Temporal workflow is replaced by our executor (engine semantics, see tests/conformance/README.md): the
// execution record it would write is compared field by field.
void run_worker_run(const boost::json::object& c) {
  engine::Routine routine = engine::load_routine(c.at("input"));
  CallLog log;
  const auto* stubs = c.if_contains("worker_plugin_stubs");
  CaseProvider provider(stubs ? &stubs->as_object() : nullptr, nullptr, true, log);
  StoreLoader loader(
      boost::json::object{});  // the worker always has a loader (the vault); it holds nothing here
  engine::RoutineExecutor executor(provider, &loader);
  engine::RunOptions options;
  if (const auto* wf = c.if_contains("workflow_id")) options.execution_id = std::string(wf->as_string());
  auto result = executor.run(routine, options);
  const auto& expect = c.at("expect").as_object();

  if (const auto* t = expect.if_contains("workflow_throws")) expect_throws(*t, result.error);
  // No record is created when validation rejects the routine.
  engine::MaybeValue record;
  if (result.graph_valid) {
    auto r = result.to_record_json();
    if (routine.trigger_data) r["triggerData"] = *routine.trigger_data;
    record = boost::json::value(std::move(r));
  }
  if (const auto* er = expect.if_contains("execution_record")) {
    if (er->is_null()) {
      if (record) throw CaseFailure("execution_record: expected none, got " + show(record));
    } else {
      if (!record) throw CaseFailure("execution_record: expected one, none was created");
      const auto& want = er->as_object();
      const auto& got = record->as_object();
      for (const auto& m : want) {
        if (m.key() == "nodeStates") continue;
        if (m.key() == "error") {
          expect_subset(m.value(),
                        got.if_contains("error") ? engine::MaybeValue(got.at("error")) : std::nullopt,
                        "execution_record.error");
          continue;
        }
        const auto* g = got.if_contains(m.key());
        expect_equal(m.value(), g ? engine::MaybeValue(*g) : std::nullopt,
                     "execution_record." + std::string(m.key()));
      }
      if (const auto* ns = want.if_contains("nodeStates")) {
        const auto& states = got.at("nodeStates").as_array();
        if (states.size() != ns->as_array().size())
          throw CaseFailure("execution_record.nodeStates: expected " + std::to_string(ns->as_array().size()) +
                            " entries, got " + engine::js_stringify(states));
        for (size_t i = 0; i < states.size(); ++i) {
          const auto& w = ns->as_array()[i].as_object();
          const auto& g = states[i].as_object();
          std::string at = "execution_record.nodeStates[" + std::to_string(i) + "]";
          for (const char* k : {"nodeId", "status", "output"})
            if (const auto* wv = w.if_contains(k)) {
              const auto* gv = g.if_contains(k);
              expect_equal(*wv, gv ? engine::MaybeValue(*gv) : std::nullopt, at + "." + k);
            }
          if (const auto* em = w.if_contains("error_message")) {
            const auto* ge = g.if_contains("error");
            expect_equal(*em, ge ? engine::MaybeValue(ge->at("message")) : std::nullopt,
                         at + ".error.message");
          }
          if (const auto* hd = w.if_contains("has_duration"))
            expect_equal(*hd, boost::json::value(g.contains("duration")), at + ".has_duration");
        }
      }
    }
  }
  if (const auto* seq = expect.if_contains("activity_sequence")) {
    // Only the empty sequence has an equivalent here: nothing ran.
    if (!seq->as_array().empty())
      throw CaseFailure("activity_sequence: Temporal activities are not modelled");
    if (!result.state.execution_path().empty())
      throw CaseFailure("activity_sequence: expected no activity, nodes ran");
  }
  if (const auto* att = expect.if_contains("execute_plugin_attempts"))
    for (const auto& m : att->as_object())
      expect_equal(
          m.value(), boost::json::value(log.count(std::string(m.key()))),
          "execute_plugin_attempts." + std::string(m.key()) + " (plugin calls; the engine does not retry)");
  if (const auto* args = expect.if_contains("execute_plugin_args"))
    for (const auto& m : args->as_object()) {
      auto calls = log.calls(std::string(m.key()));
      if (calls.empty())
        throw CaseFailure("execute_plugin_args." + std::string(m.key()) + ": plugin never called");
      boost::json::object got{{"inputs", calls[0].inputs},
                              {"config", calls[0].config},
                              {"context", calls[0].context},
                              {"nodeState", calls[0].node_state_before}};
      expect_subset(m.value(), boost::json::value(got), "execute_plugin_args." + std::string(m.key()));
    }
}

}  // namespace kianax::conformance
