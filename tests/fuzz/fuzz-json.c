/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz-json.c - libFuzzer target for the JSON tokenizer: parses the input,
 * walks the whole tape checking its invariants (next > index, spans inside
 * the input, counts match the iteration API), decodes every string, looks up
 * every key, and compares accept/reject and the decoded tree with cJSON
 * (tests/unit/json-diff.h lists the documented differences).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/arena.h>
#include <tyto/json.h>

#include "../unit/json-diff.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ENSURE(x)                                                                                  \
    do {                                                                                           \
        if (!(x)) {                                                                                \
            fprintf(stderr, "fuzz-json: %s:%d: invariant failed: %s\n", __FILE__, __LINE__, #x);   \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

static uint32_t walk(const struct ty_json_doc *d, uint32_t i, struct ty_arena *a)
{
    const struct ty_json_tok *t;
    struct ty_str s;
    ENSURE(i < d->n_toks);
    t = ty_json_tok(d, i);
    ENSURE(t->next > i && t->next <= d->n_toks);
    ENSURE((size_t)t->off + t->len <= d->src_len);
    switch (t->type) {
    case TY_JSON_STRING:
        ENSURE(t->off >= 1 && d->src[t->off - 1] == '"');
        ENSURE((size_t)t->off + t->len < d->src_len && d->src[t->off + t->len] == '"');
        ENSURE(t->next == i + 1 && t->count == 0);
        ENSURE(ty_json_str(d, i, a, &s) == 0);
        ENSURE(s.len <= t->len);
        if (!(t->flags & TY_JSON_F_ESCAPED))
            ENSURE(s.p == d->src + t->off && !memchr(s.p, '\\', s.len));
        ENSURE(ty_json_text(d, i, a, &s) == 0);
        return t->next;
    case TY_JSON_NUMBER:
        ENSURE(t->len >= 1 && (d->src[t->off] == '-' || (d->src[t->off] >= '0' &&
                                                          d->src[t->off] <= '9')));
        ENSURE(t->next == i + 1 && t->count == 0);
        {
            int64_t v;
            int rc = ty_json_i64(d, i, &v);
            ENSURE(rc == 0 || rc == TY_EINVAL);
            if (t->flags & TY_JSON_F_FRAC)
                ENSURE(rc == TY_EINVAL);
        }
        return t->next;
    case TY_JSON_TRUE:
    case TY_JSON_FALSE:
    case TY_JSON_NULL: {
        const char *lit = t->type == TY_JSON_TRUE ? "true" : t->type == TY_JSON_FALSE ? "false"
                                                                                        : "null";
        bool b;
        ENSURE(t->len == strlen(lit) && memcmp(d->src + t->off, lit, t->len) == 0);
        ENSURE(t->next == i + 1 && t->count == 0);
        ENSURE((ty_json_bool(d, i, &b) == 0) == (t->type != TY_JSON_NULL));
        return t->next;
    }
    case TY_JSON_OBJECT:
    case TY_JSON_ARRAY: {
        int obj = t->type == TY_JSON_OBJECT;
        uint32_t j = i + 1, k = ty_json_first(d, i), c;
        ENSURE(t->len >= 2 && d->src[t->off] == (obj ? '{' : '['));
        ENSURE(d->src[t->off + t->len - 1] == (obj ? '}' : ']'));
        for (c = 0; c < t->count; c++) {
            ENSURE(k == j);
            if (obj) {
                ENSURE(j + 1 < d->n_toks);
                ENSURE(ty_json_type(d, j) == TY_JSON_STRING);
                ENSURE(ty_json_str(d, j, a, &s) == 0);
                /* the first member with this key is found, at or before this one */
                if (!memchr(s.p, '\0', s.len)) {
                    char *key = ty_arena_memdup(a, s.p, s.len);
                    uint32_t v = ty_json_get(d, i, key);
                    ENSURE(v != TY_JSON_NONE && v <= j + 1 && v > i);
                    ENSURE(ty_json_get_nocase(d, i, key) != TY_JSON_NONE);
                }
                walk(d, j, a);
                j = walk(d, j + 1, a);
                k = ty_json_next_member(d, k);
            } else {
                j = walk(d, j, a);
                k = ty_json_next(d, k);
            }
        }
        ENSURE(k == TY_JSON_NONE);
        ENSURE(j == t->next);
        ENSURE((t->count == 0) == (ty_json_first(d, i) == TY_JSON_NONE));
        return t->next;
    }
    default:
        ENSURE(!"bad token type");
        return 0;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ty_json_doc d, small;
    struct ty_arena a;
    struct ty_err err;
    const char *why = NULL;
    /* NUL-terminated copy: cJSON's trailing-garbage check reads p[len] */
    char *buf = malloc(size + 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    ty_json_doc_init(&d, JD_DEPTH, 0);
    ty_arena_init(&a, 0, 0);

    int rc = ty_json_parse(&d, buf, size, &err);
    ENSURE(rc == 0 || rc == TY_ECORRUPT);
    if (rc == 0) {
        ENSURE(d.n_toks > 0);
        ENSURE(walk(&d, 0, &a) == d.n_toks);
        ENSURE(ty_json_next(&d, 0) == TY_JSON_NONE);
    } else {
        ENSURE(strncmp(err.msg, "offset ", 7) == 0);
        ENSURE(d.n_toks == 0);
    }
    ty_arena_reset(&a);

    /* tight limits only ever turn an accept into a reject */
    ty_json_doc_init(&small, 4, 16);
    int rc2 = ty_json_parse(&small, buf, size, &err);
    ENSURE(rc2 == 0 || rc2 == TY_ECORRUPT);
    if (rc != 0)
        ENSURE(rc2 != 0);
    if (rc2 == 0) {
        ENSURE(small.n_toks == d.n_toks);
        for (uint32_t i = 0; i < d.n_toks; i++) {
            const struct ty_json_tok *x = &small.toks[i], *y = &d.toks[i];
            ENSURE(x->off == y->off && x->len == y->len && x->next == y->next &&
                   x->count == y->count && x->type == y->type && x->flags == y->flags);
        }
    }
    ty_json_doc_release(&small);

    if (jd_compare(buf, size, &d, &a, &why) == JD_MISMATCH) {
        fprintf(stderr, "fuzz-json: differs from cJSON: %s\n", why);
        abort();
    }
    ty_arena_release(&a);
    ty_json_doc_release(&d);
    free(buf);
    return 0;
}
