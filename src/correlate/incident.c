/* SPDX-License-Identifier: Apache-2.0 */
/*
 * incident.c - one incident from its merged alerts: entities with roles,
 * the timeline of steps, and which of the five questions each step answers
 * (docs/internals/CORRELATION.md, "Questions").
 *
 * The entry window runs from the first initial-access alert (or the first
 * alert when none is tagged so) for entry_window_ns: everything in it
 * answers "initial access" (the first attacker-controlled steps and how:
 * the exploit, the first commands, the web shell). After it, a step answers
 * by its ATT&CK tactics: persistence -> persistence; collection,
 * exfiltration, impact -> impact; privilege escalation, lateral movement,
 * discovery, credential access, a late initial access (valid accounts
 * reused elsewhere) -> spread; execution, command and control and evasion
 * -> spread unless already persistence or impact. A step on a workload the
 * entry did not touch also answers "spread".
 */
#include <tyto/event.h>
#include <tyto/time.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "correlate/correlate-run.h"

#define ENTRY_WINDOW_NS (INT64_C(10) * 60 * 1000000000)

const char *ty_question_name(int q)
{
    static const char *const n[TY_Q__COUNT] = {"initial_access", "spread", "persistence",
                                                "impact"};
    return q >= 0 && q < TY_Q__COUNT ? n[q] : "?";
}

/* ---- event detail ---- */

static void add_kv(struct ty_buf *b, const char *k, struct ty_str v)
{
    if (!v.len)
        return;
    if (v.len > 1500)
        v.len = 1500;
    ty_buf_addf(b, "%s%s=", b->len ? " " : "", k);
    ty_buf_addstr(b, v);
}

const char *ty__event_detail(struct ty__run *r, const struct ty_event *ev)
{
    struct ty_buf b;
    char ip[TY_IP_STRLEN];
    ty_buf_init(&b, 8192);
    if (ty_event_has(ev, TY_F_SRC_IP) && ty_ip_format(&ev->v[TY_F_SRC_IP].ip, ip) >= 0)
        add_kv(&b, "src", ty_str_cstr(ip));
    if (ty_event_has(ev, TY_F_DST_IP) && ty_ip_format(&ev->v[TY_F_DST_IP].ip, ip) >= 0) {
        add_kv(&b, "dst", ty_str_cstr(ip));
        if (ty_event_has(ev, TY_F_DST_PORT))
            ty_buf_addf(&b, ":%lld", (long long)ev->v[TY_F_DST_PORT].i);
    }
    static const struct {
        enum ty_field f;
        const char *k;
    } fields[] = {
        {TY_F_ACTOR, "actor"}, {TY_F_ACTION, "action"}, {TY_F_OUTCOME, "outcome"},
        {TY_F_HTTP_METHOD, "method"}, {TY_F_REQUEST_URI, "uri"}, {TY_F_URL, "url"},
        {TY_F_DOMAIN, "domain"}, {TY_F_HOST, "host"}, {TY_F_K8S_NODE, "node"},
        {TY_F_K8S_NAMESPACE, "namespace"}, {TY_F_K8S_POD, "pod"},
        {TY_F_CONTAINER_ID, "container"}, {TY_F_CONTAINER_NAME, "container_name"},
        {TY_F_CONTAINER_IMAGE, "image"}, {TY_F_PROC_USER, "user"},
        {TY_F_PROC_EXE, "exe"}, {TY_F_PROC_CMDLINE, "cmdline"}, {TY_F_FILE_PATH, "file"},
        {TY_F_FILE_HASH, "sha256"}, {TY_F_TARGET, "target"}, {TY_F_TARGET_NAME, "target_name"},
        {TY_F_TARGET_USER, "target_user"}, {TY_F_BUCKET, "bucket"},
        {TY_F_OBJECT_KEY, "object"}, {TY_F_RULE, "rule"}, {TY_F_MESSAGE, "message"},
    };
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
        add_kv(&b, fields[i].k, ty_event_str(ev, fields[i].f));
    if (ty_event_has(ev, TY_F_HTTP_STATUS))
        ty_buf_addf(&b, " status=%lld", (long long)ev->v[TY_F_HTTP_STATUS].i);
    if (ty_event_has(ev, TY_F_BYTES_OUT) && ev->v[TY_F_BYTES_OUT].i)
        ty_buf_addf(&b, " bytes_out=%lld", (long long)ev->v[TY_F_BYTES_OUT].i);
    if (ty_event_has(ev, TY_F_BYTES_IN) && ev->v[TY_F_BYTES_IN].i)
        ty_buf_addf(&b, " bytes_in=%lld", (long long)ev->v[TY_F_BYTES_IN].i);
    const char *out = ty_arena_memdup(&r->inv->arena, b.buf ? b.buf : "", b.len);
    ty_buf_release(&b);
    return out;
}

