// executions.*, settings.*, plugins.list and credentials.* over HTTP against PostgreSQL.
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "api_fixture.hpp"

namespace kianax::api::testing {
namespace {
namespace json = boost::json;

using Executions = ApiTest;
using Settings = ApiTest;
using Plugins = ApiTest;
using Credentials = ApiTest;

TEST_F(Executions, list_by_routine_is_newest_first_with_a_cursor) {
  const auto id = create_routine("alice");
  const auto first = create_execution("alice", id, "wf-1");
  const auto second = create_execution("alice", id, "wf-2");
  const auto third = create_execution("alice", id, "wf-3");
  const auto page =
      query("executions.listByRoutine", json::object{{"routineId", id}, {"limit", 2}}, "alice").data();
  ASSERT_EQ(page.at("items").as_array().size(), 2u);
  EXPECT_EQ(page.at("items").at(0).at("_id"), json::value(third));
  EXPECT_EQ(page.at("items").at(1).at("_id"), json::value(second));
  const auto rest =
      query("executions.listByRoutine",
            json::object{{"routineId", id}, {"limit", 2}, {"cursor", page.at("nextCursor")}}, "alice")
          .data();
  ASSERT_EQ(rest.at("items").as_array().size(), 1u);
  EXPECT_EQ(rest.at("items").at(0).at("_id"), json::value(first));
  EXPECT_TRUE(rest.at("nextCursor").is_null());
}

TEST_F(Executions, get_and_get_by_workflow_id_return_the_owners_run) {
  const auto id = create_routine("alice");
  const auto execution = create_execution("alice", id, "wf-7");
  const auto got = query("executions.get", json::object{{"id", execution}}, "alice").data();
  EXPECT_EQ(got.at("workflowId"), "wf-7");
  EXPECT_EQ(got.at("routineId"), json::value(id));
  EXPECT_EQ(got.at("status"), "running");
  EXPECT_TRUE(got.at("startedAt").is_int64());
  EXPECT_TRUE(got.at("nodeStates").is_array());
  const auto by_workflow =
      query("executions.getByWorkflowId", json::object{{"workflowId", "wf-7"}}, "alice").data();
  EXPECT_EQ(by_workflow.at("_id"), json::value(execution));
  EXPECT_EQ(query("executions.getByWorkflowId", json::object{{"workflowId", "wf-7"}}, "bob").status, 404);
  EXPECT_EQ(query("executions.getByWorkflowId", json::object{{"workflowId", "wf-none"}}, "alice").status,
            404);
}

TEST_F(Settings, get_returns_defaults_then_the_updated_theme) {
  const auto defaults = query("settings.get", "alice").data();
  EXPECT_EQ(defaults.at("theme"), "system");
  EXPECT_EQ(defaults.at("userId"), "alice");
  const auto updated = mutate("settings.update", json::object{{"theme", "dark"}}, "alice");
  ASSERT_EQ(updated.status, 200) << updated.body;
  EXPECT_EQ(updated.data().at("theme"), "dark");
  EXPECT_EQ(query("settings.get", "alice").data().at("theme"), "dark");
  EXPECT_EQ(query("settings.get", "bob").data().at("theme"), "system");
}

TEST_F(Settings, unknown_theme_is_bad_request_and_nothing_written) {
  const auto r = mutate("settings.update", json::object{{"theme", "neon"}}, "alice");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.error_code(), "BAD_REQUEST");
  EXPECT_EQ(count("SELECT count(*) FROM user_settings"), 0);
}

TEST_F(Plugins, list_returns_registry_metadata) {
  const auto plugins = query("plugins.list", "alice").data();
  ASSERT_TRUE(plugins.is_array());
  bool found = false;
  for (const auto& p : plugins.as_array()) {
    EXPECT_TRUE(p.at("name").is_string());
    found = found || p.at("id") == "static-data";
  }
  EXPECT_TRUE(found) << json::serialize(plugins);
}

TEST_F(Credentials, types_lists_the_registry) {
  const auto types = query("credentials.types", "alice").data();
  std::vector<std::string> ids;
  for (const auto& t : types.as_array()) ids.emplace_back(t.at("id").as_string());
  EXPECT_NE(std::find(ids.begin(), ids.end(), "openai-api"), ids.end());
  EXPECT_NE(std::find(ids.begin(), ids.end(), "google-sheets-oauth"), ids.end());
}

TEST_F(Credentials, create_stores_only_ciphertext_and_list_never_returns_data) {
  const std::string secret = "sk-test-SECRET-0123456789";
  const auto created = mutate("credentials.create",
                              json::object{{"typeId", "openai-api"},
                                           {"name", "My key"},
                                           {"data", json::serialize(json::object{{"apiKey", secret}})}},
                              "alice");
  ASSERT_EQ(created.status, 200) << created.body;
  const auto raw = owner().exec("SELECT data FROM user_credentials");
  ASSERT_EQ(raw.size(), 1);
  const std::string stored(raw.front().get<std::string>(0));
  EXPECT_EQ(stored.find(secret), std::string::npos);
  EXPECT_EQ(stored.find("apiKey"), std::string::npos);
  EXPECT_EQ(stored.rfind("kv1:", 0), 0u);
  const auto list = query("credentials.list", "alice");
  EXPECT_EQ(list.body.find(secret), std::string::npos);
  const auto items = list.data().as_array();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].at("name"), "My key");
  EXPECT_EQ(items[0].at("typeId"), "openai-api");
  EXPECT_FALSE(items[0].as_object().contains("data"));
}

TEST_F(Credentials, invalid_data_is_bad_request_without_echoing_it) {
  const auto r =
      mutate("credentials.create",
             json::object{{"typeId", "openai-api"}, {"name", "k"}, {"data", R"({"apiKey":""})"}}, "alice");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.error_code(), "BAD_REQUEST");
  const auto unknown =
      mutate("credentials.create", json::object{{"typeId", "nope"}, {"name", "k"}, {"data", "{}"}}, "alice");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(count("SELECT count(*) FROM user_credentials"), 0);
}

TEST_F(Credentials, update_renames_and_reseals_then_delete_removes) {
  const auto created =
      mutate("credentials.create",
             json::object{{"typeId", "openai-api"}, {"name", "k"}, {"data", R"({"apiKey":"one"})"}}, "alice");
  ASSERT_EQ(created.status, 200) << created.body;
  const std::string id(created.data().as_string());
  const auto before = owner().exec("SELECT data FROM user_credentials").front().get<std::string>(0);
  const auto renamed =
      mutate("credentials.update",
             json::object{{"id", id}, {"name", "renamed"}, {"data", R"({"apiKey":"two"})"}}, "alice");
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  const auto after = owner().exec("SELECT name, data FROM user_credentials");
  EXPECT_EQ(after.front().get<std::string>(0), "renamed");
  EXPECT_NE(after.front().get<std::string>(1), before);
  ASSERT_EQ(mutate("credentials.delete", json::object{{"id", id}}, "alice").status, 200);
  EXPECT_EQ(count("SELECT count(*) FROM user_credentials"), 0);
}

}  // namespace
}  // namespace kianax::api::testing
