#pragma once
// Decoding a tRPC v11 HTTP request (wire-protocols §1.1–§1.3, §1.6) into calls, without running anything:
// procedure paths from the URL (comma-joined when batched), each call's input from `?input=` (GET) or the
// body (POST), superjson's {"json":…} wrapper removed, and the streaming (JSONL) request recognised.
// Request-level problems (unsupported content type, too big a batch) throw TrpcError; a problem with one
// call's input is kept on that call, because the batch answers it per call.
#include <boost/json/value.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/trpc_error.hpp"
#include "http/message.hpp"

namespace kianax::api {

struct CodecLimits {
  std::size_t max_batch_size = 50;  // calls in one request
  unsigned max_json_depth = 64;     // nesting of one call's input (deeper: PARSE_ERROR)
};

struct Call {
  std::string path;                         // dotted procedure name
  std::optional<boost::json::value> input;  // nullopt = undefined (no input sent)
  std::optional<TrpcError> input_error;     // malformed JSON etc.: answered instead of running the call
};

struct DecodedRequest {
  bool batch = false;      // ?batch=1: the answer is an array (or JSON lines)
  bool stream = false;     // trpc-accept / accept: application/jsonl (batches only)
  bool superjson = false;  // some input came wrapped as {"json":…}: wrap every output the same way
  std::vector<Call> calls;
};

// `prefix` is the route prefix the request matched, e.g. "/api/trpc/".
[[nodiscard]] DecodedRequest decode_trpc_request(const http::Request& request, std::string_view prefix,
                                                 const CodecLimits& limits);

// Percent-decoding as URLSearchParams does it ('+' is a space); invalid escapes are kept literally.
[[nodiscard]] std::string url_decode(std::string_view text, bool plus_is_space);

}  // namespace kianax::api
