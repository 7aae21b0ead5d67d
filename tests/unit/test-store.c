/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-store.c - the case store: every field type round-trips, raw records
 * across many blocks, shared raw slots, quarantine, query filters, version
 * and read-only refusals, inert injection, events_v, savepoint rollback,
 * crash recovery and a dictionary cache far smaller than the data.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include <tyto/store.h>
#include <tyto/time.h>

#include "store/store-int.h"
#include "test.h"

#define T0 (INT64_C(1710252309) * TY_NS_PER_SEC + 123456789)

static char dir[64];

static void case_path(char *out, size_t n, const char *name)
{
    snprintf(out, n, "%s/%s", dir, name);
}

static void remove_case(const char *path)
{
    char j[300];
    snprintf(j, sizeof(j), "%s-journal", path);
    unlink(path);
    unlink(j);
}

static struct ty_store *create_case(const char *path)
{
    struct ty_store *st = NULL;
    struct ty_err err;
    ty_err_clear(&err);
    remove_case(path);
    int rc = ty_store_open(&st, path, TY_STORE_CREATE, &err);
    if (rc)
        ty_test_fail(__FILE__, __LINE__, "create %s: %s", path, err.msg);
    return st;
}

static int64_t sql_int(struct ty_store *st, const char *sql);

static int int_row(void *arg, int ncols, const char *const *names, const char *const *values)
{
    int64_t *v = arg;
    *v = values[0] ? strtoll(values[0], NULL, 10) : -1;
    return 0;
}

static int64_t sql_int(struct ty_store *st, const char *sql)
{
    struct ty_err err;
    int64_t v = -99;
    ty_err_clear(&err);
    if (ty_store_sql(st, sql, int_row, &v, &err) != 0)
        ty_test_fail(__FILE__, __LINE__, "%s: %s", sql, err.msg);
    return v;
}

/* ---- a full event: every field set to a value derived from its number ---- */

static char strs[TY_F__COUNT][80];
static size_t strs_len[TY_F__COUNT];

static void fill_full(struct ty_event *ev, int salt)
{
    ty_event_clear(ev);
    for (int f = 0; f < TY_F__COUNT; f++) {
        const struct ty__store_col *c = &ty__store_cols[f];
        switch (c->type) {
        case TY_FT_TIME:
            ty_event_set_int(ev, f, T0 + f * 1000 + salt);
            break;
        case TY_FT_INT:
            ty_event_set_int(ev, f, f == TY_F_TS_PREC ? 9 : -1000000000000LL + f + salt);
            break;
        case TY_FT_IP: {
            char t[64];
            struct ty_ip ip;
            if (f & 1)
                snprintf(t, sizeof(t), "2001:db8::%x", f + salt);
            else
                snprintf(t, sizeof(t), "10.0.%d.%d", salt & 255, f);
            CHECK_INT(ty_ip_parse(ty_str_cstr(t), &ip), 0);
            ty_event_set_ip(ev, f, &ip);
            break;
        }
        case TY_FT_STR: {
            int n = snprintf(strs[f], sizeof(strs[f]), "v:%s:%d \"q'\" é\n", c->name, salt);
            strs_len[f] = (size_t)n;
            if (f == TY_F_MESSAGE || f == TY_F_USER_AGENT) {
                strs[f][3] = '\0'; /* an embedded NUL survives */
            }
            ty_event_set_str(ev, f, ty_str_make(strs[f], strs_len[f]));
            break;
        }
        }
    }
}

static void compare_events(const struct ty_event *want, const struct ty_event *got, int line)
{
    for (int f = 0; f < TY_F__COUNT; f++) {
        const struct ty__store_col *c = &ty__store_cols[f];
        bool hw = ty_event_has(want, f), hg = ty_event_has(got, f);
        if (hw != hg) {
            ty_test_fail(__FILE__, line, "field %s: present %d, expected %d", c->name, hg, hw);
            continue;
        }
        if (!hw)
            continue;
        bool same = true;
        switch (c->type) {
        case TY_FT_TIME:
        case TY_FT_INT:
            same = want->v[f].i == got->v[f].i;
            break;
        case TY_FT_IP:
            same = ty_ip_eq(&want->v[f].ip, &got->v[f].ip);
            break;
        case TY_FT_STR:
            same = ty_str_eq(want->v[f].s, got->v[f].s);
            break;
        }
        if (!same)
            ty_test_fail(__FILE__, line, "field %s differs", c->name);
    }
}

/* ---- the round trip ---- */

struct collect {
    int n;
    int64_t ids[64];
    uint64_t offsets[64];
    uint32_t subs[64];
    char actors[64][32];
    char raws[64][40];
    const struct ty_event *expect[64]; /* by position, NULL = don't compare */
    int stop_after;
};

static int collect_cb(void *arg, const struct ty_event *ev, const struct ty_event_ref *ref)
{
    struct collect *c = arg;
    if (c->n >= 64)
        return TY_STOP;
    c->ids[c->n] = ref->event_id;
    c->offsets[c->n] = ev->offset;
    c->subs[c->n] = ev->sub;
    struct ty_str a = ty_event_str(ev, TY_F_ACTOR);
    snprintf(c->actors[c->n], sizeof(c->actors[0]), "%.*s", (int)a.len, a.p ? a.p : "");
    snprintf(c->raws[c->n], sizeof(c->raws[0]), "%.*s", (int)ev->raw.len,
             ev->raw.p ? ev->raw.p : "");
    if (ref->offset != ev->offset)
        ty_test_fail(__FILE__, __LINE__, "ref offset %llu != %llu",
                     (unsigned long long)ref->offset, (unsigned long long)ev->offset);
    if (!ref->evidence_path || !strstr(ref->evidence_path, ".json"))
        ty_test_fail(__FILE__, __LINE__, "evidence path '%s'", ref->evidence_path);
    if (c->expect[c->n])
        compare_events(c->expect[c->n], ev, __LINE__);
    c->n++;
    if (c->stop_after && c->n == c->stop_after)
        return TY_STOP;
    return 0;
}

