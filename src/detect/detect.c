/* SPDX-License-Identifier: Apache-2.0 */
/*
 * detect.c - Sigma detection over a case: match stored events, write
 * alerts, then run correlation rules over their staged inputs in time
 * order.
 *
 * Events are read in load order (raw blocks decompress sequentially);
 * correlation inputs go to a staging table and come back sorted by time,
 * so windows see a time-ordered stream even when evidence files overlap in
 * time, and memory stays bounded by the correlation engine's group cap.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/detect.h>
#include <tyto/time.h>

#include "sigma/sigma-set-int.h"

struct ty_detector {
    const struct ty_sigma_set *set;
    struct ty_sigma_scratch *sc;
    struct ty_buf a, b, g; /* matched JSON, summary, group key */
    const struct ty_detect_sink *sink;
    struct ty_detect_stats *stats;
};

int ty_detector_new(struct ty_detector **out, const struct ty_sigma_set *set, struct ty_err *err)
{
    struct ty_detector *d = calloc(1, sizeof(*d));
    if (!d)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    d->set = set;
    ty_buf_init(&d->a, 1 << 20);
    ty_buf_init(&d->b, 1 << 20);
    ty_buf_init(&d->g, 1 << 20);
    int rc = ty_sigma_scratch_new(&d->sc, err);
    if (rc) {
        ty_detector_free(d);
        return rc;
    }
    *out = d;
    return 0;
}

void ty_detector_free(struct ty_detector *d)
{
    if (!d)
        return;
    ty_sigma_scratch_free(d->sc);
    ty_buf_release(&d->a);
    ty_buf_release(&d->b);
    ty_buf_release(&d->g);
    free(d);
}

struct run {
    struct ty_store *st;
    const struct ty_detect_opts *o;
    const struct ty_sigma_set *set;
    struct ty_detect_stats *stats;
    struct ty_err *err;
    const struct ty_event_ref *ref;
    struct ty_buf a, b; /* correlation refs and summary */
};

static int put_rules(struct run *r)
{
    const struct ty_sigma_set *s = r->set;
    for (size_t i = 0; i < s->n; i++) {
        const struct sigma_rule *sr = &s->rules[i];
        const struct ty_sigma_rule_info *in = &sr->info;
        if (sr->dropped || in->kind == TY_SIGMA_FILTER)
            continue;
        char ls[256];
        snprintf(ls, sizeof(ls), "%s%s%s%s%s%s%s%s", *in->product ? "product:" : "",
                 in->product, *in->service ? " service:" : "", in->service,
                 *in->category ? " category:" : "", in->category,
                 *in->corr_type ? " correlation:" : "", in->corr_type);
        struct ty_rule_row row = {in->uid,         in->kind == TY_SIGMA_CORRELATION ? "correlation"
                                                                                    : "detection",
                                  in->id,          in->name,
                                  in->title,       *in->level ? in->level : "medium",
                                  in->status,      in->tags,
                                  in->description, in->prevention,
                                  in->weakness,    in->file,
                                  ls};
        int rc = ty_store_rule_put(r->st, &row, r->err);
        if (rc)
            return rc;
    }
    return 0;
}

/* Index of rule ri in correlation c's rule list. */
static uint32_t ref_pos(const struct sigma_rule *c, uint32_t ri)
{
    for (uint32_t k = 0; k < c->spec.n_rules; k++)
        if (c->ref_idx[k] == ri)
            return k;
    return 0;
}

static void join_group(struct ty_buf *b, const struct ty_str *g, uint32_t n, char sep)
{
    ty_buf_reset(b);
    for (uint32_t i = 0; i < n; i++) {
        if (i)
            ty_buf_addc(b, sep);
        ty_buf_addstr(b, g[i]);
    }
}

