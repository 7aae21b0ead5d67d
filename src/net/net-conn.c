/* SPDX-License-Identifier: Apache-2.0 */
/*
 * net-conn.c - the connection table with Zeek's conn.log semantics: who is
 * the originator (first packet, flipped by Zeek's likely-server-port
 * heuristic for connections seen without a SYN), TCP endpoint state machines
 * (conn_state), history letters (once-only, per-new-seq and scaled ones),
 * payload sizes from sequence numbers, packets and IP bytes, and removal by
 * Zeek's default timers: inactivity (tcp 5 min, udp/icmp 1 min), 5 s after a
 * close or reset (tcp_close_delay / tcp_reset_delay), 5 s after an
 * unanswered SYN (tcp_attempt_delay). Packets with bad TCP/UDP checksums are
 * ignored like Zeek (history C). Memory is bounded by opts.max_conns: when
 * full, the longest-idle connection is logged and removed early.
 */
#include <stdlib.h>
#include <string.h>

#include "net-int.h"

#define NS 1000000000LL
#define TCP_INACTIVITY (300 * NS)
#define UDP_INACTIVITY (60 * NS)
#define CLOSE_DELAY (5 * NS)
#define ATTEMPT_DELAY (5 * NS)

enum { L_TCP, L_UDP, L_DELETE, L_NONE };

/* Zeek's likely_server_ports: the ports its base scripts register analyzers
 * for (DNS, HTTP, SSL, SSH, FTP, SMTP, ...). */
static const uint16_t server_ports[] = {
    21, 22, 23, 25, 53, 67, 68, 80, 81, 88, 110, 111, 123, 135, 137, 138, 139, 143, 161, 162,
    389, 443, 445, 465, 502, 514, 563, 585, 587, 614, 631, 636, 989, 990, 992, 993, 995, 1080,
    1194, 1433, 1812, 1813, 1883, 2049, 2123, 2152, 2811, 3128, 3268, 3306, 3389, 3544, 4789,
    5060, 5072, 5222, 5223, 5269, 5353, 5355, 5432, 6081, 6379, 6666, 6667, 6668, 6669, 8000,
    8080, 8888, 20000,
};

static bool likely_server(uint16_t port, uint8_t proto)
{
    (void)proto;
    for (size_t i = 0; i < sizeof(server_ports) / sizeof(server_ports[0]); i++)
        if (server_ports[i] == port)
            return true;
    return false;
}

static uint16_t be16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int addr_cmp(const struct ty_net_addr *a, const struct ty_net_addr *b)
{
    if (a->family != b->family)
        return a->family < b->family ? -1 : 1;
    return memcmp(a->a, b->a, 16);
}

static uint32_t hash_key(const struct ty_net_addr *a, uint16_t pa, const struct ty_net_addr *b,
                         uint16_t pb, uint8_t proto)
{
    /* Symmetric: order the two endpoints first. */
    int c = addr_cmp(a, b);
    if (c > 0 || (c == 0 && pa > pb)) {
        const struct ty_net_addr *t = a;
        a = b;
        b = t;
        uint16_t tp = pa;
        pa = pb;
        pb = tp;
    }
    uint32_t h = 2166136261u;
    for (int i = 0; i < 16; i++)
        h = (h ^ a->a[i]) * 16777619u;
    for (int i = 0; i < 16; i++)
        h = (h ^ b->a[i]) * 16777619u;
    h = (h ^ pa) * 16777619u;
    h = (h ^ pb) * 16777619u;
    h = (h ^ proto) * 16777619u;
    return h ^ (h >> 15);
}

static void list_del(struct ty_net *n, struct net_conn *c)
{
    if (c->list == L_NONE)
        return;
    struct net_conn **l = n->lists[c->list];
    if (c->prev)
        c->prev->next = c->next;
    else
        l[0] = c->next;
    if (c->next)
        c->next->prev = c->prev;
    else
        l[1] = c->prev;
    c->prev = c->next = NULL;
    c->list = L_NONE;
}

