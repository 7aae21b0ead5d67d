/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse-gcp-vpcflow.c - Google Cloud VPC Flow Logs: Cloud Logging LogEntry
 * records of log compute.googleapis.com/vpc_flows, one event per entry.
 *
 * Record format (formats.md §5.2): jsonPayload{connection{src_ip, src_port,
 * dest_ip, dest_port, protocol}, start_time, end_time, bytes_sent,
 * packets_sent, rtt_msec, reporter SRC|DEST, src_instance/dest_instance
 * {project_id, vm_name, region, zone}, src_vpc/dest_vpc{project_id,
 * vpc_name, subnetwork_name}, src_gke_details/dest_gke_details, *_location}.
 * Delivery shapes: GCS sink files (JSON lines), `gcloud logging read
 * --format=json` (a JSON array of pretty-printed entries), single
 * pretty-printed documents; all framed as JSON values (arrays unrolled).
 * Quirks handled: proto3 JSON int64 as strings ("bytes_sent":"1872") or
 * numbers; nanosecond times; the host, project, region, VPC and GKE pod are
 * the reporter's side (reporter SRC: src_*, DEST: dest_*), and the
 * direction is the reporter's (SRC: egress, DEST: ingress). Flow logs carry
 * no allow/deny verdict (that is Firewall Rules Logging): no outcome is set.
 * An entry of another log, a missing connection, a bad IP, port or time:
 * TY_ECORRUPT naming the byte offset.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/parser.h>
#include <tyto/time.h>

#include "parse/parse-gcp-audit-int.h"

struct gvf {
    struct ty_event ev;
};

struct ent {
    struct ty_parse_ctx *ctx;
    const struct ty_json_doc *d;
    struct ty_err *err;
    bool emit;
    unsigned n;
};

#define CORRUPT(...) ty_err_set(e->err, TY_ECORRUPT, __VA_ARGS__)

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

static uint64_t off_of(struct ent *e, uint32_t i)
{
    return (e->ctx->rec ? e->ctx->rec->offset : 0) + (i == TY_JSON_NONE ? 0 : e->d->toks[i].off);
}

static struct ty_str str_of(struct ent *e, uint32_t i)
{
    struct ty_str s = TY_STR_NULL;
    if (ty_json_type(e->d, i) != TY_JSON_STRING || ty_json_str(e->d, i, e->ctx->arena, &s) != 0)
        return TY_STR_NULL;
    return s;
}

/* An integer member (number or proto3 string) within [0, max]; absent is 1,
 * bad is -1. */
static int get_u(struct ent *e, uint32_t obj, const char *key, int64_t max, int64_t *out,
                 uint32_t *at)
{
    uint32_t i = ty_json_get(e->d, obj, key);
    *at = i == TY_JSON_NONE ? obj : i;
    if (i == TY_JSON_NONE || ty_json_type(e->d, i) == TY_JSON_NULL)
        return 1;
    if (ty_json_i64(e->d, i, out) != 0 || *out < 0 || *out > max)
        return -1;
    return 0;
}

static int get_time(struct ent *e, uint32_t obj, const char *key, int64_t *ns, int *prec,
                    struct ty_str *text, uint32_t *at)
{
    uint32_t i = ty_json_get(e->d, obj, key);
    *at = i == TY_JSON_NONE ? obj : i;
    if (i == TY_JSON_NONE)
        return 1;
    *text = str_of(e, i);
    if (!text->len || ty_time_parse_iso(*text, ns, prec, NULL) != 0)
        return -1;
    return 0;
}

