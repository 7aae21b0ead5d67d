/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store-dict.c - the string dictionary: DICT fields are stored as integer
 * ids into strings(id, s). A bounded in-process cache maps string -> id (so
 * repeated values cost no SQL while loading) and id -> string (so reading
 * events back costs no SQL per field). When the cache passes its byte budget
 * it is emptied at the next event boundary; lookups then fall back to SQL.
 */
#include <stdlib.h>
#include <string.h>

#include "store/store-int.h"

struct ty__dict_ent {
    uint64_t hash;
    int64_t id;
    size_t len;
    char s[]; /* len bytes + NUL */
};

#define MIN_SLOTS 4096

/* The cache's hash: 8 bytes per step (ty_str_hash goes a byte at a time,
 * and the write path hashes every DICT value of every event). */
static uint64_t str_hash(struct ty_str s)
{
    const uint64_t k = UINT64_C(0x9E3779B97F4A7C15);
    uint64_t h = (uint64_t)s.len * k, w;
    const char *p = s.p;
    size_t n = s.len;
    for (; n >= 8; n -= 8, p += 8) {
        memcpy(&w, p, 8);
        h = (h ^ w) * k;
        h ^= h >> 32;
    }
    w = 0;
    if (n)
        memcpy(&w, p, n);
    h = (h ^ w) * k;
    h ^= h >> 29;
    h *= UINT64_C(0xBF58476D1CE4E5B9);
    return h ^ (h >> 32);
}

static uint64_t id_hash(int64_t id)
{
    uint64_t x = (uint64_t)id * UINT64_C(0x9E3779B97F4A7C15);
    return x ^ (x >> 29);
}

void ty__dict_init(struct ty__dict *d, size_t max_bytes)
{
    memset(d, 0, sizeof(*d));
    ty_arena_init(&d->arena, (size_t)1 << 20, 0);
    d->max_bytes = max_bytes;
}

void ty__dict_release(struct ty__dict *d)
{
    ty_arena_release(&d->arena);
    free(d->by_s);
    free(d->by_id);
    memset(d, 0, sizeof(*d));
}

static size_t dict_bytes(const struct ty__dict *d)
{
    return d->arena.used_total + 2 * d->slots * sizeof(struct ty__dict_ent *);
}

void ty__dict_clear(struct ty__dict *d)
{
    ty_arena_reset(&d->arena);
    if (d->slots) {
        memset(d->by_s, 0, d->slots * sizeof(*d->by_s));
        memset(d->by_id, 0, d->slots * sizeof(*d->by_id));
    }
    d->n = 0;
    d->complete = false;
    d->evictions++;
}

void ty__dict_tidy(struct ty__dict *d)
{
    if (d->n && dict_bytes(d) > d->max_bytes)
        ty__dict_clear(d);
}

static struct ty__dict_ent *find_s(const struct ty__dict *d, struct ty_str s, uint64_t h)
{
    if (!d->slots)
        return NULL;
    size_t mask = d->slots - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        struct ty__dict_ent *e = d->by_s[i];
        if (!e)
            return NULL;
        if (e->hash == h && e->len == s.len && (s.len == 0 || memcmp(e->s, s.p, s.len) == 0))
            return e;
    }
}

static struct ty__dict_ent *find_id(const struct ty__dict *d, int64_t id)
{
    if (!d->slots)
        return NULL;
    size_t mask = d->slots - 1;
    for (size_t i = id_hash(id) & mask;; i = (i + 1) & mask) {
        struct ty__dict_ent *e = d->by_id[i];
        if (!e)
            return NULL;
        if (e->id == id)
            return e;
    }
}

static void place(struct ty__dict *d, struct ty__dict_ent *e)
{
    size_t mask = d->slots - 1, i;
    for (i = e->hash & mask; d->by_s[i]; i = (i + 1) & mask)
        ;
    d->by_s[i] = e;
    for (i = id_hash(e->id) & mask; d->by_id[i]; i = (i + 1) & mask)
        ;
    d->by_id[i] = e;
}

static int grow(struct ty__dict *d)
{
    size_t old = d->slots, nslots = old ? old * 2 : MIN_SLOTS;
    struct ty__dict_ent **ns = calloc(nslots, sizeof(*ns));
    struct ty__dict_ent **ni = calloc(nslots, sizeof(*ni));
    struct ty__dict_ent **os = d->by_s, **oi = d->by_id;
    if (!ns || !ni) {
        free(ns);
        free(ni);
        return TY_ENOMEM;
    }
    d->by_s = ns;
    d->by_id = ni;
    d->slots = nslots;
    for (size_t i = 0; i < old; i++)
        if (os[i])
            place(d, os[i]);
    free(os);
    free(oi);
    return 0;
}

/* Cache (s, id). The caller made sure it is not cached yet. NULL when out
 * of memory (the cache is an optimisation: callers go on without it). */
