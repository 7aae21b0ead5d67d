/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-parse-pcap.c - captures as evidence: hand-built pcap (both byte
 * orders, micro- and nanoseconds) and pcapng captures of one HTTP exchange
 * and an ARP frame go through the real framer and the pcap parser; the
 * events (conn, http) carry Zeek's fields and point at their connection's
 * first packet; packets that complete nothing are skipped; a cut capture
 * gives one damaged-tail record naming its offset and libpcap's reason;
 * sniff scores; the cmd-injection story's capture when generated.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/frame.h>
#include <tyto/input.h>
#include <tyto/net.h>
#include <tyto/parser.h>

#include "parse-harness.h"
#include "test.h"

extern const struct ty_parser ty_parser_pcap;

/* ---- building captures ---- */

struct cap {
    uint8_t b[8192];
    size_t n;
    bool be, ng, ns;
    uint32_t seq[2];
    size_t off[16];             /* each packet record's offset */
    int np;
};

static void put32(struct cap *c, uint32_t v, bool be)
{
    for (int i = 0; i < 4; i++)
        c->b[c->n++] = (uint8_t)(be ? v >> (24 - 8 * i) : v >> (8 * i));
}

static void put16(struct cap *c, uint16_t v, bool be)
{
    c->b[c->n++] = (uint8_t)(be ? v >> 8 : v);
    c->b[c->n++] = (uint8_t)(be ? v : v >> 8);
}

static void cap_begin(struct cap *c, bool be, bool ng, bool ns)
{
    memset(c, 0, sizeof(*c));
    c->be = be;
    c->ng = ng;
    c->ns = ns;
    if (!ng) {
        put32(c, ns ? 0xa1b23c4du : 0xa1b2c3d4u, be);
        put16(c, 2, be);
        put16(c, 4, be);
        put32(c, 0, be);
        put32(c, 0, be);
        put32(c, 65535, be);
        put32(c, 1, be); /* Ethernet */
        return;
    }
    put32(c, 0x0a0d0d0au, be); /* SHB */
    put32(c, 28, be);
    put32(c, 0x1a2b3c4du, be);
    put16(c, 1, be);
    put16(c, 0, be);
    put32(c, 0xffffffffu, be);
    put32(c, 0xffffffffu, be);
    put32(c, 28, be);
    put32(c, 1, be); /* IDB with if_tsresol 9 (ns) */
    put32(c, 32, be);
    put16(c, 1, be);
    put16(c, 0, be);
    put32(c, 65535, be);
    put16(c, 9, be);
    put16(c, 1, be);
    c->b[c->n++] = 9;
    c->b[c->n++] = 0;
    c->b[c->n++] = 0;
    c->b[c->n++] = 0;
    put16(c, 0, be);
    put16(c, 0, be);
    put32(c, 32, be);
}

/* One frame: Ethernet + IPv4 + TCP (checksums left zero: read as zeek -C). */
static void frame_tcp(struct cap *c, int64_t us, bool from_client, uint8_t flags,
                      const char *data)
{
    uint8_t f[1600];
    size_t dl = strlen(data), n = 0;
    static const uint8_t macs[12] = {2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2};
    memcpy(f, macs, 12);
    f[12] = 0x08;
    f[13] = 0x00;
    n = 14;
    uint8_t *ip = f + n;
    memset(ip, 0, 20);
    ip[0] = 0x45;
    ip[2] = (uint8_t)((40 + dl) >> 8);
    ip[3] = (uint8_t)(40 + dl);
    ip[8] = 64;
    ip[9] = 6;
    static const uint8_t cli[4] = {10, 0, 3, 15}, srv[4] = {198, 51, 100, 7};
    memcpy(ip + 12, from_client ? cli : srv, 4);
    memcpy(ip + 16, from_client ? srv : cli, 4);
    uint8_t *t = ip + 20;
    memset(t, 0, 20);
    uint16_t sp = from_client ? 40000 : 8088, dp = from_client ? 8088 : 40000;
    t[0] = (uint8_t)(sp >> 8);
    t[1] = (uint8_t)sp;
    t[2] = (uint8_t)(dp >> 8);
    t[3] = (uint8_t)dp;
    int k = from_client ? 0 : 1;
    uint32_t seq = c->seq[k], ack = c->seq[!k];
    for (int i = 0; i < 4; i++) {
        t[4 + i] = (uint8_t)(seq >> (24 - 8 * i));
        t[8 + i] = (uint8_t)(ack >> (24 - 8 * i));
    }
    t[12] = 0x50;
    t[13] = flags;
    t[14] = 0xff;
    t[15] = 0xff;
    memcpy(t + 20, data, dl);
    c->seq[k] += (uint32_t)dl + ((flags & 0x03) ? 1 : 0); /* SYN, FIN take one */
    n = 14 + 40 + dl;
    if (c->np < 16)
        c->off[c->np++] = c->n;
    if (!c->ng) {
        put32(c, (uint32_t)(us / 1000000), c->be);
        put32(c, (uint32_t)(c->ns ? us % 1000000 * 1000 : us % 1000000), c->be);
        put32(c, (uint32_t)n, c->be);
        put32(c, (uint32_t)n, c->be);
    } else {
        uint64_t ticks = (uint64_t)us * 1000;
        size_t pad = (4 - n % 4) % 4;
        put32(c, 6, c->be);
        put32(c, (uint32_t)(32 + n + pad), c->be);
        put32(c, 0, c->be);
        put32(c, (uint32_t)(ticks >> 32), c->be);
        put32(c, (uint32_t)ticks, c->be);
        put32(c, (uint32_t)n, c->be);
        put32(c, (uint32_t)n, c->be);
        memcpy(c->b + c->n, f, n);
        c->n += n;
        memset(c->b + c->n, 0, pad);
        c->n += pad;
        put32(c, (uint32_t)(32 + n + pad), c->be);
        return;
    }
    memcpy(c->b + c->n, f, n);
    c->n += n;
}

