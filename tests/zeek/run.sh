#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# run.sh - the Zeek agreement test: runs `tyto net` on every zeek-btest trace
# that Zeek ran with its default scripts (ORACLE_INDEX.tsv, zeek_mode=full) and
# compares conn/dns/http logs field by field with Zeek's baselines
# (tests/zeek/compare.py). Fails when a field agrees on under 95% of rows.
# Skips (exit 0) when ../shared/data is absent. Env: TYTO, DATA, MIN, VERBOSE=1.
set -u
here=$(cd "$(dirname "$0")" && pwd)
TYTO=${TYTO:-build/tyto}
DATA=${DATA:-$here/../../../shared/data/zeek-btest}
MIN=${MIN:-95}
[ -f "$DATA/ORACLE_INDEX.tsv" ] || { echo "zeek-agreement: skipped (no $DATA)"; exit 0; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
tab=$(printf '\t')
tail -n +2 "$DATA/ORACLE_INDEX.tsv" | while IFS="$tab" read -r bdir trace mode logs scapy file cmd; do
    [ "$mode" = full ] || continue
    # TLS decrypted with key material from the test script: out of scope.
    case "$bdir" in scripts.policy.protocols.ssl.decryption) continue ;; esac
    case "$logs" in *conn.log*|*dns.log*|*http.log*|*ssl.log*) ;; *) continue ;; esac
    flags=
    case "$cmd" in *" -C"*) flags=-C ;; esac
    mkdir -p "$out/$bdir"
    "$TYTO" net $flags --zeek-logs "$out/$bdir" "$DATA/testing/btest/Traces/$trace" \
        >/dev/null 2>"$out/$bdir/stderr" || true
done
v=
[ "${VERBOSE:-0}" = 1 ] && v=-v
python3 "$here/compare.py" "$DATA/ORACLE_INDEX.tsv" "$DATA/testing/btest/Baseline" "$out" \
    --min "$MIN" $v
