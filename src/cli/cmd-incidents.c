/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd-incidents.c - `tyto incidents CASE`: the incidents the correlator
 * builds from a case's alerts, one block each (or JSON lines), and the
 * correlation options shared by report, contain and iocs.
 */
#include <tyto/correlate.h>
#include <tyto/time.h>

#include <stdio.h>
#include <string.h>

#include "cli.h"

int cli_correlate_opts(struct ty_correlate_opts *o, const struct cli_corr *c)
{
    ty_correlate_opts_default(o);
    if (c->window_h) {
        if (c->window_h < 0 || c->window_h > 24 * 365)
            return cli_error("--window %lld: hours between 1 and 8760", (long long)c->window_h);
        o->window_ns = c->window_h * 3600 * INT64_C(1000000000);
    }
    if (c->common_permille) {
        if (c->common_permille < 0 || c->common_permille > 1000)
            return cli_error("--common %lld: per mille between 1 and 1000",
                             (long long)c->common_permille);
        o->common_share = (double)c->common_permille / 1000.0;
    }
    if (c->min_score) {
        if (c->min_score < 0)
            return cli_error("--min-score %lld: a positive number", (long long)c->min_score);
        o->min_score = (double)c->min_score;
    }
    return 0;
}

struct ty_investigation *cli_investigate(struct ty_store *st, const struct cli_corr *c)
{
    struct ty_correlate_opts o;
    struct ty_investigation *inv = NULL;
    struct ty_err err;
    if (cli_correlate_opts(&o, c))
        return NULL;
    ty_err_clear(&err);
    if (ty_investigate_case(st, &o, &inv, &err)) {
        cli_error("correlation failed: %s", err.msg);
        return NULL;
    }
    return inv;
}

void cli_print_incident(const struct ty_incident *inc, FILE *out)
{
    char a[48], b[48];
    ty_time_format(inc->first_seen, 0, a);
    ty_time_format(inc->last_seen, 0, b);
    fprintf(out, "incident %d  %s  %s .. %s  %zu alerts\n  %s\n", inc->id, inc->severity, a, b,
           inc->n_alerts, inc->title);
    fprintf(out, "  techniques:");
    for (const char **t = inc->techniques; t && *t; t++)
        fprintf(out, " %s", *t);
    fprintf(out, "\n  entities:");
    size_t shown = 0;
    for (size_t i = 0; i < inc->n_ents && shown < 12; i++) {
        if (inc->ents[i].role == TY_ROLE_NONE)
            continue;
        fprintf(out, "%s %s:%s(%s)", shown ? "," : "", ty_entity_type_name(inc->ents[i].type),
               inc->ents[i].value, ty_entity_role_name(inc->ents[i].role));
        shown++;
    }
    fprintf(out, "\n");
    for (int q = 0; q < TY_Q__COUNT; q++)
        fprintf(out, "  %-15s %s\n", ty_question_name(q), inc->q[q].summary ? inc->q[q].summary : "");
    for (size_t i = 0; i < inc->n_prevention; i++)
        fprintf(out, "  prevention      %s\n", inc->prevention[i].advice);
}

int cmd_incidents(int argc, const char **argv)
{
    struct cli_corr corr = {0};
    struct opt opts[] = {
        CLI_CORR_OPTS(corr),
        {OPT_END, 0, NULL, NULL, NULL, NULL},
    };
    struct cmd_usage u = {
        "tyto incidents [--window H] [--common PERMILLE] [--min-score N] CASE",
        "Merge the alerts of the case into incidents and print each: severity, span, title,\n"
        "techniques, the entities it names with their roles, one line per question (initial\n"
        "access, spread, persistence, impact) and the prevention advice. Alerts sharing a rare\n"
        "entity or a workload within the window merge; see docs/internals/CORRELATION.md.",
        opts};
    if (opt_parse_args(&argc, argv, &u, 1, 1))
        return EXIT_USAGE;
    struct ty_store *st = cli_open_case(argv[0], false);
    if (!st)
        return 1;
    struct ty_investigation *inv = cli_investigate(st, &corr);
    ty_store_close(st);
    if (!inv)
        return 1;
    for (size_t i = 0; i < inv->n_inc; i++)
        cli_print_incident(&inv->inc[i], stdout);
    fprintf(stderr, "%zu incidents, %zu alerts in none\n", inv->n_inc, inv->n_unassigned);
    ty_investigation_free(inv);
    return 0;
}
