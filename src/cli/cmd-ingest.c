/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd-ingest.c - `tyto ingest CASE EVIDENCE...` and `tyto parse EVIDENCE...`.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"

static int print_event(void *arg, const struct ty_event *ev, const char *evidence)
{
    struct ty_buf *b = arg;
    ty_buf_reset(b);
    if (ty_event_to_json(ev, b) != 0)
        return TY_ENOMEM;
    /* the evidence name goes in as the last member */
    b->len--;
    ty_buf_adds(b, ",\"evidence\":");
    ty_buf_add_json_str(b, ty_str_cstr(evidence));
    ty_buf_adds(b, "}\n");
    return fwrite(b->buf, 1, b->len, stdout) == b->len ? 0 : TY_EIO;
}

int cmd_parse(int argc, const char **argv)
{
    const char *format = NULL;
    bool count = false;
    struct opt opts[] = {
        {OPT_STRING, 'f', "format", &format, "NAME", "parse every stream as NAME (see tyto formats)"},
        {OPT_FLAG, 'c', "count", &count, NULL, "print only the counts, not the events"},
        {OPT_END, 0, NULL, NULL, NULL, NULL},
    };
    struct cmd_usage u = {
        "tyto parse [--count] [--format NAME] EVIDENCE...",
        "Parse evidence (files, directories, archives, compressed files, - for stdin) without a\n"
        "case, and print the normalized events as JSON lines on stdout; --count prints only the\n"
        "totals (this is the parse-and-normalise speed of `make bench`). Quarantined records are\n"
        "reported on stderr with file, line and offset.",
        opts};
    if (opt_parse_args(&argc, argv, &u, 1, -1))
        return EXIT_USAGE;
    struct ty_buf b;
    struct ty_err err;
    struct ty_ingest_stats stats;
    ty_buf_init(&b, 0);
    ty_err_clear(&err);
    struct ty_ingest_opts io = {.format = format,
                                .progress = false,
                                .on_event = count ? NULL : print_event,
                                .arg = &b};
    int rc = ty_ingest(NULL, argv, (size_t)argc, &io, &stats, &err);
    ty_buf_release(&b);
    fflush(stdout);
    if (rc)
        return cli_error("%s", err.msg[0] ? err.msg : ty_strerror(rc));
    if (stats.bad_paths)
        rc = cli_error("%llu of the paths given could not be opened (see above)",
                       (unsigned long long)stats.bad_paths);
    fprintf(count ? stdout : stderr,
            "streams %llu  bytes %llu  records %llu  events %llu  quarantined %llu  "
            "unrecognized %llu\n",
            (unsigned long long)stats.streams, (unsigned long long)stats.bytes,
            (unsigned long long)stats.records, (unsigned long long)stats.events,
            (unsigned long long)stats.quarantined, (unsigned long long)stats.unrecognized);
    return rc;
}

int cli_ingest_into(struct ty_store *st, const char *case_path, int n, const char **paths,
                    const char *format, const struct ty_sigma_set *rules, bool quiet)
{
    struct ty_err err;
    struct ty_ingest_stats stats;
    ty_err_clear(&err);
    struct ty_ingest_opts io = {.format = format,
                                .progress = !quiet && cli_stderr_tty(),
                                .case_path = case_path,
                                .rules = rules};
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = ty_ingest(st, paths, (size_t)n, &io, &stats, &err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (rc)
        return cli_error("ingest stopped: %s", err.msg[0] ? err.msg : ty_strerror(rc));
    if (!quiet)
        fprintf(stderr,
                "ingested %llu streams (%.1f MB): %llu records, %llu events, %llu quarantined, "
                "%llu unrecognized, %llu already in the case\n",
                (unsigned long long)stats.streams, (double)stats.bytes / 1e6,
                (unsigned long long)stats.records, (unsigned long long)stats.events,
                (unsigned long long)stats.quarantined, (unsigned long long)stats.unrecognized,
                (unsigned long long)stats.duplicates);
    if (rules) {
        double el = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
        if (cli_detect_finish(st, rules, &stats.detect, el, quiet))
            return 1;
    }
    if (stats.bad_paths)
        return cli_error("%llu of the paths given could not be opened (see above)",
                         (unsigned long long)stats.bad_paths);
    return 0;
}

int cmd_ingest(int argc, const char **argv)
{
    const char *format = NULL;
    bool quiet = false, summary = false;
    struct cli_rules rules = {.paths = {.n = 0}};
    struct opt opts[] = {
        {OPT_STRING, 'f', "format", &format, "NAME", "parse every stream as NAME (see tyto formats)"},
        CLI_RULE_OPTS(rules),
        {OPT_FLAG, 0, "no-detect", &rules.no_detect, NULL, "store the events, run no rules"},
        {OPT_FLAG, 'q', "quiet", &quiet, NULL, "no progress line and no totals"},
        {OPT_FLAG, 's', "summary", &summary, NULL, "print the case summary afterwards"},
        {OPT_END, 0, NULL, NULL, NULL, NULL},
    };
    struct cmd_usage u = {
        "tyto ingest [--format NAME] [--rules PATH]... [--summary] CASE EVIDENCE...",
        "Detect the format of each evidence stream from its content, parse, normalise and store\n"
        "its events in the case file CASE (created if missing). EVIDENCE is any mix of files,\n"
        "directories (walked recursively, in name order), archives (tar, zip), compressed files\n"
        "(gzip, zstd, bzip2, xz) and - for stdin. Files already in the case (same SHA-256) are\n"
        "skipped. Bad records are quarantined in the case with file, offset and reason. Then\n"
        "tyto's Sigma rules (and any --rules) run over the new events and record alerts.",
        opts};
    if (opt_parse_args(&argc, argv, &u, 2, -1))
        return EXIT_USAGE;
    struct ty_store *st = cli_open_case(argv[0], true);
    if (!st)
        return 1;
    int rc = cli_ingest_detect(st, argv[0], argc - 1, argv + 1, format, &rules, quiet);
    if (rc == 0 && summary)
        cli_print_case_summary(st, stdout);
    ty_store_close(st);
    return rc;
}
