// The tRPC codec over fake procedures (no database): wire-protocols §1.1–§1.6 as the real @trpc/client
// sends and expects it.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <stdexcept>

#include "api/trpc_handler.hpp"
#include "db/pool.hpp"
#include "header_authenticator.hpp"

namespace kianax::api {
namespace {
namespace asio = boost::asio;
namespace json = boost::json;

template <class T>
T run_sync(asio::io_context& io, asio::awaitable<T> task) {
  auto result = asio::co_spawn(io, std::move(task), asio::use_future);
  io.restart();
  io.run();
  return result.get();
}

class CollectingWriter final : public http::BodyWriter {
 public:
  asio::awaitable<bool> write(std::string_view chunk) override {
    text += chunk;
    co_return true;
  }
  std::string text;
};

ProcedureRegistry fake_procedures() {
  ProcedureRegistry r;
  r.add(Procedure{.name = "greet",
                  .type = ProcedureType::kQuery,
                  .input = schema::object({{"name", schema::string(1)}}),
                  .needs_user = false,
                  .handler = [](Context&, const json::value& in) -> asio::awaitable<json::value> {
                    co_return json::object{{"text", "hello " + std::string(in.at("name").as_string())}};
                  }});
  r.add(Procedure{.name = "whoami",
                  .type = ProcedureType::kQuery,
                  .handler = [](Context& ctx, const json::value&) -> asio::awaitable<json::value> {
                    co_return json::value(ctx.user_id());
                  }});
  r.add(Procedure{.name = "add",
                  .type = ProcedureType::kMutation,
                  .input = schema::object({{"n", schema::integer(0, 100)}}),
                  .needs_user = false,
                  .handler = [](Context&, const json::value& in) -> asio::awaitable<json::value> {
                    co_return json::value(in.at("n").as_int64() + 1);
                  }});
  r.add(Procedure{
      .name = "echo",
      .type = ProcedureType::kMutation,
      .input = schema::object({{"x", schema::any(), true}}),
      .input_required = false,
      .needs_user = false,
      .handler = [](Context&, const json::value& in) -> asio::awaitable<json::value> { co_return in; }});
  r.add(Procedure{.name = "missing",
                  .type = ProcedureType::kQuery,
                  .needs_user = false,
                  .handler = [](Context&, const json::value&) -> asio::awaitable<json::value> {
                    throw TrpcError(ErrorCode::kNotFound, "post 7 not found");
                    co_return nullptr;
                  }});
  r.add(Procedure{.name = "boom",
                  .type = ProcedureType::kQuery,
                  .needs_user = false,
                  .handler = [](Context&, const json::value&) -> asio::awaitable<json::value> {
                    throw std::runtime_error("password=hunter2");
                    co_return nullptr;
                  }});
  return r;
}

class TrpcCodec : public ::testing::Test {
 protected:
  asio::io_context io;
  db::Pool pool{io, {.conninfo = "host=/nonexistent"}};  // never used: opens nothing until asked
  ProcedureRegistry registry = fake_procedures();
  testing::HeaderAuthenticator authenticator;
  TrpcHandler handler{registry, authenticator, Services{&pool}, "/api/trpc/",
                      CodecLimits{.max_batch_size = 3, .max_json_depth = 8}};

  http::Response call(std::string method, std::string path, std::string query = "", std::string body = "",
                      http::Headers headers = {}) {
    http::Request request;
    request.method = std::move(method);
    request.path = "/api/trpc/" + path;
    request.query = std::move(query);
    request.body = std::move(body);
    request.headers = std::move(headers);
    if (!request.body.empty()) request.headers.emplace_back("content-type", "application/json");
    request.target = request.path + (request.query.empty() ? "" : "?" + request.query);
    return run_sync(io, handler.handle(request));
  }
  static json::value body(const http::Response& r) { return json::parse(r.body); }
  static std::string header(const http::Response& r, std::string_view name) {
    for (const auto& [k, v] : r.headers)
      if (k == name) return v;
    return "";
  }
  std::string stream(const http::Response& r) {
    CollectingWriter out;
    run_sync(io, r.stream->run(out));
    return out.text;
  }
};

TEST_F(TrpcCodec, query_reads_url_encoded_input_and_answers_result_data) {
  const auto r = call("GET", "greet", "input=%7B%22name%22%3A%22Ann%22%7D");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"result":{"data":{"text":"hello Ann"}}})");
  EXPECT_EQ(header(r, "vary"), "trpc-accept, accept");
}

TEST_F(TrpcCodec, mutation_reads_the_post_body) {
  const auto r = call("POST", "add", "", R"({"n":41})");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"result":{"data":42}})");
}

