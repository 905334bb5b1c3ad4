#include "engine/executor.hpp"

#include "engine/bfs_traversal.hpp"
#include "engine/expression.hpp"
#include "engine/graph_validator.hpp"
#include "engine/input_gatherer.hpp"

#include <algorithm>
#include <chrono>
#include <future>
#include <random>

namespace kianax::engine {

const char* to_string(RunStatus s) {
  switch (s) {
    case RunStatus::completed:
      return "completed";
    case RunStatus::failed:
      return "failed";
    case RunStatus::timeout:
      return "timeout";
    case RunStatus::cancelled:
      return "cancelled";
  }
  return "failed";
}

std::string generate_execution_id() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kDigits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  std::string suffix;
  std::uniform_int_distribution<int> pick(0, 35);
  for (int i = 0; i < 7; ++i) suffix.push_back(kDigits[pick(rng)]);
  return "exec-" + std::to_string(system_now_ms()) + "-" + suffix;
}

std::vector<PortData> outputs_to_ports(const std::string& node_id, PluginOutputs outputs) {
  std::vector<PortData> ports;
  ports.reserve(outputs.size());
  for (auto& out : outputs) {
    PortData p{std::move(out.port), {}};
    if (out.value && !out.value->is_null()) {
      ExecutionItem item;
      item.data = std::move(*out.value);
      item.metadata.reserve(2);
      item.metadata.emplace("sourceNode", node_id);
      item.metadata.emplace("sourcePort", p.port_name);
      p.items.push_back(std::move(item));
    }
    ports.push_back(std::move(p));
  }
  return ports;
}

boost::json::object ExecutionResult::to_record_json() const {
  boost::json::array path;
  for (const auto& p : state.execution_path()) path.emplace_back(p.node_id);
  boost::json::array nodes;
  for (const auto& r : state.records()) nodes.push_back(to_json(r));
  boost::json::object o{{"status", to_string(status)},
                        {"executionId", execution_id},
                        {"startedAt", started_at_ms},
                        {"completedAt", completed_at_ms},
                        {"duration", completed_at_ms - started_at_ms}};
  // As the spec's execution record: the path is written only when the run completes.
  if (status == RunStatus::completed) o["executionPath"] = std::move(path);
  o["nodeStates"] = std::move(nodes);
  if (error) o["error"] = boost::json::object{{"message", *error}};
  return o;
}

namespace {

// A node that failed; what() is the run-level "Node <id> (<pluginId>) failed: <message>".
class NodeFailed : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One node run, split so a wave's plugin calls can run on several threads while everything touching the
// shared state (gathering, resolution, commits, observer calls) stays on the calling thread.
struct NodeRun {
  std::uint32_t node = 0;
  const Plugin* plugin = nullptr;
  const boost::json::object* pinned = nullptr;
  boost::json::object inputs;
  boost::json::object config;
  PluginContext context;
  std::chrono::steady_clock::time_point started;
  std::optional<std::string> error;  // set when preparing or invoking failed
  PluginOutputs outputs;
};

class RunDriver {
 public:
  RunDriver(const ExecutionGraph& graph, ExecutionState& state, const RunOptions& options,
            const PluginProvider& plugins, CredentialLoader* credentials, ExecutionObserver* observer,
            std::string execution_id)
      : graph_(graph),
        routine_(graph.routine()),
        state_(state),
        options_(options),
        plugins_(plugins),
        credentials_(credentials),
        observer_(observer),
        execution_id_(std::move(execution_id)),
        vars_(routine_.variables_map()),
        incoming_(graph.node_count()),
        incoming_ready_(graph.node_count(), false) {
    user_id_ = !options.user_id.empty() ? options.user_id : routine_.user_id.value_or("user-1");
    execution_ = {{"id", execution_id_},
                  {"routineId", routine_.id.value_or("unknown")},
                  {"startedAt", state.frontier().started_at_ms}};
    deadline_ = std::chrono::steady_clock::time_point::max();
    // Caps beyond ~10 years are "no deadline" (and would overflow the clock arithmetic).
    constexpr std::int64_t kLongestCapMs = 10LL * 365 * 24 * 3600 * 1000;
    if (options.max_execution_time_ms && *options.max_execution_time_ms < kLongestCapMs) {
      std::int64_t left = state.frontier().started_at_ms +
                          std::max<std::int64_t>(*options.max_execution_time_ms, 0) - system_now_ms();
      deadline_ = std::chrono::steady_clock::now() +
                  std::chrono::milliseconds(std::clamp<std::int64_t>(left, 0, kLongestCapMs));
    }
  }

