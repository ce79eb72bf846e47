#!/usr/bin/env bash
# Builds the libFuzzer targets with clang + ASan/UBSan and runs each for
# FUZZ_SECONDS (default 60) on its seed corpus. A crashing input is written
# to fuzz/regressions/<target>/ so that CI replays it from then on.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh >/dev/null
BUILD_DIR=${BUILD_DIR:-build-fuzz}
seconds=${FUZZ_SECONDS:-60}
CC=clang CXX=clang++ cmake -S . -B "$BUILD_DIR" -G Ninja -DTITLECERT_FUZZ=ON \
  -DTITLECERT_BUILD_TESTS=OFF -DTITLECERT_BUILD_BENCH=OFF >/dev/null
targets=${*:-cbor verify bundle bundle_delta image revocation}
for t in $targets; do cmake --build "$BUILD_DIR" --target "fuzz_$t" --parallel "$(nproc)"; done
for t in $targets; do
  work=$(mktemp -d)  # new inputs found this run; the committed seeds stay small
  mkdir -p "fuzz/regressions/$t"
  echo "== fuzz_$t for ${seconds}s"
  "$BUILD_DIR/fuzz/fuzz_$t" "$work" "fuzz/corpus/$t" -max_total_time="$seconds" -max_len=8192 \
    -artifact_prefix="fuzz/regressions/$t/" -print_final_stats=1 2>&1 | grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|==|INFO: Done|SUMMARY)" || true
  rm -rf "$work"
done
