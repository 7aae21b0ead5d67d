/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pcap.c - deterministic libpcap writer (magic a1b2c3d4, µs timestamps, LINKTYPE_ETHERNET,
 * little-endian file header) for the story generators. Frames are built with correct IPv4,
 * TCP and UDP checksums; TCP sessions keep real sequence/ack numbers. Frames are buffered in
 * memory and sorted by (time, order added) by pcap_save, so callers may write sessions one
 * after another even when they overlap in time; the file is built in memory too (about twice
 * its size at the peak).
 */
#include "pcap.h"

#include "out.h"
#include "rng.h"
#include "timefmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MSS 1460
#define ACK_DELAY 40         /* µs between a segment and the receiver's ACK */
#define SEG_GAP 12           /* µs between back-to-back segments */
#define INIT_WINDOW 10       /* segments sent before waiting a round trip for ACKs */

enum { F_FIN = 0x01, F_SYN = 0x02, F_RST = 0x04, F_PSH = 0x08, F_ACK = 0x10 };

struct frame {
    int64_t t;
    size_t off;
    uint32_t len;
    uint32_t idx;          /* order added */
};

struct pcap_writer {
    unsigned char *data;
    size_t len, cap;
    struct frame *fr;
    size_t nfr, capfr;
    uint64_t *where;       /* by order added, after save: 2 × (frame number, file offset) */
    uint16_t ipid;
    uint64_t bytes;
};

struct pcap_writer *pcap_new(void)
{
    struct pcap_writer *w = xrealloc(NULL, sizeof *w);
    memset(w, 0, sizeof *w);
    w->ipid = 0x1c46;
    return w;
}

uint64_t pcap_bytes(const struct pcap_writer *w)
{
    return w->bytes;
}

uint64_t pcap_packets(const struct pcap_writer *w)
{
    return w->nfr;
}

static void le32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

static void be16(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 8);
    p[1] = (unsigned char)v;
}

static void be32(unsigned char *p, uint32_t v)
{
    be16(p, v >> 16);
    be16(p + 2, v & 0xffff);
}

static int cmp_frame(const void *a, const void *b)
{
    const struct frame *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return x->off < y->off ? -1 : x->off > y->off;
}

void pcap_save(struct pcap_writer *w, const char *rel)
{
    size_t n = 24 + 16 * w->nfr + w->len, at = 24;
    unsigned char *o = xrealloc(NULL, n);
    le32(o, 0xa1b2c3d4);
    le32(o + 4, 0x00040002);                  /* version 2.4 (two little-endian u16) */
    le32(o + 8, 0);                           /* thiszone */
    le32(o + 12, 0);                          /* sigfigs */
    le32(o + 16, 262144);                     /* snaplen */
    le32(o + 20, 1);                          /* LINKTYPE_ETHERNET */
    qsort(w->fr, w->nfr, sizeof *w->fr, cmp_frame);
    w->where = xrealloc(w->where, (w->nfr + 1) * 2 * sizeof *w->where);
    for (size_t i = 0; i < w->nfr; i++) {
        const struct frame *fr = &w->fr[i];
        le32(o + at, (uint32_t)(fr->t / 1000000));
        le32(o + at + 4, (uint32_t)(fr->t % 1000000));
        le32(o + at + 8, fr->len);
        le32(o + at + 12, fr->len);
        memcpy(o + at + 16, w->data + fr->off, fr->len);
        w->where[2 * (size_t)fr->idx] = i + 1;
        w->where[2 * (size_t)fr->idx + 1] = at;
        at += 16 + fr->len;
    }
    out_file(rel, o, at);
    free(o);
}

void pcap_free(struct pcap_writer *w)
{
    if (!w)
        return;
    free(w->data);
    free(w->fr);
    free(w->where);
    free(w);
}

size_t pcap_mark(const struct pcap_writer *w)
{
    return w->nfr;
}

void pcap_locate(const struct pcap_writer *w, size_t mark, uint64_t *frame, uint64_t *offset)
{
    int ok = w->where && mark < w->nfr;
    *frame = ok ? w->where[2 * mark] : 0;
    *offset = ok ? w->where[2 * mark + 1] : 0;
}

struct pcap_host pcap_host_make(const char *ip, const uint8_t mac[6], uint8_t ttl)
{
    struct pcap_host h;
    unsigned a = 0, b = 0, c = 0, d = 0;
    memset(&h, 0, sizeof h);
    if (sscanf(ip, "%u.%u.%u.%u", &a, &b, &c, &d) != 4 || a > 255 || b > 255 || c > 255 ||
        d > 255) {
        die("pcap: bad address %s", ip);
    }
    h.ip = (uint32_t)a << 24 | (uint32_t)b << 16 | (uint32_t)c << 8 | d;
    memcpy(h.mac, mac, 6);
    h.ttl = ttl;
    return h;
}