static int run_query(struct ty_store *st, const struct ty_event_query *q, struct collect *c)
{
    struct ty_err err;
    ty_err_clear(&err);
    memset(c->ids, 0, sizeof(c->ids));
    c->n = 0;
    int rc = ty_store_events(st, q, collect_cb, c, &err);
    if (rc)
        return rc;
    return c->n;
}

static int count_where(struct ty_store *st, int field, enum ty_cmp cmp, const char *value)
{
    struct ty_event_query q;
    struct collect c;
    memset(&q, 0, sizeof(q));
    memset(&c, 0, sizeof(c));
    q.where[0].field = field;
    q.where[0].cmp = cmp;
    q.where[0].value = value;
    q.n_where = 1;
    return run_query(st, &q, &c);
}

struct qrows {
    int n;
    uint64_t raw_size[4];
    size_t raw_len[4];
    char reason[4][64];
    char path[4][64];
};

static int quar_cb(void *arg, const struct ty_quarantined *q)
{
    struct qrows *r = arg;
    if (r->n < 4) {
        r->raw_size[r->n] = q->raw_size;
        r->raw_len[r->n] = q->raw.len;
        snprintf(r->reason[r->n], 64, "%s", q->reason);
        snprintf(r->path[r->n], 64, "%s", q->evidence_path);
    }
    r->n++;
    return 0;
}

struct evrows {
    int n;
    char path[4][64];
    char sha[4][65];
    uint64_t events[4];
    char status[4][16];
};

static int evid_cb(void *arg, const struct ty_evidence *e)
{
    struct evrows *r = arg;
    if (r->n < 4) {
        snprintf(r->path[r->n], 64, "%s", e->path);
        snprintf(r->sha[r->n], 65, "%s", e->sha256);
        snprintf(r->status[r->n], 16, "%s", e->status);
        r->events[r->n] = e->events;
    }
    r->n++;
    return 0;
}

struct textrow {
    int n;
    int ncols;
    char v[8][96];
};

static int text_row(void *arg, int ncols, const char *const *names, const char *const *values)
{
    struct textrow *t = arg;
    t->ncols = ncols;
    for (int i = 0; i < ncols && i < 8; i++)
        snprintf(t->v[i], sizeof(t->v[i]), "%s", values[i] ? values[i] : "NULL");
    t->n++;
    return 0;
}

static const char sha_a[] = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
static const char sha_b[] = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

