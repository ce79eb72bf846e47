#!/usr/bin/env bash
# Terminal footprint (docs/performance.md, "Terminals"): stripped sizes of
# libtitlecert_verify.so and titlecert-verify for x86-64 and aarch64, with
# image scanning and text-only (TITLECERT_SCAN=OFF), and each verifier's
# peak RSS and start-to-verdict time, aarch64 under qemu-user next to
# native. Writes bench/results/footprint.txt.
#
# Builds the verifier library and CLI in four MinSizeRel (-Os, what a
# terminal would ship) verifier-side dirs build-footprint/<arch>-<scan|text>,
# and takes the test fixture from the native test build (NATIVE_BUILD,
# default build/, configured if missing). The aarch64 toolchain must be
# installed (scripts/cross-build.sh aarch64 does it). JOBS: compile jobs
# (default 2); RUNS: timed runs per figure (default 10; the median is given).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${JOBS:-2} runs=${RUNS:-10}
out=bench/results/footprint.txt

configs=(x86_64-scan x86_64-text aarch64-scan aarch64-text)
declare -A dirs
for key in "${configs[@]}"; do dirs[$key]=build-footprint/$key; done
native_build=${NATIVE_BUILD:-build}

configure_if_missing() {  # KEY DIR
  local key=$1 dir=$2 args=(-G Ninja -DCMAKE_BUILD_TYPE=MinSizeRel -DTITLECERT_COMPONENTS=verifier -DTITLECERT_BUILD_TESTS=OFF)
  command -v ccache >/dev/null && args+=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  [ -f "$dir/CMakeCache.txt" ] && return 0
  [[ $key == aarch64-* ]] && args+=(-DCMAKE_TOOLCHAIN_FILE="$PWD/cmake/toolchain-aarch64.cmake")
  [[ $key == *-text ]] && args+=(-DTITLECERT_SCAN=OFF)
  cmake -S . -B "$dir" "${args[@]}" >/dev/null
}

for key in "${configs[@]}"; do
  configure_if_missing "$key" "${dirs[$key]}"
  cmake --build "${dirs[$key]}" --parallel "$jobs" --target titlecert-verify titlecert_verify >/dev/null
done
[ -f "$native_build/CMakeCache.txt" ] ||
  cmake -S . -B "$native_build" -G Ninja -DTITLECERT_COMPONENTS=verifier >/dev/null
cmake --build "$native_build" --parallel "$jobs" --target make_fixture >/dev/null

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fixture=$tmp/fixture
"$native_build"/tests/support/make_fixture "$fixture" >/dev/null

stripped_size() {  # STRIP FILE
  "$1" -o "$tmp/stripped" "$2" && stat -c %s "$tmp/stripped"
}

# verify_command KEY: the command line that runs KEY's verifier (under
# qemu-user for aarch64), into the array `cmd`.
verify_command() {
  local bin=${dirs[$1]}/verifier/titlecert-verify
  cmd=("$bin")
  [[ $1 == aarch64-* ]] && cmd=(qemu-aarch64 -L / "$bin")
  return 0
}

# measure KEY INPUT-ARGS...: "median-ms peak-RSS-KiB" over RUNS runs. Under
# qemu-user the peak RSS is the emulator process's: the guest program's
# memory and qemu's own together.
measure() {
  local key=$1 cmd
  shift
  verify_command "$key"
  cmd+=(--bundle "$fixture/bundle.cbor" --root "$fixture/root.pub.pem" --now 2026-11-27T01:00:00Z --json "$@")
  local times=() t0 t1 rss median
  for _ in $(seq "$runs"); do
    t0=$(date +%s%N)
    "${cmd[@]}" >/dev/null || [ $? -eq 1 ]
    t1=$(date +%s%N)
    times+=($(((t1 - t0) / 1000)))
  done
  rss=$( { /usr/bin/time -v "${cmd[@]}" >/dev/null || true; } 2>&1 | awk -F': ' '/Maximum resident set size/ {print $2}')
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf '%d.%01d %s' $((median / 1000)) $((median % 1000 / 100)) "$rss"
}

text=$(cat "$fixture/valid.txt")
{
  echo "# titlecert terminal footprint — $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "# $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(qemu-aarch64 --version | head -1)"
  echo "# MinSizeRel (-Os) builds, verifier side only, stripped; timings: median of $runs runs"
  echo
  echo "## stripped sizes (bytes)"
  printf '%-14s %22s %18s\n' build libtitlecert_verify.so titlecert-verify
  for key in "${configs[@]}"; do
    strip=strip
    [[ $key == aarch64-* ]] && strip=aarch64-linux-gnu-strip
    lib=$(readlink -f "${dirs[$key]}"/verifier/libtitlecert_verify.so)
    printf '%-14s %22s %18s\n' "$key" "$(stripped_size $strip "$lib")" \
      "$(stripped_size $strip "${dirs[$key]}"/verifier/titlecert-verify)"
  done
  echo
  echo "## start to verdict (ms, median) and peak RSS (KiB); aarch64 runs under qemu-user on this x86-64 host"
  printf '%-14s %-18s %10s %12s\n' build input ms peak_rss_kib
  for key in "${configs[@]}"; do
    read -r ms rss <<<"$(measure "$key" --text "$text")"
    printf '%-14s %-18s %10s %12s\n' "$key" "--text valid" "$ms" "$rss"
    if [[ $key == *-scan ]]; then
      read -r ms rss <<<"$(measure "$key" "$fixture/valid.png")"
      printf '%-14s %-18s %10s %12s\n' "$key" "valid.png" "$ms" "$rss"
    fi
  done
} | tee "$out"
