/* SPDX-License-Identifier: Apache-2.0 */
/*
 * correlate.c - alerts into incidents (docs/internals/CORRELATION.md).
 *
 * 1. Read the alerts and the event of each; note the entities they name.
 * 2. One pass over the case's events: count, for each of those entities,
 *    the events that name it (its document frequency), and learn identity
 *    links (pod <-> pod IP <-> container, service account <-> cloud role,
 *    access key <-> user, host <-> instance) from every event.
 * 3. Entities joined by links form identity classes (union-find). A class
 *    glues alerts together when it names a workload (host, pod, container,
 *    instance: what ran there is one story) or when it is rare: its rarest
 *    name is in at most max(common_min, common_share x events) events.
 *    Common names (a NAT gateway, kube-system, a CI role, a popular domain)
 *    never glue. Host-local accounts, namespaces, accounts and images never
 *    glue.
 * 4. Alerts sharing a gluing class within window_ns of each other merge.
 * 5. A merged set is an incident when its score (the level weights of its
 *    distinct rules) reaches min_score; the others stay unassigned.
 * 6. incident.c builds each incident's entities, steps and answers.
 */
#include <tyto/event.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "correlate/correlate-run.h"

void ty_correlate_opts_default(struct ty_correlate_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->window_ns = INT64_C(24) * 3600 * 1000000000;
    o->workload_window_ns = INT64_C(3600) * 1000000000;
    o->common_share = 0.02;
    o->common_min = 200;
    o->common_span = 0.25;
    o->min_score = 8;
    o->max_context = 60;
}

/* ---- entity table ---- */

static int ent_key(char *buf, size_t cap, int type, struct ty_str v, struct ty_str *out)
{
    if (v.len + 1 > cap)
        return -1;
    buf[0] = (char)('a' + type);
    memcpy(buf + 1, v.p, v.len);
    *out = ty_str_make(buf, v.len + 1);
    return 0;
}

int64_t ty__ent_find(struct ty__run *r, int type, struct ty_str v)
{
    char buf[1100];
    struct ty_str k;
    if (ent_key(buf, sizeof(buf), type, v, &k))
        return -1;
    return ty_strmap_get(&r->emap, k);
}

/* Find or add; returns the index or a negative code. */
static int64_t ent_add(struct ty__run *r, int type, struct ty_str v, unsigned flags)
{
    char buf[1100];
    struct ty_str k;
    struct ty_strmap_slot *slot;
    if (ent_key(buf, sizeof(buf), type, v, &k))
        return -1;
    if (r->n_ents >= UINT32_MAX - 1)
        return TY_ENOMEM;
    int rc = ty_strmap_put(&r->emap, k, (uint32_t)r->n_ents, &slot);
    if (rc < 0)
        return rc;
    if (rc == 0) {
        r->ents[slot->value].flags |= flags;
        return slot->value;
    }
    if (r->n_ents == r->cap_ents) {
        size_t cap = r->cap_ents ? r->cap_ents * 2 : 256;
        struct ty__ent *n = realloc(r->ents, cap * sizeof(*n));
        if (!n)
            return TY_ENOMEM;
        r->ents = n;
        r->cap_ents = cap;
    }
    struct ty__ent *e = &r->ents[r->n_ents];
    memset(e, 0, sizeof(*e));
    e->type = type;
    e->value = slot->key + 1;
    e->flags = flags;
    e->parent = (uint32_t)r->n_ents;
    e->first = e->ev_first = INT64_MAX;
    e->last = e->ev_last = INT64_MIN;
    return (int64_t)r->n_ents++;
}

uint32_t ty__ent_root(struct ty__run *r, uint32_t i)
{
    while (r->ents[i].parent != i) {
        r->ents[i].parent = r->ents[r->ents[i].parent].parent;
        i = r->ents[i].parent;
    }
    return i;
}

/* ---- step 1: alerts and their events ---- */

static const char *dup(struct ty__run *r, const char *s)
{
    if (!s)
        return NULL;
    return ty_arena_memdup(&r->inv->arena, s, strlen(s));
}

