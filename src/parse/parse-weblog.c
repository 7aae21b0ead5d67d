/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse-weblog.c - Apache httpd and nginx access logs: Common Log Format,
 * Combined, vhost_combined, and the same with extra trailing fields.
 *
 * Record format (one request per line, Apache mod_log_config / nginx
 * log_format):
 *   [%v[:%p] ]%h %l %u [%t] "%r" %>s %b[ "%{Referer}i" "%{User-agent}i"][ extra...]
 * e.g. 127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /a.gif HTTP/1.0" 200 2326
 * Time: "dd/Mon/yyyy:HH:MM:SS +hhmm", the offset converted to UTC. Values
 * are kept as written: Apache and nginx escape '"', '\' and control bytes
 * in %r and headers as \" \\ \xhh, and rules are written against that text.
 * Quirks handled: a leading vhost ("host:port", "-" for none), a remote
 * user with spaces ("john doe"), an extra "(...)" token after the client,
 * IPv6 clients, a quoted field before the request ("-" "GET ..."), a
 * request holding unescaped quotes (the request ends at the quote that is
 * followed by the 3-digit status), "-" for no bytes, referer and user agent
 * taken as the first two quoted fields after the size (unquoted extras such
 * as %D before them are skipped), and a junk request (TLS bytes sent to an
 * HTTP port) kept as the URI with no method.
 * Bad lines (no [time], a time that is not a date, no status, a quoted field
 * never closed): TY_ECORRUPT naming the byte offset in the line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/parser.h>
#include <tyto/time.h>

/* The parts of one line, as spans into it. */
struct wl {
    struct ty_str vhost, vport, host, ident, user, time, request, method, uri, path, query,
        version, status, bytes, referer, agent;
    int64_t ts;
    int status_num;
};

#define MAX_PREFIX 8

static bool dash(struct ty_str s)
{
    return !s.len || (s.len == 1 && s.p[0] == '-');
}

static bool is_ip(struct ty_str s)
{
    struct ty_ip ip;
    return s.len && ty_ip_parse(s, &ip) == 0;
}

