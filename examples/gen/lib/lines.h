/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lines.h - a log file built out of order: lines are added with their time (and an optional
 * tag marking a line an attack note must point at), then sorted stably by time and rendered;
 * each line then knows its 1-based line number and byte offset in the file.
 */
#ifndef GEN_LINES_H
#define GEN_LINES_H

#include <stddef.h>
#include <stdint.h>

#include "sb.h"

struct line {
    int64_t t;      /* sort key (any unit, e.g. ns) */
    size_t seq;     /* order of addition: ties keep it */
    int tag;        /* 0, or a caller's mark */
    char *text;     /* without the newline */
    size_t off;     /* after lines_render: byte offset in the file */
    size_t lineno;  /* after lines_render: 1-based line number */
};

struct lines {
    struct line *v;
    size_t n, cap;
};

/* Add a printf-formatted line (no newline). */
void lines_add(struct lines *ls, int64_t t, int tag, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Add b's text as a line and take its memory (b is left empty). */
void lines_take(struct lines *ls, int64_t t, int tag, struct sb *b);
/* Sort by time, then append each line and a newline to b; offsets and line numbers count
 * what b already holds (a header, say). */
void lines_render(struct lines *ls, struct sb *b);
/* The first line carrying tag (after lines_render); dies if there is none. */
const struct line *lines_tag(const struct lines *ls, int tag);
void lines_free(struct lines *ls);

#endif
