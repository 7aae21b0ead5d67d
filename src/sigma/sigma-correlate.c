/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sigma-correlate.c - streaming evaluation of Sigma correlation rules
 * (sigma-spec §8): per group-by key, a window of `timespan` over the matches
 * of the referenced rules, the aggregate of the correlation type and its
 * AND-ed condition operators, in memory bounded by caps on groups and kept
 * inputs. The window model is in docs/internals/SIGMA-CORRELATION.md.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sigma-int.h"

#define MAX_REFS 64         /* refs reported with a hit */
#define MAX_RULES 64        /* referenced rules of one correlation */
#define DEF_GROUPS 100000
#define DEF_KEEP 100000
#define DEF_ITEMS 4000000
#define KEY_COPY_MAX 1024   /* bytes of a group value kept for the hit */
#define NIL UINT32_MAX
#define UNSET INT64_MIN

/* An input kept by a rising event_count / value_sum window; past the
 * group's cap, neighbours are merged (n > 1) under the older ts. */
struct entry {
    int64_t ts;
    int64_t ref;
    double sum;
    uint64_t n;
};

/* A distinct value of a group's window, in a list by latest occurrence. */
struct vnode {
    uint64_t ha, hb;
    int64_t ts;
    int64_t ref;
    uint32_t prev, next;
};

struct group {
    uint64_t ha, hb;
    struct ty_str *key;         /* n_group values (copies, at most KEY_COPY_MAX each) */
    int64_t start, last;        /* window start (settled), latest input */
    uint32_t w_prev, w_next;    /* settled: open windows, by start */
    bool open;                  /* settled: a window holds inputs */
    uint64_t count;             /* inputs in the window */
    double sum;                 /* numeric values in the window */
    uint64_t n_num;
    struct entry *ring;         /* rising event_count, value_sum */
    uint32_t r_cap, r_head, r_len;
    uint32_t v_head, v_tail, n_vals; /* distinct values (value_count) */
    int64_t *rts, *rref;        /* temporal types: per rule ts and ref */
    int64_t *best, *chain;      /* temporal_ordered: per step start, n x n refs */
    int64_t *refs;              /* settled: the first MAX_REFS refs of the window */
    uint32_t n_refs;
    double *nums;               /* value_percentile (a reservoir past the cap) */
    uint32_t n_nums, c_nums;
    uint64_t seen_nums;
    uint64_t rng;
};

/* The recency list lives beside the groups, not in them: touching a
 * neighbour then costs 8 bytes of a dense array, not a cache line of a
 * random group. next doubles as the free list link. */
struct link {
    uint32_t prev, next;
};

struct slot {
    uint64_t ka, kb;
    uint32_t idx;
};

struct map {
    struct slot *s;
    size_t cap, n;
};

struct ty_corr {
    struct ty_corr_spec spec;
    struct ty_corr_cond cond[4];
    uint32_t n_cond;
    bool rising;
    size_t max_groups, max_items;
    uint32_t max_keep;
    struct group *g;
    struct link *lru;           /* parallel to g */
    uint32_t g_cap, g_free, n_groups;
    uint32_t lru_head, lru_tail; /* most recent, least recent */
    uint32_t w_head, w_tail;    /* settled windows still open, oldest start first */
    struct map gmap, vmap;
    struct vnode *v;
    uint32_t v_cap, v_free, n_vnodes;
    size_t items;
    int64_t now;
    bool started;
    struct ty_corr_stats st;
    int64_t refs[MAX_REFS];
    double *scratch;
    size_t scratch_cap;
    char errmsg[256];
};

/* ------------------------------------------------------------------ */
/* Hashing and the open-addressing map (linear probing, backward-shift  */
/* deletion, load at most 1/2)                                          */

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= UINT64_C(0xbf58476d1ce4e5b9);
    x ^= x >> 27;
    x *= UINT64_C(0x94d049bb133111eb);
    x ^= x >> 31;
    return x;
}

struct h128 {
    uint64_t a, b;
};

static void h_init(struct h128 *h)
{
    h->a = UINT64_C(0xcbf29ce484222325);
    h->b = UINT64_C(0x6a09e667f3bcc909);
}

/* Two unrelated 64-bit hashes (FNV-1a and a multiply-xorshift) of the same
 * bytes: distinct values and groups are told apart by 128 bits, not by
 * keeping their text. */
static void h_bytes(struct h128 *h, const void *p, size_t n)
{
    const unsigned char *s = p;
    uint64_t a = h->a, b = h->b;
    for (size_t i = 0; i < n; i++) {
        a = (a ^ s[i]) * UINT64_C(0x100000001b3);
        b = (b + s[i] + 1) * UINT64_C(0x9e3779b97f4a7c15);
        b ^= b >> 29;
    }
    h->a = a;
    h->b = b;
}

/* A value with its length and presence, so ("ab","c") != ("a","bc") and an
 * absent field differs from an empty one. */
static void h_str(struct h128 *h, struct ty_str s)
{
    unsigned char tag[9];
    uint64_t len = s.len;
    tag[0] = s.p ? 1 : 0;
    for (int i = 0; i < 8; i++)
        tag[1 + i] = (unsigned char)(len >> (8 * i));
    h_bytes(h, tag, sizeof(tag));
    if (s.p)
        h_bytes(h, s.p, s.len);
}

static void h_final(struct h128 *h)
{
    h->a = mix64(h->a);
    h->b = mix64(h->b ^ UINT64_C(0x5851f42d4c957f2d));
}

static uint32_t map_get(const struct map *m, uint64_t ka, uint64_t kb)
{
    if (!m->cap)
        return NIL;
    size_t mask = m->cap - 1;
    for (size_t i = ka & mask;; i = (i + 1) & mask) {
        const struct slot *s = &m->s[i];
        if (s->idx == NIL)
            return NIL;
        if (s->ka == ka && s->kb == kb)
            return s->idx;
    }
}

