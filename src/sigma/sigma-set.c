/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sigma-set.c - a set of Sigma rules: loading files, directories and the
 * embedded pack, legacy `action` collections, and compiling: references
 * of correlations and filters resolved, then routing and the index built.
 *
 * Collections follow pySigma (sigma-spec §1.4): `action: global` stores a
 * template merged into every later detection document of the file (the
 * template wins on conflicting scalars), a second global replaces the
 * first, `reset` clears it, `repeat` merges into the previous rule
 * document and emits another rule.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sigma/sigma-set-int.h"

/* Rule files larger than this are refused (SigmaHQ's largest is ~40 KB). */
#define MAX_RULE_FILE (8u << 20)

int ty_sigma_set_new(struct ty_sigma_set **out, struct ty_err *err)
{
    struct ty_sigma_set *s = calloc(1, sizeof(*s));
    if (!s)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    ty_arena_init(&s->arena, 1 << 20, 0);
    *out = s;
    return 0;
}

void ty_sigma_set_free(struct ty_sigma_set *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++) {
        struct sigma_logic *lg = &s->rules[i].logic;
        for (uint32_t d = 0; d < lg->n_det; d++)
            for (uint32_t a = 0; a < lg->det[d].n; a++)
                for (uint32_t k = 0; k < lg->det[d].alt[a].n; k++)
                    ty_sitem_release(&lg->det[d].alt[a].item[k]);
    }
    for (size_t i = 0; i < s->n_routes; i++)
        ty__sigma_route_release(&s->routes[i]);
    free(s->routes);
    if (s->all) {
        ty__sigma_route_release(s->all);
        free(s->all);
    }
    free(s->corr_order);
    free(s->rules);
    free(s->diags.d);
    ty_arena_release(&s->arena);
    free(s);
}

void ty__sigma_diag(struct ty_sigma_set *s, const char *file, uint32_t line, uint32_t col,
                    bool warning, const char *fmt, ...)
{
    struct sigma_diag_list *l = &s->diags;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 32;
        void *p = realloc(l->d, cap * sizeof(*l->d));
        if (!p)
            return; /* diagnostics are best effort under memory pressure */
        l->d = p;
        l->cap = cap;
    }
    struct ty_str m = ty_arena_str(&s->arena, ty_str_cstr(msg));
    if (!m.p)
        return;
    l->d[l->n++] = (struct ty_sigma_diag){file, line, col, m.p, warning};
}

size_t ty_sigma_set_ndiag(const struct ty_sigma_set *s)
{
    return s->diags.n;
}

const struct ty_sigma_diag *ty_sigma_set_diag(const struct ty_sigma_set *s, size_t i)
{
    return i < s->diags.n ? &s->diags.d[i] : NULL;
}

size_t ty_sigma_set_ndocs(const struct ty_sigma_set *s)
{
    return s->n_docs;
}

size_t ty_sigma_set_nrules(const struct ty_sigma_set *s)
{
    return s->n;
}

const struct ty_sigma_rule_info *ty_sigma_set_rule(const struct ty_sigma_set *s, size_t i)
{
    return i < s->n ? &s->rules[i].info : NULL;
}

size_t ty_sigma_set_ncorr(const struct ty_sigma_set *s)
{
    return s->n_corr;
}

uint32_t ty_sigma_set_corr(const struct ty_sigma_set *s, size_t i)
{
    return s->corr_order[i];
}

/* ---- collections ---- */

static struct ty_ynode *copy_without(struct ty_arena *a, const struct ty_ynode *map,
                                     const char *key)
{
    struct ty_ynode *m = ty_arena_alloc(a, sizeof(*m));
    if (!m)
        return NULL;
    *m = *map;
    m->kv = ty_arena_alloc(a, (map->n ? map->n : 1) * 2 * sizeof(*m->kv));
    if (!m->kv)
        return NULL;
    m->n = 0;
    for (size_t i = 0; i < map->n; i++) {
        if (strcmp(map->kv[2 * i]->text.p ? map->kv[2 * i]->text.p : "", key) == 0)
            continue;
        m->kv[2 * m->n] = map->kv[2 * i];
        m->kv[2 * m->n + 1] = map->kv[2 * i + 1];
        m->n++;
    }
    return m;
}

