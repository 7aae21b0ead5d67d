#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Bad input, end to end: truncated gzip, a JSON line cut in half, a 10 MB
# record, binary garbage, an empty file, an unknown format, a directory of
# 100,000 small files. Each must give a one-line diagnostic naming the file
# (and line/offset for records), quarantine the bad record, and let the run
# go on; afterwards records = events + quarantined for every stream.
set -uo pipefail
TYTO=${TYTO:-build/tyto}
case "$TYTO" in /*) ;; *) TYTO="$PWD/$TYTO" ;; esac
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { if eval "$1"; then ok; else bad "$2"; fi; }

ct='{"eventVersion":"1.08","eventTime":"2026-10-14T10:00:00Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.66","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/alice","accountId":"111122223333"},"eventID":"EVID","requestParameters":{"bucketName":"b","key":"k"}}'
ev=$work/ev
mkdir -p "$ev"

# 1. a JSON line cut in half, between two good lines
{ echo "${ct/EVID/a1}"; echo "${ct/EVID/a2}" | cut -c1-120; echo "${ct/EVID/a3}"; } >"$ev/cut.jsonl"
# 2. truncated gzip: 2,000 good lines, compressed, cut at 60%
for i in $(seq 1 2000); do echo "${ct/EVID/g$i}"; done | gzip -c >"$work/full.gz"
size=$(stat -c %s "$work/full.gz")
head -c $((size * 6 / 10)) "$work/full.gz" >"$ev/trunc.jsonl.gz"
# 3. a 10 MB single record (a huge requestParameters value)
big=$(head -c 10000000 /dev/zero | tr '\0' 'x')
printf '%s\n' "${ct/\"k\"\}/\"k\",\"pad\":\"$big\"\}}" >"$ev/big.jsonl"
unset big
# 4. binary garbage, 5. empty file, 6. unknown format
head -c 100000 /dev/urandom >"$ev/garbage.bin"
: >"$ev/empty.log"
printf 'hello world\nthis is not evidence tyto knows\n' >"$ev/notes.txt"

out=$("$TYTO" ingest "$work/case.tyto" "$ev" 2>"$work/err")
rc=$?
check "[ $rc = 0 ]" "ingest exit code $rc (stderr: $(head -3 "$work/err"))"
check "grep -q 'cut.jsonl:2: offset [0-9]*: ' '$work/err'" "no file:line: offset diagnostic for the cut line"
check "grep -q 'trunc.jsonl.gz' '$work/err'" "no diagnostic for the truncated gzip"
check "grep -q 'garbage.bin: unrecognized' '$work/err'" "no diagnostic for binary garbage"
check "grep -q 'notes.txt: unrecognized' '$work/err'" "no diagnostic for the unknown format"
q() { "$TYTO" query "$work/case.tyto" "$1" | tail -n +2; }
check "[ \"\$(q \"select events||' '||quarantined from evidence where path like '%cut.jsonl'\")\" = '2 1' ]" \
    "cut.jsonl: expected 2 events and 1 quarantined, got $(q "select events||' '||quarantined from evidence where path like '%cut.jsonl'")"
check "[ \"\$(q \"select events from evidence where path like '%big.jsonl'\")\" = 1 ]" "the 10 MB record was not ingested"
tr=$(q "select events||' '||quarantined||' '||status from evidence where path like '%trunc.jsonl.gz'")
check "[ \"\${tr%% *}\" -gt 100 ] && [[ \"\$tr\" == *' partial' ]]" "truncated gzip: events before the damage not kept, or not marked partial ($tr)"
check "[ \"\$(q \"select status from evidence where path like '%empty.log'\")\" = empty ]" "empty file not recorded as empty"
check "[ \"\$(q \"select count(*) from evidence where records != events + quarantined\")\" = 0 ]" "records != events + quarantined for some stream"
check "[ \"\$(q \"select count(*) from quarantine\")\" -ge 2 ]" "quarantine table does not hold the bad records"

# re-ingest: nothing duplicated
before=$(q "select count(*) from events")
"$TYTO" ingest "$work/case.tyto" "$ev" >/dev/null 2>"$work/err2"
check "[ \"\$(q 'select count(*) from events')\" = '$before' ]" "re-ingest duplicated events"
check "grep -q 'already in the case' '$work/err2'" "re-ingest did not say the files were already in the case"

# 7. a directory of 100,000 small files
many=$work/many
mkdir -p "$many"
( cd "$many" && for d in $(seq -w 0 99); do mkdir "$d"; for f in $(seq -w 0 999); do
      printf '%s\n' "${ct/EVID/m$d$f}" >"$d/$f.json"; done; done )
"$TYTO" parse --count "$many" >"$work/many.out" 2>"$work/many.err"
check "grep -q 'streams 100000 .*events 100000  quarantined 0' '$work/many.out'" \
    "100,000 small files: $(cat "$work/many.out") $(head -2 "$work/many.err")"

echo "bad-input: $pass passed, $fail failed"
[ $fail = 0 ]
