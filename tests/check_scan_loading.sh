#!/usr/bin/env bash
# The CLI maps the image libraries only for images: verifying a text loads
# neither the image module nor ZXing, libpng or libjpeg; verifying an image
# loads them all; and a CLI whose module is missing refuses images with a
# usage error that names the module, while texts still verify.
#   check_scan_loading.sh CLI FIXTURE_DIR   (RUNNER: what runs the CLI, e.g. qemu-user)
set -euo pipefail
cli=$1 fixture=$2
fail() { echo "check_scan_loading: $*" >&2; exit 1; }
args=(--bundle "$fixture/bundle.cbor" --root "$fixture/root.pub.pem" --now 2026-11-27T01:00:00Z)
image_libs='titlecert-scan\.so|libZXing|libpng|libjpeg'

# LD_DEBUG=files makes the dynamic loader report every object it opens.
loaded() { LD_DEBUG=files ${RUNNER:-} "$cli" "${args[@]}" "$@" 2>&1 >/dev/null | { grep -oE "$image_libs" || true; } | sort -u | tr '\n' ' '; }

text_libs=$(loaded --text "$(cat "$fixture/valid.txt")")
[ -z "$text_libs" ] || fail "a text verify loaded: $text_libs"
image_libs_loaded=$(loaded "$fixture/valid.png")
for lib in titlecert-scan.so libZXing libpng libjpeg; do
  grep -q "$lib" <<<"$image_libs_loaded" || fail "an image verify did not load $lib (loaded: $image_libs_loaded)"
done

# The same CLI alone in a folder, without its module.
alone=$(mktemp -d)
trap 'rm -rf "$alone"' EXIT
cp "$cli" "$alone/"
${RUNNER:-} "$alone/$(basename "$cli")" "${args[@]}" --text "$(cat "$fixture/valid.txt")" >/dev/null ||
  fail "a CLI without its module cannot verify a text"
status=0
message=$(${RUNNER:-} "$alone/$(basename "$cli")" "${args[@]}" "$fixture/valid.png" 2>&1 >/dev/null) || status=$?
[ "$status" = 2 ] || fail "a CLI without its module answered $status for an image, not 2 (usage)"
grep -q "titlecert-scan.so is not installed" <<<"$message" || fail "unexpected message: $message"
echo "check_scan_loading: text loads no image library; image loads $image_libs_loaded; missing module refused"
