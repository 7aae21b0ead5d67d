/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz-yaml.c - libFuzzer target for the YAML loader: parses the input under
 * an arena cap, then walks every document (explicit stack) checking the
 * tree's invariants: positions, NUL-terminated scalar texts, resolved values
 * consistent with their type, no duplicate keys, ty_ymap_get finding every
 * key, depth <= 64, and the walk bounded by the node limit (alias and merge
 * expansion included). A rejected input must carry a "line L column C:"
 * message and return no documents.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/arena.h>
#include <tyto/yaml.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ENSURE(x)                                                                                  \
    do {                                                                                           \
        if (!(x)) {                                                                                \
            fprintf(stderr, "fuzz-yaml: %s:%d: invariant failed: %s\n", __FILE__, __LINE__, #x);   \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

struct slot {
    const struct ty_ynode *n;
    size_t next; /* next child index (kv slot) */
};

static void check_scalar(const struct ty_ynode *n)
{
    ENSURE(n->text.p != NULL);
    ENSURE(n->text.p[n->text.len] == '\0');
    ENSURE(n->stype >= TY_YS_STR && n->stype <= TY_YS_NULL);
    ENSURE(n->kv == NULL && n->n == 0);
    if (n->stype == TY_YS_INT)
        ENSURE(n->f == (double)n->i);
    if (n->stype == TY_YS_BOOL)
        ENSURE(n->i == (int64_t)n->b);
    if (n->quoted && n->text.len == 0)
        ENSURE(n->stype == TY_YS_STR || n->stype == TY_YS_NULL);
}

static void check_map(const struct ty_ynode *m)
{
    for (size_t k = 0; k < m->n; k++) {
        const struct ty_ynode *key = m->kv[2 * k];
        ENSURE(key->kind == TY_Y_SCALAR);
        if (strlen(key->text.p) == key->text.len)
            ENSURE(ty_ymap_get(m, key->text.p) != NULL);
        if (m->n <= 64 && key->stype == TY_YS_STR)
            for (size_t j = 0; j < k; j++)
                ENSURE(!(m->kv[2 * j]->stype == TY_YS_STR &&
                         ty_str_eq(m->kv[2 * j]->text, key->text)));
    }
}

static void walk(const struct ty_ynode *root, size_t *visits)
{
    struct slot st[66];
    size_t depth = 0;
    st[depth++] = (struct slot){root, 0};
    (*visits)++;
    while (depth) {
        struct slot *s = &st[depth - 1];
        const struct ty_ynode *n = s->n, *kid;
        size_t n_slots;
        ENSURE(n->line >= 1 && n->col >= 1);
        ENSURE(n->kind >= TY_Y_SCALAR && n->kind <= TY_Y_SEQ);
        if (n->kind == TY_Y_SCALAR) {
            check_scalar(n);
            depth--;
            continue;
        }
        if (s->next == 0 && n->kind == TY_Y_MAP)
            check_map(n);
        n_slots = n->kind == TY_Y_MAP ? 2 * n->n : n->n;
        ENSURE(n_slots == 0 || n->kv != NULL);
        if (s->next == n_slots) {
            depth--;
            continue;
        }
        kid = n->kv[s->next++];
        ENSURE(kid != NULL);
        (*visits)++;
        ENSURE(*visits <= 1000000);
        /* a scalar needs no slot of its own beyond the 64 collections */
        ENSURE(depth < 65 || kid->kind == TY_Y_SCALAR);
        st[depth++] = (struct slot){kid, 0};
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ty_arena a;
    struct ty_ydocs d = {(struct ty_ynode **)1, 99};
    struct ty_err err = {0};
    size_t visits = 0;
    int rc;
    if (size > 256 * 1024)
        return 0;
    ty_arena_init(&a, 0, 256u << 20);
    rc = ty_yaml_parse((const char *)data, size, &a, &d, &err);
    if (rc) {
        ENSURE(rc == TY_ECORRUPT || rc == TY_ENOMEM);
        ENSURE(d.doc == NULL && d.n == 0);
        ENSURE(err.rc == rc);
        if (rc == TY_ECORRUPT)
            ENSURE(strncmp(err.msg, "line ", 5) == 0 && strstr(err.msg, " column ") != NULL);
    } else {
        ENSURE(d.n == 0 || d.doc != NULL);
        for (size_t k = 0; k < d.n; k++) {
            ENSURE(d.doc[k] != NULL);
            walk(d.doc[k], &visits);
        }
    }
    ty_arena_release(&a);
    return 0;
}
