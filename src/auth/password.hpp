#pragma once
// Better Auth's password hash, byte for byte (wire-protocols §2.4):
//   "<salt>:<key>", salt = 16 random bytes as 32 lower-case hex characters — and the scrypt salt is that hex
//   *string*, not the raw bytes — key = scrypt(NFKC(password), salt, N=16384, r=16, p=1, dkLen=64) as hex.
// A hash written by Better Auth verifies here and ours verifies there, so migrated users keep passwords.
//
// scrypt with these parameters costs ~50 ms of CPU and 32 MiB of memory, so the async entry points run it
// on a small dedicated pool (PasswordHasher), never on the I/O threads, and refuse work when its queue is
// full instead of letting sign-in load stall every other request.
#include <boost/asio/awaitable.hpp>

#include <atomic>
#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace kianax::auth {

// Unicode NFKC of UTF-8 text (ICU when built with it; see README for the fallback).
[[nodiscard]] std::string nfkc(std::string_view utf8);

// Blocking: call from PasswordHasher (or tests). hash_password_with_salt is the deterministic core, exposed
// so tests can check known vectors; `salt_hex` is used as given (its ASCII bytes are the scrypt salt).
[[nodiscard]] std::string hash_password_with_salt(std::string_view password, std::string_view salt_hex);
[[nodiscard]] std::string hash_password(std::string_view password);
// False for a wrong password and for a malformed stored hash; compares in constant time.
[[nodiscard]] bool verify_password(std::string_view password, std::string_view stored_hash);

// Thrown by PasswordHasher when its queue is full: the caller answers 429 rather than waiting.
struct HasherBusy : std::runtime_error {
  HasherBusy() : std::runtime_error("password hasher queue is full") {}
};

class PasswordHasher {
 public:
  // `threads` workers; at most `max_pending` jobs queued or running at once.
  PasswordHasher(std::size_t threads, std::size_t max_pending);
  ~PasswordHasher();  // waits for running jobs
  PasswordHasher(const PasswordHasher&) = delete;
  PasswordHasher& operator=(const PasswordHasher&) = delete;

  // Resume on the caller's executor. Throw HasherBusy when the queue is full.
  boost::asio::awaitable<std::string> hash(std::string password);
  boost::asio::awaitable<bool> verify(std::string password, std::string stored_hash);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kianax::auth
