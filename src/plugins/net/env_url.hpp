// Service base URLs that tests (and self-hosted proxies) can override from the environment.
#pragma once

#include <string>

namespace kianax::plugins::net {

// The value of `variable` if set and non-empty, else `fallback`; trailing slashes removed either way.
// Read at call time so a test can point a plugin at a local fake server.
[[nodiscard]] std::string base_url_from_env(const char* variable, const char* fallback);

}  // namespace kianax::plugins::net
