#pragma once
// Process configuration, read once from the environment (names follow the seed plan §10.3 where it names
// them). Invariant: a Config that load_config() returned has been validated; callers never re-check ranges.
#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace kianax::core {

struct PoolSettings {
  int max_connections = 20;                          // seed §4.2: max 20
  std::chrono::milliseconds idle_timeout{30'000};    // seed §4.2: idleTimeoutMillis 30000
  std::chrono::milliseconds connect_timeout{2'000};  // seed §4.2: connectionTimeoutMillis 2000
};

// Better Auth-compatible authentication (src/auth). Names follow Better Auth's where it has one.
struct AuthSettings {
  std::optional<std::string> secret;         // BETTER_AUTH_SECRET (AUTH_SECRET as Better Auth's fallback)
  std::optional<std::string> base_url;       // BETTER_AUTH_URL; default http://localhost:PORT
  std::vector<std::string> trusted_origins;  // KIANAX_TRUSTED_ORIGINS, comma-separated
  int sign_in_rate_limit_max = 3;            // KIANAX_AUTH_RATE_LIMIT_MAX per 10 s on sign-in/up; 0 = off
  bool trust_forwarded_for = false;          // KIANAX_TRUST_PROXY=1: client IP from X-Forwarded-For
  // Sign in with Google: enabled when both are set. The endpoints default to Google's (src/auth/google.hpp).
  std::optional<std::string> google_client_id;      // GOOGLE_CLIENT_ID
  std::optional<std::string> google_client_secret;  // GOOGLE_CLIENT_SECRET
  std::optional<std::string> google_auth_url;       // KIANAX_GOOGLE_AUTH_URL
  std::optional<std::string> google_token_url;      // KIANAX_GOOGLE_TOKEN_URL
  std::optional<std::string> google_userinfo_url;   // KIANAX_GOOGLE_USERINFO_URL
};

struct Config {
  std::optional<std::string>
      database_url;  // DATABASE_URL: the app role's connection; absent = embedded cluster
  std::optional<std::string> direct_url;  // DIRECT_URL: the owner's connection for migrations
  std::string host = "127.0.0.1";         // HOST
  std::uint16_t port = 3000;              // PORT
  std::string data_dir = "./.kianax";     // KIANAX_DATA_DIR
  PoolSettings pool;
  int io_threads = 0;  // KIANAX_IO_THREADS, 0 = one per core
  AuthSettings auth;

  // The connection migrations use: DIRECT_URL, falling back to DATABASE_URL.
  [[nodiscard]] std::optional<std::string> migration_url() const {
    return direct_url ? direct_url : database_url;
  }
};

// Thrown for a malformed setting; the message names the variable and the accepted form.
struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// REQUIRES: nothing. Throws ConfigError on a malformed variable.
[[nodiscard]] Config load_config();

}  // namespace kianax::core