static void list_add(struct ty_net *n, struct net_conn *c, uint8_t which)
{
    struct net_conn **l = n->lists[which];
    c->list = which;
    c->next = NULL;
    c->prev = l[1];
    if (l[1])
        l[1]->next = c;
    else
        l[0] = c;
    l[1] = c;
}

void net_conn_history(struct net_conn *c, bool is_orig, char code)
{
    if (c->hist_len >= CONN_HIST_MAX)
        return;
    if (!is_orig && code >= 'A' && code <= 'Z')
        code = (char)(code - 'A' + 'a');
    c->history[c->hist_len++] = code;
    c->history[c->hist_len] = 0;
}

/* Zeek's CheckHistory: note code the first time only. Returns true when it
 * was already seen. */
static bool check_history(struct net_conn *c, bool is_orig, int bit, char code)
{
    uint32_t m = 1u << (bit + (is_orig ? 0 : 16));
    if (c->hist_seen & m)
        return true;
    c->hist_seen |= m;
    net_conn_history(c, is_orig, code);
    return false;
}

static void scaled_history(struct net_conn *c, bool is_orig, uint32_t *cnt, uint32_t *thr,
                           char code)
{
    if (*thr == 0)
        *thr = 1;
    if (++*cnt == *thr) {
        net_conn_history(c, is_orig, code);
        uint32_t nt = *thr * 10;
        if (nt <= *thr)
            *cnt = 0;
        else
            *thr = nt;
    }
}

enum { H_SYN, H_FIN, H_RST, H_FINRST, H_MULTI, H_DATA, H_ACK, H_UDPDATA };

void net_conn_add_service(struct net_conn *c, int svc)
{
    if (c->services & (1u << svc) || c->n_svc >= sizeof(c->svc_order))
        return;
    c->services |= 1u << svc;
    c->svc_order[c->n_svc++] = (uint8_t)svc;
}

static const char *svc_name(int s)
{
    static const char *const names[] = {"dns",  "http",   "ssl",   "ssh",     "ftp",
                                        "smtp", "ntp",    "dhcp",  "gtpv1",   "teredo",
                                        "vxlan", "ftp-data", "stratum"};
    return s >= 0 && s < SVC_MAX ? names[s] : "";
}

static void make_uid(struct ty_net *n, char *uid)
{
    static const char b62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    uint64_t x = ++n->uid_ctr * 0x9e3779b97f4a7c15ull;
    x ^= x >> 29;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 32;
    int i = 0;
    uid[i++] = 'C';
    for (; i < 18 && x; i++, x /= 62)
        uid[i] = b62[x % 62];
    uid[i] = 0;
}

void net_fill_common(const struct net_conn *c, char *uid, struct ty_net_id *id,
                     struct ty_net_pos *pos)
{
    memcpy(uid, c->uid, sizeof(c->uid));
    *id = c->id;
    *pos = c->pos;
}

int net_emit_err(struct ty_net *n, int rc)
{
    if (rc < 0 && n->rc == 0)
        n->rc = rc;
    return rc;
}

static uint64_t ep_size(const struct net_ep *e, const struct net_ep *peer)
{
    if (!e->seq_init)
        return 0;
    if (e->prev_state == EP_SYN_SENT && e->state == EP_RESET && peer->state == EP_INACTIVE)
        return 0;
    uint64_t top = e->last_seq > e->ack_seq ? e->last_seq : e->ack_seq;
    uint64_t size = top;
    if (size > 0)
        size--;
    if (e->fin_cnt > 0 && size > 0)
        size--;
    return size;
}

