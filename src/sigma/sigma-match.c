/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sigma-match.c - test one event against the rules that can apply to it.
 *
 * The route (parser x taxonomy category) gives the candidate rules: those
 * filed in the index under the event's value of an index field, and those
 * with no index key. Each candidate's condition is evaluated with
 * identifiers computed lazily and remembered for the event; the items that
 * matched on the positive side of the condition are reported as the
 * rule's hits. Filters are AND-ed. For rules that feed correlations, the
 * group-by and value fields are read from the same event.
 */
#include <stdlib.h>
#include <string.h>

#include "sigma/sigma-set-int.h"

#define MAX_HITS 64
#define MAX_KEYS 32
#define MAX_GROUP 8

struct ty_sigma_scratch {
    struct ty_arena arena;
    struct ty_json_doc json;
    uint32_t *stamp;        /* per rule: the event generation it was tested in */
    size_t n_stamp;
    uint32_t gen;
    uint8_t *memo;          /* per identifier: 0 unknown, 1 false, 2 true */
    size_t n_memo;
    struct ty_sigma_hit hits[MAX_HITS];
    size_t n_hits;
    struct ty_sigma_corr_key keys[MAX_KEYS];
    struct ty_str group[MAX_KEYS][MAX_GROUP];
    const struct ty_parser *last_parser;
    const char *last_format;
};

int ty_sigma_scratch_new(struct ty_sigma_scratch **out, struct ty_err *err)
{
    struct ty_sigma_scratch *sc = calloc(1, sizeof(*sc));
    if (!sc)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    ty_arena_init(&sc->arena, 64 << 10, 0);
    ty_json_doc_init(&sc->json, 0, 0);
    *out = sc;
    return 0;
}

void ty_sigma_scratch_free(struct ty_sigma_scratch *sc)
{
    if (!sc)
        return;
    ty_arena_release(&sc->arena);
    ty_json_doc_release(&sc->json);
    free(sc->stamp);
    free(sc->memo);
    free(sc);
}

struct eval {
    struct ty_sigma_scratch *sc;
    struct sigma_src *src;
    const struct sigma_logic *lg;
    bool collect;
};

static bool eval_det(struct eval *e, uint32_t id)
{
    const struct sigma_det *d = &e->lg->det[id];
    for (uint32_t a = 0; a < d->n; a++) {
        const struct sigma_alt *alt = &d->alt[a];
        size_t mark = e->sc->n_hits;
        bool ok = true;
        for (uint32_t i = 0; i < alt->n && ok; i++) {
            struct ty_fval hit = {0};
            ok = ty_sitem_eval(&alt->item[i], &e->src->fs, &hit);
            if (ok && e->collect && e->sc->n_hits < MAX_HITS && !alt->item[i].neq)
                e->sc->hits[e->sc->n_hits++] =
                    (struct ty_sigma_hit){alt->item[i].field, hit.s.p ? hit.s : TY_STR_LIT("")};
        }
        if (ok)
            return true;
        e->sc->n_hits = mark;
    }
    return false;
}

static bool eval_cond(struct eval *e, const struct ty_cond *c, bool positive)
{
    switch (c->op) {
    case TY_C_IDENT: {
        uint8_t *m = &e->sc->memo[c->ident];
        if (*m && !(positive && e->collect && *m == 2))
            return *m == 2;
        bool saved = e->collect;
        e->collect = saved && positive;
        bool r = eval_det(e, c->ident);
        e->collect = saved;
        *m = r ? 2 : 1;
        return r;
    }
    case TY_C_AND:
        for (uint32_t i = 0; i < c->n; i++)
            if (!eval_cond(e, c->kid[i], positive))
                return false;
        return true;
    case TY_C_OR:
        for (uint32_t i = 0; i < c->n; i++)
            if (eval_cond(e, c->kid[i], positive))
                return true;
        return false;
    case TY_C_NOT:
        return !eval_cond(e, c->kid[0], !positive);
    case TY_C_TRUE:
        return true;
    default:
        return false;
    }
}

static int memo_fit(struct ty_sigma_scratch *sc, size_t n)
{
    if (n > sc->n_memo) {
        uint8_t *m = realloc(sc->memo, n);
        if (!m)
            return TY_ENOMEM;
        sc->memo = m;
        sc->n_memo = n;
    }
    memset(sc->memo, 0, n);
    return 0;
}

