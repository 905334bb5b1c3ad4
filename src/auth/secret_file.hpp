#pragma once
// The all-in-one mode's cookie secret: generated once and kept in the data dir, so sessions survive a
// restart without the developer having to invent a secret. `serve` never uses this (a missing
// BETTER_AUTH_SECRET is a start-up error there: processes behind one load balancer must share the secret).
#include <string>

namespace kianax::auth {

// The secret stored at `path`, or a new random one (64 hex characters) written there with mode 0600 when
// the file does not exist. Throws std::runtime_error naming the path (never the secret) on I/O failure or
// when an existing file is empty.
[[nodiscard]] std::string load_or_create_secret(const std::string& path);

}  // namespace kianax::auth
