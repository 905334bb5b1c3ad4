// routines.* and the variable procedures over HTTP against PostgreSQL.
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "api_fixture.hpp"

namespace kianax::api::testing {
namespace {
namespace json = boost::json;

json::value node(const std::string& id) {
  return json::parse(R"({"id":")" + id +
                     R"(","pluginId":"static-data","label":"N","position":{"x":1,"y":2}})");
}

json::value variable(const std::string& id, const std::string& name) {
  return json::object{{"id", id}, {"name", name}, {"type", "string"}, {"value", "v"}};
}

using Routines = ApiTest;

TEST_F(Routines, create_then_get_returns_the_documented_shape) {
  const auto created =
      mutate("routines.create",
             json::parse(R"({"name":"Daily","description":"d","status":"active","triggerType":"cron",
                                             "triggerConfig":{"schedule":"* * * * *"},"tags":["a"]})"),
             "alice");
  ASSERT_EQ(created.status, 200) << created.body;
  const std::string id(created.data().as_string());
  const auto got = query("routines.get", json::object{{"id", id}}, "alice");
  ASSERT_EQ(got.status, 200) << got.body;
  const auto r = got.data();
  EXPECT_EQ(r.at("_id"), json::value(id));
  EXPECT_EQ(r.at("id"), json::value(id));
  EXPECT_EQ(r.at("userId"), "alice");
  EXPECT_EQ(r.at("name"), "Daily");
  EXPECT_EQ(r.at("status"), "active");
  EXPECT_EQ(r.at("triggerType"), "cron");
  EXPECT_EQ(r.at("triggerConfig").at("schedule"), "* * * * *");
  EXPECT_EQ(r.at("version"), 1);
  EXPECT_EQ(json::serialize(r.at("nodes")), "[]");
  EXPECT_TRUE(r.at("createdAt").is_int64());
  EXPECT_GT(r.at("createdAt").as_int64(), 1'600'000'000'000);  // epoch milliseconds, not seconds
  EXPECT_EQ(r.at("_creationTime"), r.at("createdAt"));
  EXPECT_FALSE(r.as_object().contains("lastExecutedAt"));
}

TEST_F(Routines, get_of_unknown_id_is_not_found) {
  const auto r = query("routines.get", json::object{{"id", "123e4567-e89b-12d3-a456-426614174000"}}, "alice");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.error_code(), "NOT_FOUND");
}

TEST_F(Routines, update_bumps_version_only_with_nodes_or_connections) {
  const auto id = create_routine("alice");
  ASSERT_EQ(mutate("routines.update", json::object{{"id", id}, {"name", "Renamed"}}, "alice").status, 200);
  EXPECT_EQ(query("routines.get", json::object{{"id", id}}, "alice").data().at("version"), 1);
  const auto saved = mutate("routines.update",
                            json::object{{"id", id},
                                         {"nodes", json::array{node("n1")}},
                                         {"connections", json::array()},
                                         {"variables", json::array{variable("v1", "x")}}},
                            "alice");
  ASSERT_EQ(saved.status, 200) << saved.body;
  const auto r = query("routines.get", json::object{{"id", id}}, "alice").data();
  EXPECT_EQ(r.at("version"), 2);
  EXPECT_EQ(r.at("name"), "Renamed");
  EXPECT_EQ(r.at("nodes").at(0).at("id"), "n1");
  EXPECT_EQ(r.at("variables").at(0).at("name"), "x");
}

TEST_F(Routines, update_with_an_invalid_node_writes_nothing) {
  const auto id = create_routine("alice", "Before");
  const auto bad =
      mutate("routines.update", json::parse(R"({"id":")" + id + R"(","name":"After","nodes":[{"id":"n1"}]})"),
             "alice");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.error_code(), "BAD_REQUEST");
  const auto issues = bad.json().at("error").at("data").at("issues");
  EXPECT_EQ(json::serialize(issues.at(0).at("path")), R"(["nodes",0,"pluginId"])");
  const auto r = query("routines.get", json::object{{"id", id}}, "alice").data();
  EXPECT_EQ(r.at("name"), "Before");
  EXPECT_EQ(r.at("version"), 1);
}

TEST_F(Routines, update_with_duplicate_variable_names_writes_nothing) {
  const auto id = create_routine("alice");
  const auto bad = mutate("routines.update",
                          json::object{{"id", id},
                                       {"nodes", json::array{node("n1")}},
                                       {"variables", json::array{variable("a", "x"), variable("b", "x")}}},
                          "alice");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(count("SELECT count(*) FROM routines WHERE version = 1 AND jsonb_array_length(nodes) = 0"), 1);
}

TEST_F(Routines, list_pages_newest_update_first_and_filters_by_status) {
  const auto a = create_routine("alice", "A");
  const auto b = create_routine("alice", "B");
  const auto c = create_routine("alice", "C");
  create_routine("bob", "Bob's");
  ASSERT_EQ(mutate("routines.update", json::object{{"id", a}, {"status", "active"}}, "alice").status, 200);
  const auto first = query("routines.list", json::object{{"limit", 2}}, "alice").data();
  ASSERT_EQ(first.at("items").as_array().size(), 2u);
  EXPECT_EQ(first.at("items").at(0).at("id"), json::value(a));  // updated last
  EXPECT_EQ(first.at("items").at(1).at("id"), json::value(c));
  ASSERT_TRUE(first.at("nextCursor").is_string());
  const auto second =
      query("routines.list", json::object{{"limit", 2}, {"cursor", first.at("nextCursor")}}, "alice").data();
  ASSERT_EQ(second.at("items").as_array().size(), 1u);
  EXPECT_EQ(second.at("items").at(0).at("id"), json::value(b));
  EXPECT_TRUE(second.at("nextCursor").is_null());
  const auto active = query("routines.list", json::object{{"status", "active"}}, "alice").data();
  ASSERT_EQ(active.at("items").as_array().size(), 1u);
  EXPECT_EQ(active.at("items").at(0).at("id"), json::value(a));
  const auto all = query("routines.list", "alice").data();  // undefined input: every routine
  EXPECT_EQ(all.at("items").as_array().size(), 3u);
}

