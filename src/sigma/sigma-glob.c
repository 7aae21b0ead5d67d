/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sigma-glob.c - Sigma wildcard strings: the escaping algorithm of
 * sigma-spec §4.3 (rule text -> tokens), the compiled part list, and the
 * matcher: fast paths for equality, prefix, suffix and substring (SSE2
 * first/last-byte filter on text folded 8 bytes at a time), else a
 * greedy glob that backtracks only to the last '*'. '?' matches one UTF-8
 * character.
 */
#define _GNU_SOURCE /* memmem, for substring search in long texts */
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "sigma/sigma-value-int.h"

#define FOLD_CHUNK 2048

int ty__glob_parse(struct ty_str s, struct ty_arena *a, struct ty__tokv *out)
{
    uint16_t *t = ty_arena_alloc(a, (s.len * 2 + 1) * sizeof(*t));
    size_t n = 0;
    bool esc = false;
    if (!t)
        return TY_ENOMEM;
    for (size_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.p[i];
        if (esc) {
            if (c == '*' || c == '?' || c == '\\') {
                t[n++] = c;
            } else {
                t[n++] = TY__TK_KEPT_BS;
                t[n++] = c;
            }
            esc = false;
        } else if (c == '\\') {
            esc = true;
        } else if (c == '*') {
            t[n++] = TY__TK_STAR;
        } else if (c == '?') {
            t[n++] = TY__TK_ONE;
        } else {
            t[n++] = c;
        }
    }
    if (esc)
        t[n++] = '\\';
    out->t = t;
    out->n = n;
    return 0;
}

bool ty__tok_wild(const struct ty__tokv *tv)
{
    for (size_t i = 0; i < tv->n; i++)
        if (tv->t[i] == TY__TK_STAR || tv->t[i] == TY__TK_ONE)
            return true;
    return false;
}

int ty__glob_build(struct ty_sv *v, const struct ty__tokv *tv, bool cased, struct ty_arena *a)
{
    size_t n_parts = 0, n_lit = 0;
    bool wild = false;
    for (size_t i = 0; i < tv->n; i++) {
        uint16_t t = tv->t[i];
        if (t == TY__TK_STAR) {
            wild = true;
            if (i == 0 || tv->t[i - 1] != TY__TK_STAR)
                n_parts++;
        } else if (t == TY__TK_ONE) {
            wild = true;
            n_parts++;
        } else {
            n_lit++;
            if (i == 0 || tv->t[i - 1] == TY__TK_STAR || tv->t[i - 1] == TY__TK_ONE)
                n_parts++;
        }
    }
    struct ty_glob_part *parts = ty_arena_alloc(a, (n_parts + 1) * sizeof(*parts));
    char *lit = ty_arena_alloc(a, n_lit + 1);
    if (!parts || !lit)
        return TY_ENOMEM;
    size_t np = 0, nl = 0;
    for (size_t i = 0; i < tv->n; i++) {
        uint16_t t = tv->t[i];
        if (t == TY__TK_STAR) {
            if (np == 0 || parts[np - 1].tok != TY_GT_STAR)
                parts[np++] = (struct ty_glob_part){TY_GT_STAR, TY_STR_NULL};
        } else if (t == TY__TK_ONE) {
            parts[np++] = (struct ty_glob_part){TY_GT_ONE, TY_STR_NULL};
        } else {
            unsigned char c = ty__tok_byte(t);
            if (np == 0 || parts[np - 1].tok != TY_GT_LIT)
                parts[np++] = (struct ty_glob_part){TY_GT_LIT, {lit + nl, 0}};
            lit[nl++] = (char)(cased ? c : ty_fold(c));
            parts[np - 1].lit.len++;
        }
    }
    lit[nl] = '\0';
    v->kind = TY_SV_GLOB;
    v->cased = cased;
    v->parts = parts;
    v->n_parts = (uint32_t)np;
    v->plain = wild ? TY_STR_NULL : ty_str_make(lit, nl);
    return 0;
}

static size_t cp_len(const char *s, size_t len)
{
    unsigned char c = (unsigned char)s[0];
    size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3
                                                 : (c & 0xF8) == 0xF0 ? 4 : 1;
    if (n > len)
        return 1;
    for (size_t i = 1; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            return 1;
    return n;
}

/* s[0..n) equals the (folded) literal lit. */
static bool lit_eq(const char *s, const char *lit, size_t n, bool cased)
{
    if (cased)
        return memcmp(s, lit, n) == 0;
    for (size_t i = 0; i < n; i++)
        if (ty_fold((unsigned char)s[i]) != (unsigned char)lit[i])
            return false;
    return true;
}

/* ASCII lower-casing 8 bytes at a time: a byte gets 0x20 added when it is
 * in 'A'..'Z' (bytes >= 0x80 are left alone). */
void ty__fold_copy(char *dst, const char *src, size_t n)
{
    const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t x, low7, ge_a, gt_z;
        memcpy(&x, src + i, 8);
        low7 = x & ~high;
        ge_a = low7 + ones * (0x80 - 'A');
        gt_z = low7 + ones * (0x80 - 'Z' - 1);
        x |= ((ge_a & ~gt_z & ~x & high) >> 2);
        memcpy(dst + i, &x, 8);
    }
    for (; i < n; i++)
        dst[i] = (char)ty_fold((unsigned char)src[i]);
}