  void run_wave(const std::vector<std::uint32_t>& pending) {
    if (options_.parallelism <= 1 || pending.size() == 1) {
      for (auto n : pending) {
        NodeRun run = prepare(n);
        invoke(run);
        commit(run);
      }
      return;
    }
    for (size_t at = 0; at < pending.size(); at += static_cast<size_t>(options_.parallelism)) {
      size_t end = std::min(pending.size(), at + static_cast<size_t>(options_.parallelism));
      std::vector<NodeRun> runs;
      runs.reserve(end - at);
      for (size_t i = at; i < end; ++i) runs.push_back(prepare(pending[i]));
      std::vector<std::future<void>> calls;
      for (size_t i = 1; i < runs.size(); ++i)
        calls.push_back(std::async(std::launch::async, [this, &r = runs[i]] { invoke(r); }));
      invoke(runs[0]);
      for (auto& c : calls) c.get();
      for (auto& r : runs) commit(r);  // queue order; the first failure throws
    }
  }

 private:
  std::span<const Edge* const> incoming_edges(std::uint32_t n) {
    if (!incoming_ready_[n]) {
      for (auto e : graph_.incoming(n)) incoming_[n].push_back(&graph_.edge(e));
      incoming_ready_[n] = true;
    }
    return incoming_[n];
  }

  NodeRun prepare(std::uint32_t n) {
    const Node& node = graph_.node(n);
    NodeRun run;
    run.node = n;
    run.started = std::chrono::steady_clock::now();
    NodeRecord& record = state_.record(node.id);
    record.status = "running";
    ++record.attempts;
    record.started_at_ms = system_now_ms();
    record.completed_at_ms.reset();
    record.output.reset();
    record.error.reset();
    // After the record says "running", so a worker persisting the state here shows the node as started.
    if (observer_) observer_->on_node_started(node.id, state_);
    try {
      run.inputs = gather_plugin_inputs(incoming_edges(n), state_);
      if (auto pin = options_.pinned_outputs.find(node.id); pin != options_.pinned_outputs.end()) {
        run.pinned = &pin->second;
        return run;
      }
      run.plugin = plugins_.find(node.plugin_id);
      if (run.plugin == nullptr) throw PluginError("Plugin not found: " + node.plugin_id);
      run.context.credentials =
          resolve_credentials(run.plugin->metadata().credential_requirements, node, user_id_, credentials_);
      ExpressionContext ctx{&vars_, &routine_.trigger_data, &execution_, &state_};
      run.config = resolve_object(node.parameters, ctx);
      run.context.user_id = user_id_;
      run.context.routine_id = routine_.id.value_or("unknown");
      run.context.execution_id = execution_id_;
      run.context.node_id = node.id;
      run.context.trigger_data = routine_.trigger_data;
      run.context.attempt = state_.record(node.id).attempts;
      run.context.idempotency_key = execution_id_ + ":" + node.id + ":" + std::to_string(run.context.attempt);
      run.context.deadline = deadline_;
      run.context.stop = options_.stop;
      run.context.node_state = &state_.node_state(node.id);
    } catch (const std::exception& e) {
      run.error = e.what();
    }
    return run;
  }

  void invoke(NodeRun& run) {
    if (run.error) return;
    try {
      if (run.pinned) {
        for (const auto& m : *run.pinned) run.outputs.push_back({std::string(m.key()), m.value()});
      } else {
        run.outputs = run.plugin->execute(run.inputs, run.config, run.context);
      }
    } catch (const std::exception& e) {
      run.error = e.what();
    } catch (...) {
      run.error = "unknown error";
    }
  }

