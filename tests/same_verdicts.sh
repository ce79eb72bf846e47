#!/usr/bin/env bash
# Runs a native and a cross-built titlecert-verify on every input of the CLI
# fixture (each text, each image, the texts as one batch, with and without
# --id) and fails on the first difference in the --json lines or the exit
# status.
#   same_verdicts.sh FIXTURE_DIR NATIVE_VERIFY EMULATOR... TARGET_VERIFY
set -uo pipefail
fixture=$1 native=$2
shift 2
target=("$@")   # the emulator command, then the target binary

now=2026-11-27T01:00:00Z
common=(--bundle "$fixture/bundle.cbor" --root "$fixture/root.pub.pem" --now "$now" --json)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

compared=0 failed=0
# compare NAME ARGS... [< stdin]: one input, both binaries.
compare() {
  local name=$1
  shift
  "$native" "${common[@]}" "$@" >"$out/native" 2>/dev/null <"$out/stdin"
  local native_exit=$?
  "${target[@]}" "${common[@]}" "$@" >"$out/target" 2>/dev/null <"$out/stdin"
  local target_exit=$?
  compared=$((compared + 1))
  if [ "$native_exit" != "$target_exit" ] || ! diff -u "$out/native" "$out/target" >"$out/diff"; then
    echo "DIFFERS: $name (exit native $native_exit, target $target_exit)"
    cat "$out/diff"
    failed=$((failed + 1))
  elif [ ! -s "$out/native" ]; then
    echo "NO OUTPUT: $name"  # nothing compared would make the test pass vacuously
    failed=$((failed + 1))
  fi
}

: >"$out/stdin"
shopt -s nullglob
texts=("$fixture"/*.txt) images=("$fixture"/*.png "$fixture"/*.jpg)
if [ ${#texts[@]} -eq 0 ] || [ ${#images[@]} -eq 0 ]; then
  echo "no fixture inputs in $fixture"
  exit 1
fi
for t in "${texts[@]}"; do
  compare "$t" --text "$(cat "$t")"
  compare "$t --id" --id CN:650102199001011239 --text "$(cat "$t")"
done
for i in "${images[@]}"; do
  compare "$i" "$i"
  compare "$i --id" --id CN:650102199001011239 "$i"
done
for t in "${texts[@]}"; do cat "$t"; echo; done >"$out/stdin"
printf 'hello\n\nZC1:!!!\n' >>"$out/stdin"
compare "batch of every text" -
: >"$out/stdin"

echo "$compared inputs compared, $failed differ"
[ "$failed" -eq 0 ]
