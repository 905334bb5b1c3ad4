#pragma once
// Small cryptographic and encoding helpers for the auth module (OpenSSL 3 underneath). Everything here is
// pure and thread-safe; nothing logs its inputs.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace kianax::auth {

// Cryptographically secure random bytes (RAND_bytes). Throws std::runtime_error if the CSPRNG fails.
[[nodiscard]] std::string random_bytes(std::size_t n);
// `n` characters from [a-zA-Z0-9], uniformly (rejection sampling): Better Auth's default generateId and
// session token alphabet (wire-protocols §2.2).
[[nodiscard]] std::string random_alphanumeric(std::size_t n);

[[nodiscard]] std::string hmac_sha256(std::string_view key, std::string_view message);  // raw 32 bytes
[[nodiscard]] std::string sha256(std::string_view data);                                // raw 32 bytes
[[nodiscard]] std::string base64(std::string_view bytes);                               // standard, padded
[[nodiscard]] std::string base64url_nopad(std::string_view bytes);
[[nodiscard]] std::string hex(std::string_view bytes);  // lower case

// Compares in time that depends only on the lengths, never on where the first difference is.
[[nodiscard]] bool constant_time_equal(std::string_view a, std::string_view b);

// JavaScript's encodeURIComponent / decodeURIComponent (UTF-8). Decoding fails (nullopt) on a malformed
// escape, as JS throws.
[[nodiscard]] std::string uri_encode_component(std::string_view text);
[[nodiscard]] std::optional<std::string> uri_decode_component(std::string_view text);

}  // namespace kianax::auth
