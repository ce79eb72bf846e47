#!/usr/bin/env bash
# The README's first command: installs the Debian packages, builds, then
#   1. makes an issuer key and a root key (encrypted at rest) and a manifest,
#   2. builds and signs the trust bundle with titlecert-config,
#   3. issues a title certificate as a ZC1 text and a QR PNG,
#   4. verifies it offline from the QR image with titlecert-verify.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
./scripts/build.sh
bin=${BUILD_DIR:-build}
out=${DEMO_DIR:-demo-out}
rm -rf "$out" && mkdir -p "$out"
# A demo passphrase unless you bring your own; never use this one for real keys.
export TITLECERT_PASSPHRASE=${TITLECERT_PASSPHRASE:-demo-passphrase-change-me}

echo "== 1. keys and manifest"
"$bin"/tools/titlecert-demo keys "$out" "${1:-SM2-SM3}"
echo "== 2. signed trust bundle"
"$bin"/firmware-config/titlecert-config bundle build --manifest "$out/manifest.json" \
  --root-key "$out/root.pem" --out "$out/bundle.cbor"
echo "== 3. a certificate"
"$bin"/tools/titlecert-demo issue "$out"
echo "== 4. verified offline from its QR image"
"$bin"/verifier/titlecert-verify --bundle "$out/bundle.cbor" --root "$out/root.pub.pem" \
  --state "$out/verifier.state" --id CN:650102199001011239 "$out/cert.png"
