/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-net-analyze.c - the network analyses on a small case built with the
 * store API: a reverse shell to an address no DNS answer named (direct,
 * long-lived, data over it), cron callbacks on the minute, a jittered
 * beacon, and what must stay quiet (resolved peers, metadata, private
 * peers, irregular traffic, DNS itself, a case without DNS).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <tyto/analyze.h>
#include <tyto/store.h>
#include <tyto/time.h>

#include "test.h"

#define S(x) ((int64_t)(x) * TY_NS_PER_SEC)
#define T0 S(1793713200) /* 2026-11-03T13:40:00Z */

static int64_t ev_id;
static int64_t sport;    /* the next connection's source port, 0: a fresh one */
static int64_t in_bytes; /* the next connection's bytes_in, 0: derived */
static bool midstream;   /* the next connection was picked up without a SYN */

static void add_conn(struct ty_store *st, int64_t evd, int64_t ts, const char *src,
                     const char *dst, int64_t port, const char *state, const char *svc,
                     int64_t dur, int64_t out)
{
    /* out < 0: no byte counts; bytes_in is out / 2 + 1, or in_bytes when set */
    struct ty_event e;
    struct ty_err err;
    ty_err_clear(&err);
    ty_event_clear(&e);
    ty_event_set_int(&e, TY_F_TS, ts);
    ty_event_set_int(&e, TY_F_TS_END, ts + dur);
    ty_event_set_str(&e, TY_F_ACTION, TY_STR_LIT("connection"));
    ty_event_set_str(&e, TY_F_CATEGORY, TY_STR_LIT("network"));
    ty_event_set_addr(&e, TY_F_SRC_IP, TY_F_SRC_ADDR, ty_str_cstr(src));
    ty_event_set_addr(&e, TY_F_DST_IP, TY_F_DST_ADDR, ty_str_cstr(dst));
    ty_event_set_int(&e, TY_F_SRC_PORT, sport ? sport : 30000 + ev_id);
    ty_event_set_int(&e, TY_F_DST_PORT, port);
    ty_event_set_int(&e, TY_F_NET_PROTO, 6);
    ty_event_set_str(&e, TY_F_STATUS_CODE, ty_str_cstr(state));
    /* Zeek's history: a SYN first unless picked up midstream */
    ty_event_set_str(&e, TY_F_STATUS_DETAIL, ty_str_cstr(midstream ? "DdAa" : "ShAdDaFf"));
    if (svc)
        ty_event_set_str(&e, TY_F_TARGET, ty_str_cstr(svc));
    if (out >= 0) {
        ty_event_set_int(&e, TY_F_BYTES_OUT, out);
        ty_event_set_int(&e, TY_F_BYTES_IN, in_bytes ? in_bytes : out / 2 + 1);
    }
    e.format = "pcap";
    e.raw = TY_STR_LIT("{}");
    e.offset = (uint64_t)(24 + ev_id * 100);
    e.line = (uint64_t)(ev_id + 1);
    ev_id++;
    CHECK_INT(ty_store_event_add(st, evd, &e, NULL, &err), 0);
}

static void add_dns(struct ty_store *st, int64_t evd, int64_t ts, const char *q, const char *ans)
{
    struct ty_event e;
    struct ty_err err;
    ty_err_clear(&err);
    ty_event_clear(&e);
    ty_event_set_int(&e, TY_F_TS, ts);
    ty_event_set_str(&e, TY_F_ACTION, TY_STR_LIT("dns_query"));
    ty_event_set_str(&e, TY_F_DOMAIN, ty_str_cstr(q));
    ty_event_set_str(&e, TY_F_MESSAGE, ty_str_cstr(ans));
    ty_event_set_addr(&e, TY_F_SRC_IP, TY_F_SRC_ADDR, TY_STR_LIT("10.0.3.15"));
    ty_event_set_addr(&e, TY_F_DST_IP, TY_F_DST_ADDR, TY_STR_LIT("10.0.0.2"));
    ty_event_set_int(&e, TY_F_DST_PORT, 53);
    e.format = "pcap";
    e.raw = TY_STR_LIT("{}");
    e.offset = (uint64_t)(24 + ev_id * 100);
    e.line = (uint64_t)(ev_id + 1);
    ev_id++;
    CHECK_INT(ty_store_event_add(st, evd, &e, NULL, &err), 0);
}

struct seen {
    int n;
    char rules[64][40];
    char summary[64][200];
    char matched[64][300];
    uint64_t line[64];
};

