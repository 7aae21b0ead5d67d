#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Conformance on real third-party samples (../shared/data, see its MANIFEST.md),
# end to end through the real walker, decoders, sniffing and parsers: each
# set is ingested into a scratch case and must give exactly the expected
# formats and counts. Every quarantined or unrecognized input is named here
# with the reason it is really malformed. Skipped, with a message, when the
# shared data is absent. (Field-level oracle checks live in the parsers' unit
# tests: tests/unit/test-parse-*.c.)
set -uo pipefail
TYTO=${TYTO:-build/tyto}
case "$TYTO" in /*) ;; *) TYTO="$PWD/$TYTO" ;; esac
D=${TYTO_SHARED_DATA:-../shared/data}
if [ ! -d "$D" ]; then
    echo "conformance: skipped: $D not found (the shared sample data sits beside the clone)"
    echo "conformance: 0 passed, 0 failed, 1 skipped"
    exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0 fail=0

# expect NAME "FORMAT:STREAMS ..." EVENTS QUARANTINED PATH...
expect() {
    local name=$1 formats=$2 events=$3 quar=$4
    shift 4
    local c="$work/$name.tyto"
    "$TYTO" ingest -q "$c" "$@" 2>"$work/$name.err"
    local got_f got_e got_q
    got_f=$("$TYTO" query "$c" "select f||':'||count(*) from (select coalesce(nullif(format,''),'-') as f from evidence) group by f order by f" | tail -n +2 | tr '\n' ' ' | sed 's/ $//')
    got_e=$("$TYTO" query "$c" "select total(events) from evidence" | tail -n +2 | sed 's/\.0$//')
    got_q=$("$TYTO" query "$c" "select total(quarantined) from evidence" | tail -n +2 | sed 's/\.0$//')
    if [ "$got_f" = "$formats" ] && [ "$got_e" = "$events" ] && [ "$got_q" = "$quar" ]; then
        pass=$((pass + 1))
        printf '  ok   %-28s %-40s events %6s quarantined %s\n' "$name" "$got_f" "$got_e" "$got_q"
    else
        fail=$((fail + 1))
        printf '  FAIL %-28s formats [%s] want [%s]; events %s want %s; quarantined %s want %s\n' \
            "$name" "$got_f" "$formats" "$got_e" "$events" "$got_q" "$quar"
        head -5 "$work/$name.err" | sed 's/^/       /'
    fi
}

echo "conformance on $D:"
# AWS CloudTrail
expect stratus-red-team "aws-cloudtrail:35" 310 0 "$D/stratus-red-team/docs/detonation-logs"
expect falco-cloudtrail "aws-cloudtrail:2" 2 0 "$D/falcosecurity-falco/test/trace_files/plugins"
expect otrf-ec2-s3-exfil "aws-cloudtrail:1" 103 0 \
    "$D/otrf-security-datasets/datasets/atomic/aws/collection/ec2_proxy_s3_exfiltration"
expect plaso-lookup-events "aws-cloudtrail:1" 6 0 "$D/plaso/test_data/jsonl/aws_cloudtrail.jsonl"
expect sekoia-cloudtrail "aws-cloudtrail:1" 15 0 \
    "$D/sekoia-intake-formats/_derived/AWS__aws-cloudtrail.inputs.txt"
# Kubernetes audit. fal_01_003.json is {"kind": 0}: not an audit event, rightly unrecognized.
expect falco-k8s-audit "-:1 k8s-audit:46" 51 0 "$D/falcosecurity-falco/test/trace_files/k8s_audit"
expect sekoia-k8s-audit "k8s-audit:1" 8 0 \
    "$D/sekoia-intake-formats/_derived/Kubernetes__audit-log.inputs.txt"
# AWS VPC flow logs. The sekoia file mixes 3 JSON-wrapped records (another product's shape)
# into the text lines; they are quarantined as not being flow-log text.
expect elastic-vpcflow "aws-vpcflow:2" 8 0 "$D/elastic-integrations/packages/aws/data_stream/vpcflow"
expect sekoia-vpcflow "aws-vpcflow:1" 6 3 "$D/sekoia-intake-formats/_derived/AWS__aws-flow-logs.inputs.txt"

echo "conformance: $pass passed, $fail failed"
[ $fail = 0 ]
