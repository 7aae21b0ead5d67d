/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse-prometheus.c - Prometheus HTTP API answers saved as evidence (curl
 * .../api/v1/query_range or /api/v1/query > file.json): what a workload
 * consumed around the incident (memory, CPU, network).
 *
 * Record format: {"status":"success","data":{"resultType":"matrix",
 * "result":[{"metric":{"__name__":..., label: value...},"values":[[<unix
 * seconds>,"<value>"],...]}]}}; "vector" results carry "value":[ts,"v"],
 * "scalar" and "string" results are [ts,"v"] themselves; "status":"error"
 * carries errorType and error; "warnings"/"infos" may follow. The whole
 * answer is one record (JSON framing, bounded by max_record); each series
 * gives one event, its raw record the series object (offset and line its
 * own): action = the metric name (__name__; "prometheus-series" without),
 * time = the time of the series' maximum, ts_end = its last sample, message
 * = labels, sample count, first/min/max/last values and times; counters
 * (_total) get their mean rate instead of a spike test; gauges whose
 * maximum is at least twice their first value get disposition "spike".
 * Labels: namespace (kubernetes_namespace, exported_namespace) ->
 * k8s_namespace, pod (pod_name, kubernetes_pod_name) -> k8s_pod, container
 * (container_name; not "POD") -> container_name, node
 * (kubernetes_io_hostname) -> k8s_node, image -> container_image, instance
 * -> host, the cgroup path in "id" (.../<64 hex> or docker-/cri-containerd-/
 * crio-<64 hex>.scope) -> container_id. NaN and ±Inf samples are counted,
 * not compared. An empty result is one event "prometheus-empty-result".
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/parser.h>
#include <tyto/time.h>

#include "parse-k8s-inventory-int.h"

static int prom_sniff(struct ty_str head)
{
    head = ty_parse_skip_ws(head);
    if (!head.len || head.p[0] != '{')
        return 0;
    struct ty_str st = ty__json_head_str(head, "status");
    if (ty_str_eq_cstr(st, "success") && ty__json_head_str(head, "resultType").p &&
        ty__json_head_str(head, "data").p)
        return 90;
    if (ty_str_eq_cstr(st, "error") && ty__json_head_str(head, "errorType").p)
        return 80;
    return 0;
}

static int prom_open(struct ty_parse_ctx *ctx, struct ty_err *err)
{
    (void)err;
    struct ty_str rt = ty__json_head_str(ty_parse_skip_ws(ctx->head), "resultType");
    ctx->frame.kind = TY_FRAME_JSON;
    ctx->frame.key = NULL;
    snprintf(ctx->shape, sizeof(ctx->shape), "Prometheus API %.*s",
             (int)(rt.len > 20 ? 20 : rt.len), rt.len ? rt.p : "answer");
    return 0;
}

/* A sample [ts, "v"]: time in ns and value; returns false when malformed. */
static bool sample(const struct ty_json_doc *d, uint32_t arr, int64_t *ns, double *v)
{
    if (ty_json_type(d, arr) != TY_JSON_ARRAY || ty_json_tok(d, arr)->count != 2)
        return false;
    uint32_t t = ty_json_first(d, arr), x = ty_json_next(d, t);
    int type = ty_json_type(d, t);
    if ((type != TY_JSON_NUMBER && type != TY_JSON_STRING) ||
        ty_time_parse_epoch(ty_json_raw(d, t), ns, NULL) != 0)
        return false;
    if (ty_json_type(d, x) != TY_JSON_STRING)
        return false;
    char b[64];
    struct ty_str r = ty_json_raw(d, x);
    if (!r.len || r.len >= sizeof(b))
        return false;
    memcpy(b, r.p, r.len);
    b[r.len] = '\0';
    char *e;
    *v = strtod(b, &e);
    return *e == '\0';
}

struct stats {
    unsigned n, odd; /* samples, NaN/Inf among them */
    int64_t t0, t1, tmin, tmax;
    double v0, v1, min, max;
};

