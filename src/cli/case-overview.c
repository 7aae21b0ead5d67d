/* SPDX-License-Identifier: Apache-2.0 */
/*
 * case-overview.c - the first look at a case that `tyto investigate` prints
 * before detection exists: who acted most, from which addresses, and which
 * actors were refused or failed most. Facts counted from the events, no
 * judgement.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

struct table {
    const char *title;
    unsigned rows;
};

static int row(void *arg, int ncols, const char *const *names, const char *const *values)
{
    struct table *t = arg;
    if (t->rows++ == 0)
        printf("\n%s\n", t->title);
    printf("  %8s  %8s  %s\n", values[1] ? values[1] : "0", ncols > 2 && values[2] ? values[2] : "",
           values[0] ? values[0] : "");
    return 0;
}

/* The id of a dictionary string, inlined as a subquery (values are ours, constant). */
#define DICT(s) "(SELECT id FROM strings WHERE s = '" s "')"

int cli_print_overview(struct ty_store *st, unsigned top)
{
    static const struct {
        const char *title;
        const char *sql;
    } parts[] = {
        {"most active principals:    events  failures",
         "SELECT s.s, count(*), sum(e.outcome = " DICT("failure") ") FROM events e"
         " JOIN strings s ON s.id = e.actor GROUP BY e.actor ORDER BY 2 DESC, 1 LIMIT %u"},
        {"most frequent source addresses:  events  failures",
         "SELECT ty_ip(e.src_ip), count(*), sum(e.outcome = " DICT("failure") ") FROM events e"
         " WHERE e.src_ip IS NOT NULL GROUP BY e.src_ip ORDER BY 2 DESC, 1 LIMIT %u"},
        {"principals with the most failed or refused actions:  failures  actions",
         "SELECT s.s, count(*), count(DISTINCT e.action) FROM events e"
         " JOIN strings s ON s.id = e.actor WHERE e.outcome = " DICT("failure")
         " GROUP BY e.actor ORDER BY 2 DESC, 1 LIMIT %u"},
    };
    char sql[1024];
    struct ty_err err;
    for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
        struct table t = {parts[i].title, 0};
        snprintf(sql, sizeof(sql), parts[i].sql, top);
        ty_err_clear(&err);
        if (ty_store_sql(st, sql, row, &t, &err) < 0)
            return cli_error("overview: %s", err.msg);
    }
    return 0;
}
