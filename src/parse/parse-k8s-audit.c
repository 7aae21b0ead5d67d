/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse-k8s-audit.c - Kubernetes API server audit events (audit.k8s.io/v1
 * and v1beta1 Event objects), in every delivery shape we know of.
 *
 * Record format (formats.md §4): one Event object {kind, apiVersion, level,
 * auditID, stage, requestURI, verb, user{username, uid, groups[], extra{}},
 * impersonatedUser, sourceIPs[], userAgent, objectRef{resource, namespace,
 * name, subresource, apiGroup}, responseStatus{code, reason, message},
 * requestObject, responseObject, requestReceivedTimestamp, stageTimestamp
 * (RFC 3339, µs), annotations{}}. Shapes, chosen by open() from the head:
 *   - JSON lines (log backend, v1 and v1beta1), framed as lines;
 *   - lines prefixed by a node name (`oc adm node-logs`) or a timestamp
 *     (CloudWatch export to S3): everything before the first '{' is cut;
 *     a single-token non-time prefix becomes HOST;
 *   - EventList documents (webhook backend): JSON framing on key "items";
 *   - `aws logs filter-log-events`/`get-log-events` output (EKS): JSON
 *     framing on key "events"; each element's "message" is the Event as a
 *     string, decoded into the arena and parsed with a second tape;
 *   - CloudWatch JSON lines {"message": "<Event>", ...};
 *   - JSON arrays and pretty-printed documents: JSON framing, no key.
 * record() recognises every wrapper whatever the framing, so a JSON line that
 * holds a whole EventList still yields all its events (validated first, so a
 * bad item quarantines the line without emitting anything).
 * Quirks handled: v1beta1 events without requestReceivedTimestamp fall back
 * to stageTimestamp, metadata.creationTimestamp, then "timestamp"; only the
 * last sourceIPs entry is trusted; exec/attach commands live only in the
 * requestURI query (command= repeated, form-encoded); websocket exec is verb
 * "get", SPDY exec is "create". Every stage is an event: the timeline
 * collapses stages by auditID (VENDOR_ID). Mapping: docs/internals/PARSERS.md.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/parser.h>
#include <tyto/time.h>

struct k8s {
    struct ty_json_doc doc2; /* the Event decoded from a CloudWatch "message" */
    struct ty_event ev;
};

/* One conversion: the doc and where its events go. */
struct conv {
    struct ty_parse_ctx *ctx;
    struct k8s *k;
    const struct ty_json_doc *d;
    struct ty_err *err;
    struct ty_str host; /* from a node-name line prefix */
    bool emit;          /* false: validate only */
    int rc;             /* sticky TY_ENOMEM from string decoding */
};

/* ---- small helpers ---------------------------------------------------- */

static struct ty_str skip_ws(struct ty_str s)
{
    return ty_parse_skip_ws(s);
}

/* A string member's decoded text; NULL span when absent or not a string. */
static struct ty_str jstr(struct conv *c, uint32_t i)
{
    struct ty_str s = TY_STR_NULL;
    if (ty_json_type(c->d, i) != TY_JSON_STRING)
        return s;
    if (ty_json_str(c->d, i, c->ctx->arena, &s) == TY_ENOMEM) {
        c->rc = TY_ENOMEM;
        return TY_STR_NULL;
    }
    return s;
}

static struct ty_str get_str(struct conv *c, uint32_t obj, const char *key)
{
    return jstr(c, ty_json_get(c->d, obj, key));
}

/* First string of an array member (EKS user.extra values are arrays). */
static struct ty_str get_first_str(struct conv *c, uint32_t obj, const char *key)
{
    uint32_t a = ty_json_get(c->d, obj, key);
    if (ty_json_type(c->d, a) == TY_JSON_ARRAY)
        return jstr(c, ty_json_first(c->d, a));
    return jstr(c, a);
}

static bool get_true(struct conv *c, uint32_t obj, const char *key)
{
    return ty_json_type(c->d, ty_json_get(c->d, obj, key)) == TY_JSON_TRUE;
}

static struct ty_str concat3(struct conv *c, struct ty_str a, const char *sep, struct ty_str b)
{
    size_t ns = strlen(sep);
    char *p = ty_arena_alloc(c->ctx->arena, a.len + ns + b.len + 1);
    if (!p) {
        c->rc = TY_ENOMEM;
        return TY_STR_NULL;
    }
    if (a.len)
        memcpy(p, a.p, a.len);
    memcpy(p + a.len, sep, ns);
    if (b.len)
        memcpy(p + a.len + ns, b.p, b.len);
    p[a.len + ns + b.len] = '\0';
    return ty_str_make(p, a.len + ns + b.len);
}

