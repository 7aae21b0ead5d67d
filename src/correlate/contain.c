/* SPDX-License-Identifier: Apache-2.0 */
/*
 * contain.c - the response plan of one incident (`tyto contain`): what to
 * preserve first, how to contain each affected workload, identity, instance,
 * process and address, which persistence artifacts to remove, and what to
 * rotate and rebuild. Every command names a target the incident names; values
 * come from hostile evidence, so each is checked for its kind (Kubernetes
 * name, access key, PID, address) and single-quoted; a value with control
 * bytes or of an unknown kind gets a manual action (command NULL) instead.
 * docs/internals/RESPONSE.md explains the choices.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <tyto/buf.h>
#include <tyto/correlate.h>
#include <tyto/ip.h>

#include "response-int.h"

/* Where preserve actions put what they collect, relative to the working directory. */
#define EVD "tyto-evidence/incident-%d"
#define MAX_VALUE 4096 /* longer values are not put in commands */

struct vec {
    struct ty_action *v;
    size_t n, cap;
};

struct plan {
    const struct ty_incident *inc;
    struct ty_arena *a;
    struct vec ph[4];
    uint64_t *seen; /* hashes of (phase, target, action) already planned */
    size_t seen_cap, seen_n;
    struct ty_buf tmp;
    int rc;
    int nft_ready;  /* the inet tyto table was planned */
    char *ev_root;  /* the folder all cited evidence files share, or NULL (malloc) */
};

const char *ty_phase_name(int phase)
{
    static const char *const names[] = {"preserve", "containment", "eradication", "recovery"};
    return phase >= 0 && phase < 4 ? names[phase] : "?";
}

/* ---- strings ---- */

static const char *vfmt(struct plan *p, const char *f, va_list ap)
{
    ty_buf_reset(&p->tmp);
    if (ty_buf_vaddf(&p->tmp, f, ap) < 0) {
        p->rc = TY_ENOMEM;
        return NULL;
    }
    char *s = ty_arena_memdup(p->a, p->tmp.buf, p->tmp.len);
    if (!s)
        p->rc = TY_ENOMEM;
    return s;
}

static const char *fmt(struct plan *p, const char *f, ...) __attribute__((format(printf, 2, 3)));
static const char *fmt(struct plan *p, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    const char *s = vfmt(p, f, ap);
    va_end(ap);
    return s;
}

/* Whether v can go into a command: not empty, not huge, no control bytes. */
static int safe(const char *v)
{
    size_t n = 0;
    if (!v || !*v)
        return 0;
    for (const unsigned char *s = (const unsigned char *)v; *s; s++, n++)
        if (*s < 0x20 || *s == 0x7f || n >= MAX_VALUE)
            return 0;
    return 1;
}

/* v single-quoted for sh: every ' becomes '\''. Only for safe() values. */
static const char *sq(struct plan *p, const char *v)
{
    size_t n = 2;
    for (const char *s = v; *s; s++)
        n += *s == '\'' ? 4 : 1;
    char *o = ty_arena_alloc(p->a, n + 1), *w = o;
    if (!o) {
        p->rc = TY_ENOMEM;
        return "''";
    }
    *w++ = '\'';
    for (const char *s = v; *s; s++) {
        if (*s == '\'') {
            memcpy(w, "'\\''", 4);
            w += 4;
        } else {
            *w++ = *s;
        }
    }
    *w++ = '\'';
    *w = '\0';
    return o;
}

/* v for display in a target or sentence: control bytes as \xNN. */
static const char *show(struct plan *p, const char *v)
{
    ty_buf_reset(&p->tmp);
    for (const unsigned char *s = (const unsigned char *)v; *s && p->tmp.len < MAX_VALUE; s++) {
        if (*s < 0x20 || *s == 0x7f)
            ty_buf_addf(&p->tmp, "\\x%02x", *s);
        else
            ty_buf_addc(&p->tmp, (char)*s);
    }
    char *o = ty_arena_memdup(p->a, p->tmp.buf, p->tmp.len);
    if (!o)
        p->rc = TY_ENOMEM;
    return o ? o : "";
}

static int all_in(const char *s, size_t n, const char *set)
{
    for (size_t i = 0; i < n; i++)
        if (!s[i] || !strchr(set, s[i]))
            return 0;
    return 1;
}

