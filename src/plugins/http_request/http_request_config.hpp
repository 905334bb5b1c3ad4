// The http-request node config, read from the resolved JSON config with the documented defaults applied.
#pragma once

#include "plugins/net/url.hpp"

#include <boost/json.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kianax::plugins::http_request {

struct RequestConfig {
  std::optional<std::string> url;  // nullopt when config.url is not a string
  std::string method;              // upper-cased
  std::vector<std::pair<std::string, std::string>> headers;
  std::optional<boost::json::value> body;  // absent = undefined
  net::QueryParams query_params;
  std::chrono::milliseconds timeout{30'000};
  int retries = 0;
  std::chrono::milliseconds retry_delay{1'000};
  bool follow_redirects = true;
};

// The config schema shown in the editor (with the defaults the plugin applies).
[[nodiscard]] boost::json::object config_schema();

// REQUIRES: `config` is the node's resolved config. Never throws: values of the wrong type fall back to the
// default (numbers) or are converted as JavaScript's String() would (header and query values).
[[nodiscard]] RequestConfig read_config(const boost::json::object& config);

// The wait after failed attempt `attempt` (0-based): retryDelay·2^attempt (spec).
[[nodiscard]] std::chrono::milliseconds backoff_delay(std::chrono::milliseconds retry_delay, int attempt);

}  // namespace kianax::plugins::http_request
