/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sigma-value-int.h - helpers shared by sigma-value.c (modifier pipeline),
 * sigma-value-match.c (evaluation), sigma-glob.c (wildcard strings:
 * parsing, compiling, matching) and sigma-value-encode.c (base64, UTF-16,
 * windash). Not API: only these files, the unit test and the fuzz target
 * include it.
 */
#ifndef TYTO_SIGMA_VALUE_INT_H
#define TYTO_SIGMA_VALUE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sigma/sigma-int.h"

/* A Sigma string while modifiers work on it: one code per element, a
 * literal byte (0..255) or one of these. */
enum {
    TY__TK_STAR = 256,   /* '*' wildcard */
    TY__TK_ONE = 257,    /* '?' wildcard */
    TY__TK_KEPT_BS = 258 /* a '\' kept literally before an ordinary character
                            (so |expand can tell "\%" from "\\%") */
};

struct ty__tokv {
    uint16_t *t;
    size_t n;
};

/* The escaping algorithm of sigma-spec §4.3 over s; tokens in the arena. */
int ty__glob_parse(struct ty_str s, struct ty_arena *a, struct ty__tokv *out);
/* True when tokens hold a wildcard. */
bool ty__tok_wild(const struct ty__tokv *tv);
/* Literal byte of a non-wildcard token. */
static inline unsigned char ty__tok_byte(uint16_t t)
{
    return t == TY__TK_KEPT_BS ? '\\' : (unsigned char)t;
}
/* Fill v (kind GLOB) from tokens: parts, folded unless cased; runs of '*'
 * collapse; plain set when there is no wildcard. */
int ty__glob_build(struct ty_sv *v, const struct ty__tokv *tv, bool cased, struct ty_arena *a);
/* Match a GLOB value against the whole text (fast paths inside). folded:
 * the caller already folded s (ty__fold_copy), so compare bytes as they are. */
bool ty__glob_match(const struct ty_sv *v, const char *s, size_t len, bool folded);
/* ASCII-fold n bytes (8 at a time). */
void ty__fold_copy(char *dst, const char *src, size_t n);
/* Find needle (already folded unless cased) in hay, folding hay on the fly
 * through a stack buffer. Returns the offset or -1. */
ptrdiff_t ty__fold_find(const char *hay, size_t hn, const char *needle, size_t nn, bool cased);

/* Standard base64 with '=' padding; out needs 4*((n+2)/3) bytes. Returns
 * the length written. */
size_t ty__b64(const unsigned char *in, size_t n, char *out);
/* |wide/|utf16le (which 0), |utf16be (1), |utf16 (2: BOM FF FE + LE).
 * Literal bytes are read as UTF-8 (TY_EINVAL on invalid UTF-8), wildcards
 * pass through. */
int ty__utf16(const struct ty__tokv *in, int which, struct ty_arena *a, struct ty__tokv *out,
              struct ty_err *err);
/* |windash: every variant (cartesian product over the flag positions), at
 * most max; *n_out set. TY_ETOOBIG past max. */
int ty__windash(const struct ty__tokv *in, struct ty_arena *a, struct ty__tokv **out,
                size_t *n_out, size_t max, struct ty_err *err);

#endif
