#!/usr/bin/env bash
# The README's first command: installs the Debian packages, builds, and runs
# the demo (issue a certificate, print it, verify it).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
./scripts/build.sh
"${BUILD_DIR:-build}"/tools/titlecert-demo "${1:-SM2-SM3}"