/* Substring search. memmem sets up a shift table per call, too slow for
 * the short texts events hold; instead (SSE2) test 16 positions at a time
 * for the needle's first and last bytes, and memcmp the candidates. */
static const char *find_bytes(const char *h, size_t hn, const char *nd, size_t nn)
{
    size_t i = 0;
    if (nn == 1)
        return memchr(h, nd[0], hn);
    if (hn > 4096)
        return memmem(h, hn, nd, nn);
#ifdef __SSE2__
    const __m128i first = _mm_set1_epi8(nd[0]), last = _mm_set1_epi8(nd[nn - 1]);
    for (; i + nn - 1 + 16 <= hn; i += 16) {
        __m128i bf = _mm_loadu_si128((const __m128i *)(const void *)(h + i));
        __m128i bl = _mm_loadu_si128((const __m128i *)(const void *)(h + i + nn - 1));
        unsigned mask = (unsigned)_mm_movemask_epi8(
            _mm_and_si128(_mm_cmpeq_epi8(bf, first), _mm_cmpeq_epi8(bl, last)));
        while (mask) {
            unsigned bit = (unsigned)__builtin_ctz(mask);
            if (memcmp(h + i + bit + 1, nd + 1, nn - 2) == 0)
                return h + i + bit;
            mask &= mask - 1;
        }
    }
#endif
    for (; i + nn <= hn; i++)
        if (h[i] == nd[0] && h[i + nn - 1] == nd[nn - 1] && memcmp(h + i + 1, nd + 1, nn - 2) == 0)
            return h + i;
    return NULL;
}

ptrdiff_t ty__fold_find(const char *hay, size_t hn, const char *needle, size_t nn, bool cased)
{
    char buf[FOLD_CHUNK];
    if (nn == 0)
        return 0;
    if (hn < nn)
        return -1;
    if (cased) {
        const char *p = find_bytes(hay, hn, needle, nn);
        return p ? p - hay : -1;
    }
    if (nn > FOLD_CHUNK / 2) {
        for (size_t i = 0; i + nn <= hn; i++)
            if (lit_eq(hay + i, needle, nn, false))
                return (ptrdiff_t)i;
        return -1;
    }
    size_t off = 0;
    for (;;) {
        size_t take = hn - off < FOLD_CHUNK ? hn - off : FOLD_CHUNK;
        ty__fold_copy(buf, hay + off, take);
        const char *p = find_bytes(buf, take, needle, nn);
        if (p)
            return (ptrdiff_t)(off + (size_t)(p - buf));
        if (off + take >= hn)
            return -1;
        off += take - (nn - 1);
    }
}

static bool glob_general(const struct ty_glob_part *P, size_t n, const char *s, size_t len,
                         bool cased)
{
    size_t p = 0, t = 0, sp = SIZE_MAX, st = 0;
    ptrdiff_t off;
    for (;;) {
        if (p < n) {
            const struct ty_glob_part *q = &P[p];
            if (q->tok == TY_GT_STAR) {
                p++;
                if (p == n)
                    return true;
                sp = p;
                if (P[p].tok == TY_GT_LIT) {
                    off = ty__fold_find(s + t, len - t, P[p].lit.p, P[p].lit.len, cased);
                    if (off < 0)
                        return false;
                    t += (size_t)off;
                }
                st = t;
                continue;
            }
            if (q->tok == TY_GT_ONE) {
                if (t < len) {
                    t += cp_len(s + t, len - t);
                    p++;
                    continue;
                }
            } else if (len - t >= q->lit.len && lit_eq(s + t, q->lit.p, q->lit.len, cased)) {
                t += q->lit.len;
                p++;
                continue;
            }
        } else if (t == len) {
            return true;
        }
        /* mismatch: let the last '*' absorb one more character */
        if (sp == SIZE_MAX || st >= len)
            return false;
        st += cp_len(s + st, len - st);
        if (P[sp].tok == TY_GT_LIT) {
            off = ty__fold_find(s + st, len - st, P[sp].lit.p, P[sp].lit.len, cased);
            if (off < 0)
                return false;
            st += (size_t)off;
        }
        t = st;
        p = sp;
    }
}

bool ty__glob_match(const struct ty_sv *v, const char *s, size_t len, bool folded)
{
    if (!s)
        s = "";
    const struct ty_glob_part *P = v->parts;
    size_t n = v->n_parts;
    bool cased = v->cased || folded;
    if (n == 0)
        return len == 0;
    if (n == 1) {
        if (P[0].tok == TY_GT_LIT)
            return len == P[0].lit.len && lit_eq(s, P[0].lit.p, len, cased);
        if (P[0].tok == TY_GT_STAR)
            return true;
        return len > 0 && cp_len(s, len) == len;
    }
    if (n == 2 && P[0].tok == TY_GT_LIT && P[1].tok == TY_GT_STAR)
        return len >= P[0].lit.len && lit_eq(s, P[0].lit.p, P[0].lit.len, cased);
    if (n == 2 && P[0].tok == TY_GT_STAR && P[1].tok == TY_GT_LIT)
        return len >= P[1].lit.len &&
               lit_eq(s + len - P[1].lit.len, P[1].lit.p, P[1].lit.len, cased);
    if (n == 3 && P[0].tok == TY_GT_STAR && P[1].tok == TY_GT_LIT && P[2].tok == TY_GT_STAR)
        return ty__fold_find(s, len, P[1].lit.p, P[1].lit.len, cased) >= 0;
    return glob_general(P, n, s, len, cased);
}
