/* SPDX-License-Identifier: Apache-2.0 */
/*
 * notes.c - attack-notes.txt writer (notes.h): "<RFC 3339 ms time>  <step>" then the place
 * that records it, indented, one block per step, sorted by time.
 */
#include "notes.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "out.h"
#include "sb.h"
#include "timefmt.h"

struct note {
    int64_t t;
    size_t seq;
    char *text;
};
static struct note *notes;
static size_t nnotes;

static void add(int64_t t, const char *where, const char *fmt, va_list ap)
{
    char what[1024], buf[2048], ts[TF_LEN];

    vsnprintf(what, sizeof(what), fmt, ap);
    tf_iso_ms(ts, t / 1000000);
    snprintf(buf, sizeof(buf), "%s  %s\n    %s\n", ts, what, where);
    notes = xrealloc(notes, (nnotes + 1) * sizeof(*notes));
    notes[nnotes].t = t;
    notes[nnotes].seq = nnotes;
    notes[nnotes].text = xstrdup(buf);
    nnotes++;
}

void note(int64_t t, const char *file, const struct line *l, const char *fmt, ...)
{
    char where[1024];
    va_list ap;

    snprintf(where, sizeof(where), "%s line %zu (offset %zu)", file, l->lineno, l->off);
    va_start(ap, fmt);
    add(t, where, fmt, ap);
    va_end(ap);
}

void note_at(int64_t t, const char *where, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    add(t, where, fmt, ap);
    va_end(ap);
}

static int cmp(const void *a, const void *b)
{
    const struct note *x = a, *y = b;

    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void notes_write(const char *rel, const char *header)
{
    struct sb b = { 0 };
    size_t i;

    sb_s(&b, header);
    qsort(notes, nnotes, sizeof(*notes), cmp);
    for (i = 0; i < nnotes; i++) {
        sb_s(&b, notes[i].text);
        free(notes[i].text);
    }
    free(notes);
    notes = NULL;
    nnotes = 0;
    out_meta_file(rel, b.p, b.n);
    free(b.p);
}
