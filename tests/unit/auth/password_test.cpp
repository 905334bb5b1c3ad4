// Better Auth's scrypt format. The vectors were produced by node's crypto.scryptSync exactly as better-auth
// 1.7 calls it (password.normalize("NFKC"), the hex salt string as salt, N=16384 r=16 p=1 dkLen=64):
//   node -e 'const c=require("crypto");console.log(c.scryptSync(pw.normalize("NFKC"),salt,64,
//            {N:16384,r:16,p:1,maxmem:64*1024*1024}).toString("hex"))'
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include "auth/password.hpp"

namespace kianax::auth {
namespace {

constexpr const char* kHorse =
    "0123456789abcdef0123456789abcdef:"
    "b87ad68e260d745e9edfac97cc70f72a8fbb1771cf033e8d2b3c360d3788e3548d977bae5"
    "090f5d6cd75f5190a6fbe6b0b5737d5420119bd1e44ccdc779acfe5";
// node: "\uFB01\u2460" ("ﬁ①") and "fi1" give the same key: NFKC folds the ligature and the circled digit.
constexpr const char* kFi1 =
    "a1b2c3d4e5f60718293a4b5c6d7e8f90:"
    "053ee5d17bc4580bb1b9fdcbd3a8f7880289016b57303bbc4a012293a3ada02a441af951f"
    "99008f25af3a0902bd9523a0efd452d88221010f1827308a33fb6c6";

TEST(Password, MatchesNodeVector) {
  EXPECT_EQ(hash_password_with_salt("correct horse battery", "0123456789abcdef0123456789abcdef"), kHorse);
  EXPECT_TRUE(verify_password("correct horse battery", kHorse));
  EXPECT_FALSE(verify_password("correct horse batterY", kHorse));
}

#ifdef KIANAX_AUTH_HAVE_ICU
TEST(Password, NormalisesNfkcLikeBetterAuth) {
  EXPECT_EQ(nfkc("\xEF\xAC\x81\xE2\x91\xA0"), "fi1");
  EXPECT_TRUE(verify_password("\xEF\xAC\x81\xE2\x91\xA0", kFi1));
  EXPECT_TRUE(verify_password("fi1", kFi1));
}
#endif

TEST(Password, FreshHashHasBetterAuthShapeAndVerifies) {
  const std::string h = hash_password("s3cret password");
  ASSERT_EQ(h.size(), 32u + 1u + 128u);
  EXPECT_EQ(h[32], ':');
  EXPECT_EQ(h.find_first_not_of("0123456789abcdef:"), std::string::npos);
  EXPECT_TRUE(verify_password("s3cret password", h));
  EXPECT_FALSE(verify_password("s3cret passwore", h));
  EXPECT_NE(hash_password("s3cret password"), h) << "salts must differ";
}

TEST(Password, MalformedStoredHashNeverVerifies) {
  EXPECT_FALSE(verify_password("x", ""));
  EXPECT_FALSE(verify_password("x", "nocolon"));
  EXPECT_FALSE(verify_password("x", "abcd:1234"));
  EXPECT_FALSE(verify_password("correct horse battery", std::string(kHorse).substr(0, 100)));
}

TEST(PasswordHasher, RunsOffTheCallerAndRefusesWhenFull) {
  boost::asio::io_context io;
  PasswordHasher hasher(1, 1);
  // Two jobs at once with room for one: exactly one of them is refused, the other completes.
  int busy = 0;
  int ok = 0;
  auto job = [&]() -> boost::asio::awaitable<void> {
    try {
      const bool v = co_await hasher.verify("correct horse battery", kHorse);
      if (v) ++ok;
    } catch (const HasherBusy&) {
      ++busy;
    }
  };
  auto f1 = boost::asio::co_spawn(io, job(), boost::asio::use_future);
  auto f2 = boost::asio::co_spawn(io, job(), boost::asio::use_future);
  io.run();
  f1.get();
  f2.get();
  EXPECT_EQ(ok, 1);
  EXPECT_EQ(busy, 1);
  // The slot is released afterwards.
  io.restart();
  auto f3 =
      boost::asio::co_spawn(io, hasher.verify("correct horse battery", kHorse), boost::asio::use_future);
  io.run();
  EXPECT_TRUE(f3.get());
}

}  // namespace
}  // namespace kianax::auth
