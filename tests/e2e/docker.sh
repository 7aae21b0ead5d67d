#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `tyto docker` end to end on Docker roots built here: a privileged container
# with docker.sock and host / mounted, a corrupt and a half-deleted container,
# its log and overlay2 diff (whiteouts, SHA-256 of a new executable), JSON
# output, bad roots and ids (one-line errors, exit 1), and the same tree
# ingested into a case (records = events + quarantined, docker parsers used).
set -uo pipefail
TYTO=${TYTO:-build/tyto}
case "$TYTO" in /*) ;; *) TYTO="$PWD/$TYTO" ;; esac
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { if eval "$1"; then ok; else bad "$2"; fi; }

id=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
id2=fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210
R=$work/snap/var/lib/docker
c=$R/containers/$id
mkdir -p "$c" "$R/containers/$id2" "$R/containers/deadbeef" \
    "$R/image/overlay2/layerdb/mounts/$id" "$R/overlay2/l" "$R/overlay2/base/diff/etc" \
    "$R/overlay2/mnt/diff/etc" "$R/overlay2/mnt/diff/usr/bin" "$R/overlay2/mnt/diff/dev/shm"
printf '%s' '{"ID":"'$id'","Created":"2026-10-14T13:15:10.5Z","Path":"/bin/sh","Args":["-c","sleep 9"],"Config":{"Image":"alpine:3.20"},"Image":"sha256:aa","Name":"/backdoor","Driver":"overlay2","MountPoints":{},"State":{"Running":true,"Pid":42,"ExitCode":0,"StartedAt":"2026-10-14T13:15:11Z","FinishedAt":"0001-01-01T00:00:00Z"}}' >"$c/config.v2.json"
printf '%s' '{"Binds":["/:/host","/var/run/docker.sock:/var/run/docker.sock"],"NetworkMode":"host","RestartPolicy":{"Name":"always"},"Privileged":true,"PidMode":"host"}' >"$c/hostconfig.json"
printf '%s\n' '{"log":"hello\n","stream":"stdout","time":"2026-10-14T13:15:12Z"}' 'torn{' \
    '{"log":"bye\n","stream":"stderr","time":"2026-10-14T13:15:13Z"}' >"$c/$id-json.log"
printf '%s' '{"ID":"'$id2'","Created":"2026-10-14T1' >"$R/containers/$id2/config.v2.json"
echo mnt >"$R/image/overlay2/layerdb/mounts/$id/mount-id"
echo l/BASE >"$R/overlay2/mnt/lower"
ln -s ../base/diff "$R/overlay2/l/BASE"
echo root >"$R/overlay2/base/diff/etc/passwd"
echo root2 >"$R/overlay2/mnt/diff/etc/passwd"
: >"$R/overlay2/mnt/diff/etc/.wh.shadow"
printf '\177ELFxx' >"$R/overlay2/mnt/diff/dev/shm/kworker"
printf '#!/bin/sh\n' >"$R/overlay2/mnt/diff/usr/bin/upd"
chmod +x "$R/overlay2/mnt/diff/usr/bin/upd"

out=$("$TYTO" docker "$work/snap" 2>"$work/err"); rc=$?
check '[ $rc = 0 ]' "list exits 0 (got $rc)"
check 'grep -q "^0123456789ab .* running  *backdoor" <<<"$out"' "container listed: $out"
check 'grep -q "DANGEROUS: privileged; host PID namespace; host network; host / mounted /:/host; container runtime socket mounted /var/run/docker.sock:/var/run/docker.sock; restart always" <<<"$out"' "flags"
check 'grep -q "INCOMPLETE: config.v2.json: offset" <<<"$out"' "corrupt container reported"
check 'grep -q "3 containers, 1 with dangerous settings, 2 incomplete" "$work/err"' "totals: $(cat "$work/err")"

out=$("$TYTO" docker "$R" --logs backdoor 2>"$work/err"); rc=$?
check '[ "$out" = "2026-10-14T13:15:12Z stdout hello
2026-10-14T13:15:13Z stderr bye" ]' "logs: $out"
check '[ $rc = 1 ] && grep -q -- "-json.log:2 (byte 66): offset 0" "$work/err"' "bad log line named: $(cat "$work/err")"

out=$("$TYTO" docker "$R" --diff 0123 2>"$work/err"); rc=$?
sh1=$(printf '\177ELFxx' | sha256sum | cut -d' ' -f1)
sh2=$(printf '#!/bin/sh\n' | sha256sum | cut -d' ' -f1)
check '[ "$out" = "A /dev
A /dev/shm
A /dev/shm/kworker
C /etc
C /etc/passwd
D /etc/shadow
A /usr
A /usr/bin
A /usr/bin/upd

# SHA-256 of executable files added or changed (ELF, #!, or mode +x):
$sh1  /dev/shm/kworker
$sh2  /usr/bin/upd" ]' "diff: $out"
check '[ $rc = 0 ]' "diff exits 0"
n=$("$TYTO" docker "$R" --diff 0123 --json 2>/dev/null | grep -c '"kind"')
check '[ "$n" = 9 ]' "diff --json lines ($n)"
check '"$TYTO" docker "$R" --json 2>/dev/null | grep -q "\"dangerous\":\"privileged"' "list --json"

"$TYTO" docker "$R" --diff "$id2" >/dev/null 2>"$work/err"; rc=$?
check '[ $rc = 1 ] && [ $(wc -l <"$work/err") = 1 ] && grep -q "writable layer cannot be found" "$work/err"' "half-deleted diff: $(cat "$work/err")"
"$TYTO" docker "$R" --logs nosuch >/dev/null 2>"$work/err"; rc=$?
check '[ $rc = 1 ] && grep -q "no such container" "$work/err"' "unknown id"
"$TYTO" docker "$work" >/dev/null 2>"$work/err"; rc=$?
check '[ $rc = 1 ] && grep -q "neither a Docker root" "$work/err"' "not a root: $(cat "$work/err")"

"$TYTO" ingest "$work/c.case" "$R/containers" >/dev/null 2>"$work/err"; rc=$?
sum=$("$TYTO" summary "$work/c.case" 2>&1)
check 'grep -q "^docker-json-log  *3  *2  *1 " <<<"$sum"' "json log counts: $sum"
check '[ $(grep -c "^docker-config  *1  *1  *0 " <<<"$sum") = 2 ]' "config + hostconfig events"
check 'grep -q "^docker-config  *1  *0  *1 " <<<"$sum"' "corrupt config quarantined"

# hostile tree: FIFOs where files belong must not hang the reader
F=$work/fifo/var/lib/docker/containers/abc123abc123
mkdir -p "$F"
mkfifo "$F/config.v2.json" "$F/abc123abc123-json.log"
out=$(timeout 20 "$TYTO" docker "$work/fifo" 2>&1); rc=$?
check '[ $rc = 0 ] && grep -q "config.v2.json: not a regular file" <<<"$out"' "fifo config: $out"
out=$(timeout 20 "$TYTO" docker "$work/fifo" --logs abc 2>&1); rc=$?
check '[ $rc = 1 ] && grep -q "json.log: not a regular file" <<<"$out"' "fifo log: $out"

# containerd: snapshots and runtime tasks; --diff refused with the reason
C=$work/node/var/lib/containerd
mkdir -p "$C/io.containerd.snapshotter.v1.overlayfs/snapshots/7/fs/etc" \
    "$work/node/run/containerd/io.containerd.runtime.v2.task/k8s.io/$id"
printf '%s' '{"process":{"args":["/bin/sh","-c","xmrig"]}}' \
    >"$work/node/run/containerd/io.containerd.runtime.v2.task/k8s.io/$id/config.json"
out=$("$TYTO" docker "$work/node" 2>"$work/err"); rc=$?
check '[ $rc = 0 ] && grep -q "^snapshot  *7  *-  *1 entries in fs/" <<<"$out"' "ctrd snapshot: $out"
check 'grep -q "^task  *$id  *k8s.io  */bin/sh -c xmrig" <<<"$out"' "ctrd task: $out"
check 'grep -q "meta.db are not decoded" "$work/err"' "ctrd limit stated"
"$TYTO" docker "$C" --diff x >/dev/null 2>"$work/err"; rc=$?
check '[ $rc = 1 ] && grep -q "is a containerd root" "$work/err"' "ctrd --diff refused"

echo "docker e2e: $pass passed, $fail failed"
[ "$fail" = 0 ]
