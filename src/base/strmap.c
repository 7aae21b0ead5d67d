/* SPDX-License-Identifier: Apache-2.0 */
/*
 * strmap.c - string to uint32 map: open addressing with linear probing,
 * kept at most half full, keys in an arena (see strmap.h).
 */
#include <tyto/err.h>
#include <tyto/strmap.h>

#include <stdlib.h>
#include <string.h>

void ty_strmap_init(struct ty_strmap *m, size_t max)
{
    memset(m, 0, sizeof(*m));
    m->max = max;
    ty_arena_init(&m->keys, 64 * 1024, 0);
}

void ty_strmap_release(struct ty_strmap *m)
{
    free(m->slots);
    ty_arena_release(&m->keys);
    memset(m, 0, sizeof(*m));
}

static struct ty_strmap_slot *find(const struct ty_strmap *m, struct ty_str key, uint64_t h)
{
    size_t mask = m->cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        struct ty_strmap_slot *s = &m->slots[i];
        if (!s->key || (s->hash == h && s->len == key.len && memcmp(s->key, key.p, key.len) == 0))
            return s;
    }
}

int64_t ty_strmap_get(const struct ty_strmap *m, struct ty_str key)
{
    if (!m->cap)
        return -1;
    const struct ty_strmap_slot *s = find(m, key, ty_str_hash(key));
    return s->key ? (int64_t)s->value : -1;
}

static int grow(struct ty_strmap *m)
{
    size_t cap = m->cap ? m->cap * 2 : 64;
    struct ty_strmap_slot *old = m->slots;
    size_t old_cap = m->cap;
    m->slots = calloc(cap, sizeof(*m->slots));
    if (!m->slots) {
        m->slots = old;
        return TY_ENOMEM;
    }
    m->cap = cap;
    for (size_t i = 0; i < old_cap; i++) {
        if (!old[i].key)
            continue;
        struct ty_strmap_slot *s = find(m, ty_str_make(old[i].key, old[i].len), old[i].hash);
        *s = old[i];
    }
    free(old);
    return 0;
}

int ty_strmap_put(struct ty_strmap *m, struct ty_str key, uint32_t value,
                  struct ty_strmap_slot **slot)
{
    if (key.len > UINT32_MAX)
        return TY_ENOMEM;
    if ((m->n + 1) * 2 > m->cap && grow(m))
        return TY_ENOMEM;
    uint64_t h = ty_str_hash(key);
    struct ty_strmap_slot *s = find(m, key, h);
    if (s->key) {
        if (slot)
            *slot = s;
        return 0;
    }
    if (m->max && m->n >= m->max)
        return TY_ENOMEM;
    char *k = ty_arena_memdup(&m->keys, key.p ? key.p : "", key.len);
    if (!k)
        return TY_ENOMEM;
    s->key = k;
    s->len = (uint32_t)key.len;
    s->hash = h;
    s->value = value;
    m->n++;
    if (slot)
        *slot = s;
    return 1;
}
