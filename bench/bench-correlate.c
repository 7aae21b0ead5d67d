/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench-correlate.c - inputs per second of the Sigma correlation engine, one
 * line per correlation type: N inputs (argv[1] millions, default 5) over G
 * groups (argv[2], default 10,000) with random values, pre-generated so only
 * ty_corr_feed is timed (thread CPU time, best of 3 rounds).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sigma/sigma-int.h"

#include "bench-util.h"

struct in_rec {
    uint32_t group;
    uint32_t rule;
    uint32_t value;
};

static int count_hit(void *arg, const struct ty_corr_hit *hit)
{
    (void)hit;
    (*(uint64_t *)arg)++;
    return 0;
}

int main(int argc, char **argv)
{
    size_t n = (size_t)(argc > 1 ? strtod(argv[1], NULL) * 1e6 : 5e6);
    uint32_t n_groups = argc > 2 ? (uint32_t)strtoul(argv[2], NULL, 10) : 10000;
    struct in_rec *ins = malloc(n * sizeof(*ins));
    char(*gnames)[16] = malloc((size_t)n_groups * sizeof(*gnames));
    char(*vnames)[16] = malloc(4096 * sizeof(*vnames));
    uint64_t x = UINT64_C(0x9e3779b97f4a7c15);
    if (!ins || !gnames || !vnames || n_groups == 0)
        return 1;
    for (uint32_t i = 0; i < n_groups; i++)
        snprintf(gnames[i], sizeof(gnames[i]), "user%u", i);
    for (uint32_t i = 0; i < 4096; i++)
        snprintf(vnames[i], sizeof(vnames[i]), "%u", i);
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        ins[i] = (struct in_rec){(uint32_t)(x % n_groups), (uint32_t)(x >> 32) % 3,
                                 (uint32_t)(x >> 40) % 4096};
    }
    static const struct {
        const char *name;
        enum ty_corr_type type;
        enum ty_cmp_op op;
        double num;
    } cases[] = {
        {"event_count gte 50", TY_CORR_EVENT_COUNT, TY_OP_GTE, 50},
        {"event_count lt 5 (settled)", TY_CORR_EVENT_COUNT, TY_OP_LT, 5},
        {"value_count gte 20", TY_CORR_VALUE_COUNT, TY_OP_GTE, 20},
        {"temporal (3 rules)", TY_CORR_TEMPORAL, TY_OP_GTE, 3},
        {"temporal_ordered (3 rules)", TY_CORR_TEMPORAL_ORDERED, TY_OP_GTE, 3},
        {"value_sum gte 100000", TY_CORR_VALUE_SUM, TY_OP_GTE, 100000},
        {"value_avg gt 3000 (settled)", TY_CORR_VALUE_AVG, TY_OP_GT, 3000},
        {"value_percentile 95 gt 4000", TY_CORR_VALUE_PERCENTILE, TY_OP_GT, 4000},
    };
    printf("| correlation | inputs/s | hits | live groups |\n|---|---:|---:|---:|\n");
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        double best = 0;
        uint64_t hits = 0;
        size_t groups = 0;
        for (int round = 0; round < 3; round++) {
            struct ty_corr_spec sp = {0};
            struct ty_corr *c = NULL;
            struct ty_err err = {0};
            sp.type = cases[k].type;
            sp.timespan_ns = INT64_C(600) * 1000000000; /* 10 minutes */
            sp.n_rules = 3;
            sp.n_group = 1;
            sp.has_field = true;
            sp.percentile = 95;
            sp.cond[0] = (struct ty_corr_cond){cases[k].op, false, cases[k].num};
            sp.n_cond = 1;
            if (ty_corr_new(&c, &sp, 100000, &err) != 0) {
                fprintf(stderr, "bench-correlate: %s\n", err.msg);
                return 1;
            }
            hits = 0;
            double t0 = bench_thread_cpu();
            for (size_t i = 0; i < n; i++) {
                struct ty_str g = ty_str_cstr(gnames[ins[i].group]);
                /* 10 ms apart: N million inputs span N * 10,000 s */
                struct ty_corr_input in = {(int64_t)i * 10000000, ins[i].rule, &g,
                                           ty_str_cstr(vnames[ins[i].value]), (int64_t)i};
                if (ty_corr_feed(c, &in, count_hit, &hits) != 0) {
                    fprintf(stderr, "bench-correlate: %s\n", ty_corr_errmsg(c));
                    return 1;
                }
            }
            struct ty_corr_stats st;
            ty_corr_get_stats(c, &st);
            groups = st.groups;
            ty_corr_flush(c, count_hit, &hits);
            double t = bench_thread_cpu() - t0;
            ty_corr_free(c);
            if (t > 0 && (double)n / t > best)
                best = (double)n / t;
        }
        printf("| %s | %.2f M | %llu | %zu |\n", cases[k].name, best / 1e6,
               (unsigned long long)hits, groups);
    }
    free(ins);
    free(gnames);
    free(vnames);
    return 0;
}
