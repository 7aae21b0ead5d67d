/* SPDX-License-Identifier: Apache-2.0 */
/*
 * net-ftp.c - FTP control connections (port 21) for conn.log's service
 * column: "ftp" once the server answers with a numeric reply; the data
 * connections announced by PASV (227), EPSV (229), PORT and EPRT are expected
 * for five minutes and get "ftp-data" when they start; after AUTH TLS/SSL and a
 * 234 reply the control connection's bytes go to the TLS analyzer ("ftp,ssl").
 * Lines longer than 512 bytes are cut.
 */
#include <stdlib.h>
#include <string.h>

#include "net-int.h"

#define FTP_LINE 512
#define EXPECT_TTL (300LL * 1000000000LL)

struct net_ftp {
    char line[2][FTP_LINE];
    size_t len[2];
    bool auth_asked, tls;
};

void net_expect(struct ty_net *n, const struct ty_net_addr *a, uint16_t port, int svc)
{
    size_t slot = 0;
    int64_t oldest = INT64_MAX;
    for (size_t i = 0; i < NET_EXPECT_MAX; i++) {
        if (n->expect[i].ts == 0 || n->now - n->expect[i].ts > EXPECT_TTL) {
            slot = i;
            break;
        }
        if (n->expect[i].ts < oldest) {
            oldest = n->expect[i].ts;
            slot = i;
        }
    }
    n->expect[slot].addr = *a;
    n->expect[slot].port = port;
    n->expect[slot].svc = (uint8_t)svc;
    n->expect[slot].ts = n->now ? n->now : 1;
}

int net_expected(struct ty_net *n, const struct ty_net_addr *a, uint16_t port)
{
    for (size_t i = 0; i < NET_EXPECT_MAX; i++) {
        struct net_expect *e = &n->expect[i];
        if (e->ts && e->port == port && n->now - e->ts <= EXPECT_TTL &&
            e->addr.family == a->family && memcmp(e->addr.a, a->a, 16) == 0) {
            e->ts = 0;
            return e->svc;
        }
    }
    return -1;
}

/* "h1,h2,h3,h4,p1,p2" */
static bool parse_hostport(const char *s, struct ty_net_addr *a, uint16_t *port)
{
    unsigned v[6];
    int k = 0;
    while (*s && (*s < '0' || *s > '9'))
        s++;
    for (; k < 6; k++) {
        unsigned x = 0;
        int nd = 0;
        while (*s >= '0' && *s <= '9' && nd < 4) {
            x = x * 10 + (unsigned)(*s++ - '0');
            nd++;
        }
        if (!nd || x > 255)
            return false;
        v[k] = x;
        if (k < 5) {
            if (*s != ',')
                return false;
            s++;
        }
    }
    memset(a, 0, sizeof(*a));
    a->family = 4;
    for (int i = 0; i < 4; i++)
        a->a[i] = (uint8_t)v[i];
    *port = (uint16_t)(v[4] << 8 | v[5]);
    return true;
}

static void on_line(struct ty_net *n, struct net_conn *c, struct net_ftp *f, bool is_orig,
                    const char *l)
{
    struct ty_net_addr a;
    uint16_t port;
    if (!is_orig) {
        if (l[0] >= '1' && l[0] <= '5' && l[1] >= '0' && l[1] <= '9' && l[2] >= '0' &&
            l[2] <= '9')
            net_conn_add_service(c, SVC_FTP);
        if (strncmp(l, "227", 3) == 0) {
            const char *p = strchr(l, '(');
            if (parse_hostport(p ? p : l + 3, &a, &port))
                net_expect(n, &a, port, SVC_FTP_DATA);
        } else if (strncmp(l, "229", 3) == 0) {
            const char *p = strstr(l, "|||");
            if (p) {
                unsigned x = 0;
                for (p += 3; *p >= '0' && *p <= '9' && x < 65536; p++)
                    x = x * 10 + (unsigned)(*p - '0');
                if (x && x < 65536)
                    net_expect(n, &c->id.resp_h, (uint16_t)x, SVC_FTP_DATA);
            }
        } else if (strncmp(l, "234", 3) == 0 && f->auth_asked) {
            f->tls = true;
        }
        return;
    }
    if (strncmp(l, "PORT ", 5) == 0 || strncmp(l, "port ", 5) == 0) {
        if (parse_hostport(l + 5, &a, &port))
            net_expect(n, &a, port, SVC_FTP_DATA);
    } else if (strncmp(l, "AUTH ", 5) == 0) {
        f->auth_asked = true;
    }
}

void net_ftp_data(struct ty_net *n, struct net_conn *c, bool is_orig, const uint8_t *p,
                  size_t len)
{
    struct net_ftp *f = c->ftp;
    if (!f && !(f = c->ftp = net_mem_get(n, sizeof(*f), true)))
        return;
    if (f->tls) {
        net_ssl_data(n, c, is_orig, p, len);
        return;
    }
    int k = is_orig ? 0 : 1;
    for (size_t i = 0; i < len; i++) {
        char ch = (char)p[i];
        if (ch == '\n') {
            size_t l = f->len[k];
            if (l && f->line[k][l - 1] == '\r')
                l--;
            f->line[k][l] = 0;
            f->len[k] = 0;
            on_line(n, c, f, is_orig, f->line[k]);
            if (f->tls) { /* the rest is TLS */
                net_ssl_data(n, c, is_orig, p + i + 1, len - i - 1);
                return;
            }
        } else if (f->len[k] < FTP_LINE - 1) {
            f->line[k][f->len[k]++] = ch;
        }
    }
}

void net_ftp_close(struct ty_net *n, struct net_conn *c)
{
    net_mem_put(n, c->ftp, sizeof(struct net_ftp));
    c->ftp = NULL;
}
