#!/usr/bin/env bash
# The shared library exports exactly the C API listed in the version script:
# nothing from C++ leaks out, and nothing listed is missing.
set -euo pipefail
lib=$1 map=$2
exported=$("${NM:-nm}" -D --defined-only "$lib" | awk '$2 ~ /[TDB]/ {print $3}' | sed 's/@.*//' | grep -v '^TITLECERT_VERIFY_1$' | sort -u)
listed=$(grep -oE '^\s+tc_[a-z_0-9]+;' "$map" | tr -d ' ;' | sort -u)
if [ "$exported" != "$listed" ]; then
  diff <(echo "$listed") <(echo "$exported") || true
  echo "exports differ from $map (left: listed, right: exported)"
  exit 1
fi
echo "exports match: $(echo "$listed" | wc -l) symbols"
