/* SPDX-License-Identifier: Apache-2.0 */
/*
 * net-analyze.c - network analyses over a stored case: outbound connections
 * to addresses no DNS answer in the evidence named, long-lived sessions with
 * public peers, beaconing (cron-aligned beacons flagged as scheduled-task
 * callbacks), large outbound transfers (a low bar over a likely command
 * channel). Three passes in time order (DNS answers, connections, flows),
 * memory bounded by opts.max_tracked; thresholds and reasons in
 * include/tyto/analyze.h and docs/internals/NETWORK.md.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/analyze.h>
#include <tyto/buf.h>
#include <tyto/event.h>
#include <tyto/time.h>

#define NS_SEC INT64_C(1000000000)

/* ---- the analyses as rules ---- */

enum { A_DIRECT, A_DIRECT_RAW, A_LONG, A_BEACON, A_BEACON_CRON, A_LARGE, A_LARGE_C2, A__N };

static const struct ty_rule_row rules[A__N] = {
    [A_DIRECT] = {
        "8e0748b9-6dc5-4d6d-a55e-5fc3a58275fc", "analysis",
        "8e0748b9-6dc5-4d6d-a55e-5fc3a58275fc", "net-direct-ip",
        "Outbound Connection to an Address No DNS Answer Named", "medium", "test",
        "attack.command-and-control attack.t1071",
        "An internal host opened a connection to a public address that no DNS answer in the "
        "evidence resolved: software reaches servers by name, implants and hands-on attackers "
        "often by address. Link-local, metadata, private, ULA and multicast peers are allowed.",
        "Restrict egress to the destinations each workload needs (egress firewall or "
        "NetworkPolicy, a proxy that only resolves allowed names) and log DNS so that "
        "direct-to-IP connections stand out.",
        "unrestricted-egress", "builtin:analysis/net-direct-ip", "product:zeek service:conn"},
    [A_DIRECT_RAW] = {
        "ddd0181c-c7cd-4579-a0dc-4c2a1734303c", "analysis",
        "ddd0181c-c7cd-4579-a0dc-4c2a1734303c", "net-direct-ip-raw",
        "Outbound Session on a Non-Standard Port to an Address No DNS Answer Named", "high",
        "test", "attack.command-and-control attack.t1571 attack.t1095",
        "An internal host exchanged data with a public address that no DNS answer in the "
        "evidence resolved, on a port with no recognised protocol: the shape of a reverse "
        "shell or a custom command channel.",
        "Restrict egress to the destinations and ports each workload needs (deny by default), "
        "so that a reverse shell cannot connect out, and alert on new outbound ports.",
        "unrestricted-egress", "builtin:analysis/net-direct-ip", "product:zeek service:conn"},
    [A_LONG] = {
        "c1e9af0a-32c4-4673-89a1-369e541b8417", "analysis",
        "c1e9af0a-32c4-4673-89a1-369e541b8417", "net-long-lived",
        "Long-Lived Session With a Public Address", "low", "test",
        "attack.command-and-control attack.t1071",
        "A connection with a public peer stayed open for a long time: interactive shells, "
        "tunnels and command channels do; most client traffic does not.",
        "Restrict egress to the destinations each workload needs and cap session lifetimes at "
        "the egress proxy or firewall.",
        "unrestricted-egress", "builtin:analysis/net-long-lived", "product:zeek service:conn"},
    [A_BEACON] = {
        "78d91148-fb75-48de-81eb-6201a47daab7", "analysis",
        "78d91148-fb75-48de-81eb-6201a47daab7", "net-beacon",
        "Beaconing to a Public Address", "medium", "test",
        "attack.command-and-control attack.t1071",
        "One host connected to the same public address and port again and again at regular "
        "intervals (small jitter): the check-in pattern of implants and scheduled callbacks.",
        "Restrict egress to the destinations each workload needs; find and remove the process "
        "or scheduled job that calls out.",
        "unrestricted-egress", "builtin:analysis/net-beacon", "product:zeek service:conn"},
    [A_BEACON_CRON] = {
        "e120a971-9738-4d25-ab4c-4c0ab95b607a", "analysis",
        "e120a971-9738-4d25-ab4c-4c0ab95b607a", "net-beacon-scheduled",
        "Scheduled Callbacks to a Public Address (cron-like beaconing)", "high", "test",
        "attack.persistence attack.execution attack.t1053.003 attack.command-and-control "
        "attack.t1071",
        "One host connected to the same public address and port at regular whole-minute "
        "intervals starting on the minute: the signature of a cron job (or systemd timer) "
        "calling out, the usual way a reverse shell or a miner is made to come back.",
        "Audit and lock down crontabs (cron.allow, file integrity monitoring on "
        "/var/spool/cron and /etc/cron.*), remove the entry, and restrict egress so that "
        "callbacks cannot leave.",
        "unrestricted-egress", "builtin:analysis/net-beacon", "product:zeek service:conn"},
    [A_LARGE] = {
        "5dc4a38c-e038-4a1a-a820-37685732feaf", "analysis",
        "5dc4a38c-e038-4a1a-a820-37685732feaf", "net-large-outbound",
        "Large Outbound Transfer to a Public Address", "medium", "test",
        "attack.exfiltration attack.t1048",
        "An internal host sent a large amount of data to one public address and port over the "
        "case (connections and flows added up).",
        "Restrict egress to the destinations each workload needs, watch egress volume per "
        "workload, and keep sensitive data where only the workloads that need it can read it.",
        "unrestricted-egress", "builtin:analysis/net-large-outbound",
        "product:zeek service:conn"},
    [A_LARGE_C2] = {
        "0a443d4c-359c-4399-9878-f85377bb6022", "analysis",
        "0a443d4c-359c-4399-9878-f85377bb6022", "net-c2-outbound",
        "Data Sent Over a Likely Command Channel", "high", "test",
        "attack.exfiltration attack.t1041",
        "An internal host sent a notable amount of data over a connection that looks like a "
        "command channel (a public address no DNS answer named, no recognised protocol, a "
        "non-standard port): files typed out or piped through a reverse shell.",
        "Restrict egress to the destinations and ports each workload needs so that a shell "
        "cannot call out, and keep exports and secrets off hosts that run exposed services.",
        "unrestricted-egress", "builtin:analysis/net-large-outbound",
        "product:zeek service:conn"},
};