struct ty_ynode *ty__ynode_merge(struct ty_arena *a, const struct ty_ynode *base,
                                 const struct ty_ynode *over)
{
    if (!base || base->kind != TY_Y_MAP || !over || over->kind != TY_Y_MAP)
        return (struct ty_ynode *)(over ? over : base);
    struct ty_ynode *m = ty_arena_alloc(a, sizeof(*m));
    if (!m)
        return NULL;
    *m = *base;
    m->kv = ty_arena_alloc(a, (base->n + over->n + 1) * 2 * sizeof(*m->kv));
    if (!m->kv)
        return NULL;
    m->n = 0;
    for (size_t i = 0; i < base->n; i++) {
        const struct ty_ynode *k = base->kv[2 * i], *v = base->kv[2 * i + 1];
        const struct ty_ynode *o = k->kind == TY_Y_SCALAR ? ty_ymap_get(over, k->text.p) : NULL;
        m->kv[2 * m->n] = (struct ty_ynode *)k;
        m->kv[2 * m->n + 1] = o ? ty__ynode_merge(a, v, o) : (struct ty_ynode *)v;
        if (!m->kv[2 * m->n + 1])
            return NULL;
        m->n++;
    }
    for (size_t i = 0; i < over->n; i++) {
        const struct ty_ynode *k = over->kv[2 * i];
        if (k->kind == TY_Y_SCALAR && ty_ymap_get(base, k->text.p))
            continue;
        m->kv[2 * m->n] = (struct ty_ynode *)k;
        m->kv[2 * m->n + 1] = over->kv[2 * i + 1];
        m->n++;
    }
    return m;
}

int ty_sigma_set_load_text(struct ty_sigma_set *s, const char *name, const char *text,
                           size_t len, struct ty_err *err)
{
    struct ty_ydocs docs;
    struct ty_err e = {0};
    const char *file = ty_arena_str(&s->arena, ty_str_cstr(name)).p;
    if (!file)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    int rc = ty_yaml_parse(text, len, &s->arena, &docs, &e);
    if (rc == TY_ENOMEM)
        return ty_err_set(err, rc, "out of memory parsing %s", name);
    if (rc) {
        /* e.msg is "line L column C: what" */
        unsigned l = 0, c = 0;
        if (sscanf(e.msg, "line %u column %u", &l, &c) < 1)
            l = c = 0;
        const char *what = strchr(e.msg, ':');
        ty__sigma_diag(s, file, l, c, false, "YAML: %s", what && l ? what + 2 : e.msg);
        s->n_docs++;
        return 0;
    }
    const struct ty_ynode *global = NULL, *prev = NULL;
    for (size_t i = 0; i < docs.n; i++) {
        const struct ty_ynode *d = docs.doc[i];
        if (!d || (d->kind == TY_Y_SCALAR && d->stype == TY_YS_NULL))
            continue; /* an empty document (a trailing ---) */
        s->n_docs++;
        const struct ty_ynode *act = ty_ymap_get(d, "action");
        if (act) {
            const char *an = act->kind == TY_Y_SCALAR ? act->text.p : "";
            if (strcmp(an, "global") == 0) {
                global = copy_without(&s->arena, d, "action");
                if (!global)
                    return ty_err_set(err, TY_ENOMEM, "out of memory");
            } else if (strcmp(an, "reset") == 0) {
                global = NULL;
            } else if (strcmp(an, "repeat") == 0) {
                const struct ty_ynode *body = copy_without(&s->arena, d, "action");
                const struct ty_ynode *base = prev ? prev : global;
                if (!body)
                    return ty_err_set(err, TY_ENOMEM, "out of memory");
                if (!base) {
                    ty__sigma_diag(s, file, d->line, d->col, false,
                                   "action: repeat with no rule before it");
                    continue;
                }
                struct ty_ynode *m = ty__ynode_merge(&s->arena, base, body);
                if (!m)
                    return ty_err_set(err, TY_ENOMEM, "out of memory");
                prev = m;
                if ((rc = ty__sigma_rule_from_doc(s, file, m, err)) != 0)
                    return rc;
            } else {
                ty__sigma_diag(s, file, act->line, act->col, false,
                               "unknown action '%s' (allowed: global, reset, repeat)", an);
            }
            continue;
        }
        const struct ty_ynode *rd = d;
        if (global && !ty_ymap_get(d, "correlation") && !ty_ymap_get(d, "filter")) {
            rd = ty__ynode_merge(&s->arena, d, global);
            if (!rd)
                return ty_err_set(err, TY_ENOMEM, "out of memory");
        }
        prev = rd;
        if ((rc = ty__sigma_rule_from_doc(s, file, rd, err)) != 0)
            return rc;
    }
    return 0;
}

