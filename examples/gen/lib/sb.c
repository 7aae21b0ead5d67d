/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sb.c - growable string buffer (doubling, NUL-terminated) for building records and files.
 */
#include "sb.h"

#include "out.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void sb_add(struct sb *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;

        while (b->n + n + 1 > cap)
            cap *= 2;
        b->p = xrealloc(b->p, cap);
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

void sb_s(struct sb *b, const char *s)
{
    sb_add(b, s, strlen(s));
}

void sb_f(struct sb *b, const char *fmt, ...)
{
    char tmp[4096];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof tmp)
        die("internal: formatted text too long");
    sb_add(b, tmp, (size_t)n);
}

void sb_reset(struct sb *b)
{
    b->n = 0;
    if (b->p)
        b->p[0] = '\0';
}
