#include "engine/credentials.hpp"

namespace kianax::engine {

boost::json::object resolve_credentials(const std::vector<CredentialRequirement>& requirements,
                                        const Node& node, const std::string& user_id,
                                        CredentialLoader* loader) {
  boost::json::object credentials;
  if (requirements.empty()) return credentials;
  if (loader == nullptr) throw PluginError("Plugin requires credentials but no CredentialLoader provided");
  for (const auto& req : requirements) {
    const std::string& key = req.key();
    const boost::json::value* id = find_member(node.credential_mappings, req.id);
    if (id == nullptr) id = find_member(node.credential_mappings, key);
    if (id == nullptr || !id->is_string()) {
      if (req.required) throw PluginError("Missing required credential mapping for '" + key + "'");
      continue;
    }
    std::string credential_id(id->get_string());
    try {
      credentials[key] = loader->load(user_id, credential_id, req);
    } catch (const std::exception& e) {
      throw PluginError("Failed to load credential '" + key + "' (" + credential_id + "): " + e.what());
    }
  }
  return credentials;
}

}  // namespace kianax::engine