/* ---- building ---- */

const char **ty__str_list(struct ty_arena *a, const char *const *v, size_t n)
{
    const char **l = ty_arena_alloc(a, (n + 1) * sizeof(*l));
    if (!l)
        return NULL;
    for (size_t i = 0; i < n; i++)
        l[i] = v[i];
    l[n] = NULL;
    return l;
}

static int cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorted, duplicate-free list of the techniques of the steps selected. */
const char **ty__techniques_of(struct ty_arena *a, const struct ty_incident *inc,
                               const size_t *steps, size_t n)
{
    size_t cap = 0, k = 0;
    for (size_t i = 0; i < n; i++)
        for (const char **t = inc->steps[steps ? steps[i] : i].techniques; t && *t; t++)
            cap++;
    const char **v = malloc((cap + 1) * sizeof(*v));
    if (!v)
        return NULL;
    for (size_t i = 0; i < n; i++)
        for (const char **t = inc->steps[steps ? steps[i] : i].techniques; t && *t; t++)
            v[k++] = *t;
    qsort(v, k, sizeof(*v), cmp_cstr);
    size_t u = 0;
    for (size_t i = 0; i < k; i++)
        if (!u || strcmp(v[u - 1], v[i]) != 0)
            v[u++] = v[i];
    const char **out = ty__str_list(a, v, u);
    free(v);
    return out;
}

static int role_of(const struct ty__ent *e, bool entry_workload)
{
    switch (e->type) {
    case TY_ENT_IP:
        return (e->flags & TY__ENT_INTERNAL) ? TY_ROLE_PIVOT
               : e->common                   ? TY_ROLE_NONE
                                             : TY_ROLE_ATTACKER;
    case TY_ENT_HOST: case TY_ENT_INSTANCE: case TY_ENT_POD: case TY_ENT_CONTAINER:
    case TY_ENT_PROCESS:
        return entry_workload ? TY_ROLE_VICTIM : TY_ROLE_PIVOT;
    case TY_ENT_PRINCIPAL: case TY_ENT_ROLE: case TY_ENT_SERVICE_ACCOUNT:
    case TY_ENT_ACCESS_KEY: case TY_ENT_SESSION:
        return TY_ROLE_VICTIM;
    case TY_ENT_FILE: case TY_ENT_HASH: case TY_ENT_URL: case TY_ENT_DOMAIN:
        return TY_ROLE_ARTIFACT;
    case TY_ENT_BUCKET: case TY_ENT_OBJECT:
        return TY_ROLE_VICTIM;
    default:
        return TY_ROLE_NONE;
    }
}

static int role_rank(int role)
{
    switch (role) {
    case TY_ROLE_ATTACKER: return 0;
    case TY_ROLE_VICTIM: return 1;
    case TY_ROLE_PIVOT: return 2;
    case TY_ROLE_ARTIFACT: return 3;
    default: return 4;
    }
}

static int cmp_inc_ent(const void *x, const void *y)
{
    const struct ty_inc_entity *a = x, *b = y;
    int ra = role_rank(a->role), rb = role_rank(b->role);
    if (ra != rb)
        return ra - rb;
    if (a->first_seen != b->first_seen)
        return a->first_seen < b->first_seen ? -1 : 1;
    if (a->type != b->type)
        return a->type - b->type;
    return strcmp(a->value, b->value);
}

