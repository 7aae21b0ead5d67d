/* SPDX-License-Identifier: Apache-2.0 */
/*
 * benign.c - the day of ordinary traffic on the API VM: web and app clients (keep-alive
 * sessions, the /dangerzone export endpoint used legitimately by partners), uptime probes,
 * internet scanners hitting the usual paths, calls to the inventory service with their DNS
 * lookups, chrony's NTP polls and apt-daily's repository checks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ci.h"
#include "out.h"
#include "rng.h"

static const char *const CATS[] = {"fashion", "shoes", "electronics", "garden", "toys",
                                   "books", "kitchen", "sports", "beauty", "outdoor"};
#define NCATS (sizeof CATS / sizeof CATS[0])

static const char *const UAS[] = {
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/130.0.0.0 Safari/537.36"),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "Version/18.1 Safari/605.1.15"),
    "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
    "ShopApp/4.2.1 (iPhone; iOS 18.1; Scale/3.00)",
    "ShopApp/4.2.0 (Android 14; Pixel 8)",
    "okhttp/4.12.0",
};
#define NUAS (sizeof UAS / sizeof UAS[0])

/* A public client address that is none of the story's special ones. */
static void client_ip(char o[16])
{
    static const unsigned first[] = {24, 31, 37, 45, 62, 73, 81, 86, 94, 109, 151, 176, 185, 212};
    unsigned a = first[rng_n(sizeof first / sizeof first[0])];
    unsigned b = (unsigned)rng_n(256);
    unsigned c = (unsigned)rng_n(256);
    unsigned d = (unsigned)rng_range(1, 254);
    snprintf(o, 16, "%u.%u.%u.%u", a, b, c, d);
}

/* A product listing of n items as the API returns it. */
static void products_json(struct sb *b, const char *cat, int n)
{
    sb_f(b, "{\"category\":\"%s\",\"items\":[", cat);
    for (int i = 0; i < n; i++) {
        unsigned id = (unsigned)rng_range(10000, 99999);
        unsigned cents = (unsigned)rng_range(499, 19999);
        sb_f(b, "%s{\"id\":%u,\"sku\":\"%s-%u\",\"name\":\"%s item %u\",\"price\":%u.%02u,"
             "\"stock\":%u}", i ? "," : "", id, cat, id, cat, id, cents / 100, cents % 100,
             (unsigned)rng_n(300));
    }
    sb_s(b, "]}");
}

/* The API may call the inventory service while answering: DNS when the cache expired, a
 * short HTTP/1.1 exchange on port 8080. */
static void inventory_call(struct ci_world *cw, int64_t t, int64_t *dns_until)
{
    if (t >= *dns_until) {
        ci_dns(cw, t, "inventory.svc.internal", NULL, CI_INVENTORY_IP);
        t += 2000;
        *dns_until = t + 60 * 1000000LL;
    }
    struct pcap_tcp s;
    struct sb rq = {0}, rs = {0}, body = {0};
    char uri[64];
    snprintf(uri, sizeof uri, "/v2/stock?sku=%u", (unsigned)rng_range(10000, 99999));
    ci_open(cw, &s, t, 400, &cw->vm, -1, &cw->inventory, 8080);
    pcap_http_req(&rq, "GET", uri, "inventory.svc.internal:8080", "python-requests/2.31.0",
                  "Accept: application/json\r\nConnection: close\r\n", NULL, 0);
    unsigned q1 = (unsigned)rng_n(500);
    unsigned q2 = (unsigned)rng_n(500);
    sb_f(&body, "{\"sku\":%s,\"warehouses\":[{\"id\":\"fra-1\",\"qty\":%u},{\"id\":\"ams-2\","
         "\"qty\":%u}]}", uri + 13, q1, q2);
    pcap_http_resp(&rs, s.t + 3000, 200, "uvicorn", "application/json", NULL, body.p, body.n);
    pcap_http(&s, rq.p, rq.n, rng_range(1500, 9000), rs.p, rs.n);
    pcap_tcp_close(&s, 0);
    cw->http_requests++;
    free(rq.p);
    free(rs.p);
    free(body.p);
}

