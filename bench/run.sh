#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# run.sh - the throughput benchmark of `make bench`: builds tyto and the CloudTrail generator,
# makes (once) a 1 GB CloudTrail JSON-lines file and the same records as gzip Records files,
# then times side by side: tyto parse --count, tyto ingest, jq select, and tyto ingest of the
# gzip variant. Prints a Markdown table (wall time, MB/s, events/s, peak RSS) and tyto/jq.
# Then detection alone per core (bench-detect), `tyto fs --mactime` vs mactime and `tyto net` vs
# tshark (bench-mactime.sh, bench-pcap.sh; BENCH_QUICK=1 skips those two, they take minutes).
# Environment: BUILD (build), BENCH_DIR (/tmp/tyto-bench), BENCH_SIZE (1G), BENCH_SEED.
set -euo pipefail

BUILD=${BUILD:-build}
BENCH_DIR=${BENCH_DIR:-/tmp/tyto-bench}
SIZE=${BENCH_SIZE:-1G}
SEED=${BENCH_SEED:-20261014}
TYTO=$BUILD/tyto
GEN=$BUILD/bench/gen-cloudtrail
FILE=$BENCH_DIR/cloudtrail-$SIZE-$SEED.jsonl
GZDIR=$BENCH_DIR/cloudtrail-$SIZE-$SEED-gz

say() { printf 'bench: %s\n' "$*" >&2; }
die() { printf 'bench: error: %s\n' "$*" >&2; exit 1; }

cd "$(dirname "$0")/.."

# ---- build ---------------------------------------------------------------------------------
say "building $TYTO and $GEN"
make --no-print-directory -s "$TYTO" >&2 || die "cannot build $TYTO"
if ! make --no-print-directory -s "$GEN" >&2 2>/dev/null; then
    # The generator needs only libc and zlib; build it directly if the Makefile rule cannot.
    say "make $GEN failed; building it directly with zlib"
    mkdir -p "$BUILD/bench"
    ${CC:-cc} -std=c11 -O2 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -Wall -Wextra \
        -o "$GEN" bench/gen-cloudtrail.c -lz || die "cannot build $GEN"
fi
command -v jq >/dev/null || die "jq is missing (scripts/deps installs it)"

# ---- data (kept between runs) --------------------------------------------------------------
mkdir -p "$BENCH_DIR"
if [ ! -s "$FILE" ]; then
    say "generating $FILE ($SIZE)"
    "$GEN" --size "$SIZE" --seed "$SEED" --out "$FILE.tmp"
    mv "$FILE.tmp" "$FILE"
else
    say "reusing $FILE"
fi
if [ ! -e "$GZDIR/.done" ]; then
    say "generating $GZDIR (the same records as gzip Records files)"
    rm -rf "$GZDIR"
    "$GEN" --size "$SIZE" --seed "$SEED" --out "$GZDIR" --records-gz
    touch "$GZDIR/.done"
else
    say "reusing $GZDIR"
fi
BYTES=$(stat -c %s "$FILE")
RECORDS=$(wc -l < "$FILE")
say "input: $BYTES bytes, $RECORDS records"

# ---- measuring -----------------------------------------------------------------------------
if [ -x /usr/bin/time ] && /usr/bin/time -f %M -o /dev/null true 2>/dev/null; then
    HAVE_TIME=1
else
    HAVE_TIME=0
    say "/usr/bin/time (Debian package 'time') not found: timing with date only, RSS n/a"
fi

ROWS=()
declare -A MBS

