#!/usr/bin/env bash
# --version and --help of one program (CONTRACT.md): `NAME VERSION` and the
# usage on standard output, nothing on standard error, exit status 0.
#   check_info_options.sh NAME VERSION [RUNNER...] PROGRAM
set -euo pipefail
name=$1 version=$2
shift 2
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
"$@" --version >"$out" 2>"$err" || { echo "--version exited $?" >&2; exit 1; }
[ "$(cat "$out")" = "$name $version" ] || { echo "--version printed: $(cat "$out")" >&2; exit 1; }
[ ! -s "$err" ] || { echo "--version wrote to stderr: $(cat "$err")" >&2; exit 1; }
"$@" --help >"$out" 2>"$err" || { echo "--help exited $?" >&2; exit 1; }
grep -q "^usage: $name" "$out" || { echo "--help printed no usage on stdout" >&2; exit 1; }
[ ! -s "$err" ] || { echo "--help wrote to stderr: $(cat "$err")" >&2; exit 1; }
echo "$name: --version and --help pass"
