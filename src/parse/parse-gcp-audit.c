/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse-gcp-audit.c - Google Cloud Audit Logs (Cloud Logging LogEntry with an
 * AuditLog protoPayload: activity, data_access, system_event, policy) and the
 * other LogEntries found beside them (textPayload/jsonPayload), one event per
 * entry. GKE Kubernetes audit entries (serviceName k8s.io) are emitted with
 * format "gke-audit" so Kubernetes rules see them (parse-gcp-audit-view.c).
 *
 * Record format (formats.md §2): LogEntry{logName, resource{type, labels},
 * timestamp, receiveTimestamp, severity, insertId, labels, operation{id,
 * first, last}, protoPayload{serviceName, methodName, resourceName, status
 * {code, message}, authenticationInfo{principalEmail, principalSubject,
 * serviceAccountKeyName, serviceAccountDelegationInfo[]}, authorizationInfo[]
 * {permission, granted, resource}, requestMetadata{callerIp,
 * callerSuppliedUserAgent}, request, response}}.
 * Delivery shapes: GCS sink files (JSON lines), `gcloud logging read
 * --format=json` (one array), pretty-printed documents, Pub/Sub messages
 * ({"message":{"data":<base64 LogEntry>, "attributes"}}, pull output with
 * ackId, or the bare message): the decoded entry becomes the raw record;
 * BigQuery exports (protopayload_auditlog, times as "YYYY-MM-DD hh:mm:ss[.f]
 * [UTC]"). Quirks handled: empty or absent status is success (proto3 omits
 * code 0); callerIp "private"/"gce-internal-ip" is kept as src_addr with no
 * src_ip; the first entry of a long-running operation (operation.first
 * without last) has outcome unknown; the impersonation chain names the
 * original principal (actor_issuer); envelope and requestMetadata keys are
 * looked up case-insensitively (exports re-case them). An entry with no
 * time, or not a LogEntry: TY_ECORRUPT naming the byte offset.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/parser.h>
#include <tyto/time.h>

#include "parse-gcp-audit-int.h"

struct gcp {
    struct ty_json_doc doc2; /* a LogEntry decoded from Pub/Sub data */
    struct ty_event ev;
};

struct ent {
    struct ty_parse_ctx *ctx;
    const struct ty_json_doc *d;
    struct ty_err *err;
    uint64_t base;      /* byte offset of d's text in the stream */
    struct ty_str raw;  /* the record for the event, when not the framed one */
    bool emit;
    int rc;             /* sticky TY_ENOMEM */
};

#define NONE TY_JSON_NONE

static uint64_t off_of(struct ent *e, uint32_t i)
{
    return e->base + (i == NONE ? 0 : e->d->toks[i].off);
}

static struct ty_str sv(struct ent *e, uint32_t i)
{
    struct ty_str s = TY_STR_NULL;
    if (ty_json_type(e->d, i) != TY_JSON_STRING)
        return s;
    if (ty_json_str(e->d, i, e->ctx->arena, &s) == TY_ENOMEM)
        e->rc = TY_ENOMEM;
    return s;
}

/* Keys in any case (exports re-case them): one case-insensitive scan. */
static uint32_t get(struct ent *e, uint32_t obj, const char *key)
{
    return ty_json_get_nocase(e->d, obj, key);
}

static struct ty_str gets(struct ent *e, uint32_t obj, const char *key)
{
    return sv(e, get(e, obj, key));
}

/* One walk over an object's members fills the slots of the keys asked for
 * (case-insensitively, first occurrence wins): the entry and its payload are
 * read through these instead of a scan per key. */
struct key {
    const char *name;
    size_t len;
};

#define KEY(s) {s, sizeof(s) - 1}

enum { R_PP, R_PPBQ, R_TEXT, R_JSON, R_LOGNAME, R_TS, R_RTS, R_INSERT, R_OP, R_SEV, R_RES, R__N };
static const struct key root_keys[R__N] = {
    KEY("protoPayload"), KEY("protopayload_auditlog"), KEY("textPayload"), KEY("jsonPayload"),
    KEY("logName"),      KEY("timestamp"),             KEY("receiveTimestamp"), KEY("insertId"),
    KEY("operation"),    KEY("severity"),              KEY("resource"),
};

