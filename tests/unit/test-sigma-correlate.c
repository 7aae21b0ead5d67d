/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-sigma-correlate.c - the correlation engine: timespans, every type,
 * group separation, the window edges, rising and settled windows, §11 cases
 * 40-41, caps and eviction, and a 10-million-input run in bounded memory.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "sigma/sigma-int.h"
#include "test.h"

#define S INT64_C(1000000000)

struct hitrec {
    char group[32];
    int64_t first, last;
    double value;
    size_t n_refs;
    int64_t refs[64];
};

struct rec {
    int n;
    struct hitrec h[16];
};

static int on_hit(void *arg, const struct ty_corr_hit *hit)
{
    struct rec *r = arg;
    if (r->n < 16) {
        struct hitrec *h = &r->h[r->n];
        memset(h, 0, sizeof(*h));
        if (hit->group && hit->group[0].p)
            snprintf(h->group, sizeof(h->group), "%.*s", (int)hit->group[0].len,
                     hit->group[0].p);
        h->first = hit->first;
        h->last = hit->last;
        h->value = hit->value;
        h->n_refs = hit->n_refs;
        memcpy(h->refs, hit->refs, hit->n_refs * sizeof(int64_t));
    }
    r->n++;
    return 0;
}

/* Feed one input at ts (ns); grp and val may be NULL (absent). */
static int feed(struct ty_corr *c, struct rec *r, int64_t ts, uint32_t rule, const char *grp,
                const char *val, int64_t ref)
{
    struct ty_str g = ty_str_cstr(grp);
    struct ty_corr_input in = {ts, rule, &g, ty_str_cstr(val), ref};
    return ty_corr_feed(c, &in, on_hit, r);
}

static struct ty_corr *mk(enum ty_corr_type type, int64_t span, uint32_t n_rules,
                          const char *ops, double a, double b, size_t max_groups)
{
    struct ty_corr_spec sp = {0};
    struct ty_corr *c = NULL;
    struct ty_err err = {0};
    sp.type = type;
    sp.timespan_ns = span;
    sp.n_rules = n_rules;
    sp.n_group = 1;
    sp.has_field = type != TY_CORR_EVENT_COUNT && type != TY_CORR_TEMPORAL &&
                   type != TY_CORR_TEMPORAL_ORDERED;
    sp.percentile = 50;
    /* ops: up to two of "g" gt, "G" gte, "l" lt, "L" lte, "e" eq, "n" neq */
    for (size_t i = 0; ops[i]; i++) {
        struct ty_corr_cond *k = &sp.cond[sp.n_cond++];
        k->num = i ? b : a;
        k->neq = ops[i] == 'n';
        k->op = ops[i] == 'g' ? TY_OP_GT : ops[i] == 'G' ? TY_OP_GTE : ops[i] == 'l' ? TY_OP_LT
                : ops[i] == 'L' ? TY_OP_LTE : TY_OP_EQ;
    }
    CHECK_INT(ty_corr_new(&c, &sp, max_groups, &err), 0);
    return c;
}

static void test_timespan(void)
{
    struct ty_err err = {0};
    int64_t ns = 0;
    CHECK_INT(ty_corr_timespan(TY_STR_LIT("5m"), &ns, &err), 0);
    CHECK_INT(ns, 300 * S);
    CHECK_INT(ty_corr_timespan(TY_STR_LIT("90m"), &ns, &err), 0);
    CHECK_INT(ns, 5400 * S);
    CHECK_INT(ty_corr_timespan(TY_STR_LIT("30s"), &ns, &err), 0);
    CHECK_INT(ns, 30 * S);
    CHECK_INT(ty_corr_timespan(TY_STR_LIT("2h"), &ns, &err), 0);
    CHECK_INT(ns, 7200 * S);
    CHECK_INT(ty_corr_timespan(TY_STR_LIT("1d"), &ns, &err), 0);
    CHECK_INT(ns, 86400 * S);
    CHECK_INT(ty_corr_timespan(TY_STR_LIT("1w"), &ns, &err), 0);
    CHECK_INT(ns, 604800 * S);
    CHECK_INT(ty_corr_timespan(TY_STR_LIT("1M"), &ns, &err), 0);
    CHECK_INT(ns, 2629746 * S);
    CHECK_INT(ty_corr_timespan(TY_STR_LIT("2y"), &ns, &err), 0);
    CHECK_INT(ns, 2 * 31556952 * S);
    CHECK_INT(ty_corr_timespan(TY_STR_LIT("1H"), &ns, &err), TY_EINVAL);
    CHECK(strstr(err.msg, "unknown unit 'H'") != NULL);
    CHECK_INT(ty_corr_timespan(TY_STR_LIT("10"), &ns, &err), TY_EINVAL);
    CHECK(strstr(err.msg, "no unit") != NULL);
    CHECK_INT(ty_corr_timespan(TY_STR_LIT("1h30m"), &ns, &err), TY_EINVAL);
    CHECK_INT(ty_corr_timespan(TY_STR_LIT(""), &ns, &err), TY_EINVAL);
    CHECK_INT(ty_corr_timespan(TY_STR_NULL, &ns, &err), TY_EINVAL);
    CHECK_INT(ty_corr_timespan(TY_STR_LIT("0s"), &ns, &err), TY_EINVAL);
    CHECK_INT(ty_corr_timespan(TY_STR_LIT("-5m"), &ns, &err), TY_EINVAL);
    CHECK_INT(ty_corr_timespan(TY_STR_LIT(" 5m"), &ns, &err), TY_EINVAL);
    CHECK_INT(ty_corr_timespan(TY_STR_LIT("5 m"), &ns, &err), TY_EINVAL);
    CHECK_INT(ty_corr_timespan(TY_STR_LIT("m"), &ns, &err), TY_EINVAL);
    CHECK_INT(ty_corr_timespan(TY_STR_LIT("292y"), &ns, &err), 0);
    CHECK_INT(ty_corr_timespan(TY_STR_LIT("293y"), &ns, &err), TY_EINVAL); /* > int64 ns */
    CHECK_INT(ty_corr_timespan(TY_STR_LIT("99999999999999999999999s"), &ns, &err), TY_EINVAL);
}

