/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse-zeek.c - Zeek logs as evidence: conn, dns, http, ssl, files, notice,
 * x509 and weird (one parser each, so that Sigma sees logsource product
 * "zeek", service = the log's path) plus "zeek" for any other path.
 *
 * Record format (formats.md §6): the ASCII writer's TSV with a header
 * (#separator written as "\xHH" after a space, then #set_separator,
 * #empty_field, #unset_field, #path, #open, #fields, #types, #close, each
 * keyword followed by the separator), one record per line; or JSON lines
 * (LogAscii::use_json) with the flattened names ("id.orig_h") or the
 * JSON-streaming variant ("id_orig_h", "@stream", "@system"); ts as epoch
 * seconds, ISO 8601 text or epoch milliseconds. Also the rare tsv=T variant
 * (one plain line of field names, no # metadata).
 * Quirks handled: several header blocks in one file (concatenated or
 * restarted logs: the header is re-read each time); values escaped \xHH
 * (unescaped after splitting); a value equal to a marker has its first byte
 * escaped; unset "-" and empty "(empty)" markers as declared; sets and
 * vectors split on the set separator; Zeek < 5 files.log (tx_hosts/rx_hosts).
 * A data line before any #fields, or with a wrong column count: TY_ECORRUPT.
 * The stored raw record of a TSV line is the same record rendered as Zeek
 * JSON (the header gives the names; offset and line point at the TSV line),
 * so that rules and exports see named fields; JSON lines are kept as read.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/parser.h>
#include <tyto/time.h>

#include "parse/parse-zeek-int.h"

#define MAX_FIELDS 160
#define NAMES_MAX 8192

enum vtype { T_STR, T_NUM, T_BOOL, T_SET, T_TIME };

struct zeek {
    bool json;
    bool have_fields;
    char sep, set_sep;
    char empty[32], unset[32];
    char path[64];
    unsigned n_fields;
    uint16_t name_off[MAX_FIELDS];
    uint8_t types[MAX_FIELDS];
    char names[NAMES_MAX];
};

struct pair {
    struct ty_str name;
    struct ty_str val;   /* unescaped; sets joined with ',' */
    uint8_t type;
};

/* ---- header ---- */

static int hexv(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decode "\xHH" (or a literal char) into one byte. */
static char decode_char(struct ty_str s)
{
    if (s.len >= 4 && s.p[0] == '\\' && s.p[1] == 'x' && hexv(s.p[2]) >= 0 && hexv(s.p[3]) >= 0)
        return (char)(hexv(s.p[2]) * 16 + hexv(s.p[3]));
    return s.len ? s.p[0] : '\t';
}

static void copy_c(char *dst, size_t size, struct ty_str s)
{
    size_t n = s.len < size - 1 ? s.len : size - 1;
    if (n)
        memcpy(dst, s.p, n);
    dst[n] = 0;
}

static uint8_t type_of(struct ty_str t)
{
    if (ty_str_starts(t, "set[") || ty_str_starts(t, "vector["))
        return T_SET;
    if (ty_str_eq_cstr(t, "time"))
        return T_TIME;
    if (ty_str_eq_cstr(t, "count") || ty_str_eq_cstr(t, "int") || ty_str_eq_cstr(t, "double") ||
        ty_str_eq_cstr(t, "interval") || ty_str_eq_cstr(t, "port"))
        return T_NUM;
    if (ty_str_eq_cstr(t, "bool"))
        return T_BOOL;
    return T_STR;
}

/* Split s on sep into at most max spans. Returns the count (max + 1 when more). */
static unsigned split(struct ty_str s, char sep, struct ty_str *out, unsigned max)
{
    unsigned n = 0;
    const char *p = s.p, *end = s.p + s.len;
    for (;;) {
        const char *q = memchr(p, sep, (size_t)(end - p));
        if (n == max)
            return max + 1;
        out[n++] = ty_str_make(p, q ? (size_t)(q - p) : (size_t)(end - p));
        if (!q)
            return n;
        p = q + 1;
    }
}

static int set_fields(struct zeek *z, struct ty_str list, char sep, struct ty_err *err,
                      uint64_t off)
{
    struct ty_str t[MAX_FIELDS + 1];
    unsigned n = split(list, sep, t, MAX_FIELDS);
    if (n > MAX_FIELDS)
        return ty_err_set(err, TY_ECORRUPT, "byte %llu: more than %d fields",
                          (unsigned long long)off, MAX_FIELDS);
    size_t o = 0;
    for (unsigned i = 0; i < n; i++) {
        if (o + t[i].len + 1 > NAMES_MAX)
            return ty_err_set(err, TY_ECORRUPT, "byte %llu: field names too long",
                              (unsigned long long)off);
        memcpy(z->names + o, t[i].p, t[i].len);
        z->names[o + t[i].len] = 0;
        z->name_off[i] = (uint16_t)o;
        z->types[i] = T_STR;
        o += t[i].len + 1;
    }
    z->n_fields = n;
    z->have_fields = true;
    return TY_SKIP;
}

static int header(struct zeek *z, struct ty_str line, struct ty_err *err, uint64_t off)
{
    if (ty_str_starts(line, "#separator ")) {
        z->sep = decode_char(ty_str_make(line.p + 11, line.len - 11));
        return TY_SKIP;
    }
    const char *s = memchr(line.p, z->sep, line.len);
    struct ty_str key = ty_str_make(line.p, s ? (size_t)(s - line.p) : line.len);
    struct ty_str val = s ? ty_str_make(s + 1, line.len - (size_t)(s + 1 - line.p))
                          : ty_str_make("", 0);
    if (ty_str_eq_cstr(key, "#set_separator"))
        z->set_sep = decode_char(val);
    else if (ty_str_eq_cstr(key, "#empty_field"))
        copy_c(z->empty, sizeof(z->empty), val);
    else if (ty_str_eq_cstr(key, "#unset_field"))
        copy_c(z->unset, sizeof(z->unset), val);
    else if (ty_str_eq_cstr(key, "#path"))
        copy_c(z->path, sizeof(z->path), val);
    else if (ty_str_eq_cstr(key, "#fields"))
        return set_fields(z, val, z->sep, err, off);
    else if (ty_str_eq_cstr(key, "#types")) {
        struct ty_str t[MAX_FIELDS + 1];
        unsigned n = split(val, z->sep, t, MAX_FIELDS);
        for (unsigned i = 0; i < n && i < z->n_fields; i++)
            z->types[i] = type_of(t[i]);
    }
    return TY_SKIP;
}

/* ---- values ---- */

/* Unescape \xHH (TSV) into the arena when needed. */
static struct ty_str unescape(struct ty_arena *a, struct ty_str v)
{
    if (!memchr(v.p, '\\', v.len))
        return v;
    char *o = ty_arena_alloc(a, v.len + 1);
    if (!o)
        return v;
    size_t k = 0;
    for (size_t i = 0; i < v.len; i++) {
        if (v.p[i] == '\\' && i + 3 < v.len && v.p[i + 1] == 'x' && hexv(v.p[i + 2]) >= 0 &&
            hexv(v.p[i + 3]) >= 0) {
            o[k++] = (char)(hexv(v.p[i + 2]) * 16 + hexv(v.p[i + 3]));
            i += 3;
        } else {
            o[k++] = v.p[i];
        }
    }
    return ty_str_make(o, k);
}

static struct ty_str get(const struct pair *pr, unsigned n, const char *name)
{
    for (unsigned i = 0; i < n; i++)
        if (ty_str_eq_cstr(pr[i].name, name))
            return pr[i].val;
    return TY_STR_NULL;
}

static bool to_i64(struct ty_str s, int64_t *out)
{
    int64_t x = 0;
    size_t i = 0;
    bool neg = s.len && s.p[0] == '-';
    if (neg)
        i++;
    if (i == s.len)
        return false;
    for (; i < s.len; i++) {
        if (s.p[i] == '.')
            break;
        if (s.p[i] < '0' || s.p[i] > '9' || x > INT64_MAX / 10 - 10)
            return false;
        x = x * 10 + (s.p[i] - '0');
    }
    *out = neg ? -x : x;
    return true;
}

static bool parse_ts(struct ty_str s, int64_t *ns, int *prec)
{
    if (!s.len)
        return false;
    if (ty_time_parse_iso(s, ns, prec, NULL) == 0)
        return true;
    int64_t ms;
    /* LogAscii::json_timestamps=JSON::TS_MILLIS: integer milliseconds */
    if (s.len >= 12 && !memchr(s.p, '.', s.len) && to_i64(s, &ms) && ms < INT64_MAX / 1000000) {
        *ns = ms * 1000000;
        *prec = 3;
        return true;
    }
    return ty_time_parse_epoch(s, ns, prec) == 0;
}

static void put_ip(struct ty_event *ev, enum ty_field ipf, enum ty_field addrf, struct ty_str s)
{
    if (s.len)
        ty_event_set_addr(ev, ipf, addrf, s);
}

static void put_int(struct ty_event *ev, enum ty_field f, struct ty_str s)
{
    int64_t v;
    if (s.len && to_i64(s, &v))
        ty_event_set_int(ev, f, v);
}

static int proto_num(struct ty_str s)
{
    if (ty_str_eq_cstr(s, "tcp"))
        return 6;
    if (ty_str_eq_cstr(s, "udp"))
        return 17;
    if (ty_str_eq_cstr(s, "icmp"))
        return 1;
    return -1;
}

/* The normalised event from a record's pairs. */
static int map_event(struct ty_parse_ctx *ctx, struct ty_event *ev, const struct pair *pr,
                     unsigned n, const char *path, uint64_t offset, struct ty_err *err)
{
    struct ty_arena *a = ctx->arena;
    int64_t ts;
    int prec = 6;
    /* the event names its log (provider, action of other logs): keep the
     * name where the event's other strings live, not in the caller's frame */
    char *pcopy = ty_arena_memdup(a, path, strlen(path) + 1);
    if (!pcopy)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    path = pcopy;
    struct ty_str tss = get(pr, n, "ts");
    if (!tss.len)
        tss = get(pr, n, "@timestamp");
    if (!parse_ts(tss, &ts, &prec))
        return ty_err_set(err, TY_ECORRUPT, "byte %llu: bad or missing ts \"%.*s\"",
                          (unsigned long long)offset, (int)(tss.len > 40 ? 40 : tss.len),
                          tss.p ? tss.p : "");
    ty_event_set_int(ev, TY_F_TS, ts);
    ty_event_set_int(ev, TY_F_TS_PREC, prec);
    ty_event_set_str(ev, TY_F_TIME_TEXT, tss);
    ty_event_set_str(ev, TY_F_CATEGORY, TY_STR_LIT("network"));
    ty_event_set_str(ev, TY_F_PROVIDER, ty_str_cstr(path));
    ty_event_set_str(ev, TY_F_CORRELATION_ID, get(pr, n, "uid"));
    put_ip(ev, TY_F_SRC_IP, TY_F_SRC_ADDR, get(pr, n, "id.orig_h"));
    put_int(ev, TY_F_SRC_PORT, get(pr, n, "id.orig_p"));
    put_ip(ev, TY_F_DST_IP, TY_F_DST_ADDR, get(pr, n, "id.resp_h"));
    put_int(ev, TY_F_DST_PORT, get(pr, n, "id.resp_p"));
    struct ty_str proto = get(pr, n, "proto");
    if (proto_num(proto) > 0)
        ty_event_set_int(ev, TY_F_NET_PROTO, proto_num(proto));
    const char *action = path;
    const char *outcome = NULL;

    if (!strcmp(path, "conn")) {
        struct ty_str st = get(pr, n, "conn_state");
        action = "connection";
        ty_event_set_str(ev, TY_F_STATUS_CODE, st);
        ty_event_set_str(ev, TY_F_STATUS_DETAIL, get(pr, n, "history"));
        ty_event_set_str(ev, TY_F_TARGET, get(pr, n, "service"));
        put_int(ev, TY_F_BYTES_OUT, get(pr, n, "orig_bytes"));
        put_int(ev, TY_F_BYTES_IN, get(pr, n, "resp_bytes"));
        int64_t op = 0, rp = 0;
        bool h1 = to_i64(get(pr, n, "orig_pkts"), &op), h2 = to_i64(get(pr, n, "resp_pkts"), &rp);
        if (h1 || h2)
            ty_event_set_int(ev, TY_F_PACKETS, op + rp);
        struct ty_str dur = get(pr, n, "duration");
        int64_t dns_;
        int dp;
        if (dur.len && ty_time_parse_epoch(dur, &dns_, &dp) == 0)
            ty_event_set_int(ev, TY_F_TS_END, ts + dns_);
        if (st.len >= 2 && (ty_str_eq_cstr(st, "SF") || ty_str_eq_cstr(st, "S1") ||
                            ty_str_eq_cstr(st, "S2") || ty_str_eq_cstr(st, "S3") ||
                            ty_str_eq_cstr(st, "RSTO") || ty_str_eq_cstr(st, "RSTR")))
            outcome = "success";
        else if (ty_str_eq_cstr(st, "S0") || ty_str_eq_cstr(st, "REJ") ||
                 ty_str_eq_cstr(st, "RSTOS0") || ty_str_eq_cstr(st, "RSTRH") ||
                 ty_str_eq_cstr(st, "SH") || ty_str_eq_cstr(st, "SHR"))
            outcome = "failure";
    } else if (!strcmp(path, "dns")) {
        struct ty_str qn = get(pr, n, "query"), rc = get(pr, n, "rcode_name");
        action = "dns_query";
        ty_event_set_str(ev, TY_F_DOMAIN, qn);
        ty_event_set_str(ev, TY_F_TARGET, qn);
        ty_event_set_str(ev, TY_F_TARGET_KIND, get(pr, n, "qtype_name"));
        ty_event_set_str(ev, TY_F_STATUS_CODE, rc);
        ty_event_set_str(ev, TY_F_MESSAGE, get(pr, n, "answers"));
        if (rc.len)
            outcome = ty_str_eq_cstr(rc, "NOERROR") ? "success" : "failure";
    } else if (!strcmp(path, "http")) {
        struct ty_str host = get(pr, n, "host"), uri = get(pr, n, "uri");
        action = "http_request";
        ty_event_set_str(ev, TY_F_HTTP_METHOD, get(pr, n, "method"));
        ty_event_set_str(ev, TY_F_DOMAIN, host);
        ty_event_set_str(ev, TY_F_REQUEST_URI, uri);
        if (host.len || uri.len)
            ty_event_set_str(ev, TY_F_URL,
                             ty_arena_printf(a, "http://%.*s%.*s", (int)host.len,
                                             host.p ? host.p : "", (int)uri.len,
                                             uri.p ? uri.p : ""));
        ty_event_set_str(ev, TY_F_USER_AGENT, get(pr, n, "user_agent"));
        ty_event_set_str(ev, TY_F_ACTOR, get(pr, n, "username"));
        put_int(ev, TY_F_BYTES_OUT, get(pr, n, "request_body_len"));
        put_int(ev, TY_F_BYTES_IN, get(pr, n, "response_body_len"));
        struct ty_str sc = get(pr, n, "status_code");
        int64_t code;
        if (sc.len && to_i64(sc, &code)) {
            ty_event_set_int(ev, TY_F_HTTP_STATUS, code);
            ty_event_set_str(ev, TY_F_STATUS_CODE, sc);
            outcome = code < 400 ? "success" : "failure";
        }
    } else if (!strcmp(path, "ssl")) {
        struct ty_str sni = get(pr, n, "server_name"), est = get(pr, n, "established");
        action = "tls_handshake";
        ty_event_set_str(ev, TY_F_DOMAIN, sni);
        ty_event_set_str(ev, TY_F_TARGET, sni);
        ty_event_set_str(ev, TY_F_STATUS_DETAIL, get(pr, n, "cipher"));
        ty_event_set_str(ev, TY_F_TARGET_KIND, get(pr, n, "version"));
        if (est.len)
            outcome = (ty_str_eq_cstr(est, "T") || ty_str_eq_cstr(est, "true")) ? "success"
                                                                                 : "failure";
    } else if (!strcmp(path, "files")) {
        struct ty_str h = get(pr, n, "sha256");
        action = "file_transfer";
        if (!h.len)
            h = get(pr, n, "sha1");
        if (!h.len)
            h = get(pr, n, "md5");
        ty_event_set_str(ev, TY_F_FILE_HASH, h);
        ty_event_set_str(ev, TY_F_FILE_PATH, get(pr, n, "filename"));
        ty_event_set_str(ev, TY_F_TARGET_KIND, get(pr, n, "mime_type"));
        ty_event_set_str(ev, TY_F_TARGET, get(pr, n, "source"));
        put_int(ev, TY_F_BYTES_IN, get(pr, n, "seen_bytes"));
        if (!ty_event_has(ev, TY_F_SRC_IP)) { /* Zeek < 5: tx_hosts / rx_hosts sets */
            struct ty_str tx = get(pr, n, "tx_hosts"), rx = get(pr, n, "rx_hosts");
            const char *c1 = memchr(tx.p ? tx.p : "", ',', tx.len);
            const char *c2 = memchr(rx.p ? rx.p : "", ',', rx.len);
            put_ip(ev, TY_F_SRC_IP, TY_F_SRC_ADDR,
                   ty_str_make(tx.p, c1 ? (size_t)(c1 - tx.p) : tx.len));
            put_ip(ev, TY_F_DST_IP, TY_F_DST_ADDR,
                   ty_str_make(rx.p, c2 ? (size_t)(c2 - rx.p) : rx.len));
        }
    } else if (!strcmp(path, "notice")) {
        struct ty_str note = get(pr, n, "note");
        action = "notice";
        ty_event_set_str(ev, TY_F_RULE, note);
        ty_event_set_str(ev, TY_F_MESSAGE, get(pr, n, "msg"));
        ty_event_set_str(ev, TY_F_STATUS_DETAIL, get(pr, n, "sub"));
        ty_event_set_str(ev, TY_F_SEVERITY, TY_STR_LIT("notice"));
        if (!ty_event_has(ev, TY_F_SRC_IP))
            put_ip(ev, TY_F_SRC_IP, TY_F_SRC_ADDR, get(pr, n, "src"));
        if (!ty_event_has(ev, TY_F_DST_IP))
            put_ip(ev, TY_F_DST_IP, TY_F_DST_ADDR, get(pr, n, "dst"));
        if (!ty_event_has(ev, TY_F_DST_PORT))
            put_int(ev, TY_F_DST_PORT, get(pr, n, "p"));
    } else if (!strcmp(path, "x509")) {
        action = "certificate";
        ty_event_set_str(ev, TY_F_TARGET, get(pr, n, "certificate.subject"));
        ty_event_set_str(ev, TY_F_ACTOR_ISSUER, get(pr, n, "certificate.issuer"));
        ty_event_set_str(ev, TY_F_DOMAIN, get(pr, n, "san.dns"));
        ty_event_set_str(ev, TY_F_VENDOR_ID, get(pr, n, "fingerprint"));
    } else if (!strcmp(path, "weird")) {
        action = "weird";
        ty_event_set_str(ev, TY_F_RULE, get(pr, n, "name"));
        ty_event_set_str(ev, TY_F_MESSAGE, get(pr, n, "addl"));
        ty_event_set_str(ev, TY_F_STATUS_DETAIL, get(pr, n, "source"));
    }
    ty_event_set_str(ev, TY_F_ACTION, ty_str_cstr(action));
    if (outcome)
        ty_event_set_str(ev, TY_F_OUTCOME, ty_str_cstr(outcome));
    return 0;
}

/* ---- JSON rendering of a TSV record ---- */

static void jput(char *o, size_t *k, const char *s, size_t n)
{
    memcpy(o + *k, s, n);
    *k += n;
}

static void jstr(char *o, size_t *k, struct ty_str s)
{
    static const char hex[] = "0123456789abcdef";
    o[(*k)++] = '"';
    for (size_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.p[i];
        if (c == '"' || c == '\\') {
            o[(*k)++] = '\\';
            o[(*k)++] = (char)c;
        } else if (c < 0x20 || c == 0x7f) {
            jput(o, k, "\\u00", 4);
            o[(*k)++] = hex[c >> 4];
            o[(*k)++] = hex[c & 15];
        } else {
            o[(*k)++] = (char)c;
        }
    }
    o[(*k)++] = '"';
}

static struct ty_str render_json(struct ty_arena *a, const struct zeek *z, const struct pair *pr,
                                 unsigned n)
{
    size_t cap = 16;
    for (unsigned i = 0; i < n; i++)
        cap += pr[i].name.len * 6 + pr[i].val.len * 8 + 16;
    char *o = ty_arena_alloc(a, cap);
    if (!o)
        return TY_STR_NULL;
    size_t k = 0;
    o[k++] = '{';
    bool first = true;
    for (unsigned i = 0; i < n; i++) {
        if (!pr[i].val.p) /* unset: omitted, as Zeek's JSON writer does */
            continue;
        if (!first)
            o[k++] = ',';
        first = false;
        jstr(o, &k, pr[i].name);
        o[k++] = ':';
        struct ty_str v = pr[i].val;
        switch (pr[i].type) {
        case T_NUM:
        case T_TIME: {
            bool num = v.len > 0;
            for (size_t j = 0; j < v.len; j++)
                num &= (v.p[j] >= '0' && v.p[j] <= '9') || v.p[j] == '.' || v.p[j] == '-' ||
                       v.p[j] == 'e' || v.p[j] == '+';
            if (num)
                jput(o, &k, v.p, v.len);
            else
                jstr(o, &k, v);
            break;
        }
        case T_BOOL:
            if (ty_str_eq_cstr(v, "T"))
                jput(o, &k, "true", 4);
            else if (ty_str_eq_cstr(v, "F"))
                jput(o, &k, "false", 5);
            else
                jstr(o, &k, v);
            break;
        case T_SET: {
            o[k++] = '[';
            const char *p = v.p, *end = v.p + v.len;
            bool f2 = true;
            while (v.len && p <= end) {
                const char *q = memchr(p, ',', (size_t)(end - p));
                size_t l = q ? (size_t)(q - p) : (size_t)(end - p);
                if (!f2)
                    o[k++] = ',';
                f2 = false;
                jstr(o, &k, ty_str_make(p, l));
                if (!q)
                    break;
                p = q + 1;
            }
            o[k++] = ']';
            break;
        }
        default:
            jstr(o, &k, v);
        }
    }
    o[k++] = '}';
    (void)z;
    return ty_str_make(o, k);
}

/* ---- records ---- */

static const char *guess_path(const struct pair *pr, unsigned n)
{
    static const struct {
        const char *key, *path;
    } keys[] = {{"conn_state", "conn"}, {"qtype_name", "dns"}, {"query", "dns"},
                {"method", "http"},     {"status_code", "http"}, {"cipher", "ssl"},
                {"server_name", "ssl"}, {"fuid", "files"},      {"note", "notice"},
                {"certificate.subject", "x509"}, {"addl", "weird"}};
    for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
        if (get(pr, n, keys[k].key).p)
            return keys[k].path;
    return "";
}

static struct ty_str canon_name(struct ty_arena *a, struct ty_str name)
{
    /* "id_orig_h" (JSON-streaming exports) -> "id.orig_h" */
    if (name.len > 3 && memcmp(name.p, "id_", 3) == 0) {
        char *o = ty_arena_memdup(a, name.p, name.len);
        if (o) {
            o[2] = '.';
            return ty_str_make(o, name.len);
        }
    }
    return name;
}

/* The event of one Zeek JSON record (path: the log's, or "" to read it from
 * _path/@stream or guess it from the keys). */
static int json_event(struct ty_parse_ctx *ctx, struct ty_str json, const char *zpath,
                      uint64_t offset, struct ty_event *ev, struct ty_err *err)
{
    struct ty_json_doc *d = ctx->json;
    struct pair pr[MAX_FIELDS];
    unsigned n = 0;
    if (ty_json_parse(d, json.p, json.len, err) != 0 || ty_json_type(d, 0) != TY_JSON_OBJECT)
        return ty_err_set(err, TY_ECORRUPT, "byte %llu: not a JSON object",
                          (unsigned long long)offset);
    char path[64] = "";
    for (uint32_t k = ty_json_first(d, 0); k != TY_JSON_NONE && n < MAX_FIELDS;
         k = ty_json_next_member(d, k)) {
        struct ty_str name, val = TY_STR_NULL;
        if (ty_json_str(d, k, ctx->arena, &name) != 0)
            continue;
        uint32_t v = k + 1;
        int t = ty_json_type(d, v);
        uint8_t vt = T_STR;
        if (t == TY_JSON_ARRAY) {
            vt = T_SET;
            char *buf = NULL;
            size_t bl = 0;
            for (uint32_t e = ty_json_first(d, v); e != TY_JSON_NONE; e = ty_json_next(d, e)) {
                struct ty_str s;
                if (ty_json_text(d, e, ctx->arena, &s) != 0)
                    continue;
                char *nb = ty_arena_alloc(ctx->arena, bl + s.len + 1);
                if (!nb)
                    break;
                if (bl)
                    memcpy(nb, buf, bl);
                if (bl)
                    nb[bl++] = ',';
                memcpy(nb + bl, s.p, s.len);
                bl += s.len;
                buf = nb;
            }
            val = ty_str_make(buf ? buf : "", bl);
        } else if (t == TY_JSON_NULL || t == TY_JSON_OBJECT) {
            continue;
        } else {
            if (t == TY_JSON_NUMBER)
                vt = T_NUM;
            if (ty_json_text(d, v, ctx->arena, &val) != 0)
                continue;
        }
        name = canon_name(ctx->arena, name);
        if (ty_str_eq_cstr(name, "_path") || ty_str_eq_cstr(name, "@stream"))
            copy_c(path, sizeof(path), val);
        pr[n].name = name;
        pr[n].val = val;
        pr[n].type = vt;
        n++;
    }
    if (!path[0])
        snprintf(path, sizeof(path), "%s", zpath[0] ? zpath : guess_path(pr, n));
    ty_event_clear(ev);
    return map_event(ctx, ev, pr, n, path, offset, err);
}

int ty__zeek_json_event(struct ty_parse_ctx *ctx, struct ty_str json, const char *path,
                        uint64_t offset, struct ty_event *ev, struct ty_err *err)
{
    return json_event(ctx, json, path, offset, ev, err);
}

static int json_record(struct ty_parse_ctx *ctx, struct zeek *z, const struct ty_record *rec,
                       struct ty_err *err)
{
    struct ty_event ev;
    int rc = json_event(ctx, ty_str_make(rec->p, rec->len), z->path, rec->offset, &ev, err);
    if (rc != 0)
        return rc;
    return ty_parse_emit(ctx, &ev);
}

static int zeek_record(struct ty_parse_ctx *ctx, const struct ty_record *rec, struct ty_err *err)
{
    struct zeek *z = ctx->priv;
    struct ty_str line = ty_str_make(rec->p, rec->len);
    if (line.len && line.p[line.len - 1] == '\r')
        line.len--;
    if (line.len == 0)
        return TY_SKIP;
    if (line.p[0] == '{')
        return json_record(ctx, z, rec, err);
    if (line.p[0] == '#')
        return header(z, line, err, rec->offset);
    if (!z->have_fields) {
        /* tsv=T: one plain line of names */
        if (ty_str_starts(line, "ts\t") || ty_str_starts(line, "ts,"))
            return set_fields(z, line, z->sep, err, rec->offset);
        return ty_err_set(err, TY_ECORRUPT, "byte %llu: data before any #fields header",
                          (unsigned long long)rec->offset);
    }
    struct ty_str cols[MAX_FIELDS + 1];
    unsigned n = split(line, z->sep, cols, MAX_FIELDS);
    if (n != z->n_fields)
        return ty_err_set(err, TY_ECORRUPT, "byte %llu: %u columns, the #fields header has %u",
                          (unsigned long long)rec->offset, n, z->n_fields);
    struct pair pr[MAX_FIELDS];
    for (unsigned i = 0; i < n; i++) {
        pr[i].name = ty_str_cstr(z->names + z->name_off[i]);
        pr[i].type = z->types[i];
        if (ty_str_eq_cstr(cols[i], z->unset))
            pr[i].val = TY_STR_NULL;
        else if (ty_str_eq_cstr(cols[i], z->empty))
            pr[i].val = ty_str_make("", 0);
        else
            pr[i].val = unescape(ctx->arena, cols[i]);
        if (pr[i].type == T_SET && z->set_sep != ',' && pr[i].val.len) {
            char *o = ty_arena_memdup(ctx->arena, pr[i].val.p, pr[i].val.len);
            if (o) {
                for (size_t k = 0; k < pr[i].val.len; k++)
                    if (o[k] == z->set_sep)
                        o[k] = ',';
                pr[i].val = ty_str_make(o, pr[i].val.len);
            }
        }
    }
    const char *path = z->path[0] ? z->path : guess_path(pr, n);
    struct ty_event ev;
    ty_event_clear(&ev);
    int rc = map_event(ctx, &ev, pr, n, path, rec->offset, err);
    if (rc != 0)
        return rc;
    ev.raw = render_json(ctx->arena, z, pr, n);
    return ty_parse_emit(ctx, &ev);
}

/* ---- sniffing ---- */

/* The log's path from the head of a stream ("" unknown), and whether it is Zeek. */
static bool head_path(struct ty_str head, char *path, size_t size)
{
    path[0] = 0;
    head = ty_parse_skip_ws(head);
    if (ty_str_starts(head, "#separator ")) {
        const char *p = head.p, *end = head.p + head.len;
        while (p < end) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
            if (l > 6 && memcmp(p, "#path", 5) == 0) {
                size_t k = 6;
                size_t m = l - k < size - 1 ? l - k : size - 1;
                memcpy(path, p + k, m);
                path[m] = 0;
                if (m && path[m - 1] == '\r')
                    path[m - 1] = 0;
                break;
            }
            if (!nl || (l && p[0] != '#'))
                break;
            p = nl + 1;
        }
        return true;
    }
    if (ty_str_starts(head, "ts\tuid\t")) {
        return true;
    }
    if (head.len < 2 || head.p[0] != '{')
        return false;
    const char *nl = memchr(head.p, '\n', head.len);
    struct ty_str l1 = ty_str_make(head.p, nl ? (size_t)(nl - head.p) : head.len);
    bool ts = false, id = false;
    for (size_t i = 0; i + 12 <= l1.len; i++) {
        if (!ts && (memcmp(l1.p + i, "\"ts\":", 5) == 0))
            ts = true;
        if (!id && (memcmp(l1.p + i, "\"id.orig_h\"", 11) == 0 ||
                    memcmp(l1.p + i, "\"id_orig_h\"", 11) == 0))
            id = true;
    }
    bool stream = false;
    for (size_t i = 0; i + 10 <= l1.len; i++)
        if (memcmp(l1.p + i, "\"@stream\":", 10) == 0 || memcmp(l1.p + i, "\"_path\":\"", 9) == 0) {
            size_t k = i + (l1.p[i + 1] == '@' ? 10 : 8);
            while (k < l1.len && (l1.p[k] == ' ' || l1.p[k] == '"'))
                k++;
            size_t m = 0;
            while (k + m < l1.len && l1.p[k + m] != '"' && m < size - 1)
                m++;
            memcpy(path, l1.p + k, m);
            path[m] = 0;
            stream = true;
            break;
        }
    if (!(ts && (id || stream)))
        return false;
    if (!path[0]) {
        static const struct {
            const char *key, *path;
        } keys[] = {{"\"conn_state\"", "conn"}, {"\"qtype_name\"", "dns"}, {"\"query\"", "dns"},
                    {"\"method\"", "http"},     {"\"status_code\"", "http"},
                    {"\"cipher\"", "ssl"},      {"\"server_name\"", "ssl"},
                    {"\"fuid\"", "files"},      {"\"note\"", "notice"},
                    {"\"certificate.subject\"", "x509"}, {"\"addl\"", "weird"}};
        for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]) && !path[0]; k++) {
            size_t kl = strlen(keys[k].key);
            for (size_t i = 0; i + kl <= l1.len; i++)
                if (memcmp(l1.p + i, keys[k].key, kl) == 0) {
                    snprintf(path, size, "%s", keys[k].path);
                    break;
                }
        }
    }
    return true;
}

