/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd-rules.c - `tyto rules list|lint|test`: see what rules are loaded,
 * check rule files with precise errors, and try rules on sample events.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static int usage_sub(void)
{
    fprintf(stderr, "usage: tyto rules list|lint|test ... (tyto rules SUBCOMMAND --help)\n");
    return EXIT_USAGE;
}

static int rules_list(int argc, const char **argv)
{
    struct cli_rules rules = {.paths = {.n = 0}};
    struct opt opts[] = {CLI_RULE_OPTS(rules), {OPT_END, 0, NULL, NULL, NULL, NULL}};
    struct cmd_usage u = {"tyto rules list [--rules PATH]... [--no-builtin-rules]",
                          "List the loaded rules: id, kind, level, log source and title.", opts};
    if (opt_parse_args(&argc, argv, &u, 0, 0))
        return EXIT_USAGE;
    struct ty_sigma_set *set = cli_load_rules(&rules, false);
    if (!set)
        return 1;
    size_t shown = 0;
    for (size_t i = 0; i < ty_sigma_set_nrules(set); i++) {
        const struct ty_sigma_rule_info *in = ty_sigma_set_rule(set, i);
        if (in->dropped)
            continue;
        char ls[160];
        snprintf(ls, sizeof(ls), "%s%s%s%s%s", in->product, *in->service ? "/" : "",
                 in->service, *in->category ? "/" : "", in->category);
        printf("%-36s %-11s %-13s %-28s %s%s\n", in->uid,
               in->kind == TY_SIGMA_CORRELATION ? in->corr_type
               : in->kind == TY_SIGMA_FILTER    ? "filter"
                                                : "detection",
               *in->level ? in->level : "-", ls, in->title, in->alerts ? "" : " (no alert)");
        shown++;
    }
    fprintf(stderr, "%zu rules\n", shown);
    ty_sigma_set_free(set);
    return 0;
}

static int rules_lint(int argc, const char **argv)
{
    bool summary = false, quiet = false;
    const char *placeholders = NULL;
    struct opt opts[] = {
        {OPT_FLAG, 's', "summary", &summary, NULL, "print only the totals line"},
        {OPT_FLAG, 'q', "quiet", &quiet, NULL, "errors only, no warnings"},
        {OPT_STRING, 0, "placeholders", &placeholders, "FILE", "values for %name% placeholders"},
        {OPT_END, 0, NULL, NULL, NULL, NULL},
    };
    struct cmd_usage u = {
        "tyto rules lint [--summary] [--quiet] [PATH...]",
        "Load Sigma rule files (or every .yml/.yaml under a directory) as tyto would and print\n"
        "each problem as FILE:LINE:COLUMN: what is wrong (and what is allowed). Without PATH,\n"
        "lints tyto's own pack. Exits 1 when a rule does not load.",
        opts};
    if (opt_parse(&argc, argv, &u))
        return EXIT_USAGE;
    bool builtin = argc == 0;
    struct ty_sigma_set *set = NULL;
    struct ty_err err;
    ty_err_clear(&err);
    if (ty_sigma_set_new(&set, &err) ||
        (placeholders && ty_sigma_set_placeholders(set, placeholders, &err)) ||
        (builtin && ty_sigma_set_load_builtin(set, &err)))
        goto fail;
    for (int i = 0; i < argc; i++) /* every path given, however many */
        if (ty_sigma_set_load_path(set, argv[i], &err))
            goto fail;
    if (ty_sigma_set_compile(set, &err))
        goto fail;
    size_t errors = 0, warnings = 0, loaded = 0;
    for (size_t i = 0; i < ty_sigma_set_ndiag(set); i++) {
        const struct ty_sigma_diag *d = ty_sigma_set_diag(set, i);
        if (d->warning)
            warnings++;
        else
            errors++;
        if (!summary && (!d->warning || !quiet))
            printf("%s:%u:%u: %s%s\n", d->file, d->line, d->col, d->warning ? "warning: " : "",
                   d->msg);
    }
    for (size_t i = 0; i < ty_sigma_set_nrules(set); i++)
        loaded += !ty_sigma_set_rule(set, i)->dropped;
    printf("%zu documents, %zu rules loaded, %zu errors, %zu warnings\n",
           ty_sigma_set_ndocs(set), loaded, errors, warnings);
    ty_sigma_set_free(set);
    return errors ? 1 : 0;
fail:
    ty_sigma_set_free(set);
    return cli_error("%s", err.msg[0] ? err.msg : ty_strerror(err.rc));
}