static int under(const char *path, const char *dir)
{
    size_t n = strlen(dir);
    return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

static int ends(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

#define LOWER_DIGITS "abcdefghijklmnopqrstuvwxyz0123456789"
#define ALNUM LOWER_DIGITS "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

/* A Kubernetes DNS label (namespace) or subdomain (pod, node) name. */
static int k8s_name(const char *s, size_t n, int dots)
{
    if (n == 0 || n > (dots ? 253u : 63u))
        return 0;
    if (!strchr(LOWER_DIGITS, s[0]) || !strchr(LOWER_DIGITS, s[n - 1]))
        return 0;
    return all_in(s, n, dots ? LOWER_DIGITS "-." : LOWER_DIGITS "-");
}

static int is_hex(const char *s, size_t n)
{
    return n > 0 && all_in(s, n, "0123456789abcdefABCDEF");
}

static int digits(const char *s, size_t n)
{
    return n > 0 && all_in(s, n, "0123456789");
}

/* ---- the plan ---- */

static int seen_add(struct plan *p, uint64_t h)
{
    if (h == 0)
        h = 1;
    if (p->seen_n * 2 >= p->seen_cap) {
        size_t cap = p->seen_cap ? p->seen_cap * 2 : 256;
        uint64_t *t = calloc(cap, sizeof(*t));
        if (!t)
            return TY_ENOMEM;
        for (size_t i = 0; i < p->seen_cap; i++) {
            if (!p->seen[i])
                continue;
            size_t k = p->seen[i] & (cap - 1);
            while (t[k])
                k = (k + 1) & (cap - 1);
            t[k] = p->seen[i];
        }
        free(p->seen);
        p->seen = t;
        p->seen_cap = cap;
    }
    size_t k = h & (p->seen_cap - 1);
    while (p->seen[k]) {
        if (p->seen[k] == h)
            return 1;
        k = (k + 1) & (p->seen_cap - 1);
    }
    p->seen[k] = h;
    p->seen_n++;
    return 0;
}

/* Plan one action, once: the same target and command (or, for a manual action,
 * sentence) in a phase is kept once. */
static void add(struct plan *p, int phase, int local, const char *host, const char *target,
                const char *action, const char *command)
{
    if (p->rc || !target || !action)
        return;
    uint64_t h = ty_str_hash(ty_str_cstr(target)) * 31 +
                 ty_str_hash(ty_str_cstr(command ? command : action));
    int r = seen_add(p, h * 4 + (uint64_t)phase);
    if (r) {
        if (r < 0)
            p->rc = r;
        return;
    }
    struct vec *v = &p->ph[phase];
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 32;
        struct ty_action *t = realloc(v->v, cap * sizeof(*t));
        if (!t) {
            p->rc = TY_ENOMEM;
            return;
        }
        v->v = t;
        v->cap = cap;
    }
    v->v[v->n++] = (struct ty_action){.phase = phase, .target = target, .action = action,
                                      .command = command, .host_local = local,
                                      .host = local ? host : NULL};
}

static const struct ty_inc_entity *find_ent(const struct ty_incident *inc, int type,
                                            const char *value)
{
    for (size_t i = 0; i < inc->n_ents; i++)
        if (inc->ents[i].type == type && inc->ents[i].value &&
            strcmp(inc->ents[i].value, value) == 0)
            return &inc->ents[i];
    return NULL;
}

/* The entity of type `want` linked to (type, value), or NULL. */
static const char *linked(const struct ty_incident *inc, int type, const char *value, int want)
{
    for (size_t i = 0; i < inc->n_links; i++) {
        const struct ty_inc_link *l = &inc->links[i];
        if (!l->a || !l->b)
            continue;
        if (l->a_type == type && l->b_type == want && strcmp(l->a, value) == 0)
            return l->b;
        if (l->b_type == type && l->a_type == want && strcmp(l->b, value) == 0)
            return l->a;
    }
    return NULL;
}

static int acted_on(int role)
{
    return role == TY_ROLE_VICTIM || role == TY_ROLE_PIVOT;
}

static int left_by_attacker(int role)
{
    return role == TY_ROLE_ATTACKER || role == TY_ROLE_ARTIFACT;
}

/* A pod: its name, and its namespace when the evidence says it (the value
 * "ns/name", a pod-namespace link, or kubelet's log folder name
 * "ns_name_uid" among the entities); else commands look it up at run time. */
struct pod {
    char ns[64], name[254];
    const char *pre;   /* "" or "ns=$(lookup) && [ -n \"$ns\" ] && " */
    const char *nsq;   /* 'ns' or "$ns" */
    const char *qname; /* 'name' */
    const char *label; /* "ns/name" or "name" for targets */
    const char *file;  /* "ns-name" or "name" for evidence file names */
};

static int ns_from_log_dir(const struct ty_incident *inc, const char *name, char *ns)
{
    size_t nn = strlen(name);
    for (size_t i = 0; i < inc->n_ents; i++) {
        const char *v = inc->ents[i].value, *u = v ? strchr(v, '_') : NULL;
        if (!u || strncmp(u + 1, name, nn) != 0 || (u[1 + nn] != '\0' && u[1 + nn] != '_'))
            continue;
        if (!k8s_name(v, (size_t)(u - v), 0))
            continue;
        memcpy(ns, v, (size_t)(u - v));
        ns[u - v] = '\0';
        return 1;
    }
    return 0;
}

static int pod_split(struct plan *p, const char *v, struct pod *o)
{
    const struct ty_incident *inc = p->inc;
    const char *sl = strchr(v, '/');
    const char *name = sl ? sl + 1 : v;
    size_t nn = strlen(name);
    if (!k8s_name(name, nn, 1))
        return 0;
    memcpy(o->name, name, nn + 1);
    o->ns[0] = '\0';
    if (sl) {
        size_t n = (size_t)(sl - v);
        if (!k8s_name(v, n, 0))
            return 0;
        memcpy(o->ns, v, n);
        o->ns[n] = '\0';
    } else {
        const char *l = linked(inc, TY_ENT_POD, v, TY_ENT_NAMESPACE);
        if (l && k8s_name(l, strlen(l), 0))
            memcpy(o->ns, l, strlen(l) + 1);
        else
            ns_from_log_dir(inc, name, o->ns);
    }
    o->qname = sq(p, o->name);
    if (o->ns[0]) {
        o->pre = "";
        o->nsq = sq(p, o->ns);
        o->label = fmt(p, "%s/%s", o->ns, o->name);
        o->file = fmt(p, "%s-%s", o->ns, o->name);
    } else {
        o->pre = fmt(p,
                     "ns=$(kubectl get pods -A --field-selector metadata.name=%s -o "
                     "jsonpath='{.items[0].metadata.namespace}') && [ -n \"$ns\" ] && ",
                     o->name);
        o->nsq = "\"$ns\"";
        o->label = o->name;
        o->file = o->name;
    }
    return p->rc == 0;
}

/* The Deployment of a pod named NAME-<template hash>-<5 chars>, or 0. */
static int pod_deployment(const char *pod, char *out, size_t cap)
{
    const char *d2 = strrchr(pod, '-');
    if (!d2 || strlen(d2 + 1) != 5)
        return 0;
    const char *d1 = d2;
    while (d1 > pod && d1[-1] != '-')
        d1--;
    size_t hash = (size_t)(d2 - d1);
    if (d1 == pod || hash < 6 || hash > 10)
        return 0;
    size_t n = (size_t)(d1 - 1 - pod);
    if (n == 0 || n >= cap)
        return 0;
    memcpy(out, pod, n);
    out[n] = '\0';
    return 1;
}

static int has_type(const struct ty_incident *inc, int type)
{
    for (size_t i = 0; i < inc->n_ents; i++)
        if (inc->ents[i].type == type)
            return 1;
    return 0;
}

/* A host is a Kubernetes node when its node identity acted, when it is linked
 * to a pod or container, or when the incident is about pods. */
static int is_node(const struct ty_incident *inc, const char *host)
{
    char id[300];
    snprintf(id, sizeof(id), "system:node:%s", host);
    if (find_ent(inc, TY_ENT_PRINCIPAL, id))
        return 1;
    if (linked(inc, TY_ENT_HOST, host, TY_ENT_POD) ||
        linked(inc, TY_ENT_HOST, host, TY_ENT_NAMESPACE))
        return 1;
    return has_type(inc, TY_ENT_POD);
}

static const char *inc_note(struct plan *p)
{
    const char *t = p->inc->title && safe(p->inc->title) ? p->inc->title : "";
    return sq(p, fmt(p, "incident %d%s%s", p->inc->id, *t ? ": " : "", t));
}

/* ---- Kubernetes ---- */

/* The quarantine NetworkPolicy: it selects only pods labelled
 * tyto/quarantine=true and lists no rule, so it denies all their traffic. */
static const char *netpol(struct plan *p, const struct pod *pd)
{
    return fmt(p,
               "%skubectl apply -n %s -f - <<'TYTO_EOF'\n"
               "apiVersion: networking.k8s.io/v1\n"
               "kind: NetworkPolicy\n"
               "metadata:\n"
               "  name: tyto-quarantine\n"
               "  annotations:\n"
               "    tyto/incident: \"%d\"\n"
               "spec:\n"
               "  podSelector:\n"
               "    matchLabels:\n"
               "      tyto/quarantine: \"true\"\n"
               "  policyTypes:\n"
               "  - Ingress\n"
               "  - Egress\n"
               "TYTO_EOF",
               pd->pre, pd->nsq, p->inc->id);
}

static void plan_pod(struct plan *p, const struct ty_inc_entity *e, int pass)
{
    struct pod pd;
    const char *tgt;
    if (!pod_split(p, e->value, &pd)) {
        if (pass == 1)
            add(p, TY_PHASE_CONTAIN, 0, NULL, fmt(p, "pod %s", show(p, e->value)),
                "Isolate this pod by hand (label it tyto/quarantine=true): its value is not a "
                "Kubernetes pod name",
                NULL);
        return;
    }
    const char *pre = pd.pre, *ns = pd.nsq, *name = pd.qname;
    const char *dir = fmt(p, EVD "/k8s", p->inc->id);
    tgt = fmt(p, "pod %s", pd.label);
    if (pass == 0) {
        /* the NetworkPolicy comes before any label selects the pod */
        if (acted_on(e->role))
            add(p, TY_PHASE_CONTAIN, 0, NULL,
                pd.ns[0] ? fmt(p, "namespace %s", pd.ns)
                         : fmt(p, "namespace of pod %s", pd.name),
                "Deny all ingress and egress of the pods labelled tyto/quarantine=true in the "
                "namespace (applied before any pod is labelled)",
                netpol(p, &pd));
        return;
    }
    add(p, TY_PHASE_PRESERVE, 0, NULL, tgt,
        "Save the pod's manifest, description and logs before it changes",
        fmt(p,
            "%smkdir -p %s && kubectl get pod -n %s %s -o yaml > %s/pod-%s.yaml && "
            "kubectl describe pod -n %s %s > %s/pod-%s.txt && "
            "kubectl logs -n %s %s --all-containers --timestamps > %s/pod-%s.log",
            pre, dir, ns, name, dir, pd.file, ns, name, dir, pd.file, ns, name, dir, pd.file));
    if (left_by_attacker(e->role)) {
        add(p, TY_PHASE_ERADICATE, 0, NULL, tgt, "Delete the pod the attacker created",
            fmt(p, "%skubectl delete pod -n %s %s", pre, ns, name));
        return;
    }
    /* drop the labels its owner (ReplicaSet, StatefulSet...) selects on, whatever they
     * are named: the owner lets go of the pod and starts a clean replacement, and the
     * Services that select the same labels stop sending it traffic */
    add(p, TY_PHASE_CONTAIN, 0, NULL, tgt,
        "Take the pod out of its controller and Services (the labels its owner selects on "
        "are removed; the controller starts a clean replacement) and put it under the "
        "quarantine NetworkPolicy",
        fmt(p,
            "%sowner=$(kubectl get pod -n %s %s -o jsonpath='{.metadata.ownerReferences[0].kind}"
            "/{.metadata.ownerReferences[0].name}') && drop=$(if [ \"$owner\" != / ]; then "
            "kubectl get -n %s \"$owner\" -o go-template='{{range $k, $v := "
            ".spec.selector.matchLabels}}{{$k}}- {{end}}'; fi) && kubectl label pod -n %s %s "
            "tyto/quarantine=true $drop --overwrite",
            pre, ns, name, ns, ns, name));
    add(p, TY_PHASE_CONTAIN, 0, NULL, tgt, "Mark the pod with the incident",
        fmt(p, "%skubectl annotate pod -n %s %s tyto/incident=%s --overwrite", pre, ns, name,
            inc_note(p)));
    add(p, TY_PHASE_RECOVER, 0, NULL, tgt,
        "Rotate every credential the pod could read: the secrets it mounts (listed by this "
        "command) and its service account's tokens",
        fmt(p,
            "%skubectl get pod -n %s %s -o jsonpath='{range .spec.volumes[*]}{.secret.secretName}"
            "{\"\\n\"}{end}{range .spec.containers[*].envFrom[*]}{.secretRef.name}{\"\\n\"}"
            "{end}'",
            pre, ns, name));
    char dep[254];
    if (pod_deployment(pd.name, dep, sizeof(dep)))
        add(p, TY_PHASE_RECOVER, 0, NULL,
            pd.ns[0] ? fmt(p, "deployment %s/%s", pd.ns, dep) : fmt(p, "deployment %s", dep),
            "Fix the entry point (image or configuration), rebuild the image, then roll the "
            "Deployment out again so no replica runs the compromised version",
            fmt(p, "%skubectl rollout restart -n %s deployment/%s", pre, ns, sq(p, dep)));
    else
        add(p, TY_PHASE_RECOVER, 0, NULL, tgt,
            "Fix and rebuild the workload that owns this pod (its controller is not known from "
            "the name)",
            NULL);
    add(p, TY_PHASE_RECOVER, 0, NULL, tgt,
        "Delete the quarantined pod once its evidence is analysed",
        fmt(p, "%skubectl delete pod -n %s %s", pre, ns, name));
}

static void plan_service_account(struct plan *p, const struct ty_inc_entity *e)
{
    /* system:serviceaccount:NS:NAME */
    const char *v = e->value;
    const char *pre = "system:serviceaccount:";
    const char *tgt = fmt(p, "service account %s", show(p, v));
    const char *ns = strncmp(v, pre, strlen(pre)) == 0 ? v + strlen(pre) : NULL;
    const char *colon = ns ? strchr(ns, ':') : NULL;
    if (!colon || !k8s_name(ns, (size_t)(colon - ns), 0) ||
        !k8s_name(colon + 1, strlen(colon + 1), 1)) {
        add(p, TY_PHASE_RECOVER, 0, NULL, tgt,
            "Rotate this service account's tokens (its name is not a Kubernetes service account "
            "name)",
            NULL);
        return;
    }
    const char *qns = sq(p, fmt(p, "%.*s", (int)(colon - ns), ns)), *qn = sq(p, colon + 1);
    const char *role = linked(p->inc, TY_ENT_SERVICE_ACCOUNT, v, TY_ENT_ROLE);
    add(p, TY_PHASE_CONTAIN, 0, NULL, tgt,
        "Find the RBAC bindings that grant this service account rights, and remove the ones it "
        "does not need",
        fmt(p, "kubectl get rolebindings,clusterrolebindings -A -o wide | grep -F %s",
            sq(p, fmt(p, "%.*s/%s", (int)(colon - ns), ns, colon + 1))));
    add(p, TY_PHASE_RECOVER, 0, NULL, tgt,
        role ? fmt(p, "Recreate the service account from its manifest after deleting it (its "
                      "tokens die with it); its cloud role %s is revoked above",
                   show(p, role))
             : "Recreate the service account from its manifest after deleting it (its tokens "
               "die with it)",
        fmt(p, "kubectl delete serviceaccount -n %s %s", qns, qn));
}

/* ---- hosts and nodes ---- */

static void plan_instance(struct plan *p, const char *v, const char *why);

static void plan_host(struct plan *p, const struct ty_inc_entity *e)
{
    const char *v = e->value;
    const char *u = strchr(v, '_');
    if (u) {
        /* "ns_pod[_uid]", kubelet's log folder of a pod: the pod, not a host */
        size_t pl = strcspn(u + 1, "_");
        for (size_t i = 0; i < p->inc->n_ents; i++) {
            const struct ty_inc_entity *x = &p->inc->ents[i];
            const char *nm = x->value ? strrchr(x->value, '/') : NULL;
            nm = nm ? nm + 1 : x->value;
            if (x->type == TY_ENT_POD && nm && strlen(nm) == pl && strncmp(nm, u + 1, pl) == 0)
                return;
        }
    }
    const char *tgt = fmt(p, "host %s", show(p, v));
    const char *inst = linked(p->inc, TY_ENT_HOST, v, TY_ENT_INSTANCE);
    add(p, TY_PHASE_PRESERVE, 0, NULL, tgt,
        "Capture the host's memory (AVML or LiME) and its running state before any reboot, "
        "kill or rebuild",
        NULL);
    if (inst && !find_ent(p->inc, TY_ENT_INSTANCE, inst))
        plan_instance(p, inst, fmt(p, " (the instance of %s)", show(p, v)));
    if (is_node(p->inc, v) && k8s_name(v, strlen(v), 1)) {
        const char *q = sq(p, v);
        tgt = fmt(p, "node %s", v);
        add(p, TY_PHASE_CONTAIN, 0, NULL, tgt, "Stop new pods from being scheduled on the node",
            fmt(p, "kubectl cordon %s", q));
        add(p, TY_PHASE_CONTAIN, 0, NULL, tgt, "Mark the node with the incident",
            fmt(p, "kubectl annotate node %s tyto/incident=%s --overwrite", q, inc_note(p)));
        add(p, TY_PHASE_RECOVER, 0, NULL, tgt,
            "Once its disks are snapshotted, drain the node and replace it with a new one (its "
            "node group or autoscaler creates a clean node)",
            fmt(p, "kubectl drain %s --ignore-daemonsets --delete-emptydir-data", q));
        return;
    }
    add(p, TY_PHASE_RECOVER, 0, NULL, tgt,
        "Rebuild the host from a known-good image after analysis; do not clean it in place", NULL);
}

/* "HOST:PID EXE": preserve from /proc, freeze the cgroup, kill. */
static void plan_process(struct plan *p, const struct ty_inc_entity *e)
{
    const char *v = e->value, *sp = strchr(v, ' ');
    size_t left = sp ? (size_t)(sp - v) : strlen(v);
    const char *colon = NULL;
    for (size_t i = 0; i < left; i++)
        if (v[i] == ':')
            colon = v + i;
    const char *pid = colon ? colon + 1 : v;
    size_t pid_len = (size_t)(v + left - pid);
    const char *tgt = fmt(p, "process %s", show(p, v));
    if (!digits(pid, pid_len) || pid_len > 7) {
        add(p, TY_PHASE_CONTAIN, 0, NULL, tgt,
            "Stop this process by hand: its PID is not known from the evidence", NULL);
        return;
    }
    const char *host = colon && colon > v ? fmt(p, "%.*s", (int)(colon - v), v) : NULL;
    const char *exe = sp ? sp + 1 : "";
    const char *P = fmt(p, "%.*s", (int)pid_len, pid);
    const char *dir = fmt(p, EVD "/proc-%s", p->inc->id, P);
    const char *on = host ? fmt(p, " (on %s)", show(p, host)) : "";
    add(p, TY_PHASE_PRESERVE, 1, host, tgt,
        fmt(p, "Copy the running binary (even if deleted or in /dev/shm), its command line, "
               "environment, memory map and open files%s",
            on),
        fmt(p,
            "test -d /proc/%s && mkdir -p %s && cp /proc/%s/exe %s/exe; "
            "tr '\\0' ' ' < /proc/%s/cmdline > %s/cmdline; cp /proc/%s/environ /proc/%s/maps "
            "/proc/%s/cgroup %s/; ls -l /proc/%s/fd > %s/fd.txt; sha256sum %s/exe",
            P, dir, P, dir, P, dir, P, P, P, dir, P, dir, dir));
    add(p, TY_PHASE_PRESERVE, 0, NULL, tgt,
        fmt(p, "Dump the process's memory with gdb's gcore%s", on),
        fmt(p, "mkdir -p %s && gcore -o %s/core %s", dir, dir, P));
    add(p, TY_PHASE_CONTAIN, 1, host, tgt,
        fmt(p, "Freeze the process tree: its whole cgroup (cgroup v2), or the process alone "
               "with SIGSTOP when the cgroup is the root or this shell's own%s",
            on),
        fmt(p,
            "cg=$(awk -F: '$1 == \"0\" {print $3}' /proc/%s/cgroup); "
            "if [ -n \"$cg\" ] && [ \"$cg\" != / ] && "
            "[ \"$cg\" != \"$(awk -F: '$1 == \"0\" {print $3}' /proc/self/cgroup)\" ] && "
            "[ -w \"/sys/fs/cgroup$cg/cgroup.freeze\" ]; "
            "then echo 1 > \"/sys/fs/cgroup$cg/cgroup.freeze\"; else kill -STOP %s; fi",
            P, P));
    const char *kill;
    if (exe[0] == '/' && safe(exe))
        kill = fmt(p,
                   "case \"$(readlink /proc/%s/exe)\" in %s*) kill -KILL %s ;; "
                   "*) echo 'tyto: PID %s no longer runs the binary of the evidence' >&2 ;; esac",
                   P, sq(p, exe), P, P);
    else
        kill = fmt(p, "kill -KILL %s", P);
    add(p, TY_PHASE_CONTAIN, 1, host, tgt,
        fmt(p, "Kill the process once it is preserved%s", on), kill);
}

/* ---- clouds ---- */

static int aws_instance_id(const char *v)
{
    size_t n = strlen(v);
    return strncmp(v, "i-", 2) == 0 && (n == 10 || n == 19) && is_hex(v + 2, n - 2);
}

/* A path segment after KEY/ in a resource name, copied into out. */
static int seg(const char *v, const char *key, char *out, size_t cap, int nocase)
{
    size_t kl = strlen(key);
    for (const char *s = v; *s; s++) {
        if ((s == v || s[-1] == '/') &&
            (nocase ? strncasecmp(s, key, kl) == 0 : strncmp(s, key, kl) == 0) && s[kl] == '/') {
            const char *b = s + kl + 1, *end = strchr(b, '/');
            size_t n = end ? (size_t)(end - b) : strlen(b);
            if (n == 0 || n >= cap || !all_in(b, n, ALNUM "-_.()"))
                return 0;
            memcpy(out, b, n);
            out[n] = '\0';
            return 1;
        }
    }
    return 0;
}

static void plan_instance(struct plan *p, const char *v, const char *why)
{
    const char *tgt = fmt(p, "instance %s%s", show(p, v), why ? why : "");
    char proj[128], zone[128], name[128], rg[128];
    if (aws_instance_id(v)) {
        const char *q = sq(p, v);
        add(p, TY_PHASE_PRESERVE, 0, NULL, tgt, "Snapshot every EBS volume of the instance",
            fmt(p,
                "for v in $(aws ec2 describe-instances --instance-ids %s --query "
                "'Reservations[].Instances[].BlockDeviceMappings[].Ebs.VolumeId' --output text); "
                "do aws ec2 create-snapshot --volume-id \"$v\" --description %s; done",
                q, sq(p, fmt(p, "tyto incident %d evidence: %s", p->inc->id, v))));
        add(p, TY_PHASE_CONTAIN, 0, NULL, tgt,
            "Isolate the instance in a new security group without rules (no ingress, egress "
            "removed); established connections may survive until they idle out",
            fmt(p,
                "sg=$(aws ec2 create-security-group --group-name tyto-quarantine-%d-%s "
                "--description 'tyto quarantine: no traffic' --vpc-id \"$(aws ec2 "
                "describe-instances --instance-ids %s --query "
                "'Reservations[0].Instances[0].VpcId' --output text)\" --query GroupId --output "
                "text) && aws ec2 revoke-security-group-egress --group-id \"$sg\" "
                "--ip-permissions '[{\"IpProtocol\":\"-1\",\"IpRanges\":[{\"CidrIp\":"
                "\"0.0.0.0/0\"}]}]' && aws ec2 modify-instance-attribute --instance-id %s "
                "--groups \"$sg\"",
                p->inc->id, v, q, q));
        add(p, TY_PHASE_RECOVER, 0, NULL, tgt,
            "Replace the instance from a clean image; terminate it after analysis", NULL);
        return;
    }
    if (seg(v, "projects", proj, sizeof(proj), 0) && seg(v, "zones", zone, sizeof(zone), 0) &&
        seg(v, "instances", name, sizeof(name), 0)) {
        const char *at = fmt(p, "%s --project %s --zone %s", sq(p, name), sq(p, proj),
                             sq(p, zone));
        const char *pz = fmt(p, "--project %s --zone %s", sq(p, proj), sq(p, zone));
        add(p, TY_PHASE_PRESERVE, 0, NULL, tgt, "Snapshot every disk of the VM",
            fmt(p,
                "for d in $(gcloud compute instances describe %s "
                "--format='value(disks[].source.basename())' | tr ';' ' '); do gcloud compute "
                "disks snapshot \"$d\" %s; done",
                at, pz));
        add(p, TY_PHASE_CONTAIN, 0, NULL, tgt,
            "Tag the VM and deny all its ingress and egress with priority-0 firewall rules on "
            "its network",
            fmt(p,
                "net=$(gcloud compute instances describe %s "
                "--format='value(networkInterfaces[0].network.basename())') && "
                "gcloud compute firewall-rules create tyto-quarantine-egress --project %s "
                "--network \"$net\" --direction EGRESS --action DENY --rules all "
                "--destination-ranges 0.0.0.0/0 --target-tags tyto-quarantine --priority 0 && "
                "gcloud compute firewall-rules create tyto-quarantine-ingress --project %s "
                "--network \"$net\" --direction INGRESS --action DENY --rules all "
                "--source-ranges 0.0.0.0/0 --target-tags tyto-quarantine --priority 0 && "
                "gcloud compute instances add-tags %s --tags tyto-quarantine",
                at, sq(p, proj), sq(p, proj), at));
        add(p, TY_PHASE_RECOVER, 0, NULL, tgt,
            "Replace the VM from a clean image; delete it after analysis", NULL);
        return;
    }
    if (seg(v, "resourceGroups", rg, sizeof(rg), 1) &&
        seg(v, "virtualMachines", name, sizeof(name), 1)) {
        const char *q = sq(p, v), *g = sq(p, rg);
        add(p, TY_PHASE_PRESERVE, 0, NULL, tgt, "Snapshot the VM's OS disk",
            fmt(p,
                "az snapshot create -g %s -n %s --source \"$(az vm show --ids %s --query "
                "storageProfile.osDisk.managedDisk.id -o tsv)\"",
                g, sq(p, fmt(p, "tyto-%d-%s-os", p->inc->id, name)), q));
        add(p, TY_PHASE_CONTAIN, 0, NULL, tgt,
            "Put the VM's network interface behind an NSG that denies all traffic",
            fmt(p,
                "az network nsg create -g %s -n tyto-quarantine && "
                "az network nsg rule create -g %s --nsg-name tyto-quarantine -n tyto-deny-out "
                "--priority 100 --direction Outbound --access Deny --protocol '*' "
                "--source-address-prefixes '*' --destination-address-prefixes '*' "
                "--destination-port-ranges '*' && "
                "az network nsg rule create -g %s --nsg-name tyto-quarantine -n tyto-deny-in "
                "--priority 100 --direction Inbound --access Deny --protocol '*' "
                "--source-address-prefixes '*' --destination-address-prefixes '*' "
                "--destination-port-ranges '*' && "
                "az network nic update --ids \"$(az vm show --ids %s --query "
                "'networkProfile.networkInterfaces[0].id' -o tsv)\" --network-security-group "
                "tyto-quarantine",
                g, g, g, q));
        add(p, TY_PHASE_RECOVER, 0, NULL, tgt,
            "Replace the VM from a clean image; delete it after analysis", NULL);
        return;
    }
    add(p, TY_PHASE_CONTAIN, 0, NULL, tgt,
        "Isolate the instance and snapshot its disks (its cloud is not known from its id)", NULL);
}

/* arn:aws[-partition]:iam::ACCOUNT:role/[path/]NAME or
 * arn:aws...:sts::ACCOUNT:assumed-role/NAME/SESSION: the role name. */
static int aws_role_name(const char *v, char *out, size_t cap)
{
    const char *r = NULL;
    if (strncmp(v, "arn:aws", 7) != 0)
        return 0;
    if ((r = strstr(v, ":assumed-role/")) != NULL) {
        r += strlen(":assumed-role/");
        const char *end = strchr(r, '/');
        size_t n = end ? (size_t)(end - r) : strlen(r);
        if (n == 0 || n >= cap || n > 64)
            return 0;
        memcpy(out, r, n);
        out[n] = '\0';
    } else if ((r = strstr(v, ":role/")) != NULL) {
        const char *last = strrchr(r, '/') + 1;
        size_t n = strlen(last);
        if (n == 0 || n >= cap || n > 64)
            return 0;
        memcpy(out, last, n + 1);
    } else {
        return 0;
    }
    return all_in(out, strlen(out), ALNUM "+=,.@_-");
}

static int gcp_sa(const char *v)
{
    size_t n = strlen(v);
    const char *at = strchr(v, '@');
    return at && at > v && n > 20 && strcmp(v + n - strlen(".gserviceaccount.com"),
                                            ".gserviceaccount.com") == 0 &&
           all_in(v, n, LOWER_DIGITS "@.-_");
}

static int guid(const char *v)
{
    static const char shape[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
    if (strlen(v) != sizeof(shape) - 1)
        return 0;
    for (size_t i = 0; shape[i]; i++)
        if (shape[i] == '-' ? v[i] != '-' : !is_hex(v + i, 1))
            return 0;
    return 1;
}

static int has_azure(const struct ty_incident *inc)
{
    for (size_t i = 0; i < inc->n_ents; i++) {
        const char *v = inc->ents[i].value;
        if (v && (inc->ents[i].type == TY_ENT_ACCOUNT || inc->ents[i].type == TY_ENT_INSTANCE) &&
            (guid(v) || strncasecmp(v, "/subscriptions/", 15) == 0))
            return 1;
    }
    return 0;
}

static void revoke_role(struct plan *p, const char *value, const char *name)
{
    const char *tgt = fmt(p, "role %s", show(p, value));
    add(p, TY_PHASE_CONTAIN, 0, NULL, tgt,
        "Revoke every session issued for the role so far: an inline policy denying all to "
        "tokens issued before now (AWS's documented \"revoke active sessions\"); new sessions "
        "still work",
        fmt(p,
            "aws iam put-role-policy --role-name %s --policy-name AWSRevokeOlderSessions "
            "--policy-document \"$(printf '{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":"
            "\"Deny\",\"Action\":[\"*\"],\"Resource\":[\"*\"],\"Condition\":{\"DateLessThan\":"
            "{\"aws:TokenIssueTime\":\"%%s\"}}}]}' \"$(date -u +%%Y-%%m-%%dT%%H:%%M:%%SZ)\")\"",
            sq(p, name)));
    add(p, TY_PHASE_RECOVER, 0, NULL, tgt,
        "Review the role's permissions and trust policy: scope it to what its workload needs "
        "(who may assume it, which resources, from where)",
        fmt(p, "aws iam get-role --role-name %s && aws iam list-role-policies --role-name %s && "
               "aws iam list-attached-role-policies --role-name %s",
            sq(p, name), sq(p, name), sq(p, name)));
}

static void plan_identity(struct plan *p, const struct ty_inc_entity *e)
{
    const char *v = e->value;
    char name[128];
    const char *tgt = fmt(p, "%s %s", e->type == TY_ENT_ROLE ? "role" : "principal",
                          show(p, v));
    if (aws_role_name(v, name, sizeof(name))) {
        revoke_role(p, v, name);
        return;
    }
    if (strncmp(v, "system:serviceaccount:", 22) == 0) {
        plan_service_account(p, e);
        return;
    }
    if (strncmp(v, "system:node:", 12) == 0)
        return; /* the node's own actions (cordon, drain) come with the host */
    if (strncmp(v, "arn:aws", 7) == 0 && strstr(v, ":user/")) {
        const char *u = strrchr(v, '/') + 1;
        if (*u && all_in(u, strlen(u), ALNUM "+=,.@_-")) {
            const char *q = sq(p, u);
            add(p, TY_PHASE_CONTAIN, 0, NULL, tgt, "Deactivate every access key of the IAM user",
                fmt(p,
                    "for k in $(aws iam list-access-keys --user-name %s --query "
                    "'AccessKeyMetadata[].AccessKeyId' --output text); do aws iam "
                    "update-access-key --user-name %s --access-key-id \"$k\" --status Inactive; "
                    "done",
                    q, q));
            add(p, TY_PHASE_RECOVER, 0, NULL, tgt,
                "Issue new keys and a new console password to the user's owner, enforce MFA, "
                "then delete the deactivated keys",
                NULL);
            return;
        }
    }
    if (gcp_sa(v)) {
        const char *q = sq(p, v);
        add(p, TY_PHASE_CONTAIN, 0, NULL, tgt,
            "Disable every user-managed key of the service account",
            fmt(p,
                "for k in $(gcloud iam service-accounts keys list --iam-account %s --managed-by "
                "user --format='value(name.basename())'); do gcloud iam service-accounts keys "
                "disable \"$k\" --iam-account %s; done",
                q, q));
        add(p, TY_PHASE_RECOVER, 0, NULL, tgt,
            "Delete the disabled keys and issue new ones only where workload identity cannot "
            "replace them; review the account's IAM bindings",
            fmt(p, "gcloud iam service-accounts get-iam-policy %s", q));
        return;
    }
    if (guid(v)) {
        const char *q = sq(p, v);
        add(p, TY_PHASE_CONTAIN, 0, NULL, tgt,
            "Remove the Azure role assignments of the service principal",
            fmt(p, "az role assignment delete --assignee %s", q));
        add(p, TY_PHASE_RECOVER, 0, NULL, tgt,
            "Reset the service principal's credentials (the old secrets stop working)",
            fmt(p, "az ad sp credential reset --id %s", q));
        return;
    }
    if (strchr(v, '@') && has_azure(p->inc) && all_in(v, strlen(v), ALNUM "@._-+'")) {
        const char *q = sq(p, v);
        add(p, TY_PHASE_CONTAIN, 0, NULL, tgt,
            "Block the Entra ID user's sign-in and revoke its refresh tokens and sessions",
            fmt(p,
                "az ad user update --id %s --account-enabled false && az rest --method POST "
                "--uri %s",
                q, sq(p, fmt(p, "https://graph.microsoft.com/v1.0/users/%s/revokeSignInSessions",
                             v))));
        add(p, TY_PHASE_RECOVER, 0, NULL, tgt,
            "Reset the user's password and MFA methods, then re-enable the account", NULL);
        return;
    }
    add(p, TY_PHASE_RECOVER, 0, NULL, tgt,
        "Reset this identity's credentials (password, keys, tokens) where it is defined; check "
        "its crontab and authorized_keys on the affected hosts",
        NULL);
}

static void plan_access_key(struct plan *p, const struct ty_inc_entity *e)
{
    const char *v = e->value;
    size_t n = strlen(v);
    const char *tgt = fmt(p, "access key %s", show(p, v));
    if (n >= 16 && n <= 128 && all_in(v, n, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") &&
        strncmp(v, "ASIA", 4) == 0) {
        const char *role = linked(p->inc, TY_ENT_ACCESS_KEY, v, TY_ENT_ROLE);
        char rn[128];
        for (size_t i = 0; !role && i < p->inc->n_ents; i++)
            if (p->inc->ents[i].type == TY_ENT_ROLE && acted_on(p->inc->ents[i].role) &&
                aws_role_name(p->inc->ents[i].value, rn, sizeof(rn)))
                role = p->inc->ents[i].value; /* the first AWS role of the incident */
        add(p, TY_PHASE_CONTAIN, 0, NULL, tgt,
            role ? fmt(p, "Temporary credentials cannot be deactivated: they die with the "
                          "sessions of the role that issued them (%s is revoked in this plan; "
                          "CloudTrail's sessionIssuer names the issuer)",
                       show(p, role))
                 : "Temporary credentials cannot be deactivated: revoke the sessions of the "
                   "role that issued them (CloudTrail userIdentity.sessionContext."
                   "sessionIssuer.arn)",
            NULL);
        return;
    }
    if (n >= 16 && n <= 128 && all_in(v, n, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")) {
        const char *q = sq(p, v);
        const char *user = fmt(p, "\"$(aws iam get-access-key-last-used --access-key-id %s "
                                  "--query UserName --output text)\"",
                               q);
        add(p, TY_PHASE_CONTAIN, 0, NULL, tgt, "Deactivate the access key",
            fmt(p, "aws iam update-access-key --user-name %s --access-key-id %s --status Inactive",
                user, q));
        add(p, TY_PHASE_RECOVER, 0, NULL, tgt,
            "Issue its owner a new key, then delete this one",
            fmt(p, "aws iam delete-access-key --user-name %s --access-key-id %s", user, q));
        return;
    }
    const char *sa = linked(p->inc, TY_ENT_ACCESS_KEY, v, TY_ENT_ROLE);
    if (sa && gcp_sa(sa) && is_hex(v, n)) {
        add(p, TY_PHASE_CONTAIN, 0, NULL, tgt, "Disable the service account key",
            fmt(p, "gcloud iam service-accounts keys disable %s --iam-account %s", sq(p, v),
                sq(p, sa)));
        return;
    }
    add(p, TY_PHASE_CONTAIN, 0, NULL, tgt,
        "Deactivate this key where it was issued (its provider is not known from its form)", NULL);
}

/* A numeric session is a Linux audit session id (auditd "ses"), which systemd-logind
 * uses as its session id: terminating it ends the login and every process in it. */
static void plan_session(struct plan *p, const struct ty_inc_entity *e)
{
    const char *v = e->value, *host = NULL;
    size_t n = strlen(v);
    if (!digits(v, n) || n > 9)
        return; /* cloud session names are revoked with their role or key */
    for (size_t i = 0; i < p->inc->n_ents; i++) {
        const struct ty_inc_entity *h = &p->inc->ents[i];
        if (h->type != TY_ENT_HOST || !acted_on(h->role) || !safe(h->value))
            continue;
        if (host) {
            host = NULL; /* more than one host: which one is not known */
            break;
        }
        host = h->value;
    }
    add(p, TY_PHASE_CONTAIN, 0, NULL,
        fmt(p, "login session %s%s%s", v, host ? " on " : "", host ? host : ""),
        "Terminate the login session (the audit session id is logind's session id): it ends "
        "the shell and every process started in it",
        fmt(p, "loginctl terminate-session %s", sq(p, v)));
}

/* ---- network ---- */

static void plan_ip(struct plan *p, const struct ty_inc_entity *e)
{
    struct ty_ip ip;
    if (e->role != TY_ROLE_ATTACKER || e->internal != 0 ||
        ty_ip_parse(ty_str_cstr(e->value), &ip) != 0)
        return;
    char txt[TY_IP_STRLEN];
    ty_ip_format(&ip, txt);
    const char *fam = ty_ip_is_v4(&ip) ? "ip" : "ip6", *q = sq(p, txt);
    if (!p->nft_ready) {
        p->nft_ready = 1;
        add(p, TY_PHASE_CONTAIN, 1, NULL, "nftables table inet tyto",
            "Create tyto's own nftables table with input and output hooks (drops there are "
            "final whatever other tables accept; `nft delete table inet tyto` undoes it all)",
            "nft add table inet tyto && nft add chain inet tyto input "
            "'{ type filter hook input priority 0 ; policy accept ; }' && nft add chain inet "
            "tyto output '{ type filter hook output priority 0 ; policy accept ; }'");
    }
    const char *tgt = fmt(p, "address %s", txt);
    add(p, TY_PHASE_CONTAIN, 1, NULL, tgt,
        "Drop all traffic to and from the attacker's address on this host",
        fmt(p, "nft add rule inet tyto output %s daddr %s drop && nft add rule inet tyto input "
               "%s saddr %s drop",
            fam, q, fam, q));
    add(p, TY_PHASE_CONTAIN, 0, NULL, tgt,
        "Block the address at the edge too (network ACL, cloud firewall or NSG, egress proxy)",
        NULL);
}

/* The host of a domain or URL entity, when it is a name outside the
 * environment (not localhost, a cluster or internal name, or an address). */
static const char *outside_name(struct plan *p, const struct ty_inc_entity *e)
{
    const char *v = e->value, *h = v;
    size_t n = strlen(v);
    if (e->type == TY_ENT_URL) {
        const char *sep = strstr(v, "://");
        if (!sep)
            return NULL; /* a path on one of the victim's servers */
        h = sep + 3;
        const char *at = strchr(h, '@'), *end = h + strcspn(h, "/?#");
        if (at && at < end)
            h = at + 1;
        n = strcspn(h, ":/?#");
    }
    if (n == 0 || n > 253 || !all_in(h, n, ALNUM ".-") || !strchr(LOWER_DIGITS, h[n - 1] | 0x20))
        return NULL;
    char name[254];
    memcpy(name, h, n);
    name[n] = '\0';
    for (size_t i = 0; i < n; i++)
        name[i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ? name[i] - 'A' + 'a' : name[i]);
    struct ty_ip ip;
    if (ty_ip_parse(ty_str_cstr(name), &ip) == 0)
        return NULL; /* addresses are blocked as addresses */
    return ty__name_is_internal(name) ? NULL : fmt(p, "%s", name);
}

int ty__name_is_internal(const char *name)
{
    static const char *const inside[] = {"localhost", ".localhost", ".local", ".internal",
                                         ".cluster.local", ".svc", ".localdomain", ".lan"};
    struct ty_ip ip;
    if (ty_ip_parse(ty_str_cstr(name), &ip) == 0) {
        const uint8_t *b = ip.a;
        if (ty_ip_is_v4(&ip))
            return b[12] == 10 || b[12] == 127 || b[12] == 0 ||
                   (b[12] == 172 && (b[13] & 0xf0) == 16) || (b[12] == 192 && b[13] == 168) ||
                   (b[12] == 169 && b[13] == 254) || (b[12] == 100 && (b[13] & 0xc0) == 64);
        static const uint8_t loop[16] = {[15] = 1};
        return memcmp(b, loop, 16) == 0 || (b[0] & 0xfe) == 0xfc ||
               (b[0] == 0xfe && (b[1] & 0xc0) == 0x80);
    }
    if (!strchr(name, '.'))
        return 1; /* a single label resolves only inside */
    for (size_t i = 0; i < sizeof(inside) / sizeof(inside[0]); i++)
        if (strcasecmp(name, inside[i]) == 0 || (strlen(name) > strlen(inside[i]) &&
            strcasecmp(name + strlen(name) - strlen(inside[i]), inside[i]) == 0))
            return 1;
    return 0;
}

static void plan_name_block(struct plan *p, const struct ty_inc_entity *e)
{
    const char *name = left_by_attacker(e->role) ? outside_name(p, e) : NULL;
    if (!name)
        return;
    add(p, TY_PHASE_CONTAIN, 0, NULL, fmt(p, "domain %s", name),
        "Block the name at the DNS resolver and the egress proxy (sinkhole it)", NULL);
}

/* ---- files and persistence ---- */

/* Whether an absolute path starts in a top folder of a Linux file system (a
 * path that does not is a URL path of a web application). */
int ty__fs_path(const char *v)
{
    static const char *const fs_top[] = {"bin", "boot", "data", "dev", "etc", "home", "lib",
                                         "lib32", "lib64", "media", "mnt", "opt", "proc",
                                         "root", "run", "sbin", "snap", "srv", "sys", "tmp",
                                         "usr", "var", "app", "host"};
    if (v[0] != '/')
        return 0;
    const char *sl = strchr(v + 1, '/');
    size_t top = sl ? (size_t)(sl - v - 1) : strlen(v + 1);
    for (size_t i = 0; i < sizeof(fs_top) / sizeof(fs_top[0]); i++)
        if (strlen(fs_top[i]) == top && strncmp(v + 1, fs_top[i], top) == 0)
            return 1;
    return 0;
}

enum pkind {
    PK_SKIP,      /* pseudo files (/dev/tcp/..., /proc): nothing to remove */
    PK_RM,        /* a file the attacker left: remove it */
    PK_CRONTAB,   /* /var/spool/cron[/crontabs]/USER */
    PK_UNIT,      /* a systemd unit */
    PK_AUTHKEYS,  /* an authorized_keys file: its entries, not the file */
    PK_SOCKET,    /* the runtime socket: unmount, never delete */
    PK_PROTECTED, /* a system file: edit or reinstall, never delete */
    PK_WEBPATH,   /* a URL path: find it under the document root */
    PK_BAD,       /* not a clean absolute path */
};

static enum pkind path_kind(const char *v)
{
    static const char *const protected[] = {
        "/etc/passwd", "/etc/shadow", "/etc/group", "/etc/gshadow", "/etc/sudoers",
        "/etc/hosts", "/etc/resolv.conf", "/etc/ssh/sshd_config", "/etc/crontab",
        "/etc/fstab", "/etc/profile", "/etc/bash.bashrc", "/etc/environment"};
    static const char *const pkg_dirs[] = {"/bin", "/sbin", "/usr/bin", "/usr/sbin", "/lib",
                                           "/lib64", "/usr/lib", "/usr/lib64", "/usr/libexec",
                                           "/boot"};
    if (v[0] != '/' || !safe(v) || ends(v, "/") || strstr(v, "/../") || ends(v, "/..") ||
        strstr(v, "/./") || ends(v, "/.") || strstr(v, "//"))
        return PK_BAD;
    if (under(v, "/proc") || under(v, "/sys") || under(v, "/dev/tcp") || under(v, "/dev/udp") ||
        strcmp(v, "/dev/null") == 0)
        return PK_SKIP;
    if (ends(v, "/docker.sock") || ends(v, "/containerd.sock") || ends(v, "/crio.sock") ||
        ends(v, "/dockershim.sock"))
        return PK_SOCKET;
    if (!ty__fs_path(v))
        return PK_WEBPATH;
    if (under(v, "/dev") && !under(v, "/dev/shm"))
        return PK_SKIP;
    for (size_t i = 0; i < sizeof(protected) / sizeof(protected[0]); i++)
        if (strcmp(v, protected[i]) == 0)
            return PK_PROTECTED;
    for (size_t i = 0; i < sizeof(pkg_dirs) / sizeof(pkg_dirs[0]); i++)
        if (under(v, pkg_dirs[i]))
            return PK_PROTECTED;
    if (ends(v, "/authorized_keys") || ends(v, "/authorized_keys2"))
        return PK_AUTHKEYS;
    const char *user = NULL;
    if (under(v, "/var/spool/cron/crontabs"))
        user = v + strlen("/var/spool/cron/crontabs/");
    else if (under(v, "/var/spool/cron"))
        user = v + strlen("/var/spool/cron/");
    if (user && user[-1] == '/' && *user && !strchr(user, '/') && strcmp(user, "crontabs") != 0)
        return PK_CRONTAB;
    if (strstr(v, "/systemd/") && (ends(v, ".service") || ends(v, ".timer") ||
                                   ends(v, ".socket") || ends(v, ".path")))
        return PK_UNIT;
    return PK_RM;
}

int ty__path_is_system(const char *path)
{
    enum pkind k = path_kind(path);
    return k == PK_PROTECTED || k == PK_SOCKET || k == PK_SKIP || k == PK_BAD;
}

/* A dropped file the attacker used, outside the persistence answer: removed
 * only where nothing legitimate lives (temporary dirs, web shells). */
static int dropped(const char *v)
{
    static const char *const web[] = {".php", ".phtml", ".jsp", ".jspx", ".war", ".aspx",
                                      ".asp", ".cgi"};
    if (under(v, "/tmp") || under(v, "/var/tmp") || under(v, "/dev/shm"))
        return 1;
    if (under(v, "/var/www") || strstr(v, "/wp-content/") || strstr(v, "/webapps/"))
        for (size_t i = 0; i < sizeof(web) / sizeof(web[0]); i++)
            if (ends(v, web[i]))
                return 1;
    return 0;
}

/* Where attackers add files to a web application (uploads, plugins, deployed
 * archives), and of a kind that runs: removed without asking. */
static int attacker_web_place(const char *v)
{
    static const char *const dirs[] = {"/wp-content/", "/uploads/", "/upload/", "/webapps/",
                                       "/tmp/"};
    static const char *const exts[] = {".php", ".phtml", ".php5", ".jsp", ".jspx", ".war",
                                       ".aspx", ".asp", ".ashx", ".cgi", ".pl", ".py", ".sh"};
    int dir = 0;
    for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
        dir |= strstr(v, dirs[i]) != NULL;
    for (size_t i = 0; dir && i < sizeof(exts) / sizeof(exts[0]); i++)
        if (ends(v, exts[i]))
            return 1;
    return 0;
}

static void preserve_file(struct plan *p, const char *v, const char *host)
{
    const char *dir = fmt(p, EVD "/files", p->inc->id), *q = sq(p, v);
    add(p, TY_PHASE_PRESERVE, 0, NULL,
        fmt(p, "file %s%s%s", v, host ? " on " : "", host ? show(p, host) : ""),
        "Copy the file with its times and hash it before anything removes it (on the host or "
        "in the container that has it)",
        fmt(p, "mkdir -p %s && cp -a --parents -- %s %s/ && sha256sum -- %s >> %s/sha256.txt",
            dir, q, dir, q, dir));
}

/* The only victim pod of the incident, for files that live in it. */
static const struct ty_inc_entity *only_pod(struct plan *p, struct pod *pd)
{
    const struct ty_incident *inc = p->inc;
    const struct ty_inc_entity *one = NULL;
    for (size_t i = 0; i < inc->n_ents; i++) {
        if (inc->ents[i].type != TY_ENT_POD || !acted_on(inc->ents[i].role))
            continue;
        if (one)
            return NULL;
        one = &inc->ents[i];
    }
    return one && pod_split(p, one->value, pd) ? one : NULL;
}

static int is_evidence(struct plan *p, const char *v);
static int collected_original(struct plan *p, const char *v, const char **path,
                              const char **host);

static void crontab_users(struct plan *p, const char **users, size_t *n, size_t cap)
{
    const struct ty_answer *a = &p->inc->q[TY_Q_PERSISTENCE];
    *n = 0;
    for (size_t i = 0; i < a->n_artifacts && *n < cap; i++) {
        const char *v = a->artifacts[i], *orig, *host;
        if (v && is_evidence(p, v) && collected_original(p, v, &orig, &host))
            v = orig;
        if (v && path_kind(v) == PK_CRONTAB)
            users[(*n)++] = strrchr(v, '/') + 1;
    }
}

char *ty__ev_root(const struct ty_incident *inc)
{
    char *root = NULL;
    size_t len = 0;
    for (size_t i = 0; i < inc->n_steps + inc->n_links; i++) {
        const char *f = i < inc->n_steps ? inc->steps[i].ev.file
                                         : inc->links[i - inc->n_steps].ev.file;
        if (!f || f[0] != '/')
            continue;
        if (!root) {
            len = (size_t)(strrchr(f, '/') - f);
            if (!(root = malloc(len + 1)))
                return NULL;
            memcpy(root, f, len);
            root[len] = '\0';
            continue;
        }
        size_t k = 0;
        while (k < len && f[k] == root[k])
            k++;
        if (k < len || (f[k] != '/' && f[k] != '\0')) {
            while (k > 0 && root[k] != '/')
                k--;
            len = k;
            root[len] = '\0';
        }
    }
    return root;
}

int ty__ev_original(const struct ty_incident *inc, const char *ev_root, const char *v,
                    struct ty_arena *a, const char **path, const char **host)
{
    static const char *const roots[] = {"/[root]/", "/fs/", "/rootfs/"};
    static const char *const hosts[] = {"/hosts/", "/nodes/"};
    int cited = 0;
    *path = *host = NULL;
    for (size_t i = 0; i < inc->n_steps && !cited; i++)
        cited = inc->steps[i].ev.file && strcmp(inc->steps[i].ev.file, v) == 0;
    int in_root = ev_root && strlen(ev_root) > 1 && under(v, ev_root);
    if (!cited && !in_root)
        return -1;
    const char *start = in_root ? v + strlen(ev_root) : v;
    for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]) && !*path; i++) {
        const char *r = strstr(start, roots[i]);
        if (r)
            *path = ty_arena_printf(a, "%s", r + strlen(roots[i]) - 1).p;
    }
    for (size_t i = 0; i < sizeof(hosts) / sizeof(hosts[0]) && !*host; i++) {
        const char *h = strstr(v, hosts[i]);
        if (!h)
            continue;
        h += strlen(hosts[i]);
        size_t n = strcspn(h, "/");
        *host = ty_arena_printf(a, "%.*s", (int)n, h).p;
        /* a per-host tree that mirrors the file system: hosts/NAME/etc/... */
        if (!*path && h[n] == '/' && ty__fs_path(h + n))
            *path = ty_arena_printf(a, "%s", h + n).p;
    }
    return *path != NULL;
}

static void find_ev_root(struct plan *p)
{
    int any = 0;
    for (size_t i = 0; i < p->inc->n_steps && !any; i++)
        any = p->inc->steps[i].ev.file && p->inc->steps[i].ev.file[0] == '/';
    for (size_t i = 0; i < p->inc->n_links && !any; i++)
        any = p->inc->links[i].ev.file && p->inc->links[i].ev.file[0] == '/';
    if (any && !(p->ev_root = ty__ev_root(p->inc)))
        p->rc = TY_ENOMEM;
}

static int is_evidence(struct plan *p, const char *v)
{
    const char *path, *host;
    return ty__ev_original(p->inc, p->ev_root, v, p->a, &path, &host) >= 0;
}

static int collected_original(struct plan *p, const char *v, const char **path,
                              const char **host)
{
    return ty__ev_original(p->inc, p->ev_root, v, p->a, path, host) == 1;
}

static void remove_host_path(struct plan *p, const char *v, int persistence, const char *host);

/* rm of a file; in the incident's only compromised pod when no host is known,
 * since what the runtime saw there lives in the container. */
static void remove_file(struct plan *p, const char *tgt, const char *q, const char *host,
                        const char *what)
{
    struct pod pd;
    if (!host && only_pod(p, &pd))
        add(p, TY_PHASE_ERADICATE, 0, NULL, tgt,
            fmt(p, "%s, in pod %s (and any volume it is on)", what, pd.label),
            fmt(p, "%skubectl exec -n %s %s -- rm -f -- %s", pd.pre, pd.nsq, pd.qname, q));
    else
        add(p, TY_PHASE_ERADICATE, 0, NULL, tgt, what, fmt(p, "rm -f -- %s", q));
}

static void remove_path(struct plan *p, const char *v, int persistence)
{
    const char *orig, *host;
    if (!is_evidence(p, v)) {
        remove_host_path(p, v, persistence, NULL);
        return;
    }
    if (collected_original(p, v, &orig, &host)) {
        remove_host_path(p, orig, persistence, host);
        return;
    }
    if (persistence)
        add(p, TY_PHASE_ERADICATE, 0, NULL, fmt(p, "file %s", show(p, v)),
            "tyto knows this artifact from its collected copy, which is evidence and is left "
            "alone: remove the original on the machine it was collected from",
            NULL);
}

static void remove_host_path(struct plan *p, const char *v, int persistence, const char *host)
{
    enum pkind k = path_kind(v);
    const char *tgt = fmt(p, "file %s%s%s", show(p, v), host ? " on " : "",
                          host ? show(p, host) : "");
    const char *q = safe(v) ? sq(p, v) : NULL;
    struct pod pd;
    if (!persistence) {
        /* a file the attack used: kept as evidence, removed only where dropped */
        if (k == PK_SKIP || k == PK_BAD || k == PK_SOCKET || k == PK_WEBPATH ||
            k == PK_PROTECTED)
            return; /* a system file the attack ran or read: nothing of the attacker's */
        preserve_file(p, v, host);
        if (k == PK_RM && dropped(v))
            remove_file(p, tgt, q, host, "Remove the file the attacker dropped");
        return;
    }
    switch (k) {
    case PK_SKIP:
        return;
    case PK_BAD:
        add(p, TY_PHASE_ERADICATE, 0, NULL, tgt,
            "Remove this artifact by hand (not a clean absolute path)", NULL);
        return;
    case PK_SOCKET:
        add(p, TY_PHASE_RECOVER, 0, NULL, tgt,
            "Redeploy every workload that mounts the container runtime socket without it "
            "(never delete the socket itself); list them with this command",
            "kubectl get pods -A -o json | jq -r '.items[] | select(any(.spec.volumes[]?; "
            ".hostPath.path? // \"\" | test(\"(docker|containerd|crio)\\\\.sock\"))) | "
            ".metadata.namespace + \"/\" + .metadata.name'");
        return;
    case PK_PROTECTED:
        preserve_file(p, v, host);
        add(p, TY_PHASE_ERADICATE, 0, NULL, tgt,
            "A system file: remove only the attacker's changes (compare with the preserved copy "
            "and a known-good host), or reinstall its package",
            fmt(p, "dpkg -S %s || rpm -qf %s", q, q));
        return;
    case PK_AUTHKEYS:
        preserve_file(p, v, host);
        add(p, TY_PHASE_ERADICATE, 0, NULL, tgt,
            "Remove the keys the attacker added (compare with the owner's known keys); the file "
            "itself stays",
            NULL);
        return;
    case PK_CRONTAB: {
        const char *user = strrchr(v, '/') + 1;
        preserve_file(p, v, host);
        if (strcmp(user, "root") == 0 || !*user)
            add(p, TY_PHASE_ERADICATE, 0, NULL, tgt,
                "Remove the attacker's lines from root's crontab (crontab -u root -e)", NULL);
        else
            add(p, TY_PHASE_ERADICATE, 0, NULL, tgt,
                fmt(p, "Remove %s's crontab (a copy is preserved; restore any legitimate line)",
                    show(p, user)),
                fmt(p, "crontab -u %s -r", sq(p, user)));
        return;
    }
    case PK_UNIT: {
        const char *unit = strrchr(v, '/') + 1;
        preserve_file(p, v, host);
        add(p, TY_PHASE_ERADICATE, 0, NULL, tgt, "Stop and disable the unit, remove its file",
            fmt(p, "systemctl disable --now %s; rm -f -- %s && systemctl daemon-reload",
                sq(p, unit), q));
        return;
    }
    case PK_WEBPATH: {
        if (!all_in(v, strlen(v), ALNUM "/._-"))
            return;
        int added = attacker_web_place(v);
        const char *find = fmt(p,
                               "find / \\( -path /proc -o -path /sys \\) -prune -o -type f "
                               "-path %s -print%s",
                               sq(p, fmt(p, "*%s", v)), added ? " -exec rm -f -- {} +" : "");
        const char *what = added ? "Find the file behind this web path (under the document "
                                   "root or its volumes) and remove it"
                                 : "Find the file behind this web path and remove it only if "
                                   "it is not part of the application's release (it is where "
                                   "the application's own files live)";
        if (only_pod(p, &pd))
            add(p, TY_PHASE_ERADICATE, 0, NULL, tgt, what,
                fmt(p, "%skubectl exec -n %s %s -- sh -c %s", pd.pre, pd.nsq, pd.qname,
                    sq(p, find)));
        else
            add(p, TY_PHASE_ERADICATE, 0, NULL, tgt, what, find);
        return;
    }
    case PK_RM:
        break;
    }
    preserve_file(p, v, host);
    remove_file(p, tgt, q, host, "Remove the file the attacker left");
}

static void remove_container(struct plan *p, const char *v)
{
    const char *host = linked(p->inc, TY_ENT_CONTAINER, v, TY_ENT_HOST);
    add(p, TY_PHASE_ERADICATE, 0, NULL,
        fmt(p, "container %s%s%s", v, host ? " on " : "", host ? show(p, host) : ""),
        "Remove the attacker's container (after its export is preserved)",
        fmt(p, "docker rm -f %s", sq(p, v)));
}

static int container_ref(const char *v)
{
    size_t n = strlen(v);
    return n > 0 && n <= 128 && strchr(ALNUM, v[0]) && all_in(v, n, ALNUM "_.-");
}

/* "ssh-ed25519 AAAA... comment" (with options before it or not): the key blob. */
static int key_blob(const char *v, char *out, size_t cap)
{
    static const char *const types[] = {"ssh-rsa ", "ssh-ed25519 ", "ssh-dss ", "ecdsa-sha2-",
                                        "sk-ssh-ed25519@openssh.com ", "sk-ecdsa-sha2-"};
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        const char *t = strstr(v, types[i]);
        if (!t)
            continue;
        const char *b = strchr(t, ' ');
        if (!b)
            return 0;
        b++;
        size_t n = strcspn(b, " ");
        if (n < 32 || n >= cap || !all_in(b, n, ALNUM "+/="))
            return 0;
        memcpy(out, b, n);
        out[n] = '\0';
        return 1;
    }
    return 0;
}