static int on_alert(void *arg, const struct ty_alert *a)
{
    struct seen *s = arg;
    if (s->n < 64) {
        snprintf(s->rules[s->n], sizeof(s->rules[0]), "%s", a->rule ? a->rule->name : "?");
        snprintf(s->summary[s->n], sizeof(s->summary[0]), "%s", a->summary);
        snprintf(s->matched[s->n], sizeof(s->matched[0]), "%s", a->matched);
        s->line[s->n] = a->line;
    }
    s->n++;
    return 0;
}

static int count(const struct seen *s, const char *rule)
{
    int n = 0;
    for (int i = 0; i < s->n && i < 64; i++)
        n += strcmp(s->rules[i], rule) == 0;
    return n;
}

static int find(const struct seen *s, const char *rule)
{
    for (int i = 0; i < s->n && i < 64; i++)
        if (strcmp(s->rules[i], rule) == 0)
            return i;
    return 0;
}

static struct ty_store *new_case(const char *path, int64_t *evd)
{
    struct ty_store *st = NULL;
    struct ty_err err;
    struct ty_evidence e;
    ty_err_clear(&err);
    unlink(path);
    CHECK_INT(ty_store_open(&st, path, TY_STORE_CREATE, &err), 0);
    CHECK_INT(ty_store_begin(st, &err), 0);
    memset(&e, 0, sizeof(e));
    e.path = "api-vm.pcap";
    e.codec = "";
    e.format = "pcap";
    e.shape = "pcap";
    e.status = "ok";
    e.note = "";
    memset(e.sha256, 'a', 64);
    CHECK_INT(ty_store_evidence_put(st, &e, &err), 0);
    *evd = e.id;
    return st;
}

static int64_t max_alerts;

static void run_case(struct ty_store *st, struct seen *s, struct ty_analyze_stats *stats)
{
    struct ty_err err;
    struct ty_analyze_opts o;
    ty_err_clear(&err);
    CHECK_INT(ty_store_finish_load(st, &err), 0);
    memset(&o, 0, sizeof(o));
    o.stats = stats;
    o.max_alerts = max_alerts;
    CHECK_INT(ty_analyze_case(st, &o, &err), 0);
    CHECK_INT(ty_store_commit(st, &err), 0);
    memset(s, 0, sizeof(*s));
    CHECK_INT(ty_store_alerts(st, on_alert, s, &err), 0);
}

void test_net_analyze(void);

