/* SPDX-License-Identifier: Apache-2.0 */
/*
 * net-log.c - Zeek log writers for the analyzer's records: conn.log,
 * dns.log, http.log and ssl.log in Zeek's ASCII format (the full #separator /
 * #set_separator / #empty_field / #unset_field / #path / #open / #fields /
 * #types header, #close at the end; unset = "-", empty = "(empty)") or as
 * Zeek JSON lines (unset fields omitted). Times are epoch seconds with six
 * decimals; #open/#close are written in UTC. ssl.log carries ja3/ja3s as the
 * popular JA3 package adds them, and ja4 as FoxIO's JA4 package does.
 * notice.log holds tyto's own notices (Tyto::Shell_Command) in Zeek's
 * notice format.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <tyto/time.h>

#include "net-int.h"

enum { LOG_CONN, LOG_DNS, LOG_HTTP, LOG_SSL, LOG_FILES, LOG_NOTICE, LOG_N };

static const char *const log_path[LOG_N] = {"conn", "dns", "http", "ssl", "files", "notice"};
#define ID_FIELDS "ts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p"
#define ID_TYPES "time\tstring\taddr\tport\taddr\tport"
static const char *const log_fields[LOG_N] = {
    ID_FIELDS "\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig"
              "\tlocal_resp\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts"
              "\tresp_ip_bytes\ttunnel_parents\tip_proto",
    ID_FIELDS "\tproto\ttrans_id\trtt\tquery\tqclass\tqclass_name\tqtype\tqtype_name\trcode"
              "\trcode_name\tAA\tTC\tRD\tRA\tZ\tanswers\tTTLs\trejected\topcode\topcode_name",
    ID_FIELDS "\ttrans_depth\tmethod\thost\turi\treferrer\tversion\tuser_agent\torigin"
              "\trequest_body_len\tresponse_body_len\tstatus_code\tstatus_msg\tinfo_code"
              "\tinfo_msg\ttags\tusername\tpassword\tproxied\torig_fuids\torig_filenames"
              "\torig_mime_types\tresp_fuids\tresp_filenames\tresp_mime_types",
    ID_FIELDS "\tversion\tcipher\tcurve\tserver_name\tresumed\tlast_alert\tnext_protocol"
              "\testablished\tssl_history\tcert_chain_fps\tclient_cert_chain_fps"
              "\tsni_matches_cert\tja3\tja3s\tja4",
    "ts\tfuid\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tsource\tdepth\tanalyzers"
    "\tmime_type\tfilename\tduration\tlocal_orig\tis_orig\tseen_bytes\ttotal_bytes"
    "\tmissing_bytes\toverflow_bytes\ttimedout\tparent_fuid\tmd5\tsha1\tsha256",
    ID_FIELDS "\tproto\tnote\tmsg\tsub\tsrc\tdst\tp\tactions",
};
static const char *const log_types[LOG_N] = {
    ID_TYPES "\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\tbool\tcount\tstring\tcount"
             "\tcount\tcount\tcount\tset[string]\tcount",
    ID_TYPES "\tenum\tcount\tinterval\tstring\tcount\tstring\tcount\tstring\tcount\tstring"
             "\tbool\tbool\tbool\tbool\tcount\tvector[string]\tvector[interval]\tbool\tcount"
             "\tstring",
    ID_TYPES "\tcount\tstring\tstring\tstring\tstring\tstring\tstring\tstring\tcount\tcount"
             "\tcount\tstring\tcount\tstring\tset[enum]\tstring\tstring\tset[string]"
             "\tvector[string]\tvector[string]\tvector[string]\tvector[string]"
             "\tvector[string]\tvector[string]",
    ID_TYPES "\tstring\tstring\tstring\tstring\tbool\tstring\tstring\tbool\tstring"
             "\tvector[string]\tvector[string]\tbool\tstring\tstring\tstring",
    "time\tstring\tstring\taddr\tport\taddr\tport\tstring\tcount\tset[string]\tstring"
    "\tstring\tinterval\tbool\tbool\tcount\tcount\tcount\tcount\tbool\tstring\tstring"
    "\tstring\tstring",
    ID_TYPES "\tenum\tenum\tstring\tstring\taddr\taddr\tport\tset[enum]",
};

struct ty_net_logs {
    FILE *f[LOG_N];
    bool json;
    bool mem;                   /* in memory (ty_net_logs_mem): no files */
    int rc;
    char line[16384];
    size_t len;
    unsigned n_fields;          /* JSON: fields written on this line */
    unsigned field;             /* index of the field being written (JSON names) */
    const char *names[40];
    unsigned n_names;
};

