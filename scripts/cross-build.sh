#!/usr/bin/env bash
# Cross-builds the verifier side for an ARM terminal and runs its test suites
# under qemu-user (docs/terminal.md):
#   scripts/cross-build.sh aarch64|armhf [extra cmake -D options]
# Installs what it needs on Debian 12 (the target architecture, its cross
# compiler, qemu-user, the target's -dev packages); already installed
# packages are left as they are. Builds into build-aarch64/ (build-armhf/).
#
# Environment: JOBS (parallel compile jobs, default 2); BUILD_TYPE (default
# RelWithDebInfo; an empty one, no optimisation, compiles about twice as
# fast when only the tests matter); NATIVE_VERIFY, a
# native titlecert-verify to compare verdicts with (default
# build/verifier/titlecert-verify when it exists; the qemu-labelled test
# needs it); SKIP_TESTS=1 builds only.
set -euo pipefail
cd "$(dirname "$0")/.."

arch=${1:-}
case "$arch" in
  aarch64) deb_arch=arm64 ;;
  armhf) deb_arch=armhf ;;
  *) echo "usage: $0 aarch64|armhf [cmake options]" >&2; exit 2 ;;
esac
shift

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
# apt is shared with other builds on the same machine: one at a time.
apt_locked() { as_root flock /tmp/apt.lock "$@"; }

packages=(crossbuild-essential-$deb_arch qemu-user cmake ninja-build pkg-config nlohmann-json3-dev)
for dev in libssl-dev libzxing-dev libpng-dev libjpeg-dev libgtest-dev libgmock-dev libqrencode-dev; do
  packages+=("$dev:$deb_arch")
done
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if ! dpkg --print-foreign-architectures | grep -qx "$deb_arch"; then
    apt_locked dpkg --add-architecture "$deb_arch"
  fi
  apt_locked apt-get update
  apt_locked env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi

native_verify=${NATIVE_VERIFY:-$PWD/build/verifier/titlecert-verify}
[ -x "$native_verify" ] || native_verify=""
[ -n "$native_verify" ] || echo "cross-build: no native titlecert-verify; the qemu verdict comparison is skipped" >&2

# ccache, when installed, lets a second configuration (text-only, or the
# footprint builds) reuse the objects that do not differ.
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi

build_dir=build-$arch
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE-RelWithDebInfo}" "${launcher[@]}" \
  -DCMAKE_TOOLCHAIN_FILE="$PWD/cmake/toolchain-$arch.cmake" \
  -DTITLECERT_WERROR=ON -DTITLECERT_COMPONENTS=verifier \
  -DTITLECERT_NATIVE_VERIFY="$native_verify" "$@" >/dev/null
cmake --build "$build_dir" --parallel "${JOBS:-2}"
file "$build_dir/verifier/titlecert-verify" 2>/dev/null || true
# Every test runs under qemu-user, the threaded ones too: the emulator's
# root is the multiarch "/" (cmake/debian-cross.cmake says why).
if [ "${SKIP_TESTS:-0}" != 1 ]; then
  ctest --test-dir "$build_dir" --output-on-failure --timeout 600 --parallel "${JOBS:-2}"
fi