static int map_put(struct map *m, uint64_t ka, uint64_t kb, uint32_t idx)
{
    if ((m->n + 1) * 2 > m->cap) {
        size_t nc = m->cap ? m->cap * 2 : 64;
        struct slot *ns = malloc(nc * sizeof(*ns));
        if (!ns)
            return TY_ENOMEM;
        for (size_t i = 0; i < nc; i++)
            ns[i].idx = NIL;
        for (size_t i = 0; i < m->cap; i++) {
            if (m->s[i].idx == NIL)
                continue;
            size_t j = m->s[i].ka & (nc - 1);
            while (ns[j].idx != NIL)
                j = (j + 1) & (nc - 1);
            ns[j] = m->s[i];
        }
        free(m->s);
        m->s = ns;
        m->cap = nc;
    }
    size_t mask = m->cap - 1;
    size_t i = ka & mask;
    while (m->s[i].idx != NIL)
        i = (i + 1) & mask;
    m->s[i] = (struct slot){ka, kb, idx};
    m->n++;
    return 0;
}

static void map_del(struct map *m, uint64_t ka, uint64_t kb)
{
    if (!m->cap)
        return;
    size_t mask = m->cap - 1;
    size_t i = ka & mask;
    for (;; i = (i + 1) & mask) {
        if (m->s[i].idx == NIL)
            return;
        if (m->s[i].ka == ka && m->s[i].kb == kb)
            break;
    }
    /* backward shift: move later members of the cluster into the hole when
     * their home slot does not lie cyclically in (hole, j] */
    size_t j = i;
    for (;;) {
        m->s[i].idx = NIL;
        for (;;) {
            j = (j + 1) & mask;
            if (m->s[j].idx == NIL) {
                m->n--;
                return;
            }
            size_t home = m->s[j].ka & mask;
            bool stays = (i <= j) ? (i < home && home <= j) : (i < home || home <= j);
            if (!stays)
                break;
        }
        m->s[i] = m->s[j];
        i = j;
    }
}

/* ------------------------------------------------------------------ */
/* Small helpers                                                        */

static int set_err(struct ty_corr *c, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int set_err(struct ty_corr *c, int rc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->errmsg, sizeof(c->errmsg), fmt, ap);
    va_end(ap);
    return rc;
}

static int64_t sub_sat(int64_t a, int64_t b)
{
    return a < INT64_MIN + b ? INT64_MIN : a - b;
}

/* i mod cap for i < 2 cap (ring indices) */
static uint32_t wrap(uint32_t i, uint32_t cap)
{
    return i >= cap ? i - cap : i;
}

static bool live(int64_t ts, int64_t lb)
{
    return ts != UNSET && ts >= lb;
}

/* A decimal number as JSON writes it, with an optional '+'; no hex, inf,
 * nan or spaces. */
static bool parse_num(struct ty_str s, double *out)
{
    char buf[64];
    size_t i = 0, digits = 0;
    if (!s.p || s.len == 0 || s.len >= sizeof(buf))
        return false;
    if (s.p[i] == '-' || s.p[i] == '+')
        i++;
    while (i < s.len && s.p[i] >= '0' && s.p[i] <= '9')
        i++, digits++;
    if (i < s.len && s.p[i] == '.') {
        i++;
        while (i < s.len && s.p[i] >= '0' && s.p[i] <= '9')
            i++, digits++;
    }
    if (!digits)
        return false;
    if (i < s.len && (s.p[i] == 'e' || s.p[i] == 'E')) {
        size_t e = 0;
        i++;
        if (i < s.len && (s.p[i] == '-' || s.p[i] == '+'))
            i++;
        while (i < s.len && s.p[i] >= '0' && s.p[i] <= '9')
            i++, e++;
        if (!e)
            return false;
    }
    if (i != s.len)
        return false;
    memcpy(buf, s.p, s.len);
    buf[s.len] = '\0';
    double v = strtod(buf, NULL);
    if (!isfinite(v))
        return false;
    *out = v;
    return true;
}

static bool cond_holds(const struct ty_corr *c, double v)
{
    for (uint32_t i = 0; i < c->n_cond; i++) {
        const struct ty_corr_cond *k = &c->cond[i];
        bool ok;
        if (k->neq) {
            ok = v != k->num;
        } else {
            switch (k->op) {
            case TY_OP_EQ: ok = v == k->num; break;
            case TY_OP_GT: ok = v > k->num; break;
            case TY_OP_GTE: ok = v >= k->num; break;
            case TY_OP_LT: ok = v < k->num; break;
            case TY_OP_LTE: ok = v <= k->num; break;
            default: ok = false; break;
            }
        }
        if (!ok)
            return false;
    }
    return true;
}

/* ------------------------------------------------------------------ */
/* Timespan                                                             */

