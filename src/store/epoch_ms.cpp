#include "store/epoch_ms.hpp"

#include <chrono>

namespace kianax::store {

EpochMs now_epoch_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string sql_epoch_ms(std::string_view timestamptz_expression) {
  return "round(date_part('epoch', " + std::string(timestamptz_expression) + ") * 1000)::int8";
}

std::string sql_timestamptz(std::string_view epoch_ms_expression) {
  return "('epoch'::timestamptz + (" + std::string(epoch_ms_expression) + ") * interval '1 millisecond')";
}

}  // namespace kianax::store
