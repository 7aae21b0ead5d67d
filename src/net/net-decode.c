/* SPDX-License-Identifier: Apache-2.0 */
/*
 * net-decode.c - link and network layer decoding: Ethernet (with 802.1Q /
 * 802.1ad / QinQ VLAN tags, MPLS label stacks, PPPoE sessions and Cisco
 * FabricPath), Linux
 * cooked capture v1 (SLL) and v2 (SLL2), BSD loopback (NULL/LOOP), raw IP,
 * then IPv4 (header checksum, fragments handed to net-frag.c) and IPv6
 * (extension headers walked, fragments reassembled by net-frag.c too).
 * Quirks: an IPv4 total length of 0 (TCP segmentation offload) means "what
 * was captured"; Ethernet padding beyond the IP length is ignored.
 */
#include <string.h>

#include "net-int.h"

/* libpcap DLT_* values (pcap/dlt.h) used here, spelled out so that this file
 * does not need libpcap's headers. */
enum {
    DLT_NULL_ = 0, DLT_EN10MB_ = 1, DLT_RAW_LINUX = 12, DLT_RAW_BSD = 14, DLT_RAW_LT = 101,
    DLT_LOOP_ = 108, DLT_LINUX_SLL_ = 113, DLT_IPV4_ = 228, DLT_IPV6_ = 229,
    DLT_LINUX_SLL2_ = 276,
};

static uint16_t be16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

uint32_t net_csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
    size_t i = 0;
    for (; i + 1 < len; i += 2)
        sum += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (i < len)
        sum += (uint32_t)(p[i] << 8);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return sum;
}

