#include "plugins/net/env_url.hpp"

#include <cstdlib>

namespace kianax::plugins::net {

std::string base_url_from_env(const char* variable, const char* fallback) {
  const char* value = std::getenv(variable);
  std::string url = value != nullptr && *value != '\0' ? value : fallback;
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

}  // namespace kianax::plugins::net
