#include "api/trpc_handler.hpp"

#include <spdlog/spdlog.h>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <memory>

#include "api/trpc_error.hpp"

namespace kianax::api {
namespace asio = boost::asio;
namespace json = boost::json;

namespace {

json::value wrap(json::value v, bool superjson) {
  if (!superjson) return v;
  return json::object{{"json", std::move(v)}};
}

json::value error_envelope(const TrpcError& e, std::string_view path, bool superjson) {
  // With a transformer the error object itself goes through it: {"error":{"json":{…shape…}}}.
  return json::object{{"error", wrap(error_shape(e, path), superjson)}};
}

http::Response json_response(int status, const json::value& body) {
  auto r = http::Response::json(status, json::serialize(body));
  r.set_header("vary", "trpc-accept, accept");
  return r;
}

// tRPC's batch status rule: one status shared by every call, else 207 Multi-Status.
int batch_status(const std::vector<TrpcHandler::Outcome>& outcomes) {
  for (const auto& o : outcomes)
    if (o.status != outcomes.front().status) return 207;
  return outcomes.empty() ? 200 : outcomes.front().status;
}

// httpBatchStreamLink's simplest accepted form: a head with one promise slot per call, then one line per
// finished call carrying its whole envelope (no nested promises). Calls run one after another, so each
// line goes out as soon as its call is done.
class JsonlBody final : public http::StreamBody {
 public:
  JsonlBody(const TrpcHandler& handler, DecodedRequest request, std::string method,
            std::optional<auth::AuthenticatedUser> user)
      : handler_(handler), request_(std::move(request)), method_(std::move(method)), user_(std::move(user)) {}

  asio::awaitable<void> run(http::BodyWriter& out) override {
    json::object head;
    for (std::size_t i = 0; i < request_.calls.size(); ++i) {
      head[std::to_string(i)] =
          json::array{json::array{0}, json::array{nullptr, 0, static_cast<std::int64_t>(i)}};
    }
    if (!co_await out.write(line(head))) co_return;
    for (std::size_t i = 0; i < request_.calls.size(); ++i) {
      auto outcome = co_await handler_.run_call(request_.calls[i], method_, user_, false);
      const json::array chunk{static_cast<std::int64_t>(i), 0, json::array{json::array{outcome.envelope}}};
      if (!co_await out.write(line(chunk))) co_return;
    }
  }

 private:
  // With a transformer each whole line goes through it, not the envelopes one by one.
  std::string line(json::value v) const {
    return json::serialize(wrap(std::move(v), request_.superjson)) + "\n";
  }

