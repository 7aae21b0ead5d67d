#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# panther.sh - Panther's own CloudTrail rule tests (panther-analysis/_derived/
# tests.AWS.CloudTrail.jsonl) as a second oracle for the AWS rules: for every Panther rule
# mapped in panther-map.tsv to a tyto rule, each test Panther marks positive must be matched
# by that tyto rule (`tyto rules test` over the test's log, tyto's pack from rules/).
# Positives tyto deliberately does not flag are listed with the reason in
# panther-known.txt (Panther rule id TAB test name TAB reason); a listed one that matches
# fails, so the list cannot go stale. Panther's negatives are printed for information only:
# they encode Panther's own tuning (allowlists, first-seen state), not ground truth.
# Usage: TYTO=build/tyto tests/detect/panther.sh
set -eu
. "$(dirname "$0")/lib.sh"

P=panther-analysis/_derived/tests.AWS.CloudTrail.jsonl
need_data "$P"
need_cmd "rules test"

map="$HERE/panther-map.tsv"
known="$HERE/panther-known.txt"
grep -v '^#' "$map" | awk -F'\t' 'NF >= 2' >"$TMP/map"
# the mapped tests, one per line: panther rule, expected, test name, tyto rule; logs beside
jq -r --rawfile m "$TMP/map" '
    ($m | split("\n") | map(select(length > 0) | split("\t")) | map({(.[0]): .[1]}) | add) as $map
    | select($map[.rule_id] != null)
    | [.rule_id, (.expected_result | tostring), .test_name, $map[.rule_id]] | @tsv' \
    "$DATA/$P" >"$TMP/tests"
jq -c --rawfile m "$TMP/map" '
    ($m | split("\n") | map(select(length > 0) | split("\t") | .[0])) as $ids
    | select(.rule_id as $r | $ids | index($r)) | .log' "$DATA/$P" >"$TMP/logs.jsonl"
[ -s "$TMP/tests" ] || fail_setup "no Panther test matches panther-map.tsv"
"$TYTO" rules test --no-builtin-rules --rules "$ROOT/rules" "$TMP/logs.jsonl" \
    >"$TMP/hits.raw" 2>"$TMP/hits.err" ||
    fail_setup "tyto rules test failed: $(head -1 "$TMP/hits.err")"
# "FILE:N: RULE_ID TITLE: fields" -> "N<TAB>RULE_ID"
sed -n 's/^.*:\([0-9][0-9]*\): \([0-9a-f-]\{36\}\) .*/\1\t\2/p' "$TMP/hits.raw" >"$TMP/hits"

pos=0 pos_ok=0 pos_known=0 stale=0 bad=0 neg=0 neg_quiet=0
printf '%-44s %-5s %-6s %s\n' "Panther rule" "want" "tyto" "test"
n=0
while IFS="$(printf '\t')" read -r prule want tname trule; do
    n=$((n + 1))
    if awk -F'\t' -v n="$n" -v r="$trule" '$1 == n && $2 == r { f = 1 } END { exit !f }' \
            "$TMP/hits"; then got=match; else got=-; fi
    listed=0
    awk -F'\t' -v r="$prule" -v t="$tname" '!/^#/ && $1 == r && $2 == t { f = 1 } END { exit !f }' \
        "$known" 2>/dev/null && listed=1
    if [ "$want" = true ]; then
        pos=$((pos + 1))
        if [ "$got" = match ]; then
            if [ "$listed" = 1 ]; then v=STALE stale=$((stale + 1))
            else v=ok pos_ok=$((pos_ok + 1)); fi
        elif [ "$listed" = 1 ]; then v=known pos_known=$((pos_known + 1))
        else v=MISS bad=$((bad + 1)); fi
    else
        neg=$((neg + 1))
        if [ "$got" = match ]; then v="(also)"; else v="(quiet)" neg_quiet=$((neg_quiet + 1)); fi
    fi
    printf '%-44s %-5s %-6s %s\n' "$prule" "$want" "$v" "$tname"
done <"$TMP/tests"

echo "$NAME: $pos_ok of $pos Panther positives matched by the mapped tyto rule" \
    "($pos_known listed in panther-known.txt, $bad unexplained, $stale stale);" \
    "quiet on $neg_quiet of $neg Panther negatives (information only)"
[ "$bad" = 0 ] || { echo "$NAME: FAIL: $bad positives missed"; exit 1; }
[ "$stale" = 0 ] || { echo "$NAME: FAIL: $stale listed positives match now"; exit 1; }
echo "$NAME: PASS"
