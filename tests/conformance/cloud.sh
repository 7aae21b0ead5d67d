#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# cloud.sh - the proof of the GCP and Azure parsers on ../shared/data (docs/internals/
# CLOUD-AUDIT.md): (1) every GCP, Azure, Entra, GKE and AKS sample ingested through the
# real walker and sniffing, with exact formats, events and quarantines, each quarantine
# explained below; (2) Sekoia's expected values against tyto's events (cloud-oracle.py);
# (3) SigmaHQ's GCP, Azure and Kubernetes rules over Panther's labelled tests: for each
# Panther rule mapped to the SigmaHQ rule describing the same behaviour
# (cloud-sigma-map.tsv), every positive test must fire it or be listed with its reason
# (cloud-sigma-known.txt). Skipped when the shared data is absent.
# (4) tyto's own pack over the same tests: how many Panther positives raise at least one
# tyto alert (information: Panther's rules are not tyto's).
# Usage: TYTO=build/tyto tests/conformance/cloud.sh [counts|oracle|sigma|pack]...
set -uo pipefail
TYTO=${TYTO:-build/tyto}
case "$TYTO" in /*) ;; *) TYTO="$PWD/$TYTO" ;; esac
HERE=$(cd "$(dirname "$0")" && pwd)
D=${TYTO_SHARED_DATA:-$HERE/../../../shared/data}
if [ ! -d "$D" ]; then
    echo "cloud: skipped: $D not found (the shared sample data sits beside the clone)"
    exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
parts=${*:-counts oracle sigma pack}
fail=0

# expect NAME "FORMAT:STREAMS ..." EVENTS QUARANTINED PATH...
expect() {
    local name=$1 formats=$2 events=$3 quar=$4
    shift 4
    local c="$work/$name.tyto" got_f got_e got_q
    "$TYTO" ingest -q "$c" "$@" 2>"$work/$name.err"
    got_f=$("$TYTO" query "$c" "select f||':'||count(*) from (select coalesce(nullif(format,''),'-') as f from evidence) group by f order by f" | tail -n +2 | tr '\n' ' ' | sed 's/ $//')
    got_e=$("$TYTO" query "$c" "select total(events) from evidence" | tail -n +2 | sed 's/\.0$//')
    got_q=$("$TYTO" query "$c" "select total(quarantined) from evidence" | tail -n +2 | sed 's/\.0$//')
    if [ "$got_f" = "$formats" ] && [ "$got_e" = "$events" ] && [ "$got_q" = "$quar" ]; then
        printf '  ok   %-26s %-28s events %5s quarantined %s\n' "$name" "$got_f" "$got_e" "$got_q"
    else
        fail=1
        printf '  FAIL %-26s formats [%s] want [%s]; events %s want %s; quarantined %s want %s\n' \
            "$name" "$got_f" "$formats" "$got_e" "$events" "$got_q" "$quar"
        head -5 "$work/$name.err" | sed 's/^/       /'
    fi
}

P=$D/panther-analysis/_derived
counts() {
    echo "cloud: samples"
    # GCP: plaso's file mixes 9 audit entries with a jsonPayload and a textPayload entry
    expect plaso-gcp "gcp-audit:1" 11 0 "$D/plaso/test_data/jsonl/gcp_logging.jsonl"
    expect sekoia-gcp-audit "gcp-audit:1" 27 0 \
        "$D/sekoia-intake-formats/_derived/Google_Cloud__Google_Cloud_Audit.inputs.txt"
    # GKE: Sekoia's "Google Kubernetes Engine" intake is container and event logs, not audit
    expect sekoia-gke-logs "gcp-audit:1" 6 0 \
        "$D/sekoia-intake-formats/_derived/Google_Cloud__Google_Kubernetes_Engine.inputs.txt"
    expect elastic-gke-audit "gcp-audit:1" 1 0 \
        "$D/elastic-integrations/packages/gcp/data_stream/audit/_dev/test/pipeline/test-k8s-nonmatching-resourcename.log"
    # Azure and Entra
    expect plaso-azure-activity "azure-monitor:1" 4 0 "$D/plaso/test_data/jsonl/azure_activity_log.jsonl"
    expect sekoia-azure-activity "azure-monitor:1" 4 0 \
        "$D/sekoia-intake-formats/_derived/Azure__azure-activity-logs.inputs.txt"
    expect sekoia-azure-ad "azure-monitor:1" 25 0 \
        "$D/sekoia-intake-formats/_derived/Azure__azure-ad.inputs.txt"
    expect sekoia-entra-graphapi "azure-monitor:1" 79 0 \
        "$D/sekoia-intake-formats/_derived/Microsoft__microsoft-entraid-graphapi.inputs.txt"
    expect otrf-aad-audit "azure-monitor:1" 4 0 \
        "$D/otrf-security-datasets/datasets/compound/GoldenSAMLADFSMailAccess/AADAuditEvents/AADAuditEvents.json"
    # Panther's test logs (the log of each test, one per line). They are rule fixtures: 53
    # GCP logs carry no time at all (44), "..." as the time (1) or no LogEntry keys, only a
    # methodName or an operation (8); 35 Azure logs have no time (34 kube-audit records
    # whose Event has no timestamps, 1 Activity record). tyto never invents a time.
    jq -c .log "$P/tests.GCP.AuditLog.jsonl" >"$work/panther-gcp.jsonl"
    jq -c .log "$P/tests.Azure.MonitorActivity.jsonl" >"$work/panther-azure.jsonl"
    jq -c .log "$P/tests.Azure.Audit.jsonl" >"$work/panther-aad.jsonl"
    expect panther-gcp "gcp-audit:1" 149 53 "$work/panther-gcp.jsonl"
    expect panther-azure-activity "azure-monitor:1" 214 35 "$work/panther-azure.jsonl"
    expect panther-azure-signin "azure-monitor:1" 47 0 "$work/panther-aad.jsonl"
}

oracle() {
    echo "cloud: Sekoia expected values"
    python3 "$HERE/cloud-oracle.py" "$TYTO" "$D" || fail=1
}

# Panther fixtures without a time get one (2024-01-01), so that the rule, not the missing
# time, decides: tyto quarantines untimed evidence.
sigma() {
    local S=$D/sigmahq-sigma map="$HERE/cloud-sigma-map.tsv" known="$HERE/cloud-sigma-known.txt"
    echo "cloud: SigmaHQ rules on Panther's positives (rule describing the same behaviour)"
    jq -c '.log | if .protoPayload != null and .timestamp == null and .receiveTimestamp == null
                  then .timestamp = "2024-01-01T00:00:00Z" else . end' \
        "$P/tests.GCP.AuditLog.jsonl" >"$work/gcp.jsonl"
    jq -c '.log | (if .time == null and .TimeGenerated == null
                   then .time = "2024-01-01T00:00:00Z" else . end)
                | (if .category == "kube-audit" and (.properties.log | type) == "string"
                   then .properties.log = (.properties.log | fromjson
                        | (if .requestReceivedTimestamp == null
                           then .requestReceivedTimestamp = "2024-01-01T00:00:00.000000Z"
                           else . end) | tojson)
                   else . end)' "$P/tests.Azure.MonitorActivity.jsonl" >"$work/az.jsonl"
    jq -c '.log | if .time == null then .time = "2024-01-01T00:00:00Z" else . end' \
        "$P/tests.Azure.Audit.jsonl" >"$work/aad.jsonl"
    local set t fmt ok=0 pos=0 kn=0 bad=0 stale=0
    printf '  %-58s %-10s %s\n' "Panther rule (SigmaHQ rule)" "result" "test"
    for set in gcp az aad; do
        case $set in
        gcp) t=GCP.AuditLog fmt=gcp-audit ;;
        az) t=Azure.MonitorActivity fmt=azure-monitor ;;
        *) t=Azure.Audit fmt=azure-monitor ;;
        esac
        "$TYTO" rules test --no-builtin-rules --rules "$S/rules/cloud/gcp" \
            --rules "$S/rules/cloud/azure" --rules "$S/rules/application/kubernetes" \
            --format "$fmt" "$work/$set.jsonl" >"$work/$set.hits" 2>/dev/null
        # "FILE:N: RULE_ID TITLE: fields" -> "N<TAB>RULE_ID"
        sed -n 's/^.*:\([0-9][0-9]*\): \([0-9a-f-]\{36\}\) .*/\1\t\2/p' "$work/$set.hits" \
            >"$work/$set.pairs"
        jq -r '[.rule_id, (.expected_result | tostring), .test_name] | @tsv' "$P/tests.$t.jsonl" |
            awk -F'\t' -v OFS='\t' '{ print NR, $0 }' >"$work/$set.tests"
        while IFS=$'\t' read -r n prule want tname; do
            local srule
            srule=$(awk -F'\t' -v r="$prule" '!/^#/ && $1 == r { print $2; exit }' "$map")
            [ -n "$srule" ] && [ "$want" = true ] || continue
            pos=$((pos + 1))
            local got=0 listed=0 v
            awk -F'\t' -v n="$n" -v r="$srule" '$1 == n && $2 == r { f = 1 } END { exit !f }' \
                "$work/$set.pairs" && got=1
            awk -F'\t' -v r="$prule" -v t="$tname" '!/^#/ && $1 == r && $2 == t { f = 1 }
                END { exit !f }' "$known" && listed=1
            if [ $got = 1 ] && [ $listed = 1 ]; then v=STALE stale=$((stale + 1))
            elif [ $got = 1 ]; then v=ok ok=$((ok + 1))
            elif [ $listed = 1 ]; then v=known kn=$((kn + 1))
            else v=MISS bad=$((bad + 1)); fi
            printf '  %-58s %-10s %s\n' "$prule (${srule:0:8})" "$v" "$tname"
        done <"$work/$set.tests"
    done
    echo "cloud: $ok of $pos Panther positives fire the SigmaHQ rule of the same behaviour" \
        "($kn listed in cloud-sigma-known.txt, $bad unexplained, $stale stale)"
    [ $bad = 0 ] && [ $stale = 0 ] || fail=1
}

