#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# regression.sh - SigmaHQ's regression_data as an outside oracle for the engine: for every
# regression_data/**/info.yml, the rule it names (found by id under the rules folders) runs
# over the test's events (the .evtx path with .json, Windows events rendered as JSON) with
#   tyto rules test --rules RULE --map evtx --count EVENTS
# and the count must equal the test's match_count (a test without match_count is a positive
# detection test: at least one match). Bar: every test agrees, except those listed with
# their reason in regression-known.txt (the oracle's count contradicts its own events; a
# listed test that agrees again fails, so the list cannot go stale). One row per test.
# Usage: TYTO=build/tyto tests/detect/regression.sh
set -eu
. "$(dirname "$0")/lib.sh"

S=sigmahq-sigma
need_data "$S/regression_data"
need_cmd "rules test"

cd "$DATA/$S"
find regression_data -name info.yml | sort >"$TMP/infos"
[ -s "$TMP/infos" ] || fail_setup "no info.yml under $DATA/$S/regression_data"
# rule id -> file, over every rule folder (first "id:" at the top level of each file)
find rules rules-threat-hunting rules-emerging-threats rules-placeholder -name '*.yml' \
    2>/dev/null | sort | tr '\n' '\0' |
    xargs -0 awk '/^id:/ { id = $2; gsub(/["\047]/, "", id); print id "\t" FILENAME; nextfile }' \
    >"$TMP/ids"

known="$HERE/regression-known.txt"
grep -v '^#' "$known" 2>/dev/null | awk -F'\t' 'NF { print $1 }' >"$TMP/known" || true
n=0 ok=0 bad=0 kn=0 stale=0
printf '%-36s %-5s %-5s %-4s %s\n' "rule id" "want" "got" "ok" "rule file"
while read -r info; do
    # the rule id, then per test: match_count (or -) and path
    rid=$(awk '/^rule_metadata:/ { r = 1; next } r && /- id:/ { print $3; exit }' "$info")
    rule=$(awk -F'\t' -v id="$rid" '$1 == id { print $2; exit }' "$TMP/ids")
    awk '
        /^regression_tests_info:/ { r = 1; next }
        !r { next }
        /^[ ]+- name:/ { if (p != "") print (m == "" ? "-" : m) "\t" p; m = p = "" }
        /^[ ]+match_count:/ { m = $2 }
        /^[ ]+path:/ { p = $2 }
        END { if (p != "") print (m == "" ? "-" : m) "\t" p }
    ' "$info" >"$TMP/tests"
    while IFS="$(printf '\t')" read -r want path; do
        n=$((n + 1))
        events=${path%.evtx}.json
        got=-
        if [ -z "$rule" ]; then
            why="rule $rid not found"
        elif [ ! -f "$events" ]; then
            why="no events file $events"
        elif ! jq -c . "$events" >"$TMP/events.jsonl" 2>"$TMP/jq.err"; then
            why="events are not JSON: $(head -1 "$TMP/jq.err")"
        elif ! "$TYTO" rules test --no-builtin-rules --rules "$rule" --map evtx --count \
                "$TMP/events.jsonl" >"$TMP/count.out" 2>"$TMP/count.err"; then
            why="rules test failed: $(head -1 "$TMP/count.err")"
        else
            got=$(awk -v id="$rid" '$1 == id { c += $2 } END { print c + 0 }' "$TMP/count.out")
            why=""
        fi
        v=FAIL
        if [ "$got" != - ]; then
            if [ "$want" = - ]; then
                [ "$got" -ge 1 ] && v=ok
                want=">=1"
            elif [ "$got" = "$want" ]; then
                v=ok
            fi
        fi
        if grep -qxF "$rid" "$TMP/known"; then
            if [ "$v" = ok ]; then
                v=STALE stale=$((stale + 1)) why="agrees now: remove it from regression-known.txt"
            else v=known kn=$((kn + 1)); fi
        elif [ "$v" = ok ]; then ok=$((ok + 1)); else bad=$((bad + 1)); fi
        printf '%-36s %-5s %-5s %-4s %s %s\n' "$rid" "$want" "$got" "$v" "${rule:--}" "$why"
    done <"$TMP/tests"
done <"$TMP/infos"

echo "$NAME: $ok of $n regression tests agree with match_count ($(pct "$ok" "$n")%);" \
    "$kn known oracle disagreements (regression-known.txt), $bad unexplained, $stale stale"
[ "$n" -gt 0 ] || fail_setup "no regression test read"
[ "$bad" = 0 ] || { echo "$NAME: FAIL: $bad tests disagree"; exit 1; }
[ "$stale" = 0 ] || { echo "$NAME: FAIL: $stale listed tests agree now"; exit 1; }
echo "$NAME: PASS"
