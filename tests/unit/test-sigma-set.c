/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-sigma-set.c - rule sets end to end: legacy collections, meta
 * filters, diagnostics with positions, the raw JSON view (nested paths,
 * arrays, literal dotted keys, null), routing by log source, and detection
 * over a case with an event_count correlation whose rule does not alert on
 * its own (generate: false).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <tyto/tyto.h>

#include "test.h"

void test_sigma_set(void);

static struct ty_sigma_set *load(const char *text)
{
    struct ty_sigma_set *s = NULL;
    struct ty_err err;
    ty_err_clear(&err);
    CHECK(ty_sigma_set_new(&s, &err) == 0);
    CHECK(ty_sigma_set_load_text(s, "t.yml", text, strlen(text), &err) == 0);
    CHECK(ty_sigma_set_compile(s, &err) == 0);
    return s;
}

static int count_match(void *arg, const struct ty_event *ev, const struct ty_sigma_match *m)
{
    unsigned *n = arg;
    (void)ev;
    n[m->rule]++;
    return 0;
}

/* Matches per rule of one JSON event (max 8 rules). */
static void run_json(struct ty_sigma_set *s, const char *json, unsigned out[8])
{
    struct ty_sigma_scratch *sc = NULL;
    struct ty_err err;
    memset(out, 0, 8 * sizeof(out[0]));
    CHECK(ty_sigma_scratch_new(&sc, &err) == 0);
    CHECK(ty_sigma_match_json(s, sc, ty_str_cstr(json), TY_SIGMA_MAP_NONE, count_match, out,
                              &err) == 0);
    ty_sigma_scratch_free(sc);
}

static void collections(void)
{
    /* sigma-spec §1.4: global merged into each rule, repeat builds another */
    struct ty_sigma_set *s = load("action: global\n"
                                  "title: G\n"
                                  "logsource: {product: aws}\n"
                                  "detection: {sel: {a: 1}, condition: sel}\n"
                                  "---\n"
                                  "logsource: {service: cloudtrail}\n"
                                  "detection: {sel: {b: 2}}\n"
                                  "---\n"
                                  "action: repeat\n"
                                  "detection: {sel: {c: 3}}\n");
    unsigned n[8];
    CHECK_INT(ty_sigma_set_nrules(s), 2);
    CHECK_INT(ty_sigma_set_ndiag(s), 0);
    run_json(s, "{\"a\":1,\"b\":2}", n);
    CHECK_INT(n[0], 1);
    CHECK_INT(n[1], 0);
    run_json(s, "{\"a\":\"1\",\"b\":2,\"c\":3}", n);
    CHECK_INT(n[0], 1);
    CHECK_INT(n[1], 1);
    run_json(s, "{\"b\":2,\"c\":3}", n);
    CHECK_INT(n[0] + n[1], 0);
    ty_sigma_set_free(s);
}

static void filters(void)
{
    /* sigma-spec §11 case 39 */
    struct ty_sigma_set *s = load("title: failed logon\n"
                                  "id: 5013332f-8a70-4e04-bcc1-06a98a2cca2e\n"
                                  "logsource: {product: windows, service: security}\n"
                                  "detection: {sel: {EventID: 4625}, condition: sel}\n"
                                  "---\n"
                                  "title: not admins\n"
                                  "logsource: {product: windows}\n"
                                  "filter:\n"
                                  "  rules: [5013332f-8a70-4e04-bcc1-06a98a2cca2e]\n"
                                  "  selection: {User|startswith: adm_}\n"
                                  "  condition: not selection\n");
    unsigned n[8];
    run_json(s, "{\"EventID\":4625,\"User\":\"adm_bob\"}", n);
    CHECK_INT(n[0], 0);
    run_json(s, "{\"EventID\":4625,\"User\":\"bob\"}", n);
    CHECK_INT(n[0], 1);
    ty_sigma_set_free(s);
}

