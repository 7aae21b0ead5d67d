/* SPDX-License-Identifier: Apache-2.0 */
/*
 * net-app.c - dynamic protocol detection: which application analyzer sees a
 * connection's payload. UDP goes by port (DNS 53/137/5353/5355, NTP 123,
 * DHCP 67/68) and a sanity check of the payload; TCP by the first payload of
 * each side on any port (HTTP request line, TLS ClientHello, SSH banner) and
 * DNS by port 53. Not in Zeek: the Stratum mining protocol (JSON-RPC lines
 * "mining.subscribe"/"mining.authorize", or xmrig's "login" with an "agent")
 * names the service "stratum" so that rules can see mining on any port, and
 * raises a notice Tyto::Stratum_Login naming the miner's login (the wallet)
 * and agent.
 * Also the shared text helpers (Zeek escaping, addresses).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/str.h>

#include "net-int.h"

/* A miner's first Stratum request (the whole first segment is looked at). */
static bool stratum_looks(const uint8_t *p, size_t len)
{
    struct ty_str s = ty_str_make((const char *)p, len);
    if (!len || p[0] != '{' || !ty_str_contains(s, "\"method\""))
        return false;
    return ty_str_contains(s, "\"mining.subscribe\"") ||
           ty_str_contains(s, "\"mining.authorize\"") ||
           (ty_str_contains(s, "\"login\"") && ty_str_contains(s, "\"agent\""));
}

/* The string value after key (e.g. "\"login\":") in p, or an empty span. */
static struct ty_str json_value(struct ty_str s, const char *key)
{
    size_t kl = strlen(key);
    for (size_t i = 0; i + kl < s.len; i++) {
        if (memcmp(s.p + i, key, kl) != 0)
            continue;
        size_t k = i + kl;
        while (k < s.len && (s.p[k] == ' ' || s.p[k] == '['))
            k++;
        if (k >= s.len || s.p[k] != '"')
            continue;
        const char *v = s.p + k + 1;
        const char *e = memchr(v, '"', s.len - k - 1);
        return e ? ty_str_make(v, (size_t)(e - v)) : ty_str_make(v, 0);
    }
    return ty_str_make("", 0);
}

/* A notice with the miner's account (xmrig "login", or the first param of
 * mining.authorize) and agent: the wallet is the case's best artifact. */
static void stratum_login(struct ty_net *n, struct net_conn *c, const uint8_t *p, size_t len)
{
    struct ty_str s = ty_str_make((const char *)p, len);
    struct ty_str who = json_value(s, "\"login\":");
    const char *auth = NULL;
    for (size_t i = 0; !auth && i + 18 <= s.len; i++)
        if (memcmp(s.p + i, "\"mining.authorize\"", 18) == 0)
            auth = s.p + i;
    if (!who.len && auth) /* the params after the method, whichever comes first in the line */
        who = json_value(ty_str_make(auth, len - (size_t)(auth - s.p)), "\"params\":");
    if (!who.len && auth) {
        const char *line = auth;
        while (line > s.p && line[-1] != '\n')
            line--;
        who = json_value(ty_str_make(line, len - (size_t)(line - s.p)), "\"params\":");
    }
    struct ty_str agent = json_value(s, "\"agent\":");
    char msg[400];
    int wl = (int)(who.len > 200 ? 200 : who.len), al = (int)(agent.len > 120 ? 120 : agent.len);
    int w = snprintf(msg, sizeof(msg), "login %.*s agent %.*s", wl, who.p, al, agent.p);
    if (w > 0)
        net_notice(n, c, true, "Tyto::Stratum_Login", (const uint8_t *)msg,
                   (size_t)w < sizeof(msg) ? (size_t)w : sizeof(msg) - 1,
                   "a miner logged in to a mining pool (Stratum)", n->now);
}

static bool port_is(const struct net_conn *c, uint16_t p)
{
    return c->id.orig_p == p || c->id.resp_p == p;
}

/* GTPv1-U G-PDUs (2152), Teredo (3544) and VXLAN (4789): the outer UDP
 * connection gets the tunnel's service, the inner packet its own connection. */