static void frame_arp(struct cap *c, int64_t us)
{
    uint8_t f[42] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 1, 0x08, 0x06};
    put32(c, (uint32_t)(us / 1000000), c->be);
    put32(c, (uint32_t)(us % 1000000 * (c->ns ? 1000 : 1)), c->be);
    put32(c, 42, c->be);
    put32(c, 60, c->be);
    memcpy(c->b + c->n, f, 42);
    c->n += 42;
}

#define US0 INT64_C(1788833618000000) /* 2026-09-08T02:13:38Z */

static void exchange(struct cap *c)
{
    c->seq[0] = 1000;
    c->seq[1] = 5000;
    frame_tcp(c, US0, true, 0x02, "");
    frame_tcp(c, US0 + 100, false, 0x12, "");
    frame_tcp(c, US0 + 200, true, 0x10, "");
    frame_tcp(c, US0 + 300, true, 0x18,
              "POST /ws/v1/cluster/apps HTTP/1.1\r\nHost: 198.51.100.7:8088\r\n"
              "User-Agent: python-requests/2.31\r\nContent-Length: 0\r\n\r\n");
    frame_tcp(c, US0 + 900, false, 0x18, "HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n");
    frame_tcp(c, US0 + 1000, true, 0x11, "");
    frame_tcp(c, US0 + 1100, false, 0x11, "");
    frame_tcp(c, US0 + 1200, true, 0x10, "");
}

/* ---- running the parser over a capture in memory ---- */

struct counts {
    unsigned records, events, skipped, quarantined;
    char damage[256];
    uint64_t damage_off;
};

static struct counts run(struct h *h, const struct cap *c, size_t len)
{
    struct counts k;
    struct ty_input *in = NULL;
    struct ty_framer *fr = NULL;
    struct ty_buf all;
    memset(&k, 0, sizeof(k));
    ty_buf_init(&all, 0);
    h_open(h, &ty_parser_pcap, (const char *)c->b, len < 65536 ? len : 65536);
    CHECK_INT(h->ctx.frame.kind, TY_FRAME_PCAP);
    CHECK_INT(ty_input_mem_open(&in, "mem", c->b, len), 0);
    CHECK_INT(ty_framer_new(&fr, in, &h->ctx.frame, &h->err), 0);
    for (;;) {
        struct ty_record rec;
        struct ty_err ferr;
        ty_err_clear(&ferr);
        int rc = ty_framer_next(fr, &rec, &ferr);
        if (rc == TY_EOF)
            break;
        k.records++;
        if (rc != TY_OK) {
            CHECK_INT(rc, TY_ECORRUPT);
            k.quarantined++;
            snprintf(k.damage, sizeof(k.damage), "%s", ferr.msg);
            k.damage_off = rec.offset;
            continue;
        }
        h->n = 0;
        ty_buf_reset(&h->out);
        h->ctx.rec = &rec;
        h->ctx.n_emitted = 0;
        rc = ty_parser_pcap.record(&h->ctx, &rec, &h->err);
        h->ctx.rec = NULL;
        CHECK(rc == TY_OK || rc == TY_SKIP);
        CHECK_INT(rc == TY_OK, h->n > 0);
        k.events += h->n;
        k.skipped += rc == TY_SKIP;
        ty_buf_addstr(&all, ty_buf_str(&h->out));
    }
    h->n = 0;
    ty_buf_reset(&h->out);
    CHECK_INT(ty_parser_pcap.finish(&h->ctx, &h->err), 0);
    k.events += h->n;
    ty_buf_addstr(&all, ty_buf_str(&h->out));
    ty_buf_reset(&h->out);
    ty_buf_addstr(&h->out, ty_buf_str(&all));
    ty_buf_release(&all);
    ty_framer_free(fr);
    ty_input_free(in);
    return k;
}

