#include "worker/retry_policy.hpp"

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <exception>

namespace kianax::worker {
namespace {

constexpr std::string_view kConfigKey = "retryPolicy";

std::optional<double> number(const boost::json::object& o, std::string_view key) {
  const boost::json::value* v = o.if_contains(key);
  if (v == nullptr || !v->is_number()) return std::nullopt;
  const double d = v->to_number<double>();
  if (!std::isfinite(d) || d < 0) return std::nullopt;
  return d;
}

std::chrono::milliseconds ms(double d) {
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::min(d, 86'400'000.0)));
}

// Sleeps `delay` unless the run is stopped first; false when stopped.
bool sleep_unless_stopped(std::chrono::milliseconds delay, const std::stop_token& stop) {
  std::mutex m;
  std::condition_variable_any cv;
  std::unique_lock lock(m);
  return !cv.wait_for(lock, stop, delay, [] { return false; }) && !stop.stop_requested();
}

class RetryingPlugin : public engine::Plugin {
 public:
  RetryingPlugin(const engine::Plugin& inner, const RetryPolicy& defaults)
      : inner_(inner), defaults_(defaults) {}
  [[nodiscard]] const engine::PluginMetadata& metadata() const override { return inner_.metadata(); }

  engine::PluginOutputs execute(const boost::json::object& inputs, const boost::json::object& config,
                                engine::PluginContext& context) const override {
    const RetryPolicy policy = policy_for(defaults_, config);
    boost::json::object plugin_config = config;
    plugin_config.erase(kConfigKey);
    const auto run_deadline = context.deadline;
    for (int attempt = 1;; ++attempt) {
      const auto now = std::chrono::steady_clock::now();
      context.deadline = run_deadline - now > policy.step_timeout ? now + policy.step_timeout : run_deadline;
      try {
        engine::PluginOutputs out = inner_.execute(inputs, plugin_config, context);
        context.deadline = run_deadline;
        return out;
      } catch (const std::exception&) {
        context.deadline = run_deadline;
        const bool out_of_time = std::chrono::steady_clock::now() >= run_deadline;
        if (attempt >= policy.maximum_attempts || context.cancelled() || out_of_time) throw;
        // Retry. If the run stops while waiting, the last failure stands.
        if (!sleep_unless_stopped(backoff_delay(policy, attempt), context.stop)) throw;
      }
    }
  }

 private:
  const engine::Plugin& inner_;
  const RetryPolicy& defaults_;
};

}  // namespace

RetryPolicy policy_for(const RetryPolicy& defaults, const boost::json::object& config) {
  RetryPolicy p = defaults;
  const boost::json::value* v = config.if_contains(kConfigKey);
  if (v == nullptr || !v->is_object()) return p;
  const boost::json::object& o = v->get_object();
  if (auto n = number(o, "maximumAttempts"); n && *n >= 1)
    p.maximum_attempts = static_cast<int>(std::min(*n, 100.0));
  if (auto n = number(o, "initialIntervalMs")) p.initial_interval = ms(*n);
  if (auto n = number(o, "backoffCoefficient"); n && *n >= 1) p.backoff_coefficient = std::min(*n, 100.0);
  if (auto n = number(o, "maximumIntervalMs")) p.maximum_interval = ms(*n);
  if (auto n = number(o, "stepTimeoutMs"); n && *n >= 1) p.step_timeout = ms(*n);
  return p;
}

std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, int retry) {
  const double base = static_cast<double>(policy.initial_interval.count());
  const double delay = base * std::pow(policy.backoff_coefficient, std::max(retry - 1, 0));
  return std::min(ms(delay), policy.maximum_interval);
}

const engine::Plugin* RetryingPlugins::find(std::string_view plugin_id) const {
  const engine::Plugin* inner = inner_.find(plugin_id);
  if (inner == nullptr) return nullptr;
  std::lock_guard lock(mutex_);
  auto& wrapper = wrappers_[inner];
  if (!wrapper) wrapper = std::make_unique<RetryingPlugin>(*inner, defaults_);
  return wrapper.get();
}

}  // namespace kianax::worker