uint16_t net_csum_fold(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

static int decode_ip4(struct ty_net *n, int64_t ts, const uint8_t *p, size_t cap,
                      struct net_pkt *pkt)
{
    if (cap < 20 || (p[0] >> 4) != 4) {
        n->st.truncated++;
        return 0;
    }
    size_t ihl = (size_t)(p[0] & 0x0f) * 4;
    size_t tot = be16(p + 2);
    if (ihl < 20 || cap < ihl) {
        n->st.truncated++;
        return 0;
    }
    if (tot == 0)
        tot = cap; /* TSO: the length field is left 0 by the NIC offload */
    if (tot < ihl)
        return 0;
    if (!n->opts.ignore_checksums && net_csum_fold(net_csum_add(0, p, ihl)) != 0) {
        n->st.bad_checksum++;
        return 0;
    }
    uint16_t frag = be16(p + 6);
    if ((frag & 0x3fff) != 0) {
        const uint8_t *whole;
        size_t whole_len;
        n->st.fragments++;
        if (net_frag_add(n, ts, p, cap < tot ? cap : tot, &whole, &whole_len) != 1)
            return 0;
        p = whole;
        cap = whole_len;
        tot = whole_len;
        ihl = (size_t)(p[0] & 0x0f) * 4;
    }
    pkt->ts = ts;
    pkt->src.family = pkt->dst.family = 4;
    memset(pkt->src.a, 0, 16);
    memset(pkt->dst.a, 0, 16);
    memcpy(pkt->src.a, p + 12, 4);
    memcpy(pkt->dst.a, p + 16, 4);
    pkt->proto = p[9];
    pkt->ip_len = (uint32_t)tot;
    pkt->l4 = p + ihl;
    pkt->l4_len = (uint32_t)(tot - ihl);
    size_t c = cap < tot ? cap : tot;
    pkt->l4_cap = (uint32_t)(c - ihl);
    pkt->pseudo_sum = net_csum_add(net_csum_add(0, p + 12, 8), (const uint8_t[]){0, p[9]}, 2);
    return 1;
}

static int decode_ip6(struct ty_net *n, int64_t ts, const uint8_t *p, size_t cap,
                      struct net_pkt *pkt, bool reassembled)
{
    if (cap < 40 || (p[0] >> 4) != 6) {
        n->st.truncated++;
        return 0;
    }
    size_t plen = be16(p + 4);
    size_t tot = 40 + plen;
    size_t c = cap < tot ? cap : tot;
    uint8_t nh = p[6];
    size_t off = 40, nh_pos = 6;
    for (int hops = 0; hops < 8; hops++) {
        if (nh == 0 || nh == 43 || nh == 60 || nh == 51) {
            if (off + 8 > c)
                return 0;
            size_t hl = nh == 51 ? ((size_t)p[off + 1] + 2) * 4 : ((size_t)p[off + 1] + 1) * 8;
            nh = p[off];
            nh_pos = off;
            off += hl;
            continue;
        }
        if (nh == 44) {
            if (off + 8 > c)
                return 0;
            uint16_t fo = be16(p + off + 2);
            if ((fo & 0xfff9) == 0) { /* atomic fragment: offset 0, no more */
                nh = p[off];
                nh_pos = off;
                off += 8;
                continue;
            }
            n->st.fragments++;
            const uint8_t *whole;
            size_t whole_len;
            if (reassembled || c < tot) { /* nested, or cut by the snap length */
                n->st.frag_dropped++;
                return 0;
            }
            if (net_frag6_add(n, ts, p, tot, off, nh_pos, &whole, &whole_len) != 1)
                return 0;
            return decode_ip6(n, ts, whole, whole_len, pkt, true);
        }
        break;
    }
    if (off > c)
        return 0;
    pkt->ts = ts;
    pkt->src.family = pkt->dst.family = 6;
    memcpy(pkt->src.a, p + 8, 16);
    memcpy(pkt->dst.a, p + 24, 16);
    pkt->proto = nh;
    pkt->ip_len = (uint32_t)tot;
    pkt->l4 = p + off;
    pkt->l4_len = (uint32_t)(tot - off);
    pkt->l4_cap = (uint32_t)(c - off);
    pkt->pseudo_sum = net_csum_add(net_csum_add(0, p + 8, 32), (const uint8_t[]){0, nh}, 2);
    return 1;
}

int net_decode_ip(struct ty_net *n, int64_t ts, const uint8_t *p, size_t cap,
                  struct net_pkt *pkt)
{
    if (cap < 1)
        return 0;
    if ((p[0] >> 4) == 4)
        return decode_ip4(n, ts, p, cap, pkt);
    if ((p[0] >> 4) == 6)
        return decode_ip6(n, ts, p, cap, pkt, false);
    n->st.non_ip++;
    return 0;
}

/* An ethertype-tagged payload: VLAN tags, MPLS, PPPoE, then IP. */
static int decode_ethertype(struct ty_net *n, int64_t ts, uint16_t type, const uint8_t *p,
                            size_t cap, struct net_pkt *pkt)
{
    for (int depth = 0; depth < 8; depth++) {
        switch (type) {
        case 0x0800:
            return decode_ip4(n, ts, p, cap, pkt);
        case 0x86dd:
            return decode_ip6(n, ts, p, cap, pkt, false);
        case 0x8100:
        case 0x88a8:
        case 0x9100:
            if (cap < 4)
                goto trunc;
            type = be16(p + 2);
            p += 4;
            cap -= 4;
            continue;
        case 0x8847:
        case 0x8848:
            for (;;) { /* MPLS label stack: bottom-of-stack bit ends it */
                if (cap < 4)
                    goto trunc;
                bool bos = p[2] & 1;
                p += 4;
                cap -= 4;
                if (bos)
                    break;
            }
            return net_decode_ip(n, ts, p, cap, pkt);
        case 0x8864: /* PPPoE session: 6-byte header, 2-byte PPP protocol */
            if (cap < 8)
                goto trunc;
            if (be16(p + 6) == 0x0021)
                return decode_ip4(n, ts, p + 8, cap - 8, pkt);
            if (be16(p + 6) == 0x0057)
                return decode_ip6(n, ts, p + 8, cap - 8, pkt, false);
            n->st.non_ip++;
            return 0;
        default:
            n->st.non_ip++;
            return 0;
        }
    }
trunc:
    n->st.truncated++;
    return 0;
}

int net_decode(struct ty_net *n, int dlt, int64_t ts, const uint8_t *p, size_t caplen,
               struct net_pkt *pkt)
{
    switch (dlt) {
    case DLT_EN10MB_:
        if (caplen < 14)
            break;
        if (be16(p + 12) <= 1500) { /* 802.3 length: LLC/SNAP */
            if (caplen >= 22 && p[14] == 0xaa && p[15] == 0xaa)
                return decode_ethertype(n, ts, be16(p + 20), p + 22, caplen - 22, pkt);
            n->st.non_ip++;
            return 0;
        }
        if (be16(p + 12) == 0x8903 && caplen >= 30) /* Cisco FabricPath: inner frame */
            return net_decode(n, dlt, ts, p + 16, caplen - 16, pkt);
        return decode_ethertype(n, ts, be16(p + 12), p + 14, caplen - 14, pkt);
    case DLT_RAW_LINUX:
    case DLT_RAW_BSD:
    case DLT_RAW_LT:
        return net_decode_ip(n, ts, p, caplen, pkt);
    case DLT_IPV4_:
        return decode_ip4(n, ts, p, caplen, pkt);
    case DLT_IPV6_:
        return decode_ip6(n, ts, p, caplen, pkt, false);
    case DLT_NULL_:
    case DLT_LOOP_:
        if (caplen < 4)
            break;
        return net_decode_ip(n, ts, p + 4, caplen - 4, pkt);
    case DLT_LINUX_SLL_:
        if (caplen < 16)
            break;
        return decode_ethertype(n, ts, be16(p + 14), p + 16, caplen - 16, pkt);
    case DLT_LINUX_SLL2_:
        if (caplen < 20)
            break;
        return decode_ethertype(n, ts, be16(p), p + 20, caplen - 20, pkt);
    default:
        n->st.non_ip++;
        return 0;
    }
    n->st.truncated++;
    return 0;
}