static void test_new_errors(void)
{
    struct ty_corr_spec sp = {0};
    struct ty_corr *c = NULL;
    struct ty_err err = {0};
    sp.type = TY_CORR_EVENT_COUNT;
    sp.timespan_ns = S;
    sp.n_rules = 1;
    CHECK_INT(ty_corr_new(&c, &sp, 10, &err), TY_EINVAL); /* no condition */
    CHECK(strstr(err.msg, "condition") != NULL);
    sp.cond[0] = (struct ty_corr_cond){TY_OP_GTE, false, 3};
    sp.n_cond = 1;
    sp.n_rules = 0;
    CHECK_INT(ty_corr_new(&c, &sp, 10, &err), TY_EINVAL);
    sp.n_rules = 1;
    sp.timespan_ns = 0;
    CHECK_INT(ty_corr_new(&c, &sp, 10, &err), TY_EINVAL);
    sp.timespan_ns = S;
    sp.type = TY_CORR_VALUE_COUNT;
    CHECK_INT(ty_corr_new(&c, &sp, 10, &err), TY_EINVAL); /* no field */
    sp.has_field = true;
    sp.type = TY_CORR_VALUE_PERCENTILE;
    CHECK_INT(ty_corr_new(&c, &sp, 10, &err), TY_EINVAL); /* no percentile */
    sp.percentile = 101;
    CHECK_INT(ty_corr_new(&c, &sp, 10, &err), TY_EINVAL);
    sp.percentile = 95;
    CHECK_INT(ty_corr_new(&c, &sp, 10, &err), 0);
    CHECK(c != NULL);
    ty_corr_free(c);
    ty_corr_free(NULL);
}

static void test_event_count(void)
{
    struct rec r = {0};
    struct ty_corr *c = mk(TY_CORR_EVENT_COUNT, 10 * S, 1, "G", 3, 0, 100);
    feed(c, &r, 0, 0, "alice", NULL, 1);
    feed(c, &r, 1 * S, 0, "alice", NULL, 2);
    feed(c, &r, 2 * S, 0, "bob", NULL, 3);
    feed(c, &r, 2 * S, 0, "bob", NULL, 4);
    CHECK_INT(r.n, 0);
    feed(c, &r, 3 * S, 0, "alice", NULL, 5);
    CHECK_INT(r.n, 1);
    CHECK_STR(r.h[0].group, "alice");
    CHECK_INT(r.h[0].first, 0);
    CHECK_INT(r.h[0].last, 3 * S);
    CHECK(r.h[0].value == 3);
    CHECK_INT(r.h[0].n_refs, 3);
    CHECK_INT(r.h[0].refs[0], 1);
    CHECK_INT(r.h[0].refs[1], 2);
    CHECK_INT(r.h[0].refs[2], 5);
    /* once per window: the window restarts after the input that fired */
    feed(c, &r, 4 * S, 0, "alice", NULL, 6);
    feed(c, &r, 5 * S, 0, "alice", NULL, 7);
    CHECK_INT(r.n, 1);
    feed(c, &r, 6 * S, 0, "alice", NULL, 8);
    CHECK_INT(r.n, 2);
    CHECK_INT(r.h[1].first, 4 * S);
    CHECK_INT(r.h[1].refs[0], 6);
    ty_corr_free(c);

    /* bob at 2, 2 and 11 within 10 s: 11 - 2 = 9, so three: a hit */
    memset(&r, 0, sizeof(r));
    c = mk(TY_CORR_EVENT_COUNT, 10 * S, 1, "G", 3, 0, 100);
    feed(c, &r, 2 * S, 0, "bob", NULL, 3);
    feed(c, &r, 2 * S, 0, "bob", NULL, 4);
    feed(c, &r, 11 * S, 0, "bob", NULL, 9);
    CHECK_INT(r.n, 1);
    CHECK_STR(r.h[0].group, "bob");
    ty_corr_free(c);
}

/* An input exactly timespan before the newest one is inside, one ns more is
 * outside. */
