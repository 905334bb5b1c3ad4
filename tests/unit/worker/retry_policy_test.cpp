#include "worker/retry_policy.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/json/parse.hpp>
#include <stdexcept>
#include <thread>

namespace kianax::worker {
namespace {
using namespace std::chrono_literals;
namespace json = boost::json;

TEST(RetryPolicy, defaults_are_the_temporal_activity_options) {
  const RetryPolicy p;
  EXPECT_EQ(p.initial_interval, 1s);
  EXPECT_EQ(p.backoff_coefficient, 2.0);
  EXPECT_EQ(p.maximum_interval, 60s);
  EXPECT_EQ(p.maximum_attempts, 3);
  EXPECT_EQ(p.step_timeout, 5min);
}

TEST(RetryPolicy, backoff_doubles_up_to_the_maximum) {
  const RetryPolicy p;
  EXPECT_EQ(backoff_delay(p, 1), 1s);
  EXPECT_EQ(backoff_delay(p, 2), 2s);
  EXPECT_EQ(backoff_delay(p, 3), 4s);
  EXPECT_EQ(backoff_delay(p, 7), 60s);
  EXPECT_EQ(backoff_delay(p, 1000), 60s);
}

TEST(RetryPolicy, a_node_overrides_valid_fields_only) {
  const RetryPolicy p = policy_for(
      RetryPolicy{}, json::parse(R"({"url":"x","retryPolicy":{"maximumAttempts":5,"initialIntervalMs":10,
        "backoffCoefficient":3,"maximumIntervalMs":50,"stepTimeoutMs":2000}})")
                         .as_object());
  EXPECT_EQ(p.maximum_attempts, 5);
  EXPECT_EQ(p.initial_interval, 10ms);
  EXPECT_EQ(p.backoff_coefficient, 3.0);
  EXPECT_EQ(p.maximum_interval, 50ms);
  EXPECT_EQ(p.step_timeout, 2s);
  const RetryPolicy bad = policy_for(
      RetryPolicy{},
      json::parse(R"({"retryPolicy":{"maximumAttempts":0,"initialIntervalMs":-1,"backoffCoefficient":"x"}})")
          .as_object());
  EXPECT_EQ(bad.maximum_attempts, 3);
  EXPECT_EQ(bad.initial_interval, 1s);
  EXPECT_EQ(bad.backoff_coefficient, 2.0);
}

// Fails its first `failures` calls; records the config it saw.
class Flaky : public engine::Plugin {
 public:
  explicit Flaky(int failures) : failures_(failures) { metadata_.id = "flaky"; }
  const engine::PluginMetadata& metadata() const override { return metadata_; }
  engine::PluginOutputs execute(const json::object&, const json::object& config,
                                engine::PluginContext&) const override {
    last_config = config;
    if (++calls <= failures_) throw engine::PluginError("boom " + std::to_string(calls.load()));
    return {{"output", json::value("ok")}};
  }
  mutable std::atomic<int> calls{0};
  mutable json::object last_config;

 private:
  engine::PluginMetadata metadata_;
  int failures_;
};

class One : public engine::PluginProvider {
 public:
  explicit One(const engine::Plugin& p) : p_(p) {}
  const engine::Plugin* find(std::string_view id) const override { return id == "flaky" ? &p_ : nullptr; }

 private:
  const engine::Plugin& p_;
};

RetryPolicy fast() {
  RetryPolicy p;
  p.initial_interval = 1ms;
  p.maximum_interval = 2ms;
  return p;
}

TEST(RetryingPlugins, retries_until_success_within_the_attempts) {
  Flaky flaky(2);
  One inner(flaky);
  RetryingPlugins plugins(inner, fast());
  engine::PluginContext ctx;
  auto out = plugins.find("flaky")->execute({}, json::parse(R"({"a":1,"retryPolicy":{}})").as_object(), ctx);
  EXPECT_EQ(flaky.calls, 3);
  ASSERT_EQ(out.size(), 1U);
  EXPECT_EQ(flaky.last_config, json::parse(R"({"a":1})"));  // the policy is not the plugin's business
  EXPECT_EQ(plugins.find("missing"), nullptr);
  EXPECT_EQ(plugins.find("flaky"), plugins.find("flaky"));
}

TEST(RetryingPlugins, gives_up_after_maximum_attempts_with_the_last_error) {
  Flaky flaky(10);
  One inner(flaky);
  RetryingPlugins plugins(inner, fast());
  engine::PluginContext ctx;
  try {
    (void)plugins.find("flaky")->execute({}, {}, ctx);
    FAIL() << "no exception";
  } catch (const engine::PluginError& e) {
    EXPECT_STREQ(e.what(), "boom 3");
  }
  EXPECT_EQ(flaky.calls, 3);
}

TEST(RetryingPlugins, a_node_may_turn_retries_off) {
  Flaky flaky(10);
  One inner(flaky);
  RetryingPlugins plugins(inner, fast());
  engine::PluginContext ctx;
  EXPECT_THROW((void)plugins.find("flaky")->execute(
                   {}, json::parse(R"({"retryPolicy":{"maximumAttempts":1}})").as_object(), ctx),
               engine::PluginError);
  EXPECT_EQ(flaky.calls, 1);
}

TEST(RetryingPlugins, a_stopped_run_is_not_retried) {
  Flaky flaky(10);
  One inner(flaky);
  RetryPolicy slow;  // 1 s backoff: the stop must cut it short
  RetryingPlugins plugins(inner, slow);
  std::stop_source stop;
  engine::PluginContext ctx;
  ctx.stop = stop.get_token();
  std::jthread stopper([&] {
    while (flaky.calls == 0) std::this_thread::yield();
    stop.request_stop();
  });
  EXPECT_THROW((void)plugins.find("flaky")->execute({}, {}, ctx), engine::PluginError);
  EXPECT_EQ(flaky.calls, 1);
}

TEST(RetryingPlugins, the_step_timeout_becomes_the_call_deadline) {
  class Deadline : public engine::Plugin {
   public:
    const engine::PluginMetadata& metadata() const override { return m; }
    engine::PluginOutputs execute(const json::object&, const json::object&,
                                  engine::PluginContext& c) const override {
      seen = c.deadline;
      return {};
    }
    engine::PluginMetadata m;
    mutable std::chrono::steady_clock::time_point seen;
  } plugin;
  class P : public engine::PluginProvider {
   public:
    explicit P(const engine::Plugin& p) : p_(p) {}
    const engine::Plugin* find(std::string_view) const override { return &p_; }
    const engine::Plugin& p_;
  } inner(plugin);
  RetryingPlugins plugins(inner, RetryPolicy{});
  engine::PluginContext ctx;  // no run deadline
  const auto before = std::chrono::steady_clock::now();
  (void)plugins.find("x")->execute({}, {}, ctx);
  EXPECT_GE(plugin.seen, before + 5min);
  EXPECT_LE(plugin.seen, std::chrono::steady_clock::now() + 5min);
  EXPECT_EQ(ctx.deadline, std::chrono::steady_clock::time_point::max());  // restored
}

}  // namespace
}  // namespace kianax::worker
