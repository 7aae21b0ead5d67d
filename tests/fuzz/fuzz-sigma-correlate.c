/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz-sigma-correlate.c - libFuzzer target for the correlation engine,
 * checked against a naive model. Bytes 0-4 choose the type, the rules, the
 * operators and the timespan; then every 4 bytes are one input (time step,
 * rule, group, value). With caps out of reach the hits must equal those of
 * an O(n^2) re-computation of sigma-correlate's window model; a second run
 * with tiny caps must keep its bounds and never crash. A 6th header byte,
 * when the input is short, is also tried as a timespan text.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sigma/sigma-int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ENSURE(x)                                                                                  \
    do {                                                                                           \
        if (!(x)) {                                                                                \
            fprintf(stderr, "fuzz-sigma-correlate: %s:%d: invariant failed: %s\n", __FILE__,      \
                    __LINE__, #x);                                                                 \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

#define MAX_IN 1024
#define N_GROUPS 4
#define MAX_HITS (2 * MAX_IN + 8)

static const char *const values[] = {"1", "2", "3", "10", "-4", "x", NULL, ""};

struct in {
    int64_t ts;
    uint32_t rule, group, value;
};

struct hit {
    uint32_t group;
    int64_t first, last;
    double value;
    size_t n_refs;
};

struct hits {
    struct hit h[MAX_HITS];
    size_t n;
    const struct ty_str *names;
    int64_t span;
};

static int on_hit(void *arg, const struct ty_corr_hit *h)
{
    struct hits *hs = arg;
    ENSURE(hs->n < MAX_HITS);
    ENSURE(h->group != NULL);
    ENSURE(h->first <= h->last);
    ENSURE(h->last - h->first <= hs->span);
    ENSURE(h->n_refs >= 1 && h->n_refs <= 64);
    uint32_t g = 0;
    while (g < N_GROUPS && !ty_str_eq(h->group[0], hs->names[g]))
        g++;
    ENSURE(g < N_GROUPS);
    hs->h[hs->n++] = (struct hit){g, h->first, h->last, h->value, h->n_refs};
    return 0;
}

static bool holds(const struct ty_corr_spec *sp, double v)
{
    uint32_t n = sp->n_cond;
    struct ty_corr_cond dflt = {TY_OP_GTE, false, (double)sp->n_rules};
    const struct ty_corr_cond *cs = n ? sp->cond : &dflt;
    for (uint32_t i = 0; i < (n ? n : 1); i++) {
        double k = cs[i].num;
        bool ok = cs[i].neq ? v != k
                  : cs[i].op == TY_OP_EQ ? v == k
                  : cs[i].op == TY_OP_GT ? v > k
                  : cs[i].op == TY_OP_GTE ? v >= k
                  : cs[i].op == TY_OP_LT ? v < k
                                         : v <= k;
        if (!ok)
            return false;
    }
    return true;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static bool numeric(uint32_t v, double *x)
{
    if (v > 4)
        return false;
    *x = strtod(values[v], NULL);
    return true;
}

/* The aggregate of inputs idx[0..n) (one group, in feed order): returns
 * false when there is none (average of nothing). */
static bool model_value(const struct ty_corr_spec *sp, const struct in *ins, const size_t *idx,
                        size_t n, double *out)
{
    double nums[MAX_IN], sum = 0;
    size_t nn = 0;
    switch (sp->type) {
    case TY_CORR_EVENT_COUNT:
        *out = (double)n;
        return true;
    case TY_CORR_VALUE_COUNT: {
        bool seen[8] = {false};
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            uint32_t v = ins[idx[i]].value;
            if (values[v] && !seen[v])
                seen[v] = true, k++;
        }
        *out = (double)k;
        return true;
    }
    case TY_CORR_TEMPORAL: {
        bool seen[4] = {false};
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            if (!seen[ins[idx[i]].rule])
                seen[ins[idx[i]].rule] = true, k++;
        *out = (double)k;
        return true;
    }
    case TY_CORR_TEMPORAL_ORDERED: {
        uint32_t k = 0; /* greedy: the longest in-order prefix */
        for (size_t i = 0; i < n && k < sp->n_rules; i++)
            if (ins[idx[i]].rule == k)
                k++;
        *out = k;
        return true;
    }
    default:
        break;
    }
    for (size_t i = 0; i < n; i++) {
        double x;
        if (numeric(ins[idx[i]].value, &x))
            nums[nn++] = x, sum += x;
    }
    if (sp->type == TY_CORR_VALUE_SUM) {
        *out = sum;
        return true;
    }
    if (!nn)
        return false;
    if (sp->type == TY_CORR_VALUE_AVG) {
        *out = sum / (double)nn;
        return true;
    }
    qsort(nums, nn, sizeof(double), cmp_d);
    double rank = sp->percentile / 100.0 * (double)(nn - 1);
    size_t lo = (size_t)floor(rank);
    *out = lo >= nn - 1 ? nums[nn - 1] : nums[lo] + (rank - (double)lo) * (nums[lo + 1] - nums[lo]);
    return true;
}

static bool rising(const struct ty_corr_spec *sp)
{
    if (sp->type == TY_CORR_VALUE_AVG || sp->type == TY_CORR_VALUE_PERCENTILE)
        return false;
    for (uint32_t i = 0; i < sp->n_cond; i++)
        if (sp->cond[i].neq || (sp->cond[i].op != TY_OP_GT && sp->cond[i].op != TY_OP_GTE))
            return false;
    return true;
}

/* The hits of the window model, recomputed from scratch. */
static void model(const struct ty_corr_spec *sp, const struct in *ins, size_t n, struct hits *hs)
{
    static size_t win[N_GROUPS][MAX_IN];
    size_t nw[N_GROUPS] = {0};
    int64_t start[N_GROUPS] = {0};
    bool rise = rising(sp);
    hs->n = 0;
    for (size_t i = 0; i <= n; i++) {
        for (uint32_t g = 0; g < N_GROUPS && !rise; g++) {
            /* settled: windows that end before this input (or at the end) */
            if (!nw[g] || (i < n && ins[i].ts - start[g] <= sp->timespan_ns))
                continue;
            double v;
            if (model_value(sp, ins, win[g], nw[g], &v) && holds(sp, v))
                hs->h[hs->n++] = (struct hit){g, start[g], ins[win[g][nw[g] - 1]].ts, v, 0};
            nw[g] = 0;
        }
        if (i == n)
            break;
        uint32_t g = ins[i].group;
        if (!rise) {
            if (!nw[g])
                start[g] = ins[i].ts;
            win[g][nw[g]++] = i;
            continue;
        }
        /* rising: drop what left the window, add, test */
        size_t k = 0;
        for (size_t j = 0; j < nw[g]; j++)
            if (ins[i].ts - ins[win[g][j]].ts <= sp->timespan_ns)
                win[g][k++] = win[g][j];
        nw[g] = k;
        /* an ignored value (absent, not a number) adds nothing and is not tested */
        if (sp->type == TY_CORR_VALUE_SUM && !numeric(ins[i].value, &(double){0}))
            continue;
        if (sp->type == TY_CORR_VALUE_COUNT && !values[ins[i].value])
            continue;
        win[g][nw[g]++] = i;
        double v;
        if (model_value(sp, ins, win[g], nw[g], &v) && holds(sp, v)) {
            hs->h[hs->n++] = (struct hit){g, 0, ins[i].ts, v, 0};
            nw[g] = 0;
        }
    }
}

static int cmp_hit(const void *a, const void *b)
{
    const struct hit *x = a, *y = b;
    if (x->last != y->last)
        return x->last < y->last ? -1 : 1;
    return (x->group > y->group) - (x->group < y->group);
}

static void run(const struct ty_corr_spec *sp, const struct in *ins, size_t n, size_t max_groups,
                struct hits *hs)
{
    struct ty_corr *c = NULL;
    struct ty_err err = {0};
    struct ty_corr_stats st;
    ENSURE(ty_corr_new(&c, sp, max_groups, &err) == 0);
    hs->n = 0;
    for (size_t i = 0; i < n; i++) {
        struct ty_str g = hs->names[ins[i].group];
        struct ty_corr_input in = {ins[i].ts, ins[i].rule, &g, ty_str_cstr(values[ins[i].value]),
                                   (int64_t)i};
        ENSURE(ty_corr_feed(c, &in, on_hit, hs) == 0);
        ty_corr_get_stats(c, &st);
        ENSURE(st.groups <= max_groups);
        ENSURE(st.items <= (sp->max_items ? sp->max_items : 4000000));
    }
    /* time going back is refused and changes nothing */
    if (n && ins[n - 1].ts > 0) {
        struct ty_str g = hs->names[0];
        struct ty_corr_input in = {ins[n - 1].ts - 1, 0, &g, TY_STR_NULL, -1};
        size_t before = hs->n;
        ENSURE(ty_corr_feed(c, &in, on_hit, hs) == TY_EINVAL);
        ENSURE(hs->n == before);
        ENSURE(ty_corr_errmsg(c)[0] != '\0');
    }
    ENSURE(ty_corr_flush(c, on_hit, hs) == 0);
    ty_corr_get_stats(c, &st);
    ENSURE(st.groups == 0 && st.items == 0);
    ty_corr_free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct in ins[MAX_IN];
    static struct hits got, want;
    static const struct ty_str names[N_GROUPS] = {
        TY_STR_LIT("alice"), TY_STR_LIT("bob"), TY_STR_LIT(""), TY_STR_LIT("carol")};
    struct ty_corr_spec sp = {0};
    size_t n = 0;
    if (size < 5)
        return 0;
    if (size < 16) {
        int64_t ns;
        struct ty_err err = {0};
        if (ty_corr_timespan(ty_str_make((const char *)data, size), &ns, &err) == 0)
            ENSURE(ns > 0);
        else
            ENSURE(err.msg[0] != '\0');
    }
    sp.type = (enum ty_corr_type)(1 + data[0] % 7);
    sp.n_rules = 1 + (data[0] >> 4) % 3;
    sp.n_group = 1;
    sp.has_field = true;
    sp.percentile = 1 + data[3] % 100;
    sp.timespan_ns = 1 + data[4] % 16;
    static const enum ty_cmp_op ops[] = {TY_OP_GT, TY_OP_GTE, TY_OP_LT, TY_OP_LTE, TY_OP_EQ,
                                         TY_OP_EQ};
    bool temporal = sp.type == TY_CORR_TEMPORAL || sp.type == TY_CORR_TEMPORAL_ORDERED;
    uint32_t n_cond = temporal ? (data[1] >> 6) % 3 : 1 + (data[1] >> 6) % 2;
    for (uint32_t i = 0; i < n_cond; i++) {
        uint8_t b = i ? data[1] >> 3 : data[1];
        sp.cond[i] = (struct ty_corr_cond){ops[b % 6], b % 6 == 5, (double)(data[2 + i] % 9)};
    }
    sp.n_cond = n_cond;
    int64_t ts = 0;
    for (size_t p = 5; p + 4 <= size && n < MAX_IN; p += 4) {
        ts += data[p] % 4 == 0 ? 0 : data[p] % 8;
        ins[n++] = (struct in){ts, data[p + 1] % sp.n_rules, data[p + 2] % N_GROUPS,
                               data[p + 3] % 8};
    }
    got.names = want.names = names;
    got.span = want.span = sp.timespan_ns;
    run(&sp, ins, n, 1000, &got);
    model(&sp, ins, n, &want);
    ENSURE(got.n == want.n);
    qsort(got.h, got.n, sizeof(got.h[0]), cmp_hit);
    qsort(want.h, want.n, sizeof(want.h[0]), cmp_hit);
    for (size_t i = 0; i < got.n; i++) {
        ENSURE(got.h[i].group == want.h[i].group);
        ENSURE(got.h[i].last == want.h[i].last);
        ENSURE(got.h[i].value == want.h[i].value);
        if (!rising(&sp))
            ENSURE(got.h[i].first == want.h[i].first);
    }
    /* tiny caps and 2 groups: bounded, no crash */
    sp.max_keep = 2;
    sp.max_items = 4;
    got.names = names;
    run(&sp, ins, n, 2, &got);
    return 0;
}
