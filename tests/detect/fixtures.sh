#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# fixtures.sh - hand-written events for the rules no outside data set exercises (tests/detect/
# fixtures/*.jsonl, one {"note", "want": [rule ids], "not": [rule ids], "event"} per line).
# Each event goes through `tyto rules test` as generic JSON with tyto's pack from rules/:
# every id in "want" must match that event and none in "not". Needs no shared data.
# Usage: TYTO=build/tyto tests/detect/fixtures.sh
set -eu
. "$(dirname "$0")/lib.sh"
need_cmd "rules test"

n=0 ok=0 bad=0
printf '%-4s %-40s %s\n' "ok" "fixture" "problem"
for fx in "$HERE"/fixtures/*.jsonl; do
    jq -c '.event' "$fx" >"$TMP/events.jsonl"
    "$TYTO" rules test --no-builtin-rules --rules "$ROOT/rules" "$TMP/events.jsonl" \
        >"$TMP/hits.raw" 2>"$TMP/hits.err" ||
        fail_setup "tyto rules test failed on $fx: $(head -1 "$TMP/hits.err")"
    sed -n 's/^.*:\([0-9][0-9]*\): \([0-9a-f-]\{36\}\) .*/\1 \2/p' "$TMP/hits.raw" >"$TMP/hits"
    line=0
    while read -r fixture; do
        line=$((line + 1)) n=$((n + 1))
        note=$(printf '%s' "$fixture" | jq -r '.note // "-"')
        problem=""
        for id in $(printf '%s' "$fixture" | jq -r '(.want // [])[]'); do
            grep -qx "$line $id" "$TMP/hits" || problem="$problem missed $id;"
        done
        for id in $(printf '%s' "$fixture" | jq -r '(.not // [])[]'); do
            grep -qx "$line $id" "$TMP/hits" && problem="$problem matched $id;"
        done
        if [ -z "$problem" ]; then v=ok ok=$((ok + 1)); else v=FAIL bad=$((bad + 1)); fi
        printf '%-4s %-40s %s\n' "$v" "$(basename "$fx" .jsonl):$line $note" "$problem"
    done <"$fx"
done
echo "$NAME: $ok of $n fixtures behave"
[ "$n" -gt 0 ] || fail_setup "no fixture under $HERE/fixtures"
[ "$bad" = 0 ] || { echo "$NAME: FAIL: $bad fixtures"; exit 1; }
echo "$NAME: PASS"
