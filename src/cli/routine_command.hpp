// `kianax routine validate FILE` and `kianax routine run FILE [--trigger JSON|@file] [--vars JSON|@file]
// [--pin NODE=JSON|@file ...] [--credentials JSON|@file]`: work on a routine file locally, with no database.
#pragma once

#include <CLI/CLI.hpp>

#include <iosfwd>
#include <string>
#include <vector>

namespace kianax::cli {

// Adds the `routine` subcommand to the main app. Failing commands throw CLI::RuntimeError(1), which
// CLI11_PARSE / app.exit() turn into exit status 1.
void add_routine_command(CLI::App& app);

// The commands themselves, separated from CLI11 for tests. Return the process exit status.
// validate: prints errors and warnings (graph, expressions, unknown plugins); 1 when there are errors.
int validate_routine_file(const std::string& path, std::ostream& out, std::ostream& err);

struct RoutineRunArgs {
  std::string path;
  std::string trigger;            // "" | JSON | @file
  std::string vars;               // "" | JSON object | @file; overrides the routine's variables by name
  std::vector<std::string> pins;  // NODE=JSON | NODE=@file; the node's output port map
  std::string credentials;        // "" | JSON object credentialId → data | @file
};
// run: prints the execution record as JSON; 1 when the run did not complete.
int run_routine_file(const RoutineRunArgs& args, std::ostream& out, std::ostream& err);

}  // namespace kianax::cli
