#pragma once
// tRPC error codes (wire-protocols §1.5) and the exception procedures throw to answer with one. Only the
// codes the API uses are listed; each knows its JSON-RPC number, its name and its HTTP status.
#include <boost/json/value.hpp>
#include <stdexcept>
#include <string>
#include <string_view>

namespace kianax::api {

enum class ErrorCode {
  kParseError,
  kBadRequest,
  kUnauthorized,
  kForbidden,
  kNotFound,
  kMethodNotSupported,
  kConflict,
  kPreconditionFailed,
  kPayloadTooLarge,
  kUnsupportedMediaType,
  kInternalServerError,
};

[[nodiscard]] int json_rpc_code(ErrorCode code);      // -32600 …
[[nodiscard]] std::string_view name(ErrorCode code);  // "BAD_REQUEST" …
[[nodiscard]] int http_status(ErrorCode code);        // 400 …

// Thrown by validators and handlers; the codec turns it into the error envelope. `issues` (a JSON array of
// {path, message}) is sent as data.issues for BAD_REQUEST, like zod's issue list.
class TrpcError : public std::runtime_error {
 public:
  TrpcError(ErrorCode code, std::string message, boost::json::value issues = nullptr)
      : std::runtime_error(std::move(message)), code_(code), issues_(std::move(issues)) {}
  [[nodiscard]] ErrorCode code() const { return code_; }
  [[nodiscard]] const boost::json::value& issues() const { return issues_; }

 private:
  ErrorCode code_;
  boost::json::value issues_;
};

// {"message", "code", "data": {"code", "httpStatus", "path"?, "issues"?}} — the default formatter's shape
// without the dev-only stack.
[[nodiscard]] boost::json::object error_shape(const TrpcError& error, std::string_view path);

}  // namespace kianax::api