/* A crontab line: "@reboot cmd" or five time fields and a command. */
static int cron_line(const char *v)
{
    if (v[0] == '@')
        return strchr(v, ' ') != NULL;
    const char *s = v;
    for (int f = 0; f < 5; f++) {
        size_t n = strspn(s, "0123456789*/,-");
        if (n == 0 || s[n] != ' ')
            return 0;
        s += n;
        s += strspn(s, " ");
    }
    return *s != '\0';
}

static void plan_artifact(struct plan *p, const char *v)
{
    char blob[1024];
    const char *tgt = fmt(p, "artifact %s", show(p, v));
    if (!safe(v)) {
        add(p, TY_PHASE_ERADICATE, 0, NULL, tgt,
            "Remove this artifact by hand (its value has control bytes)", NULL);
        return;
    }
    if (v[0] == '/') {
        remove_path(p, v, 1);
        return;
    }
    /* entities the plan handles elsewhere: identities and addresses are not files to
     * remove, and a compromised workload is contained and rebuilt, not deleted */
    for (size_t i = 0; i < p->inc->n_ents; i++) {
        const struct ty_inc_entity *e = &p->inc->ents[i];
        if (!e->value || strcmp(e->value, v) != 0)
            continue;
        if ((e->type != TY_ENT_CONTAINER && e->type != TY_ENT_POD &&
             e->type != TY_ENT_FILE) || acted_on(e->role))
            return;
    }
    if (strstr(v, "://") && !strchr(v, ' '))
        return; /* a URL the attack used: an indicator, nothing to remove */
    const struct ty_inc_entity *c = find_ent(p->inc, TY_ENT_CONTAINER, v);
    size_t n = strlen(v);
    if ((c || (n >= 12 && n <= 64 && is_hex(v, n))) && container_ref(v)) {
        remove_container(p, v);
        return;
    }
    const struct ty_inc_entity *pod = find_ent(p->inc, TY_ENT_POD, v);
    struct pod pd;
    if (pod && pod_split(p, v, &pd)) {
        add(p, TY_PHASE_ERADICATE, 0, NULL, fmt(p, "pod %s", pd.label),
            "Delete the pod the attacker left (and the controller that recreates it, if any)",
            fmt(p, "%skubectl delete pod -n %s %s", pd.pre, pd.nsq, pd.qname));
        return;
    }
    if ((ends(v, ".service") || ends(v, ".timer")) && all_in(v, n, ALNUM "@._-")) {
        add(p, TY_PHASE_ERADICATE, 0, NULL, fmt(p, "unit %s", v),
            "Stop and disable the unit, then remove its file (systemctl cat shows where it is)",
            fmt(p, "systemctl cat %s; systemctl disable --now %s", sq(p, v), sq(p, v)));
        return;
    }
    if (key_blob(v, blob, sizeof(blob))) {
        const struct ty_answer *a = &p->inc->q[TY_Q_PERSISTENCE];
        const char *files = NULL;
        for (size_t i = 0; i < a->n_artifacts; i++)
            if (a->artifacts[i] && path_kind(a->artifacts[i]) == PK_AUTHKEYS)
                files = files ? fmt(p, "%s %s", files, sq(p, a->artifacts[i]))
                              : sq(p, a->artifacts[i]);
        if (!files)
            files = "/root/.ssh/authorized_keys /root/.ssh/authorized_keys2 "
                    "/home/*/.ssh/authorized_keys /home/*/.ssh/authorized_keys2";
        add(p, TY_PHASE_ERADICATE, 0, NULL, fmt(p, "authorized key %.24s...", blob),
            "Remove the attacker's SSH key from authorized_keys (each file keeps a .tyto-bak "
            "copy)",
            fmt(p, "for f in %s; do [ -f \"$f\" ] && sed -i.tyto-bak -e '\\|%s|d' \"$f\"; done",
                files, blob));
        return;
    }
    if (cron_line(v)) {
        const char *users[8];
        size_t nu = 0;
        crontab_users(p, users, &nu, 8);
        if (nu == 0) {
            add(p, TY_PHASE_ERADICATE, 0, NULL, tgt,
                "Remove this line from the crontab that has it (its user is not named)", NULL);
            return;
        }
        for (size_t i = 0; i < nu; i++) {
            const char *u = sq(p, users[i]);
            add(p, TY_PHASE_ERADICATE, 0, NULL, tgt,
                fmt(p, "Remove this line from %s's crontab", show(p, users[i])),
                fmt(p, "crontab -u %s -l | grep -v -F -x -- %s | crontab -u %s -", u, sq(p, v),
                    u));
        }
        return;
    }
    add(p, TY_PHASE_ERADICATE, 0, NULL, tgt,
        "Remove this artifact by hand (its kind is not known from the evidence)", NULL);
}

