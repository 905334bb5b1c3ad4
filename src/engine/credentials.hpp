// How the executor obtains credential data for a node, spec (e) "Credential resolution".
// The worker implements CredentialLoader over the vault (decrypt, refresh OAuth2 tokens); the engine only
// knows this interface.
#pragma once

#include "engine/plugin.hpp"
#include "engine/routine.hpp"

#include <boost/json.hpp>

#include <string>

namespace kianax::engine {

class CredentialLoader {
 public:
  virtual ~CredentialLoader() = default;
  // Data of user credential `credential_id` (e.g. {"apiKey": "…"} or {"access_token": "…"}).
  // Throws (any std::exception) with a message; the engine wraps it as
  // "Failed to load credential '<key>' (<credentialId>): <message>".
  virtual boost::json::value load(const std::string& user_id, const std::string& credential_id,
                                  const CredentialRequirement& requirement) = 0;
};

// Resolves every requirement of `requirements` for `node`: key = alias ?? id; credential id =
// credentialMappings[id] ?? credentialMappings[key]; required and unmapped → PluginError
// "Missing required credential mapping for '<key>'"; optional and unmapped → skipped.
// `loader` may be null only when nothing needs loading.
[[nodiscard]] boost::json::object resolve_credentials(const std::vector<CredentialRequirement>& requirements,
                                                      const Node& node, const std::string& user_id,
                                                      CredentialLoader* loader);

}  // namespace kianax::engine
