/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse-k8s-inventory.c - Kubernetes objects as `kubectl get ... -o json`
 * prints them: what ran where, as whom, with which privileges.
 *
 * Record format: a List ({"apiVersion":"v1","kind":"List","items":[...]},
 * also PodList, NodeList...) or a single object {"apiVersion","kind",
 * "metadata":{name, namespace, uid, creationTimestamp, labels, annotations,
 * ownerReferences}, "spec", "status"}. The framer cuts the "items" of a list
 * into one record per object; a single object is one record. Each object
 * gives one event "k8s-inventory-<kind>" at metadata.creationTimestamp (the
 * file's mtime when absent, said in the message); a Pod gives one event per
 * container (containers, initContainers, ephemeralContainers), joined to its
 * status by name.
 * Fields: k8s_namespace, k8s_pod, k8s_node (spec.nodeName), src_ip
 * (status.podIP; a Node's InternalIP, ExternalIP in src_nat_ip), host_id
 * (the instance in spec.providerID: aws:///eu-west-1a/i-0abc -> i-0abc; gce
 * -> the instance name; azure -> the VM resource id), container_id
 * (containerStatuses[].containerID without its docker:// or containerd://),
 * container_name, container_image, actor (system:serviceaccount:NS:NAME of
 * the pod or workload, or of the ServiceAccount itself; a binding's first
 * subject), target_kind/target/target_name/target_namespace (the object),
 * target_user (the cloud identity: the ServiceAccount's IRSA annotation
 * eks.amazonaws.com/role-arn, GKE iam.gke.io/gcp-service-account, AKS
 * azure.workload.identity/client-id, or a container's AWS_ROLE_ARN env).
 * Dangerous settings of a pod or workload template (privileged,
 * allowPrivilegeEscalation, host PID/network/IPC, hostPath mounts of /, a
 * runtime socket or a sensitive directory, added capabilities, runAsUser 0,
 * no readOnlyRootFilesystem) are listed in the message; severity high for
 * the first ones. Quirks: Secrets and ConfigMaps keep their key names only:
 * their raw record is replaced by a summary object (values never reach the
 * case, not even through the last-applied-configuration annotation).
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/parser.h>
#include <tyto/time.h>

#include "parse-docker-int.h"
#include "parse-k8s-inventory-int.h"

/* Per record: the tape and the first allocation failure. */
struct kin {
    struct ty_parse_ctx *ctx;
    const struct ty_json_doc *d;
    int rc;
};

static struct ty_str s_of(struct kin *k, uint32_t i)
{
    struct ty_str s = TY_STR_NULL;
    if (ty_json_type(k->d, i) != TY_JSON_STRING)
        return TY_STR_NULL;
    if (ty_json_str(k->d, i, k->ctx->arena, &s) == TY_ENOMEM)
        k->rc = TY_ENOMEM;
    return s;
}

static struct ty_str s_get(struct kin *k, uint32_t obj, const char *key)
{
    return s_of(k, ty_json_get(k->d, obj, key));
}

static bool b_get(struct kin *k, uint32_t obj, const char *key)
{
    return ty_json_type(k->d, ty_json_get(k->d, obj, key)) == TY_JSON_TRUE;
}

/* ---- sniffing ---------------------------------------------------------- */

static const char *const known_kinds[] = {
    "Pod", "Node", "ServiceAccount", "Deployment", "ReplicaSet", "DaemonSet", "StatefulSet",
    "Job", "CronJob", "ReplicationController", "Service", "Namespace", "Role", "ClusterRole",
    "RoleBinding", "ClusterRoleBinding", "ConfigMap", "Secret", "NetworkPolicy", "Ingress",
    "PersistentVolume", "PersistentVolumeClaim", "Endpoints", "List"};

static int inv_sniff(struct ty_str head)
{
    head = ty_parse_skip_ws(head);
    if (!head.len || head.p[0] != '{')
        return 0;
    if (ty_str_contains(head, "\"auditID\"") || ty_str_contains(head, "audit.k8s.io/"))
        return 0;
    struct ty_str api = ty__json_head_str(head, "apiVersion");
    struct ty_str kind = ty__json_head_str(head, "kind");
    if (!api.len || !kind.len || !ty_str_contains(head, "\"metadata\""))
        return 0;
    for (size_t i = 0; i < sizeof(known_kinds) / sizeof(known_kinds[0]); i++)
        if (ty_str_eq_cstr(kind, known_kinds[i]))
            return 85;
    if (ty_str_ends(kind, "List") && ty_str_contains(head, "\"items\""))
        return 85;
    /* another kind of object with the Kubernetes envelope */
    return kind.p[0] >= 'A' && kind.p[0] <= 'Z' ? 50 : 0;
}

static int inv_open(struct ty_parse_ctx *ctx, struct ty_err *err)
{
    (void)err;
    struct ty_str kind = ty__json_head_str(ty_parse_skip_ws(ctx->head), "kind");
    ctx->frame.kind = TY_FRAME_JSON;
    ctx->frame.key = "items";
    if (ty_str_contains(ctx->head, "\"items\""))
        snprintf(ctx->shape, sizeof(ctx->shape), "kubectl -o json List");
    else
        snprintf(ctx->shape, sizeof(ctx->shape), "kubectl -o json %.*s",
                 (int)(kind.len > 40 ? 40 : kind.len), kind.len ? kind.p : "");
    return 0;
}

/* ---- shared pieces ------------------------------------------------------ */

/* "system:serviceaccount:NS:NAME" */
static struct ty_str sa_principal(struct kin *k, struct ty_str ns, struct ty_str name)
{
    if (!name.len)
        return TY_STR_NULL;
    struct ty_str s = ty_arena_printf(k->ctx->arena, "system:serviceaccount:%.*s:%.*s",
                                      (int)ns.len, ns.p ? ns.p : "", (int)name.len, name.p);
    if (!s.p)
        k->rc = TY_ENOMEM;
    return s;
}

/* Fill what every object has; returns the creation time's presence. */
static bool common(struct kin *k, struct ty_event *ev, uint32_t root, struct ty_str kind)
{
    const struct ty_json_doc *d = k->d;
    uint32_t meta = ty_json_get(d, root, "metadata");
    uint32_t ct = ty_json_get(d, meta, "creationTimestamp");
    int64_t ts = 0;
    int prec = 0;
    bool have = false;
    if (ty_json_type(d, ct) == TY_JSON_STRING &&
        ty_time_parse_iso(ty_json_raw(d, ct), &ts, &prec, NULL) == 0) {
        have = true;
        ty_event_set_int(ev, TY_F_TS, ts);
        ty_event_set_int(ev, TY_F_TS_PREC, prec);
        ty_event_set_str(ev, TY_F_TIME_TEXT, ty_json_raw(d, ct));
    } else {
        ty_event_set_int(ev, TY_F_TS, k->ctx->file_mtime);
    }
    char act[80];
    size_t n = (size_t)snprintf(act, sizeof(act), "k8s-inventory-");
    for (size_t i = 0; i < kind.len && n + 1 < sizeof(act); i++) {
        char c = kind.p[i];
        act[n++] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    struct ty_str a = ty_arena_str(k->ctx->arena, ty_str_make(act, n));
    if (!a.p)
        k->rc = TY_ENOMEM;
    struct ty_str ns = s_get(k, meta, "namespace");
    ty_event_set_str(ev, TY_F_CATEGORY, TY_STR_LIT("inventory"));
    ty_event_set_str(ev, TY_F_ACTION, a);
    ty_event_set_str(ev, TY_F_PROVIDER, TY_STR_LIT("kubernetes"));
    ty_event_set_str(ev, TY_F_K8S_NAMESPACE, ns);
    ty_event_set_str(ev, TY_F_TARGET_KIND, kind);
    ty_event_set_str(ev, TY_F_TARGET, s_get(k, meta, "uid"));
    ty_event_set_str(ev, TY_F_TARGET_NAME, s_get(k, meta, "name"));
    ty_event_set_str(ev, TY_F_TARGET_NAMESPACE, ns);
    return have;
}

/* A message built in pieces, cut (with "...") when it outgrows its buffer. */
struct msg {
    char b[1536];
    size_t n;
};

static void m_add(struct msg *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void m_add(struct msg *m, const char *fmt, ...)
{
    va_list ap;
    if (m->n + 4 >= sizeof(m->b))
        return;
    va_start(ap, fmt);
    int w = vsnprintf(m->b + m->n, sizeof(m->b) - m->n, fmt, ap);
    va_end(ap);
    if (w < 0)
        return;
    if ((size_t)w >= sizeof(m->b) - m->n) {
        m->n = sizeof(m->b) - 4;
        memcpy(m->b + m->n, "...", 4);
        m->n += 3;
        return;
    }
    m->n += (size_t)w;
}

static void set_msg(struct kin *k, struct ty_event *ev, struct msg *m, bool have_time)
{
    if (!have_time)
        m_add(m, " (time: %s)",
              k->ctx->file_mtime ? "the file's mtime, no creationTimestamp" : "unknown");
    struct ty_str s = ty_arena_str(k->ctx->arena, ty_str_make(m->b, m->n));
    if (!s.p)
        k->rc = TY_ENOMEM;
    ty_event_set_str(ev, TY_F_MESSAGE, s);
}

/* The message set, the event handed on. */
static int finish(struct kin *k, struct ty_event *ev, struct msg *m, bool have_time,
                  struct ty_err *err)
{
    set_msg(k, ev, m, have_time);
    if (k->rc)
        return ty_err_set(err, k->rc, "out of memory");
    int rc = ty_parse_emit(k->ctx, ev);
    return rc < 0 ? rc : TY_OK;
}

/* ---- pods and pod templates ------------------------------------------- */

/* Findings: serious ones (severity high) and hardening gaps apart. */
struct finds {
    char hb[768], lb[384];
    struct ty__dflags hi, lo;
};

static void finds_init(struct finds *f)
{
    f->hb[0] = f->lb[0] = '\0';
    f->hi = (struct ty__dflags){f->hb, sizeof(f->hb), 0, 0};
    f->lo = (struct ty__dflags){f->lb, sizeof(f->lb), 0, 0};
}

static void add_finds_msg(struct msg *m, const struct finds *f)
{
    if (f->hi.count)
        m_add(m, "; dangerous: %s", f->hb);
    if (f->lo.count)
        m_add(m, "; hardening: %s", f->lb);
}

/* The volume of a pod spec by name. */
static uint32_t volume_by_name(struct kin *k, uint32_t pspec, struct ty_str name)
{
    uint32_t vols = ty_json_get(k->d, pspec, "volumes");
    if (ty_json_type(k->d, vols) != TY_JSON_ARRAY)
        return TY_JSON_NONE;
    for (uint32_t v = ty_json_first(k->d, vols); v != TY_JSON_NONE; v = ty_json_next(k->d, v))
        if (ty_str_eq(s_get(k, v, "name"), name))
            return v;
    return TY_JSON_NONE;
}

static bool uid_zero(struct kin *k, uint32_t sc)
{
    int64_t u = -1;
    return ty_json_i64(k->d, ty_json_get(k->d, sc, "runAsUser"), &u) == 0 && u == 0;
}

/* Pod-level settings of a pod spec. */
static void scan_pod(struct kin *k, uint32_t pspec, struct finds *f)
{
    if (b_get(k, pspec, "hostPID"))
        ty__docker_flag_add(&f->hi, "hostPID", TY_STR_NULL);
    if (b_get(k, pspec, "hostNetwork"))
        ty__docker_flag_add(&f->hi, "hostNetwork", TY_STR_NULL);
    if (b_get(k, pspec, "hostIPC"))
        ty__docker_flag_add(&f->hi, "hostIPC", TY_STR_NULL);
}

/* Capabilities that give a container the host or other containers (not
 * NET_BIND_SERVICE, CHOWN... which are hardening gaps only). */
static bool risky_cap(struct ty_str c)
{
    static const char *const caps[] = {"ALL", "SYS_ADMIN", "SYS_PTRACE", "SYS_MODULE",
                                       "SYS_RAWIO", "SYS_BOOT", "DAC_READ_SEARCH", "NET_ADMIN",
                                       "BPF", "PERFMON", "SYS_RESOURCE", "MKNOD"};
    if (ty_str_starts(c, "CAP_")) {
        c.p += 4;
        c.len -= 4;
    }
    for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++)
        if (ty_str_eq_nocase(c, ty_str_cstr(caps[i])))
            return true;
    return false;
}

/* One container's settings (its own securityContext over the pod's). */
static void scan_container(struct kin *k, uint32_t pspec, uint32_t c, struct finds *f,
                           struct ty_str *role)
{
    const struct ty_json_doc *d = k->d;
    uint32_t sc = ty_json_get(d, c, "securityContext");
    uint32_t psc = ty_json_get(d, pspec, "securityContext");
    if (b_get(k, sc, "privileged"))
        ty__docker_flag_add(&f->hi, "privileged", TY_STR_NULL);
    if (b_get(k, sc, "allowPrivilegeEscalation"))
        ty__docker_flag_add(&f->hi, "allowPrivilegeEscalation", TY_STR_NULL);
    uint32_t add = ty_json_path(d, sc, "capabilities.add");
    if (ty_json_type(d, add) == TY_JSON_ARRAY)
        for (uint32_t e = ty_json_first(d, add); e != TY_JSON_NONE; e = ty_json_next(d, e)) {
            struct ty_str cap = s_of(k, e);
            if (cap.len)
                ty__docker_flag_add(risky_cap(cap) ? &f->hi : &f->lo, "capability added", cap);
        }
    if (ty_json_get(d, sc, "runAsUser") != TY_JSON_NONE ? uid_zero(k, sc) : uid_zero(k, psc))
        ty__docker_flag_add(&f->lo, "runAsUser 0", TY_STR_NULL);
    if (!b_get(k, sc, "readOnlyRootFilesystem"))
        ty__docker_flag_add(&f->lo, "no readOnlyRootFilesystem", TY_STR_NULL);
    uint32_t vm = ty_json_get(d, c, "volumeMounts");
    if (ty_json_type(d, vm) == TY_JSON_ARRAY)
        for (uint32_t e = ty_json_first(d, vm); e != TY_JSON_NONE; e = ty_json_next(d, e)) {
            uint32_t vol = volume_by_name(k, pspec, s_get(k, e, "name"));
            struct ty_str hp = s_of(k, ty_json_path(d, vol, "hostPath.path"));
            const char *risk = hp.len ? ty__docker_host_path_risk(hp) : NULL;
            if (!risk)
                continue;
            struct ty_str mp = s_get(k, e, "mountPath");
            struct ty_str t = ty_arena_printf(k->ctx->arena, "hostPath %.*s at %.*s",
                                              (int)hp.len, hp.p, (int)mp.len,
                                              mp.p ? mp.p : "");
            if (!t.p)
                k->rc = TY_ENOMEM;
            ty__docker_flag_add(&f->hi, risk, t);
        }
    uint32_t env = ty_json_get(d, c, "env");
    if (role && ty_json_type(d, env) == TY_JSON_ARRAY)
        for (uint32_t e = ty_json_first(d, env); e != TY_JSON_NONE; e = ty_json_next(d, e))
            if (ty_str_eq_cstr(s_get(k, e, "name"), "AWS_ROLE_ARN")) {
                struct ty_str v = s_get(k, e, "value");
                if (v.len)
                    *role = v;
            }
}

/* A container's status entry by name, in the status array matching its list. */
static uint32_t status_of(struct kin *k, uint32_t status, const char *list, struct ty_str name)
{
    const char *key = strcmp(list, "initContainers") == 0        ? "initContainerStatuses"
                      : strcmp(list, "ephemeralContainers") == 0 ? "ephemeralContainerStatuses"
                                                                 : "containerStatuses";
    uint32_t arr = ty_json_get(k->d, status, key);
    if (ty_json_type(k->d, arr) != TY_JSON_ARRAY)
        return TY_JSON_NONE;
    for (uint32_t e = ty_json_first(k->d, arr); e != TY_JSON_NONE; e = ty_json_next(k->d, e))
        if (ty_str_eq(s_get(k, e, "name"), name))
            return e;
    return TY_JSON_NONE;
}

/* "containerd://abc" -> "abc" */
static struct ty_str strip_scheme(struct ty_str id)
{
    for (size_t i = 0; i + 2 < id.len; i++)
        if (id.p[i] == ':' && id.p[i + 1] == '/' && id.p[i + 2] == '/')
            return ty_str_make(id.p + i + 3, id.len - i - 3);
    return id;
}

static struct ty_str owner_text(struct kin *k, uint32_t meta)
{
    uint32_t own = ty_json_get(k->d, meta, "ownerReferences");
    uint32_t o = ty_json_type(k->d, own) == TY_JSON_ARRAY ? ty_json_first(k->d, own)
                                                         : TY_JSON_NONE;
    struct ty_str ok = s_get(k, o, "kind"), on = s_get(k, o, "name");
    if (!on.len)
        return TY_STR_NULL;
    struct ty_str s = ty_arena_printf(k->ctx->arena, "%.*s/%.*s", (int)ok.len,
                                      ok.p ? ok.p : "", (int)on.len, on.p);
    if (!s.p)
        k->rc = TY_ENOMEM;
    return s;
}

static const char *const clists[] = {"containers", "initContainers", "ephemeralContainers"};

static int emit_pod(struct kin *k, uint32_t root, struct ty_str kind, struct ty_err *err)
{
    const struct ty_json_doc *d = k->d;
    uint32_t meta = ty_json_get(d, root, "metadata");
    uint32_t spec = ty_json_get(d, root, "spec");
    uint32_t status = ty_json_get(d, root, "status");
    struct ty_str ns = s_get(k, meta, "namespace"), name = s_get(k, meta, "name");
    struct ty_str node = s_get(k, spec, "nodeName");
    struct ty_str sa = s_get(k, spec, "serviceAccountName");
    if (!sa.len)
        sa = s_get(k, spec, "serviceAccount");
    struct ty_str actor = sa_principal(k, ns, sa);
    struct ty_str pod_ip = s_get(k, status, "podIP"), host_ip = s_get(k, status, "hostIP");
    struct ty_str phase = s_get(k, status, "phase"), owner = owner_text(k, meta);
    unsigned emitted = 0;
    int rc = 0;

    for (size_t l = 0; l < 3 && rc >= 0; l++) {
        uint32_t arr = ty_json_get(d, spec, clists[l]);
        if (ty_json_type(d, arr) != TY_JSON_ARRAY)
            continue;
        for (uint32_t c = ty_json_first(d, arr); c != TY_JSON_NONE; c = ty_json_next(d, c)) {
            struct ty_event ev;
            struct finds f;
            struct msg m = {.n = 0};
            struct ty_str role = TY_STR_NULL;
            memset(&ev, 0, sizeof(ev));
            finds_init(&f);
            bool have = common(k, &ev, root, kind);
            struct ty_str cname = s_get(k, c, "name");
            uint32_t cs = status_of(k, status, clists[l], cname);
            struct ty_str image = s_get(k, c, "image");
            struct ty_str cid = strip_scheme(s_get(k, cs, "containerID"));
            scan_pod(k, spec, &f);
            scan_container(k, spec, c, &f, &role);
            ty_event_set_str(&ev, TY_F_K8S_POD, name);
            ty_event_set_str(&ev, TY_F_K8S_NODE, node);
            ty_event_set_addr(&ev, TY_F_SRC_IP, TY_F_SRC_ADDR, pod_ip);
            ty_event_set_str(&ev, TY_F_ACTOR, actor);
            ty_event_set_str(&ev, TY_F_ACTOR_TYPE, actor.len ? TY_STR_LIT("serviceaccount")
                                                             : TY_STR_NULL);
            ty_event_set_str(&ev, TY_F_CONTAINER_NAME, cname);
            ty_event_set_str(&ev, TY_F_CONTAINER_IMAGE, image.len ? image
                                                                  : s_get(k, cs, "image"));
            ty_event_set_str(&ev, TY_F_CONTAINER_ID, cid);
            ty_event_set_str(&ev, TY_F_TARGET_USER, role);
            m_add(&m, "pod %.*s/%.*s %s %.*s", (int)ns.len, ns.p ? ns.p : "", (int)name.len,
                  name.p ? name.p : "", l == 0 ? "container" : l == 1 ? "init container"
                                                                   : "ephemeral container",
                  (int)cname.len, cname.p ? cname.p : "?");
            if (node.len)
                m_add(&m, " on node %.*s", (int)node.len, node.p);
            if (pod_ip.len)
                m_add(&m, ", pod IP %.*s", (int)pod_ip.len, pod_ip.p);
            if (host_ip.len)
                m_add(&m, ", host IP %.*s", (int)host_ip.len, host_ip.p);
            if (phase.len)
                m_add(&m, ", phase %.*s", (int)phase.len, phase.p);
            if (owner.len)
                m_add(&m, ", owner %.*s", (int)owner.len, owner.p);
            if (sa.len)
                m_add(&m, ", service account %.*s", (int)sa.len, sa.p);
            if (role.len)
                m_add(&m, ", AWS_ROLE_ARN %.*s", (int)role.len, role.p);
            add_finds_msg(&m, &f);
            set_msg(k, &ev, &m, have);
            if (f.hi.count)
                ty_event_set_str(&ev, TY_F_SEVERITY, TY_STR_LIT("high"));
            if (k->rc)
                return ty_err_set(err, k->rc, "out of memory");
            rc = ty_parse_emit(k->ctx, &ev);
            emitted++;
            if (rc < 0)
                break;
        }
    }
    if (rc < 0)
        return rc;
    if (!emitted) {
        /* a pod without containers (cut short by the collector): the pod itself */
        struct ty_event ev;
        struct finds f;
        struct msg m = {.n = 0};
        memset(&ev, 0, sizeof(ev));
        finds_init(&f);
        bool have = common(k, &ev, root, kind);
        scan_pod(k, spec, &f);
        ty_event_set_str(&ev, TY_F_K8S_POD, name);
        ty_event_set_str(&ev, TY_F_K8S_NODE, node);
        ty_event_set_addr(&ev, TY_F_SRC_IP, TY_F_SRC_ADDR, pod_ip);
        ty_event_set_str(&ev, TY_F_ACTOR, actor);
        m_add(&m, "pod %.*s/%.*s without containers", (int)ns.len, ns.p ? ns.p : "",
              (int)name.len, name.p ? name.p : "");
        if (node.len)
            m_add(&m, " on node %.*s", (int)node.len, node.p);
        add_finds_msg(&m, &f);
        set_msg(k, &ev, &m, have);
        if (f.hi.count)
            ty_event_set_str(&ev, TY_F_SEVERITY, TY_STR_LIT("high"));
        if (k->rc)
            return ty_err_set(err, k->rc, "out of memory");
        rc = ty_parse_emit(k->ctx, &ev);
    }
    return rc < 0 ? rc : TY_OK;
}

/* Deployments, ReplicaSets, DaemonSets, StatefulSets, Jobs, CronJobs: the pod
 * template, one event for the workload. */
static int emit_workload(struct kin *k, uint32_t root, struct ty_str kind, uint32_t tmpl,
                         struct ty_err *err)
{
    const struct ty_json_doc *d = k->d;
    uint32_t meta = ty_json_get(d, root, "metadata");
    uint32_t pspec = ty_json_get(d, tmpl, "spec");
    struct ty_event ev;
    struct finds f;
    struct msg m = {.n = 0};
    struct ty_str role = TY_STR_NULL, first_image = TY_STR_NULL;
    memset(&ev, 0, sizeof(ev));
    finds_init(&f);
    bool have = common(k, &ev, root, kind);
    struct ty_str ns = s_get(k, meta, "namespace"), name = s_get(k, meta, "name");
    struct ty_str sa = s_get(k, pspec, "serviceAccountName");
    if (!sa.len)
        sa = s_get(k, pspec, "serviceAccount");
    struct ty_str actor = sa_principal(k, ns, sa);
    m_add(&m, "%.*s %.*s/%.*s", (int)kind.len, kind.p, (int)ns.len, ns.p ? ns.p : "",
          (int)name.len, name.p ? name.p : "");
    int64_t replicas = 0;
    if (ty_json_i64(d, ty_json_path(d, root, "spec.replicas"), &replicas) == 0)
        m_add(&m, ", replicas %lld", (long long)replicas);
    struct ty_str owner = owner_text(k, meta);
    if (owner.len)
        m_add(&m, ", owner %.*s", (int)owner.len, owner.p);
    if (sa.len)
        m_add(&m, ", service account %.*s", (int)sa.len, sa.p);
    scan_pod(k, pspec, &f);
    unsigned nimg = 0;
    for (size_t l = 0; l < 3; l++) {
        uint32_t arr = ty_json_get(d, pspec, clists[l]);
        if (ty_json_type(d, arr) != TY_JSON_ARRAY)
            continue;
        for (uint32_t c = ty_json_first(d, arr); c != TY_JSON_NONE; c = ty_json_next(d, c)) {
            struct ty_str img = s_get(k, c, "image");
            if (!first_image.len)
                first_image = img;
            m_add(&m, "%s%.*s", nimg++ ? ", " : ", images: ", (int)img.len,
                  img.p ? img.p : "?");
            scan_container(k, pspec, c, &f, &role);
        }
    }
    ty_event_set_str(&ev, TY_F_ACTOR, actor);
    ty_event_set_str(&ev, TY_F_ACTOR_TYPE, actor.len ? TY_STR_LIT("serviceaccount")
                                                     : TY_STR_NULL);
    ty_event_set_str(&ev, TY_F_CONTAINER_IMAGE, first_image);
    ty_event_set_str(&ev, TY_F_TARGET_USER, role);
    ty_event_set_str(&ev, TY_F_K8S_NODE, s_get(k, pspec, "nodeName"));
    add_finds_msg(&m, &f);
    set_msg(k, &ev, &m, have);
    if (f.hi.count)
        ty_event_set_str(&ev, TY_F_SEVERITY, TY_STR_LIT("high"));
    if (k->rc)
        return ty_err_set(err, k->rc, "out of memory");
    int rc = ty_parse_emit(k->ctx, &ev);
    return rc < 0 ? rc : TY_OK;
}

/* ---- nodes ------------------------------------------------------------- */

/* spec.providerID -> instance id (host_id), provider and account. */
static void provider_id(struct ty_event *ev, struct ty_str pid)
{
    ptrdiff_t c = ty_str_chr(pid, ':');
    if (c <= 0 || (size_t)c + 3 > pid.len || pid.p[c + 1] != '/' || pid.p[c + 2] != '/')
        return;
    struct ty_str scheme = ty_str_make(pid.p, (size_t)c);
    struct ty_str rest = ty_str_make(pid.p + c + 3, pid.len - (size_t)c - 3);
    while (rest.len && rest.p[0] == '/') {
        rest.p++;
        rest.len--;
    }
    if (ty_str_eq_cstr(scheme, "azure")) {
        /* the VM's resource id: /subscriptions/<sub>/resourceGroups/... */
        ty_event_set_str(ev, TY_F_HOST_ID, ty_str_make(rest.p - 1, rest.len + 1));
        ty_event_set_str(ev, TY_F_CLOUD_PROVIDER, TY_STR_LIT("azure"));
        if (ty_str_starts(rest, "subscriptions/")) {
            struct ty_str sub = ty_str_make(rest.p + 14, rest.len - 14);
            ptrdiff_t e = ty_str_chr(sub, '/');
            if (e > 0)
                sub.len = (size_t)e;
            ty_event_set_str(ev, TY_F_CLOUD_ACCOUNT, sub);
        }
        return;
    }
    struct ty_str last = rest;
    for (size_t i = rest.len; i > 0; i--)
        if (rest.p[i - 1] == '/') {
            last = ty_str_make(rest.p + i, rest.len - i);
            break;
        }
    ty_event_set_str(ev, TY_F_HOST_ID, last);
    if (ty_str_eq_cstr(scheme, "aws")) {
        ty_event_set_str(ev, TY_F_CLOUD_PROVIDER, TY_STR_LIT("aws"));
    } else if (ty_str_eq_cstr(scheme, "gce")) {
        ty_event_set_str(ev, TY_F_CLOUD_PROVIDER, TY_STR_LIT("gcp"));
        ptrdiff_t e = ty_str_chr(rest, '/');
        if (e > 0)
            ty_event_set_str(ev, TY_F_CLOUD_ACCOUNT, ty_str_make(rest.p, (size_t)e));
    } else {
        ty_event_set_str(ev, TY_F_CLOUD_PROVIDER, scheme);
    }
}

static int emit_node(struct kin *k, uint32_t root, struct ty_str kind, struct ty_err *err)
{
    const struct ty_json_doc *d = k->d;
    uint32_t meta = ty_json_get(d, root, "metadata");
    uint32_t labels = ty_json_get(d, meta, "labels");
    uint32_t addrs = ty_json_path(d, root, "status.addresses");
    struct ty_event ev;
    struct msg m = {.n = 0};
    memset(&ev, 0, sizeof(ev));
    bool have = common(k, &ev, root, kind);
    struct ty_str name = s_get(k, meta, "name");
    struct ty_str pid = s_get(k, ty_json_get(d, root, "spec"), "providerID");
    ty_event_set_str(&ev, TY_F_K8S_NODE, name);
    ty_event_set_str(&ev, TY_F_HOST, name);
    provider_id(&ev, pid);
    struct ty_str region = s_get(k, labels, "topology.kubernetes.io/region");
    if (!region.len)
        region = s_get(k, labels, "failure-domain.beta.kubernetes.io/region");
    ty_event_set_str(&ev, TY_F_CLOUD_REGION, region);
    m_add(&m, "node %.*s", (int)name.len, name.p ? name.p : "");
    if (ty_json_type(d, addrs) == TY_JSON_ARRAY)
        for (uint32_t e = ty_json_first(d, addrs); e != TY_JSON_NONE; e = ty_json_next(d, e)) {
            struct ty_str t = s_get(k, e, "type"), a = s_get(k, e, "address");
            struct ty_ip ip;
            if (!a.len)
                continue;
            m_add(&m, ", %.*s %.*s", (int)t.len, t.p ? t.p : "?", (int)a.len, a.p);
            if (ty_ip_parse(a, &ip) != 0)
                continue;
            if (ty_str_eq_cstr(t, "InternalIP") && !ty_event_has(&ev, TY_F_SRC_IP))
                ty_event_set_ip(&ev, TY_F_SRC_IP, &ip);
            else if (ty_str_eq_cstr(t, "ExternalIP") && !ty_event_has(&ev, TY_F_SRC_NAT_IP))
                ty_event_set_ip(&ev, TY_F_SRC_NAT_IP, &ip);
        }
    if (pid.len)
        m_add(&m, ", providerID %.*s", (int)pid.len, pid.p);
    struct ty_str it = s_get(k, labels, "node.kubernetes.io/instance-type");
    if (it.len)
        m_add(&m, ", instance type %.*s", (int)it.len, it.p);
    uint32_t info = ty_json_path(d, root, "status.nodeInfo");
    struct ty_str kv = s_get(k, info, "kubeletVersion"), os = s_get(k, info, "osImage");
    struct ty_str cr = s_get(k, info, "containerRuntimeVersion");
    if (kv.len)
        m_add(&m, ", kubelet %.*s", (int)kv.len, kv.p);
    if (cr.len)
        m_add(&m, ", runtime %.*s", (int)cr.len, cr.p);
    if (os.len)
        m_add(&m, ", %.*s", (int)os.len, os.p);
    if (b_get(k, ty_json_get(d, root, "spec"), "unschedulable"))
        m_add(&m, "; cordoned (unschedulable)");
    return finish(k, &ev, &m, have, err);
}

/* ---- identities and RBAC ------------------------------------------------ */

static int emit_sa(struct kin *k, uint32_t root, struct ty_str kind, struct ty_err *err)
{
    const struct ty_json_doc *d = k->d;
    uint32_t meta = ty_json_get(d, root, "metadata");
    uint32_t ann = ty_json_get(d, meta, "annotations");
    struct ty_event ev;
    struct msg m = {.n = 0};
    memset(&ev, 0, sizeof(ev));
    bool have = common(k, &ev, root, kind);
    struct ty_str ns = s_get(k, meta, "namespace"), name = s_get(k, meta, "name");
    ty_event_set_str(&ev, TY_F_ACTOR, sa_principal(k, ns, name));
    ty_event_set_str(&ev, TY_F_ACTOR_TYPE, TY_STR_LIT("serviceaccount"));
    m_add(&m, "service account %.*s/%.*s", (int)ns.len, ns.p ? ns.p : "", (int)name.len,
          name.p ? name.p : "");
    static const struct {
        const char *key, *provider, *what;
    } ids[] = {{"eks.amazonaws.com/role-arn", "aws", "IAM role"},
               {"iam.gke.io/gcp-service-account", "gcp", "Google service account"},
               {"azure.workload.identity/client-id", "azure", "Entra client id"}};
    for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
        struct ty_str v = s_get(k, ann, ids[i].key);
        if (!v.len)
            continue;
        if (!ty_event_has(&ev, TY_F_TARGET_USER)) {
            ty_event_set_str(&ev, TY_F_TARGET_USER, v);
            ty_event_set_str(&ev, TY_F_CLOUD_PROVIDER, ty_str_cstr(ids[i].provider));
        }
        m_add(&m, ", %s %.*s (%s)", ids[i].what, (int)v.len, v.p, ids[i].key);
    }
    uint32_t am = ty_json_get(d, root, "automountServiceAccountToken");
    if (ty_json_type(d, am) == TY_JSON_FALSE)
        m_add(&m, ", token not automounted");
    return finish(k, &ev, &m, have, err);
}

/* A JSON array of strings as "a,b,c" into the message. */
static void m_list(struct kin *k, struct msg *m, uint32_t arr, bool *star)
{
    unsigned n = 0;
    if (ty_json_type(k->d, arr) != TY_JSON_ARRAY) {
        m_add(m, "-");
        return;
    }
    for (uint32_t e = ty_json_first(k->d, arr); e != TY_JSON_NONE; e = ty_json_next(k->d, e)) {
        struct ty_str s = s_of(k, e);
        if (ty_str_eq_cstr(s, "*") && star)
            *star = true;
        m_add(m, "%s%.*s", n++ ? "," : "", (int)s.len, s.p ? s.p : "?");
    }
}

static int emit_role(struct kin *k, uint32_t root, struct ty_str kind, struct ty_err *err)
{
    const struct ty_json_doc *d = k->d;
    uint32_t meta = ty_json_get(d, root, "metadata");
    uint32_t rules = ty_json_get(d, root, "rules");
    struct ty_event ev;
    struct msg m = {.n = 0};
    bool wild = false;
    memset(&ev, 0, sizeof(ev));
    bool have = common(k, &ev, root, kind);
    struct ty_str ns = s_get(k, meta, "namespace"), name = s_get(k, meta, "name");
    m_add(&m, "%.*s %.*s%s%.*s grants", (int)kind.len, kind.p, (int)ns.len, ns.p ? ns.p : "",
          ns.len ? "/" : "", (int)name.len, name.p ? name.p : "");
    unsigned n = 0;
    if (ty_json_type(d, rules) == TY_JSON_ARRAY)
        for (uint32_t r = ty_json_first(d, rules); r != TY_JSON_NONE; r = ty_json_next(d, r)) {
            bool vw = false, rw = false;
            m_add(&m, "%s", n++ ? "; " : " ");
            m_list(k, &m, ty_json_get(d, r, "verbs"), &vw);
            m_add(&m, " on ");
            uint32_t res = ty_json_get(d, r, "resources");
            if (res == TY_JSON_NONE)
                res = ty_json_get(d, r, "nonResourceURLs");
            m_list(k, &m, res, &rw);
            if (vw && rw)
                wild = true;
        }
    if (!n)
        m_add(&m, " nothing (no rules)");
    if (wild) {
        m_add(&m, "; dangerous: every verb on every resource");
        ty_event_set_str(&ev, TY_F_SEVERITY, TY_STR_LIT("high"));
    }
    return finish(k, &ev, &m, have, err);
}

static int emit_binding(struct kin *k, uint32_t root, struct ty_str kind, struct ty_err *err)
{
    const struct ty_json_doc *d = k->d;
    uint32_t meta = ty_json_get(d, root, "metadata");
    uint32_t subj = ty_json_get(d, root, "subjects");
    uint32_t ref = ty_json_get(d, root, "roleRef");
    struct ty_event ev;
    struct msg m = {.n = 0};
    memset(&ev, 0, sizeof(ev));
    bool have = common(k, &ev, root, kind);
    struct ty_str ns = s_get(k, meta, "namespace"), name = s_get(k, meta, "name");
    struct ty_str rk = s_get(k, ref, "kind"), rn = s_get(k, ref, "name");
    m_add(&m, "%.*s %.*s%s%.*s grants %.*s/%.*s to", (int)kind.len, kind.p, (int)ns.len,
          ns.p ? ns.p : "", ns.len ? "/" : "", (int)name.len, name.p ? name.p : "",
          (int)rk.len, rk.p ? rk.p : "?", (int)rn.len, rn.p ? rn.p : "?");
    bool powerful = ty_str_eq_cstr(rn, "cluster-admin") || ty_str_eq_cstr(rn, "admin") ||
                    ty_str_eq_cstr(rn, "edit");
    bool risky = false;
    unsigned n = 0;
    if (ty_json_type(d, subj) == TY_JSON_ARRAY)
        for (uint32_t s = ty_json_first(d, subj); s != TY_JSON_NONE; s = ty_json_next(d, s)) {
            struct ty_str sk = s_get(k, s, "kind"), sn = s_get(k, s, "name");
            struct ty_str sns = s_get(k, s, "namespace"), p = sn;
            if (ty_str_eq_cstr(sk, "ServiceAccount")) {
                p = sa_principal(k, sns.len ? sns : ns, sn);
                risky = true;
            }
            if (ty_str_eq_cstr(sn, "system:anonymous") ||
                ty_str_eq_cstr(sn, "system:unauthenticated") ||
                ty_str_eq_cstr(sn, "system:authenticated"))
                risky = true;
            if (!n) {
                ty_event_set_str(&ev, TY_F_ACTOR, p);
                ty_event_set_str(&ev, TY_F_ACTOR_TYPE,
                                 ty_str_eq_cstr(sk, "ServiceAccount") ? TY_STR_LIT("serviceaccount")
                                 : ty_str_eq_cstr(sk, "Group")        ? TY_STR_LIT("group")
                                                                      : TY_STR_LIT("user"));
            }
            m_add(&m, "%s %.*s %.*s", n++ ? "," : "", (int)sk.len, sk.p ? sk.p : "?",
                  (int)p.len, p.p ? p.p : "?");
        }
    if (!n)
        m_add(&m, " nobody (no subjects)");
    ty_event_set_str(&ev, TY_F_TARGET_USER, rn);
    if (powerful && risky) {
        m_add(&m, "; dangerous: %.*s bound to a service account or to everyone", (int)rn.len,
              rn.p);
        ty_event_set_str(&ev, TY_F_SEVERITY, TY_STR_LIT("high"));
    }
    return finish(k, &ev, &m, have, err);
}

/* ---- services, namespaces, config and secrets ------------------------- */

static int emit_service(struct kin *k, uint32_t root, struct ty_str kind, struct ty_err *err)
{
    const struct ty_json_doc *d = k->d;
    uint32_t meta = ty_json_get(d, root, "metadata");
    uint32_t spec = ty_json_get(d, root, "spec");
    struct ty_event ev;
    struct msg m = {.n = 0};
    memset(&ev, 0, sizeof(ev));
    bool have = common(k, &ev, root, kind);
    struct ty_str ns = s_get(k, meta, "namespace"), name = s_get(k, meta, "name");
    struct ty_str type = s_get(k, spec, "type"), cip = s_get(k, spec, "clusterIP");
    struct ty_ip ip;
    if (cip.len && ty_ip_parse(cip, &ip) == 0)
        ty_event_set_ip(&ev, TY_F_DST_IP, &ip);
    m_add(&m, "service %.*s/%.*s type %.*s", (int)ns.len, ns.p ? ns.p : "", (int)name.len,
          name.p ? name.p : "", (int)type.len, type.p ? type.p : "ClusterIP");
    if (cip.len)
        m_add(&m, ", cluster IP %.*s", (int)cip.len, cip.p);
    uint32_t ports = ty_json_get(d, spec, "ports");
    unsigned n = 0;
    if (ty_json_type(d, ports) == TY_JSON_ARRAY)
        for (uint32_t p = ty_json_first(d, ports); p != TY_JSON_NONE; p = ty_json_next(d, p)) {
            int64_t port = 0, np = 0;
            struct ty_str proto = s_get(k, p, "protocol");
            (void)ty_json_i64(d, ty_json_get(d, p, "port"), &port);
            m_add(&m, "%s%lld/%.*s", n++ ? "," : ", ports ", (long long)port, (int)proto.len,
                  proto.p ? proto.p : "TCP");
            if (ty_json_i64(d, ty_json_get(d, p, "nodePort"), &np) == 0)
                m_add(&m, " (node port %lld)", (long long)np);
            if (n == 1 && port > 0)
                ty_event_set_int(&ev, TY_F_DST_PORT, port);
        }
    uint32_t ing = ty_json_path(d, root, "status.loadBalancer.ingress");
    if (ty_json_type(d, ing) == TY_JSON_ARRAY)
        for (uint32_t e = ty_json_first(d, ing); e != TY_JSON_NONE; e = ty_json_next(d, e)) {
            struct ty_str a = s_get(k, e, "ip");
            if (!a.len)
                a = s_get(k, e, "hostname");
            if (a.len)
                m_add(&m, ", exposed at %.*s", (int)a.len, a.p);
        }
    uint32_t ext = ty_json_get(d, spec, "externalIPs");
    if (ty_json_type(d, ext) == TY_JSON_ARRAY && ty_json_tok(d, ext)->count) {
        m_add(&m, ", external IPs ");
        m_list(k, &m, ext, NULL);
    }
    return finish(k, &ev, &m, have, err);
}

/* ConfigMaps and Secrets: key names only. The raw record becomes a summary
 * {"apiVersion","kind","metadata":{"name","namespace","uid",
 * "creationTimestamp"},"type","keys":[...]} so that no value is stored. */
static int emit_keys_only(struct kin *k, uint32_t root, struct ty_str kind, struct ty_err *err)
{
    const struct ty_json_doc *d = k->d;
    uint32_t meta = ty_json_get(d, root, "metadata");
    struct ty_event ev;
    struct msg m = {.n = 0};
    struct ty_buf raw;
    memset(&ev, 0, sizeof(ev));
    ty_buf_init(&raw, 1 << 20);
    bool have = common(k, &ev, root, kind);
    struct ty_str ns = s_get(k, meta, "namespace"), name = s_get(k, meta, "name");
    struct ty_str type = s_get(k, root, "type");
    m_add(&m, "%.*s %.*s/%.*s", (int)kind.len, kind.p, (int)ns.len, ns.p ? ns.p : "",
          (int)name.len, name.p ? name.p : "");
    if (type.len)
        m_add(&m, " type %.*s", (int)type.len, type.p);
    int rc = 0;
    /* the summary's strings are copied raw (still JSON-escaped) from the record */
    static const char *const mk[] = {"name", "namespace", "uid", "creationTimestamp"};
    uint32_t av = ty_json_get(d, root, "apiVersion"), kt = ty_json_get(d, root, "kind");
    struct ty_str avr = ty_json_type(d, av) == TY_JSON_STRING ? ty_json_raw(d, av) : TY_STR_NULL;
    struct ty_str ktr = ty_json_type(d, kt) == TY_JSON_STRING ? ty_json_raw(d, kt) : TY_STR_NULL;
    rc |= ty_buf_addf(&raw, "{\"apiVersion\":\"%.*s\",\"kind\":\"%.*s\",\"metadata\":{",
                      (int)avr.len, avr.p ? avr.p : "", (int)ktr.len, ktr.p ? ktr.p : "");
    bool first = true;
    for (size_t i = 0; i < sizeof(mk) / sizeof(mk[0]); i++) {
        uint32_t v = ty_json_get(d, meta, mk[i]);
        if (ty_json_type(d, v) != TY_JSON_STRING)
            continue;
        rc |= ty_buf_addf(&raw, "%s\"%s\":\"%.*s\"", first ? "" : ",", mk[i],
                            (int)ty_json_raw(d, v).len, ty_json_raw(d, v).p);
        first = false;
    }
    rc |= ty_buf_addf(&raw, "}");
    uint32_t tv = ty_json_get(d, root, "type");
    if (ty_json_type(d, tv) == TY_JSON_STRING)
        rc |= ty_buf_addf(&raw, ",\"type\":\"%.*s\"", (int)ty_json_raw(d, tv).len,
                            ty_json_raw(d, tv).p);
    rc |= ty_buf_addf(&raw, ",\"keys\":[");
    unsigned n = 0;
    static const char *const dk[] = {"data", "binaryData", "stringData"};
    for (size_t i = 0; i < sizeof(dk) / sizeof(dk[0]); i++) {
        uint32_t o = ty_json_get(d, root, dk[i]);
        if (ty_json_type(d, o) != TY_JSON_OBJECT)
            continue;
        for (uint32_t kk = ty_json_first(d, o); kk != TY_JSON_NONE;
             kk = ty_json_next_member(d, kk)) {
            struct ty_str key = ty_json_raw(d, kk);
            rc |= ty_buf_addf(&raw, "%s\"%.*s\"", n ? "," : "", (int)key.len, key.p);
            m_add(&m, "%s%.*s", n ? ", " : ", keys: ", (int)key.len, key.p);
            n++;
        }
    }
    rc |= ty_buf_addf(&raw, "]}");
    if (!n)
        m_add(&m, ", no keys");
    set_msg(k, &ev, &m, have);
    struct ty_str rs = rc ? TY_STR_NULL : ty_arena_str(k->ctx->arena,
                                                      ty_buf_str(&raw));
    ty_buf_release(&raw);
    if (k->rc || !rs.p)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    ev.raw = rs;
    rc = ty_parse_emit(k->ctx, &ev);
    return rc < 0 ? rc : TY_OK;
}

static int emit_generic(struct kin *k, uint32_t root, struct ty_str kind, struct ty_err *err)
{
    uint32_t meta = ty_json_get(k->d, root, "metadata");
    struct ty_event ev;
    struct msg m = {.n = 0};
    memset(&ev, 0, sizeof(ev));
    bool have = common(k, &ev, root, kind);
    struct ty_str ns = s_get(k, meta, "namespace"), name = s_get(k, meta, "name");
    if (ty_str_eq_cstr(kind, "Namespace"))
        ty_event_set_str(&ev, TY_F_K8S_NAMESPACE, name);
    m_add(&m, "%.*s %.*s%s%.*s", (int)kind.len, kind.p, (int)ns.len, ns.p ? ns.p : "",
          ns.len ? "/" : "", (int)name.len, name.p ? name.p : "");
    struct ty_str phase = s_of(k, ty_json_path(k->d, root, "status.phase"));
    if (phase.len)
        m_add(&m, ", phase %.*s", (int)phase.len, phase.p);
    return finish(k, &ev, &m, have, err);
}

static int inv_record(struct ty_parse_ctx *ctx, const struct ty_record *rec, struct ty_err *err)
{
    unsigned long long off = (unsigned long long)rec->offset;
    int rc = ty_parse_json_record(ctx, rec, err);
    if (rc)
        return rc;
    struct kin k = {ctx, ctx->json, 0};
    const struct ty_json_doc *d = ctx->json;
    if (ty_json_type(d, 0) != TY_JSON_OBJECT)
        return ty_err_set(err, TY_ECORRUPT, "k8s object at byte %llu: not a JSON object", off);
    uint32_t kt = ty_json_get(d, 0, "kind");
    struct ty_str kind = s_of(&k, kt);
    if (!kind.len || ty_json_type(d, ty_json_get(d, 0, "metadata")) != TY_JSON_OBJECT)
        return ty_err_set(err, TY_ECORRUPT,
                          "k8s object at byte %llu: no kind or no metadata object", off);
    if (ty_str_ends(kind, "List"))
        return ty_err_set(err, TY_ECORRUPT,
                          "k8s object at byte %llu: a %.*s without an items array", off,
                          (int)(kind.len > 40 ? 40 : kind.len), kind.p);
    if (ty_str_eq_cstr(kind, "Pod"))
        return emit_pod(&k, 0, kind, err);
    if (ty_str_eq_cstr(kind, "Node"))
        return emit_node(&k, 0, kind, err);
    if (ty_str_eq_cstr(kind, "ServiceAccount"))
        return emit_sa(&k, 0, kind, err);
    if (ty_str_eq_cstr(kind, "Role") || ty_str_eq_cstr(kind, "ClusterRole"))
        return emit_role(&k, 0, kind, err);
    if (ty_str_eq_cstr(kind, "RoleBinding") || ty_str_eq_cstr(kind, "ClusterRoleBinding"))
        return emit_binding(&k, 0, kind, err);
    if (ty_str_eq_cstr(kind, "Service"))
        return emit_service(&k, 0, kind, err);
    if (ty_str_eq_cstr(kind, "Secret") || ty_str_eq_cstr(kind, "ConfigMap"))
        return emit_keys_only(&k, 0, kind, err);
    uint32_t tmpl = ty_json_path(d, 0, "spec.template");
    if (ty_str_eq_cstr(kind, "CronJob"))
        tmpl = ty_json_path(d, 0, "spec.jobTemplate.spec.template");
    if (ty_json_type(d, tmpl) == TY_JSON_OBJECT)
        return emit_workload(&k, 0, kind, tmpl, err);
    return emit_generic(&k, 0, kind, err);
}

const struct ty_parser ty_parser_k8s_inventory = {
    .abi = TY_PARSER_ABI,
    .name = "k8s-inventory",
    .desc = "Kubernetes objects from kubectl get -o json (Lists or single objects): one event "
            "per object, per container for pods, with dangerous settings and cloud identities",
    .sniffs = "a JSON object with apiVersion, kind (a known kind or a *List with items) and "
              "metadata, not audit.k8s.io (85; another kind 50)",
    .flags = TY_PARSER_F_JSON | TY_PARSER_F_EXACT_KEYS,
    .sniff = inv_sniff,
    .open = inv_open,
    .record = inv_record,
    .close = ty_parse_free_priv,
    .logsource = {"kubernetes", "inventory", NULL},
};

struct ty_str ty__json_head_str(struct ty_str s, const char *key)
{
    size_t kl = strlen(key);
    const char *end = s.p + s.len;
    for (const char *q = s.p; q && q + kl + 2 < end; q++) {
        q = memchr(q, '"', (size_t)(end - q));
        if (!q || q + kl + 2 >= end)
            break;
        if (memcmp(q + 1, key, kl) != 0 || q[kl + 1] != '"')
            continue;
        const char *v = q + kl + 2;
        while (v < end && (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n'))
            v++;
        if (v >= end || *v != ':')
            continue;
        v++;
        while (v < end && (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n'))
            v++;
        if (v < end && *v == '"') {
            const char *e = memchr(v + 1, '"', (size_t)(end - v - 1));
            if (e)
                return ty_str_make(v + 1, (size_t)(e - v - 1));
        }
        return ty_str_make(v, 0); /* a non-string value: present, empty */
    }
    return TY_STR_NULL;
}