static const char *const known_paths[] = {"conn", "dns", "http", "ssl", "files", "notice",
                                          "x509", "weird"};

static int sniff_for(struct ty_str head, const char *want)
{
    char path[64];
    if (!head_path(head, path, sizeof(path)))
        return 0;
    if (want)
        return strcmp(path, want) == 0 ? 95 : 0;
    for (size_t i = 0; i < sizeof(known_paths) / sizeof(known_paths[0]); i++)
        if (!strcmp(path, known_paths[i]))
            return 0;
    return 90;
}

static int zeek_open(struct ty_parse_ctx *ctx, struct ty_err *err)
{
    struct zeek *z = calloc(1, sizeof(*z));
    if (!z)
        return ty_err_set(err, TY_ENOMEM, "zeek: out of memory");
    z->sep = '\t';
    z->set_sep = ',';
    snprintf(z->empty, sizeof(z->empty), "(empty)");
    snprintf(z->unset, sizeof(z->unset), "-");
    struct ty_str h = ty_parse_skip_ws(ctx->head);
    z->json = h.len && h.p[0] == '{';
    ctx->priv = z;
    ctx->frame.kind = TY_FRAME_LINES;
    snprintf(ctx->shape, sizeof(ctx->shape), "%s", z->json ? "Zeek JSON lines" : "Zeek TSV");
    return 0;
}