static unsigned questions_of(const struct ty__run *r, const struct ty__alert *x,
                             const struct ty__inc_priv *p)
{
    unsigned q = 0, t = x->tactics;
    bool in_entry = x->ts >= p->entry_ts - ENTRY_WINDOW_NS && x->ts <= p->entry_end;
    if (in_entry)
        q |= 1u << TY_Q_INITIAL_ACCESS;
    if (t & TY__T_PERSISTENCE)
        q |= 1u << TY_Q_PERSISTENCE;
    if (t & (TY__T_COLLECTION | TY__T_EXFIL | TY__T_IMPACT))
        q |= 1u << TY_Q_IMPACT;
    /* secrets read out of files are data taken, whatever they are used for */
    for (size_t k = 0; k < x->n_tech; k++)
        if (strcmp(x->tech[k], "T1552.001") == 0)
            q |= 1u << TY_Q_IMPACT;
    /* reaching further: new privileges, hosts, credentials, or more code run
     * once the attacker holds a foothold (after the first execution step) */
    if (t & (TY__T_PRIVESC | TY__T_LATERAL | TY__T_DISCOVERY | TY__T_CREDENTIAL))
        q |= 1u << TY_Q_SPREAD;
    if (!in_entry && (t & TY__T_INITIAL))
        q |= 1u << TY_Q_SPREAD;
    if ((t & (TY__T_EXECUTION | TY__T_C2 | TY__T_EVASION)) && x->ts > p->foothold_ts &&
        !(q & ((1u << TY_Q_PERSISTENCE) | (1u << TY_Q_IMPACT))))
        q |= 1u << TY_Q_SPREAD;
    if (!in_entry) {
        /* on a workload the entry did not touch: the attack moved */
        bool has_wl = false, same = false;
        for (size_t k = 0; k < x->n_ents; k++) {
            if (!ty__ent_is_workload(r->ents[x->ents[k]].type) ||
                (r->ents[x->ents[k]].flags & TY__ENT_DERIVED))
                continue;
            has_wl = true;
            for (size_t w = 0; w < p->n_entry_workloads; w++)
                same |= p->entry_workloads[w] == x->ents[k];
        }
        if (has_wl && !same && p->n_entry_workloads)
            q |= 1u << TY_Q_SPREAD;
    }
    if (!q)
        q |= 1u << TY_Q_SPREAD;
    return q;
}

int ty__incident_build(struct ty__run *r, uint32_t root, struct ty_incident *inc,
                       struct ty_err *err)
{
    struct ty_arena *a = &r->inv->arena;
    size_t n = 0;
    for (size_t i = 0; i < r->n_alerts; i++)
        n += ty__alert_comp(r, i) == root;
    struct ty__inc_priv *p = &r->privs[inc->id - 1];

    inc->alert_ids = ty_arena_alloc(a, (n + 1) * sizeof(int64_t));
    inc->steps = ty_arena_alloc(a, (n + 1) * sizeof(*inc->steps));
    if (!inc->alert_ids || !inc->steps)
        return ty_err_set(err, TY_ENOMEM, "out of memory");