char *pcap_ip_str(char *out, uint32_t ip)
{
    snprintf(out, 16, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255);
    return out;
}

/* Ones' complement sum of `len` bytes, continuing `sum`. */
static uint32_t csum_add(uint32_t sum, const unsigned char *p, size_t len)
{
    for (size_t i = 0; i + 1 < len; i += 2)
        sum += (uint32_t)p[i] << 8 | p[i + 1];
    if (len & 1)
        sum += (uint32_t)p[len - 1] << 8;
    return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

/* Append one Ethernet/IPv4 frame carrying the transport header `l4` (checksum field at
 * `ck_at`, zero) and payload. */
static void put_frame(struct pcap_writer *w, int64_t t, const struct pcap_host *src,
                      const struct pcap_host *dst, int proto, unsigned char *l4, size_t l4len,
                      size_t ck_at, const void *data, size_t len)
{
    size_t total = 14 + 20 + l4len + len;
    if (w->len + total > w->cap) {
        w->cap = (w->len + total) * 2 + 65536;
        w->data = xrealloc(w->data, w->cap);
    }
    if (w->nfr == w->capfr) {
        w->capfr = w->capfr * 2 + 1024;
        w->fr = xrealloc(w->fr, w->capfr * sizeof *w->fr);
    }
    unsigned char *p = w->data + w->len;
    memcpy(p, dst->mac, 6);
    memcpy(p + 6, src->mac, 6);
    be16(p + 12, 0x0800);
    unsigned char *ip = p + 14;
    ip[0] = 0x45;
    ip[1] = 0;
    be16(ip + 2, (uint32_t)(20 + l4len + len));
    be16(ip + 4, w->ipid);
    w->ipid = (uint16_t)(w->ipid + 1);
    be16(ip + 6, proto == 6 ? 0x4000 : 0);
    ip[8] = src->ttl ? src->ttl : 64;
    ip[9] = (unsigned char)proto;
    be16(ip + 10, 0);
    be32(ip + 12, src->ip);
    be32(ip + 16, dst->ip);
    be16(ip + 10, csum_fold(csum_add(0, ip, 20)));
    unsigned char pseudo[12];
    be32(pseudo, src->ip);
    be32(pseudo + 4, dst->ip);
    pseudo[8] = 0;
    pseudo[9] = (unsigned char)proto;
    be16(pseudo + 10, (uint32_t)(l4len + len));
    uint32_t sum = csum_add(0, pseudo, 12);
    if (l4len & 1) {
        die("pcap: odd transport header");
    }
    sum = csum_add(sum, l4, l4len);
    sum = csum_add(sum, data, len);
    uint16_t ck = csum_fold(sum);
    if (proto == 17 && ck == 0)
        ck = 0xffff;
    be16(l4 + ck_at, ck);
    memcpy(ip + 20, l4, l4len);
    if (len)
        memcpy(ip + 20 + l4len, data, len);
    w->fr[w->nfr].t = t;
    w->fr[w->nfr].off = w->len;
    w->fr[w->nfr].len = (uint32_t)total;
    w->fr[w->nfr].idx = (uint32_t)w->nfr;
    w->nfr++;
    w->len += total;
    w->bytes += total;
}

void pcap_udp(struct pcap_writer *w, int64_t t, const struct pcap_host *src, uint16_t sport,
              const struct pcap_host *dst, uint16_t dport, const void *data, size_t len)
{
    unsigned char u[8];
    be16(u, sport);
    be16(u + 2, dport);
    be16(u + 4, (uint32_t)(8 + len));
    be16(u + 6, 0);
    put_frame(w, t, src, dst, 17, u, 8, 6, data, len);
}

/* Encode `name` as DNS labels at `p`; returns the bytes written. */
static size_t dns_name(unsigned char *p, const char *name)
{
    size_t n = 0;
    while (*name) {
        const char *dot = strchr(name, '.');
        size_t l = dot ? (size_t)(dot - name) : strlen(name);
        if (l > 63)
            l = 63;
        p[n++] = (unsigned char)l;
        memcpy(p + n, name, l);
        n += l;
        name += l;
        if (*name == '.')
            name++;
    }
    p[n++] = 0;
    return n;
}

void pcap_dns(struct pcap_writer *w, int64_t t, int64_t rtt, const struct pcap_host *cli,
              uint16_t cport, const struct pcap_host *dns, uint16_t id, const char *name,
              uint16_t qtype, int rcode, const char *cname, const uint32_t *ans, int nans,
              uint32_t ttl)
{
    unsigned char m[1024];
    size_t n = 12;
    if (strlen(name) > 253 || (cname && strlen(cname) > 253))
        die("pcap: DNS name too long");
    memset(m, 0, 12);
    be16(m, id);
    be16(m + 2, 0x0100);                       /* standard query, recursion desired */
    be16(m + 4, 1);
    n += dns_name(m + n, name);
    be16(m + n, qtype);
    be16(m + n + 2, 1);
    n += 4;
    pcap_udp(w, t, cli, cport, dns, 53, m, n);
    /* The answer: same header and question, then the records. */
    be16(m + 2, 0x8180u | (unsigned)(rcode & 15));
    int count = 0;
    unsigned ptr = 0xc00c;                     /* owner name of the A records */
    if (rcode == 0 && cname) {
        be16(m + n, 0xc00c);
        be16(m + n + 2, 5);
        be16(m + n + 4, 1);
        be32(m + n + 6, ttl);
        size_t l = dns_name(m + n + 12, cname);
        be16(m + n + 10, (uint32_t)l);
        ptr = 0xc000u | (unsigned)(n + 12);
        n += 12 + l;
        count++;
    }
    for (int i = 0; rcode == 0 && qtype == 1 && i < nans && n + 16 < sizeof m; i++) {
        be16(m + n, ptr);
        be16(m + n + 2, 1);
        be16(m + n + 4, 1);
        be32(m + n + 6, ttl);
        be16(m + n + 10, 4);
        be32(m + n + 12, ans[i]);
        n += 16;
        count++;
    }
    be16(m + 6, (uint32_t)count);
    pcap_udp(w, t + rtt, dns, 53, cli, cport, m, n);
}

/* One TCP segment from the client (dir 1) or server (dir 0). */
static void seg(struct pcap_tcp *s, int64_t t, int from_client, int flags, uint32_t seq,
                uint32_t ack, const void *data, size_t len)
{
    unsigned char h[32];
    size_t hl = 20;
    memset(h, 0, sizeof h);
    be16(h, from_client ? s->cport : s->sport);
    be16(h + 2, from_client ? s->sport : s->cport);
    be32(h + 4, seq);
    be32(h + 8, (flags & F_ACK) ? ack : 0);
    if (flags & F_SYN) {
        static const unsigned char opt[12] = {2, 4, 0x05, 0xb4, 1, 3, 3, 7, 4, 2, 1, 1};
        memcpy(h + 20, opt, sizeof opt);
        hl = 32;
    }
    h[12] = (unsigned char)((hl / 4) << 4);
    h[13] = (unsigned char)flags;
    be16(h + 14, (flags & F_SYN) ? 64240 : (flags & F_RST) ? 0 : 502);
    if (from_client)
        put_frame(s->w, t, &s->cli, &s->srv, 6, h, hl, 16, data, len);
    else
        put_frame(s->w, t, &s->srv, &s->cli, 6, h, hl, 16, data, len);
}

void pcap_tcp_open(struct pcap_tcp *s, struct pcap_writer *w, int64_t t, int64_t rtt,
                   const struct pcap_host *cli, uint16_t cport, const struct pcap_host *srv,
                   uint16_t sport, uint32_t isn_c, uint32_t isn_s)
{
    memset(s, 0, sizeof *s);
    s->w = w;
    s->cli = *cli;
    s->srv = *srv;
    s->cport = cport;
    s->sport = sport;
    s->rtt = rtt < 2 ? 2 : rtt;
    seg(s, t, 1, F_SYN, isn_c, 0, NULL, 0);
    seg(s, t + s->rtt / 2, 0, F_SYN | F_ACK, isn_s, isn_c + 1, NULL, 0);
    seg(s, t + s->rtt, 1, F_ACK, isn_c + 1, isn_s + 1, NULL, 0);
    s->cseq = isn_c + 1;
    s->sseq = isn_s + 1;
    s->t = t + s->rtt + 1;
    s->open = 1;
}

void pcap_tcp_start(struct pcap_tcp *s, struct pcap_writer *w, int64_t t, int64_t rtt,
                    const struct pcap_host *cli, uint16_t cport, const struct pcap_host *srv,
                    uint16_t sport)
{
    uint32_t isn_c = (uint32_t)rng_u64();
    uint32_t isn_s = (uint32_t)rng_u64();
    pcap_tcp_open(s, w, t, rtt, cli, cport, srv, sport, isn_c, isn_s);
}

void pcap_tcp_refused(struct pcap_writer *w, int64_t t, int64_t rtt, const struct pcap_host *cli,
                      uint16_t cport, const struct pcap_host *srv, uint16_t sport, uint32_t isn)
{
    struct pcap_tcp s;
    memset(&s, 0, sizeof s);
    s.w = w;
    s.cli = *cli;
    s.srv = *srv;
    s.cport = cport;
    s.sport = sport;
    seg(&s, t, 1, F_SYN, isn, 0, NULL, 0);
    seg(&s, t + (rtt < 2 ? 2 : rtt), 0, F_RST | F_ACK, 0, isn + 1, NULL, 0);
}

void pcap_tcp_send(struct pcap_tcp *s, int from_client, const void *data, size_t len)
{
    const unsigned char *p = data;
    uint32_t *seq = from_client ? &s->cseq : &s->sseq;
    uint32_t *peer = from_client ? &s->sseq : &s->cseq;
    int64_t t = s->t, last_ack = s->t;
    size_t nseg = 0;
    if (!s->open || len == 0)
        return;
    for (size_t off = 0; off < len; nseg++) {
        size_t n = len - off < MSS ? len - off : MSS;
        int last = off + n == len;
        if (nseg && nseg % INIT_WINDOW == 0)
            t = last_ack + SEG_GAP;            /* wait for the window to open */
        seg(s, t, from_client, F_ACK | (last ? F_PSH : 0), *seq, *peer, p + off, n);
        *seq += (uint32_t)n;
        off += n;
        if (nseg % 2 == 1 || last) {
            /* The receiver acks every second segment (and the last one) a round trip later
             * as seen by the sender's window, but only ACK_DELAY after arrival. */
            int64_t ta = t + ACK_DELAY;
            if ((nseg + 1) % INIT_WINDOW == 0 && !last)
                ta = t + s->rtt;
            seg(s, ta, !from_client, F_ACK, *peer, *seq, NULL, 0);
            last_ack = ta;
        }
        t += SEG_GAP;
    }
    s->t = (last_ack > t ? last_ack : t) + 1;
}

void pcap_tcp_wait(struct pcap_tcp *s, int64_t us)
{
    if (us > 0)
        s->t += us;
}

void pcap_tcp_close(struct pcap_tcp *s, int from_client)
{
    uint32_t *a = from_client ? &s->cseq : &s->sseq;
    uint32_t *b = from_client ? &s->sseq : &s->cseq;
    if (!s->open)
        return;
    seg(s, s->t, from_client, F_FIN | F_ACK, *a, *b, NULL, 0);
    *a += 1;
    seg(s, s->t + s->rtt / 2, !from_client, F_FIN | F_ACK, *b, *a, NULL, 0);
    *b += 1;
    seg(s, s->t + s->rtt, from_client, F_ACK, *a, *b, NULL, 0);
    s->t += s->rtt + 1;
    s->open = 0;
}

void pcap_tcp_reset(struct pcap_tcp *s, int from_client)
{
    if (!s->open)
        return;
    seg(s, s->t, from_client, F_RST | F_ACK, from_client ? s->cseq : s->sseq,
        from_client ? s->sseq : s->cseq, NULL, 0);
    s->t += 1;
    s->open = 0;
}

void pcap_http(struct pcap_tcp *s, const char *req, size_t reqlen, int64_t think,
               const char *resp, size_t resplen)
{
    pcap_tcp_send(s, 1, req, reqlen);
    pcap_tcp_wait(s, think);
    pcap_tcp_send(s, 0, resp, resplen);
}

char *pcap_http_date(char *o, int64_t t)
{
    static const char *const wd[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    int64_t sec = t / 1000000;
    struct tf_ymd d = tf_split(sec);
    snprintf(o, 32, "%s, %02u %s %04d %02u:%02u:%02u GMT", wd[d.wday % 7], d.d,
             mon[(d.mo + 11) % 12], d.y, d.h, d.mi, d.s);
    return o;
}

void pcap_http_req(struct sb *b, const char *method, const char *uri, const char *host,
                   const char *ua, const char *hdrs, const char *body, size_t blen)
{
    sb_f(b, "%s %s HTTP/1.1\r\nHost: %s\r\n", method, uri, host);
    if (ua)
        sb_f(b, "User-Agent: %s\r\n", ua);
    if (hdrs)
        sb_s(b, hdrs);
    if (body)
        sb_f(b, "Content-Length: %zu\r\n", blen);
    sb_s(b, "\r\n");
    if (body)
        sb_add(b, body, blen);
}

static const char *reason(int code)
{
    switch (code) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    default: return "Unknown";
    }
}

void pcap_http_resp(struct sb *b, int64_t t, int code, const char *server, const char *ctype,
                    const char *hdrs, const char *body, size_t blen)
{
    char date[32];
    sb_f(b, "HTTP/1.1 %d %s\r\n", code, reason(code));
    if (server)
        sb_f(b, "Server: %s\r\n", server);
    sb_f(b, "Date: %s\r\n", pcap_http_date(date, t));
    if (hdrs)
        sb_s(b, hdrs);
    if (ctype)
        sb_f(b, "Content-Type: %s\r\n", ctype);
    if (code != 304 && code != 204)
        sb_f(b, "Content-Length: %zu\r\n", blen);
    sb_s(b, "\r\n");
    if (body && code != 304 && code != 204)
        sb_add(b, body, blen);
}
