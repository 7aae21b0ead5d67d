#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The HTML report in a real browser (issue 8): generate the wordpress story case,
# run `tyto investigate --case C -o R.html`, open R.html in headless Chromium
# (Debian's chromium) with every network fetch sent to a dead proxy, and check
# that it renders: no script error on the console, no resource fetched, the
# five question headings in the rendered DOM, a PNG screenshot that is not
# blank. The screenshot is kept as $BUILD/report-screenshot.png. Skips, saying
# so, when chromium is not installed (scripts/deps installs it).
set -uo pipefail
TYTO=${TYTO:-build/tyto}
BUILD=${BUILD:-build}
STORY=${STORY:-wordpress}
case "$TYTO" in /*) ;; *) TYTO="$PWD/$TYTO" ;; esac
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { if eval "$1"; then ok; else bad "$2"; fi; }

chromium=${CHROMIUM:-}
if [ -z "$chromium" ]; then
    for c in chromium chromium-browser; do
        command -v "$c" >/dev/null 2>&1 && { chromium=$(command -v "$c"); break; }
    done
fi
if [ -z "$chromium" ]; then
    echo "report-html: skipped: chromium is not installed (apt-get install chromium)"
    echo "report-html: 0 passed, 0 failed, 1 skipped"
    exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# the story case, as the stories test makes it
if ! make --no-print-directory -s BUILD="$BUILD" "$BUILD/gen/$STORY" >"$work/make.log" 2>&1 ||
    ! "$BUILD/gen/$STORY" "$work/gen" --scale 1 >"$work/gen.log" 2>&1; then
    cat "$work/make.log" "$work/gen.log" 2>/dev/null | tail -5
    echo "FAIL: could not generate the $STORY case"
    echo "report-html: 0 passed, 1 failed"
    exit 1
fi
R=$work/report.html
"$TYTO" investigate --quiet --case "$work/case.tyto" -o "$R" "$work/gen/evidence" \
    >"$work/inv.out" 2>"$work/inv.err"
rc=$?
check '[ $rc = 0 ]' "tyto investigate exits 0 (got $rc): $(tail -3 "$work/inv.err")"
check '[ -s "$R" ]' "the report $R is written and not empty"
[ -s "$R" ] || { echo "report-html: $pass passed, $fail failed"; exit 1; }
# self-contained: nothing loaded from elsewhere
check '! grep -Eiq "<(script|link|img|iframe|source)[^>]+(src|href)=\"?(https?:)?//" "$R"' \
    "the report loads nothing from the network"
check '! grep -Eiq "@import|url\\((\"|'"'"')?(https?:)?//" "$R"' "no remote CSS import or url()"

# Chromium: any fetch goes to a closed port, so a remote resource shows as an error.
png=$work/report.png
flags=(--headless=new --no-sandbox --disable-gpu --no-first-run --disable-extensions
    --proxy-server=127.0.0.1:9 --user-data-dir="$work/profile" --enable-logging=stderr --v=0)
timeout 180 "$chromium" "${flags[@]}" --screenshot="$png" --window-size=1400,3000 \
    "file://$R" >"$work/shot.out" 2>"$work/shot.err"
rc=$?
check '[ $rc = 0 ]' "chromium --screenshot exits 0 (got $rc): $(tail -2 "$work/shot.err")"
timeout 180 "$chromium" "${flags[@]}" --dump-dom "file://$R" >"$work/dom.html" 2>"$work/dom.err"
rc=$?
check '[ $rc = 0 ] && [ -s "$work/dom.html" ]' "chromium --dump-dom exits 0 with a DOM (got $rc)"

# renders without errors: no uncaught exception, console error or failed load
errs=$(grep -h 'CONSOLE' "$work/shot.err" "$work/dom.err" |
    grep -Ei 'uncaught|error|failed to load|ERR_' | head -5)
check '[ -z "$errs" ]' "console errors while rendering: $errs"

# the five questions, as headings of the rendered page
for q in 'initial[ _-]access' 'spread' 'persistence' 'impact' 'prevention'; do
    check 'grep -Eiq "<h[1-6][^>]*>([^<]|<[^/][^>]*>)*$q" "$work/dom.html"' \
        "the rendered page has a heading for $q"
done
check 'grep -q "<svg" "$work/dom.html"' "the attack graph is inline SVG"

# the screenshot: a PNG of the window's size, not one colour
check '[ -s "$png" ]' "the screenshot $png exists and is not empty"
if [ -s "$png" ]; then
    magic=$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')
    check '[ "$magic" = 89504e470d0a1a0a ]' "the screenshot is a PNG (magic $magic)"
    dims=$(head -c 24 "$png" | tail -c 8 | od -An -tu1 |
        awk '{printf "%d x %d", $1*16777216+$2*65536+$3*256+$4, $5*16777216+$6*65536+$7*256+$8}')
    check '[ "$dims" = "1400 x 3000" ]' "the screenshot is 1400 x 3000 (got $dims)"
    # not blank: a blank page of the same size compresses to a few KB
    printf '<!doctype html><html><body></body></html>' >"$work/blank.html"
    timeout 180 "$chromium" "${flags[@]}" --screenshot="$work/blank.png" \
        --window-size=1400,3000 "file://$work/blank.html" >/dev/null 2>&1
    size=$(wc -c <"$png") blank=$(wc -c <"$work/blank.png" 2>/dev/null || echo 0)
    check '[ "$blank" -gt 0 ] && [ "$size" -gt $((blank * 2)) ]' \
        "the screenshot shows a page, not a blank one ($size bytes, a blank page $blank)"
    mkdir -p "$BUILD" && cp "$png" "$BUILD/report-screenshot.png" &&
        echo "report-html: screenshot in $BUILD/report-screenshot.png"
fi
echo "report-html: $pass passed, $fail failed"
[ "$fail" = 0 ]