/* Checks for persistence the techniques say exists but no artifact names. */
static void plan_techniques(struct plan *p)
{
    static const struct {
        const char *tech, *what, *cmd;
    } checks[] = {
        {"T1053.003", "List every crontab on the affected hosts and remove the attacker's lines",
         "for u in $(cut -d: -f1 /etc/passwd); do crontab -u \"$u\" -l 2>/dev/null | sed "
         "\"s/^/$u: /\"; done; ls -la /etc/cron.d /etc/cron.*ly"},
        {"T1098.004", "List the authorized SSH keys on the affected hosts and remove unknown ones",
         "grep -H . /root/.ssh/authorized_keys* /home/*/.ssh/authorized_keys*"},
        {"T1543.002", "List systemd units changed recently and remove the attacker's",
         "find /etc/systemd /usr/lib/systemd /lib/systemd -newermt '30 days ago' -name "
         "'*.service' -o -newermt '30 days ago' -name '*.timer'"},
        {"T1505.003", "Find web shells under the document roots (recently changed scripts)",
         "find /var/www -newermt '30 days ago' -type f \\( -name '*.php' -o -name '*.jsp' -o -name "
         "'*.aspx' \\)"},
        {"T1610", "List containers started with privileges or host mounts and remove the "
                  "attacker's",
         "docker ps -aq | xargs -r docker inspect --format '{{.Id}} {{.Name}} privileged={{"
         ".HostConfig.Privileged}} binds={{.HostConfig.Binds}}'"},
        {"T1136", "List accounts created recently and remove the attacker's",
         "awk -F: '$3 >= 1000 || $3 == 0' /etc/passwd"},
    };
    const struct ty_answer *a = &p->inc->q[TY_Q_PERSISTENCE];
    for (size_t c = 0; c < sizeof(checks) / sizeof(checks[0]); c++) {
        int has = 0;
        for (const char **t = p->inc->techniques; t && *t && !has; t++)
            has = strncmp(*t, checks[c].tech, strlen(checks[c].tech)) == 0;
        for (const char **t = a->techniques; t && *t && !has; t++)
            has = strncmp(*t, checks[c].tech, strlen(checks[c].tech)) == 0;
        if (has)
            add(p, TY_PHASE_ERADICATE, 0, NULL,
                fmt(p, "technique %s (affected hosts)", checks[c].tech), checks[c].what,
                checks[c].cmd);
    }
}

