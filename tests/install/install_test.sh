#!/usr/bin/env bash
# Installs the build into a temporary prefix and builds a C program against it
# twice, with pkg-config and with the CMake package, then runs both on the
# verifier fixture (CONTRACT.md "Installed layout and versions").
#   install_test.sh BUILD_DIR FIXTURE_DIR VERSION CC [RUNNER...]
# CC is the target's C compiler; RUNNER (qemu-user in a cross build) runs
# what it builds.
set -euo pipefail
build_dir=$1 fixture=$2 version=$3 cc=$4
shift 4
here=$(cd "$(dirname "$0")" && pwd)
prefix=$(mktemp -d)
work=$(mktemp -d)
trap 'rm -rf "$prefix" "$work"' EXIT
fail() { echo "install_test: $*" >&2; exit 1; }

cmake --install "$build_dir" --prefix "$prefix" >/dev/null
for f in bin/titlecert-verify bin/titlecert-config lib/libtitlecert_verify.so lib/libtitlecert_verify.so.1 \
         include/titlecert/verify.h include/titlecert/result_codes.def lib/pkgconfig/titlecert-verify.pc \
         lib/cmake/TitlecertVerify/TitlecertVerifyConfig.cmake; do
  [ -e "$prefix/$f" ] || fail "missing $f"
done
# The soname link points at the versioned file.
[ "$(readlink "$prefix/lib/libtitlecert_verify.so.1")" = "libtitlecert_verify.so.$version" ] ||
  fail "libtitlecert_verify.so.1 -> $(readlink "$prefix/lib/libtitlecert_verify.so.1")"
# A build with image inputs installs the module the CLI and the library open
# for images (docs/packaging.md); both must find it from their installed place.
images=()
if [ -e "$build_dir/verifier/titlecert/titlecert-scan.so" ]; then
  [ -e "$prefix/lib/titlecert/titlecert-scan.so" ] || fail "missing lib/titlecert/titlecert-scan.so"
  images=(images)
  "$@" "$prefix/bin/titlecert-verify" --bundle "$fixture/bundle.cbor" --root "$fixture/root.pub.pem" \
    --now 2026-11-27T01:00:00Z "$fixture/valid.png" >/dev/null || fail "the installed CLI cannot read valid.png"
fi
# Every file verify.h includes with quotes is installed beside it.
for inc in $(sed -n 's/^#include "\(.*\)"/\1/p' "$prefix/include/titlecert/verify.h"); do
  [ -e "$prefix/include/$inc" ] || fail "verify.h includes $inc, which is not installed"
done

# pkg-config, exactly as CONTRACT.md writes it (plus an rpath to run it in place).
flags=$(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --cflags --libs titlecert-verify)
[ "$(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --modversion titlecert-verify)" = "$version" ] ||
  fail "pkg-config --modversion is not $version"
# shellcheck disable=SC2086
"$cc" -std=c11 -Wall -Wextra -Werror "$here/consumer.c" $flags -Wl,-rpath,"$prefix/lib" -o "$work/consumer_pc"
"$@" "$work/consumer_pc" "$fixture" "$version" "${images[@]}" || fail "the pkg-config build failed on the fixture"

# The CMake package: find_package(TitlecertVerify), target titlecert::verify.
cmake -S "$here/cmake_consumer" -B "$work/cmake" -DCMAKE_C_COMPILER="$cc" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_BUILD_RPATH="$prefix/lib" >/dev/null
cmake --build "$work/cmake" >/dev/null
"$@" "$work/cmake/consumer" "$fixture" "$version" "${images[@]}" || fail "the CMake package build failed on the fixture"
echo "install_test: passed ($prefix)"
