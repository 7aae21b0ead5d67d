/* SPDX-License-Identifier: Apache-2.0 */
/*
 * str.h - borrowed byte spans.
 *
 * A struct ty_str points into memory it does not own (an input buffer, an
 * arena). It is valid only as long as that memory is; parsers document how
 * long. Spans are not NUL-terminated and may contain any byte.
 */
#ifndef TYTO_STR_H
#define TYTO_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct ty_str {
    const char *p;
    size_t len;
};

#define TY_STR_NULL ((struct ty_str){NULL, 0})
/* A span over a string literal. */
#define TY_STR_LIT(s) ((struct ty_str){(s), sizeof(s) - 1})

static inline struct ty_str ty_str_make(const char *p, size_t len)
{
    return (struct ty_str){p, len};
}

static inline struct ty_str ty_str_cstr(const char *s)
{
    return (struct ty_str){s, s ? strlen(s) : 0};
}

static inline bool ty_str_eq(struct ty_str a, struct ty_str b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

static inline bool ty_str_eq_cstr(struct ty_str a, const char *s)
{
    size_t n = strlen(s);
    return a.len == n && memcmp(a.p, s, n) == 0;
}

static inline bool ty_str_starts(struct ty_str a, const char *prefix)
{
    size_t n = strlen(prefix);
    return a.len >= n && memcmp(a.p, prefix, n) == 0;
}

static inline bool ty_str_ends(struct ty_str a, const char *suffix)
{
    size_t n = strlen(suffix);
    return a.len >= n && memcmp(a.p + a.len - n, suffix, n) == 0;
}

/* ASCII case-insensitive equality. */
bool ty_str_eq_nocase(struct ty_str a, struct ty_str b);
/* Whether needle (a C string) occurs in h; an empty needle does not. */
bool ty_str_contains(struct ty_str h, const char *needle);

/* Parse a decimal integer filling the whole span (optional leading '-').
 * Returns 0, or TY_EINVAL on any other byte or overflow. */
int ty_str_to_i64(struct ty_str s, int64_t *out);
int ty_str_to_u64(struct ty_str s, uint64_t *out);

/* Trim ASCII whitespace at both ends. */
struct ty_str ty_str_trim(struct ty_str s);

/* The value of a hexadecimal digit (either case), or -1. */
static inline int ty_hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Find byte c; returns its index or -1. */
static inline ptrdiff_t ty_str_chr(struct ty_str s, char c)
{
    const char *q = s.len ? memchr(s.p, c, s.len) : NULL;
    return q ? q - s.p : -1;
}

/* FNV-1a 64-bit hash of the bytes (dictionaries, dedupe). */
uint64_t ty_str_hash(struct ty_str s);

#endif