static void plan_container(struct plan *p, const struct ty_inc_entity *e)
{
    const char *v = e->value;
    if (!container_ref(v)) {
        add(p, TY_PHASE_CONTAIN, 0, NULL, fmt(p, "container %s", show(p, v)),
            "Pause this container by hand (its id is not a container id)", NULL);
        return;
    }
    const char *host = linked(p->inc, TY_ENT_CONTAINER, v, TY_ENT_HOST);
    const char *tgt = fmt(p, "container %s%s%s", v, host ? " on " : "",
                          host ? show(p, host) : "");
    const char *dir = fmt(p, EVD "/containers", p->inc->id), *q = sq(p, v);
    add(p, TY_PHASE_PRESERVE, 0, NULL, tgt,
        "Save the container's configuration, its changes against the image, and its "
        "filesystem (on its host)",
        fmt(p,
            "mkdir -p %s && docker inspect %s > %s/%s.inspect.json && docker diff %s > "
            "%s/%s.diff && docker logs --timestamps %s > %s/%s.log 2>&1; docker export %s -o "
            "%s/%s.tar",
            dir, q, dir, v, q, dir, v, q, dir, v, q, dir, v));
    add(p, TY_PHASE_CONTAIN, 1, host, tgt,
        "Freeze the container's processes (docker pause freezes its cgroup)",
        fmt(p, "docker pause %s", q));
    if (left_by_attacker(e->role))
        remove_container(p, v);
}

