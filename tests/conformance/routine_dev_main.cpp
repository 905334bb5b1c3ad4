// kianax-routine: a development-only binary exposing `routine validate|run` before the main `kianax` binary
// wires add_routine_command(). Not installed.
#include "cli/routine_command.hpp"

int main(int argc, char** argv) {
  CLI::App app{"kianax routine commands (development binary)"};
  app.require_subcommand(1);
  kianax::cli::add_routine_command(app);
  CLI11_PARSE(app, argc, argv);
  return 0;
}
