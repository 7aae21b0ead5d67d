/* SPDX-License-Identifier: Apache-2.0 */
/*
 * net-int.h - internals of the packet analyzer shared by the src/net files and
 * their tests: the decoded packet, the connection table entry and the
 * application analyzers' hooks. Nothing outside src/net and tests uses it.
 */
#ifndef TYTO_NET_INT_H
#define TYTO_NET_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <tyto/net.h>

/* One decoded IP packet (after link decoding and fragment reassembly). */
struct net_pkt {
    int64_t ts;
    struct ty_net_addr src, dst;
    uint8_t proto;              /* 6, 17, 1, 58, or another IP protocol */
    uint32_t ip_len;            /* IP total length (header + payload) from the header */
    const uint8_t *l4;          /* transport header */
    uint32_t l4_len;            /* transport bytes per the IP header */
    uint32_t l4_cap;            /* transport bytes captured (<= l4_len) */
    uint32_t pseudo_sum;        /* checksum of the pseudo header (without length) */
};

enum { SVC_DNS, SVC_HTTP, SVC_SSL, SVC_SSH, SVC_FTP, SVC_SMTP, SVC_NTP, SVC_DHCP, SVC_GTP,
       SVC_TEREDO, SVC_VXLAN, SVC_FTP_DATA, SVC_STRATUM, SVC_MAX };

/* TCP endpoint states (Zeek's TCP_ENDPOINT_*). */
enum { EP_INACTIVE, EP_SYN_SENT, EP_SYN_ACK_SENT, EP_PARTIAL, EP_ESTABLISHED, EP_CLOSED,
       EP_RESET };

struct net_http;
struct net_dns;
struct net_ssl;
struct net_ftp;
struct net_shell;

/* One direction of a connection. */
struct net_ep {
    uint8_t state, prev_state;
    bool seq_init;
    uint32_t start_seq;         /* ISN (or first seq - 1 when no SYN was seen) */
    uint32_t last_seq32;
    uint64_t last_seq;          /* highest relative seq sent (+SYN/FIN) */
    uint64_t ack_seq;           /* highest relative ack received from the peer */
    bool ack_seen;
    uint64_t hist_syn, hist_fin, hist_rst; /* relative seqs of the last S/F/R noted */
    uint32_t fin_cnt, rst_cnt;
    uint32_t rxmit, rxmit_thr, win0, win0_thr, bad, bad_thr, gap, gap_thr;
    uint64_t pkts, ip_bytes, size; /* size: UDP/ICMP payload bytes */
    uint64_t next_deliver;      /* stream reassembly: next relative seq owed to the app */
    bool stream_started;
    uint64_t missed;
};

#define CONN_HIST_MAX 32

struct net_conn {
    struct net_conn *hnext;     /* hash chain */
    struct net_conn *prev, *next; /* expiry list */
    uint8_t list;               /* which expiry list */
    struct ty_net_id id;        /* orig -> resp */
    uint32_t hash;
    int64_t ts_first, ts_last;
    int64_t delete_at;          /* in the delete list: removed at this time */
    bool attempt_timer;         /* ... only if the SYN is still unanswered then */
    struct net_ep ep[2];        /* 0 = originator, 1 = responder */
    char history[CONN_HIST_MAX + 1];
    uint8_t hist_len;
    uint32_t hist_seen;         /* per-direction "seen once" letters */
    uint32_t services;          /* SVC_* bits, in order of confirmation */
    uint8_t svc_order[SVC_MAX], n_svc;
    char uid[20];
    struct ty_net_pos pos;      /* first packet's place in the capture */
    bool dpd_done[2];           /* first payload of each side looked at */
    bool ssh_banner[2], ssh_nl[2];
    uint8_t ssh_match[2];
    uint16_t ssh_seen[2];
    bool saw_syn;               /* TCP: a SYN or SYN-ACK was seen (else no app analysis) */
    uint8_t dpd_buf[2][64];     /* first payload bytes of each side, until DPD decides */
    uint8_t dpd_len[2];
    struct net_http *http;
    struct net_dns *dns;
    struct net_ssl *ssl;
    struct net_ftp *ftp;
    struct net_shell *shell;
};


struct net_frag_table;

/* A connection announced by a control channel (FTP PASV/PORT). */
#define NET_EXPECT_MAX 64
struct net_expect {
    struct ty_net_addr addr;
    uint16_t port;
    uint8_t svc;
    int64_t ts;                 /* 0 = free */
};

struct ty_net {
    struct ty_net_sink sink;
    struct ty_net_opts opts;
    struct ty_net_stats st;
    struct net_conn **buckets;
    size_t n_buckets, n_conns;
    struct net_conn *lists[4][2]; /* head, tail per expiry list */
    struct net_frag_table *frags;
    uint64_t uid_ctr;
    int64_t now;
    int rc;                     /* first sink error */
    struct net_expect expect[NET_EXPECT_MAX];
    size_t app_mem;             /* bytes held by the application analyzers */
    int depth;                  /* tunnel nesting of the packet being analysed */
    struct ty_net_pos pos;      /* the packet being analysed (ty_net_set_pos) */
};

