/* SPDX-License-Identifier: Apache-2.0 */
/*
 * net-capture.c - the analyzer object and capture reading: pcap and pcapng
 * through libpcap (pcap_fopen_offline on a FILE*, nanosecond timestamps),
 * gzip'd captures through a FILE* from fopencookie over zlib (no temporary
 * file, no child process). A damaged capture (truncated record, bad block)
 * stops the read with TY_ECORRUPT naming the byte offset of the first bad
 * record (in the decompressed stream for .gz); every packet before it has
 * been analysed. See docs/internals/NETWORK.md.
 */
#define _GNU_SOURCE /* fopencookie */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>
#include <unistd.h>
#include <zlib.h>

#include "net-int.h"

int ty_net_new(struct ty_net **out, const struct ty_net_opts *opts,
               const struct ty_net_sink *sink, struct ty_err *err)
{
    struct ty_net *n = calloc(1, sizeof(*n));
    if (!n || !(n->frags = net_frag_new())) {
        free(n);
        return ty_err_set(err, TY_ENOMEM, "net: out of memory");
    }
    if (opts)
        n->opts = *opts;
    if (sink)
        n->sink = *sink;
    *out = n;
    return 0;
}

void ty_net_free(struct ty_net *n)
{
    if (!n)
        return;
    /* Drop what is left without logging it (ty_net_finish logs). */
    struct ty_net_sink none = {0};
    n->sink = none;
    net_conn_expire(n, 0, true);
    net_frag_free(n->frags);
    free(n->buckets);
    free(n);
}

const struct ty_net_stats *ty_net_stats(const struct ty_net *n)
{
    return &n->st;
}

int ty_net_sink_error(const struct ty_net *n)
{
    return n->rc;
}

int ty_net_packet(struct ty_net *n, int dlt, int64_t ts, const uint8_t *p, size_t caplen,
                  size_t wirelen)
{
    struct net_pkt pkt;
    (void)wirelen;
    n->st.packets++;
    n->st.bytes += caplen;
    if (net_decode(n, dlt, ts, p, caplen, &pkt) == 1) {
        n->st.ip_packets++;
        net_conn_packet(n, &pkt);
    }
    return n->rc;
}

void ty_net_set_pos(struct ty_net *n, uint64_t offset, uint64_t number)
{
    n->pos.offset = offset;
    n->pos.number = number;
}

int ty_net_finish(struct ty_net *n)
{
    net_conn_expire(n, n->now, true);
    return n->rc;
}

/* gzip through a cookie FILE*. */
struct gz_cookie {
    gzFile gz;
    int64_t pos;
    char *why;                  /* the caller's buffer for zlib's complaint */
    size_t why_size;
};

static ssize_t gz_read(void *cookie, char *buf, size_t size)
{
    struct gz_cookie *g = cookie;
    int r = gzread(g->gz, buf, size > (1u << 30) ? (1u << 30) : (unsigned)size);
    int zerr = Z_OK;
    const char *msg = r <= 0 ? gzerror(g->gz, &zerr) : NULL;
    if (r < 0 || (r == 0 && zerr != Z_OK)) {
        /* a damaged stream, or one cut before its trailer: not a clean end */
        snprintf(g->why, g->why_size, "gzip: %s at decompressed byte %lld", msg ? msg : "error",
                 (long long)g->pos);
        errno = EIO;
        return -1;
    }
    g->pos += r;
    return r;
}

static int gz_seek(void *cookie, off64_t *off, int whence)
{
    struct gz_cookie *g = cookie;
    if (whence == SEEK_CUR && *off == 0) {
        *off = g->pos;
        return 0;
    }
    errno = ESPIPE;
    return -1;
}

static int gz_close(void *cookie)
{
    struct gz_cookie *g = cookie;
    gzclose(g->gz);
    free(g);
    return 0;
}

