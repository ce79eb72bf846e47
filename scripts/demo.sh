#!/usr/bin/env bash
# The README's first command: installs the Debian packages, builds, then
#   1. initialises an issuer (root key + SM2 signing key, encrypted at rest),
#   2. starts the issuer service on 127.0.0.1 and issues a title over HTTP,
#   3. saves its QR PNG and the signed trust bundle from /v1/bundle,
#   4. verifies the certificate offline from its QR image with titlecert-verify.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
./scripts/build.sh
bin=${BUILD_DIR:-build}
out=${DEMO_DIR:-demo-out}
port=${DEMO_PORT:-18473}
base="http://127.0.0.1:$port"
rm -rf "$out" && mkdir -p "$out"
# A demo passphrase unless you bring your own; never use this one for real keys.
export TITLECERT_PASSPHRASE=${TITLECERT_PASSPHRASE:-demo-passphrase-change-me}

echo "== 1. titlecert-issuer init"
"$bin"/issuer/titlecert-issuer init --data "$out/issuer" --alg "${1:-SM2-SM3}" | tee "$out/init.json"
admin=$(sed -E 's/.*"admin_token": *"([^"]+)".*/\1/' "$out/init.json")

echo "== 2. titlecert-issuer serve on $base"
"$bin"/issuer/titlecert-issuer serve --data "$out/issuer" --listen "127.0.0.1:$port" 2> "$out/issuer.log" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf "$base/v1/health" >/dev/null && break; sleep 0.2; done

clerk=$(curl -sf -H "Authorization: Bearer $admin" -d '{"role": "clerk"}' "$base/v1/tokens" \
        | sed -E 's/.*"token": *"([^"]+)".*/\1/')
today=$(date -u +%Y-%m-%d)
cat > "$out/request.json" <<JSON
{"type": "title", "holder": {"name": "张三", "id": "CN:650102199001011239"},
 "series": 5, "specialty": 501, "level": 4, "route": "review", "granted": "$today",
 "approval_no": "新高人社职〔2026〕12号", "committee": 6501, "employer": "新疆某生物医药有限公司",
 "person": {"education": [{"level": "bachelor", "full_time": true, "graduated": "2012-07-01"}],
            "technical_school_class": null, "technical_work_since": "2012-07-15", "skill_levels": [],
            "qualifications": [], "titles": [{"series": 5, "specialty": 501, "level": 3, "granted": "2019-06-30"}],
            "employer": {"kind": "private", "in_zone": true, "industry": "biomedicine", "manufacturing": false},
            "hr_staff": false, "high_level_talent": null, "first_application": false,
            "continuing_education_hours": 120, "entrustment_letter": null}}
JSON
echo "== 3. POST /v1/certificates (a clerk issues 高级工程师, route review, checked against the rules)"
curl -sf -H "Authorization: Bearer $clerk" -H "Content-Type: application/json" \
     --data-binary @"$out/request.json" "$base/v1/certificates" | tee "$out/issued.json"
echo
cert_no=$(sed -E 's/.*"cert_no": *"([^"]+)".*/\1/' "$out/issued.json")
curl -sf -H "Authorization: Bearer $clerk" -o "$out/cert.png" "$base/v1/certificates/$cert_no/qr.png"
curl -sf -H "Authorization: Bearer $clerk" -o "$out/card.svg" "$base/v1/certificates/$cert_no/card.svg"
curl -sf -o "$out/bundle.cbor" "$base/v1/bundle"
echo "saved $out/cert.png, $out/card.svg and $out/bundle.cbor ($(wc -c < "$out/bundle.cbor") bytes)"

echo "== 4. titlecert-verify, offline, from the QR image"
"$bin"/verifier/titlecert-verify --bundle "$out/bundle.cbor" --root "$out/issuer/root.pub.pem" \
  --state "$out/verifier.state" --id CN:650102199001011239 "$out/cert.png"
