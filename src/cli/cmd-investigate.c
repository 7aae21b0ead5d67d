/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd-investigate.c - `tyto investigate EVIDENCE...`: the main job. Ingests
 * everything into a case, detects, merges the alerts into incidents, prints
 * the case summary and each incident's five answers, and writes the report
 * files asked for with -o (by extension: .json, .md, .html); and
 * `tyto report CASE`, the same report of a stored case on stdout or in a file.
 */
#include <stdio.h>
#include <string.h>

#include <tyto/correlate.h>
#include <tyto/report.h>

#include "cli.h"

int cmd_investigate(int argc, const char **argv)
{
    const char *case_path = "tyto-case.tyto", *format = NULL;
    struct opt_list outputs = {.n = 0};
    int64_t limit = 60;
    bool quiet = false;
    struct cli_rules rules = {.paths = {.n = 0}};
    struct cli_corr corr = {0};
    struct opt opts[] = {
        CLI_RULE_OPTS(rules),
        CLI_CORR_OPTS(corr),
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
        "Ingest all the evidence into a case, run tyto's Sigma rules (and any --rules) and the\n"
        "network analyses, merge the alerts into incidents and answer, for each, the five\n"
        "questions: initial access, spread, persistence, impact, prevention, each citing its\n"
        "records (file, line, byte offset), with a containment plan. Prints every evidence\n"
        "stream with its SHA-256 and counts (records read = events stored + records\n"
        "quarantined), the incidents, the alerts and the failed or refused actions; -o writes\n"
        "the full report (JSON: DESIGN.md's report contract; Markdown; self-contained HTML).",
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
    struct ty_correlate_opts co;
    if (cli_correlate_opts(&co, &corr)) {
        ty_store_close(st);
        return EXIT_USAGE;
    }
    int rc = cli_ingest_detect(st, case_path, argc, argv, format, &rules, quiet);
    struct ty_investigation *inv = NULL;
    if (rc == 0 && !rules.no_detect && !(inv = cli_investigate(st, &corr)))
        rc = 1;
    if (rc == 0 && !quiet) {
        printf("case %s\n\n", case_path);
        cli_print_case_summary(st, stdout);
        rc = cli_print_overview(st, 10);
        if (rc == 0 && inv) {
            printf("\n%zu incident%s (tyto report CASE for the evidence of each answer):\n",
                   inv->n_inc, inv->n_inc == 1 ? "" : "s");
            for (size_t i = 0; i < inv->n_inc; i++)
                cli_print_incident(&inv->inc[i], stdout);
        }
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
        if (ty_report_write(st, inv, outputs.v[i], ty_report_format_for_path(outputs.v[i]),
                            &err)) {
            rc = cli_error("%s: %s", outputs.v[i], err.msg);
            break;
        }
        fprintf(stderr, "report written: %s\n", outputs.v[i]);
    }
    ty_investigation_free(inv);
    ty_store_close(st);
    return rc;
}

int cmd_report(int argc, const char **argv)
{
    const char *format = "md", *output = NULL;
    int64_t incident = 0;
    struct cli_corr corr = {0};
    struct opt opts[] = {
        CLI_CORR_OPTS(corr),
        {OPT_STRING, 'F', "format", &format, "FMT", "md (default), html or json"},
        {OPT_STRING, 'o', "output", &output, "FILE",
         "write to FILE (format from its extension) instead of stdout"},
        {OPT_INT, 'i', "incident", &incident, "N", "only incident N (and its alerts)"},
        {OPT_END, 0, NULL, NULL, NULL, NULL},
    };
    struct cmd_usage u = {
        "tyto report [--format md|html|json] [-o FILE] [--incident N] CASE",
        "The investigation report of a stored case: each incident with its entities, the five\n"
        "answers and the records they cite, the spread path, the prevention advice, the\n"
        "containment plan and the timeline; then the evidence with its counts and the alerts.\n"
        "JSON follows the report contract (DESIGN.md §4); HTML is one self-contained file.",
        opts};
    if (opt_parse_args(&argc, argv, &u, 1, 1))
        return EXIT_USAGE;
    int fmt = output ? ty_report_format_for_path(output) : ty_report_format_named(format);
    if (fmt < 0)
        return cli_error(output ? "-o %s: the format is taken from the extension: .json, .md or "
                                  ".html"
                                : "--format %s: use md, html or json",
                         output ? output : format)
                   ? EXIT_USAGE
                   : 0;
    if (incident < 0 || incident > 1000000)
        return cli_error("--incident %lld: an incident number from tyto incidents",
                         (long long)incident) ? EXIT_USAGE : 0;
    struct ty_store *st = cli_open_case(argv[0], false);
    if (!st)
        return 1;
    struct ty_investigation *inv = cli_investigate(st, &corr);
    int rc = inv ? 0 : 1;
    struct ty_err err;
    ty_err_clear(&err);
    if (rc == 0 && output) {
        if (incident)
            rc = cli_error("--incident with -o: write the whole report, or print one incident");
        else if (ty_report_write(st, inv, output, fmt, &err))
            rc = cli_error("%s: %s", output, err.msg);
        else
            fprintf(stderr, "report written: %s\n", output);
    } else if (rc == 0) {
        struct ty_buf b;
        ty_buf_init(&b, 0);
        if (ty_report_render(st, inv, (int)incident, fmt, &b, &err))
            rc = cli_error("%s", err.msg);
        else if (b.len && fwrite(b.buf, 1, b.len, stdout) != b.len)
            rc = cli_error("writing the report: short write");
        ty_buf_release(&b);
    }
    ty_investigation_free(inv);
    ty_store_close(st);
    return rc;
}