static int on_match(void *arg, const struct ty_event *ev, const struct ty_sigma_match *m)
{
    struct ty_detector *d = arg;
    const struct sigma_rule *rule = &d->set->rules[m->rule];
    int rc = 0;
    d->stats->matches++;
    if (rule->info.alerts) {
        ty_buf_reset(&d->a);
        ty_buf_addc(&d->a, '{');
        for (size_t i = 0; i < m->n_hits; i++) {
            /* the first value per field is enough to show why it matched */
            bool dup = false;
            for (size_t j = 0; j < i && !dup; j++)
                dup = ty_str_eq(m->hits[j].field, m->hits[i].field);
            if (dup)
                continue;
            if (d->a.len > 1)
                ty_buf_addc(&d->a, ',');
            ty_buf_add_json_str(&d->a, m->hits[i].field.len ? m->hits[i].field
                                                             : TY_STR_LIT("keyword"));
            ty_buf_addc(&d->a, ':');
            struct ty_str v = m->hits[i].value;
            if (v.len > 512)
                v.len = 512;
            ty_buf_add_json_str(&d->a, v);
        }
        ty_buf_addc(&d->a, '}');
        ty_buf_reset(&d->b);
        ty_event_summary(ev, &d->b);
        struct ty_alert al = {
            .rule_uid = rule->info.uid,
            .kind = "rule",
            .ts = ty_event_int(ev, TY_F_TS, 0),
            .ts_end = ty_event_int(ev, TY_F_TS, 0),
            .offset = ev->offset,
            .line = ev->line,
            .matched = d->a.buf ? d->a.buf : "{}",
            .summary = d->b.buf ? d->b.buf : "",
            .refs = "[]",
            .group_key = "",
        };
        if ((rc = d->sink->alert(d->sink->arg, &al)) != 0)
            return rc;
        d->stats->alerts++;
    }
    for (size_t k = 0; k < m->n_keys && rc == 0; k++) {
        const struct ty_sigma_corr_key *key = &m->keys[k];
        const struct sigma_rule *c = &d->set->rules[key->corr];
        join_group(&d->g, key->group, key->n_group, '\x1f');
        rc = d->sink->corr(d->sink->arg, c->info.uid, ty_event_int(ev, TY_F_TS, 0),
                           ref_pos(c, m->rule), ty_buf_str(&d->g), key->value);
    }
    return rc;
}

int ty_detector_event(struct ty_detector *d, const struct ty_event *ev,
                      const struct ty_detect_sink *sink, struct ty_detect_stats *stats)
{
    d->sink = sink;
    d->stats = stats;
    stats->events++;
    return ty_sigma_match_event(d->set, d->sc, ev, on_match, d);
}

/* The sink of `tyto detect`: straight into the store, citing the event
 * being scanned. */
static int store_alert(void *arg, struct ty_alert *a)
{
    struct run *r = arg;
    a->event_id = r->ref->event_id;
    a->evidence_id = r->ref->evidence_id;
    return ty_store_alert_add(r->st, a, r->err);
}

static int store_corr(void *arg, const char *corr, int64_t ts, uint32_t rule, struct ty_str group,
                      struct ty_str value)
{
    struct run *r = arg;
    return ty_store_corr_add(r->st, corr, ts, rule, r->ref->event_id, group, value, r->err);
}

struct scan {
    struct run *r;
    struct ty_detector *d;
    struct ty_detect_sink sink;
};

static int on_event(void *arg, const struct ty_event *ev, const struct ty_event_ref *ref)
{
    struct scan *sc = arg;
    sc->r->ref = ref;
    int rc = ty_detector_event(sc->d, ev, &sc->sink, sc->r->stats);
    if (rc && !sc->r->err->msg[0])
        ty_err_set(sc->r->err, rc, "detection failed at event %lld", (long long)ref->event_id);
    return rc;
}

/* ---- correlation pass ---- */

/* The alert a correlation raised last for one group: a hit whose window
 * starts within one timespan of its end extends it instead of raising
 * another (a 64-request scan is one alert, not one per threshold). */
struct open_alert {
    char *group;       /* NULL: free slot */
    uint64_t hash;
    int64_t id, last;
    uint64_t windows;
};

struct corr_run {
    struct run *r;
    const struct sigma_rule *c;
    uint32_t ci;
    struct ty_corr *engine;
    struct ty_str group[16];
    struct open_alert *open;
    size_t n_open, cap_open; /* open addressing, cap a power of two */
    int rc;
};

static struct open_alert *open_find(struct corr_run *cr, struct ty_str g, bool add)
{
    uint64_t h = ty_str_hash(g);
    if (add && (cr->n_open + 1) * 2 > cr->cap_open) {
        size_t cap = cr->cap_open ? cr->cap_open * 2 : 64;
        struct open_alert *n = calloc(cap, sizeof(*n));
        if (!n)
            return NULL;
        for (size_t i = 0; i < cr->cap_open; i++) {
            if (!cr->open[i].group)
                continue;
            size_t j = cr->open[i].hash & (cap - 1);
            while (n[j].group)
                j = (j + 1) & (cap - 1);
            n[j] = cr->open[i];
        }
        free(cr->open);
        cr->open = n;
        cr->cap_open = cap;
    }
    if (!cr->cap_open)
        return NULL;
    for (size_t i = h & (cr->cap_open - 1);; i = (i + 1) & (cr->cap_open - 1)) {
        struct open_alert *o = &cr->open[i];
        if (!o->group) {
            if (!add)
                return NULL;
            o->group = malloc(g.len + 1);
            if (!o->group)
                return NULL;
            memcpy(o->group, g.p, g.len);
            o->group[g.len] = '\0';
            o->hash = h;
            cr->n_open++;
            return o;
        }
        if (o->hash == h && strlen(o->group) == g.len && memcmp(o->group, g.p, g.len) == 0)
            return o;
    }
}

