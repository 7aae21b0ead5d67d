/* SPDX-License-Identifier: Apache-2.0 */
/*
 * net-ssl.c - TLS (SSLv3 .. TLS 1.3) handshakes over a TCP stream into Zeek's
 * ssl.log records: the record layer is followed in both directions; the
 * ClientHello gives the SNI and the JA3 fingerprint (md5 of "version,ciphers,
 * extensions,groups,point formats", GREASE values removed), the ServerHello
 * the version (supported_versions wins), cipher, ALPN, resumption (echoed
 * session id; the pre_shared_key extension in TLS 1.3) and JA3S, the
 * ServerKeyExchange / key_share the curve.
 * established = ChangeCipherSpec from both sides (TLS <= 1.2) or application
 * data from both sides (TLS 1.3). Handshake messages over HS_MAX bytes
 * (certificates) are skipped, not buffered. One record per connection,
 * written when the connection ends.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "net-int.h"

#define HS_MAX 16384

struct ssl_dir {
    uint8_t rec_hdr[5];
    size_t rec_have;            /* header bytes gathered */
    size_t rec_remain;          /* body bytes of the current record still to come */
    uint8_t rec_type;
    uint8_t hs_hdr[4];
    size_t hs_have;
    size_t hs_remain;           /* body bytes of the current handshake message */
    uint8_t *hs_buf;            /* body of a message we keep (<= HS_MAX), else NULL */
    size_t hs_len;
    bool ccs, appdata, encrypted, broken;
};

struct net_ssl {
    struct ssl_dir d[2];
    struct ty_net_ssl_rec r;
    uint8_t client_sid[32];
    size_t client_sid_len;
    uint16_t server_version;
    bool have_client, have_server;
};

