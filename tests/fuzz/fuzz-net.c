/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz-net.c - libFuzzer target for the packet analyzer. An input starting
 * with a pcap/pcapng magic is read as a whole capture (libpcap's reader, then
 * every decoder); any other input is cut into packets ([link type byte]
 * then [2-byte length][bytes]...) fed straight to the link, IP, fragment,
 * TCP/UDP/ICMP, tunnel, DNS, HTTP, TLS and FTP decoders, with a small
 * connection cap so that eviction runs too. Records go to a sink that checks
 * them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/net.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int on_conn(void *arg, const struct ty_net_conn_rec *r)
{
    (void)arg;
    if (strlen(r->history) > sizeof(r->history) - 1 || r->conn_state[0] == 0)
        abort();
    return 0;
}

static int on_dns(void *arg, const struct ty_net_dns_rec *r)
{
    (void)arg;
    if (r->n_answers > TY_NET_DNS_MAX_ANS)
        abort();
    return 0;
}

static int on_http(void *arg, const struct ty_net_http_rec *r)
{
    (void)arg;
    if (strlen(r->uri) >= sizeof(r->uri))
        abort();
    return 0;
}

static int on_ssl(void *arg, const struct ty_net_ssl_rec *r)
{
    (void)arg;
    if (strlen(r->server_name) >= sizeof(r->server_name))
        abort();
    return 0;
}

static int on_file(void *arg, const struct ty_net_file_rec *r)
{
    (void)arg;
    if (strlen(r->sha256) != 64 || r->missing_bytes > r->seen_bytes + r->missing_bytes)
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const int dlts[] = {1, 12, 113, 276, 0, 228, 229, 101};
    struct ty_net *n = NULL;
    struct ty_err err;
    struct ty_net_sink sink = {NULL, on_conn, on_dns, on_http, on_ssl, on_file, NULL};
    struct ty_net_opts opts = {.max_conns = 16,
                               .ignore_checksums = size > 0 && (data[0] & 1),
                               .max_app_mem = size > 0 && (data[0] & 2) ? 40000 : 0};
    if (ty_net_new(&n, &opts, &sink, &err) != 0)
        return 0;
    bool capture = size >= 4 && (!memcmp(data, "\xd4\xc3\xb2\xa1", 4) ||
                                 !memcmp(data, "\xa1\xb2\xc3\xd4", 4) ||
                                 !memcmp(data, "\x4d\x3c\xb2\xa1", 4) ||
                                 !memcmp(data, "\x0a\x0d\x0d\x0a", 4));
    if (capture) {
        FILE *f = fmemopen((void *)data, size, "rb");
        if (f)
            ty_net_read_stream(n, f, "fuzz", &err);
    } else if (size > 0) {
        int dlt = dlts[data[0] % (sizeof(dlts) / sizeof(dlts[0]))];
        size_t i = 1;
        int64_t ts = 1700000000LL * 1000000000LL;
        while (i + 2 <= size) {
            size_t len = (size_t)(data[i] << 8 | data[i + 1]);
            i += 2;
            if (len > size - i)
                len = size - i;
            /* copy so that reads past the packet are caught by ASan */
            uint8_t *p = malloc(len ? len : 1);
            if (!p)
                break;
            memcpy(p, data + i, len);
            ty_net_packet(n, dlt, ts, p, len, len);
            free(p);
            i += len;
            ts += (int64_t)(len % 7) * 1000000000LL; /* walk across the timers */
        }
    }
    ty_net_finish(n);
    ty_net_free(n);
    return 0;
}