static int on_alert(void *arg, const struct ty_alert *a)
{
    struct ty__run *r = arg;
    if (r->n_alerts == r->cap_alerts) {
        size_t cap = r->cap_alerts ? r->cap_alerts * 2 : 64;
        struct ty__alert *n = realloc(r->alerts, cap * sizeof(*n));
        if (!n)
            return TY_ENOMEM;
        r->alerts = n;
        r->cap_alerts = cap;
    }
    struct ty__alert *x = &r->alerts[r->n_alerts];
    memset(x, 0, sizeof(*x));
    x->id = a->id;
    x->event_id = a->event_id;
    x->ts = a->ts;
    x->ts_end = a->ts_end;
    x->kind = dup(r, a->kind);
    x->summary = dup(r, a->summary);
    x->matched = dup(r, a->matched);
    x->ev.event_id = a->event_id;
    x->ev.file = dup(r, a->evidence_path);
    x->ev.offset = a->offset;
    x->ev.line = a->line;
    if (a->rule) {
        x->rule_uid = dup(r, a->rule->uid);
        x->rule_id = dup(r, a->rule->id);
        x->title = dup(r, a->rule->title);
        x->level = dup(r, a->rule->level);
        x->prevention = dup(r, a->rule->prevention);
        x->weakness = dup(r, a->rule->weakness);
        x->n_tech = ty__attack_parse(a->rule->tags, x->tech, TY__MAX_TECH, &x->tactics);
    }
    x->lvl = ty__level_rank(x->level);
    x->comp = (uint32_t)r->n_alerts;
    if ((a->summary && !x->summary) || !x->ev.file)
        return TY_ENOMEM;
    r->n_alerts++;
    return 0;
}

static bool snapshot_format(const char *f)
{
    static const char *const v[] = {"k8s-inventory", "docker-layer", "docker-meta", "docker-ps",
                                    "docker-diff"};
    for (size_t i = 0; f && i < sizeof(v) / sizeof(v[0]); i++)
        if (strcmp(f, v[i]) == 0)
            return true;
    return false;
}

struct alert_ents {
    struct ty__run *r;
    struct ty__alert *x;
    int rc;
};

static int on_alert_entity(void *arg, int type, struct ty_str v, unsigned flags)
{
    struct alert_ents *ae = arg;
    struct ty__run *r = ae->r;
    int64_t i = ent_add(r, type, v, flags);
    if (i == -1)
        return 0;   /* too long to be a name */
    if (i < 0)
        return (int)i;
    struct ty__alert *x = ae->x;
    for (size_t k = 0; k < x->n_ents; k++)
        if (x->ents[k] == (uint32_t)i)
            return 0;
    if (x->n_ents < TY__MAX_ALERT_ENTS) {
        x->ents[x->n_ents] = (uint32_t)i;
        x->ent_flags[x->n_ents++] = flags;
    }
    struct ty__ent *e = &r->ents[i];
    e->in_alerts = 1;
    if (x->ts < e->first)
        e->first = x->ts;
    if (x->ts > e->last)
        e->last = x->ts;
    return 0;
}

