// strategy_run, input_gather and state_ops: the traversal, input gathering and ExecutionState on their own.
#include "case_kinds.hpp"
#include "case_support.hpp"

#include "engine/bfs_traversal.hpp"
#include "engine/input_gatherer.hpp"

#include <algorithm>
#include <map>

namespace kianax::conformance {

namespace {

// {status, outputs: [{portName, items: [data…]}]} → NodeResult (items carry bare data).
engine::NodeResult fake_result(const boost::json::value& v) {
  engine::NodeResult r;
  r.status =
      v.at("status").as_string() == "error" ? engine::ResultStatus::error : engine::ResultStatus::success;
  for (const auto& p : v.at("outputs").as_array()) {
    engine::PortData port{std::string(p.at("portName").as_string()), {}};
    for (const auto& d : p.at("items").as_array()) port.items.push_back({d, {}, std::nullopt});
    r.outputs.push_back(std::move(port));
  }
  return r;
}

boost::json::array path_json(const engine::ExecutionState& s) {
  boost::json::array a;
  for (const auto& p : s.execution_path()) a.push_back({{"nodeId", p.node_id}, {"runIndex", p.run_index}});
  return a;
}

}  // namespace

void run_strategy_run(const boost::json::object& c) {
  const auto& g = c.at("graph").as_object();
  boost::json::array nodes;
  for (const auto& id : g.at("nodes").as_array()) nodes.push_back({{"id", id}, {"pluginId", "fake"}});
  engine::Routine routine =
      engine::load_routine(boost::json::object{{"nodes", nodes}, {"connections", g.at("edges")}});
  engine::ExecutionGraph graph(routine);
  engine::ExecutionState state;
  const auto& results = c.at("node_results").as_object();
  std::vector<std::string> executed;
  std::map<std::string, size_t> runs;
  auto run_wave = [&](const std::vector<std::uint32_t>& pending) {
    for (auto n : pending) {
      const std::string& id = graph.node(n).id;
      executed.push_back(id);
      size_t k = runs[id]++;
      if (const auto* list = results.if_contains(id)) {
        const auto& a = list->as_array();
        state.add_node_result(id, fake_result(a[std::min(k, a.size() - 1)]));
      }
      state.frontier().wave_done.push_back(id);
    }
  };
  engine::TraversalLimits limits;
  if (const auto* o = c.if_contains("options")) {
    if (const auto* m = member(*o, "maxExecutions")) limits.max_executions = m->to_number<std::int64_t>();
    if (const auto* t = member(*o, "maxExecutionTime"))
      limits.max_execution_time_ms = t->to_number<std::int64_t>();
  }
  state.frontier().started_at_ms = engine::system_now_ms();
  std::optional<std::string> error;
  try {
    engine::run_bfs(graph, state, run_wave, limits);
  } catch (const std::exception& e) {
    error = e.what();
  }
  const auto& expect = c.at("expect").as_object();
  if (const auto* t = expect.if_contains("throws"))
    expect_throws(*t, error);
  else if (error)
    throw CaseFailure("traversal failed: " + *error);
  if (const auto* p = expect.if_contains("execution_path"))
    expect_equal(*p, boost::json::value(path_json(state)), "execution_path");
  auto ran = [&](std::string_view id) {
    return std::find(executed.begin(), executed.end(), id) != executed.end();
  };
  if (const auto* ex = expect.if_contains("executed")) {
    for (const auto& id : ex->as_array())
      if (!ran(id.as_string())) throw CaseFailure("executed: " + std::string(id.as_string()) + " never ran");
    for (const auto& id : executed)
      if (std::none_of(ex->as_array().begin(), ex->as_array().end(),
                       [&](const auto& v) { return v.as_string() == id; }))
        throw CaseFailure("executed: " + id + " ran but is not expected to");
  }
  if (const auto* ne = expect.if_contains("not_executed"))
    for (const auto& id : ne->as_array())
      if (ran(id.as_string())) throw CaseFailure("not_executed: " + std::string(id.as_string()) + " ran");
  if (const auto* oc = expect.if_contains("order_constraints"))
    for (const auto& pair : oc->as_array()) {
      auto first = std::find(executed.begin(), executed.end(), pair.at(0).as_string());
      auto second = std::find(executed.begin(), executed.end(), pair.at(1).as_string());
      if (first == executed.end() || second == executed.end() || first > second)
        throw CaseFailure("order: " + std::string(pair.at(0).as_string()) + " must run before " +
                          std::string(pair.at(1).as_string()));
    }
  if (const auto* rc = expect.if_contains("run_counts"))
    for (const auto& m : rc->as_object())
      expect_equal(m.value(), boost::json::value(static_cast<std::int64_t>(runs[std::string(m.key())])),
                   "run_counts." + std::string(m.key()));
}

void run_input_gather(const boost::json::object& c) {
  engine::Routine routine = engine::load_routine(
      boost::json::object{{"nodes", boost::json::array{}}, {"connections", c.at("edges")}});
  engine::ExecutionState state;
  for (const auto& s : c.at("state").as_array())
    state.add_node_result(std::string(s.at("nodeId").as_string()), engine::result_from_json(s.at("result")));
  std::string target(c.at("target").as_string());
  std::vector<const engine::Edge*> incoming;
  for (const auto& e : routine.edges)
    if (e.target == target) incoming.push_back(&e);
  boost::json::array got;
  for (const auto& p : engine::gather_inputs(incoming, state)) got.push_back(engine::to_json(p));
  expect_equal(c.at("expect"), boost::json::value(got), "gathered");
}

void run_state_ops(const boost::json::object& c) {
  engine::ExecutionState state;
  for (const auto& op_v : c.at("ops").as_array()) {
    const auto& op = op_v.as_object();
    std::string name(op.at("op").as_string());
    if (name == "clear") {
      state.clear();
      continue;
    }
    std::string node(op.at("nodeId").as_string());
    if (name == "addNodeResult")
      state.add_node_result(node, engine::result_from_json(op.at("result")));
    else if (name == "setNodeState")
      state.set_node_state(node, op.at("state").as_object());
    else if (name == "mergeNodeState")
      for (const auto& m : op.at("patch").as_object()) state.node_state(node)[m.key()] = m.value();
    else
      throw CaseFailure("unknown op " + name);
  }
  const auto& expect = c.at("expect").as_object();
  for (const auto& m : expect) {
    std::string key(m.key());
    if (key == "executionPath") {
      expect_equal(m.value(), boost::json::value(path_json(state)), key);
    } else if (key == "latest") {
      for (const auto& n : m.value().as_object()) {
        const auto* r = state.latest_result(n.key());
        expect_equal(n.value(), r ? engine::MaybeValue(engine::to_json(*r)) : std::nullopt,
                     "latest." + std::string(n.key()));
      }
    } else if (key == "allResultsCount") {
      for (const auto& n : m.value().as_object()) {
        const auto* all = state.all_results(n.key());
        expect_equal(n.value(), boost::json::value(all ? all->size() : 0), key + "." + std::string(n.key()));
      }
    } else if (key == "nodeOutputs") {
      for (const auto& n : m.value().as_object()) {
        const auto* outs = state.latest_outputs(n.key());
        boost::json::array got;
        if (outs)
          for (const auto& p : *outs) got.push_back(engine::to_json(p));
        expect_equal(n.value(), outs ? engine::MaybeValue(got) : std::nullopt,
                     key + "." + std::string(n.key()));
      }
    } else if (key == "runIndex") {
      for (const auto& n : m.value().as_object())
        expect_equal(n.value(), boost::json::value(state.run_index(n.key())),
                     key + "." + std::string(n.key()));
    } else if (key == "hasExecuted") {
      for (const auto& n : m.value().as_object())
        expect_equal(n.value(), boost::json::value(state.has_executed(n.key())),
                     key + "." + std::string(n.key()));
    } else if (key == "nodeState") {
      for (const auto& n : m.value().as_object())
        expect_equal(n.value(), boost::json::value(state.node_state(std::string(n.key()))),
                     key + "." + std::string(n.key()));
    } else if (key == "hasErrors") {
      expect_equal(m.value(), boost::json::value(state.has_errors()), key);
    } else if (key == "errors") {
      boost::json::array got;
      for (const auto& [id, e] : state.errors()) {
        boost::json::object err{{"message", e.message}};
        if (!e.stack.empty()) err["stack"] = e.stack;
        got.push_back({{"nodeId", id}, {"error", std::move(err)}});
      }
      expect_equal(m.value(), boost::json::value(got), key);
    } else if (key == "stats") {
      auto s = state.stats();
      expect_equal(m.value(),
                   boost::json::value({{"uniqueNodes", s.unique_nodes},
                                       {"totalExecutions", s.total_executions},
                                       {"failedNodes", s.failed_nodes},
                                       {"successfulNodes", s.successful_nodes}}),
                   key);
    } else {
      throw CaseFailure("unknown expectation " + key);
    }
  }
}

}  // namespace kianax::conformance