static const char *tcp_conn_state(const struct net_conn *c)
{
    uint8_t os = c->ep[0].state, rs = c->ep[1].state;
    bool o_inactive = os == EP_INACTIVE || os == EP_PARTIAL;
    bool r_inactive = rs == EP_INACTIVE || rs == EP_PARTIAL;
    if (rs == EP_RESET) {
        if (os == EP_SYN_SENT || os == EP_SYN_ACK_SENT ||
            (os == EP_RESET && ep_size(&c->ep[0], &c->ep[1]) == 0 &&
             ep_size(&c->ep[1], &c->ep[0]) == 0))
            return "REJ";
        return o_inactive ? "RSTRH" : "RSTR";
    }
    if (os == EP_RESET)
        return r_inactive ? "RSTOS0" : "RSTO";
    if (rs == EP_CLOSED && os == EP_CLOSED)
        return "SF";
    if (os == EP_CLOSED)
        return r_inactive ? "SH" : "S2";
    if (rs == EP_CLOSED)
        return o_inactive ? "SHR" : "S3";
    if (os == EP_SYN_SENT && rs == EP_INACTIVE)
        return "S0";
    if (os == EP_ESTABLISHED && rs == EP_ESTABLISHED)
        return "S1";
    return "OTH";
}

static void conn_remove(struct ty_net *n, struct net_conn *c)
{
    net_app_close(n, c);
    struct ty_net_conn_rec r;
    memset(&r, 0, sizeof(r));
    r.ts = c->ts_first;
    r.pos = c->pos;
    memcpy(r.uid, c->uid, sizeof(r.uid));
    r.id = c->id;
    for (unsigned i = 0; i < c->n_svc; i++) {
        size_t l = strlen(r.service);
        const char *s = svc_name(c->svc_order[i]);
        if (l + strlen(s) + 2 < sizeof(r.service)) {
            if (l)
                r.service[l++] = ',';
            memcpy(r.service + l, s, strlen(s) + 1);
        }
    }
    int64_t dur = c->ts_last - c->ts_first;
    r.duration = dur > 0 ? dur : -1;
    if (c->id.proto == 6) {
        r.orig_bytes = ep_size(&c->ep[0], &c->ep[1]);
        r.resp_bytes = ep_size(&c->ep[1], &c->ep[0]);
        memcpy(r.conn_state, tcp_conn_state(c), strlen(tcp_conn_state(c)) + 1);
    } else {
        r.orig_bytes = c->ep[0].size;
        r.resp_bytes = c->ep[1].size;
        const char *s = "OTH";
        if (c->id.proto == 17) {
            bool oa = c->ep[0].pkts > 0, ra = c->ep[1].pkts > 0;
            s = oa ? (ra ? "SF" : "S0") : (ra ? "SHR" : "OTH");
        }
        memcpy(r.conn_state, s, strlen(s) + 1);
    }
    if (r.duration < 0)
        r.orig_bytes = r.resp_bytes = TY_NET_UNSET;
    r.missed_bytes = c->ep[0].missed + c->ep[1].missed;
    memcpy(r.history, c->history, c->hist_len + 1u);
    r.orig_pkts = c->ep[0].pkts;
    r.orig_ip_bytes = c->ep[0].ip_bytes;
    r.resp_pkts = c->ep[1].pkts;
    r.resp_ip_bytes = c->ep[1].ip_bytes;
    n->st.conns++;
    if (n->sink.conn && n->rc == 0)
        net_emit_err(n, n->sink.conn(n->sink.arg, &r));

    /* unlink */
    list_del(n, c);
    struct net_conn **pp = &n->buckets[c->hash & (n->n_buckets - 1)];
    while (*pp && *pp != c)
        pp = &(*pp)->hnext;
    if (*pp)
        *pp = c->hnext;
    n->n_conns--;
    free(c);
}

static bool attempt_pending(const struct net_conn *c)
{
    return c->id.proto == 6 &&
           (c->ep[0].state == EP_SYN_SENT || c->ep[0].state == EP_SYN_ACK_SENT) &&
           c->ep[1].state == EP_INACTIVE;
}

void net_conn_expire(struct ty_net *n, int64_t now, bool all)
{
    struct net_conn *c;
    while ((c = n->lists[L_DELETE][0]) && (all || now >= c->delete_at)) {
        if (!all && c->attempt_timer) { /* attempt timer: only if still unanswered */
            if (!attempt_pending(c)) {
                list_del(n, c);
                c->delete_at = 0;
                c->attempt_timer = false;
                list_add(n, c, L_TCP);
                continue;
            }
        }
        conn_remove(n, c);
    }
    while ((c = n->lists[L_TCP][0]) && (all || now - c->ts_last > TCP_INACTIVITY))
        conn_remove(n, c);
    while ((c = n->lists[L_UDP][0]) && (all || now - c->ts_last > UDP_INACTIVITY))
        conn_remove(n, c);
}

