/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sigma-index.c - which rules an event must be tested against.
 *
 * A route is the set of detection rules that apply to one parser's events
 * of one taxonomy category (log source containment, sigma-spec §2.1). Inside
 * a route, a rule whose condition requires one field to equal one of a few
 * plain values (eventName: [CreateUser, CreateAccessKey]) is filed under
 * those values; the matcher looks up the event's value of that field and
 * tests only the rules filed there, plus the rules that have no such key.
 */
#include <stdlib.h>
#include <string.h>

#include "sigma/sigma-set-int.h"

/* Fields worth indexing first: the most selective in cloud logs. */
static const char *const preferred[] = {
    "eventName", "verb", "methodName", "protoPayload.methodName", "operationName",
    "objectRef.resource", "eventSource", "type", "EventID", NULL,
};

struct bucket_ent {
    struct ty_str key; /* folded */
    uint64_t hash;
    uint32_t *rules;
    uint32_t n, cap;
};

struct sigma_bucket {
    struct bucket_ent *e;
    size_t cap, n; /* open addressing, cap a power of two */
    size_t min_len, max_len; /* of the keys: a value outside needs no hashing */
};

static uint64_t hash_folded(struct ty_str s)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < s.len; i++) {
        h ^= ty_fold((unsigned char)s.p[i]);
        h *= 1099511628211ull;
    }
    return h;
}

static bool eq_folded(struct ty_str a, struct ty_str b)
{
    if (a.len != b.len)
        return false;
    for (size_t i = 0; i < a.len; i++)
        if (ty_fold((unsigned char)a.p[i]) != ty_fold((unsigned char)b.p[i]))
            return false;
    return true;
}

const uint32_t *ty__sigma_bucket_get(const struct sigma_bucket *b, struct ty_str v, uint32_t *n)
{
    if (!b->cap || v.len < b->min_len || v.len > b->max_len)
        return NULL;
    uint64_t h = hash_folded(v);
    for (size_t i = h & (b->cap - 1);; i = (i + 1) & (b->cap - 1)) {
        const struct bucket_ent *e = &b->e[i];
        if (!e->key.p)
            return NULL;
        if (e->hash == h && eq_folded(e->key, v)) {
            *n = e->n;
            return e->rules;
        }
    }
}

static int bucket_add(struct sigma_bucket *b, struct ty_str key, uint32_t rule)
{
    if ((b->n + 1) * 2 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 16;
        struct bucket_ent *e = calloc(cap, sizeof(*e));
        if (!e)
            return TY_ENOMEM;
        for (size_t i = 0; i < b->cap; i++) {
            if (!b->e[i].key.p)
                continue;
            size_t j = b->e[i].hash & (cap - 1);
            while (e[j].key.p)
                j = (j + 1) & (cap - 1);
            e[j] = b->e[i];
        }
        free(b->e);
        b->e = e;
        b->cap = cap;
    }
    uint64_t h = hash_folded(key);
    size_t i = h & (b->cap - 1);
    while (b->e[i].key.p && !(b->e[i].hash == h && eq_folded(b->e[i].key, key)))
        i = (i + 1) & (b->cap - 1);
    struct bucket_ent *e = &b->e[i];
    if (!e->key.p) {
        e->key = key;
        e->hash = h;
        if (b->n == 0 || key.len < b->min_len)
            b->min_len = key.len;
        if (key.len > b->max_len)
            b->max_len = key.len;
        b->n++;
    }
    if (e->n && e->rules[e->n - 1] == rule)
        return 0;
    if (e->n == e->cap) {
        uint32_t cap = e->cap ? e->cap * 2 : 4;
        uint32_t *r = realloc(e->rules, cap * sizeof(*r));
        if (!r)
            return TY_ENOMEM;
        e->rules = r;
        e->cap = cap;
    }
    e->rules[e->n++] = rule;
    return 0;
}

static void bucket_free(struct sigma_bucket *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->cap; i++)
        free(b->e[i].rules);
    free(b->e);
    free(b);
}

void ty__sigma_route_release(struct sigma_route *r)
{
    for (uint32_t i = 0; i < r->n_ix; i++)
        bucket_free(r->ix[i].b);
    free(r->ix);
    free(r->plain);
    memset(r, 0, sizeof(*r));
}

/* ---- what a rule requires ---- */

/* A requirement: field must equal one of values (folded plain strings). */
struct req {
    struct ty_str field;
    const struct ty_sitem *items[8]; /* the items whose plain values make up the set */
    uint32_t n_items;
    bool ok;
};

static bool item_indexable(const struct ty_sitem *it)
{
    if (!it->field.len || it->neq || it->n == 0 || (it->all && it->n > 1))
        return false;
    for (uint32_t g = 0; g < it->n; g++)
        for (uint32_t a = 0; a < it->g[g].n; a++) {
            const struct ty_sv *v = &it->g[g].alt[a];
            if (v->kind != TY_SV_GLOB || !v->plain.p)
                return false;
        }
    return true;
}

static int rank(struct ty_str field)
{
    for (int i = 0; preferred[i]; i++)
        if (ty_str_eq_cstr(field, preferred[i]))
            return i;
    return 100;
}