static void open_stamp(char out[32])
{
    char iso[40];
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ty_time_format((int64_t)ts.tv_sec * 1000000000LL, 0, iso);
    /* 2024-03-12T14:05:09Z -> 2024-03-12-14-05-09 */
    size_t o = 0;
    for (size_t i = 0; iso[i] && iso[i] != 'Z' && o < 31; i++)
        out[o++] = iso[i] == 'T' || iso[i] == ':' ? '-' : iso[i];
    out[o] = 0;
}

int ty_net_logs_open(struct ty_net_logs **out, const char *dir, bool json, struct ty_err *err)
{
    struct ty_net_logs *l = calloc(1, sizeof(*l));
    if (!l)
        return ty_err_set(err, TY_ENOMEM, "net: out of memory");
    l->json = json;
    char stamp[32];
    open_stamp(stamp);
    for (int i = 0; i < LOG_N; i++) {
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s.log", dir, log_path[i]);
        l->f[i] = fopen(path, "w");
        if (!l->f[i]) {
            int rc = ty_err_set(err, TY_EIO, "%s: %s", path, strerror(errno));
            for (int k = 0; k < i; k++)
                fclose(l->f[k]);
            free(l);
            return rc;
        }
        if (!json)
            fprintf(l->f[i],
                    "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n"
                    "#unset_field\t-\n#path\t%s\n#open\t%s\n#fields\t%s\n#types\t%s\n",
                    log_path[i], stamp, log_fields[i], log_types[i]);
    }
    *out = l;
    return 0;
}

int ty_net_logs_mem(struct ty_net_logs **out, struct ty_err *err)
{
    struct ty_net_logs *l = calloc(1, sizeof(*l));
    if (!l)
        return ty_err_set(err, TY_ENOMEM, "net: out of memory");
    l->json = true;
    l->mem = true;
    *out = l;
    return 0;
}

const char *ty_net_logs_line(const struct ty_net_logs *l, size_t *len)
{
    *len = l->len && l->line[l->len - 1] == '\n' ? l->len - 1 : l->len;
    return l->line;
}

int ty_net_logs_close(struct ty_net_logs *l, struct ty_err *err)
{
    if (!l)
        return 0;
    if (l->mem) {
        free(l);
        return 0;
    }
    int rc = l->rc;
    char stamp[32];
    open_stamp(stamp);
    for (int i = 0; i < LOG_N; i++) {
        if (!l->json)
            fprintf(l->f[i], "#close\t%s\n", stamp);
        if (fclose(l->f[i]) != 0 && rc == 0)
            rc = ty_err_set(err, TY_EIO, "%s.log: write failed", log_path[i]);
    }
    if (l->rc && err)
        ty_err_set(err, l->rc, "zeek logs: write failed");
    free(l);
    return rc;
}

/* ---- line building ---- */

static void put(struct ty_net_logs *l, const char *s, size_t n)
{
    if (l->len + n >= sizeof(l->line))
        n = sizeof(l->line) - 1 - l->len;
    memcpy(l->line + l->len, s, n);
    l->len += n;
}

static void puts_(struct ty_net_logs *l, const char *s)
{
    put(l, s, strlen(s));
}

/* Start a field: TSV separator, or JSON "name": */
static void field_start(struct ty_net_logs *l)
{
    if (l->json) {
        puts_(l, l->n_fields++ ? ",\"" : "{\"");
        puts_(l, l->names[l->field]);
        puts_(l, "\":");
    } else if (l->field) {
        put(l, "\t", 1);
    }
}