static int hexval(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

/* Form-decode (percent escapes, '+' as space) s onto out; returns bytes written. */
static size_t form_decode(struct ty_str s, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < s.len; i++) {
        int hi, lo;
        if (s.p[i] == '+') {
            out[o++] = ' ';
        } else if (s.p[i] == '%' && i + 2 < s.len && (hi = hexval(s.p[i + 1])) >= 0 &&
                   (lo = hexval(s.p[i + 2])) >= 0) {
            out[o++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            out[o++] = s.p[i];
        }
    }
    return o;
}

/* ---- the query of an exec/attach requestURI ------------------------- */

static void exec_query(struct conv *c, struct ty_event *ev, struct ty_str uri)
{
    ptrdiff_t q = ty_str_chr(uri, '?');
    if (q < 0)
        return;
    struct ty_str qs = ty_str_make(uri.p + q + 1, uri.len - (size_t)q - 1);
    char *cmd = ty_arena_alloc(c->ctx->arena, qs.len + 1);
    size_t n_cmd = 0;
    if (!cmd) {
        c->rc = TY_ENOMEM;
        return;
    }
    while (qs.len) {
        ptrdiff_t amp = ty_str_chr(qs, '&');
        struct ty_str part = ty_str_make(qs.p, amp < 0 ? qs.len : (size_t)amp);
        qs.p += part.len;
        qs.len -= part.len;
        if (qs.len) {
            qs.p++;
            qs.len--;
        }
        ptrdiff_t eq = ty_str_chr(part, '=');
        if (eq < 0)
            continue;
        struct ty_str key = ty_str_make(part.p, (size_t)eq);
        struct ty_str val = ty_str_make(part.p + eq + 1, part.len - (size_t)eq - 1);
        if (ty_str_eq_cstr(key, "command")) {
            if (n_cmd)
                cmd[n_cmd++] = ' ';
            n_cmd += form_decode(val, cmd + n_cmd);
        } else if (ty_str_eq_cstr(key, "container") && !ty_event_has(ev, TY_F_CONTAINER_NAME)) {
            char *cn = ty_arena_alloc(c->ctx->arena, val.len + 1);
            if (!cn) {
                c->rc = TY_ENOMEM;
                return;
            }
            size_t n = form_decode(val, cn);
            cn[n] = '\0';
            ty_event_set_str(ev, TY_F_CONTAINER_NAME, ty_str_make(cn, n));
        }
    }
    cmd[n_cmd] = '\0';
    ty_event_set_str(ev, TY_F_PROC_CMDLINE, ty_str_make(cmd, n_cmd));
}

/* ---- pod security flags of a requestObject --------------------------- */

struct msgbuf {
    char b[1024];
    size_t n;
    bool cut;
};

static void mb_add(struct msgbuf *m, const char *p, size_t n)
{
    if (m->n + n + 4 > sizeof(m->b)) {
        if (!m->cut && m->n + 3 < sizeof(m->b)) {
            memcpy(m->b + m->n, "...", 3);
            m->n += 3;
        }
        m->cut = true;
        return;
    }
    memcpy(m->b + m->n, p, n);
    m->n += n;
}

static void mb_adds(struct msgbuf *m, const char *s)
{
    mb_add(m, s, strlen(s));
}

/* Scan one container list for privileged containers and the first image. */
static void scan_containers(struct conv *c, uint32_t arr, bool *priv, struct ty_str *image)
{
    if (ty_json_type(c->d, arr) != TY_JSON_ARRAY)
        return;
    for (uint32_t e = ty_json_first(c->d, arr); e != TY_JSON_NONE; e = ty_json_next(c->d, e)) {
        uint32_t sc = ty_json_get(c->d, e, "securityContext");
        if (get_true(c, sc, "privileged"))
            *priv = true;
        if (!image->len)
            *image = get_str(c, e, "image");
    }
}

/* A PodSpec: flags into m, first image, nodeName. */
static void scan_pod_spec(struct conv *c, struct ty_event *ev, uint32_t spec, struct msgbuf *m,
                          struct ty_str *node)
{
    bool priv = false;
    struct ty_str image = TY_STR_NULL;
    if (ty_json_type(c->d, spec) != TY_JSON_OBJECT)
        return;
    scan_containers(c, ty_json_get(c->d, spec, "containers"), &priv, &image);
    scan_containers(c, ty_json_get(c->d, spec, "initContainers"), &priv, &image);
    scan_containers(c, ty_json_get(c->d, spec, "ephemeralContainers"), &priv, &image);
    if (priv)
        mb_adds(m, " privileged=true");
    if (get_true(c, spec, "hostPID"))
        mb_adds(m, " hostPID=true");
    if (get_true(c, spec, "hostNetwork"))
        mb_adds(m, " hostNetwork=true");
    if (get_true(c, spec, "hostIPC"))
        mb_adds(m, " hostIPC=true");
    uint32_t vols = ty_json_get(c->d, spec, "volumes");
    if (ty_json_type(c->d, vols) == TY_JSON_ARRAY) {
        int n = 0;
        for (uint32_t v = ty_json_first(c->d, vols); v != TY_JSON_NONE;
             v = ty_json_next(c->d, v)) {
            uint32_t hp = ty_json_get(c->d, v, "hostPath");
            if (ty_json_type(c->d, hp) != TY_JSON_OBJECT)
                continue;
            struct ty_str path = get_str(c, hp, "path");
            mb_adds(m, n++ ? "," : " hostPath=");
            if (path.len)
                mb_add(m, path.p, path.len);
            else
                mb_adds(m, "?");
        }
    }
    ty_event_set_str(ev, TY_F_CONTAINER_IMAGE, image);
    if (!node->len)
        *node = get_str(c, spec, "nodeName");
}

/* The pod template of a workload object, by resource name. */
static uint32_t pod_spec_of(struct conv *c, struct ty_str resource, uint32_t obj)
{
    const struct ty_json_doc *d = c->d;
    uint32_t spec = ty_json_get(d, obj, "spec");
    if (ty_str_eq_cstr(resource, "pods"))
        return spec;
    if (ty_str_eq_cstr(resource, "cronjobs"))
        return ty_json_path(d, spec, "jobTemplate.spec.template.spec");
    if (ty_str_eq_cstr(resource, "deployments") || ty_str_eq_cstr(resource, "daemonsets") ||
        ty_str_eq_cstr(resource, "statefulsets") || ty_str_eq_cstr(resource, "replicasets") ||
        ty_str_eq_cstr(resource, "jobs") || ty_str_eq_cstr(resource, "replicationcontrollers"))
        return ty_json_path(d, spec, "template.spec");
    return TY_JSON_NONE;
}

/* ---- times ------------------------------------------------------------ */

/* Parse a time member. 1: absent; 0: parsed; TY_ECORRUPT: present but bad. */
static int get_time(struct conv *c, uint32_t i, const char *name, int64_t *ns, int *prec,
                    struct ty_str *text)
{
    if (i == TY_JSON_NONE || ty_json_type(c->d, i) == TY_JSON_NULL)
        return 1;
    struct ty_str s = jstr(c, i);
    if (c->rc)
        return c->rc;
    if (!s.len || ty_time_parse_iso(s, ns, prec, NULL) != 0)
        return ty_err_set(c->err, TY_ECORRUPT, "%s is not an RFC 3339 time: '%.*s'", name,
                          (int)(s.len > 40 ? 40 : s.len), s.p ? s.p : "");
    *text = s;
    return 0;
}

/* ---- the Event ---------------------------------------------------------- */

enum {
    K_VERB,
    K_AUDITID,
    K_STAGE,
    K_LEVEL,
    K_URI,
    K_USER,
    K_IMPERSONATED,
    K_SOURCEIPS,
    K_USERAGENT,
    K_OBJECTREF,
    K_RESPSTATUS,
    K_REQOBJ,
    K_RRT,
    K_STAGETS,
    K_ANNOT,
    K_METADATA,
    K_TIMESTAMP,
    K__N
};

static const char *const keys[K__N] = {
    "verb",     "auditID",   "stage",       "level",
    "requestURI", "user",    "impersonatedUser", "sourceIPs",
    "userAgent", "objectRef", "responseStatus", "requestObject",
    "requestReceivedTimestamp", "stageTimestamp", "annotations", "metadata",
    "timestamp",
};

/* One pass over the top-level members; first occurrence of a key wins. */
static void index_members(const struct ty_json_doc *d, uint32_t root, uint32_t idx[K__N])
{
    for (int i = 0; i < K__N; i++)
        idx[i] = TY_JSON_NONE;
    for (uint32_t k = ty_json_first(d, root); k != TY_JSON_NONE; k = ty_json_next_member(d, k)) {
        struct ty_str key = ty_json_raw(d, k);
        if (d->toks[k].flags & TY_JSON_F_ESCAPED)
            continue; /* no Event key needs escapes */
        for (int i = 0; i < K__N; i++) {
            if (idx[i] == TY_JSON_NONE && ty_str_eq_cstr(key, keys[i])) {
                idx[i] = k + 1;
                break;
            }
        }
    }
}

static struct ty_str actor_type(struct ty_str user, struct ty_str uid)
{
    if (ty_str_starts(user, "system:serviceaccount:"))
        return TY_STR_LIT("ServiceAccount");
    if (ty_str_starts(user, "system:node:"))
        return TY_STR_LIT("Node");
    if (ty_str_eq_cstr(user, "system:anonymous"))
        return TY_STR_LIT("Anonymous");
    if (ty_str_starts(user, "system:"))
        return TY_STR_LIT("System");
    if (ty_str_starts(uid, "aws-iam-authenticator:") ||
        ty_str_starts(uid, "heptio-authenticator-aws:"))
        return TY_STR_LIT("IAM");
    return TY_STR_LIT("User");
}

/* The account of an ARN ("arn:aws:iam::111122223333:role/x"), or NULL span. */
static struct ty_str arn_account(struct ty_str arn)
{
    if (!ty_str_starts(arn, "arn:"))
        return TY_STR_NULL;
    const char *p = arn.p, *end = arn.p + arn.len;
    for (int colons = 0; p < end; p++) {
        if (*p == ':' && ++colons == 4) {
            const char *q = memchr(p + 1, ':', (size_t)(end - p - 1));
            return q ? ty_str_make(p + 1, (size_t)(q - p - 1)) : TY_STR_NULL;
        }
    }
    return TY_STR_NULL;
}

static void map_user(struct conv *c, struct ty_event *ev, uint32_t user, struct ty_str *node)
{
    const struct ty_json_doc *d = c->d;
    struct ty_str name = get_str(c, user, "username");
    struct ty_str uid = get_str(c, user, "uid");
    ty_event_set_str(ev, TY_F_ACTOR, name);
    ty_event_set_str(ev, TY_F_ACTOR_ID, uid);
    if (name.len)
        ty_event_set_str(ev, TY_F_ACTOR_TYPE, actor_type(name, uid));
    if (ty_str_starts(name, "system:node:"))
        *node = ty_str_make(name.p + 12, name.len - 12);

    uint32_t groups = ty_json_get(d, user, "groups");
    if (ty_json_type(d, groups) == TY_JSON_ARRAY && d->toks[groups].count) {
        size_t total = 0;
        for (uint32_t g = ty_json_first(d, groups); g != TY_JSON_NONE; g = ty_json_next(d, g))
            if (ty_json_type(d, g) == TY_JSON_STRING)
                total += d->toks[g].len + 1;
        char *buf = ty_arena_alloc(c->ctx->arena, total + 1);
        size_t n = 0;
        if (!buf) {
            c->rc = TY_ENOMEM;
            return;
        }
        for (uint32_t g = ty_json_first(d, groups); g != TY_JSON_NONE; g = ty_json_next(d, g)) {
            struct ty_str s = jstr(c, g);
            if (!s.len || n + s.len + 1 > total + 1)
                continue;
            if (n)
                buf[n++] = ',';
            memcpy(buf + n, s.p, s.len);
            n += s.len;
        }
        buf[n] = '\0';
        ty_event_set_str(ev, TY_F_ACTOR_GROUPS, ty_str_make(buf, n));
    }

    /* EKS: user.extra values are arrays of strings */
    uint32_t extra = ty_json_get(d, user, "extra");
    if (ty_json_type(d, extra) == TY_JSON_OBJECT) {
        struct ty_str issuer = get_first_str(c, extra, "canonicalArn");
        ty_event_set_str(ev, TY_F_ACCESS_KEY, get_first_str(c, extra, "accessKeyId"));
        ty_event_set_str(ev, TY_F_ACTOR_ISSUER, issuer);
        ty_event_set_str(ev, TY_F_ACTOR_SESSION, get_first_str(c, extra, "sessionName"));
        struct ty_str acct = arn_account(issuer);
        if (!acct.len)
            acct = arn_account(get_first_str(c, extra, "arn"));
        ty_event_set_str(ev, TY_F_ACTOR_ACCOUNT, acct);
    }
}

static void map_source_ips(struct conv *c, struct ty_event *ev, uint32_t ips)
{
    const struct ty_json_doc *d = c->d;
    if (ty_json_type(d, ips) != TY_JSON_ARRAY || !d->toks[ips].count)
        return;
    uint32_t first = ty_json_first(d, ips), last = first;
    for (uint32_t e = first; e != TY_JSON_NONE; e = ty_json_next(d, e))
        last = e;
    ty_event_set_addr(ev, TY_F_SRC_IP, TY_F_SRC_ADDR, jstr(c, last));
    if (last != first) {
        /* the client-claimed origin (X-Forwarded-For), untrusted */
        struct ty_ip ip;
        struct ty_str s = jstr(c, first);
        if (s.len && ty_ip_parse(s, &ip) == 0)
            ty_event_set_ip(ev, TY_F_SRC_NAT_IP, &ip);
    }
}

/* Outcome, status and disposition. */
static void map_result(struct conv *c, struct ty_event *ev, uint32_t status, uint32_t annot,
                       struct msgbuf *m)
{
    const struct ty_json_doc *d = c->d;
    uint32_t code = ty_json_get(d, status, "code");
    int64_t n = 0;
    const char *outcome = NULL;
    if (ty_json_type(d, code) == TY_JSON_NUMBER && ty_json_i64(d, code, &n) == 0) {
        ty_event_set_str(ev, TY_F_STATUS_CODE, ty_json_raw(d, code));
        if ((n >= 200 && n < 300) || n == 101)
            outcome = "success";
        else if (n >= 400 && n < 600)
            outcome = "failure";
    }
    struct ty_str reason = get_str(c, status, "reason");
    struct ty_str msg = get_str(c, status, "message");
    struct ty_str dec = get_str(c, annot, "authorization.k8s.io/decision");
    if (reason.len && msg.len)
        ty_event_set_str(ev, TY_F_STATUS_DETAIL, concat3(c, reason, ": ", msg));
    else if (reason.len || msg.len)
        ty_event_set_str(ev, TY_F_STATUS_DETAIL, reason.len ? reason : msg);
    else
        ty_event_set_str(ev, TY_F_STATUS_DETAIL, get_str(c, annot, "authorization.k8s.io/reason"));
    if (ty_str_eq_cstr(dec, "allow"))
        ty_event_set_str(ev, TY_F_DISPOSITION, TY_STR_LIT("allowed"));
    else if (ty_str_eq_cstr(dec, "forbid"))
        ty_event_set_str(ev, TY_F_DISPOSITION, TY_STR_LIT("blocked"));
    if (!outcome && !ty_event_has(ev, TY_F_STATUS_CODE)) {
        if (ty_str_eq_cstr(dec, "allow"))
            outcome = "success";
        else if (ty_str_eq_cstr(dec, "forbid"))
            outcome = "failure";
    }
    /* OpenShift OAuth server login events */
    struct ty_str login = get_str(c, annot, "authentication.openshift.io/decision");
    if (login.len) {
        ty_event_set_str(ev, TY_F_TARGET_USER,
                         get_str(c, annot, "authentication.openshift.io/username"));
        mb_adds(m, " login=");
        mb_add(m, login.p, login.len);
        if (!outcome)
            outcome = ty_str_eq_cstr(login, "allow") ? "success" : "failure";
    }
    if (outcome)
        ty_event_set_str(ev, TY_F_OUTCOME, ty_str_cstr(outcome));
}

/* The object name in ".../namespaces/<ns>/<resource>/<name>[/sub]" or
 * ".../<resource>/<name>" (cluster scope); NULL span when the URI has none. */
static struct ty_str name_from_uri(struct ty_str uri, struct ty_str ns, struct ty_str res)
{
    char pat[320];
    int n;
    ptrdiff_t q = ty_str_chr(uri, '?');
    struct ty_str path = q < 0 ? uri : ty_str_make(uri.p, (size_t)q);
    if (ns.len)
        n = snprintf(pat, sizeof(pat), "/namespaces/%.*s/%.*s/", (int)ns.len, ns.p,
                     (int)res.len, res.p);
    else
        n = snprintf(pat, sizeof(pat), "/%.*s/", (int)res.len, res.p);
    if (n <= 0 || (size_t)n >= sizeof(pat) || path.len < (size_t)n)
        return TY_STR_NULL;
    for (size_t i = 0; i + (size_t)n <= path.len; i++) {
        if (memcmp(path.p + i, pat, (size_t)n) != 0)
            continue;
        struct ty_str rest = ty_str_make(path.p + i + n, path.len - i - (size_t)n);
        ptrdiff_t sl = ty_str_chr(rest, '/');
        return sl < 0 ? rest : ty_str_make(rest.p, (size_t)sl);
    }
    return TY_STR_NULL;
}

/* Target, action, pod details. */
static void map_target(struct conv *c, struct ty_event *ev, uint32_t oref, uint32_t reqobj,
                       struct ty_str verb, struct ty_str uri, struct msgbuf *m,
                       struct ty_str *node)
{
    struct ty_str res = get_str(c, oref, "resource");
    struct ty_str sub = get_str(c, oref, "subresource");
    struct ty_str ns = get_str(c, oref, "namespace");
    struct ty_str name = get_str(c, oref, "name");
    struct ty_str kind = res;

    /* READ_ONLY: get/list/watch, except the interactive subresources */
    bool ro = ty_str_eq_cstr(verb, "get") || ty_str_eq_cstr(verb, "list") ||
              ty_str_eq_cstr(verb, "watch");
    if (ro && (ty_str_eq_cstr(sub, "exec") || ty_str_eq_cstr(sub, "attach") ||
               ty_str_eq_cstr(sub, "portforward") || ty_str_eq_cstr(sub, "proxy")))
        ro = false;
    ty_event_set_int(ev, TY_F_READ_ONLY, ro);

    if (!res.len) {
        /* non-resource URL (/healthz, /metrics): the path is the target */
        ptrdiff_t q = ty_str_chr(uri, '?');
        struct ty_str path = q < 0 ? uri : ty_str_make(uri.p, (size_t)q);
        ty_event_set_str(ev, TY_F_ACTION, path.len ? concat3(c, verb, " ", path) : verb);
        ty_event_set_str(ev, TY_F_TARGET, path);
        return;
    }
    if (sub.len)
        kind = concat3(c, res, "/", sub);
    ty_event_set_str(ev, TY_F_ACTION, concat3(c, verb, " ", kind));
    ty_event_set_str(ev, TY_F_TARGET_KIND, kind);

    /* no objectRef.name: the URI names it (subresources), or the body (create) */
    if (!name.len)
        name = name_from_uri(uri, ns, res);
    if (!name.len && ty_json_type(c->d, reqobj) == TY_JSON_OBJECT && !sub.len)
        name = get_str(c, ty_json_get(c->d, reqobj, "metadata"), "name");
    ty_event_set_str(ev, TY_F_TARGET_NAME, name);
    ty_event_set_str(ev, TY_F_TARGET_NAMESPACE, ns);
    ty_event_set_str(ev, TY_F_K8S_NAMESPACE, ns);
    struct ty_str t = res;
    if (ns.len)
        t = concat3(c, ns, "/", t);
    if (name.len)
        t = concat3(c, t, "/", name);
    ty_event_set_str(ev, TY_F_TARGET, t);

    bool pods = ty_str_eq_cstr(res, "pods");
    if (pods)
        ty_event_set_str(ev, TY_F_K8S_POD, name);
    if (pods && (ty_str_eq_cstr(sub, "exec") || ty_str_eq_cstr(sub, "attach")))
        exec_query(c, ev, uri);
    if (ty_str_eq_cstr(res, "nodes") && !node->len)
        *node = name;

    /* pod security flags of created or replaced workloads */
    if (ty_json_type(c->d, reqobj) == TY_JSON_OBJECT && !sub.len) {
        struct ty_str pod_node = TY_STR_NULL;
        scan_pod_spec(c, ev, pod_spec_of(c, res, reqobj), m, &pod_node);
        if (!node->len)
            *node = pod_node;
    }
}

/* Non-resource requests: the verb is the lower-cased HTTP method. */
static struct ty_str http_method(struct ty_str verb)
{
    static const char *const methods[] = {"GET",   "POST", "PUT",    "DELETE",
                                          "PATCH", "HEAD", "OPTIONS"};
    for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
        if (ty_str_eq_nocase(verb, ty_str_cstr(methods[i])))
            return ty_str_cstr(methods[i]);
    return TY_STR_NULL;
}

/* Convert the Event at root of c->d and emit it (when c->emit). */
static int convert(struct conv *c, uint32_t root)
{
    const struct ty_json_doc *d = c->d;
    struct ty_event *ev = &c->k->ev;
    uint32_t idx[K__N];
    struct msgbuf m;
    struct ty_str node = TY_STR_NULL;
    int64_t ns = 0, end_ns = 0;
    int prec = 0, end_prec = 0, rc;
    struct ty_str ttext = TY_STR_NULL, etext = TY_STR_NULL;

    if (ty_json_type(d, root) != TY_JSON_OBJECT)
        return ty_err_set(c->err, TY_ECORRUPT, "not a Kubernetes audit Event (not an object)");
    index_members(d, root, idx);
    struct ty_str verb = jstr(c, idx[K_VERB]);
    if (c->rc)
        return c->rc;
    if (!verb.len)
        return ty_err_set(c->err, TY_ECORRUPT, "not a Kubernetes audit Event: missing verb");

    /* time: requestReceivedTimestamp, else the fallbacks */
    rc = get_time(c, idx[K_RRT], "requestReceivedTimestamp", &ns, &prec, &ttext);
    if (rc < 0)
        return rc;
    int erc = get_time(c, idx[K_STAGETS], "stageTimestamp", &end_ns, &end_prec, &etext);
    if (erc < 0)
        return erc;
    if (rc == 1 && erc == 0) {
        ns = end_ns;
        prec = end_prec;
        ttext = etext;
        rc = 0;
    }
    if (rc == 1)
        rc = get_time(c, ty_json_get(d, idx[K_METADATA], "creationTimestamp"),
                      "metadata.creationTimestamp", &ns, &prec, &ttext);
    if (rc == 1)
        rc = get_time(c, idx[K_TIMESTAMP], "timestamp", &ns, &prec, &ttext);
    if (rc < 0)
        return rc;
    if (rc == 1)
        return ty_err_set(c->err, TY_ECORRUPT,
                          "Kubernetes audit Event without requestReceivedTimestamp, "
                          "stageTimestamp or metadata.creationTimestamp");

    ty_event_clear(ev);
    ty_event_set_int(ev, TY_F_TS, ns);
    ty_event_set_int(ev, TY_F_TS_PREC, prec);
    ty_event_set_str(ev, TY_F_TIME_TEXT, ttext);
    if (erc == 0)
        ty_event_set_int(ev, TY_F_TS_END, end_ns);
    ty_event_set_str(ev, TY_F_CATEGORY, TY_STR_LIT("api"));
    ty_event_set_str(ev, TY_F_PROVIDER, TY_STR_LIT("kube-apiserver"));
    ty_event_set_str(ev, TY_F_VENDOR_ID, jstr(c, idx[K_AUDITID]));
    ty_event_set_str(ev, TY_F_HOST, c->host);

    m.n = 0;
    m.cut = false;
    struct ty_str stage = jstr(c, idx[K_STAGE]);
    struct ty_str level = jstr(c, idx[K_LEVEL]);
    mb_adds(&m, "stage=");
    mb_add(&m, stage.len ? stage.p : "-", stage.len ? stage.len : 1);
    if (level.len) {
        mb_adds(&m, " level=");
        mb_add(&m, level.p, level.len);
    }

    struct ty_str uri = jstr(c, idx[K_URI]);
    ty_event_set_str(ev, TY_F_REQUEST_URI, uri);
    ty_event_set_str(ev, TY_F_USER_AGENT, jstr(c, idx[K_USERAGENT]));
    map_user(c, ev, idx[K_USER], &node);
    ty_event_set_str(ev, TY_F_ACTOR_EFFECTIVE, get_str(c, idx[K_IMPERSONATED], "username"));
    map_source_ips(c, ev, idx[K_SOURCEIPS]);
    map_result(c, ev, idx[K_RESPSTATUS], idx[K_ANNOT], &m);
    map_target(c, ev, idx[K_OBJECTREF], idx[K_REQOBJ], verb, uri, &m, &node);
    if (ty_json_type(d, idx[K_OBJECTREF]) != TY_JSON_OBJECT)
        ty_event_set_str(ev, TY_F_HTTP_METHOD, http_method(verb));
    ty_event_set_str(ev, TY_F_K8S_NODE, node);
    char *msg = ty_arena_memdup(c->ctx->arena, m.b, m.n);
    if (!msg)
        c->rc = TY_ENOMEM;
    ty_event_set_str(ev, TY_F_MESSAGE, ty_str_make(msg, m.n));
    if (c->rc)
        return ty_err_set(c->err, c->rc, "out of memory");
    if (!c->emit)
        return 0;
    return ty_parse_emit(c->ctx, ev);
}

/* ---- wrappers ------------------------------------------------------------ */

/* A CloudWatch log event {"timestamp", "message": "<Event>"}: parse the message. */
static int convert_message(struct conv *c, uint32_t msg)
{
    struct ty_str text;
    const struct ty_json_doc *outer = c->d;
    int rc = ty_json_str(outer, msg, c->ctx->arena, &text);
    if (rc == TY_ENOMEM)
        return ty_err_set(c->err, rc, "out of memory");
    if (rc)
        return ty_err_set(c->err, TY_ECORRUPT, "\"message\" is not a string");
    rc = ty_json_parse(&c->k->doc2, text.p, text.len, c->err);
    if (rc == TY_ECORRUPT) {
        char tmp[sizeof(c->err->msg)];
        snprintf(tmp, sizeof(tmp), "%s", c->err->msg);
        return ty_err_set(c->err, rc, "\"message\" is not a JSON Event: %s", tmp);
    }
    if (rc)
        return rc;
    c->d = &c->k->doc2;
    rc = convert(c, 0);
    c->d = outer;
    return rc;
}

static bool is_event(const struct ty_json_doc *d, uint32_t obj)
{
    return ty_json_get(d, obj, "verb") != TY_JSON_NONE ||
           ty_json_get(d, obj, "auditID") != TY_JSON_NONE;
}

/* One element: an Event, or a CloudWatch event holding one. */
static int convert_any(struct conv *c, uint32_t v)
{
    if (ty_json_type(c->d, v) == TY_JSON_OBJECT && !is_event(c->d, v)) {
        uint32_t msg = ty_json_get(c->d, v, "message");
        if (ty_json_type(c->d, msg) == TY_JSON_STRING)
            return convert_message(c, msg);
    }
    return convert(c, v);
}

/* Every element of a list: validate them all first, then emit. */
static int convert_list(struct conv *c, uint32_t arr)
{
    const struct ty_json_doc *d = c->d;
    uint32_t i = 0;
    int rc;
    if (!d->toks[arr].count)
        return TY_SKIP; /* an empty envelope */
    c->emit = false;
    for (uint32_t e = ty_json_first(d, arr); e != TY_JSON_NONE; e = ty_json_next(d, e), i++) {
        if ((rc = convert_any(c, e)) < 0) {
            if (rc == TY_ECORRUPT) {
                char tmp[sizeof(c->err->msg)];
                snprintf(tmp, sizeof(tmp), "%s", c->err->msg);
                return ty_err_set(c->err, rc, "element %u: %s", i, tmp);
            }
            return rc;
        }
    }
    c->emit = true;
    for (uint32_t e = ty_json_first(d, arr); e != TY_JSON_NONE; e = ty_json_next(d, e))
        if ((rc = convert_any(c, e)) < 0)
            return rc;
    return TY_OK;
}

/* An RFC 3339 time, or digits (an epoch in s, ms or µs). */
static bool is_time_prefix(struct ty_str p)
{
    int64_t ns;
    size_t i = 0;
    while (i < p.len && ((p.p[i] >= '0' && p.p[i] <= '9') || p.p[i] == '.'))
        i++;
    return (p.len >= 10 && i == p.len) || ty_time_parse_iso(p, &ns, NULL, NULL) == 0;
}

static int k8s_record(struct ty_parse_ctx *ctx, const struct ty_record *rec, struct ty_err *err)
{
    struct k8s *k = ctx->priv;
    struct conv c = {ctx, k, ctx->json, err, TY_STR_NULL, true, 0};
    struct ty_str s = skip_ws(ty_str_make(rec->p, rec->len));
    int rc;

    if (!k)
        return ty_err_set(err, TY_EINVAL, "k8s-audit: record() before open()");
    if (s.len && s.p[0] != '{' && s.p[0] != '[') {
        /* "node-name {...}" or "2024-03-12T14:08:02.123Z {...}" */
        ptrdiff_t b = ty_str_chr(s, '{');
        if (b < 0)
            return ty_err_set(err, TY_ECORRUPT, "not a JSON object: no '{' in the record");
        struct ty_str prefix = ty_str_trim(ty_str_make(s.p, (size_t)b));
        if (prefix.len && ty_str_chr(prefix, ' ') < 0 && ty_str_chr(prefix, '\t') < 0 &&
            !is_time_prefix(prefix))
            c.host = prefix;
        s = ty_str_make(s.p + b, s.len - (size_t)b);
    }
    rc = ty_json_parse(ctx->json, s.p, s.len, err);
    if (rc == TY_ECORRUPT) {
        char tmp[sizeof(err->msg)];
        snprintf(tmp, sizeof(tmp), "%s", err->msg);
        return ty_err_set(err, rc, "not JSON: %s", tmp);
    }
    if (rc)
        return rc;
    c.d = ctx->json;
    if (ty_json_type(c.d, 0) == TY_JSON_ARRAY)
        return convert_list(&c, 0);
    if (ty_json_type(c.d, 0) == TY_JSON_OBJECT && !is_event(c.d, 0)) {
        uint32_t items = ty_json_get(c.d, 0, "items");
        if (ty_json_type(c.d, items) == TY_JSON_ARRAY)
            return convert_list(&c, items); /* EventList */
        uint32_t events = ty_json_get(c.d, 0, "events");
        if (ty_json_type(c.d, events) == TY_JSON_ARRAY)
            return convert_list(&c, events); /* aws logs ... output on one line */
    }
    rc = convert_any(&c, 0);
    return rc < 0 ? rc : TY_OK;
}

/* ---- sniff and open ------------------------------------------------------- */

static int k8s_sniff(struct ty_str head)
{
    struct ty_str s = skip_ws(head);
    if (!s.len)
        return 0;
    /* JSON, or a prefixed line with a '{' on the first line */
    if (s.p[0] != '{' && s.p[0] != '[') {
        const char *nl = memchr(s.p, '\n', s.len);
        struct ty_str line = ty_str_make(s.p, nl ? (size_t)(nl - s.p) : s.len);
        if (ty_str_chr(line, '{') < 0)
            return 0;
    }
    if (ty_str_contains(s, "eventVersion") && ty_str_contains(s, "eventSource"))
        return 0; /* CloudTrail, even inside a CloudWatch message */
    bool api = ty_str_contains(s, "audit.k8s.io/v1");
    bool audit_id = ty_str_contains(s, "auditID");
    bool rrt = ty_str_contains(s, "requestReceivedTimestamp") || ty_str_contains(s, "stageTimestamp");
    bool verb = ty_str_contains(s, "\"verb\"") || ty_str_contains(s, "\\\"verb\\\"");
    int score = 0;
    if (api && (audit_id || rrt || ty_str_contains(s, "EventList")))
        score = 95;
    else if (audit_id && rrt && verb)
        score = ty_str_contains(s, "\"kind\":\"Event\"") ? 90 : 85; /* v1beta1 lines lack apiVersion */
    else if (audit_id && verb && (ty_str_contains(s, "\"Event\"") || ty_str_contains(s, "\\\"Event\\\"")))
        score = 80; /* old events with only "timestamp" */
    else if (api)
        score = 60;
    /* Azure diagnostic records carrying AKS kube-audit: leave them to Azure */
    if (score && (ty_str_contains(s, "\"resourceId\"") || ty_str_contains(s, "\"resourceID\"")))
        score = 30;
    return score;
}

/* Shallow scan of the first JSON object in the head: which depth-1 keys it
 * has, and whether its first line is a whole object. */
struct head_info {
    bool items, events, message, audit_id, line_whole, has_newline;
};

static void scan_head(struct ty_str s, struct head_info *h)
{
    int depth = 0;
    bool in_str = false, esc = false;
    size_t key_start = 0;
    for (size_t i = 0; i < s.len; i++) {
        char ch = s.p[i];
        if (in_str) {
            if (esc) {
                esc = false;
            } else if (ch == '\\') {
                esc = true;
            } else if (ch == '"') {
                in_str = false;
                if (depth == 1) {
                    /* a key when ':' follows */
                    size_t j = i + 1;
                    while (j < s.len && (s.p[j] == ' ' || s.p[j] == '\t' || s.p[j] == '\n' ||
                                         s.p[j] == '\r'))
                        j++;
                    if (j < s.len && s.p[j] == ':') {
                        struct ty_str key = ty_str_make(s.p + key_start, i - key_start);
                        h->items |= ty_str_eq_cstr(key, "items");
                        h->events |= ty_str_eq_cstr(key, "events");
                        h->message |= ty_str_eq_cstr(key, "message");
                        h->audit_id |= ty_str_eq_cstr(key, "auditID");
                    }
                }
            }
            continue;
        }
        if (ch == '"') {
            in_str = true;
            key_start = i + 1;
        } else if (ch == '{' || ch == '[') {
            depth++;
        } else if (ch == '}' || ch == ']') {
            if (--depth == 0) {
                if (!h->has_newline)
                    h->line_whole = true;
                return;
            }
        } else if (ch == '\n') {
            h->has_newline = true;
        }
    }
}

static int k8s_open(struct ty_parse_ctx *ctx, struct ty_err *err)
{
    struct k8s *k = calloc(1, sizeof(*k));
    struct ty_str s = skip_ws(ctx->head);
    struct head_info h = {0};
    if (!k)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    ty_json_doc_init(&k->doc2, 0, 0);
    ctx->priv = k;
    ctx->frame.kind = TY_FRAME_LINES;
    ctx->frame.key = NULL;
    const char *v = ty_str_contains(s, "audit.k8s.io/v1beta1") ? ", audit.k8s.io/v1beta1"
                    : ty_str_contains(s, "audit.k8s.io/v1")    ? ", audit.k8s.io/v1"
                                                   : "";
    if (!s.len) {
        snprintf(ctx->shape, sizeof(ctx->shape), "empty");
    } else if (s.p[0] == '[') {
        ctx->frame.kind = TY_FRAME_JSON;
        snprintf(ctx->shape, sizeof(ctx->shape), "JSON array%s", v);
    } else if (s.p[0] != '{') {
        bool ts = false;
        const char *b = memchr(s.p, '{', s.len);
        if (b)
            ts = is_time_prefix(ty_str_trim(ty_str_make(s.p, (size_t)(b - s.p))));
        snprintf(ctx->shape, sizeof(ctx->shape), "%s-prefixed JSON lines%s",
                 ts ? "timestamp" : "node-name", v);
    } else {
        scan_head(s, &h);
        if (h.items && !h.audit_id) {
            ctx->frame.kind = TY_FRAME_JSON;
            ctx->frame.key = "items";
            snprintf(ctx->shape, sizeof(ctx->shape), "EventList documents (webhook)%s", v);
        } else if (h.events && !h.audit_id) {
            ctx->frame.kind = TY_FRAME_JSON;
            ctx->frame.key = "events";
            snprintf(ctx->shape, sizeof(ctx->shape), "CloudWatch Logs events JSON (EKS)%s", v);
        } else if (h.line_whole || !h.has_newline) {
            snprintf(ctx->shape, sizeof(ctx->shape), "%s%s",
                     h.message && !h.audit_id ? "CloudWatch JSON lines" : "JSON lines", v);
        } else {
            ctx->frame.kind = TY_FRAME_JSON;
            snprintf(ctx->shape, sizeof(ctx->shape), "JSON documents%s", v);
        }
    }
    return 0;
}

static void k8s_close(struct ty_parse_ctx *ctx)
{
    struct k8s *k = ctx->priv;
    if (!k)
        return;
    ty_json_doc_release(&k->doc2);
    free(k);
    ctx->priv = NULL;
}

const struct ty_parser ty_parser_k8s_audit = {
    .abi = TY_PARSER_ABI,
    .name = "k8s-audit",
    .desc = "Kubernetes API server audit events (audit.k8s.io v1/v1beta1; log, webhook, "
            "EKS CloudWatch, OpenShift)",
    .sniffs = "\"audit.k8s.io/v1\" with auditID, a stage timestamp or EventList (95); auditID "
              "+ requestReceivedTimestamp/stageTimestamp + verb (85-90); auditID + verb + "
              "\"Event\" (80); also escaped inside CloudWatch messages",
    .flags = TY_PARSER_F_JSON | TY_PARSER_F_EXACT_KEYS,
    .sniff = k8s_sniff,
    .open = k8s_open,
    .record = k8s_record,
    .close = k8s_close,
    /* SigmaHQ's Kubernetes rules: product kubernetes, service audit, and
     * often category application (sigma-spec §2.2) */
    .logsource = {.product = "kubernetes", .service = "audit", .category = "application"},
};
