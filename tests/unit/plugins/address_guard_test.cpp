#include "plugins/net/address_guard.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <gtest/gtest.h>

namespace kianax::plugins::net {
namespace {

sockaddr_in v4(const char* ip, std::uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  inet_pton(AF_INET, ip, &address.sin_addr);
  return address;
}

sockaddr_in6 v6(const char* ip, std::uint16_t port) {
  sockaddr_in6 address{};
  address.sin6_family = AF_INET6;
  address.sin6_port = htons(port);
  inet_pton(AF_INET6, ip, &address.sin6_addr);
  return address;
}

TEST(AddressGuard, classifies_every_blocked_ipv4_range) {
  for (const char* ip : {"0.0.0.0", "10.0.0.1", "10.255.255.255", "100.64.0.1", "100.127.255.254",
                         "127.0.0.1", "127.1.2.3", "169.254.169.254", "172.16.0.1", "172.31.255.255",
                         "192.168.1.1", "224.0.0.1", "239.255.255.250", "255.255.255.255"}) {
    EXPECT_TRUE(non_public_reason_of_literal(ip).has_value()) << ip;
  }
}

TEST(AddressGuard, lets_public_ipv4_through) {
  for (const char* ip : {"1.1.1.1", "8.8.8.8", "100.63.255.255", "100.128.0.0", "172.15.255.255",
                         "172.32.0.0", "192.167.255.255", "169.253.0.1", "93.184.216.34"}) {
    EXPECT_FALSE(non_public_reason_of_literal(ip).has_value()) << ip;
  }
}

TEST(AddressGuard, names_the_metadata_range) {
  const auto reason = non_public_reason_of_literal("169.254.169.254");
  ASSERT_TRUE(reason.has_value());
  EXPECT_NE(reason->find("metadata"), std::string::npos);
}

TEST(AddressGuard, classifies_blocked_ipv6_including_embedded_ipv4) {
  for (const char* ip :
       {"::", "::1", "[::1]", "fc00::1", "fdff::1", "fe80::1", "febf::1", "ff02::1", "::ffff:127.0.0.1",
        "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::127.0.0.1", "64:ff9b::a00:1", "2002:a00:1::1"}) {
    EXPECT_TRUE(non_public_reason_of_literal(ip).has_value()) << ip;
  }
}

TEST(AddressGuard, lets_public_ipv6_through) {
  for (const char* ip : {"2606:4700:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1"}) {
    EXPECT_FALSE(non_public_reason_of_literal(ip).has_value()) << ip;
  }
}

TEST(AddressGuard, policy_refuses_private_sockaddr_unless_allowed) {
  const auto loopback = v4("127.0.0.1", 8080);
  const auto* address = reinterpret_cast<const sockaddr*>(&loopback);
  const auto refused = refusal(AddressPolicy{}, address);
  ASSERT_TRUE(refused.has_value());
  EXPECT_NE(refused->find("127.0.0.1"), std::string::npos);
  EXPECT_NE(refused->find("KIANAX_HTTP_ALLOW_PRIVATE"), std::string::npos);
  EXPECT_FALSE(refusal(AddressPolicy{.allow_private = true}, address).has_value());
}

TEST(AddressGuard, allowed_endpoint_covers_only_that_ip_and_port) {
  AddressPolicy policy;
  policy.allowed_endpoints.push_back({"127.0.0.1", 8080});
  const auto same = v4("127.0.0.1", 8080);
  const auto other_port = v4("127.0.0.1", 8081);
  const auto other_ip = v4("127.0.0.2", 8080);
  EXPECT_FALSE(refusal(policy, reinterpret_cast<const sockaddr*>(&same)).has_value());
  EXPECT_TRUE(refusal(policy, reinterpret_cast<const sockaddr*>(&other_port)).has_value());
  EXPECT_TRUE(refusal(policy, reinterpret_cast<const sockaddr*>(&other_ip)).has_value());
}

TEST(AddressGuard, judges_ipv4_mapped_sockaddr_by_embedded_address) {
  const auto mapped = v6("::ffff:192.168.1.1", 80);
  const auto public_mapped = v6("::ffff:1.1.1.1", 80);
  EXPECT_TRUE(refusal(AddressPolicy{}, reinterpret_cast<const sockaddr*>(&mapped)).has_value());
  EXPECT_FALSE(refusal(AddressPolicy{}, reinterpret_cast<const sockaddr*>(&public_mapped)).has_value());
}

TEST(AddressGuard, refuses_non_ip_families) {
  sockaddr unix_address{};
  unix_address.sa_family = AF_UNIX;
  EXPECT_TRUE(refusal(AddressPolicy{}, &unix_address).has_value());
}

}  // namespace
}  // namespace kianax::plugins::net