/* ---- addresses ---- */

enum { IP_PUBLIC, IP_PRIVATE, IP_ALLOWED };

static int ip_class(const struct ty_ip *ip)
{
    const uint8_t *a = ip->a;
    if (ty_ip_is_v4(ip)) {
        const uint8_t *b = a + 12;
        if (b[0] == 10 || (b[0] == 172 && (b[1] & 0xf0) == 16) || (b[0] == 192 && b[1] == 168) ||
            (b[0] == 100 && (b[1] & 0xc0) == 64))
            return IP_PRIVATE;
        if (b[0] == 127 || b[0] == 0 || (b[0] == 169 && b[1] == 254) || b[0] >= 224)
            return IP_ALLOWED; /* loopback, this network, link-local, metadata, multicast */
        return IP_PUBLIC;
    }
    if ((a[0] & 0xfe) == 0xfc)
        return IP_PRIVATE; /* ULA */
    if (a[0] == 0xff || (a[0] == 0xfe && (a[1] & 0xc0) == 0x80))
        return IP_ALLOWED; /* multicast, link-local */
    static const uint8_t zero15[15] = {0};
    if (memcmp(a, zero15, 15) == 0)
        return IP_ALLOWED; /* :: and ::1 */
    return IP_PUBLIC;
}

static uint64_t mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return h;
}

static uint64_t ip_hash(const struct ty_ip *ip, uint64_t h)
{
    uint64_t x, y;
    memcpy(&x, ip->a, 8);
    memcpy(&y, ip->a + 8, 8);
    return mix(h ^ mix(x) ^ (mix(y) * 31));
}

/* ---- DNS answers: an open-addressing set of addresses ---- */

struct ipset {
    struct ty_ip *slot;
    uint8_t *used;
    size_t cap, n, max;
    bool full;
};

static int ipset_add(struct ipset *s, const struct ty_ip *ip)
{
    if (s->n * 2 >= s->cap) {
        if (s->n >= s->max) {
            s->full = true;
            return 0;
        }
        size_t ncap = s->cap ? s->cap * 2 : 1024;
        struct ty_ip *ns = calloc(ncap, sizeof(*ns));
        uint8_t *nu = calloc(ncap, 1);
        if (!ns || !nu) {
            free(ns);
            free(nu);
            return TY_ENOMEM;
        }
        for (size_t i = 0; i < s->cap; i++) {
            if (!s->used[i])
                continue;
            size_t k = ip_hash(&s->slot[i], 0) & (ncap - 1);
            while (nu[k])
                k = (k + 1) & (ncap - 1);
            ns[k] = s->slot[i];
            nu[k] = 1;
        }
        free(s->slot);
        free(s->used);
        s->slot = ns;
        s->used = nu;
        s->cap = ncap;
    }
    size_t k = ip_hash(ip, 0) & (s->cap - 1);
    while (s->used[k]) {
        if (ty_ip_eq(&s->slot[k], ip))
            return 0;
        k = (k + 1) & (s->cap - 1);
    }
    s->slot[k] = *ip;
    s->used[k] = 1;
    s->n++;
    return 0;
}