static void plan_entity(struct plan *p, const struct ty_inc_entity *e, int pass)
{
    if (!e->value || e->role == TY_ROLE_NONE)
        return;
    if (!safe(e->value)) {
        if (pass == 1)
            add(p, TY_PHASE_CONTAIN, 0, NULL,
                fmt(p, "%s %s", e->type == TY_ENT_IP ? "address" : "entity", show(p, e->value)),
                "Handle this entity by hand: its value has control bytes or is too long to put "
                "in a command",
                NULL);
        return;
    }
    if (e->type == TY_ENT_POD) {
        plan_pod(p, e, pass);
        return;
    }
    if (pass == 0)
        return;
    switch (e->type) {
    case TY_ENT_IP:
        plan_ip(p, e);
        break;
    case TY_ENT_PRINCIPAL:
    case TY_ENT_ROLE:
        if (e->role != TY_ROLE_ATTACKER || strncmp(e->value, "arn:", 4) == 0)
            plan_identity(p, e);
        break;
    case TY_ENT_SERVICE_ACCOUNT:
        plan_service_account(p, e);
        break;
    case TY_ENT_ACCESS_KEY:
        plan_access_key(p, e);
        break;
    case TY_ENT_SESSION:
        plan_session(p, e);
        break;
    case TY_ENT_HOST:
        if (acted_on(e->role))
            plan_host(p, e);
        break;
    case TY_ENT_INSTANCE:
        if (acted_on(e->role))
            plan_instance(p, e->value, NULL);
        break;
    case TY_ENT_CONTAINER:
        plan_container(p, e);
        break;
    case TY_ENT_PROCESS:
        plan_process(p, e);
        break;
    case TY_ENT_FILE:
        if (left_by_attacker(e->role))
            remove_path(p, e->value, 0);
        break;
    case TY_ENT_IMAGE:
        add(p, TY_PHASE_RECOVER, 0, NULL, fmt(p, "image %s", e->value),
            left_by_attacker(e->role)
                ? "Block this image at admission (it was the attacker's) and delete it from "
                  "the nodes"
                : "Rebuild the image from source with the fix, scan it, and redeploy only the "
                  "new digest",
            NULL);
        break;
    case TY_ENT_DOMAIN:
    case TY_ENT_URL:
        plan_name_block(p, e);
        break;
    case TY_ENT_BUCKET:
        add(p, TY_PHASE_RECOVER, 0, NULL, fmt(p, "bucket %s", e->value),
            "Review who can read the bucket, and tell its data owners which objects were read",
            NULL);
        break;
    default:
        break;
    }
}

