#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# fs-mactime.sh - `tyto fs --mactime` against TSK's own `mactime` (when installed) on a
# generated bodyfile full of the lines mactime treats oddly (bench/gen-bodyfile --quirks),
# with -d, -y, -m, -z and date ranges, in memory and with the external sort forced; and
# sleuthkit's image.dd (shared data) walked with libtsk against `fls -r -m /`.
set -uo pipefail
TYTO=${TYTO:-build/tyto}
case "$TYTO" in /*) ;; *) TYTO="$PWD/$TYTO" ;; esac
BUILD=$(dirname "$TYTO")
if ! command -v mactime >/dev/null; then
    echo "fs-mactime: skipped (mactime not installed)"
    exit 0
fi
make --no-print-directory -s BUILD="$BUILD" "$BUILD/bench/gen-bodyfile" || exit 1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0 fail=0
"$BUILD/bench/gen-bodyfile" --lines 20000 --quirks --seed 5 --out "$work/q.body"
compare() { # compare LABEL MACTIME-ARGS -- TYTO-ARGS
    local label=$1
    shift
    local m=() t=()
    while [ "$1" != -- ]; do m+=("$1"); shift; done
    shift
    t=("$@")
    mactime "${m[@]}" >"$work/m.out" 2>/dev/null
    "$TYTO" fs --mactime "${t[@]}" >"$work/t.out" 2>/dev/null
    if cmp -s "$work/m.out" "$work/t.out"; then pass=$((pass + 1)); else
        fail=$((fail + 1)); echo "FAIL: $label"; diff "$work/m.out" "$work/t.out" | head -5; fi
}
export TZ=UTC
for o in "-d" "" "-d -y" "-m" "-d -z America/New_York"; do
    compare "opts [$o]" -b "$work/q.body" $o -- $o "$work/q.body"
    compare "opts [$o] external sort" -b "$work/q.body" $o -- $o --memory 1 "$work/q.body"
done
for r in 2023-11-20 2023-11-20..2023-11-25 2023-11-20T10:00:00..2023-11-21T03:30:00; do
    compare "range $r" -b "$work/q.body" -d "$r" -- -d "$work/q.body" "$r"
done
img=${TYTO_SHARED_DATA:-$(dirname "$0")/../../../shared/data}/sleuthkit/test/data/image.dd
if [ -f "$img" ] && command -v fls >/dev/null; then
    fls -r -m / "$img" >"$work/fls.body"
    if "$TYTO" fs --bodyfile "$img" | cmp -s - "$work/fls.body"; then pass=$((pass + 1)); else
        fail=$((fail + 1)); echo "FAIL: image.dd walk differs from fls -r -m /"; fi
    compare "image.dd timeline" -b "$work/fls.body" -d -y -- -d -y "$img"
fi
echo "fs-mactime: $pass passed, $fail failed"
[ "$fail" = 0 ]
