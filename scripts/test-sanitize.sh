#!/usr/bin/env bash
# Everything that parses untrusted bytes, under AddressSanitizer and
# UndefinedBehaviorSanitizer: the codec, ZC1, catalogue, verifier and image
# suites, and the fuzz seeds and regressions replayed. CI runs it after the
# main test command.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh >/dev/null
BUILD_DIR=${BUILD_DIR:-build-asan}
# No -Werror here: GCC 12 gives false stringop/maybe-uninitialized warnings
# under -fsanitize; the main build keeps warnings as errors.
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTITLECERT_WERROR=OFF \
  -DTITLECERT_SANITIZE=ON -DTITLECERT_BUILD_BENCH=OFF >/dev/null
# test_verifier is the tamper table, test_qr_images and test_safe_output the image
# suites (extreme image sizes, the scan limit) and hostile signed text.
suites=(test_base45 test_cbor test_cbor_tape test_zc1 test_catalogue test_eligibility test_verifier test_qr_images test_safe_output test_terminal_state)
replays=(cbor verify bundle image)
cmake --build "$BUILD_DIR" --parallel "$(nproc)" --target "${suites[@]}" "${replays[@]/#/fuzz_}"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
passed=0 failed=0
for t in "${suites[@]}"; do
  if "$BUILD_DIR/tests/$t" --gtest_brief=1 > "$BUILD_DIR/$t.log" 2>&1; then passed=$((passed + 1))
  else failed=$((failed + 1)); echo "sanitized $t FAILED:"; tail -40 "$BUILD_DIR/$t.log"; fi
done
for r in "${replays[@]}"; do
  if "$BUILD_DIR/fuzz/replay_$r" "fuzz/corpus/$r" "fuzz/regressions/$r" > "$BUILD_DIR/replay_$r.log" 2>&1; then passed=$((passed + 1))
  else failed=$((failed + 1)); echo "sanitized replay_$r FAILED:"; tail -40 "$BUILD_DIR/replay_$r.log"; fi
done
echo "sanitizers: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