static bool has(const struct h *h, const char *s)
{
    return strstr(h->out.buf ? h->out.buf : "", s) != NULL;
}

static void check_exchange(bool be, bool ng, bool ns)
{
    static struct cap c;
    struct h h;
    cap_begin(&c, be, ng, ns);
    exchange(&c);
    if (!ng)
        frame_arp(&c, US0 + 5000);
    struct counts k = run(&h, &c, c.n);
    CHECK_INT(k.quarantined, 0);
    CHECK_INT(k.events, 2);
    /* the file header (or SHB + IDB) and every packet are records */
    CHECK_INT(k.records, ng ? 10u : 10u);
    CHECK_INT(k.records, k.skipped + (k.records - k.skipped));
    CHECK(has(&h, "\"action\":\"http_request\""));
    CHECK(has(&h, "\"action\":\"connection\""));
    CHECK(has(&h, "\"http_method\":\"POST\""));
    CHECK(has(&h, "\"request_uri\":\"/ws/v1/cluster/apps\""));
    CHECK(has(&h, "\"user_agent\":\"python-requests/2.31\""));
    CHECK(has(&h, "\"status_code\":\"SF\""));
    CHECK(has(&h, "\"src_ip\":\"10.0.3.15\""));
    CHECK(has(&h, "\"dst_port\":8088"));
    CHECK(has(&h, "\"format\":\"pcap\""));
    /* both events point at the SYN: the first packet record */
    CHECK(has(&h, ng ? "\"offset\":60" : "\"offset\":24"));
    CHECK(!has(&h, "\"line\":4"));
    CHECK(has(&h, "\"line\":1"));
    CHECK(has(&h, "2026-09-08T02:13:38"));
    if (getenv("PCAP_DUMP"))
        fputs(h.out.buf, stderr);
    h_close(&h);
}

/* ---- JA4 of a ClientHello (a Chrome hello with a published JA4) ---- */

static size_t be16put(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
    return 2;
}

static size_t ext(uint8_t *p, unsigned type, const uint8_t *body, size_t n)
{
    size_t o = be16put(p, type);
    o += be16put(p + o, (unsigned)n);
    memcpy(p + o, body, n);
    return o + n;
}

static size_t chrome_hello(uint8_t *m)
{
    static const unsigned ciphers[] = {0x0a0a, 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c,
                                       0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c, 0x009d,
                                       0x002f, 0x0035};
    static const unsigned sigs[] = {0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806,
                                    0x0601};
    static const unsigned order[] = {0x2a2a, 0x002d, 0x0033, 0x0010, 0xfe0d, 0x0017, 0x44cd,
                                     0x0000, 0x000b, 0x000a, 0x002b, 0xff01, 0x0023, 0x0012,
                                     0x0005, 0x000d, 0x001b};
    uint8_t b[256];
    size_t o = 4, e0;
    m[0] = 0x16; /* record */
    m[1] = 3;
    m[2] = 1;
    m[5] = 1; /* ClientHello */
    o = 9;
    o += be16put(m + o, 0x0303);
    memset(m + o, 0x11, 32);
    o += 32;
    m[o++] = 0; /* no session id */
    o += be16put(m + o, sizeof(ciphers) / sizeof(ciphers[0]) * 2);
    for (size_t i = 0; i < sizeof(ciphers) / sizeof(ciphers[0]); i++)
        o += be16put(m + o, ciphers[i]);
    m[o++] = 1;
    m[o++] = 0;
    e0 = o;
    o += 2;
    for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
        size_t n = 0;
        switch (order[i]) {
        case 0x0000: /* SNI */
            n = be16put(b, 14);
            b[n++] = 0;
            n += be16put(b + n, 11);
            memcpy(b + n, "example.com", 11);
            n += 11;
            break;
        case 0x0010: /* ALPN h2, http/1.1 */
            n = be16put(b, 12);
            b[n++] = 2;
            memcpy(b + n, "h2", 2);
            n += 2;
            b[n++] = 8;
            memcpy(b + n, "http/1.1", 8);
            n += 8;
            break;
        case 0x000d:
            n = be16put(b, sizeof(sigs) / sizeof(sigs[0]) * 2);
            for (size_t k = 0; k < sizeof(sigs) / sizeof(sigs[0]); k++)
                n += be16put(b + n, sigs[k]);
            break;
        case 0x002b: /* supported_versions: GREASE, 1.3, 1.2 */
            b[n++] = 6;
            n += be16put(b + n, 0x3a3a);
            n += be16put(b + n, 0x0304);
            n += be16put(b + n, 0x0303);
            break;
        default:
            b[n++] = 0;
            break;
        }
        o += ext(m + o, order[i], b, n);
    }
    be16put(m + e0, (unsigned)(o - e0 - 2));
    /* handshake length (3 bytes) and record length */
    size_t hl = o - 9;
    m[6] = (uint8_t)(hl >> 16);
    m[7] = (uint8_t)(hl >> 8);
    m[8] = (uint8_t)hl;
    be16put(m + 3, (unsigned)(o - 5));
    return o;
}