# measure NAME EVENTS_SOURCE STDOUT CMD...: runs CMD, stderr (and stdout if STDOUT is "keep",
# else /dev/null) in $BENCH_DIR/NAME.out. EVENTS_SOURCE: "records" (the input's record count)
# or "parse" (read from tyto's output).
measure() {
    local name=$1 evsrc=$2 keep=$3
    shift 3
    local tag=${name//[^A-Za-z0-9]/_}
    local out=$BENCH_DIR/$tag.out so rss=n/a t0 t1 rc=0
    so=$out
    [ "$keep" = keep ] || so=/dev/null
    : > "$out"
    say "running: $*"
    t0=$(date +%s.%N)
    if [ "$HAVE_TIME" = 1 ]; then
        /usr/bin/time -f "%M %U %S" -o "$BENCH_DIR/$tag.rss" "$@" > "$so" 2>> "$out" || rc=$?
    else
        "$@" > "$so" 2>> "$out" || rc=$?
    fi
    t1=$(date +%s.%N)
    if [ "$rc" != 0 ]; then
        say "$name failed (exit $rc); last lines of $out:"
        tail -n 5 "$out" >&2 || true
        ROWS+=("| $name | failed (exit $rc) | | | | |")
        return 0
    fi
    local cpu=n/a
    if [ "$HAVE_TIME" = 1 ]; then
        rss=$(awk 'END { printf "%.0f", $1 / 1024 }' "$BENCH_DIR/$tag.rss")
        cpu=$(awk 'END { printf "%.2f", $2 + $3 }' "$BENCH_DIR/$tag.rss")
    fi
    local events=$RECORDS
    if [ "$evsrc" = parse ]; then
        events=$(grep -Eo '([0-9]+ events|events [0-9]+)' "$out" | grep -Eo '[0-9]+' | tail -n 1)
        events=${events:-0}
    fi
    local row
    row=$(awk -v t0="$t0" -v t1="$t1" -v b="$BYTES" -v e="$events" -v n="$name" -v r="$rss" \
        -v c="$cpu" 'BEGIN { w = t1 - t0; if (w <= 0) w = 1e-9;
                 printf "| %s | %.2f | %s | %.0f | %.0f | %s |", n, w, c, b / 1e6 / w, e / w, r }')
    MBS[$name]=$(awk -v t0="$t0" -v t1="$t1" -v b="$BYTES" \
        'BEGIN { w = t1 - t0; if (w <= 0) w = 1e-9; printf "%.1f", b / 1e6 / w }')
    ROWS+=("$row")
}

# (a) parse and normalise only
if "$TYTO" parse --help >/dev/null 2>&1; then
    measure "tyto parse --count" parse keep "$TYTO" parse --count "$FILE"
else
    ROWS+=("| tyto parse --count | skipped (no parse command) | | | |")
fi
# (b) full ingest into a new case
rm -f "$BENCH_DIR/bench.tyto" "$BENCH_DIR/bench.tyto-journal" "$BENCH_DIR/bench.tyto-wal"
measure "tyto ingest" parse keep "$TYTO" ingest "$BENCH_DIR/bench.tyto" "$FILE"
# (c) the jq baseline
measure "jq select GetObject" records null jq -c 'select(.eventName=="GetObject")' "$FILE"
# (d) the gzip Records variant (MB/s counts the uncompressed bytes)
rm -f "$BENCH_DIR/bench-gz.tyto" "$BENCH_DIR/bench-gz.tyto-journal" "$BENCH_DIR/bench-gz.tyto-wal"
measure "tyto ingest (gzip Records)" parse keep "$TYTO" ingest "$BENCH_DIR/bench-gz.tyto" "$GZDIR"
measure "tyto parse --count (gzip Records)" parse keep "$TYTO" parse --count "$GZDIR"

# ---- report --------------------------------------------------------------------------------
echo
echo "CloudTrail, $BYTES bytes, $RECORDS records ($(nproc) cores; $(date -u +%Y-%m-%d))"
echo
echo "| run | wall s | cpu s | MB/s | events/s | peak RSS MB |"
echo "|---|---:|---:|---:|---:|---:|"
printf '%s\n' "${ROWS[@]}"
echo
jq_mbs=${MBS["jq select GetObject"]:-}
for n in "tyto parse --count" "tyto ingest" "tyto ingest (gzip Records)" \
    "tyto parse --count (gzip Records)"; do
    v=${MBS[$n]:-}
    if [ -n "$v" ] && [ -n "$jq_mbs" ]; then
        awk -v a="$v" -v b="$jq_mbs" -v n="$n" 'BEGIN { printf "%s / jq: %.1fx\n", n, a / b }'
    fi
done
echo "(jq events = records read; outputs in $BENCH_DIR/*.out)"

# ---- per core: the tokenizer and the CloudTrail parser alone (thread CPU time) --------------
echo
echo "Per core, in memory (bench-json, bench-cloudtrail: best-round thread CPU time):"
for b in bench-json bench-cloudtrail bench-cloud; do
    if make --no-print-directory -s "$BUILD/bench/$b" >&2 2>/dev/null; then
        "$BUILD/bench/$b" 2>&1 | grep -E 'MB/s' | sed 's/^/    /'
    else
        echo "    $b: could not be built"
    fi
done

# ---- detection: Sigma matching alone, per core, beside parse-only (bench-detect) -------------
echo
echo "Detection on the same file, one core (bench-detect: tyto's pack plus SigmaHQ's AWS rules):"
SIGMA_AWS=../shared/data/sigmahq-sigma/rules/cloud/aws
if make --no-print-directory -s "$BUILD/bench/bench-detect" >&2 2>/dev/null; then
    if [ -d "$SIGMA_AWS" ]; then
        "$BUILD/bench/bench-detect" "$FILE" "$SIGMA_AWS" | sed 's/^/    /'
    else
        echo "    ($SIGMA_AWS absent: tyto's pack alone)"
        "$BUILD/bench/bench-detect" "$FILE" | sed 's/^/    /'
    fi
else
    echo "    bench-detect: could not be built"
fi

# ---- the host and network tools beside what users would otherwise run -------------------------
# mactime (sleuthkit) takes ~10 min on 2 million lines and tshark ~5 min on 1 GiB: skip both
# with BENCH_QUICK=1.
if [ "${BENCH_QUICK:-0}" != 1 ]; then
    echo
    echo "Filesystem timeline (bench/bench-mactime.sh: tyto fs --mactime vs mactime):"
    BUILD=$BUILD BENCH_DIR=$BENCH_DIR bench/bench-mactime.sh 2>&1 | sed 's/^/    /' || true
    echo
    echo "Packet capture (bench/bench-pcap.sh: tyto net vs tshark -T fields):"
    BUILD=$BUILD BENCH_DIR=$BENCH_DIR bench/bench-pcap.sh 2>&1 | sed 's/^/    /' || true
fi
