#include "vault/vault.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

namespace kianax::vault {
namespace {

// base64 of 32 bytes 0x01..0x20 and of 32 bytes 0xAA.
constexpr const char* kKeyA = "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=";
constexpr const char* kKeyB = "qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqo=";

TEST(Vault, round_trips_and_hides_the_plaintext) {
  const Vault v(VaultKey::from_base64(kKeyA));
  const std::string secret = R"({"apiKey":"sk-SECRET"})";
  const auto sealed = v.encrypt(secret, "user-1");
  EXPECT_EQ(sealed.rfind("kv1:" + v.current_key_id() + ":", 0), 0u);
  EXPECT_EQ(sealed.find("SECRET"), std::string::npos);
  EXPECT_EQ(v.decrypt(sealed, "user-1"), secret);
}

TEST(Vault, same_plaintext_seals_differently_each_time) {
  const Vault v(VaultKey::from_base64(kKeyA));
  EXPECT_NE(v.encrypt("x", "u"), v.encrypt("x", "u"));
}

TEST(Vault, empty_plaintext_round_trips) {
  const Vault v(VaultKey::from_base64(kKeyA));
  EXPECT_EQ(v.decrypt(v.encrypt("", "u"), "u"), "");
}

TEST(Vault, other_associated_data_does_not_open) {
  const Vault v(VaultKey::from_base64(kKeyA));
  const auto sealed = v.encrypt("secret", "user-1");
  EXPECT_THROW((void)v.decrypt(sealed, "user-2"), VaultError);
}

TEST(Vault, tampered_ciphertext_does_not_open) {
  const Vault v(VaultKey::from_base64(kKeyA));
  auto sealed = v.encrypt("secret value", "u");
  char& c = sealed[sealed.size() - 6];
  c = c == 'A' ? 'B' : 'A';
  EXPECT_THROW((void)v.decrypt(sealed, "u"), VaultError);
}

TEST(Vault, malformed_envelopes_are_refused) {
  const Vault v(VaultKey::from_base64(kKeyA));
  EXPECT_THROW((void)v.decrypt("{\"apiKey\":\"plain\"}", "u"), VaultError);
  EXPECT_THROW((void)v.decrypt("kv1:0123456789abcdef:!!!!", "u"), VaultError);
  EXPECT_THROW((void)v.decrypt("kv1:short:AAAA", "u"), VaultError);
}

TEST(Vault, rotation_opens_old_values_with_a_previous_key_and_reports_them_stale) {
  const Vault old_vault(VaultKey::from_base64(kKeyA));
  const auto sealed = old_vault.encrypt("secret", "u");
  const Vault rotated(VaultKey::from_base64(kKeyB), {VaultKey::from_base64(kKeyA)});
  EXPECT_NE(rotated.current_key_id(), old_vault.current_key_id());
  EXPECT_EQ(rotated.decrypt(sealed, "u"), "secret");
  EXPECT_FALSE(rotated.is_current(sealed));
  const auto resealed = rotated.encrypt(rotated.decrypt(sealed, "u"), "u");
  EXPECT_TRUE(rotated.is_current(resealed));
  const Vault without_old(VaultKey::from_base64(kKeyB));
  try {
    (void)without_old.decrypt(sealed, "u");
    FAIL() << "decrypted with an unconfigured key";
  } catch (const VaultError& e) {
    EXPECT_NE(std::string(e.what()).find(old_vault.current_key_id()), std::string::npos);
  }
}

TEST(Vault, keys_must_be_base64_of_32_bytes_and_errors_do_not_echo_them) {
  try {
    (void)VaultKey::from_base64("c2hvcnQta2V5LXNlY3JldA==");
    FAIL() << "accepted a 16-byte key";
  } catch (const VaultError& e) {
    EXPECT_EQ(std::string(e.what()).find("c2hvcnQta2V5LXNlY3JldA"), std::string::npos);
  }
  EXPECT_THROW((void)VaultKey::from_base64("not base64 at all"), VaultError);
}

TEST(Vault, from_env_reads_current_and_previous_keys) {
  ::unsetenv("KIANAX_ENCRYPTION_KEY");
  EXPECT_FALSE(Vault::from_env().has_value());
  ::setenv("KIANAX_ENCRYPTION_KEY", kKeyB, 1);
  ::setenv("KIANAX_ENCRYPTION_PREVIOUS_KEYS", kKeyA, 1);
  const auto v = Vault::from_env();
  ASSERT_TRUE(v.has_value());
  const auto old_sealed = Vault(VaultKey::from_base64(kKeyA)).encrypt("s", "u");
  EXPECT_EQ(v->decrypt(old_sealed, "u"), "s");
  ::unsetenv("KIANAX_ENCRYPTION_KEY");
  ::unsetenv("KIANAX_ENCRYPTION_PREVIOUS_KEYS");
}

}  // namespace
}  // namespace kianax::vault
