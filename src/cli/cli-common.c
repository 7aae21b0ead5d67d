/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli-common.c - helpers shared by the commands: errors, opening a case,
 * user time parsing, and the case summary table.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

int cli_error(const char *fmt, ...)
{
    va_list ap;
    fputs("tyto: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return 1;
}

bool cli_stderr_tty(void)
{
    return isatty(2) && getenv("TERM") && strcmp(getenv("TERM"), "dumb") != 0;
}

struct ty_store *cli_open_case(const char *path, bool create)
{
    struct ty_store *st = NULL;
    struct ty_err err;
    ty_err_clear(&err);
    if (!create && access(path, R_OK) != 0) {
        cli_error("%s: no such case file", path);
        return NULL;
    }
    if (ty_store_open(&st, path, create ? TY_STORE_CREATE : TY_STORE_READONLY, &err) != 0) {
        cli_error("%s: %s", path, err.msg);
        return NULL;
    }
    return st;
}

int cli_parse_time(const char *s, int64_t *ns)
{
    char tmp[64];
    size_t n = strlen(s);
    struct ty_str sp = {s, n};
    if (ty_time_parse_iso(sp, ns, NULL, NULL) == 0)
        return 0;
    if (n == 10 && s[4] == '-') { /* a date alone: its midnight UTC */
        snprintf(tmp, sizeof(tmp), "%sT00:00:00Z", s);
        return ty_time_parse_iso(ty_str_cstr(tmp), ns, NULL, NULL);
    }
    return ty_time_parse_epoch(sp, ns, NULL);
}

struct summary {
    FILE *out;
    uint64_t files, records, events, quarantined, skipped, bad;
    int64_t ts_min, ts_max;
};

static int summary_row(void *arg, const struct ty_evidence *ev)
{
    struct summary *s = arg;
    s->files++;
    s->records += ev->records;
    s->events += ev->events;
    s->quarantined += ev->quarantined;
    s->skipped += ev->skipped;
    if (ev->ts_min && (!s->ts_min || ev->ts_min < s->ts_min))
        s->ts_min = ev->ts_min;
    if (ev->ts_max > s->ts_max)
        s->ts_max = ev->ts_max;
    bool balanced = ev->records == ev->events + ev->quarantined ||
                    (ev->events >= ev->records - ev->quarantined);
    if (!balanced)
        s->bad++;
    fprintf(s->out, "%-22s %9llu %9llu %6llu  %-12s %s%s%s\n", ev->format[0] ? ev->format : "-",
            (unsigned long long)ev->records, (unsigned long long)ev->events,
            (unsigned long long)ev->quarantined, ev->status, ev->path,
            ev->note && ev->note[0] ? "  # " : "", ev->note ? ev->note : "");
    return 0;
}

int cli_print_case_summary(struct ty_store *st, FILE *out)
{
    struct summary s = {.out = out};
    struct ty_err err;
    char a[32], b[32];
    ty_err_clear(&err);
    fprintf(out, "%-22s %9s %9s %6s  %-12s %s\n", "FORMAT", "RECORDS", "EVENTS", "QUAR", "STATUS",
            "EVIDENCE");
    if (ty_store_evidence_list(st, summary_row, &s, &err) != 0)
        return cli_error("%s", err.msg);
    fprintf(out, "%-22s %9llu %9llu %6llu  %llu evidence streams\n", "TOTAL",
            (unsigned long long)s.records, (unsigned long long)s.events,
            (unsigned long long)s.quarantined, (unsigned long long)s.files);
    if (s.ts_min) {
        ty_time_format(s.ts_min, 0, a);
        ty_time_format(s.ts_max, 0, b);
        fprintf(out, "time range: %s .. %s\n", a, b);
    }
    fprintf(out, "records read = events stored + records quarantined: %s\n",
            s.bad ? "VIOLATED (see rows above)" : "holds for every evidence stream");
    return s.bad ? 1 : 0;
}