static bool ipset_has(const struct ipset *s, const struct ty_ip *ip)
{
    if (!s->cap)
        return false;
    size_t k = ip_hash(ip, 0) & (s->cap - 1);
    while (s->used[k]) {
        if (ty_ip_eq(&s->slot[k], ip))
            return true;
        k = (k + 1) & (s->cap - 1);
    }
    return false;
}

/* ---- host/peer groups: (src, dst, dst port, proto) ---- */

struct group {
    struct ty_ip src, dst;
    int64_t port, proto;
    bool used;
    bool excluded;              /* DNS/NTP/DHCP: regular by design */
    bool alerted[A__N];
    uint32_t n;                 /* connections */
    int64_t first_ts, last_ts;
    double mean, m2;            /* Welford over the intervals (s) */
    uint32_t n_on_minute;       /* starts within 2 s of a whole minute */
    struct ty_event_ref on_minute; /* the first of those */
    int64_t on_minute_ts;
    int64_t bytes_out;
    struct ty_event_ref first;  /* the first connection (evidence_path unset) */
};

/* A TCP/UDP socket pair across conn records: Zeek (and tyto's analyzer)
 * end a connection after its inactivity timeout (TCP 5 min) and start a new
 * one, from the middle, when the same socket speaks again; an interactive
 * shell becomes several records. Keyed by the 4-tuple, inside end first. */
struct session {
    struct ty_ip in_ip, out_ip;
    int64_t in_port, out_port, proto;
    bool used;
    bool raw_channel;           /* its first record was a direct-IP raw session */
    bool alerted_long, alerted_c2;
    uint32_t records;
    int64_t first_ts, last_ts;
    int64_t in_sent;            /* bytes the inside end sent */
    struct ty_event_ref first;
};

struct run {
    struct ty_store *st;
    struct ty_err *err;
    int64_t long_ns, beacon_ival;
    int beacon_min;
    double jitter;
    int64_t large, c2_large;
    struct ipset dns;
    struct group *g;
    size_t g_cap, g_n, g_max;
    struct session *ses;        /* direct-mapped: a collision forgets the older */
    size_t ses_cap;
    int64_t ses_gap;
    struct ty_analyze_stats st_;
    struct ty_buf matched;
    int64_t max_alerts;
    int64_t n_alerts[A__N], suppressed[A__N], last_id[A__N], last_end[A__N];
    char last_sum[A__N][512];
};

static uint64_t group_hash(const struct ty_ip *s, const struct ty_ip *d, int64_t port,
                           int64_t proto)
{
    return ip_hash(d, ip_hash(s, (uint64_t)port << 8 | (uint64_t)proto));
}

static int group_grow(struct run *r)
{
    size_t ncap = r->g_cap ? r->g_cap * 2 : 1024;
    struct group *ng = calloc(ncap, sizeof(*ng));
    if (!ng)
        return TY_ENOMEM;
    for (size_t i = 0; i < r->g_cap; i++) {
        struct group *o = &r->g[i];
        if (!o->used)
            continue;
        size_t k = group_hash(&o->src, &o->dst, o->port, o->proto) & (ncap - 1);
        while (ng[k].used)
            k = (k + 1) & (ncap - 1);
        ng[k] = *o;
    }
    free(r->g);
    r->g = ng;
    r->g_cap = ncap;
    return 0;
}

/* The group of a key, created when new; NULL when the table is at its limit. */
static struct group *group_get(struct run *r, const struct ty_ip *s, const struct ty_ip *d,
                               int64_t port, int64_t proto, bool *fresh, int *rc)
{
    *fresh = false;
    if (r->g_n * 2 >= r->g_cap) {
        if (r->g_n >= r->g_max) {
            /* full: only existing groups are found */
            if (!r->g_cap)
                return NULL;
        } else if ((*rc = group_grow(r)) != 0) {
            return NULL;
        }
    }
    size_t k = group_hash(s, d, port, proto) & (r->g_cap - 1);
    while (r->g[k].used) {
        struct group *g = &r->g[k];
        if (g->port == port && g->proto == proto && ty_ip_eq(&g->src, s) && ty_ip_eq(&g->dst, d))
            return g;
        k = (k + 1) & (r->g_cap - 1);
    }
    if (r->g_n >= r->g_max || r->g_n * 2 >= r->g_cap) {
        r->st_.dropped++;
        return NULL;
    }
    struct group *g = &r->g[k];
    memset(g, 0, sizeof(*g));
    g->used = true;
    g->src = *s;
    g->dst = *d;
    g->port = port;
    g->proto = proto;
    r->g_n++;
    r->st_.groups++;
    *fresh = true;
    return g;
}

