#pragma once
// The tRPC HTTP endpoint: decodes a request (trpc_request.hpp), runs each call through the procedure
// registry — method check, session, input schema, handler — and encodes the answer: one envelope, a batch
// array (207 when the calls' statuses differ), or JSON lines for httpBatchStreamLink (wire-protocols §1.4–
// §1.6). Superjson is mirrored: when the client wrapped its input as {"json":…}, every output and error is
// wrapped the same way.
//
// Invariants: a call never escapes as an exception (an unexpected one is logged by procedure name and
// answered INTERNAL_SERVER_ERROR without its text, since it may carry data); bad input is always 4xx.
#include <boost/asio/awaitable.hpp>
#include <string>

#include "api/procedure_registry.hpp"
#include "api/trpc_request.hpp"
#include "auth/authenticator.hpp"
#include "http/message.hpp"

namespace kianax::api {

// Everything a Context needs besides the user, shared by all calls.
struct Services {
  db::Pool* pool = nullptr;
  const plugins::Registry* plugins = nullptr;
  const plugins::CredentialTypeRegistry* credential_types = nullptr;
  const vault::Vault* vault = nullptr;
  const OAuthFlow* oauth = nullptr;
};

class TrpcHandler {
 public:
  // All references must outlive the handler (they are the server's long-lived objects).
  TrpcHandler(const ProcedureRegistry& registry, auth::Authenticator& authenticator, Services services,
              std::string prefix, CodecLimits limits);

  boost::asio::awaitable<http::Response> handle(const http::Request& request) const;

  // The envelope and HTTP status of one call (exposed for the JSONL stream).
  struct Outcome {
    boost::json::value envelope;  // {"result":{"data":…}} or {"error":{…}}, already superjson-wrapped
    int status = 200;
    bool method_mismatch_allow_get = false;  // set Allow: GET / POST on a single-call 405
    bool method_mismatch = false;
  };
  boost::asio::awaitable<Outcome> run_call(const Call& call, const std::string& method,
                                           const std::optional<auth::AuthenticatedUser>& user,
                                           bool superjson) const;

 private:
  const ProcedureRegistry& registry_;
  auth::Authenticator& authenticator_;
  Services services_;
  std::string prefix_;
  CodecLimits limits_;
};

}  // namespace kianax::api
