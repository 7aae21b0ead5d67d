#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# run.sh - the five stories as end-to-end acceptance cases (docs/internals/STORIES.md).
# For each examples/gen/<story>/ whose generator writes an expected.json: build it, generate
# the case at scale 1 into a temporary folder, run `tyto investigate` on it and check the
# report against the answer key. A check that fails while the capability it needs is not
# listed in tests/stories/capabilities is an xfail; every other failure fails the run.
# Usage: TYTO=build/tyto BUILD=build tests/stories/run.sh [story...]
# (STORIES_CAPS=FILE replaces the capabilities list, to see what a capability would demand.)
set -eu

TYTO=${TYTO:-build/tyto}
BUILD=${BUILD:-$(dirname "$TYTO")}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CAPS=${STORIES_CAPS:-$HERE/capabilities}
QUESTIONS="initial_access spread persistence impact"

cd "$ROOT"
command -v jq >/dev/null 2>&1 || { echo "stories: jq is missing (scripts/deps)" >&2; exit 1; }
[ -x "$TYTO" ] || { echo "stories: no tyto at $TYTO" >&2; exit 1; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/tyto-stories.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM

has_cap() {
    grep -qx "$1" "$CAPS" 2>/dev/null
}

# One check's outcome: result NAME NEEDS(space-separated capabilities) OK(0|1) [REASON]
result() {
    name=$1 needs=$2 ok=$3 reason=${4:-}
    if [ "$ok" = 1 ]; then
        n_ok=$((n_ok + 1))
        return
    fi
    missing=""
    for c in $needs; do
        has_cap "$c" || missing="$missing${missing:+|}$c"
    done
    if [ -n "$missing" ]; then
        n_xfail=$((n_xfail + 1))
        echo "  xfail $name (needs: $missing)"
    else
        n_fail=$((n_fail + 1))
        echo "  FAIL $name: $reason"
    fi
}

# The decompressed bytes of an evidence file (cached per file).
plain() {
    pkey=$(printf '%s' "$1" | cksum | cut -d' ' -f1)
    pf="$TMP/plain.$pkey"
    if [ ! -f "$pf" ]; then
        case "$1" in
        *.gz) gzip -dc "$1" >"$pf" 2>/dev/null || : >"$pf" ;;
        *.zst) zstd -dcq "$1" >"$pf" 2>/dev/null || : >"$pf" ;;
        *) cat "$1" >"$pf" 2>/dev/null || : >"$pf" ;;
        esac
    fi
    echo "$pf"
}

