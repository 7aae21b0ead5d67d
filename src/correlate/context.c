/* SPDX-License-Identifier: Apache-2.0 */
/*
 * context.c - the events that explain an incident without being alerts,
 * and the answers to the five questions (docs/internals/CORRELATION.md).
 *
 * Context keys are the incident's attacker addresses, its sessions and
 * access keys, the URLs and domains its commands named, and its cloud
 * identities (roles, service accounts: only inside the incident's span, as
 * they act for benign work too). One pass over the case picks the events
 * naming a key near the incident, ranked so that the timeline stays short:
 * big transfers, writes and uploads, data reads with object names and the
 * alert's own user agent first; 404s last. The best max_context per
 * incident are kept (a bounded heap), then read back and placed.
 */
#include <tyto/event.h>
#include <tyto/time.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "correlate/correlate-run.h"

#define HOUR_NS (INT64_C(3600) * 1000000000)
#define BIG_TRANSFER (INT64_C(1) << 20)

struct cand {
    int64_t event_id, ts;
    int rank;
    unsigned questions;     /* answered because of the key that found it */
};

struct heap {
    struct cand *v;
    size_t n, cap;
};

/* min-heap on (rank, then later ts is worse) */
static bool worse(const struct cand *a, const struct cand *b)
{
    if (a->rank != b->rank)
        return a->rank < b->rank;
    return a->ts > b->ts;
}

static void heap_push(struct heap *h, struct cand c)
{
    size_t i;
    if (h->n < h->cap) {
        i = h->n++;
        while (i > 0 && worse(&c, &h->v[(i - 1) / 2])) {
            h->v[i] = h->v[(i - 1) / 2];
            i = (i - 1) / 2;
        }
        h->v[i] = c;
        return;
    }
    if (!h->cap || !worse(&h->v[0], &c))
        return;
    /* replace the worst and sift down */
    i = 0;
    for (;;) {
        size_t l = 2 * i + 1, rr = l + 1, m = i;
        const struct cand *cm = &c;
        if (l < h->n && worse(&h->v[l], cm)) {
            m = l;
            cm = &h->v[l];
        }
        if (rr < h->n && worse(&h->v[rr], cm))
            m = rr;
        if (m == i)
            break;
        h->v[i] = h->v[m];
        i = m;
    }
    h->v[i] = c;
}

/* A folder that held a file the attacker dropped (/var/tmp/.x): the other
 * files of the folder (in a filesystem timeline) are the rest of the kit. */
struct art_dir {
    int inc;                /* 0-based */
    unsigned questions;
    char path[256];         /* from the top of the host's tree, no trailing '/' */
};

/* Folders too common to say anything: system and spool folders. */
static bool telling_dir(const char *d)
{
    static const char *const broad[] = {"/usr", "/etc", "/var/log", "/var/lib", "/var/spool",
                                        "/proc", "/sys", "/bin", "/sbin", "/lib", "/run"};
    size_t slashes = 0;
    for (const char *p = d; *p; p++)
        slashes += *p == '/';
    if (slashes < 2 && !strstr(d, "/."))
        return false;
    for (size_t i = 0; i < sizeof(broad) / sizeof(broad[0]); i++) {
        size_t l = strlen(broad[i]);
        if (strncmp(d, broad[i], l) == 0 && (d[l] == '/' || d[l] == '\0'))
            return false;
    }
    return strncmp(d, "/home/", 6) != 0 || slashes > 3;
}

struct ctx_run {
    struct ty__run *r;
    int *owner;             /* per run entity: incident id + 1 whose key it is, 0 none */
    uint8_t *span_only;     /* the key holds only inside the incident's span */
    int64_t *alert_events;  /* sorted */
    size_t n_alert_events;
    uint8_t *qhint;         /* per run entity: questions its context answers */
    struct heap *heaps;     /* per incident */
    struct art_dir *dirs;   /* folders of the incidents' dropped files */
    size_t n_dirs;
    int64_t cur_ts;
    int best_inc;
    bool span_hit;
    unsigned hint;          /* questions of the key that chose best_inc */
};

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static int on_key(void *arg, int type, struct ty_str v, unsigned flags)
{
    struct ctx_run *c = arg;
    (void)flags;
    int64_t i = ty__ent_find(c->r, type, v);
    if (i < 0 || !c->owner[i])
        return 0;
    const struct ty_incident *inc = &c->r->inv->inc[c->owner[i] - 1];
    int64_t from = inc->first_seen - HOUR_NS, to = inc->last_seen + HOUR_NS;
    if (c->span_only[i]) {
        from = inc->first_seen;
        to = inc->last_seen + HOUR_NS / 4;
    }
    if (c->cur_ts < from || c->cur_ts > to)
        return 0;
    if (c->best_inc < 0 || !c->span_only[i]) {
        c->best_inc = c->owner[i] - 1;
        c->span_hit = c->span_only[i];
        c->hint = c->qhint[i];
    }
    return 0;
}

