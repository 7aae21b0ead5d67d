/* SPDX-License-Identifier: Apache-2.0 */
/*
 * json-diff.h - differential check of the JSON tokenizer against cJSON, shared
 * by tests/unit/test-json.c and tests/fuzz/fuzz-json.c: canonical printers for
 * a tyto tape and a cJSON tree, and the list of cJSON's known differences
 * (each verified on the input bytes, so a real tyto bug cannot hide behind it).
 */
#ifndef TYTO_TEST_JSON_DIFF_H
#define TYTO_TEST_JSON_DIFF_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include <tyto/arena.h>
#include <tyto/buf.h>
#include <tyto/json.h>

/* cJSON's fixed nesting limit (CJSON_NESTING_LIMIT): parse with it too. */
#define JD_DEPTH 1000

/* Outcome of one comparison. */
enum jd_result {
    JD_SAME_ACCEPT,  /* both accept, canonical trees equal */
    JD_SAME_REJECT,  /* both reject */
    JD_ALLOWED,      /* they differ in a documented way (jd_why says which) */
    JD_MISMATCH,     /* a real disagreement: a bug on one side */
};

/* Canonical string: decoded bytes, cut at the first NUL (cJSON strings are C
 * strings), '"', '\\' and bytes < 0x20 escaped. */
static inline void jd_str(struct ty_buf *b, const char *s, size_t n)
{
    ty_buf_addc(b, '"');
    for (size_t i = 0; i < n && s[i]; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\' || c < 0x20)
            ty_buf_addf(b, "\\u%04x", c);
        else
            ty_buf_addc(b, (char)c);
    }
    ty_buf_addc(b, '"');
}

static inline void jd_num(struct ty_buf *b, double v)
{
    ty_buf_addf(b, "%.17g", v);
}

/* Canonical form of the tape subtree at i; returns 0 or -1. */
static inline int jd_tape(struct ty_buf *b, const struct ty_json_doc *d, uint32_t i,
                          struct ty_arena *a)
{
    const struct ty_json_tok *t = ty_json_tok(d, i);
    struct ty_str s;
    uint32_t k;
    switch (t->type) {
    case TY_JSON_NULL: ty_buf_adds(b, "null"); return 0;
    case TY_JSON_TRUE: ty_buf_adds(b, "true"); return 0;
    case TY_JSON_FALSE: ty_buf_adds(b, "false"); return 0;
    case TY_JSON_NUMBER: {
        char *txt = ty_arena_memdup(a, d->src + t->off, t->len);
        if (!txt)
            return -1;
        jd_num(b, strtod(txt, NULL));
        return 0;
    }
    case TY_JSON_STRING:
        if (ty_json_str(d, i, a, &s) != 0)
            return -1;
        jd_str(b, s.p, s.len);
        return 0;
    case TY_JSON_OBJECT:
        ty_buf_addc(b, '{');
        for (k = ty_json_first(d, i); k != TY_JSON_NONE; k = ty_json_next_member(d, k)) {
            if (k != i + 1)
                ty_buf_addc(b, ',');
            if (ty_json_str(d, k, a, &s) != 0)
                return -1;
            jd_str(b, s.p, s.len);
            ty_buf_addc(b, ':');
            if (jd_tape(b, d, k + 1, a) != 0)
                return -1;
        }
        ty_buf_addc(b, '}');
        return 0;
    case TY_JSON_ARRAY:
        ty_buf_addc(b, '[');
        for (k = ty_json_first(d, i); k != TY_JSON_NONE; k = ty_json_next(d, k)) {
            if (k != i + 1)
                ty_buf_addc(b, ',');
            if (jd_tape(b, d, k, a) != 0)
                return -1;
        }
        ty_buf_addc(b, ']');
        return 0;
    default:
        return -1;
    }
}

static inline void jd_cjson(struct ty_buf *b, const cJSON *v)
{
    const cJSON *c;
    if (cJSON_IsNull(v)) {
        ty_buf_adds(b, "null");
    } else if (cJSON_IsTrue(v)) {
        ty_buf_adds(b, "true");
    } else if (cJSON_IsFalse(v)) {
        ty_buf_adds(b, "false");
    } else if (cJSON_IsNumber(v)) {
        jd_num(b, v->valuedouble);
    } else if (cJSON_IsString(v)) {
        jd_str(b, v->valuestring, strlen(v->valuestring));
    } else if (cJSON_IsObject(v)) {
        ty_buf_addc(b, '{');
        for (c = v->child; c; c = c->next) {
            if (c != v->child)
                ty_buf_addc(b, ',');
            jd_str(b, c->string, strlen(c->string));
            ty_buf_addc(b, ':');
            jd_cjson(b, c);
        }
        ty_buf_addc(b, '}');
    } else if (cJSON_IsArray(v)) {
        ty_buf_addc(b, '[');
        for (c = v->child; c; c = c->next) {
            if (c != v->child)
                ty_buf_addc(b, ',');
            jd_cjson(b, c);
        }
        ty_buf_addc(b, ']');
    } else {
        ty_buf_adds(b, "?");
    }
}

