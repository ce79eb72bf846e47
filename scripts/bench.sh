#!/usr/bin/env bash
# Builds the benchmarks (Release) and writes their figures to
# bench/results/latest.txt. Not a timed test: run it on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh >/dev/null
BUILD_DIR=${BUILD_DIR:-build-bench}
# BENCH_PARTS=verifier skips the issuer's benchmarks (and their build): the
# verifier's figures alone, in a few minutes. BENCH_PARTS=issuer-load runs
# only the issuer's load and fault bench (ISSUER_LOAD_ARGS=--quick for a
# few-minute run), writing bench/results/issuer-load.txt.
BENCH_PARTS=${BENCH_PARTS:-all}
targets=(bench_zc1 bench_verifier bench_process bench_revocation make_fixture titlecert-verify)
[ "$BENCH_PARTS" = all ] && targets+=(bench_issuer bench_issuer_load)
[ "$BENCH_PARTS" = issuer-load ] && targets=(bench_issuer_load)
# An existing Release build dir (with or without tests) is reused as it is.
if ! grep -q '^CMAKE_BUILD_TYPE:STRING=Release$' "$BUILD_DIR/CMakeCache.txt" 2>/dev/null; then
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DTITLECERT_BUILD_TESTS=OFF >/dev/null
fi
cmake --build "$BUILD_DIR" --parallel "$(nproc)" --target "${targets[@]}"
mkdir -p bench/results

# The issuer under load and faults (docs/issuer.md, "Load and faults"): it
# starts titlecert-issuer serve itself and stops by itself (--max-seconds).
issuer_load() {
  # shellcheck disable=SC2086 # ISSUER_LOAD_ARGS is a list of flags
  "$BUILD_DIR"/bench/bench_issuer_load ${ISSUER_LOAD_ARGS:-} --out bench/results/issuer-load.txt
}
if [ "$BENCH_PARTS" = issuer-load ]; then
  issuer_load
  exit 0
fi
out=bench/results/latest.txt
# Repetitions interleaved at random, so that a drift of the machine's speed
# (other jobs starting, stopping) spreads over a bench and its floor alike.
gbench=(--benchmark_repetitions=3 --benchmark_report_aggregates_only=true --benchmark_min_time=0.3
        --benchmark_enable_random_interleaving=true)

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

# The CLI as a terminal runs it: start to verdict (next to the openssl CLI
# reading the root key, the floor), peak RSS, and batch throughput per
# algorithm through the whole process (reading, rendering, writing).
fixture="$BUILD_DIR/bench-fixture"
"$BUILD_DIR"/tests/support/make_fixture "$fixture" >/dev/null
verify=("$BUILD_DIR"/verifier/titlecert-verify --bundle "$fixture/bundle.cbor" --root "$fixture/root.pub.pem"
        --now 2026-11-27T01:00:00Z)
batch_lines() {  # ALG FILE COUNT
  for _ in $(seq "$3"); do cat "$fixture/$2"; echo; done > "$fixture/batch-$1.txt"
}
batch_lines EdDSA valid_ed25519.txt 6000
batch_lines ES256 valid_es256.txt 6000
batch_lines SM2_SM3 valid.txt 2000
{
  echo
  echo "## titlecert-verify process (bench_process)"
  # Start-up against its floor in one interleaved run (openssl, verify,
  # verify, openssl, ...): the ratio is taken from the same minutes.
  "$BUILD_DIR"/bench/bench_process 40 --vs openssl pkey -pubin -in "$fixture/root.pub.pem" -noout \
    -- "${verify[@]}" --text "$(cat "$fixture/valid.txt")" |
    sed -e 's/^floor: /openssl floor: /' -e 's/^command: /verify --text: /' -e 's/^ratio command/start-up ratio verify/'
  # The same start-up in instructions (callgrind), which the machine's load
  # does not change; the loader and OpenSSL's start count for both.
  if command -v valgrind >/dev/null; then
    instructions() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null | awk '/Collected/ { print $NF }'; }
    echo "start-up instructions: openssl $(instructions openssl pkey -pubin -in "$fixture/root.pub.pem" -noout)" \
         "verify $(instructions "${verify[@]}" --text "$(cat "$fixture/valid.txt")")"
  fi
  echo "verify IMAGE: $("$BUILD_DIR"/bench/bench_process 10 -- "${verify[@]}" "$fixture/valid.png")"
  for alg in EdDSA ES256 SM2_SM3; do
    n=$(wc -l < "$fixture/batch-$alg.txt")
    for jobs in 1 0; do
      echo "batch $alg $n lines --jobs $jobs: $("$BUILD_DIR"/bench/bench_process 3 --stdin "$fixture/batch-$alg.txt" -- "${verify[@]}" --jobs $jobs -)"
    done
  done
} | tee -a "$out"