/* The incident whose dropped files shared this event's folder, or -1. */
static int dir_hit(struct ctx_run *c, const struct ty_event *ev)
{
    struct ty_str f = ty_event_str(ev, TY_F_FILE_PATH);
    char buf[512];
    if (!f.len || f.len >= sizeof(buf) || !c->n_dirs)
        return -1;
    memcpy(buf, f.p, f.len);
    buf[f.len] = '\0';
    const char *t = ty__path_in_tree(buf);
    const char *sl = strrchr(t, '/');
    if (!sl || sl == t)
        return -1;
    size_t dl = (size_t)(sl - t);
    for (size_t i = 0; i < c->n_dirs; i++) {
        const struct ty_incident *inc = &c->r->inv->inc[c->dirs[i].inc];
        if (strlen(c->dirs[i].path) == dl && memcmp(c->dirs[i].path, t, dl) == 0 &&
            c->cur_ts >= inc->first_seen - 24 * HOUR_NS && c->cur_ts <= inc->last_seen + HOUR_NS) {
            c->hint = c->dirs[i].questions;
            return c->dirs[i].inc;
        }
    }
    return -1;
}

static int rank_of(const struct ty__inc_priv *p, const struct ty_event *ev)
{
    int rank = 0;
    struct ty_str m = ty_event_str(ev, TY_F_HTTP_METHOD);
    if (ty_str_eq_cstr(m, "POST") || ty_str_eq_cstr(m, "PUT") || ty_str_eq_cstr(m, "DELETE"))
        rank += 3;
    if (ty_event_has(ev, TY_F_OBJECT_KEY))
        rank += 3;
    if (ty_event_int(ev, TY_F_BYTES_OUT, 0) > BIG_TRANSFER ||
        ty_event_int(ev, TY_F_BYTES_IN, 0) > BIG_TRANSFER)
        rank += 5;
    if (ty_event_int(ev, TY_F_HTTP_STATUS, 0) == 404)
        rank -= 2;
    struct ty_str ua = ty_event_str(ev, TY_F_USER_AGENT);
    for (size_t i = 0; ua.len && i < p->n_uas; i++)
        if (ty_str_eq_cstr(ua, p->uas[i])) {
            rank += 2;
            break;
        }
    return rank;
}

static int on_event(void *arg, const struct ty_event *ev, const struct ty_event_ref *ref)
{
    struct ctx_run *c = arg;
    if (bsearch(&ref->event_id, c->alert_events, c->n_alert_events, sizeof(int64_t), cmp_i64))
        return 0;
    c->cur_ts = ty_event_int(ev, TY_F_TS, 0);
    c->best_inc = -1;
    c->hint = 0;
    int rc = ty__event_entities(ev, on_key, c);
    if (rc)
        return rc;
    int rank_extra = 0;
    if (c->best_inc < 0 && (c->best_inc = dir_hit(c, ev)) >= 0)
        rank_extra = 2;
    if (c->best_inc < 0)
        return 0;
    /* the records of a persistence or impact artifact itself come first */
    int rank = rank_of(&c->r->privs[c->best_inc], ev) + rank_extra + (c->hint ? 6 : 0);
    /* a cloud identity's routine calls are context only when they stand out */
    if (c->span_hit && rank <= 0)
        return 0;
    heap_push(&c->heaps[c->best_inc], (struct cand){ref->event_id, c->cur_ts, rank, c->hint});
    return 0;
}

struct fetch {
    struct ty__run *r;
    struct ty_incident *inc;
    const struct ty__inc_priv *p;
    int64_t want;
    unsigned questions;
};