enum { P_SVC, P_METHOD, P_RN, P_AUTH, P_RM, P_STATUS, P_AZ, P_REQ, P_RESP, P_META, P__N };
static const struct key pp_keys[P__N] = {
    KEY("serviceName"), KEY("methodName"),        KEY("resourceName"), KEY("authenticationInfo"),
    KEY("requestMetadata"), KEY("status"),        KEY("authorizationInfo"), KEY("request"),
    KEY("response"),    KEY("metadata"),
};

static void index_obj(const struct ty_json_doc *d, uint32_t obj, const struct key *keys, size_t n,
                      uint32_t *slot)
{
    for (size_t i = 0; i < n; i++)
        slot[i] = NONE;
    if (ty_json_type(d, obj) != TY_JSON_OBJECT)
        return;
    for (uint32_t k = ty_json_first(d, obj); k != NONE; k = ty_json_next_member(d, k)) {
        struct ty_str key = ty_json_raw(d, k);
        for (size_t i = 0; i < n; i++)
            if (slot[i] == NONE && key.len == keys[i].len &&
                ty_str_eq_nocase(key, ty_str_make(keys[i].name, keys[i].len))) {
                slot[i] = k + 1;
                break;
            }
    }
}

/* The last '/'-separated segment. */
static struct ty_str last_seg(struct ty_str s)
{
    for (size_t i = s.len; i > 0; i--)
        if (s.p[i - 1] == '/')
            return ty_str_make(s.p + i, s.len - i);
    return s;
}

/* The segment after "/<what>/" in a resource path, or NULL span. */
static struct ty_str seg_after(struct ty_str s, const char *what)
{
    size_t n = strlen(what);
    for (size_t i = 0; i + n + 2 <= s.len; i++) {
        if ((i == 0 || s.p[i - 1] == '/') && memcmp(s.p + i, what, n) == 0 && s.p[i + n] == '/') {
            struct ty_str r = ty_str_make(s.p + i + n + 1, s.len - i - n - 1);
            ptrdiff_t sl = ty_str_chr(r, '/');
            return sl < 0 ? r : ty_str_make(r.p, (size_t)sl);
        }
    }
    return TY_STR_NULL;
}

/* Everything after "/<what>/" (object names keep their slashes). */
static struct ty_str rest_after(struct ty_str s, const char *what)
{
    size_t n = strlen(what);
    for (size_t i = 0; i + n + 2 <= s.len; i++)
        if ((i == 0 || s.p[i - 1] == '/') && memcmp(s.p + i, what, n) == 0 && s.p[i + n] == '/')
            return ty_str_make(s.p + i + n + 1, s.len - i - n - 1);
    return TY_STR_NULL;
}

/* A LogEntry time: RFC 3339, or BigQuery's "YYYY-MM-DD hh:mm:ss[.f] UTC". */
static int parse_time(struct ty_str s, int64_t *ns, int *prec)
{
    if (ty_str_ends(s, " UTC"))
        s.len -= 4;
    return ty_time_parse_iso(s, ns, prec, NULL);
}

static struct ty_str actor_type(struct ty_str who, bool k8s)
{
    if (k8s) {
        if (ty_str_starts(who, "system:serviceaccount:"))
            return TY_STR_LIT("ServiceAccount");
        if (ty_str_starts(who, "system:node:"))
            return TY_STR_LIT("Node");
        if (ty_str_eq_cstr(who, "system:anonymous"))
            return TY_STR_LIT("Anonymous");
        if (ty_str_starts(who, "system:"))
            return TY_STR_LIT("System");
    }
    if (ty_str_ends(who, ".gserviceaccount.com"))
        return TY_STR_LIT("ServiceAccount");
    if (ty_str_starts(who, "principal://") || ty_str_starts(who, "principalSet://"))
        return TY_STR_LIT("WorkloadIdentity");
    if (ty_str_chr(who, '@') >= 0)
        return TY_STR_LIT("User");
    return TY_STR_NULL;
}

static struct ty_str cat3(struct ent *e, struct ty_str a, const char *sep, struct ty_str b)
{
    struct ty_str s = ty_arena_printf(e->ctx->arena, "%.*s%s%.*s", (int)a.len, a.p ? a.p : "",
                                      sep, (int)b.len, b.p ? b.p : "");
    if (!s.p)
        e->rc = TY_ENOMEM;
    return s;
}

/* ---- GKE: the Kubernetes request in resourceName and methodName ---------- */