static void test_window_edges(void)
{
    struct rec r = {0};
    struct ty_corr *c = mk(TY_CORR_EVENT_COUNT, 10 * S, 1, "G", 2, 0, 100);
    feed(c, &r, 0, 0, "in", NULL, 1);
    feed(c, &r, 0, 0, "out", NULL, 2);
    feed(c, &r, 10 * S, 0, "in", NULL, 3);
    CHECK_INT(r.n, 1);
    CHECK_STR(r.h[0].group, "in");
    CHECK_INT(r.h[0].first, 0);
    CHECK_INT(r.h[0].last, 10 * S);
    feed(c, &r, 10 * S + 1, 0, "out", NULL, 4);
    CHECK_INT(r.n, 1);
    ty_corr_free(c);

    /* settled windows use the same edge: [start, start + timespan] */
    memset(&r, 0, sizeof(r));
    c = mk(TY_CORR_EVENT_COUNT, 10 * S, 1, "e", 2, 0, 100);
    feed(c, &r, 0, 0, "in", NULL, 1);
    feed(c, &r, 0, 0, "out", NULL, 2);
    feed(c, &r, 10 * S, 0, "in", NULL, 3);
    feed(c, &r, 10 * S + 1, 0, "out", NULL, 4);
    CHECK_INT(ty_corr_flush(c, on_hit, &r), 0);
    CHECK_INT(r.n, 1);
    CHECK_STR(r.h[0].group, "in");
    CHECK(r.h[0].value == 2);
    ty_corr_free(c);
}

static void test_group_by(void)
{
    struct rec r = {0};
    struct ty_corr_spec sp = {0};
    struct ty_corr *c = NULL;
    struct ty_err err = {0};
    sp.type = TY_CORR_EVENT_COUNT;
    sp.timespan_ns = 60 * S;
    sp.n_rules = 1;
    sp.n_group = 2;
    sp.cond[0] = (struct ty_corr_cond){TY_OP_GTE, false, 2};
    sp.n_cond = 1;
    CHECK_INT(ty_corr_new(&c, &sp, 100, &err), 0);
    /* ("ab","c") and ("a","bc") differ; absent and empty differ */
    struct ty_str g1[2] = {TY_STR_LIT("ab"), TY_STR_LIT("c")};
    struct ty_str g2[2] = {TY_STR_LIT("a"), TY_STR_LIT("bc")};
    struct ty_str g3[2] = {TY_STR_NULL, TY_STR_LIT("x")};
    struct ty_str g4[2] = {TY_STR_LIT(""), TY_STR_LIT("x")};
    struct ty_corr_input in = {0, 0, g1, TY_STR_NULL, 1};
    CHECK_INT(ty_corr_feed(c, &in, on_hit, &r), 0);
    in.group = g2;
    CHECK_INT(ty_corr_feed(c, &in, on_hit, &r), 0);
    in.group = g3;
    CHECK_INT(ty_corr_feed(c, &in, on_hit, &r), 0);
    in.group = g4;
    CHECK_INT(ty_corr_feed(c, &in, on_hit, &r), 0);
    CHECK_INT(r.n, 0);
    in.group = g3;
    in.ts = S;
    in.ref = 7;
    CHECK_INT(ty_corr_feed(c, &in, on_hit, &r), 0);
    CHECK_INT(r.n, 1);
    CHECK_INT(r.h[0].refs[1], 7);
    struct ty_corr_stats st;
    ty_corr_get_stats(c, &st);
    CHECK_INT(st.groups, 4);
    CHECK_INT(st.inputs, 5);
    CHECK_INT(st.hits, 1);
    ty_corr_free(c);
}

static void test_value_count(void)
{
    struct rec r = {0};
    struct ty_corr *c = mk(TY_CORR_VALUE_COUNT, 10 * S, 1, "G", 3, 0, 100);
    feed(c, &r, 0, 0, "u", "x", 1);
    feed(c, &r, 1 * S, 0, "u", "x", 2);
    feed(c, &r, 2 * S, 0, "u", NULL, 3); /* absent: not a value */
    feed(c, &r, 5 * S, 0, "u", "y", 4);
    feed(c, &r, 12 * S, 0, "u", "x", 5); /* x at 0, 1 expired; x again now */
    CHECK_INT(r.n, 0);
    feed(c, &r, 13 * S, 0, "v", "z", 6); /* other group */
    CHECK_INT(r.n, 0);
    feed(c, &r, 14 * S, 0, "u", "z", 7);
    CHECK_INT(r.n, 1);
    CHECK_STR(r.h[0].group, "u");
    CHECK(r.h[0].value == 3);
    CHECK_INT(r.h[0].first, 5 * S); /* y's input opens the tightest window */
    CHECK_INT(r.h[0].n_refs, 3);    /* one input per distinct value, oldest first */
    CHECK_INT(r.h[0].refs[0], 4);
    CHECK_INT(r.h[0].refs[1], 5);
    CHECK_INT(r.h[0].refs[2], 7);
    struct ty_corr_stats st;
    ty_corr_get_stats(c, &st);
    CHECK_INT(st.ignored, 1);
    ty_corr_free(c);

    /* "" is a value; case matters (the caller folds if it wants) */
    memset(&r, 0, sizeof(r));
    c = mk(TY_CORR_VALUE_COUNT, 10 * S, 1, "G", 3, 0, 100);
    feed(c, &r, 0, 0, "u", "", 1);
    feed(c, &r, 0, 0, "u", "A", 2);
    feed(c, &r, 0, 0, "u", "a", 3);
    CHECK_INT(r.n, 1);
    ty_corr_free(c);
}