static int eval_logic(struct ty_sigma_scratch *sc, struct sigma_src *src,
                      const struct sigma_logic *lg, bool collect, bool *out)
{
    struct eval e = {sc, src, lg, collect};
    if (memo_fit(sc, lg->n_det ? lg->n_det : 1))
        return TY_ENOMEM;
    *out = false;
    for (uint32_t i = 0; i < lg->n_cond && !*out; i++)
        *out = eval_cond(&e, lg->cond[i], true);
    return 0;
}

static int rule_matches(struct ty_sigma_scratch *sc, struct sigma_src *src,
                        const struct sigma_rule *r, bool *out)
{
    sc->n_hits = 0;
    ty__sigma_src_view(src, r->view);
    int rc = eval_logic(sc, src, &r->logic, true, out);
    for (uint32_t f = 0; !rc && *out && f < r->n_filters; f++) {
        ty__sigma_src_view(src, r->filters[f]->view);
        size_t keep = sc->n_hits;
        rc = eval_logic(sc, src, &r->filters[f]->logic, false, out);
        sc->n_hits = keep;
    }
    return rc;
}

/* The field a correlation groups by, for a match of rule r (aliases). */
static struct ty_str group_field(const struct sigma_rule *c, const struct sigma_rule *r,
                                 struct ty_str g)
{
    for (uint32_t i = 0; i < c->n_aliases; i++)
        if (ty_str_eq(c->aliases[i].alias, g) &&
            (ty_str_eq_cstr(c->aliases[i].rule, r->info.name) ||
             ty_str_eq_cstr(c->aliases[i].rule, r->info.id)))
            return c->aliases[i].field;
    return g;
}

static size_t corr_keys(const struct ty_sigma_set *s, struct ty_sigma_scratch *sc,
                        struct sigma_src *src, const struct sigma_rule *r)
{
    size_t n = 0;
    for (uint32_t k = 0; k < r->n_consumers && n < MAX_KEYS; k++) {
        const struct sigma_rule *c = &s->rules[r->consumers[k]];
        struct ty_sigma_corr_key *key = &sc->keys[n];
        key->corr = r->consumers[k];
        key->n_group = c->spec.n_group < MAX_GROUP ? c->spec.n_group : MAX_GROUP;
        for (uint32_t g = 0; g < key->n_group; g++)
            ty__sigma_src_text(src, group_field(c, r, c->group_by[g]), &sc->group[n][g]);
        key->group = sc->group[n];
        key->value = TY_STR_NULL;
        if (c->n_value_fields == 1) {
            ty__sigma_src_text(src, group_field(c, r, c->value_fields[0]), &key->value);
        } else if (c->n_value_fields > 1) {
            /* a tuple of fields: their values joined, for distinct counting */
            struct ty_buf b;
            ty_buf_init(&b, 1 << 16);
            for (uint32_t i = 0; i < c->n_value_fields; i++) {
                struct ty_str v;
                ty__sigma_src_text(src, group_field(c, r, c->value_fields[i]), &v);
                if (i)
                    ty_buf_addc(&b, '\x1f');
                ty_buf_addstr(&b, v);
            }
            key->value = ty_arena_str(&sc->arena, ty_buf_str(&b));
            ty_buf_release(&b);
        }
        n++;
    }
    return n;
}

struct cand {
    struct ty_sigma_scratch *sc;
    const struct sigma_bucket *b;
    uint32_t *list;
    size_t n, cap;
};

static int stamp_fit(struct ty_sigma_scratch *sc, size_t n)
{
    if (n > sc->n_stamp) {
        uint32_t *p = calloc(n, sizeof(*p));
        if (!p)
            return TY_ENOMEM;
        free(sc->stamp);
        sc->stamp = p;
        sc->n_stamp = n;
        sc->gen = 0;
    }
    if (++sc->gen == 0) {
        memset(sc->stamp, 0, sc->n_stamp * sizeof(*sc->stamp));
        sc->gen = 1;
    }
    return 0;
}

static int test_rule(const struct ty_sigma_set *s, struct ty_sigma_scratch *sc,
                     struct sigma_src *src, uint32_t ri, const struct ty_event *ev,
                     ty_sigma_match_fn fn, void *arg)
{
    if (sc->stamp[ri] == sc->gen)
        return 0;
    sc->stamp[ri] = sc->gen;
    const struct sigma_rule *r = &s->rules[ri];
    const struct ty_parser *p = src->parser;
    if (*r->info.service && p && !p->logsource.service && p->service) {
        const char *svc = p->service(ev);
        if (!svc || strcmp(svc, r->info.service) != 0)
            return 0;
    }
    bool ok;
    int rc = rule_matches(sc, src, r, &ok);
    if (rc || !ok)
        return rc;
    struct ty_sigma_match m = {ri, sc->hits, sc->n_hits, sc->keys, 0};
    m.n_keys = corr_keys(s, sc, src, r);
    return fn(arg, ev, &m);
}