static int entry(struct ent *e, uint32_t root)
{
    const struct ty_json_doc *d = e->d;
    struct ty_parse_ctx *ctx = e->ctx;
    uint32_t at;
    int rc;

    if (ty_json_type(d, root) != TY_JSON_OBJECT)
        return CORRUPT("offset %llu: a log entry is not a JSON object",
                       (unsigned long long)off_of(e, root));
    struct ty_str log = str_of(e, ty_json_get(d, root, "logName"));
    if (log.len && !has(log, "vpc_flows"))
        return CORRUPT("offset %llu: logName '%.*s' is not a VPC flow log",
                       (unsigned long long)off_of(e, ty_json_get(d, root, "logName")),
                       (int)(log.len > 80 ? 80 : log.len), log.p);
    uint32_t jp = ty_json_get(d, root, "jsonPayload");
    uint32_t conn = ty_json_get(d, jp, "connection");
    if (ty_json_type(d, conn) != TY_JSON_OBJECT)
        return CORRUPT("offset %llu: no jsonPayload.connection object",
                       (unsigned long long)off_of(e, jp == TY_JSON_NONE ? root : jp));

    struct ty_ip src, dst;
    uint32_t si = ty_json_get(d, conn, "src_ip"), di = ty_json_get(d, conn, "dest_ip");
    if (ty_ip_parse(str_of(e, si), &src) != 0)
        return CORRUPT("offset %llu: connection.src_ip is not an IP address",
                       (unsigned long long)off_of(e, si == TY_JSON_NONE ? conn : si));
    if (ty_ip_parse(str_of(e, di), &dst) != 0)
        return CORRUPT("offset %llu: connection.dest_ip is not an IP address",
                       (unsigned long long)off_of(e, di == TY_JSON_NONE ? conn : di));
    int64_t sport = 0, dport = 0, proto = 0, bytes = 0, pkts = 0, rtt = 0;
    int hs, hd, hp, hb, hk, hr;
    if ((hs = get_u(e, conn, "src_port", 65535, &sport, &at)) < 0 ||
        (hd = get_u(e, conn, "dest_port", 65535, &dport, &at)) < 0 ||
        (hp = get_u(e, conn, "protocol", 255, &proto, &at)) < 0)
        return CORRUPT("offset %llu: a connection port or protocol out of range or not a "
                       "number", (unsigned long long)off_of(e, at));
    if ((hb = get_u(e, jp, "bytes_sent", INT64_MAX, &bytes, &at)) < 0 ||
        (hk = get_u(e, jp, "packets_sent", INT64_MAX, &pkts, &at)) < 0 ||
        (hr = get_u(e, jp, "rtt_msec", INT64_MAX, &rtt, &at)) < 0)
        return CORRUPT("offset %llu: bytes_sent, packets_sent or rtt_msec is not a count",
                       (unsigned long long)off_of(e, at));

    int64_t t0 = 0, t1 = 0, tl = 0;
    int p0 = 0, p1 = 0, pl = 0, h0, h1, hl;
    struct ty_str x0 = TY_STR_NULL, x1 = TY_STR_NULL, xl = TY_STR_NULL;
    if ((h0 = get_time(e, jp, "start_time", &t0, &p0, &x0, &at)) < 0 ||
        (h1 = get_time(e, jp, "end_time", &t1, &p1, &x1, &at)) < 0 ||
        (hl = get_time(e, root, "timestamp", &tl, &pl, &xl, &at)) < 0)
        return CORRUPT("offset %llu: start_time, end_time or timestamp is not an RFC 3339 time",
                       (unsigned long long)off_of(e, at));
    if (h0 && h1 && hl)
        return CORRUPT("offset %llu: no start_time, end_time or timestamp",
                       (unsigned long long)off_of(e, root));

    struct ty_str reporter = str_of(e, ty_json_get(d, jp, "reporter"));
    bool rep_src = ty_str_eq_cstr(reporter, "SRC"), rep_dst = ty_str_eq_cstr(reporter, "DEST");
    if (reporter.len && !rep_src && !rep_dst)
        return CORRUPT("offset %llu: reporter '%.*s' is not SRC or DEST",
                       (unsigned long long)off_of(e, ty_json_get(d, jp, "reporter")),
                       (int)(reporter.len > 40 ? 40 : reporter.len), reporter.p);
    e->n++;
    if (!e->emit)
        return 0;

    struct gvf *g = ctx->priv;
    struct ty_event *ev = &g->ev;
    ty_event_clear(ev);
    if (!h0) {
        put_int(ev, TY_F_TS, t0);
        put_int(ev, TY_F_TS_PREC, p0);
        put_str(ev, TY_F_TIME_TEXT, x0);
    } else if (!h1) {
        put_int(ev, TY_F_TS, t1);
        put_int(ev, TY_F_TS_PREC, p1);
        put_str(ev, TY_F_TIME_TEXT, x1);
    } else {
        put_int(ev, TY_F_TS, tl);
        put_int(ev, TY_F_TS_PREC, pl);
        put_str(ev, TY_F_TIME_TEXT, xl);
    }
    if (!h1)
        put_int(ev, TY_F_TS_END, t1);
    put_str(ev, TY_F_CATEGORY, TY_STR_LIT("network_flow"));
    put_str(ev, TY_F_ACTION, TY_STR_LIT("flow"));
    put_str(ev, TY_F_PROVIDER, TY_STR_LIT("vpc-flow-logs"));
    put_str(ev, TY_F_CLOUD_PROVIDER, TY_STR_LIT("gcp"));
    put_str(ev, TY_F_VENDOR_ID, str_of(e, ty_json_get(d, root, "insertId")));
    ev->v[TY_F_SRC_IP].ip = src;
    ty_event_mark(ev, TY_F_SRC_IP);
    ev->v[TY_F_DST_IP].ip = dst;
    ty_event_mark(ev, TY_F_DST_IP);
    if (!hs)
        put_int(ev, TY_F_SRC_PORT, sport);
    if (!hd)
        put_int(ev, TY_F_DST_PORT, dport);
    if (!hp)
        put_int(ev, TY_F_NET_PROTO, proto);
    if (!hb)
        put_int(ev, TY_F_BYTES_OUT, bytes);
    if (!hk)
        put_int(ev, TY_F_PACKETS, pkts);
    if (rep_src || rep_dst)
        put_str(ev, TY_F_NET_DIRECTION, rep_src ? TY_STR_LIT("egress") : TY_STR_LIT("ingress"));

    /* the reporting side's VM, project, VPC and GKE pod */
    uint32_t inst = ty_json_get(d, jp, rep_src ? "src_instance" : "dest_instance");
    uint32_t vpc = ty_json_get(d, jp, rep_src ? "src_vpc" : "dest_vpc");
    uint32_t gke = ty_json_get(d, jp, rep_src ? "src_gke_details" : "dest_gke_details");
    uint32_t labels = ty_json_path(d, root, "resource.labels");
    if (rep_src || rep_dst) {
        put_str(ev, TY_F_HOST, str_of(e, ty_json_get(d, inst, "vm_name")));
        put_str(ev, TY_F_CLOUD_REGION, str_of(e, ty_json_get(d, inst, "region")));
        put_str(ev, TY_F_CLOUD_VPC, str_of(e, ty_json_get(d, vpc, "vpc_name")));
        put_str(ev, TY_F_K8S_CLUSTER, str_of(e, ty_json_path(d, gke, "cluster.cluster_name")));
        put_str(ev, TY_F_K8S_POD, str_of(e, ty_json_path(d, gke, "pod.pod_name")));
        put_str(ev, TY_F_K8S_NAMESPACE, str_of(e, ty_json_path(d, gke, "pod.pod_namespace")));
        put_str(ev, TY_F_CLOUD_ACCOUNT, str_of(e, ty_json_get(d, inst, "project_id")));
        if (!ty_event_has(ev, TY_F_CLOUD_ACCOUNT))
            put_str(ev, TY_F_CLOUD_ACCOUNT, str_of(e, ty_json_get(d, vpc, "project_id")));
    }
    if (!ty_event_has(ev, TY_F_CLOUD_ACCOUNT))
        put_str(ev, TY_F_CLOUD_ACCOUNT, str_of(e, ty_json_get(d, labels, "project_id")));

    /* the other side, for the human line */
    uint32_t oinst = ty_json_get(d, jp, rep_src ? "dest_instance" : "src_instance");
    struct ty_str other = str_of(e, ty_json_get(d, oinst, "vm_name"));
    struct ty_str m = TY_STR_NULL;
    const char *dir = rep_src ? "to vm " : "from vm ";
    if (other.len && !hr)
        m = ty_arena_printf(ctx->arena, "%s%.*s; rtt %lld ms", dir, (int)other.len, other.p,
                            (long long)rtt);
    else if (other.len)
        m = ty_arena_printf(ctx->arena, "%s%.*s", dir, (int)other.len, other.p);
    else if (!hr)
        m = ty_arena_printf(ctx->arena, "rtt %lld ms", (long long)rtt);
    if ((other.len || !hr) && !m.p)
        return ty_err_set(e->err, TY_ENOMEM, "out of memory");
    put_str(ev, TY_F_MESSAGE, m);
    rc = ty_parse_emit(ctx, ev);
    return rc < 0 ? rc : 0;
}