/* resourceName "core/v1/namespaces/N/pods/P/exec", "apps/v1/namespaces/N/
 * deployments/D", "rbac.authorization.k8s.io/v1/clusterrolebindings/B",
 * "core/v1/namespaces/N" (a namespace itself), or a non-resource path. */
static void map_gke(struct ent *e, struct ty_event *ev, struct ty_str method, struct ty_str rn)
{
    struct ty_str verb = method;
    for (size_t i = method.len; i > 0; i--)
        if (method.p[i - 1] == '.') {
            verb = ty_str_make(method.p + i, method.len - i);
            break;
        }
    struct ty_str parts[8];
    size_t np = 0;
    struct ty_str r = rn;
    while (r.len && np < 8) {
        ptrdiff_t sl = ty_str_chr(r, '/');
        parts[np++] = sl < 0 ? r : ty_str_make(r.p, (size_t)sl);
        if (sl < 0)
            break;
        r = ty_str_make(r.p + sl + 1, r.len - (size_t)sl - 1);
    }
    bool ro = ty_str_eq_cstr(verb, "get") || ty_str_eq_cstr(verb, "list") ||
              ty_str_eq_cstr(verb, "watch");
    /* group/version/... with a version segment like v1, v1beta1, v2alpha1 */
    if (np < 3 || parts[1].len < 2 || parts[1].p[0] != 'v' || parts[1].p[1] < '0' ||
        parts[1].p[1] > '9') {
        ty_event_set_str(ev, TY_F_ACTION, rn.len ? cat3(e, verb, " ", rn) : verb);
        ty_event_set_str(ev, TY_F_TARGET, rn);
        ty_event_set_int(ev, TY_F_READ_ONLY, ro);
        return;
    }
    size_t i = 2;
    struct ty_str ns = TY_STR_NULL, res, name = TY_STR_NULL, sub = TY_STR_NULL;
    if (ty_str_eq_cstr(parts[2], "namespaces") && np >= 5) {
        ns = parts[3];
        i = 4;
    }
    res = parts[i];
    if (i + 1 < np)
        name = parts[i + 1];
    if (i + 2 < np)
        sub = parts[i + 2];
    if (ro && (ty_str_eq_cstr(sub, "exec") || ty_str_eq_cstr(sub, "attach") ||
               ty_str_eq_cstr(sub, "portforward") || ty_str_eq_cstr(sub, "proxy")))
        ro = false;
    ty_event_set_int(ev, TY_F_READ_ONLY, ro);
    struct ty_str kind = sub.len ? cat3(e, res, "/", sub) : res;
    ty_event_set_str(ev, TY_F_ACTION, cat3(e, verb, " ", kind));
    ty_event_set_str(ev, TY_F_TARGET_KIND, kind);
    ty_event_set_str(ev, TY_F_TARGET_NAME, name);
    ty_event_set_str(ev, TY_F_TARGET_NAMESPACE, ns);
    ty_event_set_str(ev, TY_F_K8S_NAMESPACE, ns);
    struct ty_str t = res;
    if (ns.len)
        t = cat3(e, ns, "/", t);
    if (name.len)
        t = cat3(e, t, "/", name);
    ty_event_set_str(ev, TY_F_TARGET, t);
    if (ty_str_eq_cstr(res, "pods"))
        ty_event_set_str(ev, TY_F_K8S_POD, name);
    if (ty_str_eq_cstr(res, "nodes"))
        ty_event_set_str(ev, TY_F_K8S_NODE, name);
    ty_event_set_str(ev, TY_F_HTTP_METHOD, TY_STR_NULL);
}

/* Workload identity: a Kubernetes service account annotated with the Google
 * service account it runs as (iam.gke.io/gcp-service-account). */
static void gke_workload_identity(struct ent *e, struct ty_event *ev, uint32_t req)
{
    uint32_t ann = ty_json_path(e->d, req, "metadata.annotations");
    struct ty_str gsa = sv(e, ty_json_get(e->d, ann, "iam.gke.io/gcp-service-account"));
    ty_event_set_str(ev, TY_F_TARGET_USER, gsa);
}

/* ---- the AuditLog payload ------------------------------------------------ */

