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

/* Above this many streams, the summary shows one line per format and only
 * the streams that need a look (not "ok", or with quarantined records). */
#define SUMMARY_ROWS 40
#define MAX_FORMATS 32
#define MAX_PROBLEM_ROWS 200

struct fmt_total {
    char name[32];
    uint64_t files, records, events, quarantined;
};

struct summary {
    FILE *out;
    bool compact;
    uint64_t files, records, events, quarantined, skipped, bad, problems;
    int64_t ts_min, ts_max;
    struct fmt_total fmt[MAX_FORMATS];
    unsigned n_fmt;
    struct ty_buf rows; /* compact mode: the streams that need a look */
    uint64_t unread;    /* compact mode: streams in no format tyto reads, or empty */
    struct ty_buf unread_rows;
};

static void add_format(struct summary *s, const struct ty_evidence *ev)
{
    const char *name = ev->format[0] ? ev->format : "-";
    unsigned i;
    for (i = 0; i < s->n_fmt; i++)
        if (strcmp(s->fmt[i].name, name) == 0)
            break;
    if (i == s->n_fmt) {
        if (s->n_fmt == MAX_FORMATS)
            i = MAX_FORMATS - 1; /* more formats than rows: the last row collects them */
        else
            snprintf(s->fmt[s->n_fmt++].name, sizeof(s->fmt[0].name), "%s", name);
    }
    s->fmt[i].files++;
    s->fmt[i].records += ev->records;
    s->fmt[i].events += ev->events;
    s->fmt[i].quarantined += ev->quarantined;
}

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
    /* every record gave events or was quarantined (a record may give several events) */
    bool balanced = ev->quarantined <= ev->records &&
                    ev->events >= ev->records - ev->quarantined &&
                    (ev->events == 0) == (ev->records == ev->quarantined);
    if (!balanced)
        s->bad++;
    add_format(s, ev);
    bool unread = strcmp(ev->status, "unrecognized") == 0 || strcmp(ev->status, "empty") == 0;
    bool problem = (strcmp(ev->status, "ok") != 0 && !unread) || ev->quarantined || !balanced;
    if (s->compact && unread) {
        if (s->unread++ < 10)
            ty_buf_addf(&s->unread_rows, "  %s\n", ev->path);
        return 0;
    }
    if (s->compact && !problem)
        return 0;
    if (s->compact && s->problems++ >= MAX_PROBLEM_ROWS)
        return 0;
    struct ty_buf *b = s->compact ? &s->rows : NULL, tmp;
    if (!b) {
        ty_buf_init(&tmp, 0);
        b = &tmp;
    }
    ty_buf_addf(b, "%-22s %9llu %9llu %6llu  %-12s %s%s%s\n", ev->format[0] ? ev->format : "-",
                (unsigned long long)ev->records, (unsigned long long)ev->events,
                (unsigned long long)ev->quarantined, ev->status, ev->path,
                ev->note && ev->note[0] ? "  # " : "", ev->note ? ev->note : "");
    if (b == &tmp) {
        fputs(tmp.buf, s->out);
        ty_buf_release(&tmp);
    }
    return 0;
}

static int count_row(void *arg, int ncols, const char *const *names, const char *const *values)
{
    *(long long *)arg = values[0] ? strtoll(values[0], NULL, 10) : 0;
    return 0;
}

int cli_print_case_summary(struct ty_store *st, FILE *out)
{
    struct summary s = {.out = out};
    struct ty_err err;
    char a[32], b[32];
    long long n = 0;
    ty_err_clear(&err);
    if (ty_store_sql(st, "SELECT count(*) FROM evidence", count_row, &n, &err) < 0)
        return cli_error("%s", err.msg);
    s.compact = n > SUMMARY_ROWS;
    ty_buf_init(&s.rows, 0);
    ty_buf_init(&s.unread_rows, 0);
    fprintf(out, "%-22s %9s %9s %6s  %-12s %s\n", "FORMAT", "RECORDS", "EVENTS", "QUAR", "STATUS",
            "EVIDENCE");
    if (ty_store_evidence_list(st, summary_row, &s, &err) != 0) {
        ty_buf_release(&s.rows);
        ty_buf_release(&s.unread_rows);
        return cli_error("%s", err.msg);
    }
    if (s.compact) {
        for (unsigned i = 0; i < s.n_fmt; i++)
            fprintf(out, "%-22s %9llu %9llu %6llu  %-12s %llu streams\n", s.fmt[i].name,
                    (unsigned long long)s.fmt[i].records, (unsigned long long)s.fmt[i].events,
                    (unsigned long long)s.fmt[i].quarantined, "",
                    (unsigned long long)s.fmt[i].files);
        if (s.unread)
            fprintf(out, "%llu streams are in no format tyto reads, or empty%s:\n%s%s",
                    (unsigned long long)s.unread, s.unread > 10 ? " (the first 10)" : "",
                    s.unread_rows.buf,
                    s.unread > 10 ? "  (tyto query CASE \"select path, status from evidence "
                                    "where status != 'ok'\" lists them all)\n"
                                  : "");
        if (s.problems) {
            fprintf(out, "streams that need a look (damaged, failed, or with quarantined "
                         "records):\n%s",
                    s.rows.buf);
            if (s.problems > MAX_PROBLEM_ROWS)
                fprintf(out, "... and %llu more (tyto query CASE \"select * from evidence\")\n",
                        (unsigned long long)(s.problems - MAX_PROBLEM_ROWS));
        }
    }
    ty_buf_release(&s.rows);
    ty_buf_release(&s.unread_rows);
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
