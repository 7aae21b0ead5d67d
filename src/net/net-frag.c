/* SPDX-License-Identifier: Apache-2.0 */
/*
 * net-frag.c - IPv4 fragment reassembly in bounded memory: at most
 * FRAG_SLOTS datagrams in progress (the oldest is dropped for a new one),
 * each at most 64 KiB, dropped FRAG_TIMEOUT after its first fragment.
 * Overlapping fragments: the first copy of a byte wins. The reassembled
 * datagram carries the first fragment's header with the flags cleared and the
 * total length set, so the layers above see one ordinary packet (as Zeek does).
 */
#include <stdlib.h>
#include <string.h>

#include "net-int.h"

#define FRAG_SLOTS 64
#define FRAG_TIMEOUT (30LL * 1000000000LL)
#define FRAG_MAX 65535u

struct frag_slot {
    bool used;
    uint8_t key[11];            /* src, dst, id, proto */
    int64_t first_ts;
    size_t total;               /* payload length, 0 until the last fragment arrives */
    size_t have;                /* payload bytes received (non-overlapping) */
    uint8_t hdr[60];
    size_t hdr_len;
    uint8_t *buf;               /* FRAG_MAX payload bytes */
    uint8_t map[FRAG_MAX / 8 / 8 + 1]; /* one bit per 8-byte block received */
};

struct net_frag_table {
    struct frag_slot slots[FRAG_SLOTS];
    uint8_t out[FRAG_MAX + 60];
};

struct net_frag_table *net_frag_new(void)
{
    return calloc(1, sizeof(struct net_frag_table));
}

void net_frag_free(struct net_frag_table *t)
{
    if (!t)
        return;
    for (int i = 0; i < FRAG_SLOTS; i++)
        free(t->slots[i].buf);
    free(t);
}

static void slot_drop(struct ty_net *n, struct frag_slot *s)
{
    if (s->used)
        n->st.frag_dropped++;
    s->used = false;
}

int net_frag_add(struct ty_net *n, int64_t ts, const uint8_t *ip, size_t len,
                 const uint8_t **out, size_t *out_len)
{
    struct net_frag_table *t = n->frags;
    size_t ihl = (size_t)(ip[0] & 0x0f) * 4;
    uint16_t fl = (uint16_t)(ip[6] << 8 | ip[7]);
    size_t off = (size_t)(fl & 0x1fff) * 8;
    bool more = fl & 0x2000;
    size_t plen = len - ihl;
    uint8_t key[11];
    struct frag_slot *s = NULL, *oldest = NULL, *free_slot = NULL;

    if (!t || off + plen > FRAG_MAX || (more && plen % 8 != 0) || plen == 0) {
        n->st.frag_dropped++;
        return 0;
    }
    memcpy(key, ip + 12, 8);
    memcpy(key + 8, ip + 4, 2);
    key[10] = ip[9];
    for (int i = 0; i < FRAG_SLOTS; i++) {
        struct frag_slot *x = &t->slots[i];
        if (x->used && ts - x->first_ts > FRAG_TIMEOUT)
            slot_drop(n, x);
        if (!x->used) {
            if (!free_slot)
                free_slot = x;
            continue;
        }
        if (memcmp(x->key, key, sizeof(key)) == 0)
            s = x;
        else if (!oldest || x->first_ts < oldest->first_ts)
            oldest = x;
    }
    if (!s) {
        s = free_slot ? free_slot : oldest;
        slot_drop(n, s);
        if (!s->buf && !(s->buf = malloc(FRAG_MAX))) {
            n->st.frag_dropped++;
            return 0;
        }
        s->used = true;
        memcpy(s->key, key, sizeof(key));
        s->first_ts = ts;
        s->total = 0;
        s->have = 0;
        s->hdr_len = 0;
        memset(s->map, 0, sizeof(s->map));
    }
    if (off == 0) {
        memcpy(s->hdr, ip, ihl);
        s->hdr_len = ihl;
    }
    if (!more)
        s->total = off + plen;
    /* Copy block by block (8 bytes), skipping blocks already received. */
    for (size_t b = off; b < off + plen; b += 8) {
        size_t blk = b / 8;
        size_t n_b = off + plen - b < 8 ? off + plen - b : 8;
        if (s->map[blk / 8] & (1u << (blk % 8)))
            continue;
        s->map[blk / 8] |= (uint8_t)(1u << (blk % 8));
        memcpy(s->buf + b, ip + ihl + (b - off), n_b);
        s->have += n_b;
    }
    if (s->total == 0 || s->hdr_len == 0 || s->have < s->total)
        return 0;
    memcpy(t->out, s->hdr, s->hdr_len);
    memcpy(t->out + s->hdr_len, s->buf, s->total);
    size_t tot = s->hdr_len + s->total;
    s->used = false;
    if (tot > 65535) {
        n->st.frag_dropped++;
        return 0;
    }
    t->out[2] = (uint8_t)(tot >> 8);
    t->out[3] = (uint8_t)tot;
    t->out[6] = 0;
    t->out[7] = 0;
    *out = t->out;
    *out_len = tot;
    return 1;
}
