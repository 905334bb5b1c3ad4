// RoutineExecutor: validates a routine, walks it with the BFS traversal, resolves expressions and calls
// plugins — spec (c) "[engine]" behaviour, with the quirks fixed as src/engine/README.md records.
//
// For the worker (issue 6):
//  - progress is reported through ExecutionObserver; on_node_finished fires after the node's result, record
//    and the frontier are updated, so persisting `state.to_json()` there is a complete checkpoint;
//  - `resume` continues a run from such a checkpoint without re-running completed nodes;
//  - caps default to the worker's: 30 minutes and 10 000 node executions;
//  - plugins get an idempotency key "<executionId>:<nodeId>:<attempt>", a deadline and a stop token. The
//  attempt
//    is the node's start count kept in its NodeRecord, so a node re-run after resuming from a checkpoint
//    taken in on_node_started (crash mid-call, or a retry of a failed step) gets the next attempt number.
#pragma once

#include "engine/credentials.hpp"
#include "engine/execution_state.hpp"
#include "engine/plugin.hpp"
#include "engine/routine.hpp"

#include <boost/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

namespace kianax::engine {

inline constexpr std::int64_t kDefaultMaxExecutionTimeMs = 30 * 60 * 1000;
inline constexpr std::int64_t kDefaultMaxExecutions = 10'000;

struct RunOptions {
  std::optional<std::int64_t> max_execution_time_ms = kDefaultMaxExecutionTimeMs;
  std::optional<std::int64_t> max_executions = kDefaultMaxExecutions;
  std::string execution_id;  // "" → generated as exec-<ms>-<up to 7 base-36 chars>
  std::string user_id;       // "" → routine.user_id, else "user-1" (what the upstream engine passes)
  // Node id → fixed port map ({"output": …}); the plugin is not called (n8n-style pinned data).
  std::map<std::string, boost::json::object, std::less<>> pinned_outputs;
  // >1 runs the nodes of a wave on up to that many threads; results are still committed in queue order.
  int parallelism = 1;
  std::stop_token stop;
};

struct ExecutionResult;

// Progress callbacks. Called on the thread that called run()/resume(), never concurrently.
// on_node_started fires once the node's record is "running"; on_node_finished once its result, record and the
// frontier are updated (a complete checkpoint); on_run_finished with the final result.
// An exception thrown by a callback stops the run: status failed, with the exception's message as the error.
class ExecutionObserver {
 public:
  virtual ~ExecutionObserver() = default;
  virtual void on_node_started(const std::string& node_id, const ExecutionState& state) {
    (void)node_id;
    (void)state;
  }
  // `record.status` is "completed" or "failed". The state already holds the result and updated frontier.
  virtual void on_node_finished(const std::string& node_id, const NodeRecord& record,
                                const ExecutionState& state) {
    (void)node_id;
    (void)record;
    (void)state;
  }
  virtual void on_run_finished(const ExecutionResult& result) { (void)result; }
};

enum class RunStatus { completed, failed, timeout, cancelled };
[[nodiscard]] const char* to_string(RunStatus s);

struct ExecutionResult {
  RunStatus status = RunStatus::completed;
  std::optional<std::string> error;  // the run-level message (spec's thrown text) when not completed
  std::string execution_id;
  std::int64_t started_at_ms = 0;
  std::int64_t completed_at_ms = 0;
  ExecutionState state;
  bool graph_valid = true;  // false → nothing ran (validation errors are in `error`)

  // {status, executionId, startedAt, completedAt, duration, executionPath (completed runs only): [ids],
  //  nodeStates: [...], error?: {message}}
  [[nodiscard]] boost::json::object to_record_json() const;
};

// Stateless apart from its references: one executor may run many routines at once on different threads,
// provided the PluginProvider and CredentialLoader are thread-safe.
class RoutineExecutor {
 public:
  // `credentials` may be null; a plugin that needs credentials then fails its node.
  explicit RoutineExecutor(const PluginProvider& plugins, CredentialLoader* credentials = nullptr)
      : plugins_(plugins), credentials_(credentials) {}

  // Validates the graph (invalid → status failed, "Invalid routine graph:…", nothing runs) and runs it.
  // Never throws for routine or plugin problems; they end up in the result.
  [[nodiscard]] ExecutionResult run(const Routine& routine, const RunOptions& options,
                                    ExecutionObserver* observer = nullptr) const;

  // Continues a run from a checkpoint taken by an observer. `options.execution_id` must be the original id.
  [[nodiscard]] ExecutionResult resume(const Routine& routine, ExecutionState saved,
                                       const RunOptions& options,
                                       ExecutionObserver* observer = nullptr) const;

 private:
  ExecutionResult execute(const Routine& routine, ExecutionState state, const RunOptions& options,
                          ExecutionObserver* observer) const;

  const PluginProvider& plugins_;
  CredentialLoader* credentials_;
};

// "exec-<epoch ms>-<up to 7 base-36 chars>", as upstream generates execution ids.
[[nodiscard]] std::string generate_execution_id();

// Converts what a plugin returned into ports: null/undefined → a port with no items; anything else → one item
// with metadata {sourceNode, sourcePort}.
[[nodiscard]] std::vector<PortData> outputs_to_ports(const std::string& node_id, PluginOutputs outputs);

}  // namespace kianax::engine