static inline int jd_hex4(const char *s, unsigned *v)
{
    *v = 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        unsigned x = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
                     : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                     : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
                                            : 16u;
        if (x > 15)
            return 0;
        *v = *v << 4 | x;
    }
    return 1;
}

/* Does any string of the tape hold a \u escape of a lone surrogate? tyto
 * accepts those (decoding to U+FFFD, evidence is kept); cJSON rejects. */
static inline int jd_has_lone_surrogate(const struct ty_json_doc *d)
{
    for (uint32_t i = 0; i < d->n_toks; i++) {
        const struct ty_json_tok *t = ty_json_tok(d, i);
        if (t->type != TY_JSON_STRING || !(t->flags & TY_JSON_F_ESCAPED))
            continue;
        const char *s = d->src + t->off, *e = s + t->len;
        while (s < e) {
            unsigned u, lo;
            if (*s != '\\') {
                s++;
                continue;
            }
            if (s[1] != 'u') {
                s += 2;
                continue;
            }
            jd_hex4(s + 2, &u);
            s += 6;
            if (u >= 0xdc00 && u <= 0xdfff)
                return 1;
            if (u >= 0xd800 && u <= 0xdbff) {
                if (e - s >= 6 && s[0] == '\\' && s[1] == 'u' && jd_hex4(s + 2, &lo) &&
                    lo >= 0xdc00 && lo <= 0xdfff)
                    s += 6;
                else
                    return 1;
            }
        }
    }
    return 0;
}

/* tyto rejected p[0..len) with msg "offset N: ..." and cJSON accepted: is it
 * one of cJSON's known laxities? Each claim is checked on the bytes at N. */
static inline const char *jd_cjson_lax(const char *p, size_t len, const char *msg)
{
    unsigned long long off;
    if (sscanf(msg, "offset %llu:", &off) != 1 || off > len)
        return NULL;
    unsigned char c = off < len ? (unsigned char)p[off] : 0;
    unsigned char prev = off > 0 ? (unsigned char)p[off - 1] : 0;
    /* cJSON does not check for raw control bytes inside strings */
    if (strstr(msg, "control byte in string") && off < len && c < 0x20)
        return "control byte in string";
    /* cJSON hands numbers to strtod: 01, -01, 1., 1.e5, -.5 */
    if (strstr(msg, "leading zero") && off < len && c >= '0' && c <= '9' && prev == '0')
        return "leading zero";
    if (strstr(msg, "after '.'") && prev == '.' && !(c >= '0' && c <= '9'))
        return "no digit after '.'";
    if (strstr(msg, "expected a digit") && c == '.' && prev == '-')
        return "no digit before '.'";
    /* cJSON decodes a \u escape with non-hex digits as U+0000 */
    if (strstr(msg, "hex digits") && off < len && !strchr("0123456789abcdefABCDEF", c ? c : 'x'))
        return "bad hex digit in \\u escape";
    /* cJSON skips every byte <= 0x20 as whitespace (NUL, \f, \v, ...) */
    if (off < len && c < 0x20 && c != '\t' && c != '\n' && c != '\r' &&
        !strstr(msg, "in string") && !strstr(msg, "\\u"))
        return "control byte as whitespace";
    return NULL;
}

/*
 * Compare tyto and cJSON on p[0..len) (p[len] must be readable and NUL for
 * cJSON's trailing-garbage check). On JD_ALLOWED, *why names the documented
 * difference; on JD_MISMATCH, *why says what differed.
 */
static inline enum jd_result jd_compare(const char *p, size_t len, struct ty_json_doc *d,
                                        struct ty_arena *a, const char **why)
{
    struct ty_err err;
    struct ty_buf b1, b2;
    const char *end = NULL;
    enum jd_result r;
    int rc = ty_json_parse(d, p, len, &err);
    cJSON *cj = cJSON_ParseWithLengthOpts(p, len + 1, &end, 1);
    *why = NULL;
    ty_buf_init(&b1, (size_t)1 << 30);
    ty_buf_init(&b2, (size_t)1 << 30);
    if (rc != 0 && !cj) {
        r = JD_SAME_REJECT;
    } else if (rc != 0) {
        *why = jd_cjson_lax(p, len, err.msg);
        r = *why ? JD_ALLOWED : JD_MISMATCH;
        if (!*why)
            *why = "tyto rejects, cJSON accepts";
    } else if (!cj) {
        r = jd_has_lone_surrogate(d) ? JD_ALLOWED : JD_MISMATCH;
        *why = r == JD_ALLOWED ? "lone surrogate" : "tyto accepts, cJSON rejects";
    } else {
        if (jd_tape(&b1, d, 0, a) != 0) {
            r = JD_MISMATCH;
            *why = "tyto tape walk failed";
        } else {
            jd_cjson(&b2, cj);
            r = b1.len == b2.len && memcmp(b1.buf, b2.buf, b1.len) == 0 ? JD_SAME_ACCEPT
                                                                        : JD_MISMATCH;
            if (r == JD_MISMATCH)
                *why = "canonical trees differ";
        }
    }
    cJSON_Delete(cj);
    ty_buf_release(&b1);
    ty_buf_release(&b2);
    ty_arena_reset(a);
    return r;
}

#endif