int ty_corr_timespan(struct ty_str text, int64_t *ns, struct ty_err *err)
{
    static const struct {
        char unit;
        int64_t sec;
    } units[] = {
        {'s', 1}, {'m', 60}, {'h', 3600}, {'d', 86400}, {'w', 604800},
        {'M', 2629746}, {'y', 31556952},
    };
    size_t i = 0;
    uint64_t n = 0;
    if (!text.p || text.len == 0)
        return ty_err_set(err, TY_EINVAL, "timespan is empty (write an integer and a unit: "
                          "30s, 5m, 1h, 2d, 1w, 1M, 1y)");
    while (i < text.len && text.p[i] >= '0' && text.p[i] <= '9') {
        if (n > (uint64_t)INT64_MAX / 10)
            return ty_err_set(err, TY_EINVAL, "timespan '%.*s' is too large", (int)text.len,
                              text.p);
        n = n * 10 + (uint64_t)(text.p[i] - '0');
        i++;
    }
    if (i == 0)
        return ty_err_set(err, TY_EINVAL,
                          "timespan '%.*s' must start with an integer (e.g. 5m)",
                          (int)(text.len > 40 ? 40 : text.len), text.p);
    if (i == text.len)
        return ty_err_set(err, TY_EINVAL,
                          "timespan '%.*s' has no unit (allowed: s m h d w M y, e.g. 5m)",
                          (int)(text.len > 40 ? 40 : text.len), text.p);
    if (i + 1 != text.len)
        return ty_err_set(err, TY_EINVAL,
                          "timespan '%.*s' must be one integer and one unit (e.g. 90m, not "
                          "1h30m)",
                          (int)(text.len > 40 ? 40 : text.len), text.p);
    for (size_t u = 0; u < sizeof(units) / sizeof(units[0]); u++) {
        if (units[u].unit != text.p[i])
            continue;
        if (n == 0)
            return ty_err_set(err, TY_EINVAL, "timespan '%.*s' must be greater than zero",
                              (int)text.len, text.p);
        if (n > (uint64_t)(INT64_MAX / (units[u].sec * 1000000000)))
            return ty_err_set(err, TY_EINVAL, "timespan '%.*s' is too large", (int)text.len,
                              text.p);
        *ns = (int64_t)n * units[u].sec * 1000000000;
        return 0;
    }
    return ty_err_set(err, TY_EINVAL,
                      "timespan '%.*s': unknown unit '%c' (allowed: s m h d w M y; case "
                      "matters: m is minutes, M months)",
                      (int)text.len, text.p, text.p[i]);
}

/* ------------------------------------------------------------------ */
/* Distinct values                                                      */

static void vkey(uint32_t gi, uint64_t ha, uint64_t hb, uint64_t *ka, uint64_t *kb)
{
    *ka = ha ^ mix64((uint64_t)gi + UINT64_C(0x243f6a8885a308d3));
    *kb = hb ^ (uint64_t)gi;
}

static void vnode_unlink(struct ty_corr *c, struct group *g, uint32_t vi)
{
    struct vnode *n = &c->v[vi];
    if (n->prev != NIL)
        c->v[n->prev].next = n->next;
    else
        g->v_head = n->next;
    if (n->next != NIL)
        c->v[n->next].prev = n->prev;
    else
        g->v_tail = n->prev;
}

static void vnode_append(struct ty_corr *c, struct group *g, uint32_t vi)
{
    struct vnode *n = &c->v[vi];
    n->prev = g->v_tail;
    n->next = NIL;
    if (g->v_tail != NIL)
        c->v[g->v_tail].next = vi;
    else
        g->v_head = vi;
    g->v_tail = vi;
}

static void vnode_drop(struct ty_corr *c, uint32_t gi, uint32_t vi)
{
    struct group *g = &c->g[gi];
    uint64_t ka, kb;
    vkey(gi, c->v[vi].ha, c->v[vi].hb, &ka, &kb);
    map_del(&c->vmap, ka, kb);
    vnode_unlink(c, g, vi);
    c->v[vi].next = c->v_free;
    c->v_free = vi;
    g->n_vals--;
    c->n_vnodes--;
    c->items--;
}

