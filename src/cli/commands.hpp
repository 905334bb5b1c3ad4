#pragma once
// The roles of the binary. Each returns the process exit code; configuration and database errors are thrown
// as std::runtime_error with a one-line message (main prints it).
#include "core/config.hpp"

namespace kianax::cli {

int run_all_in_one(const core::Config& config);
int run_serve(const core::Config& config);
int run_worker(const core::Config& config);
int run_migrate(const core::Config& config, bool status_only);
int report_unavailable(const char* command, const char* coming_with);

}  // namespace kianax::cli
