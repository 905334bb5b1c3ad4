// Glue between the HTTP client and a plugin call: the call's deadline and cancellation flow into every
// request and every wait, and a request that stopped for either reason becomes the PluginError the engine
// expects (a cancelled or timed-out *run* must not look like an HTTP failure routed to an error port).
#pragma once

#include "engine/plugin.hpp"
#include "plugins/net/http_client.hpp"

#include <boost/json.hpp>

#include <chrono>
#include <string>

namespace kianax::plugins::net {

// A request bound to the call's deadline and stop token.
[[nodiscard]] HttpRequest request_for(const engine::PluginContext& context);

// Throws the context's PluginError when `error` is a cancellation or the call's deadline; otherwise returns.
void throw_if_interrupted(const HttpError& error, const engine::PluginContext& context);

// Waits `delay` (a retry backoff) unless the call is cancelled or its deadline comes first; then throws.
void wait_before_retry(std::chrono::milliseconds delay, const engine::PluginContext& context);

// JavaScript's String(v) for a JSON value: header values and query parameters are converted this way.
[[nodiscard]] std::string js_string(const boost::json::value& value);

// JavaScript truthiness of a JSON value (objects and arrays are always truthy).
[[nodiscard]] bool js_truthy(const boost::json::value& value);

}  // namespace kianax::plugins::net
