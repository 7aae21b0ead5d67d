/* SPDX-License-Identifier: Apache-2.0 */
/*
 * arena.c - bump allocator: blocks chained, reset keeps one for reuse.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/arena.h>

struct ty_arena_block {
    struct ty_arena_block *next;
    size_t size; /* usable bytes in data */
    size_t used;
    _Alignas(16) unsigned char data[];
};

void ty_arena_init(struct ty_arena *a, size_t block_size, size_t max_total)
{
    a->head = NULL;
    a->spare = NULL;
    a->block_size = block_size ? block_size : 64 * 1024;
    a->used_total = 0;
    a->max_total = max_total;
}

static void free_chain(struct ty_arena_block *b)
{
    while (b) {
        struct ty_arena_block *n = b->next;
        free(b);
        b = n;
    }
}

void ty_arena_release(struct ty_arena *a)
{
    free_chain(a->head);
    free_chain(a->spare);
    a->head = a->spare = NULL;
    a->used_total = 0;
}

/* Blocks kept across resets, so a reused arena (one per record, one per
 * batch) stops calling malloc and faulting in fresh pages. */
#define KEEP_BYTES (16u << 20)

void ty_arena_reset(struct ty_arena *a)
{
    size_t kept = 0;
    for (struct ty_arena_block *b = a->spare; b; b = b->next)
        kept += b->size;
    struct ty_arena_block *b = a->head;
    while (b) {
        struct ty_arena_block *n = b->next;
        if (kept + b->size <= KEEP_BYTES) {
            kept += b->size;
            b->used = 0;
            b->next = a->spare;
            a->spare = b;
        } else {
            free(b);
        }
        b = n;
    }
    a->head = NULL;
    a->used_total = 0;
}

void *ty_arena_alloc(struct ty_arena *a, size_t n)
{
    size_t need = (n + 15) & ~(size_t)15;
    if (need < n)
        return NULL;
    if (a->max_total && (need > a->max_total || a->used_total > a->max_total - need))
        return NULL;
    struct ty_arena_block *b = a->head;
    if (!b || b->size - b->used < need) {
        /* a kept block big enough, else a new one */
        struct ty_arena_block **pp = &a->spare;
        while (*pp && (*pp)->size < need)
            pp = &(*pp)->next;
        if (*pp) {
            b = *pp;
            *pp = b->next;
            b->used = 0;
        } else {
            size_t sz = need > a->block_size ? need : a->block_size;
            b = malloc(sizeof(*b) + sz);
            if (!b)
                return NULL;
            b->size = sz;
            b->used = 0;
        }
        b->next = a->head;
        a->head = b;
    }
    void *p = b->data + b->used;
    b->used += need;
    a->used_total += need;
    return p;
}

char *ty_arena_memdup(struct ty_arena *a, const void *p, size_t n)
{
    char *d = ty_arena_alloc(a, n + 1);
    if (!d)
        return NULL;
    if (n)
        memcpy(d, p, n);
    d[n] = '\0';
    return d;
}

struct ty_str ty_arena_str(struct ty_arena *a, struct ty_str s)
{
    char *d = ty_arena_memdup(a, s.p, s.len);
    return d ? (struct ty_str){d, s.len} : TY_STR_NULL;
}

struct ty_str ty_arena_printf(struct ty_arena *a, const char *fmt, ...)
{
    va_list ap, cp;
    va_start(ap, fmt);
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0) {
        va_end(ap);
        return TY_STR_NULL;
    }
    char *d = ty_arena_alloc(a, (size_t)n + 1);
    if (!d) {
        va_end(ap);
        return TY_STR_NULL;
    }
    vsnprintf(d, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return (struct ty_str){d, (size_t)n};
}