struct test_run {
    const struct ty_sigma_set *set;
    struct ty_sigma_scratch *sc;
    uint64_t *counts;
    bool count_only;
    const char *file;
    unsigned long n;
};

static int on_test_match(void *arg, const struct ty_event *ev, const struct ty_sigma_match *m)
{
    struct test_run *t = arg;
    const struct ty_sigma_rule_info *in = ty_sigma_set_rule(t->set, m->rule);
    (void)ev;
    t->counts[m->rule]++;
    if (t->count_only)
        return 0;
    printf("%s:%lu: %s %s:", t->file, t->n, in->uid, in->title);
    for (size_t i = 0; i < m->n_hits; i++)
        printf(" %.*s=%.*s", (int)m->hits[i].field.len,
               m->hits[i].field.len ? m->hits[i].field.p : "keyword",
               (int)(m->hits[i].value.len > 200 ? 200 : m->hits[i].value.len),
               m->hits[i].value.p);
    printf("\n");
    return 0;
}

static int test_json(struct test_run *t, struct ty_str doc, enum ty_sigma_map map)
{
    struct ty_err err;
    ty_err_clear(&err);
    t->n++;
    int rc = ty_sigma_match_json(t->set, t->sc, doc, map, on_test_match, t, &err);
    if (rc == TY_ECORRUPT || rc == TY_EINVAL) {
        fprintf(stderr, "tyto: %s: event %lu: %s\n", t->file, t->n, err.msg);
        return 0;
    }
    return rc;
}

/* A file of generic JSON events: one document, an array of them, or lines. */
static int test_file(struct test_run *t, const char *path, enum ty_sigma_map map)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return cli_error("%s: %s", path, strerror(errno));
    struct ty_buf b;
    ty_buf_init(&b, (size_t)1 << 30);
    char chunk[65536];
    size_t n;
    int rc = 0;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        if (ty_buf_add(&b, chunk, n)) {
            rc = cli_error("%s: larger than 1 GiB", path);
            break;
        }
    fclose(f);
    t->file = path;
    t->n = 0;
    struct ty_json_doc d;
    struct ty_err err;
    ty_json_doc_init(&d, 0, 0);
    if (rc == 0 && b.len && ty_json_parse(&d, b.buf, b.len, &err) == 0) {
        if (ty_json_type(&d, 0) == TY_JSON_ARRAY) {
            /* copies: matching re-tokenizes each element */
            for (uint32_t e = ty_json_first(&d, 0); e != TY_JSON_NONE && rc == 0;
                 e = ty_json_next(&d, e)) {
                struct ty_str raw = ty_json_raw(&d, e);
                struct ty_buf one;
                ty_buf_init(&one, 0);
                ty_buf_addstr(&one, raw);
                rc = test_json(t, ty_buf_str(&one), map);
                ty_buf_release(&one);
            }
        } else
            rc = test_json(t, ty_buf_str(&b), map);
    } else if (rc == 0) {
        /* JSON lines, or pretty-printed documents one after another: split at
         * the end of each top-level value (strings and escapes respected) */
        size_t start = 0, depth = 0;
        bool in_str = false, esc = false;
        for (size_t i = 0; i < b.len && rc == 0; i++) {
            char c = b.buf[i];
            if (in_str) {
                if (esc)
                    esc = false;
                else if (c == '\\')
                    esc = true;
                else if (c == '"')
                    in_str = false;
                continue;
            }
            if (c == '"')
                in_str = true;
            else if (c == '{' || c == '[')
                depth++;
            else if ((c == '}' || c == ']') && depth > 0 && --depth == 0) {
                rc = test_json(t, ty_str_trim((struct ty_str){b.buf + start, i + 1 - start}),
                               map);
                start = i + 1;
            }
        }
        if (rc == 0 && ty_str_trim((struct ty_str){b.buf + start, b.len - start}).len)
            fprintf(stderr, "tyto: %s: offset %zu: trailing data is not a JSON document\n",
                    path, start);
    }
    ty_json_doc_release(&d);
    ty_buf_release(&b);
    return rc;
}

