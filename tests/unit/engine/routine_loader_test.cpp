#include "engine/graph_validator.hpp"
#include "engine/routine.hpp"

#include <gtest/gtest.h>

using namespace kianax::engine;

namespace {

std::string load_error(std::string_view text) {
  try {
    (void)load_routine_text(text);
  } catch (const RoutineLoadError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(RoutineLoader, rejects_text_that_is_not_json) {
  EXPECT_NE(load_error("{nodes: ["), "");
  EXPECT_NE(load_error("{nodes: [").find("not valid JSON"), std::string::npos);
}

TEST(RoutineLoader, rejects_duplicate_node_ids_naming_the_field) {
  auto msg =
      load_error(R"({"nodes":[{"id":"a","pluginId":"x"},{"id":"a","pluginId":"y"}],"connections":[]})");
  EXPECT_EQ(msg, "nodes[1].id: duplicate node id \"a\"");
}

TEST(RoutineLoader, rejects_node_without_plugin_id) {
  EXPECT_EQ(load_error(R"({"nodes":[{"id":"a"}]})"), "nodes[0].pluginId: is required");
}

TEST(RoutineLoader, rejects_config_that_is_not_an_object) {
  EXPECT_EQ(load_error(R"({"nodes":[{"id":"a","pluginId":"x","config":[1]}]})"),
            "nodes[0].config: must be an object");
}

TEST(RoutineLoader, rejects_connection_without_target) {
  EXPECT_EQ(load_error(R"({"nodes":[],"connections":[{"sourceNodeId":"a"}]})"),
            "connections[0].targetNodeId: is required");
}

TEST(RoutineLoader, normalises_handles_preferring_source_handle_and_defaulting_target_port) {
  auto r = load_routine_text(R"({"nodes":[],"connections":[
    {"sourceNodeId":"a","targetNodeId":"b","sourceHandle":"true","sourcePort":"false"},
    {"sourceNodeId":"a","targetNodeId":"b","sourceHandle":"","targetHandle":""},
    {"sourceNodeId":"a","targetNodeId":"b","targetPort":"in2"}]})");
  ASSERT_EQ(r.edges.size(), 3u);
  EXPECT_EQ(r.edges[0].handle, std::optional<std::string>("true"));
  EXPECT_EQ(r.edges[1].handle, std::nullopt);
  EXPECT_EQ(r.edges[1].target_port, "input");
  EXPECT_EQ(r.edges[2].target_port, "in2");
}

TEST(RoutineLoader, later_variable_with_same_name_wins) {
  auto r = load_routine_text(R"({"nodes":[],"variables":[{"name":"x","value":1},{"name":"x","value":2}]})");
  EXPECT_EQ(r.variables_map().at("x").as_int64(), 2);
}

TEST(RoutineLoader, label_defaults_to_plugin_id) {
  auto r = load_routine_text(R"({"nodes":[{"id":"a","pluginId":"static-data"}]})");
  EXPECT_EQ(r.nodes[0].label, "static-data");
}

TEST(GraphValidator, reports_dangling_connections_by_node_id) {
  auto r = load_routine_text(R"({"nodes":[{"id":"a","pluginId":"x"},{"id":"b","pluginId":"x"}],
    "connections":[{"id":"e1","sourceNodeId":"a","targetNodeId":"b"},{"id":"e2","sourceNodeId":"b","targetNodeId":"ghost"}]})");
  auto v = validate_graph(r);
  ASSERT_EQ(v.errors.size(), 1u);
  EXPECT_EQ(v.errors[0].type, "missing_node");
  EXPECT_EQ(v.errors[0].message, "Connection references non-existent target node: ghost");
  EXPECT_EQ(v.errors[0].edge_id, std::optional<std::string>("e2"));
}

TEST(GraphValidator, long_chain_does_not_exhaust_the_stack) {
  boost::json::array nodes, edges;
  for (int i = 0; i < 50000; ++i) {
    nodes.push_back({{"id", "n" + std::to_string(i)}, {"pluginId", "x"}});
    if (i)
      edges.push_back(
          {{"sourceNodeId", "n" + std::to_string(i - 1)}, {"targetNodeId", "n" + std::to_string(i)}});
  }
  auto r = load_routine(boost::json::object{{"nodes", nodes}, {"connections", edges}});
  EXPECT_TRUE(validate_graph(r).valid());
}

TEST(GraphValidator, cycles_through_missing_ids_still_count) {
  auto r = load_routine_text(R"({"nodes":[{"id":"a","pluginId":"x"},{"id":"b","pluginId":"x"}],
    "connections":[{"sourceNodeId":"b","targetNodeId":"a"},{"sourceNodeId":"a","targetNodeId":"ghost"},
      {"sourceNodeId":"ghost","targetNodeId":"a"}]})");
  auto v = validate_graph(r);
  std::vector<std::string> messages;
  for (const auto& e : v.errors) messages.push_back(e.message);
  EXPECT_EQ(messages, (std::vector<std::string>{"Connection references non-existent target node: ghost",
                                                "Connection references non-existent source node: ghost",
                                                "Cycle detected in graph: a \u2192 ghost \u2192 a"}));
}
