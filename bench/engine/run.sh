#!/usr/bin/env bash
# Builds the engine benchmark in Release (its own build dir) and runs it.
# Usage: bench/engine/run.sh [extra google-benchmark flags]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${KIANAX_BENCH_BUILD_DIR:-$root/build-bench}"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DKIANAX_BENCH=ON >/dev/null
cmake --build "$build" --target kianax_engine_bench -j"${KIANAX_BUILD_JOBS:-2}"
exec "$build/bench/engine/kianax_engine_bench" --benchmark_min_time=1 "$@"