static int walk_all(struct ent *e)
{
    int rc;
    if (ty_json_type(e->d, 0) != TY_JSON_ARRAY)
        return entry(e, 0);
    for (uint32_t i = ty_json_first(e->d, 0); i != TY_JSON_NONE; i = ty_json_next(e->d, i))
        if ((rc = entry(e, i)) < 0)
            return rc;
    return 0;
}

static int gvf_record(struct ty_parse_ctx *ctx, const struct ty_record *rec, struct ty_err *err)
{
    struct ent e;
    int rc;
    if (!ctx->priv)
        return ty_err_set(err, TY_EINVAL, "gcp-vpcflow: record() before open()");
    if ((rc = ty_parse_json_record(ctx, rec, err)) != 0)
        return rc;
    memset(&e, 0, sizeof(e));
    e.ctx = ctx;
    e.d = ctx->json;
    e.err = err;
    if ((rc = walk_all(&e)) < 0)
        return rc;
    if (e.n == 0)
        return ty_err_set(err, TY_ECORRUPT, "offset %llu: an empty array, no log entry",
                          (unsigned long long)rec->offset);
    e.emit = true;
    rc = walk_all(&e);
    return rc < 0 ? rc : TY_OK;
}

/* ---- sniff and open ------------------------------------------------------- */

