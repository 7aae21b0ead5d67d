/* SPDX-License-Identifier: Apache-2.0 */
/*
 * net-http.c - HTTP/1.x over a TCP stream, on any port, into Zeek's http.log
 * records: request line (method, URI %-unescaped like Zeek's unescaped_URI,
 * version), request headers (Host, Referer, Origin, User-Agent, Basic
 * Authorization user), status line (the reply's version overwrites the
 * request's, 1xx go to info_code/info_msg), bodies by Content-Length,
 * chunked encoding or until close (body lengths are de-chunked, not
 * decompressed), pipelined requests matched to replies in order. A record is
 * written when its reply is complete, or when the connection ends. Lines
 * longer than LINE_MAX are truncated; at most MAX_PENDING requests wait for
 * replies. After a content gap the direction resynchronises at the next
 * request/status line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include <tyto/str.h>

#include "net-int.h"

#define LINE_MAX_ 8192
#define MAX_PENDING 16

enum { ST_START, ST_HEADERS, ST_BODY_CL, ST_CHUNK_SIZE, ST_CHUNK_DATA, ST_CHUNK_CRLF,
       ST_TRAILER, ST_BODY_CLOSE, ST_DEAD };

struct http_dir {
    int state;
    char *line;                 /* LINE_MAX_ bytes, allocated on first use (not zeroed) */
    size_t line_len;
    bool line_over;
    uint64_t remain;            /* body or chunk bytes still expected */
    uint64_t body_len;
    uint64_t content_length;
    bool has_cl, chunked;
    bool last_lf;               /* body until close: the last byte was a line feed */
    EVP_MD_CTX *md[3];          /* md5, sha1, sha256 of the body being read */
    int64_t body_ts, body_last;
    uint64_t body_missing;
};

struct net_http {
    struct http_dir d[2];
    struct ty_net_http_rec *q[MAX_PENDING]; /* q[0] = oldest */
    unsigned n_q;
    unsigned n_req;             /* trans_depth counter */
    unsigned cur_resp;          /* index in q of the transaction being answered */
    bool req_head;              /* last request was HEAD */
    bool confirmed;             /* an HTTP port, or the server answered "HTTP/" */
    bool upgraded;
    char uid[20];
    struct ty_net_id id;
    struct ty_net_pos pos;
    uint64_t n_files;
};

#define HASH_MEM 1024 /* what three digest contexts cost, for the memory budget */

static void hash_release(struct ty_net *n, struct http_dir *d)
{
    if (!d->md[0])
        return;
    for (int i = 0; i < 3; i++) {
        EVP_MD_CTX_free(d->md[i]);
        d->md[i] = NULL;
    }
    n->app_mem -= HASH_MEM;
}

/* Body bytes as transferred: hashed for files.log. */
static void body_bytes(struct ty_net *n, struct http_dir *d, const uint8_t *p, size_t len)
{
    if (!len)
        return;
    if (!d->md[0] && d->body_len == 0) {
        size_t cap = n->opts.max_app_mem ? n->opts.max_app_mem : (size_t)256 << 20;
        if (n->app_mem + HASH_MEM > cap) {
            n->st.app_mem_refused++;
            return;
        }
        const EVP_MD *m[3] = {EVP_md5(), EVP_sha1(), EVP_sha256()};
        for (int i = 0; i < 3; i++) {
            d->md[i] = EVP_MD_CTX_new();
            if (!d->md[i] || !EVP_DigestInit_ex(d->md[i], m[i], NULL)) {
                for (int k = 0; k <= i; k++) {
                    EVP_MD_CTX_free(d->md[k]);
                    d->md[k] = NULL;
                }
                return;
            }
        }
        n->app_mem += HASH_MEM;
        d->body_ts = n->now;
        d->body_missing = 0;
    }
    if (!d->md[0])
        return;
    for (int i = 0; i < 3; i++)
        EVP_DigestUpdate(d->md[i], p, len);
    d->body_last = n->now;
}

