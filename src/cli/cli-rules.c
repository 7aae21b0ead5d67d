/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli-rules.c - loading the rule set a command asks for (tyto's pack plus
 * --rules paths) and running detection over a case, shared by ingest,
 * investigate and detect.
 */
#include <tyto/analyze.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"

static void print_diag(const struct ty_sigma_diag *d)
{
    fprintf(stderr, "%s:%u:%u: %s%s\n", d->file, d->line, d->col,
            d->warning ? "warning: " : "", d->msg);
}

struct ty_sigma_set *cli_load_rules(const struct cli_rules *r, bool verbose)
{
    struct ty_sigma_set *set = NULL;
    struct ty_err err;
    ty_err_clear(&err);
    if (ty_sigma_set_new(&set, &err) != 0)
        goto fail;
    if (r->placeholders && ty_sigma_set_placeholders(set, r->placeholders, &err) != 0)
        goto fail;
    if (!r->no_builtin && ty_sigma_set_load_builtin(set, &err) != 0)
        goto fail;
    for (unsigned i = 0; i < r->paths.n; i++)
        if (ty_sigma_set_load_path(set, r->paths.v[i], &err) != 0)
            goto fail;
    if (ty_sigma_set_compile(set, &err) != 0)
        goto fail;
    size_t errors = 0;
    for (size_t i = 0; i < ty_sigma_set_ndiag(set); i++) {
        const struct ty_sigma_diag *d = ty_sigma_set_diag(set, i);
        errors += !d->warning;
        if (verbose && !d->warning)
            print_diag(d);
    }
    if (errors)
        fprintf(stderr, "tyto: %zu rule problems: those rules are left out (tyto rules lint "
                        "shows each)\n", errors);
    return set;
fail:
    cli_error("rules: %s", err.msg[0] ? err.msg : ty_strerror(err.rc));
    ty_sigma_set_free(set);
    return NULL;
}

static void detect_diag(void *arg, const char *msg)
{
    (void)arg;
    fprintf(stderr, "tyto: warning: %s\n", msg);
}

/* Correlations and the rules' records after detection streamed with an
 * ingest; prints the detection totals. */
/* The analyses over the whole case (network: beaconing, undeclared
 * addresses, long sessions, large transfers), replacing their earlier
 * alerts: they look at every event, old and new. */
static int analyze(struct ty_store *st, bool quiet)
{
    struct ty_analyze_stats as;
    struct ty_analyze_opts ao = {.stats = &as};
    struct ty_err err;
    memset(&as, 0, sizeof(as));
    ty_err_clear(&err);
    if (ty_store_alerts_clear_kind(st, "analysis", &err) || ty_analyze_case(st, &ao, &err))
        return cli_error("analysis stopped: %s", err.msg[0] ? err.msg : ty_strerror(err.rc));
    if (!quiet && as.alerts)
        fprintf(stderr, "analysed: %llu connections, %llu DNS answers, %llu flows: %llu alerts\n",
                (unsigned long long)as.conns, (unsigned long long)as.dns,
                (unsigned long long)as.flows, (unsigned long long)as.alerts);
    return 0;
}

int cli_detect_finish(struct ty_store *st, const struct ty_sigma_set *set,
                      struct ty_detect_stats *ds, double seconds, bool quiet)
{
    struct ty_detect_opts o = {.set = set, .diag = detect_diag};
    struct ty_err err;
    ty_err_clear(&err);
    if (ty_detect_finish(st, &o, ds, &err) != 0)
        return cli_error("correlation stopped: %s", err.msg[0] ? err.msg : ty_strerror(err.rc));
    if (!quiet)
        fprintf(stderr,
                "detected: %llu events tested against %zu rules in %.2f s: %llu alerts, "
                "%llu from correlations\n",
                (unsigned long long)ds->events, ty_sigma_set_nrules(set), seconds,
                (unsigned long long)ds->alerts, (unsigned long long)ds->corr_alerts);
    return analyze(st, quiet);
}

int cli_detect(struct ty_store *st, const struct ty_sigma_set *set, int64_t min_id, bool quiet)
{
    struct ty_detect_opts o = {.set = set, .min_event_id = min_id, .diag = detect_diag};
    struct ty_detect_stats ds;
    struct ty_err err;
    struct timespec t0, t1;
    ty_err_clear(&err);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = ty_detect_case(st, &o, &ds, &err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (rc)
        return cli_error("detection stopped: %s", err.msg[0] ? err.msg : ty_strerror(rc));
    if (!quiet) {
        double el = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
        fprintf(stderr,
                "detected: %llu events tested against %zu rules in %.2f s: %llu alerts, "
                "%llu from correlations\n",
                (unsigned long long)ds.events, ty_sigma_set_nrules(set), el,
                (unsigned long long)ds.alerts, (unsigned long long)ds.corr_alerts);
    }
    return analyze(st, quiet);
}

int cli_ingest_detect(struct ty_store *st, const char *case_path, int n, const char **paths,
                      const char *format, const struct cli_rules *rules, bool quiet)
{
    struct ty_sigma_set *set = NULL;
    /* load the rules first: a bad --rules path fails before a long ingest */
    if (!rules->no_detect && !(set = cli_load_rules(rules, false)))
        return 1;
    int rc = cli_ingest_into(st, case_path, n, paths, format, set, quiet);
    ty_sigma_set_free(set);
    return rc;
}
