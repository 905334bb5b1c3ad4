// Test helper: one process running `migrate` against argv[1], so tests can race several real processes.
// Prints the number of migrations this process applied; exit 0 on success, 1 with the error on stderr.
#include <cstdio>
#include <exception>

#include "db/migration_runner.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <owner conninfo>\n", argv[0]);
    return 2;
  }
  try {
    const auto applied = kianax::db::MigrationRunner(argv[1]).migrate();
    std::printf("%zu\n", applied.size());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
}
