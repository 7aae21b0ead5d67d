/* SPDX-License-Identifier: Apache-2.0 */
/*
 * net-frag.c - IPv4 and IPv6 fragment reassembly in bounded memory: at most
 * FRAG_SLOTS datagrams in progress (the oldest is dropped for a new one),
 * each at most 64 KiB, dropped FRAG_TIMEOUT after its first fragment.
 * Overlapping fragments: the first copy of a byte wins. The reassembled
 * datagram carries the first fragment's header (IPv4: flags cleared, total
 * length set; IPv6: the unfragmentable part with the fragment header removed
 * and the payload length set), so the layers above see one ordinary packet,
 * as Zeek does.
 */
#include <stdlib.h>
#include <string.h>

#include "net-int.h"

#define FRAG_SLOTS 64
#define FRAG_TIMEOUT (30LL * 1000000000LL)
#define FRAG_MAX 65535u
#define HDR_MAX 256

struct frag_slot {
    bool used;
    uint8_t key[40];            /* v4: src, dst, id, proto; v6: src, dst, id */
    size_t key_len;
    int64_t first_ts;
    size_t total;               /* payload length, 0 until the last fragment arrives */
    size_t have;                /* payload bytes received (non-overlapping) */
    uint8_t hdr[HDR_MAX];       /* header of the first fragment (IPv6: unfragmentable part) */
    size_t hdr_len;
    size_t nh_pos;              /* IPv6: where the "fragment" next-header byte sits in hdr */
    uint8_t next;               /* IPv6: the fragment header's next header */
    uint8_t *buf;               /* FRAG_MAX payload bytes */
    uint8_t map[FRAG_MAX / 8 / 8 + 1]; /* one bit per 8-byte block received */
};

struct net_frag_table {
    struct frag_slot slots[FRAG_SLOTS];
    uint8_t out[FRAG_MAX + HDR_MAX];
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

/* Add one fragment's payload; returns the slot when the datagram is whole. */
static struct frag_slot *frag_put(struct ty_net *n, int64_t ts, const uint8_t *key,
                                  size_t key_len, size_t off, bool more, const uint8_t *data,
                                  size_t plen)
{
    struct net_frag_table *t = n->frags;
    struct frag_slot *s = NULL, *oldest = NULL, *free_slot = NULL;
    if (!t || off + plen > FRAG_MAX || (more && plen % 8 != 0) || plen == 0) {
        n->st.frag_dropped++;
        return NULL;
    }
    for (int i = 0; i < FRAG_SLOTS; i++) {
        struct frag_slot *x = &t->slots[i];
        if (x->used && ts - x->first_ts > FRAG_TIMEOUT)
            slot_drop(n, x);
        if (!x->used) {
            if (!free_slot)
                free_slot = x;
            continue;
        }
        if (x->key_len == key_len && memcmp(x->key, key, key_len) == 0)
            s = x;
        else if (!oldest || x->first_ts < oldest->first_ts)
            oldest = x;
    }
    if (!s) {
        s = free_slot ? free_slot : oldest;
        slot_drop(n, s);
        if (!s->buf && !(s->buf = malloc(FRAG_MAX))) {
            n->st.frag_dropped++;
            return NULL;
        }
        s->used = true;
        memcpy(s->key, key, key_len);
        s->key_len = key_len;
        s->first_ts = ts;
        s->total = 0;
        s->have = 0;
        s->hdr_len = 0;
        memset(s->map, 0, sizeof(s->map));
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
        memcpy(s->buf + b, data + (b - off), n_b);
        s->have += n_b;
    }
    return s;
}

int net_frag_add(struct ty_net *n, int64_t ts, const uint8_t *ip, size_t len,
                 const uint8_t **out, size_t *out_len)
{
    size_t ihl = (size_t)(ip[0] & 0x0f) * 4;
    uint16_t fl = (uint16_t)(ip[6] << 8 | ip[7]);
    size_t off = (size_t)(fl & 0x1fff) * 8;
    uint8_t key[11];
    memcpy(key, ip + 12, 8);
    memcpy(key + 8, ip + 4, 2);
    key[10] = ip[9];
    struct frag_slot *s = frag_put(n, ts, key, sizeof(key), off, fl & 0x2000, ip + ihl, len - ihl);
    if (!s)
        return 0;
    if (off == 0) {
        memcpy(s->hdr, ip, ihl);
        s->hdr_len = ihl;
    }
    if (s->total == 0 || s->hdr_len == 0 || s->have < s->total)
        return 0;
    uint8_t *o = n->frags->out;
    memcpy(o, s->hdr, s->hdr_len);
    memcpy(o + s->hdr_len, s->buf, s->total);
    size_t tot = s->hdr_len + s->total;
    s->used = false;
    if (tot > 65535) {
        n->st.frag_dropped++;
        return 0;
    }
    o[2] = (uint8_t)(tot >> 8);
    o[3] = (uint8_t)tot;
    o[6] = 0;
    o[7] = 0;
    *out = o;
    *out_len = tot;
    return 1;
}

int net_frag6_add(struct ty_net *n, int64_t ts, const uint8_t *ip, size_t len, size_t fh_off,
                  size_t nh_pos, const uint8_t **out, size_t *out_len)
{
    if (fh_off + 8 > len || fh_off > HDR_MAX || nh_pos >= fh_off) {
        n->st.frag_dropped++;
        return 0;
    }
    const uint8_t *fh = ip + fh_off;
    uint16_t fo = (uint16_t)(fh[2] << 8 | fh[3]);
    size_t off = fo & 0xfff8;
    uint8_t key[36];
    memcpy(key, ip + 8, 32);
    memcpy(key + 32, fh + 4, 4);
    struct frag_slot *s =
        frag_put(n, ts, key, sizeof(key), off, fo & 1, fh + 8, len - fh_off - 8);
    if (!s)
        return 0;
    if (off == 0) {
        memcpy(s->hdr, ip, fh_off);
        s->hdr_len = fh_off;
        s->nh_pos = nh_pos;
        s->next = fh[0];
    }
    if (s->total == 0 || s->hdr_len == 0 || s->have < s->total)
        return 0;
    uint8_t *o = n->frags->out;
    memcpy(o, s->hdr, s->hdr_len);
    memcpy(o + s->hdr_len, s->buf, s->total);
    size_t plen = s->hdr_len - 40 + s->total;
    s->used = false;
    if (plen > 65535) {
        n->st.frag_dropped++;
        return 0;
    }
    o[s->nh_pos] = s->next;
    o[4] = (uint8_t)(plen >> 8);
    o[5] = (uint8_t)plen;
    *out = o;
    *out_len = 40 + plen;
    return 1;
}
