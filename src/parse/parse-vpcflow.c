/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse-vpcflow.c - AWS VPC Flow Logs and Transit Gateway flow logs, text
 * format (record versions 2 to 7 and later fields).
 *
 * Record format (formats.md §5.1): one flow per line, fields separated by a
 * space, "-" for a field that does not apply. S3 text files begin with a
 * header line naming the fields in order (any custom order or subset); the
 * header configures the column map and returns TY_SKIP, and a later header
 * (files cat'ed together) reconfigures it. CloudWatch lines have no header:
 * 14 fields are the default format (version 2), and 21/25/29 fields the
 * "all fields" layouts of versions 3/4/5, accepted only when the record's
 * version says so. Lines exported from CloudWatch to S3 may carry a leading
 * RFC 3339 timestamp, which is skipped.
 * Quirks handled: NODATA/SKIPDATA records (no addresses, action "-"); IPv6;
 * pkt-srcaddr/pkt-dstaddr (the real endpoints behind a NAT gateway, a
 * secondary IP or an EKS pod IP) versus srcaddr/dstaddr (the ENI's view);
 * Parquet-style names with '_' in headers; Transit Gateway headers (tgw-*,
 * packets-lost-*), mapped where they share meaning. Unknown header names are
 * kept as columns and ignored (the raw line keeps them).
 * A wrong field count, a non-numeric number, a bad IP, a version that cannot
 * carry the chosen fields: TY_ECORRUPT naming the column.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/parser.h>
#include <tyto/time.h>

enum col {
    C_UNKNOWN = 0,
    C_VERSION,
    C_ACCOUNT,
    C_IFACE,
    C_SRCADDR,
    C_DSTADDR,
    C_SRCPORT,
    C_DSTPORT,
    C_PROTO,
    C_PACKETS,
    C_BYTES,
    C_START,
    C_END,
    C_ACTION,
    C_LOGSTATUS,
    C_VPC,
    C_SUBNET,
    C_INSTANCE,
    C_TCPFLAGS,
    C_TYPE,
    C_PKTSRC,
    C_PKTDST,
    C_REGION,
    C_AZ,
    C_SUBLOC_TYPE,
    C_SUBLOC_ID,
    C_PKT_SRC_SVC,
    C_PKT_DST_SVC,
    C_FLOWDIR,
    C_TRAFFIC_PATH,
    C_ECS_OTHER,
    C_ECS_CONTAINER_ID,
    C_REJECT_REASON,
    C_RESOURCE_TYPE,
    C_TGW_ID,
    C_TGW_ATTACH,
    C_TGW_SRC_VPC,
    C_TGW_OTHER,
    C_LOST_NO_ROUTE,
    C_LOST_BLACKHOLE,
    C_LOST_MTU,
    C_LOST_TTL,
};

/* How a column's value is checked. */
enum vkind { V_STR, V_U64, V_IP };

struct colinfo {
    const char *name;
    uint8_t col;
    uint8_t version; /* version that introduced it; 0 = not checked */
    uint8_t kind;
    uint8_t tgw;     /* only in Transit Gateway flow logs */
};

static const struct colinfo cols[] = {
    {"version", C_VERSION, 2, V_U64, 0},
    {"account-id", C_ACCOUNT, 2, V_STR, 0},
    {"interface-id", C_IFACE, 2, V_STR, 0},
    {"srcaddr", C_SRCADDR, 2, V_IP, 0},
    {"dstaddr", C_DSTADDR, 2, V_IP, 0},
    {"srcport", C_SRCPORT, 2, V_U64, 0},
    {"dstport", C_DSTPORT, 2, V_U64, 0},
    {"protocol", C_PROTO, 2, V_U64, 0},
    {"packets", C_PACKETS, 2, V_U64, 0},
    {"bytes", C_BYTES, 2, V_U64, 0},
    {"start", C_START, 2, V_U64, 0},
    {"end", C_END, 2, V_U64, 0},
    {"action", C_ACTION, 2, V_STR, 0},
    {"log-status", C_LOGSTATUS, 2, V_STR, 0},
    {"vpc-id", C_VPC, 3, V_STR, 0},
    {"subnet-id", C_SUBNET, 3, V_STR, 0},
    {"instance-id", C_INSTANCE, 3, V_STR, 0},
    {"tcp-flags", C_TCPFLAGS, 3, V_U64, 0},
    {"type", C_TYPE, 3, V_STR, 0},
    {"pkt-srcaddr", C_PKTSRC, 3, V_IP, 0},
    {"pkt-dstaddr", C_PKTDST, 3, V_IP, 0},
    {"region", C_REGION, 4, V_STR, 0},
    {"az-id", C_AZ, 4, V_STR, 0},
    {"sublocation-type", C_SUBLOC_TYPE, 4, V_STR, 0},
    {"sublocation-id", C_SUBLOC_ID, 4, V_STR, 0},
    {"pkt-src-aws-service", C_PKT_SRC_SVC, 5, V_STR, 0},
    {"pkt-dst-aws-service", C_PKT_DST_SVC, 5, V_STR, 0},
    {"flow-direction", C_FLOWDIR, 5, V_STR, 0},
    {"traffic-path", C_TRAFFIC_PATH, 5, V_U64, 0},
    {"ecs-cluster-arn", C_ECS_OTHER, 7, V_STR, 0},
    {"ecs-cluster-name", C_ECS_OTHER, 7, V_STR, 0},
    {"ecs-container-instance-arn", C_ECS_OTHER, 7, V_STR, 0},
    {"ecs-container-instance-id", C_ECS_OTHER, 7, V_STR, 0},
    {"ecs-container-id", C_ECS_CONTAINER_ID, 7, V_STR, 0},
    {"ecs-second-container-id", C_ECS_OTHER, 7, V_STR, 0},
    {"ecs-service-name", C_ECS_OTHER, 7, V_STR, 0},
    {"ecs-task-definition-arn", C_ECS_OTHER, 7, V_STR, 0},
    {"ecs-task-arn", C_ECS_OTHER, 7, V_STR, 0},
    {"ecs-task-id", C_ECS_OTHER, 7, V_STR, 0},
    {"reject-reason", C_REJECT_REASON, 0, V_STR, 0},
    /* Transit Gateway flow logs (version not checked) */
    {"resource-type", C_RESOURCE_TYPE, 0, V_STR, 1},
    {"tgw-id", C_TGW_ID, 0, V_STR, 1},
    {"tgw-attachment-id", C_TGW_ATTACH, 0, V_STR, 1},
    {"tgw-src-vpc-account-id", C_TGW_OTHER, 0, V_STR, 1},
    {"tgw-dst-vpc-account-id", C_TGW_OTHER, 0, V_STR, 1},
    {"tgw-src-vpc-id", C_TGW_SRC_VPC, 0, V_STR, 1},
    {"tgw-dst-vpc-id", C_TGW_OTHER, 0, V_STR, 1},
    {"tgw-src-subnet-id", C_TGW_OTHER, 0, V_STR, 1},
    {"tgw-dst-subnet-id", C_TGW_OTHER, 0, V_STR, 1},
    {"tgw-src-eni", C_TGW_OTHER, 0, V_STR, 1},
    {"tgw-dst-eni", C_TGW_OTHER, 0, V_STR, 1},
    {"tgw-src-az-id", C_TGW_OTHER, 0, V_STR, 1},
    {"tgw-dst-az-id", C_TGW_OTHER, 0, V_STR, 1},
    {"tgw-pair-attachment-id", C_TGW_OTHER, 0, V_STR, 1},
    {"packets-lost-no-route", C_LOST_NO_ROUTE, 0, V_U64, 1},
    {"packets-lost-blackhole", C_LOST_BLACKHOLE, 0, V_U64, 1},
    {"packets-lost-mtu-exceeded", C_LOST_MTU, 0, V_U64, 1},
    {"packets-lost-ttl-expired", C_LOST_TTL, 0, V_U64, 1},
};

#define N_COLINFO (sizeof(cols) / sizeof(cols[0]))
#define MAX_COLS 96

/* Header-less layouts: the first n entries of cols[] ("all fields" of a
 * version, in the order of the AWS field table). */
static const struct {
    uint8_t n, version;
} layouts[] = {{14, 2}, {21, 3}, {25, 4}, {29, 5}};

struct vpc {
    uint8_t map[MAX_COLS]; /* index into cols[] + 1; 0 = unknown name */
    unsigned n_cols;
    unsigned need_version; /* highest version among the header's fields */
    bool header;           /* map comes from a header line */
    bool tgw;
    struct ty_event ev;
};

/* ---- tokens ---------------------------------------------------------- */

struct tok {
    const char *p;
    uint32_t len;
};

/* Split on runs of spaces/tabs. Returns the count, or MAX_COLS + 1 when there are more. */
static unsigned split(struct ty_str s, struct tok *t)
{
    const char *p = s.p, *end = s.p + s.len;
    unsigned n = 0;
    for (;;) {
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        if (p == end)
            return n;
        if (n == MAX_COLS)
            return MAX_COLS + 1;
        const char *q = p;
        for (;;) { /* to the next space or tab; other control bytes stay in the token */
            while (q < end && (unsigned char)*q > ' ')
                q++;
            if (q < end && *q != ' ' && *q != '\t') {
                q++;
                continue;
            }
            break;
        }
        t[n].p = p;
        t[n].len = (uint32_t)(q - p);
        n++;
        p = q;
    }
}

static bool tok_is(const struct tok *t, const char *s)
{
    size_t n = strlen(s);
    return t->len == n && memcmp(t->p, s, n) == 0;
}

/* Known column by name ('_' taken as '-'); -1 when unknown. */
static int lookup_col(const struct tok *t)
{
    char name[40];
    if (t->len == 0 || t->len >= sizeof(name))
        return -1;
    for (uint32_t i = 0; i < t->len; i++)
        name[i] = t->p[i] == '_' ? '-' : t->p[i];
    name[t->len] = '\0';
    for (size_t i = 0; i < N_COLINFO; i++)
        if (strcmp(cols[i].name, name) == 0)
            return (int)i;
    return -1;
}

static bool name_shaped(const struct tok *t)
{
    if (!t->len || t->p[0] < 'a' || t->p[0] > 'z')
        return false;
    for (uint32_t i = 0; i < t->len; i++) {
        char ch = t->p[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_'))
            return false;
    }
    return true;
}

/* A header: every token name-shaped, more than half of them known names. */
static bool is_header(const struct tok *t, unsigned n)
{
    unsigned known = 0;
    if (!n || n > MAX_COLS)
        return false;
    for (unsigned i = 0; i < n; i++) {
        if (!name_shaped(&t[i]))
            return false;
        known += lookup_col(&t[i]) >= 0;
    }
    return known * 2 > n;
}

/* An RFC 3339 time token (a CloudWatch export prefix). */
static bool time_shaped(const struct tok *t)
{
    return t->len >= 19 && t->p[4] == '-' && t->p[7] == '-' && t->p[10] == 'T' &&
           t->p[0] >= '0' && t->p[0] <= '9';
}

/* ---- values ------------------------------------------------------------- */

static int parse_u64(const struct tok *t, uint64_t *out)
{
    uint64_t v = 0;
    if (!t->len || t->len > 20)
        return -1;
    for (uint32_t i = 0; i < t->len; i++) {
        unsigned d = (unsigned)(unsigned char)t->p[i] - '0';
        if (d > 9 || v > (UINT64_MAX - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

/* ty_ip_parse has the fast dotted-quad path itself. */
static int parse_ip(const struct tok *t, struct ty_ip *ip)
{
    return ty_ip_parse(ty_str_make(t->p, t->len), ip);
}

/* Inline setters: the hot path writes the event directly. */
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

static inline void put_ip(struct ty_event *ev, enum ty_field f, const struct ty_ip *ip)
{
    ev->v[f].ip = *ip;
    ty_event_mark(ev, f);
}

static int configure_header(struct vpc *v, const struct tok *t, unsigned n)
{
    v->n_cols = n;
    v->need_version = 0;
    v->header = true;
    v->tgw = false;
    for (unsigned i = 0; i < n; i++) {
        int c = lookup_col(&t[i]);
        v->map[i] = (uint8_t)(c + 1);
        if (c >= 0) {
            if (cols[c].version > v->need_version)
                v->need_version = cols[c].version;
            if (cols[c].tgw)
                v->tgw = true;
        }
    }
    return TY_SKIP;
}

static void layout(struct vpc *v, unsigned n)
{
    v->n_cols = n;
    for (unsigned i = 0; i < n; i++)
        v->map[i] = (uint8_t)(i + 1);
}

/* The values of one record, before mapping. */
struct row {
    struct tok tok[MAX_COLS + 1];
    bool has_ver, has_start, has_end, has_src, has_dst, has_psrc, has_pdst;
    uint64_t ver, start, end;
    unsigned ver_col;
    struct ty_ip src, dst, psrc, pdst;
    uint64_t lost[4];
    bool any_lost;
};

#define CORRUPT(...) ty_err_set(err, TY_ECORRUPT, __VA_ARGS__)

static int vpc_record(struct ty_parse_ctx *ctx, const struct ty_record *rec, struct ty_err *err)
{
    struct vpc *v = ctx->priv;
    struct row r;
    struct ty_event *ev;
    unsigned n, first = 0;
    int rc;

    if (!v)
        return ty_err_set(err, TY_EINVAL, "vpcflow: record() before open()");
    ev = &v->ev;
    n = split(ty_str_make(rec->p, rec->len), r.tok);
    if (n == 0)
        return TY_SKIP;
    if (n > MAX_COLS)
        return CORRUPT("more than %d fields", MAX_COLS);
    if (r.tok[0].p[0] == '{')
        return CORRUPT("a JSON record, not the space-separated flow log text format");
    if (r.tok[0].p[0] >= 'a' && r.tok[0].p[0] <= 'z' && is_header(r.tok, n))
        return configure_header(v, r.tok, n);
    if (time_shaped(&r.tok[0])) {
        first = 1; /* CloudWatch export: "<time> <record>" */
        n--;
    }
    struct tok *t = r.tok + first;
    unsigned layout_version = 0;
    if (!v->header) {
        for (size_t i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++)
            if (layouts[i].n == n)
                layout_version = layouts[i].version;
        if (!layout_version)
            return CORRUPT("%u fields and no header line naming them (header-less layouts "
                           "have 14, 21, 25 or 29 fields)",
                           n);
        layout(v, n);
    } else if (n != v->n_cols) {
        return CORRUPT("%u fields, the header names %u", n, v->n_cols);
    }

    r.has_ver = r.has_start = r.has_end = r.has_src = r.has_dst = r.has_psrc = r.has_pdst =
        false;
    r.any_lost = false;
    memset(r.lost, 0, sizeof(r.lost));
    ty_event_clear(ev);

    for (unsigned i = 0; i < n; i++) {
        const struct tok *tk = &t[i];
        if (!v->map[i] || (tk->len == 1 && tk->p[0] == '-'))
            continue;
        const struct colinfo *ci = &cols[v->map[i] - 1];
        struct ty_str s = ty_str_make(tk->p, tk->len);
        uint64_t u = 0;
        struct ty_ip ip;
        if (ci->kind == V_U64 && parse_u64(tk, &u) != 0)
            return CORRUPT("column %u (%s): '%.*s' is not a number", i + 1, ci->name,
                           (int)(tk->len > 40 ? 40 : tk->len), tk->p);
        if (ci->kind == V_IP && parse_ip(tk, &ip) != 0)
            return CORRUPT("column %u (%s): '%.*s' is not an IP address", i + 1, ci->name,
                           (int)(tk->len > 46 ? 46 : tk->len), tk->p);
        switch (ci->col) {
        case C_VERSION:
            r.has_ver = true;
            r.ver = u;
            r.ver_col = i;
            break;
        case C_ACCOUNT:
            put_str(ev, TY_F_CLOUD_ACCOUNT, s);
            break;
        case C_IFACE:
        case C_TGW_ATTACH:
            put_str(ev, TY_F_NET_IFACE, s);
            break;
        case C_SRCADDR:
            r.has_src = true;
            r.src = ip;
            break;
        case C_DSTADDR:
            r.has_dst = true;
            r.dst = ip;
            break;
        case C_PKTSRC:
            r.has_psrc = true;
            r.psrc = ip;
            break;
        case C_PKTDST:
            r.has_pdst = true;
            r.pdst = ip;
            break;
        case C_SRCPORT:
        case C_DSTPORT:
            if (u > 65535)
                return CORRUPT("column %u (%s): port %llu out of range", i + 1, ci->name,
                               (unsigned long long)u);
            put_int(ev, ci->col == C_SRCPORT ? TY_F_SRC_PORT : TY_F_DST_PORT,
                             (int64_t)u);
            break;
        case C_PROTO:
            if (u > 255)
                return CORRUPT("column %u (protocol): %llu out of range", i + 1,
                               (unsigned long long)u);
            put_int(ev, TY_F_NET_PROTO, (int64_t)u);
            break;
        case C_PACKETS:
        case C_BYTES:
        case C_TCPFLAGS:
            if (u > INT64_MAX)
                return CORRUPT("column %u (%s): %llu out of range", i + 1, ci->name,
                               (unsigned long long)u);
            put_int(ev,
                             ci->col == C_PACKETS ? TY_F_PACKETS
                             : ci->col == C_BYTES ? TY_F_BYTES_OUT
                                                  : TY_F_TCP_FLAGS,
                             (int64_t)u);
            break;
        case C_START:
        case C_END:
            if (u > (uint64_t)(INT64_MAX / TY_NS_PER_SEC))
                return CORRUPT("column %u (%s): time %llu out of range", i + 1, ci->name,
                               (unsigned long long)u);
            if (ci->col == C_START) {
                r.has_start = true;
                r.start = u;
                put_str(ev, TY_F_TIME_TEXT, s);
            } else {
                r.has_end = true;
                r.end = u;
            }
            break;
        case C_ACTION:
            if (tok_is(tk, "ACCEPT")) {
                put_str(ev, TY_F_OUTCOME, TY_STR_LIT("success"));
                put_str(ev, TY_F_DISPOSITION, TY_STR_LIT("allowed"));
            } else if (tok_is(tk, "REJECT")) {
                put_str(ev, TY_F_OUTCOME, TY_STR_LIT("failure"));
                put_str(ev, TY_F_DISPOSITION, TY_STR_LIT("blocked"));
            } else {
                return CORRUPT("column %u (action): '%.*s' is not ACCEPT, REJECT or -", i + 1,
                               (int)(tk->len > 40 ? 40 : tk->len), tk->p);
            }
            break;
        case C_LOGSTATUS:
            if (tok_is(tk, "NODATA") || tok_is(tk, "SKIPDATA"))
                put_str(ev, TY_F_ACTION, s);
            else if (!tok_is(tk, "OK"))
                return CORRUPT("column %u (log-status): '%.*s' is not OK, NODATA or SKIPDATA",
                               i + 1, (int)(tk->len > 40 ? 40 : tk->len), tk->p);
            put_str(ev, TY_F_STATUS_CODE, s);
            break;
        case C_VPC:
        case C_TGW_SRC_VPC:
            put_str(ev, TY_F_CLOUD_VPC, s);
            break;
        case C_INSTANCE:
        case C_TGW_ID:
            put_str(ev, TY_F_HOST_ID, s);
            break;
        case C_REGION:
            put_str(ev, TY_F_CLOUD_REGION, s);
            break;
        case C_FLOWDIR:
            put_str(ev, TY_F_NET_DIRECTION, s);
            break;
        case C_ECS_CONTAINER_ID:
            put_str(ev, TY_F_CONTAINER_ID, s);
            break;
        case C_REJECT_REASON:
            put_str(ev, TY_F_STATUS_DETAIL, s);
            break;
        case C_LOST_NO_ROUTE:
        case C_LOST_BLACKHOLE:
        case C_LOST_MTU:
        case C_LOST_TTL:
            r.lost[ci->col - C_LOST_NO_ROUTE] = u;
            r.any_lost |= u != 0;
            break;
        default:
            break; /* kept in the raw line */
        }
    }

    /* version: one the record's fields can live in */
    if (r.has_ver) {
        unsigned need = layout_version ? layout_version : v->need_version;
        if (r.ver < 2 || r.ver > 99)
            return CORRUPT("column %u (version): %llu is not a flow log version", r.ver_col + 1,
                           (unsigned long long)r.ver);
        if (layout_version && r.ver != layout_version)
            return CORRUPT("column 1 (version): version %llu with %u fields and no header "
                           "line: %u fields is the version %u layout, the order is unknown",
                           (unsigned long long)r.ver, n, n, layout_version);
        if (r.ver < need)
            return CORRUPT("column %u (version): version %llu, but the header's fields need "
                           "version %u",
                           r.ver_col + 1, (unsigned long long)r.ver, need);
    } else if (layout_version) {
        return CORRUPT("column 1 (version): '-' in a header-less record");
    }

    /* time */
    if (!r.has_start && !r.has_end)
        return CORRUPT("no start or end time");
    put_int(ev, TY_F_TS, (int64_t)(r.has_start ? r.start : r.end) * TY_NS_PER_SEC);
    put_int(ev, TY_F_TS_PREC, 0);
    if (r.has_end)
        put_int(ev, TY_F_TS_END, (int64_t)r.end * TY_NS_PER_SEC);

    /* endpoints: pkt-* are the real ones, srcaddr/dstaddr the ENI's view */
    if (r.has_psrc) {
        put_ip(ev, TY_F_SRC_IP, &r.psrc);
        if (r.has_src && !ty_ip_eq(&r.src, &r.psrc))
            put_ip(ev, TY_F_SRC_NAT_IP, &r.src);
    } else if (r.has_src) {
        put_ip(ev, TY_F_SRC_IP, &r.src);
    }
    if (r.has_pdst) {
        put_ip(ev, TY_F_DST_IP, &r.pdst);
        if (r.has_dst && !ty_ip_eq(&r.dst, &r.pdst))
            put_ip(ev, TY_F_DST_NAT_IP, &r.dst);
    } else if (r.has_dst) {
        put_ip(ev, TY_F_DST_IP, &r.dst);
    }

    if (!ty_event_has(ev, TY_F_ACTION))
        put_str(ev, TY_F_ACTION, TY_STR_LIT("flow"));
    put_str(ev, TY_F_CATEGORY, TY_STR_LIT("network_flow"));
    put_str(ev, TY_F_CLOUD_PROVIDER, TY_STR_LIT("aws"));
    put_str(ev, TY_F_PROVIDER, v->tgw ? TY_STR_LIT("transit-gateway-flow-logs")
                                               : TY_STR_LIT("vpc-flow-logs"));
    if (r.any_lost) {
        struct ty_str m = ty_arena_printf(
            ctx->arena, "packets lost: no-route=%llu blackhole=%llu mtu-exceeded=%llu "
                        "ttl-expired=%llu",
            (unsigned long long)r.lost[0], (unsigned long long)r.lost[1],
            (unsigned long long)r.lost[2], (unsigned long long)r.lost[3]);
        if (!m.p)
            return ty_err_set(err, TY_ENOMEM, "out of memory");
        put_str(ev, TY_F_MESSAGE, m);
    }
    rc = ty_parse_emit(ctx, ev);
    return rc < 0 ? rc : TY_OK;
}

/* ---- sniff and open --------------------------------------------------------- */

static struct ty_str first_line(struct ty_str head)
{
    if (head.len >= 3 && memcmp(head.p, "\xef\xbb\xbf", 3) == 0) {
        head.p += 3;
        head.len -= 3;
    }
    const char *nl = memchr(head.p, '\n', head.len);
    struct ty_str l = ty_str_make(head.p, nl ? (size_t)(nl - head.p) : head.len);
    if (l.len && l.p[l.len - 1] == '\r')
        l.len--;
    return l;
}

static bool has_tok(const struct tok *t, unsigned n, const char *name)
{
    for (unsigned i = 0; i < n; i++)
        if (tok_is(&t[i], name))
            return true;
    return false;
}

static int vpc_sniff(struct ty_str head)
{
    struct tok t[MAX_COLS + 1];
    struct ty_str l = first_line(head);
    unsigned n = split(l, t), f = 0;
    if (n == 0 || n > MAX_COLS)
        return 0;
    if (is_header(t, n)) {
        if (n >= 2 && tok_is(&t[0], "version") && tok_is(&t[1], "account-id"))
            return 95;
        if ((has_tok(t, n, "srcaddr") || has_tok(t, n, "pkt-srcaddr")) &&
            (has_tok(t, n, "dstaddr") || has_tok(t, n, "pkt-dstaddr")))
            return 95;
        return 0;
    }
    if (time_shaped(&t[0]))
        f = 1;
    /* "<version> <account> eni-..." */
    uint64_t u;
    if (n >= f + 3 && parse_u64(&t[f], &u) == 0 && u >= 2 && u <= 99) {
        if (t[f + 2].len > 4 && memcmp(t[f + 2].p, "eni-", 4) == 0)
            return 80;
        if (tok_is(&t[f + 1], "TransitGateway") || tok_is(&t[f + 1], "TransitGatewayAttachment"))
            return 80;
    }
    return 0;
}

static int vpc_open(struct ty_parse_ctx *ctx, struct ty_err *err)
{
    struct vpc *v = calloc(1, sizeof(*v));
    struct tok t[MAX_COLS + 1];
    if (!v)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    ctx->priv = v;
    ctx->frame.kind = TY_FRAME_LINES;
    ctx->frame.key = NULL;
    struct ty_str l = first_line(ctx->head);
    unsigned n = split(l, t);
    if (n && n <= MAX_COLS && is_header(t, n)) {
        bool tgw = false;
        for (unsigned i = 0; i < n; i++) {
            int c = lookup_col(&t[i]);
            tgw |= c >= 0 && cols[c].tgw;
        }
        snprintf(ctx->shape, sizeof(ctx->shape), "%s text with a %u-field header",
                 tgw ? "Transit Gateway flow log" : "S3 flow log", n);
    } else {
        snprintf(ctx->shape, sizeof(ctx->shape), "header-less lines (CloudWatch), %u fields",
                 n > 0 && time_shaped(&t[0]) ? n - 1 : n);
    }
    return 0;
}

/* Flow records are accept/reject decisions on 5-tuples: Sigma's firewall
 * category (src_ip, dst_ip, dst_port through the taxonomy view). */
static int vpc_taxonomy(const struct ty_event *ev)
{
    (void)ev;
    return TY_SCAT_FIREWALL;
}

const struct ty_parser ty_parser_vpcflow = {
    .abi = TY_PARSER_ABI,
    .name = "aws-vpcflow",
    .desc = "AWS VPC and Transit Gateway flow logs, text (versions 2-7, header or default "
            "format)",
    .sniffs = "header line \"version account-id ...\" or naming srcaddr and dstaddr (95); "
              "\"<version> <account> eni-...\" lines (80)",
    .flags = TY_PARSER_F_TEXT,
    .sniff = vpc_sniff,
    .open = vpc_open,
    .record = vpc_record,
    .close = ty_parse_free_priv,
    .logsource = {.product = "aws", .service = "vpcflowlogs"},
    .taxonomy = vpc_taxonomy,
};