static void views(void)
{
    struct ty_sigma_set *s =
        load("title: nested and arrays\n"
             "logsource: {product: x}\n"
             "detection:\n"
             "  sel:\n"
             "    objectRef.resource: secrets\n"
             "    user.groups: system:masters\n"
             "    id.orig_h|cidr: 10.0.0.0/8\n"
             "  ok: {errorCode: null}\n"
             "  condition: sel and ok\n");
    unsigned n[8];
    CHECK_INT(ty_sigma_set_ndiag(s), 0);
    run_json(s,
             "{\"objectRef\":{\"resource\":\"SECRETS\"},\"user\":{\"groups\":[\"a\","
             "\"system:masters\"]},\"id.orig_h\":\"10.1.2.3\"}",
             n);
    CHECK_INT(n[0], 1);
    /* errorCode present: the null selection fails */
    run_json(s,
             "{\"objectRef\":{\"resource\":\"secrets\"},\"user\":{\"groups\":[\"system:masters\"]},"
             "\"id.orig_h\":\"10.1.2.3\",\"errorCode\":\"AccessDenied\"}",
             n);
    CHECK_INT(n[0], 0);
    /* arrays of objects are walked element by element */
    run_json(s,
             "{\"objectRef\":[{\"resource\":\"pods\"},{\"resource\":\"secrets\"}],"
             "\"user\":{\"groups\":\"system:masters\"},\"id.orig_h\":\"10.1.2.3\"}",
             n);
    CHECK_INT(n[0], 1);
    ty_sigma_set_free(s);
}

static void diagnostics(void)
{
    struct ty_sigma_set *s = load("title: bad modifier\n"
                                  "logsource: {product: aws}\n"
                                  "detection:\n"
                                  "  sel:\n"
                                  "    eventName|contain: x\n"
                                  "  condition: sel\n"
                                  "---\n"
                                  "title: bad ref\n"
                                  "correlation: {type: event_count, rules: [nope],"
                                  " timespan: 5m, condition: {gte: 2}}\n");
    size_t errors = 0, bad_mod = 0;
    for (size_t i = 0; i < ty_sigma_set_ndiag(s); i++) {
        const struct ty_sigma_diag *d = ty_sigma_set_diag(s, i);
        errors += !d->warning;
        if (strstr(d->msg, "contain") && d->line == 5)
            bad_mod++;
    }
    CHECK_INT(bad_mod, 1);
    CHECK(errors >= 2);
    /* the detection rule is not loaded; the correlation is loaded, then dropped */
    CHECK_INT(ty_sigma_set_nrules(s), 1);
    CHECK(ty_sigma_set_rule(s, 0)->dropped);
    ty_sigma_set_free(s);
}

static const char ct_three[] =
    "{\"eventVersion\":\"1.08\",\"eventTime\":\"2026-10-14T10:00:00Z\",\"eventSource\":"
    "\"s3.amazonaws.com\",\"eventName\":\"DeleteBucket\",\"awsRegion\":\"us-east-1\","
    "\"sourceIPAddress\":\"203.0.113.66\",\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":"
    "\"arn:aws:iam::111122223333:user/alice\"},\"eventID\":\"e1\"}\n"
    "{\"eventVersion\":\"1.08\",\"eventTime\":\"2026-10-14T10:01:00Z\",\"eventSource\":"
    "\"s3.amazonaws.com\",\"eventName\":\"DeleteBucket\",\"awsRegion\":\"us-east-1\","
    "\"sourceIPAddress\":\"203.0.113.66\",\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":"
    "\"arn:aws:iam::111122223333:user/alice\"},\"eventID\":\"e2\"}\n"
    "{\"eventVersion\":\"1.08\",\"eventTime\":\"2026-10-14T10:02:00Z\",\"eventSource\":"
    "\"s3.amazonaws.com\",\"eventName\":\"DeleteBucket\",\"awsRegion\":\"us-east-1\","
    "\"sourceIPAddress\":\"203.0.113.66\",\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":"
    "\"arn:aws:iam::111122223333:user/bob\"},\"eventID\":\"e3\"}\n"
    "{\"eventVersion\":\"1.08\",\"eventTime\":\"2026-10-14T10:03:00Z\",\"eventSource\":"
    "\"s3.amazonaws.com\",\"eventName\":\"ListBuckets\",\"awsRegion\":\"us-east-1\","
    "\"sourceIPAddress\":\"203.0.113.66\",\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":"
    "\"arn:aws:iam::111122223333:user/alice\"},\"eventID\":\"e4\"}\n";