static int month_of(const char *p)
{
    static const char m[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    for (int i = 0; i < 12; i++)
        if (memcmp(m + 3 * i, p, 3) == 0)
            return i + 1;
    return 0;
}

static int num(const char *p, int n)
{
    int v = 0;
    if (n > 9)
        return -1;
    for (int i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return -1;
        v = v * 10 + (p[i] - '0');
    }
    return v;
}

/* "10/Oct/2000:13:55:36 -0700" */
static int parse_clf_time(struct ty_str s, int64_t *ns)
{
    const char *p = s.p;
    if (s.len != 26 || p[2] != '/' || p[6] != '/' || p[11] != ':' || p[14] != ':' ||
        p[17] != ':' || p[20] != ' ' || (p[21] != '+' && p[21] != '-'))
        return -1;
    int d = num(p, 2), mo = month_of(p + 3), y = num(p + 7, 4), h = num(p + 12, 2),
        mi = num(p + 15, 2), se = num(p + 18, 2), oh = num(p + 22, 2), om = num(p + 24, 2);
    if (d < 1 || d > 31 || !mo || y < 1900 || y > 2261 || h < 0 || h > 23 || mi < 0 ||
        mi > 59 || se < 0 || se > 60 || oh < 0 || oh > 23 || om < 0 || om > 59)
        return -1;
    int64_t off = (int64_t)(oh * 3600 + om * 60) * (p[21] == '-' ? -1 : 1);
    int64_t secs = ty_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 +
                   mi * 60 + se - off;
    *ns = secs * TY_NS_PER_SEC;
    return 0;
}

/* The end of a quoted field starting at p (just after its opening quote):
 * the next '"' not escaped by '\'. NULL when never closed. */
static const char *close_quote(const char *p, const char *end)
{
    while (p < end) {
        if (*p == '\\' && p + 1 < end) {
            p += 2;
            continue;
        }
        if (*p == '"')
            return p;
        p++;
    }
    return NULL;
}

static bool status_at(const char *p, const char *end)
{
    return end - p >= 4 && p[0] == ' ' && p[1] >= '1' && p[1] <= '9' && p[2] >= '0' &&
           p[2] <= '9' && p[3] >= '0' && p[3] <= '9' && (end - p == 4 || p[4] == ' ');
}

static void split_request(struct wl *w)
{
    struct ty_str r = w->request;
    if (dash(r))
        return;
    ptrdiff_t sp = ty_str_chr(r, ' ');
    bool method_ok = sp > 0 && sp <= 20;
    for (ptrdiff_t i = 0; method_ok && i < sp; i++)
        method_ok = (r.p[i] >= 'A' && r.p[i] <= 'Z') || r.p[i] == '-' || r.p[i] == '_';
    if (!method_ok) {
        w->uri = r; /* not an HTTP request line: kept whole */
        w->path = r;
        return;
    }
    w->method = ty_str_make(r.p, (size_t)sp);
    struct ty_str rest = ty_str_make(r.p + sp + 1, r.len - (size_t)sp - 1);
    const char *v = NULL;
    for (size_t i = rest.len; i > 0; i--)
        if (rest.p[i - 1] == ' ') {
            v = rest.p + i;
            break;
        }
    if (v && rest.p + rest.len - v >= 5 && memcmp(v, "HTTP/", 5) == 0) {
        w->version = ty_str_make(v, (size_t)(rest.p + rest.len - v));
        rest.len = (size_t)(v - 1 - rest.p);
    }
    w->uri = rest;
    ptrdiff_t q = ty_str_chr(rest, '?');
    w->path = q >= 0 ? ty_str_make(rest.p, (size_t)q) : rest;
    if (q >= 0)
        w->query = ty_str_make(rest.p + q + 1, rest.len - (size_t)q - 1);
}

static int parse_line(struct ty_str line, struct wl *w, char *why, size_t why_len)
{
    const char *s = line.p, *p = line.p, *end = line.p + line.len;
    struct ty_str tok[MAX_PREFIX];
    unsigned n = 0;

    memset(w, 0, sizeof(*w));
    while (end > p && (end[-1] == '\r' || end[-1] == ' '))
        end--;
    /* prefix tokens up to the [time] */
    for (;;) {
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        if (p == end) {
            snprintf(why, why_len, "byte %zu: no [time] field", (size_t)(p - s));
            return -1;
        }
        if (*p == '[')
            break;
        if (n == MAX_PREFIX) {
            snprintf(why, why_len, "byte %zu: no [time] within the first %d fields",
                     (size_t)(p - s), MAX_PREFIX);
            return -1;
        }
        const char *q = p;
        while (q < end && *q != ' ' && *q != '\t')
            q++;
        tok[n++] = ty_str_make(p, (size_t)(q - p));
        p = q;
    }
    if (n < 3) {
        snprintf(why, why_len, "byte %zu: %u field%s before the [time], expected host ident "
                 "user", (size_t)(p - s), n, n == 1 ? "" : "s");
        return -1;
    }
    unsigned h = 0;
    if (n >= 4 && !is_ip(tok[0]) && (is_ip(tok[1]) || n == 4))
        h = 1; /* vhost first */
    if (h) {
        struct ty_str v = tok[0];
        ptrdiff_t c = -1;
        for (size_t i = v.len; i > 0; i--)
            if (v.p[i - 1] == ':') {
                c = (ptrdiff_t)i - 1;
                break;
            }
        if (c > 0 && v.len - (size_t)c - 1 <= 5 && v.len - (size_t)c - 1 > 0 &&
            num(v.p + c + 1, (int)(v.len - (size_t)c - 1)) >= 0 && v.p[0] != '[' &&
            memchr(v.p, ':', (size_t)c) == NULL) {
            w->vport = ty_str_make(v.p + c + 1, v.len - (size_t)c - 1);
            v.len = (size_t)c;
        }
        if (!dash(v))
            w->vhost = v;
    }
    w->host = tok[h];
    unsigned i = h + 1;
    if (n - i == 3 && tok[i].len && tok[i].p[0] == '(')
        i++; /* "1.2.3.4 (-) - -" */
    w->ident = tok[i];
    if (i + 1 < n)
        w->user = ty_str_make(tok[i + 1].p, (size_t)(tok[n - 1].p + tok[n - 1].len -
                                                     tok[i + 1].p));
    /* [time] */
    const char *rb = memchr(p, ']', (size_t)(end - p));
    if (!rb) {
        snprintf(why, why_len, "byte %zu: '[' without ']'", (size_t)(p - s));
        return -1;
    }
    w->time = ty_str_make(p + 1, (size_t)(rb - p - 1));
    if (parse_clf_time(w->time, &w->ts) != 0) {
        snprintf(why, why_len, "byte %zu: time '%.*s' is not dd/Mon/yyyy:hh:mm:ss +hhmm",
                 (size_t)(p + 1 - s), (int)(w->time.len > 40 ? 40 : w->time.len), w->time.p);
        return -1;
    }
    p = rb + 1;
    while (p < end && *p == ' ')
        p++;
    if (p == end || *p != '"') {
        snprintf(why, why_len, "byte %zu: no quoted request after the time", (size_t)(p - s));
        return -1;
    }
    /* the request ends at the '"' followed by " NNN" (status) */
    const char *rq = p + 1, *re = NULL;
    for (const char *x = rq; x < end; x++) {
        x = memchr(x, '"', (size_t)(end - x));
        if (!x)
            break;
        if (status_at(x + 1, end)) {
            re = x;
            break;
        }
    }
    if (!re) {
        snprintf(why, why_len, "byte %zu: request not closed by '\" STATUS'", (size_t)(p - s));
        return -1;
    }
    /* "-" "GET / HTTP/1.1": a quoted field before the request */
    for (const char *x = rq; x + 2 < re; x++) {
        if (x[0] == '"' && x[1] == ' ' && x[2] == '"') {
            if (!memchr(rq, ' ', (size_t)(x - rq)))
                rq = x + 3;
            break;
        }
    }
    w->request = ty_str_make(rq, (size_t)(re - rq));
    split_request(w);
    p = re + 2;
    w->status = ty_str_make(p, 3);
    w->status_num = num(p, 3);
    p += 3;
    while (p < end && *p == ' ')
        p++;
    if (p < end) {
        const char *q = p;
        while (q < end && *q != ' ')
            q++;
        struct ty_str b = ty_str_make(p, (size_t)(q - p));
        int64_t bn;
        if (!dash(b) && (ty_str_to_i64(b, &bn) != 0 || bn < 0)) {
            snprintf(why, why_len, "byte %zu: response size '%.*s' is not a number or '-'",
                     (size_t)(p - s), (int)(b.len > 20 ? 20 : b.len), b.p);
            return -1;
        }
        w->bytes = b;
        p = q;
    }
    /* referer and user agent: the first two quoted fields */
    int nq = 0;
    while (p < end && nq < 2) {
        while (p < end && *p == ' ')
            p++;
        if (p == end)
            break;
        if (*p != '"') {
            if (nq)
                break; /* unquoted extras after the referer */
            while (p < end && *p != ' ')
                p++;
            continue;
        }
        const char *c = close_quote(p + 1, end);
        if (!c) {
            snprintf(why, why_len, "byte %zu: quoted field not closed", (size_t)(p - s));
            return -1;
        }
        struct ty_str f = ty_str_make(p + 1, (size_t)(c - p - 1));
        if (nq++ == 0)
            w->referer = f;
        else
            w->agent = f;
        p = c + 1;
    }
    return 0;
}

/* ---- record ---------------------------------------------------------------- */

struct weblog {
    struct ty_event ev;
};

static int wl_record(struct ty_parse_ctx *ctx, const struct ty_record *rec, struct ty_err *err)
{
    struct weblog *g = ctx->priv;
    struct wl w;
    char why[128];
    int rc;

    if (!g)
        return ty_err_set(err, TY_EINVAL, "weblog: record() before open()");
    struct ty_str line = ty_str_make(rec->p, rec->len);
    if (parse_line(line, &w, why, sizeof(why)) != 0)
        return ty_err_set(err, TY_ECORRUPT, "%s", why);
    const char *nl = memchr(line.p, '\n', line.len);
    if (nl)
        return ty_err_set(err, TY_ECORRUPT, "byte %zu: a line break inside the record",
                          (size_t)(nl - line.p));

    struct ty_event *ev = &g->ev;
    ty_event_clear(ev);
    ty_event_set_int(ev, TY_F_TS, w.ts);
    ty_event_set_int(ev, TY_F_TS_PREC, 0);
    ty_event_set_str(ev, TY_F_TIME_TEXT, w.time);
    ty_event_set_str(ev, TY_F_CATEGORY, TY_STR_LIT("web"));
    ty_event_set_str(ev, TY_F_ACTION, TY_STR_LIT("http_request"));
    ty_event_set_str(ev, TY_F_PROVIDER, TY_STR_LIT("http-access-log"));
    if (!dash(w.host))
        ty_event_set_addr(ev, TY_F_SRC_IP, TY_F_SRC_ADDR, w.host);
    if (!dash(w.user))
        ty_event_set_str(ev, TY_F_ACTOR, w.user);
    ty_event_set_str(ev, TY_F_HTTP_METHOD, w.method);
    ty_event_set_str(ev, TY_F_REQUEST_URI, w.uri);
    ty_event_set_str(ev, TY_F_DOMAIN, w.vhost);
    int64_t v;
    if (w.vport.len && ty_str_to_i64(w.vport, &v) == 0 && v <= 65535)
        ty_event_set_int(ev, TY_F_DST_PORT, v);
    ty_event_set_int(ev, TY_F_HTTP_STATUS, w.status_num);
    ty_event_set_str(ev, TY_F_STATUS_CODE, w.status);
    ty_event_set_str(ev, TY_F_OUTCOME, w.status_num < 400 ? TY_STR_LIT("success")
                                                          : TY_STR_LIT("failure"));
    if (!dash(w.bytes) && ty_str_to_i64(w.bytes, &v) == 0)
        ty_event_set_int(ev, TY_F_BYTES_OUT, v);
    if (!dash(w.agent))
        ty_event_set_str(ev, TY_F_USER_AGENT, w.agent);
    rc = ty_parse_emit(ctx, ev);
    return rc < 0 ? rc : TY_OK;
}

/* ---- sniff, open, views ---------------------------------------------------- */

static int wl_sniff(struct ty_str head)
{
    struct wl w;
    char why[128];
    struct ty_str l = ty_parse_first_line(head, 8192);
    if (!l.p || parse_line(l, &w, why, sizeof(why)) != 0)
        return 0;
    return w.method.len ? 85 : 70;
}

static int wl_open(struct ty_parse_ctx *ctx, struct ty_err *err)
{
    struct weblog *g = calloc(1, sizeof(*g));
    struct wl w;
    char why[128];
    if (!g)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    ctx->priv = g;
    ctx->frame.kind = TY_FRAME_LINES;
    ctx->frame.key = NULL;
    struct ty_str head = ty_parse_skip_ws(ctx->head);
    const char *nl = memchr(head.p, '\n', head.len);
    struct ty_str l = ty_str_make(head.p, nl ? (size_t)(nl - head.p) : head.len);
    if (parse_line(l, &w, why, sizeof(why)) == 0)
        snprintf(ctx->shape, sizeof(ctx->shape), "%s%s", w.vhost.len ? "vhost " : "",
                 w.agent.p ? "combined" : "common log format");
    else
        snprintf(ctx->shape, sizeof(ctx->shape), "access log (first line unreadable)");
    return 0;
}

static int wl_taxonomy(const struct ty_event *ev)
{
    (void)ev;
    return TY_SCAT_WEBSERVER;
}

static int kv_nz(ty_kv_fn kv, void *arg, const char *name, struct ty_str v)
{
    if (!v.p)
        return 0;
    return kv(arg, ty_str_cstr(name), v);
}

static int wl_fields(const struct ty_event *ev, ty_kv_fn kv, void *arg)
{
    struct wl w;
    char why[128];
    int rc = 0;
    if (parse_line(ev->raw, &w, why, sizeof(why)) != 0)
        return 0;
    struct ty_str none = TY_STR_NULL;
    if ((rc = kv_nz(kv, arg, "c-ip", w.host)) || (rc = kv_nz(kv, arg, "cs-ident", w.ident)) ||
        (rc = kv_nz(kv, arg, "cs-username", dash(w.user) ? none : w.user)) ||
        (rc = kv_nz(kv, arg, "date", w.time)) ||
        (rc = kv_nz(kv, arg, "cs-method", w.method)) ||
        (rc = kv_nz(kv, arg, "cs-uri", w.uri)) ||
        (rc = kv_nz(kv, arg, "cs-uri-stem", w.path)) ||
        (rc = kv_nz(kv, arg, "cs-uri-query", w.query)) ||
        (rc = kv_nz(kv, arg, "cs-version", w.version)) ||
        (rc = kv_nz(kv, arg, "request", w.request)) ||
        (rc = kv_nz(kv, arg, "sc-status", w.status)) ||
        (rc = kv_nz(kv, arg, "sc-bytes", dash(w.bytes) ? none : w.bytes)) ||
        (rc = kv_nz(kv, arg, "cs-referer", w.referer)) ||
        (rc = kv_nz(kv, arg, "referrer", w.referer)) ||
        (rc = kv_nz(kv, arg, "cs-user-agent", w.agent)) ||
        (rc = kv_nz(kv, arg, "cs-host", w.vhost)) || (rc = kv_nz(kv, arg, "s-port", w.vport)))
        return rc;
    return 0;
}

const struct ty_parser ty_parser_weblog = {
    .abi = TY_PARSER_ABI,
    .name = "weblog",
    .desc = "Apache/nginx access logs: common, combined, vhost and extra-field variants",
    .sniffs = "first line \"[vhost ]host ident user [dd/Mon/yyyy:hh:mm:ss +hhmm] \\\"request\\\" "
              "status\" (85, 70 without a method)",
    .flags = TY_PARSER_F_TEXT,
    .sniff = wl_sniff,
    .open = wl_open,
    .record = wl_record,
    .close = ty_parse_free_priv,
    .logsource = {NULL, NULL, "webserver"},
    .taxonomy = wl_taxonomy,
    .fields = wl_fields,
};