/* The original principal of an impersonation chain, and the chain as text. */
static struct ty_str delegation(struct ent *e, uint32_t auth, struct ty_str *chain)
{
    uint32_t del = get(e, auth, "serviceAccountDelegationInfo");
    struct ty_str first = TY_STR_NULL;
    *chain = TY_STR_NULL;
    if (ty_json_type(e->d, del) != TY_JSON_ARRAY)
        return first;
    for (uint32_t x = ty_json_first(e->d, del); x != NONE; x = ty_json_next(e->d, x)) {
        struct ty_str who = gets(e, get(e, x, "firstPartyPrincipal"), "principalEmail");
        if (!who.len)
            who = gets(e, x, "principalSubject");
        if (!who.len) {
            uint32_t tp = ty_json_path(e->d, get(e, x, "thirdPartyPrincipal"), "thirdPartyClaims");
            who = gets(e, tp, "sub");
        }
        if (!who.len)
            continue;
        if (!first.len)
            first = who;
        *chain = chain->len ? cat3(e, *chain, " -> ", who) : who;
    }
    return first;
}

static void map_audit(struct ent *e, struct ty_event *ev, const uint32_t *r, uint32_t pp,
                      const char *log_type, bool *gke, struct ty_str *msg)
{
    const struct ty_json_doc *d = e->d;
    uint32_t p[P__N];
    index_obj(d, pp, pp_keys, P__N, p);
    struct ty_str service = sv(e, p[P_SVC]);
    struct ty_str method = sv(e, p[P_METHOD]);
    struct ty_str rn = sv(e, p[P_RN]);
    uint32_t resource = r[R_RES];
    struct ty_str rtype = gets(e, resource, "type");
    /* GKE: service k8s.io (exports that drop it keep the io.k8s. methods) */
    *gke = ty_str_eq_cstr(service, "k8s.io") ||
           (!service.len && ty_str_starts(method, "io.k8s."));

    ty_event_set_str(ev, TY_F_CATEGORY, TY_STR_LIT("api"));
    ty_event_set_str(ev, TY_F_PROVIDER, service);
    ty_event_set_str(ev, TY_F_ACTION, method);
    ty_event_set_str(ev, TY_F_TARGET, rn);
    ty_event_set_str(ev, TY_F_TARGET_KIND, rtype);
    if (rn.len && !*gke)
        ty_event_set_str(ev, TY_F_TARGET_NAME, last_seg(rn));

    /* who */
    uint32_t auth = p[P_AUTH];
    struct ty_str email = gets(e, auth, "principalEmail");
    struct ty_str subject = gets(e, auth, "principalSubject");
    struct ty_str who = email.len ? email : subject;
    ty_event_set_str(ev, TY_F_ACTOR, who);
    ty_event_set_str(ev, TY_F_ACTOR_ID, subject);
    ty_event_set_str(ev, TY_F_ACTOR_TYPE, actor_type(who, *gke));
    struct ty_str key = gets(e, auth, "serviceAccountKeyName");
    ty_event_set_str(ev, TY_F_ACCESS_KEY, key.len ? last_seg(key) : key);
    struct ty_str chain;
    ty_event_set_str(ev, TY_F_ACTOR_ISSUER, delegation(e, auth, &chain));
    if (chain.len)
        *msg = cat3(e, *msg, " delegation=", chain);

    /* from where */
    uint32_t rm = p[P_RM];
    ty_event_set_addr(ev, TY_F_SRC_IP, TY_F_SRC_ADDR, gets(e, rm, "callerIp"));
    ty_event_set_str(ev, TY_F_USER_AGENT, gets(e, rm, "callerSuppliedUserAgent"));

    /* result: an empty status is OK; granted:false anywhere is a denial */
    uint32_t st = p[P_STATUS];
    int64_t code = 0;
    uint32_t ci = get(e, st, "code");
    if (ci != NONE && ty_json_i64(d, ci, &code) != 0)
        code = -1;
    bool denied = false, any_authz = false;
    bool read = strcmp(log_type, "data_access") == 0;
    uint32_t az = p[P_AZ];
    for (uint32_t x = ty_json_first(d, az); x != NONE; x = ty_json_next(d, x)) {
        bool g = true;
        uint32_t gi = get(e, x, "granted");
        any_authz = true;
        if (gi == NONE || ty_json_bool(d, gi, &g) != 0)
            g = false; /* proto3 omits false */
        denied |= !g;
        struct ty_str pt = gets(e, x, "permissionType");
        if (ty_str_eq_cstr(pt, "ADMIN_READ") || ty_str_eq_cstr(pt, "DATA_READ"))
            read = true;
    }
    bool policy = strcmp(log_type, "policy") == 0;
    uint32_t op = r[R_OP];
    bool first = false, last = false;
    ty_json_bool(d, get(e, op, "first"), &first);
    ty_json_bool(d, get(e, op, "last"), &last);
    if (code != 0) {
        ty_event_set_str(ev, TY_F_OUTCOME, TY_STR_LIT("failure"));
        ty_event_set_str(ev, TY_F_STATUS_CODE, ty_json_raw(d, ci));
    } else if (policy) {
        ty_event_set_str(ev, TY_F_OUTCOME, TY_STR_LIT("failure"));
    } else if (first && !last) {
        ty_event_set_str(ev, TY_F_OUTCOME, TY_STR_LIT("unknown"));
    } else {
        ty_event_set_str(ev, TY_F_OUTCOME, TY_STR_LIT("success"));
    }
    ty_event_set_str(ev, TY_F_STATUS_DETAIL, gets(e, st, "message"));
    if (policy || (any_authz && denied))
        ty_event_set_str(ev, TY_F_DISPOSITION, TY_STR_LIT("blocked"));
    else if (any_authz)
        ty_event_set_str(ev, TY_F_DISPOSITION, TY_STR_LIT("allowed"));
    if (!*gke)
        ty_event_set_int(ev, TY_F_READ_ONLY, read);
    if (first || last)
        *msg = cat3(e, *msg, " operation=",
                    first && last ? TY_STR_LIT("first,last") : first ? TY_STR_LIT("first")
                                                                     : TY_STR_LIT("last"));

    /* what: storage objects, instances and their service accounts */
    uint32_t labels = get(e, resource, "labels");
    uint32_t req = p[P_REQ];
    if (ty_str_eq_cstr(service, "storage.googleapis.com")) {
        ty_event_set_str(ev, TY_F_BUCKET, seg_after(rn, "buckets"));
        ty_event_set_str(ev, TY_F_OBJECT_KEY, rest_after(rn, "objects"));
        if (!ty_event_has(ev, TY_F_BUCKET))
            ty_event_set_str(ev, TY_F_BUCKET, gets(e, labels, "bucket_name"));
    }
    struct ty_str inst = seg_after(rn, "instances");
    if (ty_str_eq_cstr(rtype, "gce_instance") || inst.len) {
        ty_event_set_str(ev, TY_F_HOST, inst);
        ty_event_set_str(ev, TY_F_HOST_ID, gets(e, labels, "instance_id"));
        /* the service account a VM is created with or switched to */
        uint32_t sas = get(e, req, "serviceAccounts");
        struct ty_str sa = gets(e, ty_json_first(d, sas), "email");
        if (!sa.len)
            sa = gets(e, req, "email"); /* setServiceAccount */
        ty_event_set_str(ev, TY_F_TARGET_USER, sa);
    }
    /* Workspace login events name the affected account, not an actor */
    uint32_t evs = ty_json_get(d, p[P_META], "event");
    for (uint32_t x = ty_json_first(d, evs); x != NONE && ty_str_eq_cstr(service,
                                                                        "login.googleapis.com");
         x = ty_json_next(d, x)) {
        uint32_t params = get(e, x, "parameter");
        for (uint32_t y = ty_json_first(d, params); y != NONE; y = ty_json_next(d, y))
            if (ty_str_eq_cstr(gets(e, y, "name"), "affected_email_address"))
                ty_event_set_str(ev, TY_F_TARGET_USER, gets(e, y, "value"));
    }
    /* a service account key created: its id is the target's name */
    if (ty_str_ends(method, "CreateServiceAccountKey") ||
        ty_str_ends(method, "UploadServiceAccountKey")) {
        struct ty_str kn = gets(e, p[P_RESP], "name");
        if (kn.len)
            ty_event_set_str(ev, TY_F_TARGET_NAME, last_seg(kn));
        ty_event_set_str(ev, TY_F_TARGET_USER, seg_after(kn.len ? kn : rn, "serviceAccounts"));
    }
    if (*gke) {
        map_gke(e, ev, method, rn);
        ty_event_set_str(ev, TY_F_PROVIDER, TY_STR_LIT("k8s.io"));
        ty_event_set_str(ev, TY_F_K8S_CLUSTER, gets(e, labels, "cluster_name"));
        if (ty_str_eq_cstr(ty_event_str(ev, TY_F_TARGET_KIND), "serviceaccounts"))
            gke_workload_identity(e, ev, req);
    }
}