static void f_unset(struct ty_net_logs *l)
{
    if (!l->json) {
        field_start(l);
        put(l, "-", 1);
    }
    l->field++;
}

static void f_raw(struct ty_net_logs *l, const char *s)
{
    field_start(l);
    puts_(l, s);
    l->field++;
}

static void json_str(struct ty_net_logs *l, const char *s)
{
    put(l, "\"", 1);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') {
            put(l, "\\", 1);
            put(l, s, 1);
        } else {
            put(l, s, 1);
        }
    }
    put(l, "\"", 1);
}

/* A string: "" = unset. */
static void f_str(struct ty_net_logs *l, const char *s)
{
    if (!s || !*s) {
        f_unset(l);
        return;
    }
    field_start(l);
    if (l->json) {
        json_str(l, s);
    } else {
        if ((s[0] == '-' && !s[1]) || strcmp(s, "(empty)") == 0) {
            put(l, "\\x", 2);
            char h[3];
            snprintf(h, sizeof(h), "%02x", (unsigned char)s[0]);
            put(l, h, 2);
            puts_(l, s + 1);
        } else {
            for (const char *p = s; *p; p++) {
                if (*p == '\t') /* the separator (values are already \xHH-escaped) */
                    puts_(l, "\\x09");
                else
                    put(l, p, 1);
            }
        }
    }
    l->field++;
}

static void f_u64(struct ty_net_logs *l, uint64_t v)
{
    char b[24];
    if (v == TY_NET_UNSET) {
        f_unset(l);
        return;
    }
    snprintf(b, sizeof(b), "%" PRIu64, v);
    f_raw(l, b);
}

static void f_time(struct ty_net_logs *l, int64_t ns)
{
    char b[40];
    if (ns < 0) {
        f_unset(l);
        return;
    }
    int64_t us = (ns + 500) / 1000;
    snprintf(b, sizeof(b), "%" PRId64 ".%06" PRId64, us / 1000000, us % 1000000);
    f_raw(l, b);
}

static void f_bool(struct ty_net_logs *l, bool v)
{
    f_raw(l, l->json ? (v ? "true" : "false") : (v ? "T" : "F"));
}

static void f_enum(struct ty_net_logs *l, const char *s)
{
    field_start(l);
    if (l->json)
        json_str(l, s);
    else
        puts_(l, s);
    l->field++;
}

/* A one-element set or vector ("" = unset). */
static void set1(struct ty_net_logs *l, const char *v)
{
    if (!v || !*v) {
        f_unset(l);
        return;
    }
    field_start(l);
    if (l->json) {
        put(l, "[", 1);
        json_str(l, v);
        put(l, "]", 1);
    } else {
        puts_(l, v);
    }
    l->field++;
}

static void set_names(struct ty_net_logs *l, int which)
{
    /* split the static #fields list once per record (cheap: < 40 fields) */
    static char copy[LOG_N][1024];
    static const char *names[LOG_N][40];
    static unsigned n_names[LOG_N];
    if (!n_names[which]) {
        snprintf(copy[which], sizeof(copy[which]), "%s", log_fields[which]);
        char *p = copy[which];
        for (;;) {
            names[which][n_names[which]++] = p;
            char *t = strchr(p, '\t');
            if (!t || n_names[which] == 40)
                break;
            *t = 0;
            p = t + 1;
        }
    }
    memcpy(l->names, names[which], sizeof(l->names));
    l->n_names = n_names[which];
}

static void line_begin(struct ty_net_logs *l, int which)
{
    l->len = 0;
    l->field = 0;
    l->n_fields = 0;
    if (l->json)
        set_names(l, which);
}

static int line_end(struct ty_net_logs *l, int which)
{
    if (l->json)
        put(l, "}", 1);
    put(l, "\n", 1);
    if (l->mem)
        return 0;
    if (fwrite(l->line, 1, l->len, l->f[which]) != l->len)
        l->rc = TY_EIO;
    return l->rc;
}