static bool yaml_name(const char *n)
{
    size_t l = strlen(n);
    return (l > 4 && strcmp(n + l - 4, ".yml") == 0) ||
           (l > 5 && strcmp(n + l - 5, ".yaml") == 0);
}

static int load_file(struct ty_sigma_set *s, const char *path, struct ty_err *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0)
        return ty_err_set(err, TY_EIO, "%s: %s", path, strerror(errno));
    if (fstat(fd, &st) != 0 || (uint64_t)st.st_size > MAX_RULE_FILE) {
        close(fd);
        ty__sigma_diag(s, ty_arena_str(&s->arena, ty_str_cstr(path)).p, 0, 0, false,
                       "rule file larger than %u MiB", MAX_RULE_FILE >> 20);
        return 0;
    }
    size_t n = (size_t)st.st_size, got = 0;
    char *buf = malloc(n + 1);
    if (!buf) {
        close(fd);
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    }
    while (got < n) {
        ssize_t r = read(fd, buf + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    buf[got] = '\0';
    int rc = ty_sigma_set_load_text(s, path, buf, got, err);
    free(buf);
    return rc;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int load_dir(struct ty_sigma_set *s, const char *path, int depth, struct ty_err *err)
{
    if (depth > 32)
        return 0;
    DIR *d = opendir(path);
    if (!d)
        return ty_err_set(err, TY_EIO, "%s: %s", path, strerror(errno));
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **p = realloc(names, cap * sizeof(*names));
            if (!p) {
                rc = ty_err_set(err, TY_ENOMEM, "out of memory");
                goto out;
            }
            names = p;
        }
        if (!(names[n] = strdup(de->d_name))) {
            rc = ty_err_set(err, TY_ENOMEM, "out of memory");
            goto out;
        }
        n++;
    }
    qsort(names, n, sizeof(*names), cmp_names);
    for (size_t i = 0; i < n && rc == 0; i++) {
        char sub[4096];
        struct stat st;
        if ((size_t)snprintf(sub, sizeof(sub), "%s/%s", path, names[i]) >= sizeof(sub))
            continue;
        if (stat(sub, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode))
            rc = load_dir(s, sub, depth + 1, err);
        else if (S_ISREG(st.st_mode) && yaml_name(names[i]))
            rc = load_file(s, sub, err);
    }
out:
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    closedir(d);
    return rc;
}

int ty_sigma_set_load_path(struct ty_sigma_set *s, const char *path, struct ty_err *err)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return ty_err_set(err, TY_EIO, "%s: %s", path, strerror(errno));
    if (S_ISDIR(st.st_mode))
        return load_dir(s, path, 0, err);
    return load_file(s, path, err);
}

/* The embedded pack: generated by the Makefile from rules/. */
struct ty__builtin_rule {
    const char *name;
    const char *text;
};
extern const struct ty__builtin_rule ty__builtin_rules[];
extern const size_t ty__builtin_rules_n;

int ty_sigma_set_load_builtin(struct ty_sigma_set *s, struct ty_err *err)
{
    for (size_t i = 0; i < ty__builtin_rules_n; i++) {
        char name[512];
        snprintf(name, sizeof(name), "builtin:%s", ty__builtin_rules[i].name);
        int rc = ty_sigma_set_load_text(s, name, ty__builtin_rules[i].text,
                                        strlen(ty__builtin_rules[i].text), err);
        if (rc)
            return rc;
    }
    return 0;
}

int ty_sigma_set_placeholders(struct ty_sigma_set *s, const char *path, struct ty_err *err)
{
    return ty_placeholders_load(path, &s->ph, &s->arena, err);
}

/* ---- compiling ---- */