void test_net_analyze(void)
{
    char path[] = "/tmp/tyto-net-analyze-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    close(fd);
    int64_t evd;
    struct ty_store *st = new_case(path, &evd);
    const char *vm = "10.0.3.15";

    add_dns(st, evd, T0, "api.example.com", "93.184.216.34,93.184.216.35");
    /* resolved peer, metadata, private peer, inbound web traffic: quiet */
    add_conn(st, evd, T0 + S(1), vm, "93.184.216.34", 443, "SF", "ssl", S(2), 5000);
    add_conn(st, evd, T0 + S(2), vm, "169.254.169.254", 80, "SF", "http", S(1), 300);
    add_conn(st, evd, T0 + S(3), vm, "10.0.9.9", 5432, "SF", NULL, S(7200), 1 << 20);
    add_conn(st, evd, T0 + S(4), "203.0.113.87", vm, 80, "SF", "http", S(1), 200);
    /* the reverse shell: 2 h 11 min, 200 kB out, port 3000, no protocol */
    add_conn(st, evd, T0 + S(423), vm, "198.51.100.23", 3000, "SF", NULL, S(7860), 200000);
    /* cron callbacks every 15 min on the minute, refused */
    for (int i = 0; i < 12; i++)
        add_conn(st, evd, T0 + S(1200 + 900 * i) + 30000000, vm, "198.51.100.23", 3000, "REJ",
                 NULL, 0, -1);
    /* a jittered beacon over HTTPS to a resolved name: beacon, not direct */
    add_dns(st, evd, T0 + S(5), "cdn.example.net", "203.0.113.9");
    static const int jit[] = {0, 20, -15, 10, -25, 5, 30, -10, 0, 15};
    for (int i = 0; i < 10; i++)
        add_conn(st, evd, T0 + S(17 + 300 * i + jit[i]), vm, "203.0.113.9", 443, "SF", "ssl",
                 S(1), 900);
    /* a shell split by the inactivity timeout: 80 s, then picked up midstream
     * (the listener's side first) with 90 kB from the VM, then again 1 h 50 */
    sport = 40001;
    add_conn(st, evd, T0 + S(600), vm, "198.51.100.77", 4444, "S1", NULL, S(80), 1700);
    sport = 4444;
    midstream = true;
    in_bytes = 90000;
    add_conn(st, evd, T0 + S(1020), "198.51.100.77", vm, 40001, "OTH", NULL, S(130), 199);
    in_bytes = 0;
    add_conn(st, evd, T0 + S(7200), "198.51.100.77", vm, 40001, "SF", NULL, S(9), 7);
    sport = 0;
    midstream = false;
    /* irregular traffic to another resolved peer: quiet */
    static const int irr[] = {0, 5, 400, 410, 3000, 3001, 3002, 9000, 9500, 20000};
    for (int i = 0; i < 10; i++)
        add_conn(st, evd, T0 + S(irr[i]) + 7, vm, "93.184.216.35", 443, "SF", "ssl", S(1),
                 900);
    /* DNS to a public resolver every minute: regular by design, quiet */
    for (int i = 0; i < 10; i++)
        add_conn(st, evd, T0 + S(60 * i), vm, "8.8.8.8", 53, "SF", "dns", S(0), 40);

    struct seen s;
    struct ty_analyze_stats stats;
    run_case(st, &s, &stats);
    CHECK_INT(stats.dns, 2);
    CHECK_INT(stats.dns_answers, 3);
    CHECK_INT(count(&s, "net-direct-ip-raw"), 2);
    CHECK_INT(count(&s, "net-direct-ip"), 0);
    CHECK_INT(count(&s, "net-long-lived"), 2);
    CHECK_INT(count(&s, "net-c2-outbound"), 2);
    CHECK_INT(count(&s, "net-beacon-scheduled"), 1);
    CHECK_INT(count(&s, "net-beacon"), 1);
    CHECK_INT(count(&s, "net-large-outbound"), 0);
    CHECK_INT(s.n, 8);
    /* the split shell: one session of 1 h 50 min, its data in the second record */
    for (int i = 0; i < s.n && i < 64; i++) {
        if (!strstr(s.summary[i], "198.51.100.77"))
            continue;
        if (!strcmp(s.rules[i], "net-long-lived")) {
            CHECK(strstr(s.summary[i], "1 h 50 min (3 conn records") != NULL);
            CHECK_INT(s.line[i], 30);
        }
        if (!strcmp(s.rules[i], "net-c2-outbound")) {
            CHECK(strstr(s.summary[i], "sent 91700 bytes") != NULL);
            CHECK_INT(s.line[i], 31);
        }
    }
    int k = find(&s, "net-direct-ip-raw");
    CHECK(strstr(s.summary[k], "198.51.100.23:3000") != NULL);
    CHECK(strstr(s.matched[k], "\"id.resp_p\":3000") != NULL);
    CHECK_INT(s.line[k], 6); /* the shell's own event: the 6th added */
    k = find(&s, "net-beacon-scheduled");
    CHECK(strstr(s.summary[k], "every 15 min") != NULL);
    CHECK(strstr(s.matched[k], "\"connections\":13") != NULL);
    k = find(&s, "net-beacon");
    CHECK(strstr(s.summary[k], "203.0.113.9:443") != NULL);
    ty_store_close(st);

    /* without any DNS in the case, nothing is "undeclared"; a big upload is large */
    ev_id = 0;
    st = new_case(path, &evd);
    add_conn(st, evd, T0, vm, "198.51.100.23", 3000, "SF", NULL, S(60), 200 << 20);
    run_case(st, &s, &stats);
    CHECK_INT(count(&s, "net-direct-ip-raw"), 0);
    CHECK_INT(count(&s, "net-c2-outbound"), 0);
    CHECK_INT(count(&s, "net-large-outbound"), 1);
    CHECK_INT(s.n, 1);
    ty_store_close(st);

    /* a flood is capped: the last alert raised says how many more there were */
    ev_id = 0;
    max_alerts = 2;
    st = new_case(path, &evd);
    add_dns(st, evd, T0, "a.example", "192.0.2.1");
    for (int i = 0; i < 5; i++) {
        char ip[32];
        snprintf(ip, sizeof(ip), "203.0.113.%d", 10 + i);
        add_conn(st, evd, T0 + S(i + 1), vm, ip, 443, "SF", "ssl", S(1), 500);
    }
    run_case(st, &s, &stats);
    CHECK_INT(count(&s, "net-direct-ip"), 2);
    CHECK_INT(stats.alerts, 2);
    k = find(&s, "net-direct-ip");
    CHECK(strstr(s.summary[1], "and 3 more alerts of this analysis not raised") != NULL);
    max_alerts = 0;
    ty_store_close(st);
    unlink(path);
}