/* ---- Sigma views ---- */

/* A flat Zeek JSON object: call kv for each member (array elements one by
 * one), with "id_orig_h" also given as "id.orig_h". */
int ty__zeek_fields(const struct ty_event *ev, ty_kv_fn kv, void *arg)
{
    const char *p = ev->raw.p, *end = ev->raw.p + ev->raw.len;
    char name[256], val[4096];
    if (!p || p >= end || *p != '{')
        return 0;
    p++;
    for (;;) {
        while (p < end && (*p == ' ' || *p == ','))
            p++;
        if (p >= end || *p != '"')
            return 0;
        size_t nl = 0;
        for (p++; p < end && *p != '"'; p++) {
            if (*p == '\\' && p + 1 < end)
                p++;
            if (nl < sizeof(name) - 1)
                name[nl++] = *p;
        }
        p++;
        while (p < end && (*p == ':' || *p == ' '))
            p++;
        bool arr = p < end && *p == '[';
        if (arr)
            p++;
        for (;;) {
            while (p < end && *p == ' ')
                p++;
            if (arr && p < end && *p == ']') {
                p++;
                break;
            }
            size_t vl = 0;
            if (p < end && *p == '"') {
                for (p++; p < end && *p != '"'; p++) {
                    char c = *p;
                    if (c == '\\' && p + 1 < end) {
                        p++;
                        c = *p == 'n' ? '\n' : *p == 't' ? '\t' : *p == 'r' ? '\r' : *p;
                        if (*p == 'u' && p + 4 < end) {
                            c = (char)(hexv(p[3]) * 16 + hexv(p[4]));
                            p += 4;
                        }
                    }
                    if (vl < sizeof(val) - 1)
                        val[vl++] = c;
                }
                p++;
            } else {
                while (p < end && *p != ',' && *p != '}' && *p != ']') {
                    if (vl < sizeof(val) - 1)
                        val[vl++] = *p;
                    p++;
                }
            }
            int rc = kv(arg, ty_str_make(name, nl), ty_str_make(val, vl));
            if (rc)
                return rc;
            if (nl > 3 && memcmp(name, "id_", 3) == 0) {
                char alt[256];
                memcpy(alt, name, nl);
                alt[2] = '.';
                rc = kv(arg, ty_str_make(alt, nl), ty_str_make(val, vl));
                if (rc)
                    return rc;
            }
            while (p < end && *p == ' ')
                p++;
            if (!arr)
                break;
            if (p < end && *p == ',') {
                p++;
                continue;
            }
        }
        if (p >= end || *p == '}')
            return 0;
    }
}