static void stats_add(struct stats *s, int64_t t, double v)
{
    s->n++;
    if (isnan(v) || isinf(v)) {
        s->odd++;
        return;
    }
    if (s->n - s->odd == 1) {
        s->t0 = s->tmin = s->tmax = t;
        s->v0 = s->min = s->max = v;
    }
    if (v < s->min) {
        s->min = v;
        s->tmin = t;
    }
    if (v > s->max) {
        s->max = v;
        s->tmax = t;
    }
    s->t1 = t;
    s->v1 = v;
}

static struct ty_str label(struct ty_parse_ctx *ctx, uint32_t metric, const char *const *keys)
{
    for (size_t i = 0; keys[i]; i++) {
        struct ty_str s = TY_STR_NULL;
        uint32_t v = ty_json_get(ctx->json, metric, keys[i]);
        if (ty_json_type(ctx->json, v) == TY_JSON_STRING &&
            ty_json_str(ctx->json, v, ctx->arena, &s) == 0 && s.len)
            return s;
    }
    return TY_STR_NULL;
}

/* The container id at the end of a cgroup path label. */
static struct ty_str cgroup_id(struct ty_str id)
{
    size_t b = id.len;
    if (!id.p)
        return TY_STR_NULL;
    while (b > 0 && id.p[b - 1] != '/')
        b--;
    struct ty_str last = ty_str_make(id.p + b, id.len - b);
    if (ty_str_ends(last, ".scope"))
        last.len -= 6;
    static const char *const pre[] = {"docker-", "cri-containerd-", "crio-", "libpod-"};
    for (size_t i = 0; i < sizeof(pre) / sizeof(pre[0]); i++)
        if (ty_str_starts(last, pre[i])) {
            size_t n = strlen(pre[i]);
            last = ty_str_make(last.p + n, last.len - n);
        }
    if (last.len != 64)
        return TY_STR_NULL;
    for (size_t i = 0; i < 64; i++)
        if (!((last.p[i] >= '0' && last.p[i] <= '9') || (last.p[i] >= 'a' && last.p[i] <= 'f')))
            return TY_STR_NULL;
    return last;
}

static void fmt_val(char *b, size_t n, double v, bool bytes)
{
    if (bytes && fabs(v) >= 1024.0 * 1024.0)
        snprintf(b, n, "%.6g (%.2f %s)", v,
                 fabs(v) >= 1073741824.0 ? v / 1073741824.0 : v / 1048576.0,
                 fabs(v) >= 1073741824.0 ? "GiB" : "MiB");
    else
        snprintf(b, n, "%.6g", v);
}

/* Lines counted so far in a record: series come in order, each counted once. */
struct linepos {
    const char *at;
    uint64_t lines;
};

static int emit_series(struct ty_parse_ctx *ctx, const struct ty_record *rec, uint32_t series,
                       uint32_t metric, const struct stats *s, struct linepos *lp,
                       struct ty_err *err)
{
    const struct ty_json_doc *d = ctx->json;
    struct ty_event ev;
    static const char *const k_ns[] = {"namespace", "kubernetes_namespace",
                                       "exported_namespace", NULL};
    static const char *const k_pod[] = {"pod", "pod_name", "kubernetes_pod_name", NULL};
    static const char *const k_ctr[] = {"container", "container_name", NULL};
    static const char *const k_node[] = {"node", "kubernetes_io_hostname", NULL};
    static const char *const k_img[] = {"image", NULL};
    static const char *const k_inst[] = {"instance", NULL};
    static const char *const k_id[] = {"id", NULL};
    static const char *const k_name[] = {"__name__", NULL};
    memset(&ev, 0, sizeof(ev));
    struct ty_str name = label(ctx, metric, k_name);
    bool counter = ty_str_ends(name, "_total");
    bool bytes = ty_str_ends(name, "_bytes");
    int64_t when = s->n > s->odd ? s->tmax : ctx->file_mtime;
    ty_event_set_int(&ev, TY_F_TS, when);
    if (s->n > s->odd && s->t1 != s->tmax)
        ty_event_set_int(&ev, TY_F_TS_END, s->t1);
    ty_event_set_str(&ev, TY_F_CATEGORY, TY_STR_LIT("metric"));
    ty_event_set_str(&ev, TY_F_ACTION, name.len ? name : TY_STR_LIT("prometheus-series"));
    ty_event_set_str(&ev, TY_F_PROVIDER, TY_STR_LIT("prometheus"));
    ty_event_set_str(&ev, TY_F_K8S_NAMESPACE, label(ctx, metric, k_ns));
    ty_event_set_str(&ev, TY_F_K8S_POD, label(ctx, metric, k_pod));
    struct ty_str ctr = label(ctx, metric, k_ctr);
    if (!ty_str_eq_cstr(ctr, "POD"))
        ty_event_set_str(&ev, TY_F_CONTAINER_NAME, ctr);
    ty_event_set_str(&ev, TY_F_K8S_NODE, label(ctx, metric, k_node));
    ty_event_set_str(&ev, TY_F_CONTAINER_IMAGE, label(ctx, metric, k_img));
    ty_event_set_str(&ev, TY_F_HOST, label(ctx, metric, k_inst));
    ty_event_set_str(&ev, TY_F_CONTAINER_ID, cgroup_id(label(ctx, metric, k_id)));