struct lookup {
    const struct ty_sigma_set *s;
    struct ty_sigma_scratch *sc;
    struct sigma_src *src;
    const struct sigma_bucket *b;
    const struct ty_event *ev;
    ty_sigma_match_fn fn;
    void *arg;
    int rc;
};

static bool lookup_value(void *arg, const struct ty_fval *v)
{
    struct lookup *l = arg;
    uint32_t n = 0;
    if (v->kind != TY_FV_STR)
        return false;
    const uint32_t *rules = ty__sigma_bucket_get(l->b, v->s, &n);
    for (uint32_t i = 0; i < n && !l->rc; i++)
        l->rc = test_rule(l->s, l->sc, l->src, rules[i], l->ev, l->fn, l->arg);
    return l->rc != 0;
}

static int run_route(const struct ty_sigma_set *s, struct ty_sigma_scratch *sc,
                     const struct sigma_route *rt, struct sigma_src *src,
                     const struct ty_event *ev, ty_sigma_match_fn fn, void *arg)
{
    int rc = stamp_fit(sc, s->n);
    for (uint32_t i = 0; i < rt->n_ix && !rc; i++) {
        struct lookup l = {s, sc, src, rt->ix[i].b, ev, fn, arg, 0};
        ty__sigma_src_view(src, rt->ix[i].view);
        src->fs.each(&src->fs, rt->ix[i].field, lookup_value, &l);
        rc = l.rc;
    }
    for (uint32_t i = 0; i < rt->n_plain && !rc; i++)
        rc = test_rule(s, sc, src, rt->plain[i], ev, fn, arg);
    return rc;
}

int ty_sigma_match_event(const struct ty_sigma_set *s, struct ty_sigma_scratch *sc,
                         const struct ty_event *ev, ty_sigma_match_fn fn, void *arg)
{
    if (!s->compiled || !ev->format)
        return 0;
    const struct ty_parser *p = sc->last_parser;
    if (!p || sc->last_format != ev->format) {
        p = ty_parser_find(ev->format);
        sc->last_parser = p;
        sc->last_format = ev->format;
    }
    if (!p)
        return 0;
    int tax = p->taxonomy ? p->taxonomy(ev) : TY_SCAT_NONE;
    if (tax < 0 || tax >= TY_SCAT__COUNT)
        tax = TY_SCAT_NONE;
    const struct sigma_route *rt = NULL;
    for (size_t i = 0; i < s->n_routes; i++)
        if (s->routes[i].parser == p && s->routes[i].taxonomy == tax) {
            rt = &s->routes[i];
            break;
        }
    if (!rt || (!rt->n_plain && !rt->n_ix))
        return 0;
    struct sigma_src src;
    ty_arena_reset(&sc->arena);
    ty__sigma_src_init(&src, ev, p, &sc->arena, &sc->json);
    int rc = run_route(s, sc, rt, &src, ev, fn, arg);
    ty__sigma_src_release(&src);
    return rc;
}

int ty_sigma_match_json(const struct ty_sigma_set *s, struct ty_sigma_scratch *sc,
                        struct ty_str json, enum ty_sigma_map map, ty_sigma_match_fn fn,
                        void *arg, struct ty_err *err)
{
    if (!s->compiled)
        return ty_err_set(err, TY_EINVAL, "rule set not compiled");
    struct ty_event ev;
    memset(&ev, 0, sizeof(ev));
    ev.raw = json;
    ev.format = "json";
    struct sigma_src src;
    ty_arena_reset(&sc->arena);
    ty__sigma_src_init(&src, &ev, NULL, &sc->arena, &sc->json);
    src.map = map;
    if (ty_json_parse(&sc->json, json.p, json.len, err) != 0)
        return err->rc ? err->rc : TY_ECORRUPT;
    src.json_state = ty_json_type(&sc->json, 0) == TY_JSON_OBJECT ? 1 : -1;
    src.root = 0;
    int rc = run_route(s, sc, s->all, &src, &ev, fn, arg);
    ty__sigma_src_release(&src);
    return rc;
}
