/* SPDX-License-Identifier: Apache-2.0 */
/*
 * answers.c - the five questions of an incident from its placed steps:
 * the steps and techniques of each, the artifacts they cite, the spread
 * path as hops between workloads and identities, one summary sentence per
 * question (or what is missing and which source would answer it), the
 * prevention advice grouped from the rules that fired, and the title.
 */
#include <tyto/time.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "correlate/correlate-run.h"

const struct ty__alert *ty__alert_by_id(const struct ty__run *r, int64_t id)
{
    for (size_t i = 0; i < r->n_alerts; i++)
        if (r->alerts[i].id == id)
            return &r->alerts[i];
    return NULL;
}

/* The incident entity index of a run entity, or -1. */
static ssize_t inc_ent(const struct ty__inc_priv *p, uint32_t run_ent)
{
    for (size_t i = 0; i < p->n_ents; i++)
        if (p->ents[i] == run_ent)
            return (ssize_t)i;
    return -1;
}

struct strset {
    const char **v;
    size_t n, cap;
};

static int set_add(struct strset *s, const char *x)
{
    if (!x || !*x)
        return 0;
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->v[i], x) == 0)
            return 0;
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        const char **n = realloc(s->v, cap * sizeof(*n));
        if (!n)
            return TY_ENOMEM;
        s->v = n;
        s->cap = cap;
    }
    s->v[s->n++] = x;
    return 0;
}

static bool artifact_type(int q, int type)
{
    switch (q) {
    case TY_Q_PERSISTENCE:
        return type == TY_ENT_FILE || type == TY_ENT_CONTAINER || type == TY_ENT_POD ||
               type == TY_ENT_HASH || type == TY_ENT_URL || type == TY_ENT_ROLE ||
               type == TY_ENT_PRINCIPAL || type == TY_ENT_ACCESS_KEY;
    case TY_Q_IMPACT:
        return type == TY_ENT_OBJECT || type == TY_ENT_BUCKET || type == TY_ENT_IP ||
               type == TY_ENT_FILE || type == TY_ENT_DOMAIN || type == TY_ENT_URL ||
               type == TY_ENT_ROLE;
    default:
        return type == TY_ENT_IP || type == TY_ENT_URL || type == TY_ENT_POD ||
               type == TY_ENT_HOST || type == TY_ENT_CONTAINER || type == TY_ENT_FILE ||
               type == TY_ENT_PRINCIPAL || type == TY_ENT_SERVICE_ACCOUNT ||
               type == TY_ENT_ROLE || type == TY_ENT_INSTANCE || type == TY_ENT_DOMAIN;
    }
}

static bool path_type(int type)
{
    return type == TY_ENT_HOST || type == TY_ENT_POD || type == TY_ENT_CONTAINER ||
           type == TY_ENT_INSTANCE || type == TY_ENT_SERVICE_ACCOUNT || type == TY_ENT_ROLE ||
           type == TY_ENT_BUCKET;
}

static const char *const missing[TY_Q__COUNT] = {
    [TY_Q_INITIAL_ACCESS] = "The evidence does not show how the attacker got in: the access "
                            "logs of the exposed services (web server, load balancer, API "
                            "gateway), the cloud audit logs and the VPC flow logs of the first "
                            "host would answer it.",
    [TY_Q_SPREAD] = "No movement beyond the entry was seen: Kubernetes audit logs, VPC/NSG flow "
                    "logs, cloud audit logs and the other hosts' auditd or runtime sensor "
                    "events would show it.",
    [TY_Q_PERSISTENCE] = "No persistence artifact was found: the hosts' crontabs, systemd units, "
                         "authorized_keys, a Docker/containerd snapshot and the Kubernetes and "
                         "IAM audit logs (new workloads, keys, role bindings) would show one.",
    [TY_Q_IMPACT] = "What the attacker took, changed or ran is not established: cloud data "
                    "events (S3/GCS/Blob reads), flow logs with byte counts, and process "
                    "accounting or metrics (CPU) would answer it.",
};