/* One keep-alive session of a web/app client or a partner. */
static void client_session(struct ci_world *cw, int64_t t, int64_t *dns_until)
{
    char ip[16];
    struct pcap_tcp s;
    int partner = rng_n(8) == 0;
    const char *ua = partner ? "python-requests/2.31.0" : UAS[rng_n(NUAS)];
    int nreq = (int)rng_range(1, partner ? 3 : 7);
    client_ip(ip);
    struct pcap_host cli = ci_remote(cw, ip, (uint8_t)rng_range(44, 57));
    ci_open(cw, &s, t, rng_range(8000, 140000), &cli, 0, &cw->vm, 80);
    for (int i = 0; i < nreq; i++) {
        struct sb rq = {0}, rs = {0}, body = {0};
        char uri[128];
        const char *cat = CATS[rng_n(NCATS)];
        int code = 200;
        const char *method = "GET";
        const char *rbody = NULL;
        unsigned k = partner ? 0 : (unsigned)rng_n(10);
        if (partner) {
            snprintf(uri, sizeof uri, "/dangerzone?category=%s", cat);
            products_json(&body, cat, (int)rng_range(20, 60));
        } else if (k < 5) {
            snprintf(uri, sizeof uri, "/api/v1/products?category=%s&page=%u", cat,
                     (unsigned)rng_range(1, 5));
            products_json(&body, cat, (int)rng_range(5, 20));
        } else if (k < 8) {
            snprintf(uri, sizeof uri, "/api/v1/products/%u",
                     (unsigned)rng_range(10000, 99999));
            products_json(&body, cat, 1);
        } else if (k < 9) {
            snprintf(uri, sizeof uri, "/api/v1/categories");
            sb_s(&body, "{\"categories\":[\"fashion\",\"shoes\",\"electronics\",\"garden\","
                 "\"toys\",\"books\",\"kitchen\",\"sports\",\"beauty\",\"outdoor\"]}");
        } else {
            method = "POST";
            code = 201;
            snprintf(uri, sizeof uri, "/api/v1/cart");
            sb_f(&body, "{\"cart\":\"%08llx\",\"items\":1}",
                 (unsigned long long)(rng_u64() & 0xffffffffu));
            rbody = "{\"sku\":\"item\",\"qty\":1}";
        }
        pcap_http_req(&rq, method, uri, "api.shopfront.example", ua,
                      rbody ? "Accept: application/json\r\nContent-Type: application/json\r\n"
                            : "Accept: application/json\r\nAccept-Encoding: identity\r\n",
                      rbody, rbody ? strlen(rbody) : 0);
        pcap_tcp_send(&s, 1, rq.p, rq.n);
        int64_t think = rng_range(4000, 60000);
        if (!partner && k < 5 && rng_n(4) == 0)
            inventory_call(cw, s.t + 500, dns_until), think += 20000;
        pcap_tcp_wait(&s, think);
        pcap_http_resp(&rs, s.t, code, "gunicorn", "application/json", NULL, body.p, body.n);
        pcap_tcp_send(&s, 0, rs.p, rs.n);
        cw->http_requests++;
        pcap_tcp_wait(&s, rng_range(200000, 15000000));
        free(rq.p);
        free(rs.p);
        free(body.p);
    }
    pcap_tcp_close(&s, 1);
}

/* An uptime probe: a new connection, GET /healthz, close. */
static void health_check(struct ci_world *cw, int64_t t, const char *ip)
{
    struct pcap_tcp s;
    struct sb rq = {0}, rs = {0};
    struct pcap_host cli = ci_remote(cw, ip, 50);
    ci_open(cw, &s, t, 22000, &cli, 0, &cw->vm, 80);
    pcap_http_req(&rq, "GET", "/healthz", "api.shopfront.example",
                  "UptimeProbe/2.3 (+https://status.example.com/probe)",
                  "Accept: */*\r\nConnection: close\r\n", NULL, 0);
    pcap_http_resp(&rs, s.t + 2000, 200, "gunicorn", "application/json", NULL,
                   "{\"status\":\"ok\"}", 15);
    pcap_http(&s, rq.p, rq.n, rng_range(900, 3000), rs.p, rs.n);
    pcap_tcp_close(&s, 0);
    cw->http_requests++;
    free(rq.p);
    free(rs.p);
}

/* Internet background radiation: a scanner asking for paths that are not there. */
static void scanner(struct ci_world *cw, int64_t t)
{
    static const char *const paths[] = {"/.env", "/wp-login.php", "/phpmyadmin/index.php",
                                        "/.git/config", "/actuator/health", "/admin/",
                                        "/cgi-bin/luci",
                                        "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php"};
    char ip[16];
    struct pcap_tcp s;
    client_ip(ip);
    struct pcap_host cli = ci_remote(cw, ip, 48);
    ci_open(cw, &s, t, rng_range(30000, 200000), &cli, 0, &cw->vm, 80);
    int n = (int)rng_range(1, 4);
    for (int i = 0; i < n; i++) {
        struct sb rq = {0}, rs = {0};
        const char *body = "{\"error\":\"not found\"}";
        pcap_http_req(&rq, "GET", paths[rng_n(sizeof paths / sizeof paths[0])], ip,
                      "Mozilla/5.0 zgrab/0.x", "Accept: */*\r\n", NULL, 0);
        pcap_http_resp(&rs, s.t + 2000, 404, "gunicorn", "application/json", NULL, body,
                       strlen(body));
        pcap_http(&s, rq.p, rq.n, 1500, rs.p, rs.n);
        cw->http_requests++;
        free(rq.p);
        free(rs.p);
    }
    pcap_tcp_close(&s, 1);
}

