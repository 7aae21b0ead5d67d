/* SPDX-License-Identifier: Apache-2.0 */
/*
 * gen-pcap.c - a synthetic packet capture for the network benchmark: a
 * client population doing DNS lookups (UDP query + answer) and HTTP/1.1
 * transactions (handshake, request, a response of 200 bytes to 8 KiB in MSS
 * segments, FIN/ACK teardown), with valid checksums, interleaved over time.
 * Deterministic for a seed. Usage: gen-pcap SIZE_MB [SEED] > out.pcap
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng = 88172645463325252ull;

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static uint32_t csum_add(uint32_t s, const uint8_t *p, size_t n)
{
    size_t i = 0;
    for (; i + 1 < n; i += 2)
        s += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (i < n)
        s += (uint32_t)(p[i] << 8);
    return s;
}

static uint16_t csum_fold(uint32_t s)
{
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return (uint16_t)~s;
}

static uint64_t t_us = 1700000000ull * 1000000;
static uint64_t written;
static uint8_t out[1 << 20];
static size_t out_len;

static void flush_out(void)
{
    if (fwrite(out, 1, out_len, stdout) != out_len)
        exit(1);
    written += out_len;
    out_len = 0;
}

static void le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/* One Ethernet/IPv4 frame; proto 6 (tcp) or 17 (udp). */
static void packet(uint32_t src, uint32_t dst, uint8_t proto, uint16_t sp, uint16_t dp,
                   uint32_t seq, uint32_t ack, uint8_t flags, const uint8_t *data, size_t dlen)
{
    size_t l4h = proto == 6 ? 20 : 8, iplen = 20 + l4h + dlen, flen = 14 + iplen;
    if (out_len + 16 + flen > sizeof(out))
        flush_out();
    uint8_t *h = out + out_len, *f = h + 16;
    t_us += 50 + next() % 400;
    le32(h, (uint32_t)(t_us / 1000000));
    le32(h + 4, (uint32_t)(t_us % 1000000));
    le32(h + 8, (uint32_t)flen);
    le32(h + 12, (uint32_t)flen);
    memset(f, 0, 14 + 20 + l4h);
    f[0] = 0x02;
    f[6] = 0x02;
    f[5] = (uint8_t)dst;
    f[11] = (uint8_t)src;
    f[12] = 0x08;
    uint8_t *ip = f + 14;
    ip[0] = 0x45;
    ip[2] = (uint8_t)(iplen >> 8);
    ip[3] = (uint8_t)iplen;
    ip[8] = 64;
    ip[9] = proto;
    for (int i = 0; i < 4; i++) {
        ip[12 + i] = (uint8_t)(src >> (24 - 8 * i));
        ip[16 + i] = (uint8_t)(dst >> (24 - 8 * i));
    }
    uint16_t c = csum_fold(csum_add(0, ip, 20));
    ip[10] = (uint8_t)(c >> 8);
    ip[11] = (uint8_t)c;
    uint8_t *t = ip + 20;
    t[0] = (uint8_t)(sp >> 8);
    t[1] = (uint8_t)sp;
    t[2] = (uint8_t)(dp >> 8);
    t[3] = (uint8_t)dp;
    if (proto == 6) {
        for (int i = 0; i < 4; i++) {
            t[4 + i] = (uint8_t)(seq >> (24 - 8 * i));
            t[8 + i] = (uint8_t)(ack >> (24 - 8 * i));
        }
        t[12] = 0x50;
        t[13] = flags;
        t[14] = 0xfa;
    } else {
        t[4] = (uint8_t)((8 + dlen) >> 8);
        t[5] = (uint8_t)(8 + dlen);
    }
    if (dlen)
        memcpy(t + l4h, data, dlen);
    uint8_t ph[12] = {ip[12], ip[13], ip[14], ip[15], ip[16], ip[17], ip[18], ip[19], 0, proto,
                      (uint8_t)((l4h + dlen) >> 8), (uint8_t)(l4h + dlen)};
    c = csum_fold(csum_add(csum_add(0, ph, 12), t, l4h + dlen));
    t[proto == 6 ? 16 : 6] = (uint8_t)(c >> 8);
    t[proto == 6 ? 17 : 7] = (uint8_t)c;
    out_len += 16 + flen;
}

static const char *const words[] = {"api",  "cdn",   "login", "static", "img",  "mail",
                                    "shop", "video", "auth",  "data",   "files", "metrics"};
static const char *const tlds[] = {"example.com", "example.org", "example.net", "test.io"};

