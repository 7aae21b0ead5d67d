/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse-pcap.c - packet captures as case evidence: the stream is framed into
 * packet records (TY_FRAME_PCAP), each packet goes through the src/net
 * analyzer, and the conn / dns / http / ssl / files records it completes
 * (and the shell commands it raises as notices) become events with the same
 * normalised fields, raw record (Zeek JSON) and Sigma view (logsource product
 * zeek, service = the log's path) as events read from Zeek's own logs, so
 * that one rule set serves both.
 *
 * Record format (formats.md, libpcap's savefile formats): pcap with a
 * 24-byte file header (magic a1b2c3d4 microseconds, a1b23c4d nanoseconds,
 * a1b2cd34 "modified" pcap with 24-byte record headers; either byte order;
 * link type in the low 16 bits), then per packet ts_sec, ts_frac, caplen,
 * len and the captured bytes. pcapng: blocks (type, total length, body,
 * total length again) in sections whose header block (SHB) fixes the byte
 * order; Interface Description Blocks give each interface's link type,
 * if_tsresol (decimal or binary exponent, default microseconds) and
 * if_tsoffset; packets come in Enhanced (EPB), Simple (SPB: interface 0, no
 * time: the last time seen is used) and obsolete Packet blocks. Other blocks
 * (name resolution, statistics, secrets, custom) are not packets: skipped.
 * gzip'd captures reach the parser decompressed (the reader does that).
 * Checksums are not verified (zeek -C): host captures carry offloaded ones.
 *
 * Accounting (docs/internals/NETWORK.md "Captures as ingest evidence"):
 * every packet is a record; a packet that completes nothing (most do not: a
 * connection is one record for many packets) is TY_SKIP; a packet whose
 * link or interface cannot be read is TY_ECORRUPT; the damaged tail is one
 * quarantined record from the framer. Each event points at its
 * connection's first packet (offset of the record, line = packet number).
 * The connections still open at the end are emitted by finish().
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/net.h>
#include <tyto/parser.h>

#include "parse/parse-zeek-int.h"

#define MAX_IFACES 256

struct iface {
    int dlt;
    bool tsres_dec;     /* decimal (10^-res) or binary (2^-res) */
    uint8_t tsres;
    int64_t tsoffset;   /* seconds */
};

struct pcap_state {
    struct ty_net *net;
    struct ty_net_logs *logs;   /* Zeek JSON rendering in memory */
    struct ty_net_sink render;  /* the writers of logs */
    struct ty_parse_ctx *ctx;
    struct ty_err *err;         /* where a record's failure is described */
    int rc;                     /* first emit failure */
    /* pcap */
    bool be, ns;
    size_t hl;                  /* record header bytes: 16, or 24 (modified pcap) */
    int dlt;
    /* pcapng */
    bool ng;
    unsigned n_ifaces;
    struct iface ifaces[MAX_IFACES];
    int64_t last_ts;
    uint64_t packets, not_analysed;
};

/* ---- numbers ---- */

static uint32_t u32(const uint8_t *p, bool be)
{
    return be ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]
              : (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static uint16_t u16(const uint8_t *p, bool be)
{
    return be ? (uint16_t)(p[0] << 8 | p[1]) : (uint16_t)(p[1] << 8 | p[0]);
}

static uint64_t pow10u(unsigned e)
{
    uint64_t v = 1;
    while (e--)
        v *= 10;
    return v;
}

#define TS_MAX_SEC INT64_C(4102444800) /* 2100-01-01 */

/* pcapng ticks to ns since the epoch, per the interface's resolution; -1
 * when out of range. */
static int64_t ng_time(const struct iface *ifc, uint64_t ticks)
{
    uint64_t sec, ns;
    if (ifc->tsres_dec) {
        uint64_t div = pow10u(ifc->tsres);
        sec = ticks / div;
        uint64_t frac = ticks % div;
        ns = ifc->tsres <= 9 ? frac * pow10u(9 - ifc->tsres) : frac / pow10u(ifc->tsres - 9);
    } else {
        unsigned r = ifc->tsres;
        sec = r ? ticks >> r : ticks;
        uint64_t frac = r ? ticks & ((1ull << r) - 1) : 0;
        if (r > 30) {
            frac >>= r - 30;
            r = 30;
        }
        ns = r ? (frac * 1000000000ull) >> r : 0;
    }
    int64_t s = (int64_t)(sec > (uint64_t)TS_MAX_SEC ? (uint64_t)TS_MAX_SEC + 1 : sec) +
                ifc->tsoffset;
    if (s < 0 || s > TS_MAX_SEC)
        return -1; /* before 1970 or after 2100: not a capture's time */
    return s * 1000000000LL + (int64_t)ns;
}

/* ---- events ---- */

static int emit_rec(struct pcap_state *s, const char *path, const struct ty_net_pos *pos)
{
    struct ty_parse_ctx *ctx = s->ctx;
    struct ty_err e;
    struct ty_event ev;
    size_t len;
    const char *line = ty_net_logs_line(s->logs, &len);
    char *raw = ty_arena_memdup(ctx->arena, line, len);
    if (!raw)
        return TY_ENOMEM;
    ty_err_clear(&e);
    int rc = ty__zeek_json_event(ctx, ty_str_make(raw, len), path, pos->offset, &ev, &e);
    if (rc != 0) /* our own rendering: cannot happen short of a bug; say so, go on */
        return 0;
    ev.raw = ty_str_make(raw, len);
    ev.offset = pos->offset;
    ev.line = pos->number;
    rc = ty_parse_emit(ctx, &ev);
    /* the event has been copied by the sink: its strings can go (a packet
     * may flush many connections, and finish() flushes them all) */
    ty_arena_reset(ctx->arena);
    if (rc < 0 && s->rc == 0)
        s->rc = rc;
    return rc;
}

static int on_conn(void *arg, const struct ty_net_conn_rec *r)
{
    struct pcap_state *s = arg;
    s->render.conn(s->render.arg, r);
    return emit_rec(s, "conn", &r->pos);
}

static int on_dns(void *arg, const struct ty_net_dns_rec *r)
{
    struct pcap_state *s = arg;
    s->render.dns(s->render.arg, r);
    return emit_rec(s, "dns", &r->pos);
}

static int on_http(void *arg, const struct ty_net_http_rec *r)
{
    struct pcap_state *s = arg;
    s->render.http(s->render.arg, r);
    return emit_rec(s, "http", &r->pos);
}

static int on_ssl(void *arg, const struct ty_net_ssl_rec *r)
{
    struct pcap_state *s = arg;
    s->render.ssl(s->render.arg, r);
    return emit_rec(s, "ssl", &r->pos);
}

static int on_file(void *arg, const struct ty_net_file_rec *r)
{
    struct pcap_state *s = arg;
    s->render.file(s->render.arg, r);
    return emit_rec(s, "files", &r->pos);
}

static int on_notice(void *arg, const struct ty_net_notice_rec *r)
{
    struct pcap_state *s = arg;
    s->render.notice(s->render.arg, r);
    return emit_rec(s, "notice", &r->pos);
}

/* ---- records ---- */

static int corrupt(const struct ty_record *rec, struct ty_err *err, const char *why)
{
    return ty_err_set(err, TY_ECORRUPT, "byte %llu (packet %llu): %s",
                      (unsigned long long)rec->offset, (unsigned long long)rec->line, why);
}

/* A pcapng Interface Description Block. */
static int ng_idb(struct pcap_state *s, const struct ty_record *rec, struct ty_err *err)
{
    const uint8_t *p = (const uint8_t *)rec->p;
    if (rec->len < 20)
        return corrupt(rec, err, "interface description block shorter than 20 bytes");
    if (s->n_ifaces == MAX_IFACES)
        return corrupt(rec, err, "more than 256 interfaces in one section");
    struct iface *ifc = &s->ifaces[s->n_ifaces++];
    ifc->dlt = u16(p + 8, s->be);
    ifc->tsres_dec = true;
    ifc->tsres = 6;
    ifc->tsoffset = 0;
    size_t o = 16, end = rec->len - 4;
    while (o + 4 <= end) {
        unsigned code = u16(p + o, s->be), olen = u16(p + o + 2, s->be);
        if (code == 0 || o + 4 + olen > end)
            break;
        if (code == 9 && olen >= 1) { /* if_tsresol */
            uint8_t v = p[o + 4];
            ifc->tsres_dec = !(v & 0x80);
            ifc->tsres = v & 0x7f;
            if ((ifc->tsres_dec && ifc->tsres > 19) || (!ifc->tsres_dec && ifc->tsres > 63)) {
                s->n_ifaces--;
                return corrupt(rec, err, "if_tsresol out of range");
            }
        } else if (code == 14 && olen >= 8) { /* if_tsoffset */
            uint64_t hi = u32(p + o + 4, s->be), lo = u32(p + o + 8, s->be);
            ifc->tsoffset = (int64_t)(s->be ? hi << 32 | lo : lo << 32 | hi);
            if (ifc->tsoffset > TS_MAX_SEC || ifc->tsoffset < -TS_MAX_SEC)
                ifc->tsoffset = 0;
        }
        o += 4 + ((olen + 3u) & ~3u);
    }
    return TY_SKIP;
}

static int analyse(struct pcap_state *s, const struct ty_record *rec, int dlt, int64_t ts,
                   const uint8_t *data, size_t caplen, size_t wirelen, struct ty_err *err)
{
    const struct ty_net_stats *st = ty_net_stats(s->net);
    uint64_t ip_before = st->ip_packets;
    s->ctx->n_emitted = 0;
    s->last_ts = ts;
    s->packets++;
    ty_net_set_pos(s->net, rec->offset, rec->line);
    int rc = ty_net_packet(s->net, dlt, ts, data, caplen, wirelen);
    if (st->ip_packets == ip_before)
        s->not_analysed++;
    if (rc < 0 || s->rc < 0)
        return ty_err_set(err, rc < 0 ? rc : s->rc, "byte %llu: the event sink failed",
                          (unsigned long long)rec->offset);
    return s->ctx->n_emitted ? TY_OK : TY_SKIP;
}

static int pcap_record(struct ty_parse_ctx *ctx, const struct ty_record *rec, struct ty_err *err)
{
    struct pcap_state *s = ctx->priv;
    const uint8_t *p = (const uint8_t *)rec->p;
    s->ctx = ctx;
    if (rec->line == 0 && rec->len >= 12 && u32(p, false) == 0x0a0d0d0au) { /* SHB */
        s->ng = true;
        s->be = u32(p + 8, false) == 0x4d3c2b1au;
        s->n_ifaces = 0;
        return TY_SKIP;
    }
    if (!s->ng && rec->line == 0 && rec->offset == 0 && rec->len == 24) { /* file header */
        uint32_t m = u32(p, false);
        s->be = (m & 0xffff) == 0xb2a1;
        s->ns = m == 0xa1b23c4du || m == 0x4d3cb2a1u;
        s->hl = m == 0xa1b2cd34u || m == 0x34cdb2a1u ? 24 : 16;
        s->dlt = (int)(u32(p + 20, s->be) & 0xffff);
        return TY_SKIP;
    }
    if (!s->ng) {
        size_t hl = s->hl ? s->hl : 16;
        if (rec->len < hl)
            return corrupt(rec, err, "packet record shorter than its header");
        uint32_t sec = u32(p, s->be), frac = u32(p + 4, s->be);
        uint32_t caplen = u32(p + 8, s->be), wire = u32(p + 12, s->be);
        if (caplen > rec->len - hl)
            return corrupt(rec, err, "captured length beyond the record");
        if (frac >= (s->ns ? 1000000000u : 1000000u))
            return corrupt(rec, err, "sub-second timestamp out of range");
        int64_t ts = (int64_t)sec * 1000000000LL + (int64_t)frac * (s->ns ? 1 : 1000);
        return analyse(s, rec, s->dlt, ts, p + hl, caplen, wire, err);
    }
    uint32_t type = u32(p, s->be);
    if (type == 1)
        return ng_idb(s, rec, err);
    if (type == 6 || type == 2) { /* EPB, obsolete PB */
        if (rec->len < 32)
            return corrupt(rec, err, "packet block shorter than 32 bytes");
        uint32_t ifi = type == 6 ? u32(p + 8, s->be) : u16(p + 8, s->be);
        uint64_t hi = u32(p + 12, s->be), lo = u32(p + 16, s->be);
        uint32_t caplen = u32(p + 20, s->be), wire = u32(p + 24, s->be);
        if (ifi >= s->n_ifaces)
            return corrupt(rec, err, "a packet on an interface no Interface Description Block "
                                     "describes");
        if (caplen > rec->len - 32)
            return corrupt(rec, err, "captured length beyond the block");
        int64_t ts = ng_time(&s->ifaces[ifi], hi << 32 | lo);
        if (ts < 0)
            return corrupt(rec, err, "timestamp before 1970 or after 2100");
        return analyse(s, rec, s->ifaces[ifi].dlt, ts, p + 28, caplen, wire, err);
    }
    if (type == 3) { /* SPB */
        if (rec->len < 16)
            return corrupt(rec, err, "simple packet block shorter than 16 bytes");
        if (s->n_ifaces == 0)
            return corrupt(rec, err, "a simple packet block before any interface");
        uint32_t wire = u32(p + 8, s->be);
        size_t caplen = rec->len - 16 < wire ? rec->len - 16 : wire;
        return analyse(s, rec, s->ifaces[0].dlt, s->last_ts, p + 12, caplen, wire, err);
    }
    return TY_SKIP; /* name resolution, statistics, secrets, custom blocks */
}

static int pcap_finish(struct ty_parse_ctx *ctx, struct ty_err *err)
{
    struct pcap_state *s = ctx->priv;
    s->ctx = ctx;
    int rc = ty_net_finish(s->net);
    if (rc < 0 || s->rc < 0)
        return ty_err_set(err, rc < 0 ? rc : s->rc, "the event sink failed");
    return 0;
}

/* ---- open / close ---- */

static int pcap_open(struct ty_parse_ctx *ctx, struct ty_err *err)
{
    struct pcap_state *s = calloc(1, sizeof(*s));
    int rc;
    if (!s)
        return ty_err_set(err, TY_ENOMEM, "pcap: out of memory");
    ctx->priv = s;
    s->ctx = ctx;
    if ((rc = ty_net_logs_mem(&s->logs, err)))
        return rc;
    ty_net_logs_sink(s->logs, &s->render);
    struct ty_net_sink sink = {.arg = s, .conn = on_conn, .dns = on_dns, .http = on_http,
                               .ssl = on_ssl, .file = on_file, .notice = on_notice};
    struct ty_net_opts opts;
    memset(&opts, 0, sizeof(opts));
    /* as zeek -C: a capture taken on the host itself carries the NIC's
     * offloaded (unset) checksums on every packet it sent, which Zeek's
     * default would drop: the attacker's own traffic, for evidence */
    opts.ignore_checksums = true;
    if ((rc = ty_net_new(&s->net, &opts, &sink, err)))
        return rc;
    ctx->frame.kind = TY_FRAME_PCAP;
    const uint8_t *h = (const uint8_t *)ctx->head.p;
    bool ng = ctx->head.len >= 4 && u32(h, false) == 0x0a0d0d0au;
    snprintf(ctx->shape, sizeof(ctx->shape), "%s", ng ? "pcapng" : "pcap");
    return 0;
}

static void pcap_close(struct ty_parse_ctx *ctx)
{
    struct pcap_state *s = ctx->priv;
    if (!s)
        return;
    ty_net_free(s->net);
    ty_net_logs_close(s->logs, NULL);
    free(s);
    ctx->priv = NULL;
}

/* ---- sniff and Sigma views ---- */

static int pcap_sniff(struct ty_str head)
{
    if (head.len < 4)
        return 0;
    const uint8_t *p = (const uint8_t *)head.p;
    uint32_t m = u32(p, false);
    if (m == 0xa1b2c3d4u || m == 0xa1b23c4du || m == 0xa1b2cd34u || m == 0xd4c3b2a1u ||
        m == 0x4d3cb2a1u || m == 0x34cdb2a1u) {
        bool be = (m & 0xffff) == 0xb2a1;
        if (head.len < 24) /* a capture cut inside its header: read as damaged */
            return 90;
        return u16(p + 4, be) == 2 ? 100 : 0; /* version 2.x */
    }
    if (head.len < 12)
        return 0;
    if (m == 0x0a0d0d0au) {
        uint32_t bom = u32(p + 8, false);
        return bom == 0x1a2b3c4du || bom == 0x4d3c2b1au ? 100 : 0;
    }
    return 0;
}

/* The log an event came from (the Zeek service rules name). */
static const char *pcap_service(const struct ty_event *ev)
{
    struct ty_str a = ty_event_str(ev, TY_F_ACTION);
    if (ty_str_eq_cstr(a, "connection"))
        return "conn";
    if (ty_str_eq_cstr(a, "dns_query"))
        return "dns";
    if (ty_str_eq_cstr(a, "http_request"))
        return "http";
    if (ty_str_eq_cstr(a, "tls_handshake"))
        return "ssl";
    if (ty_str_eq_cstr(a, "file_transfer"))
        return "files";
    if (ty_str_eq_cstr(a, "notice"))
        return "notice";
    return NULL;
}

static int pcap_taxonomy(const struct ty_event *ev)
{
    struct ty_str a = ty_event_str(ev, TY_F_ACTION);
    if (ty_str_eq_cstr(a, "connection"))
        return TY_SCAT_NETWORK_CONNECTION;
    if (ty_str_eq_cstr(a, "dns_query"))
        return TY_SCAT_DNS;
    if (ty_str_eq_cstr(a, "http_request"))
        return TY_SCAT_PROXY;
    return TY_SCAT_NONE;
}

const struct ty_parser ty_parser_pcap = {
    .abi = TY_PARSER_ABI,
    .name = "pcap",
    .desc = "packet captures (pcap, pcapng; gzip'd too): Zeek-compatible conn, dns, http, "
            "ssl, files and notice events",
    .sniffs = "pcap magic a1b2c3d4/a1b23c4d/a1b2cd34 (either byte order, version 2) or a "
              "pcapng section header with its byte-order magic (100); a pcap magic cut "
              "before the end of its header (90)",
    .flags = TY_PARSER_F_TEXT,
    .sniff = pcap_sniff,
    .open = pcap_open,
    .record = pcap_record,
    .close = pcap_close,
    .finish = pcap_finish,
    .logsource = {.product = "zeek"},
    .service = pcap_service,
    .taxonomy = pcap_taxonomy,
    .fields = ty__zeek_fields,
};
