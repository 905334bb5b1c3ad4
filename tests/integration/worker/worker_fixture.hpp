#pragma once
// A fresh migrated database per test, a pool on it as the app role, routines made through the store, the
// builtin plugins plus test plugins that count their calls or block until the run is stopped, and helpers
// that wait on conditions (never on timings).
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "db/pool.hpp"
#include "db/sync_connection.hpp"
#include "db/transaction.hpp"
#include "engine/plugin.hpp"
#include "pg_harness/run_sync.hpp"
#include "pg_harness/test_cluster.hpp"
#include "plugins/builtin_plugins.hpp"
#include "store/routine_repository.hpp"
#include "test_plugins.hpp"
#include "worker/enqueue.hpp"
#include "worker/worker.hpp"

namespace kianax::worker::testing {
namespace json = boost::json;

// Waits for `pred` with a generous bound (a slow CI machine is not a failure; a hang is).
inline bool eventually(const std::function<bool()>& pred,
                       std::chrono::seconds bound = std::chrono::seconds(60)) {
  const auto until = std::chrono::steady_clock::now() + bound;
  while (std::chrono::steady_clock::now() < until) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return pred();
}

inline json::object node(const std::string& id, const std::string& plugin, json::object config = {}) {
  return {{"id", id}, {"pluginId", plugin}, {"label", id}, {"config", std::move(config)}};
}
inline json::object edge(const std::string& from, const std::string& to) {
  return {{"id", from + "-" + to},
          {"sourceNodeId", from},
          {"targetNodeId", to},
          {"sourceHandle", "output"},
          {"targetHandle", "input"}};
}

class WorkerTest : public ::testing::Test {
 protected:
  kianax::testing::TestDatabase database = kianax::testing::TestCluster::shared().create_database();
  boost::asio::io_context io;
  db::Pool pool{io, {.conninfo = database.app_conninfo(), .max_connections = 4}};
  TestPlugins plugins;

  template <class T>
  T run(boost::asio::awaitable<T> task) {
    return kianax::testing::run_sync(io, std::move(task));
  }
  db::UserScope as(const std::string& user) { return db::UserScope(pool, user); }
  db::SyncConnection owner() { return db::SyncConnection::open(database.owner_conninfo()); }

  std::string make_routine(const std::string& user, json::array nodes, json::array connections) {
    store::NewRoutine r;
    r.name = "routine";
    r.nodes = std::move(nodes);
    r.connections = std::move(connections);
    return run(store::routines::create(as(user), r)).id;
  }
  // a → b → c, all counting.
  std::string make_chain(const std::string& user) {
    return make_routine(user,
                        {node("a", "test-count", {{"value", 1}}), node("b", "test-count", {{"value", 2}}),
                         node("c", "test-count", {{"value", 3}})},
                        {edge("a", "b"), edge("b", "c")});
  }
  StartResult start(const std::string& user, const std::string& routine_id) {
    StartResult r = run(start_execution(as(user), {.routine_id = routine_id}));
    EXPECT_EQ(r.status, StartResult::Status::kStarted) << r.message;
    return r;
  }

  WorkerOptions options(int slots = 2) {
    WorkerOptions o;
    o.conninfo = database.app_conninfo();
    o.slots = slots;
    o.heartbeat_interval = std::chrono::milliseconds(100);
    o.poll_min = std::chrono::milliseconds(10);
    o.poll_max = std::chrono::milliseconds(200);
    o.drain_timeout = std::chrono::seconds(30);
    o.retry.initial_interval = std::chrono::milliseconds(1);
    o.retry.maximum_interval = std::chrono::milliseconds(5);
    return o;
  }

  // The execution row as the owner sees it (behind RLS), as JSON.
  json::object execution(const std::string& id) {
    db::SyncConnection c = owner();
    db::Result r = c.exec(
        "SELECT json_build_object('status', status, 'nodeStates', node_states, 'executionPath',"
        " execution_path, 'error', error, 'startedAt', started_at, 'completedAt', completed_at,"
        " 'duration', duration, 'workflowId', workflow_id, 'runId', run_id, 'triggerType', trigger_type,"
        " 'triggerData', trigger_data)::text FROM routine_executions WHERE id = $1::uuid",
        db::Params(id));
    if (r.empty()) return {};
    return json::parse(r.front().text(0)).as_object();
  }
  std::string status(const std::string& id) {
    json::object e = execution(id);
    return e.contains("status") ? std::string(e["status"].as_string()) : "";
  }
  std::int64_t count(const std::string& sql) {
    db::SyncConnection c = owner();
    return c.exec(sql).front().get<std::int64_t>(0);
  }
  bool terminal(const std::string& id) {
    const std::string s = status(id);
    return s == "completed" || s == "failed" || s == "cancelled" || s == "timeout";
  }
};

// Runs a Worker on its own thread until destroyed (graceful stop on destruction).
class RunningWorker {
 public:
  RunningWorker(WorkerOptions options, const engine::PluginProvider& plugins)
      : worker_(std::move(options), plugins), thread_([this](std::stop_token s) { worker_.run_until(s); }) {}
  ~RunningWorker() { stop(); }
  void stop() {
    if (thread_.joinable()) {
      thread_.request_stop();
      thread_.join();
    }
  }
  Worker& worker() { return worker_; }

 private:
  Worker worker_;
  std::jthread thread_;
};

}  // namespace kianax::worker::testing
