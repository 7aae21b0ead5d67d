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

    /* pcapng: a block whose trailing length disagrees */
    cap_begin(&c, false, true, false);
    exchange(&c);
    c.b[c.n - 1] ^= 0x40;
    k = run(&h, &c, c.n);
    CHECK_INT(k.quarantined, 1);
    CHECK(strstr(k.damage, "don't match") != NULL);
    h_close(&h);
}