  void commit(NodeRun& run) {
    const Node& node = graph_.node(run.node);
    auto elapsed =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - run.started);
    NodeResult result;
    result.execution_time_ms = elapsed.count();
    if (run.error) {
      result.status = ResultStatus::error;
      result.error = NodeError{*run.error, ""};
    } else {
      result.outputs = outputs_to_ports(node.id, std::move(run.outputs));
    }
    state_.add_node_result(node.id, std::move(result));
    NodeRecord& record = state_.record(node.id);
    record.input = std::move(run.inputs);  // the plugin call is over; the record keeps what it was given
    record.completed_at_ms = system_now_ms();
    if (run.error) {
      record.status = "failed";
      record.error = NodeError{*run.error, ""};
    } else {
      record.status = "completed";
      record.output = first_items_by_port(*state_.latest_outputs(node.id));
    }
    state_.frontier().wave_done.push_back(node.id);
    if (observer_) observer_->on_node_finished(node.id, record, state_);
    if (run.error) throw NodeFailed("Node " + node.id + " (" + node.plugin_id + ") failed: " + *run.error);
  }

  const ExecutionGraph& graph_;
  const Routine& routine_;
  ExecutionState& state_;
  const RunOptions& options_;
  const PluginProvider& plugins_;
  CredentialLoader* credentials_;
  ExecutionObserver* observer_;
  std::string execution_id_;
  std::string user_id_;
  boost::json::object vars_;
  boost::json::object execution_;
  std::chrono::steady_clock::time_point deadline_;
  std::vector<std::vector<const Edge*>> incoming_;
  std::vector<bool> incoming_ready_;
};

}  // namespace

ExecutionResult RoutineExecutor::run(const Routine& routine, const RunOptions& options,
                                     ExecutionObserver* observer) const {
  return execute(routine, ExecutionState{}, options, observer);
}

ExecutionResult RoutineExecutor::resume(const Routine& routine, ExecutionState saved,
                                        const RunOptions& options, ExecutionObserver* observer) const {
  return execute(routine, std::move(saved), options, observer);
}

ExecutionResult RoutineExecutor::execute(const Routine& routine, ExecutionState state,
                                         const RunOptions& options, ExecutionObserver* observer) const {
  ExecutionResult result;
  result.execution_id = options.execution_id.empty() ? generate_execution_id() : options.execution_id;
  // A fresh run starts now; a resumed one keeps its original start (the 30-minute cap spans the crash).
  if (!state.frontier().started || state.frontier().started_at_ms == 0)
    state.frontier().started_at_ms = system_now_ms();
  result.started_at_ms = state.frontier().started_at_ms;

  auto finish = [&](RunStatus status, std::optional<std::string> error) {
    result.status = status;
    result.error = std::move(error);
    result.completed_at_ms = system_now_ms();
    result.state = std::move(state);
    if (observer) observer->on_run_finished(result);
    return std::move(result);
  };

  ExecutionGraph graph(routine);
  GraphValidation validation = validate_graph(graph);
  if (!validation.valid()) {
    result.graph_valid = false;
    return finish(RunStatus::failed, format_graph_errors(validation.errors));
  }

  try {
    RunDriver driver(graph, state, options, plugins_, credentials_, observer, result.execution_id);
    TraversalLimits limits{options.max_execution_time_ms, options.max_executions, options.stop};
    run_bfs(
        graph, state, [&driver](const std::vector<std::uint32_t>& pending) { driver.run_wave(pending); },
        limits);
  } catch (const TraversalError& e) {
    switch (e.kind()) {
      case TraversalError::Kind::timeout:
        return finish(RunStatus::timeout, e.what());
      case TraversalError::Kind::cancelled:
        return finish(RunStatus::cancelled, e.what());
      default:
        return finish(RunStatus::failed, e.what());
    }
  } catch (const std::exception& e) {
    // A plugin that gave up because the run was cancelled or ran out of time fails its node; the run's status
    // says why (the node record keeps the plugin's own message).
    if (options.stop.stop_requested()) return finish(RunStatus::cancelled, "Execution cancelled");
    if (options.max_execution_time_ms &&
        system_now_ms() - state.frontier().started_at_ms > *options.max_execution_time_ms)
      return finish(RunStatus::timeout,
                    "Execution timeout after " + std::to_string(*options.max_execution_time_ms) + "ms");
    return finish(RunStatus::failed, e.what());
  }
  return finish(RunStatus::completed, std::nullopt);
}

}  // namespace kianax::engine
