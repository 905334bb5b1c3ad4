// http-request (engine spec (f)): one HTTP call with retries; the outcome is *data* on port `success` or
// `error`, never an exception — except when the run itself is cancelled or out of time, which throws the
// context's PluginError so the run stops instead of routing down the error branch.
//
// Port decisions (spec quirks): the documented config defaults are applied (method GET, timeout 30000,
// retries 0, retryDelay 1000, followRedirects true) and numeric fields are clamped to their documented
// ranges; SSRF-guarded targets, invalid URLs/headers, oversized bodies and redirect loops fail at once
// instead of being retried; the context's idempotency key is sent as `Idempotency-Key` unless the user set
// that header.
#pragma once

#include "engine/plugin.hpp"

#include <memory>

namespace kianax::plugins {

[[nodiscard]] std::unique_ptr<engine::Plugin> make_http_request_plugin();

}  // namespace kianax::plugins