static void roundtrip(void)
{
    char path[256];
    struct ty_store *st;
    struct ty_err err;
    struct ty_evidence evd;
    static struct ty_event e1, e2, e3[3], e4, e5;
    int64_t id1 = 0, id2 = 0, id3[3] = {0}, id4 = 0, id5 = 0;
    static const char raw1[] = "{\"eventName\":\"GetObject\",\"n\":1}";
    static const char raw3[] = "{\"Records\":[1,2,3]}";
    struct ty_buf b;

    ty_err_clear(&err);
    ty_buf_init(&b, 0);
    case_path(path, sizeof(path), "rt.tyto");
    st = create_case(path);
    if (!st)
        return;

    /* outside a transaction: refused */
    fill_full(&e1, 1);
    CHECK_INT(ty_store_event_add(st, 1, &e1, NULL, &err), TY_EINVAL);

    CHECK_INT(ty_store_begin(st, &err), 0);
    memset(&evd, 0, sizeof(evd));
    evd.path = "s3/trail.json.gz";
    evd.codec = "gzip";
    evd.size = 12345;
    evd.disk_size = 2345;
    memcpy(evd.sha256, sha_a, 65);
    evd.format = "aws-cloudtrail";
    evd.shape = "S3 Records file";
    evd.status = "ok";
    evd.note = "";
    CHECK_INT(ty_store_evidence_put(st, &evd, &err), 0);
    CHECK(evd.id > 0);

    /* e1: every field; ts last in time order */
    fill_full(&e1, 1);
    e1.v[TY_F_TS].i = T0 + 5;
    e1.raw = ty_str_make(raw1, sizeof(raw1) - 1);
    e1.offset = 0;
    e1.line = 1;
    e1.format = "aws-cloudtrail";
    CHECK_INT(ty_store_event_add(st, evd.id, &e1, &id1, &err), 0);

    /* e2: sparse */
    ty_event_clear(&e2);
    ty_event_set_int(&e2, TY_F_TS, T0 + 1);
    ty_event_set_str(&e2, TY_F_ACTOR, ty_str_cstr("alice"));
    ty_event_set_str(&e2, TY_F_ACTION, ty_str_cstr("GetObject"));
    e2.raw = ty_str_cstr("{\"two\":2}");
    e2.offset = 100;
    e2.line = 2;
    e2.format = "aws-cloudtrail";
    CHECK_INT(ty_store_event_add(st, evd.id, &e2, &id2, &err), 0);

    /* e3: one record, three events sharing its raw bytes */
    for (int i = 0; i < 3; i++) {
        static const char *const acts[] = {"CreatePod", "DeletePod", "PatchPod"};
        ty_event_clear(&e3[i]);
        ty_event_set_int(&e3[i], TY_F_TS, T0 + 3);
        ty_event_set_str(&e3[i], TY_F_ACTOR, ty_str_cstr("bob"));
        ty_event_set_str(&e3[i], TY_F_ACTION, ty_str_cstr(acts[i]));
        ty_event_set_int(&e3[i], TY_F_DST_PORT, 443 + i);
        e3[i].raw = ty_str_make(raw3, sizeof(raw3) - 1);
        e3[i].offset = 200;
        e3[i].line = 3;
        e3[i].sub = (uint32_t)i;
        e3[i].format = "k8s-audit";
        CHECK_INT(ty_store_event_add(st, evd.id, &e3[i], &id3[i], &err), 0);
    }
    /* e4: no raw record at all */
    ty_event_clear(&e4);
    ty_event_set_int(&e4, TY_F_TS, T0 + 4);
    ty_event_set_str(&e4, TY_F_MESSAGE, ty_str_cstr("no raw"));
    e4.offset = 300;
    e4.line = 4;
    CHECK_INT(ty_store_event_add(st, evd.id, &e4, &id4, &err), 0);
    /* e5: no time at all: sorts first */
    ty_event_clear(&e5);
    ty_event_set_str(&e5, TY_F_ACTOR, ty_str_cstr("carol"));
    e5.raw = ty_str_cstr("timeless");
    e5.offset = 400;
    e5.line = 5;
    CHECK_INT(ty_store_event_add(st, evd.id, &e5, &id5, &err), 0);

    /* the pending block can be read before it is written */
    CHECK_INT(ty_store_raw(st, id2, &b, &err), 0);
    CHECK_STR(b.buf, "{\"two\":2}");
    ty_buf_reset(&b);

    /* quarantine: one small, one cut at 64 KiB */
    char *big = malloc(70000);
    memset(big, 'x', 70000);
    CHECK_INT(ty_store_quarantine_add(st, evd.id, 500, 6, "bad JSON at byte 3",
                                      ty_str_cstr("{oops"), &err), 0);
    CHECK_INT(ty_store_quarantine_add(st, evd.id, 600, 7, "record longer than 65536 bytes",
                                      ty_str_make(big, 70000), &err), 0);
    free(big);

    evd.records = 5;
    evd.events = 7;
    evd.quarantined = 2;
    CHECK_INT(ty_store_evidence_put(st, &evd, &err), 0);
    CHECK_INT(ty_store_meta_set(st, "case_name", "wp-s3", &err), 0);
    CHECK_INT(ty_store_finish_load(st, &err), 0);
    CHECK_INT(ty_store_commit(st, &err), 0);
    ty_store_close(st);

    /* ---- read back, read-only ---- */
    CHECK_INT(ty_store_open(&st, path, TY_STORE_READONLY, &err), 0);
    if (!st)
        return;
    {
        struct ty_event_query q;
        struct collect c;
        memset(&q, 0, sizeof(q));
        memset(&c, 0, sizeof(c));
        c.expect[0] = &e5; /* NULL ts first */
        c.expect[1] = &e2;
        c.expect[2] = &e3[0];
        c.expect[3] = &e3[1];
        c.expect[4] = &e3[2];
        c.expect[5] = &e4;
        c.expect[6] = &e1;
        CHECK_INT(run_query(st, &q, &c), 7);
        CHECK_INT(c.ids[0], id5);
        CHECK_INT(c.ids[1], id2);
        CHECK_INT(c.ids[2], id3[0]);
        CHECK_INT(c.subs[4], 2);
        CHECK_INT(c.ids[6], id1);

        /* descending, limit */
        memset(&c, 0, sizeof(c));
        q.descending = true;
        q.limit = 2;
        c.expect[0] = &e1;
        CHECK_INT(run_query(st, &q, &c), 2);
        CHECK_INT(c.ids[0], id1);
        CHECK_INT(c.ids[1], id4);

        /* time range: [T0+3, T0+5) */
        memset(&q, 0, sizeof(q));
        memset(&c, 0, sizeof(c));
        q.has_from = q.has_to = true;
        q.from = T0 + 3;
        q.to = T0 + 5;
        CHECK_INT(run_query(st, &q, &c), 4);
        CHECK_INT(c.ids[3], id4);

        /* evidence filter */
        q.evidence_id = evd.id + 1;
        CHECK_INT(run_query(st, &q, &c), 0);
        q.evidence_id = evd.id;
        CHECK_INT(run_query(st, &q, &c), 4);

        /* load order, with the raw records */
        memset(&q, 0, sizeof(q));
        memset(&c, 0, sizeof(c));
        q.by_id = true;
        q.with_raw = true;
        CHECK_INT(run_query(st, &q, &c), 7);
        CHECK_INT(c.ids[0], id1);
        CHECK_STR(c.raws[0], raw1);
        CHECK_STR(c.raws[1], "{\"two\":2}");
        CHECK_STR(c.raws[2], raw3);
        CHECK_STR(c.raws[4], raw3);
        CHECK_STR(c.raws[5], "");
        CHECK_STR(c.raws[6], "timeless");
        CHECK_INT(c.ids[6], id5);
        q.with_raw = false;
        q.descending = true;
        CHECK_INT(run_query(st, &q, &c), 7);
        CHECK_INT(c.ids[0], id5);
        CHECK_STR(c.raws[0], "");

        /* the callback can stop early */
        memset(&q, 0, sizeof(q));
        memset(&c, 0, sizeof(c));
        c.stop_after = 3;
        CHECK_INT(run_query(st, &q, &c), 3);
    }

    /* filters on each storage class */
    CHECK_INT(count_where(st, TY_F_ACTOR, TY_CMP_EQ, "bob"), 3);
    CHECK_INT(count_where(st, TY_F_ACTOR, TY_CMP_NE, "bob"), 4); /* incl. events without actor */
    CHECK_INT(count_where(st, TY_F_ACTOR, TY_CMP_EQ, "nobody-ever"), 0);
    CHECK_INT(count_where(st, TY_F_ACTOR, TY_CMP_NE, "nobody-ever"), 7);
    CHECK_INT(count_where(st, TY_F_ACTOR, TY_CMP_EQ, ""), 1); /* absent */
    CHECK_INT(count_where(st, TY_F_ACTOR, TY_CMP_NE, ""), 6);
    CHECK_INT(count_where(st, TY_F_ACTION, TY_CMP_EQ, "DeletePod"), 1);
    CHECK_INT(count_where(st, TY_F_MESSAGE, TY_CMP_EQ, "no raw"), 1);
    CHECK_INT(count_where(st, TY_F_MESSAGE, TY_CMP_NE, "no raw"), 6);
    CHECK_INT(count_where(st, TY_F_DST_PORT, TY_CMP_EQ, "444"), 1);
    CHECK_INT(count_where(st, TY_F_DST_PORT, TY_CMP_NE, "444"), 6);
    CHECK_INT(count_where(st, TY_F_DST_PORT, TY_CMP_EQ, "44x"), TY_EINVAL);
    {
        char ip[64];
        snprintf(ip, sizeof(ip), "10.0.1.%d", TY_F_SRC_IP);
        CHECK_INT(count_where(st, TY_F_SRC_IP, ty_ip_is_v4(&e1.v[TY_F_SRC_IP].ip) ? TY_CMP_EQ
                                                                                  : TY_CMP_NE,
                              ip),
                  ty_ip_is_v4(&e1.v[TY_F_SRC_IP].ip) ? 1 : 7);
        CHECK_INT(count_where(st, TY_F_SRC_IP, TY_CMP_EQ, "192.0.2.99"), 0);
        CHECK_INT(count_where(st, TY_F_SRC_IP, TY_CMP_EQ, "10.0.0.300"), TY_EINVAL);
    }
    {
        char t[40];
        ty_time_format(T0 + 3, 9, t);
        CHECK_INT(count_where(st, TY_F_TS, TY_CMP_EQ, t), 3);
        CHECK_INT(count_where(st, TY_F_TS, TY_CMP_EQ, "1710252309"), 0);
        CHECK_INT(count_where(st, TY_F_TS, TY_CMP_EQ, "yesterday"), TY_EINVAL);
    }
    /* injection attempts are plain values */
    CHECK_INT(count_where(st, TY_F_ACTOR, TY_CMP_EQ, "x' OR '1'='1"), 0);
    CHECK_INT(count_where(st, TY_F_MESSAGE, TY_CMP_EQ, "' OR 1=1; DROP TABLE events; --"), 0);
    CHECK_INT(count_where(st, TY_F_MESSAGE, TY_CMP_NE, "\" OR 1=1 --"), 7);
    CHECK_INT(sql_int(st, "select count(*) from events"), 7);

    /* raw records; the three events of one record share one slot */
    CHECK_INT(ty_store_raw(st, id1, &b, &err), 0);
    CHECK_STR(b.buf, raw1);
    for (int i = 0; i < 3; i++) {
        ty_buf_reset(&b);
        CHECK_INT(ty_store_raw(st, id3[i], &b, &err), 0);
        CHECK_STR(b.buf, raw3);
    }
    ty_buf_reset(&b);
    CHECK_INT(ty_store_raw(st, id4, &b, &err), 0);
    CHECK_INT(b.len, 0);
    CHECK_INT(ty_store_raw(st, id5, &b, &err), 0);
    CHECK_STR(b.buf, "timeless");
    CHECK_INT(ty_store_raw(st, 999999, &b, &err), TY_EINVAL);
    CHECK_INT(sql_int(st, "select count(*) from (select distinct raw_block, raw_index from events"
                          " where raw_block is not null)"), 4);
    CHECK_INT(sql_int(st, "select count(*) from raw_blocks"), 1);
    CHECK_INT(sql_int(st, "select count(*) from strings where s = 'bob'"), 1);

    /* quarantine */
    {
        struct qrows r;
        memset(&r, 0, sizeof(r));
        CHECK_INT(ty_store_quarantine_list(st, quar_cb, &r, &err), 0);
        CHECK_INT(r.n, 2);
        CHECK_INT(r.raw_len[0], 5);
        CHECK_INT(r.raw_size[0], 5);
        CHECK_STR(r.reason[0], "bad JSON at byte 3");
        CHECK_STR(r.path[0], "s3/trail.json.gz");
        CHECK_INT(r.raw_len[1], 65536);
        CHECK_INT(r.raw_size[1], 70000);
    }
    /* evidence and meta */
    {
        struct evrows r;
        int64_t id = -1;
        memset(&r, 0, sizeof(r));
        CHECK_INT(ty_store_evidence_list(st, evid_cb, &r, &err), 0);
        CHECK_INT(r.n, 1);
        CHECK_STR(r.path[0], "s3/trail.json.gz");
        CHECK_STR(r.sha[0], sha_a);
        CHECK_INT(r.events[0], 7);
        CHECK_INT(ty_store_evidence_by_sha(st, sha_a, &id, &err), 0);
        CHECK_INT(id, evd.id);
        CHECK_INT(ty_store_evidence_by_sha(st, sha_b, &id, &err), 0);
        CHECK_INT(id, 0);
        ty_buf_reset(&b);
        CHECK_INT(ty_store_meta_get(st, "case_name", &b, &err), 0);
        CHECK_STR(b.buf, "wp-s3");
        CHECK_INT(ty_store_meta_get(st, "no-such-key", &b, &err), 0);
        CHECK_STR(b.buf, "");
    }

    /* the readable view and the SQL functions */
    {
        struct textrow t;
        memset(&t, 0, sizeof(t));
        CHECK_INT(ty_store_sql(st,
                               "select actor, action, format, ts, evidence, dst_port"
                               " from events_v where \"offset\" = 200 and sub = 1",
                               text_row, &t, &err), 0);
        CHECK_INT(t.n, 1);
        CHECK_STR(t.v[0], "bob");
        CHECK_STR(t.v[1], "DeletePod");
        CHECK_STR(t.v[2], "k8s-audit");
        CHECK_STR(t.v[3], "2024-03-12T14:05:09.123456792Z");
        CHECK_STR(t.v[4], "s3/trail.json.gz");
        CHECK_STR(t.v[5], "444");
        memset(&t, 0, sizeof(t));
        char sql[200];
        snprintf(sql, sizeof(sql), "select src_ip, dst_ip, ty_raw(id), ts_end from events_v"
                                   " where id = %lld", (long long)id1);
        CHECK_INT(ty_store_sql(st, sql, text_row, &t, &err), 0);
        char ip[TY_IP_STRLEN];
        ty_ip_format(&e1.v[TY_F_SRC_IP].ip, ip);
        CHECK_STR(t.v[0], ip);
        ty_ip_format(&e1.v[TY_F_DST_IP].ip, ip);
        CHECK_STR(t.v[1], ip);
        CHECK_STR(t.v[2], raw1);
        memset(&t, 0, sizeof(t));
        CHECK_INT(ty_store_sql(st, "select src_ip from events where src_ip is not null", text_row,
                               &t, &err), 0);
        CHECK(strncmp(t.v[0], "x'", 2) == 0); /* blobs come back as hex literals */
        memset(&t, 0, sizeof(t));
        CHECK_INT(ty_store_sql(st, "select count(*) from events_v; select 'two'", text_row, &t,
                               &err), 0);
        CHECK_INT(t.n, 2);
        CHECK_STR(t.v[0], "two");
    }

    /* read-only: every write is refused */
    CHECK_INT(ty_store_begin(st, &err), TY_EINVAL);
    CHECK_INT(ty_store_meta_set(st, "a", "b", &err), TY_EINVAL);
    CHECK_INT(ty_store_evidence_put(st, &evd, &err), TY_EINVAL);
    CHECK_INT(ty_store_quarantine_add(st, 1, 0, 0, "x", ty_str_cstr("y"), &err), TY_EINVAL);
    CHECK_INT(ty_store_event_add(st, 1, &e2, NULL, &err), TY_EINVAL);
    CHECK(ty_store_sql(st, "delete from events", NULL, NULL, &err) < 0);
    ty_store_close(st);

    /* read-write handle: ty_store_sql is still read-only */
    CHECK_INT(ty_store_open(&st, path, 0, &err), 0);
    if (!st)
        return;
    {
        char attach[300];
        snprintf(attach, sizeof(attach), "attach '%s/evil.db' as evil", dir);
        static const char *const bad[] = {
            "delete from events",
            "insert into meta values('x', 'y')",
            "update strings set s = 'root' where s = 'bob'",
            "drop table events",
            "create table t(x)",
            "pragma user_version = 7",
            "pragma journal_mode = wal",
            "select 1; delete from events",
            "vacuum",
            "begin; delete from events; commit",
        };
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
            if (ty_store_sql(st, bad[i], NULL, NULL, &err) >= 0)
                ty_test_fail(__FILE__, __LINE__, "not refused: %s", bad[i]);
        }
        CHECK(ty_store_sql(st, attach, NULL, NULL, &err) < 0);
        snprintf(attach, sizeof(attach), "%s/evil.db", dir);
        CHECK(access(attach, F_OK) != 0);
        CHECK(ty_store_sql(st, "select * from no_such_table", NULL, NULL, &err) < 0);
        CHECK_INT(sql_int(st, "select count(*) from events"), 7);
        CHECK_INT(sql_int(st, "select count(*) from strings where s = 'root'"), 0);
        CHECK_INT(sql_int(st, "pragma user_version"), TY_STORE_SCHEMA_VERSION);
        CHECK_INT(sql_int(st, "select count(*) from pragma_table_info('events')"),
                  TY__EV_FIXED + 1 + TY_F__COUNT);
    }
    ty_store_close(st);
    ty_buf_release(&b);
    remove_case(path);
}

