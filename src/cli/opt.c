/* SPDX-License-Identifier: Apache-2.0 */
/*
 * opt.c - a small declarative option parser for the commands (git's
 * parse-options in spirit): --long, --long=value, --long value, -s value,
 * "--" ends options, options and operands may mix.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void opt_usage(const struct cmd_usage *u, FILE *out)
{
    fprintf(out, "usage: %s\n\n%s\n", u->synopsis, u->summary);
    if (!u->opts || u->opts[0].type == OPT_END)
        return;
    fputs("\noptions:\n", out);
    for (const struct opt *o = u->opts; o->type != OPT_END; o++) {
        char left[64];
        int n = 0;
        if (o->short_name)
            n = snprintf(left, sizeof(left), "-%c, ", o->short_name);
        snprintf(left + n, sizeof(left) - (size_t)n, "--%s%s%s", o->long_name,
                 o->type == OPT_FLAG ? "" : " ", o->type == OPT_FLAG ? "" : o->argh);
        fprintf(out, "  %-28s %s\n", left, o->help);
    }
    fprintf(out, "  %-28s %s\n", "-h, --help", "show this help");
}

static const struct opt *find_long(const struct opt *opts, const char *name, size_t len)
{
    for (const struct opt *o = opts; o && o->type != OPT_END; o++)
        if (strlen(o->long_name) == len && memcmp(o->long_name, name, len) == 0)
            return o;
    return NULL;
}

static const struct opt *find_short(const struct opt *opts, char c)
{
    for (const struct opt *o = opts; o && o->type != OPT_END; o++)
        if (o->short_name == c)
            return o;
    return NULL;
}

static int set_value(const struct opt *o, const char *v)
{
    switch (o->type) {
    case OPT_STRING:
        *(const char **)o->value = v;
        return 0;
    case OPT_INT: {
        char *end;
        long long x = strtoll(v, &end, 10);
        if (!*v || *end)
            return cli_error("--%s takes a number, not '%s'", o->long_name, v) ? EXIT_USAGE : 0;
        *(int64_t *)o->value = x;
        return 0;
    }
    case OPT_LIST: {
        struct opt_list *l = o->value;
        if (l->n >= OPT_LIST_MAX)
            return cli_error("--%s given too many times", o->long_name) ? EXIT_USAGE : 0;
        l->v[l->n++] = v;
        return 0;
    }
    default:
        return 0;
    }
}

int opt_parse(int *argc, const char **argv, const struct cmd_usage *u)
{
    int n = *argc, out = 0;
    bool only_operands = false;
    for (int i = 1; i < n; i++) {
        const char *a = argv[i];
        if (only_operands || a[0] != '-' || a[1] == '\0') {
            argv[out++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_operands = true;
            continue;
        }
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            opt_usage(u, stdout);
            exit(0);
        }
        const struct opt *o;
        const char *val = NULL;
        if (a[1] == '-') {
            const char *eq = strchr(a + 2, '=');
            size_t len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
            o = find_long(u->opts, a + 2, len);
            if (eq)
                val = eq + 1;
        } else {
            o = find_short(u->opts, a[1]);
            if (o && a[2])
                val = a + 2;
        }
        if (!o) {
            cli_error("unknown option '%s' (see --help)", a);
            return EXIT_USAGE;
        }
        if (o->type == OPT_FLAG) {
            if (val) {
                cli_error("option --%s takes no value", o->long_name);
                return EXIT_USAGE;
            }
            *(bool *)o->value = true;
            continue;
        }
        if (!val) {
            if (i + 1 >= n) {
                cli_error("option --%s needs %s", o->long_name, o->argh);
                return EXIT_USAGE;
            }
            val = argv[++i];
        }
        if (set_value(o, val))
            return EXIT_USAGE;
    }
    *argc = out;
    return 0;
}

int opt_parse_args(int *argc, const char **argv, const struct cmd_usage *u, int min, int max)
{
    if (opt_parse(argc, argv, u))
        return EXIT_USAGE;
    if (*argc < min || (max >= 0 && *argc > max)) {
        opt_usage(u, stderr);
        return EXIT_USAGE;
    }
    return 0;
}
