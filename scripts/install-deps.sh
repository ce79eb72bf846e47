#!/usr/bin/env bash
# Installs, idempotently, every Debian 12 package titlecert needs to build,
# test, fuzz and benchmark. Run as root (CONTRACT.md, "Setting up").
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git curl
  clang libclang-rt-14-dev            # libFuzzer + sanitizers
  libssl-dev openssl                  # OpenSSL 3: SM2/SM3, Ed25519, P-256, scrypt (CLI: test keys)
  nlohmann-json3-dev                  # JSON for manifests, catalogue, CLI output
  libqrencode-dev                     # QR rendering (issuer, demo)
  libzxing-dev                        # QR reading (verifier)
  libpng-dev libjpeg-dev              # image loading for ZXing-cpp 1.4
  libsqlite3-dev                      # issuer storage
  libpq-dev postgresql                # issuer storage for several instances; tests run a throwaway cluster
  libpoco-dev                         # issuer storage, JSON, configuration
  libboost1.74-dev                    # issuer HTTP server: Boost.Asio + Boost.Beast (header-only)
  libgtest-dev libgmock-dev           # tests
  libicu-dev                          # NFC normalisation of holder names (issuer)
  libbenchmark-dev                    # bench/
  zlib1g-dev                          # bench/: the gzip comparison for revocation sets
  libcairo2-dev libpango1.0-dev      # the printable certificate (issuer/card): PDF, SVG, text layout
  fonts-noto-cjk                      # its embedded CJK fonts (Noto Serif/Sans CJK SC)
  poppler-utils librsvg2-bin          # card tests: pdftoppm, pdffonts, rsvg-convert
  chromium nodejs                     # browser tests of the web pages (puppeteer-core drives chromium)
  emscripten                          # the WebAssembly verifier of the offline page (scripts/build-wasm.sh)
  time                                # bench/footprint.sh: peak RSS (/usr/bin/time -v)
  valgrind                            # bench.sh: start-up in instructions (callgrind), which load does not change
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: need root to install: ${missing[*]}" >&2
    exit 1
  fi
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "install-deps: all packages present"
fi

# npm ships inside some nodejs builds (NodeSource) and apart in Debian's.
if ! command -v npm >/dev/null; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: need root to install: npm" >&2
    exit 1
  fi
  apt-get install -y -qq --no-install-recommends npm
fi
"$(dirname "$0")/install-browser-test-deps.sh"
