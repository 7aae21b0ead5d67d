#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# compare.py - per-field agreement of tyto's Zeek logs with Zeek's own (the
# zeek-btest baselines run with Zeek's default scripts). Usage:
#   compare.py ORACLE_INDEX.tsv BASELINE_DIR OUR_DIR_ROOT [--min PCT] [-v]
# OUR_DIR_ROOT/<baseline_dir>/{conn,dns,http}.log are tyto's logs for that
# baseline's trace. Rows are matched on their 5-tuple (+ trans_id/query for dns,
# trans_depth for http) in file order; a Zeek row with no match disagrees on
# every field. Prints the table; exits 1 when a field is under --min percent.
import sys, os, collections, json

def from_json(line):
    """A Zeek JSON row (id.orig_h or the id_orig_h streaming variant) as TSV text."""
    try:
        d = json.loads(line)
    except ValueError:
        return None
    row = {}
    for k, v in d.items():
        if k.startswith('id_'):
            k = 'id.' + k[3:]
        if isinstance(v, list):
            v = ','.join(('%.6f' % x) if isinstance(x, float) else str(x) for x in v)
        elif isinstance(v, bool):
            v = 'T' if v else 'F'
        elif isinstance(v, float):
            v = '%.6f' % v
        else:
            v = str(v)
        row[k] = v
    return row

def read_log(path):
    rows, fields = [], None
    if not os.path.exists(path):
        return rows
    with open(path, encoding='utf-8', errors='replace') as f:
        for line in f:
            line = line.rstrip('\n')
            if line.startswith('#fields'):
                fields = line.split('\t')[1:]
                continue
            if line.startswith('{'):
                r = from_json(line)
                if r is not None:
                    rows.append(r)
                continue
            if not line or line.startswith('#'):
                continue
            if fields:
                rows.append(dict(zip(fields, line.split('\t'))))
    return rows

def near(a, b, tol):
    if a == b:
        return True
    try:
        return abs(float(a) - float(b)) <= tol
    except ValueError:
        return False

# Baselines that need what a capture alone cannot give (TLS keys in the test script).
EXCLUDE = {'scripts.policy.protocols.ssl.decryption'}
TUPLE = ('id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p')
SPECS = {
    'conn': (lambda r: (r.get('proto'), r.get('ip_proto') if r.get('proto') ==
                        'unknown_transport' else None) + tuple(sorted([(r['id.orig_h'], r['id.orig_p']),
                                                         (r['id.resp_h'], r['id.resp_p'])])),
             ['4-tuple', 'proto', 'service', 'duration', 'orig_bytes', 'resp_bytes',
              'conn_state', 'history', 'orig_pkts', 'orig_ip_bytes', 'resp_pkts',
              'resp_ip_bytes']),
    'dns': (lambda r: tuple(sorted([(r['id.orig_h'], r['id.orig_p']),
                                    (r['id.resp_h'], r['id.resp_p'])])) +
            (r.get('trans_id'), r.get('query')),
            ['4-tuple', 'proto', 'query', 'qtype_name', 'rcode_name', 'AA', 'TC', 'RD', 'RA',
             'answers', 'TTLs', 'rejected']),
    'http': (lambda r: tuple(sorted([(r['id.orig_h'], r['id.orig_p']),
                                     (r['id.resp_h'], r['id.resp_p'])])) +
             (r.get('trans_depth'),),
             ['4-tuple', 'trans_depth', 'method', 'host', 'uri', 'referrer', 'version',
              'user_agent', 'request_body_len', 'response_body_len', 'status_code',
              'status_msg']),
    'ssl': (lambda r: tuple(sorted([(r['id.orig_h'], r['id.orig_p']),
                                    (r['id.resp_h'], r['id.resp_p'])])),
            ['4-tuple', 'version', 'cipher', 'curve', 'server_name', 'resumed', 'next_protocol',
             'established']),
}
# Reported but not held to the bar: ssl.log rows include QUIC (not analysed here).
INFORMATIVE = {'ssl'}

