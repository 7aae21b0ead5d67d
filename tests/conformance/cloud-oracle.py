#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# cloud-oracle.py - Sekoia's expected values (an ECS normalisation of each sample) against
# tyto's events for the GCP audit, Azure Activity, Entra ID and Entra Graph API samples:
# time, actor, source IP, action and outcome, each counted where the oracle has a value.
# Differences that are a choice of tyto's (the oracle's user is the affected/target user,
# GKE actions are "verb resource" like native Kubernetes events, Graph actions the HTTP
# method, risk detections the risk type) are named in EXPECTED below; anything else fails.
# Usage: cloud-oracle.py TYTO DATA
import json, glob, os, subprocess, sys, datetime, tempfile
tyto, data = sys.argv[1], sys.argv[2]
def ts(s):
    if s is None: return None
    s = s.replace('Z', '+00:00')
    if '.' in s:
        head, rest = s.split('.', 1)
        frac = ''.join(c for c in rest if c.isdigit())
        tz = rest[len(frac):]
        s = head + '.' + (frac + '000000')[:6] + tz
    try:
        d = datetime.datetime.fromisoformat(s)
    except ValueError:
        return None
    if d.tzinfo is None: d = d.replace(tzinfo=datetime.timezone.utc)
    return d.timestamp()
def get(o, path):
    for k in path.split('.'):
        if not isinstance(o, dict) or k not in o: return None
        o = o[k]
    return o
def same_time(a, b):
    return a is not None and b is not None and abs(a - b) < 0.0011


def same_user(a, users):
    return a is not None and any(x is not None and a.lower() == x.lower() for x in users)


def same_ip(a, b):
    canon = lambda s: s.lower().replace(':0', ':')
    return a == b or (bool(a) and bool(b) and canon(a) == canon(b))


def same_text(a, b):
    return a is not None and b is not None and a.strip().lower() == b.strip().lower()


sets = [("GCP audit", "sekoia-intake-formats/Google Cloud/Google Cloud Audit/tests"),
        ("Azure activity", "sekoia-intake-formats/Azure/azure-activity-logs/tests"),
        ("Entra ID (azure-ad)", "sekoia-intake-formats/Azure/azure-ad/tests"),
        ("Entra ID Graph API", "sekoia-intake-formats/Microsoft/microsoft-entraid-graphapi/tests")]
fails = 0
# (file, check) -> why tyto differs from the oracle on purpose
EXPECTED = {
    ('k8s_cluster.json', 'action'):
        'GKE entries are Kubernetes events: "verb resource" as in audit.k8s.io',
    ('gke_container_runtime.json', 'action'): 'GKE entries are Kubernetes events: "verb resource"',
    ('graph_activity.json', 'action'): 'Graph activity: the HTTP method is the action, the URI the target',
    ('graph_activity_1.json', 'action'): 'Graph activity: the HTTP method is the action',
    ('graph_activity_2.json', 'action'): 'Graph activity: the HTTP method is the action',
    ('user_risk_detection.json', 'action'): 'risk detections: the risk event type is the action',
    ('user_risk_detection_2.json', 'action'): 'risk detections: the risk event type is the action',
    ('user_risk_detection_3.json', 'action'): 'risk detections: the risk event type is the action',
}
for name, d in sets:
    files = sorted(glob.glob(os.path.join(data, d, '*.json')))
    if not files:
        print(f"  skip {name}: not found"); continue
    agree = {'time': [0, 0], 'actor': [0, 0], 'src_ip': [0, 0], 'action': [0, 0], 'outcome': [0, 0]}
    diffs = []
    notes = []
    for f in files:
        t = json.load(open(f))
        msg = t['input']['message']
        if not isinstance(msg, str): msg = json.dumps(msg)
        with tempfile.NamedTemporaryFile('w', suffix='.json', delete=False) as tf:
            tf.write(msg.replace('\n', ' ') + '\n'); p = tf.name
        out = subprocess.run([tyto, 'parse', p], capture_output=True, text=True).stdout
        os.unlink(p)
        evs = [json.loads(l) for l in out.splitlines() if l.startswith('{')]
        if len(evs) != 1:
            diffs.append(f"{os.path.basename(f)}: {len(evs)} events"); continue
        ev, ex = evs[0], t['expected']
        # oracle value, tyto value, equality; the oracle's user may be the affected user
        checks = {
            'time': (ts(ex.get('@timestamp')), ts(ev.get('ts')), same_time),
            'actor': (get(ex, 'user.email') or get(ex, 'user.name'),
                      (ev.get('actor'), ev.get('target_user')), same_user),
            'src_ip': (get(ex, 'source.ip'), ev.get('src_ip'), same_ip),
            'action': (get(ex, 'google_cloud_audit.protoPayload.methodName')
                       or get(ex, 'event.action'), ev.get('action'), same_text),
            'outcome': (get(ex, 'event.outcome'), ev.get('outcome'), lambda a, b: a == b),
        }
        for k, (want, got, eq) in checks.items():
            if want is None: continue
            agree[k][1] += 1
            if eq(want, got): agree[k][0] += 1
            elif (os.path.basename(f), k) in EXPECTED:
                agree[k][0] += 1
                notes.append(f"{os.path.basename(f)}: {k} tyto {got!r} oracle {want!r}: "
                             f"{EXPECTED[(os.path.basename(f), k)]}")
            else: diffs.append(f"{os.path.basename(f)}: {k} tyto {got!r} oracle {want!r}")
    print(f"  {name}: {len(files)} tests; " + ", ".join(f"{k} {a}/{n}" for k, (a, n) in agree.items()))
    for x in notes: print("     by design:", x)
    for x in diffs: print("     DIFFERS:", x)
    fails += len(diffs)
print(f"oracle: {'PASS' if not fails else 'FAIL'} ({fails} unexplained differences)")
sys.exit(1 if fails else 0)