static char *fmt_time(struct ty_arena *a, int64_t ts)
{
    char buf[48];
    ty_time_format(ts, 0, buf);
    return ty_arena_memdup(a, buf, strlen(buf));
}

static void join(struct ty_buf *b, const char *const *v, size_t n, size_t max)
{
    for (size_t i = 0; i < n && i < max; i++)
        ty_buf_addf(b, "%s%s", i ? ", " : "", v[i]);
    if (n > max)
        ty_buf_addf(b, " and %zu more", n - max);
}

static const char *first_title(const struct ty_incident *inc, const struct ty_answer *q)
{
    for (size_t i = 0; i < q->n_steps; i++)
        if (inc->steps[q->steps[i]].rule_title)
            return inc->steps[q->steps[i]].rule_title;
    return NULL;
}

static int summarize(struct ty_arena *a, const struct ty_incident *inc, int qi,
                     struct ty_answer *q, const struct strset *attackers,
                     const struct strset *entry)
{
    struct ty_buf b;
    ty_buf_init(&b, 1 << 16);
    size_t n_alerts = 0;
    int64_t bytes = 0;
    for (size_t i = 0; i < q->n_steps; i++) {
        n_alerts += inc->steps[q->steps[i]].alert_id != 0;
        bytes += inc->steps[q->steps[i]].bytes;
    }
    if (!n_alerts) {
        ty_buf_adds(&b, missing[qi]);
        if (q->n_steps)
            ty_buf_addf(&b, " %zu related record%s are listed.", q->n_steps,
                        q->n_steps == 1 ? "" : "s");
    } else {
        const char *t = first_title(inc, q);
        char *when = fmt_time(a, inc->steps[q->steps[0]].ts);
        switch (qi) {
        case TY_Q_INITIAL_ACCESS:
            ty_buf_addf(&b, "Entry at %s: %s", when ? when : "?", t ? t : "an alert");
            if (attackers->n) {
                ty_buf_adds(&b, ", from ");
                join(&b, attackers->v, attackers->n, 4);
            }
            if (entry->n) {
                ty_buf_adds(&b, ", on ");
                join(&b, entry->v, entry->n, 4);
            }
            ty_buf_addf(&b, " (%zu alert%s in the entry window).", n_alerts,
                        n_alerts == 1 ? "" : "s");
            break;
        case TY_Q_SPREAD:
            ty_buf_addf(&b, "From %s the attack moved on: ", when ? when : "?");
            for (size_t i = 0; i < q->n_path; i++)
                ty_buf_addf(&b, "%s%s %s", i ? " -> " : "",
                            ty_entity_type_name(inc->ents[q->path[i]].type),
                            inc->ents[q->path[i]].value);
            if (!q->n_path)
                ty_buf_adds(&b, t ? t : "see the steps");
            ty_buf_addf(&b, " (%zu alert%s).", n_alerts, n_alerts == 1 ? "" : "s");
            break;
        case TY_Q_PERSISTENCE:
            ty_buf_addf(&b, "%zu persistence step%s from %s", n_alerts, n_alerts == 1 ? "" : "s",
                        when ? when : "?");
            if (q->n_artifacts) {
                ty_buf_adds(&b, "; left behind: ");
                join(&b, q->artifacts, q->n_artifacts, 8);
            }
            ty_buf_adds(&b, ".");
            break;
        case TY_Q_IMPACT: {
            size_t objects = 0;
            for (size_t i = 0; i < q->n_artifacts; i++)
                objects += strchr(q->artifacts[i], '/') != NULL &&
                           q->artifacts[i][0] != '/';
            ty_buf_addf(&b, "From %s: %s", when ? when : "?", t ? t : "impact");
            if (objects)
                ty_buf_addf(&b, "; %zu object%s read", objects, objects == 1 ? "" : "s");
            if (bytes)
                ty_buf_addf(&b, "; %lld bytes moved in the records cited",
                            (long long)bytes);
            ty_buf_adds(&b, ".");
            break;
        }
        }
    }
    q->summary = ty_arena_memdup(a, b.buf ? b.buf : "", b.len);
    ty_buf_release(&b);
    return q->summary ? 0 : TY_ENOMEM;
}

