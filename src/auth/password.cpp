#include "auth/password.hpp"

#include <openssl/evp.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

#include "auth/crypto.hpp"

#ifdef KIANAX_AUTH_HAVE_ICU
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>
#endif

namespace kianax::auth {
namespace {

constexpr std::uint64_t kN = 16384;
constexpr std::uint64_t kR = 16;
constexpr std::uint64_t kP = 1;
constexpr std::size_t kKeyLength = 64;
// 128 * N * r * p = 32 MiB is what scrypt needs; OpenSSL's default cap is exactly that and refuses, so allow
// 64 MiB as Better Auth does for node's crypto.scrypt.
constexpr std::uint64_t kMaxMem = 64ull * 1024 * 1024;

bool is_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

bool is_lower_hex(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

std::string nfkc(std::string_view utf8) {
  // ASCII is NFKC already: the common case needs no Unicode tables.
  if (is_ascii(utf8)) return std::string(utf8);
#ifdef KIANAX_AUTH_HAVE_ICU
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* normalizer = icu::Normalizer2::getNFKCInstance(status);
  if (U_FAILURE(status) || normalizer == nullptr) throw std::runtime_error("auth: ICU NFKC is unavailable");
  const icu::UnicodeString input =
      icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  const icu::UnicodeString normalized = normalizer->normalize(input, status);
  if (U_FAILURE(status)) throw std::runtime_error("auth: NFKC normalisation failed");
  std::string out;
  normalized.toUTF8String(out);
  return out;
#else
  // Without ICU, text already in NFKC (what keyboards produce for almost every script) is hashed correctly;
  // compatibility characters such as ligatures are not folded. The build enables ICU whenever it is found.
  return std::string(utf8);
#endif
}

std::string hash_password_with_salt(std::string_view password, std::string_view salt_hex) {
  const std::string normalized = nfkc(password);
  unsigned char key[kKeyLength];
  if (EVP_PBE_scrypt(normalized.data(), normalized.size(),
                     reinterpret_cast<const unsigned char*>(salt_hex.data()), salt_hex.size(), kN, kR, kP,
                     kMaxMem, key, sizeof key) != 1) {
    throw std::runtime_error("auth: scrypt failed");
  }
  return std::string(salt_hex) + ":" + hex(std::string_view(reinterpret_cast<const char*>(key), sizeof key));
}

std::string hash_password(std::string_view password) {
  return hash_password_with_salt(password, hex(random_bytes(16)));
}

bool verify_password(std::string_view password, std::string_view stored_hash) {
  const auto colon = stored_hash.find(':');
  if (colon == std::string_view::npos) return false;
  const std::string_view salt = stored_hash.substr(0, colon);
  const std::string_view key = stored_hash.substr(colon + 1);
  // Better Auth always writes 32 + 128 lower-case hex digits; anything else was not written by it or us.
  if (salt.empty() || key.size() != kKeyLength * 2 || !is_lower_hex(key)) return false;
  const std::string expected = hash_password_with_salt(password, salt);
  return constant_time_equal(expected, stored_hash);
}

struct PasswordHasher::Impl {
  Impl(std::size_t threads, std::size_t max) : pool(threads), max_pending(max) {}
  boost::asio::thread_pool pool;
  std::size_t max_pending;
  std::atomic<std::size_t> pending{0};

  template <class Fn>
  auto run(Fn fn) -> boost::asio::awaitable<decltype(fn())> {
    // Reserve a slot first so that concurrent callers can never overshoot the bound.
    if (pending.fetch_add(1) >= max_pending) {
      pending.fetch_sub(1);
      throw HasherBusy();
    }
    struct Release {
      std::atomic<std::size_t>& n;
      ~Release() { n.fetch_sub(1); }
    } release{pending};
    // co_spawn onto the pool; use_awaitable resumes this coroutine on its own executor afterwards. The job is
    // a named local rather than a temporary in the co_await expression: GCC 12 destroys such temporaries
    // twice in coroutines.
    auto job = [fn = std::move(fn)]() -> boost::asio::awaitable<decltype(fn())> { co_return fn(); };
    auto result = co_await boost::asio::co_spawn(pool, std::move(job), boost::asio::use_awaitable);
    co_return result;
  }
};

PasswordHasher::PasswordHasher(std::size_t threads, std::size_t max_pending)
    : impl_(
          std::make_unique<Impl>(std::max<std::size_t>(threads, 1), std::max<std::size_t>(max_pending, 1))) {}

PasswordHasher::~PasswordHasher() { impl_->pool.join(); }

boost::asio::awaitable<std::string> PasswordHasher::hash(std::string password) {
  auto job = [password] { return hash_password(password); };
  std::string result = co_await impl_->run(std::move(job));
  co_return result;
}

boost::asio::awaitable<bool> PasswordHasher::verify(std::string password, std::string stored_hash) {
  auto job = [password, stored_hash] { return verify_password(password, stored_hash); };
  const bool result = co_await impl_->run(std::move(job));
  co_return result;
}

}  // namespace kianax::auth
