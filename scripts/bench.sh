#!/usr/bin/env bash
# Builds the benchmarks (Release) and writes their figures to
# bench/results/latest.txt, ending with every goal of docs/performance.md as
# a ratio taken in this one run. Not a timed test: run it on a quiet machine.
#   ./scripts/bench.sh            the full run (~10 minutes on 2 cores)
#   ./scripts/bench.sh --quick    every figure once, briefly (a few minutes):
#                                 checks the bench end to end; noisy ratios
set -euo pipefail
cd "$(dirname "$0")/.."
QUICK=0
for arg in "$@"; do
  case "$arg" in
    --quick) QUICK=1 ;;
    *) echo "usage: scripts/bench.sh [--quick]" >&2; exit 2 ;;
  esac
done
./scripts/install-deps.sh >/dev/null
BUILD_DIR=${BUILD_DIR:-build-bench}
# BENCH_PARTS=verifier skips the issuer's benchmarks (and their build): the
# verifier's figures alone, in a few minutes. BENCH_PARTS=issuer-load runs
# only the issuer's load and fault bench (ISSUER_LOAD_ARGS=--quick for a
# few-minute run), writing bench/results/issuer-load.txt.
BENCH_PARTS=${BENCH_PARTS:-all}
targets=(bench_zc1 bench_verifier bench_process bench_batch bench_revocation make_fixture titlecert-verify)
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
if [ "$QUICK" = 1 ]; then
  gbench=(--benchmark_repetitions=2 --benchmark_report_aggregates_only=true --benchmark_min_time=0.05)
  issuer_gbench=(--benchmark_min_time=0.05 --benchmark_filter=-BM_IssueHttp)
  process_runs=5
  batch_args=(1 0.2 4000 4000 1000)  # repetitions, raw seconds, EdDSA/ES256/SM2 lines
else
  gbench=(--benchmark_repetitions=3 --benchmark_report_aggregates_only=true --benchmark_min_time=0.3
          --benchmark_enable_random_interleaving=true)
  issuer_gbench=()
  process_runs=30
  batch_args=(5 0.5 12000 12000 3000)
fi

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
# reading the root key, the floor) and peak RSS.
fixture="$BUILD_DIR/bench-fixture"
"$BUILD_DIR"/tests/support/make_fixture "$fixture" >/dev/null
verify=("$BUILD_DIR"/verifier/titlecert-verify --bundle "$fixture/bundle.cbor" --root "$fixture/root.pub.pem"
        --now 2026-11-27T01:00:00Z)
{
  echo
  echo "## titlecert-verify process (bench_process)"
  # Start-up against its floor in one interleaved run (openssl, verify,
  # verify, openssl, ...): the ratio is taken from the same minutes.
  "$BUILD_DIR"/bench/bench_process $process_runs --vs openssl pkey -pubin -in "$fixture/root.pub.pem" -noout \
    -- "${verify[@]}" --text "$(cat "$fixture/valid.txt")" |
    sed -e 's/^floor: /openssl floor: /' -e 's/^command: /verify --text: /' -e 's/^ratio command/start-up ratio verify/'
  # The same start-up in instructions (callgrind), which the machine's load
  # does not change; the loader and OpenSSL's start count for both.
  if command -v valgrind >/dev/null; then
    instructions() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null | awk '/Collected/ { print $NF }'; }
    echo "start-up instructions: openssl $(instructions openssl pkey -pubin -in "$fixture/root.pub.pem" -noout)" \
         "verify $(instructions "${verify[@]}" --text "$(cat "$fixture/valid.txt")")"
  fi
  echo "verify IMAGE: $("$BUILD_DIR"/bench/bench_process $(( (process_runs + 2) / 3 )) -- "${verify[@]}" "$fixture/valid.png")"
  echo "bundle delta v6 -> v7: $(stat -c %s "$fixture/delta-v6-v7.cbor") bytes, full bundle $(stat -c %s "$fixture/bundle.cbor") bytes"
  echo
  # Batch mode through the whole process (reading, rendering, writing),
  # each batch between two raw verifies of the same credential (bench_batch).
  echo "## batch mode, interleaved with raw verify (bench_batch)"
  # With valgrind, the same in instructions (callgrind), which the load of a
  # shared machine does not move.
  cg=(); [ "$QUICK" = 0 ] && command -v valgrind >/dev/null && cg=(--callgrind)
  "$BUILD_DIR"/bench/bench_batch "$BUILD_DIR"/verifier/titlecert-verify "${batch_args[@]}" "${cg[@]}"
} | tee -a "$out"