TEST_F(TrpcCodec, empty_post_body_is_undefined_input) {
  const auto r = call("POST", "echo");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"result":{"data":{}}})");
}

TEST_F(TrpcCodec, batch_answers_an_array_in_path_order) {
  const auto r = call("GET", "greet,greet",
                      "batch=1&input="
                      "%7B%220%22%3A%7B%22name%22%3A%22A%22%7D%2C%221%22%3A%7B%22name%22%3A%22B%22%7D%7D");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"([{"result":{"data":{"text":"hello A"}}},{"result":{"data":{"text":"hello B"}}}])");
}

TEST_F(TrpcCodec, batch_of_mixed_outcomes_is_207_with_per_call_error) {
  const auto r = call("GET", "greet,missing", R"(batch=1&input={"0":{"name":"A"}})");
  EXPECT_EQ(r.status, 207);
  const auto b = body(r);
  EXPECT_EQ(b.at(0).at("result").at("data").at("text"), "hello A");
  const auto& e = b.at(1).at("error");
  EXPECT_EQ(e.at("message"), "post 7 not found");
  EXPECT_EQ(e.at("code"), -32004);
  EXPECT_EQ(e.at("data").at("code"), "NOT_FOUND");
  EXPECT_EQ(e.at("data").at("httpStatus"), 404);
  EXPECT_EQ(e.at("data").at("path"), "missing");
}

TEST_F(TrpcCodec, batch_of_equal_errors_keeps_their_status) {
  const auto r = call("GET", "missing,missing", "batch=1&input={}");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(body(r).as_array().size(), 2u);
}

TEST_F(TrpcCodec, batch_of_one_error_uses_its_status) {
  const auto r = call("GET", "whoami", "batch=1&input={}");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(body(r).at(0).at("error").at("data").at("code"), "UNAUTHORIZED");
}

TEST_F(TrpcCodec, unknown_procedure_is_not_found_404) {
  const auto r = call("GET", "nope");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(body(r).at("error").at("message"), R"(No procedure found on path "nope")");
  EXPECT_EQ(body(r).at("error").at("code"), -32004);
}

TEST_F(TrpcCodec, wrong_method_is_405_with_allow) {
  const auto post_query = call("POST", "greet", "", R"({"name":"A"})");
  EXPECT_EQ(post_query.status, 405);
  EXPECT_EQ(header(post_query, "allow"), "GET");
  EXPECT_EQ(body(post_query).at("error").at("data").at("code"), "METHOD_NOT_SUPPORTED");
  EXPECT_EQ(body(post_query).at("error").at("code"), -32005);
  const auto get_mutation = call("GET", "add", R"(input={"n":1})");
  EXPECT_EQ(get_mutation.status, 405);
  EXPECT_EQ(header(get_mutation, "allow"), "POST");
}

TEST_F(TrpcCodec, malformed_json_is_parse_error_400) {
  const auto r = call("GET", "greet", "input=%7Bnot-json");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(body(r).at("error").at("code"), -32700);
  EXPECT_EQ(body(r).at("error").at("data").at("code"), "PARSE_ERROR");
}

