/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lines.c - log files built out of order and sorted by time (lines.h); the line number and
 * byte offset of each line are kept so attack notes and answer keys can point at records.
 */
#include "lines.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "out.h"

static struct line *line_new(struct lines *ls, int64_t t, int tag)
{
    struct line *l;

    if (ls->n == ls->cap) {
        ls->cap = ls->cap ? ls->cap * 2 : 1024;
        ls->v = xrealloc(ls->v, ls->cap * sizeof(*ls->v));
    }
    l = &ls->v[ls->n];
    l->t = t;
    l->seq = ls->n++;
    l->tag = tag;
    l->text = NULL;
    l->off = l->lineno = 0;
    return l;
}

void lines_add(struct lines *ls, int64_t t, int tag, const char *fmt, ...)
{
    struct line *l = line_new(ls, t, tag);
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        die("lines_add: bad format");
    l->text = xrealloc(NULL, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(l->text, (size_t)n + 1, fmt, ap);
    va_end(ap);
}

void lines_take(struct lines *ls, int64_t t, int tag, struct sb *b)
{
    struct line *l = line_new(ls, t, tag);

    l->text = b->p ? b->p : xstrdup("");
    b->p = NULL;
    b->n = b->cap = 0;
}

static int line_cmp(const void *a, const void *b)
{
    const struct line *x = a, *y = b;

    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void lines_render(struct lines *ls, struct sb *b)
{
    size_t i, lineno = 1;

    for (i = 0; i < b->n; i++)
        lineno += b->p[i] == '\n';
    qsort(ls->v, ls->n, sizeof(*ls->v), line_cmp);
    for (i = 0; i < ls->n; i++) {
        ls->v[i].off = b->n;
        ls->v[i].lineno = lineno++;
        sb_s(b, ls->v[i].text);
        sb_add(b, "\n", 1);
    }
}

const struct line *lines_tag(const struct lines *ls, int tag)
{
    size_t i;

    for (i = 0; i < ls->n; i++)
        if (ls->v[i].tag == tag)
            return &ls->v[i];
    die("no line tagged %d", tag);
}

void lines_free(struct lines *ls)
{
    size_t i;

    for (i = 0; i < ls->n; i++)
        free(ls->v[i].text);
    free(ls->v);
    ls->v = NULL;
    ls->n = ls->cap = 0;
}