    /* the entry: the first initial-access alert, else the first alert */
    int64_t first_any = INT64_MAX, first_ia = INT64_MAX;
    size_t entry_alert = SIZE_MAX, any_alert = SIZE_MAX;
    int max_lvl = 0;
    for (size_t i = 0; i < r->n_alerts; i++) {
        if (ty__alert_comp(r, i) != root)
            continue;
        const struct ty__alert *x = &r->alerts[i];
        if (x->lvl > max_lvl)
            max_lvl = x->lvl;
        if (x->untimed)
            continue;
        if (x->lvl >= 2 && x->ts < first_any) {
            first_any = x->ts;
            any_alert = i;
        }
        if ((x->tactics & TY__T_INITIAL) && x->ts < first_ia) {
            first_ia = x->ts;
            entry_alert = i;
        }
    }
    if (entry_alert == SIZE_MAX)
        entry_alert = any_alert;
    if (entry_alert == SIZE_MAX) {
        for (size_t i = 0; i < r->n_alerts && entry_alert == SIZE_MAX; i++)
            if (ty__alert_comp(r, i) == root)
                entry_alert = i;
    }
    p->entry_ts = r->alerts[entry_alert].ts;
    p->entry_end = p->entry_ts + ENTRY_WINDOW_NS;
    /* the foothold: the first step that ran the attacker's code */
    p->foothold_ts = INT64_MAX;
    for (size_t i = 0; i < r->n_alerts; i++)
        if (ty__alert_comp(r, i) == root && !r->alerts[i].untimed &&
            (r->alerts[i].tactics & TY__T_EXECUTION) && r->alerts[i].ts >= p->entry_ts &&
            r->alerts[i].ts < p->foothold_ts)
            p->foothold_ts = r->alerts[i].ts;
    /* the entry's workloads: those of alerts in the entry window */
    for (size_t i = 0; i < r->n_alerts; i++) {
        const struct ty__alert *x = &r->alerts[i];
        if (ty__alert_comp(r, i) != root || x->ts > p->entry_end || x->ts < p->entry_ts)
            continue;
        for (size_t k = 0; k < x->n_ents && p->n_entry_workloads < 8; k++) {
            const struct ty__ent *e = &r->ents[x->ents[k]];
            if (!ty__ent_is_workload(e->type) || (e->flags & TY__ENT_DERIVED) ||
                (x->ent_flags[k] & TY__ENT_TARGET))
                continue;
            bool dupl = false;
            for (size_t w = 0; w < p->n_entry_workloads; w++)
                dupl |= p->entry_workloads[w] == x->ents[k];
            if (!dupl)
                p->entry_workloads[p->n_entry_workloads++] = x->ents[k];
        }
    }

    static const char *const lvl_names[] = {"informational", "low", "medium", "high", "critical"};
    inc->severity = lvl_names[max_lvl];
    inc->first_seen = INT64_MAX;
    inc->last_seen = INT64_MIN;
    double score = 0;
    for (size_t i = 0; i < r->n_alerts; i++) {
        if (ty__alert_comp(r, i) != root)
            continue;
        const struct ty__alert *x = &r->alerts[i];
        struct ty_inc_step *s = &inc->steps[inc->n_steps++];
        inc->alert_ids[inc->n_alerts++] = x->id;
        memset(s, 0, sizeof(*s));
        s->ts = x->ts;
        s->source = x->source ? x->source : "";
        s->summary = x->summary ? x->summary : "";
        s->alert_id = x->id;
        s->rule_id = x->rule_id;
        s->rule_title = x->title;
        s->level = x->level;
        s->tactic = ty__tactic_name(x->tactics);
        const char *tv[TY__MAX_TECH];
        for (size_t k = 0; k < x->n_tech; k++)
            if (!(tv[k] = ty_arena_memdup(a, x->tech[k], strlen(x->tech[k]))))
                return ty_err_set(err, TY_ENOMEM, "out of memory");
        s->techniques = ty__str_list(a, tv, x->n_tech);
        s->questions = questions_of(r, x, p);
        s->ev = x->ev;
        s->detail = x->detail;
        s->matched = x->matched && strcmp(x->matched, "{}") != 0 ? x->matched : NULL;
        s->bytes = x->bytes_out;
        bool seen_ua = !x->user_agent;
        for (size_t u = 0; u < p->n_uas && !seen_ua; u++)
            seen_ua = strcmp(p->uas[u], x->user_agent) == 0;
        if (!seen_ua && p->n_uas < 8)
            p->uas[p->n_uas++] = x->user_agent;
        if (!x->untimed && x->ts < inc->first_seen)
            inc->first_seen = x->ts;
        if (!x->untimed && (x->ts_end > x->ts ? x->ts_end : x->ts) > inc->last_seen)
            inc->last_seen = x->ts_end > x->ts ? x->ts_end : x->ts;
        score += x->lvl;
        if (!s->techniques)
            return ty_err_set(err, TY_ENOMEM, "out of memory");
    }
    inc->score = score;

