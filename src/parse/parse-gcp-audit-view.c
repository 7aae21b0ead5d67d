/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse-gcp-audit-view.c - the Kubernetes view of GKE audit entries: rules
 * written for native audit.k8s.io Events (verb, objectRef.resource,
 * user.username, sourceIPs, requestObject.spec...) read a GKE LogEntry
 * through these names, next to the LogEntry's own (protoPayload.methodName).
 * Also the JSON flattening into dotted names that the AKS view reuses.
 *
 * Mapping: verb = methodName's last segment; objectRef.{apiGroup,
 * apiVersion, namespace, resource, name, subresource} from resourceName
 * ("apps/v1/namespaces/N/deployments/D", group "core" is the empty group);
 * user.username = principalEmail; sourceIPs = callerIp; userAgent =
 * callerSuppliedUserAgent; responseStatus.code = the HTTP code of
 * status.code (0/absent 200, 3 400, 5 404, 6 409, 7 403, 16 401);
 * requestObject/responseObject = protoPayload.request/response;
 * annotations = the LogEntry labels (authorization.k8s.io/decision ...).
 */
#include <stdio.h>
#include <string.h>

#include <tyto/err.h>

#include "parse-gcp-audit-int.h"

#define NAME_MAX_LEN 512

struct flat {
    const struct ty_json_doc *d;
    struct ty_arena *a;
    ty_kv_fn kv;
    void *arg;
    char name[NAME_MAX_LEN];
};

static int flat_walk(struct flat *f, uint32_t v, size_t nlen, int depth)
{
    const struct ty_json_doc *d = f->d;
    struct ty_str name = ty_str_make(f->name, nlen);
    int rc = 0;
    switch (ty_json_type(d, v)) {
    case TY_JSON_OBJECT:
        if (depth > 24)
            return 0;
        for (uint32_t k = ty_json_first(d, v); k != TY_JSON_NONE && !rc;
             k = ty_json_next_member(d, k)) {
            struct ty_str key;
            if (ty_json_str(d, k, f->a, &key) != 0)
                return TY_ENOMEM;
            size_t n = nlen + (nlen ? 1 : 0) + key.len;
            if (n >= sizeof(f->name))
                continue;
            if (nlen)
                f->name[nlen] = '.';
            memcpy(f->name + nlen + (nlen ? 1 : 0), key.p, key.len);
            rc = flat_walk(f, k + 1, n, depth + 1);
        }
        return rc;
    case TY_JSON_ARRAY:
        if (depth > 24)
            return 0;
        for (uint32_t e = ty_json_first(d, v); e != TY_JSON_NONE && !rc; e = ty_json_next(d, e))
            rc = flat_walk(f, e, nlen, depth + 1);
        return rc;
    case TY_JSON_STRING: {
        struct ty_str s;
        if (ty_json_str(d, v, f->a, &s) != 0)
            return TY_ENOMEM;
        return f->kv(f->arg, name, s);
    }
    case TY_JSON_NUMBER:
    case TY_JSON_TRUE:
    case TY_JSON_FALSE:
        return f->kv(f->arg, name, ty_json_raw(d, v));
    default:
        return 0;
    }
}

int ty_cloud_json_kv(const struct ty_json_doc *d, uint32_t v, const char *prefix,
                     struct ty_arena *a, ty_kv_fn kv, void *arg)
{
    struct flat f;
    size_t n = strlen(prefix);
    if (n >= sizeof(f.name))
        return 0;
    f.d = d;
    f.a = a;
    f.kv = kv;
    f.arg = arg;
    memcpy(f.name, prefix, n);
    return flat_walk(&f, v, n, 0);
}

/* ---- GKE ---------------------------------------------------------------- */

static int http_of_grpc(int64_t c)
{
    switch (c) {
    case 0:
        return 200;
    case 3:
        return 400;
    case 5:
        return 404;
    case 6:
        return 409;
    case 7:
        return 403;
    case 16:
        return 401;
    case 8:
        return 429;
    case 13:
        return 500;
    default:
        return 0;
    }
}

/* verb: the action up to its first space ("create pods/exec") */
static struct ty_str verb_of(const struct ty_event *ev)
{
    struct ty_str a = ty_event_str(ev, TY_F_ACTION);
    ptrdiff_t sp = ty_str_chr(a, ' ');
    return sp < 0 ? a : ty_str_make(a.p, (size_t)sp);
}

static struct ty_str kind_part(const struct ty_event *ev, bool sub)
{
    struct ty_str k = ty_event_str(ev, TY_F_TARGET_KIND);
    ptrdiff_t sl = ty_str_chr(k, '/');
    if (sub)
        return sl < 0 ? TY_STR_NULL : ty_str_make(k.p + sl + 1, k.len - (size_t)sl - 1);
    return sl < 0 ? k : ty_str_make(k.p, (size_t)sl);
}