/* ---- raw records across many blocks ---- */

static size_t rec_make(char *out, int i)
{
    /* deterministic, varied lengths; one large record */
    size_t len = (size_t)(20 + (i * 7919) % 3000);
    if (i == 777)
        len = 300000;
    int n = snprintf(out, 64, "{\"rec\":%d,\"pad\":\"", i);
    for (size_t k = (size_t)n; k < len - 2; k++)
        out[k] = (char)('a' + (k * 31 + (size_t)i) % 26);
    out[len - 2] = '"';
    out[len - 1] = '}';
    return len;
}

struct rawscan {
    int n, bad;
    char *want;
};

static int rawscan_cb(void *arg, const struct ty_event *ev, const struct ty_event_ref *ref)
{
    struct rawscan *rs = arg;
    size_t len = rec_make(rs->want, (int)ty_event_int(ev, TY_F_PID, -1));
    if (ev->raw.len != len || memcmp(ev->raw.p, rs->want, len) != 0)
        rs->bad++;
    rs->n++;
    return 0;
}

static void many_blocks(bool threaded)
{
    char path[256];
    struct ty_store *st;
    struct ty_err err;
    struct ty_buf b;
    static struct ty_event ev;
    enum { N = 3000 };
    int64_t *ids = calloc(N, sizeof(*ids));
    char *rec = malloc(300001), *want = malloc(300001);

    ty_err_clear(&err);
    ty_buf_init(&b, 0);
    case_path(path, sizeof(path), "blocks.tyto");
    st = create_case(path);
    if (!st || !ids || !rec || !want)
        goto out;
    ty__store_set_raw_block(st, 8192, 16, 3);
    ty__store_set_raw_threaded(st, threaded);
    CHECK_INT(ty_store_begin(st, &err), 0);
    for (int e = 0; e < 3; e++) {
        struct ty_evidence evd;
        memset(&evd, 0, sizeof(evd));
        evd.path = "many.json";
        evd.sha256[0] = (char)('0' + e);
        CHECK_INT(ty_store_evidence_put(st, &evd, &err), 0);
        for (int i = e; i < N; i += 3) {
            size_t len = rec_make(rec, i);
            ty_event_clear(&ev);
            ty_event_set_int(&ev, TY_F_TS, T0 + (N - i) * TY_NS_PER_SEC);
            ty_event_set_int(&ev, TY_F_PID, i);
            ev.raw = ty_str_make(rec, len);
            ev.offset = (uint64_t)i * 4000;
            ev.line = (uint64_t)i + 1;
            ev.format = "test";
            if (ty_store_event_add(st, evd.id, &ev, &ids[i], &err) != 0) {
                ty_test_fail(__FILE__, __LINE__, "add %d: %s", i, err.msg);
                goto out;
            }
            /* while loading: pending, in-flight and written blocks all read back */
            for (int back = 0; back <= 60 && i % 37 == 0 && i - 3 * back >= 0; back += 6) {
                int k = i - 3 * back;
                size_t wl = rec_make(want, k);
                ty_buf_reset(&b);
                if (ty_store_raw(st, ids[k], &b, &err) != 0 || b.len != wl ||
                    memcmp(b.buf, want, wl) != 0)
                    ty_test_fail(__FILE__, __LINE__, "raw %d while loading %d: %s", k, i,
                                 err.msg);
            }
        }
    }
    /* the last record is still pending */
    ty_buf_reset(&b);
    CHECK_INT(ty_store_raw(st, ids[N - 1], &b, &err), 0);
    CHECK_INT(b.len, rec_make(want, N - 1));
    CHECK_INT(ty_store_finish_load(st, &err), 0);
    CHECK_INT(ty_store_commit(st, &err), 0);
    CHECK(sql_int(st, "select count(*) from raw_blocks") > 200);
    CHECK_INT(sql_int(st, "select sum(n) from raw_blocks"), N);
    /* every record, in a scattered order */
    int bad = 0;
    for (int k = 0; k < N; k++) {
        int i = (int)(((long long)k * 1237) % N);
        size_t len = rec_make(want, i);
        ty_buf_reset(&b);
        if (ty_store_raw(st, ids[i], &b, &err) != 0 || b.len != len || memcmp(b.buf, want, len))
            bad++;
    }
    CHECK_INT(bad, 0);
    /* scans with the raw records: load order, and time order (the reverse) */
    for (int order = 0; order < 2; order++) {
        struct rawscan rs = {0, 0, want};
        struct ty_event_query q;
        memset(&q, 0, sizeof(q));
        q.with_raw = true;
        q.by_id = order == 0;
        CHECK_INT(ty_store_events(st, &q, rawscan_cb, &rs, &err), 0);
        CHECK_INT(rs.n, N);
        CHECK_INT(rs.bad, 0);
    }
    /* corrupt block data is reported, not trusted */
    ty_store_close(st);
    {
        sqlite3 *db = NULL;
        CHECK_INT(sqlite3_open(path, &db), SQLITE_OK);
        CHECK_INT(sqlite3_exec(db, "update raw_blocks set data = x'28b52ffd0000' where id = 2",
                               NULL, NULL, NULL), SQLITE_OK);
        sqlite3_close(db);
    }
    CHECK_INT(ty_store_open(&st, path, TY_STORE_READONLY, &err), 0);
    if (!st)
        goto out;
    {
        int64_t id = sql_int(st, "select min(id) from events where raw_block = 2");
        ty_buf_reset(&b);
        CHECK_INT(ty_store_raw(st, id, &b, &err), TY_EDB);
        CHECK(strstr(err.msg, "corrupt") != NULL);
    }
out:
    ty_store_close(st);
    free(ids);
    free(rec);
    free(want);
    ty_buf_release(&b);
    remove_case(path);
}

