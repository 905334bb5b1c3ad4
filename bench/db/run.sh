#!/usr/bin/env bash
# Builds the database benchmark in Release (its own build dir) and runs it against a throwaway cluster.
# Usage: bench/db/run.sh [--clients N] [--seconds S] [--threads T] [--rounds R]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${KIANAX_BENCH_BUILD_DIR:-$root/build-bench}"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DKIANAX_BENCH=ON >/dev/null
cmake --build "$build" --target kianax_db_bench -j"${KIANAX_BUILD_JOBS:-2}"
exec "$build/bench/db/kianax_db_bench" "$@"
