#!/usr/bin/env bash
# The README's test command: installs the Debian packages, builds, and runs
# every test (ctest prints the pass/fail summary).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
./scripts/build.sh
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure --parallel "$(nproc)"