int ty_net_read_stream(struct ty_net *n, FILE *f, const char *name, struct ty_err *err)
{
    char errbuf[PCAP_ERRBUF_SIZE] = "";
    pcap_t *pc = pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_NANO, errbuf);
    if (!pc)
        return ty_err_set(err, TY_EINVAL, "%s: not a readable capture: %s", name, errbuf);
    int dlt = pcap_datalink(pc);
    int rc = 0;
    if (n->opts.filter) {
        struct bpf_program prog;
        if (pcap_compile(pc, &prog, n->opts.filter, 1, PCAP_NETMASK_UNKNOWN) != 0) {
            rc = ty_err_set(err, TY_EINVAL, "bad filter \"%s\": %s", n->opts.filter,
                            pcap_geterr(pc));
            pcap_close(pc);
            return rc;
        }
        int frc = pcap_setfilter(pc, &prog);
        pcap_freecode(&prog);
        if (frc != 0) {
            rc = ty_err_set(err, TY_EINVAL, "filter: %s", pcap_geterr(pc));
            pcap_close(pc);
            return rc;
        }
    }
    uint64_t n_pkts = 0;
    for (;;) {
        long before = ftell(f);
        struct pcap_pkthdr *h;
        const u_char *data;
        int r = pcap_next_ex(pc, &h, &data);
        if (r == PCAP_ERROR_BREAK)
            break;
        if (r != 1) {
            if (before >= 0)
                rc = ty_err_set(err, TY_ECORRUPT,
                                "%s: capture damaged at byte %ld after %llu packets: %s", name,
                                before, (unsigned long long)n_pkts, pcap_geterr(pc));
            else
                rc = ty_err_set(err, TY_ECORRUPT, "%s: capture damaged after %llu packets: %s",
                                name, (unsigned long long)n_pkts, pcap_geterr(pc));
            break;
        }
        n_pkts++;
        int64_t ts = (int64_t)h->ts.tv_sec * 1000000000LL + (int64_t)h->ts.tv_usec;
        rc = ty_net_packet(n, dlt, ts, data, h->caplen, h->len);
        if (rc < 0) {
            ty_err_set(err, rc, "%s: output failed", name);
            break;
        }
    }
    /* pcap_close closes f: the caller's stream is handed over here. */
    pcap_close(pc);
    return rc;
}

int ty_net_read_file(struct ty_net *n, const char *path, struct ty_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return ty_err_set(err, TY_EIO, "%s: %s", path, strerror(errno));
    unsigned char magic[2] = {0, 0};
    char why[160] = "";
    size_t got = fread(magic, 1, 2, f);
    rewind(f);
    if (got == 2 && magic[0] == 0x1f && magic[1] == 0x8b) {
        struct gz_cookie *g = calloc(1, sizeof(*g));
        int fd = dup(fileno(f));
        fclose(f);
        f = NULL;
        if (!g || fd < 0 || !(g->gz = gzdopen(fd, "rb"))) {
            free(g);
            return ty_err_set(err, TY_EIO, "%s: cannot open gzip stream", path);
        }
        gzbuffer(g->gz, 256 * 1024);
        g->why = why;
        g->why_size = sizeof(why);
        cookie_io_functions_t io = {.read = gz_read, .seek = gz_seek, .close = gz_close};
        f = fopencookie(g, "rb", io);
        if (!f) {
            gz_close(g);
            return ty_err_set(err, TY_ENOMEM, "%s: fopencookie failed", path);
        }
    }
    char name[512];
    snprintf(name, sizeof(name), "%s%s", path,
             got == 2 && magic[0] == 0x1f ? " (decompressed)" : "");
    int rc = ty_net_read_stream(n, f, name, err);
    if (rc == TY_ECORRUPT && why[0] && err) {
        size_t l = strlen(err->msg);
        snprintf(err->msg + l, sizeof(err->msg) - l, " (%s)", why);
    }
    return rc;
}