int ty_contain_plan(const struct ty_incident *inc, struct ty_arena *a, struct ty_action **out,
                    size_t *n_out, struct ty_err *err)
{
    struct plan p = {.inc = inc, .a = a};
    int rc = 0;
    *out = NULL;
    *n_out = 0;
    ty_buf_init(&p.tmp, 1u << 20);
    find_ev_root(&p);
    /* pass 0: the quarantine NetworkPolicies, which must exist before any label */
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < inc->n_ents; i++)
            plan_entity(&p, &inc->ents[i], pass);
    const struct ty_answer *pa = &inc->q[TY_Q_PERSISTENCE];
    for (size_t i = 0; i < pa->n_artifacts; i++)
        if (pa->artifacts[i])
            plan_artifact(&p, pa->artifacts[i]);
    plan_techniques(&p);
    if (p.rc) {
        rc = ty_err_set(err, p.rc, "incident %d: containment plan: %s", inc->id,
                        ty_strerror(p.rc));
        goto out;
    }
    size_t n = 0;
    for (int ph = 0; ph < 4; ph++)
        n += p.ph[ph].n;
    struct ty_action *all = ty_arena_alloc(a, (n ? n : 1) * sizeof(*all));
    if (!all) {
        rc = ty_err_set(err, TY_ENOMEM, "incident %d: containment plan: out of memory", inc->id);
        goto out;
    }
    size_t k = 0;
    for (int ph = 0; ph < 4; ph++)
        for (size_t i = 0; i < p.ph[ph].n; i++)
            all[k++] = p.ph[ph].v[i];
    *out = all;
    *n_out = n;
out:
    for (int ph = 0; ph < 4; ph++)
        free(p.ph[ph].v);
    free(p.seen);
    free(p.ev_root);
    ty_buf_release(&p.tmp);
    return rc;
}