static struct ty__dict_ent *add(struct ty__dict *d, struct ty_str s, uint64_t h, int64_t id)
{
    struct ty__dict_ent *e;
    if ((d->n + 1) * 2 > d->slots && grow(d))
        return NULL;
    e = ty_arena_alloc(&d->arena, sizeof(*e) + s.len + 1);
    if (!e)
        return NULL;
    e->hash = h;
    e->id = id;
    e->len = s.len;
    if (s.len)
        memcpy(e->s, s.p, s.len);
    e->s[s.len] = '\0';
    place(d, e);
    d->n++;
    return e;
}

static int select_id(struct ty_store *st, struct ty_str s, int64_t *id, struct ty_err *err)
{
    int rc = ty__store_prep(st, &st->dict_sel, "SELECT id FROM strings WHERE s = ?1", err);
    if (rc)
        return rc;
    *id = 0;
    sqlite3_bind_text(st->dict_sel, 1, s.p ? s.p : "", (int)s.len, SQLITE_STATIC);
    int step = sqlite3_step(st->dict_sel);
    if (step == SQLITE_ROW)
        *id = sqlite3_column_int64(st->dict_sel, 0);
    else if (step != SQLITE_DONE)
        rc = ty__store_dberr(st, err, "dictionary lookup");
    sqlite3_reset(st->dict_sel);
    return rc;
}

static int insert_string(struct ty_store *st, struct ty_str s, int64_t *id, struct ty_err *err)
{
    int rc = ty__store_prep(st, &st->dict_ins, "INSERT INTO strings(s) VALUES(?1)", err);
    if (rc)
        return rc;
    sqlite3_bind_text(st->dict_ins, 1, s.p ? s.p : "", (int)s.len, SQLITE_STATIC);
    if (sqlite3_step(st->dict_ins) != SQLITE_DONE)
        rc = ty__store_dberr(st, err, "dictionary insert");
    else
        *id = sqlite3_last_insert_rowid(st->db);
    sqlite3_reset(st->dict_ins);
    return rc;
}

int ty__dict_intern(struct ty_store *st, struct ty_str s, int64_t *id, struct ty_err *err)
{
    struct ty__dict *d = &st->dict;
    int rc;

    if (s.len > INT32_MAX)
        return ty_err_set(err, TY_ETOOBIG, "case store: string of %zu bytes", s.len);
    if (s.len > TY__DICT_MAX_CACHED) {
        rc = select_id(st, s, id, err);
        if (rc == 0 && *id == 0)
            rc = insert_string(st, s, id, err);
        return rc;
    }
    uint64_t h = str_hash(s);
    struct ty__dict_ent *e = find_s(d, s, h);
    if (e) {
        d->hits++;
        *id = e->id;
        return 0;
    }
    d->misses++;
    *id = 0;
    if (!d->complete) {
        rc = select_id(st, s, id, err);
        if (rc)
            return rc;
    }
    if (*id == 0) {
        rc = insert_string(st, s, id, err);
        if (rc)
            return rc;
    }
    if (!add(d, s, h, *id))
        d->complete = false;
    return 0;
}

int ty__dict_find(struct ty_store *st, struct ty_str s, int64_t *id, struct ty_err *err)
{
    struct ty__dict *d = &st->dict;
    if (s.len > INT32_MAX) {
        *id = 0;
        return 0;
    }
    uint64_t h = str_hash(s);
    struct ty__dict_ent *e = find_s(d, s, h);
    if (e) {
        *id = e->id;
        return 0;
    }
    return select_id(st, s, id, err);
}

int ty__dict_get(struct ty_store *st, int64_t id, struct ty_str *out, struct ty_err *err)
{
    struct ty__dict *d = &st->dict;
    struct ty__dict_ent *e = find_id(d, id);
    int rc;

    if (e) {
        d->hits++;
        *out = ty_str_make(e->s, e->len);
        return 0;
    }
    d->misses++;
    rc = ty__store_prep(st, &st->dict_by_id, "SELECT s FROM strings WHERE id = ?1", err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st->dict_by_id, 1, id);
    int step = sqlite3_step(st->dict_by_id);
    if (step == SQLITE_ROW) {
        const char *p = (const char *)sqlite3_column_text(st->dict_by_id, 0);
        struct ty_str s = ty_str_make(p ? p : "", (size_t)sqlite3_column_bytes(st->dict_by_id, 0));
        e = add(d, s, str_hash(s), id);
        if (e)
            *out = ty_str_make(e->s, e->len);
        else
            rc = ty_err_set(err, TY_ENOMEM, "case store: out of memory for string %lld",
                            (long long)id);
    } else if (step == SQLITE_DONE) {
        rc = ty_err_set(err, TY_EDB, "case store: string id %lld is missing (corrupt case?)",
                        (long long)id);
    } else {
        rc = ty__store_dberr(st, err, "dictionary read");
    }
    sqlite3_reset(st->dict_by_id);
    return rc;
}
