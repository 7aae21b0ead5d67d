/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench-detect.c - the cost of Sigma detection, per core: parse a file of
 * evidence twice on one thread, once only parsing and once also matching
 * every event against the rules (tyto's pack plus the rule paths given),
 * and report the difference as detection-only events/s beside parse-only
 * speed. Thread CPU time, so time spent descheduled on a shared machine is
 * not counted. Usage: bench-detect FILE [RULES_PATH...]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <tyto/tyto.h>

#include "bench-util.h"

struct run {
    const struct ty_sigma_set *set;
    struct ty_sigma_scratch *sc;
    uint64_t events, matches;
    bool detect;
};

static int on_match(void *arg, const struct ty_event *ev, const struct ty_sigma_match *m)
{
    struct run *r = arg;
    (void)ev;
    (void)m;
    r->matches++;
    return 0;
}

static int on_event(void *arg, const struct ty_event *ev, const char *evidence)
{
    struct run *r = arg;
    (void)evidence;
    r->events++;
    return r->detect ? ty_sigma_match_event(r->set, r->sc, ev, on_match, r) : 0;
}

static double pass(struct run *r, const char *file, bool detect, uint64_t *bytes)
{
    struct ty_ingest_opts io = {.on_event = on_event, .arg = r};
    struct ty_ingest_stats st;
    struct ty_err err;
    const char *paths[] = {file};
    r->detect = detect;
    r->events = r->matches = 0;
    double t0 = bench_thread_cpu();
    if (ty_ingest(NULL, paths, 1, &io, &st, &err) != 0) {
        fprintf(stderr, "bench-detect: %s\n", err.msg);
        exit(1);
    }
    *bytes = st.bytes;
    return bench_thread_cpu() - t0;
}

int main(int argc, char **argv)
{
    struct ty_sigma_set *set = NULL;
    struct ty_err err;
    if (argc < 2) {
        fprintf(stderr, "usage: bench-detect FILE [RULES_PATH...]\n");
        return 2;
    }
    if (ty_sigma_set_new(&set, &err) || ty_sigma_set_load_builtin(set, &err))
        goto fail;
    for (int i = 2; i < argc; i++)
        if (ty_sigma_set_load_path(set, argv[i], &err))
            goto fail;
    if (ty_sigma_set_compile(set, &err))
        goto fail;
    size_t rules = 0;
    for (size_t i = 0; i < ty_sigma_set_nrules(set); i++)
        rules += !ty_sigma_set_rule(set, i)->dropped;

    struct run r = {.set = set};
    if (ty_sigma_scratch_new(&r.sc, &err))
        goto fail;
    uint64_t bytes;
    double parse = pass(&r, argv[1], false, &bytes);
    uint64_t events = r.events;
    double both = pass(&r, argv[1], true, &bytes);
    double detect = both - parse;
    if (detect <= 0)
        detect = 1e-9;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("| stage (one core, thread CPU) | seconds | events/s | MB/s |\n|---|---:|---:|---:|\n");
    printf("| parse + normalise | %.2f | %.0f | %.0f |\n", parse, events / parse,
           bytes / 1e6 / parse);
    printf("| parse + normalise + detect | %.2f | %.0f | %.0f |\n", both, events / both,
           bytes / 1e6 / both);
    printf("| detection alone (%zu rules) | %.2f | %.0f | |\n", rules, detect, events / detect);
    printf("\n%llu events, %llu rule matches, peak RSS %ld MB\n", (unsigned long long)events,
           (unsigned long long)r.matches, ru.ru_maxrss / 1024);
    ty_sigma_scratch_free(r.sc);
    ty_sigma_set_free(set);
    return 0;
fail:
    fprintf(stderr, "bench-detect: %s\n", err.msg);
    ty_sigma_set_free(set);
    return 1;
}