static bool tunnel(struct ty_net *n, struct net_conn *c, const uint8_t *p, size_t len)
{
    struct net_pkt inner;
    size_t hl;
    if (port_is(c, 53) || port_is(c, 5353) || port_is(c, 137) || port_is(c, 5355))
        return false; /* DNS from an ephemeral port that happens to be a tunnel's */
    if (port_is(c, 2152) && len >= 8 && (p[0] >> 5) == 1 && (p[0] & 0x10) &&
        (size_t)(p[2] << 8 | p[3]) == len - 8) {
        if (p[1] != 0xff)
            return true; /* GTP signalling: not user data */
        hl = 8;
        if (p[0] & 0x07) {
            hl = 12;
            uint8_t next = len >= 12 ? p[11] : 0;
            while (next && hl < len) {
                size_t el = (size_t)p[hl] * 4;
                if (el == 0 || hl + el > len)
                    return true;
                next = p[hl + el - 1];
                hl += el;
            }
        }
        if (hl >= len || !((p[hl] >> 4) == 4 || (p[hl] >> 4) == 6))
            return true;
        if (net_decode_ip(n, n->now, p + hl, len - hl, &inner) == 1) {
            net_conn_add_service(c, SVC_GTP);
            net_conn_tunneled(n, &inner);
        }
        return true;
    }
    if (port_is(c, 3544) && len >= 40) {
        hl = 0;
        if (p[0] == 0 && p[1] == 1 && len >= 4) /* authentication header */
            hl = 4 + (size_t)p[2] + p[3] + 9;
        if (hl + 8 <= len && p[hl] == 0 && p[hl + 1] == 0) /* origin indication */
            hl += 8;
        if (hl + 40 > len || (p[hl] >> 4) != 6 ||
            40u + (size_t)(p[hl + 4] << 8 | p[hl + 5]) > len - hl)
            return false;
        if (net_decode_ip(n, n->now, p + hl, len - hl, &inner) == 1) {
            net_conn_add_service(c, SVC_TEREDO);
            net_conn_tunneled(n, &inner);
        }
        return true;
    }
    if (port_is(c, 4789) && len >= 8 + 14 && p[0] == 0x08 && !p[1] && !p[2] && !p[3] && !p[7]) {
        if (net_decode(n, 1, n->now, p + 8, len - 8, &inner) == 1) {
            net_conn_add_service(c, SVC_VXLAN);
            net_conn_tunneled(n, &inner);
        }
        return true;
    }
    return false;
}

/* SSH: confirmed once both sides sent a version line ("SSH-..."), which may
 * follow other lines (RFC 4253 allows a server to send text first). The first
 * 4 KiB of each side are looked at. */
static void ssh_scan(struct net_conn *c, int k, const uint8_t *p, size_t len)
{
    static const char want[] = "SSH-";
    for (size_t i = 0; i < len && !c->ssh_banner[k] && c->ssh_seen[k] < 4096; i++) {
        c->ssh_seen[k]++;
        uint8_t m = c->ssh_match[k];
        if (m < 4 && p[i] == (uint8_t)want[m] && (m > 0 || c->ssh_seen[k] == 1 || c->ssh_nl[k]))
            c->ssh_match[k] = (uint8_t)(m + 1);
        else
            c->ssh_match[k] = 0;
        c->ssh_nl[k] = p[i] == '\n';
        if (c->ssh_match[k] == 4)
            c->ssh_banner[k] = true;
    }
    if (c->ssh_banner[0] && c->ssh_banner[1])
        net_conn_add_service(c, SVC_SSH);
}

void net_app_data(struct ty_net *n, struct net_conn *c, bool is_orig, const uint8_t *p,
                  size_t len, bool tcp)
{
    if (len == 0)
        return;
    if (!tcp) {
        if (tunnel(n, c, p, len))
            return;
        if ((port_is(c, 53) || port_is(c, 137) || port_is(c, 5353) || port_is(c, 5355)) &&
            net_dns_looks(p, len))
            net_dns_data(n, c, is_orig, p, len, false);
        else if (port_is(c, 123) && len >= 48)
            net_conn_add_service(c, SVC_NTP);
        else if ((port_is(c, 67) || port_is(c, 68)) && len >= 240 && p[236] == 0x63 &&
                 p[237] == 0x82 && p[238] == 0x53 && p[239] == 0x63)
            net_conn_add_service(c, SVC_DHCP);
        return;
    }
    if (c->http) {
        net_http_data(n, c, is_orig, p, len);
        return;
    }
    if (c->ftp || c->id.resp_p == 21 || c->id.resp_p == 2811) {
        net_ftp_data(n, c, is_orig, p, len);
        return;
    }
    if (c->ssl) {
        net_ssl_data(n, c, is_orig, p, len);
        return;
    }
    if (c->dns) {
        net_dns_data(n, c, is_orig, p, len, true);
        return;
    }
    int k = is_orig ? 0 : 1;
    if (c->id.resp_p == 22 && !(c->services & (1u << SVC_SSH)))
        ssh_scan(c, k, p, len);
    if (!c->services)
        net_shell_data(n, c, is_orig, p, len);
    /* Gather the first bytes of this side until a decision can be made (a
     * request can arrive one byte per segment). */
    if (c->dpd_done[k])
        return;
    size_t room = sizeof(c->dpd_buf[k]) - c->dpd_len[k];
    size_t take = len < room ? len : room;
    memcpy(c->dpd_buf[k] + c->dpd_len[k], p, take);
    c->dpd_len[k] = (uint8_t)(c->dpd_len[k] + take);
    const uint8_t *b = c->dpd_buf[k];
    size_t bl = c->dpd_len[k];
    bool full = bl == sizeof(c->dpd_buf[k]) || memchr(b, '\n', bl);
    enum { NONE, HTTP, SSL, DNS } which = NONE;
    if (is_orig && net_ssl_looks(b, bl))
        which = SSL;
    else if (is_orig && full && net_http_looks(b, bl, true))
        which = HTTP;
    else if (port_is(c, 53))
        which = DNS;
    else if (bl < 6 && !full)
        return; /* too little to tell */
    else if (!full && is_orig && b[0] >= 'A' && b[0] <= 'Z')
        return; /* maybe a request line still arriving */
    else if (!full && bl >= 1 && b[0] == 'S')
        return;
    c->dpd_done[k] = true;
    switch (which) {
    case HTTP:
        net_http_data(n, c, is_orig, b, bl);
        net_http_data(n, c, is_orig, p + take, len - take);
        break;
    case SSL:
        net_ssl_data(n, c, is_orig, b, bl);
        net_ssl_data(n, c, is_orig, p + take, len - take);
        break;
    case DNS:
        net_dns_data(n, c, is_orig, b, bl, true);
        net_dns_data(n, c, is_orig, p + take, len - take, true);
        break;
    default:
        if (c->id.resp_p != 22)
            ssh_scan(c, k, b, bl);
        if (is_orig && (stratum_looks(p, len) || stratum_looks(b, bl))) {
            net_conn_add_service(c, SVC_STRATUM);
            if (stratum_looks(p, len))
                stratum_login(n, c, p, len);
            else
                stratum_login(n, c, b, bl);
        }
        break;
    }
}

