#pragma once
// The execution worker as this binary runs it: `kianax worker` (foreground) and the all-in-one (a background
// worker beside the API server). Kept apart from serve_command.cpp so that file stays free of worker and
// vault headers.
#include <memory>
#include <string>

#include "core/config.hpp"
#include "vault/vault.hpp"

namespace kianax::cli {

class BackgroundWorker {
 public:
  virtual ~BackgroundWorker() = default;
  // Graceful: stop claiming, let running executions finish (bounded), release the rest. Idempotent.
  virtual void stop() = 0;
};

// Starts a worker on its own threads against `app_conninfo` (the RLS-bound application role), decrypting
// credentials with `vault` (cli/vault_key.hpp). Throws std::runtime_error with one line for a malformed
// KIANAX_WORKER_SLOTS.
[[nodiscard]] std::unique_ptr<BackgroundWorker> start_background_worker(const core::Config& config,
                                                                        const std::string& app_conninfo,
                                                                        vault::Vault vault);

}  // namespace kianax::cli
