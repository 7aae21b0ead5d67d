#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `tyto contain` and `tyto iocs` end to end on the wordpress story case: the
# plan's phases in order, the shell script form (valid sh, refuses to run until
# reviewed), JSON, --apply refused without root (nothing run), usage errors,
# and the indicators as CSV and as a STIX bundle (valid JSON, the attacker's
# address as a pattern, the same bytes on a second run).
set -uo pipefail
TYTO=${TYTO:-build/tyto}
BUILD=${BUILD:-build}
case "$TYTO" in /*) ;; *) TYTO="$PWD/$TYTO" ;; esac
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { if eval "$1"; then ok; else bad "$2"; fi; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if ! make --no-print-directory -s BUILD="$BUILD" "$BUILD/gen/wordpress" >"$work/make.log" 2>&1 ||
    ! "$BUILD/gen/wordpress" "$work/gen" --scale 1 >"$work/gen.log" 2>&1 ||
    ! "$TYTO" investigate --quiet --case "$work/c.tyto" "$work/gen/evidence" >/dev/null 2>&1; then
    echo "FAIL: could not generate and ingest the wordpress case"
    echo "contain e2e: 0 passed, 1 failed"
    exit 1
fi
C=$work/c.tyto

out=$("$TYTO" contain "$C" --incident 1 2>"$work/err"); rc=$?
check '[ $rc = 0 ]' "contain exits 0 (got $rc): $(cat "$work/err")"
phases=$(grep '^== ' <<<"$out" | tr -d '=' | xargs)
check '[ "$phases" = "preserve containment eradication recovery" ]' "phases in order: $phases"
check 'grep -q "kind: NetworkPolicy" <<<"$out" && grep -q "tyto/quarantine=true" <<<"$out"' \
    "the pod is quarantined by label and NetworkPolicy"
check 'grep -q "kubectl cordon" <<<"$out"' "the node is cordoned"
check 'grep -q "nft add rule inet tyto output ip daddr .203.0.113.66. drop" <<<"$out"' \
    "the attacker address is dropped"

"$TYTO" contain "$C" -i 1 --format sh >"$work/plan.sh" 2>/dev/null
check 'sh -n "$work/plan.sh"' "the sh plan is valid sh"
(cd "$work" && sh plan.sh >/dev/null 2>"$work/sh.err"); rc=$?
check '[ $rc = 1 ] && grep -q "review this plan" "$work/sh.err" && [ ! -e "$work/tyto-evidence" ]' \
    "the sh plan refuses to run unreviewed (rc $rc)"

"$TYTO" contain "$C" -i 1 --format json >"$work/plan.json" 2>/dev/null
check 'jq -e "(.incident == 1) and (.actions | length > 10) and ([.actions[].phase] - [\"preserve\",
    \"containment\", \"eradication\", \"recovery\"] == []) and all(.actions[]; has(\"command\"))" \
    "$work/plan.json" >/dev/null' "the JSON plan has the shape of the contract"

# the quarantine label, run against a stand-in kubectl: the labels the pod's owner
# selects on are read from the owner and removed
mkdir -p "$work/bin"
printf '%s\n' '#!/bin/sh' 'case "$*" in' \
    "*ownerReferences*) printf 'ReplicaSet/wordpress-7d9f8b6c5d' ;;" \
    "*go-template*) printf 'app- pod-template-hash- ' ;;" \
    '*) echo "$*" >>"$KUBECTL_LOG" ;;' 'esac' >"$work/bin/kubectl"
chmod +x "$work/bin/kubectl"
label=$(jq -r '[.actions[] | select(.command // "" | test("kubectl label pod"))][0].command' \
    "$work/plan.json")
PATH="$work/bin:$PATH" KUBECTL_LOG="$work/kubectl.log" sh -c "$label"
want="label pod -n blog wordpress-7d9f8b6c5d-x4k2p tyto/quarantine=true app- pod-template-hash-"
check 'grep -qxF "$want --overwrite" "$work/kubectl.log"' "label: $(cat "$work/kubectl.log")"

if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1; then
    setpriv --reuid=65534 --regid=65534 --clear-groups "$TYTO" contain "$C" -i 1 --apply \
        >"$work/apply.out" 2>"$work/apply.err"
    rc=$?
    check '[ $rc = 1 ] && grep -q "run it as root (nothing was run)" "$work/apply.err" &&
        [ ! -s "$work/apply.out" ]' "--apply refused without root (rc $rc)"
fi
"$TYTO" contain "$C" >/dev/null 2>"$work/err"; rc=$?
check '[ $rc = 2 ] && grep -q -- "--incident N is required" "$work/err"' "--incident required"
"$TYTO" contain "$C" -i 99 >/dev/null 2>"$work/err"; rc=$?
check '[ $rc = 1 ] && grep -q "no incident 99" "$work/err"' "unknown incident: rc $rc"

"$TYTO" iocs "$C" >"$work/iocs.csv" 2>"$work/err"; rc=$?
check '[ $rc = 0 ]' "iocs exits 0 (got $rc): $(cat "$work/err")"
header=type,value,role,first_seen,last_seen,incident,context
check '[ "$(head -1 "$work/iocs.csv")" = "$header" ]' "CSV header"
check 'grep -q "^ipv4,203.0.113.66,attacker," "$work/iocs.csv"' "the attacker address is an IOC"
"$TYTO" iocs "$C" --format stix >"$work/a.json" 2>/dev/null
"$TYTO" iocs "$C" --format stix >"$work/b.json" 2>/dev/null
check 'cmp -s "$work/a.json" "$work/b.json"' "the same bundle twice (deterministic ids)"
check 'jq -e "(.type == \"bundle\") and ([.objects[] | select(.type == \"indicator\")
    | .pattern] | index(\"[ipv4-addr:value = '"'"'203.0.113.66'"'"']\") != null)" \
    "$work/a.json" >/dev/null' "the bundle has the address as a STIX pattern"
"$TYTO" iocs "$C" --format xml >/dev/null 2>&1; rc=$?
check '[ $rc = 2 ]' "unknown format is a usage error (rc $rc)"

echo "contain e2e: $pass passed, $fail failed"
[ "$fail" = 0 ]