static int vnode_new(struct ty_corr *c, uint32_t gi, uint64_t ha, uint64_t hb, uint32_t *out)
{
    uint32_t vi;
    if (c->v_free != NIL) {
        vi = c->v_free;
        c->v_free = c->v[vi].next;
    } else {
        if (c->v_cap == NIL - 1)
            return TY_ENOMEM;
        if (c->n_vnodes == c->v_cap) {
            uint32_t nc = c->v_cap ? (c->v_cap > NIL / 4 ? NIL - 1 : c->v_cap * 2) : 256;
            struct vnode *nv = realloc(c->v, (size_t)nc * sizeof(*nv));
            if (!nv)
                return TY_ENOMEM;
            c->v = nv;
            c->v_cap = nc;
        }
        /* the pool is dense while nothing was freed: the next index is n_vnodes */
        vi = c->n_vnodes;
    }
    uint64_t ka, kb;
    vkey(gi, ha, hb, &ka, &kb);
    if (map_put(&c->vmap, ka, kb, vi) != 0) {
        c->v[vi].next = c->v_free;
        c->v_free = vi;
        return TY_ENOMEM;
    }
    c->v[vi].ha = ha;
    c->v[vi].hb = hb;
    c->n_vnodes++;
    c->items++;
    c->g[gi].n_vals++;
    vnode_append(c, &c->g[gi], vi);
    *out = vi;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Groups                                                               */

static bool is_temporal(const struct ty_corr *c)
{
    return c->spec.type == TY_CORR_TEMPORAL || c->spec.type == TY_CORR_TEMPORAL_ORDERED;
}

/* Open settled windows in a list ordered by start (windows open in time
 * order, so appending keeps it sorted). */
static void wlist_append(struct ty_corr *c, uint32_t gi)
{
    struct group *g = &c->g[gi];
    g->w_prev = c->w_tail;
    g->w_next = NIL;
    if (c->w_tail != NIL)
        c->g[c->w_tail].w_next = gi;
    else
        c->w_head = gi;
    c->w_tail = gi;
}

static void wlist_unlink(struct ty_corr *c, uint32_t gi)
{
    struct group *g = &c->g[gi];
    if (g->w_prev != NIL)
        c->g[g->w_prev].w_next = g->w_next;
    else
        c->w_head = g->w_next;
    if (g->w_next != NIL)
        c->g[g->w_next].w_prev = g->w_prev;
    else
        c->w_tail = g->w_prev;
}

/* Forget the window's inputs; the group itself stays. */
static void group_reset(struct ty_corr *c, uint32_t gi)
{
    struct group *g = &c->g[gi];
    if (g->open)
        wlist_unlink(c, gi);
    while (g->v_head != NIL)
        vnode_drop(c, gi, g->v_head);
    if (g->r_cap > 64) {
        free(g->ring);
        c->items -= g->r_cap;
        g->ring = NULL;
        g->r_cap = 0;
    }
    g->r_head = g->r_len = 0;
    if (g->c_nums > 64) {
        free(g->nums);
        c->items -= g->c_nums;
        g->nums = NULL;
        g->c_nums = 0;
    }
    g->n_nums = 0;
    g->seen_nums = 0;
    if (g->rts) {
        uint32_t n = c->spec.n_rules;
        for (uint32_t i = 0; i < n; i++)
            g->rts[i] = g->rref[i] = UNSET;
        if (g->best)
            for (uint32_t i = 0; i < n; i++)
                g->best[i] = UNSET;
    }
    g->count = 0;
    g->sum = 0;
    g->n_num = 0;
    g->n_refs = 0;
    g->open = false;
}

static void lru_unlink(struct ty_corr *c, uint32_t gi)
{
    struct link *l = &c->lru[gi];
    if (l->prev != NIL)
        c->lru[l->prev].next = l->next;
    else
        c->lru_head = l->next;
    if (l->next != NIL)
        c->lru[l->next].prev = l->prev;
    else
        c->lru_tail = l->prev;
}

static void lru_push_head(struct ty_corr *c, uint32_t gi)
{
    struct link *l = &c->lru[gi];
    l->prev = NIL;
    l->next = c->lru_head;
    if (c->lru_head != NIL)
        c->lru[c->lru_head].prev = gi;
    else
        c->lru_tail = gi;
    c->lru_head = gi;
}

static void group_free(struct ty_corr *c, uint32_t gi)
{
    struct group *g;
    group_reset(c, gi);
    g = &c->g[gi];
    map_del(&c->gmap, g->ha, g->hb);
    lru_unlink(c, gi);
    c->items -= g->r_cap + g->c_nums;
    free(g->ring);
    free(g->nums);
    free(g->key);
    free(g->rts);
    free(g->refs);
    memset(g, 0, sizeof(*g));
    c->lru[gi].next = c->g_free;
    c->g_free = gi;
    c->n_groups--;
}

static int group_new(struct ty_corr *c, const struct ty_corr_input *in, struct h128 h,
                     uint32_t *out)
{
    uint32_t gi, ng = c->spec.n_group, nr = c->spec.n_rules;
    struct group *g;
    size_t bytes = ng * sizeof(struct ty_str);
    char *p;
    if (c->g_free != NIL) {
        gi = c->g_free;
        c->g_free = c->lru[gi].next;
    } else {
        if (c->g_cap == NIL - 1)
            return TY_ENOMEM;
        uint32_t nc = c->g_cap ? (c->g_cap > NIL / 4 ? NIL - 1 : c->g_cap * 2) : 64;
        struct group *gg = realloc(c->g, (size_t)nc * sizeof(*gg));
        if (!gg)
            return TY_ENOMEM;
        c->g = gg;
        struct link *ll = realloc(c->lru, (size_t)nc * sizeof(*ll));
        if (!ll)
            return TY_ENOMEM;
        c->lru = ll;
        for (uint32_t i = c->g_cap; i < nc; i++)
            ll[i].next = i + 1 < nc ? i + 1 : NIL;
        c->g_free = c->g_cap;
        c->g_cap = nc;
        gi = c->g_free;
        c->g_free = c->lru[gi].next;
    }
    g = &c->g[gi];
    memset(g, 0, sizeof(*g));
    g->v_head = g->v_tail = NIL;
    g->ha = h.a;
    g->hb = h.b;
    g->rng = UINT64_C(0x2545f4914f6cdd1d) ^ h.a;
    for (uint32_t i = 0; i < ng; i++)
        bytes += in->group[i].p ? (in->group[i].len < KEY_COPY_MAX ? in->group[i].len
                                                                   : KEY_COPY_MAX)
                                : 0;
    g->key = malloc(bytes ? bytes : 1);
    if (is_temporal(c)) {
        size_t n = 2 * (size_t)nr;
        if (c->spec.type == TY_CORR_TEMPORAL_ORDERED)
            n += nr + (size_t)nr * nr;
        g->rts = malloc(n * sizeof(int64_t));
    }
    if (!g->key || (is_temporal(c) && !g->rts))
        goto nomem;
    if (g->rts) {
        g->rref = g->rts + nr;
        if (c->spec.type == TY_CORR_TEMPORAL_ORDERED) {
            g->best = g->rref + nr;
            g->chain = g->best + nr;
        }
    }
    p = (char *)(g->key + ng);
    for (uint32_t i = 0; i < ng; i++) {
        struct ty_str s = in->group[i];
        size_t n = s.len < KEY_COPY_MAX ? s.len : KEY_COPY_MAX;
        if (!s.p) {
            g->key[i] = TY_STR_NULL;
            continue;
        }
        if (n)
            memcpy(p, s.p, n);
        g->key[i] = ty_str_make(p, n);
        p += n;
    }
    if (map_put(&c->gmap, h.a, h.b, gi) != 0)
        goto nomem;
    group_reset(c, gi);
    lru_push_head(c, gi);
    c->n_groups++;
    *out = gi;
    return 0;
nomem:
    free(g->key);
    free(g->rts);
    memset(g, 0, sizeof(*g));
    c->lru[gi].next = c->g_free;
    c->g_free = gi;
    return TY_ENOMEM;
}

/* ------------------------------------------------------------------ */
/* Aggregates and hits                                                  */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Linear interpolation between the closest ranks (rank = p/100 * (n-1)). */
static int percentile(struct ty_corr *c, const struct group *g, double *out)
{
    if (g->n_nums == 0)
        return 1;
    if (c->scratch_cap < g->n_nums) {
        double *ns = realloc(c->scratch, g->n_nums * sizeof(double));
        if (!ns)
            return TY_ENOMEM;
        c->scratch = ns;
        c->scratch_cap = g->n_nums;
    }
    memcpy(c->scratch, g->nums, g->n_nums * sizeof(double));
    qsort(c->scratch, g->n_nums, sizeof(double), cmp_double);
    double rank = c->spec.percentile / 100.0 * (double)(g->n_nums - 1);
    size_t lo = (size_t)floor(rank);
    if (lo >= g->n_nums - 1) {
        *out = c->scratch[g->n_nums - 1];
        return 0;
    }
    double frac = rank - (double)lo;
    *out = c->scratch[lo] + frac * (c->scratch[lo + 1] - c->scratch[lo]);
    return 0;
}

/* Longest prefix of the rule list seen in order within the window. */
static uint32_t ordered_len(const struct ty_corr *c, const struct group *g, int64_t lb)
{
    for (uint32_t k = c->spec.n_rules; k > 0; k--)
        if (live(g->best[k - 1], lb))
            return k;
    return 0;
}

/* The aggregate of the window with lower bound lb (rising) or of the whole
 * settled window; *first gets the start of the tightest window that proves
 * it and the refs go to c->refs. Returns 1 when there is no value (an
 * average of nothing). */
static int aggregate(struct ty_corr *c, uint32_t gi, int64_t lb, double *v, int64_t *first,
                     size_t *n_refs)
{
    struct group *g = &c->g[gi];
    uint32_t nr = c->spec.n_rules;
    size_t n = 0;
    int rc = 0;
    *first = c->rising ? c->now : g->start;
    switch (c->spec.type) {
    case TY_CORR_EVENT_COUNT:
        *v = (double)g->count;
        break;
    case TY_CORR_VALUE_COUNT:
        *v = (double)g->n_vals;
        break;
    case TY_CORR_TEMPORAL: {
        uint32_t k = 0;
        for (uint32_t i = 0; i < nr; i++)
            if (live(g->rts[i], lb))
                k++;
        *v = k;
        break;
    }
    case TY_CORR_TEMPORAL_ORDERED:
        *v = ordered_len(c, g, lb);
        break;
    case TY_CORR_VALUE_SUM:
        *v = g->sum;
        break;
    case TY_CORR_VALUE_AVG:
        if (!g->n_num)
            return 1;
        *v = g->sum / (double)g->n_num;
        break;
    case TY_CORR_VALUE_PERCENTILE:
        if ((rc = percentile(c, g, v)) != 0)
            return rc;
        break;
    }
    if (!cond_holds(c, *v))
        return 1;
    /* evidence */
    if (!c->rising) {
        n = g->n_refs;
        if (n)
            memcpy(c->refs, g->refs, n * sizeof(int64_t));
    } else if (c->spec.type == TY_CORR_EVENT_COUNT || c->spec.type == TY_CORR_VALUE_SUM) {
        if (g->r_len)
            *first = g->ring[g->r_head].ts;
        for (uint32_t i = 0; i < g->r_len && n < MAX_REFS; i++)
            c->refs[n++] = g->ring[wrap(g->r_head + i, g->r_cap)].ref;
    } else if (c->spec.type == TY_CORR_VALUE_COUNT) {
        if (g->v_head != NIL)
            *first = c->v[g->v_head].ts;
        for (uint32_t vi = g->v_head; vi != NIL && n < MAX_REFS; vi = c->v[vi].next)
            c->refs[n++] = c->v[vi].ref;
    } else if (c->spec.type == TY_CORR_TEMPORAL) {
        /* the latest input of each rule, oldest first */
        int64_t ts[MAX_RULES];
        for (uint32_t i = 0; i < nr; i++) {
            if (!live(g->rts[i], lb))
                continue;
            size_t j = n;
            while (j > 0 && ts[j - 1] > g->rts[i]) {
                ts[j] = ts[j - 1];
                c->refs[j] = c->refs[j - 1];
                j--;
            }
            ts[j] = g->rts[i];
            c->refs[j] = g->rref[i];
            n++;
        }
        if (n)
            *first = ts[0];
    } else {
        uint32_t k = (uint32_t)*v;
        if (k) {
            *first = g->best[k - 1];
            memcpy(c->refs, g->chain + (size_t)(k - 1) * nr, k * sizeof(int64_t));
            n = k;
        }
    }
    *n_refs = n;
    return 0;
}

static int report(struct ty_corr *c, uint32_t gi, int64_t first, int64_t last, double v,
                  size_t n_refs, ty_corr_hit_fn fn, void *arg)
{
    struct ty_corr_hit hit = {c->spec.n_group ? c->g[gi].key : NULL, first, last, v,
                              c->refs, n_refs};
    c->st.hits++;
    return fn ? fn(arg, &hit) : 0;
}

/* Test a complete settled window, report it, and empty it. */
static int settle(struct ty_corr *c, uint32_t gi, ty_corr_hit_fn fn, void *arg)
{
    struct group *g = &c->g[gi];
    double v;
    int64_t first;
    size_t n_refs = 0;
    int rc = 0;
    if (!g->open)
        return 0;
    int a = aggregate(c, gi, INT64_MIN, &v, &first, &n_refs);
    if (a < 0)
        rc = set_err(c, a, "out of memory computing a percentile");
    else if (a == 0)
        rc = report(c, gi, g->start, c->g[gi].last, v, n_refs, fn, arg);
    group_reset(c, gi);
    return rc;
}

/* Whether dropping the group now would lose inputs that could still count. */
static bool holds_state(const struct ty_corr *c, const struct group *g, int64_t lb)
{
    if (!c->rising)
        return g->open;
    if (g->r_len || g->n_vals)
        return true;
    for (uint32_t i = 0; g->rts && i < c->spec.n_rules; i++)
        if (live(g->rts[i], lb) || (g->best && live(g->best[i], lb)))
            return true;
    return false;
}

/* Drop a group to make room (max_groups or max_items). A settled window
 * already complete is tested first; a group that loses live inputs is
 * counted in evicted. */
static int evict(struct ty_corr *c, uint32_t gi, int64_t lb, ty_corr_hit_fn fn, void *arg)
{
    int rc = 0;
    struct group *g = &c->g[gi];
    if (!c->rising && g->open && g->start < lb)
        rc = settle(c, gi, fn, arg);
    else if (holds_state(c, g, lb))
        c->st.evicted++;
    group_free(c, gi);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Adding an input                                                      */

static int ring_push(struct ty_corr *c, struct group *g, int64_t ts, int64_t ref, double val)
{
    if (g->r_len == g->r_cap) {
        if (g->r_cap < c->max_keep) {
            uint32_t nc = g->r_cap ? g->r_cap * 2 : 8;
            if (nc > c->max_keep)
                nc = c->max_keep;
            struct entry *nr = malloc((size_t)nc * sizeof(*nr));
            if (!nr)
                return TY_ENOMEM;
            for (uint32_t i = 0; i < g->r_len; i++)
                nr[i] = g->ring[(g->r_head + i) % g->r_cap];
            free(g->ring);
            c->items += nc - g->r_cap;
            g->ring = nr;
            g->r_cap = nc;
            g->r_head = 0;
        } else {
            /* merge neighbours pairwise under the older ts: the count stays
             * exact, inputs may leave the window early (never late) */
            uint32_t n = g->r_len, cap = g->r_cap, h = g->r_head;
            for (uint32_t i = 0; 2 * i < n; i++) {
                struct entry a = g->ring[(h + 2 * i) % cap];
                if (2 * i + 1 < n) {
                    const struct entry *b = &g->ring[(h + 2 * i + 1) % cap];
                    a.sum += b->sum;
                    a.n += b->n;
                }
                g->ring[(h + i) % cap] = a;
            }
            g->r_len = (n + 1) / 2;
            c->st.capped++;
        }
    }
    g->ring[wrap(g->r_head + g->r_len, g->r_cap)] = (struct entry){ts, ref, val, 1};
    g->r_len++;
    return 0;
}

static void ring_expire(struct group *g, int64_t lb)
{
    while (g->r_len && g->ring[g->r_head].ts < lb) {
        const struct entry *e = &g->ring[g->r_head];
        g->count -= e->n;
        g->sum -= e->sum;
        g->r_head = wrap(g->r_head + 1, g->r_cap);
        g->r_len--;
    }
    if (!g->r_len) {
        g->sum = 0; /* no drift left over from subtractions */
        g->count = 0;
    }
}

static int add_value(struct ty_corr *c, uint32_t gi, const struct ty_corr_input *in)
{
    struct group *g = &c->g[gi];
    struct h128 h;
    uint64_t ka, kb;
    uint32_t vi;
    int rc;
    if (!in->value.p) {
        c->st.ignored++;
        return 1;
    }
    h_init(&h);
    h_bytes(&h, in->value.p, in->value.len);
    h_final(&h);
    vkey(gi, h.a, h.b, &ka, &kb);
    vi = map_get(&c->vmap, ka, kb);
    if (vi != NIL) {
        if (c->rising) {
            vnode_unlink(c, g, vi);
            vnode_append(c, g, vi);
            c->v[vi].ts = in->ts;
            c->v[vi].ref = in->ref;
        }
        return 0;
    }
    if (g->n_vals >= c->max_keep) {
        c->st.capped++;
        if (!c->rising)
            return 0;
        vnode_drop(c, gi, g->v_head);
    }
    if ((rc = vnode_new(c, gi, h.a, h.b, &vi)) != 0)
        return rc;
    c->v[vi].ts = in->ts;
    c->v[vi].ref = in->ref;
    return 0;
}

static void ordered_add(struct ty_corr *c, struct group *g, uint32_t k, int64_t ts, int64_t ref,
                        int64_t lb)
{
    uint32_t nr = c->spec.n_rules;
    if (k == 0) {
        g->best[0] = ts;
        g->chain[0] = ref;
        return;
    }
    if (!live(g->best[k - 1], lb))
        return;
    if (!live(g->best[k], lb) || g->best[k - 1] >= g->best[k]) {
        g->best[k] = g->best[k - 1];
        memcpy(g->chain + (size_t)k * nr, g->chain + (size_t)(k - 1) * nr,
               k * sizeof(int64_t));
        g->chain[(size_t)k * nr + k] = ref;
    }
}

static int add_num(struct ty_corr *c, struct group *g, const struct ty_corr_input *in)
{
    double x;
    if (!parse_num(in->value, &x)) {
        c->st.ignored++;
        return 1;
    }
    if (c->spec.type == TY_CORR_VALUE_SUM && c->rising) {
        int rc = ring_push(c, g, in->ts, in->ref, x);
        if (rc)
            return rc;
        g->count++;
        g->sum += x;
        return 0;
    }
    if (c->spec.type != TY_CORR_VALUE_PERCENTILE) {
        g->sum += x;
        g->n_num++;
        return 0;
    }
    g->seen_nums++;
    if (g->n_nums < c->max_keep) {
        if (g->n_nums == g->c_nums) {
            uint32_t nc = g->c_nums ? g->c_nums * 2 : 16;
            if (nc > c->max_keep)
                nc = c->max_keep;
            double *nn = realloc(g->nums, (size_t)nc * sizeof(double));
            if (!nn)
                return TY_ENOMEM;
            c->items += nc - g->c_nums;
            g->nums = nn;
            g->c_nums = nc;
        }
        g->nums[g->n_nums++] = x;
        return 0;
    }
    /* reservoir sampling (deterministic xorshift): a uniform sample of the
     * window's values */
    g->rng ^= g->rng << 13;
    g->rng ^= g->rng >> 7;
    g->rng ^= g->rng << 17;
    uint64_t j = g->rng % g->seen_nums;
    if (j < g->n_nums)
        g->nums[j] = x;
    c->st.capped++;
    return 0;
}

/* Returns 1 when the input's value was ignored (absent, not a number): it
 * changes no aggregate, so a rising window is not tested for it. */
static int add_input(struct ty_corr *c, uint32_t gi, const struct ty_corr_input *in, int64_t lb)
{
    struct group *g = &c->g[gi];
    int rc = 0;
    if (!c->rising) {
        if (!g->open) {
            g->open = true;
            g->start = in->ts;
            wlist_append(c, gi);
        }
        if (g->n_refs < MAX_REFS) {
            if (!g->refs && !(g->refs = malloc(MAX_REFS * sizeof(int64_t))))
                return TY_ENOMEM;
            g->refs[g->n_refs++] = in->ref;
        }
        g->count++;
    }
    switch (c->spec.type) {
    case TY_CORR_EVENT_COUNT:
        if (c->rising) {
            if ((rc = ring_push(c, g, in->ts, in->ref, 0)) != 0)
                return rc;
            g->count++;
        }
        break;
    case TY_CORR_VALUE_COUNT:
        rc = add_value(c, gi, in);
        break;
    case TY_CORR_TEMPORAL:
        if (c->rising || g->rts[in->rule] == UNSET) {
            g->rts[in->rule] = in->ts;
            g->rref[in->rule] = in->ref;
        }
        break;
    case TY_CORR_TEMPORAL_ORDERED:
        ordered_add(c, g, in->rule, in->ts, in->ref, lb);
        break;
    case TY_CORR_VALUE_SUM:
    case TY_CORR_VALUE_AVG:
    case TY_CORR_VALUE_PERCENTILE:
        rc = add_num(c, g, in);
        break;
    }
    return rc;
}

/* ------------------------------------------------------------------ */
/* API                                                                  */

int ty_corr_new(struct ty_corr **out, const struct ty_corr_spec *spec, size_t max_groups,
                struct ty_err *err)
{
    struct ty_corr *c = NULL;
    int rc = 0;
    *out = NULL;
    if (!spec || spec->type < TY_CORR_EVENT_COUNT || spec->type > TY_CORR_VALUE_PERCENTILE) {
        rc = ty_err_set(err, TY_EINVAL, "unknown correlation type");
        goto out;
    }
    if (spec->timespan_ns <= 0) {
        rc = ty_err_set(err, TY_EINVAL, "a correlation needs a timespan greater than zero");
        goto out;
    }
    if (spec->n_rules == 0 || spec->n_rules > MAX_RULES) {
        rc = ty_err_set(err, TY_EINVAL, "a correlation refers to 1 to %d rules, not %u",
                        MAX_RULES, spec->n_rules);
        goto out;
    }
    if (spec->n_cond > 4) {
        rc = ty_err_set(err, TY_EINVAL, "at most 4 condition operators");
        goto out;
    }
    bool temporal =
        spec->type == TY_CORR_TEMPORAL || spec->type == TY_CORR_TEMPORAL_ORDERED;
    if (spec->n_cond == 0 && !temporal) {
        rc = ty_err_set(err, TY_EINVAL,
                        "this correlation type needs a condition (gt, gte, lt, lte, eq, neq)");
        goto out;
    }
    if (!temporal && spec->type != TY_CORR_EVENT_COUNT && !spec->has_field) {
        rc = ty_err_set(err, TY_EINVAL, "this correlation type needs condition.field");
        goto out;
    }
    if (spec->type == TY_CORR_VALUE_PERCENTILE &&
        !(spec->percentile > 0 && spec->percentile <= 100)) {
        rc = ty_err_set(err, TY_EINVAL, "value_percentile needs a percentile in (0, 100]");
        goto out;
    }
    for (uint32_t i = 0; i < spec->n_cond; i++) {
        enum ty_cmp_op op = spec->cond[i].op;
        if ((op < TY_OP_EQ || op > TY_OP_LTE) || !isfinite(spec->cond[i].num)) {
            rc = ty_err_set(err, TY_EINVAL, "condition operator %u is not valid", i);
            goto out;
        }
    }
    c = calloc(1, sizeof(*c));
    if (!c) {
        rc = ty_err_set(err, TY_ENOMEM, "out of memory");
        goto out;
    }
    c->spec = *spec;
    c->n_cond = spec->n_cond;
    memcpy(c->cond, spec->cond, sizeof(c->cond));
    if (c->n_cond == 0) {
        /* pySigma: a temporal correlation without condition needs every rule */
        c->cond[0] = (struct ty_corr_cond){TY_OP_GTE, false, (double)spec->n_rules};
        c->n_cond = 1;
    }
    c->rising = spec->type != TY_CORR_VALUE_AVG && spec->type != TY_CORR_VALUE_PERCENTILE;
    for (uint32_t i = 0; i < c->n_cond; i++)
        if (c->cond[i].neq || (c->cond[i].op != TY_OP_GT && c->cond[i].op != TY_OP_GTE))
            c->rising = false;
    c->max_groups = max_groups ? max_groups : DEF_GROUPS;
    if (c->max_groups > NIL / 2)
        c->max_groups = NIL / 2;
    c->max_keep = spec->max_keep ? spec->max_keep : DEF_KEEP;
    if (c->max_keep < 2)
        c->max_keep = 2;
    if (c->max_keep > NIL / 4)
        c->max_keep = NIL / 4;
    c->max_items = spec->max_items ? spec->max_items : DEF_ITEMS;
    if (c->max_items < 2 * (size_t)c->max_keep)
        c->max_items = 2 * (size_t)c->max_keep;
    if (c->max_items > NIL / 4)
        c->max_items = NIL / 4;
    c->g_free = c->v_free = NIL;
    c->lru_head = c->lru_tail = NIL;
    c->w_head = c->w_tail = NIL;
    *out = c;
    c = NULL;
out:
    free(c);
    return rc;
}

/* Settled windows that started before lb are complete: test them. Groups
 * whose latest input is older than lb hold nothing live: drop them. */
static int sweep(struct ty_corr *c, int64_t lb, ty_corr_hit_fn fn, void *arg)
{
    int rc = 0;
    while (c->w_head != NIL && c->g[c->w_head].start < lb) {
        int r = settle(c, c->w_head, fn, arg);
        if (r && !rc)
            rc = r;
    }
    while (c->lru_tail != NIL && c->g[c->lru_tail].last < lb) {
        uint32_t gi = c->lru_tail;
        int r = c->rising ? 0 : settle(c, gi, fn, arg);
        if (r && !rc)
            rc = r;
        group_free(c, gi);
    }
    return rc;
}

int ty_corr_feed(struct ty_corr *c, const struct ty_corr_input *in, ty_corr_hit_fn fn, void *arg)
{
    int rc = 0, r;
    uint32_t gi;
    struct h128 h;
    c->errmsg[0] = '\0';
    if (in->ts == INT64_MIN)
        return set_err(c, TY_EINVAL, "correlation input has no time");
    if (c->started && in->ts < c->now)
        return set_err(c, TY_EINVAL,
                       "correlation input goes back in time (%lld ns before the previous "
                       "one): inputs must be sorted by time",
                       (long long)(c->now - in->ts));
    if (in->rule >= c->spec.n_rules)
        return set_err(c, TY_EINVAL, "correlation input names rule %u of %u", in->rule,
                       c->spec.n_rules);
    if (c->spec.n_group && !in->group)
        return set_err(c, TY_EINVAL, "correlation input has no group-by values");
    c->started = true;
    c->now = in->ts;
    c->st.inputs++;
    int64_t lb = sub_sat(in->ts, c->spec.timespan_ns);
    rc = sweep(c, lb, fn, arg);

    h_init(&h);
    for (uint32_t i = 0; i < c->spec.n_group; i++)
        h_str(&h, in->group[i]);
    h_final(&h);
    gi = map_get(&c->gmap, h.a, h.b);
    if (gi == NIL) {
        if (c->n_groups >= c->max_groups && c->lru_tail != NIL) {
            r = evict(c, c->lru_tail, lb, fn, arg);
            if (r && !rc)
                rc = r;
        }
        if ((r = group_new(c, in, h, &gi)) != 0)
            return set_err(c, r, "out of memory for a correlation group");
    } else if (c->lru_head != gi) {
        lru_unlink(c, gi);
        lru_push_head(c, gi);
    }

    struct group *g = &c->g[gi];
    if (!c->rising) {
        if (g->open && g->start < lb) {
            r = settle(c, gi, fn, arg);
            if (r && !rc)
                rc = r;
        }
        c->g[gi].last = in->ts;
        if ((r = add_input(c, gi, in, lb)) < 0)
            return set_err(c, r, "out of memory in a correlation window");
    } else {
        g->last = in->ts;
        ring_expire(g, lb);
        while (g->v_head != NIL && c->v[g->v_head].ts < lb)
            vnode_drop(c, gi, c->g[gi].v_head);
        if ((r = add_input(c, gi, in, lb)) < 0)
            return set_err(c, r, "out of memory in a correlation window");
        double v;
        int64_t first;
        size_t n_refs = 0;
        if (r == 0 && aggregate(c, gi, lb, &v, &first, &n_refs) == 0) {
            if (n_refs == 0) { /* a condition met by nothing (temporal_ordered gte 0) */
                c->refs[0] = in->ref;
                n_refs = 1;
            }
            r = report(c, gi, first, in->ts, v, n_refs, fn, arg);
            if (r && !rc)
                rc = r;
            group_reset(c, gi);
        }
    }
    while (c->items > c->max_items && c->lru_tail != NIL && c->lru_tail != gi) {
        r = evict(c, c->lru_tail, lb, fn, arg);
        if (r && !rc)
            rc = r;
    }
    if (rc < 0 && !c->errmsg[0])
        set_err(c, rc, "the hit callback failed (%s)", ty_strerror(rc));
    return rc;
}

int ty_corr_flush(struct ty_corr *c, ty_corr_hit_fn fn, void *arg)
{
    int rc = 0;
    while (c->w_head != NIL) {
        int r = settle(c, c->w_head, fn, arg);
        if (r && !rc)
            rc = r;
    }
    while (c->lru_tail != NIL) {
        uint32_t gi = c->lru_tail;
        int r = c->rising ? 0 : settle(c, gi, fn, arg);
        if (r && !rc)
            rc = r;
        group_free(c, gi);
    }
    return rc;
}

uint64_t ty_corr_evicted(const struct ty_corr *c)
{
    return c->st.evicted;
}

const char *ty_corr_errmsg(const struct ty_corr *c)
{
    return c->errmsg;
}

void ty_corr_get_stats(const struct ty_corr *c, struct ty_corr_stats *st)
{
    *st = c->st;
    st->groups = c->n_groups;
    st->items = c->items;
}

void ty_corr_free(struct ty_corr *c)
{
    if (!c)
        return;
    for (uint32_t gi = c->lru_head; gi != NIL;) {
        uint32_t next = c->lru[gi].next;
        free(c->g[gi].ring);
        free(c->g[gi].nums);
        free(c->g[gi].key);
        free(c->g[gi].rts);
        free(c->g[gi].refs);
        gi = next;
    }
    free(c->g);
    free(c->lru);
    free(c->v);
    free(c->gmap.s);
    free(c->vmap.s);
    free(c->scratch);
    free(c);
}