/* ---- savepoints, rollback, crash ---- */

static int add_simple(struct ty_store *st, int64_t evid, const char *actor, const char *raw,
                      uint64_t off, uint32_t sub)
{
    static struct ty_event ev;
    struct ty_err err;
    ty_err_clear(&err);
    ty_event_clear(&ev);
    ty_event_set_int(&ev, TY_F_TS, T0 + (int64_t)off);
    ty_event_set_str(&ev, TY_F_ACTOR, ty_str_cstr(actor));
    ev.raw = ty_str_cstr(raw);
    ev.offset = off;
    ev.line = off + 1;
    ev.sub = sub;
    ev.format = "test";
    int rc = ty_store_event_add(st, evid, &ev, NULL, &err);
    if (rc)
        ty_test_fail(__FILE__, __LINE__, "add: %s", err.msg);
    return rc;
}

static int64_t put_evidence(struct ty_store *st, const char *path, const char *sha)
{
    struct ty_evidence evd;
    struct ty_err err;
    ty_err_clear(&err);
    memset(&evd, 0, sizeof(evd));
    evd.path = path;
    snprintf(evd.sha256, sizeof(evd.sha256), "%s", sha);
    if (ty_store_evidence_put(st, &evd, &err) != 0)
        ty_test_fail(__FILE__, __LINE__, "evidence: %s", err.msg);
    return evd.id;
}