# The issuer (docs/issuer.md): issuance next to the raw sign rate of the same
# run, QR PNG rendering next to libqrencode + a 1-bit PNG write.
if [ "$BENCH_PARTS" = all ]; then
  {
    echo
    echo "## issuer (bench_issuer)"
    "$BUILD_DIR"/bench/bench_issuer 2>/dev/null
  } | tee -a "$out"
  issuer_load
fi

# Revocation set sizes against log2 C(N,R) and other formats, load times.
"$BUILD_DIR"/bench/bench_revocation bench/results/revocation.txt

# Ratios of our paths to the floors, from the medians' CPU times.
awk '
  function ns(v, u) { return u == "us" ? v * 1e3 : u == "ms" ? v * 1e6 : u == "s" ? v * 1e9 : v }
  function field(name,   i) { for (i = 1; i < NF; i++) if ($i == name) return $(i + 1); return 0 }
  /_median/ { split($1, a, "/"); sub("_median", "", a[2]); t[a[1] "/" a[2]] = ns($4, $5) }
  /_median/ && $1 ~ /^BM_[A-Za-z]+_median/ { sub("_median", "", $1); t[$1] = ns($4, $5) }
  /^openssl floor:/ { opensslMs = field("median") }
  /^openssl floor:/ { opensslCpu = $(NF - 8) }
  /^verify --text:/ { textMs = field("median"); textCpu = $(NF - 8) }
  /^start-up instructions:/ { opensslInstr = field("openssl"); verifyInstr = field("verify") }
  /^batch .* --jobs 0:/ { batchAllNs[$2] = field("median") * 1e6 / $3 }
  /^batch .* --jobs 1:/ { batchNs[$2] = field("median") * 1e6 / $3
                          for (i = 1; i < NF; i++) if ($i == "cpu") batchCpuNs[$2] = $(i + 2) * 1e6 / $3 }
  END {
    print "\n## ratios (median CPU time; process figures: median wall time)"
    n = split("EdDSA ES256 SM2_SM3", algs, " ")
    for (i = 1; i <= n; i++) {
      x = algs[i]
      if (t["BM_RawVerify/" x] > 0) printf "zc1 open / raw verify        %-8s %.3f  (goal <= 1.10)\n", x, t["BM_Verify/" x] / t["BM_RawVerify/" x]
      if (t["BM_RawSign/" x] > 0)   printf "zc1 issue / raw sign         %-8s %.3f\n", x, t["BM_Issue/" x] / t["BM_RawSign/" x]
      if (t["BM_VerifierVerify/" x] > 0)
        printf "verifier throughput / raw    %-8s %.3f  (goal >= 0.90)\n", x, t["BM_VerifierRawVerify/" x] / t["BM_VerifierVerify/" x]
      if (t["BM_VerifyAndRender/" x] > 0)
        printf "verify + JSON line / raw     %-8s %.3f  (batch floor in process)\n", x, t["BM_VerifierRawVerify/" x] / t["BM_VerifyAndRender/" x]
      if (batchNs[x] > 0 && t["BM_VerifierRawVerify/" x] > 0)
        printf "batch --jobs 1 / raw verify  %-8s %.3f wall, %.3f cpu  (throughput, goal >= 0.90)\n", x,
               t["BM_VerifierRawVerify/" x] / batchNs[x], t["BM_VerifierRawVerify/" x] / batchCpuNs[x]
      if (batchAllNs[x] > 0 && t["BM_VerifierRawVerify/" x] > 0)
        printf "batch --jobs 0 / raw verify  %-8s %.3f wall  (every core)\n", x, t["BM_VerifierRawVerify/" x] / batchAllNs[x]
    }
    if (t["BM_ZXingDecodeOnly"] > 0) {
      printf "scan-to-verdict / zxing decode        %.3f  (goal <= 1.10)\n", t["BM_ScanToVerdict"] / t["BM_ZXingDecodeOnly"]
      printf "frame with a code / zxing decode      %.3f  (goal <= 1.10)\n", t["BM_FrameToVerdict"] / t["BM_ZXingDecodeOnly"]
    }
    if (t["BM_ZXingDecodeOnlyNoCode"] > 0) {
      printf "frame without a code / zxing decode   %.3f  (goal <= 1.00)\n", t["BM_FrameNoCode"] / t["BM_ZXingDecodeOnlyNoCode"]
      printf "image without a code / zxing decode   %.3f  (the thorough search)\n", t["BM_ImageNoCode"] / t["BM_ZXingDecodeOnlyNoCode"]
    }
    if (opensslInstr > 0) printf "start to verdict / openssl pkey       %.3f instructions (callgrind)\n", verifyInstr / opensslInstr
    if (opensslMs > 0) printf "start to verdict / openssl pkey       %.3f wall, %.3f cpu  (goal <= 1.50; interleaved, one run)\n", textMs / opensslMs, textCpu / opensslCpu
  }' "$out" | tee -a "$out"
