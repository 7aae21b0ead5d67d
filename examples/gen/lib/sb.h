/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sb.h - a growable, always NUL-terminated string buffer: the generators build each record
 * and each file in one. Zero-initialise (struct sb b = { 0 }), free(b.p) when done.
 */
#ifndef GEN_SB_H
#define GEN_SB_H

#include <stddef.h>

struct sb {
    char *p;
    size_t n, cap;
};

/* Append n bytes. */
void sb_add(struct sb *b, const char *s, size_t n);
/* Append a C string. */
void sb_s(struct sb *b, const char *s);
/* Append printf-formatted text (at most 4095 bytes per call, more dies). */
void sb_f(struct sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Forget the content, keep the memory. */
void sb_reset(struct sb *b);

#endif