/* conn: network_connection (src/dst address and port); dns: dns (query);
 * http: proxy (Sigma's proxy taxonomy is the client-side HTTP view: c-uri,
 * cs-host, cs-method, c-useragent, sc-status -- what http.log holds). */
static int tax_conn(const struct ty_event *ev)
{
    (void)ev;
    return TY_SCAT_NETWORK_CONNECTION;
}

static int tax_dns(const struct ty_event *ev)
{
    (void)ev;
    return TY_SCAT_DNS;
}

static int tax_http(const struct ty_event *ev)
{
    (void)ev;
    return TY_SCAT_PROXY;
}

#define ZEEK_SNIFF(id, path)                                                                   \
    static int sniff_##id(struct ty_str head)                                                  \
    {                                                                                          \
        return sniff_for(head, path);                                                          \
    }
ZEEK_SNIFF(conn, "conn")
ZEEK_SNIFF(dns, "dns")
ZEEK_SNIFF(http, "http")
ZEEK_SNIFF(ssl, "ssl")
ZEEK_SNIFF(files, "files")
ZEEK_SNIFF(notice, "notice")
ZEEK_SNIFF(x509, "x509")
ZEEK_SNIFF(weird, "weird")
ZEEK_SNIFF(other, NULL)

#define ZEEK_COMMON                                                                            \
    .abi = TY_PARSER_ABI, .flags = TY_PARSER_F_TEXT, .open = zeek_open, .record = zeek_record, \
    .close = ty_parse_free_priv, .fields = ty__zeek_fields