/* ---- alerts ---- */

static void add_key(struct ty_buf *b, const char *k)
{
    ty_buf_addc(b, b->len ? ',' : '{');
    ty_buf_addf(b, "\"%s\":", k);
}

static void add_kv_str(struct ty_buf *b, const char *k, struct ty_str v)
{
    add_key(b, k);
    ty_buf_add_json_str(b, v);
}

static void add_kv_int(struct ty_buf *b, const char *k, int64_t v)
{
    add_key(b, k);
    ty_buf_addf(b, "%" PRId64, v);
}

static void matched_begin(struct run *r)
{
    ty_buf_reset(&r->matched);
}

static const char *matched_end(struct run *r)
{
    if (!r->matched.len)
        ty_buf_addc(&r->matched, '{');
    ty_buf_addc(&r->matched, '}');
    return r->matched.buf;
}

/* The usual four: who, to where. */
static void matched_ids(struct run *r, const char *s_ip, const char *d_ip, int64_t port)
{
    matched_begin(r);
    add_kv_str(&r->matched, "id.orig_h", ty_str_cstr(s_ip));
    add_kv_str(&r->matched, "id.resp_h", ty_str_cstr(d_ip));
    add_kv_int(&r->matched, "id.resp_p", port);
}

static int raise_alert(struct run *r, int which, int64_t ts, int64_t ts_end,
                       const struct ty_event_ref *ref, const char *summary)
{
    struct ty_alert a;
    if (r->max_alerts > 0 && r->n_alerts[which] >= r->max_alerts) {
        /* a flood (a capture that started after the DNS lookups, a
         * resolver the capture does not see): counted on the last alert */
        r->suppressed[which]++;
        if (ts_end > r->last_end[which])
            r->last_end[which] = ts_end;
        return 0;
    }
    memset(&a, 0, sizeof(a));
    a.rule_uid = rules[which].uid;
    a.kind = "analysis";
    a.ts = ts;
    a.ts_end = ts_end > ts ? ts_end : ts;
    a.event_id = ref->event_id;
    a.evidence_id = ref->evidence_id;
    a.offset = ref->offset;
    a.line = ref->line;
    a.matched = matched_end(r);
    a.summary = summary;
    a.refs = "[]";
    a.group_key = "";
    r->st_.alerts++;
    int rc = ty_store_alert_add(r->st, &a, r->err);
    r->n_alerts[which]++;
    r->last_id[which] = a.id;
    r->last_end[which] = a.ts_end;
    snprintf(r->last_sum[which], sizeof(r->last_sum[which]), "%s", summary);
    return rc;
}

/* Say on each flooded analysis' last alert how many more there were. */
static int note_suppressed(struct run *r)
{
    for (int i = 0; i < A__N; i++) {
        if (!r->suppressed[i])
            continue;
        char sum[700];
        snprintf(sum, sizeof(sum), "%s (and %" PRId64 " more alerts of this analysis not "
                 "raised: limit %" PRId64 ")", r->last_sum[i], r->suppressed[i], r->max_alerts);
        int rc = ty_store_alert_extend(r->st, r->last_id[i], r->last_end[i], sum, r->err);
        if (rc)
            return rc;
    }
    return 0;
}

static void fmt_ip(const struct ty_ip *ip, char *out)
{
    ty_ip_format(ip, out);
}

static void dur_text(int64_t ns, char *out, size_t n)
{
    int64_t s = ns / NS_SEC;
    if (s >= 3600)
        snprintf(out, n, "%" PRId64 " h %02" PRId64 " min", s / 3600, s / 60 % 60);
    else if (s >= 60)
        snprintf(out, n, "%" PRId64 " min %02" PRId64 " s", s / 60, s % 60);
    else
        snprintf(out, n, "%" PRId64 " s", s);
}

/* ---- pass 1: DNS answers ---- */

static int on_dns(void *arg, const struct ty_event *ev, const struct ty_event_ref *ref)
{
    struct run *r = arg;
    (void)ref;
    r->st_.dns++;
    struct ty_str m = ty_event_str(ev, TY_F_MESSAGE);
    const char *p = m.p, *end = m.p + m.len;
    while (p && p < end) {
        const char *c = memchr(p, ',', (size_t)(end - p));
        size_t l = c ? (size_t)(c - p) : (size_t)(end - p);
        struct ty_ip ip;
        if (l && ty_ip_parse(ty_str_make(p, l), &ip) == 0) {
            int rc = ipset_add(&r->dns, &ip);
            if (rc)
                return ty_err_set(r->err, rc, "analysis: out of memory (DNS answers)");
        }
        p = c ? c + 1 : end;
    }
    return 0;
}