/* §11 case 40: temporal without condition needs every rule. */
static void test_temporal(void)
{
    struct rec r = {0};
    struct ty_corr *c = mk(TY_CORR_TEMPORAL, 10 * S, 2, "", 0, 0, 100);
    feed(c, &r, 0, 0, "u", NULL, 1);
    feed(c, &r, 1 * S, 0, "u", NULL, 2);
    feed(c, &r, 2 * S, 1, "w", NULL, 3); /* other group */
    CHECK_INT(r.n, 0);
    feed(c, &r, 12 * S, 1, "u", NULL, 4); /* rule 0's inputs left the window */
    CHECK_INT(r.n, 0);
    feed(c, &r, 13 * S, 0, "u", NULL, 5);
    CHECK_INT(r.n, 1);
    CHECK(r.h[0].value == 2);
    CHECK_INT(r.h[0].first, 12 * S);
    CHECK_INT(r.h[0].last, 13 * S);
    CHECK_INT(r.h[0].n_refs, 2);
    CHECK_INT(r.h[0].refs[0], 4);
    CHECK_INT(r.h[0].refs[1], 5);
    ty_corr_free(c);

    /* an explicit condition: 2 of 3 rules */
    memset(&r, 0, sizeof(r));
    c = mk(TY_CORR_TEMPORAL, 10 * S, 3, "G", 2, 0, 100);
    feed(c, &r, 0, 2, "u", NULL, 1);
    feed(c, &r, 0, 2, "u", NULL, 2);
    CHECK_INT(r.n, 0);
    feed(c, &r, 0, 0, "u", NULL, 3);
    CHECK_INT(r.n, 1);
    ty_corr_free(c);
}

static void test_temporal_ordered(void)
{
    struct rec r = {0};
    struct ty_corr *c = mk(TY_CORR_TEMPORAL_ORDERED, 10 * S, 3, "", 0, 0, 100);
    /* wrong order: c, b, a */
    feed(c, &r, 0, 2, "u", NULL, 1);
    feed(c, &r, 1 * S, 1, "u", NULL, 2);
    feed(c, &r, 2 * S, 0, "u", NULL, 3);
    CHECK_INT(r.n, 0);
    /* a b, then c: in order */
    feed(c, &r, 3 * S, 1, "u", NULL, 4);
    CHECK_INT(r.n, 0);
    feed(c, &r, 4 * S, 2, "u", NULL, 5);
    CHECK_INT(r.n, 1);
    CHECK(r.h[0].value == 3);
    CHECK_INT(r.h[0].first, 2 * S);
    CHECK_INT(r.h[0].last, 4 * S);
    CHECK_INT(r.h[0].n_refs, 3);
    CHECK_INT(r.h[0].refs[0], 3);
    CHECK_INT(r.h[0].refs[1], 4);
    CHECK_INT(r.h[0].refs[2], 5);
    /* in order but spread over more than the timespan */
    feed(c, &r, 20 * S, 0, "v", NULL, 6);
    feed(c, &r, 25 * S, 1, "v", NULL, 7);
    feed(c, &r, 30 * S + 1, 2, "v", NULL, 8);
    CHECK_INT(r.n, 1);
    /* a later a restarts the sequence: a(31) b(32) c(33) */
    feed(c, &r, 31 * S, 0, "v", NULL, 9);
    feed(c, &r, 32 * S, 1, "v", NULL, 10);
    feed(c, &r, 33 * S, 2, "v", NULL, 11);
    CHECK_INT(r.n, 2);
    CHECK_INT(r.h[1].first, 31 * S);
    CHECK_INT(r.h[1].refs[0], 9);
    /* only b then a: never */
    feed(c, &r, 40 * S, 1, "w", NULL, 12);
    feed(c, &r, 41 * S, 0, "w", NULL, 13);
    CHECK_INT(ty_corr_flush(c, on_hit, &r), 0);
    CHECK_INT(r.n, 2);
    ty_corr_free(c);

    /* a condition met by no rule at all still cites the input that fired */
    memset(&r, 0, sizeof(r));
    c = mk(TY_CORR_TEMPORAL_ORDERED, 10 * S, 2, "G", 0, 0, 100);
    feed(c, &r, 0, 1, "u", NULL, 42);
    CHECK_INT(r.n, 1);
    CHECK(r.h[0].value == 0);
    CHECK_INT(r.h[0].n_refs, 1);
    CHECK_INT(r.h[0].refs[0], 42);
    ty_corr_free(c);
}

