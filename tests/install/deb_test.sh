#!/usr/bin/env bash
# The Debian packages CPack writes (docs/packaging.md): titlecert-verify with
# the library, header, pkg-config file, CLI and image module; titlecert-issuer (full build
# only) with its programs and systemd unit.
#   deb_test.sh BUILD_DIR
set -euo pipefail
build_dir=$1
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
fail() { echo "deb_test: $*" >&2; exit 1; }
cpack -G DEB -B "$out" --config "$build_dir/CPackConfig.cmake" >/dev/null
verify_deb=$(ls "$out"/titlecert-verify_*.deb) || fail "no titlecert-verify .deb"
contents=$(dpkg-deb -c "$verify_deb")
for f in ./usr/bin/titlecert-verify ./usr/lib/libtitlecert_verify.so.1 ./usr/include/titlecert/verify.h \
         ./usr/include/titlecert/result_codes.def ./usr/lib/pkgconfig/titlecert-verify.pc; do
  grep -q " $f" <<<"$contents" || fail "titlecert-verify.deb lacks $f"
done
dpkg-deb -f "$verify_deb" Depends | grep -q libssl3 || fail "titlecert-verify.deb does not depend on libssl3"
# With image inputs the package carries the image module, and with it the
# image libraries as dependencies.
if [ -e "$build_dir/verifier/titlecert/titlecert-scan.so" ]; then
  grep -q " ./usr/lib/titlecert/titlecert-scan.so" <<<"$contents" || fail "titlecert-verify.deb lacks the image module"
  dpkg-deb -f "$verify_deb" Depends | grep -qi zxing || fail "titlecert-verify.deb does not depend on ZXing"
fi
if [ -x "$build_dir/issuer/titlecert-issuer" ]; then
  issuer_deb=$(ls "$out"/titlecert-issuer_*.deb) || fail "no titlecert-issuer .deb"
  contents=$(dpkg-deb -c "$issuer_deb")
  for f in ./usr/bin/titlecert-issuer ./usr/bin/titlecert-config ./usr/lib/systemd/system/titlecert-issuer.service; do
    grep -q " $f" <<<"$contents" || fail "titlecert-issuer.deb lacks $f"
  done
fi
echo "deb_test: passed"
