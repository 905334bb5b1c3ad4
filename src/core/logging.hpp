#pragma once
// One logger for the process, writing to stderr. Level from KIANAX_LOG (trace|debug|info|warn|error; info).
// Never log secrets: connection strings go through db::redact_conninfo, credential data never reaches a log.
#include <spdlog/spdlog.h>

namespace kianax::core {
void init_logging();
}  // namespace kianax::core