static void test_value_sum(void)
{
    struct rec r = {0};
    struct ty_corr *c = mk(TY_CORR_VALUE_SUM, 60 * S, 1, "G", 100, 0, 100);
    feed(c, &r, 0, 0, "u", "40", 1);
    feed(c, &r, 1 * S, 0, "u", "oops", 2);
    feed(c, &r, 2 * S, 0, "u", "50.5", 3);
    feed(c, &r, 3 * S, 0, "u", "0x10", 4); /* not a decimal number */
    CHECK_INT(r.n, 0);
    feed(c, &r, 70 * S, 0, "u", "60", 5); /* 40 and 50.5 expired */
    CHECK_INT(r.n, 0);
    feed(c, &r, 71 * S, 0, "u", "4e1", 6);
    CHECK_INT(r.n, 1);
    CHECK(r.h[0].value == 100);
    CHECK_INT(r.h[0].first, 70 * S);
    CHECK_INT(r.h[0].n_refs, 2);
    struct ty_corr_stats st;
    ty_corr_get_stats(c, &st);
    CHECK_INT(st.ignored, 2);
    ty_corr_free(c);
}

/* value_avg is settled: tested when the window is complete. */
static void test_value_avg(void)
{
    struct rec r = {0};
    struct ty_corr *c = mk(TY_CORR_VALUE_AVG, 10 * S, 1, "g", 10, 0, 100);
    feed(c, &r, 0, 0, "u", "5", 1);
    feed(c, &r, 1 * S, 0, "u", "20", 2);  /* avg 12.5, but the window is open */
    feed(c, &r, 2 * S, 0, "w", "100", 3); /* avg 100 */
    feed(c, &r, 3 * S, 0, "w", "1", 4);   /* avg 50.5 */
    feed(c, &r, 5 * S, 0, "u", "2", 5);   /* avg 9: no */
    CHECK_INT(r.n, 0);
    /* an input of another group past u's window end settles u (sweep) */
    feed(c, &r, 16 * S, 0, "x", "1", 6);
    CHECK_INT(r.n, 1);
    CHECK_STR(r.h[0].group, "w");
    CHECK(r.h[0].value == 50.5);
    CHECK_INT(r.h[0].first, 2 * S);
    CHECK_INT(r.h[0].last, 3 * S);
    CHECK_INT(r.h[0].n_refs, 2);
    /* u: 5, 20 then 2 -> avg 9 */
    feed(c, &r, 17 * S, 0, "u", "11", 7);
    feed(c, &r, 17 * S, 0, "u", "not a number", 8);
    CHECK_INT(ty_corr_flush(c, on_hit, &r), 0);
    CHECK_INT(r.n, 2);
    CHECK_STR(r.h[1].group, "u");
    CHECK(r.h[1].value == 11);
    CHECK_INT(r.h[1].n_refs, 2); /* refs cite every input of the window */
    ty_corr_free(c);
}

static void test_value_percentile(void)
{
    struct rec r = {0};
    struct ty_corr *c = mk(TY_CORR_VALUE_PERCENTILE, 10 * S, 1, "G", 10, 0, 100);
    const char *a[] = {"1", "2", "3", "100"};
    const char *b[] = {"30", "10", "20", "x"};
    for (int i = 0; i < 4; i++) {
        feed(c, &r, i * S, 0, "a", a[i], i);
        feed(c, &r, i * S, 0, "b", b[i], 10 + i);
    }
    CHECK_INT(r.n, 0);
    CHECK_INT(ty_corr_flush(c, on_hit, &r), 0);
    CHECK_INT(r.n, 1); /* a: median 2.5; b: median of 10 20 30 = 20 */
    CHECK_STR(r.h[0].group, "b");
    CHECK(r.h[0].value == 20);
    ty_corr_free(c);

    /* interpolation: 90th percentile of 1..10 is 9.1 */
    struct ty_corr_spec sp = {0};
    struct ty_err err = {0};
    memset(&r, 0, sizeof(r));
    sp.type = TY_CORR_VALUE_PERCENTILE;
    sp.timespan_ns = 100 * S;
    sp.n_rules = 1;
    sp.has_field = true;
    sp.percentile = 90;
    sp.cond[0] = (struct ty_corr_cond){TY_OP_GT, false, 9};
    sp.n_cond = 1;
    CHECK_INT(ty_corr_new(&c, &sp, 10, &err), 0);
    for (int i = 10; i >= 1; i--) {
        char v[8];
        snprintf(v, sizeof(v), "%d", i);
        struct ty_corr_input in = {(10 - i) * S, 0, NULL, ty_str_cstr(v), i};
        CHECK_INT(ty_corr_feed(c, &in, on_hit, &r), 0);
    }
    CHECK_INT(ty_corr_flush(c, on_hit, &r), 0);
    CHECK_INT(r.n, 1);
    CHECK(r.h[0].value > 9.0999 && r.h[0].value < 9.1001);
    ty_corr_free(c);
}

