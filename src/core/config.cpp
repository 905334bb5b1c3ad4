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
  c.auth.secret = env("BETTER_AUTH_SECRET");
  if (!c.auth.secret) c.auth.secret = env("AUTH_SECRET");
  c.auth.base_url = env("BETTER_AUTH_URL");
  if (auto origins = env("KIANAX_TRUSTED_ORIGINS")) {
    std::string_view rest = *origins;
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      std::string_view item = rest.substr(0, comma);
      while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
      while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
      if (!item.empty()) c.auth.trusted_origins.emplace_back(item);
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
  }
  c.auth.sign_in_rate_limit_max = static_cast<int>(env_int("KIANAX_AUTH_RATE_LIMIT_MAX", 3, 0, 1'000'000));
  c.auth.trust_forwarded_for = env("KIANAX_TRUST_PROXY") == "1";
  c.auth.google_client_id = env("GOOGLE_CLIENT_ID");
  c.auth.google_client_secret = env("GOOGLE_CLIENT_SECRET");
  c.auth.google_auth_url = env("KIANAX_GOOGLE_AUTH_URL");
  c.auth.google_token_url = env("KIANAX_GOOGLE_TOKEN_URL");
  c.auth.google_userinfo_url = env("KIANAX_GOOGLE_USERINFO_URL");
  return c;
}

}  // namespace kianax::core
