#include "plugins/net/address_guard.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <array>
#include <cstdlib>
#include <cstring>

namespace kianax::plugins::net {
namespace {

struct V4Range {
  std::uint32_t network;
  int prefix;
  const char* reason;
};

// Every range that is not routable public unicast. Order matters only for the reason given.
constexpr std::array<V4Range, 14> kV4Ranges{{
    {0x00000000, 8, "unspecified (0.0.0.0/8)"},
    {0x0A000000, 8, "private (10.0.0.0/8)"},
    {0x64400000, 10, "carrier-grade NAT (100.64.0.0/10)"},
    {0x7F000000, 8, "loopback (127.0.0.0/8)"},
    {0xA9FE0000, 16, "link-local / cloud metadata (169.254.0.0/16)"},
    {0xAC100000, 12, "private (172.16.0.0/12)"},
    {0xC0000000, 24, "IETF protocol assignments (192.0.0.0/24)"},
    {0xC0000200, 24, "documentation (192.0.2.0/24)"},
    {0xC0A80000, 16, "private (192.168.0.0/16)"},
    {0xC6120000, 15, "benchmarking (198.18.0.0/15)"},
    {0xC6336400, 24, "documentation (198.51.100.0/24)"},
    {0xCB007100, 24, "documentation (203.0.113.0/24)"},
    {0xE0000000, 4, "multicast (224.0.0.0/4)"},
    {0xF0000000, 4, "reserved (240.0.0.0/4)"},
}};

std::optional<std::string> v4_reason(std::uint32_t host_order) {
  for (const auto& range : kV4Ranges) {
    const std::uint32_t mask = range.prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - range.prefix);
    if ((host_order & mask) == range.network) return std::string(range.reason);
  }
  return std::nullopt;
}

std::uint32_t v4_at(const std::uint8_t* bytes) {
  return (std::uint32_t{bytes[0]} << 24) | (std::uint32_t{bytes[1]} << 16) | (std::uint32_t{bytes[2]} << 8) |
         std::uint32_t{bytes[3]};
}

std::optional<std::string> v6_reason(const in6_addr& address) {
  const std::uint8_t* b = address.s6_addr;
  auto zero = [&](int from, int to) {
    for (int i = from; i < to; ++i)
      if (b[i] != 0) return false;
    return true;
  };
  if (zero(0, 16)) return "unspecified (::)";
  if (zero(0, 15) && b[15] == 1) return "loopback (::1)";
  // Addresses that carry an IPv4 address: judge that address, since that is where the packets can end up.
  if (zero(0, 10) && b[10] == 0xFF && b[11] == 0xFF) {
    if (auto reason = v4_reason(v4_at(b + 12))) return "IPv4-mapped " + *reason;
    return std::nullopt;
  }
  if (zero(0, 12)) {  // deprecated IPv4-compatible ::a.b.c.d
    if (auto reason = v4_reason(v4_at(b + 12))) return "IPv4-compatible " + *reason;
    return "IPv4-compatible (deprecated ::/96)";
  }
  if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B && zero(4, 12)) {  // NAT64 64:ff9b::/96
    if (auto reason = v4_reason(v4_at(b + 12))) return "NAT64 " + *reason;
    return std::nullopt;
  }
  if (b[0] == 0x20 && b[1] == 0x02) {  // 6to4 2002:aabb:ccdd::/48
    if (auto reason = v4_reason(v4_at(b + 2))) return "6to4 " + *reason;
    return std::nullopt;
  }
  if ((b[0] & 0xFE) == 0xFC) return "unique local (fc00::/7)";
  if (b[0] == 0xFE && (b[1] & 0xC0) == 0x80) return "link-local (fe80::/10)";
  if (b[0] == 0xFE && (b[1] & 0xC0) == 0xC0) return "site-local (fec0::/10)";
  if (b[0] == 0xFF) return "multicast (ff00::/8)";
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8) return "documentation (2001:db8::/32)";
  return std::nullopt;
}

}  // namespace

AddressPolicy AddressPolicy::from_env() {
  AddressPolicy policy;
  if (const char* value = std::getenv("KIANAX_HTTP_ALLOW_PRIVATE")) {
    policy.allow_private = std::strcmp(value, "1") == 0 || std::strcmp(value, "true") == 0;
  }
  return policy;
}

std::optional<std::string> non_public_reason(const sockaddr* address) {
  if (address == nullptr) return "no address";
  if (address->sa_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(address);
    return v4_reason(ntohl(in->sin_addr.s_addr));
  }
  if (address->sa_family == AF_INET6) {
    return v6_reason(reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr);
  }
  // Unix sockets and anything else are never a legitimate target of an outbound HTTP request.
  return "non-IP address family";
}

std::optional<std::string> non_public_reason_of_literal(std::string_view ip) {
  if (ip.size() >= 2 && ip.front() == '[' && ip.back() == ']') ip = ip.substr(1, ip.size() - 2);
  const std::string text(ip);
  in_addr v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) return v4_reason(ntohl(v4.s_addr));
  in6_addr v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6) == 1) return v6_reason(v6);
  return std::nullopt;
}

std::string address_text(const sockaddr* address) {
  char buffer[INET6_ADDRSTRLEN] = {};
  if (address == nullptr) return {};
  if (address->sa_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(address)->sin_addr, buffer, sizeof buffer);
  } else if (address->sa_family == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr, buffer, sizeof buffer);
  }
  return buffer;
}

std::uint16_t address_port(const sockaddr* address) {
  if (address == nullptr) return 0;
  if (address->sa_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in*>(address)->sin_port);
  if (address->sa_family == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6*>(address)->sin6_port);
  return 0;
}

std::optional<std::string> refusal(const AddressPolicy& policy, const sockaddr* address) {
  auto reason = non_public_reason(address);
  if (!reason || policy.allow_private) return std::nullopt;
  const std::string ip = address_text(address);
  const std::uint16_t port = address_port(address);
  for (const auto& allowed : policy.allowed_endpoints) {
    if (allowed.ip == ip && allowed.port == port) return std::nullopt;
  }
  return "Refusing to connect to " + (ip.empty() ? std::string("a non-IP address") : ip) + ": " + *reason +
         " targets are blocked (set KIANAX_HTTP_ALLOW_PRIVATE=1 to allow them)";
}

}  // namespace kianax::plugins::net
