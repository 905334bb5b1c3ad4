// SSRF guard: decides whether the HTTP client may open a connection to a socket address.
//
// Why here and not on the host name: a name can resolve to anything (DNS rebinding, "localtest.me",
// decimal/octal IP spellings, IPv4-mapped IPv6), so the check runs on the sockaddr libcurl is about to
// connect to (CURLOPT_OPENSOCKETFUNCTION) — for the first request and for every redirect hop. A refused
// address never gets a socket, so no packet is sent to it.
#pragma once

#include <sys/socket.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kianax::plugins::net {

// An exact address:port that a policy lets through even when it is private (test seam: lets a test allow
// its own 127.0.0.1 server while every other private target stays refused).
struct AllowedEndpoint {
  std::string ip;  // numeric form as inet_ntop prints it, e.g. "127.0.0.1" or "::1"
  std::uint16_t port = 0;
};

struct AddressPolicy {
  // KIANAX_HTTP_ALLOW_PRIVATE=1: loopback/private/link-local targets are allowed (local development, tests).
  bool allow_private = false;
  std::vector<AllowedEndpoint> allowed_endpoints;

  // Reads KIANAX_HTTP_ALLOW_PRIVATE at call time ("1" or "true" → allow).
  [[nodiscard]] static AddressPolicy from_env();
};

// Why an address is not a public unicast one: "loopback", "private", "link-local (cloud metadata)",
// "carrier-grade NAT", "unspecified", "multicast", "reserved", "unique local", … ; nullopt when public.
// IPv4-mapped/compatible, NAT64 and 6to4 IPv6 addresses are judged by the IPv4 address they embed.
[[nodiscard]] std::optional<std::string> non_public_reason(const sockaddr* address);
// Same for a numeric IP literal (IPv6 with or without brackets); nullopt also when `ip` is not numeric.
[[nodiscard]] std::optional<std::string> non_public_reason_of_literal(std::string_view ip);

// Numeric text and port of an AF_INET/AF_INET6 address ("" and 0 for other families).
[[nodiscard]] std::string address_text(const sockaddr* address);
[[nodiscard]] std::uint16_t address_port(const sockaddr* address);

// nullopt when `policy` lets a connection to `address` through; otherwise the user-facing refusal message.
[[nodiscard]] std::optional<std::string> refusal(const AddressPolicy& policy, const sockaddr* address);

}  // namespace kianax::plugins::net
