/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sigma-rule.c - one YAML document into one rule: a detection rule, a
 * correlation rule or a meta filter (sigma-spec §1-§3, §8, §9).
 *
 * Every problem is a diagnostic with the line and column of the node at
 * fault and what would have been accepted; the rule is then left out. Keys
 * tyto does not know are ignored, as the spec asks. The `tyto:` section
 * carries the prevention advice the report quotes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sigma/sigma-set-int.h"

struct ctx {
    struct ty_sigma_set *s;
    const char *file;
    bool failed;
};

static void bad(struct ctx *c, const struct ty_ynode *n, const char *fmt, const char *a,
                const char *b)
{
    char msg[512];
    snprintf(msg, sizeof(msg), fmt, a ? a : "", b ? b : "");
    ty__sigma_diag(c->s, c->file, n ? n->line : 0, n ? n->col : 0, false, "%s", msg);
    c->failed = true;
}

static void warn(struct ctx *c, const struct ty_ynode *n, const char *msg)
{
    ty__sigma_diag(c->s, c->file, n ? n->line : 0, n ? n->col : 0, true, "%s", msg);
}

static bool is_str(const struct ty_ynode *n)
{
    return n && n->kind == TY_Y_SCALAR && n->stype != TY_YS_NULL;
}

/* A scalar as a NUL-terminated arena string ("" when absent). */
static const char *text_of(const struct ty_ynode *n)
{
    return n && n->kind == TY_Y_SCALAR && n->stype != TY_YS_NULL ? n->text.p : "";
}

static const char *opt_str(struct ctx *c, const struct ty_ynode *doc, const char *key)
{
    const struct ty_ynode *n = ty_ymap_get(doc, key);
    if (!n || (n->kind == TY_Y_SCALAR && n->stype == TY_YS_NULL))
        return "";
    if (n->kind != TY_Y_SCALAR) {
        bad(c, n, "'%s' must be a string", key, NULL);
        return "";
    }
    return n->text.p;
}

static bool one_of(const char *v, const char *const *allowed)
{
    for (size_t i = 0; allowed[i]; i++)
        if (strcmp(v, allowed[i]) == 0)
            return true;
    return false;
}