/* A 48-byte NTPv4 packet (mode 3 client or 4 server) with the given timestamps in µs. */
static void ntp_packet(unsigned char p[48], int server, int64_t org, int64_t rec, int64_t xmt)
{
    int64_t ts[3] = {org, rec, xmt};
    memset(p, 0, 48);
    p[0] = server ? 0x24 : 0x23;
    p[1] = server ? 2 : 0;
    p[2] = 10;
    p[3] = (unsigned char)(server ? 0xe9 : 0xe7);
    if (server) {
        p[7] = 0x2a;                               /* root delay */
        p[11] = 0x31;                              /* root dispersion */
        memcpy(p + 12, "\xc0\x00\x02\x35", 4);     /* reference id */
    }
    for (int i = 0; i < 3; i++) {
        if (!ts[i] || (!server && i < 2))
            continue;
        uint64_t sec = (uint64_t)(ts[i] / 1000000) + 2208988800u;
        uint64_t frac = ((uint64_t)(ts[i] % 1000000) << 32) / 1000000;
        unsigned char *q = p + 24 + 8 * i;
        for (int j = 0; j < 4; j++) {
            q[j] = (unsigned char)(sec >> (24 - 8 * j));
            q[4 + j] = (unsigned char)(frac >> (24 - 8 * j));
        }
    }
    if (server) /* reference time: a little before receive */
        memcpy(p + 16, p + 32, 8);
}

static void ntp(struct ci_world *cw)
{
    static const char *const servers[] = {"162.159.200.123", "185.125.190.58"};
    struct pcap_host srv[2];
    for (int i = 0; i < 2; i++)
        srv[i] = ci_remote(cw, servers[i], 55);
    ci_dns(cw, ci_at(cw, 0, 0, 3, 120000), "2.debian.pool.ntp.org", NULL, servers[0]);
    for (int64_t t = ci_at(cw, 0, 0, 4, 0); t < ci_at(cw, 23, 59, 0, 0);
         t += 1024 * 1000000LL + rng_range(-2000000, 2000000)) {
        for (int i = 0; i < 2; i++) {
            unsigned char q[48], r[48];
            int64_t t0 = t + i * 1700000, rtt = rng_range(9000, 30000);
            ntp_packet(q, 0, 0, 0, t0);
            ntp_packet(r, 1, t0, t0 + rtt / 2, t0 + rtt / 2 + 20);
            memcpy(r + 24, q + 40, 8);                  /* origin = client's transmit */
            pcap_udp(cw->w, t0, &cw->vm, 123, &srv[i], 123, q, 48);
            pcap_udp(cw->w, t0 + rtt, &srv[i], 123, &cw->vm, 123, r, 48);
        }
    }
}

/* apt-daily: three repository indexes checked, one changed. */
static void apt_run(struct ci_world *cw, int64_t t)
{
    static const struct { const char *host, *uri; int changed; } idx[] = {
        {"deb.debian.org", "/debian/dists/bookworm/InRelease", 0},
        {"deb.debian.org", "/debian/dists/bookworm-updates/InRelease", 0},
        {"security.debian.org", "/debian-security/dists/bookworm-security/InRelease", 1},
    };
    for (int i = 0; i < 3; i++) {
        struct pcap_tcp s;
        struct sb rq = {0}, rs = {0}, body = {0};
        const char *ip = i < 2 ? "151.101.130.132" : "151.101.2.132";
        struct pcap_host srv = ci_remote(cw, ip, 57);
        if (i != 1)
            ci_dns(cw, t, idx[i].host, "debian.map.fastly.net", ip);
        t += 3000;
        ci_open(cw, &s, t, 11000, &cw->vm, -1, &srv, 80);
        pcap_http_req(&rq, "GET", idx[i].uri, idx[i].host, "Debian APT-HTTP/1.3 (2.6.1)",
                      "Cache-Control: max-age=0\r\n"
                      "If-Modified-Since: Sat, 31 Oct 2026 09:12:44 GMT\r\n", NULL, 0);
        if (idx[i].changed) {
            sb_s(&body, "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n"
                 "Origin: Debian\nLabel: Debian-Security\nSuite: stable-security\n"
                 "Codename: bookworm-security\nDate: Tue, 03 Nov 2026 02:14:07 UTC\n"
                 "Components: updates/main updates/contrib updates/non-free\nSHA256:\n");
            for (int k = 0; k < 120; k++) {
                char h[65];
                rng_hex(h, 64);
                sb_f(&body, " %s %8u main/binary-amd64/Packages.diff/T-2026-11-03-%04u\n", h,
                     (unsigned)rng_range(200, 90000), (unsigned)k);
            }
            sb_s(&body, "-----BEGIN PGP SIGNATURE-----\n\n");
            for (int k = 0; k < 12; k++) {
                char l[65];
                rng_chars(l, 64, RNG_B64);
                sb_f(&body, "%s\n", l);
            }
            sb_s(&body, "-----END PGP SIGNATURE-----\n");
        }
        pcap_http_resp(&rs, s.t + 20000, idx[i].changed ? 200 : 304, "Apache",
                       idx[i].changed ? "text/plain" : NULL,
                       "Last-Modified: Tue, 03 Nov 2026 02:14:07 GMT\r\nVia: 1.1 varnish\r\n",
                       body.p, body.n);
        pcap_http(&s, rq.p, rq.n, rng_range(15000, 40000), rs.p, rs.n);
        pcap_tcp_close(&s, 1);
        cw->http_requests++;
        t = s.t + 5000;
        free(rq.p);
        free(rs.p);
        free(body.p);
    }
}