struct alerts_seen {
    unsigned rule, corr;
    char corr_group[128];
    char matched[256];
};

static int seen(void *arg, const struct ty_alert *a)
{
    struct alerts_seen *s = arg;
    if (strcmp(a->kind, "correlation") == 0) {
        s->corr++;
        snprintf(s->corr_group, sizeof(s->corr_group), "%s", a->group_key);
    } else {
        s->rule++;
        snprintf(s->matched, sizeof(s->matched), "%s", a->matched);
    }
    return 0;
}

static void case_detection(void)
{
    char dir[] = "/tmp/tyto-sigma-XXXXXX";
    char cpath[256], epath[256];
    struct ty_err err;
    ty_err_clear(&err);
    CHECK(mkdtemp(dir) != NULL);
    snprintf(cpath, sizeof(cpath), "%s/case.tyto", dir);
    snprintf(epath, sizeof(epath), "%s/ct.json", dir);
    FILE *f = fopen(epath, "w");
    CHECK(f != NULL);
    if (!f)
        return;
    fputs(ct_three, f);
    fclose(f);

    struct ty_sigma_set *s = load(
        "title: bucket deleted\n"
        "name: bucket_deleted\n"
        "logsource: {product: aws, service: cloudtrail}\n"
        "detection:\n"
        "  sel: {eventSource: s3.amazonaws.com, eventName: [DeleteBucket, DeleteObject]}\n"
        "  condition: sel\n"
        "---\n"
        "title: buckets deleted in a burst\n"
        "correlation: {type: event_count, rules: [bucket_deleted],"
        " group-by: [userIdentity.arn], timespan: 10m, condition: {gte: 2}}\n"
        "---\n"
        "title: anything from that address\n"
        "logsource: {product: aws, service: cloudtrail}\n"
        "detection: {sel: {sourceIPAddress|cidr: 203.0.113.0/24, eventName: ListBuckets},"
        " condition: sel}\n"
        "---\n"
        "title: not for cloudtrail\n"
        "logsource: {product: kubernetes, service: audit}\n"
        "detection: {sel: {eventName: ListBuckets}, condition: sel}\n");
    CHECK_INT(ty_sigma_set_ndiag(s), 0);
    CHECK(!ty_sigma_set_rule(s, 0)->alerts);

    struct ty_store *st = NULL;
    CHECK(ty_store_open(&st, cpath, TY_STORE_CREATE, &err) == 0);
    struct ty_ingest_opts io = {.case_path = cpath};
    struct ty_ingest_stats is;
    const char *paths[] = {epath};
    CHECK(ty_ingest(st, paths, 1, &io, &is, &err) == 0);
    CHECK_INT(is.events, 4);
    struct ty_detect_opts o = {.set = s};
    struct ty_detect_stats ds;
    CHECK(ty_detect_case(st, &o, &ds, &err) == 0);
    CHECK_INT(ds.events, 4);
    CHECK_INT(ds.matches, 4);  /* three deletions, one listing */
    CHECK_INT(ds.alerts, 1);   /* the listing: the deletions only feed the correlation */
    CHECK_INT(ds.corr_alerts, 1); /* alice twice in 10 minutes; bob once */
    struct alerts_seen a = {0};
    CHECK(ty_store_alerts(st, seen, &a, &err) == 0);
    CHECK_INT(a.rule, 1);
    CHECK_INT(a.corr, 1);
    CHECK_STR(a.corr_group, "arn:aws:iam::111122223333:user/alice");
    CHECK(strstr(a.matched, "\"eventName\":\"ListBuckets\"") != NULL);
    CHECK(strstr(a.matched, "\"sourceIPAddress\":\"203.0.113.66\"") != NULL);
    ty_store_close(st);
    ty_sigma_set_free(s);
    unlink(epath);
    unlink(cpath);
    rmdir(dir);
}

void test_sigma_set(void)
{
    collections();
    filters();
    views();
    diagnostics();
    case_detection();
}