static int table_grow(struct ty_net *n)
{
    size_t nb = n->n_buckets ? n->n_buckets * 2 : 4096;
    struct net_conn **b = calloc(nb, sizeof(*b));
    if (!b)
        return TY_ENOMEM;
    for (size_t i = 0; i < n->n_buckets; i++) {
        struct net_conn *c = n->buckets[i], *next;
        for (; c; c = next) {
            next = c->hnext;
            c->hnext = b[c->hash & (nb - 1)];
            b[c->hash & (nb - 1)] = c;
        }
    }
    free(n->buckets);
    n->buckets = b;
    n->n_buckets = nb;
    return 0;
}

static struct net_conn *lookup(struct ty_net *n, const struct ty_net_addr *s, uint16_t sp,
                               const struct ty_net_addr *d, uint16_t dp, uint8_t proto,
                               uint32_t h, bool *is_orig)
{
    if (!n->n_buckets)
        return NULL;
    for (struct net_conn *c = n->buckets[h & (n->n_buckets - 1)]; c; c = c->hnext) {
        if (c->hash != h || c->id.proto != proto)
            continue;
        if (c->id.orig_p == sp && c->id.resp_p == dp && !addr_cmp(&c->id.orig_h, s) &&
            !addr_cmp(&c->id.resp_h, d)) {
            *is_orig = true;
            return c;
        }
        if (c->id.orig_p == dp && c->id.resp_p == sp && !addr_cmp(&c->id.orig_h, d) &&
            !addr_cmp(&c->id.resp_h, s)) {
            *is_orig = false;
            return c;
        }
    }
    return NULL;
}

static struct net_conn *conn_new(struct ty_net *n, const struct net_pkt *pkt, uint16_t sp,
                                 uint16_t dp, uint32_t h, bool flip)
{
    size_t cap = n->opts.max_conns ? n->opts.max_conns : 1000000;
    if (n->n_conns >= cap && n->depth == 0) { /* (never evict under a tunnel's outer conn) */
        struct net_conn *old = n->lists[L_UDP][0];
        struct net_conn *t = n->lists[L_TCP][0];
        if (!old || (t && t->ts_last < old->ts_last))
            old = t;
        if (!old)
            old = n->lists[L_DELETE][0];
        if (old) {
            n->st.conns_evicted++;
            conn_remove(n, old);
        }
    }
    if (n->n_conns >= n->n_buckets && table_grow(n) != 0)
        return NULL;
    struct net_conn *c = calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    c->hash = h;
    c->id.proto = pkt->proto == 58 ? 58 : pkt->proto;
    if (!flip) {
        c->id.orig_h = pkt->src;
        c->id.resp_h = pkt->dst;
        c->id.orig_p = sp;
        c->id.resp_p = dp;
    } else {
        c->id.orig_h = pkt->dst;
        c->id.resp_h = pkt->src;
        c->id.orig_p = dp;
        c->id.resp_p = sp;
    }
    c->ts_first = c->ts_last = pkt->ts;
    c->pos = n->pos;
    c->list = L_NONE;
    make_uid(n, c->uid);
    c->hnext = n->buckets[h & (n->n_buckets - 1)];
    n->buckets[h & (n->n_buckets - 1)] = c;
    n->n_conns++;
    if (n->n_conns > n->st.conns_max)
        n->st.conns_max = n->n_conns;
    list_add(n, c, pkt->proto == 6 ? L_TCP : L_UDP);
    if (flip)
        net_conn_history(c, true, '^');
    int svc = net_expected(n, &c->id.resp_h, c->id.resp_p);
    if (svc >= 0)
        net_conn_add_service(c, svc);
    return c;
}

static void touch(struct ty_net *n, struct net_conn *c)
{
    if (c->list == L_TCP || c->list == L_UDP) {
        uint8_t l = c->list;
        list_del(n, c);
        list_add(n, c, l);
    }
}