TEST_F(TrpcCodec, too_deep_json_is_parse_error_400) {
  const auto r = call("POST", "echo", "", R"({"x":[[[[[[[[[[[[1]]]]]]]]]]]]})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(body(r).at("error").at("data").at("code"), "PARSE_ERROR");
}

TEST_F(TrpcCodec, invalid_input_is_bad_request_with_issues) {
  const auto r = call("GET", "greet", R"(input={"name":""})");
  EXPECT_EQ(r.status, 400);
  const auto b = body(r);
  const auto& e = b.at("error");
  EXPECT_EQ(e.at("code"), -32600);
  EXPECT_EQ(e.at("data").at("code"), "BAD_REQUEST");
  EXPECT_EQ(json::serialize(e.at("data").at("issues")),
            R"x([{"path":["name"],"message":"String must contain at least 1 character(s)"}])x");
}

TEST_F(TrpcCodec, missing_required_input_is_bad_request) {
  const auto r = call("GET", "greet");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(body(r).at("error").at("data").at("code"), "BAD_REQUEST");
}

TEST_F(TrpcCodec, nul_character_in_input_is_bad_request) {
  const auto r = call("POST", "echo", "", R"({"x":"a\u0000b"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(body(r).at("error").at("data").at("code"), "BAD_REQUEST");
}

TEST_F(TrpcCodec, procedure_needing_a_user_is_unauthorized_without_one) {
  const auto anonymous = call("GET", "whoami");
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_EQ(body(anonymous).at("error").at("code"), -32001);
  const auto signed_in = call("GET", "whoami", "", "", {{"x-test-user", "u1"}});
  EXPECT_EQ(signed_in.body, R"({"result":{"data":"u1"}})");
}

TEST_F(TrpcCodec, session_is_not_looked_up_when_no_call_needs_it) {
  call("GET", "greet", R"(input={"name":"A"})", "", {{"x-test-user", "u1"}});
  EXPECT_EQ(authenticator.calls, 0);
  call("GET", "greet,whoami", R"(batch=1&input={"0":{"name":"A"}})", "", {{"x-test-user", "u1"}});
  EXPECT_EQ(authenticator.calls, 1);
}

TEST_F(TrpcCodec, superjson_input_is_unwrapped_and_output_mirrored) {
  const auto r = call("GET", "greet", R"(input={"json":{"name":"Ann"}})");
  EXPECT_EQ(r.body, R"({"result":{"data":{"json":{"text":"hello Ann"}}}})");
}

TEST_F(TrpcCodec, superjson_undefined_input_and_wrapped_error) {
  const auto ok = call("GET", "whoami", R"(input={"json":null,"meta":{"values":["undefined"],"v":1}})", "",
                       {{"x-test-user", "u1"}});
  EXPECT_EQ(ok.body, R"({"result":{"data":{"json":"u1"}}})");
  const auto err = call("GET", "greet", R"(input={"json":{"name":""}})");
  EXPECT_EQ(err.status, 400);
  EXPECT_EQ(body(err).at("error").at("json").at("data").at("code"), "BAD_REQUEST");
}

TEST_F(TrpcCodec, undefined_input_in_a_batch_is_a_missing_key) {
  const auto r =
      call("GET", "whoami,greet", R"(batch=1&input={"1":{"name":"B"}})", "", {{"x-test-user", "u9"}});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(body(r).at(0).at("result").at("data"), "u9");
}

TEST_F(TrpcCodec, mixing_queries_and_mutations_rejects_the_request_with_one_error) {
  const auto r = call("POST", "greet,add", "batch=1", R"({"1":{"n":1}})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(body(r).at("error").at("message"), "Cannot mix procedure types in call: mutation, query");
}

TEST_F(TrpcCodec, batch_over_the_limit_is_bad_request) {
  const auto r = call("GET", "greet,greet,greet,greet", "batch=1&input={}");
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(body(r).at("error").is_object());
}

TEST_F(TrpcCodec, unsupported_content_type_is_415) {
  http::Request request;
  request.method = "POST";
  request.path = "/api/trpc/add";
  request.body = "n=1";
  request.headers = {{"content-type", "application/x-www-form-urlencoded"}};
  const auto r = run_sync(io, handler.handle(request));
  EXPECT_EQ(r.status, 415);
  EXPECT_EQ(body(r).at("error").at("data").at("code"), "UNSUPPORTED_MEDIA_TYPE");
}

TEST_F(TrpcCodec, unexpected_exception_is_500_without_its_text) {
  const auto r = call("GET", "boom");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(body(r).at("error").at("message"), "Internal server error");
  EXPECT_EQ(r.body.find("hunter2"), std::string::npos);
}

TEST_F(TrpcCodec, head_is_204) {
  const auto r = call("HEAD", "greet");
  EXPECT_EQ(r.status, 204);
  EXPECT_TRUE(r.body.empty());
}

TEST_F(TrpcCodec, jsonl_streams_a_head_then_one_line_per_call) {
  const auto r = call("GET", "greet,missing", R"(batch=1&input={"0":{"name":"S"}})", "",
                      {{"trpc-accept", "application/jsonl"}});
  EXPECT_EQ(r.status, 200);
  ASSERT_NE(r.stream, nullptr);
  EXPECT_EQ(
      stream(r),
      "{\"0\":[[0],[null,0,0]],\"1\":[[0],[null,0,1]]}\n"
      "[0,0,[[{\"result\":{\"data\":{\"text\":\"hello S\"}}}]]]\n"
      "[1,0,[[{\"error\":{\"message\":\"post 7 not found\",\"code\":-32004,\"data\":{\"code\":\"NOT_FOUND\","
      "\"httpStatus\":404,\"path\":\"missing\"}}}]]]\n");
}

TEST_F(TrpcCodec, jsonl_with_superjson_wraps_each_whole_line) {
  const auto r = call("GET", "greet", R"(batch=1&input={"0":{"json":{"name":"S"}}})", "",
                      {{"accept", "application/jsonl"}});
  ASSERT_NE(r.stream, nullptr);
  EXPECT_EQ(stream(r),
            "{\"json\":{\"0\":[[0],[null,0,0]]}}\n"
            "{\"json\":[0,0,[[{\"result\":{\"data\":{\"text\":\"hello S\"}}}]]]}\n");
}

}  // namespace
}  // namespace kianax::api
