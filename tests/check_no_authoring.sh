#!/usr/bin/env bash
# A terminal's library carries no authoring code: no nlohmann-json, no
# catalogue JSON reader or writer, no manifest reader, no catalogue evolution
# check, no eligibility evaluator. Reads every symbol (local ones included),
# so code linked in but not exported is found too.
set -euo pipefail
lib=$1
symbols=$(nm -C "$lib")
# A library nm could not read would pass the checks below: require the C API.
if ! grep -q ' tc_verify' <<<"$symbols"; then
  echo "$lib: no tc_verify symbol; is this libtitlecert_verify?"
  exit 1
fi
forbidden='nlohmann|titlecert::catalogue::(fromJson|toJson|loadFile|loadDefault|defaultPath)\b|titlecert::bundle::fromManifest|titlecert::json::BasicNode|checkSuccessor|titlecert::eligibility::'
found=$(grep -E "$forbidden" <<<"$symbols" || true)
if [ -n "$found" ]; then
  echo "$lib links authoring or policy code:"
  head -20 <<<"$found"
  echo "($(wc -l <<<"$found") symbols)"
  exit 1
fi
echo "$lib: no authoring symbols among $(wc -l <<<"$symbols")"
