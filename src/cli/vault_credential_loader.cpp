#include "cli/vault_credential_loader.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <stdexcept>
#include <thread>

#include "db/pool.hpp"
#include "vault/credential_loader.hpp"

namespace kianax::cli {

struct VaultCredentialLoader::State {
  boost::asio::io_context io{1};
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work{io.get_executor()};
  db::Pool pool;
  std::optional<vault::Vault> vault;
  std::thread thread;

  State(const std::string& conninfo, std::optional<vault::Vault> v)
      : pool(io, db::PoolOptions{.conninfo = conninfo, .max_connections = 4}), vault(std::move(v)) {
    thread = std::thread([this] { io.run(); });
  }
  ~State() {
    work.reset();
    io.stop();
    thread.join();
  }
};

VaultCredentialLoader::VaultCredentialLoader(const std::string& app_conninfo,
                                             std::optional<vault::Vault> vault)
    : state_(std::make_unique<State>(app_conninfo, std::move(vault))) {}

VaultCredentialLoader::~VaultCredentialLoader() = default;

boost::json::value VaultCredentialLoader::load(const std::string& user_id, const std::string& credential_id,
                                               const engine::CredentialRequirement&) {
  if (!state_->vault) {
    throw std::runtime_error("no vault key configured (set KIANAX_ENCRYPTION_KEY) to decrypt credentials");
  }
  auto future = boost::asio::co_spawn(
      state_->io,
      [s = state_.get(), user_id, credential_id]() -> boost::asio::awaitable<boost::json::object> {
        co_return co_await vault::load_credential_data(s->pool, *s->vault, user_id, credential_id);
      },
      boost::asio::use_future);
  return future.get();  // rethrows CredentialLoadError; the engine wraps its message
}

}  // namespace kianax::cli