/* The app's metrics, pushed all day over one connection to Graphite's plain-text port: a
 * long-lived outbound session on an unusual port, but to a host the VM resolved. */
static void metrics_stream(struct ci_world *cw)
{
    struct pcap_host gr = ci_remote(cw, CI_GRAPHITE_IP, 63);
    struct pcap_tcp s;
    struct sb b = {0};
    int64_t t0 = ci_at(cw, 0, 0, 5, 410000);
    ci_dns(cw, t0, "graphite.svc.internal", NULL, CI_GRAPHITE_IP);
    ci_open(cw, &s, t0 + 2500, 450, &cw->vm, -1, &gr, 2003);
    for (int m = 1; m < 24 * 60; m++) {
        int64_t t = t0 + (int64_t)m * 60 * 1000000;
        long long ts = (long long)(t / 1000000);
        unsigned req = (unsigned)rng_range(20, 400);
        unsigned p50 = (unsigned)rng_range(8, 30);
        unsigned p95 = p50 + (unsigned)rng_range(20, 200);
        unsigned busy = (unsigned)rng_range(0, 4);
        sb_reset(&b);
        sb_f(&b, "shopfront.api-vm-1.http.requests %u %lld\n"
             "shopfront.api-vm-1.http.latency.p50 %u %lld\n"
             "shopfront.api-vm-1.http.latency.p95 %u %lld\n"
             "shopfront.api-vm-1.gunicorn.workers.busy %u %lld\n"
             "shopfront.api-vm-1.gunicorn.workers.total 4 %lld\n", req, ts, p50, ts, p95, ts,
             busy, ts, ts);
        pcap_tcp_wait(&s, t - s.t);
        pcap_tcp_send(&s, 1, b.p, b.n);
    }
    free(b.p);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

void ci_benign(struct ci_world *cw)
{
    static const char *const probes[] = {"192.0.2.10", "192.0.2.74", "192.0.2.140"};
    int64_t dns_until = 0;
    for (int p = 0; p < 3; p++)
        for (int64_t t = ci_at(cw, 0, 1 + p, 7 * p, 0); t < ci_at(cw, 24, 0, 0, 0) - 60000000;
             t += 300 * 1000000LL)
            health_check(cw, t + rng_range(0, 400000), probes[p]);
    /* Web sessions, in time order (the API's DNS cache depends on it): more in the day
     * (07-23 UTC) than at night. */
    size_t n = 650 * (size_t)cw->scale;
    int64_t *starts = xrealloc(NULL, n * sizeof *starts);
    for (size_t i = 0; i < n; i++) {
        int64_t t = rng_n(3) == 0 ? rng_range(0, 86000) : rng_range(7 * 3600, 23 * 3600);
        starts[i] = cw->day0 + t * 1000000 + rng_range(0, 999999);
    }
    qsort(starts, n, sizeof *starts, cmp_i64);
    for (size_t i = 0; i < n; i++)
        client_session(cw, starts[i], &dns_until);
    free(starts);
    for (int i = 0; i < 25 * cw->scale; i++)
        scanner(cw, cw->day0 + rng_range(0, 86000) * 1000000);
    for (int h = 0; h < 24; h++) /* a stale config entry, resolved hourly and never found */
        ci_dns(cw, ci_at(cw, h, 17, 41, (int)rng_range(0, 999999)),
               "telemetry.shopfront.internal", NULL, NULL);
    ntp(cw);
    metrics_stream(cw);
    apt_run(cw, ci_at(cw, 6, 24, 51, 332000));
    apt_run(cw, ci_at(cw, 18, 9, 12, 871000));
}