/* §11 case 41: a range (gt 2, lte 4) is accepted and AND-ed; it is settled. */
static void test_range_and_lt(void)
{
    struct rec r = {0};
    struct ty_corr *c = mk(TY_CORR_EVENT_COUNT, 10 * S, 1, "gL", 2, 4, 100);
    for (int i = 0; i < 6; i++) {
        if (i < 3)
            feed(c, &r, i * S, 0, "three", NULL, i);
        feed(c, &r, i * S, 0, "six", NULL, 10 + i);
        if (i < 2)
            feed(c, &r, i * S, 0, "two", NULL, 20 + i);
    }
    CHECK_INT(r.n, 0); /* nothing is tested before the window ends */
    feed(c, &r, 11 * S, 0, "other", NULL, 30);
    CHECK_INT(r.n, 1);
    CHECK_STR(r.h[0].group, "three");
    CHECK(r.h[0].value == 3);
    CHECK_INT(r.h[0].first, 0);
    CHECK_INT(r.h[0].last, 2 * S);
    ty_corr_free(c);

    /* lt: quiet groups fire, busy ones do not, and not at their first input */
    memset(&r, 0, sizeof(r));
    c = mk(TY_CORR_EVENT_COUNT, 10 * S, 1, "l", 3, 0, 100);
    feed(c, &r, 0, 0, "quiet", NULL, 1);
    CHECK_INT(r.n, 0);
    for (int i = 0; i < 5; i++)
        feed(c, &r, i * S, 0, "busy", NULL, 10 + i);
    CHECK_INT(ty_corr_flush(c, on_hit, &r), 0);
    CHECK_INT(r.n, 1);
    CHECK_STR(r.h[0].group, "quiet");
    ty_corr_free(c);

    /* eq and neq */
    memset(&r, 0, sizeof(r));
    c = mk(TY_CORR_VALUE_COUNT, 10 * S, 1, "e", 2, 0, 100);
    feed(c, &r, 0, 0, "one", "a", 1);
    feed(c, &r, 0, 0, "two", "a", 2);
    feed(c, &r, 0, 0, "two", "b", 3);
    CHECK_INT(ty_corr_flush(c, on_hit, &r), 0);
    CHECK_INT(r.n, 1);
    CHECK_STR(r.h[0].group, "two");
    ty_corr_free(c);
    memset(&r, 0, sizeof(r));
    c = mk(TY_CORR_VALUE_COUNT, 10 * S, 1, "n", 2, 0, 100);
    feed(c, &r, 0, 0, "one", "a", 1);
    feed(c, &r, 0, 0, "two", "a", 2);
    feed(c, &r, 0, 0, "two", "b", 3);
    CHECK_INT(ty_corr_flush(c, on_hit, &r), 0);
    CHECK_INT(r.n, 1);
    CHECK_STR(r.h[0].group, "one");
    ty_corr_free(c);
}

static void test_out_of_order(void)
{
    struct rec r = {0};
    struct ty_corr *c = mk(TY_CORR_EVENT_COUNT, 10 * S, 1, "G", 2, 0, 100);
    CHECK_INT(feed(c, &r, 10 * S, 0, "u", NULL, 1), 0);
    CHECK_INT(feed(c, &r, 10 * S, 0, "v", NULL, 2), 0); /* equal ts is fine */
    CHECK_INT(feed(c, &r, 9 * S, 0, "u", NULL, 3), TY_EINVAL);
    CHECK(strstr(ty_corr_errmsg(c), "back in time") != NULL);
    CHECK_INT(r.n, 0); /* the bad input was not counted */
    CHECK_INT(feed(c, &r, 10 * S, 5, "u", NULL, 4), TY_EINVAL); /* no such rule */
    CHECK_INT(feed(c, &r, 11 * S, 0, "u", NULL, 5), 0);
    CHECK_INT(r.n, 1);
    ty_corr_free(c);
}

static int stop_hit(void *arg, const struct ty_corr_hit *hit)
{
    (void)hit;
    (*(int *)arg)++;
    return TY_STOP;
}

static void test_callback_rc(void)
{
    int n = 0;
    struct ty_corr *c = mk(TY_CORR_EVENT_COUNT, 10 * S, 1, "G", 1, 0, 100);
    struct ty_str g = TY_STR_LIT("u");
    struct ty_corr_input in = {0, 0, &g, TY_STR_NULL, 1};
    CHECK_INT(ty_corr_feed(c, &in, stop_hit, &n), TY_STOP);
    CHECK_INT(n, 1);
    CHECK_INT(ty_corr_feed(c, &in, stop_hit, &n), TY_STOP);
    CHECK_INT(n, 2);
    ty_corr_free(c);
}

