/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd-detect.c - `tyto detect CASE` (re-run the rules over a stored case)
 * and `tyto alerts CASE` (list what they found).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

int cmd_detect(int argc, const char **argv)
{
    struct cli_rules rules = {.paths = {.n = 0}};
    bool quiet = false;
    struct opt opts[] = {
        CLI_RULE_OPTS(rules),
        {OPT_FLAG, 'q', "quiet", &quiet, NULL, "no totals"},
        {OPT_END, 0, NULL, NULL, NULL, NULL},
    };
    struct cmd_usage u = {
        "tyto detect [--rules PATH]... [--no-builtin-rules] CASE",
        "Run Sigma rules over every event of the case CASE and record the alerts in it,\n"
        "replacing the alerts of earlier runs. The rules are tyto's own pack (built in) plus\n"
        "each --rules file or directory; a rule that does not load is reported and left out.\n"
        "Correlation rules run over their rules' matches in time order.",
        opts};
    if (opt_parse_args(&argc, argv, &u, 1, 1))
        return EXIT_USAGE;
    struct ty_sigma_set *set = cli_load_rules(&rules, !quiet);
    if (!set)
        return 1;
    /* an existing case, opened for writing alerts */
    struct ty_store *st = access(argv[0], R_OK) == 0 ? cli_open_case(argv[0], true) : NULL;
    if (!st) {
        if (access(argv[0], R_OK) != 0)
            cli_error("%s: no such case file", argv[0]);
        ty_sigma_set_free(set);
        return 1;
    }
    struct ty_err err;
    ty_err_clear(&err);
    int rc = ty_store_alerts_clear(st, &err) ? cli_error("%s", err.msg) : 0;
    if (rc == 0)
        rc = cli_detect(st, set, 0, quiet);
    ty_store_close(st);
    ty_sigma_set_free(set);
    return rc;
}

struct alert_out {
    bool jsonl;
    struct ty_buf b;
    unsigned long n;
    unsigned long limit; /* table rows printed at most (0: all) */
};

static void time_text(int64_t ns, char *out, size_t n)
{
    char t[64];
    if (ty_time_format(ns, 3, t) < 0)
        t[0] = '\0';
    snprintf(out, n, "%s", t);
}

static int print_alert(void *arg, const struct ty_alert *a)
{
    struct alert_out *o = arg;
    char ts[64];
    time_text(a->ts, ts, sizeof(ts));
    o->n++;
    if (!o->jsonl && o->limit && o->n > o->limit)
        return 0;
    if (!o->jsonl) {
        printf("%-24s %-8s %-40.40s %s:%llu  %s\n", ts, a->rule->level[0] ? a->rule->level : "-",
               a->rule->title[0] ? a->rule->title : a->rule_uid, a->evidence_path,
               (unsigned long long)a->line, a->summary);
        return 0;
    }
    struct ty_buf *b = &o->b;
    ty_buf_reset(b);
    ty_buf_addf(b, "{\"id\":%lld,\"rule_id\":", (long long)a->id);
    ty_buf_add_json_str(b, ty_str_cstr(a->rule_uid));
    ty_buf_adds(b, ",\"rule_name\":");
    ty_buf_add_json_str(b, ty_str_cstr(a->rule->name));
    ty_buf_adds(b, ",\"kind\":");
    ty_buf_add_json_str(b, ty_str_cstr(a->kind));
    ty_buf_adds(b, ",\"title\":");
    ty_buf_add_json_str(b, ty_str_cstr(a->rule->title));
    ty_buf_adds(b, ",\"level\":");
    ty_buf_add_json_str(b, ty_str_cstr(a->rule->level));
    ty_buf_adds(b, ",\"ts\":");
    ty_buf_add_json_str(b, ty_str_cstr(ts));
    if (a->ts_end != a->ts) {
        time_text(a->ts_end, ts, sizeof(ts));
        ty_buf_adds(b, ",\"ts_end\":");
        ty_buf_add_json_str(b, ty_str_cstr(ts));
    }
    ty_buf_adds(b, ",\"tags\":[");
    const char *t = a->rule->tags;
    bool first = true;
    while (*t) {
        const char *sp = strchr(t, ' ');
        size_t len = sp ? (size_t)(sp - t) : strlen(t);
        if (len) {
            if (!first)
                ty_buf_addc(b, ',');
            ty_buf_add_json_str(b, (struct ty_str){t, len});
            first = false;
        }
        t += len + (sp ? 1 : 0);
    }
    ty_buf_adds(b, "],\"evidence\":{\"file\":");
    ty_buf_add_json_str(b, ty_str_cstr(a->evidence_path));
    ty_buf_addf(b, ",\"offset\":%llu,\"line\":%llu},\"event_id\":%lld",
                (unsigned long long)a->offset, (unsigned long long)a->line,
                (long long)a->event_id);
    ty_buf_addf(b, ",\"matched\":%s,\"refs\":%s,\"summary\":", a->matched, a->refs);
    ty_buf_add_json_str(b, ty_str_cstr(a->summary));
    if (a->group_key[0]) {
        ty_buf_adds(b, ",\"group\":");
        ty_buf_add_json_str(b, ty_str_cstr(a->group_key));
    }
    ty_buf_adds(b, "}\n");
    return fwrite(b->buf, 1, b->len, stdout) == b->len ? 0 : TY_EIO;
}

int cli_print_alerts(struct ty_store *st, unsigned long limit, unsigned long *total)
{
    struct alert_out o = {.jsonl = false, .limit = limit};
    struct ty_err err;
    ty_err_clear(&err);
    int rc = ty_store_alerts(st, print_alert, &o, &err);
    if (total)
        *total = o.n;
    return rc ? cli_error("%s", err.msg[0] ? err.msg : ty_strerror(rc)) : 0;
}

int cmd_alerts(int argc, const char **argv)
{
    const char *format = "table";
    struct opt opts[] = {
        {OPT_STRING, 'F', "format", &format, "FMT", "table (default) or jsonl"},
        {OPT_END, 0, NULL, NULL, NULL, NULL},
    };
    struct cmd_usage u = {
        "tyto alerts [--format table|jsonl] CASE",
        "List the alerts recorded in the case, in time order: time, level, rule, the evidence\n"
        "file and line of the matched event, and what the event says. jsonl adds the rule id,\n"
        "ATT&CK tags, the byte offset and the fields that matched.",
        opts};
    if (opt_parse_args(&argc, argv, &u, 1, 1))
        return EXIT_USAGE;
    if (strcmp(format, "table") != 0 && strcmp(format, "jsonl") != 0)
        return cli_error("--format %s: use table or jsonl", format) ? EXIT_USAGE : 0;
    struct ty_store *st = cli_open_case(argv[0], false);
    if (!st)
        return 1;
    struct alert_out o = {.jsonl = strcmp(format, "jsonl") == 0};
    struct ty_err err;
    ty_err_clear(&err);
    ty_buf_init(&o.b, 0);
    int rc = ty_store_alerts(st, print_alert, &o, &err);
    ty_buf_release(&o.b);
    ty_store_close(st);
    fflush(stdout);
    if (rc)
        return cli_error("%s", err.msg[0] ? err.msg : ty_strerror(rc));
    if (!o.jsonl)
        fprintf(stderr, "%lu alerts\n", o.n);
    return 0;
}