static void schedule_delete(struct ty_net *n, struct net_conn *c, int64_t at, bool attempt)
{
    list_del(n, c);
    c->delete_at = at;
    c->attempt_timer = attempt;
    list_add(n, c, L_DELETE);
}

/* Data in stream order for the application analyzers. */
static void deliver(struct ty_net *n, struct net_conn *c, bool is_orig, uint64_t rel,
                    const uint8_t *p, size_t len)
{
    struct net_ep *e = &c->ep[is_orig ? 0 : 1];
    if (!e->stream_started) {
        e->stream_started = true;
        e->next_deliver = rel;
    }
    if (rel + len <= e->next_deliver)
        return; /* retransmission */
    if (rel > e->next_deliver) {
        uint64_t gap = rel - e->next_deliver;
        e->missed += gap;
        scaled_history(c, is_orig, &e->gap, &e->gap_thr, 'G');
        net_app_gap(n, c, is_orig, gap);
    } else {
        size_t skip = (size_t)(e->next_deliver - rel);
        p += skip;
        len -= skip;
        rel += skip;
    }
    e->next_deliver = rel + len;
    net_app_data(n, c, is_orig, p, len, true);
}

static void tcp_state(struct net_conn *c, bool is_orig, uint8_t fl, uint32_t len,
                      bool *do_close, bool *flipped)
{
    struct net_ep *e = &c->ep[is_orig ? 0 : 1], *peer = &c->ep[is_orig ? 1 : 0];
    bool syn = fl & 0x02, fin = fl & 0x01, rst = fl & 0x04, ack = fl & 0x10;
    uint8_t before = e->state;
    (void)len;
    switch (e->state) {
    case EP_INACTIVE:
        if (syn) {
            if (is_orig) {
                e->state = ack ? EP_SYN_ACK_SENT : EP_SYN_SENT;
            } else {
                if (!ack && peer->state == EP_SYN_ACK_SENT) {
                    *flipped = true;
                    peer->state = EP_ESTABLISHED;
                }
                if (peer->state == EP_SYN_SENT)
                    peer->state = EP_ESTABLISHED;
                e->state = EP_ESTABLISHED;
            }
        }
        if (fin) {
            e->state = EP_CLOSED;
            *do_close = true;
        }
        if (rst) {
            e->state = EP_RESET;
            *do_close = true;
        } else if (!syn && !fin) {
            e->state = EP_PARTIAL;
        }
        break;
    case EP_SYN_SENT:
    case EP_SYN_ACK_SENT:
        if (fin) {
            e->state = EP_CLOSED;
            *do_close = true;
        }
        if (rst) {
            e->state = EP_RESET;
            *do_close = true;
        }
        break;
    case EP_ESTABLISHED:
    case EP_PARTIAL:
        if (fin) {
            e->state = EP_CLOSED;
            *do_close = true;
        }
        if (rst) {
            e->state = EP_RESET;
            *do_close = true;
        }
        break;
    case EP_CLOSED:
        if (rst) {
            e->state = EP_RESET;
            *do_close = true;
        }
        break;
    default:
        break;
    }
    if (e->state != before)
        e->prev_state = before;
}

