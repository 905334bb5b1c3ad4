#pragma once
// The one place that maps PostgreSQL timestamptz <-> epoch milliseconds (the API's time unit: the Kianax UI
// computes `end - start` and calls `new Date(n)`). Repositories never spell the conversion themselves; they
// call these two helpers while building their SQL, so both directions agree everywhere:
//   to ms:   round(date_part('epoch', ts) * 1000)::int8
//            date_part is float8 (extract's numeric is ~3x slower and this runs for every timestamp of every
//            row): the error is < 1e-3 ms for any date before year 2200, so a ms-precise value (everything we
//            write) comes back exactly, and a µs-precise now() rounds to the nearest ms.
//   from ms: 'epoch'::timestamptz + ms * interval '1 millisecond'  (exact, no float on the way)
#include <cstdint>
#include <string>
#include <string_view>

namespace kianax::store {

using EpochMs = std::int64_t;

[[nodiscard]] EpochMs now_epoch_ms();

// SQL expression: the int8 epoch-ms value of a timestamptz expression (NULL stays NULL).
[[nodiscard]] std::string sql_epoch_ms(std::string_view timestamptz_expression);
// SQL expression: the timestamptz of an int8 epoch-ms expression, e.g. sql_timestamptz("$4::int8").
[[nodiscard]] std::string sql_timestamptz(std::string_view epoch_ms_expression);

}  // namespace kianax::store