/* ---- one LogEntry -------------------------------------------------------- */

static int entry(struct ent *e, uint32_t root, struct ty_str raw)
{
    const struct ty_json_doc *d = e->d;
    struct ty_parse_ctx *ctx = e->ctx;
    struct gcp *g = ctx->priv;
    struct ty_event *ev = &g->ev;
    char log_id[160];

    if (ty_json_type(d, root) != TY_JSON_OBJECT)
        return ty_err_set(e->err, TY_ECORRUPT, "offset %llu: a log entry is not a JSON object",
                          (unsigned long long)off_of(e, root));
    uint32_t r[R__N];
    index_obj(d, root, root_keys, R__N, r);
    uint32_t pp = r[R_PP] != NONE ? r[R_PP] : r[R_PPBQ]; /* BigQuery: protopayload_auditlog */
    uint32_t text = r[R_TEXT], jp = r[R_JSON];
    uint32_t lni = r[R_LOGNAME];
    if (pp == NONE && text == NONE && jp == NONE && lni == NONE)
        return ty_err_set(e->err, TY_ECORRUPT,
                          "offset %llu: not a Cloud Logging LogEntry (no protoPayload, "
                          "textPayload, jsonPayload or logName)",
                          (unsigned long long)off_of(e, root));
    if (pp != NONE && ty_json_type(d, pp) != TY_JSON_OBJECT)
        return ty_err_set(e->err, TY_ECORRUPT, "offset %llu: protoPayload is not an object",
                          (unsigned long long)off_of(e, pp));

    /* time: timestamp, else receiveTimestamp, else the request's own time */
    int64_t ns = 0;
    int prec = 0;
    struct ty_str ttext = TY_STR_NULL;
    uint32_t ti = r[R_TS] != NONE ? r[R_TS] : r[R_RTS];
    if (ti == NONE)
        ti = ty_json_path(d, get(e, pp, "requestMetadata"), "requestAttributes.time");
    if (ti == NONE)
        return ty_err_set(e->err, TY_ECORRUPT, "offset %llu: log entry without timestamp",
                          (unsigned long long)off_of(e, root));
    ttext = sv(e, ti);
    if (!ttext.len || parse_time(ttext, &ns, &prec) != 0)
        return ty_err_set(e->err, TY_ECORRUPT, "offset %llu: timestamp is not an RFC 3339 time",
                          (unsigned long long)off_of(e, ti));
    if (!e->emit)
        return 0;

    struct ty_str log_name = sv(e, lni);
    size_t idn = ty_gcp_log_id(log_name, log_id, sizeof(log_id));
    const char *slash = strrchr(log_id, '/');
    const char *log_type = slash ? slash + 1 : log_id;

    ty_event_clear(ev);
    ev->raw = raw;
    ty_event_set_int(ev, TY_F_TS, ns);
    ty_event_set_int(ev, TY_F_TS_PREC, prec);
    ty_event_set_str(ev, TY_F_TIME_TEXT, ttext);
    ty_event_set_str(ev, TY_F_CLOUD_PROVIDER, TY_STR_LIT("gcp"));
    ty_event_set_str(ev, TY_F_VENDOR_ID, sv(e, r[R_INSERT]));
    ty_event_set_str(ev, TY_F_CORRELATION_ID, gets(e, r[R_OP], "id"));
    ty_event_set_str(ev, TY_F_SEVERITY, sv(e, r[R_SEV]));
    uint32_t resource = r[R_RES];
    uint32_t labels = get(e, resource, "labels");
    struct ty_str project = gets(e, labels, "project_id");
    if (!project.len)
        project = ty_gcp_log_parent(log_name);
    ty_event_set_str(ev, TY_F_CLOUD_ACCOUNT, project);
    struct ty_str region = gets(e, labels, "region");
    if (!region.len)
        region = gets(e, labels, "location");
    if (!region.len)
        region = gets(e, labels, "zone");
    ty_event_set_str(ev, TY_F_CLOUD_REGION, region);

    struct ty_str msg = TY_STR_NULL;
    if (idn)
        msg = ty_arena_printf(ctx->arena, "log=%s", log_type);
    bool gke = false;
    if (pp != NONE && get(e, pp, "methodName") != NONE) {
        map_audit(e, ev, r, pp, log_type, &gke, &msg);
    } else {
        /* any other entry: the log and its text */
        struct ty_str body = sv(e, text);
        if (!body.len)
            body = gets(e, jp, "message");
        ty_event_set_str(ev, TY_F_CATEGORY, TY_STR_LIT("log"));
        if (idn) /* log_id is on the stack: keep a copy */
            ty_event_set_str(ev, TY_F_ACTION, ty_arena_str(ctx->arena, ty_str_make(log_id, idn)));
        ty_event_set_str(ev, TY_F_PROVIDER, gets(e, resource, "type"));
        if (body.len)
            msg = msg.len ? cat3(e, msg, " ", body) : body;
    }
    ty_event_set_str(ev, TY_F_MESSAGE, msg.len ? msg : TY_STR_NULL);
    if (e->rc || (idn && !msg.p))
        return ty_err_set(e->err, TY_ENOMEM, "out of memory");
    if (gke)
        ev->format = ty_parser_gke_audit.name;
    int rc = ty_parse_emit(ctx, ev);
    return rc < 0 ? rc : 0;
}