  const TrpcHandler& handler_;
  DecodedRequest request_;
  std::string method_;
  std::optional<auth::AuthenticatedUser> user_;
};

}  // namespace

TrpcHandler::TrpcHandler(const ProcedureRegistry& registry, auth::Authenticator& authenticator,
                         Services services, std::string prefix, CodecLimits limits)
    : registry_(registry),
      authenticator_(authenticator),
      services_(services),
      prefix_(std::move(prefix)),
      limits_(limits) {}

asio::awaitable<TrpcHandler::Outcome> TrpcHandler::run_call(
    const Call& call, const std::string& method, const std::optional<auth::AuthenticatedUser>& user,
    bool superjson) const {
  Outcome outcome;
  const Procedure* procedure = registry_.find(call.path);
  std::optional<TrpcError> failure;
  try {
    if (procedure == nullptr) {
      throw TrpcError(ErrorCode::kNotFound, "No procedure found on path \"" + call.path + "\"");
    }
    const bool is_query = procedure->type == ProcedureType::kQuery;
    if ((is_query && method != "GET") || (!is_query && method != "POST")) {
      outcome.method_mismatch = true;
      outcome.method_mismatch_allow_get = is_query;
      throw TrpcError(ErrorCode::kMethodNotSupported, "Unsupported " + method + "-request to " +
                                                          (is_query ? "query" : "mutation") +
                                                          " procedure at path \"" + call.path + "\"");
    }
    if (call.input_error) throw *call.input_error;
    if (procedure->needs_user && !user) throw TrpcError(ErrorCode::kUnauthorized, "You must be signed in");

    json::value input = call.input ? *call.input : json::value(nullptr);
    if (procedure->input) {
      if (!call.input && !procedure->input_required) input = json::object();
      if (!call.input && procedure->input_required) {
        throw TrpcError(ErrorCode::kBadRequest, "Input is required",
                        issues_json({Issue{json::array(), "Required"}}));
      }
      const auto issues = validate(*procedure->input, input);
      if (!issues.empty())
        throw TrpcError(ErrorCode::kBadRequest, issues_message(issues), issues_json(issues));
    }
    Context context{*services_.pool, user,           services_.plugins, services_.credential_types,
                    services_.vault, services_.oauth};
    json::value data = co_await procedure->handler(context, input);
    outcome.envelope = json::object{{"result", json::object{{"data", wrap(std::move(data), superjson)}}}};
    co_return outcome;
  } catch (const TrpcError& e) {
    failure = e;
  } catch (const std::exception& e) {
    // A bug or an infrastructure failure (database down). The text stays in the log: it may quote data.
    spdlog::error("trpc: procedure {} failed: {}", call.path, e.what());
    failure = TrpcError(ErrorCode::kInternalServerError, "Internal server error");
  }
  outcome.status = http_status(failure->code());
  outcome.envelope = error_envelope(*failure, call.path, superjson);
  co_return outcome;
}

asio::awaitable<http::Response> TrpcHandler::handle(const http::Request& request) const {
  if (request.method == "HEAD") {
    auto r = http::Response::text(204, "");
    r.set_header("vary", "trpc-accept, accept");
    co_return r;
  }
  DecodedRequest decoded;
  try {
    decoded = decode_trpc_request(request, prefix_, limits_);
    // A batch is all queries (GET) or all mutations (POST); unknown paths are answered per call.
    bool has_query = false;
    bool has_mutation = false;
    for (const auto& call : decoded.calls) {
      if (const auto* p = registry_.find(call.path)) {
        (p->type == ProcedureType::kQuery ? has_query : has_mutation) = true;
      }
    }
    if (has_query && has_mutation) {
      throw TrpcError(ErrorCode::kBadRequest, "Cannot mix procedure types in call: mutation, query");
    }
  } catch (const TrpcError& e) {
    // Rejected as a whole: one error object, which the client applies to every call.
    co_return json_response(http_status(e.code()), json::object{{"error", error_shape(e, "")}});
  }

  // The session is looked up once per request, and only when some call needs it.
  std::optional<auth::AuthenticatedUser> user;
  bool needs_user = false;
  for (const auto& call : decoded.calls) {
    const auto* p = registry_.find(call.path);
    needs_user = needs_user || (p != nullptr && p->needs_user);
  }
  if (needs_user) user = co_await authenticator_.authenticate(request);

  if (decoded.stream) {
    http::Response r;
    r.status = 200;  // never a non-2xx with a JSONL body: the client would read it as one plain error
    r.set_header("content-type", "application/json");
    r.set_header("vary", "trpc-accept, accept");
    r.stream = std::make_shared<JsonlBody>(*this, std::move(decoded), request.method, std::move(user));
    co_return r;
  }

  std::vector<Outcome> outcomes;
  outcomes.reserve(decoded.calls.size());
  for (const auto& call : decoded.calls) {
    outcomes.push_back(co_await run_call(call, request.method, user, decoded.superjson));
  }
  if (!decoded.batch) {
    auto r = json_response(outcomes.front().status, outcomes.front().envelope);
    if (outcomes.front().method_mismatch)
      r.set_header("allow", outcomes.front().method_mismatch_allow_get ? "GET" : "POST");
    co_return r;
  }
  json::array body;
  for (auto& o : outcomes) body.push_back(std::move(o.envelope));
  co_return json_response(batch_status(outcomes), body);
}

}  // namespace kianax::api
