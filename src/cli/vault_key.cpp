#include "cli/vault_key.hpp"

#include <openssl/evp.h>

#include <stdexcept>

#include "auth/secret_file.hpp"

namespace kianax::cli {
namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The secret file holds 64 hex characters (32 random bytes); the vault takes base64 of those bytes.
vault::VaultKey key_from_hex(const std::string& hex, const std::string& path) {
  if (hex.size() != 64) throw std::runtime_error(path + " does not hold a 32-byte hex key");
  unsigned char bytes[32];
  for (int i = 0; i < 32; ++i) {
    int hi = hex_digit(hex[2 * i]), lo = hex_digit(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) throw std::runtime_error(path + " does not hold a 32-byte hex key");
    bytes[i] = static_cast<unsigned char>(hi * 16 + lo);
  }
  unsigned char b64[64];
  int n = EVP_EncodeBlock(b64, bytes, sizeof bytes);
  return vault::VaultKey::from_base64(std::string_view(reinterpret_cast<const char*>(b64), n));
}

}  // namespace

vault::Vault resolve_vault(const std::string& data_dir, bool embedded) {
  try {
    if (auto from_env = vault::Vault::from_env()) return std::move(*from_env);
  } catch (const vault::VaultError& e) {
    throw std::runtime_error(std::string("KIANAX_ENCRYPTION_KEY: ") + e.what());
  }
  if (!embedded) {
    throw std::runtime_error(
        "KIANAX_ENCRYPTION_KEY is not set: `kianax serve` and `kianax worker` need the key that encrypts "
        "credentials (base64 of 32 random bytes, e.g. `openssl rand -base64 32`; the same for every "
        "process)");
  }
  const std::string path = data_dir + "/vault-key";
  return vault::Vault(key_from_hex(auth::load_or_create_secret(path), path));
}

}  // namespace kianax::cli
