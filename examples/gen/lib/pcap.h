/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pcap.h - deterministic libpcap-format capture writer for the story generators: Ethernet,
 * IPv4, TCP and UDP with real checksums, TCP sessions (handshake, MSS-sized data with acks,
 * FIN or RST teardown), DNS query/answer pairs and HTTP/1.1 exchanges. Packets may be added in
 * any time order; they are sorted by time (then by order of addition) when the file is closed.
 */
#ifndef GEN_PCAP_H
#define GEN_PCAP_H

#include <stddef.h>
#include <stdint.h>

#include "sb.h"

/* One side of a conversation as seen on the captured link. */
struct pcap_host {
    uint32_t ip;           /* host byte order */
    uint8_t mac[6];        /* MAC on the captured link (the gateway's for remote hosts) */
    uint8_t ttl;           /* TTL of the packets it sends as they arrive on the link */
};

struct pcap_writer;

/* A TCP connection in progress; `t` is the time cursor (µs since the epoch) that every call
 * advances; `rtt` the round-trip time between the sides (µs). */
struct pcap_tcp {
    struct pcap_writer *w;
    struct pcap_host cli, srv;
    uint16_t cport, sport;
    uint32_t cseq, sseq;   /* next sequence number each side will send */
    int64_t t;
    int64_t rtt;
    int open;
};

/* A new, empty capture (dies when out of memory, like everything in out.h). */
struct pcap_writer *pcap_new(void);
/* Sort the frames by time and write ROOT/rel (see out.h). */
void pcap_save(struct pcap_writer *w, const char *rel);
/* Free the writer (after pcap_save). */
void pcap_free(struct pcap_writer *w);
/* The mark of the next frame to be added; after pcap_save, pcap_locate gives where that frame
 * landed: its 1-based frame number and the byte offset of its record header in the file. */
size_t pcap_mark(const struct pcap_writer *w);
void pcap_locate(const struct pcap_writer *w, size_t mark, uint64_t *frame, uint64_t *offset);
/* Bytes of packet data (headers included) and packets added so far. */
uint64_t pcap_bytes(const struct pcap_writer *w);
uint64_t pcap_packets(const struct pcap_writer *w);

/* A host from a dotted quad, its MAC and TTL. */
struct pcap_host pcap_host_make(const char *ip, const uint8_t mac[6], uint8_t ttl);
/* Dotted quad of `ip` into `out` (16 bytes). */
char *pcap_ip_str(char *out, uint32_t ip);

/* One UDP datagram from `src` to `dst` at time `t` (µs). */
void pcap_udp(struct pcap_writer *w, int64_t t, const struct pcap_host *src, uint16_t sport,
              const struct pcap_host *dst, uint16_t dport, const void *data, size_t len);

/* A DNS query from `cli` to `dns` at `t` and its answer `rtt` µs later: `qtype` 1 (A) or 28
 * (AAAA); `rcode` 0 with `nans` A records (`ans`, host order, TTL `ttl`) or 3 (NXDOMAIN). A
 * CNAME `cname` (may be NULL) precedes the A records when given. */
void pcap_dns(struct pcap_writer *w, int64_t t, int64_t rtt, const struct pcap_host *cli,
              uint16_t cport, const struct pcap_host *dns, uint16_t id, const char *name,
              uint16_t qtype, int rcode, const char *cname, const uint32_t *ans, int nans,
              uint32_t ttl);

/* Open a TCP connection from `cli`:`cport` to `srv`:`sport` at `t` (SYN, SYN-ACK, ACK);
 * `isn_c`/`isn_s` are the initial sequence numbers. */
void pcap_tcp_open(struct pcap_tcp *s, struct pcap_writer *w, int64_t t, int64_t rtt,
                   const struct pcap_host *cli, uint16_t cport, const struct pcap_host *srv,
                   uint16_t sport, uint32_t isn_c, uint32_t isn_s);
/* pcap_tcp_open with initial sequence numbers drawn from rng.h (client's first). */
void pcap_tcp_start(struct pcap_tcp *s, struct pcap_writer *w, int64_t t, int64_t rtt,
                    const struct pcap_host *cli, uint16_t cport, const struct pcap_host *srv,
                    uint16_t sport);
/* A SYN answered by RST/ACK (closed port) at `t`. */
void pcap_tcp_refused(struct pcap_writer *w, int64_t t, int64_t rtt, const struct pcap_host *cli,
                      uint16_t cport, const struct pcap_host *srv, uint16_t sport, uint32_t isn);
/* `len` bytes from the client (`from_client` != 0) or the server, in MSS-sized segments, each
 * pair acknowledged by the other side; the cursor advances by the transfer time. */
void pcap_tcp_send(struct pcap_tcp *s, int from_client, const void *data, size_t len);
/* Let `us` microseconds pass with nothing on the wire. */
void pcap_tcp_wait(struct pcap_tcp *s, int64_t us);
/* FIN/ACK from the given side, FIN/ACK back, final ACK. */
void pcap_tcp_close(struct pcap_tcp *s, int from_client);
/* RST/ACK from the given side. */
void pcap_tcp_reset(struct pcap_tcp *s, int from_client);

/* One HTTP/1.1 exchange on an open connection: the request bytes from the client, `think`
 * µs of server time, the response bytes from the server. */
void pcap_http(struct pcap_tcp *s, const char *req, size_t reqlen, int64_t think,
               const char *resp, size_t resplen);

/* Append an HTTP/1.1 request: request line, Host, User-Agent (omitted when NULL), the header
 * lines `hdrs` (each ending in CRLF; may be NULL), Content-Length when `body` is given, the
 * blank line and the body. */
void pcap_http_req(struct sb *b, const char *method, const char *uri, const char *host,
                   const char *ua, const char *hdrs, const char *body, size_t blen);
/* Append an HTTP/1.1 response sent at `t` (µs): status line with the standard reason, Date,
 * Server (omitted when NULL), `hdrs`, Content-Type (when `ctype`) and Content-Length, body. */
void pcap_http_resp(struct sb *b, int64_t t, int code, const char *server, const char *ctype,
                    const char *hdrs, const char *body, size_t blen);
/* "Tue, 03 Nov 2026 13:47:03 GMT" (IMF-fixdate) of `t` µs into `o` (>= 32 bytes). */
char *pcap_http_date(char *o, int64_t t);

#endif
