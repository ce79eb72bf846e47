#!/usr/bin/env bash
# The issuer load bench runs and its output parses: a short run of the load
# part (8 clients, 2 s each way) must report issuances answered 201, its
# figures in the expected form, and end with the two pass/fail lines.
set -euo pipefail
bench=$1
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$bench" --quick --clients 8 --seconds 2 --parts load --out "$out/results.txt" --max-seconds 100 >"$out/stdout"
fail() { echo "issuer_load_smoke: $*" >&2; cat "$out/stdout" >&2; exit 1; }
cmp -s "$out/stdout" "$out/results.txt" || fail "the results file differs from the output"
for mode in "keep-alive" "a connection each"; do
  grep -qx "8 clients, $mode:" "$out/stdout" || fail "no run of 8 clients, $mode"
done
issue_lines=$(grep -cE '^  issue:  [0-9]+ requests, [0-9]+ answered \([0-9.]+/s\), p50 [0-9.]+ ms, p99 [0-9.]+ ms, max [0-9]+ ms; answers .*201:[1-9][0-9]*.*; errors ' "$out/stdout" || true)
[ "$issue_lines" -eq 2 ] || fail "expected 2 issue lines with 201 answers, found $issue_lines"
grep -qE '^  server RSS MiB by second: [0-9]+( [0-9]+)*; open descriptors after: [0-9]+$' "$out/stdout" || fail "no RSS line"
tail -2 "$out/stdout" | head -1 | grep -qE '^(PASS|FAIL|SKIP) 512 clients: every request answered, 0 resets \(' || fail "no 512-client line"
tail -1 "$out/stdout" | grep -qE '^(PASS|FAIL|SKIP) 200 slow connections: normal p99 < 1 s \(' || fail "no slow-connection line"
echo "issuer_load_smoke: ok"