static int on_fetch(void *arg, const struct ty_event *ev, const struct ty_event_ref *ref)
{
    struct fetch *f = arg;
    struct ty_arena *a = &f->r->inv->arena;
    if (ref->event_id != f->want)
        return TY_STOP;
    struct ty_inc_step *s = &f->inc->steps[f->inc->n_steps];
    memset(s, 0, sizeof(*s));
    s->ts = ty_event_int(ev, TY_F_TS, 0);
    s->source = ev->format ? ty_arena_memdup(a, ev->format, strlen(ev->format)) : "";
    struct ty_buf b;
    ty_buf_init(&b, 4096);
    ty_event_summary(ev, &b);
    s->summary = ty_arena_memdup(a, b.buf ? b.buf : "", b.len);
    ty_buf_release(&b);
    s->detail = ty__event_detail(f->r, ev);
    s->ev.event_id = ref->event_id;
    s->ev.file = ref->evidence_path
                     ? ty_arena_memdup(a, ref->evidence_path, strlen(ref->evidence_path))
                     : "";
    s->ev.offset = ref->offset;
    s->ev.line = ref->line;
    s->bytes = ty_event_int(ev, TY_F_BYTES_OUT, 0) + ty_event_int(ev, TY_F_BYTES_IN, 0);
    const char **none = ty_arena_alloc(a, sizeof(*none));
    if (!s->summary || !s->detail || !none || !s->source || !s->ev.file)
        return TY_ENOMEM;
    none[0] = NULL;
    s->techniques = none;
    s->questions = f->questions;
    /* a large upload to the attacker's own address: exfiltration over the
     * channel the attack opened (T1041), stated by the correlator from the
     * record and the incident's attacker addresses */
    char dst[TY_IP_STRLEN];
    if (ty_event_int(ev, TY_F_BYTES_OUT, 0) > BIG_TRANSFER && ty_event_has(ev, TY_F_DST_IP) &&
        ty_ip_format(&ev->v[TY_F_DST_IP].ip, dst) >= 0) {
        for (size_t i = 0; i < f->inc->n_ents; i++) {
            const struct ty_inc_entity *e = &f->inc->ents[i];
            if (e->type == TY_ENT_IP && e->role == TY_ROLE_ATTACKER && e->n_alerts &&
                strcmp(e->value, dst) == 0) {
                static const char *const exfil[] = {"T1041", NULL};
                s->techniques = (const char **)exfil;
                s->tactic = "exfiltration";
                s->rule_title = "Exfiltration to the attacker's address (correlation)";
                break;
            }
        }
    }
    if (ty_event_has(ev, TY_F_OBJECT_KEY) || ty_event_int(ev, TY_F_BYTES_OUT, 0) > BIG_TRANSFER ||
        ty_event_int(ev, TY_F_BYTES_IN, 0) > BIG_TRANSFER)
        s->questions |= 1u << TY_Q_IMPACT;
    else if (s->ts <= f->p->entry_end)
        s->questions |= 1u << TY_Q_INITIAL_ACCESS;
    f->inc->n_steps++;
    return TY_STOP;
}

static int cmp_step(const void *x, const void *y)
{
    const struct ty_inc_step *a = x, *b = y;
    if (a->ts != b->ts)
        return a->ts < b->ts ? -1 : 1;
    if ((a->alert_id != 0) != (b->alert_id != 0))
        return a->alert_id ? 1 : -1;    /* context before the alert it explains */
    return a->ev.event_id < b->ev.event_id ? -1 : a->ev.event_id > b->ev.event_id;
}

static bool key_entity(const struct ty__ent *e)
{
    switch (e->type) {
    case TY_ENT_IP:
        return !(e->flags & TY__ENT_INTERNAL) && !e->common;
    case TY_ENT_SESSION: case TY_ENT_ACCESS_KEY: case TY_ENT_DOMAIN:
        return !e->common;
    case TY_ENT_URL:
        return !e->common && (e->flags & TY__ENT_TEXT);
    case TY_ENT_ROLE: case TY_ENT_SERVICE_ACCOUNT:
        return true;
    default:
        return false;
    }
}

