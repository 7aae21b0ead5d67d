/* SPDX-License-Identifier: Apache-2.0 */
/*
 * arena.h - bump allocator for per-record and per-batch memory.
 *
 * Parsers take event strings that need rewriting (JSON unescaping, composed
 * values) from an arena that the driver resets after the record's events
 * were handed to the store. There is no per-allocation free.
 */
#ifndef TYTO_ARENA_H
#define TYTO_ARENA_H

#include <stdarg.h>
#include <stddef.h>

#include <tyto/str.h>

struct ty_arena_block;

struct ty_arena {
    struct ty_arena_block *head;  /* current block */
    struct ty_arena_block *spare; /* blocks kept for reuse after reset */
    size_t block_size;
    size_t used_total;
    size_t max_total; /* cap on live bytes; 0 = no cap */
};

void ty_arena_init(struct ty_arena *a, size_t block_size, size_t max_total);
void ty_arena_release(struct ty_arena *a);
/* Forget every allocation; blocks (up to 16 MiB) are kept for reuse. */
void ty_arena_reset(struct ty_arena *a);
/* 8-byte aligned; NULL when memory or the cap runs out. */
void *ty_arena_alloc(struct ty_arena *a, size_t n);
/* Copy bytes (NUL-terminated copy); NULL on failure. */
char *ty_arena_memdup(struct ty_arena *a, const void *p, size_t n);
/* Copy a span into the arena; returns TY_STR_NULL span (p NULL) on failure. */
struct ty_str ty_arena_str(struct ty_arena *a, struct ty_str s);
struct ty_str ty_arena_printf(struct ty_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
