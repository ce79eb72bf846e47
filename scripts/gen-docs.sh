#!/usr/bin/env bash
# Regenerates the documentation that is derived from code (docs/errors.md).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/build.sh >/dev/null
"${BUILD_DIR:-build}"/tools/titlecert-gen-errors-doc > docs/errors.md
echo "docs/errors.md regenerated"
