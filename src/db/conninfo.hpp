#pragma once
// Connection strings (URI `postgresql://user:pass@host:port/db?opt=…` or libpq `key=value …`).
// Invariant: anything we log or put in an error message goes through redact_conninfo().
#include <optional>
#include <string>
#include <string_view>

namespace kianax::db {

// Replaces every password (URI userinfo, `password=` keyword, `?password=` query parameter) with "***".
[[nodiscard]] std::string redact_conninfo(std::string_view conninfo);

// Replaces any password the connection string holds wherever it appears in `message` (for libpq's texts).
[[nodiscard]] std::string scrub_passwords(std::string message, std::string_view conninfo);

// libpq's own parse of the string: nullopt when well-formed, else a one-line reason (password redacted).
[[nodiscard]] std::optional<std::string> conninfo_problem(const std::string& conninfo);

}  // namespace kianax::db