def field_eq(log, name, z, t):
    z = {k: v for k, v in z.items()}
    for k in ('duration', 'orig_bytes', 'resp_bytes', 'service', 'rcode_name', 'answers',
              'TTLs', 'referrer', 'user_agent', 'host', 'status_msg', 'qtype_name', 'query'):
        z.setdefault(k, '-')
    if name == '4-tuple':
        return all(z[k] == t.get(k) for k in TUPLE)
    if name == 'duration':
        return near(z.get(name), t.get(name), 0.001)
    if name == 'TTLs':
        za, ta = z.get(name, '-').split(','), t.get(name, '-').split(',')
        return len(za) == len(ta) and all(near(a, b, 0.5) for a, b in zip(za, ta))
    return z.get(name) == t.get(name)

def main():
    args = [a for a in sys.argv[1:] if not a.startswith('-')]
    verbose = '-v' in sys.argv
    min_pct = 95.0
    if '--min' in sys.argv:
        min_pct = float(sys.argv[sys.argv.index('--min') + 1])
        args.remove(sys.argv[sys.argv.index('--min') + 1])
    index, base, ours = args[:3]
    stats = {log: collections.Counter() for log in SPECS}
    rows_all = collections.Counter()
    totals = collections.Counter()
    per_trace = []
    with open(index) as f:
        hdr = f.readline().rstrip('\n').split('\t')
        for line in f:
            r = dict(zip(hdr, line.rstrip('\n').split('\t')))
            if r['zeek_mode'] != 'full' or r['baseline_dir'] in EXCLUDE:
                continue
            for log in SPECS:
                if log + '.log' not in r['baseline_logs'].split(','):
                    continue
                z_rows = read_log(os.path.join(base, r['baseline_dir'], log + '.log'))
                t_rows = read_log(os.path.join(ours, r['baseline_dir'], log + '.log'))
                keyf, fields = SPECS[log]
                pool = collections.defaultdict(list)
                for t in t_rows:
                    try:
                        pool[keyf(t)].append(t)
                    except KeyError:
                        pass
                agree_rows = 0
                for z in z_rows:
                    try:
                        k = keyf(z)
                    except KeyError:
                        continue
                    totals[log] += 1
                    t = pool[k].pop(0) if pool.get(k) else None
                    ok_all = t is not None
                    for name in fields:
                        ok = t is not None and field_eq(log, name, z, t)
                        if ok:
                            stats[log][name] += 1
                        else:
                            ok_all = False
                            if verbose and t is not None:
                                print('  %s %s %s %s: zeek=%r tyto=%r' % (r['baseline_dir'], k, log,
                                      name, z.get(name), t.get(name)))
                    if verbose and t is None:
                        print('  %s %s: no row for %s' % (r['baseline_dir'], log, k))
                    if ok_all:
                        agree_rows += 1
                rows_all[log] += agree_rows
                per_trace.append((r['baseline_dir'], log, len(z_rows), agree_rows, len(t_rows)))
    if verbose:
        for bd, log, nz, na, nt in per_trace:
            print('%-70s %-5s zeek %4d  agree %4d  tyto %4d' % (bd, log, nz, na, nt))
    fail = False
    print('%-6s %-18s %8s %8s %7s' % ('log', 'field', 'agree', 'rows', 'pct'))
    for log in SPECS:
        n = totals[log]
        for name in SPECS[log][1]:
            pct = 100.0 * stats[log][name] / n if n else 100.0
            mark = '' if pct >= min_pct else '  < %.0f%%' % min_pct
            if log in INFORMATIVE:
                mark = '  (informative)' if pct < min_pct else ''
            else:
                fail |= pct < min_pct
            print('%-6s %-18s %8d %8d %6.1f%%%s' % (log, name, stats[log][name], n, pct, mark))
        pct = 100.0 * rows_all[log] / n if n else 100.0
        print('%-6s %-18s %8d %8d %6.1f%%' % (log, '(all fields)', rows_all[log], n, pct))
    return 1 if fail else 0

sys.exit(main())