static int on_alert_event(void *arg, const struct ty_event *ev, const struct ty_event_ref *ref)
{
    struct alert_ents *ae = arg;
    struct ty__run *r = ae->r;
    if (ref->event_id != ae->x->event_id)
        return TY_STOP;
    ae->x->source = ev->format ? dup(r, ev->format) : "";
    /* a record without a time of its own, or a snapshot of state (an inventory,
     * a container's configuration or layer): a finding about what it names,
     * not an action at that time */
    ae->x->untimed = !ty_event_has(ev, TY_F_TIME_TEXT) || snapshot_format(ev->format);
    /* a host's own log in a collected tree names its host by its place */
    char host[256];
    size_t hl;
    if (!ty_event_has(ev, TY_F_HOST) && ref->evidence_path &&
        (hl = ty__path_host(ref->evidence_path, host, sizeof(host))) != 0 &&
        (ae->rc = on_alert_entity(ae, TY_ENT_HOST, ty_str_make(host, hl), TY__ENT_PATH)) != 0)
        return TY_STOP;
    ae->x->detail = ty__event_detail(r, ev);
    ae->x->bytes_out = ty_event_int(ev, TY_F_BYTES_OUT, 0);
    ae->x->uid = ty_event_has(ev, TY_F_PROC_UID) && !ty_event_has(ev, TY_F_PROC_USER)
                     ? ty_event_int(ev, TY_F_PROC_UID, -1)
                     : -1;
    struct ty_str par = ty_event_str(ev, TY_F_PARENT_EXE);
    ae->x->parent = par.len ? ty_arena_memdup(&r->inv->arena, par.p, par.len) : NULL;
    struct ty_str ua = ty_event_str(ev, TY_F_USER_AGENT);
    ae->x->user_agent = ua.len ? ty_arena_memdup(&r->inv->arena, ua.p, ua.len) : NULL;
    ae->rc = ty__event_entities(ev, on_alert_entity, ae);
    return ae->rc ? TY_STOP : TY_STOP;
}

static int read_alerts(struct ty__run *r, struct ty_err *err)
{
    int rc = ty_store_alerts(r->st, on_alert, r, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < r->n_alerts; i++) {
        struct ty_event_query q;
        memset(&q, 0, sizeof(q));
        q.by_id = true;
        q.min_id = r->alerts[i].event_id - 1;
        q.limit = 1;
        struct alert_ents ae = {r, &r->alerts[i], 0};
        rc = ty_store_events(r->st, &q, on_alert_event, &ae, err);
        if (rc && rc != TY_STOP)
            return rc;
        if (ae.rc < 0)
            return ty_err_set(err, ae.rc, "out of memory while reading alert events");
    }
    return 0;
}

/* ---- step 2: document frequencies and identity links ---- */

static int on_df_entity(void *arg, int type, struct ty_str v, unsigned flags)
{
    struct ty__run *r = arg;
    (void)flags;
    int64_t i = ty__ent_find(r, type, v);
    if (i >= 0 && r->ents[i].seen_in != r->cur_event) {
        struct ty__ent *e = &r->ents[i];
        e->seen_in = r->cur_event;
        e->df++;
        if (r->cur_ts < e->ev_first)
            e->ev_first = r->cur_ts;
        if (r->cur_ts > e->ev_last)
            e->ev_last = r->cur_ts;
    }
    return 0;
}

/* An address met through a link says whether it is internal, as one named
 * by an event does. */
static unsigned ip_flags(int type, struct ty_str v)
{
    struct ty_ip ip;
    if (type != TY_ENT_IP || ty_ip_parse(v, &ip) != 0)
        return 0;
    return ty__ip_class(&ip) ? TY__ENT_INTERNAL : 0;
}

static int on_link(void *arg, int at, struct ty_str a, int bt, struct ty_str b, const char *why)
{
    struct ty__run *r = arg;
    if (r->n_links >= TY__MAX_LINKS)
        return 0;
    int64_t ia = ent_add(r, at, a, ip_flags(at, a)), ib;
    if (ia < 0)
        return ia == -1 ? 0 : (int)ia;
    if ((ib = ent_add(r, bt, b, ip_flags(bt, b))) < 0)
        return ib == -1 ? 0 : (int)ib;
    if (ia == ib)
        return 0;
    /* one link per pair */
    char key[16];
    uint32_t lo = (uint32_t)(ia < ib ? ia : ib), hi = (uint32_t)(ia < ib ? ib : ia);
    memcpy(key, &lo, 4);
    memcpy(key + 4, &hi, 4);
    int rc = ty_strmap_put(&r->lmap, ty_str_make(key, 8), 0, NULL);
    if (rc <= 0)
        return rc < 0 ? rc : 0;
    if (r->n_links == r->cap_links) {
        size_t cap = r->cap_links ? r->cap_links * 2 : 64;
        struct ty__link *n = realloc(r->links, cap * sizeof(*n));
        if (!n)
            return TY_ENOMEM;
        r->links = n;
        r->cap_links = cap;
    }
    struct ty__link *l = &r->links[r->n_links++];
    l->a = (uint32_t)ia;
    l->b = (uint32_t)ib;
    l->why = why;
    l->ev = r->cur_ref;
    l->ev.file = r->cur_path ? dup(r, r->cur_path) : "";
    if (!l->ev.file)
        return TY_ENOMEM;
    return 0;
}

