/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-ingest.c - the ingest driver and the parser registry: accounting
 * (records = events + quarantined), duplicates found before reading (same
 * file twice) and after (an archive member hashed while read, rolled back),
 * the case file never taken for evidence, unrecognized streams, a forced
 * format, and sniffing.
 */
#include <archive.h>
#include <archive_entry.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <tyto/tyto.h>

#include "test.h"

static const char ct_lines[] =
    "{\"eventVersion\":\"1.08\",\"eventTime\":\"2026-10-14T10:00:00Z\",\"eventSource\":"
    "\"s3.amazonaws.com\",\"eventName\":\"GetObject\",\"awsRegion\":\"us-east-1\","
    "\"sourceIPAddress\":\"203.0.113.66\",\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":"
    "\"arn:aws:iam::111122223333:user/alice\"},\"eventID\":\"e1\"}\n"
    "{\"eventVersion\":\"1.08\",\"eventTime\":\"2026-10-14T10:00:01Z\",\"eventSource\":"
    "\"s3.amazonaws.com\",\"eventName\":\"ListBuckets\",\"awsRegion\":\"us-east-1\","
    "\"sourceIPAddress\":\"AWS Internal\",\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":"
    "\"arn:aws:iam::111122223333:user/alice\"},\"eventID\":\"e2\"}\n"
    "{\"eventVersion\":\"1.08\",\"eventTime\":\"2026-10-14T10:00:02Z\",\"eventSour\n";

static char dir[64];

static void put(const char *name, const void *p, size_t len)
{
    char path[256];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (f) {
        CHECK(fwrite(p, 1, len, f) == len);
        fclose(f);
    }
}

/* A tar holding one member, written with libarchive. */
static void put_tar(const char *name, const char *member, const void *p, size_t len)
{
    char path[256];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    struct archive *a = archive_write_new();
    archive_write_set_format_pax_restricted(a);
    CHECK(archive_write_open_filename(a, path) == ARCHIVE_OK);
    struct archive_entry *e = archive_entry_new();
    archive_entry_set_pathname(e, member);
    archive_entry_set_size(e, (la_int64_t)len);
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    CHECK(archive_write_header(a, e) == ARCHIVE_OK);
    CHECK(archive_write_data(a, p, len) == (la_ssize_t)len);
    archive_entry_free(e);
    archive_write_close(a);
    archive_write_free(a);
}

struct seen {
    unsigned events;
    bool has_alice_ip;
};

static int count_event(void *arg, const struct ty_event *ev, const struct ty_event_ref *ref)
{
    struct seen *s = arg;
    s->events++;
    if (ty_event_has(ev, TY_F_SRC_IP))
        s->has_alice_ip = true;
    CHECK(ref->evidence_path != NULL && strstr(ref->evidence_path, "a.jsonl") != NULL);
    return 0;
}

struct ev_rows {
    unsigned n, ok_balance;
    char paths[8][128];
};

static int evidence_row(void *arg, const struct ty_evidence *ev)
{
    struct ev_rows *r = arg;
    if (r->n < 8)
        snprintf(r->paths[r->n], sizeof(r->paths[0]), "%s|%s|%s", strrchr(ev->path, '/') + 1,
                 ev->format, ev->status);
    r->n++;
    r->ok_balance += ev->records == ev->events + ev->quarantined;
    return 0;
}

static void quiet(void *arg, const char *msg)
{
    unsigned *n = arg;
    (*n)++;
    (void)msg;
}