static int raw_all_cb(void *arg, const struct ty_event *ev, const struct ty_event_ref *ref)
{
    struct ty_store *st = arg;
    struct ty_buf b;
    struct ty_err err;
    char want[64];
    struct ty_str a = ty_event_str(ev, TY_F_ACTOR);
    ty_buf_init(&b, 0);
    ty_err_clear(&err);
    snprintf(want, sizeof(want), "raw-%.*s-%llu", (int)a.len, a.p ? a.p : "",
             (unsigned long long)ev->offset);
    if (ev->raw.p && !ty_str_eq_cstr(ev->raw, want))
        ty_test_fail(__FILE__, __LINE__, "event %lld: ev->raw '%.*s', expected '%s'",
                     (long long)ref->event_id, (int)ev->raw.len, ev->raw.p, want);
    if (ty_store_raw(st, ref->event_id, &b, &err) != 0 || strcmp(b.buf, want) != 0)
        ty_test_fail(__FILE__, __LINE__, "event %lld raw '%s', expected '%s' (%s)",
                     (long long)ref->event_id, b.buf, want, err.msg);
    ty_buf_release(&b);
    return 0;
}

static void add_named(struct ty_store *st, int64_t evid, const char *actor, uint64_t off)
{
    static char raw[16][64];
    static int k;
    k = (k + 1) % 16;
    snprintf(raw[k], sizeof(raw[k]), "raw-%s-%llu", actor, (unsigned long long)off);
    add_simple(st, evid, actor, raw[k], off, 0);
}

