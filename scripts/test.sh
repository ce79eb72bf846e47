#!/usr/bin/env bash
# The README's test command: installs the Debian packages, builds, and runs
# every test (ctest prints the pass/fail summary): the native build, then
# the WebAssembly verifier's suites under node.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
./scripts/build.sh
# The WebAssembly build runs the tamper table through the native make_fixture,
# and the native build embeds its module in the offline page: native first,
# then wasm, then the native configure again (only the page is rebuilt).
./scripts/build-wasm.sh
./scripts/build.sh
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure --parallel "$(nproc)"
ctest --test-dir build-wasm --output-on-failure --parallel "$(nproc)" -L wasm
