/* SPDX-License-Identifier: Apache-2.0 */
/*
 * net.h - the packet-capture analyzer: pcap/pcapng (optionally gzip'd) in,
 * Zeek-compatible conn / dns / http / ssl records out, in bounded memory.
 * Records are handed to a caller's sink as they complete (a connection when
 * it times out, closes or the capture ends); see docs/internals/NETWORK.md.
 */
#ifndef TYTO_NET_H
#define TYTO_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <tyto/err.h>

/* An IPv4 (family 4, bytes 0..3) or IPv6 (family 6) address. */
struct ty_net_addr {
    uint8_t family;
    uint8_t a[16];
};

/* Zeek's conn_id plus the transport: 6 tcp, 17 udp, 1 icmp, 58 icmp6. For
 * ICMP the ports are the type (orig) and the counterpart type or code (resp). */
struct ty_net_id {
    struct ty_net_addr orig_h, resp_h;
    uint16_t orig_p, resp_p;
    uint8_t proto;
};

#define TY_NET_UNSET UINT64_MAX

/* Where a connection's first packet is in its capture, as the caller said
 * with ty_net_set_pos (record offset and packet number; 0/0 when not told). */
struct ty_net_pos {
    uint64_t offset;
    uint64_t number;
};

struct ty_net_conn_rec {
    int64_t ts;                 /* first packet, ns since the epoch */
    char uid[20];
    struct ty_net_id id;
    struct ty_net_pos pos;       /* the connection's first packet */
    char service[48];           /* "" = unset; "http,ssl" when several */
    int64_t duration;           /* ns; < 0 = unset (zero-duration connections) */
    uint64_t orig_bytes, resp_bytes; /* TY_NET_UNSET with the duration */
    char conn_state[8];
    uint64_t missed_bytes;
    char history[40];
    uint64_t orig_pkts, orig_ip_bytes, resp_pkts, resp_ip_bytes;
};

#define TY_NET_DNS_MAX_ANS 16
struct ty_net_dns_rec {
    int64_t ts;
    char uid[20];
    struct ty_net_id id;
    struct ty_net_pos pos;       /* the connection's first packet */
    uint16_t trans_id;
    int64_t rtt;                /* ns; < 0 unset */
    char query[256];            /* "" + has_query false = unset */
    bool has_query;
    uint16_t qclass, qtype;
    int rcode;                  /* < 0 unset (no reply) */
    bool aa, tc, rd, ra, rejected;
    uint8_t z;
    int opcode;
    unsigned n_answers;
    char answer_text[4096];     /* the answers, each NUL-terminated, at answer_off[i] */
    uint16_t answer_off[TY_NET_DNS_MAX_ANS];
    bool answers_cut;           /* more answers than fit were dropped */
    uint32_t ttls[TY_NET_DNS_MAX_ANS];
};

static inline const char *ty_net_dns_answer(const struct ty_net_dns_rec *r, unsigned i)
{
    return r->answer_text + r->answer_off[i];
}

struct ty_net_http_rec {
    int64_t ts;
    char uid[20];
    struct ty_net_id id;
    struct ty_net_pos pos;       /* the connection's first packet */
    unsigned trans_depth;
    char method[24], host[256], uri[1024], referrer[512], version[8], user_agent[512];
    char origin[256], status_msg[128], username[64];
    uint64_t request_body_len, response_body_len;
    int status_code;            /* < 0 unset */
    int info_code;              /* < 0 unset */
    char info_msg[64];
    char orig_mime[64], resp_mime[64];
    char orig_fuid[20], resp_fuid[20]; /* the bodies' files.log records, "" = none */
};

/* A file seen in a protocol (files.log): for now the HTTP bodies, hashed as
 * transferred (de-chunked, not decompressed). */
struct ty_net_file_rec {
    int64_t ts;                 /* first byte of the body */
    int64_t duration;           /* ns to the last byte */
    char fuid[20];
    char uid[20];
    struct ty_net_id id;
    struct ty_net_pos pos;       /* the connection's first packet */
    const char *source;         /* "HTTP" */
    bool is_orig;               /* sent by the originator (an upload) */
    uint64_t seen_bytes, total_bytes, missing_bytes; /* total: TY_NET_UNSET when unknown */
    char md5[33], sha1[41], sha256[65];
};

struct ty_net_ssl_rec {
    int64_t ts;
    char uid[20];
    struct ty_net_id id;
    struct ty_net_pos pos;       /* the connection's first packet */
    char version[16];           /* "TLSv12", "TLSv13", "" unset */
    char cipher[80];
    char curve[32];
    char server_name[256];
    bool resumed, established;
    char next_protocol[64];
    char ssl_history[32];
    char ja3[33];               /* md5 hex of the JA3 string of the ClientHello */
    char ja3s[33];
    char ja4[40];               /* FoxIO JA4 of the ClientHello (t13d1516h2_..._...) */
};

/* Not a Zeek stream of its own: a notice (notice.log) raised by tyto's
 * analysis, for now the commands typed in a cleartext shell session
 * (note "Tyto::Shell_Command": an unencrypted TCP session with no known
 * protocol where one side sends shell command lines and the other answers;
 * src is the side typing). */
