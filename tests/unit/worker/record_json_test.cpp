#include "worker/record_json.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace kianax::worker {
namespace {
namespace json = boost::json;

TEST(RecordJson, one_entry_per_node_without_input_with_duration_when_finished) {
  engine::ExecutionState state;
  engine::NodeRecord& a = state.record("a");
  a.status = "completed";
  a.input = {{"x", 1}};
  a.started_at_ms = 100;
  a.completed_at_ms = 140;
  a.output = json::object{{"output", 7}};
  a.attempts = 1;
  engine::NodeRecord& b = state.record("b");
  b.status = "failed";
  b.started_at_ms = 150;
  b.completed_at_ms = 151;
  b.error = engine::NodeError{"bad", ""};
  engine::NodeRecord& c = state.record("c");
  c.status = "running";
  c.started_at_ms = 160;
  EXPECT_EQ(json::value(node_states_json(state)), json::parse(R"([
    {"nodeId":"a","status":"completed","startedAt":100,"completedAt":140,"duration":40,"output":{"output":7}},
    {"nodeId":"b","status":"failed","startedAt":150,"completedAt":151,"duration":1,"error":{"message":"bad"}},
    {"nodeId":"c","status":"running","startedAt":160}])"));
}

}  // namespace
}  // namespace kianax::worker
