#!/usr/bin/env bash
# Configures and builds titlecert into build/ (or $BUILD_DIR). Extra
# arguments go to cmake's configure step.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DTITLECERT_WERROR=ON "$@" >/dev/null
cmake --build "$build_dir" --parallel "$(nproc)"
