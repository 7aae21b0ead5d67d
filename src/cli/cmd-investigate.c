/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd-investigate.c - `tyto investigate EVIDENCE...`: the main job. Ingests
 * everything into a case, prints the case summary and the timeline, and
 * writes the report files asked for with -o (by extension: .json, .md).
 */
#include <stdio.h>
#include <string.h>

#include <tyto/report.h>

#include "cli.h"

int cmd_investigate(int argc, const char **argv)
{
    const char *case_path = "tyto-case.tyto", *format = NULL;
    struct opt_list outputs = {.n = 0};
    int64_t limit = 60;
    bool quiet = false;
    struct cli_rules rules = {.paths = {.n = 0}};
    struct opt opts[] = {
        CLI_RULE_OPTS(rules),
        {OPT_STRING, 'c', "case", &case_path, "FILE", "the case file (default ./tyto-case.tyto)"},
        {OPT_LIST, 'o', "output", &outputs, "FILE",
         "write the report to FILE: .json (the report contract), .md or .html; repeatable"},
        {OPT_STRING, 'f', "format", &format, "NAME", "parse every stream as NAME"},
        {OPT_INT, 'n', "limit", &limit, "N",
         "failed or refused actions listed (default 60, 0 = none)"},
        {OPT_FLAG, 'q', "quiet", &quiet, NULL, "no progress, no timeline on stdout"},
        {OPT_END, 0, NULL, NULL, NULL, NULL},
    };
    struct cmd_usage u = {
        "tyto investigate [--case FILE] [-o report.json] [-o report.md] [-o report.html] EVIDENCE...",
        "Ingest all the evidence into a case and report on it: every evidence stream with its\n"
        "SHA-256 and counts (records read = events stored + records quarantined), the most\n"
        "active principals and source addresses, the alerts of tyto's Sigma rules (and any\n"
        "--rules) with the evidence line of each, and the failed or refused actions in time\n"
        "order. Incidents and the five questions come with later versions; the report says\n"
        "so rather than guessing.",
        opts};
    if (opt_parse_args(&argc, argv, &u, 1, -1))
        return EXIT_USAGE;
    for (unsigned i = 0; i < outputs.n; i++)
        if (ty_report_format_for_path(outputs.v[i]) < 0)
            return cli_error("-o %s: the report format is taken from the extension: .json, .md or .html",
                             outputs.v[i]) ? EXIT_USAGE : 0;
    struct ty_store *st = cli_open_case(case_path, true);
    if (!st)
        return 1;
    int rc = cli_ingest_detect(st, case_path, argc, argv, format, &rules, quiet);
    if (rc == 0 && !quiet) {
        printf("case %s\n\n", case_path);
        cli_print_case_summary(st, stdout);
        rc = cli_print_overview(st, 10);
        if (rc == 0 && !rules.no_detect) {
            unsigned long total = 0;
            printf("\nalerts, in time order (tyto alerts CASE lists all, with the fields that "
                   "matched):\n");
            rc = cli_print_alerts(st, limit > 0 ? (unsigned long)limit : 0, &total);
            if (rc == 0 && limit > 0 && total > (unsigned long)limit)
                printf("... and %lu more\n", total - (unsigned long)limit);
            if (rc == 0 && total == 0)
                printf("(no rule matched)\n");
        }
        if (rc == 0 && limit != 0) {
            /* the refused and failed actions first: where a responder starts */
            struct ty_event_query q;
            struct opt_list fail = {.v = {"outcome=failure", "category!=network_flow"}, .n = 2};
            cli_build_query(&q, NULL, NULL, &fail, limit);
            printf("\nfailed or refused actions, flows aside (first %lld; tyto timeline CASE "
                   "--where outcome=failure shows all):\n",
                   (long long)limit);
            rc = cli_print_timeline(st, &q, "table", NULL, false);
        }
    }
    for (unsigned i = 0; rc == 0 && i < outputs.n; i++) {
        struct ty_err err;
        ty_err_clear(&err);
        if (ty_report_write(st, outputs.v[i], ty_report_format_for_path(outputs.v[i]), &err)) {
            rc = cli_error("%s: %s", outputs.v[i], err.msg);
            break;
        }
        fprintf(stderr, "report written: %s\n", outputs.v[i]);
    }
    ty_store_close(st);
    return rc;
}