static void open_free(struct corr_run *cr)
{
    for (size_t i = 0; i < cr->cap_open; i++)
        free(cr->open[i].group);
    free(cr->open);
}

/* Split "a\x1fb\x1fc" into the group array (borrowed). */
static uint32_t split_group(struct ty_str g, struct ty_str *out, uint32_t max)
{
    uint32_t n = 0;
    size_t start = 0;
    if (max == 0)
        return 0;
    for (size_t i = 0; i <= g.len && n < max; i++)
        if (i == g.len || g.p[i] == '\x1f') {
            out[n++] = (struct ty_str){g.p + start, i - start};
            start = i + 1;
        }
    return n;
}

static int on_hit(void *arg, const struct ty_corr_hit *h)
{
    struct corr_run *cr = arg;
    struct run *r = cr->r;
    const struct sigma_rule *c = cr->c;
    struct ty_event_ref ref;
    int rc;
    if (h->n_refs == 0)
        return 0;
    if ((rc = ty_store_event_ref(r->st, h->refs[0], &ref, r->err)) != 0)
        return rc;
    ty_buf_reset(&r->a);
    ty_buf_addc(&r->a, '[');
    for (size_t i = 0; i < h->n_refs; i++)
        ty_buf_addf(&r->a, "%s%lld", i ? "," : "", (long long)h->refs[i]);
    ty_buf_addc(&r->a, ']');
    struct ty_buf g;
    ty_buf_init(&g, 1 << 16);
    join_group(&g, h->group, c->spec.n_group, ',');
    ty_buf_reset(&r->b);
    ty_buf_addf(&r->b, "%s=%g", c->info.corr_type, h->value);
    for (uint32_t i = 0; i < c->spec.n_group; i++)
        ty_buf_addf(&r->b, " %.*s=%.*s", (int)c->group_by[i].len, c->group_by[i].p,
                    (int)h->group[i].len, h->group[i].p);
    struct ty_alert al = {
        .rule_uid = c->info.uid,
        .kind = "correlation",
        .ts = h->first,
        .ts_end = h->last,
        .event_id = h->refs[0],
        .evidence_id = ref.evidence_id,
        .offset = ref.offset,
        .line = ref.line,
        .matched = "{}",
        .summary = r->b.buf ? r->b.buf : "",
        .refs = r->a.buf,
        .group_key = g.buf ? g.buf : "",
    };
    rc = 0;
    if (c->info.alerts) {
        struct open_alert *o = open_find(cr, ty_buf_str(&g), true);
        if (!o) {
            ty_buf_release(&g);
            return ty_err_set(r->err, TY_ENOMEM, "out of memory");
        }
        if (o->id && h->first <= o->last + c->spec.timespan_ns) {
            /* the same activity going on: one alert, its window extended */
            o->windows++;
            o->last = h->last > o->last ? h->last : o->last;
            ty_buf_addf(&r->b, " (%llu windows)", (unsigned long long)o->windows);
            rc = ty_store_alert_extend(r->st, o->id, o->last, r->b.buf, r->err);
        } else {
            rc = ty_store_alert_add(r->st, &al, r->err);
            o->id = al.id;
            o->last = h->last;
            o->windows = 1;
            r->stats->corr_alerts++;
        }
    }
    /* chained correlations: this hit is one input of each consumer */
    for (uint32_t k = 0; k < c->n_consumers && rc == 0; k++) {
        const struct sigma_rule *c2 = &r->set->rules[c->consumers[k]];
        struct ty_str vals[16];
        uint32_t n = c2->spec.n_group < 16 ? c2->spec.n_group : 16;
        for (uint32_t i = 0; i < n; i++) {
            vals[i] = TY_STR_NULL;
            for (uint32_t j = 0; j < c->spec.n_group; j++)
                if (ty_str_eq(c2->group_by[i], c->group_by[j]))
                    vals[i] = h->group[j];
        }
        join_group(&g, vals, n, '\x1f');
        rc = ty_store_corr_add(r->st, c2->info.uid, h->last, ref_pos(c2, cr->ci), h->refs[0],
                               ty_buf_str(&g), TY_STR_NULL, r->err);
    }
    ty_buf_release(&g);
    return rc;
}

