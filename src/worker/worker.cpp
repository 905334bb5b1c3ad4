#include "worker/worker.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <optional>
#include <random>
#include <thread>

#include "worker/queue_listener.hpp"
#include "worker/user_tx.hpp"

namespace kianax::worker {
namespace {

std::string random_hex(int bytes) {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr std::array<char, 16> kHex{'0', '1', '2', '3', '4', '5', '6', '7',
                                             '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
  std::string out;
  for (int i = 0; i < bytes; ++i) {
    const auto b = static_cast<unsigned>(rng() & 0xffU);
    out += kHex[b >> 4U];
    out += kHex[b & 0xfU];
  }
  return out;
}

std::string default_worker_id() {
  std::array<char, 256> host{};
  if (::gethostname(host.data(), host.size() - 1) != 0) host[0] = '\0';
  return std::string(host.data()) + "-" + std::to_string(::getpid()) + "-" + random_hex(4);
}

}  // namespace

Worker::Worker(WorkerOptions options, const engine::PluginProvider& plugins,
               engine::CredentialLoader* credentials)
    : options_(std::move(options)), plugins_(plugins, options_.retry), executor_(plugins_, credentials) {
  if (options_.worker_id.empty()) options_.worker_id = default_worker_id();
  options_.slots = std::max(options_.slots, 1);
}

Worker::~Worker() = default;

WorkerStats Worker::stats() const {
  return {claimed_.load(),    finished_.load(), released_.load(),
          lease_lost_.load(), deferred_.load(), errors_.load()};
}

std::string Worker::new_lease_token() {
  // Unique per claim, not per worker: a worker that lost a lease and claims the same run again must not
  // pass the fence with its stale run.
  return options_.worker_id + "/" + std::to_string(++token_counter_) + "-" + random_hex(4);
}

void Worker::wake_all() {
  {
    std::lock_guard lock(mutex_);
    ++wake_seq_;
  }
  work_cv_.notify_all();
}

void Worker::wait_for_work(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  const std::uint64_t seen = wake_seq_;
  work_cv_.wait_for(lock, timeout, [&] { return wake_seq_ != seen || !claiming_; });
}

std::vector<std::shared_ptr<ActiveRun>> Worker::active_snapshot() {
  std::lock_guard lock(mutex_);
  return active_;
}

void Worker::remove_active(const ActiveRun* run) {
  {
    std::lock_guard lock(mutex_);
    std::erase_if(active_, [run](const auto& a) { return a.get() == run; });
  }
  idle_cv_.notify_all();
}

void Worker::slot_loop() {
  std::optional<db::SyncConnection> conn;
  std::chrono::milliseconds backoff = options_.poll_min;
  while (claiming_) {
    std::shared_ptr<ActiveRun> run;
    try {
      if (!conn) conn.emplace(open_worker_connection(options_.conninfo));
      std::optional<Claim> claim = queue::claim(*conn, new_lease_token(), options_.run.lease);
      if (!claim) {
        wait_for_work(backoff);
        backoff = std::min(backoff * 2, options_.poll_max);
        continue;
      }
      backoff = options_.poll_min;
      ++claimed_;
      run = std::make_shared<ActiveRun>(std::move(*claim));
      bool shutting_down = false;
      {
        // Checked under the lock run_until takes to stop the active runs: a claim that raced with the
        // shutdown is either in active_ before that loop (and gets stopped) or sees claiming_ false here.
        std::lock_guard lock(mutex_);
        shutting_down = !claiming_;
        if (!shutting_down) active_.push_back(run);
      }
      if (shutting_down) {  // never started: give it straight back (not counted as a release)
        (void)queue::release(*conn, run->claim);
        break;
      }
      switch (run_claimed(*conn, *run, executor_, options_.run)) {
        case RunOutcome::kFinished:
          ++finished_;
          break;
        case RunOutcome::kReleased:
          ++released_;
          break;
        case RunOutcome::kDeferred:
          ++deferred_;
          break;
        case RunOutcome::kLeaseLost:
          ++lease_lost_;
          spdlog::warn("worker {}: lost the lease of execution {}", options_.worker_id,
                       run->claim.execution_id);
          break;
      }
    } catch (const std::exception& e) {
      // The connection may be broken: drop it. A run in progress keeps its lease until it expires, then
      // another worker (or this one) resumes it from its last checkpoint.
      ++errors_;
      spdlog::error("worker {}: {}", options_.worker_id, e.what());
      conn.reset();
      wait_for_work(backoff);
      backoff = std::min(backoff * 2, options_.poll_max);
    }
    if (run) remove_active(run.get());
  }
}

void Worker::heartbeat_loop(const std::stop_token& stop) {
  std::optional<db::SyncConnection> conn;
  while (!stop.stop_requested()) {
    {
      std::unique_lock lock(mutex_);
      heartbeat_cv_.wait_for(lock, stop, options_.heartbeat_interval, [this] { return heartbeat_now_; });
      heartbeat_now_ = false;
    }
    if (stop.stop_requested()) break;
    for (const auto& run : active_snapshot()) {
      try {
        if (!conn) conn.emplace(open_worker_connection(options_.conninfo));
        run->on_lease_state(queue::heartbeat(*conn, run->claim, options_.run.lease));
      } catch (const std::exception& e) {
        spdlog::warn("worker {}: heartbeat: {}", options_.worker_id, e.what());
        conn.reset();
        break;
      }
    }
  }
}

void Worker::heartbeat_soon(const std::vector<std::string>& execution_ids) {
  bool ours = false;
  {
    std::lock_guard lock(mutex_);
    for (const auto& run : active_) {
      ours = ours || std::find(execution_ids.begin(), execution_ids.end(), run->claim.execution_id) !=
                         execution_ids.end();
    }
    heartbeat_now_ = heartbeat_now_ || ours;
  }
  if (ours) heartbeat_cv_.notify_all();
}

void Worker::listen_loop(const std::stop_token& stop) {
  QueueListener listener(options_.conninfo);
  while (!stop.stop_requested()) {
    QueueListener::Hints hints = listener.wait(std::chrono::milliseconds(250));
    if (hints.work) wake_all();
    if (!hints.cancelled.empty()) heartbeat_soon(hints.cancelled);
  }
}

void Worker::run_until(std::stop_token stop) {
  claiming_ = true;
  std::jthread heartbeat([this](std::stop_token s) { heartbeat_loop(s); });
  std::jthread listener;
  if (options_.listen) listener = std::jthread([this](std::stop_token s) { listen_loop(s); });
  std::vector<std::thread> slots;
  slots.reserve(static_cast<size_t>(options_.slots));
  for (int i = 0; i < options_.slots; ++i) slots.emplace_back([this] { slot_loop(); });
  spdlog::info("worker {}: {} slots", options_.worker_id, options_.slots);

  {
    std::mutex m;
    std::condition_variable_any cv;
    std::unique_lock lock(m);
    cv.wait(lock, stop, [] { return false; });
  }

  // Graceful stop: no new claims; running executions get drain_timeout to finish, then are released.
  claiming_ = false;
  wake_all();
  {
    std::unique_lock lock(mutex_);
    idle_cv_.wait_for(lock, options_.drain_timeout, [this] { return active_.empty(); });
    for (const auto& run : active_) {
      run->release_requested = true;
      run->stop.request_stop();
    }
  }
  for (auto& t : slots) t.join();
  spdlog::info("worker {}: stopped", options_.worker_id);
}

}  // namespace kianax::worker