int ty_gke_field_fast(const struct ty_event *ev, struct ty_str name, struct ty_str *out)
{
    struct ty_str v = TY_STR_NULL;
    if (ty_str_eq_cstr(name, "verb"))
        v = verb_of(ev);
    else if (ty_str_eq_cstr(name, "objectRef.resource"))
        v = kind_part(ev, false);
    else if (ty_str_eq_cstr(name, "objectRef.subresource"))
        v = kind_part(ev, true);
    else if (ty_str_eq_cstr(name, "objectRef.namespace"))
        v = ty_event_str(ev, TY_F_TARGET_NAMESPACE);
    else if (ty_str_eq_cstr(name, "objectRef.name"))
        v = ty_event_str(ev, TY_F_TARGET_NAME);
    else if (ty_str_eq_cstr(name, "user.username"))
        v = ty_event_str(ev, TY_F_ACTOR);
    else
        return 0;
    if (!v.len)
        return 0; /* absent: the full view answers (and says absent) */
    *out = v;
    return 1;
}

static int kvs(ty_kv_fn kv, void *arg, const char *name, struct ty_str v)
{
    return v.len ? kv(arg, ty_str_cstr(name), v) : 0;
}

int ty_gke_fields(const struct ty_event *ev, ty_kv_fn kv, void *arg)
{
    struct ty_json_doc doc;
    struct ty_arena a;
    struct ty_err err;
    char code[16];
    int rc;

    if ((rc = kvs(kv, arg, "verb", verb_of(ev))) || (rc = kvs(kv, arg, "stage",
                                                               TY_STR_LIT("ResponseComplete"))) ||
        (rc = kvs(kv, arg, "objectRef.resource", kind_part(ev, false))) ||
        (rc = kvs(kv, arg, "objectRef.subresource", kind_part(ev, true))) ||
        (rc = kvs(kv, arg, "objectRef.namespace", ty_event_str(ev, TY_F_TARGET_NAMESPACE))) ||
        (rc = kvs(kv, arg, "objectRef.name", ty_event_str(ev, TY_F_TARGET_NAME))) ||
        (rc = kvs(kv, arg, "user.username", ty_event_str(ev, TY_F_ACTOR))) ||
        (rc = kvs(kv, arg, "userAgent", ty_event_str(ev, TY_F_USER_AGENT))))
        return rc;

    ty_json_doc_init(&doc, 0, 0);
    ty_arena_init(&a, 4096, 0);
    if (!ev->raw.p || ty_json_parse(&doc, ev->raw.p, ev->raw.len, &err) != 0 ||
        ty_json_type(&doc, 0) != TY_JSON_OBJECT)
        goto out;
    uint32_t pp = ty_json_get(&doc, 0, "protoPayload");
    uint32_t rm = ty_json_get_nocase(&doc, pp, "requestMetadata");
    struct ty_str s;
    if (ty_json_str(&doc, ty_json_get_nocase(&doc, rm, "callerIp"), &a, &s) == 0 &&
        (rc = kvs(kv, arg, "sourceIPs", s)))
        goto out;
    int64_t c = 0;
    uint32_t ci = ty_json_path(&doc, pp, "status.code");
    if (ci == TY_JSON_NONE || ty_json_i64(&doc, ci, &c) == 0) {
        int h = http_of_grpc(c);
        int n = snprintf(code, sizeof(code), "%d", h);
        if (h && (rc = kv(arg, TY_STR_LIT("responseStatus.code"), ty_str_make(code, (size_t)n))))
            goto out;
    }
    /* apiGroup/apiVersion: the first two segments of resourceName */
    if (ty_json_str(&doc, ty_json_get(&doc, pp, "resourceName"), &a, &s) == 0 &&
        ty_event_has(ev, TY_F_TARGET_KIND)) {
        ptrdiff_t sl = ty_str_chr(s, '/');
        if (sl > 0) {
            struct ty_str grp = ty_str_make(s.p, (size_t)sl);
            struct ty_str rest = ty_str_make(s.p + sl + 1, s.len - (size_t)sl - 1);
            ptrdiff_t sl2 = ty_str_chr(rest, '/');
            if (!ty_str_eq_cstr(grp, "core") &&
                (rc = kvs(kv, arg, "objectRef.apiGroup", grp)))
                goto out;
            if (sl2 > 0 &&
                (rc = kvs(kv, arg, "objectRef.apiVersion", ty_str_make(rest.p, (size_t)sl2))))
                goto out;
        }
    }
    if ((rc = ty_cloud_json_kv(&doc, ty_json_get(&doc, pp, "request"), "requestObject", &a, kv,
                               arg)) ||
        (rc = ty_cloud_json_kv(&doc, ty_json_get(&doc, pp, "response"), "responseObject", &a, kv,
                               arg)) ||
        (rc = ty_cloud_json_kv(&doc, ty_json_get(&doc, 0, "labels"), "annotations", &a, kv, arg)))
        goto out;
    rc = ty_cloud_json_kv(&doc, 0, "", &a, kv, arg);
out:
    ty_arena_release(&a);
    ty_json_doc_release(&doc);
    return rc;
}