static char got_ja4[40];

static int on_ssl(void *arg, const struct ty_net_ssl_rec *r)
{
    (void)arg;
    snprintf(got_ja4, sizeof(got_ja4), "%s", r->ja4);
    return 0;
}

static void check_ja4(void)
{
    static struct cap c;
    static uint8_t hello[1024];
    size_t n = chrome_hello(hello);
    struct ty_net *net = NULL;
    struct ty_err err;
    struct ty_net_sink sink;
    struct ty_net_opts o;
    memset(&sink, 0, sizeof(sink));
    memset(&o, 0, sizeof(o));
    sink.ssl = on_ssl;
    o.ignore_checksums = true;
    ty_err_clear(&err);
    cap_begin(&c, false, false, false);
    c.seq[0] = 1000;
    c.seq[1] = 5000;
    frame_tcp(&c, US0, true, 0x02, "");
    frame_tcp(&c, US0 + 100, false, 0x12, "");
    frame_tcp(&c, US0 + 200, true, 0x10, "");
    {
        /* the hello (binary) rides in a copy of the client's ACK frame */
        uint8_t f[1600];
        memcpy(f, c.b + c.off[2] + 16, 54);
        f[16] = (uint8_t)((40 + n) >> 8);
        f[17] = (uint8_t)(40 + n);
        f[14 + 20 + 13] = 0x18;
        memcpy(f + 54, hello, n);
        c.off[c.np++] = c.n;
        put32(&c, (uint32_t)((US0 + 300) / 1000000), false);
        put32(&c, (uint32_t)((US0 + 300) % 1000000), false);
        put32(&c, (uint32_t)(54 + n), false);
        put32(&c, (uint32_t)(54 + n), false);
        memcpy(c.b + c.n, f, 54 + n);
        c.n += 54 + n;
    }
    CHECK_INT(ty_net_new(&net, &o, &sink, &err), 0);
    got_ja4[0] = 0;
    for (int i = 0; i < c.np; i++) {
        const uint8_t *r = c.b + c.off[i];
        uint32_t caplen = (uint32_t)r[8] | (uint32_t)r[9] << 8 | (uint32_t)r[10] << 16;
        int64_t ts = ((int64_t)(r[0] | r[1] << 8 | r[2] << 16 | (int64_t)r[3] << 24)) *
                     1000000000;
        CHECK_INT(ty_net_packet(net, 1, ts, r + 16, caplen, caplen), 0);
    }
    CHECK_INT(ty_net_finish(net), 0);
    ty_net_free(net);
    CHECK_STR(got_ja4, "t13d1516h2_8daaf6152771_d8a2da3f94cd");
}

void test_parse_pcap(void);

