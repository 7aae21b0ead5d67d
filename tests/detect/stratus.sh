#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# stratus.sh - each Stratus Red Team detonation log, ingested alone into a fresh case with
# tyto's built-in pack, must raise an alert whose rule carries the technique listed for it in
# stratus-expected.tsv. Prints one row per log: expected tag, verdict, the rules that fired.
# Bar: every log (35 of 35), and every log in the folder must be listed in the table.
# Usage: TYTO=build/tyto tests/detect/stratus.sh
set -eu
. "$(dirname "$0")/lib.sh"

LOGS=stratus-red-team/docs/detonation-logs
need_data "$LOGS"
need_cmd ingest
need_cmd alerts

expected="$HERE/stratus-expected.tsv"
n=0 ok=0 bad=0
printf '%-62s %-18s %-4s %s\n' "detonation log" "expected tag" "ok" "rules that fired (tags)"
for f in "$DATA/$LOGS"/*.json; do
    stem=$(basename "$f" .json)
    n=$((n + 1))
    want=$(awk -F'\t' -v s="$stem" '!/^#/ && $1 == s { print $2 }' "$expected")
    case_file="$TMP/$stem.tyto"
    got="" verdict=FAIL
    if [ -z "$want" ]; then
        got="not listed in stratus-expected.tsv"
    elif ! "$TYTO" ingest -q "$case_file" "$f" >"$TMP/ingest.out" 2>&1; then
        got="ingest failed: $(tail -1 "$TMP/ingest.out")"
    else
        alerts_of "$case_file" >"$TMP/alerts.jsonl" || true
        got=$(jq -r '"\(.title // .rule_id) (\((.tags // [])
                | map(select(test("^attack\\.t[0-9]"))) | join(",")))"' \
            "$TMP/alerts.jsonl" 2>/dev/null | sort -u | tr '\n' ' ')
        [ -n "$got" ] || got="no alert"
        if jq -e --arg t "$want" 'select((.tags // []) | index($t))' "$TMP/alerts.jsonl" \
                >/dev/null 2>&1; then
            verdict=ok
        fi
    fi
    if [ "$verdict" = ok ]; then ok=$((ok + 1)); else bad=$((bad + 1)); fi
    printf '%-62s %-18s %-4s %s\n' "$stem" "${want:--}" "$verdict" "$got"
done
listed=$(grep -vc '^#' "$expected" || true)
echo "$NAME: $ok of $n detonation logs raise their technique ($(pct "$ok" "$n")%);" \
    "$listed listed in the table"
[ "$n" -gt 0 ] || fail_setup "no detonation log in $DATA/$LOGS"
[ "$bad" = 0 ] || { echo "$NAME: FAIL: $bad logs without their technique"; exit 1; }
echo "$NAME: PASS"
