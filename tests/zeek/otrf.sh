#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# otrf.sh - the second Zeek check: the OTRF Security-Datasets captures whose
# authors ran Zeek on them (apt29 day 2: JSON-streaming logs with id_orig_h;
# LSASS campaign: TSV). Prints the per-field agreement table; informative
# (MIN=0 by default): the apt29 logs come from a live sensor, not `zeek -r`.
set -u
here=$(cd "$(dirname "$0")" && pwd)
TYTO=${TYTO:-build/tyto}
D=${DATA:-$here/../../../shared/data}/otrf-security-datasets/datasets/compound
[ -d "$D" ] || { echo "otrf: skipped (no $D)"; exit 0; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
idx="$out/index.tsv"
printf 'baseline_dir\ttrace\tzeek_mode\tbaseline_logs\n' > "$idx"
pair() { # name pcap logdir [tyto net flags]
    mkdir -p "$out/ours/$1"
    mkdir -p "$out/base"
    ln -s "$3" "$out/base/$1"
    "$TYTO" net ${4:-} --zeek-logs "$out/ours/$1" "$2" > /dev/null 2>&1 || true
    printf '%s\t%s\tfull\tconn.log,dns.log,http.log\n' "$1" "$2" >> "$idx"
}
# The apt29 captures were taken on the hosts (checksum offload: outbound packets carry bad
# checksums) while Zeek ran on a sensor that saw them on the wire: -C.
for h in NEWYORK UTICA-A UTICA-C SCRANTON; do
    pair "$h" "$D/apt29/day2/pcaps/$h/$h.cap" "$D/apt29/day2/zeek/$h-zeek_logs" -C
done
l=$D/LSASS_campaign_01
pair lsass "$l/metasploit_logonpasswords_lsass_memory_dump_pcapng/metasploit_logonpasswords_lsass_memory_dump.pcapng" \
    "$l/metasploit_logonpasswords_lsass_memory_dump_zeek_logs"
python3 "$here/compare.py" "$idx" "$out/base" "$out/ours" --min "${MIN:-0}" ${VERBOSE:+-v}
