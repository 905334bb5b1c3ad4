#include "cli/worker_wiring.hpp"

#include <spdlog/spdlog.h>

#include <cstdlib>
#include <stdexcept>
#include <stop_token>
#include <thread>

#include "cli/vault_credential_loader.hpp"
#include "plugins/builtin_plugins.hpp"
#include "worker/worker.hpp"

namespace kianax::cli {
namespace {

int worker_slots() {
  const char* text = std::getenv("KIANAX_WORKER_SLOTS");
  if (text == nullptr || *text == '\0') return 4;
  char* end = nullptr;
  long n = std::strtol(text, &end, 10);
  if (*end != '\0' || n < 1 || n > 256) {
    throw std::runtime_error(std::string("KIANAX_WORKER_SLOTS='") + text + "' is not an integer in [1, 256]");
  }
  return static_cast<int>(n);
}

class ThreadWorker final : public BackgroundWorker {
 public:
  ThreadWorker(worker::WorkerOptions options, vault::Vault vault)
      : plugins_(plugins::make_builtin_registry()),
        credentials_(options.conninfo, std::move(vault)),
        worker_(std::move(options), plugins_, &credentials_) {
    thread_ = std::jthread([this](std::stop_token stop) { worker_.run_until(stop); });
    spdlog::info("worker {}: started", worker_.worker_id());
  }
  ~ThreadWorker() override { stop(); }

  void stop() override {
    if (!thread_.joinable()) return;
    thread_.request_stop();
    thread_.join();
    auto s = worker_.stats();
    spdlog::info("worker {}: stopped (claimed {}, finished {}, released {})", worker_.worker_id(), s.claimed,
                 s.finished, s.released);
  }

 private:
  plugins::Registry plugins_;
  VaultCredentialLoader credentials_;
  worker::Worker worker_;
  std::jthread thread_;  // last: joined before the members it uses are destroyed
};

}  // namespace

std::unique_ptr<BackgroundWorker> start_background_worker(const core::Config& /*config*/,
                                                          const std::string& app_conninfo,
                                                          vault::Vault vault) {
  worker::WorkerOptions options;
  options.conninfo = app_conninfo;
  options.slots = worker_slots();
  return std::make_unique<ThreadWorker>(std::move(options), std::move(vault));
}

}  // namespace kianax::cli
