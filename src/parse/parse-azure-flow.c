/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse-azure-flow.c - Azure Network Watcher flow logs: NSG flow logs
 * (versions 1 and 2) and VNet flow logs (flowLogVersion 4). One event per
 * flow tuple.
 *
 * Record format (formats.md §5.3, §5.4): a PT1H.json blob is one JSON object
 * {"records":[...]}, framed with key "records" (a bare record per line, as
 * SIEM exports hold them, is framed as itself). An NSG record carries
 * properties{Version, flows[]{rule, flows[]{mac, flowTuples[]}}}; a VNet
 * record flowRecords{flows[]{aclID, flowGroups[]{rule, flowTuples[]}}} with
 * the NIC's macAddress on the record. Tuples are comma-separated strings:
 *   NSG v1: time,src,dst,sport,dport,T|U,I|O,A|D                      (8)
 *   NSG v2: ... ,A|D,B|C|E,pkts s->d,bytes s->d,pkts d->s,bytes d->s (13)
 *   VNet v4: time,src,dst,sport,dport,<IANA proto>,I|O,B|C|E|D,<encryption>,
 *            pkts s->d,bytes s->d,pkts d->s,bytes d->s                 (13)
 * Quirks handled: counters empty on B tuples ("...,B,,,,"); VNet epochs in
 * seconds or milliseconds (by magnitude: > 10^11 is ms); decision carried by
 * the state D in v4; "resourceId"/"resourceid" spellings; VNet records
 * flattened by forwarders (rule, aclID and "flow.N" tuple keys beside the
 * record fields, as Sekoia's intake shows them); a record without
 * tuples is not an event (TY_SKIP). A record is checked whole before any of
 * its events is emitted: one bad tuple makes it TY_ECORRUPT, naming the
 * tuple's byte offset in the stream and the bad field.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/parser.h>
#include <tyto/time.h>

#define MAX_FIELDS 14

enum kind { K_NSG, K_VNET };

struct afl {
    struct ty_event ev;
};

/* One record's walk state. */
struct walk {
    struct ty_parse_ctx *ctx;
    const struct ty_json_doc *d;
    struct ty_err *err;
    bool emit;        /* second pass: emit; first pass: check only */
    unsigned n;       /* tuples seen */
    struct afl *a;
    /* record context */
    enum kind kind;
    int64_t version;  /* NSG Version (0 = absent), VNet flowLogVersion */
    struct ty_str target, account, mac, rule, acl;
};

#define CORRUPT(...) ty_err_set(w->err, TY_ECORRUPT, __VA_ARGS__)

static bool has(struct ty_str s, const char *needle)
{
    size_t n = strlen(needle);
    const char *p = s.p, *end = s.p + s.len;
    while (n && (size_t)(end - p) >= n) {
        p = memchr(p, needle[0], (size_t)(end - p) - n + 1);
        if (!p)
            return false;
        if (memcmp(p, needle, n) == 0)
            return true;
        p++;
    }
    return false;
}

static int parse_u64(struct ty_str t, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;
    if (!t.len || t.len > 20)
        return -1;
    for (size_t i = 0; i < t.len; i++) {
        unsigned dg = (unsigned)(unsigned char)t.p[i] - '0';
        if (dg > 9 || v > (UINT64_MAX - dg) / 10)
            return -1;
        v = v * 10 + dg;
    }
    if (v > max)
        return -1;
    *out = v;
    return 0;
}

static inline void put_int(struct ty_event *ev, enum ty_field f, int64_t i)
{
    ev->v[f].i = i;
    ty_event_mark(ev, f);
}

static inline void put_str(struct ty_event *ev, enum ty_field f, struct ty_str s)
{
    if (s.len) {
        ev->v[f].s = s;
        ty_event_mark(ev, f);
    }
}

static struct ty_str str_of(struct walk *w, uint32_t i)
{
    struct ty_str s = TY_STR_NULL;
    if (ty_json_type(w->d, i) != TY_JSON_STRING ||
        ty_json_str(w->d, i, w->ctx->arena, &s) != 0)
        return TY_STR_NULL;
    return s;
}

/* The subscription id in an ARM resource id ("/SUBSCRIPTIONS/<id>/..."). */
static struct ty_str subscription(struct ty_str id)
{
    static const char pfx[] = "/subscriptions/";
    size_t n = sizeof(pfx) - 1;
    if (id.len <= n)
        return TY_STR_NULL;
    for (size_t i = 0; i < n; i++) {
        char c = id.p[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != pfx[i])
            return TY_STR_NULL;
    }
    size_t e = n;
    while (e < id.len && id.p[e] != '/')
        e++;
    return ty_str_make(id.p + n, e - n);
}

/* "000D3AF87856" -> "00-0D-3A-F8-78-56" (the spelling of Azure NIC
 * properties and ECS); other spellings are kept as they are. */
static struct ty_str mac_text(struct walk *w, struct ty_str m)
{
    if (m.len != 12)
        return m;
    for (size_t i = 0; i < 12; i++) {
        char c = m.p[i];
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f')))
            return m;
    }
    struct ty_str s = ty_arena_printf(w->ctx->arena, "%.2s-%.2s-%.2s-%.2s-%.2s-%.2s", m.p,
                                      m.p + 2, m.p + 4, m.p + 6, m.p + 8, m.p + 10);
    if (!s.p)
        return m;
    char *q = (char *)s.p;
    for (size_t i = 0; i < s.len; i++)
        if (q[i] >= 'a' && q[i] <= 'f')
            q[i] = (char)(q[i] - 'a' + 'A');
    return s;
}

static const char *const nsg_names[] = {"time",       "source IP", "destination IP",
                                        "source port", "destination port", "protocol",
                                        "direction",  "decision", "state", "packets out",
                                        "bytes out",  "packets in", "bytes in"};
static const char *const vnet_names[] = {"time",       "source IP", "destination IP",
                                         "source port", "destination port", "protocol",
                                         "direction",  "state", "encryption", "packets out",
                                         "bytes out",  "packets in", "bytes in"};

/* One tuple: check it, and in the emit pass fill and emit its event. */
static int tuple(struct walk *w, uint32_t ti)
{
    struct ty_parse_ctx *ctx = w->ctx;
    uint64_t at = (ctx->rec ? ctx->rec->offset : 0) + w->d->toks[ti].off;
    struct ty_str s = str_of(w, ti), f[MAX_FIELDS];
    const char *const *names = w->kind == K_NSG ? nsg_names : vnet_names;
    unsigned nf = 0;
    size_t st = 0;

    if (ty_json_type(w->d, ti) != TY_JSON_STRING)
        return CORRUPT("offset %llu: a flow tuple is not a string",
                       (unsigned long long)at);
    for (size_t i = 0; i <= s.len; i++) {
        if (i == s.len || s.p[i] == ',') {
            if (nf == MAX_FIELDS)
                return CORRUPT("offset %llu: flow tuple with more than 13 fields",
                               (unsigned long long)at);
            f[nf++] = ty_str_make(s.p + st, i - st);
            st = i + 1;
        }
    }
    unsigned want = w->kind == K_VNET ? 13 : w->version == 1 ? 8 : w->version == 2 ? 13 : 0;
    if (want ? nf != want : (nf != 8 && nf != 13))
        return CORRUPT("offset %llu: flow tuple with %u fields, version %lld has %s",
                       (unsigned long long)at, nf, (long long)w->version,
                       want == 8 ? "8" : want == 13 ? "13" : "8 or 13");
#define BAD(i) CORRUPT("offset %llu: flow tuple field %u (%s): '%.*s'", (unsigned long long)at, \
                       (i) + 1, names[i], (int)(f[i].len > 40 ? 40 : f[i].len), f[i].p)
    /* time: seconds, or milliseconds (VNet samples) */
    uint64_t t;
    int prec = 0;
    int64_t ns;
    if (parse_u64(f[0], UINT64_C(9000000000000), &t) != 0)
        return BAD(0); /* ms beyond the year 2255, or not a number */
    if (t > UINT64_C(100000000000)) {
        ns = (int64_t)t * 1000000;
        prec = 3;
    } else if (t <= UINT64_C(9000000000)) {
        ns = (int64_t)t * TY_NS_PER_SEC;
    } else {
        return BAD(0); /* seconds beyond the year 2255 */
    }
    struct ty_ip src, dst;
    if (ty_ip_parse(f[1], &src) != 0)
        return BAD(1);
    if (ty_ip_parse(f[2], &dst) != 0)
        return BAD(2);
    uint64_t sport = 0, dport = 0, proto = 0;
    if (f[3].len && parse_u64(f[3], 65535, &sport) != 0)
        return BAD(3);
    if (f[4].len && parse_u64(f[4], 65535, &dport) != 0)
        return BAD(4);
    if (ty_str_eq_cstr(f[5], "T"))
        proto = 6;
    else if (ty_str_eq_cstr(f[5], "U"))
        proto = 17;
    else if (parse_u64(f[5], 255, &proto) != 0)
        return BAD(5);
    bool inbound;
    if (ty_str_eq_cstr(f[6], "I"))
        inbound = true;
    else if (ty_str_eq_cstr(f[6], "O"))
        inbound = false;
    else
        return BAD(6);
    bool denied = false;
    char state = 0;
    struct ty_str enc = TY_STR_NULL;
    if (w->kind == K_NSG) {
        if (ty_str_eq_cstr(f[7], "D"))
            denied = true;
        else if (!ty_str_eq_cstr(f[7], "A"))
            return BAD(7);
        if (nf == 13) {
            if (f[8].len != 1 || !strchr("BCE", f[8].p[0]))
                return BAD(8);
            state = f[8].p[0];
        }
    } else {
        if (f[7].len != 1 || !strchr("BCED", f[7].p[0]))
            return BAD(7);
        state = f[7].p[0];
        denied = state == 'D';
        enc = f[8];
        if (!enc.len || enc.len > 32)
            return BAD(8);
        for (size_t i = 0; i < enc.len; i++)
            if (!((enc.p[i] >= 'A' && enc.p[i] <= 'Z') || enc.p[i] == '_'))
                return BAD(8);
    }
    uint64_t cnt[4] = {0, 0, 0, 0};
    bool has_cnt = false;
    if (nf == 13) {
        for (unsigned i = 0; i < 4; i++) {
            if (!f[9 + i].len)
                continue;
            if (parse_u64(f[9 + i], INT64_MAX / 4, &cnt[i]) != 0)
                return BAD(9 + i);
            has_cnt = true;
        }
    }
#undef BAD
    w->n++;
    if (!w->emit)
        return 0;

    struct ty_event *ev = &w->a->ev;
    ty_event_clear(ev);
    put_int(ev, TY_F_TS, ns);
    put_int(ev, TY_F_TS_PREC, prec);
    put_str(ev, TY_F_TIME_TEXT, f[0]);
    put_str(ev, TY_F_CATEGORY, TY_STR_LIT("network_flow"));
    put_str(ev, TY_F_ACTION, TY_STR_LIT("flow"));
    put_str(ev, TY_F_PROVIDER,
            w->kind == K_NSG ? TY_STR_LIT("nsg-flow-logs") : TY_STR_LIT("vnet-flow-logs"));
    put_str(ev, TY_F_CLOUD_PROVIDER, TY_STR_LIT("azure"));
    if (denied) {
        put_str(ev, TY_F_OUTCOME, TY_STR_LIT("failure"));
        put_str(ev, TY_F_DISPOSITION, TY_STR_LIT("blocked"));
    } else {
        put_str(ev, TY_F_OUTCOME, TY_STR_LIT("success"));
        put_str(ev, TY_F_DISPOSITION, TY_STR_LIT("allowed"));
    }
    if (state)
        put_str(ev, TY_F_STATUS_CODE,
                state == 'B'   ? TY_STR_LIT("Begin")
                : state == 'C' ? TY_STR_LIT("Continuing")
                : state == 'E' ? TY_STR_LIT("End")
                               : TY_STR_LIT("Denied"));
    put_str(ev, TY_F_STATUS_DETAIL, enc);
    ev->v[TY_F_SRC_IP].ip = src;
    ty_event_mark(ev, TY_F_SRC_IP);
    ev->v[TY_F_DST_IP].ip = dst;
    ty_event_mark(ev, TY_F_DST_IP);
    if (f[3].len)
        put_int(ev, TY_F_SRC_PORT, (int64_t)sport);
    if (f[4].len)
        put_int(ev, TY_F_DST_PORT, (int64_t)dport);
    put_int(ev, TY_F_NET_PROTO, (int64_t)proto);
    put_str(ev, TY_F_NET_DIRECTION, inbound ? TY_STR_LIT("inbound") : TY_STR_LIT("outbound"));
    put_str(ev, TY_F_NET_IFACE, w->mac);
    put_str(ev, TY_F_RULE, w->rule);
    put_str(ev, TY_F_TARGET, w->target);
    put_str(ev, TY_F_CLOUD_ACCOUNT, w->account);
    if (has_cnt) {
        put_int(ev, TY_F_BYTES_OUT, (int64_t)cnt[1]);
        put_int(ev, TY_F_BYTES_IN, (int64_t)cnt[3]);
        put_int(ev, TY_F_PACKETS, (int64_t)(cnt[0] + cnt[2]));
        struct ty_str m = ty_arena_printf(
            ctx->arena, "packets %llu src->dst, %llu dst->src%s%.*s",
            (unsigned long long)cnt[0], (unsigned long long)cnt[2], w->acl.len ? "; acl " : "",
            (int)w->acl.len, w->acl.p ? w->acl.p : "");
        if (!m.p)
            return ty_err_set(w->err, TY_ENOMEM, "out of memory");
        put_str(ev, TY_F_MESSAGE, m);
    } else if (w->acl.len) {
        struct ty_str m =
            ty_arena_printf(ctx->arena, "acl %.*s", (int)w->acl.len, w->acl.p);
        if (!m.p)
            return ty_err_set(w->err, TY_ENOMEM, "out of memory");
        put_str(ev, TY_F_MESSAGE, m);
    }
    int rc = ty_parse_emit(ctx, ev);
    return rc < 0 ? rc : 0;
}

