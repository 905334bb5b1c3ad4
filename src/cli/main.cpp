// kianax: one binary, several roles. Every failure that reaches main is one line on stderr and exit code 1:
// configuration and database problems are reported as what they are, never as a stack of library errors.
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/routine_command.hpp"
#include "core/config.hpp"
#include "core/logging.hpp"
#include "core/version.hpp"

int main(int argc, char** argv) {
  kianax::core::init_logging();
  CLI::App app{
      "Kianax Server: routines (DAGs of plugin nodes) on PostgreSQL.\n"
      "With no command: the all-in-one (embedded PostgreSQL + API server + worker) on http://localhost:3000",
      "kianax"};
  app.require_subcommand(0, 1);
  app.set_version_flag("--version", std::string(kianax::core::version()));

  int exit_code = 0;
  auto run = [&exit_code](auto&& fn) { return [&exit_code, fn]() { exit_code = fn(); }; };

  auto* serve = app.add_subcommand("serve", "Run the API server against DATABASE_URL (scale-out role)");
  serve->callback(run([] { return kianax::cli::run_serve(kianax::core::load_config()); }));

  auto* worker = app.add_subcommand("worker", "Run the routine execution worker against DATABASE_URL");
  worker->callback(run([] { return kianax::cli::run_worker(kianax::core::load_config()); }));

  auto* migrate =
      app.add_subcommand("migrate", "Apply the embedded schema migrations (DIRECT_URL or DATABASE_URL)");
  static bool status_only = false;
  migrate->add_flag("--status", status_only, "List applied and pending migrations; change nothing");
  migrate->callback(run([] { return kianax::cli::run_migrate(kianax::core::load_config(), status_only); }));

  auto* version = app.add_subcommand("version", "Print the version");
  version->callback(run([] {
    std::cout << "kianax " << kianax::core::version() << "\n";
    return 0;
  }));

  for (const char* name : {"import", "export", "verify"}) {
    auto* sub = app.add_subcommand(name, std::string("Convex data ") + name + " (not yet available)");
    sub->allow_extras();
    sub->callback(
        run([name] { return kianax::cli::report_unavailable(name, "the Convex import/export issue"); }));
  }

  kianax::cli::add_routine_command(app);

  try {
    app.parse(argc, argv);
    if (app.get_subcommands().empty()) exit_code = kianax::cli::run_all_in_one(kianax::core::load_config());
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "kianax: error: %s\n", e.what());
    return 1;
  }
  return exit_code;
}