int ty__incident_context(struct ty__run *r, struct ty_err *err)
{
    struct ty_investigation *inv = r->inv;
    struct ctx_run c;
    int rc = 0;
    memset(&c, 0, sizeof(c));
    c.r = r;
    c.owner = calloc(r->n_ents + 1, sizeof(*c.owner));
    c.span_only = calloc(r->n_ents + 1, 1);
    c.qhint = calloc(r->n_ents + 1, 1);
    c.dirs = calloc(64, sizeof(*c.dirs));
    c.alert_events = malloc((r->n_alerts + 1) * sizeof(int64_t));
    c.heaps = calloc(inv->n_inc + 1, sizeof(*c.heaps));
    if (!c.owner || !c.span_only || !c.alert_events || !c.heaps || !c.qhint || !c.dirs) {
        rc = ty_err_set(err, TY_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < r->n_alerts; i++)
        c.alert_events[c.n_alert_events++] = r->alerts[i].event_id;
    qsort(c.alert_events, c.n_alert_events, sizeof(int64_t), cmp_i64);
    bool any = false;
    for (size_t k = 0; k < inv->n_inc; k++) {
        const struct ty__inc_priv *p = &r->privs[k];
        for (size_t i = 0; i < p->n_ents; i++) {
            const struct ty__ent *e = &r->ents[p->ents[i]];
            if (!key_entity(e) || c.owner[p->ents[i]])
                continue;
            c.owner[p->ents[i]] = (int)k + 1;
            c.span_only[p->ents[i]] = e->type == TY_ENT_ROLE ||
                                      e->type == TY_ENT_SERVICE_ACCOUNT;
            any = true;
        }
        /* what the persistence and impact steps name: their containers (the
         * container's own records say what it runs) and the folders of their
         * dropped files */
        const struct ty_incident *inc = &inv->inc[k];
        for (size_t i = 0; i < inc->n_steps; i++) {
            unsigned qb = inc->steps[i].questions &
                          ((1u << TY_Q_PERSISTENCE) | (1u << TY_Q_IMPACT));
            const struct ty__alert *x =
                inc->steps[i].alert_id ? ty__alert_by_id(r, inc->steps[i].alert_id) : NULL;
            if (!qb || !x)
                continue;
            for (size_t e = 0; e < x->n_ents; e++) {
                const struct ty__ent *en = &r->ents[x->ents[e]];
                if (en->type == TY_ENT_CONTAINER && !c.owner[x->ents[e]]) {
                    c.owner[x->ents[e]] = (int)k + 1;
                    c.qhint[x->ents[e]] = (uint8_t)qb;
                    any = true;
                }
                if (en->type != TY_ENT_FILE || c.n_dirs >= 64)
                    continue;
                const char *t = ty__path_in_tree(en->value);
                const char *sl = strrchr(t, '/');
                if (!sl || sl == t || (size_t)(sl - t) >= sizeof(c.dirs[0].path))
                    continue;
                struct art_dir *d = &c.dirs[c.n_dirs];
                memcpy(d->path, t, (size_t)(sl - t));
                d->path[sl - t] = '\0';
                if (!telling_dir(d->path))
                    continue;
                d->inc = (int)k;
                d->questions = qb;
                c.n_dirs++;
                any = true;
            }
        }
        c.heaps[k].cap = r->opts.max_context;
        c.heaps[k].v = calloc(c.heaps[k].cap + 1, sizeof(struct cand));
        if (!c.heaps[k].v) {
            rc = ty_err_set(err, TY_ENOMEM, "out of memory");
            goto out;
        }
    }
    if (any && r->opts.max_context) {
        struct ty_event_query q;
        memset(&q, 0, sizeof(q));
        q.by_id = true;
        if ((rc = ty_store_events(r->st, &q, on_event, &c, err)) != 0) {
            if (rc == TY_ENOMEM)
                ty_err_set(err, rc, "out of memory while gathering context");
            goto out;
        }
    }
    for (size_t k = 0; k < inv->n_inc; k++) {
        struct ty_incident *inc = &inv->inc[k];
        struct heap *h = &c.heaps[k];
        struct ty_inc_step *steps = ty_arena_alloc(&inv->arena,
                                                   (inc->n_steps + h->n + 1) * sizeof(*steps));
        if (!steps) {
            rc = ty_err_set(err, TY_ENOMEM, "out of memory");
            goto out;
        }
        memcpy(steps, inc->steps, inc->n_steps * sizeof(*steps));
        inc->steps = steps;
        qsort(h->v, h->n, sizeof(*h->v), cmp_i64);    /* by event id: one forward read each */
        for (size_t i = 0; i < h->n; i++) {
            struct ty_event_query q;
            memset(&q, 0, sizeof(q));
            q.by_id = true;
            q.min_id = h->v[i].event_id - 1;
            q.limit = 1;
            struct fetch f = {r, inc, &r->privs[k], h->v[i].event_id, h->v[i].questions};
            rc = ty_store_events(r->st, &q, on_fetch, &f, err);
            if (rc == TY_ENOMEM) {
                ty_err_set(err, rc, "out of memory");
                goto out;
            }
            if (rc && rc != TY_STOP)
                goto out;
            rc = 0;
        }
        qsort(inc->steps, inc->n_steps, sizeof(*inc->steps), cmp_step);
        if ((rc = ty__incident_answers(r, inc, &r->privs[k], err)))
            goto out;
    }
out:
    if (c.heaps)
        for (size_t k = 0; k < inv->n_inc; k++)
            free(c.heaps[k].v);
    free(c.heaps);
    free(c.owner);
    free(c.span_only);
    free(c.qhint);
    free(c.dirs);
    free(c.alert_events);
    return rc;
}