static int tuples(struct walk *w, uint32_t arr, uint64_t at)
{
    if (ty_json_type(w->d, arr) != TY_JSON_ARRAY)
        return CORRUPT("offset %llu: no flowTuples array", (unsigned long long)at);
    for (uint32_t t = ty_json_first(w->d, arr); t != TY_JSON_NONE; t = ty_json_next(w->d, t)) {
        int rc = tuple(w, t);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static uint64_t off_of(struct walk *w, uint32_t i)
{
    return (w->ctx->rec ? w->ctx->rec->offset : 0) + (i == TY_JSON_NONE ? 0 : w->d->toks[i].off);
}

static int nsg_record(struct walk *w, uint32_t props)
{
    const struct ty_json_doc *d = w->d;
    uint32_t ver = ty_json_get(d, props, "Version");
    uint32_t flows = ty_json_get(d, props, "flows");
    int rc;
    w->kind = K_NSG;
    w->version = 0;
    if (ver != TY_JSON_NONE && (ty_json_i64(d, ver, &w->version) != 0 ||
                                (w->version != 1 && w->version != 2)))
        return CORRUPT("offset %llu: properties.Version is not 1 or 2",
                       (unsigned long long)off_of(w, ver));
    if (ty_json_type(d, flows) != TY_JSON_ARRAY)
        return CORRUPT("offset %llu: properties.flows is not an array",
                       (unsigned long long)off_of(w, props));
    for (uint32_t r = ty_json_first(d, flows); r != TY_JSON_NONE; r = ty_json_next(d, r)) {
        w->rule = str_of(w, ty_json_get(d, r, "rule"));
        uint32_t inner = ty_json_get(d, r, "flows");
        if (ty_json_type(d, inner) != TY_JSON_ARRAY)
            return CORRUPT("offset %llu: properties.flows[].flows is not an array",
                           (unsigned long long)off_of(w, r));
        for (uint32_t m = ty_json_first(d, inner); m != TY_JSON_NONE; m = ty_json_next(d, m)) {
            w->mac = mac_text(w, str_of(w, ty_json_get(d, m, "mac")));
            if ((rc = tuples(w, ty_json_get(d, m, "flowTuples"), off_of(w, m))) < 0)
                return rc;
        }
    }
    return 0;
}

static int vnet_record(struct walk *w, uint32_t rec, uint32_t frec)
{
    const struct ty_json_doc *d = w->d;
    uint32_t flows = ty_json_get(d, frec, "flows");
    int rc;
    w->kind = K_VNET;
    w->version = 4;
    uint32_t ver = ty_json_get(d, rec, "flowLogVersion");
    if (ver != TY_JSON_NONE && (ty_json_i64(d, ver, &w->version) != 0 || w->version < 4))
        return CORRUPT("offset %llu: flowLogVersion is not 4 or later",
                       (unsigned long long)off_of(w, ver));
    w->mac = mac_text(w, str_of(w, ty_json_get(d, rec, "macAddress")));
    if (ty_json_type(d, flows) != TY_JSON_ARRAY)
        return CORRUPT("offset %llu: flowRecords.flows is not an array",
                       (unsigned long long)off_of(w, frec));
    for (uint32_t f = ty_json_first(d, flows); f != TY_JSON_NONE; f = ty_json_next(d, f)) {
        w->acl = str_of(w, ty_json_get(d, f, "aclID"));
        uint32_t groups = ty_json_get(d, f, "flowGroups");
        if (ty_json_type(d, groups) != TY_JSON_ARRAY)
            return CORRUPT("offset %llu: flowRecords.flows[].flowGroups is not an array",
                           (unsigned long long)off_of(w, f));
        for (uint32_t g = ty_json_first(d, groups); g != TY_JSON_NONE; g = ty_json_next(d, g)) {
            w->rule = str_of(w, ty_json_get(d, g, "rule"));
            if ((rc = tuples(w, ty_json_get(d, g, "flowTuples"), off_of(w, g))) < 0)
                return rc;
        }
    }
    return 0;
}

/* A VNet record flattened by a forwarder (one tuple per record): rule and
 * aclID beside the record fields, tuples under "flow.0", "flow.1"... */
static int flat_record(struct walk *w, uint32_t rec)
{
    const struct ty_json_doc *d = w->d;
    uint32_t ver = ty_json_get(d, rec, "flowLogVersion");
    int rc;
    w->kind = K_VNET;
    if (ty_json_i64(d, ver, &w->version) != 0 || w->version < 4)
        return CORRUPT("offset %llu: flowLogVersion is not 4 or later",
                       (unsigned long long)off_of(w, ver));
    w->mac = mac_text(w, str_of(w, ty_json_get(d, rec, "macAddress")));
    w->rule = str_of(w, ty_json_get(d, rec, "rule"));
    w->acl = str_of(w, ty_json_get(d, rec, "aclID"));
    w->target = str_of(w, ty_json_get(d, rec, "targetResourceID"));
    w->account = subscription(w->target);
    for (uint32_t k = ty_json_first(d, rec); k != TY_JSON_NONE; k = ty_json_next_member(d, k)) {
        struct ty_str key = ty_json_raw(d, k);
        if (key.len > 5 && memcmp(key.p, "flow.", 5) == 0 && (rc = tuple(w, k + 1)) < 0)
            return rc;
    }
    return 0;
}

static int one_record(struct walk *w, uint32_t rec)
{
    const struct ty_json_doc *d = w->d;
    if (ty_json_type(d, rec) != TY_JSON_OBJECT)
        return CORRUPT("offset %llu: a flow log record is not a JSON object",
                       (unsigned long long)off_of(w, rec));
    uint32_t props = ty_json_get(d, rec, "properties");
    uint32_t frec = ty_json_get(d, rec, "flowRecords");
    w->acl = w->rule = w->mac = TY_STR_NULL;
    if (ty_json_type(d, frec) == TY_JSON_OBJECT) {
        w->target = str_of(w, ty_json_get(d, rec, "targetResourceID"));
        w->account = subscription(w->target);
        if (!w->account.len)
            w->account = subscription(str_of(w, ty_json_get(d, rec, "flowLogResourceID")));
        return vnet_record(w, rec, frec);
    }
    if (ty_json_type(d, props) == TY_JSON_OBJECT &&
        ty_json_get(d, props, "flows") != TY_JSON_NONE) {
        w->target = str_of(w, ty_json_get_nocase(d, rec, "resourceId"));
        w->account = subscription(w->target);
        return nsg_record(w, props);
    }
    if (ty_json_get(d, rec, "flowLogVersion") != TY_JSON_NONE &&
        ty_json_get(d, rec, "flow.0") != TY_JSON_NONE)
        return flat_record(w, rec);
    return CORRUPT("offset %llu: neither an NSG flow record (properties.flows) nor a VNet "
                   "flow record (flowRecords.flows)",
                   (unsigned long long)off_of(w, rec));
}

/* Every record under the root: the root itself, a {"records":[...]} blob or
 * an array of records. */
static int walk_all(struct walk *w)
{
    const struct ty_json_doc *d = w->d;
    uint32_t list = TY_JSON_NONE;
    int rc;
    if (ty_json_type(d, 0) == TY_JSON_ARRAY)
        list = 0;
    else if (ty_json_type(d, 0) == TY_JSON_OBJECT &&
             ty_json_type(d, ty_json_get(d, 0, "records")) == TY_JSON_ARRAY)
        list = ty_json_get(d, 0, "records");
    if (list == TY_JSON_NONE)
        return one_record(w, 0);
    for (uint32_t r = ty_json_first(d, list); r != TY_JSON_NONE; r = ty_json_next(d, r))
        if ((rc = one_record(w, r)) < 0)
            return rc;
    return 0;
}

static int afl_record(struct ty_parse_ctx *ctx, const struct ty_record *rec, struct ty_err *err)
{
    struct walk w;
    int rc;
    if (!ctx->priv)
        return ty_err_set(err, TY_EINVAL, "azure-flow: record() before open()");
    if ((rc = ty_parse_json_record(ctx, rec, err)) != 0)
        return rc;
    memset(&w, 0, sizeof(w));
    w.ctx = ctx;
    w.d = ctx->json;
    w.err = err;
    w.a = ctx->priv;
    /* check every tuple first: a record is emitted whole or not at all */
    if ((rc = walk_all(&w)) < 0)
        return rc;
    if (w.n == 0)
        return TY_SKIP; /* a minute without flows */
    w.emit = true;
    w.n = 0;
    rc = walk_all(&w);
    return rc < 0 ? rc : TY_OK;
}

/* ---- sniff and open ------------------------------------------------------- */

static int afl_sniff(struct ty_str head)
{
    struct ty_str s = ty_parse_skip_ws(head);
    if (!s.len || (s.p[0] != '{' && s.p[0] != '['))
        return 0;
    if (!has(s, "\"flowTuples\""))
        return has(s, "\"flowLogVersion\"") && has(s, "\"flow.0\"") ? 80 : 0;
    if (has(s, "\"NetworkSecurityGroupFlowEvent\"") || has(s, "\"FlowLogFlowEvent\""))
        return 95;
    if (has(s, "\"flowRecords\"") || has(s, "\"flowLogVersion\""))
        return 90;
    if (has(s, "\"properties\"") && has(s, "\"rule\""))
        return 85;
    return 0;
}

static int afl_open(struct ty_parse_ctx *ctx, struct ty_err *err)
{
    struct afl *a = calloc(1, sizeof(*a));
    struct ty_str s = ty_parse_skip_ws(ctx->head);
    if (!a)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    ctx->priv = a;
    ctx->frame.kind = TY_FRAME_JSON;
    ctx->frame.key = "records";
    bool vnet = has(s, "\"flowRecords\"") || has(s, "\"FlowLogFlowEvent\"");
    bool blob = s.len && s.p[0] == '{' && has(s, "\"records\"");
    snprintf(ctx->shape, sizeof(ctx->shape), "%s %s", vnet ? "VNet flow log" : "NSG flow log",
             blob ? "PT1H.json blob (records)" : s.len && s.p[0] == '[' ? "JSON array"
                                                                          : "JSON records");
    return 0;
}

/* Flow tuples are allow/deny decisions on 5-tuples: Sigma's firewall category. */
static int afl_taxonomy(const struct ty_event *ev)
{
    (void)ev;
    return TY_SCAT_FIREWALL;
}

const struct ty_parser ty_parser_azure_flow = {
    .abi = TY_PARSER_ABI,
    .name = "azure-flow",
    .desc = "Azure NSG flow logs (v1/v2) and VNet flow logs (v4): one event per flow tuple",
    .sniffs = "JSON with \"flowTuples\" and category NetworkSecurityGroupFlowEvent or "
              "FlowLogFlowEvent (95), flowRecords/flowLogVersion (90), properties + rule (85); "
              "flattened VNet records with flowLogVersion and \"flow.0\" (80)",
    /* not EXACT_KEYS: "resourceId" is also spelled "resourceid" */
    .flags = TY_PARSER_F_JSON,
    .sniff = afl_sniff,
    .open = afl_open,
    .record = afl_record,
    .close = ty_parse_free_priv,
    .logsource = {.product = "azure", .service = "nsgflowlogs"},
    .taxonomy = afl_taxonomy,
};