/* The collected tree a path belongs to: what comes before its host's own
 * /etc, /var... ("hosts/api-1/var/log/audit/audit.log" -> "hosts/api-1").
 * 0 when the path is not in a collected tree. */
static size_t tree_root(const char *path)
{
    const char *t = ty__path_in_tree(path);
    return t != path ? (size_t)(t - path) : 0;
}

/* An account of a collected host's own passwd file: (tree, uid) -> name. */
static int note_account(struct ty__run *r, const struct ty_event *ev, const char *path)
{
    struct ty_str name = ty_event_str(ev, TY_F_ACTOR), uid = ty_event_str(ev, TY_F_ACTOR_ID);
    size_t root = tree_root(path);
    char key[1200];
    if (!root || !name.len || !uid.len || root + uid.len + 2 > sizeof(key))
        return 0;
    memcpy(key, path, root);
    key[root] = '\x1f';
    memcpy(key + root + 1, uid.p, uid.len);
    if (r->n_accounts == r->cap_accounts) {
        size_t cap = r->cap_accounts ? r->cap_accounts * 2 : 64;
        const char **n = realloc(r->account_names, cap * sizeof(*n));
        if (!n)
            return TY_ENOMEM;
        r->account_names = n;
        r->cap_accounts = cap;
    }
    struct ty_strmap_slot *slot;
    int rc = ty_strmap_put(&r->accounts, ty_str_make(key, root + 1 + uid.len),
                           (uint32_t)r->n_accounts, &slot);
    if (rc <= 0)
        return rc;  /* a second passwd line for the same uid: the first one wins */
    const char *n = ty_arena_memdup(&r->inv->arena, name.p, name.len);
    if (!n)
        return TY_ENOMEM;
    r->account_names[r->n_accounts++] = n;
    return 0;
}

/* Alerts on a process known only by its uid get the account name from the
 * passwd file of the same collected host, never from this machine. */
