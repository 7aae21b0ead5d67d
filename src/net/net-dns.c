/* SPDX-License-Identifier: Apache-2.0 */
/*
 * net-dns.c - DNS messages (RFC 1035) over UDP and TCP (2-byte length
 * prefix) into Zeek's dns.log records: a query waits (at most MAX_PENDING per
 * connection) for the reply with its transaction id; the pair is written at
 * the reply, an unanswered query when the connection ends, a reply without a
 * query on its own. Answers are the answer section only, rendered as Zeek
 * does (A/AAAA address, CNAME/NS/PTR/MX/SRV/SOA name, "TXT <len> <text>").
 * A reply without a question takes its query name from the first answer
 * (mDNS). Names are decompressed with a jump limit; non-printable bytes are
 * written \xHH. rejected = a non-zero rcode with no records at all.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net-int.h"

#define MAX_PENDING 32

struct net_dns {
    struct ty_net_dns_rec *q[MAX_PENDING];
    unsigned n_q;
    uint8_t *tcp_buf[2];        /* TCP: a message being assembled (64 KiB + 2) */
    size_t tcp_len[2];
};

static uint16_t be16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static const char *lookup_name(unsigned v, const unsigned *codes, const char *const *names,
                               size_t n, const char *fmt, char *buf, size_t size)
{
    for (size_t i = 0; i < n; i++)
        if (codes[i] == v)
            return names[i];
    snprintf(buf, size, fmt, v);
    return buf;
}

const char *net_dns_qtype_name(unsigned t, char *buf, size_t size)
{
    static const unsigned c[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18,
                                 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34,
                                 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50,
                                 51, 52, 55, 59, 60, 61, 62, 64, 65, 99, 100, 101, 102, 103,
                                 249, 250, 251, 252, 253, 254, 255, 256, 257, 32768, 32769};
    static const char *const nm[] = {
        "A", "NS", "MD", "MF", "CNAME", "SOA", "MB", "MG", "MR", "NULL", "WKS", "PTR", "HINFO",
        "MINFO", "MX", "TXT", "RP", "AFSDB", "X25", "ISDN", "RT", "NSAP", "NSAP-PTR", "SIG",
        "KEY", "PX", "GPOS", "AAAA", "LOC", "NXT", "EID", "NIMLOC", "SRV", "ATMA", "NAPTR", "KX",
        "CERT", "A6", "DNAME", "SINK", "OPT", "APL", "DS", "SSHFP", "IPSECKEY", "RRSIG", "NSEC",
        "DNSKEY", "DHCID", "NSEC3", "NSEC3PARAM", "TLSA", "HIP", "CDS", "CDNSKEY", "OPENPGPKEY",
        "CSYNC", "SVCB", "HTTPS", "SPF", "UINFO", "UID", "GID", "UNSPEC", "TKEY", "TSIG",
        "IXFR", "AXFR", "MAILB", "MAILA", "*", "URI", "CAA", "TA", "DLV"};
    return lookup_name(t, c, nm, sizeof(c) / sizeof(c[0]), "query-%u", buf, size);
}

const char *net_dns_qclass_name(unsigned v, char *buf, size_t size)
{
    static const unsigned c[] = {1, 2, 3, 4, 254, 255};
    static const char *const nm[] = {"C_INTERNET", "C_CSNET", "C_CHAOS", "C_HESIOD", "C_NONE",
                                     "C_ANY"};
    return lookup_name(v, c, nm, 6, "qclass-%u", buf, size);
}

const char *net_dns_rcode_name(unsigned v, char *buf, size_t size)
{
    static const unsigned c[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 16, 17, 18, 19, 20, 21};
    static const char *const nm[] = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP",
                                     "REFUSED", "YXDOMAIN", "YXRRSET", "NXRRSet", "NOTAUTH",
                                     "NOTZONE", "BADVERS", "BADKEY", "BADTIME", "BADMODE",
                                     "BADNAME", "BADALG"};
    return lookup_name(v, c, nm, sizeof(c) / sizeof(c[0]), "rcode-%u", buf, size);
}

const char *net_dns_opcode_name(unsigned v, char *buf, size_t size)
{
    static const unsigned c[] = {0, 1, 2, 4, 5};
    static const char *const nm[] = {"query", "inverse-query", "status", "notify", "update"};
    return lookup_name(v, c, nm, 5, "opcode-%u", buf, size);
}

/* Decompress the name at *off into out (dotted, escaped). Returns 0 or -1. */
static int read_name(const uint8_t *m, size_t len, size_t *off, char *out, size_t size)
{
    uint8_t raw[256];
    size_t o = 0, pos = *off;
    bool jumped = false;
    int jumps = 0;
    for (;;) {
        if (pos >= len)
            return -1;
        uint8_t l = m[pos];
        if (l == 0) {
            pos++;
            break;
        }
        if ((l & 0xc0) == 0xc0) {
            if (pos + 1 >= len || ++jumps > 32)
                return -1;
            size_t target = (size_t)(l & 0x3f) << 8 | m[pos + 1];
            if (!jumped)
                *off = pos + 2;
            jumped = true;
            pos = target;
            continue;
        }
        if (l & 0xc0)
            return -1;
        if (pos + 1 + l > len)
            return -1;
        if (o && o < sizeof(raw))
            raw[o++] = '.';
        for (size_t i = 0; i < l && o < sizeof(raw); i++)
            raw[o++] = m[pos + 1 + i];
        pos += 1u + l;
    }
    if (!jumped)
        *off = pos;
    net_escape(out, size, raw, o);
    return 0;
}