/* ---- wrappers: arrays and Pub/Sub messages --------------------------------- */

/* A Pub/Sub message (push body, pull output, or bare): {"data": base64}. */
static uint32_t pubsub_data(const struct ty_json_doc *d, uint32_t v)
{
    uint32_t m = ty_json_get(d, v, "message");
    if (ty_json_type(d, m) == TY_JSON_OBJECT)
        v = m;
    uint32_t data = ty_json_get(d, v, "data");
    if (ty_json_type(d, data) == TY_JSON_STRING && ty_json_get(d, v, "protoPayload") == NONE &&
        ty_json_get(d, v, "logName") == NONE)
        return data;
    return NONE;
}

static int one(void *arg, const struct ty_json_doc *d, uint32_t v, bool emit)
{
    struct ent *e = arg;
    struct gcp *g = e->ctx->priv;
    e->d = d;
    e->emit = emit;
    uint32_t data = pubsub_data(d, v);
    if (data == NONE)
        return entry(e, v, ty_json_type(d, 0) == TY_JSON_ARRAY ? ty_json_raw(d, v) : TY_STR_NULL);
    struct ty_str b64 = ty_json_raw(d, data);
    char *buf = ty_arena_alloc(e->ctx->arena, b64.len / 4 * 3 + 4);
    if (!buf)
        return ty_err_set(e->err, TY_ENOMEM, "out of memory");
    long n = ty_gcp_base64_decode(b64, buf);
    if (n < 0)
        return ty_err_set(e->err, TY_ECORRUPT, "offset %llu: Pub/Sub message data is not base64",
                          (unsigned long long)off_of(e, data));
    struct ent sub = *e;
    int rc = ty_json_parse(&g->doc2, buf, (size_t)n, e->err);
    if (rc == TY_ECORRUPT) {
        char tmp[sizeof(e->err->msg)];
        snprintf(tmp, sizeof(tmp), "%s", e->err->msg);
        return ty_err_set(e->err, rc, "offset %llu: Pub/Sub data is not a JSON LogEntry: %s",
                          (unsigned long long)off_of(e, data), tmp);
    }
    if (rc)
        return rc;
    sub.d = &g->doc2;
    sub.base = off_of(e, data);
    rc = entry(&sub, 0, ty_str_make(buf, (size_t)n));
    e->rc = sub.rc;
    return rc;
}