static int on_input(void *arg, int64_t ts, uint32_t rule, int64_t ref, struct ty_str group,
                    struct ty_str value)
{
    struct corr_run *cr = arg;
    struct ty_corr_input in = {ts, rule, cr->group, value, ref};
    split_group(group, cr->group, cr->c->spec.n_group < 16 ? cr->c->spec.n_group : 16);
    return ty_corr_feed(cr->engine, &in, on_hit, cr);
}

static int correlate(struct run *r)
{
    const struct ty_sigma_set *s = r->set;
    size_t cap = r->o->max_groups ? r->o->max_groups : 1000000;
    for (size_t i = 0; i < ty_sigma_set_ncorr(s); i++) {
        uint32_t ci = ty_sigma_set_corr(s, i);
        struct corr_run cr = {r, &s->rules[ci], ci, NULL, {{0}}, NULL, 0, 0, 0};
        for (uint32_t g = 0; g < 16; g++)
            cr.group[g] = TY_STR_NULL;
        int rc = ty_corr_new(&cr.engine, &cr.c->spec, cap, r->err);
        if (rc)
            return rc;
        rc = ty_store_corr_each(r->st, cr.c->info.uid, on_input, &cr, r->err);
        if (rc == 0)
            rc = ty_corr_flush(cr.engine, on_hit, &cr);
        open_free(&cr);
        if (rc && !r->err->msg[0] && *ty_corr_errmsg(cr.engine))
            ty_err_set(r->err, rc, "correlation '%s': %s", cr.c->info.title,
                       ty_corr_errmsg(cr.engine));
        uint64_t ev = ty_corr_evicted(cr.engine);
        ty_corr_free(cr.engine);
        if (ev && r->o->diag) {
            char msg[512];
            snprintf(msg, sizeof(msg),
                     "correlation '%s': %llu groups dropped at the cap of %zu live groups",
                     cr.c->info.title, (unsigned long long)ev, cap);
            r->o->diag(r->o->diag_arg, msg);
        }
        r->stats->evicted += ev;
        if (rc) {
            if (!r->err->msg[0])
                ty_err_set(r->err, rc, "correlation '%s' failed", cr.c->info.title);
            return rc;
        }
    }
    return ty_store_corr_clear(r->st, r->err);
}

int ty_detect_finish(struct ty_store *st, const struct ty_detect_opts *o,
                     struct ty_detect_stats *stats, struct ty_err *err)
{
    struct run r = {.st = st, .o = o, .set = o->set, .stats = stats, .err = err};
    int rc;
    ty_buf_init(&r.a, 1 << 20);
    ty_buf_init(&r.b, 1 << 20);
    if ((rc = ty_store_begin(st, err)) != 0)
        goto out;
    if ((rc = put_rules(&r)) != 0 || (rc = correlate(&r)) != 0)
        goto out;
    rc = ty_store_commit(st, err);
out:
    ty_buf_release(&r.a);
    ty_buf_release(&r.b);
    return rc;
}

int ty_detect_case(struct ty_store *st, const struct ty_detect_opts *o,
                   struct ty_detect_stats *stats, struct ty_err *err)
{
    struct run r = {.st = st, .o = o, .set = o->set, .stats = stats, .err = err};
    struct scan sc = {&r, NULL, {store_alert, store_corr, &r}};
    int rc;
    memset(stats, 0, sizeof(*stats));
    if ((rc = ty_detector_new(&sc.d, o->set, err)) != 0)
        return rc;
    if ((rc = ty_store_begin(st, err)) != 0)
        goto out;
    if ((rc = ty_store_corr_clear(st, err)) != 0)
        goto out;
    struct ty_event_query q = {.by_id = true, .with_raw = true, .min_id = o->min_event_id};
    if ((rc = ty_store_events(st, &q, on_event, &sc, err)) != 0)
        goto out;
    if ((rc = ty_store_commit(st, err)) != 0)
        goto out;
    rc = ty_detect_finish(st, o, stats, err);
out:
    ty_detector_free(sc.d);
    return rc;
}