static int gvf_sniff(struct ty_str head)
{
    struct ty_str s = ty_parse_skip_ws(head);
    if (!s.len || (s.p[0] != '{' && s.p[0] != '['))
        return 0;
    bool payload = has(s, "\"connection\"") && ty_gcp_entry_has_key(s, "jsonPayload");
    if (payload && (has(s, "compute.googleapis.com%2Fvpc_flows") ||
                    has(s, "compute.googleapis.com/vpc_flows")))
        return 95;
    if (payload && has(s, "\"src_ip\"") && has(s, "\"dest_ip\"") && has(s, "\"reporter\""))
        return 85;
    return 0;
}

static int gvf_open(struct ty_parse_ctx *ctx, struct ty_err *err)
{
    struct gvf *g = calloc(1, sizeof(*g));
    struct ty_str s = ty_parse_skip_ws(ctx->head);
    if (!g)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    ctx->priv = g;
    ctx->frame.kind = TY_FRAME_JSON;
    ctx->frame.key = NULL;
    snprintf(ctx->shape, sizeof(ctx->shape), "%s", ty_gcp_entry_shape(s));
    return 0;
}

/* Flows are 5-tuples: Sigma's firewall category (src_ip, dst_ip, dst_port). */
static int gvf_taxonomy(const struct ty_event *ev)
{
    (void)ev;
    return TY_SCAT_FIREWALL;
}

const struct ty_parser ty_parser_gcp_vpcflow = {
    .abi = TY_PARSER_ABI,
    .name = "gcp-vpcflow",
    .desc = "Google Cloud VPC flow logs (LogEntry compute.googleapis.com/vpc_flows; GCS sink "
            "JSON lines, gcloud JSON arrays)",
    .sniffs = "JSON with jsonPayload.connection and logName .../vpc_flows (95), or "
              "src_ip/dest_ip/reporter (85)",
    .flags = TY_PARSER_F_JSON | TY_PARSER_F_EXACT_KEYS,
    .sniff = gvf_sniff,
    .open = gvf_open,
    .record = gvf_record,
    .close = ty_parse_free_priv,
    .logsource = {.product = "gcp", .service = "vpc_flow"},
    .taxonomy = gvf_taxonomy,
};