static void ids(struct ty_net_logs *l, int64_t ts, const char *uid, const struct ty_net_id *id)
{
    char a[64];
    f_time(l, ts);
    f_str(l, uid);
    ty_net_addr_fmt(&id->orig_h, a, sizeof(a));
    f_str(l, a);
    f_u64(l, id->orig_p);
    ty_net_addr_fmt(&id->resp_h, a, sizeof(a));
    f_str(l, a);
    f_u64(l, id->resp_p);
}

static int w_conn(void *arg, const struct ty_net_conn_rec *r)
{
    struct ty_net_logs *l = arg;
    line_begin(l, LOG_CONN);
    ids(l, r->ts, r->uid, &r->id);
    f_enum(l, ty_net_proto_name(r->id.proto));
    f_str(l, r->service);
    f_time(l, r->duration);
    f_u64(l, r->orig_bytes);
    f_u64(l, r->resp_bytes);
    f_str(l, r->conn_state);
    f_unset(l);
    f_unset(l);
    f_u64(l, r->missed_bytes);
    f_str(l, r->history);
    f_u64(l, r->orig_pkts);
    f_u64(l, r->orig_ip_bytes);
    f_u64(l, r->resp_pkts);
    f_u64(l, r->resp_ip_bytes);
    f_unset(l);
    f_u64(l, r->id.proto);
    return line_end(l, LOG_CONN);
}

static int w_dns(void *arg, const struct ty_net_dns_rec *r)
{
    struct ty_net_logs *l = arg;
    char b[32];
    line_begin(l, LOG_DNS);
    ids(l, r->ts, r->uid, &r->id);
    f_enum(l, ty_net_proto_name(r->id.proto));
    f_u64(l, r->trans_id);
    f_time(l, r->rtt);
    if (r->has_query && r->qtype) {
        f_str(l, r->query);
        f_u64(l, r->qclass);
        f_str(l, net_dns_qclass_name(r->qclass, b, sizeof(b)));
        f_u64(l, r->qtype);
        f_str(l, net_dns_qtype_name(r->qtype, b, sizeof(b)));
    } else {
        if (r->has_query)
            f_str(l, r->query);
        else
            f_unset(l);
        f_unset(l);
        f_unset(l);
        f_unset(l);
        f_unset(l);
    }
    if (r->rcode >= 0) {
        f_u64(l, (uint64_t)r->rcode);
        f_str(l, net_dns_rcode_name((unsigned)r->rcode, b, sizeof(b)));
    } else {
        f_unset(l);
        f_unset(l);
    }
    f_bool(l, r->aa);
    f_bool(l, r->tc);
    f_bool(l, r->rd);
    f_bool(l, r->ra);
    f_u64(l, r->z);
    if (r->n_answers == 0) {
        f_unset(l);
        f_unset(l);
    } else {
        field_start(l);
        if (l->json)
            put(l, "[", 1);
        for (unsigned i = 0; i < r->n_answers; i++) {
            if (i)
                put(l, ",", 1);
            if (l->json)
                json_str(l, ty_net_dns_answer(r, i));
            else
                puts_(l, ty_net_dns_answer(r, i));
        }
        if (l->json)
            put(l, "]", 1);
        l->field++;
        field_start(l);
        if (l->json)
            put(l, "[", 1);
        for (unsigned i = 0; i < r->n_answers; i++) {
            char t[24];
            snprintf(t, sizeof(t), "%s%" PRIu32 ".000000", i ? "," : "", r->ttls[i]);
            puts_(l, t);
        }
        if (l->json)
            put(l, "]", 1);
        l->field++;
    }
    f_bool(l, r->rejected);
    f_u64(l, (uint64_t)r->opcode);
    f_str(l, net_dns_opcode_name((unsigned)r->opcode, b, sizeof(b)));
    return line_end(l, LOG_DNS);
}

