/* SPDX-License-Identifier: Apache-2.0 */
/*
 * strmap.h - a map from byte strings to 32-bit values (open addressing,
 * linear probing, keys copied into the map's arena). For the correlator's
 * entity and link tables: inserts and lookups only, no removal.
 */
#ifndef TYTO_STRMAP_H
#define TYTO_STRMAP_H

#include <stddef.h>
#include <stdint.h>

#include <tyto/arena.h>
#include <tyto/str.h>

struct ty_strmap_slot {
    const char *key;    /* NUL-terminated copy; NULL = empty slot */
    uint32_t len;
    uint32_t value;
    uint64_t hash;
};

struct ty_strmap {
    struct ty_strmap_slot *slots;
    size_t cap, n;
    size_t max;         /* 0: no cap; else insertions beyond max entries fail */
    struct ty_arena keys;
};

void ty_strmap_init(struct ty_strmap *m, size_t max);
void ty_strmap_release(struct ty_strmap *m);
/* The value of key, or -1 when absent. */
int64_t ty_strmap_get(const struct ty_strmap *m, struct ty_str key);
/* Find or insert key (with value): *slot points at its slot (valid until the
 * next insertion). Returns 1 when inserted, 0 when found, TY_ENOMEM on
 * failure or when the cap is reached. */
int ty_strmap_put(struct ty_strmap *m, struct ty_str key, uint32_t value,
                  struct ty_strmap_slot **slot);

#endif