void test_parse_pcap(void)
{
    static struct cap c;
    struct h h;

    check_exchange(false, false, false);
    check_exchange(true, false, false);
    check_exchange(false, false, true);
    check_exchange(false, true, false);
    check_exchange(true, true, false);
    check_ja4();

    /* sniff: both magics, both orders; text and short heads are not captures */
    cap_begin(&c, false, false, false);
    CHECK_INT(ty_parser_pcap.sniff(ty_str_make((const char *)c.b, c.n)), 100);
    cap_begin(&c, true, true, false);
    CHECK_INT(ty_parser_pcap.sniff(ty_str_make((const char *)c.b, c.n)), 100);
    CHECK_INT(ty_parser_pcap.sniff(TY_STR_LIT("{\"ts\":1}\n")), 0);
    CHECK_INT(ty_parser_pcap.sniff(ty_str_make((const char *)c.b, 8)), 0);
    cap_begin(&c, false, false, false);
    CHECK_INT(ty_parser_pcap.sniff(ty_str_make((const char *)c.b, 20)), 90);
    c.b[4] = 9; /* version 9.4 */
    CHECK_INT(ty_parser_pcap.sniff(ty_str_make((const char *)c.b, c.n)), 0);
    CHECK_INT(ty_parser_pcap.sniff(TY_STR_LIT("\xd4\xc3")), 0);

    /* a capture cut inside its 6th packet: five packets kept, one damaged
     * tail with its offset and libpcap's reason */
    cap_begin(&c, false, false, false);
    exchange(&c);
    size_t cut = c.off[5] + 16 + 20; /* inside packet 6 */
    struct counts k = run(&h, &c, cut);
    CHECK_INT(k.quarantined, 1);
    CHECK(strstr(k.damage, "capture damaged at byte") != NULL);
    CHECK(strstr(k.damage, "after 5 packets") != NULL);
    CHECK(strstr(k.damage, "truncated dump file; tried to read 54 captured bytes, only got 20")
          != NULL);
    CHECK_INT(k.records, 7); /* header, 5 packets, the tail */
    CHECK_INT(k.events, 2);  /* the open connection and its request, from finish() */
    h_close(&h);

    /* a record length libpcap refuses */
    cap_begin(&c, false, false, false);
    put32(&c, 1, false);
    put32(&c, 0, false);
    put32(&c, 400000, false);
    put32(&c, 400000, false);
    k = run(&h, &c, c.n);
    CHECK_INT(k.quarantined, 1);
    CHECK_INT(k.damage_off, 24);
    CHECK(strstr(k.damage, "invalid packet capture length 400000") != NULL);
    h_close(&h);

    /* a cleartext shell (the listener types): its commands become notices;
     * output lines and a binary session do not */
    cap_begin(&c, false, false, false);
    c.seq[0] = 1000;
    c.seq[1] = 5000;
    frame_tcp(&c, US0, true, 0x02, "");
    frame_tcp(&c, US0 + 100, false, 0x12, "");
    frame_tcp(&c, US0 + 200, true, 0x18, "sh: 0: can't access tty; job control turned off\n$ ");
    frame_tcp(&c, US0 + 300, false, 0x18, "id\n");
    frame_tcp(&c, US0 + 400, true, 0x18, "uid=33(www-data) gid=33(www-data)\n$ ");
    frame_tcp(&c, US0 + 500, false, 0x18, "(crontab -l; echo '* * * * * x') | crontab -\n");
    frame_tcp(&c, US0 + 600, true, 0x18, "$ ");
    frame_tcp(&c, US0 + 700, false, 0x18, "exit\n");
    k = run(&h, &c, c.n);
    CHECK_INT(k.quarantined, 0);
    CHECK_INT(k.events, 4); /* 3 notices + the connection */
    CHECK(has(&h, "\"message\":\"id\""));
    CHECK(has(&h, "\"message\":\"(crontab -l; echo '* * * * * x') | crontab -\""));
    CHECK(has(&h, "\"message\":\"exit\""));
    CHECK(has(&h, "\"rule\":\"Tyto::Shell_Command\""));
    CHECK(!has(&h, "uid=33"));
    h_close(&h);

    /* a miner's Stratum login: service "stratum" and a notice naming the wallet */
    cap_begin(&c, false, false, false);
    c.seq[0] = 1000;
    c.seq[1] = 5000;
    frame_tcp(&c, US0, true, 0x02, "");
    frame_tcp(&c, US0 + 100, false, 0x12, "");
    frame_tcp(&c, US0 + 200, true, 0x18,
              "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"login\",\"params\":{\"login\":"
              "\"4WNBwallet\",\"pass\":\"x\",\"agent\":\"XMRig/6.21.0\",\"algo\":[\"rx/0\"]}}\n");
    frame_tcp(&c, US0 + 300, false, 0x18, "{\"id\":1,\"jsonrpc\":\"2.0\",\"result\":{}}\n");
    k = run(&h, &c, c.n);
    CHECK_INT(k.events, 2);
    CHECK(has(&h, "\"message\":\"login 4WNBwallet agent XMRig/6.21.0\""));
    CHECK(has(&h, "\"rule\":\"Tyto::Stratum_Login\""));
    CHECK(has(&h, "\"target\":\"stratum\""));
    h_close(&h);

    /* pcapng: a block whose trailing length disagrees */
    cap_begin(&c, false, true, false);
    exchange(&c);
    c.b[c.n - 1] ^= 0x40;
    k = run(&h, &c, c.n);
    CHECK_INT(k.quarantined, 1);
    CHECK(strstr(k.damage, "don't match") != NULL);
    h_close(&h);
}