static void test_eviction(void)
{
    struct rec r = {0};
    struct ty_corr *c = mk(TY_CORR_EVENT_COUNT, 60 * S, 1, "G", 2, 0, 2);
    feed(c, &r, 0, 0, "a", NULL, 1);
    feed(c, &r, 1 * S, 0, "b", NULL, 2);
    feed(c, &r, 2 * S, 0, "c", NULL, 3); /* evicts a, the least recently seen */
    CHECK_INT(ty_corr_evicted(c), 1);
    feed(c, &r, 3 * S, 0, "b", NULL, 4); /* b survived: hit */
    CHECK_INT(r.n, 1);
    CHECK_STR(r.h[0].group, "b");
    feed(c, &r, 4 * S, 0, "a", NULL, 5); /* a starts again (evicts c) */
    CHECK_INT(r.n, 1);
    CHECK_INT(ty_corr_evicted(c), 2);
    feed(c, &r, 5 * S, 0, "a", NULL, 6);
    CHECK_INT(r.n, 2);
    CHECK_INT(r.h[1].first, 4 * S);
    /* b emptied by its hit: making room by dropping it loses nothing */
    feed(c, &r, 6 * S, 0, "f", NULL, 9);
    CHECK_INT(ty_corr_evicted(c), 2);
    /* groups whose inputs all expired are dropped, not evicted */
    feed(c, &r, 200 * S, 0, "d", NULL, 7);
    feed(c, &r, 201 * S, 0, "e", NULL, 8);
    CHECK_INT(ty_corr_evicted(c), 2);
    struct ty_corr_stats st;
    ty_corr_get_stats(c, &st);
    CHECK_INT(st.groups, 2);
    ty_corr_free(c);
}

/* Settled windows at eviction: a complete window is tested first (not
 * counted), an incomplete one is lost (counted). */
static void test_eviction_settled(void)
{
    struct rec r = {0};
    struct ty_corr *c = mk(TY_CORR_EVENT_COUNT, 10 * S, 1, "l", 5, 0, 2);
    feed(c, &r, 0, 0, "a", NULL, 1);
    feed(c, &r, 1 * S, 0, "b", NULL, 2);
    feed(c, &r, 2 * S, 0, "c", NULL, 3); /* a's window [0, 10] is open: lost */
    CHECK_INT(ty_corr_evicted(c), 1);
    CHECK_INT(r.n, 0);
    feed(c, &r, 12 * S + 1, 0, "d", NULL, 4); /* b's and c's windows ended: both tested */
    CHECK_INT(r.n, 2);
    CHECK_STR(r.h[0].group, "b");
    CHECK_STR(r.h[1].group, "c");
    CHECK_INT(ty_corr_evicted(c), 1);
    CHECK_INT(ty_corr_flush(c, on_hit, &r), 0);
    CHECK_INT(r.n, 3);
    CHECK_STR(r.h[2].group, "d");
    ty_corr_free(c);
}

static void test_caps(void)
{
    struct ty_corr_spec sp = {0};
    struct ty_corr *c = NULL;
    struct ty_err err = {0};
    struct rec r = {0};
    struct ty_corr_stats st;
    /* event_count stays exact past the per-group cap (4 kept entries) */
    sp.type = TY_CORR_EVENT_COUNT;
    sp.timespan_ns = 100 * S;
    sp.n_rules = 1;
    sp.cond[0] = (struct ty_corr_cond){TY_OP_GTE, false, 10};
    sp.n_cond = 1;
    sp.max_keep = 4;
    CHECK_INT(ty_corr_new(&c, &sp, 10, &err), 0);
    for (int i = 0; i < 10; i++) {
        struct ty_corr_input in = {i * S, 0, NULL, TY_STR_NULL, 100 + i};
        CHECK_INT(ty_corr_feed(c, &in, on_hit, &r), 0);
        CHECK_INT(r.n, i == 9 ? 1 : 0);
    }
    CHECK(r.h[0].value == 10);
    CHECK_INT(r.h[0].first, 0);
    CHECK(r.h[0].n_refs <= 4 && r.h[0].n_refs >= 1);
    CHECK_INT(r.h[0].refs[0], 100);
    ty_corr_get_stats(c, &st);
    CHECK(st.capped > 0);
    CHECK(st.items <= 4);
    ty_corr_free(c);

    /* refs: at most 64, the earliest */
    memset(&r, 0, sizeof(r));
    sp.max_keep = 0;
    sp.cond[0].num = 100;
    CHECK_INT(ty_corr_new(&c, &sp, 10, &err), 0);
    for (int i = 0; i < 100; i++) {
        struct ty_corr_input in = {i, 0, NULL, TY_STR_NULL, 1000 + i};
        CHECK_INT(ty_corr_feed(c, &in, on_hit, &r), 0);
    }
    CHECK_INT(r.n, 1);
    CHECK_INT(r.h[0].n_refs, 64);
    CHECK_INT(r.h[0].refs[0], 1000);
    CHECK_INT(r.h[0].refs[63], 1063);
    ty_corr_free(c);

    /* value_count: the distinct count saturates at the cap */
    memset(&r, 0, sizeof(r));
    sp.type = TY_CORR_VALUE_COUNT;
    sp.has_field = true;
    sp.max_keep = 8;
    sp.cond[0].num = 9;
    CHECK_INT(ty_corr_new(&c, &sp, 10, &err), 0);
    for (int i = 0; i < 50; i++) {
        char v[16];
        snprintf(v, sizeof(v), "v%d", i);
        struct ty_corr_input in = {i, 0, NULL, ty_str_cstr(v), i};
        CHECK_INT(ty_corr_feed(c, &in, on_hit, &r), 0);
    }
    CHECK_INT(r.n, 0);
    ty_corr_get_stats(c, &st);
    CHECK(st.items <= 8);
    CHECK(st.capped > 0);
    ty_corr_free(c);

    /* max_items: the least recently seen groups go when the total passes it */
    memset(&r, 0, sizeof(r));
    sp.max_keep = 8;
    sp.max_items = 20;
    sp.n_group = 1;
    CHECK_INT(ty_corr_new(&c, &sp, 1000, &err), 0);
    for (int i = 0; i < 400; i++) {
        char v[16], gname[16];
        snprintf(v, sizeof(v), "v%d", i);
        snprintf(gname, sizeof(gname), "g%d", i % 10);
        struct ty_str g = ty_str_cstr(gname);
        struct ty_corr_input in = {i, 0, &g, ty_str_cstr(v), i};
        CHECK_INT(ty_corr_feed(c, &in, on_hit, &r), 0);
        ty_corr_get_stats(c, &st);
        CHECK(st.items <= 20);
    }
    CHECK(ty_corr_evicted(c) > 0);
    ty_corr_free(c);
}