struct ty_net_notice_rec {
    int64_t ts;
    char uid[20];
    struct ty_net_id id;
    struct ty_net_pos pos;
    char note[48];
    char msg[512];              /* Zeek-escaped */
    char sub[160];
    struct ty_net_addr src, dst;
};

/* The sink: any callback may be NULL. A callback returning < 0 stops the
 * analyzer with that code. Records are valid only during the call. */
struct ty_net_sink {
    void *arg;
    int (*conn)(void *arg, const struct ty_net_conn_rec *r);
    int (*dns)(void *arg, const struct ty_net_dns_rec *r);
    int (*http)(void *arg, const struct ty_net_http_rec *r);
    int (*ssl)(void *arg, const struct ty_net_ssl_rec *r);
    int (*file)(void *arg, const struct ty_net_file_rec *r);
    int (*notice)(void *arg, const struct ty_net_notice_rec *r);
};

struct ty_net_stats {
    uint64_t packets;           /* records read from captures */
    uint64_t bytes;             /* captured bytes */
    uint64_t ip_packets;        /* decoded to IP */
    uint64_t non_ip;            /* ARP, LLDP, unknown link payloads: counted, not analysed */
    uint64_t truncated;         /* cut by snaplen below the transport header */
    uint64_t bad_checksum;      /* IP/TCP/UDP checksum failures (ignored, like Zeek) */
    uint64_t fragments;         /* IPv4 fragments seen */
    uint64_t frag_dropped;      /* fragments never completed or over the limits */
    uint64_t conns, dns, http, ssl; /* records produced */
    uint64_t files;
    uint64_t notices;
    uint64_t conns_max;         /* peak live connections */
    uint64_t conns_evicted;     /* removed early because the table was full */
    uint64_t app_mem_max;       /* peak bytes held by the application analyzers */
    uint64_t app_mem_refused;   /* analyzer allocations refused (budget spent) */
};

struct ty_net_opts {
    size_t max_conns;           /* live connection table cap (0 = 1,000,000) */
    bool ignore_checksums;      /* zeek -C: analyse packets with bad IP/TCP/UDP checksums */
    size_t max_app_mem;         /* analyzer memory budget in bytes (0 = 256 MiB) */
    const char *filter;         /* a BPF filter applied to every capture (zeek -f), or NULL */
};

struct ty_net;

int ty_net_new(struct ty_net **out, const struct ty_net_opts *opts,
               const struct ty_net_sink *sink, struct ty_err *err);
/* Read one capture file (pcap, pcapng, gzip'd either). Returns 0; TY_ECORRUPT
 * when the capture is damaged: every packet before the damage has been
 * analysed and err names the byte offset; TY_EIO / TY_EINVAL when it cannot
 * be opened or is not a capture; what a sink returned. Connections stay open
 * across files (Zeek -r a -r b); call ty_net_finish at the end. */
int ty_net_read_file(struct ty_net *n, const char *path, struct ty_err *err);
/* The same from an open stream (not closed). name is for messages. */
int ty_net_read_stream(struct ty_net *n, FILE *f, const char *name, struct ty_err *err);
/* Analyse one packet of link type `dlt` (libpcap DLT_* value). */
int ty_net_packet(struct ty_net *n, int dlt, int64_t ts, const uint8_t *p, size_t caplen,
                  size_t wirelen);
/* The position (record offset, packet number) of the packet about to be
 * given to ty_net_packet: connections started by it carry it in their
 * records' pos (ingest points each event at its connection's first packet). */
void ty_net_set_pos(struct ty_net *n, uint64_t offset, uint64_t number);
/* Flush every live connection (end of input). */
int ty_net_finish(struct ty_net *n);
const struct ty_net_stats *ty_net_stats(const struct ty_net *n);
/* The first error a sink returned (0 = none): the analyzer stops on it. */
int ty_net_sink_error(const struct ty_net *n);
void ty_net_free(struct ty_net *n);

/* Zeek log writers (TSV with the full header, or JSON lines): one file per
 * stream in dir ("conn.log", ...), written as records arrive. */
struct ty_net_logs;
int ty_net_logs_open(struct ty_net_logs **out, const char *dir, bool json, struct ty_err *err);
/* The same writers in memory, JSON only: after each sink call,
 * ty_net_logs_line gives the record's line (no newline), valid until the
 * next call. Closed with ty_net_logs_close. */
int ty_net_logs_mem(struct ty_net_logs **out, struct ty_err *err);
const char *ty_net_logs_line(const struct ty_net_logs *l, size_t *len);
/* A sink writing to the logs. */
void ty_net_logs_sink(struct ty_net_logs *l, struct ty_net_sink *sink);
int ty_net_logs_close(struct ty_net_logs *l, struct ty_err *err);

/* Format an address as Zeek does (IPv6 compressed, IPv4 dotted). */
void ty_net_addr_fmt(const struct ty_net_addr *a, char *buf, size_t size);
const char *ty_net_proto_name(uint8_t proto);

#endif
