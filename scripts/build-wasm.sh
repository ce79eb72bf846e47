#!/usr/bin/env bash
# Builds the WebAssembly verifier (Debian's emscripten, emcmake) into
# build-wasm/ (or $BUILD_DIR): the module for the offline check page and the
# conformance suites that run under node (ctest -L wasm). Extra arguments go
# to cmake's configure step. Needs npm (the crypto backend's packages).
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build-wasm}
# emscripten's node tools look for acorn and friends among Debian's node modules.
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}
emcmake cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DTITLECERT_WERROR=ON -DTITLECERT_BUILD_BENCH=OFF "$@" >/dev/null
cmake --build "$build_dir" --parallel "${JOBS:-2}"
