#pragma once
// Per-step retries and the step timeout, as the Temporal activities had them (engine-spec §(g)): 1 s
// initial interval, ×2, at most 1 min, 3 attempts, 5-minute start-to-close. Applied around each plugin
// call by wrapping the PluginProvider the engine sees, so retries happen inside one node execution: the
// node records one entry, and every attempt gets the same idempotency key (same logical operation).
//
// A node overrides the defaults with a `retryPolicy` object in its config (removed before the plugin sees
// the config): {"maximumAttempts": n, "initialIntervalMs": ms, "backoffCoefficient": x,
// "maximumIntervalMs": ms, "stepTimeoutMs": ms}. Missing or malformed fields keep the default.
//
// The step timeout becomes the plugin call's deadline (PluginContext::deadline, never later than the run's
// own): cooperative — the built-in network plugins honour it; a plugin that ignores it cannot be killed
// from inside the process.
#include <boost/json/object.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "engine/plugin.hpp"

namespace kianax::worker {

struct RetryPolicy {
  std::chrono::milliseconds initial_interval{1'000};
  double backoff_coefficient = 2.0;
  std::chrono::milliseconds maximum_interval{60'000};
  int maximum_attempts = 3;  // 1 = no retry
  std::chrono::milliseconds step_timeout{5 * 60'000};
};

// The node's policy: `defaults` overridden by config["retryPolicy"]'s valid fields.
[[nodiscard]] RetryPolicy policy_for(const RetryPolicy& defaults, const boost::json::object& config);
// Delay before retry number `retry` (1 = after the first failure): initial × coefficient^(retry-1), capped.
[[nodiscard]] std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, int retry);

// Wraps every plugin of `inner` with the retry loop. Thread-safe; `inner` must outlive it.
class RetryingPlugins : public engine::PluginProvider {
 public:
  RetryingPlugins(const engine::PluginProvider& inner, RetryPolicy defaults)
      : inner_(inner), defaults_(defaults) {}
  [[nodiscard]] const engine::Plugin* find(std::string_view plugin_id) const override;

 private:
  const engine::PluginProvider& inner_;
  RetryPolicy defaults_;
  mutable std::mutex mutex_;
  mutable std::map<const engine::Plugin*, std::unique_ptr<engine::Plugin>> wrappers_;
};

}  // namespace kianax::worker