static void drop(struct ty_sigma_set *s, struct sigma_rule *r, const char *fmt, const char *a)
{
    char msg[512];
    snprintf(msg, sizeof(msg), fmt, a);
    ty__sigma_diag(s, r->info.file, r->info.line, 1, false, "%s", msg);
    r->dropped = true;
    r->info.dropped = true;
}

/* Rule index by id, else by name; -1 when none. */
static int64_t find_ref(const struct ty_sigma_set *s, struct ty_str ref)
{
    for (size_t i = 0; i < s->n; i++)
        if (!s->rules[i].dropped && ty_str_eq_cstr(ref, s->rules[i].info.id))
            return (int64_t)i;
    for (size_t i = 0; i < s->n; i++)
        if (!s->rules[i].dropped && ty_str_eq_cstr(ref, s->rules[i].info.name))
            return (int64_t)i;
    return -1;
}

static const char *uid_of(struct ty_sigma_set *s, struct sigma_rule *r, size_t i)
{
    if (*r->info.id)
        return r->info.id;
    if (*r->info.name)
        return r->info.name;
    return ty_arena_printf(&s->arena, "%s#%u", r->info.file, (unsigned)r->info.line).p;
}

static int add_consumer(struct ty_sigma_set *s, struct sigma_rule *r, uint32_t c)
{
    uint32_t *p = ty_arena_alloc(&s->arena, (r->n_consumers + 1) * sizeof(*p));
    if (!p)
        return TY_ENOMEM;
    if (r->n_consumers)
        memcpy(p, r->consumers, r->n_consumers * sizeof(*p));
    p[r->n_consumers++] = c;
    r->consumers = p;
    return 0;
}

static bool ls_contains(const struct sigma_rule *f, const struct sigma_rule *r)
{
    return (!*f->info.product || strcmp(f->info.product, r->info.product) == 0) &&
           (!*f->info.service || strcmp(f->info.service, r->info.service) == 0) &&
           (!*f->info.category || strcmp(f->info.category, r->info.category) == 0);
}

static int apply_filters(struct ty_sigma_set *s)
{
    for (size_t i = 0; i < s->n; i++) {
        struct sigma_rule *f = &s->rules[i];
        if (f->dropped || f->info.kind != TY_SIGMA_FILTER)
            continue;
        for (uint32_t k = 0; k < f->n_filter_refs; k++)
            if (find_ref(s, f->filter_refs[k]) < 0)
                ty__sigma_diag(s, f->info.file, f->info.line, 1, true,
                               "filter names rule '%.*s', which is not loaded",
                               (int)f->filter_refs[k].len, f->filter_refs[k].p);
        for (size_t j = 0; j < s->n; j++) {
            struct sigma_rule *r = &s->rules[j];
            if (r->dropped || r->info.kind != TY_SIGMA_DETECTION || !ls_contains(f, r))
                continue;
            bool named = f->filter_any;
            for (uint32_t k = 0; k < f->n_filter_refs && !named; k++)
                named = ty_str_eq_cstr(f->filter_refs[k], r->info.id) ||
                        ty_str_eq_cstr(f->filter_refs[k], r->info.name);
            if (!named)
                continue;
            const struct sigma_rule **p =
                ty_arena_alloc(&s->arena, (r->n_filters + 1) * sizeof(*p));
            if (!p)
                return TY_ENOMEM;
            if (r->n_filters)
                memcpy(p, r->filters, r->n_filters * sizeof(*p));
            p[r->n_filters++] = f;
            r->filters = p;
        }
    }
    return 0;
}

