#pragma once
// engine::CredentialLoader over the vault for worker threads. The vault's loader is a coroutine over a
// db::Pool; worker slots are plain threads, so this adapter owns a small io_context (one thread) with its
// own pool and blocks the calling slot until the load completes. A token refresh (a blocking HTTP call)
// therefore never runs on the API server's I/O threads.
#include <memory>
#include <string>

#include "engine/credentials.hpp"
#include "vault/vault.hpp"

namespace kianax::cli {

class VaultCredentialLoader final : public engine::CredentialLoader {
 public:
  // `vault` absent: every load fails with a clear "no vault key configured" message.
  VaultCredentialLoader(const std::string& app_conninfo, std::optional<vault::Vault> vault);
  ~VaultCredentialLoader() override;

  boost::json::value load(const std::string& user_id, const std::string& credential_id,
                          const engine::CredentialRequirement& requirement) override;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace kianax::cli