static int answer(struct ty__run *r, struct ty_incident *inc, const struct ty__inc_priv *p,
                  int qi, const struct strset *attackers, const struct strset *entry)
{
    struct ty_arena *a = &r->inv->arena;
    struct ty_answer *q = &inc->q[qi];
    struct strset arts = {0}, seen_path = {0};
    int rc = 0;
    q->steps = ty_arena_alloc(a, (inc->n_steps + 1) * sizeof(*q->steps));
    q->path = ty_arena_alloc(a, (p->n_ents + 1) * sizeof(*q->path));
    if (!q->steps || !q->path)
        return TY_ENOMEM;
    for (size_t i = 0; i < inc->n_steps; i++)
        if (inc->steps[i].questions & (1u << qi))
            q->steps[q->n_steps++] = i;
    q->techniques = ty__techniques_of(a, inc, q->steps, q->n_steps);
    if (!q->techniques)
        return TY_ENOMEM;
    for (size_t i = 0; i < q->n_steps && !rc; i++) {
        const struct ty_inc_step *s = &inc->steps[q->steps[i]];
        const struct ty__alert *x = s->alert_id ? ty__alert_by_id(r, s->alert_id) : NULL;
        if (!x)
            continue;
        for (size_t k = 0; k < x->n_ents && !rc; k++) {
            ssize_t ie = inc_ent(p, x->ents[k]);
            if (ie < 0)
                continue;
            const struct ty_inc_entity *e = &inc->ents[ie];
            if (artifact_type(qi, e->type) && (e->type != TY_ENT_IP || !e->internal))
                rc = set_add(&arts, e->value);
            if (qi == TY_Q_SPREAD && path_type(e->type) && !r->ents[x->ents[k]].common) {
                bool had = false;
                for (size_t j = 0; j < seen_path.n; j++)
                    had |= seen_path.v[j] == e->value;
                if (!had && !(rc = set_add(&seen_path, e->value)))
                    q->path[q->n_path++] = (size_t)ie;
            }
        }
    }
    /* what ran the impact: a dropped program that started it (the miner's
     * loader), found by the parent's name among the incident's files */
    for (size_t i = 0; qi == TY_Q_IMPACT && i < q->n_steps && !rc; i++) {
        const struct ty_inc_step *s = &inc->steps[q->steps[i]];
        const struct ty__alert *x = s->alert_id ? ty__alert_by_id(r, s->alert_id) : NULL;
        if (!x || !x->parent)
            continue;
        const char *pb = strrchr(x->parent, '/');
        pb = pb ? pb + 1 : x->parent;
        for (size_t k = 0; k < inc->n_ents && !rc; k++) {
            const struct ty_inc_entity *e = &inc->ents[k];
            const char *eb = strrchr(e->value, '/');
            if (e->type == TY_ENT_FILE && eb && strcmp(eb + 1, pb) == 0 &&
                strncmp(e->value, "/usr/", 5) != 0 && strncmp(e->value, "/bin/", 5) != 0)
                rc = set_add(&arts, e->value);
        }
    }
    /* the command channels the data could leave by: every attacker address a
     * command-and-control step of the incident talked to (a responder checks
     * the volume sent to each) */
    for (size_t i = 0; qi == TY_Q_IMPACT && q->n_steps && i < inc->n_steps && !rc; i++) {
        const struct ty_inc_step *s = &inc->steps[i];
        const struct ty__alert *x = s->alert_id ? ty__alert_by_id(r, s->alert_id) : NULL;
        if (!x || !(x->tactics & TY__T_C2))
            continue;
        for (size_t k = 0; k < x->n_ents && !rc; k++) {
            ssize_t ie = inc_ent(p, x->ents[k]);
            if (ie >= 0 && inc->ents[ie].type == TY_ENT_IP &&
                inc->ents[ie].role == TY_ROLE_ATTACKER)
                rc = set_add(&arts, inc->ents[ie].value);
        }
    }
    /* identities reached through links only (a role behind a service account) */
    for (size_t i = 0; qi == TY_Q_SPREAD && q->n_path && i < inc->n_ents && !rc; i++) {
        const struct ty_inc_entity *e = &inc->ents[i];
        if (e->n_alerts || !path_type(e->type))
            continue;
        bool had = false;
        for (size_t j = 0; j < seen_path.n; j++)
            had |= seen_path.v[j] == e->value;
        if (!had && !(rc = set_add(&seen_path, e->value))) {
            q->path[q->n_path++] = i;
            rc = set_add(&arts, e->value);
        }
    }
    if (!rc) {
        q->artifacts = ty__str_list(a, arts.v, arts.n);
        q->n_artifacts = arts.n;
        if (!q->artifacts)
            rc = TY_ENOMEM;
    }
    free(arts.v);
    free(seen_path.v);
    if (!rc)
        rc = summarize(a, inc, qi, q, attackers, entry);
    return rc;
}