static void tcp_packet(struct ty_net *n, const struct net_pkt *pkt)
{
    const uint8_t *t = pkt->l4;
    if (pkt->l4_cap < 20) {
        n->st.truncated++;
        return;
    }
    size_t hl = (size_t)(t[12] >> 4) * 4;
    if (hl < 20 || hl > pkt->l4_len) {
        n->st.truncated++;
        return;
    }
    uint16_t sp = be16(t), dp = be16(t + 2);
    uint32_t seq = be32(t + 4), ackn = be32(t + 8);
    uint8_t fl = t[13];
    uint16_t win = be16(t + 14);
    uint32_t len = pkt->l4_len - (uint32_t)hl;
    bool syn = fl & 0x02, fin = fl & 0x01, rst = fl & 0x04, ack = fl & 0x10;

    uint32_t h = hash_key(&pkt->src, sp, &pkt->dst, dp, 6);
    bool is_orig = true;
    struct net_conn *c = lookup(n, &pkt->src, sp, &pkt->dst, dp, 6, h, &is_orig);
    if (c && syn && !ack) {
        /* Reuse: a new SYN on a connection that is over. */
        struct net_ep *o = &c->ep[is_orig ? 0 : 1];
        bool over = c->ep[0].state == EP_CLOSED || c->ep[0].state == EP_RESET ||
                    c->ep[1].state == EP_CLOSED || c->ep[1].state == EP_RESET;
        if (over && (!o->seq_init || seq != o->start_seq)) {
            conn_remove(n, c);
            c = NULL;
        }
    }
    if (!c) {
        bool flip = false;
        if (syn && ack) {
            flip = true; /* a SYN-ACK first: its sender is the responder */
        } else if (!syn) {
            if (likely_server(sp, 6)) {
                if (likely_server(dp, 6))
                    flip = !syn && sp < dp;
                else
                    flip = true;
            }
        }
        c = conn_new(n, pkt, sp, dp, h, flip);
        if (!c)
            return;
        is_orig = !flip;
    }
    struct net_ep *e = &c->ep[is_orig ? 0 : 1], *peer = &c->ep[is_orig ? 1 : 0];

    if (!n->opts.ignore_checksums && pkt->l4_cap >= pkt->l4_len) {
        uint32_t s = pkt->pseudo_sum + pkt->l4_len;
        if (net_csum_fold(net_csum_add(s, t, pkt->l4_len)) != 0) {
            n->st.bad_checksum++;
            scaled_history(c, is_orig, &e->bad, &e->bad_thr, 'C');
            return;
        }
    }

    uint32_t seg_len = len + (syn ? 1 : 0) + (fin ? 1 : 0);
    /* init_endpoint */
    if (!e->seq_init) {
        e->seq_init = true;
        if (syn) {
            e->start_seq = seq;
            e->last_seq32 = seq + seg_len;
            e->last_seq = seg_len;
        } else {
            e->start_seq = seq - 1;
            e->last_seq32 = seq;
            e->last_seq = 1;
        }
        e->ack_seq = 0;
    } else if (syn && (e->state == EP_SYN_SENT || e->state == EP_SYN_ACK_SENT) &&
               seq != e->start_seq) {
        e->start_seq = seq;
        e->last_seq32 = seq + seg_len;
        e->last_seq = seg_len;
        e->ack_seq = 0;
    }
    uint64_t rel = e->last_seq + (uint64_t)(int64_t)(int32_t)(seq - e->last_seq32);
    if ((int64_t)rel < 0)
        rel = 0;

    /* history */
    int bits = syn + fin + rst;
    if (bits > 1) {
        if (fin && rst)
            check_history(c, is_orig, H_FINRST, 'I');
        else
            check_history(c, is_orig, H_MULTI, 'Q');
    } else if (bits == 1) {
        if (syn) {
            char code = ack ? 'H' : 'S';
            if (check_history(c, is_orig, H_SYN, code) && rel != e->hist_syn)
                net_conn_history(c, is_orig, code);
            e->hist_syn = rel;
        }
        if (fin) {
            if (check_history(c, is_orig, H_FIN, 'F') && rel + len != e->hist_fin)
                net_conn_history(c, is_orig, 'F');
            e->hist_fin = rel + len;
        }
        if (rst) {
            if (check_history(c, is_orig, H_RST, 'R') && rel != e->hist_rst)
                net_conn_history(c, is_orig, 'R');
            e->hist_rst = rel;
        }
    } else {
        if (len)
            check_history(c, is_orig, H_DATA, 'D');
        else if (ack)
            check_history(c, is_orig, H_ACK, 'A');
    }
    if (win == 0 && !syn && !fin && !rst)
        scaled_history(c, is_orig, &e->win0, &e->win0_thr, 'W');

    if (!(c->ep[0].state == EP_CLOSED && c->ep[1].state == EP_CLOSED))
        c->ts_last = pkt->ts;
    if (syn)
        e->hist_syn = rel;
    if (fin)
        e->fin_cnt++;
    if (rst)
        e->rst_cnt++;

    /* update_last_seq */
    uint32_t last32 = seq + seg_len;
    int32_t delta = (int32_t)(last32 - e->last_seq32);
    if ((syn || rst) && (delta > 0x10000000 || delta < -0x10000000)) {
        ;
    } else if (fin && e->last_seq == 1) {
        e->last_seq = (uint64_t)(uint32_t)(last32 - e->start_seq);
        e->last_seq32 = last32;
    } else if (e->state == EP_RESET) {
        ;
    } else if (delta > 0) {
        e->last_seq += (uint64_t)delta;
        e->last_seq32 = last32;
    } else if (len > 0) {
        scaled_history(c, is_orig, &e->rxmit, &e->rxmit_thr, 'T');
    }

    bool do_close = false, flipped = false;
    uint8_t os_before = c->ep[0].state, rs_before = c->ep[1].state;
    tcp_state(c, is_orig, fl, len, &do_close, &flipped);
    if (flipped) {
        struct ty_net_id id = c->id;
        c->id.orig_h = id.resp_h;
        c->id.resp_h = id.orig_h;
        c->id.orig_p = id.resp_p;
        c->id.resp_p = id.orig_p;
        struct net_ep tmp = c->ep[0];
        c->ep[0] = c->ep[1];
        c->ep[1] = tmp;
        is_orig = !is_orig;
        e = &c->ep[is_orig ? 0 : 1];
        peer = &c->ep[is_orig ? 1 : 0];
        net_conn_history(c, true, '^');
    }
    if (ack && peer->seq_init) {
        uint64_t a = peer->last_seq + (uint64_t)(int64_t)(int32_t)(ackn - peer->last_seq32);
        if ((int64_t)a > 0 && a > peer->ack_seq && a <= peer->last_seq + 0x10000000ull)
            peer->ack_seq = a;
        peer->ack_seen = true;
    }

    e->pkts++;
    e->ip_bytes += pkt->ip_len;

    /* payload for the application analyzers */
    if (syn)
        c->saw_syn = true;
    if (len > 0 && pkt->l4_cap > hl && c->saw_syn) {
        uint32_t have = pkt->l4_cap - (uint32_t)hl;
        uint64_t drel = rel + (syn ? 1 : 0);
        deliver(n, c, is_orig, drel, t + hl, have < len ? have : len);
    } else if (len > 0 && pkt->l4_cap > hl && !c->services) {
        /* a midstream pickup (an idle shell split by the inactivity timeout):
         * Zeek analyses nothing here; tyto's shell analysis reads it as it
         * comes, without reassembly (so conn.log stays Zeek's) */
        uint32_t have = pkt->l4_cap - (uint32_t)hl;
        net_shell_data(n, c, is_orig, t + hl, have < len ? have : len);
    }

    /* timers */
    if (c->list == L_DELETE && c->attempt_timer && !attempt_pending(c)) {
        list_del(n, c); /* answered: the attempt timer no longer applies */
        c->attempt_timer = false;
        list_add(n, c, L_TCP);
    }
    if (c->list != L_DELETE) {
        bool any_reset = c->ep[0].state == EP_RESET || c->ep[1].state == EP_RESET;
        bool os_done = c->ep[0].state == EP_CLOSED || c->ep[0].state == EP_RESET;
        bool rs_done = c->ep[1].state == EP_CLOSED || c->ep[1].state == EP_RESET;
        if (do_close && (any_reset || (os_done && rs_done)))
            schedule_delete(n, c, pkt->ts + CLOSE_DELAY, false);
        else if (os_before == EP_INACTIVE && rs_before == EP_INACTIVE && attempt_pending(c))
            schedule_delete(n, c, pkt->ts + ATTEMPT_DELAY, true);
        else
            touch(n, c);
    }
}