static int on_parsed(void *arg, const struct ty_event *ev, const char *evidence)
{
    struct test_run *t = arg;
    t->file = evidence;
    t->n = ev->line;
    return ty_sigma_match_event(t->set, t->sc, ev, on_test_match, t);
}

static int rules_test(int argc, const char **argv)
{
    struct cli_rules rules = {.paths = {.n = 0}};
    const char *map = NULL, *format = NULL;
    bool count = false;
    struct opt opts[] = {
        CLI_RULE_OPTS(rules),
        {OPT_STRING, 'm', "map", &map, "MAP",
         "field map for generic JSON: evtx (X -> Event.EventData.X, Event.System.X)"},
        {OPT_STRING, 'f', "format", &format, "NAME",
         "parse EVENTS as evidence of this format (log sources apply) instead of generic JSON"},
        {OPT_FLAG, 'c', "count", &count, NULL, "print only RULE_ID COUNT per rule"},
        {OPT_END, 0, NULL, NULL, NULL, NULL},
    };
    struct cmd_usage u = {
        "tyto rules test [--rules PATH]... [--map evtx] [--count] [--format NAME] EVENTS...",
        "Run rules against sample events and print, per event, each rule that matched and the\n"
        "fields that made it match. EVENTS are generic JSON (one document, an array, or JSON\n"
        "lines) tested against every rule whatever its log source; with --format they are\n"
        "parsed as evidence and routed as in a case. Without --rules, tyto's own pack is used.",
        opts};
    if (opt_parse_args(&argc, argv, &u, 1, -1))
        return EXIT_USAGE;
    enum ty_sigma_map m = TY_SIGMA_MAP_NONE;
    if (map && strcmp(map, "evtx") == 0)
        m = TY_SIGMA_MAP_EVTX;
    else if (map)
        return cli_error("--map %s: the maps are: evtx", map) ? EXIT_USAGE : 0;
    if (rules.paths.n)
        rules.no_builtin = true;
    struct ty_sigma_set *set = cli_load_rules(&rules, true);
    if (!set)
        return 1;
    struct test_run t = {.set = set, .count_only = count};
    struct ty_err err;
    ty_err_clear(&err);
    int rc = ty_sigma_scratch_new(&t.sc, &err);
    t.counts = calloc(ty_sigma_set_nrules(set) + 1, sizeof(*t.counts));
    if (rc || !t.counts)
        rc = cli_error("out of memory");
    if (rc == 0 && format) {
        struct ty_ingest_stats stats;
        struct ty_ingest_opts io = {.format = format, .on_event = on_parsed, .arg = &t};
        if (ty_ingest(NULL, argv, (size_t)argc, &io, &stats, &err))
            rc = cli_error("%s", err.msg);
    }
    for (int i = 0; rc == 0 && !format && i < argc; i++)
        rc = test_file(&t, argv[i], m);
    if (rc == 0 && count)
        for (size_t i = 0; i < ty_sigma_set_nrules(set); i++) {
            const struct ty_sigma_rule_info *in = ty_sigma_set_rule(set, i);
            if (!in->dropped && in->kind == TY_SIGMA_DETECTION)
                printf("%s %llu\n", in->uid, (unsigned long long)t.counts[i]);
        }
    free(t.counts);
    ty_sigma_scratch_free(t.sc);
    ty_sigma_set_free(set);
    return rc;
}

int cmd_rules(int argc, const char **argv)
{
    if (argc < 2)
        return usage_sub();
    const char *sub = argv[1];
    argc--;
    argv++;
    if (strcmp(sub, "list") == 0)
        return rules_list(argc, argv);
    if (strcmp(sub, "lint") == 0)
        return rules_lint(argc, argv);
    if (strcmp(sub, "test") == 0)
        return rules_test(argc, argv);
    if (strcmp(sub, "-h") == 0 || strcmp(sub, "--help") == 0) {
        printf("usage: tyto rules list|lint|test ...\n"
               "  list   the loaded rules (tyto's pack and --rules paths)\n"
               "  lint   check rule files: FILE:LINE:COLUMN: what is wrong\n"
               "  test   run rules against sample events\n");
        return 0;
    }
    return usage_sub();
}