static void savepoints(void)
{
    char path[256];
    struct ty_store *st;
    struct ty_err err;
    struct ty_event_query q;
    int64_t e1, e2, e3;

    ty_err_clear(&err);
    case_path(path, sizeof(path), "sp.tyto");
    st = create_case(path);
    if (!st)
        return;
    CHECK_INT(ty_store_begin(st, &err), 0);
    CHECK_INT(ty_store_savepoint(st, &err), 0);
    e1 = put_evidence(st, "one.json", sha_a);
    add_named(st, e1, "keep-1", 1);
    add_named(st, e1, "keep-2", 2);
    CHECK_INT(ty_store_release(st, &err), 0);
    add_named(st, e1, "keep-3", 3); /* still in the pending block at the savepoint */

    CHECK_INT(ty_store_savepoint(st, &err), 0);
    e2 = put_evidence(st, "dup.json", sha_b);
    add_named(st, e2, "gone-1", 10);
    add_named(st, e2, "keep-1", 11);
    CHECK_INT(ty_store_quarantine_add(st, e2, 12, 13, "bad", ty_str_cstr("x"), &err), 0);
    CHECK_INT(ty_store_rollback_to(st, &err), 0);
    CHECK_INT(ty_store_release(st, &err), 0);

    /* the string and block ids reused after the rollback must be right */
    CHECK_INT(ty_store_savepoint(st, &err), 0);
    e3 = put_evidence(st, "three.json", "cc");
    add_named(st, e3, "gone-1", 20);
    add_named(st, e3, "new-1", 21);
    CHECK_INT(ty_store_release(st, &err), 0);
    CHECK_INT(ty_store_finish_load(st, &err), 0);
    CHECK_INT(ty_store_commit(st, &err), 0);

    CHECK_INT(sql_int(st, "select count(*) from evidence"), 2);
    CHECK_INT(sql_int(st, "select count(*) from events"), 5);
    CHECK_INT(sql_int(st, "select count(*) from quarantine"), 0);
    CHECK_INT(sql_int(st, "select count(*) from evidence where path = 'dup.json'"), 0);
    CHECK_INT(sql_int(st, "select count(*) from strings where s = 'gone-1'"), 1);
    memset(&q, 0, sizeof(q));
    q.with_raw = true;
    CHECK_INT(ty_store_events(st, &q, raw_all_cb, st, &err), 0);
    CHECK_INT(count_where(st, TY_F_ACTOR, TY_CMP_EQ, "gone-1"), 1);
    CHECK_INT(count_where(st, TY_F_ACTOR, TY_CMP_EQ, "keep-1"), 1);
    ty_store_close(st);

    /* a process that dies mid-load leaves the case as it was committed */
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        struct ty_store *cst = NULL;
        struct ty_err cerr;
        if (ty_store_open(&cst, path, 0, &cerr) || ty_store_begin(cst, &cerr))
            _exit(3);
        /* a tiny page cache: pages reach the file (and the journal) before commit */
        sqlite3_exec(cst->db, "PRAGMA cache_size=8", NULL, NULL, NULL);
        int64_t ev = put_evidence(cst, "crash.json", "dd");
        for (int i = 0; i < 20000; i++)
            add_named(cst, ev, "crash", (uint64_t)(100 + i));
        ty_store_finish_load(cst, &cerr);
        _exit(0); /* no commit, no close */
    }
    int status = 0;
    CHECK(pid > 0);
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    {
        char j[300];
        snprintf(j, sizeof(j), "%s-journal", path);
        CHECK(access(j, F_OK) == 0); /* the hot journal the crash left */
        /* a read-only handle rolls the dead load back first, then reads */
        CHECK_INT(ty_store_open(&st, path, TY_STORE_READONLY, &err), 0);
        if (st) {
            CHECK_INT(sql_int(st, "select count(*) from events"), 5);
            ty_store_close(st);
        }
        CHECK(access(j, F_OK) != 0);
    }
    CHECK_INT(ty_store_open(&st, path, 0, &err), 0);
    if (!st)
        return;
    CHECK_INT(sql_int(st, "select count(*) from evidence"), 2);
    CHECK_INT(sql_int(st, "select count(*) from events"), 5);
    CHECK_INT(sql_int(st, "select count(*) from strings where s = 'crash'"), 0);
    {
        sqlite3_stmt *s = NULL;
        CHECK_INT(sqlite3_prepare_v2(st->db, "pragma integrity_check", -1, &s, NULL), SQLITE_OK);
        CHECK_INT(sqlite3_step(s), SQLITE_ROW);
        CHECK_STR((const char *)sqlite3_column_text(s, 0), "ok");
        sqlite3_finalize(s);
    }
    /* and it can be loaded again */
    CHECK_INT(ty_store_begin(st, &err), 0);
    e3 = put_evidence(st, "four.json", "ee");
    add_named(st, e3, "keep-1", 30);
    CHECK_INT(ty_store_commit(st, &err), 0);
    CHECK_INT(ty_store_events(st, &q, raw_all_cb, st, &err), 0);
    CHECK_INT(count_where(st, TY_F_ACTOR, TY_CMP_EQ, "keep-1"), 2);
    ty_store_close(st);
    remove_case(path);
}

/* ---- versions and foreign files ---- */