TEST_F(Routines, delete_cascades_executions) {
  const auto id = create_routine("alice");
  create_execution("alice", id, "wf-1");
  ASSERT_EQ(count("SELECT count(*) FROM routine_executions"), 1);
  const auto r = mutate("routines.delete", json::object{{"id", id}}, "alice");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(r.data().is_null());
  EXPECT_EQ(count("SELECT count(*) FROM routines"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM routine_executions"), 0);
  EXPECT_EQ(mutate("routines.delete", json::object{{"id", id}}, "alice").status, 404);
}

TEST_F(Routines, duplicate_copies_graph_as_a_draft) {
  const auto id = create_routine("alice", "Orig");
  ASSERT_EQ(
      mutate("routines.update",
             json::object{{"id", id}, {"status", "active"}, {"nodes", json::array{node("n1")}}}, "alice")
          .status,
      200);
  const auto copy = mutate("routines.duplicate", json::object{{"id", id}}, "alice");
  ASSERT_EQ(copy.status, 200) << copy.body;
  const auto r = query("routines.get", json::object{{"id", copy.data()}}, "alice").data();
  EXPECT_NE(r.at("id"), json::value(id));
  EXPECT_EQ(r.at("name"), "Orig (copy)");
  EXPECT_EQ(r.at("status"), "draft");
  EXPECT_EQ(r.at("version"), 1);
  EXPECT_EQ(r.at("nodes").at(0).at("id"), "n1");
}

TEST_F(Routines, search_matches_name_or_description_case_insensitively_without_wildcards) {
  create_routine("alice", "Send Slack report");
  const auto other = mutate("routines.create",
                            json::object{{"name", "Other"}, {"description", "weekly SLACK digest"}}, "alice");
  ASSERT_EQ(other.status, 200);
  create_routine("alice", "100% done");
  create_routine("bob", "slack for bob");
  EXPECT_EQ(query("routines.search", json::object{{"query", "slack"}}, "alice").data().as_array().size(), 2u);
  EXPECT_EQ(query("routines.search", json::object{{"query", "%"}}, "alice").data().as_array().size(), 1u);
}

TEST_F(Routines, variables_add_update_remove_with_unique_names) {
  const auto id = create_routine("alice");
  const auto added = mutate(
      "routines.addVariable",
      json::parse(R"({"routineId":")" + id + R"(","variable":{"name":"x","type":"number","value":1}})"),
      "alice");
  ASSERT_EQ(added.status, 200) << added.body;
  const std::string var_id(added.data().as_string());
  const auto dup = mutate(
      "routines.addVariable",
      json::parse(R"({"routineId":")" + id + R"(","variable":{"name":"x","type":"string","value":""}})"),
      "alice");
  EXPECT_EQ(dup.status, 409);
  EXPECT_EQ(dup.json().at("error").at("message"), "Variable \"x\" already exists");
  ASSERT_EQ(mutate("routines.addVariable",
                   json::parse(R"({"routineId":")" + id +
                               R"(","variable":{"id":"v2","name":"y","type":"string","value":""}})"),
                   "alice")
                .status,
            200);
  EXPECT_EQ(mutate("routines.updateVariable",
                   json::parse(R"({"routineId":")" + id + R"(","variableId":"v2","updates":{"name":"x"}})"),
                   "alice")
                .status,
            409);
  ASSERT_EQ(mutate("routines.updateVariable",
                   json::parse(R"({"routineId":")" + id + R"(","variableId":")" + var_id +
                               R"(","updates":{"value":5}})"),
                   "alice")
                .status,
            200);
  auto r = query("routines.get", json::object{{"id", id}}, "alice").data();
  EXPECT_EQ(r.at("variables").at(0).at("value"), 5);
  EXPECT_EQ(r.at("variables").as_array().size(), 2u);
  ASSERT_EQ(
      mutate("routines.removeVariable", json::object{{"routineId", id}, {"variableId", var_id}}, "alice")
          .status,
      200);
  EXPECT_EQ(
      mutate("routines.removeVariable", json::object{{"routineId", id}, {"variableId", var_id}}, "alice")
          .status,
      404);
  r = query("routines.get", json::object{{"id", id}}, "alice").data();
  ASSERT_EQ(r.at("variables").as_array().size(), 1u);
  EXPECT_EQ(r.at("variables").at(0).at("id"), "v2");
  EXPECT_EQ(r.at("version"), 1);  // variables are not part of the graph version
}

TEST_F(Routines, set_variables_replaces_the_list_and_refuses_duplicates) {
  const auto id = create_routine("alice");
  ASSERT_EQ(mutate("routines.setVariables",
                   json::object{{"routineId", id},
                                {"variables", json::array{variable("a", "x"), variable("b", "y")}}},
                   "alice")
                .status,
            200);
  const auto dup = mutate(
      "routines.setVariables",
      json::object{{"routineId", id}, {"variables", json::array{variable("c", "z"), variable("d", "z")}}},
      "alice");
  EXPECT_EQ(dup.status, 400);
  const auto r = query("routines.get", json::object{{"id", id}}, "alice").data();
  ASSERT_EQ(r.at("variables").as_array().size(), 2u);
  EXPECT_EQ(r.at("variables").at(1).at("name"), "y");
}

}  // namespace
}  // namespace kianax::api::testing