static void registry_tests(void)
{
    const struct ty_parser *p;
    struct ty_err err;
    ty_err_clear(&err);
    CHECK_INT(ty_parser_sniff(ty_str_cstr(ct_lines), &p, &err), 0);
    CHECK(p && strcmp(p->name, "aws-cloudtrail") == 0);
    CHECK_INT(ty_parser_sniff(ty_str_cstr("hello world\n"), &p, &err), TY_EINVAL);
    CHECK(p == NULL);
    CHECK(strstr(err.msg, "unrecognized") != NULL);
    CHECK(ty_parser_find("k8s-audit") == &ty_parser_k8s_audit);
    CHECK(ty_parser_find("nope") == NULL);
    size_t n;
    const struct ty_parser *const *all = ty_parsers(&n);
    for (size_t i = 0; i < n; i++) {
        CHECK_INT(all[i]->abi, TY_PARSER_ABI);
        CHECK(all[i]->name && all[i]->desc && all[i]->sniffs && all[i]->sniff && all[i]->record);
        /* no parser claims an empty stream */
        CHECK_INT(all[i]->sniff(ty_str_cstr("")), 0);
    }
}

void test_ingest(void);
void test_ingest(void)
{
    char casep[128], cmd[160];
    struct ty_store *st = NULL;
    struct ty_err err;
    struct ty_ingest_stats stats;
    unsigned n_diag = 0;

    registry_tests();

    snprintf(dir, sizeof(dir), "/tmp/tyto-test-ingest-XXXXXX");
    CHECK(mkdtemp(dir) != NULL);
    put("a.jsonl", ct_lines, sizeof(ct_lines) - 1);
    put("b-copy.jsonl", ct_lines, sizeof(ct_lines) - 1);    /* same bytes: skipped up front */
    put_tar("c.tar", "inner/a.jsonl", ct_lines, sizeof(ct_lines) - 1); /* member: rolled back */
    put("notes.txt", "not evidence\n", 13);
    snprintf(casep, sizeof(casep), "%s/case.tyto", dir); /* inside the evidence folder */

    ty_err_clear(&err);
    CHECK_INT(ty_store_open(&st, casep, TY_STORE_CREATE, &err), 0);
    const char *paths[] = {dir};
    struct ty_ingest_opts o = {.case_path = casep, .diag = quiet, .arg = &n_diag};
    CHECK_INT(ty_ingest(st, paths, 1, &o, &stats, &err), 0);
    CHECK_INT(stats.events, 2);
    CHECK_INT(stats.records, 3);
    CHECK_INT(stats.quarantined, 1);
    CHECK_INT(stats.duplicates, 2);
    CHECK_INT(stats.unrecognized, 1);
    CHECK(n_diag >= 4); /* the cut line, two duplicates, the unknown file, the case file */

    struct seen s = {0};
    struct ty_event_query q = {0};
    CHECK_INT(ty_store_events(st, &q, count_event, &s, &err), 0);
    CHECK_INT(s.events, 2);
    CHECK(s.has_alice_ip);

    struct ev_rows rows = {0};
    CHECK_INT(ty_store_evidence_list(st, evidence_row, &rows, &err), 0);
    CHECK_INT(rows.n, 2); /* a.jsonl and notes.txt: no copy, no member, no case file */
    CHECK_INT(rows.ok_balance, 2);
    CHECK_STR(rows.paths[0], "a.jsonl|aws-cloudtrail|ok");
    CHECK_STR(rows.paths[1], "notes.txt||unrecognized");

    /* a second run adds nothing */
    CHECK_INT(ty_ingest(st, paths, 1, &o, &stats, &err), 0);
    CHECK_INT(stats.events, 0);
    CHECK_INT(stats.duplicates, 4); /* a, b-copy, the member, notes.txt */
    ty_store_close(st);

    /* parse only, a forced format: every record of the wrong format is quarantined */
    const char *one[] = {NULL};
    char apath[128];
    snprintf(apath, sizeof(apath), "%s/a.jsonl", dir);
    one[0] = apath;
    struct ty_ingest_opts f = {.format = "aws-vpcflow", .diag = quiet, .arg = &n_diag};
    CHECK_INT(ty_ingest(NULL, one, 1, &f, &stats, &err), 0);
    CHECK_INT(stats.events, 0);
    CHECK_INT(stats.quarantined, stats.records);
    CHECK(stats.records >= 2);
    f.format = "no-such-format";
    CHECK(ty_ingest(NULL, one, 1, &f, &stats, &err) < 0);
    CHECK(strstr(err.msg, "no-such-format") != NULL);

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
}