static int link_correlations(struct ty_sigma_set *s)
{
    for (size_t i = 0; i < s->n; i++) {
        struct sigma_rule *c = &s->rules[i];
        if (c->dropped || c->info.kind != TY_SIGMA_CORRELATION)
            continue;
        c->ref_idx = ty_arena_alloc(&s->arena, (c->spec.n_rules + 1) * sizeof(*c->ref_idx));
        if (!c->ref_idx)
            return TY_ENOMEM;
        for (uint32_t k = 0; k < c->spec.n_rules; k++) {
            int64_t j = find_ref(s, c->refs[k]);
            if (j < 0 || (size_t)j == i) {
                char nm[256];
                snprintf(nm, sizeof(nm), "%.*s", (int)c->refs[k].len, c->refs[k].p);
                drop(s, c, "correlation refers to '%s', which is not a loaded rule", nm);
                break;
            }
            if (s->rules[j].info.kind == TY_SIGMA_FILTER) {
                drop(s, c, "correlation refers to filter '%s'", s->rules[j].info.title);
                break;
            }
            c->ref_idx[k] = (uint32_t)j;
        }
    }
    /* order: a correlation after those it consumes; a cycle drops the rules in it */
    free(s->corr_order);
    s->corr_order = malloc((s->n + 1) * sizeof(*s->corr_order));
    uint8_t *state = calloc(s->n + 1, 1);
    if (!s->corr_order || !state) {
        free(state);
        return TY_ENOMEM;
    }
    s->n_corr = 0;
    for (int pass = 0; pass < 64; pass++) {
        bool progress = false;
        for (size_t i = 0; i < s->n; i++) {
            struct sigma_rule *c = &s->rules[i];
            if (c->dropped || c->info.kind != TY_SIGMA_CORRELATION || state[i])
                continue;
            bool ready = true;
            for (uint32_t k = 0; k < c->spec.n_rules && ready; k++) {
                struct sigma_rule *r = &s->rules[c->ref_idx[k]];
                ready = r->info.kind != TY_SIGMA_CORRELATION || state[c->ref_idx[k]];
                if (r->dropped)
                    ready = false;
            }
            if (ready) {
                state[i] = 1;
                s->corr_order[s->n_corr++] = (uint32_t)i;
                progress = true;
            }
        }
        if (!progress)
            break;
    }
    for (size_t i = 0; i < s->n; i++) {
        struct sigma_rule *c = &s->rules[i];
        if (!c->dropped && c->info.kind == TY_SIGMA_CORRELATION && !state[i])
            drop(s, c, "correlation %s: its references form a cycle or name a dropped rule",
                 c->info.title);
    }
    free(state);
    /* consumers and generate */
    for (size_t o = 0; o < s->n_corr; o++) {
        struct sigma_rule *c = &s->rules[s->corr_order[o]];
        for (uint32_t k = 0; k < c->spec.n_rules; k++) {
            struct sigma_rule *r = &s->rules[c->ref_idx[k]];
            if (add_consumer(s, r, s->corr_order[o]))
                return TY_ENOMEM;
        }
    }
    for (size_t i = 0; i < s->n; i++) {
        struct sigma_rule *r = &s->rules[i];
        if (!r->n_consumers)
            continue;
        bool gen = false;
        for (uint32_t k = 0; k < r->n_consumers; k++)
            gen |= s->rules[r->consumers[k]].generate;
        r->info.alerts = gen;
    }
    return 0;
}

int ty_sigma_set_compile(struct ty_sigma_set *s, struct ty_err *err)
{
    int rc;
    if (s->compiled)
        return 0;
    /* unique ids */
    for (size_t i = 0; i < s->n; i++) {
        struct sigma_rule *r = &s->rules[i];
        for (size_t j = 0; j < i && *r->info.id; j++)
            if (!s->rules[j].dropped && strcmp(s->rules[j].info.id, r->info.id) == 0) {
                drop(s, r, "rule id %s is already used by another loaded rule", r->info.id);
                break;
            }
        r->info.uid = uid_of(s, r, i);
        if (!r->info.uid)
            return ty_err_set(err, TY_ENOMEM, "out of memory");
    }
    if ((rc = link_correlations(s)) != 0 || (rc = apply_filters(s)) != 0)
        return ty_err_set(err, rc, "out of memory compiling rules");
    /* routes: every parser x taxonomy category, and the generic JSON route */
    size_t np;
    const struct ty_parser *const *ps = ty_parsers(&np);
    s->routes = calloc(np * TY_SCAT__COUNT + 1, sizeof(*s->routes));
    s->all = calloc(1, sizeof(*s->all));
    if (!s->routes || !s->all)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    for (size_t i = 0; i < np; i++)
        for (int t = 0; t < TY_SCAT__COUNT; t++) {
            rc = ty__sigma_route_build(s, &s->routes[s->n_routes], ps[i], t, false, err);
            if (rc)
                return rc;
            s->n_routes++;
        }
    if ((rc = ty__sigma_route_build(s, s->all, NULL, TY_SCAT_NONE, true, err)) != 0)
        return rc;
    s->compiled = true;
    return 0;
}
