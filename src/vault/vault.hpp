#pragma once
// Credential secrets at rest: AES-256-GCM with a random 12-byte nonce per encryption, the key id stored
// with the ciphertext so that keys can be rotated (old keys stay configured for decryption only).
//
// Envelope (one text value, fits user_credentials.data with no schema change):
//   "kv1:" <key id: 16 hex> ":" base64(nonce[12] || ciphertext || tag[16])
// The key id is derived from the key (first 8 bytes of SHA-256), so it cannot be misconfigured.
// The associated data binds a ciphertext to its owner (the user id): a row copied into another user's
// account does not decrypt.
//
// Invariants: plaintext and keys never appear in exceptions or logs; a failed decryption says only why
// (unknown key id, not an envelope, authentication failed).
#include <array>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace kianax::vault {

class VaultError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct VaultKey {
  std::string id;  // 16 hex characters
  std::array<unsigned char, 32> bytes{};

  // From standard base64 of exactly 32 bytes. Throws VaultError (without echoing the text).
  static VaultKey from_base64(std::string_view text);
};

class Vault {
 public:
  explicit Vault(VaultKey current, std::vector<VaultKey> previous = {});

  // KIANAX_ENCRYPTION_KEY (base64, 32 bytes) encrypts; KIANAX_ENCRYPTION_PREVIOUS_KEYS (comma-separated, same
  // form) only decrypt. nullopt when KIANAX_ENCRYPTION_KEY is unset; VaultError when a value is malformed.
  static std::optional<Vault> from_env();

  [[nodiscard]] std::string encrypt(std::string_view plaintext, std::string_view associated_data) const;
  // Throws VaultError when the envelope is malformed, its key is not configured, or it fails to
  // authenticate (tampered, or bound to other associated data).
  [[nodiscard]] std::string decrypt(std::string_view envelope, std::string_view associated_data) const;
  // True when `envelope` was sealed with the current key (rotation skips those).
  [[nodiscard]] bool is_current(std::string_view envelope) const;
  [[nodiscard]] const std::string& current_key_id() const { return current_.id; }
  // A 32-byte key for another purpose (e.g. signing OAuth state), HMAC-SHA256(current key, purpose): one
  // secret to configure, and a derived key reveals nothing about the sealing key.
  [[nodiscard]] std::array<unsigned char, 32> derive_key(std::string_view purpose) const;

 private:
  [[nodiscard]] const VaultKey* find(std::string_view id) const;
  VaultKey current_;
  std::vector<VaultKey> previous_;
};

}  // namespace kianax::vault