# Check 5 for one reference: the file exists, offset is inside it and starts a record (the
# first byte of a line, or a '{' / '[' of a JSON record), and line agrees with the offset.
evref_ok() {
    file=$1 off=$2 line=$3
    case "$file" in /*) ;; *) file="$case_dir/$file" ;; esac
    [ -f "$file" ] || { why="no such file: $file"; return 1; }
    p=$(plain "$file")
    size=$(wc -c <"$p")
    case "$off" in '' | null | *[!0-9]*) why="offset '$off' is not a number"; return 1 ;; esac
    [ "$off" -lt "$size" ] || { why="offset $off past the end ($size bytes) of $file"; return 1; }
    # a packet capture cites packets: the offset of a packet record and its number
    case "$(head -c 4 "$p" | od -An -tx1 | tr -d ' ')" in
    d4c3b2a1 | a1b2c3d4 | 4d3cb2a1 | a1b23c4d | 0a0d0d0a)
        why=$(python3 "$HERE/pcap-ref.py" "$p" "$off" "${line:-0}") && return 0
        return 1 ;;
    esac
    byte=$(tail -c +"$((off + 1))" "$p" | head -c 1)
    prev=""
    [ "$off" -gt 0 ] && prev=$(tail -c +"$off" "$p" | head -c 1 | od -An -c | tr -d ' ')
    if [ "$off" -gt 0 ] && [ "$prev" != '\n' ] && [ "$byte" != '{' ] && [ "$byte" != '[' ]; then
        why="offset $off of $file is not the start of a record"
        return 1
    fi
    case "$line" in '' | null | 0) return 0 ;; esac
    nl=$(head -c "$off" "$p" | tr -dc '\n' | wc -c)
    if [ "$((nl + 1))" != "$line" ]; then
        why="line $line but offset $off is on line $((nl + 1))"
        return 1
    fi
    return 0
}

# One hash for a whole tree: file contents and symlink targets, by relative path.
tree_sum() {
    (cd "$1" && { find . -type f | sort | tr '\n' '\0' | xargs -0 -r sha256sum
        find . -type l | sort | while read -r l; do echo "$l -> $(readlink "$l")"; done
    } | cksum)
}

run_story() {
    story=$1
    n_ok=0 n_xfail=0 n_fail=0
    out="$TMP/$story"
    gen="$out/gen"              # the generator's OUTDIR: answer key and notes
    case_dir="$gen/evidence"    # what a responder collected: all tyto sees
    echo "story $story"
    if ! make --no-print-directory -s BUILD="$BUILD" "$BUILD/gen/$story" \
            >"$TMP/$story.build" 2>&1; then
        sed 's/^/    /' "$TMP/$story.build" | tail -20
        result generate "" 0 "the generator does not build"
        return
    fi
    mkdir -p "$out"
    if ! "$BUILD/gen/$story" "$gen" --scale 1 >"$TMP/$story.gen" 2>&1; then
        sed 's/^/    /' "$TMP/$story.gen" | tail -20
        result generate "" 0 "the generator failed"
        return
    fi
    # the same seed and scale must give the same bytes (a second run, compared by hash)
    if "$BUILD/gen/$story" "$out/again" --scale 1 >/dev/null 2>&1 &&
            [ "$(tree_sum "$gen")" = "$(tree_sum "$out/again")" ]; then
        result deterministic "" 1
    else
        result deterministic "" 0 "a second run at the same seed writes other bytes"
    fi
    rm -rf "$out/again"
    exp="$gen/expected.json"
    if [ -e "$case_dir/expected.json" ] || [ ! -f "$exp" ]; then
        result answer-key-apart "" 0 "expected.json must be beside the evidence, not in it"
    else
        result answer-key-apart "" 1
    fi
    if ! jq -e '(.story|type=="string") and (.title|type=="string")
            and (.attacker_ips|type=="array") and (.compromised.identities|type=="array")
            and (.compromised.workloads|type=="array") and (.sources|type=="object")
            and ([.questions.initial_access, .questions.spread, .questions.persistence,
                  .questions.impact][] | (.techniques|type=="array")
                  and (.artifacts|type=="array"))
            and (.questions.prevention.keywords|type=="array")' "$exp" >/dev/null 2>&1; then
        result answer-key "" 0 "$exp is missing or does not follow the schema"
        return
    fi
    result answer-key "" 1
    rep="$out/report.json"
    if ! "$TYTO" investigate --case "$out/case.tyto" -o "$rep" "$case_dir" \
            >"$TMP/$story.inv" 2>&1 || [ ! -s "$rep" ]; then
        tail -5 "$TMP/$story.inv" | sed 's/^/    /'
        result investigate "" 0 "tyto investigate failed"
        return
    fi
    result investigate "" 1

    # packet captures must be real: tshark reads every one to the end without complaint
    for pcap in $(jq -r '.sources | to_entries[] | select(.value=="pcap") | .key' "$exp"); do
        for f in $(cd "$case_dir" && ls -d $pcap 2>/dev/null); do
            if ! command -v tshark >/dev/null; then
                echo "  note: tshark not installed: $f not checked"
                continue
            fi
            if tshark -r "$case_dir/$f" -q -z io,stat,0 >"$TMP/$story.tshark" 2>&1 &&
                    ! grep -qiE 'cut short|malformed|appears to be damaged' "$TMP/$story.tshark"; then
                result "pcap-valid:$f" "" 1
            else
                head -3 "$TMP/$story.tshark" | sed 's/^/    /'
                result "pcap-valid:$f" "" 0 "tshark cannot read it cleanly"
            fi
        done
    done

    # (1) every evidence file of the answer key is ingested. A source is a glob or a folder
    # (a tree such as a Docker root: all files under it). A file whose content is already in
    # the case (same SHA-256) is ingested once, under the first path: it counts as seen.
    jq -r '.evidence[] | [.path, .format, .status, (.quarantined|tostring), .sha256] | @tsv' \
        "$rep" >"$TMP/$story.ev"
    jq -r '.sources | to_entries[] | [.key, .value] | @tsv' "$exp" >"$TMP/$story.src"
    : >"$TMP/$story.files"
    i=0
    while IFS="$(printf '\t')" read -r glob fmt; do
        i=$((i + 1))
        (cd "$case_dir" && for f in $glob; do
            if [ -d "$f" ]; then find "$f" -type f; elif [ -f "$f" ]; then echo "$f"; fi
        done) | sort | sed "s|^|$i	|" >>"$TMP/$story.files"
    done <"$TMP/$story.src"
    cut -f2 "$TMP/$story.files" | sort -u >"$TMP/$story.covered"
    # hashes of the files the report does not list by path (duplicates of other content)
    cut -f1 "$TMP/$story.ev" | sed "s|^$case_dir/||" | sort -u >"$TMP/$story.evp"
    comm -23 "$TMP/$story.covered" "$TMP/$story.evp" | (cd "$case_dir" && tr '\n' '\0' |
        xargs -0 -r sha256sum) | sed 's/  /	/' >"$TMP/$story.sha"
    awk -F'\t' -v dir="$case_dir/" '
        BEGIN {
            # the answer keys name formats generically; the tyto parser that reads each
            alias["apache-access"] = "weblog"; alias["nginx-access"] = "weblog"
            alias["tomcat-access"] = "weblog"; alias["auth-log"] = "syslog"
            alias["crontab"] = "crontab"; alias["systemd"] = "systemd-unit"
            alias["ssh-authorized-keys"] = "authorized-keys"
        }
        FILENAME ~ /\.ev$/ { fmt[$1] = $2; st[$1] = $3; q[$1] = $4; if (!($5 in byh)) byh[$5] = $1
                             next }
        FILENAME ~ /\.sha$/ { h[$2] = $1; next }
        FILENAME ~ /\.src$/ { n++; want[n] = $2; seen[n] = 1; parsed[n] = 1; any[n] = 0; next }
        {
            i = $1; f = $2; p = dir f; any[i] = 1
            if (!(p in fmt) && (f in h) && (h[f] in byh)) p = byh[h[f]]
            if (!(p in fmt)) { seen[i] = 0; why[i] = f " is not in the report evidence"; next }
            ok_fmt = fmt[p] == want[i] || fmt[p] == alias[want[i]] ||
                     (want[i] == "zeek" && fmt[p] ~ /^zeek/) ||
                     (want[i] == "docker-root" && fmt[p] ~ /^docker-/)
            if (ok_fmt && st[p] == "ok" && q[p] == 0) next
            if (st[p] == "empty") next  # a zero-byte file (cleared history): nothing to read
            if (!ok_fmt && fmt[p] != "" && fmt[p] != "-") {
                seen[i] = 0; why[i] = f " read as " fmt[p] ", not " want[i]
            }
            parsed[i] = 0
            if (why[i] == "") why[i] = f ": format \"" fmt[p] "\" status " st[p] ", " q[p] \
                " quarantined"
        }
        END { for (i = 1; i <= n; i++) print i "\t" any[i] "\t" seen[i] "\t" parsed[i] "\t" why[i] }
    ' "$TMP/$story.ev" "$TMP/$story.sha" "$TMP/$story.src" "$TMP/$story.files" \
        >"$TMP/$story.res"
    paste "$TMP/$story.src" "$TMP/$story.res" >"$TMP/$story.res2"
    while IFS="$(printf '\t')" read -r glob fmt _i any seen parsed why; do
        if [ "$any" != 1 ]; then
            result "sources:$glob" "" 0 "no file matches"
            continue
        fi
        result "ingest:$glob" ingest "$seen" "$why"
        [ "$seen" = 1 ] && result "parse:$fmt:$glob" "$fmt-parser" "$parsed" "$why"
    done <"$TMP/$story.res2"
    uncovered=$(cd "$case_dir" && find . -type f \
        | sed 's|^\./||' | sort | comm -23 - "$TMP/$story.covered" |
        head -3)
    # not a check (the key need not list every file), but a gap in it is worth seeing
    [ -z "$uncovered" ] || echo "  note: files in no source of expected.json: $(echo $uncovered)"

    # (2) one incident, about the attack (it names an attacker IP or a compromised entity)
    n_inc=$(jq '.incidents | length' "$rep")
    benign=$(jq --slurpfile e "$exp" '[.incidents[] | tostring as $s
            | select([$e[0].attacker_ips[], $e[0].compromised.identities[],
                      $e[0].compromised.workloads[]] | any(. as $k | $s | contains($k)) | not)]
            | length' "$rep")
    one=0
    [ "$n_inc" = 1 ] && [ "$benign" = 0 ] && one=1
    result "one-incident" correlation "$one" \
        "$n_inc incidents, $benign of them about benign activity only"

    # (3) techniques and (4) artifacts, in the right question
    for q in $QUESTIONS; do
        miss=$(jq -r --arg q "$q" --slurpfile e "$exp" '[.incidents[].questions[$q].techniques
                // [] | .[]] as $got | $e[0].questions[$q].techniques - $got | join(" ")' "$rep")
        result "techniques:$q" "detection report" "$([ -z "$miss" ] && echo 1 || echo 0)" \
            "missing $miss"
        miss=$(jq -r --arg q "$q" --slurpfile e "$exp" '[.incidents[].questions[$q]] | tostring
                as $s | [$e[0].questions[$q].artifacts[] | select(. as $a | $s | contains($a)
                | not)] | join(", ")' "$rep")
        result "artifacts:$q" "detection report" "$([ -z "$miss" ] && echo 1 || echo 0)" \
            "missing $miss"
    done
    miss=$(jq -r --slurpfile e "$exp" '[.incidents[].questions.prevention] | tostring
            | ascii_downcase as $s | [$e[0].questions.prevention.keywords[]
            | select(ascii_downcase as $k | $s | contains($k) | not)] | join(", ")' "$rep")
    result "prevention" "detection report" "$([ -z "$miss" ] && echo 1 || echo 0)" \
        "missing $miss"

    # (5) every cited evidence reference points at a real record
    jq -r '[.. | objects | select(has("file") and has("offset"))
            | [.file, (.offset|tostring), (.line|tostring)] | @tsv] | unique[]' "$rep" \
        >"$TMP/$story.refs"
    n_refs=$(wc -l <"$TMP/$story.refs")
    ok=1 why="the report cites no evidence"
    [ "$n_refs" -gt 0 ] || ok=0
    while IFS="$(printf '\t')" read -r f o l; do
        evref_ok "$f" "$o" "$l" || { ok=0; break; }
    done <"$TMP/$story.refs"
    result "evidence-refs" "detection report" "$ok" "$why"

    echo "  $story: $n_ok ok, $n_xfail xfail, $n_fail failed"
}

stories=${*:-}
if [ -z "$stories" ]; then
    for d in examples/gen/*/; do
        s=$(basename "$d")
        [ "$s" = lib ] && continue
        grep -qs 'expected\.json' "$d"*.c && stories="$stories $s"
    done
fi
passed=0 failed=0
for s in $stories; do
    run_story "$s"
    if [ "$n_fail" = 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
echo "stories: $passed passed, $failed failed"
[ "$failed" = 0 ]