static int icmp_counterpart(uint8_t type, bool v6, bool *one_way)
{
    static const uint8_t v4[][2] = {{8, 0}, {0, 8}, {13, 14}, {14, 13}, {15, 16}, {16, 15},
                                    {17, 18}, {18, 17}, {10, 9}, {9, 10}};
    static const uint8_t v6t[][2] = {{128, 129}, {129, 128}, {133, 134}, {134, 133},
                                     {135, 136}, {136, 135}, {130, 131}, {131, 130}};
    const uint8_t(*tab)[2] = v6 ? v6t : v4;
    size_t nt = v6 ? sizeof(v6t) / 2 : sizeof(v4) / 2;
    for (size_t i = 0; i < nt; i++)
        if (tab[i][0] == type) {
            *one_way = false;
            return tab[i][1];
        }
    *one_way = true;
    return -1;
}

static void dgram_packet(struct ty_net *n, const struct net_pkt *pkt)
{
    const uint8_t *u = pkt->l4;
    uint16_t sp, dp;
    size_t hl;
    uint64_t payload;
    bool icmp = pkt->proto == 1 || pkt->proto == 58;
    bool other = pkt->proto != 17 && !icmp;
    if (other) {
        sp = dp = 0;
        hl = 0;
        payload = 0;
    } else if (icmp) {
        if (pkt->l4_cap < 4) {
            n->st.truncated++;
            return;
        }
        bool one_way;
        int cp = icmp_counterpart(u[0], pkt->proto == 58, &one_way);
        sp = u[0];
        dp = one_way ? u[1] : (uint16_t)cp;
        hl = 8;
        payload = pkt->l4_len > 8 ? pkt->l4_len - 8 : 0;
    } else {
        if (pkt->l4_cap < 8) {
            n->st.truncated++;
            return;
        }
        sp = be16(u);
        dp = be16(u + 2);
        uint16_t ulen = be16(u + 4);
        hl = 8;
        if (ulen < 8 || ulen > pkt->l4_len)
            ulen = (uint16_t)(pkt->l4_len > 65535 ? 65535 : pkt->l4_len);
        payload = ulen - 8u;
    }
    uint32_t h = hash_key(&pkt->src, sp, &pkt->dst, dp, pkt->proto);
    bool is_orig = true;
    struct net_conn *c = lookup(n, &pkt->src, sp, &pkt->dst, dp, pkt->proto, h, &is_orig);
    if (!c) {
        bool flip = false;
        if (!icmp && !other)
            flip = likely_server(sp, 17) && !likely_server(dp, 17);
        c = conn_new(n, pkt, sp, dp, h, flip);
        if (!c)
            return;
        is_orig = !flip;
    }
    struct net_ep *e = &c->ep[is_orig ? 0 : 1];
    if (!icmp && !other && !n->opts.ignore_checksums && pkt->l4_cap >= pkt->l4_len &&
        !(pkt->src.family == 4 && u[6] == 0 && u[7] == 0)) {
        uint32_t s = pkt->pseudo_sum + pkt->l4_len;
        if (net_csum_fold(net_csum_add(s, u, pkt->l4_len)) != 0) {
            n->st.bad_checksum++;
            scaled_history(c, is_orig, &e->bad, &e->bad_thr, 'C');
            return;
        }
    }
    c->ts_last = pkt->ts;
    e->pkts++;
    e->ip_bytes += pkt->ip_len;
    e->size += payload;
    if (!icmp && !other) {
        check_history(c, is_orig, H_UDPDATA, 'D');
        if (pkt->l4_cap > hl) {
            size_t have = pkt->l4_cap - hl;
            net_app_data(n, c, is_orig, u + hl, have < payload ? have : (size_t)payload, false);
        }
    }
    touch(n, c);
}

void net_conn_tunneled(struct ty_net *n, const struct net_pkt *pkt)
{
    if (n->depth >= 3)
        return;
    n->depth++;
    if (pkt->proto == 6)
        tcp_packet(n, pkt);
    else
        dgram_packet(n, pkt);
    n->depth--;
}

void net_conn_packet(struct ty_net *n, const struct net_pkt *pkt)
{
    n->now = pkt->ts;
    net_conn_expire(n, pkt->ts, false);
    if (pkt->proto == 6)
        tcp_packet(n, pkt);
    else
        dgram_packet(n, pkt); /* udp, icmp, and other IP protocols ("unknown_transport") */
}