void net_app_gap(struct ty_net *n, struct net_conn *c, bool is_orig, uint64_t gap)
{
    if (c->http)
        net_http_gap(n, c, is_orig, gap);
}

void net_app_close(struct ty_net *n, struct net_conn *c)
{
    net_dns_close(n, c);
    net_http_close(n, c);
    net_ssl_close(n, c);
    net_ftp_close(n, c);
    net_shell_close(n, c);
}

void *net_mem_get(struct ty_net *n, size_t size, bool zero)
{
    size_t cap = n->opts.max_app_mem ? n->opts.max_app_mem : (size_t)256 << 20;
    if (n->app_mem + size > cap) {
        n->st.app_mem_refused++;
        return NULL;
    }
    void *p = zero ? calloc(1, size) : malloc(size);
    if (!p)
        return NULL;
    n->app_mem += size;
    if (n->app_mem > n->st.app_mem_max)
        n->st.app_mem_max = n->app_mem;
    return p;
}

void net_mem_put(struct ty_net *n, void *p, size_t size)
{
    if (!p)
        return;
    n->app_mem -= size;
    free(p);
}

/* Length of the valid UTF-8 sequence at p (2-4), or 0. */
static size_t utf8_len(const uint8_t *p, size_t n)
{
    size_t need = p[0] >= 0xf0 && p[0] <= 0xf4 ? 4 : p[0] >= 0xe0 ? 3 : p[0] >= 0xc2 ? 2 : 0;
    if (!need || need > n)
        return 0;
    for (size_t i = 1; i < need; i++)
        if ((p[i] & 0xc0) != 0x80)
            return 0;
    if (need == 3 && ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] >= 0xa0)))
        return 0; /* overlong, surrogates */
    if (need == 4 && ((p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] >= 0x90)))
        return 0;
    return need;
}

/* Zeek's ASCII escaping: control bytes, DEL, backslash and bytes that are not
 * valid UTF-8 as \xHH; valid UTF-8 kept as is. */
void net_escape(char *dst, size_t size, const uint8_t *p, size_t len)
{
    size_t o = 0;
    if (size == 0)
        return;
    for (size_t i = 0; i < len;) {
        uint8_t ch = p[i];
        size_t u = ch >= 0x80 ? utf8_len(p + i, len - i) : 0;
        if (u) {
            if (o + u >= size)
                break;
            memcpy(dst + o, p + i, u);
            o += u;
            i += u;
        } else if (ch < 0x20 || ch >= 0x7f || ch == '\\') {
            if (o + 4 >= size)
                break;
            snprintf(dst + o, 5, "\\x%02x", ch);
            o += 4;
            i++;
        } else {
            if (o + 1 >= size)
                break;
            dst[o++] = (char)ch;
            i++;
        }
    }
    dst[o] = 0;
}

void ty_net_addr_fmt(const struct ty_net_addr *a, char *buf, size_t size)
{
    if (!inet_ntop(a->family == 6 ? AF_INET6 : AF_INET, a->a, buf, (socklen_t)size) && size)
        buf[0] = 0;
}

const char *ty_net_proto_name(uint8_t proto)
{
    switch (proto) {
    case 6: return "tcp";
    case 17: return "udp";
    case 1:
    case 58: return "icmp";
    default: return "unknown_transport";
    }
}
