/* SPDX-License-Identifier: Apache-2.0 */
/*
 * notes.h - attack-notes.txt: each step of a story with its time and where it is recorded
 * (a file and the line/offset of the record, see lines.h), collected in any order and written
 * sorted by time.
 */
#ifndef GEN_NOTES_H
#define GEN_NOTES_H

#include <stdint.h>

#include "lines.h"

/* A step at t (ns) recorded by line l of file. */
void note(int64_t t, const char *file, const struct line *l, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* A step at t (ns) recorded at where (free text: a file, a folder, a byte range). */
void note_at(int64_t t, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Write ROOT/rel: header, then the notes sorted by time (ties in order of addition). */
void notes_write(const char *rel, const char *header);

#endif