static void hex(const unsigned char *md, unsigned len, char *out)
{
    for (unsigned i = 0; i < len; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
}

/* The end of a body: its files.log record; returns its fuid in fuid. */
static void body_done(struct ty_net *n, struct net_http *h, bool is_orig, char *fuid)
{
    struct http_dir *d = &h->d[is_orig ? 0 : 1];
    if (!d->md[0])
        return;
    struct ty_net_file_rec f;
    memset(&f, 0, sizeof(f));
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned ml;
    char *outs[3] = {f.md5, f.sha1, f.sha256};
    for (int i = 0; i < 3; i++)
        if (EVP_DigestFinal_ex(d->md[i], md, &ml))
            hex(md, ml, outs[i]);
    hash_release(n, d);
    f.ts = d->body_ts;
    f.duration = d->body_last - d->body_ts;
    snprintf(f.fuid, sizeof(f.fuid), "F%.12s%llu", h->uid + 1,
             (unsigned long long)++h->n_files);
    f.fuid[sizeof(f.fuid) - 1] = 0;
    memcpy(f.uid, h->uid, sizeof(f.uid));
    f.id = h->id;
    f.pos = h->pos;
    f.source = "HTTP";
    f.is_orig = is_orig;
    f.seen_bytes = d->body_len - d->body_missing;
    f.total_bytes = d->has_cl ? d->content_length : TY_NET_UNSET;
    f.missing_bytes = d->body_missing;
    if (fuid)
        memcpy(fuid, f.fuid, sizeof(f.fuid));
    n->st.files++;
    if (n->sink.file && n->rc == 0)
        net_emit_err(n, n->sink.file(n->sink.arg, &f));
}

static void emit(struct ty_net *n, struct net_http *h, struct ty_net_http_rec *r)
{
    if (!h->confirmed) { /* Zeek only analyses HTTP on other ports once the server agrees */
        net_mem_put(n, r, sizeof(*r));
        return;
    }
    n->st.http++;
    if (n->sink.http && n->rc == 0)
        net_emit_err(n, n->sink.http(n->sink.arg, r));
    net_mem_put(n, r, sizeof(*r));
}

static void pop_front(struct ty_net *n, struct net_http *h)
{
    if (!h->n_q)
        return;
    emit(n, h, h->q[0]);
    memmove(h->q, h->q + 1, (h->n_q - 1) * sizeof(h->q[0]));
    h->n_q--;
    if (h->cur_resp > 0)
        h->cur_resp--;
}

static struct ty_net_http_rec *new_rec(struct ty_net *n, struct net_conn *c, struct net_http *h)
{
    if (h->n_q == MAX_PENDING)
        pop_front(n, h);
    struct ty_net_http_rec *r = net_mem_get(n, sizeof(*r), true);
    if (!r)
        return NULL;
    r->ts = n->now;
    net_fill_common(c, r->uid, &r->id, &r->pos);
    r->trans_depth = ++h->n_req;
    r->status_code = -1;
    r->info_code = -1;
    h->q[h->n_q++] = r;
    return r;
}

static void copy_field(char *dst, size_t size, const char *p, size_t len)
{
    net_escape(dst, size, (const uint8_t *)p, len);
}

static int hexval(int ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

static void copy_uri(char *dst, size_t size, const char *p, size_t len)
{
    uint8_t tmp[LINE_MAX_];
    size_t o = 0;
    for (size_t i = 0; i < len && o < sizeof(tmp); i++) {
        if (p[i] == '%' && i + 2 < len && hexval(p[i + 1]) >= 0 && hexval(p[i + 2]) >= 0) {
            tmp[o++] = (uint8_t)(hexval(p[i + 1]) * 16 + hexval(p[i + 2]));
            i += 2;
        } else {
            tmp[o++] = (uint8_t)p[i];
        }
    }
    net_escape(dst, size, tmp, o);
}

static bool is_method_char(char ch)
{
    return (ch >= 'A' && ch <= 'Z') || ch == '-' || ch == '_';
}

int net_http_looks(const uint8_t *p, size_t len, bool is_orig)
{
    if (!is_orig)
        return len >= 5 && memcmp(p, "HTTP/", 5) == 0;
    size_t i = 0;
    while (i < len && i < 20 && is_method_char((char)p[i]))
        i++;
    if (i < 3 || i >= len || p[i] != ' ')
        return 0;
    static const char *const m[] = {"GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS",
                                    "CONNECT", "TRACE", "PATCH", "PROPFIND", "PROPPATCH",
                                    "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "SUBSCRIBE",
                                    "NOTIFY", "M-SEARCH", "SEARCH", "REPORT", "BPROPFIND"};
    for (size_t k = 0; k < sizeof(m) / sizeof(m[0]); k++)
        if (strlen(m[k]) == i && memcmp(p, m[k], i) == 0)
            return 1;
    return 0;
}

static struct ty_str trim(const char *p, size_t len)
{
    while (len && (*p == ' ' || *p == '\t')) {
        p++;
        len--;
    }
    while (len && (p[len - 1] == ' ' || p[len - 1] == '\t' || p[len - 1] == '\r'))
        len--;
    return ty_str_make(p, len);
}

static bool name_is(struct ty_str name, const char *want)
{
    return ty_str_eq_nocase(name, ty_str_cstr(want));
}

static void b64_user(char *dst, size_t size, struct ty_str v)
{
    static const char tab[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    uint8_t out[192];
    size_t o = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < v.len && o < sizeof(out); i++) {
        const char *x = memchr(tab, v.p[i], 64);
        if (!x || !v.p[i])
            break;
        acc = acc << 6 | (uint32_t)(x - tab);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (uint8_t)(acc >> bits);
        }
    }
    const uint8_t *colon = memchr(out, ':', o);
    if (colon)
        net_escape(dst, size, out, (size_t)(colon - out));
}

static void header(struct net_http *h, bool is_orig, struct ty_str line)
{
    const char *colon = memchr(line.p, ':', line.len);
    if (!colon)
        return;
    struct ty_str name = trim(line.p, (size_t)(colon - line.p));
    struct ty_str v = trim(colon + 1, line.len - (size_t)(colon + 1 - line.p));
    struct http_dir *d = &h->d[is_orig ? 0 : 1];
    if (name_is(name, "content-length")) {
        uint64_t x = 0;
        size_t i = 0;
        for (; i < v.len && v.p[i] >= '0' && v.p[i] <= '9' && x < (1ull << 60); i++)
            x = x * 10 + (uint64_t)(v.p[i] - '0');
        if (i > 0) {
            d->has_cl = true;
            d->content_length = x;
        }
    } else if (name_is(name, "transfer-encoding")) {
        for (size_t i = 0; i + 7 <= v.len; i++)
            if (ty_str_eq_nocase(ty_str_make(v.p + i, 7), TY_STR_LIT("chunked")))
                d->chunked = true;
    }
    struct ty_net_http_rec *r = NULL;
    if (is_orig) {
        r = h->n_q ? h->q[h->n_q - 1] : NULL;
        if (!r)
            return;
        if (name_is(name, "host"))
            copy_field(r->host, sizeof(r->host), v.p, v.len);
        else if (name_is(name, "referer"))
            copy_field(r->referrer, sizeof(r->referrer), v.p, v.len);
        else if (name_is(name, "origin"))
            copy_field(r->origin, sizeof(r->origin), v.p, v.len);
        else if (name_is(name, "user-agent"))
            copy_field(r->user_agent, sizeof(r->user_agent), v.p, v.len);
        else if ((name_is(name, "authorization") || name_is(name, "proxy-authorization")) &&
                 v.len > 6 && ty_str_eq_nocase(ty_str_make(v.p, 6), TY_STR_LIT("basic ")))
            b64_user(r->username, sizeof(r->username), trim(v.p + 6, v.len - 6));
    }
}

static struct ty_net_http_rec *cur_resp_rec(struct ty_net *n, struct net_conn *c,
                                            struct net_http *h)
{
    if (h->cur_resp < h->n_q)
        return h->q[h->cur_resp];
    return NULL;
    (void)n;
    (void)c;
}

/* The end of one message in direction is_orig. */
static void message_done(struct ty_net *n, struct net_http *h, bool is_orig)
{
    struct http_dir *d = &h->d[is_orig ? 0 : 1];
    if (is_orig) {
        body_done(n, h, true, h->n_q ? h->q[h->n_q - 1]->orig_fuid : NULL);
        if (h->n_q)
            h->q[h->n_q - 1]->request_body_len = d->body_len;
    } else {
        struct ty_net_http_rec *r = h->cur_resp < h->n_q ? h->q[h->cur_resp] : NULL;
        body_done(n, h, false, r ? r->resp_fuid : NULL);
        if (r) {
            r->response_body_len = d->body_len;
            if (r->status_code < 100 || r->status_code > 199) {
                /* written in order: everything up to this one */
                unsigned k = h->cur_resp + 1;
                while (k--)
                    pop_front(n, h);
                h->cur_resp = 0;
            }
        }
    }
    d->state = ST_START;
    d->body_len = 0;
    d->has_cl = d->chunked = false;
    d->content_length = 0;
}

static void start_line(struct ty_net *n, struct net_conn *c, struct net_http *h, bool is_orig,
                       struct ty_str line)
{
    struct http_dir *d = &h->d[is_orig ? 0 : 1];
    if (line.len == 0)
        return; /* stray CRLF between messages */
    if (is_orig) {
        if (!net_http_looks((const uint8_t *)line.p, line.len, true))
            return; /* not a request: wait for one */
        const char *sp1 = memchr(line.p, ' ', line.len);
        struct ty_net_http_rec *r = new_rec(n, c, h);
        if (!r)
            return;
        if (h->confirmed)
            net_conn_add_service(c, SVC_HTTP);
        copy_field(r->method, sizeof(r->method), line.p, (size_t)(sp1 - line.p));
        const char *u = sp1 + 1;
        size_t rest = line.len - (size_t)(u - line.p);
        const char *sp2 = memchr(u, ' ', rest);
        size_t ulen = sp2 ? (size_t)(sp2 - u) : rest;
        copy_uri(r->uri, sizeof(r->uri), u, ulen);
        /* version: Zeek logs the reply's only */
        h->req_head = strcmp(r->method, "HEAD") == 0;
        d->state = ST_HEADERS;
        if (!sp2) /* HTTP/0.9: no headers */
            message_done(n, h, true);
        return;
    }
    if (line.len < 5 || memcmp(line.p, "HTTP/", 5) != 0)
        return;
    struct ty_net_http_rec *r = cur_resp_rec(n, c, h);
    if (!r) {
        r = new_rec(n, c, h);
        if (!r)
            return;
        h->cur_resp = h->n_q - 1;
    }
    h->confirmed = true;
    net_conn_add_service(c, SVC_HTTP);
    const char *sp1 = memchr(line.p, ' ', line.len);
    size_t vlen = sp1 ? (size_t)(sp1 - line.p) : line.len;
    copy_field(r->version, sizeof(r->version), line.p + 5, vlen - 5);
    int code = 0;
    const char *q = sp1 ? sp1 + 1 : line.p + line.len;
    const char *end = line.p + line.len;
    while (q < end && *q == ' ')
        q++;
    int nd = 0;
    while (q < end && *q >= '0' && *q <= '9' && nd < 3) {
        code = code * 10 + (*q++ - '0');
        nd++;
    }
    while (q < end && *q == ' ')
        q++;
    r->status_code = nd ? code : -1;
    copy_field(r->status_msg, sizeof(r->status_msg), q, (size_t)(end - q));
    if (code >= 100 && code <= 199) {
        r->info_code = code;
        copy_field(r->info_msg, sizeof(r->info_msg), q, (size_t)(end - q));
    }
    d->state = ST_HEADERS;
}

static void headers_done(struct ty_net *n, struct net_http *h, bool is_orig)
{
    struct http_dir *d = &h->d[is_orig ? 0 : 1];
    if (is_orig) {
        if (d->chunked)
            d->state = ST_CHUNK_SIZE;
        else if (d->has_cl && d->content_length > 0) {
            d->state = ST_BODY_CL;
            d->remain = d->content_length;
        } else
            message_done(n, h, true);
        return;
    }
    struct ty_net_http_rec *r = h->cur_resp < h->n_q ? h->q[h->cur_resp] : NULL;
    int code = r ? r->status_code : 200;
    bool head = r && strcmp(r->method, "HEAD") == 0;
    if (code == 101) {
        message_done(n, h, false);
        h->upgraded = true;
        h->d[0].state = h->d[1].state = ST_DEAD;
        return;
    }
    if ((code >= 100 && code <= 199) || code == 204 || code == 304 || head) {
        message_done(n, h, false);
    } else if (d->chunked) {
        d->state = ST_CHUNK_SIZE;
    } else if (d->has_cl) {
        if (d->content_length == 0)
            message_done(n, h, false);
        else {
            d->state = ST_BODY_CL;
            d->remain = d->content_length;
        }
    } else {
        d->state = ST_BODY_CLOSE;
    }
}

/* One complete line (without CRLF) in a line-oriented state. */
static void on_line(struct ty_net *n, struct net_conn *c, struct net_http *h, bool is_orig,
                    struct ty_str line)
{
    struct http_dir *d = &h->d[is_orig ? 0 : 1];
    switch (d->state) {
    case ST_START:
        start_line(n, c, h, is_orig, line);
        break;
    case ST_HEADERS:
        if (line.len == 0)
            headers_done(n, h, is_orig);
        else
            header(h, is_orig, line);
        break;
    case ST_CHUNK_SIZE: {
        uint64_t x = 0;
        size_t i = 0;
        int v;
        while (i < line.len && line.p[i] == ' ')
            i++;
        size_t start = i;
        for (; i < line.len && (v = hexval(line.p[i])) >= 0 && x < (1ull << 56); i++)
            x = x * 16 + (uint64_t)v;
        if (i == start) { /* not a chunk size: give up on this body */
            message_done(n, h, is_orig);
            break;
        }
        if (x == 0)
            d->state = ST_TRAILER;
        else {
            d->state = ST_CHUNK_DATA;
            d->remain = x;
        }
        break;
    }
    case ST_CHUNK_CRLF:
        d->state = ST_CHUNK_SIZE;
        if (line.len != 0)
            on_line(n, c, h, is_orig, line);
        break;
    case ST_TRAILER:
        if (line.len == 0)
            message_done(n, h, is_orig);
        break;
    default:
        break;
    }
}

void net_http_data(struct ty_net *n, struct net_conn *c, bool is_orig, const uint8_t *p,
                   size_t len)
{
    struct net_http *h = c->http;
    if (!h) {
        static const uint16_t ports[] = {80, 81, 631, 1080, 3128, 8000, 8080, 8888};
        h = c->http = net_mem_get(n, sizeof(*h), true);
        if (!h)
            return;
        net_fill_common(c, h->uid, &h->id, &h->pos);
        for (size_t i = 0; i < sizeof(ports) / sizeof(ports[0]); i++)
            if (c->id.resp_p == ports[i])
                h->confirmed = true;
    }
    struct http_dir *d = &h->d[is_orig ? 0 : 1];
    while (len > 0 && n->rc == 0) {
        if (d->state == ST_DEAD)
            return;
        if (d->state == ST_BODY_CL || d->state == ST_CHUNK_DATA) {
            size_t take = d->remain < len ? (size_t)d->remain : len;
            body_bytes(n, d, p, take);
            d->remain -= take;
            d->body_len += take;
            p += take;
            len -= take;
            if (d->remain == 0) {
                if (d->state == ST_BODY_CL)
                    message_done(n, h, is_orig);
                else
                    d->state = ST_CHUNK_CRLF;
            }
            continue;
        }
        if (d->state == ST_BODY_CLOSE) {
            body_bytes(n, d, p, len);
            d->body_len += len;
            d->last_lf = p[len - 1] == '\n';
            return;
        }
        if (!d->line && !(d->line = net_mem_get(n, LINE_MAX_, false)))
            return;
        const uint8_t *nl = memchr(p, '\n', len);
        size_t take = nl ? (size_t)(nl - p) + 1 : len;
        size_t room = LINE_MAX_ - d->line_len;
        size_t copy = take < room ? take : room;
        memcpy(d->line + d->line_len, p, copy);
        d->line_len += copy;
        p += take;
        len -= take;
        if (!nl)
            continue;
        size_t ll = d->line_len;
        while (ll && (d->line[ll - 1] == '\n' || d->line[ll - 1] == '\r'))
            ll--;
        d->line_len = 0;
        on_line(n, c, h, is_orig, ty_str_make(d->line, ll));
    }
    if (d->line && d->line_len == 0) { /* keep a line buffer only while a line is cut */
        net_mem_put(n, d->line, LINE_MAX_);
        d->line = NULL;
    }
}

void net_http_gap(struct ty_net *n, struct net_conn *c, bool is_orig, uint64_t gap)
{
    struct net_http *h = c->http;
    if (!h)
        return;
    struct http_dir *d = &h->d[is_orig ? 0 : 1];
    if (d->state == ST_DEAD)
        return;
    /* Body bytes lost: counted in the body length as Zeek does. */
    if (d->state == ST_BODY_CLOSE) {
        d->body_len += gap;
        d->body_missing += gap;
        return;
    }
    if (d->state == ST_BODY_CL || d->state == ST_CHUNK_DATA) {
        uint64_t take = gap < d->remain ? gap : d->remain;
        d->body_len += take;
        d->body_missing += take;
        d->remain -= take;
        if (d->remain == 0) {
            if (d->state == ST_BODY_CL)
                message_done(n, h, is_orig);
            else
                d->state = ST_CHUNK_CRLF;
        }
        return;
    }
    d->line_len = 0;
    d->state = ST_START;
    (void)n;
}

void net_http_close(struct ty_net *n, struct net_conn *c)
{
    struct net_http *h = c->http;
    if (!h)
        return;
    for (int k = 0; k < 2; k++) { /* bodies cut by the end of the connection */
        struct ty_net_http_rec *r = k == 0 ? (h->n_q ? h->q[h->n_q - 1] : NULL)
                                           : (h->cur_resp < h->n_q ? h->q[h->cur_resp] : NULL);
        body_done(n, h, k == 0, r ? (k == 0 ? r->orig_fuid : r->resp_fuid) : NULL);
    }
    if (h->d[1].state == ST_BODY_CLOSE) {
        struct ty_net_http_rec *r = h->cur_resp < h->n_q ? h->q[h->cur_resp] : NULL;
        /* Zeek reads such bodies as lines: an unterminated last line counts a CRLF */
        if (r)
            r->response_body_len =
                h->d[1].body_len + (h->d[1].body_len && !h->d[1].last_lf ? 2 : 0);
    } else if (h->d[1].state == ST_BODY_CL || h->d[1].state == ST_CHUNK_DATA) {
        struct ty_net_http_rec *r = h->cur_resp < h->n_q ? h->q[h->cur_resp] : NULL;
        if (r)
            r->response_body_len = h->d[1].body_len;
    }
    if ((h->d[0].state == ST_BODY_CL || h->d[0].state == ST_CHUNK_DATA) && h->n_q)
        h->q[h->n_q - 1]->request_body_len = h->d[0].body_len;
    while (h->n_q)
        pop_front(n, h);
    net_mem_put(n, h->d[0].line, LINE_MAX_);
    net_mem_put(n, h->d[1].line, LINE_MAX_);
    net_mem_put(n, h, sizeof(*h));
    c->http = NULL;
}
