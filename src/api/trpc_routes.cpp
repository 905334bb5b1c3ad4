#include "api/trpc_routes.hpp"

#include <cstdlib>
#include <memory>

#include "api/oauth_callback.hpp"
#include "api/oauth_flow.hpp"
#include "api/procedures.hpp"
#include "api/trpc_handler.hpp"
#include "plugins/builtin_plugins.hpp"
#include "plugins/credential_types.hpp"

namespace kianax::api {

namespace {

// Everything the routes need for the server's lifetime, shared by the three route lambdas.
struct ApiState {
  ApiOptions options;
  std::optional<plugins::Registry> owned_plugins;
  ProcedureRegistry registry;
  std::optional<OAuthFlow> oauth;
  std::optional<TrpcHandler> handler;
};

std::string public_url(const ApiOptions& options) {
  if (!options.public_url.empty()) return options.public_url;
  const char* env = std::getenv("KIANAX_PUBLIC_URL");
  return env != nullptr && *env != '\0' ? env : "http://localhost:3000";
}

}  // namespace

void add_trpc_routes(http::Router& router, db::Pool& pool, auth::Authenticator& authenticator,
                     ApiOptions options) {
  auto state = std::make_shared<ApiState>();
  state->options = std::move(options);
  if (!state->options.vault) state->options.vault = vault::Vault::from_env();
  const plugins::Registry* plugin_registry = state->options.plugins;
  if (plugin_registry == nullptr) {
    state->owned_plugins.emplace(plugins::make_builtin_registry());
    plugin_registry = &*state->owned_plugins;
  }
  const auto* credential_types = state->options.credential_types ? state->options.credential_types
                                                                 : &plugins::builtin_credential_types();
  state->registry = make_procedure_registry(state->options);
  Services services{&pool, plugin_registry, credential_types,
                    state->options.vault ? &*state->options.vault : nullptr, nullptr};
  if (state->options.vault) {
    state->oauth.emplace(OAuthStateSigner(state->options.vault->derive_key("kianax oauth state v1")),
                         public_url(state->options), state->options.oauth_http);
    services.oauth = &*state->oauth;
  }
  state->handler.emplace(state->registry, authenticator, services, kTrpcPrefix, state->options.codec);

  auto handle = [state](http::Request& request) { return state->handler->handle(request); };
  router.add_prefix("GET", kTrpcPrefix, handle);
  router.add_prefix("POST", kTrpcPrefix, handle);
  router.add_prefix("HEAD", kTrpcPrefix, handle);
  if (state->oauth) {
    auto callback = make_oauth_callback(*state->oauth, services, authenticator);
    router.add("GET", kOAuthCallbackPath,
               [state, callback](http::Request& request) { return callback(request); });
  }
}

ProcedureRegistry make_procedure_registry(const ApiOptions& options) {
  ProcedureRegistry registry;
  add_routine_procedures(registry, options);
  add_routine_variable_procedures(registry, options);
  add_execution_procedures(registry, options);
  add_execution_run_procedures(registry);
  add_settings_procedures(registry);
  add_plugin_procedures(registry);
  add_credential_procedures(registry);
  return registry;
}

}  // namespace kianax::api