# The issuer (docs/issuer.md): issuance next to the raw sign rate of the same
# run, QR PNG rendering next to libqrencode + a 1-bit PNG write.
if [ "$BENCH_PARTS" = all ]; then
  {
    echo
    echo "## issuer (bench_issuer)"
    "$BUILD_DIR"/bench/bench_issuer "${issuer_gbench[@]}" 2>/dev/null
  } | tee -a "$out"
  [ "$QUICK" = 1 ] && ISSUER_LOAD_ARGS="--quick ${ISSUER_LOAD_ARGS:-}"
  issuer_load
fi

# Revocation set sizes against log2 C(N,R) and other formats, load times.
"$BUILD_DIR"/bench/bench_revocation bench/results/revocation.txt

# Every goal as a ratio of this run: medians' CPU times for the in-process
# benches, bench_batch's medians of interleaved ratios for batch mode, items
# per second for the issuer, sizes for revocation and deltas.
awk '
  function ns(v, u) { return u == "us" ? v * 1e3 : u == "ms" ? v * 1e6 : u == "s" ? v * 1e9 : v }
  function field(name,   i) { for (i = 1; i < NF; i++) if ($i == name) return $(i + 1); return 0 }
  function rate(   i, v) {  # items_per_second=12.3k/s
    for (i = 1; i <= NF; i++) if ($i ~ /^items_per_second=/) {
      v = $i; sub("items_per_second=", "", v); sub("/s", "", v)
      return v ~ /k$/ ? v * 1e3 : v ~ /M$/ ? v * 1e6 : v + 0
    }
    return 0
  }
  function algName(a) { return a == "-8" ? "EdDSA" : a == "-7" ? "ES256" : a == "-65600" ? "SM2_SM3" : a }
  FILENAME ~ /revocation/ && $1 ~ /^[0-9]+$/ && NF >= 7 { if ($6 > worstBound) worstBound = $6 }
  FILENAME ~ /revocation/ && /^load N=1000000 / { if ($4 > worstLoad1e6) worstLoad1e6 = $4 }
  FILENAME ~ /revocation/ && /^load N=10000000 +R=1000000 / { load1e6Revoked = $4 }
  FILENAME ~ /revocation/ { next }
  /_median/ { split($1, a, "/"); sub("_median", "", a[2]); t[a[1] "/" a[2]] = ns($4, $5) }
  /_median/ && $1 ~ /^BM_[A-Za-z]+_median/ { sub("_median", "", $1); t[$1] = ns($4, $5) }
  /^openssl floor:/ { opensslMs = field("median"); opensslCpu = $(NF - 8) }
  /^verify --text:/ { textMs = field("median"); textCpu = $(NF - 8) }
  /^start-up instructions:/ { opensslInstr = field("openssl"); verifyInstr = field("verify") }
  /^bundle delta/ { deltaBytes = $6; fullBytes = $10 }
  /^batch-ratio / { batchE2e[$2] = $5; batchBeyond[$2] = $7; batchAll[$2] = $9; batchLines[$2] = $3 }
  /^batch-instructions / { insBeyond[$2] = $10; insAt[$2] = $12 }
  /^BM_(RawSign|IssueBatch|StorageFloor)\/alg:/ {
    split($1, a, "/"); alg = algName(substr(a[2], 5)); issuer[a[1] "/" alg] = rate()
    # CPU (every thread for issuance and the floor) per item: cpu per iteration / items per iteration
    if (rate() > 0) issuerCpu[a[1] "/" alg] = ns($4, $5) / (rate() * ns($2, $3) / 1e9)
  }
  END {
    print "\n## ratios (one run; in-process: median CPU time; process figures: CPU time of the process)"
    if (worstBound > 0)
      printf "revocation size / log2 C(N,R), worst row    %.3f  (goal <= 1.15)\n", worstBound
    if (worstLoad1e6 != "")
      printf "revocation load, 1e6 issued, worst / 20 ms  %.3f  (goal <= 1.00)\n", worstLoad1e6 / 20
    if (load1e6Revoked != "")
      printf "revocation load, 1e6 revoked (N=1e7) / 20 ms %.3f  (the same goal read as 1e6 entries)\n", load1e6Revoked / 20
    if (fullBytes > 0)
      printf "bundle delta v6->v7 / full bundle           %.4f  (%d of %d bytes; a small fraction)\n", deltaBytes / fullBytes, deltaBytes, fullBytes
    n = split("EdDSA ES256 SM2_SM3", algs, " ")
    for (i = 1; i <= n; i++) {
      x = algs[i]
      if (t["BM_RawVerify/" x] > 0) printf "zc1 open / raw verify        %-8s %.3f  (goal <= 1.10)\n", x, t["BM_Verify/" x] / t["BM_RawVerify/" x]
      if (t["BM_RawSign/" x] > 0)   printf "zc1 issue / raw sign         %-8s %.3f\n", x, t["BM_Issue/" x] / t["BM_RawSign/" x]
      if (t["BM_VerifierVerify/" x] > 0)
        printf "verifier throughput / raw    %-8s %.3f  (goal >= 0.90)\n", x, t["BM_VerifierRawVerify/" x] / t["BM_VerifierVerify/" x]
      if (t["BM_VerifyAndRender/" x] > 0)
        printf "verify + JSON line / raw     %-8s %.3f  (batch floor in process)\n", x, t["BM_VerifierRawVerify/" x] / t["BM_VerifyAndRender/" x]
      if (batchE2e[x] > 0) {
        printf "batch --jobs 1 / raw verify  %-8s %.3f  (goal >= 0.90; %d lines, exec to exit, cpu, median of interleaved runs)\n", x, batchE2e[x], batchLines[x]
        printf "  same, start-up left out    %-8s %.3f\n", x, batchBeyond[x]
        printf "  --jobs 0 wall / raw cpu    %-8s %.3f  (every core)\n", x, batchAll[x]
      }
      if (insAt[x] > 0)
        printf "  in instructions            %-8s %.3f  (%.3f start-up left out; callgrind)\n", x, insAt[x], insBeyond[x]
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
    for (i = 1; i <= n; i++) {
      x = algs[i]; sign = issuer["BM_RawSign/" x]; issue = issuer["BM_IssueBatch/" x]; store = issuer["BM_StorageFloor/" x]
      if (sign <= 0 || issue <= 0) continue
      limit = store > 0 && store < sign ? store : sign
      printf "issuance / raw sign          %-8s %.3f  (%.0f/s of %.0f/s; storage floor %.0f/s)\n", x, issue / sign, issue, sign, store
      printf "issuance / min(sign, floor)  %-8s %.3f  (goal >= 0.80; the limit: %s)\n", x, issue / limit, limit == sign ? "raw sign" : "durable commit"
      if (issuerCpu["BM_IssueBatch/" x] > 0)
        printf "  cpu per row: sign %.1f us, issuance %.1f us (all threads), floor %.1f us\n", issuerCpu["BM_RawSign/" x] / 1e3,
               issuerCpu["BM_IssueBatch/" x] / 1e3, issuerCpu["BM_StorageFloor/" x] / 1e3
    }
  }' "$out" bench/results/revocation.txt | tee -a "$out"