/* ---- sessions ---- */

/* The record starts a socket (a SYN in its history; with no history, any
 * state but OTH): a later record of the same 4-tuple without one is the same
 * socket picked up midstream after the inactivity timeout, however long the
 * pause (a reverse shell can sit idle for hours). */
static bool conn_fresh(const struct ty_event *ev)
{
    struct ty_str h = ty_event_str(ev, TY_F_STATUS_DETAIL);
    if (!ty_event_has(ev, TY_F_STATUS_DETAIL))
        return !ty_str_eq_cstr(ty_event_str(ev, TY_F_STATUS_CODE), "OTH");
    return memchr(h.p, 'S', h.len) || memchr(h.p, 's', h.len);
}

static struct session *session_of(struct run *r, const struct ty_ip *src, int64_t sport,
                                  const struct ty_ip *dst, int64_t dport, int64_t proto,
                                  int64_t ts, bool syn, bool *cont)
{
    /* the inside end first: the private one, else the lower address */
    bool swap = ip_class(src) == IP_PUBLIC && ip_class(dst) != IP_PUBLIC;
    if (ip_class(src) == ip_class(dst))
        swap = memcmp(src->a, dst->a, 16) > 0 || (ty_ip_eq(src, dst) && sport > dport);
    const struct ty_ip *in = swap ? dst : src, *out = swap ? src : dst;
    int64_t ip_ = swap ? dport : sport, op = swap ? sport : dport;
    size_t k = ip_hash(in, ip_hash(out, (uint64_t)ip_ << 24 ^ (uint64_t)op << 8 ^
                                            (uint64_t)proto)) & (r->ses_cap - 1);
    struct session *x = &r->ses[k];
    *cont = x->used && x->in_port == ip_ && x->out_port == op && x->proto == proto &&
            ty_ip_eq(&x->in_ip, in) && ty_ip_eq(&x->out_ip, out) && !syn &&
            ts - x->last_ts <= r->ses_gap;
    if (!*cont) {
        memset(x, 0, sizeof(*x));
        x->used = true;
        x->in_ip = *in;
        x->out_ip = *out;
        x->in_port = ip_;
        x->out_port = op;
        x->proto = proto;
        x->first_ts = ts;
    }
    return x;
}

/* ---- pass 2: connections ---- */

static bool service_regular(struct ty_str svc, int64_t port)
{
    return ty_str_eq_cstr(svc, "dns") || ty_str_eq_cstr(svc, "ntp") ||
           ty_str_eq_cstr(svc, "dhcp") || port == 53 || port == 123 || port == 67 ||
           port == 68;
}

static bool port_standard(int64_t port)
{
    static const int64_t std_ports[] = {20, 21, 22, 25, 53, 80, 110, 123, 143, 443, 465,
                                        587, 853, 993, 995};
    for (size_t i = 0; i < sizeof(std_ports) / sizeof(std_ports[0]); i++)
        if (port == std_ports[i])
            return true;
    return false;
}

static bool conn_has_data(const struct ty_event *ev)
{
    struct ty_str st = ty_event_str(ev, TY_F_STATUS_CODE);
    if (ty_str_eq_cstr(st, "S0") || ty_str_eq_cstr(st, "REJ") || ty_str_eq_cstr(st, "RSTOS0") ||
        ty_str_eq_cstr(st, "RSTRH") || ty_str_eq_cstr(st, "SH") || ty_str_eq_cstr(st, "SHR") ||
        ty_str_eq_cstr(st, "OTH"))
        return false;
    return ty_event_int(ev, TY_F_BYTES_OUT, 0) > 0 || ty_event_int(ev, TY_F_BYTES_IN, 0) > 0;
}