static bool is_uuid(const char *s)
{
    static const int dash[] = {8, 13, 18, 23};
    if (strlen(s) != 36)
        return false;
    for (int i = 0; i < 36; i++) {
        bool d = i == dash[0] || i == dash[1] || i == dash[2] || i == dash[3];
        char ch = s[i];
        if (d ? ch != '-'
              : !((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') ||
                  (ch >= 'A' && ch <= 'F')))
            return false;
    }
    return true;
}

/* Tags, space-joined; each must look like "namespace.value". */
static const char *tags_of(struct ctx *c, const struct ty_ynode *doc)
{
    const struct ty_ynode *t = ty_ymap_get(doc, "tags");
    if (!t || ty_yis(t, TY_YS_NULL))
        return "";
    if (t->kind != TY_Y_SEQ) {
        bad(c, t, "'tags' must be a list of strings like attack.t1078", NULL, NULL);
        return "";
    }
    struct ty_buf b;
    ty_buf_init(&b, 1 << 16);
    for (size_t i = 0; i < t->n; i++) {
        const struct ty_ynode *e = t->kv[i];
        if (!is_str(e) || !strchr(e->text.p, '.')) {
            bad(c, e, "tag must be a string 'namespace.value' (attack.t1078)", NULL, NULL);
            continue;
        }
        if (b.len)
            ty_buf_addc(&b, ' ');
        ty_buf_addstr(&b, e->text);
    }
    struct ty_str out = ty_arena_str(&c->s->arena, ty_buf_str(&b));
    ty_buf_release(&b);
    return out.p ? out.p : "";
}

static const char *const levels[] = {"informational", "low", "medium", "high", "critical", NULL};
static const char *const statuses[] = {"stable",     "test",        "experimental",
                                       "deprecated", "unsupported", NULL};

/* Metadata shared by every kind of document. */
static void common_info(struct ctx *c, const struct ty_ynode *doc, struct sigma_rule *r)
{
    struct ty_sigma_rule_info *in = &r->info;
    const struct ty_ynode *title = ty_ymap_get(doc, "title");
    if (!is_str(title))
        bad(c, title ? title : doc, "'title' is required and must be a string", NULL, NULL);
    else if (title->text.len > 256)
        bad(c, title, "'title' is longer than 256 characters", NULL, NULL);
    in->title = text_of(title);
    in->id = opt_str(c, doc, "id");
    if (*in->id && !is_uuid(in->id))
        bad(c, ty_ymap_get(doc, "id"), "'id' must be a UUID (got '%s')", in->id, NULL);
    in->name = opt_str(c, doc, "name");
    in->level = opt_str(c, doc, "level");
    if (*in->level && !one_of(in->level, levels))
        bad(c, ty_ymap_get(doc, "level"),
            "unknown level '%s' (allowed: informational, low, medium, high, critical)", in->level,
            NULL);
    in->status = opt_str(c, doc, "status");
    if (*in->status && !one_of(in->status, statuses))
        bad(c, ty_ymap_get(doc, "status"),
            "unknown status '%s' (allowed: stable, test, experimental, deprecated, unsupported)",
            in->status, NULL);
    in->description = opt_str(c, doc, "description");
    in->tags = tags_of(c, doc);
    in->product = in->service = in->category = "";
    in->prevention = in->weakness = "";
    in->corr_type = "";
    const struct ty_ynode *ty = ty_ymap_get(doc, "tyto");
    if (ty) {
        if (ty->kind != TY_Y_MAP)
            bad(c, ty, "'tyto' must be a map (prevention, weakness)", NULL, NULL);
        else {
            in->prevention = opt_str(c, ty, "prevention");
            in->weakness = opt_str(c, ty, "weakness");
        }
    }
    in->line = doc->line;
    in->alerts = true;
}

static void logsource_of(struct ctx *c, const struct ty_ynode *doc, struct sigma_rule *r,
                         bool required)
{
    const struct ty_ynode *ls = ty_ymap_get(doc, "logsource");
    if (!ls) {
        if (required)
            bad(c, doc, "'logsource' is required (a map of category, product, service)", NULL,
                NULL);
        return;
    }
    if (ls->kind != TY_Y_MAP) {
        bad(c, ls, "'logsource' must be a map of category, product, service", NULL, NULL);
        return;
    }
    r->info.category = opt_str(c, ls, "category");
    r->info.product = opt_str(c, ls, "product");
    r->info.service = opt_str(c, ls, "service");
    if (!*r->info.category && !*r->info.product && !*r->info.service)
        bad(c, ls, "'logsource' needs at least one of category, product, service", NULL, NULL);
    r->taxonomy = ty__sigma_taxonomy_by_name(ty_str_cstr(r->info.category));
    r->view = r->taxonomy != TY_SCAT_NONE ? VIEW_TAXONOMY : VIEW_RAW;
}

/* Pass item warnings (one per line) through as diagnostics. */
static void flush_warn(struct ctx *c, const struct ty_ynode *n, struct ty_buf *w)
{
    const char *p = w->buf, *end = w->buf + w->len;
    while (p && p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        char msg[512];
        snprintf(msg, sizeof(msg), "%.*s", (int)len, p);
        if (len)
            warn(c, n, msg);
        p += len + 1;
    }
    ty_buf_reset(w);
}

/* How costly an item is to test, roughly: exact values first, then
 * wildcards and ranges, then regular expressions and keyword searches. */
static unsigned item_cost(const struct ty_sitem *it)
{
    unsigned cost = 0, alts = 0;
    if (!it->field.len)
        return 1000;
    for (uint32_t g = 0; g < it->n; g++)
        for (uint32_t a = 0; a < it->g[g].n; a++) {
            const struct ty_sv *v = &it->g[g].alt[a];
            unsigned k = v->kind == TY_SV_RE         ? 40
                         : v->kind == TY_SV_FIELDREF ? 20
                         : v->kind == TY_SV_GLOB && !v->plain.p ? 4
                                                                : 1;
            cost = k > cost ? k : cost;
            alts++;
        }
    return cost * 16 + (alts > 15 ? 15 : alts);
}

/* Items of one map are AND-ed: test the cheap ones first (a stable sort,
 * so equal costs keep the order written). */
static void order_items(struct sigma_alt *alt)
{
    for (uint32_t i = 1; i < alt->n; i++) {
        struct ty_sitem it = alt->item[i];
        unsigned c = item_cost(&it);
        uint32_t j = i;
        while (j > 0 && item_cost(&alt->item[j - 1]) > c) {
            alt->item[j] = alt->item[j - 1];
            j--;
        }
        alt->item[j] = it;
    }
}

static int compile_map(struct ctx *c, const struct ty_ynode *map, struct sigma_alt *alt,
                       struct ty_buf *w)
{
    struct ty_sigma_set *s = c->s;
    alt->n = 0;
    alt->item = ty_arena_alloc(&s->arena, (map->n ? map->n : 1) * sizeof(*alt->item));
    if (!alt->item)
        return TY_ENOMEM;
    for (size_t k = 0; k < map->n; k++) {
        const struct ty_ynode *key = map->kv[2 * k], *val = map->kv[2 * k + 1];
        struct ty_err e = {0};
        struct ty_sitem *it = &alt->item[alt->n];
        memset(it, 0, sizeof(*it));
        if (key->kind != TY_Y_SCALAR) {
            bad(c, key, "a detection key must be a field name with modifiers", NULL, NULL);
            continue;
        }
        int rc = ty_sitem_compile(it, key->text, val, &s->ph, &s->arena, w, &e);
        flush_warn(c, key, w);
        if (rc == TY_ENOMEM)
            return rc;
        if (rc) {
            bad(c, key, "%s: %s", key->text.p, e.msg);
            continue;
        }
        it->line = key->line;
        it->col = key->col;
        alt->n++;
    }
    order_items(alt);
    return 0;
}

static int compile_keywords(struct ctx *c, const struct ty_ynode *val, struct sigma_alt *alt,
                            struct ty_buf *w)
{
    struct ty_err e = {0};
    alt->item = ty_arena_alloc(&c->s->arena, sizeof(*alt->item));
    if (!alt->item)
        return TY_ENOMEM;
    memset(alt->item, 0, sizeof(*alt->item));
    int rc = ty_sitem_compile_keywords(alt->item, val, &c->s->arena, w, &e);
    flush_warn(c, val, w);
    if (rc == TY_ENOMEM)
        return rc;
    if (rc) {
        bad(c, val, "keywords: %s", e.msg, NULL);
        alt->n = 0;
        return 0;
    }
    alt->item->line = val->line;
    alt->item->col = val->col;
    alt->n = 1;
    return 0;
}

/* One search identifier's definition (§3.1). */
static int compile_det(struct ctx *c, const struct ty_ynode *val, struct sigma_det *d,
                       struct ty_buf *w)
{
    struct ty_arena *a = &c->s->arena;
    int rc = 0;
    if (val->kind == TY_Y_MAP) {
        d->alt = ty_arena_alloc(a, sizeof(*d->alt));
        if (!d->alt)
            return TY_ENOMEM;
        d->n = 1;
        return compile_map(c, val, &d->alt[0], w);
    }
    if (val->kind == TY_Y_SCALAR) {
        if (val->stype == TY_YS_NULL) {
            bad(c, val, "search identifier '%s' is empty (null must be bound to a field)",
                d->name.p, NULL);
            return 0;
        }
        d->alt = ty_arena_alloc(a, sizeof(*d->alt));
        if (!d->alt)
            return TY_ENOMEM;
        d->n = 1;
        return compile_keywords(c, val, &d->alt[0], w);
    }
    /* a sequence: all maps (OR of ANDs), all scalars (keywords), or mixed */
    size_t maps = 0;
    for (size_t i = 0; i < val->n; i++)
        maps += val->kv[i]->kind == TY_Y_MAP;
    if (maps == 0) {
        d->alt = ty_arena_alloc(a, sizeof(*d->alt));
        if (!d->alt)
            return TY_ENOMEM;
        d->n = 1;
        return compile_keywords(c, val, &d->alt[0], w);
    }
    if (maps != val->n)
        warn(c, val, "a list mixing maps and keywords: each element is OR-ed on its own");
    d->alt = ty_arena_alloc(a, val->n * sizeof(*d->alt));
    if (!d->alt)
        return TY_ENOMEM;
    d->n = 0;
    for (size_t i = 0; i < val->n && rc == 0; i++) {
        const struct ty_ynode *e = val->kv[i];
        if (e->kind == TY_Y_MAP)
            rc = compile_map(c, e, &d->alt[d->n], w);
        else if (e->kind == TY_Y_SCALAR)
            rc = compile_keywords(c, e, &d->alt[d->n], w);
        else {
            bad(c, e, "a nested list is not a detection", NULL, NULL);
            continue;
        }
        d->n++;
    }
    return rc;
}

/* Identifiers and condition of a `detection:` or `filter:` map. `skip`
 * names keys that are not identifiers ("rules" in a filter). */
static int compile_logic(struct ctx *c, const struct ty_ynode *det, struct sigma_logic *lg,
                         const char *skip)
{
    struct ty_arena *a = &c->s->arena;
    const struct ty_ynode *cond = NULL;
    struct ty_buf w;
    int rc = 0;

    ty_buf_init(&w, 1 << 16);
    lg->det = ty_arena_alloc(a, (det->n ? det->n : 1) * sizeof(*lg->det));
    lg->idents = ty_arena_alloc(a, (det->n ? det->n : 1) * sizeof(*lg->idents));
    if (!lg->det || !lg->idents) {
        rc = TY_ENOMEM;
        goto out;
    }
    lg->n_det = 0;
    for (size_t k = 0; k < det->n; k++) {
        const struct ty_ynode *key = det->kv[2 * k], *val = det->kv[2 * k + 1];
        if (key->kind != TY_Y_SCALAR) {
            bad(c, key, "a search identifier must be a name", NULL, NULL);
            continue;
        }
        if (strcmp(key->text.p, "condition") == 0) {
            cond = val;
            continue;
        }
        if (skip && strcmp(key->text.p, skip) == 0)
            continue;
        if (strcmp(key->text.p, "timeframe") == 0) {
            bad(c, key, "'timeframe' belongs to the v1 aggregation syntax: use a correlation rule",
                NULL, NULL);
            continue;
        }
        struct sigma_det *d = &lg->det[lg->n_det];
        memset(d, 0, sizeof(*d));
        d->name = key->text;
        if ((rc = compile_det(c, val, d, &w)) != 0)
            goto out;
        lg->idents[lg->n_det++] = key->text;
    }
    if (!cond) {
        bad(c, det, "'condition' is required", NULL, NULL);
        goto out;
    }
    size_t nc = cond->kind == TY_Y_SEQ ? cond->n : 1;
    lg->cond = ty_arena_alloc(a, nc * sizeof(*lg->cond));
    if (!lg->cond) {
        rc = TY_ENOMEM;
        goto out;
    }
    lg->n_cond = 0;
    for (size_t i = 0; i < nc; i++) {
        const struct ty_ynode *cn = cond->kind == TY_Y_SEQ ? cond->kv[i] : cond;
        struct ty_err e = {0};
        if (!is_str(cn)) {
            bad(c, cn, "'condition' must be a string or a list of strings", NULL, NULL);
            continue;
        }
        int prc = ty_cond_parse(cn->text, lg->idents, lg->n_det, a, &lg->cond[lg->n_cond], &w,
                                &e);
        flush_warn(c, cn, &w);
        if (prc == TY_ENOMEM) {
            rc = prc;
            goto out;
        }
        if (prc) {
            bad(c, cn, "condition: %s", e.msg, NULL);
            continue;
        }
        lg->n_cond++;
    }
out:
    ty_buf_release(&w);
    return rc;
}

static struct sigma_rule *new_rule(struct ctx *c, const struct ty_ynode *doc)
{
    struct ty_sigma_set *s = c->s;
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        void *p = realloc(s->rules, cap * sizeof(*s->rules));
        if (!p)
            return NULL;
        s->rules = p;
        s->cap = cap;
    }
    struct sigma_rule *r = &s->rules[s->n];
    memset(r, 0, sizeof(*r));
    r->doc_index = (int64_t)s->n_docs;
    r->info.file = c->file;
    r->info.line = doc->line;
    return r;
}