static int gcp_record(struct ty_parse_ctx *ctx, const struct ty_record *rec, struct ty_err *err)
{
    struct ent e;
    if (!ctx->priv)
        return ty_err_set(err, TY_EINVAL, "gcp-audit: record() before open()");
    memset(&e, 0, sizeof(e));
    e.ctx = ctx;
    e.err = err;
    e.base = rec->offset;
    return ty_gcp_each_entry(ctx, rec, err, one, &e);
}

/* ---- sniff and open ------------------------------------------------------- */

static int gcp_sniff(struct ty_str head)
{
    struct ty_str s = ty_parse_skip_ws(head);
    if (!s.len || (s.p[0] != '{' && s.p[0] != '['))
        return 0;
    bool audit = ty_str_contains(s, "google.cloud.audit.AuditLog") ||
                 ty_str_contains(s, "cloudaudit.googleapis.com");
    if (ty_gcp_entry_has_key(s, "protoPayload") || ty_gcp_entry_has_key(s, "protopayload_auditlog"))
        return audit ? 90 : 80;
    /* Pub/Sub deliveries of LogEntries */
    if ((ty_str_contains(s, "\"ackId\"") || ty_str_contains(s, "\"messageId\"")) &&
        ty_str_contains(s, "\"data\"") && ty_str_contains(s, "logging.googleapis.com/timestamp"))
        return 80;
    /* other LogEntries (VPC flows are the flow parser's, at 85-95) */
    if (ty_gcp_entry_has_key(s, "logName") && ty_gcp_entry_has_key(s, "resource") &&
        (ty_gcp_entry_has_key(s, "textPayload") || ty_gcp_entry_has_key(s, "jsonPayload")))
        return 60;
    return 0;
}

