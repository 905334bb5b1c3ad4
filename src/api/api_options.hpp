#pragma once
// Limits and knobs of the tRPC API; every limit answers with a 4xx tRPC error when exceeded. The request
// body itself is capped by http::ServerOptions::body_limit (10 MB → 413 before the API sees it).
#include <cstddef>
#include <optional>
#include <string>

#include "api/trpc_request.hpp"
#include "plugins/net/http_client.hpp"
#include "vault/vault.hpp"

namespace kianax::plugins {
class Registry;
class CredentialTypeRegistry;
}  // namespace kianax::plugins

namespace kianax::api {

struct ApiOptions {
  CodecLimits codec;                   // batch size, JSON nesting depth
  std::size_t max_nodes = 1000;        // per routine
  std::size_t max_connections = 5000;  // per routine
  std::size_t max_variables = 500;     // per routine
  std::size_t max_tags = 100;
  int default_page_size = 50;  // routines.list / executions.listByRoutine without `limit`
  int max_page_size = 200;

  // Services; each must outlive the routes. Null / nullopt: the process-wide defaults.
  const plugins::Registry* plugins = nullptr;                         // make_builtin_registry()
  const plugins::CredentialTypeRegistry* credential_types = nullptr;  // builtin_credential_types()
  std::optional<vault::Vault> vault;  // Vault::from_env(); still none: credential writes answer 412
  // Where browsers reach this server (OAuth redirect URI and the dashboard redirect). Empty:
  // KIANAX_PUBLIC_URL, else http://localhost:3000.
  std::string public_url;
  plugins::net::ClientOptions oauth_http;  // the token endpoint client (SSRF policy from the environment)
};

}  // namespace kianax::api
