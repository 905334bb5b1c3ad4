#include "api/procedure_support.hpp"

#include <openssl/rand.h>

#include <array>
#include <stdexcept>

namespace kianax::api {

std::optional<std::string_view> optional_str(const boost::json::value& input, std::string_view key) {
  const auto* v = field(input, key);
  if (v == nullptr || v->is_null()) return std::nullopt;
  return std::string_view(v->as_string());
}

const boost::json::value* field(const boost::json::value& input, std::string_view key) {
  return input.is_object() ? input.get_object().if_contains(key) : nullptr;
}

std::optional<int> optional_int(const boost::json::value& input, std::string_view key) {
  const auto* v = field(input, key);
  if (v == nullptr || v->is_null()) return std::nullopt;
  return v->to_number<int>();
}

void throw_not_found(std::string_view what, std::string_view id) {
  throw TrpcError(ErrorCode::kNotFound,
                  std::string(what) + " " + std::string(id) + " not found or unauthorized");
}

std::string random_uuid() {
  std::array<unsigned char, 16> b{};
  if (RAND_bytes(b.data(), static_cast<int>(b.size())) != 1)
    throw std::runtime_error("no randomness for an id");
  b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[b[i] >> 4]);
    out.push_back(kHex[b[i] & 0xF]);
  }
  return out;
}

}  // namespace kianax::api