/* Prevention: one item per distinct advice of the rules that fired, with
 * the workloads and identities it concerns. */
static int prevention(struct ty__run *r, struct ty_incident *inc, const struct ty__inc_priv *p)
{
    struct ty_arena *a = &r->inv->arena;
    inc->prevention = ty_arena_alloc(a, (inc->n_alerts + 1) * sizeof(*inc->prevention));
    if (!inc->prevention)
        return TY_ENOMEM;
    for (size_t i = 0; i < inc->n_alerts; i++) {
        const struct ty__alert *x = ty__alert_by_id(r, inc->alert_ids[i]);
        if (!x || !x->prevention || !*x->prevention)
            continue;
        bool dup = false;
        for (size_t k = 0; k < inc->n_prevention && !dup; k++)
            dup = strcmp(inc->prevention[k].weakness ? inc->prevention[k].weakness : "",
                         x->weakness ? x->weakness : "") == 0 &&
                  strstr(inc->prevention[k].advice, x->prevention) == inc->prevention[k].advice;
        if (dup)
            continue;
        /* the alerts with the same advice, and what they concern */
        struct ty_buf b;
        struct strset subj = {0};
        size_t n_ids = 0;
        int64_t *ids = ty_arena_alloc(a, (inc->n_alerts + 1) * sizeof(*ids));
        if (!ids)
            return TY_ENOMEM;
        for (size_t k = 0; k < inc->n_alerts; k++) {
            const struct ty__alert *y = ty__alert_by_id(r, inc->alert_ids[k]);
            if (!y || !y->prevention || strcmp(y->prevention, x->prevention) != 0)
                continue;
            ids[n_ids++] = y->id;
            for (size_t j = 0; j < y->n_ents; j++) {
                ssize_t ie = inc_ent(p, y->ents[j]);
                if (ie < 0)
                    continue;
                const struct ty_inc_entity *e = &inc->ents[ie];
                if (e->type == TY_ENT_POD || e->type == TY_ENT_HOST || e->type == TY_ENT_ROLE ||
                    e->type == TY_ENT_SERVICE_ACCOUNT || e->type == TY_ENT_CONTAINER ||
                    e->type == TY_ENT_BUCKET || e->type == TY_ENT_INSTANCE)
                    if (set_add(&subj, e->value)) {
                        free(subj.v);
                        return TY_ENOMEM;
                    }
            }
        }
        ty_buf_init(&b, 1 << 16);
        ty_buf_adds(&b, x->prevention);
        if (subj.n) {
            ty_buf_adds(&b, " (concerns: ");
            join(&b, subj.v, subj.n, 6);
            ty_buf_adds(&b, ")");
        }
        struct ty_advice *adv = &inc->prevention[inc->n_prevention++];
        adv->advice = ty_arena_memdup(a, b.buf ? b.buf : "", b.len);
        adv->weakness = x->weakness && *x->weakness ? x->weakness : NULL;
        adv->alert_ids = ids;
        adv->n_alert_ids = n_ids;
        ty_buf_release(&b);
        free(subj.v);
        if (!adv->advice)
            return TY_ENOMEM;
    }
    return 0;
}

