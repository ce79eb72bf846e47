#!/usr/bin/env bash
# Builds the benchmarks (Release) and writes their figures to
# bench/results/latest.txt. Not a timed test: run it on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh >/dev/null
BUILD_DIR=${BUILD_DIR:-build-bench}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DTITLECERT_BUILD_TESTS=OFF >/dev/null
cmake --build "$BUILD_DIR" --parallel "$(nproc)" --target bench_zc1 bench_verifier bench_process bench_issuer bench_revocation make_fixture titlecert-verify
mkdir -p bench/results
out=bench/results/latest.txt
gbench=(--benchmark_repetitions=3 --benchmark_report_aggregates_only=true --benchmark_min_time=0.3)

{
  echo "# titlecert benchmarks — $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "# $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(openssl version)"
  echo
  echo "## ZC1 issue/verify vs raw OpenSSL (bench_zc1)"
  "$BUILD_DIR"/bench/bench_zc1 "${gbench[@]}" 2>/dev/null
  echo
  echo "## verifier and scanning (bench_verifier)"
  "$BUILD_DIR"/bench/bench_verifier "${gbench[@]}" 2>/dev/null
} | tee "$out"

# The CLI as a terminal runs it: start to verdict, peak RSS, batch throughput.
fixture="$BUILD_DIR/bench-fixture"
"$BUILD_DIR"/tests/support/make_fixture "$fixture" >/dev/null
verify=("$BUILD_DIR"/verifier/titlecert-verify --bundle "$fixture/bundle.cbor" --root "$fixture/root.pub.pem"
        --now 2026-11-27T01:00:00Z)
lines=2000
for _ in $(seq $lines); do cat "$fixture/valid.txt"; echo; done > "$fixture/batch.txt"
{
  echo
  echo "## titlecert-verify process (bench_process)"
  "$BUILD_DIR"/bench/bench_process 30 -- "${verify[@]}" --text "$(cat "$fixture/valid.txt")"
  "$BUILD_DIR"/bench/bench_process 10 -- "${verify[@]}" "$fixture/valid.png"
  start=$(date +%s%N)
  "${verify[@]}" - < "$fixture/batch.txt" > /dev/null
  end=$(date +%s%N)
  echo "batch mode: $lines SM2-SM3 lines in $(( (end - start) / 1000000 )) ms, $(( (end - start) / lines / 1000 )) us per line"
} | tee -a "$out"

# The issuer (docs/issuer.md): issuance next to the raw sign rate of the same
# run, QR PNG rendering next to libqrencode + a 1-bit PNG write.
{
  echo
  echo "## issuer (bench_issuer)"
  "$BUILD_DIR"/bench/bench_issuer 2>/dev/null
} | tee -a "$out"

# Revocation set sizes against log2 C(N,R) and other formats, load times.
"$BUILD_DIR"/bench/bench_revocation bench/results/revocation.txt

# Ratios of our paths to the floors, from the medians' CPU times.
awk '
  function ns(v, u) { return u == "us" ? v * 1e3 : u == "ms" ? v * 1e6 : u == "s" ? v * 1e9 : v }
  /_median/ { split($1, a, "/"); sub("_median", "", a[2]); t[a[1] "/" a[2]] = ns($4, $5) }
  /_median/ && $1 ~ /^BM_(ScanToVerdict|ZXingDecodeOnly)_median/ { sub("_median", "", $1); t[$1] = ns($4, $5) }
  /^batch mode:/ { batch = $(NF-3) * 1e3 }
  END {
    print "\n## ratios (median CPU time)"
    n = split("EdDSA ES256 SM2_SM3", algs, " ")
    for (i = 1; i <= n; i++) {
      x = algs[i]
      if (t["BM_RawVerify/" x] > 0) printf "zc1 open / raw verify        %-8s %.3f  (goal <= 1.10)\n", x, t["BM_Verify/" x] / t["BM_RawVerify/" x]
      if (t["BM_RawSign/" x] > 0)   printf "zc1 issue / raw sign         %-8s %.3f\n", x, t["BM_Issue/" x] / t["BM_RawSign/" x]
      if (t["BM_VerifierVerify/" x] > 0)
        printf "verifier throughput / raw    %-8s %.3f  (goal >= 0.90)\n", x, t["BM_VerifierRawVerify/" x] / t["BM_VerifierVerify/" x]
    }
    if (t["BM_ZXingDecodeOnly"] > 0) printf "scan-to-verdict / zxing decode        %.3f  (goal <= 1.10)\n", t["BM_ScanToVerdict"] / t["BM_ZXingDecodeOnly"]
  }' "$out" | tee -a "$out"