static void versions(void)
{
    char path[256], other[256];
    struct ty_store *st = NULL;
    struct ty_err err;
    sqlite3 *db = NULL;

    ty_err_clear(&err);
    case_path(path, sizeof(path), "ver.tyto");
    case_path(other, sizeof(other), "other.db");
    CHECK_INT(ty_store_open(&st, path, 0, &err), TY_EINVAL); /* missing */
    CHECK(st == NULL);
    CHECK_INT(ty_store_open(&st, path, TY_STORE_CREATE | TY_STORE_READONLY, &err), TY_EINVAL);
    st = create_case(path);
    ty_store_close(st);
    st = NULL;

    static const char *const keys[] = {"schema_version", "event_schema_version"};
    for (int k = 0; k < 2; k++) {
        char sql[128];
        CHECK_INT(sqlite3_open(path, &db), SQLITE_OK);
        snprintf(sql, sizeof(sql), "update meta set value = '999' where key = '%s'", keys[k]);
        CHECK_INT(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
        sqlite3_close(db);
        CHECK_INT(ty_store_open(&st, path, TY_STORE_READONLY, &err), TY_EINVAL);
        CHECK(st == NULL);
        CHECK(strstr(err.msg, keys[k]) != NULL && strstr(err.msg, "999") != NULL);
        CHECK_INT(sqlite3_open(path, &db), SQLITE_OK);
        snprintf(sql, sizeof(sql), "update meta set value = '%d' where key = '%s'",
                 k ? TY_EVENT_SCHEMA_VERSION : TY_STORE_SCHEMA_VERSION, keys[k]);
        CHECK_INT(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
        sqlite3_close(db);
    }
    CHECK_INT(ty_store_open(&st, path, TY_STORE_READONLY, &err), 0);
    ty_store_close(st);
    st = NULL;

    /* an events table from another field table */
    CHECK_INT(sqlite3_open(path, &db), SQLITE_OK);
    CHECK_INT(sqlite3_exec(db, "alter table events add column extra integer", NULL, NULL, NULL),
              SQLITE_OK);
    sqlite3_close(db);
    CHECK_INT(ty_store_open(&st, path, 0, &err), TY_EINVAL);
    CHECK(strstr(err.msg, "events table") != NULL);

    /* another SQLite database, and not a database at all */
    remove_case(other);
    CHECK_INT(sqlite3_open(other, &db), SQLITE_OK);
    CHECK_INT(sqlite3_exec(db, "create table t(x)", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    CHECK_INT(ty_store_open(&st, other, TY_STORE_CREATE, &err), TY_EINVAL);
    CHECK(strstr(err.msg, "not a tyto case") != NULL);
    FILE *f = fopen(other, "wb");
    if (f) {
        fputs("{\"this is\": \"json, not a case\"}\n", f);
        fclose(f);
    }
    CHECK_INT(ty_store_open(&st, other, 0, &err), TY_EINVAL);
    CHECK(strstr(err.msg, "not a tyto case") != NULL);
    CHECK(st == NULL);
    remove_case(other);
    remove_case(path);
}

/* ---- a dictionary cache much smaller than the dictionary ---- */

struct dictcheck {
    int n, bad;
};

static int dict_cb(void *arg, const struct ty_event *ev, const struct ty_event_ref *ref)
{
    struct dictcheck *d = arg;
    char want[64], ua[64];
    int i = (int)ev->offset;
    snprintf(want, sizeof(want), "principal-%d", i % 1500);
    snprintf(ua, sizeof(ua), "agent/%d (linux) with a longer tail", i % 700);
    if (!ty_str_eq_cstr(ty_event_str(ev, TY_F_ACTOR), want) ||
        !ty_str_eq_cstr(ty_event_str(ev, TY_F_USER_AGENT), ua) || strcmp(ev->format, "test"))
        d->bad++;
    d->n++;
    return 0;
}

static void small_dict(void)
{
    char path[256];
    struct ty_store *st;
    struct ty_err err;
    static struct ty_event ev;
    struct ty_event_query q;
    struct dictcheck d = {0, 0};

    ty_err_clear(&err);
    case_path(path, sizeof(path), "dict.tyto");
    st = create_case(path);
    if (!st)
        return;
    ty__store_set_dict_budget(st, 32 << 10);
    CHECK_INT(ty_store_begin(st, &err), 0);
    int64_t evid = put_evidence(st, "d.json", "ab");
    for (int i = 0; i < 6000; i++) {
        char a[64], ua[64];
        snprintf(a, sizeof(a), "principal-%d", i % 1500);
        snprintf(ua, sizeof(ua), "agent/%d (linux) with a longer tail", i % 700);
        ty_event_clear(&ev);
        ty_event_set_int(&ev, TY_F_TS, T0 + i);
        ty_event_set_str(&ev, TY_F_ACTOR, ty_str_cstr(a));
        ty_event_set_str(&ev, TY_F_USER_AGENT, ty_str_cstr(ua));
        ev.offset = (uint64_t)i;
        ev.format = "test";
        if (ty_store_event_add(st, evid, &ev, NULL, &err)) {
            ty_test_fail(__FILE__, __LINE__, "add: %s", err.msg);
            break;
        }
    }
    CHECK_INT(ty_store_commit(st, &err), 0);
    CHECK(st->dict.evictions > 0);
    CHECK_INT(sql_int(st, "select count(*) from strings"), 1500 + 700 + 1);
    memset(&q, 0, sizeof(q));
    CHECK_INT(ty_store_events(st, &q, dict_cb, &d, &err), 0);
    CHECK_INT(d.n, 6000);
    CHECK_INT(d.bad, 0);
    CHECK(st->dict.arena.used_total < (64 << 10));
    ty_store_close(st);
    remove_case(path);
}

void test_store(void);
void test_store(void)
{
    snprintf(dir, sizeof(dir), "/tmp/tyto-test-store-XXXXXX");
    if (!mkdtemp(dir)) {
        ty_test_fail(__FILE__, __LINE__, "mkdtemp failed");
        return;
    }
    roundtrip();
    many_blocks(true);
    many_blocks(false);
    savepoints();
    versions();
    small_dict();
    rmdir(dir);
}