    /* entities: those the alerts name and the members of their gluing
     * identity classes; common ones only for workloads and identities */
    uint32_t *named = calloc(r->n_ents + 1, sizeof(*named));
    uint8_t *cls = calloc(r->n_ents + 1, 1);
    if (!named || !cls) {
        free(named);
        free(cls);
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    }
    for (size_t k = 0; k < r->n_alerts; k++) {
        if (ty__alert_comp(r, k) != root)
            continue;
        const struct ty__alert *x = &r->alerts[k];
        for (size_t j = 0; j < x->n_ents; j++) {
            named[x->ents[j]]++;
            uint32_t re = ty__ent_root(r, x->ents[j]);
            if (r->ents[re].glues)
                cls[re] = 1;
        }
    }
    size_t cap = 0;
    for (size_t i = 0; i < r->n_ents; i++)
        cap += named[i] || cls[ty__ent_root(r, (uint32_t)i)];
    inc->ents = ty_arena_alloc(a, (cap + 1) * sizeof(*inc->ents));
    p->ents = calloc(cap + 1, sizeof(*p->ents));
    if (!inc->ents || !p->ents) {
        free(named);
        free(cls);
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < r->n_ents && inc->n_ents < cap; i++) {
        const struct ty__ent *e = &r->ents[i];
        uint32_t n_al = named[i];
        if (!n_al && !cls[ty__ent_root(r, (uint32_t)i)])
            continue;
        if (e->common && !ty__ent_is_workload(e->type) && e->type != TY_ENT_ROLE &&
            e->type != TY_ENT_SERVICE_ACCOUNT && e->type != TY_ENT_BUCKET)
            continue;
        if (e->type == TY_ENT_NAMESPACE || e->type == TY_ENT_ACCOUNT ||
            e->type == TY_ENT_IMAGE)
            continue;
        bool entry = false;
        for (size_t w = 0; w < p->n_entry_workloads; w++)
            entry |= p->entry_workloads[w] == i;
        struct ty_inc_entity *ie = &inc->ents[inc->n_ents];
        ie->type = e->type;
        ie->value = ty_arena_memdup(a, e->value, strlen(e->value));
        ie->role = role_of(e, entry);
        ie->first_seen = n_al ? e->first : 0;
        ie->last_seen = n_al ? e->last : 0;
        ie->n_alerts = n_al;
        ie->df = e->df;
        ie->internal = e->type == TY_ENT_IP ? ((e->flags & TY__ENT_INTERNAL) ? 1 : 0) : -1;
        if (!ie->value) {
            free(named);
            free(cls);
            return ty_err_set(err, TY_ENOMEM, "out of memory");
        }
        p->ents[inc->n_ents++] = (uint32_t)i;
    }
    free(named);
    free(cls);
    /* sort entities (and keep the run index mapping in step) */
    for (size_t i = 1; i < inc->n_ents; i++)
        for (size_t j = i; j > 0 && cmp_inc_ent(&inc->ents[j - 1], &inc->ents[j]) > 0; j--) {
            struct ty_inc_entity t = inc->ents[j];
            inc->ents[j] = inc->ents[j - 1];
            inc->ents[j - 1] = t;
            uint32_t u = p->ents[j];
            p->ents[j] = p->ents[j - 1];
            p->ents[j - 1] = u;
        }
    p->n_ents = inc->n_ents;

    /* the links that joined its classes */
    size_t nl = 0;
    for (size_t i = 0; i < r->n_links; i++) {
        for (size_t k = 0; k < p->n_ents; k++)
            if (p->ents[k] == r->links[i].a) {
                nl++;
                break;
            }
    }
    inc->links = ty_arena_alloc(a, (nl + 1) * sizeof(*inc->links));
    if (!inc->links)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    for (size_t i = 0; i < r->n_links && inc->n_links < nl; i++) {
        const struct ty__link *l = &r->links[i];
        bool mine = false;
        for (size_t k = 0; k < p->n_ents && !mine; k++)
            mine = p->ents[k] == l->a;
        if (!mine)
            continue;
        struct ty_inc_link *il = &inc->links[inc->n_links++];
        il->a_type = r->ents[l->a].type;
        il->b_type = r->ents[l->b].type;
        /* the run's tables go when it ends: the incident keeps copies */
        il->a = ty_arena_memdup(a, r->ents[l->a].value, strlen(r->ents[l->a].value));
        il->b = ty_arena_memdup(a, r->ents[l->b].value, strlen(r->ents[l->b].value));
        if (!il->a || !il->b)
            return ty_err_set(err, TY_ENOMEM, "out of memory");
        il->why = l->why;
        il->ev = l->ev;
    }
    return 0;
}

