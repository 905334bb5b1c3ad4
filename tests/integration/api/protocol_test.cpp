// The tRPC wire protocol end to end over loopback HTTP with real procedures: batching, 207, JSON lines,
// superjson, method and input errors, limits. Every error is a 4xx tRPC envelope, never a 5xx.
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "api_fixture.hpp"

namespace kianax::api::testing {
namespace {
namespace json = boost::json;

using Protocol = ApiTest;

TEST_F(Protocol, batch_of_queries_with_one_foreign_id_is_207) {
  const auto mine = create_routine("alice", "Mine");
  const auto theirs = create_routine("bob", "Theirs");
  const auto input = json::object{{"0", json::object{{"id", mine}}}, {"1", json::object{{"id", theirs}}}};
  const auto r = get("routines.get,routines.get", "batch=1&input=" + encode(json::serialize(input)), "alice");
  EXPECT_EQ(r.status, 207);
  const auto body = r.json();
  EXPECT_EQ(body.at(0).at("result").at("data").at("name"), "Mine");
  EXPECT_EQ(body.at(1).at("error").at("data").at("code"), "NOT_FOUND");
  EXPECT_EQ(body.at(1).at("error").at("data").at("path"), "routines.get");
}

TEST_F(Protocol, batch_of_mutations_is_a_post_with_an_indexed_body) {
  const auto r =
      post("routines.create,routines.create", R"({"0":{"name":"A"},"1":{"name":"B"}})", "alice", "batch=1");
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().as_array().size(), 2u);
  EXPECT_EQ(count("SELECT count(*) FROM routines WHERE user_id = 'alice'"), 2);
}

TEST_F(Protocol, jsonl_stream_answers_every_call_in_lines) {
  const auto id = create_routine("alice", "Streamed");
  const auto input = json::object{{"0", json::object{{"id", id}}}};
  const auto r = get("routines.get,settings.get", "batch=1&input=" + encode(json::serialize(input)), "alice",
                     {"trpc-accept: application/jsonl"});
  EXPECT_EQ(r.status, 200);
  std::vector<json::value> lines;
  std::size_t start = 0;
  while (start < r.body.size()) {
    const auto end = r.body.find('\n', start);
    ASSERT_NE(end, std::string::npos);
    lines.push_back(json::parse(r.body.substr(start, end - start)));
    start = end + 1;
  }
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(json::serialize(lines[0]), R"({"0":[[0],[null,0,0]],"1":[[0],[null,0,1]]})");
  EXPECT_EQ(lines[1].at(0), 0);
  EXPECT_EQ(lines[1].at(2).at(0).at(0).at("result").at("data").at("name"), "Streamed");
  EXPECT_EQ(lines[2].at(2).at(0).at(0).at("result").at("data").at("theme"), "system");
}

TEST_F(Protocol, superjson_input_is_accepted_and_the_output_wrapped) {
  const auto created = post("routines.create", R"({"json":{"name":"SJ"}})", "alice");
  ASSERT_EQ(created.status, 200) << created.body;
  const auto id = created.json().at("result").at("data").at("json");
  ASSERT_TRUE(id.is_string());
  const auto got =
      get("routines.get",
          "input=" + encode(json::serialize(json::object{{"json", json::object{{"id", id}}}})), "alice");
  EXPECT_EQ(got.json().at("result").at("data").at("json").at("name"), "SJ");
  const auto undefined_input = get(
      "settings.get", "input=" + encode(R"({"json":null,"meta":{"values":["undefined"],"v":1}})"), "alice");
  EXPECT_EQ(undefined_input.json().at("result").at("data").at("json").at("theme"), "system");
  const auto error = get("routines.get", "input=" + encode(R"({"json":{"id":"nope"}})"), "alice");
  EXPECT_EQ(error.status, 400);
  EXPECT_EQ(error.json().at("error").at("json").at("data").at("code"), "BAD_REQUEST");
}

TEST_F(Protocol, wrong_method_unknown_procedure_and_bad_json) {
  const auto post_to_query = post("routines.list", "{}", "alice");
  EXPECT_EQ(post_to_query.status, 405);
  EXPECT_EQ(post_to_query.allow, "GET");
  EXPECT_EQ(post_to_query.error_code(), "METHOD_NOT_SUPPORTED");
  const auto unknown = get("routines.nope", "", "alice");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.json().at("error").at("code"), -32004);
  const auto bad_json = post("routines.create", "{\"name\":", "alice");
  EXPECT_EQ(bad_json.status, 400);
  EXPECT_EQ(bad_json.error_code(), "PARSE_ERROR");
  EXPECT_EQ(count("SELECT count(*) FROM routines"), 0);
}

TEST_F(Protocol, missing_session_is_unauthorized) {
  const auto r = get("routines.list", "", "");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.json().at("error").at("code"), -32001);
  EXPECT_EQ(r.error_code(), "UNAUTHORIZED");
}

TEST_F(Protocol, non_uuid_id_is_bad_request) {
  const auto r = query("routines.get", json::object{{"id", "1; DROP TABLE routines"}}, "alice");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.error_code(), "BAD_REQUEST");
}

TEST_F(Protocol, ten_thousand_nodes_is_bad_request_and_nothing_written) {
  json::array nodes;
  for (int i = 0; i < 10'000; ++i) {
    nodes.push_back(json::parse(R"({"id":"n)" + std::to_string(i) +
                                R"(","pluginId":"p","label":"","position":{"x":0,"y":0}})"));
  }
  const auto r = mutate("routines.create", json::object{{"name", "Huge"}, {"nodes", nodes}}, "alice");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json().at("error").at("data").at("issues").at(0).at("message"),
            "Array must contain at most 1000 element(s)");
  EXPECT_EQ(count("SELECT count(*) FROM routines"), 0);
}

TEST_F(Protocol, deeply_nested_json_is_parse_error) {
  std::string deep(200, '[');
  deep += std::string(200, ']');
  const auto r = mutate("routines.create",
                        json::parse(R"({"name":"Deep","triggerConfig":)" + std::string("[]") + "}"), "alice");
  ASSERT_EQ(r.status, 200);  // control: a shallow config is fine
  const auto deep_reply = post("routines.create", R"({"name":"Deep","triggerConfig":)" + deep + "}", "alice");
  EXPECT_EQ(deep_reply.status, 400);
  EXPECT_EQ(deep_reply.error_code(), "PARSE_ERROR");
  EXPECT_EQ(count("SELECT count(*) FROM routines"), 1);
}

TEST_F(Protocol, body_over_ten_megabytes_is_refused_with_413) {
  const std::string big = R"({"name":"Big","description":")" + std::string(11 * 1024 * 1024, 'x') + "\"}";
  const auto r = post("routines.create", big, "alice");
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(count("SELECT count(*) FROM routines"), 0);
}

TEST_F(Protocol, nul_character_is_bad_request_not_a_database_error) {
  const auto r = post("routines.create", R"({"name":"a\u0000b"})", "alice");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.error_code(), "BAD_REQUEST");
}

}  // namespace
}  // namespace kianax::api::testing