    /* the message: {labels} then the figures */
    struct ty_buf m;
    int rc = 0;
    ty_buf_init(&m, 4096);
    rc |= ty_buf_addstr(&m, name.len ? name : TY_STR_LIT("series"));
    rc |= ty_buf_addc(&m, '{');
    unsigned nl = 0;
    for (uint32_t k = ty_json_first(d, metric); k != TY_JSON_NONE; k = ty_json_next_member(d, k)) {
        struct ty_str kn = ty_json_raw(d, k), kv = ty_json_raw(d, k + 1);
        if (ty_str_eq_cstr(kn, "__name__") || ty_json_type(d, k + 1) != TY_JSON_STRING)
            continue;
        rc |= ty_buf_addf(&m, "%s%.*s=\"%.*s\"", nl++ ? "," : "", (int)kn.len, kn.p,
                          (int)(kv.len > 160 ? 160 : kv.len), kv.p);
    }
    rc |= ty_buf_addc(&m, '}');
    char t0[32], t1[32], tx[32], a[64], b[64], c[64];
    if (s->n == s->odd) {
        rc |= ty_buf_addf(&m, ": %u samples, none a number (time: %s)", s->n,
                          ctx->file_mtime ? "the file's mtime" : "unknown");
    } else {
        ty_time_format(s->t0, 0, t0);
        ty_time_format(s->t1, 0, t1);
        ty_time_format(s->tmax, 0, tx);
        fmt_val(a, sizeof(a), s->max, bytes);
        rc |= ty_buf_addf(&m, ": %u samples from %s to %s; max %s at %s", s->n, t0, t1, a, tx);
        fmt_val(a, sizeof(a), s->min, bytes);
        fmt_val(b, sizeof(b), s->v0, bytes);
        fmt_val(c, sizeof(c), s->v1, bytes);
        rc |= ty_buf_addf(&m, ", min %s, first %s, last %s", a, b, c);
        if (s->odd)
            rc |= ty_buf_addf(&m, ", %u NaN/Inf", s->odd);
        if (counter && s->t1 > s->t0)
            rc |= ty_buf_addf(&m, ", mean rate %.6g/s",
                              (s->v1 - s->v0) / ((double)(s->t1 - s->t0) / 1e9));
        else if (!counter && s->n - s->odd >= 3 && s->max > 0 && s->max >= 2 * s->v0 &&
                 s->v0 >= 0) {
            rc |= ty_buf_addf(&m, "; spike: max is %.1fx the first value",
                              s->v0 > 0 ? s->max / s->v0 : INFINITY);
            ty_event_set_str(&ev, TY_F_DISPOSITION, TY_STR_LIT("spike"));
        }
    }
    struct ty_str ms = rc ? TY_STR_NULL : ty_arena_str(ctx->arena, ty_buf_str(&m));
    ty_buf_release(&m);
    if (!ms.p)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    ty_event_set_str(&ev, TY_F_MESSAGE, ms);
    /* provenance: the series object itself */
    if (series != TY_JSON_NONE && lp) {
        struct ty_str raw = ty_json_raw(d, series);
        for (const char *q = lp->at; q && q < raw.p;) {
            q = memchr(q, '\n', (size_t)(raw.p - q));
            if (!q)
                break;
            lp->lines++;
            q++;
        }
        lp->at = raw.p;
        ev.raw = raw;
        ev.offset = rec->offset + (uint64_t)(raw.p - rec->p);
        ev.line = rec->line + lp->lines;
    }
    rc = ty_parse_emit(ctx, &ev);
    return rc < 0 ? rc : TY_OK;
}

