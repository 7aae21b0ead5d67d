/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd-query.c - `tyto query CASE SQL`, `tyto quarantine CASE` and
 * `tyto summary CASE`: looking into a case.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

struct sqlout {
    bool header_done;
    bool json;
    struct ty_buf b;
};

static int sql_row(void *arg, int ncols, const char *const *names, const char *const *values)
{
    struct sqlout *o = arg;
    ty_buf_reset(&o->b);
    if (o->json) {
        ty_buf_addc(&o->b, '{');
        for (int i = 0; i < ncols; i++) {
            if (i)
                ty_buf_addc(&o->b, ',');
            ty_buf_add_json_str(&o->b, ty_str_cstr(names[i]));
            ty_buf_addc(&o->b, ':');
            if (values[i])
                ty_buf_add_json_str(&o->b, ty_str_cstr(values[i]));
            else
                ty_buf_adds(&o->b, "null");
        }
        ty_buf_adds(&o->b, "}\n");
    } else {
        if (!o->header_done) {
            for (int i = 0; i < ncols; i++)
                printf("%s%s", i ? "\t" : "", names[i]);
            putchar('\n');
            o->header_done = true;
        }
        for (int i = 0; i < ncols; i++) {
            if (i)
                ty_buf_addc(&o->b, '\t');
            ty_buf_adds(&o->b, values[i] ? values[i] : "NULL");
        }
        ty_buf_addc(&o->b, '\n');
    }
    return fwrite(o->b.buf, 1, o->b.len, stdout) == o->b.len ? 0 : TY_EIO;
}

int cmd_query(int argc, const char **argv)
{
    bool json = false;
    struct opt opts[] = {
        {OPT_FLAG, 0, "json", &json, NULL, "one JSON object per row instead of TSV"},
        {OPT_END, 0, NULL, NULL, NULL, NULL},
    };
    struct cmd_usage u = {
        "tyto query [--json] CASE SQL",
        "Run read-only SQL over the case file. The view events_v shows every event field as\n"
        "text; tables: evidence, events, strings, quarantine, raw_blocks, meta\n"
        "(docs/internals/STORE.md). Example:\n"
        "  tyto query case.tyto \"select actor, count(*) from events_v group by 1 order by 2 desc\"",
        opts};
    if (opt_parse_args(&argc, argv, &u, 2, 2))
        return EXIT_USAGE;
    struct ty_store *st = cli_open_case(argv[0], false);
    if (!st)
        return 1;
    struct sqlout o = {.json = json};
    struct ty_err err;
    ty_err_clear(&err);
    ty_buf_init(&o.b, 0);
    int rc = ty_store_sql(st, argv[1], sql_row, &o, &err);
    ty_buf_release(&o.b);
    ty_store_close(st);
    if (rc < 0)
        return cli_error("%s", err.msg);
    return 0;
}

static int print_quarantined(void *arg, const struct ty_quarantined *q)
{
    struct ty_buf *b = arg;
    size_t show = q->raw.len > 160 ? 160 : q->raw.len;
    ty_buf_reset(b);
    for (size_t i = 0; i < show; i++) {
        unsigned char c = (unsigned char)q->raw.p[i];
        if (c < 0x20 || c == 0x7f)
            ty_buf_addf(b, "\\x%02x", c);
        else
            ty_buf_addc(b, (char)c);
    }
    printf("%s:%llu: offset %llu: %s\n    %s%s\n", q->evidence_path,
           (unsigned long long)q->line, (unsigned long long)q->offset, q->reason, b->buf,
           q->raw.len > show ? "..." : "");
    return 0;
}

/* A command taking exactly one CASE and no options: the case opened read-only,
 * or NULL with *rc the exit code. */
static struct ty_store *case_only(int argc, const char **argv, const struct cmd_usage *u, int *rc)
{
    *rc = EXIT_USAGE;
    if (opt_parse(&argc, argv, u))
        return NULL;
    if (argc != 1) {
        opt_usage(u, stderr);
        return NULL;
    }
    *rc = 1;
    return cli_open_case(argv[0], false);
}

int cmd_quarantine(int argc, const char **argv)
{
    struct cmd_usage u = {"tyto quarantine CASE",
                          "List every quarantined record of the case: evidence, line, byte "
                          "offset, the reason,\nand the start of the record as read.",
                          NULL};
    int rc;
    struct ty_store *st = case_only(argc, argv, &u, &rc);
    if (!st)
        return rc;
    struct ty_buf b;
    struct ty_err err;
    ty_buf_init(&b, 0);
    ty_err_clear(&err);
    rc = ty_store_quarantine_list(st, print_quarantined, &b, &err);
    ty_buf_release(&b);
    ty_store_close(st);
    return rc < 0 ? cli_error("%s", err.msg) : 0;
}

int cmd_summary(int argc, const char **argv)
{
    struct cmd_usage u = {"tyto summary CASE",
                          "Per evidence stream: format, records read, events stored, records "
                          "quarantined, status\nand path; then the totals and the time range.",
                          NULL};
    int rc;
    struct ty_store *st = case_only(argc, argv, &u, &rc);
    if (!st)
        return rc;
    rc = cli_print_case_summary(st, stdout);
    ty_store_close(st);
    return rc;
}
