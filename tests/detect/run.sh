#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# run.sh - the detection proof tests (docs/RULES.md): tyto's pack itself, then the outside
# oracles that need ../shared/data (Stratus Red Team, Falco's Kubernetes audit cases,
# Panther's CloudTrail rule tests, SigmaHQ lint and SigmaHQ regression data). Each prints
# its table; a test whose data is absent is skipped with its reason. Exit status 1 when any
# test failed.
# Usage: TYTO=build/tyto tests/detect/run.sh [pack|fixtures|stratus|falco|panther|sigmahq-lint|regression]...
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
tests=${*:-pack fixtures stratus falco panther sigmahq-lint regression}
passed=0 failed=0 skipped=0
for t in $tests; do
    echo "== $t"
    sh "$HERE/$t.sh"
    rc=$?
    case $rc in
    0) passed=$((passed + 1)) ;;
    77) skipped=$((skipped + 1)) ;;
    *) failed=$((failed + 1)) ;;
    esac
done
echo "detect: $passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
