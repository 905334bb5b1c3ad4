#pragma once
// One-line start-up errors for database targets: a malformed or unreachable connection string is reported
// naming the setting it came from, password redacted (db::SyncConnection guarantees the redaction).
#include <chrono>
#include <string>

namespace kianax::cli {

// Throws std::runtime_error("<setting>: <reason>") when `conninfo` is malformed or the server does not
// accept a connection within `timeout`.
void check_connection(const std::string& conninfo, const std::string& setting,
                      std::chrono::milliseconds timeout);

// Prefixes a db error's one-line message with the setting it concerns.
[[noreturn]] void rethrow_naming(const std::string& setting, const std::exception& e);

}  // namespace kianax::cli
