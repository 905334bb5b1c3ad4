#!/usr/bin/env bash
# Builds the libFuzzer targets with clang in build-fuzz and runs each for SECONDS (default 60), starting from the
# committed seed corpora in fuzz/corpus/. New inputs go to build-fuzz/corpus/ (not committed); crashes are
# written to build-fuzz/artifacts/ and make the script fail.
# Usage: scripts/fuzz.sh [SECONDS]
set -euo pipefail
seconds="${1:-60}"
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$root/build-fuzz"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DKIANAX_FUZZ=ON -DKIANAX_BENCH=OFF -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ >/dev/null
cmake --build "$build" --target expression_fuzzer routine_loader_fuzzer state_resume_fuzzer -j"${KIANAX_BUILD_JOBS:-2}"
mkdir -p "$build/artifacts"
run() {  # target, seed corpus folder
  local target="$1" seeds="$root/fuzz/corpus/$2" work="$build/corpus/$2"
  mkdir -p "$work"
  echo "== $target for ${seconds}s"
  "$build/fuzz/$target" "$work" "$seeds" -max_total_time="$seconds" -max_len=4096 -timeout=10 \
    -artifact_prefix="$build/artifacts/$target-" -print_final_stats=1
}
run expression_fuzzer expression
run routine_loader_fuzzer routine
run state_resume_fuzzer state