/* A persistence step's record as it is (what eradication removes). */
static int step_record(struct ty__run *r, struct ty_inc_step *s)
{
    struct ty_buf raw;
    struct ty_err e;
    ty_buf_init(&raw, 0);
    ty_err_clear(&e);
    int rc = ty_store_raw(r->st, s->ev.event_id, &raw, &e);
    if (rc == 0 && raw.len) {
        size_t n = raw.len > 4096 ? 4096 : raw.len;
        while (n && (raw.buf[n - 1] == '\n' || raw.buf[n - 1] == '\r'))
            n--;
        s->record = ty_arena_memdup(&r->inv->arena, raw.buf, n);
        rc = s->record ? 0 : TY_ENOMEM;
    } else if (rc != TY_ENOMEM) {
        rc = 0;     /* a record that cannot be read back is cited, not quoted */
    }
    ty_buf_release(&raw);
    return rc;
}

int ty__incident_answers(struct ty__run *r, struct ty_incident *inc,
                         const struct ty__inc_priv *p, struct ty_err *err)
{
    struct ty_arena *a = &r->inv->arena;
    struct strset attackers = {0}, entry = {0};
    int rc = 0;
    for (size_t i = 0; i < inc->n_ents && !rc; i++)
        if (inc->ents[i].role == TY_ROLE_ATTACKER && inc->ents[i].n_alerts)
            rc = set_add(&attackers, inc->ents[i].value);
    for (size_t w = 0; w < p->n_entry_workloads && !rc; w++)
        rc = set_add(&entry, r->ents[p->entry_workloads[w]].value);
    for (size_t i = 0; i < inc->n_steps && !rc; i++) {
        struct ty_inc_step *s = &inc->steps[i];
        if ((s->questions & (1u << TY_Q_PERSISTENCE)) && s->ev.event_id)
            rc = step_record(r, s);
        const struct ty__alert *x = s->alert_id ? ty__alert_by_id(r, s->alert_id) : NULL;
        if (!x || rc)
            continue;
        s->ents = ty_arena_alloc(a, (x->n_ents + 1) * sizeof(*s->ents));
        if (!s->ents) {
            rc = TY_ENOMEM;
            break;
        }
        for (size_t k = 0; k < x->n_ents; k++) {
            ssize_t ie = inc_ent(p, x->ents[k]);
            if (ie >= 0)
                s->ents[s->n_ents++] = (size_t)ie;
        }
    }
    for (int q = 0; q < TY_Q__COUNT && !rc; q++)
        rc = answer(r, inc, p, q, &attackers, &entry);
    if (!rc)
        rc = prevention(r, inc, p);
    if (!rc) {
        inc->techniques = ty__techniques_of(a, inc, NULL, inc->n_steps);
        if (!inc->techniques)
            rc = TY_ENOMEM;
    }
    if (!rc) {
        /* title: the entry's rule, where, and from where */
        struct ty_buf b;
        ty_buf_init(&b, 4096);
        const char *t = first_title(inc, &inc->q[TY_Q_INITIAL_ACCESS]);
        if (!t)
            for (size_t i = 0; i < inc->n_steps && !t; i++)
                t = inc->steps[i].rule_title;
        ty_buf_adds(&b, t ? t : "Incident");
        if (entry.n) {
            ty_buf_adds(&b, " on ");
            join(&b, entry.v, entry.n, 2);
        }
        if (attackers.n) {
            ty_buf_adds(&b, " from ");
            join(&b, attackers.v, attackers.n, 2);
        }
        ty_buf_addf(&b, " (%zu alerts)", inc->n_alerts);
        inc->title = ty_arena_memdup(a, b.buf ? b.buf : "", b.len);
        ty_buf_release(&b);
        if (!inc->title)
            rc = TY_ENOMEM;
    }
    free(attackers.v);
    free(entry.v);
    if (rc)
        return ty_err_set(err, rc, "out of memory while answering the questions");
    return 0;
}