static void dns(uint32_t client, uint32_t resolver, char *name, size_t nsize)
{
    uint8_t m[300];
    snprintf(name, nsize, "%s%u.%s", words[next() % 12], (unsigned)(next() % 500),
             tlds[next() % 4]);
    uint16_t id = (uint16_t)next();
    size_t o = 0;
    m[o++] = (uint8_t)(id >> 8);
    m[o++] = (uint8_t)id;
    m[o++] = 0x01;
    m[o++] = 0x00;
    memcpy(m + o, "\0\1\0\0\0\0\0\0", 8);
    o += 8;
    const char *p = name;
    while (*p) {
        const char *dot = strchr(p, '.');
        size_t l = dot ? (size_t)(dot - p) : strlen(p);
        m[o++] = (uint8_t)l;
        memcpy(m + o, p, l);
        o += l;
        p += l + (dot ? 1 : 0);
    }
    m[o++] = 0;
    memcpy(m + o, "\0\1\0\1", 4);
    o += 4;
    uint16_t sp = (uint16_t)(1024 + next() % 60000);
    packet(client, resolver, 17, sp, 53, 0, 0, 0, m, o);
    m[2] = 0x81;
    m[3] = 0x80;
    m[7] = 1;
    static const uint8_t rr[] = {0xc0, 12, 0, 1, 0, 1, 0, 0, 1, 0x2c, 0, 4};
    memcpy(m + o, rr, sizeof(rr));
    o += sizeof(rr);
    uint32_t a = (uint32_t)next();
    for (int i = 0; i < 4; i++)
        m[o++] = (uint8_t)(a >> (24 - 8 * i));
    packet(resolver, client, 17, 53, sp, 0, 0, 0, m, o);
}

static void http(uint32_t client, uint32_t server, const char *host)
{
    static uint8_t body[8192 + 512];
    char req[600];
    uint16_t sp = (uint16_t)(1024 + next() % 60000);
    uint32_t cs = (uint32_t)next(), ss = (uint32_t)next();
    int n = snprintf(req, sizeof(req),
                     "GET /%s/%u/index.html?q=%u HTTP/1.1\r\nHost: %s\r\n"
                     "User-Agent: Mozilla/5.0 (X11; Linux x86_64) bench/1.0\r\n"
                     "Accept: */*\r\n\r\n",
                     words[next() % 12], (unsigned)(next() % 100000), (unsigned)next() % 1000,
                     host);
    size_t rl = (size_t)n;
    size_t blen = 200 + next() % 8000;
    int hl = snprintf((char *)body, 512,
                      "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %zu\r\n\r\n",
                      blen);
    memset(body + hl, 'a' + (int)(next() % 26), blen);
    size_t resp = (size_t)hl + blen;
    packet(client, server, 6, sp, 80, cs, 0, 0x02, NULL, 0);
    packet(server, client, 6, 80, sp, ss, cs + 1, 0x12, NULL, 0);
    packet(client, server, 6, sp, 80, cs + 1, ss + 1, 0x10, NULL, 0);
    packet(client, server, 6, sp, 80, cs + 1, ss + 1, 0x18, (const uint8_t *)req, rl);
    size_t off = 0;
    while (off < resp) {
        size_t seg = resp - off < 1448 ? resp - off : 1448;
        packet(server, client, 6, 80, sp, ss + 1 + (uint32_t)off, cs + 1 + (uint32_t)rl, 0x18,
               body + off, seg);
        off += seg;
        if ((off / 1448) % 2 == 0 || off >= resp)
            packet(client, server, 6, sp, 80, cs + 1 + (uint32_t)rl, ss + 1 + (uint32_t)off,
                   0x10, NULL, 0);
    }
    packet(client, server, 6, sp, 80, cs + 1 + (uint32_t)rl, ss + 1 + (uint32_t)resp, 0x11,
           NULL, 0);
    packet(server, client, 6, 80, sp, ss + 1 + (uint32_t)resp, cs + 2 + (uint32_t)rl, 0x11,
           NULL, 0);
    packet(client, server, 6, sp, 80, cs + 2 + (uint32_t)rl, ss + 2 + (uint32_t)resp, 0x10,
           NULL, 0);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: gen-pcap SIZE_MB [SEED] > out.pcap\n");
        return 2;
    }
    uint64_t limit = strtoull(argv[1], NULL, 10) << 20;
    if (argc > 2)
        rng ^= strtoull(argv[2], NULL, 10) * 0x9e3779b97f4a7c15ull;
    uint8_t gh[24] = {0};
    le32(gh, 0xa1b2c3d4);
    gh[4] = 2;
    gh[6] = 4;
    le32(gh + 16, 65535);
    le32(gh + 20, 1);
    memcpy(out, gh, 24);
    out_len = 24;
    uint32_t resolver = 0x0a000002;
    while (written + out_len < limit) {
        uint32_t client = 0x0a010000 | (uint32_t)(next() % 4000 + 10);
        uint32_t server = 0xc6336400 | (uint32_t)(next() % 250 + 1);
        char name[128];
        dns(client, resolver, name, sizeof(name));
        http(client, server, name);
    }
    flush_out();
    return 0;
}