static int w_http(void *arg, const struct ty_net_http_rec *r)
{
    struct ty_net_logs *l = arg;
    line_begin(l, LOG_HTTP);
    ids(l, r->ts, r->uid, &r->id);
    f_u64(l, r->trans_depth);
    f_str(l, r->method);
    f_str(l, r->host);
    f_str(l, r->uri);
    f_str(l, r->referrer);
    f_str(l, r->version);
    f_str(l, r->user_agent);
    f_str(l, r->origin);
    f_u64(l, r->request_body_len);
    f_u64(l, r->response_body_len);
    if (r->status_code >= 0)
        f_u64(l, (uint64_t)r->status_code);
    else
        f_unset(l);
    f_str(l, r->status_msg);
    if (r->info_code >= 0)
        f_u64(l, (uint64_t)r->info_code);
    else
        f_unset(l);
    f_str(l, r->info_msg);
    if (l->json)
        f_raw(l, "[]");
    else
        f_raw(l, "(empty)");
    f_str(l, r->username);
    f_unset(l); /* password */
    f_unset(l); /* proxied */
    set1(l, r->orig_fuid);
    f_unset(l);
    f_unset(l);
    set1(l, r->resp_fuid);
    f_unset(l);
    f_unset(l);
    return line_end(l, LOG_HTTP);
}

static int w_file(void *arg, const struct ty_net_file_rec *r)
{
    struct ty_net_logs *l = arg;
    char a[64];
    line_begin(l, LOG_FILES);
    f_time(l, r->ts);
    f_str(l, r->fuid);
    f_str(l, r->uid);
    ty_net_addr_fmt(&r->id.orig_h, a, sizeof(a));
    f_str(l, a);
    f_u64(l, r->id.orig_p);
    ty_net_addr_fmt(&r->id.resp_h, a, sizeof(a));
    f_str(l, a);
    f_u64(l, r->id.resp_p);
    f_str(l, r->source);
    f_u64(l, 0);
    set1(l, "MD5,SHA1,SHA256");
    f_unset(l); /* mime_type: no content sniffing */
    f_unset(l);
    f_time(l, r->duration);
    f_unset(l);
    f_bool(l, r->is_orig);
    f_u64(l, r->seen_bytes);
    f_u64(l, r->total_bytes);
    f_u64(l, r->missing_bytes);
    f_u64(l, 0);
    f_bool(l, false);
    f_unset(l);
    f_str(l, r->md5);
    f_str(l, r->sha1);
    f_str(l, r->sha256);
    return line_end(l, LOG_FILES);
}

static int w_ssl(void *arg, const struct ty_net_ssl_rec *r)
{
    struct ty_net_logs *l = arg;
    line_begin(l, LOG_SSL);
    ids(l, r->ts, r->uid, &r->id);
    f_str(l, r->version);
    f_str(l, r->cipher);
    f_str(l, r->curve);
    f_str(l, r->server_name);
    f_bool(l, r->resumed);
    f_unset(l);
    f_str(l, r->next_protocol);
    f_bool(l, r->established);
    f_str(l, r->ssl_history);
    f_unset(l);
    f_unset(l);
    f_unset(l);
    f_str(l, r->ja3);
    f_str(l, r->ja3s);
    f_str(l, r->ja4);
    return line_end(l, LOG_SSL);
}

static int w_notice(void *arg, const struct ty_net_notice_rec *r)
{
    struct ty_net_logs *l = arg;
    char a[64];
    line_begin(l, LOG_NOTICE);
    ids(l, r->ts, r->uid, &r->id);
    f_enum(l, ty_net_proto_name(r->id.proto));
    f_enum(l, r->note);
    f_str(l, r->msg);
    f_str(l, r->sub);
    ty_net_addr_fmt(&r->src, a, sizeof(a));
    f_str(l, a);
    ty_net_addr_fmt(&r->dst, a, sizeof(a));
    f_str(l, a);
    f_unset(l);
    set1(l, "Notice::ACTION_LOG");
    return line_end(l, LOG_NOTICE);
}

void ty_net_logs_sink(struct ty_net_logs *l, struct ty_net_sink *sink)
{
    sink->arg = l;
    sink->conn = w_conn;
    sink->dns = w_dns;
    sink->http = w_http;
    sink->ssl = w_ssl;
    sink->file = w_file;
    sink->notice = w_notice;
}
