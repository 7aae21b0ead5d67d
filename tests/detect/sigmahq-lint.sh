#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# sigmahq-lint.sh - `tyto rules lint` over SigmaHQ's rules for the planes tyto reads: every
# rule file under rules/, rules-threat-hunting/, rules-emerging-threats/ and
# rules-placeholder/ whose logsource is cloud (aws, azure, gcp, m365, okta, ...), kubernetes,
# linux, zeek or web (Windows, macOS and network devices other than Zeek are left out).
# Bar: >= 99% load, and the failures are exactly those listed in sigmahq-lint-known.txt
# (path<TAB>reason): an unlisted failure fails, and so does a listed file that now loads.
# Usage: TYTO=build/tyto tests/detect/sigmahq-lint.sh
set -eu
. "$(dirname "$0")/lib.sh"

S=sigmahq-sigma
need_data "$S/rules"
need_cmd "rules lint"
known="$HERE/sigmahq-lint-known.txt"

# the rule files and their logsource product/category (awk over the logsource block)
(cd "$DATA/$S" && find rules rules-threat-hunting rules-emerging-threats rules-placeholder \
    -name '*.yml' 2>/dev/null | sort) >"$TMP/all"
[ -s "$TMP/all" ] || fail_setup "no rule file under $DATA/$S"
(cd "$DATA/$S" && tr '\n' '\0' <"$TMP/all" | xargs -0 awk '
    FNR == 1 { if (f != "") print f "\t" p "\t" c; f = FILENAME; p = c = ""; inls = 0 }
    /^logsource:/ { inls = 1; next }
    /^[^ #]/ { inls = 0 }
    inls && /^[ ]+product:/ { v = $0; sub(/^[ ]+product:[ ]*/, "", v); gsub(/["\047]/, "", v)
                              sub(/[ ]*#.*/, "", v); p = v }
    inls && /^[ ]+category:/ { v = $0; sub(/^[ ]+category:[ ]*/, "", v); gsub(/["\047]/, "", v)
                               sub(/[ ]*#.*/, "", v); c = v }
    END { if (f != "") print f "\t" p "\t" c }
') >"$TMP/logsources"
awk -F'\t' '$2 != "windows" && $2 != "macos" && $2 != "cisco" && $2 != "juniper" { print $1 }' \
    "$TMP/logsources" >"$TMP/files"
total=$(wc -l <"$TMP/files")

# placeholders (%name%) get a dummy value, as a site would configure them: the rules in
# rules-placeholder/ are meant to be used that way (tyto reports them unresolved otherwise)
(cd "$DATA/$S" && tr '\n' '\0' <"$TMP/files" | xargs -0 grep -ho '%[A-Za-z0-9_.-]*%' 2>/dev/null) |
    tr -d '%' | sort -u | sed "s/.*/'&': ['tyto-lint-placeholder']/" >"$TMP/placeholders.yml"

# lint runs of 32 files (errors only); each error line starts with FILE:LINE:COL:, and each
# run ends with "N documents, ..." (summed below to prove that every file was read)
(cd "$DATA/$S" && tr '\n' '\0' <"$TMP/files" |
    xargs -0 -n 32 "$TYTO" rules lint --quiet --placeholders "$TMP/placeholders.yml") \
    >"$TMP/lint.out" 2>&1 || true
docs=$(awk '/^[0-9]+ documents,/ { n += $1 } END { print n + 0 }' "$TMP/lint.out")
awk -v list="$TMP/files" '
    BEGIN { while ((getline f <list) > 0) want[f] = 1 }
    { f = $0; sub(/:[0-9]+:[0-9]+:.*/, "", f)
      if (f in want && !(f in seen)) { seen[f] = 1; why = substr($0, length(f) + 2)
                                       print f "\t" substr(why, 1, 150) } }
' "$TMP/lint.out" >"$TMP/failed"

grep -v '^#' "$known" 2>/dev/null | awk -F'\t' 'NF { print $1 }' | sort -u >"$TMP/known"
cut -f1 "$TMP/failed" | sort -u >"$TMP/failed.paths"
n_failed=$(wc -l <"$TMP/failed.paths")
loaded=$((total - n_failed))
rate=$(pct "$loaded" "$total")

printf '%-100s %s\n' "failing file" "tyto's first message (listed?)"
while IFS="$(printf '\t')" read -r f why; do
    if grep -qxF "$f" "$TMP/known"; then l=listed; else l=NEW; fi
    printf '%-100s %s (%s)\n' "$f" "$why" "$l"
done <"$TMP/failed"
comm -23 "$TMP/failed.paths" "$TMP/known" >"$TMP/unlisted"
comm -13 "$TMP/failed.paths" "$TMP/known" >"$TMP/fixed"
while read -r f; do echo "listed in sigmahq-lint-known.txt but loads now: $f"; done <"$TMP/fixed"

echo "$NAME: $loaded of $total SigmaHQ rule files load ($rate%, bar 99%; $docs documents);" \
    "$n_failed fail, $(wc -l <"$TMP/unlisted") of them unlisted;" \
    "$(wc -l <"$TMP/fixed") listed ones load"
ok=1
if [ "$docs" -lt "$((total - n_failed))" ]; then
    echo "$NAME: FAIL: lint reported $docs documents for $((total - n_failed)) loadable files"
    ok=0
fi
awk -v r="$rate" 'BEGIN { exit !(r >= 99) }' || { echo "$NAME: FAIL: below 99%"; ok=0; }
[ ! -s "$TMP/unlisted" ] || { echo "$NAME: FAIL: failures not in sigmahq-lint-known.txt"; ok=0; }
[ ! -s "$TMP/fixed" ] || { echo "$NAME: FAIL: remove the files that load from the list"; ok=0; }
[ "$ok" = 1 ] || exit 1
echo "$NAME: PASS"
