#!/usr/bin/env bash
# Builds the benchmarks (Release) and writes their figures to
# bench/results/latest.txt. Not a timed test: run it by hand on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh >/dev/null
BUILD_DIR=${BUILD_DIR:-build-bench}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DTITLECERT_BUILD_TESTS=OFF >/dev/null
cmake --build "$BUILD_DIR" --parallel "$(nproc)"
mkdir -p bench/results
out=bench/results/latest.txt
{
  echo "# titlecert benchmarks — $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "# $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(openssl version)"
  echo
  "$BUILD_DIR"/bench/bench_zc1 --benchmark_repetitions=3 --benchmark_report_aggregates_only=true \
    --benchmark_min_time=0.3 2>/dev/null
} | tee "$out"
# Ratios of our path to the raw OpenSSL floor, from the medians' CPU times.
awk '
  function ns(v, u) { return u == "us" ? v * 1e3 : u == "ms" ? v * 1e6 : u == "s" ? v * 1e9 : v }
  /_median/ { split($1, a, "/"); sub("_median", "", a[2]); t[a[1] "/" a[2]] = ns($4, $5) }
  END {
    print "\n# ratios (median CPU time): goal verify <= 1.10x raw verify"
    n = split("EdDSA ES256 SM2_SM3", algs, " ")
    for (i = 1; i <= n; i++) {
      x = algs[i]
      if (t["BM_RawVerify/" x] > 0) printf "verify/raw_verify %-8s %.3f\n", x, t["BM_Verify/" x] / t["BM_RawVerify/" x]
      if (t["BM_RawSign/" x] > 0)   printf "issue/raw_sign    %-8s %.3f\n", x, t["BM_Issue/" x] / t["BM_RawSign/" x]
    }
  }' "$out" | tee -a "$out"
