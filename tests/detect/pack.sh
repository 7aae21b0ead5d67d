#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# pack.sh - checks of tyto's own rule pack (rules/), no shared data needed:
#   - every document has a UUID id (unique), a level, an attack.<tactic> and an
#     attack.tNNNN[.NNN] tag; names are unique;
#   - every document that can alert (level above informational, or carrying a tyto: section)
#     has tyto: prevention and a weakness from the vocabulary table of docs/RULES.md;
#   - `tyto rules lint rules` accepts the whole pack.
# Usage: TYTO=build/tyto tests/detect/pack.sh
set -eu
. "$(dirname "$0")/lib.sh"

cd "$ROOT"
find rules -name '*.yml' | sort >"$TMP/files"
[ -s "$TMP/files" ] || fail_setup "no rule file under rules/"
# the vocabulary: first column of the weakness table, written as | `tag` | ... |
sed -n '/^## Weakness vocabulary/,/^## /p' docs/RULES.md |
    sed -n 's/^| `\([a-z0-9-]*\)` |.*/\1/p' | sort -u >"$TMP/vocab"
[ -s "$TMP/vocab" ] || fail_setup "no weakness vocabulary table in docs/RULES.md"

tr '\n' '\0' <"$TMP/files" | xargs -0 awk -v vocab="$TMP/vocab" '
    BEGIN { while ((getline w <vocab) > 0) ok_w[w] = 1 }
    function check() {
        if (!started) return
        ndoc++
        where = FILENAME ": " (title == "" ? "(no title)" : title)
        np = split(id, part, "-")
        if (id !~ /^[0-9a-f-]+$/ || np != 5 || length(part[1]) != 8 || length(part[2]) != 4 ||
                length(part[3]) != 4 || length(part[4]) != 4 || length(part[5]) != 12)
            err(where ": id is not a UUID")
        else if (id in seen_id) err(where ": id " id " also in " seen_id[id])
        else seen_id[id] = FILENAME
        if (name != "") { if (name in seen_name) err(where ": name " name " used twice")
                          seen_name[name] = FILENAME }
        if (level !~ /^(informational|low|medium|high|critical)$/)
            err(where ": level \"" level "\"")
        if (!tactic) err(where ": no attack.<tactic> tag")
        if (!tech) err(where ": no attack.tNNNN technique tag")
        if (level != "informational" || tyto) {
            if (!tyto) err(where ": no tyto: section")
            else if (!prev) err(where ": tyto: has no prevention")
            else if (weak == "") err(where ": tyto: has no weakness")
            else if (!(weak in ok_w)) err(where ": weakness " weak " is not in docs/RULES.md")
        }
    }
    function reset() { started = 0; title = id = name = level = weak = ""
                       tactic = tech = tyto = prev = intags = 0 }
    function err(m) { print m; nerr++ }
    FNR == 1 { check(); reset() }
    /^---/ { check(); reset(); next }
    /^[a-z]/ { started = 1; intags = 0 }
    /^title:/ { title = $0; sub(/^title:[ ]*/, "", title) }
    /^id:/ { id = $2 }
    /^name:/ { name = $2 }
    /^level:/ { level = $2 }
    /^tags:/ { intags = 1; next }
    intags && /^  - attack\.t[0-9][0-9][0-9][0-9](\.[0-9][0-9][0-9])?[ ]*$/ { tech = 1 }
    intags && /^  - attack\.[a-z][a-z-]*[ ]*$/ { tactic = 1 }
    /^tyto:/ { tyto = 1 }
    tyto && /^  prevention:/ { prev = 1 }
    tyto && /^  weakness:/ { weak = $2 }
    END { check(); print ndoc " documents, " nerr + 0 " problems" >"/dev/stderr"; exit (nerr > 0) }
' >"$TMP/problems" 2>"$TMP/summary" || true
cat "$TMP/problems"
echo "$NAME: $(wc -l <"$TMP/files") files, $(cat "$TMP/summary")"
ok=1
[ ! -s "$TMP/problems" ] || ok=0
if [ -x "$TYTO" ] && "$TYTO" rules lint --help >/dev/null 2>&1; then
    if "$TYTO" rules lint rules >"$TMP/lint.out" 2>&1; then
        echo "$NAME: tyto rules lint rules: clean"
    else
        head -20 "$TMP/lint.out"
        echo "$NAME: FAIL: tyto rules lint rejects the pack"
        ok=0
    fi
else
    echo "$NAME: FAIL: tyto has no 'rules lint' command (yet)"
    ok=0
fi
[ "$ok" = 1 ] || exit 1
echo "$NAME: PASS"