/* net-decode.c: link layer to IP; returns 1 when *pkt holds an IP packet. */
int net_decode(struct ty_net *n, int dlt, int64_t ts, const uint8_t *p, size_t caplen,
               struct net_pkt *pkt);
int net_decode_ip(struct ty_net *n, int64_t ts, const uint8_t *p, size_t cap,
                  struct net_pkt *pkt);
/* A packet found inside a tunnel (GTP-U, Teredo, VXLAN): analysed as its own
 * connection, without running the timers (the outer one is being handled). */
void net_conn_tunneled(struct ty_net *n, const struct net_pkt *pkt);
/* Internet checksum helpers. */
uint32_t net_csum_add(uint32_t sum, const uint8_t *p, size_t len);
uint16_t net_csum_fold(uint32_t sum);

/* net-frag.c: IPv4 fragment reassembly. Returns 1 with out and out_len set to the
 * whole datagram (valid until the next call) when hdr completes one. */
struct net_frag_table *net_frag_new(void);
void net_frag_free(struct net_frag_table *t);
/* IPv6: fh_off is the fragment header's offset, nh_pos the offset of the
 * next-header byte that names it. Same contract as net_frag_add. */
int net_frag6_add(struct ty_net *n, int64_t ts, const uint8_t *ip, size_t len, size_t fh_off,
                  size_t nh_pos, const uint8_t **out, size_t *out_len);
int net_frag_add(struct ty_net *n, int64_t ts, const uint8_t *ip, size_t len,
                 const uint8_t **out, size_t *out_len);

/* net-conn.c */
void net_conn_packet(struct ty_net *n, const struct net_pkt *pkt);
void net_conn_expire(struct ty_net *n, int64_t now, bool all);
void net_conn_add_service(struct net_conn *c, int svc);
void net_conn_history(struct net_conn *c, bool is_orig, char code);

/* Application analyzers: payload in stream order (TCP) or per datagram (UDP).
 * gap = bytes known missing before this data. */
void net_app_data(struct ty_net *n, struct net_conn *c, bool is_orig, const uint8_t *p,
                  size_t len, bool tcp);
void net_app_gap(struct ty_net *n, struct net_conn *c, bool is_orig, uint64_t gap);
void net_app_close(struct ty_net *n, struct net_conn *c);

/* net-dns.c, net-http.c, net-ssl.c */
void net_dns_data(struct ty_net *n, struct net_conn *c, bool is_orig, const uint8_t *p,
                  size_t len, bool tcp);
void net_dns_close(struct ty_net *n, struct net_conn *c);
int net_dns_looks(const uint8_t *p, size_t len);
/* Zeek's names for DNS codes; buf holds the fallback ("query-99"). */
const char *net_dns_qtype_name(unsigned t, char *buf, size_t size);
const char *net_dns_qclass_name(unsigned c, char *buf, size_t size);
const char *net_dns_rcode_name(unsigned r, char *buf, size_t size);
const char *net_dns_opcode_name(unsigned o, char *buf, size_t size);
void net_http_data(struct ty_net *n, struct net_conn *c, bool is_orig, const uint8_t *p,
                   size_t len);
void net_http_gap(struct ty_net *n, struct net_conn *c, bool is_orig, uint64_t gap);
void net_http_close(struct ty_net *n, struct net_conn *c);
int net_http_looks(const uint8_t *p, size_t len, bool is_orig);
void net_ssl_data(struct ty_net *n, struct net_conn *c, bool is_orig, const uint8_t *p,
                  size_t len);
void net_ssl_close(struct ty_net *n, struct net_conn *c);
int net_ssl_looks(const uint8_t *p, size_t len);

/* Memory of the application analyzers, within opts.max_app_mem: NULL (and
 * stats.app_mem_refused counted) when the budget is spent; that analysis is
 * then skipped, the connection record is still complete. */
void *net_mem_get(struct ty_net *n, size_t size, bool zero);
void net_mem_put(struct ty_net *n, void *p, size_t size);

/* net-shell.c: cleartext shell sessions (commands as notices); any TCP
 * payload of a connection with no other analyzer, midstream pickups too,
 * in arrival order. */
void net_shell_data(struct ty_net *n, struct net_conn *c, bool is_orig, const uint8_t *p,
                    size_t len);
void net_shell_close(struct ty_net *n, struct net_conn *c);
/* Raise a notice about connection c (from_orig: the originator is its src). */
void net_notice(struct ty_net *n, struct net_conn *c, bool from_orig, const char *note,
                const uint8_t *msg, size_t len, const char *sub, int64_t ts);

/* net-ftp.c */
void net_ftp_data(struct ty_net *n, struct net_conn *c, bool is_orig, const uint8_t *p,
                  size_t len);
void net_ftp_close(struct ty_net *n, struct net_conn *c);
void net_expect(struct ty_net *n, const struct ty_net_addr *a, uint16_t port, int svc);
int net_expected(struct ty_net *n, const struct ty_net_addr *a, uint16_t port);

/* Copy a printable, Zeek-escaped (\\xHH) rendering of p into dst. */
void net_escape(char *dst, size_t size, const uint8_t *p, size_t len);
void net_fill_common(const struct net_conn *c, char *uid, struct ty_net_id *id,
                     struct ty_net_pos *pos);
int net_emit_err(struct ty_net *n, int rc);

#endif