static uint16_t be16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static bool grease(uint16_t v)
{
    return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

static const char *version_name(uint16_t v)
{
    switch (v) {
    case 0x0002: return "SSLv2";
    case 0x0300: return "SSLv3";
    case 0x0301: return "TLSv10";
    case 0x0302: return "TLSv11";
    case 0x0303: return "TLSv12";
    case 0x0304: return "TLSv13";
    case 0xfeff: return "DTLSv10";
    case 0xfefd: return "DTLSv12";
    case 0xfefc: return "DTLSv13";
    default: return NULL;
    }
}

static const struct {
    uint16_t id;
    const char *name;
} ciphers[] = {
    {0x0004, "TLS_RSA_WITH_RC4_128_MD5"}, {0x0005, "TLS_RSA_WITH_RC4_128_SHA"},
    {0x000a, "TLS_RSA_WITH_3DES_EDE_CBC_SHA"}, {0x0016, "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA"},
    {0x002f, "TLS_RSA_WITH_AES_128_CBC_SHA"}, {0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA"},
    {0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA"}, {0x0039, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA"},
    {0x003c, "TLS_RSA_WITH_AES_128_CBC_SHA256"}, {0x003d, "TLS_RSA_WITH_AES_256_CBC_SHA256"},
    {0x0067, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256"},
    {0x006b, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256"},
    {0x009c, "TLS_RSA_WITH_AES_128_GCM_SHA256"}, {0x009d, "TLS_RSA_WITH_AES_256_GCM_SHA384"},
    {0x009e, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"},
    {0x009f, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384"},
    {0x1301, "TLS_AES_128_GCM_SHA256"}, {0x1302, "TLS_AES_256_GCM_SHA384"},
    {0x1303, "TLS_CHACHA20_POLY1305_SHA256"}, {0x1304, "TLS_AES_128_CCM_SHA256"},
    {0xc009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"},
    {0xc00a, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"},
    {0xc011, "TLS_ECDHE_RSA_WITH_RC4_128_SHA"},
    {0xc012, "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA"},
    {0xc013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"},
    {0xc014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA"},
    {0xc023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"},
    {0xc024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384"},
    {0xc027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"},
    {0xc028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384"},
    {0xc02b, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"},
    {0xc02c, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"},
    {0xc02f, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"},
    {0xc030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"},
    {0xcca8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"},
    {0xcca9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"},
    {0xccaa, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256"},
};

static void cipher_name(uint16_t id, char *buf, size_t size)
{
    for (size_t i = 0; i < sizeof(ciphers) / sizeof(ciphers[0]); i++)
        if (ciphers[i].id == id) {
            snprintf(buf, size, "%s", ciphers[i].name);
            return;
        }
    snprintf(buf, size, "unknown-%u", id);
}

static void curve_name(uint16_t g, char *buf, size_t size)
{
    const char *s = NULL;
    switch (g) {
    case 23: s = "secp256r1"; break;
    case 24: s = "secp384r1"; break;
    case 25: s = "secp521r1"; break;
    case 29: s = "x25519"; break;
    case 30: s = "x448"; break;
    case 0x11ec: s = "X25519MLKEM768"; break;
    case 0x6399: s = "X25519Kyber768Draft00"; break;
    default: break;
    }
    if (s)
        snprintf(buf, size, "%s", s);
    else
        snprintf(buf, size, "unknown-%u", g);
}

static void md5_hex(const char *s, size_t len, char out[33])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    out[0] = 0;
    if (!EVP_Digest(s, len, md, &mdlen, EVP_md5(), NULL) || mdlen != 16)
        return;
    for (unsigned i = 0; i < 16; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
}

/* Append "v" or "-v" joined by '-' to a JA3 list. */
static void ja3_add(char *buf, size_t size, size_t *o, bool *first, unsigned v)
{
    int w = snprintf(buf + *o, size - *o, "%s%u", *first ? "" : "-", v);
    if (w > 0 && (size_t)w < size - *o)
        *o += (size_t)w;
    *first = false;
}

static void ja3_sep(char *buf, size_t size, size_t *o)
{
    if (*o + 1 < size)
        buf[(*o)++] = ',';
    buf[*o] = 0;
}

int net_ssl_looks(const uint8_t *p, size_t len)
{
    return len >= 6 && p[0] == 0x16 && p[1] == 3 && p[2] <= 4 && p[5] == 1;
}

/* ---- JA4 (FoxIO's published definition: a_b_c) ---- */

#define JA4_MAX 128

struct ja4 {
    uint16_t ciphers[JA4_MAX], exts[JA4_MAX], sigs[JA4_MAX];
    unsigned n_ciphers, n_exts, n_sigs;
    uint16_t best_version;      /* highest of supported_versions, 0 = none */
    bool sni;
    uint8_t alpn[2];            /* first and last byte of the first ALPN value */
    bool has_alpn;
};

static void sort16(uint16_t *v, unsigned n)
{
    for (unsigned i = 1; i < n; i++)
        for (unsigned j = i; j > 0 && v[j - 1] > v[j]; j--) {
            uint16_t t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
}

/* The first 12 hex digits of SHA-256 over "xxxx,xxxx..." (+ "_" + tail). */
static void ja4_hash(const uint16_t *v, unsigned n, const uint16_t *tail, unsigned nt,
                     char out[13])
{
    char buf[JA4_MAX * 10 + 8];
    size_t o = 0;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int ml = 0;
    if (n == 0) {
        memcpy(out, "000000000000", 13);
        return;
    }
    for (unsigned i = 0; i < n; i++)
        o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%04x", i ? "," : "", v[i]);
    if (nt) {
        buf[o++] = '_';
        for (unsigned i = 0; i < nt; i++)
            o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%04x", i ? "," : "", tail[i]);
    }
    out[0] = 0;
    if (!EVP_Digest(buf, o, md, &ml, EVP_sha256(), NULL) || ml < 6)
        return;
    for (unsigned i = 0; i < 6; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
}

static bool alnum(uint8_t c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static void ja4_make(struct ja4 *j, uint16_t hello_version, bool quic, char out[40])
{
    static const char hex[] = "0123456789abcdef";
    uint16_t v = j->best_version ? j->best_version : hello_version;
    const char *vs = v == 0x0304 ? "13" : v == 0x0303 ? "12" : v == 0x0302 ? "11"
                   : v == 0x0301 ? "10" : v == 0x0300 ? "s3" : v == 0x0002 ? "s2"
                   : v == 0xfeff ? "d1" : v == 0xfefd ? "d2" : v == 0xfefc ? "d3" : "00";
    char a0 = '0', a1 = '0';
    if (j->has_alpn) {
        if (alnum(j->alpn[0]) && alnum(j->alpn[1])) {
            a0 = (char)j->alpn[0];
            a1 = (char)j->alpn[1];
        } else {
            a0 = hex[j->alpn[0] >> 4];
            a1 = hex[j->alpn[1] & 15];
        }
    }
    unsigned nc = j->n_ciphers > 99 ? 99 : j->n_ciphers, ne = j->n_exts > 99 ? 99 : j->n_exts;
    char b[13], c[13];
    sort16(j->ciphers, j->n_ciphers);
    ja4_hash(j->ciphers, j->n_ciphers, NULL, 0, b);
    /* extensions sorted, without SNI (0) and ALPN (16); then the signature
     * algorithms in their order */
    uint16_t e[JA4_MAX];
    unsigned n = 0;
    for (unsigned i = 0; i < j->n_exts; i++)
        if (j->exts[i] != 0 && j->exts[i] != 16)
            e[n++] = j->exts[i];
    sort16(e, n);
    ja4_hash(e, n, j->sigs, j->n_sigs, c);
    snprintf(out, 40, "%c%s%c%02u%02u%c%c_%s_%s", quic ? 'q' : 't', vs, j->sni ? 'd' : 'i', nc,
             ne, a0, a1, b, c);
}

static void client_hello(struct net_ssl *s, const uint8_t *m, size_t len)
{
    char ja3[4096];
    size_t o = 0;
    bool first = true;
    if (len < 38)
        return;
    s->have_client = true;
    uint16_t ver = be16(m);
    ja3_add(ja3, sizeof(ja3), &o, &first, ver);
    ja3_sep(ja3, sizeof(ja3), &o);
    size_t p = 34;
    size_t sid = m[p];
    if (p + 1 + sid > len)
        return;
    s->client_sid_len = sid <= 32 ? sid : 32;
    memcpy(s->client_sid, m + p + 1, s->client_sid_len);
    p += 1 + sid;
    if (p + 2 > len)
        return;
    size_t cl = be16(m + p);
    p += 2;
    if (p + cl > len)
        return;
    first = true;
    struct ja4 j4;
    memset(&j4, 0, sizeof(j4));
    for (size_t i = 0; i + 1 < cl; i += 2)
        if (!grease(be16(m + p + i))) {
            ja3_add(ja3, sizeof(ja3), &o, &first, be16(m + p + i));
            if (j4.n_ciphers < JA4_MAX)
                j4.ciphers[j4.n_ciphers++] = be16(m + p + i);
        }
    ja3_sep(ja3, sizeof(ja3), &o);
    p += cl;
    if (p + 1 > len)
        return;
    p += 1u + m[p]; /* compression methods */
    char groups[1024] = "", formats[256] = "";
    size_t go = 0, fo = 0;
    bool gfirst = true, ffirst = true;
    first = true;
    if (p + 2 <= len) {
        size_t el = be16(m + p);
        p += 2;
        size_t end = p + el < len ? p + el : len;
        while (p + 4 <= end) {
            uint16_t type = be16(m + p);
            size_t l = be16(m + p + 2);
            const uint8_t *x = m + p + 4;
            if (p + 4 + l > end)
                break;
            if (!grease(type)) {
                ja3_add(ja3, sizeof(ja3), &o, &first, type);
                if (j4.n_exts < JA4_MAX)
                    j4.exts[j4.n_exts++] = type;
            }
            if (type == 0)
                j4.sni = true;
            if (type == 16 && l >= 3 && x[2] >= 1 && 3u + x[2] <= l) { /* ALPN: first value */
                j4.has_alpn = true;
                j4.alpn[0] = x[3];
                j4.alpn[1] = x[2 + x[2]];
            } else if (type == 13 && l >= 2) { /* signature_algorithms, in order */
                size_t sl = be16(x);
                for (size_t i = 2; i + 1 < 2 + sl && i + 1 < l && j4.n_sigs < JA4_MAX; i += 2)
                    j4.sigs[j4.n_sigs++] = be16(x + i);
            } else if (type == 43 && l >= 1) { /* supported_versions: the highest */
                for (size_t i = 1; i + 1 < 1u + x[0] && i + 1 < l; i += 2)
                    if (!grease(be16(x + i)) && be16(x + i) > j4.best_version &&
                        be16(x + i) < 0xfe00)
                        j4.best_version = be16(x + i);
            }
            if (type == 0 && l >= 5 && x[2] == 0) { /* server_name: host_name */
                size_t nl = be16(x + 3);
                if (5 + nl <= l)
                    net_escape(s->r.server_name, sizeof(s->r.server_name), x + 5, nl);
            } else if (type == 10 && l >= 2) {
                size_t gl = be16(x);
                for (size_t i = 2; i + 1 < 2 + gl && i + 1 < l; i += 2)
                    if (!grease(be16(x + i)))
                        ja3_add(groups, sizeof(groups), &go, &gfirst, be16(x + i));
            } else if (type == 11 && l >= 1) {
                for (size_t i = 1; i < 1u + x[0] && i < l; i++)
                    ja3_add(formats, sizeof(formats), &fo, &ffirst, x[i]);
            }
            p += 4 + l;
        }
    }
    ja3_sep(ja3, sizeof(ja3), &o);
    int w = snprintf(ja3 + o, sizeof(ja3) - o, "%s,%s", groups, formats);
    if (w > 0)
        o += (size_t)w < sizeof(ja3) - o ? (size_t)w : sizeof(ja3) - o - 1;
    md5_hex(ja3, o, s->r.ja3);
    ja4_make(&j4, ver, false, s->r.ja4);
}

static void server_hello(struct ty_net *n, struct net_conn *c, struct net_ssl *s,
                         const uint8_t *m, size_t len)
{
    char ja3s[2048];
    size_t o = 0;
    bool first = true;
    if (len < 38)
        return;
    s->have_server = true;
    uint16_t ver = be16(m);
    ja3_add(ja3s, sizeof(ja3s), &o, &first, ver);
    ja3_sep(ja3s, sizeof(ja3s), &o);
    size_t p = 34;
    size_t sid = m[p];
    if (p + 1 + sid + 3 > len)
        return;
    bool echoed = sid && sid == s->client_sid_len && memcmp(m + p + 1, s->client_sid, sid) == 0;
    bool psk = false;
    p += 1 + sid;
    uint16_t cipher = be16(m + p);
    cipher_name(cipher, s->r.cipher, sizeof(s->r.cipher));
    first = true;
    ja3_add(ja3s, sizeof(ja3s), &o, &first, cipher);
    ja3_sep(ja3s, sizeof(ja3s), &o);
    p += 3;
    first = true;
    if (p + 2 <= len) {
        size_t el = be16(m + p);
        p += 2;
        size_t end = p + el < len ? p + el : len;
        while (p + 4 <= end) {
            uint16_t type = be16(m + p);
            size_t l = be16(m + p + 4 - 2);
            const uint8_t *x = m + p + 4;
            if (p + 4 + l > end)
                break;
            ja3_add(ja3s, sizeof(ja3s), &o, &first, type);
            if (type == 43 && l == 2)
                ver = be16(x);
            else if (type == 41)
                psk = true;
            else if (type == 51 && l >= 2)
                curve_name(be16(x), s->r.curve, sizeof(s->r.curve));
            else if (type == 16 && l >= 3 && x[2] > 0 && 3u + x[2] <= l)
                net_escape(s->r.next_protocol, sizeof(s->r.next_protocol), x + 3, x[2]);
            p += 4 + l;
        }
    }
    md5_hex(ja3s, o, s->r.ja3s);
    /* TLS 1.3 echoes the legacy session id always: resumption is the PSK extension */
    s->r.resumed = ver == 0x0304 ? psk : echoed;
    s->server_version = ver;
    const char *vn = version_name(ver);
    if (vn)
        snprintf(s->r.version, sizeof(s->r.version), "%s", vn);
    net_conn_add_service(c, SVC_SSL);
    (void)n;
}

static void handshake(struct ty_net *n, struct net_conn *c, struct net_ssl *s, bool is_orig,
                      uint8_t type, const uint8_t *m, size_t len)
{
    if (type == 1 && is_orig)
        client_hello(s, m, len);
    else if (type == 2 && !is_orig)
        server_hello(n, c, s, m, len);
    else if (type == 12 && !is_orig && len >= 3 && m[0] == 3 && !s->r.curve[0])
        curve_name(be16(m + 1), s->r.curve, sizeof(s->r.curve));
}

/* Handshake bytes of one record (plaintext). */
static void hs_bytes(struct ty_net *n, struct net_conn *c, struct net_ssl *s, bool is_orig,
                     const uint8_t *p, size_t len)
{
    struct ssl_dir *d = &s->d[is_orig ? 0 : 1];
    while (len > 0) {
        if (d->hs_have < 4) {
            d->hs_hdr[d->hs_have++] = *p++;
            len--;
            if (d->hs_have == 4) {
                d->hs_remain = (size_t)d->hs_hdr[1] << 16 | (size_t)d->hs_hdr[2] << 8 |
                               d->hs_hdr[3];
                d->hs_len = 0;
                uint8_t t = d->hs_hdr[0];
                if ((t == 1 || t == 2 || t == 12) && d->hs_remain <= HS_MAX) {
                    if (!d->hs_buf)
                        d->hs_buf = net_mem_get(n, HS_MAX, false);
                } else if (d->hs_buf) {
                    net_mem_put(n, d->hs_buf, HS_MAX);
                    d->hs_buf = NULL;
                }
                if (d->hs_remain == 0) {
                    handshake(n, c, s, is_orig, t, p, 0);
                    d->hs_have = 0;
                }
            }
            continue;
        }
        size_t take = d->hs_remain < len ? d->hs_remain : len;
        uint8_t t = d->hs_hdr[0];
        bool keep = (t == 1 || t == 2 || t == 12) && d->hs_buf;
        if (keep) {
            memcpy(d->hs_buf + d->hs_len, p, take);
            d->hs_len += take;
        }
        d->hs_remain -= take;
        p += take;
        len -= take;
        if (d->hs_remain == 0) {
            if (keep)
                handshake(n, c, s, is_orig, t, d->hs_buf, d->hs_len);
            d->hs_have = 0;
        }
    }
}

void net_ssl_data(struct ty_net *n, struct net_conn *c, bool is_orig, const uint8_t *p,
                  size_t len)
{
    struct net_ssl *s = c->ssl;
    if (!s) {
        s = c->ssl = net_mem_get(n, sizeof(*s), true);
        if (!s)
            return;
        s->r.ts = n->now;
        net_fill_common(c, s->r.uid, &s->r.id, &s->r.pos);
    }
    struct ssl_dir *d = &s->d[is_orig ? 0 : 1];
    while (len > 0 && !d->broken) {
        if (d->rec_have < 5) {
            d->rec_hdr[d->rec_have++] = *p++;
            len--;
            if (d->rec_have == 5) {
                d->rec_type = d->rec_hdr[0];
                d->rec_remain = be16(d->rec_hdr + 3);
                if (d->rec_type < 20 || d->rec_type > 24 || d->rec_hdr[1] != 3 ||
                    d->rec_remain > 18432) {
                    d->broken = true; /* not TLS, or lost sync */
                    return;
                }
                if (!is_orig && s->have_client) /* the server speaks TLS back */
                    net_conn_add_service(c, SVC_SSL);
                if (d->rec_type == 20)
                    d->ccs = true;
                if (d->rec_type == 23)
                    d->appdata = true;
                if (d->rec_remain == 0)
                    d->rec_have = 0;
            }
            continue;
        }
        size_t take = d->rec_remain < len ? d->rec_remain : len;
        if (d->rec_type == 22 && !d->ccs)
            hs_bytes(n, c, s, is_orig, p, take);
        d->rec_remain -= take;
        p += take;
        len -= take;
        if (d->rec_remain == 0)
            d->rec_have = 0;
    }
    bool tls13 = s->server_version == 0x0304;
    if (s->have_server && ((!tls13 && s->d[0].ccs && s->d[1].ccs) ||
                           (tls13 && s->d[0].appdata && s->d[1].appdata)))
        s->r.established = true;
}

void net_ssl_close(struct ty_net *n, struct net_conn *c)
{
    struct net_ssl *s = c->ssl;
    if (!s)
        return;
    if (s->have_client || s->have_server) {
        n->st.ssl++;
        if (n->sink.ssl && n->rc == 0)
            net_emit_err(n, n->sink.ssl(n->sink.arg, &s->r));
    }
    net_mem_put(n, s->d[0].hs_buf, HS_MAX);
    net_mem_put(n, s->d[1].hs_buf, HS_MAX);
    net_mem_put(n, s, sizeof(*s));
    c->ssl = NULL;
}
