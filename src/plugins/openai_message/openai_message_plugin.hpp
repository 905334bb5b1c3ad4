// openai-message (engine spec (f)): one Chat Completions call, its first choice's text on port `output`.
//
// Endpoint: $KIANAX_OPENAI_BASE_URL/chat/completions (default https://api.openai.com/v1), so tests and
// OpenAI-compatible gateways can stand in. Errors are thrown with the spec's exact messages; HTTP failures
// read like the official SDK's ("401 Incorrect API key provided…"). Like the SDK, connection errors, 408,
// 409, 429 and 5xx are retried twice with backoff. Config defaults (model gpt-4o, temperature 0.7) are
// applied.
#pragma once

#include "engine/plugin.hpp"

#include <memory>

namespace kianax::plugins {

[[nodiscard]] std::unique_ptr<engine::Plugin> make_openai_message_plugin();

}  // namespace kianax::plugins
