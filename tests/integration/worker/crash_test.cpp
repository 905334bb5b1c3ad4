// A real worker process killed with SIGKILL mid-plugin-call: after its lease expires another worker takes
// the run over, completed nodes are not run again, the interrupted node runs again with the next attempt
// number, and every node has exactly one state.
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <set>

#include "worker_fixture.hpp"

extern char** environ;

namespace kianax::worker::testing {
namespace {

TEST_F(WorkerTest, a_worker_process_killed_mid_run_is_taken_over_and_records_each_node_once) {
  const std::string id =
      start(
          "user-a",
          make_routine("user-a", {node("a", "test-count"), node("b", "test-block"), node("c", "test-count")},
                       {edge("a", "b"), edge("b", "c")}))
          .execution_id;
  const std::string helper = KIANAX_WORKER_HELPER;
  const std::string conninfo = database.app_conninfo();
  const std::string lease_ms = "1000";
  std::vector<char*> argv{const_cast<char*>(helper.c_str()), const_cast<char*>(conninfo.c_str()),
                          const_cast<char*>(lease_ms.c_str()), nullptr};
  pid_t pid = 0;
  ASSERT_EQ(posix_spawn(&pid, helper.c_str(), nullptr, nullptr, argv.data(), environ), 0);

  // The helper is inside b's plugin call once b's state says running.
  json::array before;
  const bool reached_b = eventually([&] {
    json::object e = execution(id);
    if (!e.contains("nodeStates")) return false;
    before = e["nodeStates"].as_array();
    return before.size() == 2 && before[1].at("status") == "running";
  });
  ::kill(pid, SIGKILL);
  int wstatus = 0;
  ::waitpid(pid, &wstatus, 0);
  ASSERT_TRUE(reached_b);
  ASSERT_TRUE(WIFSIGNALED(wstatus));
  EXPECT_EQ(status(id), "running");

  plugins.blocking.open = true;
  {
    RunningWorker worker(options(), plugins);
    ASSERT_TRUE(eventually([&] { return terminal(id); }));
  }
  json::object after = execution(id);
  EXPECT_EQ(after["status"], "completed") << json::serialize(after);
  EXPECT_EQ(plugins.counting.calls("a"), 0);    // done by the killed process, not run again
  EXPECT_EQ(plugins.blocking.entered, 1);       // b was interrupted: run again here…
  EXPECT_EQ(plugins.blocking.last_attempt, 2);  // …with the next idempotency-key attempt
  EXPECT_EQ(plugins.counting.calls("c"), 1);
  const json::array& states = after["nodeStates"].as_array();
  ASSERT_EQ(states.size(), 3U) << json::serialize(states);
  std::set<std::string> ids;
  for (const auto& s : states) ids.insert(std::string(s.at("nodeId").as_string()));
  EXPECT_EQ(ids, (std::set<std::string>{"a", "b", "c"}));
  EXPECT_EQ(states[0], before[0]);  // a's entry is exactly what the killed worker wrote
  EXPECT_EQ(states[1].at("status"), "completed");
  EXPECT_EQ(after["executionPath"], json::parse(R"(["a","b","c"])"));
  EXPECT_EQ(count("SELECT count(*) FROM execution_queue"), 0);
}

TEST_F(WorkerTest, a_worker_process_stopped_with_sigterm_releases_its_run) {
  const std::string id =
      start("user-a",
            make_routine("user-a", {node("a", "test-count"), node("b", "test-block")}, {edge("a", "b")}))
          .execution_id;
  const std::string helper = KIANAX_WORKER_HELPER;
  const std::string conninfo = database.app_conninfo();
  const std::string lease_ms = "60000";  // no takeover within the test: only a release frees the run
  const std::string drain_ms = "0";      // release at once (the blocked plugin only ends when stopped)
  std::vector<char*> argv{const_cast<char*>(helper.c_str()), const_cast<char*>(conninfo.c_str()),
                          const_cast<char*>(lease_ms.c_str()), const_cast<char*>(drain_ms.c_str()), nullptr};
  pid_t pid = 0;
  ASSERT_EQ(posix_spawn(&pid, helper.c_str(), nullptr, nullptr, argv.data(), environ), 0);
  const bool reached_b = eventually([&] {
    json::object e = execution(id);
    return e.contains("nodeStates") && e["nodeStates"].as_array().size() == 2;
  });
  ::kill(pid, SIGTERM);
  int wstatus = 0;
  ::waitpid(pid, &wstatus, 0);
  ASSERT_TRUE(reached_b);
  ASSERT_TRUE(WIFEXITED(wstatus));
  EXPECT_EQ(WEXITSTATUS(wstatus), 0);
  EXPECT_EQ(count("SELECT count(*) FROM execution_queue WHERE lease_owner IS NULL"), 1);

  plugins.blocking.open = true;
  {
    RunningWorker worker(options(), plugins);
    ASSERT_TRUE(eventually([&] { return terminal(id); }));
  }
  EXPECT_EQ(status(id), "completed");
  EXPECT_EQ(plugins.counting.calls("a"), 0);
}

}  // namespace
}  // namespace kianax::worker::testing
