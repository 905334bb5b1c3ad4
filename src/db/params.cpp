#include "db/params.hpp"

#include <charconv>
#include <cmath>

namespace kianax::db {

Params& Params::add(double value) {
  if (std::isnan(value)) return push("NaN");
  if (std::isinf(value)) return push(value > 0 ? "Infinity" : "-Infinity");
  char buf[64];
  // Shortest round-trip representation, so the server parses back exactly the same double.
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  return push(std::string(buf, end));
}

}  // namespace kianax::db