int net_dns_looks(const uint8_t *p, size_t len)
{
    if (len < 12)
        return 0;
    unsigned qd = be16(p + 4), an = be16(p + 6);
    unsigned opcode = (p[2] >> 3) & 0x0f;
    return qd <= 16 && an <= 256 && opcode <= 6;
}

static void emit(struct ty_net *n, struct ty_net_dns_rec *r)
{
    n->st.dns++;
    if (n->sink.dns && n->rc == 0)
        net_emit_err(n, n->sink.dns(n->sink.arg, r));
    net_mem_put(n, r, sizeof(*r));
}

static void take_pending(struct net_dns *d, unsigned i)
{
    memmove(d->q + i, d->q + i + 1, (d->n_q - i - 1) * sizeof(d->q[0]));
    d->n_q--;
}

static void answers(const uint8_t *m, size_t len, size_t off, unsigned an,
                    struct ty_net_dns_rec *r)
{
    for (unsigned i = 0; i < an; i++) {
        char name[256];
        if (read_name(m, len, &off, name, sizeof(name)) != 0 || off + 10 > len)
            return;
        unsigned type = be16(m + off);
        uint32_t ttl = (uint32_t)m[off + 4] << 24 | (uint32_t)m[off + 5] << 16 |
                       (uint32_t)m[off + 6] << 8 | m[off + 7];
        size_t rdlen = be16(m + off + 8);
        size_t rd = off + 10;
        if (rd + rdlen > len)
            return;
        off = rd + rdlen;
        if (!r->has_query) {
            memcpy(r->query, name, sizeof(r->query));
            r->query[sizeof(r->query) - 1] = 0;
            r->has_query = true;
        }
        char txt[4096];
        txt[0] = 0;
        size_t p = rd;
        switch (type) {
        case 1:
            if (rdlen == 4) {
                struct ty_net_addr a = {.family = 4};
                memcpy(a.a, m + rd, 4);
                ty_net_addr_fmt(&a, txt, sizeof(txt));
            }
            break;
        case 28:
            if (rdlen == 16) {
                struct ty_net_addr a = {.family = 6};
                memcpy(a.a, m + rd, 16);
                ty_net_addr_fmt(&a, txt, sizeof(txt));
            }
            break;
        case 2:
        case 5:
        case 12:
        case 6:
        case 39:
            read_name(m, rd + rdlen, &p, txt, sizeof(txt));
            break;
        case 15:
            p += 2;
            if (rdlen > 2)
                read_name(m, rd + rdlen, &p, txt, sizeof(txt));
            break;
        case 33:
            p += 6;
            if (rdlen > 6)
                read_name(m, rd + rdlen, &p, txt, sizeof(txt));
            break;
        case 16: {
            size_t o = 0;
            while (p < rd + rdlen && o + 16 < sizeof(txt)) {
                size_t sl = m[p++];
                if (p + sl > rd + rdlen)
                    break;
                char esc[1024];
                net_escape(esc, sizeof(esc), m + p, sl);
                int w = snprintf(txt + o, sizeof(txt) - o, "%sTXT %zu %s", o ? " " : "", sl,
                                 esc);
                if (w < 0 || (size_t)w >= sizeof(txt) - o)
                    break;
                o += (size_t)w;
                p += sl;
            }
            break;
        }
        default:
            break;
        }
        if (!txt[0])
            continue;
        size_t used = 0;
        if (r->n_answers) {
            const char *last = r->answer_text + r->answer_off[r->n_answers - 1];
            used = (size_t)(last - r->answer_text) + strlen(last) + 1;
        }
        size_t tl = strlen(txt);
        if (r->n_answers >= TY_NET_DNS_MAX_ANS || used + tl + 1 > sizeof(r->answer_text)) {
            r->answers_cut = true;
            continue;
        }
        memcpy(r->answer_text + used, txt, tl + 1);
        r->answer_off[r->n_answers] = (uint16_t)used;
        r->ttls[r->n_answers++] = ttl;
    }
}

/* Zeek lowercases query names; NetBIOS names (port 137) are decoded from
 * their first-level encoding ("FEEF..." -> "WORKGROUP"), suffix and padding
 * dropped. */