/* A list of strings, or one string, into an arena array. */
static struct ty_str *str_list(struct ctx *c, const struct ty_ynode *n, uint32_t *count,
                               const char *what)
{
    *count = 0;
    if (!n)
        return NULL;
    size_t k = n->kind == TY_Y_SEQ ? n->n : 1;
    struct ty_str *v = ty_arena_alloc(&c->s->arena, (k ? k : 1) * sizeof(*v));
    if (!v)
        return NULL;
    for (size_t i = 0; i < k; i++) {
        const struct ty_ynode *e = n->kind == TY_Y_SEQ ? n->kv[i] : n;
        if (!is_str(e)) {
            bad(c, e, "'%s' must be a string or a list of strings", what, NULL);
            continue;
        }
        v[(*count)++] = e->text;
    }
    return v;
}

static const struct {
    const char *name;
    enum ty_corr_type type;
} corr_types[] = {
    {"event_count", TY_CORR_EVENT_COUNT},       {"value_count", TY_CORR_VALUE_COUNT},
    {"temporal", TY_CORR_TEMPORAL},             {"temporal_ordered", TY_CORR_TEMPORAL_ORDERED},
    {"value_sum", TY_CORR_VALUE_SUM},           {"value_avg", TY_CORR_VALUE_AVG},
    {"value_percentile", TY_CORR_VALUE_PERCENTILE},
};