static int resolve_uids(struct ty__run *r)
{
    for (size_t i = 0; i < r->n_alerts && r->n_accounts; i++) {
        struct ty__alert *x = &r->alerts[i];
        size_t root;
        char key[1200], uid[24];
        if (x->uid < 0 || !x->ev.file || !(root = tree_root(x->ev.file)))
            continue;
        int ul = snprintf(uid, sizeof(uid), "%lld", (long long)x->uid);
        if (ul <= 0 || root + (size_t)ul + 2 > sizeof(key))
            continue;
        memcpy(key, x->ev.file, root);
        key[root] = '\x1f';
        memcpy(key + root + 1, uid, (size_t)ul);
        int64_t k = ty_strmap_get(&r->accounts, ty_str_make(key, root + 1 + (size_t)ul));
        if (k < 0)
            continue;
        const char *name = r->account_names[k];
        struct ty_str d = ty_arena_printf(&r->inv->arena, "%s%suser=%s (uid %s, %.*s/etc/passwd)",
                                          x->detail ? x->detail : "",
                                          x->detail && *x->detail ? " " : "", name, uid,
                                          (int)root, x->ev.file);
        if (!d.p)
            return TY_ENOMEM;
        x->detail = d.p;
        struct alert_ents ae = {r, x, 0};
        int rc = on_alert_entity(&ae, TY_ENT_PRINCIPAL, ty_str_cstr(name), TY__ENT_LOCAL);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int on_case_event(void *arg, const struct ty_event *ev, const struct ty_event_ref *ref)
{
    struct ty__run *r = arg;
    if (ev->format && strcmp(ev->format, "passwd") == 0 && ref->evidence_path &&
        note_account(r, ev, ref->evidence_path) < 0)
        return TY_ENOMEM;
    r->n_events++;
    r->cur_event++;
    r->cur_ref.event_id = ref->event_id;
    r->cur_ref.offset = ref->offset;
    r->cur_ref.line = ref->line;
    r->cur_path = ref->evidence_path;
    r->cur_ts = ty_event_int(ev, TY_F_TS, 0);
    if (r->cur_ts < r->case_first)
        r->case_first = r->cur_ts;
    if (r->cur_ts > r->case_last)
        r->case_last = r->cur_ts;
    int rc = ty__event_entities(ev, on_df_entity, r);
    if (!rc)
        rc = ty__event_links(ev, on_link, r);
    return rc;
}

/* ---- steps 3-5 ---- */

static uint32_t comp_root(struct ty__run *r, uint32_t i)
{
    while (r->alerts[i].comp != i) {
        r->alerts[i].comp = r->alerts[r->alerts[i].comp].comp;
        i = r->alerts[i].comp;
    }
    return i;
}

static void comp_union(struct ty__run *r, uint32_t a, uint32_t b)
{
    a = comp_root(r, a);
    b = comp_root(r, b);
    if (a == b)
        return;
    /* the earlier alert stays the root: ids follow first alerts */
    if (b < a) {
        uint32_t t = a;
        a = b;
        b = t;
    }
    r->alerts[b].comp = a;
}

/* A program of the operating system (/usr/bin/curl) is named by unrelated
 * activity everywhere: it describes an alert, it does not tie two together. */
static bool system_file(const char *v)
{
    static const char *const dirs[] = {"/usr/bin/", "/usr/sbin/", "/bin/", "/sbin/", "/usr/lib/",
                                       "/lib/", "/lib64/", "/usr/libexec/", "/usr/share/"};
    for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
        if (strncmp(v, dirs[i], strlen(dirs[i])) == 0)
            return true;
    return false;
}

static bool never_glues(const struct ty__ent *e)
{
    if (e->type == TY_ENT_FILE && system_file(e->value))
        return true;
    if (e->flags & TY__ENT_LOCAL && e->type == TY_ENT_PRINCIPAL)
        return true;
    return e->type == TY_ENT_NAMESPACE || e->type == TY_ENT_ACCOUNT || e->type == TY_ENT_IMAGE;
}

/* A name that several things share is not an identity: the node IP of
 * every host-network pod, the service account of a DaemonSet on every
 * node. Count, per entity, the links to distinct entities of one type. */
static int cmp_link_hub(const void *x, const void *y)
{
    const uint64_t *a = x, *b = y;
    return *a < *b ? -1 : *a > *b;
}

static void drop_hub_links(struct ty__run *r)
{
    /* (entity << 8 | other side's type) for both ends of every link */
    uint64_t *k = malloc((2 * r->n_links + 1) * sizeof(*k));
    uint32_t *deg = calloc(r->n_ents + 1, sizeof(*deg));
    if (!k || !deg) {
        free(k);
        free(deg);
        return; /* keep every link: merging is only less strict */
    }
    for (size_t i = 0; i < r->n_links; i++) {
        k[2 * i] = (uint64_t)r->links[i].a << 8 | (uint64_t)r->ents[r->links[i].b].type;
        k[2 * i + 1] = (uint64_t)r->links[i].b << 8 | (uint64_t)r->ents[r->links[i].a].type;
    }
    qsort(k, 2 * r->n_links, sizeof(*k), cmp_link_hub);
    for (size_t i = 0; i < 2 * r->n_links;) {
        size_t j = i;
        while (j < 2 * r->n_links && k[j] == k[i])
            j++;
        /* links are unique per pair: a run is the count of distinct others */
        uint32_t e = (uint32_t)(k[i] >> 8);
        int other = (int)(k[i] & 0xff);
        uint32_t limit = r->ents[e].type == TY_ENT_IP ? 1 : 3;
        if (other == TY_ENT_POD && (uint32_t)(j - i) > limit)
            deg[e] = 1;
        i = j;
    }
    size_t n = 0;
    for (size_t i = 0; i < r->n_links; i++)
        if (!deg[r->links[i].a] && !deg[r->links[i].b])
            r->links[n++] = r->links[i];
    r->n_links = n;
    free(k);
    free(deg);
}

static void classes(struct ty__run *r)
{
    drop_hub_links(r);
    for (size_t i = 0; i < r->n_links; i++) {
        uint32_t a = ty__ent_root(r, r->links[i].a), b = ty__ent_root(r, r->links[i].b);
        if (a != b)
            r->ents[a > b ? a : b].parent = a < b ? a : b;
    }
    uint64_t limit = (uint64_t)(r->opts.common_share * (double)r->n_events);
    if (limit < r->opts.common_min)
        limit = r->opts.common_min;
    r->common_limit = limit;
    double span = (double)(r->case_last > r->case_first ? r->case_last - r->case_first : 1);
    for (size_t i = 0; i < r->n_ents; i++) {
        struct ty__ent *e = &r->ents[i];
        double e_span = e->ev_last >= e->ev_first ? (double)(e->ev_last - e->ev_first) : 0;
        e->common = e->df > limit && e_span / span > r->opts.common_span;
        struct ty__ent *root = &r->ents[ty__ent_root(r, (uint32_t)i)];
        if (never_glues(e))
            continue;
        if (ty__ent_is_workload(e->type)) {
            root->glues = 1;
        } else if (!e->common && e->df > 0) {
            root->glues = 1;
            root->rare_member = 1;
        }
    }
}

struct member {
    uint32_t cls;
    int64_t ts;
    uint32_t alert;
    bool workload;      /* the class glues as a workload only (no rare name) */
};

static int cmp_member(const void *x, const void *y)
{
    const struct member *a = x, *b = y;
    if (a->cls != b->cls)
        return a->cls < b->cls ? -1 : 1;
    if (a->ts != b->ts)
        return a->ts < b->ts ? -1 : 1;
    return a->alert < b->alert ? -1 : a->alert > b->alert;
}

static int merge(struct ty__run *r)
{
    size_t n = 0, cap = 0;
    struct member *m = NULL;
    for (size_t i = 0; i < r->n_alerts; i++) {
        struct ty__alert *x = &r->alerts[i];
        for (size_t k = 0; k < x->n_ents; k++) {
            struct ty__ent *e = &r->ents[x->ents[k]];
            uint32_t root = ty__ent_root(r, x->ents[k]);
            if (never_glues(e) || !r->ents[root].glues)
                continue;
            if (!ty__ent_is_workload(e->type) && e->common && root == x->ents[k])
                continue;
            /* a workload is shared by everything that runs there: it glues only
             * alerts of medium level and up, not the background of low ones */
            if (ty__ent_is_workload(e->type) && x->lvl < 2 && !r->ents[root].rare_member)
                continue;
            /* a finding without a time of its own joins through what it names
             * (a container, a file), not through the host it was found on:
             * every configuration on a node would join otherwise */
            if (x->untimed && (e->type == TY_ENT_HOST || e->type == TY_ENT_INSTANCE))
                continue;
            if (n == cap) {
                cap = cap ? cap * 2 : 256;
                struct member *nm = realloc(m, cap * sizeof(*nm));
                if (!nm) {
                    free(m);
                    return TY_ENOMEM;
                }
                m = nm;
            }
            m[n++] = (struct member){root, x->ts, (uint32_t)i, !r->ents[root].rare_member};
        }
    }
    if (n)
        qsort(m, n, sizeof(*m), cmp_member);
    /* an alert without a time of its own (configuration found in a snapshot)
     * joins whatever shares its class, at any distance */
    for (size_t i = 1; i < n; i++) {
        int64_t window = m[i].workload ? r->opts.workload_window_ns : r->opts.window_ns;
        if (m[i].cls == m[i - 1].cls &&
            (m[i].ts - m[i - 1].ts <= window || r->alerts[m[i].alert].untimed ||
             r->alerts[m[i - 1].alert].untimed))
            comp_union(r, m[i - 1].alert, m[i].alert);
    }
    free(m);
    return 0;
}

/* TYTO_CORRELATE_DEBUG=1: each alert's entities with their counts, to see
 * why alerts merged or did not (stderr). */
static void debug_dump(struct ty__run *r)
{
    fprintf(stderr, "correlate: %llu events, common above %llu\n",
            (unsigned long long)r->n_events, (unsigned long long)r->common_limit);
    for (size_t i = 0; i < r->n_alerts; i++) {
        const struct ty__alert *x = &r->alerts[i];
        fprintf(stderr, "alert %lld %s %s:", (long long)x->id, x->level ? x->level : "",
                x->title ? x->title : "");
        for (size_t k = 0; k < x->n_ents; k++) {
            const struct ty__ent *e = &r->ents[x->ents[k]];
            const struct ty__ent *root = &r->ents[ty__ent_root(r, x->ents[k])];
            fprintf(stderr, " %s=%s[df %llu%s%s]", ty_entity_type_name(e->type), e->value,
                    (unsigned long long)e->df, e->common ? " common" : "",
                    root->glues ? " glue" : "");
        }
        fprintf(stderr, "\n");
    }
}

static double level_weight(int lvl)
{
    static const double w[] = {0, 1, 3, 8, 15};
    return w[lvl < 0 ? 0 : lvl > 4 ? 4 : lvl];
}

static int cmp_str(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    return strcmp(x ? x : "", y ? y : "");
}

/* Score of each component: the weights of its distinct rules at their
 * highest level. */
static double comp_score(struct ty__run *r, uint32_t root, const char **buf)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n_alerts; i++)
        if (comp_root(r, (uint32_t)i) == root)
            buf[n++] = r->alerts[i].rule_uid;
    qsort(buf, n, sizeof(*buf), cmp_str);
    double s = 0;
    for (size_t i = 0; i < n;) {
        int best = 0;
        size_t j = i;
        for (; j < n && cmp_str(&buf[i], &buf[j]) == 0; j++)
            ;
        for (size_t k = 0; k < r->n_alerts; k++)
            if (comp_root(r, (uint32_t)k) == root && r->alerts[k].rule_uid && buf[i] &&
                strcmp(r->alerts[k].rule_uid, buf[i]) == 0 && r->alerts[k].lvl > best)
                best = r->alerts[k].lvl;
        s += level_weight(best);
        i = j;
    }
    return s;
}