static void fix_query(const struct net_conn *c, char *q)
{
    size_t len = strlen(q);
    if ((c->id.orig_p == 137 || c->id.resp_p == 137) && len >= 32) {
        bool ok = true;
        for (size_t i = 0; i < 32; i++)
            ok &= q[i] >= 'A' && q[i] <= 'P';
        if (ok) {
            char out[17];
            for (size_t i = 0; i < 16; i++)
                out[i] = (char)((q[2 * i] - 'A') << 4 | (q[2 * i + 1] - 'A'));
            size_t o = 15;
            while (o > 0 && (out[o - 1] == ' ' || out[o - 1] == 0))
                o--;
            net_escape(q, 256, (const uint8_t *)out, o);
            return;
        }
    }
    for (size_t i = 0; i < len; i++)
        if (q[i] >= 'A' && q[i] <= 'Z')
            q[i] = (char)(q[i] - 'A' + 'a');
}

static void message(struct ty_net *n, struct net_conn *c, struct net_dns *d, const uint8_t *m,
                    size_t len)
{
    if (len < 12)
        return;
    uint16_t id = be16(m);
    bool qr = m[2] & 0x80;
    unsigned qd = be16(m + 4), an = be16(m + 6), ns = be16(m + 8), ar = be16(m + 10);
    char qname[256];
    unsigned qtype = 0, qclass = 0;
    bool has_q = false;
    size_t off = 12;
    if (qd > 0) {
        if (read_name(m, len, &off, qname, sizeof(qname)) != 0 || off + 4 > len)
            return;
        fix_query(c, qname);
        qtype = be16(m + off);
        qclass = be16(m + off + 2);
        off += 4;
        has_q = true;
        for (unsigned i = 1; i < qd; i++) { /* skip further questions */
            char skip[256];
            if (read_name(m, len, &off, skip, sizeof(skip)) != 0 || off + 4 > len)
                return;
            off += 4;
        }
    }
    net_conn_add_service(c, SVC_DNS);
    struct ty_net_dns_rec *r = NULL;
    if (qr) {
        for (unsigned i = 0; i < d->n_q; i++)
            if (d->q[i]->trans_id == id) {
                r = d->q[i];
                take_pending(d, i);
                break;
            }
    }
    if (!r) {
        r = net_mem_get(n, sizeof(*r), true);
        if (!r)
            return;
        r->ts = n->now;
        net_fill_common(c, r->uid, &r->id, &r->pos);
        r->trans_id = id;
        r->rtt = -1;
        r->rcode = -1;
        if (has_q) {
            memcpy(r->query, qname, sizeof(r->query));
            r->has_query = true;
            r->qtype = (uint16_t)qtype;
            r->qclass = (uint16_t)qclass;
        }
        r->opcode = (m[2] >> 3) & 0x0f;
    }
    /* Zeek sets rtt, AA and RA only while handling answer records. */
    if (qr && an > 0) {
        if (r->ts <= n->now && r->rtt < 0 && r->has_query)
            r->rtt = n->now - r->ts;
        r->aa = m[2] & 0x04;
        r->ra = m[3] & 0x80;
    }
    r->rd = m[2] & 0x01;
    r->tc = m[2] & 0x02;
    r->z = (m[3] >> 4) & 0x07;
    if (!qr) {
        if (d->n_q == MAX_PENDING) {
            emit(n, d->q[0]);
            take_pending(d, 0);
        }
        d->q[d->n_q++] = r;
        return;
    }
    r->rcode = m[3] & 0x0f;
    answers(m, len, off, an, r);
    r->rejected = r->rcode != 0 && an == 0 && ns == 0 && ar == 0;
    emit(n, r);
}

void net_dns_data(struct ty_net *n, struct net_conn *c, bool is_orig, const uint8_t *p,
                  size_t len, bool tcp)
{
    struct net_dns *d = c->dns;
    if (!d) {
        d = c->dns = net_mem_get(n, sizeof(*d), true);
        if (!d)
            return;
    }
    if (!tcp) {
        message(n, c, d, p, len);
        return;
    }
    int k = is_orig ? 0 : 1;
    if (!d->tcp_buf[k] && !(d->tcp_buf[k] = net_mem_get(n, 65536 + 2, false)))
        return;
    while (len > 0) {
        size_t need = 2;
        if (d->tcp_len[k] >= 2)
            need = 2 + (size_t)be16(d->tcp_buf[k]);
        size_t take = need - d->tcp_len[k] < len ? need - d->tcp_len[k] : len;
        memcpy(d->tcp_buf[k] + d->tcp_len[k], p, take);
        d->tcp_len[k] += take;
        p += take;
        len -= take;
        if (d->tcp_len[k] >= 2 && d->tcp_len[k] == 2 + (size_t)be16(d->tcp_buf[k])) {
            message(n, c, d, d->tcp_buf[k] + 2, d->tcp_len[k] - 2);
            d->tcp_len[k] = 0;
        }
    }
}

void net_dns_close(struct ty_net *n, struct net_conn *c)
{
    struct net_dns *d = c->dns;
    if (!d)
        return;
    for (unsigned i = 0; i < d->n_q; i++)
        emit(n, d->q[i]);
    net_mem_put(n, d->tcp_buf[0], 65536 + 2);
    net_mem_put(n, d->tcp_buf[1], 65536 + 2);
    net_mem_put(n, d, sizeof(*d));
    c->dns = NULL;
}