static int on_conn(void *arg, const struct ty_event *ev, const struct ty_event_ref *ref)
{
    struct run *r = arg;
    int rc = 0;
    r->st_.conns++;
    if (!ty_event_has(ev, TY_F_SRC_IP) || !ty_event_has(ev, TY_F_DST_IP))
        return 0;
    const struct ty_ip *src = &ev->v[TY_F_SRC_IP].ip, *dst = &ev->v[TY_F_DST_IP].ip;
    int cs = ip_class(src), cd = ip_class(dst);
    int64_t port = ty_event_int(ev, TY_F_DST_PORT, 0), proto = ty_event_int(ev, TY_F_NET_PROTO, 0);
    int64_t ts = ty_event_int(ev, TY_F_TS, 0), ts_end = ty_event_int(ev, TY_F_TS_END, ts);
    int64_t out = ty_event_int(ev, TY_F_BYTES_OUT, 0);
    struct ty_str svc = ty_event_str(ev, TY_F_TARGET);
    bool outbound = cs != IP_PUBLIC && cd == IP_PUBLIC;
    bool public_peer = cs == IP_PUBLIC || cd == IP_PUBLIC;
    if (!public_peer)
        return 0;
    bool fresh;
    struct group *g = group_get(r, src, dst, port, proto, &fresh, &rc);
    if (!g)
        return rc ? ty_err_set(r->err, rc, "analysis: out of memory (groups)") : 0;
    char s_ip[TY_IP_STRLEN], d_ip[TY_IP_STRLEN], sum[512], d[48];
    fmt_ip(src, s_ip);
    fmt_ip(dst, d_ip);
    if (fresh) {
        g->first = *ref;
        g->first_ts = ts;
        g->excluded = service_regular(svc, port);
    } else {
        /* intervals between connection starts */
        double iv = (double)(ts - g->last_ts) / 1e9;
        uint32_t k = g->n; /* intervals so far + 1 */
        double delta = iv - g->mean;
        g->mean += delta / k;
        g->m2 += delta * (iv - g->mean);
    }
    int64_t mo = ((ts % (60 * NS_SEC)) + 60 * NS_SEC) % (60 * NS_SEC);
    if (mo > 30 * NS_SEC)
        mo = 60 * NS_SEC - mo;
    if (mo <= 2 * NS_SEC && g->n_on_minute++ == 0) {
        g->on_minute = *ref;
        g->on_minute_ts = ts;
    }
    g->n++;
    g->last_ts = ts;
    bool raw_channel = false;

    /* direct to an address no DNS answer named */
    if (outbound && r->dns.n > 0 && !r->dns.full && !g->excluded && conn_has_data(ev) &&
        !ipset_has(&r->dns, dst)) { /* resolvers and time servers are set by address */
        int which = !svc.len && !port_standard(port) ? A_DIRECT_RAW : A_DIRECT;
        raw_channel = which == A_DIRECT_RAW;
        if (!g->alerted[which]) {
            g->alerted[which] = true;
            matched_ids(r, s_ip, d_ip, port);
            if (svc.len)
                add_kv_str(&r->matched, "service", svc);
            add_kv_int(&r->matched, "dns_answers_in_case", (int64_t)r->dns.n);
            snprintf(sum, sizeof(sum), "%s connected to %s:%" PRId64 " (%.*s), an address no "
                     "DNS answer in the evidence named", s_ip, d_ip, port,
                     svc.len ? (int)(svc.len > 40 ? 40 : svc.len) : 11,
                     svc.len ? svc.p : "no protocol");
            if ((rc = raise_alert(r, which, ts, ts_end, ref, sum)))
                return rc;
        }
    }
    /* sessions: long-lived, and what the inside end sent over a raw channel
     * (not DNS/NTP/DHCP, whose fixed ports make any two exchanges one "socket") */
    if (g->excluded)
        return 0;
    bool cont;
    struct session *x = session_of(r, src, ty_event_int(ev, TY_F_SRC_PORT, 0), dst, port, proto,
                                   ts, proto != 6 || conn_fresh(ev), &cont);
    if (!cont)
        x->first = *ref;
    if (raw_channel)
        x->raw_channel = true;
    x->records++;
    if (ts_end > x->last_ts)
        x->last_ts = ts_end;
    x->in_sent += ty_ip_eq(&x->in_ip, src) ? out : ty_event_int(ev, TY_F_BYTES_IN, 0);
    char xi[TY_IP_STRLEN], xo[TY_IP_STRLEN];
    fmt_ip(&x->in_ip, xi);
    fmt_ip(&x->out_ip, xo);
    if (r->long_ns > 0 && x->last_ts - x->first_ts >= r->long_ns && !x->alerted_long) {
        x->alerted_long = true;
        dur_text(x->last_ts - x->first_ts, d, sizeof(d));
        matched_ids(r, xi, xo, x->out_port);
        add_kv_int(&r->matched, "local_port", x->in_port);
        add_kv_int(&r->matched, "duration_s", (x->last_ts - x->first_ts) / NS_SEC);
        add_kv_int(&r->matched, "conn_records", x->records);
        snprintf(sum, sizeof(sum), "%s:%" PRId64 " with %s:%" PRId64 " stayed open %s (%u conn "
                 "record%s)", xi, x->in_port, xo, x->out_port, d, x->records,
                 x->records == 1 ? "" : "s: split by the inactivity timeout");
        if ((rc = raise_alert(r, A_LONG, x->first_ts, x->last_ts, &x->first, sum)))
            return rc;
    }
    /* data over a likely command channel */
    if (x->raw_channel && r->c2_large > 0 && x->in_sent >= r->c2_large && !x->alerted_c2) {
        x->alerted_c2 = true;
        matched_ids(r, xi, xo, x->out_port);
        add_kv_int(&r->matched, "bytes_sent", x->in_sent);
        snprintf(sum, sizeof(sum), "%s sent %" PRId64 " bytes to %s:%" PRId64 " over a likely "
                 "command channel (%u conn record%s)", xi, x->in_sent, xo, x->out_port,
                 x->records, x->records == 1 ? "" : "s");
        if ((rc = raise_alert(r, A_LARGE_C2, ts, ts_end, ref, sum)))
            return rc;
    }
    if (outbound && out > 0) {
        g->bytes_out += out;
        if (r->large > 0 && g->bytes_out >= r->large && !g->alerted[A_LARGE]) {
            g->alerted[A_LARGE] = true;
            matched_ids(r, s_ip, d_ip, port);
            add_kv_int(&r->matched, "bytes_out", g->bytes_out);
            snprintf(sum, sizeof(sum), "%s sent %" PRId64 " bytes to %s:%" PRId64 " (%u "
                     "connections or flows so far)", s_ip, g->bytes_out, d_ip, port, g->n);
            if ((rc = raise_alert(r, A_LARGE, g->first_ts, ts_end, &g->first, sum)))
                return rc;
        }
    }
    return 0;
}