static int cmp_alert_time(const void *x, const void *y)
{
    const struct ty__alert *a = x, *b = y;
    if (a->ts != b->ts)
        return a->ts < b->ts ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

void ty_investigation_free(struct ty_investigation *inv)
{
    if (!inv)
        return;
    ty_arena_release(&inv->arena);
    free(inv);
}

static void run_release(struct ty__run *r)
{
    for (size_t i = 0; i < r->n_privs; i++)
        free(r->privs[i].ents);
    free(r->privs);
    free(r->alerts);
    free(r->ents);
    free(r->links);
    ty_strmap_release(&r->emap);
    ty_strmap_release(&r->lmap);
    ty_strmap_release(&r->accounts);
    free(r->account_names);
}

int ty_investigate_case(struct ty_store *st, const struct ty_correlate_opts *o,
                        struct ty_investigation **out, struct ty_err *err)
{
    struct ty__run r;
    int rc;
    memset(&r, 0, sizeof(r));
    *out = NULL;
    r.st = st;
    if (o)
        r.opts = *o;
    else
        ty_correlate_opts_default(&r.opts);
    r.case_first = INT64_MAX;
    r.case_last = INT64_MIN;
    r.inv = calloc(1, sizeof(*r.inv));
    if (!r.inv)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    ty_arena_init(&r.inv->arena, 256 * 1024, 0);
    ty_strmap_init(&r.emap, 0);
    ty_strmap_init(&r.lmap, TY__MAX_LINKS);
    ty_strmap_init(&r.accounts, 1000000);

    if ((rc = read_alerts(&r, err)))
        goto out;
    if (r.n_alerts == 0)
        goto done;
    /* alerts in time order from here on: components are numbered by it */
    qsort(r.alerts, r.n_alerts, sizeof(*r.alerts), cmp_alert_time);
    for (size_t i = 0; i < r.n_alerts; i++)
        r.alerts[i].comp = (uint32_t)i;

    struct ty_event_query q;
    memset(&q, 0, sizeof(q));
    q.by_id = true;
    if ((rc = ty_store_events(st, &q, on_case_event, &r, err)) != 0) {
        if (rc == TY_ENOMEM)
            ty_err_set(err, rc, "out of memory while correlating");
        goto out;
    }
    if ((rc = resolve_uids(&r))) {
        ty_err_set(err, rc, "out of memory while resolving uids");
        goto out;
    }
    classes(&r);
    if (getenv("TYTO_CORRELATE_DEBUG"))
        debug_dump(&r);
    if ((rc = merge(&r))) {
        ty_err_set(err, rc, "out of memory while merging alerts");
        goto out;
    }

    const char **buf = calloc(r.n_alerts, sizeof(*buf));
    uint32_t *roots = calloc(r.n_alerts, sizeof(*roots));
    if (!buf || !roots) {
        free(buf);
        free(roots);
        rc = ty_err_set(err, TY_ENOMEM, "out of memory");
        goto out;
    }
    size_t n_roots = 0, n_un = 0;
    for (size_t i = 0; i < r.n_alerts; i++) {
        if (comp_root(&r, (uint32_t)i) != i)
            continue;
        /* an incident is activity in time: snapshot findings alone are not one */
        bool timed = false;
        for (size_t k = i; k < r.n_alerts && !timed; k++)
            timed = !r.alerts[k].untimed && comp_root(&r, (uint32_t)k) == i;
        if (timed && comp_score(&r, (uint32_t)i, buf) >= r.opts.min_score)
            roots[n_roots++] = (uint32_t)i;
    }
    free(buf);
    r.inv->inc = ty_arena_alloc(&r.inv->arena, (n_roots + 1) * sizeof(*r.inv->inc));
    r.inv->unassigned = ty_arena_alloc(&r.inv->arena, (r.n_alerts + 1) * sizeof(int64_t));
    if (!r.inv->inc || !r.inv->unassigned) {
        free(roots);
        rc = ty_err_set(err, TY_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < r.n_alerts; i++) {
        uint32_t root = comp_root(&r, (uint32_t)i);
        bool kept = false;
        for (size_t k = 0; k < n_roots && !kept; k++)
            kept = roots[k] == root;
        if (!kept)
            r.inv->unassigned[n_un++] = r.alerts[i].id;
    }
    r.inv->n_unassigned = n_un;
    r.privs = calloc(n_roots + 1, sizeof(*r.privs));
    r.n_privs = r.privs ? n_roots + 1 : 0;
    if (!r.privs) {
        free(roots);
        rc = ty_err_set(err, TY_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t k = 0; k < n_roots; k++) {
        struct ty_incident *inc = &r.inv->inc[k];
        memset(inc, 0, sizeof(*inc));
        inc->id = (int)k + 1;
        if ((rc = ty__incident_build(&r, roots[k], inc, err))) {
            free(roots);
            goto out;
        }
        r.inv->n_inc++;
    }
    free(roots);
    if (r.inv->n_inc && (rc = ty__incident_context(&r, err)))
        goto out;
done:
    *out = r.inv;
    r.inv = NULL;
    rc = 0;
out:
    ty_investigation_free(r.inv);
    run_release(&r);
    return rc;
}

uint32_t ty__alert_comp(struct ty__run *r, size_t i)
{
    return comp_root(r, (uint32_t)i);
}
