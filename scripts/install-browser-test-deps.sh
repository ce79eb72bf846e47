#!/usr/bin/env bash
# Installs the browser tests' npm packages (puppeteer-core, pinned by
# tests/browser/package-lock.json) unless they are already there. The
# browser itself is Debian's chromium (scripts/install-deps.sh).
set -euo pipefail
cd "$(dirname "$0")/../tests/browser"
if [ -f node_modules/.package-lock.json ] && cmp -s package-lock.json node_modules/.titlecert-installed-lock; then
  exit 0
fi
PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
cp package-lock.json node_modules/.titlecert-installed-lock
