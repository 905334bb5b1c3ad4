#include "api/trpc_error.hpp"

#include <boost/json/object.hpp>

namespace kianax::api {

int json_rpc_code(ErrorCode code) {
  switch (code) {
    case ErrorCode::kParseError:
      return -32700;
    case ErrorCode::kBadRequest:
      return -32600;
    case ErrorCode::kUnauthorized:
      return -32001;
    case ErrorCode::kForbidden:
      return -32003;
    case ErrorCode::kNotFound:
      return -32004;
    case ErrorCode::kMethodNotSupported:
      return -32005;
    case ErrorCode::kConflict:
      return -32009;
    case ErrorCode::kPreconditionFailed:
      return -32012;
    case ErrorCode::kPayloadTooLarge:
      return -32013;
    case ErrorCode::kUnsupportedMediaType:
      return -32015;
    case ErrorCode::kInternalServerError:
      return -32603;
  }
  return -32603;
}

std::string_view name(ErrorCode code) {
  switch (code) {
    case ErrorCode::kParseError:
      return "PARSE_ERROR";
    case ErrorCode::kBadRequest:
      return "BAD_REQUEST";
    case ErrorCode::kUnauthorized:
      return "UNAUTHORIZED";
    case ErrorCode::kForbidden:
      return "FORBIDDEN";
    case ErrorCode::kNotFound:
      return "NOT_FOUND";
    case ErrorCode::kMethodNotSupported:
      return "METHOD_NOT_SUPPORTED";
    case ErrorCode::kConflict:
      return "CONFLICT";
    case ErrorCode::kPreconditionFailed:
      return "PRECONDITION_FAILED";
    case ErrorCode::kPayloadTooLarge:
      return "PAYLOAD_TOO_LARGE";
    case ErrorCode::kUnsupportedMediaType:
      return "UNSUPPORTED_MEDIA_TYPE";
    case ErrorCode::kInternalServerError:
      return "INTERNAL_SERVER_ERROR";
  }
  return "INTERNAL_SERVER_ERROR";
}

int http_status(ErrorCode code) {
  switch (code) {
    case ErrorCode::kParseError:
      return 400;
    case ErrorCode::kBadRequest:
      return 400;
    case ErrorCode::kUnauthorized:
      return 401;
    case ErrorCode::kForbidden:
      return 403;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kMethodNotSupported:
      return 405;
    case ErrorCode::kConflict:
      return 409;
    case ErrorCode::kPreconditionFailed:
      return 412;
    case ErrorCode::kPayloadTooLarge:
      return 413;
    case ErrorCode::kUnsupportedMediaType:
      return 415;
    case ErrorCode::kInternalServerError:
      return 500;
  }
  return 500;
}

boost::json::object error_shape(const TrpcError& error, std::string_view path) {
  boost::json::object data;
  data["code"] = name(error.code());
  data["httpStatus"] = http_status(error.code());
  if (!path.empty()) data["path"] = path;
  if (!error.issues().is_null()) data["issues"] = error.issues();
  boost::json::object shape;
  shape["message"] = error.what();
  shape["code"] = json_rpc_code(error.code());
  shape["data"] = std::move(data);
  return shape;
}

}  // namespace kianax::api
