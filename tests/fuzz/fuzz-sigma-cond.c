/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz-sigma-cond.c - libFuzzer target for the condition parser. The first
 * line of the input lists the search identifiers (space separated, up to
 * 64), the rest is the condition. A parsed tree must be well formed, format
 * without error, and - when the identifiers can all be written directly -
 * format to a text that parses back to the same text and evaluates the same
 * under several truth assignments. A rejected condition must name a column.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sigma/sigma-int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ENSURE(x)                                                                                  \
    do {                                                                                           \
        if (!(x)) {                                                                                \
            fprintf(stderr, "fuzz-sigma-cond: %s:%d: invariant failed: %s\n", __FILE__, __LINE__,  \
                    #x);                                                                           \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

#define MAX_ID 64

static bool truth(void *arg, uint32_t ident)
{
    uint64_t mask = *(const uint64_t *)arg;
    ENSURE(ident < MAX_ID);
    return (mask >> ident) & 1;
}

static size_t check_tree(const struct ty_cond *c, size_t n_idents, int depth)
{
    size_t nodes = 1;
    ENSURE(depth < 1000);
    switch (c->op) {
    case TY_C_IDENT:
        ENSURE(c->ident < n_idents);
        break;
    case TY_C_NOT:
        ENSURE(c->n == 1);
        nodes += check_tree(c->kid[0], n_idents, depth + 1);
        break;
    case TY_C_AND:
    case TY_C_OR:
        ENSURE(c->n >= 2);
        for (uint32_t k = 0; k < c->n; k++)
            nodes += check_tree(c->kid[k], n_idents, depth + 1);
        break;
    default:
        ENSURE(0);
    }
    return nodes;
}

/* Can every identifier be written in a condition, and are they distinct? */
static bool writable(const struct ty_str *ids, size_t n)
{
    static const char *const kw[] = {"and", "or", "not", "of"};
    for (size_t k = 0; k < n; k++) {
        if (ids[k].len == 0)
            return false;
        for (size_t j = 0; j < ids[k].len; j++) {
            char ch = ids[k].p[j];
            if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                  (ch >= '0' && ch <= '9') || ch == '_' || ch == '-'))
                return false;
        }
        for (size_t j = 0; j < 4; j++)
            if (ty_str_eq_cstr(ids[k], kw[j]))
                return false;
        for (size_t j = 0; j < k; j++)
            if (ty_str_eq(ids[j], ids[k]))
                return false;
    }
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint64_t masks[] = {0, ~0ull, 0x5555555555555555ull, 0x3333333333333333ull,
                                     0x0123456789abcdefull};
    struct ty_str ids[MAX_ID];
    size_t n_ids = 0, k = 0, line_end;
    const char *p = (const char *)data;
    struct ty_arena a;
    struct ty_buf warn, f1, f2;
    struct ty_err err = {0};
    struct ty_cond *c = NULL, *c2 = NULL;
    int rc;

    if (size > 64 * 1024)
        return 0;
    line_end = 0;
    while (line_end < size && p[line_end] != '\n')
        line_end++;
    while (k < line_end && n_ids < MAX_ID) {
        size_t s;
        while (k < line_end && p[k] == ' ')
            k++;
        s = k;
        while (k < line_end && p[k] != ' ')
            k++;
        if (k > s)
            ids[n_ids++] = ty_str_make(p + s, k - s);
    }
    ty_arena_init(&a, 0, 64u << 20);
    ty_buf_init(&warn, 1 << 16);
    ty_buf_init(&f1, 1 << 20);
    ty_buf_init(&f2, 1 << 20);
    rc = ty_cond_parse(ty_str_make(p + (line_end < size ? line_end + 1 : size),
                                   line_end < size ? size - line_end - 1 : 0),
                       ids, n_ids, &a, &c, &warn, &err);
    if (rc) {
        ENSURE(rc == TY_EINVAL);
        ENSURE(c == NULL);
        ENSURE(strncmp(err.msg, "column ", 7) == 0);
        goto out;
    }
    ENSURE(c != NULL);
    check_tree(c, n_ids, 0);
    if (ty_cond_format(c, ids, &f1) != 0)
        goto out; /* a huge expansion may pass the cap: fine */
    if (!writable(ids, n_ids))
        goto out;
    rc = ty_cond_parse(ty_buf_str(&f1), ids, n_ids, &a, &c2, NULL, &err);
    /* the canonical form may add a level: "not 1 of x*" -> "not (x1 or x2)" */
    if (rc && strstr(err.msg, "nested deeper"))
        goto out;
    ENSURE(rc == 0);
    ENSURE(ty_cond_format(c2, ids, &f2) == 0);
    ENSURE(ty_str_eq(ty_buf_str(&f1), ty_buf_str(&f2)));
    for (size_t m = 0; m < sizeof(masks) / sizeof(masks[0]); m++)
        ENSURE(ty_cond_eval(c, truth, (void *)&masks[m]) ==
               ty_cond_eval(c2, truth, (void *)&masks[m]));
out:
    ty_buf_release(&f2);
    ty_buf_release(&f1);
    ty_buf_release(&warn);
    ty_arena_release(&a);
    return 0;
}