/* ---- pass 3: flow logs (one direction per record): volumes only ---- */

static int on_flow(void *arg, const struct ty_event *ev, const struct ty_event_ref *ref)
{
    struct run *r = arg;
    int rc = 0;
    r->st_.flows++;
    if (!ty_event_has(ev, TY_F_SRC_IP) || !ty_event_has(ev, TY_F_DST_IP) || r->large <= 0)
        return 0;
    const struct ty_ip *src = &ev->v[TY_F_SRC_IP].ip, *dst = &ev->v[TY_F_DST_IP].ip;
    if (ip_class(src) == IP_PUBLIC || ip_class(dst) != IP_PUBLIC)
        return 0;
    int64_t out = ty_event_int(ev, TY_F_BYTES_OUT, 0);
    if (out <= 0)
        return 0;
    int64_t port = ty_event_int(ev, TY_F_DST_PORT, 0), proto = ty_event_int(ev, TY_F_NET_PROTO, 0);
    int64_t ts = ty_event_int(ev, TY_F_TS, 0), ts_end = ty_event_int(ev, TY_F_TS_END, ts);
    bool fresh;
    struct group *g = group_get(r, src, dst, port, proto, &fresh, &rc);
    if (!g)
        return rc ? ty_err_set(r->err, rc, "analysis: out of memory (groups)") : 0;
    if (fresh) {
        g->first = *ref;
        g->first_ts = ts;
        g->excluded = true; /* flow records are not connections: no beacon timing */
    }
    g->bytes_out += out;
    if (g->bytes_out >= r->large && !g->alerted[A_LARGE]) {
        char s_ip[TY_IP_STRLEN], d_ip[TY_IP_STRLEN], sum[512];
        g->alerted[A_LARGE] = true;
        fmt_ip(src, s_ip);
        fmt_ip(dst, d_ip);
        matched_ids(r, s_ip, d_ip, port);
        add_kv_int(&r->matched, "bytes_out", g->bytes_out);
        snprintf(sum, sizeof(sum), "%s sent %" PRId64 " bytes to %s:%" PRId64 " (flow records "
                 "added up)", s_ip, g->bytes_out, d_ip, port);
        return raise_alert(r, A_LARGE, g->first_ts, ts_end, &g->first, sum);
    }
    return 0;
}

/* ---- beacons, once every connection is in ---- */

