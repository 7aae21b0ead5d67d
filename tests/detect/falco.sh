#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# falco.sh - Falco's own Kubernetes audit test cases (test/falco_k8s_audit_tests.yaml, read
# here with awk) run against tyto's built-in pack: each case's trace file is ingested into a
# fresh case and its alerts compared with what Falco expects.
#   detect: True   -> tyto must raise at least one alert (any level). Bar: >= 90% of them.
#   detect: False  -> tyto must raise no alert. Two refinements, both printed per case:
#     - cases run with disallow_kactivity.yaml switch Falco's INFO "activity" rules off, so
#       tyto's informational activity records are allowed there (nothing of level low or up);
#     - a silent case that loads a site list (allow_*.yaml, trust_*.yaml: trusted images,
#       allowed users or namespaces) over a trace that another case expects detected is silent
#       only because of that site list, which a general pack cannot know: reported as n/a,
#       not counted. Silent cases on Falco's default lists are always counted, and detect
#       cases are always counted (a site-specific one that tyto misses counts as a miss).
# Usage: TYTO=build/tyto tests/detect/falco.sh
set -eu
. "$(dirname "$0")/lib.sh"

T=falcosecurity-falco/test
need_data "$T/falco_k8s_audit_tests.yaml" "$T/trace_files/k8s_audit"
need_cmd ingest
need_cmd alerts

# one line per case: name, detect, trace file, expected Falco rules, extra rule files
awk '
    function flush() {
        if (name != "")
            print name "\t" det "\t" tf "\t" (dc == "" ? "-" : dc) "\t" (rf == "" ? "-" : rf)
    }
    /^  [A-Za-z0-9_]+:[ ]*$/ { flush(); name = $1; sub(/:$/, "", name); det = tf = dc = rf = ""
                               indc = inrf = 0; next }
    /^    detect:/ { det = $2; indc = inrf = 0; next }
    /^    detect_counts:/ { indc = 1; inrf = 0; next }
    /^    rules_file:/ { inrf = 1; indc = 0; next }
    /^    [A-Za-z_]+:/ { indc = inrf = 0 }
    indc && /^      - / { s = $0; sub(/^      - /, "", s); dc = dc (dc == "" ? "" : "; ") s }
    inrf && /^      - / { s = $0; sub(/^.*\//, "", s)
                          if (s != "falco_rules.yaml" && s != "k8s_audit_rules.yaml")
                              rf = rf (rf == "" ? "" : ",") s }
    /open_params=/ { s = $0; sub(/.*open_params=/, "", s); sub(/[ "]*$/, "", s); tf = s }
    END { flush() }
' "$DATA/$T/falco_k8s_audit_tests.yaml" >"$TMP/cases.tsv"

n_cases=$(wc -l <"$TMP/cases.tsv")
[ "$n_cases" -gt 0 ] || fail_setup "no case read from falco_k8s_audit_tests.yaml"

# traces that some case expects detected
awk -F'\t' '$2 == "True" { print $3 }' "$TMP/cases.tsv" | sort -u >"$TMP/detected-traces"

# alerts of one trace, cached: "level<TAB>title" lines in $TMP/trace.N.alerts
trace_alerts() {
    key=$(printf '%s' "$1" | cksum | cut -d' ' -f1)
    out="$TMP/trace.$key.alerts"
    if [ ! -f "$out" ]; then
        case_file="$TMP/trace.$key.tyto"
        if "$TYTO" ingest -q "$case_file" "$DATA/$T/$1" >"$TMP/ingest.out" 2>&1; then
            alerts_of "$case_file" | jq -r '"\(.level)\t\(.title // .rule_id)"' \
                >"$out" 2>/dev/null || : >"$out"
        else
            printf 'ingest-failed\t%s\n' "$(tail -1 "$TMP/ingest.out")" >"$out"
        fi
    fi
    echo "$out"
}

det_n=0 det_ok=0 sil_n=0 sil_ok=0 sil_na=0
printf '%-58s %-6s %-5s %s\n' "case" "falco" "tyto" "alerts raised by tyto (level: title)"
while IFS="$(printf '\t')" read -r name det trace want extra; do
    a=$(trace_alerts "$trace")
    n_all=$(grep -vc '^ingest-failed' "$a" || true)
    n_low=$(grep -v '^ingest-failed' "$a" | grep -vc '^informational' || true)
    shown=$(sort "$a" | uniq -c | awk '{ n = $1; sub(/^[ ]*[0-9]+ /, ""); sub(/\t/, ": ")
                                         printf "%s%s%s", (NR > 1 ? "; " : ""), $0,
                                             (n > 1 ? " (x" n ")" : "") }')
    [ -n "$shown" ] || shown="none"
    if [ "$det" = True ]; then
        det_n=$((det_n + 1))
        if [ "$n_all" -gt 0 ]; then v=ok; det_ok=$((det_ok + 1)); else v=MISS; fi
        note="falco: $want"
    else
        note=""
        site=0
        case ",$extra," in *,allow_*|*,trust_*) site=1 ;; esac
        if [ "$site" = 1 ] && grep -qxF "$trace" "$TMP/detected-traces"; then
            v=n/a sil_na=$((sil_na + 1))
            note="(detected elsewhere on this trace; silent only with the site lists $extra)"
        else
            sil_n=$((sil_n + 1))
            case ",$extra," in
            *,disallow_kactivity.yaml,*)
                loud=$n_low note="(activity rules off: informational allowed)" ;;
            *) loud=$n_all ;;
            esac
            if [ "$loud" = 0 ]; then v=ok; sil_ok=$((sil_ok + 1)); else v=NOISY; fi
        fi
    fi
    printf '%-58s %-6s %-5s %s %s\n' "$name" "$det" "$v" "$shown" "$note"
done <"$TMP/cases.tsv"

rate=$(pct "$det_ok" "$det_n")
echo "$NAME: detected $det_ok of $det_n cases Falco detects ($rate%, bar 90%);" \
    "silent on $sil_ok of $sil_n cases Falco keeps silent ($sil_na allowlist-dependent, n/a)"
ok=1
awk -v r="$rate" 'BEGIN { exit !(r >= 90) }' || { echo "$NAME: FAIL: detection below 90%"; ok=0; }
if [ "$sil_ok" != "$sil_n" ]; then
    echo "$NAME: FAIL: $((sil_n - sil_ok)) silent cases raised alerts"
    ok=0
fi
[ "$ok" = 1 ] || exit 1
echo "$NAME: PASS"