const struct ty_parser ty_parser_zeek_conn = {
    ZEEK_COMMON, .name = "zeek-conn", .desc = "Zeek conn.log (TSV with header, or JSON)",
    .sniffs = "Zeek header with #path conn, or JSON lines with ts, uid, id.orig_h and "
              "conn_state (95)",
    .sniff = sniff_conn, .logsource = {.product = "zeek", .service = "conn"},
    .taxonomy = tax_conn,
};
const struct ty_parser ty_parser_zeek_dns = {
    ZEEK_COMMON, .name = "zeek-dns", .desc = "Zeek dns.log (TSV with header, or JSON)",
    .sniffs = "Zeek header with #path dns, or JSON lines with query/qtype_name (95)",
    .sniff = sniff_dns, .logsource = {.product = "zeek", .service = "dns"},
    .taxonomy = tax_dns,
};
const struct ty_parser ty_parser_zeek_http = {
    ZEEK_COMMON, .name = "zeek-http", .desc = "Zeek http.log (TSV with header, or JSON)",
    .sniffs = "Zeek header with #path http, or JSON lines with method/status_code (95)",
    .sniff = sniff_http, .logsource = {.product = "zeek", .service = "http"},
    .taxonomy = tax_http,
};
const struct ty_parser ty_parser_zeek_ssl = {
    ZEEK_COMMON, .name = "zeek-ssl", .desc = "Zeek ssl.log (TSV with header, or JSON)",
    .sniffs = "Zeek header with #path ssl, or JSON lines with cipher/server_name (95)",
    .sniff = sniff_ssl, .logsource = {.product = "zeek", .service = "ssl"},
};
const struct ty_parser ty_parser_zeek_files = {
    ZEEK_COMMON, .name = "zeek-files", .desc = "Zeek files.log (TSV with header, or JSON)",
    .sniffs = "Zeek header with #path files, or JSON lines with fuid (95)",
    .sniff = sniff_files, .logsource = {.product = "zeek", .service = "files"},
};
const struct ty_parser ty_parser_zeek_notice = {
    ZEEK_COMMON, .name = "zeek-notice", .desc = "Zeek notice.log (TSV with header, or JSON)",
    .sniffs = "Zeek header with #path notice, or JSON lines with note (95)",
    .sniff = sniff_notice, .logsource = {.product = "zeek", .service = "notice"},
};
const struct ty_parser ty_parser_zeek_x509 = {
    ZEEK_COMMON, .name = "zeek-x509", .desc = "Zeek x509.log (TSV with header, or JSON)",
    .sniffs = "Zeek header with #path x509, or JSON lines with certificate.subject (95)",
    .sniff = sniff_x509, .logsource = {.product = "zeek", .service = "x509"},
};
const struct ty_parser ty_parser_zeek_weird = {
    ZEEK_COMMON, .name = "zeek-weird", .desc = "Zeek weird.log (TSV with header, or JSON)",
    .sniffs = "Zeek header with #path weird, or JSON lines with addl (95)",
    .sniff = sniff_weird, .logsource = {.product = "zeek", .service = "weird"},
};
const struct ty_parser ty_parser_zeek = {
    ZEEK_COMMON, .name = "zeek", .desc = "Zeek logs of any other stream (TSV or JSON)",
    .sniffs = "Zeek #separator header or JSON lines with ts and id.orig_h, path not one of "
              "the above (90)",
    .sniff = sniff_other, .logsource = {.product = "zeek"},
};