static int gcp_open(struct ty_parse_ctx *ctx, struct ty_err *err)
{
    struct gcp *g = calloc(1, sizeof(*g));
    struct ty_str s = ty_parse_skip_ws(ctx->head);
    if (!g)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    ty_json_doc_init(&g->doc2, 0, 0);
    ctx->priv = g;
    ctx->frame.kind = TY_FRAME_JSON;
    ctx->frame.key = NULL;
    const char *shape = ty_gcp_entry_shape(s);
    if (ty_str_contains(s, "\"data\"") && !ty_gcp_entry_has_key(s, "protoPayload") &&
        !ty_gcp_entry_has_key(s, "logName"))
        shape = "Pub/Sub messages (base64 LogEntry data)";
    else if (ty_gcp_entry_has_key(s, "protopayload_auditlog"))
        shape = "BigQuery export rows";
    snprintf(ctx->shape, sizeof(ctx->shape), "%s", shape);
    return 0;
}

static void gcp_close(struct ty_parse_ctx *ctx)
{
    struct gcp *g = ctx->priv;
    if (!g)
        return;
    ty_json_doc_release(&g->doc2);
    free(g);
    ctx->priv = NULL;
}

/* SigmaHQ's GCP rules name Elastic's field (gcp.audit.method_name); tyto's
 * own and Panther-style rules the LogEntry's. Both are the normalised action
 * and provider of an audit entry, copied as written. */
static int gcp_field_fast(const struct ty_event *ev, struct ty_str name, struct ty_str *out)
{
    if (!ty_str_eq_cstr(ty_event_str(ev, TY_F_CATEGORY), "api"))
        return 0;
    enum ty_field f;
    if (ty_str_eq_cstr(name, "gcp.audit.method_name") ||
        ty_str_eq_cstr(name, "protoPayload.methodName"))
        f = TY_F_ACTION;
    else if (ty_str_eq_cstr(name, "gcp.audit.service_name") ||
             ty_str_eq_cstr(name, "protoPayload.serviceName"))
        f = TY_F_PROVIDER;
    else
        return 0;
    if (!ty_event_has(ev, f))
        return 0;
    *out = ev->v[f].s;
    return 1;
}

const struct ty_parser ty_parser_gcp_audit = {
    .abi = TY_PARSER_ABI,
    .name = "gcp-audit",
    .desc = "Google Cloud Audit Logs and other Cloud Logging LogEntries (GCS sink, gcloud "
            "JSON, Pub/Sub, BigQuery export); GKE entries as Kubernetes audit",
    .sniffs = "LogEntry with protoPayload (AuditLog: 90, other: 80); Pub/Sub messages with "
              "logging.googleapis.com/timestamp (80); LogEntry with logName, resource and "
              "textPayload/jsonPayload (60)",
    .flags = TY_PARSER_F_JSON,
    .sniff = gcp_sniff,
    .open = gcp_open,
    .record = gcp_record,
    .close = gcp_close,
    .logsource = {.product = "gcp", .service = "gcp.audit"},
    .field_fast = gcp_field_fast,
};

static int never(struct ty_str head)
{
    (void)head;
    return 0;
}

/* GKE entries: the same stream parser, routed to Kubernetes rules. */
const struct ty_parser ty_parser_gke_audit = {
    .abi = TY_PARSER_ABI,
    .name = "gke-audit",
    .desc = "GKE Kubernetes audit entries of Cloud Audit Logs (k8s.io), seen as Kubernetes "
            "audit events",
    .sniffs = "never sniffed: the events gcp-audit reads with serviceName k8s.io",
    .flags = TY_PARSER_F_JSON,
    .sniff = never,
    .open = gcp_open,
    .record = gcp_record,
    .close = gcp_close,
    .logsource = {.product = "kubernetes", .service = "audit", .category = "application"},
    .fields = ty_gke_fields,
    .field_fast = ty_gke_field_fast,
};
