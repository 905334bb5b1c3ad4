#include "vault/vault.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <cstdlib>
#include <memory>

namespace kianax::vault {

namespace {

constexpr std::string_view kPrefix = "kv1:";
constexpr std::size_t kNonceSize = 12;
constexpr std::size_t kTagSize = 16;

struct CipherCtxDeleter {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter>;

std::string base64_encode(const unsigned char* data, std::size_t size) {
  std::string out(4 * ((size + 2) / 3), '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  if (text.empty() || text.size() % 4 != 0) return std::nullopt;
  std::string out(text.size() / 4 * 3, '\0');
  const int n =
      EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  // EVP_DecodeBlock counts the padding as zero bytes; drop one per '='.
  std::size_t size = static_cast<std::size_t>(n);
  if (text.ends_with("==")) {
    size -= 2;
  } else if (text.ends_with("=")) {
    size -= 1;
  }
  out.resize(size);
  return out;
}

std::string key_id(const std::array<unsigned char, 32>& key) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(key.data(), key.size(), digest);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  for (int i = 0; i < 8; ++i) {
    id.push_back(kHex[digest[i] >> 4]);
    id.push_back(kHex[digest[i] & 0xF]);
  }
  return id;
}

struct Parsed {
  std::string key_id;
  std::string blob;  // nonce || ciphertext || tag
};

std::optional<Parsed> parse(std::string_view envelope) {
  if (!envelope.starts_with(kPrefix)) return std::nullopt;
  envelope.remove_prefix(kPrefix.size());
  const auto colon = envelope.find(':');
  if (colon != 16) return std::nullopt;
  auto blob = base64_decode(envelope.substr(colon + 1));
  if (!blob || blob->size() < kNonceSize + kTagSize) return std::nullopt;
  return Parsed{std::string(envelope.substr(0, colon)), std::move(*blob)};
}

}  // namespace

VaultKey VaultKey::from_base64(std::string_view text) {
  const auto bytes = base64_decode(text);
  if (!bytes || bytes->size() != 32) throw VaultError("vault key must be base64 of exactly 32 bytes");
  VaultKey key;
  std::copy(bytes->begin(), bytes->end(), key.bytes.begin());
  key.id = key_id(key.bytes);
  return key;
}

Vault::Vault(VaultKey current, std::vector<VaultKey> previous)
    : current_(std::move(current)), previous_(std::move(previous)) {}

std::optional<Vault> Vault::from_env() {
  const char* current = std::getenv("KIANAX_ENCRYPTION_KEY");
  if (current == nullptr || *current == '\0') return std::nullopt;
  std::vector<VaultKey> previous;
  if (const char* list = std::getenv("KIANAX_ENCRYPTION_PREVIOUS_KEYS"); list != nullptr) {
    std::string_view rest = list;
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      const auto item = rest.substr(0, comma);
      if (!item.empty()) previous.push_back(VaultKey::from_base64(item));
      rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    }
  }
  return Vault(VaultKey::from_base64(current), std::move(previous));
}

const VaultKey* Vault::find(std::string_view id) const {
  if (id == current_.id) return &current_;
  for (const auto& k : previous_)
    if (k.id == id) return &k;
  return nullptr;
}

std::string Vault::encrypt(std::string_view plaintext, std::string_view associated_data) const {
  std::string blob(kNonceSize + plaintext.size() + kTagSize, '\0');
  auto* out = reinterpret_cast<unsigned char*>(blob.data());
  // A random 96-bit nonce per message: with one key, 2^32 encryptions keep the collision risk below 2^-32.
  if (RAND_bytes(out, kNonceSize) != 1) throw VaultError("vault: no randomness for the nonce");
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, current_.bytes.data(), out) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &len,
                        reinterpret_cast<const unsigned char*>(associated_data.data()),
                        static_cast<int>(associated_data.size())) != 1 ||
      EVP_EncryptUpdate(ctx.get(), out + kNonceSize, &len,
                        reinterpret_cast<const unsigned char*>(plaintext.data()),
                        static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), out + kNonceSize + len, &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagSize, out + kNonceSize + plaintext.size()) !=
          1) {
    throw VaultError("vault: encryption failed");
  }
  return std::string(kPrefix) + current_.id + ":" + base64_encode(out, blob.size());
}

std::string Vault::decrypt(std::string_view envelope, std::string_view associated_data) const {
  auto parsed = parse(envelope);
  if (!parsed) throw VaultError("vault: not an encrypted value");
  const VaultKey* key = find(parsed->key_id);
  if (key == nullptr) throw VaultError("vault: key " + parsed->key_id + " is not configured");
  const auto* in = reinterpret_cast<unsigned char*>(parsed->blob.data());
  const std::size_t size = parsed->blob.size() - kNonceSize - kTagSize;
  std::string plain(size, '\0');
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  std::array<unsigned char, kTagSize> tag{};
  std::copy(in + kNonceSize + size, in + kNonceSize + size + kTagSize, tag.begin());
  const bool ok =
      ctx && EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key->bytes.data(), in) == 1 &&
      EVP_DecryptUpdate(ctx.get(), nullptr, &len,
                        reinterpret_cast<const unsigned char*>(associated_data.data()),
                        static_cast<int>(associated_data.size())) == 1 &&
      EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()), &len, in + kNonceSize,
                        static_cast<int>(size)) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagSize, tag.data()) == 1 &&
      EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()) + len, &len) == 1;
  if (!ok) {
    // Wipe what was written before the tag check failed: unauthenticated plaintext must not linger.
    OPENSSL_cleanse(plain.data(), plain.size());
    throw VaultError("vault: authentication failed");
  }
  return plain;
}

std::array<unsigned char, 32> Vault::derive_key(std::string_view purpose) const {
  std::array<unsigned char, 32> out{};
  unsigned int size = 0;
  HMAC(EVP_sha256(), current_.bytes.data(), static_cast<int>(current_.bytes.size()),
       reinterpret_cast<const unsigned char*>(purpose.data()), purpose.size(), out.data(), &size);
  return out;
}

bool Vault::is_current(std::string_view envelope) const {
  const auto parsed = parse(envelope);
  return parsed && parsed->key_id == current_.id;
}

}  // namespace kianax::vault