static int emit_note(struct ty_parse_ctx *ctx, const char *action, struct ty_str msg,
                     struct ty_err *err)
{
    struct ty_event ev;
    memset(&ev, 0, sizeof(ev));
    ty_event_set_int(&ev, TY_F_TS, ctx->file_mtime);
    ty_event_set_str(&ev, TY_F_CATEGORY, TY_STR_LIT("metric"));
    ty_event_set_str(&ev, TY_F_ACTION, ty_str_cstr(action));
    ty_event_set_str(&ev, TY_F_PROVIDER, TY_STR_LIT("prometheus"));
    struct ty_str m = ty_arena_printf(ctx->arena, "%.*s (time: %s)", (int)msg.len, msg.p,
                                      ctx->file_mtime ? "the file's mtime" : "unknown");
    if (!m.p)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    ty_event_set_str(&ev, TY_F_MESSAGE, m);
    int rc = ty_parse_emit(ctx, &ev);
    return rc < 0 ? rc : TY_OK;
}

static int prom_record(struct ty_parse_ctx *ctx, const struct ty_record *rec, struct ty_err *err)
{
    unsigned long long off = (unsigned long long)rec->offset;
    int rc = ty_parse_json_record(ctx, rec, err);
    if (rc)
        return rc;
    const struct ty_json_doc *d = ctx->json;
    struct ty_str st = ty_json_type(d, ty_json_get(d, 0, "status")) == TY_JSON_STRING
                           ? ty_json_raw(d, ty_json_get(d, 0, "status"))
                           : TY_STR_NULL;
    if (ty_str_eq_cstr(st, "error")) {
        struct ty_str et = TY_STR_NULL, e = TY_STR_NULL;
        (void)ty_json_str(d, ty_json_get(d, 0, "errorType"), ctx->arena, &et);
        (void)ty_json_str(d, ty_json_get(d, 0, "error"), ctx->arena, &e);
        struct ty_str m = ty_arena_printf(ctx->arena, "query failed: %.*s: %.*s", (int)et.len,
                                          et.p ? et.p : "?", (int)e.len, e.p ? e.p : "");
        return m.p ? emit_note(ctx, "prometheus-error", m, err)
                   : ty_err_set(err, TY_ENOMEM, "out of memory");
    }
    uint32_t data = ty_json_get(d, 0, "data");
    uint32_t rt = ty_json_get(d, data, "resultType"), res = ty_json_get(d, data, "result");
    if (!ty_str_eq_cstr(st, "success") || ty_json_type(d, rt) != TY_JSON_STRING)
        return ty_err_set(err, TY_ECORRUPT,
                          "Prometheus answer at byte %llu: no status success with "
                          "data.resultType",
                          off);
    struct ty_str type = ty_json_raw(d, rt);
    if (ty_str_eq_cstr(type, "scalar") || ty_str_eq_cstr(type, "string")) {
        struct stats s;
        int64_t t;
        double v = NAN;
        memset(&s, 0, sizeof(s));
        if (ty_json_type(d, res) != TY_JSON_ARRAY ||
            (!sample(d, res, &t, &v) && !ty_str_eq_cstr(type, "string")))
            return ty_err_set(err, TY_ECORRUPT,
                              "Prometheus %.*s at byte %llu: result is not [time, \"value\"]",
                              (int)type.len, type.p, off);
        if (ty_str_eq_cstr(type, "string"))
            return emit_note(ctx, "prometheus-string", ty_json_raw(d, res), err);
        stats_add(&s, t, v);
        return emit_series(ctx, rec, TY_JSON_NONE, TY_JSON_NONE, &s, NULL, err);
    }
    bool matrix = ty_str_eq_cstr(type, "matrix");
    if ((!matrix && !ty_str_eq_cstr(type, "vector")) || ty_json_type(d, res) != TY_JSON_ARRAY)
        return ty_err_set(err, TY_ECORRUPT,
                          "Prometheus answer at byte %llu: resultType \"%.*s\" with no result "
                          "array",
                          off, (int)(type.len > 20 ? 20 : type.len), type.p);
    /* check every series before emitting any (no event before an error) */
    for (uint32_t e = ty_json_first(d, res); e != TY_JSON_NONE; e = ty_json_next(d, e)) {
        uint32_t vals = ty_json_get(d, e, matrix ? "values" : "value");
        uint32_t hist = ty_json_get(d, e, matrix ? "histograms" : "histogram");
        if (ty_json_type(d, ty_json_get(d, e, "metric")) != TY_JSON_OBJECT ||
            (vals == TY_JSON_NONE && hist == TY_JSON_NONE))
            return ty_err_set(err, TY_ECORRUPT,
                              "Prometheus series at byte %llu: needs metric and %s",
                              off + ty_json_tok(d, e)->off, matrix ? "values" : "value");
        if (!matrix) {
            int64_t t;
            double v;
            if (vals != TY_JSON_NONE && !sample(d, vals, &t, &v))
                return ty_err_set(err, TY_ECORRUPT,
                                  "Prometheus sample at byte %llu: not [time, \"value\"]",
                                  off + ty_json_tok(d, vals)->off);
            continue;
        }
        if (vals != TY_JSON_NONE && ty_json_type(d, vals) != TY_JSON_ARRAY)
            return ty_err_set(err, TY_ECORRUPT, "Prometheus values at byte %llu: not an array",
                              off + ty_json_tok(d, vals)->off);
        for (uint32_t x = ty_json_first(d, vals); x != TY_JSON_NONE; x = ty_json_next(d, x)) {
            int64_t t;
            double v;
            if (!sample(d, x, &t, &v))
                return ty_err_set(err, TY_ECORRUPT,
                                  "Prometheus sample at byte %llu: not [time, \"value\"]",
                                  off + ty_json_tok(d, x)->off);
        }
    }
    unsigned n = 0;
    struct linepos lp = {rec->p, 0};
    for (uint32_t e = ty_json_first(d, res); e != TY_JSON_NONE; e = ty_json_next(d, e)) {
        struct stats s;
        memset(&s, 0, sizeof(s));
        uint32_t vals = ty_json_get(d, e, matrix ? "values" : "value");
        int64_t t;
        double v;
        if (!matrix) {
            if (sample(d, vals, &t, &v))
                stats_add(&s, t, v);
        } else {
            for (uint32_t x = ty_json_first(d, vals); x != TY_JSON_NONE; x = ty_json_next(d, x))
                if (sample(d, x, &t, &v))
                    stats_add(&s, t, v);
        }
        if ((rc = emit_series(ctx, rec, e, ty_json_get(d, e, "metric"), &s, &lp, err)) < 0)
            return rc;
        n++;
    }
    if (!n)
        return emit_note(ctx, "prometheus-empty-result", TY_STR_LIT("the query matched no series"),
                         err);
    return TY_OK;
}

const struct ty_parser ty_parser_prometheus = {
    .abi = TY_PARSER_ABI,
    .name = "prometheus",
    .desc = "Prometheus HTTP API answers (query_range matrix, query vector): one event per "
            "series with its first/min/max/last values, pod and container from the labels",
    .sniffs = "a JSON object with \"status\":\"success\", data and resultType (90); "
              "\"status\":\"error\" with errorType (80)",
    .flags = TY_PARSER_F_JSON | TY_PARSER_F_EXACT_KEYS,
    .sniff = prom_sniff,
    .open = prom_open,
    .record = prom_record,
    .close = ty_parse_free_priv,
    .logsource = {"prometheus", "query", NULL},
};
