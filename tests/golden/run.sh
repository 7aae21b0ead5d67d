#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Golden end-to-end tests: each tests/golden/<case>/ holds `cmd` (a shell
# snippet run with $TYTO, $IN = the case's input/ folder, $OUT = a scratch
# folder, in the scratch folder), input/ files, and expected/stdout (plus
# any expected/<file> the command writes into $OUT). Volatile text (run
# times, speeds, scratch paths) is normalised by `normalise` below.
# GOLDEN_UPDATE=1 rewrites the expected files; review the diff.
# Usage: tests/golden/run.sh [case...]
set -uo pipefail
cd "$(dirname "$0")"
TYTO=${TYTO:-../../build/tyto}
case "$TYTO" in /*) ;; *) TYTO="$PWD/../../$TYTO" ;; esac
export TYTO

normalise() {
    sed -E -e "s#$1#\$OUT#g" \
        -e 's/\(([0-9.]+) MB\)/(N MB)/' \
        -e 's/[0-9.]+ MB\/s/N MB\/s/g' \
        -e 's/against [0-9]+ rules in [0-9.]+ s:/against N rules in N s:/'
}

pass=0 fail=0
cases=("$@")
[ ${#cases[@]} -eq 0 ] && cases=($(ls -d */ | tr -d /))
for c in "${cases[@]}"; do
    [ -f "$c/cmd" ] || continue
    out=$(mktemp -d)
    IN="$PWD/$c/input" OUT="$out" bash -c "cd '$out' && . '$PWD/$c/cmd'" >"$out/.stdout" 2>"$out/.stderr"
    rc=$?
    echo "exit $rc" >>"$out/.stdout"
    normalise "$out" <"$out/.stdout" >"$out/.stdout.n"
    normalise "$out" <"$out/.stderr" >"$out/.stderr.n"
    ok=1
    if [ "${GOLDEN_UPDATE:-}" = 1 ]; then
        mkdir -p "$c/expected"
        cp "$out/.stdout.n" "$c/expected/stdout"
        [ -s "$out/.stderr.n" ] && cp "$out/.stderr.n" "$c/expected/stderr" || rm -f "$c/expected/stderr"
        for f in "$out"/*; do
            [ -f "$f" ] || continue
            case "$f" in *.tyto) continue ;; esac
            normalise "$out" <"$f" >"$c/expected/$(basename "$f")"
        done
    else
        for e in "$c"/expected/*; do
            name=$(basename "$e")
            case "$name" in
                stdout) got="$out/.stdout.n" ;;
                stderr) got="$out/.stderr.n" ;;
                *) got="$out/$name.n"; normalise "$out" <"$out/$name" >"$got" 2>/dev/null || : ;;
            esac
            if ! diff -u "$e" "$got" >"$out/.diff"; then
                ok=0
                echo "FAIL $c: $name differs:"
                head -40 "$out/.diff"
            fi
        done
        if [ ! -f "$c/expected/stderr" ] && [ -s "$out/.stderr.n" ]; then
            : # stderr is only compared when the case pins it
        fi
    fi
    if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
    rm -rf "$out"
done
echo "golden: $pass passed, $fail failed"
[ $fail = 0 ]
