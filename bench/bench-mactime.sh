#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# bench-mactime.sh - `tyto fs --mactime -d` against TSK's `mactime -b BODY -d` on a generated
# bodyfile (bench/gen-bodyfile.c, 2 million lines by default): checks the outputs are
# byte-identical, then prints a Markdown table side by side (wall time, lines/s, MB/s, peak
# RSS) and the speed ratio (budget: tyto >= 10x faster). Also times tyto with a small sort
# budget (--memory 64) to show the external sort. Environment: BUILD (build), BENCH_DIR
# (/tmp/tyto-bench), BENCH_LINES (2000000), BENCH_SEED (20261122), TZ (UTC).
set -euo pipefail

BUILD=${BUILD:-build}
BENCH_DIR=${BENCH_DIR:-/tmp/tyto-bench}
LINES=${BENCH_LINES:-2000000}
SEED=${BENCH_SEED:-20261122}
export TZ=${TZ:-UTC}
TYTO=$BUILD/tyto
GEN=$BUILD/bench/gen-bodyfile
BODY=$BENCH_DIR/bodyfile-$LINES-$SEED.body

say() { printf 'bench-mactime: %s\n' "$*" >&2; }
die() { printf 'bench-mactime: error: %s\n' "$*" >&2; exit 1; }

cd "$(dirname "$0")/.."
make --no-print-directory -s BUILD="$BUILD" "$TYTO" "$GEN" >&2 || die "cannot build $TYTO and $GEN"
command -v mactime >/dev/null || die "mactime is missing (Debian package sleuthkit)"
mkdir -p "$BENCH_DIR"
if [ ! -s "$BODY" ]; then
    say "generating $BODY ($LINES lines)"
    "$GEN" --lines "$LINES" --seed "$SEED" --out "$BODY.tmp"
    mv "$BODY.tmp" "$BODY"
fi
bytes=$(stat -c %s "$BODY")
lines=$(wc -l <"$BODY")

# run NAME CMD...: wall seconds and peak RSS (KB) into $NAME.time, stdout into $NAME.out
run() {
    local name=$1
    shift
    say "running $name"
    /usr/bin/time -f '%e %M' -o "$BENCH_DIR/$name.time" "$@" >"$BENCH_DIR/$name.out" \
        2>"$BENCH_DIR/$name.err" || die "$name failed (see $BENCH_DIR/$name.err)"
}
run mactime mactime -b "$BODY" -d
run tyto "$TYTO" fs --mactime -d "$BODY"
run tyto-ext "$TYTO" fs --mactime -d --memory 64 --stats "$BODY"
cmp -s "$BENCH_DIR/mactime.out" "$BENCH_DIR/tyto.out" || die "tyto and mactime outputs differ"
cmp -s "$BENCH_DIR/mactime.out" "$BENCH_DIR/tyto-ext.out" || die "external sort output differs"
say "outputs byte-identical ($(wc -l <"$BENCH_DIR/tyto.out") timeline lines)"

printf '| tool | wall s | lines/s | MB/s | peak RSS MB |\n|---|---|---|---|---|\n'
for n in mactime tyto tyto-ext; do
    read -r secs kb <"$BENCH_DIR/$n.time"
    awk -v n="$n" -v s="$secs" -v kb="$kb" -v l="$lines" -v b="$bytes" 'BEGIN {
        if (s < 0.01) s = 0.01
        printf "| %s | %.2f | %.0f | %.1f | %.0f |\n", n, s, l / s, b / s / 1e6, kb / 1024 }'
done
read -r ms _ <"$BENCH_DIR/mactime.time"
read -r ts _ <"$BENCH_DIR/tyto.time"
awk -v m="$ms" -v t="$ts" 'BEGIN { if (t < 0.01) t = 0.01
    r = m / t; verdict = (r >= 10) ? "ok" : "BELOW BUDGET"
    printf "\ntyto/mactime speed ratio: %.1fx (budget >= 10x): %s\n", r, verdict }'
grep -h 'sort runs' "$BENCH_DIR/tyto-ext.err" >&2 || true
