#pragma once
// sha256 as lower-case hex (migration checksums).
#include <string>
#include <string_view>

namespace kianax::db {

[[nodiscard]] std::string sha256_hex(std::string_view data);

}  // namespace kianax::db