static struct req req_alt(const struct sigma_alt *alt)
{
    struct req best = {.ok = false};
    for (uint32_t i = 0; i < alt->n; i++) {
        const struct ty_sitem *it = &alt->item[i];
        if (!item_indexable(it))
            continue;
        if (!best.ok || rank(it->field) < rank(best.field)) {
            best.ok = true;
            best.field = it->field;
            best.items[0] = it;
            best.n_items = 1;
        }
    }
    return best;
}

/* The OR of requirements holds when they name the same field. */
static struct req req_or(struct req a, struct req b)
{
    struct req none = {.ok = false};
    if (!a.ok || !b.ok || !ty_str_eq(a.field, b.field) ||
        a.n_items + b.n_items > sizeof(a.items) / sizeof(a.items[0]))
        return none;
    for (uint32_t i = 0; i < b.n_items; i++)
        a.items[a.n_items++] = b.items[i];
    return a;
}

static struct req req_det(const struct sigma_det *d)
{
    struct req r = {.ok = false};
    for (uint32_t i = 0; i < d->n; i++) {
        struct req a = req_alt(&d->alt[i]);
        r = i == 0 ? a : req_or(r, a);
        if (!r.ok)
            break;
    }
    return r;
}

static struct req req_cond(const struct sigma_logic *lg, const struct ty_cond *c)
{
    struct req none = {.ok = false}, r = none;
    switch (c->op) {
    case TY_C_IDENT:
        return req_det(&lg->det[c->ident]);
    case TY_C_AND:
        for (uint32_t i = 0; i < c->n; i++) {
            struct req k = req_cond(lg, c->kid[i]);
            if (k.ok && (!r.ok || rank(k.field) < rank(r.field)))
                r = k;
        }
        return r;
    case TY_C_OR:
        for (uint32_t i = 0; i < c->n; i++) {
            struct req k = req_cond(lg, c->kid[i]);
            r = i == 0 ? k : req_or(r, k);
            if (!r.ok)
                return none;
        }
        return r;
    default:
        return none;
    }
}

static struct req req_rule(const struct sigma_rule *r)
{
    struct req none = {.ok = false}, q = none;
    for (uint32_t i = 0; i < r->logic.n_cond; i++) {
        struct req k = req_cond(&r->logic, r->logic.cond[i]);
        q = i == 0 ? k : req_or(q, k);
        if (!q.ok)
            return none;
    }
    return q;
}

static bool applies(const struct sigma_rule *r, const struct ty_parser *p, int taxonomy)
{
    const struct ty_logsource *ls = &p->logsource;
    if (*r->info.product && !(ls->product && strcmp(r->info.product, ls->product) == 0))
        return false;
    /* a per-event service (p->service) is checked when the rule is tested */
    if (*r->info.service &&
        !(ls->service ? strcmp(r->info.service, ls->service) == 0 : p->service != NULL))
        return false;
    if (!*r->info.category)
        return true;
    if (r->view == VIEW_TAXONOMY)
        return r->taxonomy == taxonomy;
    return ls->category && strcmp(r->info.category, ls->category) == 0;
}

static int add_plain(struct sigma_route *rt, uint32_t i)
{
    uint32_t *p = realloc(rt->plain, (rt->n_plain + 1) * sizeof(*p));
    if (!p)
        return TY_ENOMEM;
    p[rt->n_plain++] = i;
    rt->plain = p;
    return 0;
}

static struct sigma_index_field *ix_field(struct sigma_route *rt, struct ty_str f,
                                          enum sigma_view v)
{
    for (uint32_t i = 0; i < rt->n_ix; i++)
        if (rt->ix[i].view == v && ty_str_eq(rt->ix[i].field, f))
            return &rt->ix[i];
    struct sigma_index_field *p = realloc(rt->ix, (rt->n_ix + 1) * sizeof(*p));
    if (!p)
        return NULL;
    rt->ix = p;
    p = &rt->ix[rt->n_ix];
    p->field = f;
    p->view = v;
    p->b = calloc(1, sizeof(*p->b));
    if (!p->b)
        return NULL;
    rt->n_ix++;
    return p;
}

int ty__sigma_route_build(struct ty_sigma_set *s, struct sigma_route *rt,
                          const struct ty_parser *p, int taxonomy, bool any_logsource,
                          struct ty_err *err)
{
    rt->parser = p;
    rt->taxonomy = taxonomy;
    for (size_t i = 0; i < s->n; i++) {
        const struct sigma_rule *r = &s->rules[i];
        if (r->dropped || r->info.kind != TY_SIGMA_DETECTION)
            continue;
        if (!any_logsource && !applies(r, p, taxonomy))
            continue;
        struct req q = req_rule(r);
        int rc = 0;
        if (!q.ok) {
            rc = add_plain(rt, (uint32_t)i);
        } else {
            struct sigma_index_field *f = ix_field(rt, q.field, any_logsource ? VIEW_RAW : r->view);
            if (!f)
                rc = TY_ENOMEM;
            for (uint32_t k = 0; f && k < q.n_items && !rc; k++) {
                const struct ty_sitem *it = q.items[k];
                for (uint32_t g = 0; g < it->n && !rc; g++)
                    for (uint32_t a = 0; a < it->g[g].n && !rc; a++)
                        rc = bucket_add(f->b, it->g[g].alt[a].plain, (uint32_t)i);
            }
        }
        if (rc)
            return ty_err_set(err, TY_ENOMEM, "out of memory indexing rules");
    }
    return 0;
}
