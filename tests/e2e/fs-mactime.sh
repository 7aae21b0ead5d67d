#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# fs-mactime.sh - `tyto fs --mactime` against TSK's own `mactime` (when installed) on a
# generated bodyfile full of the lines mactime treats oddly (bench/gen-bodyfile --quirks),
# with -d, -y, -m, -z and date ranges, in memory and with the external sort forced; and
# sleuthkit's image.dd (shared data) and ext2 images made here (alone and in an MBR partition)
# walked with libtsk against `fls -r -m /`.
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
# a file system made here, alone and inside an MBR partition at sector 2048
if command -v mkfs.ext2 >/dev/null && command -v fls >/dev/null && command -v python3 >/dev/null
then
    mkdir -p "$work/tree/etc/cron.d" "$work/tree/home/bob/.ssh"
    echo '* * * * * root /tmp/x' >"$work/tree/etc/cron.d/x"
    ln -s ../etc "$work/tree/home/bob/link"
    mkfs.ext2 -q -F -d "$work/tree" "$work/fs.img" 2048 >/dev/null 2>&1
    python3 - "$work/fs.img" "$work/disk.img" <<'PY'
import struct, sys
fs = open(sys.argv[1], 'rb').read()
mbr = bytearray(512)
mbr[446:462] = struct.pack('<B3sB3sII', 0, b'\0' * 3, 0x83, b'\0' * 3, 2048, len(fs) // 512)
mbr[510:512] = b'\x55\xaa'
with open(sys.argv[2], 'wb') as f:
    f.write(mbr + b'\0' * (512 * 2047) + fs)
PY
    for args in "fs.img|" "disk.img|-o 2048"; do
        img=${args%%|*}
        o=${args#*|}
        fls -r -m / $o "$work/$img" >"$work/want.body"
        if "$TYTO" fs --bodyfile "$work/$img" | cmp -s - "$work/want.body"; then
            pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $img walk"; fi
    done
fi
echo "fs-mactime: $pass passed, $fail failed"
[ "$fail" = 0 ]
