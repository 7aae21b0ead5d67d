# SPDX-License-Identifier: Apache-2.0
# lib.sh - shared helpers of the detection proof tests (sourced, not run).
# Sets ROOT (the repository), TYTO (the binary), DATA (../shared/data seen from the
# repository, or $TYTO_SHARED_DATA) and TMP (removed on exit); gives skip/need_data/need_cmd.
# Exit codes of every test script: 0 passed, 1 failed, 77 skipped (no shared data).

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
TYTO=${TYTO:-$ROOT/build/tyto}
case "$TYTO" in /*) ;; *) TYTO=$ROOT/$TYTO ;; esac
DATA=${TYTO_SHARED_DATA:-$ROOT/../shared/data}
NAME=$(basename "$0" .sh)

skip() {
    echo "$NAME: SKIP: $*"
    exit 77
}

fail_setup() {
    echo "$NAME: FAIL: $*"
    exit 1
}

# need_data DIR...: skip unless every DIR exists under $DATA.
need_data() {
    for d in "$@"; do
        [ -e "$DATA/$d" ] || skip "$DATA/$d is absent (the shared data is not next to the repo)"
    done
}

# need_cmd "rules lint": fail (not skip) when tyto lacks the command: the engine is ours.
need_cmd() {
    [ -x "$TYTO" ] || fail_setup "no tyto binary at $TYTO (run make first)"
    "$TYTO" $1 --help >/dev/null 2>&1 || fail_setup "tyto has no '$1' command (yet)"
}

command -v jq >/dev/null 2>&1 || fail_setup "jq is missing (scripts/deps)"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/tyto-detect-$NAME.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM

# alerts_of CASE: the case's alerts as JSON lines on stdout (nothing when there are none).
alerts_of() {
    "$TYTO" alerts "$1" --format jsonl 2>"$TMP/alerts.err"
}

# pct N D: N/D as a percentage with one decimal (awk; D > 0).
pct() {
    awk -v n="$1" -v d="$2" 'BEGIN { if (d == 0) print "0.0"; else printf "%.1f", 100 * n / d }'
}
