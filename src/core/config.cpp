#include "core/config.hpp"

#include <charconv>
#include <cstdlib>
#include <string_view>

namespace kianax::core {
namespace {

std::optional<std::string> env(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return std::nullopt;
  return std::string(v);
}

long long env_int(const char* name, long long fallback, long long min, long long max) {
  auto v = env(name);
  if (!v) return fallback;
  long long out = 0;
  auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc{} || ptr != v->data() + v->size() || out < min || out > max) {
    throw ConfigError(std::string(name) + "='" + *v + "' is not an integer in [" + std::to_string(min) +
                      ", " + std::to_string(max) + "]");
  }
  return out;
}

}  // namespace

Config load_config() {
  Config c;
  c.database_url = env("DATABASE_URL");
  c.direct_url = env("DIRECT_URL");
  if (auto h = env("HOST")) c.host = *h;
  c.port = static_cast<std::uint16_t>(env_int("PORT", 3000, 0, 65535));
  if (auto d = env("KIANAX_DATA_DIR")) c.data_dir = *d;
  c.pool.max_connections = static_cast<int>(env_int("KIANAX_DB_POOL_MAX", 20, 1, 10'000));
  c.pool.idle_timeout =
      std::chrono::milliseconds(env_int("KIANAX_DB_IDLE_TIMEOUT_MS", 30'000, 0, 86'400'000));
  c.pool.connect_timeout =
      std::chrono::milliseconds(env_int("KIANAX_DB_CONNECT_TIMEOUT_MS", 2'000, 1, 600'000));
  c.io_threads = static_cast<int>(env_int("KIANAX_IO_THREADS", 0, 0, 1024));
  return c;
}

}  // namespace kianax::core