# Information only: tyto's pack (alerting rules, not informational inputs) on the same tests.
pack() {
    echo "cloud: tyto's pack on Panther's tests (information)"
    [ -s "$work/gcp.jsonl" ] || sigma >/dev/null
    "$TYTO" rules list 2>/dev/null | awk '$3 != "informational" { print $1 }' >"$work/alerting"
    local set fmt t
    for set in gcp az aad; do
        case $set in
        gcp) t=GCP.AuditLog fmt=gcp-audit ;;
        az) t=Azure.MonitorActivity fmt=azure-monitor ;;
        *) t=Azure.Audit fmt=azure-monitor ;;
        esac
        "$TYTO" rules test --format "$fmt" "$work/$set.jsonl" 2>/dev/null |
            sed -n 's/^.*:\([0-9][0-9]*\): \([0-9a-f-]\{36\}\) .*/\1\t\2/p' |
            awk -F'\t' 'NR == FNR { a[$1] = 1; next } a[$2] { print $1 }' "$work/alerting" - |
            sort -u >"$work/$set.alerted"
        jq -r '.expected_result | tostring' "$P/tests.$t.jsonl" |
            awk -v t="$t" 'NR == FNR { hit[$1] = 1; next }
                { if ($1 == "true") { p++; if (hit[FNR]) pa++ } else { n++; if (hit[FNR]) na++ } }
                END { printf "  %-22s positives alerted %3d of %3d; negatives alerted %3d of %3d\n",
                      t, pa, p, na, n }' "$work/$set.alerted" -
    done
}

for p in $parts; do "$p"; done
if [ $fail = 0 ]; then echo "cloud: PASS"; else echo "cloud: FAIL"; fi
exit $fail