static const struct {
    const char *name;
    enum ty_cmp_op op;
    bool neq;
} corr_ops[] = {
    {"gt", TY_OP_GT, false}, {"gte", TY_OP_GTE, false}, {"lt", TY_OP_LT, false},
    {"lte", TY_OP_LTE, false}, {"eq", TY_OP_EQ, false}, {"neq", TY_OP_EQ, true},
};

static int correlation(struct ctx *c, const struct ty_ynode *doc, struct sigma_rule *r)
{
    const struct ty_ynode *co = ty_ymap_get(doc, "correlation");
    r->info.kind = TY_SIGMA_CORRELATION;
    if (co->kind != TY_Y_MAP) {
        bad(c, co, "'correlation' must be a map (type, rules, group-by, timespan, condition)",
            NULL, NULL);
        return 0;
    }
    const struct ty_ynode *t = ty_ymap_get(co, "type");
    const char *tn = text_of(t);
    for (size_t i = 0; i < sizeof(corr_types) / sizeof(corr_types[0]); i++)
        if (strcmp(tn, corr_types[i].name) == 0) {
            r->spec.type = corr_types[i].type;
            r->info.corr_type = corr_types[i].name;
        }
    if (!r->spec.type)
        bad(c, t ? t : co,
            "correlation type '%s' is unknown (allowed: event_count, value_count, temporal, "
            "temporal_ordered, value_sum, value_avg, value_percentile)",
            tn, NULL);
    r->refs = str_list(c, ty_ymap_get(co, "rules"), &r->spec.n_rules, "rules");
    if (!r->spec.n_rules)
        bad(c, co, "'rules' must name at least one rule by id or name", NULL, NULL);
    r->group_by = str_list(c, ty_ymap_get(co, "group-by"), &r->spec.n_group, "group-by");
    if (r->spec.n_group > 8)
        bad(c, ty_ymap_get(co, "group-by"), "at most 8 group-by fields (got %s)", "more", NULL);
    const struct ty_ynode *ts = ty_ymap_get(co, "timespan");
    struct ty_err e = {0};
    if (!is_str(ts) || ts->stype != TY_YS_STR)
        bad(c, ts ? ts : co, "'timespan' must be a number and a unit (5m, 1h, 2d)", NULL, NULL);
    else if (ty_corr_timespan(ts->text, &r->spec.timespan_ns, &e) != 0)
        bad(c, ts, "timespan: %s", e.msg, NULL);
    const struct ty_ynode *al = ty_ymap_get(co, "aliases");
    if (al && al->kind == TY_Y_MAP) {
        size_t total = 0;
        for (size_t i = 0; i < al->n; i++)
            total += al->kv[2 * i + 1]->kind == TY_Y_MAP ? al->kv[2 * i + 1]->n : 0;
        r->aliases = ty_arena_alloc(&c->s->arena, (total ? total : 1) * sizeof(*r->aliases));
        if (!r->aliases)
            return TY_ENOMEM;
        for (size_t i = 0; i < al->n; i++) {
            const struct ty_ynode *m = al->kv[2 * i + 1];
            if (m->kind != TY_Y_MAP) {
                bad(c, m, "an alias maps rule names to field names", NULL, NULL);
                continue;
            }
            for (size_t j = 0; j < m->n; j++) {
                if (!is_str(m->kv[2 * j + 1]))
                    continue;
                r->aliases[r->n_aliases++] = (struct sigma_alias){
                    al->kv[2 * i]->text, m->kv[2 * j]->text, m->kv[2 * j + 1]->text};
            }
        }
    } else if (al)
        bad(c, al, "'aliases' must be a map", NULL, NULL);
    bool temporal =
        r->spec.type == TY_CORR_TEMPORAL || r->spec.type == TY_CORR_TEMPORAL_ORDERED;
    bool valued = r->spec.type == TY_CORR_VALUE_COUNT || r->spec.type == TY_CORR_VALUE_SUM ||
                  r->spec.type == TY_CORR_VALUE_AVG ||
                  r->spec.type == TY_CORR_VALUE_PERCENTILE;
    const struct ty_ynode *cond = ty_ymap_get(co, "condition");
    if (cond && cond->kind == TY_Y_MAP) {
        for (size_t i = 0; i < cond->n; i++) {
            const char *k = text_of(cond->kv[2 * i]);
            const struct ty_ynode *v = cond->kv[2 * i + 1];
            if (strcmp(k, "field") == 0) {
                r->value_fields = str_list(c, v, &r->n_value_fields, "field");
                continue;
            }
            if (strcmp(k, "percentile") == 0) {
                if (!ty_yis(v, TY_YS_INT) && !ty_yis(v, TY_YS_FLOAT))
                    bad(c, v, "'percentile' must be a number", NULL, NULL);
                r->spec.percentile = v->f;
                continue;
            }
            size_t j;
            for (j = 0; j < sizeof(corr_ops) / sizeof(corr_ops[0]); j++)
                if (strcmp(k, corr_ops[j].name) == 0)
                    break;
            if (j == sizeof(corr_ops) / sizeof(corr_ops[0])) {
                bad(c, cond->kv[2 * i],
                    "unknown condition '%s' (allowed: gt, gte, lt, lte, eq, neq, field)", k, NULL);
                continue;
            }
            if (!ty_yis(v, TY_YS_INT) && !ty_yis(v, TY_YS_FLOAT)) {
                bad(c, v, "condition '%s' needs a number", k, NULL);
                continue;
            }
            if (r->spec.n_cond == 4) {
                bad(c, v, "at most 4 condition operators", NULL, NULL);
                continue;
            }
            r->spec.cond[r->spec.n_cond++] =
                (struct ty_corr_cond){corr_ops[j].op, corr_ops[j].neq, v->f};
        }
    } else if (cond && !(temporal && is_str(cond)))
        bad(c, cond, "'condition' must be a map such as {gte: 10}", NULL, NULL);
    else if (cond)
        bad(c, cond,
            "a boolean condition over rule names (a pySigma extension) is not supported: "
            "list the rules and omit the condition",
            NULL, NULL);
    if (!temporal && r->spec.n_cond == 0)
        bad(c, cond ? cond : co, "'condition' needs an operator (gt, gte, lt, lte, eq, neq)",
            NULL, NULL);
    if (valued && r->n_value_fields == 0)
        bad(c, cond ? cond : co, "a %s correlation needs condition.field", r->info.corr_type,
            NULL);
    if (r->spec.type == TY_CORR_VALUE_PERCENTILE && r->spec.percentile <= 0)
        bad(c, cond ? cond : co, "value_percentile needs condition.percentile (1-100)", NULL,
            NULL);
    r->spec.has_field = valued;
    const struct ty_ynode *g = ty_ymap_get(co, "generate");
    if (!g)
        g = ty_ymap_get(doc, "generate");
    if (g && !ty_yis(g, TY_YS_BOOL))
        bad(c, g, "'generate' must be true or false", NULL, NULL);
    r->generate = g && g->b;
    return 0;
}