static int beacons(struct run *r)
{
    for (size_t i = 0; i < r->g_cap; i++) {
        struct group *g = &r->g[i];
        if (!g->used || g->excluded || r->beacon_min <= 0 || g->n < (uint32_t)r->beacon_min)
            continue;
        if (ip_class(&g->src) == IP_PUBLIC || ip_class(&g->dst) != IP_PUBLIC)
            continue;
        uint32_t n_iv = g->n - 1;
        double sd = n_iv > 1 ? sqrt(g->m2 / (n_iv - 1)) : 0;
        if (g->mean * 1e9 < (double)r->beacon_ival || sd > r->jitter * g->mean)
            continue;
        /* minutes apart, nearly all started on the minute (2 s slack; the
         * first session of a reverse shell usually is not): cron or a timer */
        double mins = g->mean / 60.0;
        bool cron = g->mean >= 55.0 && g->n_on_minute * 10 >= g->n * 8;
        int which = cron ? A_BEACON_CRON : A_BEACON;
        char s_ip[TY_IP_STRLEN], d_ip[TY_IP_STRLEN], sum[512];
        fmt_ip(&g->src, s_ip);
        fmt_ip(&g->dst, d_ip);
        matched_ids(r, s_ip, d_ip, g->port);
        add_kv_int(&r->matched, "connections", g->n);
        add_kv_int(&r->matched, "interval_s", (int64_t)(g->mean + 0.5));
        add_kv_int(&r->matched, "jitter_pct", (int64_t)(g->mean > 0 ? 100 * sd / g->mean : 0));
        if (cron) {
            snprintf(sum, sizeof(sum), "%s called %s:%" PRId64 " %u times, every %" PRId64
                     " min on the minute (a scheduled job)", s_ip, d_ip, g->port, g->n,
                     (int64_t)(mins + 0.5));
        } else {
            snprintf(sum, sizeof(sum), "%s called %s:%" PRId64 " %u times, every %.0f s "
                     "(jitter %.0f %%)", s_ip, d_ip, g->port, g->n, g->mean,
                     g->mean > 0 ? 100 * sd / g->mean : 0.0);
        }
        int rc = cron ? raise_alert(r, which, g->on_minute_ts, g->last_ts, &g->on_minute, sum)
                      : raise_alert(r, which, g->first_ts, g->last_ts, &g->first, sum);
        if (rc)
            return rc;
    }
    return 0;
}

/* ---- driver ---- */

static int64_t pick(int64_t v, int64_t dflt)
{
    return v == 0 ? dflt : v;
}

static int scan(struct run *r, int field, const char *value, ty_event_cb cb)
{
    struct ty_event_query q;
    memset(&q, 0, sizeof(q));
    q.where[0].field = field;
    q.where[0].cmp = TY_CMP_EQ;
    q.where[0].value = value;
    q.n_where = 1;
    return ty_store_events(r->st, &q, cb, r, r->err);
}

int ty_analyze_case(struct ty_store *st, const struct ty_analyze_opts *opts, struct ty_err *err)
{
    static const struct ty_analyze_opts none;
    struct run r;
    int rc;
    bool in_sp = false;

    if (!opts)
        opts = &none;
    memset(&r, 0, sizeof(r));
    r.st = st;
    r.err = err;
    r.long_ns = pick(opts->long_conn_ns, 3600 * NS_SEC);
    r.beacon_min = (int)pick(opts->beacon_min_count, 8);
    r.beacon_ival = pick(opts->beacon_min_interval_ns, 10 * NS_SEC);
    r.jitter = opts->beacon_max_jitter > 0 ? opts->beacon_max_jitter : 0.2;
    r.large = pick(opts->large_out_bytes, INT64_C(100) << 20);
    r.c2_large = pick(opts->c2_out_bytes, INT64_C(64) << 10);
    r.max_alerts = pick(opts->max_alerts, 100);
    int64_t max = pick(opts->max_tracked, 500000);
    r.dns.max = max > 0 ? (size_t)max : 1;
    r.g_max = r.dns.max;
    r.ses_gap = 24 * 3600 * NS_SEC;
    for (r.ses_cap = 1024; r.ses_cap < r.g_max && r.ses_cap < ((size_t)1 << 18);)
        r.ses_cap *= 2;
    r.ses = calloc(r.ses_cap, sizeof(*r.ses));
    if (!r.ses)
        return ty_err_set(err, TY_ENOMEM, "analysis: out of memory (sessions)");
    ty_buf_init(&r.matched, 1 << 16);

    /* one transaction for the alerts (inside the caller's, if any) */
    if ((rc = ty_store_savepoint(st, err)))
        goto out;
    in_sp = true;
    for (size_t i = 0; i < A__N; i++)
        if ((rc = ty_store_rule_put(st, &rules[i], err)))
            goto out;
    if ((rc = scan(&r, TY_F_ACTION, "dns_query", on_dns)))
        goto out;
    r.st_.dns_answers = r.dns.n;
    if (r.dns.full)
        r.st_.dropped++;
    if ((rc = scan(&r, TY_F_ACTION, "connection", on_conn)))
        goto out;
    if ((rc = scan(&r, TY_F_CATEGORY, "network_flow", on_flow)))
        goto out;
    if ((rc = beacons(&r)))
        goto out;
    rc = note_suppressed(&r);
out:
    if (in_sp) {
        struct ty_err e2;
        ty_err_clear(&e2);
        if (rc)
            ty_store_rollback_to(st, &e2);
        int rc2 = ty_store_release(st, rc ? &e2 : err);
        if (!rc)
            rc = rc2;
    }
    if (opts->stats)
        *opts->stats = r.st_;
    free(r.dns.slot);
    free(r.dns.used);
    free(r.g);
    free(r.ses);
    ty_buf_release(&r.matched);
    return rc;
}