/* The percentile reservoir: past the cap the value is estimated from a
 * uniform sample. */
static void test_percentile_cap(void)
{
    struct ty_corr_spec sp = {0};
    struct ty_corr *c = NULL;
    struct ty_err err = {0};
    struct rec r = {0};
    sp.type = TY_CORR_VALUE_PERCENTILE;
    sp.timespan_ns = 3600 * S;
    sp.n_rules = 1;
    sp.has_field = true;
    sp.percentile = 50;
    sp.cond[0] = (struct ty_corr_cond){TY_OP_GTE, false, 0};
    sp.n_cond = 1;
    sp.max_keep = 1000;
    CHECK_INT(ty_corr_new(&c, &sp, 10, &err), 0);
    for (int i = 0; i < 100000; i++) {
        char v[16];
        snprintf(v, sizeof(v), "%d", (i * 7919) % 100000);
        struct ty_corr_input in = {i, 0, NULL, ty_str_cstr(v), i};
        CHECK_INT(ty_corr_feed(c, &in, on_hit, &r), 0);
    }
    CHECK_INT(ty_corr_flush(c, on_hit, &r), 0);
    CHECK_INT(r.n, 1);
    CHECK(r.h[0].value > 45000 && r.h[0].value < 55000);
    ty_corr_free(c);
}

static long peak_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

/* 10 million inputs over 50,000 groups and ever new values: memory stays
 * under the caps. getrusage is a sanity bound, not a measurement. */
static void test_ten_million(void)
{
    struct ty_corr_spec sp = {0};
    struct ty_corr *c = NULL;
    struct ty_err err = {0};
    struct ty_corr_stats st;
    int hits = 0;
    long before = peak_kb();
    sp.type = TY_CORR_VALUE_COUNT;
    sp.timespan_ns = 3600 * S;
    sp.n_rules = 2;
    sp.n_group = 1;
    sp.has_field = true;
    sp.cond[0] = (struct ty_corr_cond){TY_OP_GTE, false, 1e9};
    sp.n_cond = 1;
    sp.max_keep = 1000;
    sp.max_items = 200000;
    CHECK_INT(ty_corr_new(&c, &sp, 10000, &err), 0);
    uint64_t x = 88172645463325252ULL;
    for (uint32_t i = 0; i < 10000000; i++) {
        char gname[16], v[24];
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        snprintf(gname, sizeof(gname), "user%u", (unsigned)(x % 50000));
        snprintf(v, sizeof(v), "%llx", (unsigned long long)(x >> 20));
        struct ty_str g = ty_str_cstr(gname);
        struct ty_corr_input in = {(int64_t)i * 1000, i & 1, &g, ty_str_cstr(v), i};
        if (ty_corr_feed(c, &in, stop_hit, &hits) != 0) {
            CHECK(0);
            break;
        }
    }
    ty_corr_get_stats(c, &st);
    CHECK_INT(hits, 0);
    CHECK_INT(st.inputs, 10000000);
    CHECK(st.groups <= 10000);
    CHECK(st.items <= 200000);
    CHECK(ty_corr_evicted(c) > 0);
    ty_corr_free(c);
    long grew = peak_kb() - before, bound = 64 * 1024;
#if defined(__SANITIZE_ADDRESS__)
    bound = 1024 * 1024; /* ASan's shadow and its 256 MiB quarantine of freed blocks */
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
    bound = 1024 * 1024;
#endif
#endif
    if (getenv("TY_TEST_VERBOSE"))
        fprintf(stderr, "  ten_million: peak RSS grew by %ld KiB\n", grew);
    if (grew > bound)
        ty_test_fail(__FILE__, __LINE__, "peak RSS grew by %ld KiB (bound %ld KiB)", grew, bound);
}

void test_sigma_correlate(void);
void test_sigma_correlate(void)
{
    test_timespan();
    test_new_errors();
    test_event_count();
    test_window_edges();
    test_group_by();
    test_value_count();
    test_temporal();
    test_temporal_ordered();
    test_value_sum();
    test_value_avg();
    test_value_percentile();
    test_range_and_lt();
    test_out_of_order();
    test_callback_rc();
    test_eviction();
    test_eviction_settled();
    test_caps();
    test_percentile_cap();
    test_ten_million();
}
