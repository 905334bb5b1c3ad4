#pragma once
// Statement parameters ($1, $2, …), sent out of band with PQsendQueryParams: values are never spliced into
// SQL text. Text format by default (the server casts `$1::jsonb`, `$2::int8`, …); binary when the caller
// supplies bytes in the type's binary wire format together with its type OID.
#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kianax::db {

struct Param {
  std::string bytes;
  bool is_null = false;
  bool binary = false;
  std::uint32_t type_oid = 0;  // 0 = let the server infer from the statement
};

class Params {
 public:
  Params() = default;
  template <class... Ts>
  requires(sizeof...(Ts) > 0) explicit Params(const Ts&... values) {
    items_.reserve(sizeof...(Ts));
    (add(values), ...);
  }

  Params& add(std::string_view text) { return push(std::string(text)); }
  Params& add(const std::string& text) { return push(text); }
  Params& add(const char* text) { return push(std::string(text)); }
  Params& add(std::nullopt_t) {
    items_.push_back(Param{{}, true});
    return *this;
  }
  Params& add(bool value) { return push(value ? "true" : "false"); }
  template <std::integral T>
  requires(!std::same_as<T, bool> && !std::same_as<T, char>) Params& add(T value) {
    return push(std::to_string(value));
  }
  Params& add(double value);
  template <class T>
  Params& add(const std::optional<T>& value) {
    return value ? add(*value) : add(std::nullopt);
  }
  // Binary format: `bytes` must be the type's binary send format (e.g. 8 bytes big-endian for int8 = OID 20).
  Params& add_binary(std::string bytes, std::uint32_t type_oid) {
    items_.push_back(Param{std::move(bytes), false, true, type_oid});
    return *this;
  }

  [[nodiscard]] const std::vector<Param>& items() const { return items_; }
  [[nodiscard]] size_t size() const { return items_.size(); }

 private:
  Params& push(std::string text) {
    items_.push_back(Param{std::move(text)});
    return *this;
  }
  std::vector<Param> items_;
};

}  // namespace kianax::db