static int filter(struct ctx *c, const struct ty_ynode *doc, struct sigma_rule *r)
{
    const struct ty_ynode *f = ty_ymap_get(doc, "filter");
    r->info.kind = TY_SIGMA_FILTER;
    r->info.alerts = false;
    logsource_of(c, doc, r, true);
    if (f->kind != TY_Y_MAP) {
        bad(c, f, "'filter' must be a map (rules, search identifiers, condition)", NULL, NULL);
        return 0;
    }
    const struct ty_ynode *rules = ty_ymap_get(f, "rules");
    if (!rules || ty_yis(rules, TY_YS_NULL) || (rules->kind == TY_Y_SEQ && rules->n == 0) ||
        (is_str(rules) && strcmp(rules->text.p, "any") == 0))
        r->filter_any = true;
    else
        r->filter_refs = str_list(c, rules, &r->n_filter_refs, "rules");
    return compile_logic(c, f, &r->logic, "rules");
}

int ty__sigma_rule_from_doc(struct ty_sigma_set *s, const char *file, const struct ty_ynode *doc,
                            struct ty_err *err)
{
    struct ctx c = {s, file, false};
    size_t nd0 = s->diags.n;
    int rc;

    struct sigma_rule *r = new_rule(&c, doc);
    if (!r)
        return ty_err_set(err, TY_ENOMEM, "out of memory loading rules");
    if (doc->kind != TY_Y_MAP) {
        bad(&c, doc, "a rule document must be a map", NULL, NULL);
        return 0;
    }
    common_info(&c, doc, r);
    if (ty_ymap_get(doc, "correlation"))
        rc = correlation(&c, doc, r);
    else if (ty_ymap_get(doc, "filter"))
        rc = filter(&c, doc, r);
    else {
        r->info.kind = TY_SIGMA_DETECTION;
        logsource_of(&c, doc, r, true);
        const struct ty_ynode *det = ty_ymap_get(doc, "detection");
        rc = 0;
        if (!det)
            bad(&c, doc, "'detection' is required (search identifiers and a condition)", NULL,
                NULL);
        else if (det->kind != TY_Y_MAP)
            bad(&c, det, "'detection' must be a map", NULL, NULL);
        else
            rc = compile_logic(&c, det, &r->logic, NULL);
    }
    if (rc)
        return ty_err_set(err, rc, "out of memory loading rules");
    if (c.failed) {
        for (uint32_t i = 0; i < r->logic.n_det; i++)
            for (uint32_t j = 0; j < r->logic.det[i].n; j++)
                for (uint32_t k = 0; k < r->logic.det[i].alt[j].n; k++)
                    ty_sitem_release(&r->logic.det[i].alt[j].item[k]);
        return 0;
    }
    (void)nd0;
    s->n++;
    return 0;
}
