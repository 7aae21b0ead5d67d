/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse-azure-monitor.c - Microsoft Azure Monitor records: the Activity log
 * (diagnostic and REST schemas, camelCase, snake_case and Log Analytics
 * PascalCase keys), Entra ID sign-in logs (interactive, non-interactive,
 * service principal, managed identity), audit logs, risk detections, Graph
 * activity, AKS kube-audit and other resource logs; one event per record.
 *
 * Record format (formats.md §3): {time, resourceId, operationName, category,
 * resultType, resultSignature, callerIpAddress, correlationId, identity,
 * level, properties{...}}; REST {eventTimestamp, caller, operationName
 * {value}, status{value}, subStatus{value}, httpRequest{clientIpAddress},
 * claims, authorization}; Log Analytics {TimeGenerated, Caller,
 * OperationNameValue, UserPrincipalName, IPAddress, InitiatedBy (a JSON
 * string) ...}; Graph API objects (signIn, directoryAudit) as the properties
 * of a record. Delivery shapes: PT1H.json blobs (JSON lines), Event Hubs
 * bodies {"records":[...]}, JSON arrays and pretty-printed documents
 * (framed as JSON on key "records"). Each event's format names the Sigma
 * log source its record belongs to (azure-activity, entra-signin,
 * entra-audit, entra-risk, aks-audit; azure-monitor otherwise). AKS
 * kube-audit records carry the Kubernetes Event as a JSON string in
 * properties.log: it is parsed by the k8s-audit parser itself and the event
 * keeps the Azure record as its raw record; the aks-audit view shows rules
 * the inner Event's names and the envelope's (parse-azure-view.c).
 * Quirks handled: keys in any case (Level/level, resourceId/resourceid);
 * times as ISO 8601 with 7 digits or "M/D/YYYY h:mm:ss AM|PM"; the actor
 * taken from identity.claims (UPN, name, appid) when caller is missing;
 * callerIpAddress "<null>" or a GUID kept as src_addr; resultType "0" is a
 * successful sign-in, Start/Accept an unknown outcome; display names
 * trimmed. A record with no time, or not an Azure record: TY_ECORRUPT
 * naming the byte offset.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/parser.h>
#include <tyto/time.h>

#include "parse-azure-int.h"
#include "parse-gcp-audit-int.h"

struct az {
    struct ty_event ev;
    struct ty_json_doc aux;  /* InitiatedBy/TargetResources given as JSON strings */
    struct ty_json_doc kjson; /* the kube-audit Event */
    struct ty_parse_ctx kctx; /* the k8s-audit parser's context for it */
    bool kopen;
    struct ty_parse_ctx *outer;
    struct ty_str cluster, account, raw;
    uint64_t offset, line; /* of the Azure record, for the events it holds */
};

#define NONE TY_JSON_NONE

struct rec {
    struct ty_parse_ctx *ctx;
    struct az *a;
    const struct ty_json_doc *d;
    struct ty_err *err;
    uint64_t base;
    uint32_t root, props;
    int rc;
};

static uint64_t off_of(struct rec *r, uint32_t i)
{
    return r->base + (i == NONE ? 0 : r->d->toks[i].off);
}

/* Keys in any case (Level/level, resourceId/resourceid): one case-insensitive scan. */
static uint32_t get(struct rec *r, uint32_t obj, const char *key)
{
    return ty_json_get_nocase(r->d, obj, key);
}

/* A scalar as text (strings decoded, numbers as written); "" for null. */
static struct ty_str txt(struct rec *r, uint32_t i)
{
    struct ty_str s = TY_STR_NULL;
    int t = ty_json_type(r->d, i);
    if (t != TY_JSON_STRING && t != TY_JSON_NUMBER && t != TY_JSON_TRUE && t != TY_JSON_FALSE)
        return s;
    if (ty_json_text(r->d, i, r->ctx->arena, &s) == TY_ENOMEM)
        r->rc = TY_ENOMEM;
    return ty_str_trim(s);
}

static struct ty_str gets(struct rec *r, uint32_t obj, const char *key)
{
    return txt(r, get(r, obj, key));
}

/* properties.X, else X at the top (Log Analytics and Graph API rows). */
static uint32_t pget(struct rec *r, const char *key)
{
    uint32_t i = get(r, r->props, key);
    return i != NONE ? i : get(r, r->root, key);
}

static struct ty_str pgets(struct rec *r, const char *key)
{
    return txt(r, pget(r, key));
}

/* A member that is an object, or a JSON string holding one (Log Analytics
 * InitiatedBy); the string form is parsed into the aux tape, so only one
 * such member can be live at a time. Returns the object's doc and index. */
static uint32_t obj_or_string(struct rec *r, uint32_t i, const struct ty_json_doc **d)
{
    *d = r->d;
    if (ty_json_type(r->d, i) == TY_JSON_OBJECT || ty_json_type(r->d, i) == TY_JSON_ARRAY)
        return i;
    if (ty_json_type(r->d, i) != TY_JSON_STRING)
        return NONE;
    struct ty_str s;
    struct ty_err e;
    if (ty_json_str(r->d, i, r->ctx->arena, &s) != 0 || !s.len ||
        ty_json_parse(&r->a->aux, s.p, s.len, &e) != 0)
        return NONE;
    *d = &r->a->aux;
    return 0;
}

static struct ty_str dstr(struct rec *r, const struct ty_json_doc *d, uint32_t obj, const char *k)
{
    struct ty_str s = TY_STR_NULL;
    uint32_t i = ty_json_get_nocase(d, obj, k);
    if (ty_json_type(d, i) != TY_JSON_STRING)
        return s;
    if (ty_json_str(d, i, r->ctx->arena, &s) == TY_ENOMEM)
        r->rc = TY_ENOMEM;
    return ty_str_trim(s);
}

/* ---- times ---------------------------------------------------------------- */

static bool digits(struct ty_str s, size_t *i, int max, int *out)
{
    int v = 0, n = 0;
    while (*i < s.len && s.p[*i] >= '0' && s.p[*i] <= '9' && n < max) {
        v = v * 10 + (s.p[*i] - '0');
        (*i)++;
        n++;
    }
    *out = v;
    return n > 0;
}

/* "3/24/2022 2:42:35 PM" (US, UTC): the Azure portal's export style. */
static int parse_us_time(struct ty_str s, int64_t *ns)
{
    size_t i = 0;
    int mo, d, y, h, mi, se;
    if (!digits(s, &i, 2, &mo) || i >= s.len || s.p[i++] != '/' || !digits(s, &i, 2, &d) ||
        i >= s.len || s.p[i++] != '/' || !digits(s, &i, 4, &y) || i >= s.len ||
        s.p[i++] != ' ' || !digits(s, &i, 2, &h) || i >= s.len || s.p[i++] != ':' ||
        !digits(s, &i, 2, &mi) || i >= s.len || s.p[i++] != ':' || !digits(s, &i, 2, &se))
        return TY_EINVAL;
    struct ty_str ampm = ty_str_trim(ty_str_make(s.p + i, s.len - i));
    if (ampm.len) {
        if (h < 1 || h > 12)
            return TY_EINVAL;
        if (ty_str_eq_nocase(ampm, TY_STR_LIT("PM")))
            h = h % 12 + 12;
        else if (ty_str_eq_nocase(ampm, TY_STR_LIT("AM")))
            h = h % 12;
        else
            return TY_EINVAL;
    }
    char iso[32];
    int n = snprintf(iso, sizeof(iso), "%04d-%02d-%02dT%02d:%02d:%02dZ", y, mo, d, h, mi, se);
    if (n <= 0 || (size_t)n >= sizeof(iso))
        return TY_EINVAL;
    return ty_time_parse_iso(ty_str_make(iso, (size_t)n), ns, NULL, NULL);
}

static int parse_time(struct ty_str s, int64_t *ns, int *prec)
{
    if (ty_time_parse_iso(s, ns, prec, NULL) == 0)
        return 0;
    *prec = 0;
    return parse_us_time(s, ns);
}

/* ---- record kinds ---------------------------------------------------------- */

enum kind { K_ACTIVITY, K_SIGNIN, K_AUDIT, K_RISK, K_GRAPH, K_AKS, K_OTHER };

static bool cat_is(struct ty_str c, const char *s)
{
    return ty_str_eq_nocase(c, ty_str_cstr(s));
}

static bool activity_category(struct ty_str cat)
{
    static const char *const cats[] = {"Administrative", "Security", "Policy", "ServiceHealth",
                                       "ResourceHealth", "Alert", "Autoscale", "Recommendation",
                                       "Write", "Delete", "Action"};
    for (size_t i = 0; i < sizeof(cats) / sizeof(cats[0]); i++)
        if (cat_is(cat, cats[i]))
            return true;
    return false;
}

/* By category first (one comparison per known name); the content decides
 * only for records whose category is missing or foreign (Graph API objects,
 * Entra records re-categorised by an export). */
static enum kind kind_of(struct rec *r, struct ty_str cat)
{
    if (cat_is(cat, "kube-audit") || cat_is(cat, "kube-audit-admin"))
        return K_AKS;
    if (cat_is(cat, "SignInLogs") || cat_is(cat, "NonInteractiveUserSignInLogs") ||
        cat_is(cat, "ServicePrincipalSignInLogs") || cat_is(cat, "ManagedIdentitySignInLogs") ||
        cat_is(cat, "ADFSSignInLogs"))
        return K_SIGNIN;
    if (cat_is(cat, "UserRiskEvents") || cat_is(cat, "RiskyUsers") ||
        cat_is(cat, "ServicePrincipalRiskEvents") || cat_is(cat, "RiskyServicePrincipals"))
        return K_RISK;
    if (cat_is(cat, "MicrosoftGraphActivityLogs"))
        return K_GRAPH;
    if (cat_is(cat, "AuditLogs"))
        return K_AUDIT;
    bool entra = pget(r, "activityDisplayName") != NONE || pget(r, "initiatedBy") != NONE;
    if (activity_category(cat) && !entra)
        return K_ACTIVITY;
    if (entra)
        return K_AUDIT;
    if (pget(r, "riskEventType") != NONE)
        return K_RISK;
    if (pget(r, "userPrincipalName") != NONE &&
        (pget(r, "appDisplayName") != NONE || pget(r, "clientAppUsed") != NONE ||
         pget(r, "resultType") != NONE))
        return K_SIGNIN;
    if (get(r, r->root, "eventTimestamp") != NONE || get(r, r->root, "event_timestamp") != NONE ||
        get(r, r->root, "OperationNameValue") != NONE)
        return K_ACTIVITY;
    return K_OTHER;
}

static const char *format_of(enum kind k)
{
    switch (k) {
    case K_ACTIVITY:
        return ty_parser_azure_activity.name;
    case K_SIGNIN:
        return ty_parser_entra_signin.name;
    case K_AUDIT:
        return ty_parser_entra_audit.name;
    case K_RISK:
        return ty_parser_entra_risk.name;
    case K_AKS:
        return ty_parser_aks_audit.name;
    default:
        return ty_parser_azure_monitor.name;
    }
}

/* ---- shared pieces ----------------------------------------------------------- */

/* "/subscriptions/<id>/..." (any case) -> id */
static struct ty_str arm_segment(struct ty_str id, const char *what)
{
    size_t n = strlen(what);
    for (size_t i = 0; i + n + 2 < id.len; i++) {
        if (id.p[i] != '/' || !ty_str_eq_nocase(ty_str_make(id.p + i + 1, n), ty_str_cstr(what)) ||
            id.p[i + 1 + n] != '/')
            continue;
        struct ty_str rest = ty_str_make(id.p + i + n + 2, id.len - i - n - 2);
        ptrdiff_t sl = ty_str_chr(rest, '/');
        return sl < 0 ? rest : ty_str_make(rest.p, (size_t)sl);
    }
    return TY_STR_NULL;
}

static struct ty_str last_seg(struct ty_str s)
{
    for (size_t i = s.len; i > 0; i--)
        if (s.p[i - 1] == '/')
            return ty_str_make(s.p + i, s.len - i);
    return s;
}

static void set_ip(struct rec *r, struct ty_event *ev, struct ty_str ip)
{
    if (!ip.len || ty_str_eq_cstr(ip, "<null>"))
        return;
    ty_event_set_addr(ev, TY_F_SRC_IP, TY_F_SRC_ADDR, ip);
    (void)r;
}

static const char *const C_UPN = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn";
static const char *const C_NAME = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name";
static const char *const C_OID = "http://schemas.microsoft.com/identity/claims/objectidentifier";
static const char *const C_AMR = "http://schemas.microsoft.com/claims/authnmethodsreferences";

/* ---- Activity log ------------------------------------------------------------- */

/* operationName as a string (diagnostic), {value} (REST) or OperationNameValue. */
static struct ty_str named_value(struct rec *r, const char *k1, const char *k2, const char *k3)
{
    uint32_t i = get(r, r->root, k1);
    if (i == NONE && k2)
        i = get(r, r->root, k2);
    if (ty_json_type(r->d, i) == TY_JSON_OBJECT)
        return gets(r, i, "value");
    struct ty_str s = txt(r, i);
    if (!s.len && k3)
        s = gets(r, r->root, k3);
    return s;
}

static void map_activity(struct rec *r, struct ty_event *ev)
{
    uint32_t root = r->root;
    struct ty_str op = named_value(r, "operationName", "operation_name", "OperationNameValue");
    struct ty_str status = named_value(r, "status", NULL, "ActivityStatusValue");
    if (!status.len)
        status = gets(r, root, "resultType");
    struct ty_str sub = named_value(r, "subStatus", "sub_status", "ActivitySubstatusValue");
    if (!sub.len)
        sub = gets(r, root, "resultSignature");
    if (!sub.len)
        sub = gets(r, r->props, "statusCode");
    ty_event_set_str(ev, TY_F_CATEGORY, TY_STR_LIT("api"));
    ty_event_set_str(ev, TY_F_ACTION, op);
    struct ty_str prov = named_value(r, "resourceProviderName", "resource_provider_name",
                                     "ResourceProviderValue");
    if (!prov.len) {
        ptrdiff_t sl = ty_str_chr(op, '/');
        prov = sl > 0 ? ty_str_make(op.p, (size_t)sl) : TY_STR_NULL;
    }
    ty_event_set_str(ev, TY_F_PROVIDER, prov);
    const char *out = NULL;
    if (cat_is(status, "Success") || cat_is(status, "Succeeded"))
        out = "success";
    else if (cat_is(status, "Failure") || cat_is(status, "Failed"))
        out = "failure";
    else if (status.len)
        out = "unknown";
    if (out)
        ty_event_set_str(ev, TY_F_OUTCOME, ty_str_cstr(out));
    ty_event_set_str(ev, TY_F_STATUS_CODE, sub);
    ty_event_set_str(ev, TY_F_STATUS_DETAIL, gets(r, root, "resultDescription"));

    /* who: caller, else the token's claims, else the authorization evidence */
    uint32_t ident = get(r, root, "identity");
    uint32_t claims = get(r, root, "claims");
    if (claims == NONE)
        claims = get(r, ident, "claims");
    uint32_t evid = ty_json_path(r->d, get(r, ident, "authorization"), "evidence");
    if (evid == NONE)
        evid = ty_json_path(r->d, get(r, root, "authorization"), "evidence");
    struct ty_str who = gets(r, root, "caller");
    if (!who.len)
        who = gets(r, claims, C_UPN);
    if (!who.len)
        who = gets(r, claims, "upn");
    if (!who.len)
        who = gets(r, claims, "unique_name");
    if (!who.len)
        who = gets(r, claims, C_NAME);
    if (!who.len)
        who = gets(r, claims, "appid");
    if (!who.len)
        who = gets(r, evid, "principalId");
    ty_event_set_str(ev, TY_F_ACTOR, who);
    struct ty_str oid = gets(r, claims, C_OID);
    ty_event_set_str(ev, TY_F_ACTOR_ID, oid.len ? oid : gets(r, evid, "principalId"));
    struct ty_str ptype = gets(r, evid, "principalType");
    if (!ptype.len) {
        struct ty_str idtyp = gets(r, claims, "idtyp");
        ptype = cat_is(idtyp, "app") ? TY_STR_LIT("ServicePrincipal")
                : cat_is(idtyp, "user") ? TY_STR_LIT("User")
                                        : TY_STR_NULL;
    }
    ty_event_set_str(ev, TY_F_ACTOR_TYPE, ptype);
    struct ty_str amr = gets(r, claims, C_AMR);
    if (amr.len)
        ty_event_set_int(ev, TY_F_ACTOR_MFA, ty_str_contains(amr, "mfa"));
    ty_event_set_str(ev, TY_F_ACTOR_ISSUER, gets(r, claims, "appid"));

    struct ty_str ip = gets(r, root, "callerIpAddress");
    if (!ip.len)
        ip = gets(r, get(r, root, "httpRequest"), "clientIpAddress");
    if (!ip.len)
        ip = gets(r, get(r, root, "http_request"), "client_ip_address");
    if (!ip.len)
        ip = gets(r, claims, "ipaddr");
    set_ip(r, ev, ip);
    ty_event_set_str(ev, TY_F_HTTP_METHOD, gets(r, get(r, root, "httpRequest"), "method"));

    struct ty_str rid = gets(r, root, "resourceId");
    if (!rid.len)
        rid = gets(r, root, "resource_id");
    if (!rid.len)
        rid = gets(r, root, "_ResourceId");
    ty_event_set_str(ev, TY_F_TARGET, rid);
    struct ty_str rtype = named_value(r, "resourceType", "resource_type", NULL);
    if (!rtype.len && op.len) {
        /* Microsoft.Compute/virtualMachines/write -> Microsoft.Compute/virtualMachines */
        for (size_t i = op.len; i > 0; i--)
            if (op.p[i - 1] == '/') {
                rtype = ty_str_make(op.p, i - 1);
                break;
            }
    }
    ty_event_set_str(ev, TY_F_TARGET_KIND, rtype);
    if (rid.len)
        ty_event_set_str(ev, TY_F_TARGET_NAME, last_seg(rid));
    struct ty_str vm = arm_segment(rid, "virtualMachines");
    ty_event_set_str(ev, TY_F_HOST, vm);
    struct ty_str aks = arm_segment(rid, "managedClusters");
    ty_event_set_str(ev, TY_F_K8S_CLUSTER, aks);
    ty_event_set_str(ev, TY_F_VENDOR_ID, gets(r, root, "eventDataId"));
    if (!ty_event_has(ev, TY_F_VENDOR_ID))
        ty_event_set_str(ev, TY_F_VENDOR_ID, gets(r, root, "event_data_id"));
}

/* ---- Entra ID ------------------------------------------------------------------ */

static void map_signin(struct rec *r, struct ty_event *ev, struct ty_str cat)
{
    ty_event_set_str(ev, TY_F_CATEGORY, TY_STR_LIT("auth"));
    struct ty_str op = gets(r, r->root, "operationName");
    ty_event_set_str(ev, TY_F_ACTION, op.len ? op : TY_STR_LIT("Sign-in activity"));
    ty_event_set_str(ev, TY_F_PROVIDER, TY_STR_LIT("Microsoft.aadiam"));
    bool sp = cat_is(cat, "ServicePrincipalSignInLogs");
    bool mi = cat_is(cat, "ManagedIdentitySignInLogs");
    struct ty_str upn = pgets(r, "userPrincipalName");
    struct ty_str spn = pgets(r, "servicePrincipalName");
    struct ty_str who = upn.len ? upn : spn;
    if (!who.len)
        who = gets(r, r->root, "identity");
    ty_event_set_str(ev, TY_F_ACTOR, who);
    struct ty_str uid = pgets(r, "userId");
    ty_event_set_str(ev, TY_F_ACTOR_ID, uid.len ? uid : pgets(r, "servicePrincipalId"));
    struct ty_str utype = pgets(r, "userType");
    ty_event_set_str(ev, TY_F_ACTOR_TYPE,
                     mi                     ? TY_STR_LIT("ManagedIdentity")
                     : sp || (!upn.len && spn.len) ? TY_STR_LIT("ServicePrincipal")
                     : cat_is(utype, "Guest") ? TY_STR_LIT("Guest")
                                              : TY_STR_LIT("User"));
    struct ty_str ip = pgets(r, "ipAddress");
    set_ip(r, ev, ip.len ? ip : gets(r, r->root, "callerIpAddress"));
    ty_event_set_str(ev, TY_F_USER_AGENT, pgets(r, "userAgent"));
    /* outcome: resultType (diagnostic), status.errorCode (Graph), ResultType */
    struct ty_str code = gets(r, r->root, "resultType");
    uint32_t st = pget(r, "status");
    if (!code.len)
        code = gets(r, st, "errorCode");
    if (code.len) {
        ty_event_set_str(ev, TY_F_STATUS_CODE, code);
        ty_event_set_str(ev, TY_F_OUTCOME, ty_str_eq_cstr(code, "0") ? TY_STR_LIT("success")
                                                                     : TY_STR_LIT("failure"));
    }
    struct ty_str why = gets(r, r->root, "resultDescription");
    ty_event_set_str(ev, TY_F_STATUS_DETAIL, why.len ? why : gets(r, st, "failureReason"));
    struct ty_str app = pgets(r, "appDisplayName");
    struct ty_str res = pgets(r, "resourceDisplayName");
    ty_event_set_str(ev, TY_F_TARGET, res.len ? res : app);
    ty_event_set_str(ev, TY_F_TARGET_NAME, app);
    ty_event_set_str(ev, TY_F_TARGET_KIND, TY_STR_LIT("application"));
    struct ty_str req = pgets(r, "authenticationRequirement");
    if (req.len)
        ty_event_set_int(ev, TY_F_ACTOR_MFA, cat_is(req, "multiFactorAuthentication"));
    ty_event_set_str(ev, TY_F_VENDOR_ID, pgets(r, "id"));
    /* managed identity sign-ins name the Azure resource holding the identity */
    if (mi) {
        struct ty_str mir = pgets(r, "managedIdentityResourceId");
        if (!mir.len)
            mir = pgets(r, "resourceId");
        ty_event_set_str(ev, TY_F_HOST, arm_segment(mir, "virtualMachines"));
        ty_event_set_str(ev, TY_F_HOST_ID, mir);
    }
    /* country and risk, for the human line */
    uint32_t loc = pget(r, "location");
    if (ty_json_type(r->d, loc) != TY_JSON_OBJECT)
        loc = pget(r, "LocationDetails");
    const struct ty_json_doc *ld;
    uint32_t lo = obj_or_string(r, loc, &ld);
    struct ty_str country = lo != NONE ? dstr(r, ld, lo, "countryOrRegion") : TY_STR_NULL;
    struct ty_str risk = pgets(r, "riskLevelDuringSignIn");
    struct ty_str client = pgets(r, "clientAppUsed");
    struct ty_str m = ty_arena_printf(r->ctx->arena, "%s%.*s%s%.*s%s%.*s",
                                      country.len ? "country=" : "", (int)country.len,
                                      country.p ? country.p : "",
                                      risk.len ? " risk=" : "", (int)risk.len, risk.p ? risk.p : "",
                                      client.len ? " client=" : "", (int)client.len,
                                      client.p ? client.p : "");
    if (!m.p)
        r->rc = TY_ENOMEM;
    ty_event_set_str(ev, TY_F_MESSAGE, ty_str_trim(m));
}

static void map_audit(struct rec *r, struct ty_event *ev)
{
    ty_event_set_str(ev, TY_F_CATEGORY, TY_STR_LIT("api"));
    struct ty_str act = pgets(r, "activityDisplayName");
    if (!act.len)
        act = gets(r, r->root, "operationName");
    ty_event_set_str(ev, TY_F_ACTION, act);
    struct ty_str by = pgets(r, "loggedByService");
    ty_event_set_str(ev, TY_F_PROVIDER, by.len ? by : TY_STR_LIT("Microsoft.aadiam"));
    struct ty_str result = pgets(r, "result");
    if (cat_is(result, "success"))
        ty_event_set_str(ev, TY_F_OUTCOME, TY_STR_LIT("success"));
    else if (cat_is(result, "failure") || cat_is(result, "timeout"))
        ty_event_set_str(ev, TY_F_OUTCOME, TY_STR_LIT("failure"));
    ty_event_set_str(ev, TY_F_STATUS_DETAIL, pgets(r, "resultReason"));
    ty_event_set_str(ev, TY_F_VENDOR_ID, pgets(r, "id"));

    const struct ty_json_doc *d;
    uint32_t ib = obj_or_string(r, pget(r, "initiatedBy"), &d);
    uint32_t user = ty_json_get_nocase(d, ib, "user");
    uint32_t app = ty_json_get_nocase(d, ib, "app");
    struct ty_str who = TY_STR_NULL, id = TY_STR_NULL, ip = TY_STR_NULL;
    if (ty_json_type(d, user) == TY_JSON_OBJECT) {
        who = dstr(r, d, user, "userPrincipalName");
        if (!who.len)
            who = dstr(r, d, user, "displayName");
        id = dstr(r, d, user, "id");
        ip = dstr(r, d, user, "ipAddress");
        ty_event_set_str(ev, TY_F_ACTOR_TYPE, TY_STR_LIT("User"));
    } else if (ty_json_type(d, app) == TY_JSON_OBJECT) {
        who = dstr(r, d, app, "servicePrincipalName");
        if (!who.len)
            who = dstr(r, d, app, "displayName");
        if (!who.len)
            who = dstr(r, d, app, "appId");
        id = dstr(r, d, app, "servicePrincipalId");
        ty_event_set_str(ev, TY_F_ACTOR_TYPE, TY_STR_LIT("ServicePrincipal"));
    }
    if (!who.len)
        who = gets(r, r->root, "identity");
    ty_event_set_str(ev, TY_F_ACTOR, who);
    ty_event_set_str(ev, TY_F_ACTOR_ID, id);
    set_ip(r, ev, ip.len ? ip : gets(r, r->root, "callerIpAddress"));

    /* the first target; a user target is also target_user */
    uint32_t tr = obj_or_string(r, pget(r, "targetResources"), &d);
    uint32_t t0 = ty_json_type(d, tr) == TY_JSON_ARRAY ? ty_json_first(d, tr) : NONE;
    if (t0 != NONE) {
        struct ty_str name = dstr(r, d, t0, "displayName");
        struct ty_str upn = dstr(r, d, t0, "userPrincipalName");
        struct ty_str type = dstr(r, d, t0, "type");
        ty_event_set_str(ev, TY_F_TARGET, name.len ? name : upn.len ? upn : dstr(r, d, t0, "id"));
        ty_event_set_str(ev, TY_F_TARGET_NAME, name.len ? name : upn);
        ty_event_set_str(ev, TY_F_TARGET_KIND, type);
        ty_event_set_str(ev, TY_F_TARGET_USER, upn);
    }
    /* User-Agent from additionalDetails */
    uint32_t ad = obj_or_string(r, pget(r, "additionalDetails"), &d);
    if (ty_json_type(d, ad) == TY_JSON_ARRAY)
        for (uint32_t x = ty_json_first(d, ad); x != NONE; x = ty_json_next(d, x))
            if (ty_str_eq_nocase(dstr(r, d, x, "key"), TY_STR_LIT("User-Agent"))) {
                ty_event_set_str(ev, TY_F_USER_AGENT, dstr(r, d, x, "value"));
                break;
            }
}

static void map_risk(struct rec *r, struct ty_event *ev)
{
    ty_event_set_str(ev, TY_F_CATEGORY, TY_STR_LIT("insight"));
    struct ty_str type = pgets(r, "riskEventType");
    ty_event_set_str(ev, TY_F_ACTION, type.len ? type : gets(r, r->root, "operationName"));
    ty_event_set_str(ev, TY_F_PROVIDER, TY_STR_LIT("IdentityProtection"));
    struct ty_str who = pgets(r, "userPrincipalName");
    ty_event_set_str(ev, TY_F_ACTOR, who.len ? who : gets(r, r->root, "identity"));
    ty_event_set_str(ev, TY_F_ACTOR_ID, pgets(r, "userId"));
    struct ty_str ip = pgets(r, "ipAddress");
    set_ip(r, ev, ip.len ? ip : gets(r, r->root, "callerIpAddress"));
    ty_event_set_str(ev, TY_F_SEVERITY, pgets(r, "riskLevel"));
    ty_event_set_str(ev, TY_F_VENDOR_ID, pgets(r, "id"));
    struct ty_str state = pgets(r, "riskState");
    struct ty_str det = pgets(r, "riskDetail");
    struct ty_str m = ty_arena_printf(r->ctx->arena, "risk %.*s %.*s", (int)state.len,
                                      state.p ? state.p : "", (int)det.len, det.p ? det.p : "");
    if (!m.p)
        r->rc = TY_ENOMEM;
    ty_event_set_str(ev, TY_F_MESSAGE, ty_str_trim(m));
}

static void map_graph(struct rec *r, struct ty_event *ev)
{
    ty_event_set_str(ev, TY_F_CATEGORY, TY_STR_LIT("api"));
    struct ty_str method = pgets(r, "requestMethod");
    struct ty_str uri = pgets(r, "requestUri");
    ty_event_set_str(ev, TY_F_ACTION, method.len ? method : gets(r, r->root, "operationName"));
    ty_event_set_str(ev, TY_F_PROVIDER, TY_STR_LIT("Microsoft Graph"));
    ty_event_set_str(ev, TY_F_HTTP_METHOD, method);
    ty_event_set_str(ev, TY_F_REQUEST_URI, uri);
    ty_event_set_str(ev, TY_F_TARGET, uri);
    int64_t code;
    if (ty_json_i64(r->d, pget(r, "responseStatusCode"), &code) == 0) {
        ty_event_set_int(ev, TY_F_HTTP_STATUS, code);
        ty_event_set_str(ev, TY_F_OUTCOME, code >= 200 && code < 400 ? TY_STR_LIT("success")
                                                                     : TY_STR_LIT("failure"));
    }
    ty_event_set_str(ev, TY_F_STATUS_CODE, gets(r, r->root, "resultSignature"));
    struct ty_str uid = pgets(r, "userId");
    struct ty_str spid = pgets(r, "servicePrincipalId");
    ty_event_set_str(ev, TY_F_ACTOR, uid.len ? uid : spid.len ? spid : pgets(r, "appId"));
    ty_event_set_str(ev, TY_F_ACTOR_ID, uid.len ? uid : spid);
    ty_event_set_str(ev, TY_F_ACTOR_TYPE, uid.len ? TY_STR_LIT("User")
                                                  : TY_STR_LIT("ServicePrincipal"));
    struct ty_str ip = pgets(r, "ipAddress");
    set_ip(r, ev, ip.len ? ip : gets(r, r->root, "callerIpAddress"));
    ty_event_set_str(ev, TY_F_USER_AGENT, pgets(r, "userAgent"));
}

static void map_other(struct rec *r, struct ty_event *ev)
{
    ty_event_set_str(ev, TY_F_CATEGORY, TY_STR_LIT("log"));
    ty_event_set_str(ev, TY_F_ACTION, gets(r, r->root, "operationName"));
    struct ty_str rid = gets(r, r->root, "resourceId");
    struct ty_str prov = arm_segment(rid, "providers");
    ty_event_set_str(ev, TY_F_PROVIDER, prov);
    ty_event_set_str(ev, TY_F_TARGET, rid);
    struct ty_str rt = gets(r, r->root, "resultType");
    if (cat_is(rt, "Success") || cat_is(rt, "Succeeded"))
        ty_event_set_str(ev, TY_F_OUTCOME, TY_STR_LIT("success"));
    else if (cat_is(rt, "Failure") || cat_is(rt, "Failed"))
        ty_event_set_str(ev, TY_F_OUTCOME, TY_STR_LIT("failure"));
    set_ip(r, ev, gets(r, r->root, "callerIpAddress"));
}

/* ---- AKS kube-audit: the k8s-audit parser reads properties.log -------------- */

static int aks_emit(void *sink, struct ty_event *ev)
{
    struct az *a = sink;
    ev->format = ty_parser_aks_audit.name;
    ev->raw = a->raw;
    ev->raw_json = NULL;
    ev->offset = a->offset;
    ev->line = a->line;
    ty_event_set_str(ev, TY_F_CLOUD_PROVIDER, TY_STR_LIT("azure"));
    ty_event_set_str(ev, TY_F_CLOUD_ACCOUNT, a->account);
    ty_event_set_str(ev, TY_F_K8S_CLUSTER, a->cluster);
    /* workload identity: a service account bound to a managed identity's client id */
    uint32_t ann = ty_json_path(&a->kjson, 0, "requestObject.metadata.annotations");
    uint32_t cid = ty_json_get(&a->kjson, ann, "azure.workload.identity/client-id");
    struct ty_str s;
    if (ty_str_starts(ty_event_str(ev, TY_F_TARGET_KIND), "serviceaccounts") &&
        ty_json_str(&a->kjson, cid, a->outer->arena, &s) == 0)
        ty_event_set_str(ev, TY_F_TARGET_USER, s);
    return ty_parse_emit(a->outer, ev);
}

static int map_aks(struct rec *r, struct ty_str raw)
{
    struct az *a = r->a;
    uint32_t li = get(r, r->props, "log");
    if (ty_json_type(r->d, li) != TY_JSON_STRING)
        return ty_err_set(r->err, TY_ECORRUPT,
                          "offset %llu: kube-audit record without properties.log string",
                          (unsigned long long)off_of(r, r->props));
    struct ty_str log;
    if (ty_json_str(r->d, li, r->ctx->arena, &log) != 0)
        return ty_err_set(r->err, TY_ENOMEM, "out of memory");
    if (!a->kopen) {
        memset(&a->kctx, 0, sizeof(a->kctx));
        a->kctx.evidence = r->ctx->evidence;
        a->kctx.head = TY_STR_LIT("{");
        a->kctx.arena = r->ctx->arena;
        a->kctx.json = &a->kjson;
        a->kctx.emit = aks_emit;
        a->kctx.sink = a;
        a->kctx.parser = &ty_parser_k8s_audit;
        int rc = ty_parser_k8s_audit.open(&a->kctx, r->err);
        if (rc < 0)
            return rc;
        a->kopen = true;
    }
    struct ty_str rid = gets(r, r->root, "resourceId");
    a->cluster = arm_segment(rid, "managedClusters");
    a->account = arm_segment(rid, "subscriptions");
    a->raw = raw;
    a->outer = r->ctx;
    a->offset = r->base + r->d->toks[r->root].off;
    a->line = r->ctx->rec ? r->ctx->rec->line : 0;
    struct ty_record kr = {log.p, log.len, off_of(r, li), r->ctx->rec ? r->ctx->rec->line : 0};
    a->kctx.rec = &kr;
    a->kctx.n_emitted = 0;
    int rc = ty_parser_k8s_audit.record(&a->kctx, &kr, r->err);
    a->kctx.rec = NULL;
    if (rc == TY_ECORRUPT) {
        char tmp[sizeof(r->err->msg)];
        snprintf(tmp, sizeof(tmp), "%s", r->err->msg);
        return ty_err_set(r->err, rc, "offset %llu: kube-audit properties.log: %s",
                          (unsigned long long)off_of(r, li), tmp);
    }
    return rc;
}

/* ---- one record ---------------------------------------------------------------- */

static int one(struct ty_parse_ctx *ctx, struct az *a, const struct ty_json_doc *d, uint32_t root,
               uint64_t base, struct ty_str raw, struct ty_err *err)
{
    struct rec r = {ctx, a, d, err, base, root, NONE, 0};
    struct ty_event *ev = &a->ev;
    if (ty_json_type(d, root) != TY_JSON_OBJECT)
        return ty_err_set(err, TY_ECORRUPT, "offset %llu: an Azure record is not a JSON object",
                          (unsigned long long)off_of(&r, root));
    r.props = get(&r, root, "properties");
    if (ty_json_type(d, r.props) != TY_JSON_OBJECT)
        r.props = NONE;
    struct ty_str cat = named_value(&r, "category", NULL, NULL);
    enum kind k = kind_of(&r, cat);
    if (k == K_AKS)
        return map_aks(&r, raw);
    if (get(&r, root, "operationName") == NONE && get(&r, root, "operation_name") == NONE &&
        get(&r, root, "OperationNameValue") == NONE && k == K_OTHER)
        return ty_err_set(err, TY_ECORRUPT,
                          "offset %llu: not an Azure Monitor record (no operationName, "
                          "category or sign-in/audit properties)",
                          (unsigned long long)off_of(&r, root));

    static const char *const tkeys[] = {"time", "eventTimestamp", "event_timestamp",
                                        "TimeGenerated", "timeStamp"};
    uint32_t ti = NONE;
    for (size_t i = 0; i < sizeof(tkeys) / sizeof(tkeys[0]) && ti == NONE; i++)
        ti = get(&r, root, tkeys[i]);
    if (ti == NONE)
        ti = pget(&r, k == K_AUDIT ? "activityDateTime" : k == K_RISK ? "detectedDateTime"
                                                                       : "createdDateTime");
    if (ti == NONE)
        return ty_err_set(err, TY_ECORRUPT, "offset %llu: Azure record without time",
                          (unsigned long long)off_of(&r, root));
    struct ty_str tt = txt(&r, ti);
    int64_t ns;
    int prec = 0;
    if (!tt.len || parse_time(tt, &ns, &prec) != 0)
        return ty_err_set(err, TY_ECORRUPT, "offset %llu: time '%.*s' is not a date and time",
                          (unsigned long long)off_of(&r, ti), (int)(tt.len > 40 ? 40 : tt.len),
                          tt.p ? tt.p : "");

    ty_event_clear(ev);
    ev->raw = raw;
    ty_event_set_int(ev, TY_F_TS, ns);
    ty_event_set_int(ev, TY_F_TS_PREC, prec);
    ty_event_set_str(ev, TY_F_TIME_TEXT, tt);
    ty_event_set_str(ev, TY_F_CLOUD_PROVIDER, TY_STR_LIT("azure"));
    struct ty_str rid = gets(&r, root, "resourceId");
    if (!rid.len)
        rid = gets(&r, root, "resource_id");
    struct ty_str acct = arm_segment(rid, "subscriptions");
    if (!acct.len)
        acct = gets(&r, root, "subscriptionId");
    if (!acct.len)
        acct = gets(&r, root, "subscription_id");
    if (!acct.len)
        acct = gets(&r, root, "tenantId");
    if (!acct.len)
        acct = gets(&r, root, "tenant_id");
    ty_event_set_str(ev, TY_F_CLOUD_ACCOUNT, acct);
    ty_event_set_str(ev, TY_F_CORRELATION_ID, gets(&r, root, "correlationId"));
    if (!ty_event_has(ev, TY_F_CORRELATION_ID))
        ty_event_set_str(ev, TY_F_CORRELATION_ID, gets(&r, root, "correlation_id"));
    struct ty_str lvl = named_value(&r, "level", NULL, NULL);
    ty_event_set_str(ev, TY_F_SEVERITY, lvl);
    switch (k) {
    case K_ACTIVITY:
        map_activity(&r, ev);
        break;
    case K_SIGNIN:
        map_signin(&r, ev, cat);
        break;
    case K_AUDIT:
        map_audit(&r, ev);
        break;
    case K_RISK:
        map_risk(&r, ev);
        break;
    case K_GRAPH:
        map_graph(&r, ev);
        break;
    default:
        map_other(&r, ev);
        break;
    }
    if (r.rc)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    ev->format = format_of(k);
    int rc = ty_parse_emit(ctx, ev);
    return rc < 0 ? rc : 0;
}

static int az_record(struct ty_parse_ctx *ctx, const struct ty_record *rec, struct ty_err *err)
{
    struct az *a = ctx->priv;
    int rc;
    if (!a)
        return ty_err_set(err, TY_EINVAL, "azure-monitor: record() before open()");
    if ((rc = ty_parse_json_record(ctx, rec, err)) != 0)
        return rc;
    const struct ty_json_doc *d = ctx->json;
    if (ty_json_type(d, 0) == TY_JSON_OBJECT) {
        /* an empty {"records":[]} body */
        uint32_t recs = ty_json_get(d, 0, "records");
        if (ty_json_type(d, recs) == TY_JSON_ARRAY && !d->toks[recs].count)
            return TY_SKIP;
    }
    if (ty_json_type(d, 0) == TY_JSON_ARRAY) {
        /* a JSON line holding an array: one record is one element */
        if (!d->toks[0].count)
            return ty_err_set(err, TY_ECORRUPT, "offset %llu: an empty array, no record",
                              (unsigned long long)rec->offset);
        if (d->toks[0].count > 1)
            return ty_err_set(err, TY_ECORRUPT,
                              "offset %llu: an array of %u records inside one record",
                              (unsigned long long)rec->offset, (unsigned)d->toks[0].count);
        uint32_t e0 = ty_json_first(d, 0);
        rc = one(ctx, a, d, e0, rec->offset, ty_json_raw(d, e0), err);
    } else {
        rc = one(ctx, a, d, 0, rec->offset, TY_STR_NULL, err);
    }
    return rc < 0 ? rc : TY_OK;
}

/* ---- sniff and open ---------------------------------------------------------------- */

static bool has(struct ty_str s, const char *needle)
{
    return ty_str_contains(s, needle);
}

static int az_sniff(struct ty_str head)
{
    struct ty_str s = ty_parse_skip_ws(head);
    if (!s.len || (s.p[0] != '{' && s.p[0] != '['))
        return 0;
    if (has(s, "\"flowTuples\"") || has(s, "\"flowRecords\"") || has(s, "\"flowLogVersion\""))
        return 0; /* NSG/VNet flow logs */
    bool op = has(s, "\"operationName\"") || has(s, "\"operationname\"") ||
              has(s, "\"OperationName\"");
    bool rid = has(s, "\"resourceId\"") || has(s, "\"resourceid\"") || has(s, "\"ResourceId\"");
    bool cat = has(s, "\"category\"") || has(s, "\"Category\"");
    if (op && (rid || cat) &&
        (has(s, "\"time\"") || has(s, "\"callerIpAddress\"") || has(s, "\"calleripaddress\"") ||
         has(s, "\"resultType\"") || has(s, "\"TimeGenerated\"")))
        return has(s, "\"records\"") || has(s, "Microsoft.") || has(s, "MICROSOFT.") ? 90 : 85;
    if (has(s, "\"eventTimestamp\"") && op)
        return 85; /* REST */
    if (has(s, "\"event_timestamp\"") && has(s, "\"operation_name\""))
        return 85; /* Azure SDK as_dict() (plaso) */
    if (has(s, "\"TimeGenerated\"") &&
        (has(s, "\"OperationNameValue\"") || has(s, "\"UserPrincipalName\"") ||
         has(s, "\"InitiatedBy\"") || has(s, "\"ActivityDisplayName\"")))
        return 80; /* Log Analytics export */
    if (has(s, "\"category\"") && has(s, "kube-audit") && has(s, "\"properties\""))
        return 80;
    /* Graph API objects: signIn and directoryAudit */
    if (has(s, "\"createdDateTime\"") && has(s, "\"userPrincipalName\"") &&
        has(s, "\"appDisplayName\""))
        return 70;
    if (has(s, "\"activityDateTime\"") && has(s, "\"initiatedBy\"") &&
        has(s, "\"activityDisplayName\""))
        return 70;
    return 0;
}

static int az_open(struct ty_parse_ctx *ctx, struct ty_err *err)
{
    struct az *a = calloc(1, sizeof(*a));
    struct ty_str s = ty_parse_skip_ws(ctx->head);
    if (!a)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    ty_json_doc_init(&a->aux, 0, 0);
    ty_json_doc_init(&a->kjson, 0, 0);
    ctx->priv = a;
    ctx->frame.kind = TY_FRAME_JSON;
    ctx->frame.key = "records";
    const char *shape = !s.len                            ? "empty"
                        : s.p[0] == '['                   ? "JSON array"
                        : has(s, "\"records\"")           ? "records documents (Event Hubs)"
                        : has(s, "\"TimeGenerated\"")     ? "Log Analytics export"
                        : has(s, "\"eventTimestamp\"")    ? "REST API (az monitor activity-log)"
                        : has(s, "\"event_timestamp\"")   ? "Azure SDK JSON lines"
                                                          : "JSON lines (PT1H.json blob)";
    snprintf(ctx->shape, sizeof(ctx->shape), "%s", shape);
    return 0;
}

static void az_close(struct ty_parse_ctx *ctx)
{
    struct az *a = ctx->priv;
    if (!a)
        return;
    if (a->kopen)
        ty_parser_k8s_audit.close(&a->kctx);
    ty_json_doc_release(&a->aux);
    ty_json_doc_release(&a->kjson);
    free(a);
    ctx->priv = NULL;
}

static int never(struct ty_str head)
{
    (void)head;
    return 0;
}

/* not EXACT_KEYS: Azure spells keys in several cases (Level/level) */
const struct ty_parser ty_parser_azure_monitor = {
    .abi = TY_PARSER_ABI,
    .name = "azure-monitor",
    .desc = "Azure Activity log, Entra ID sign-in/audit/risk logs, AKS kube-audit and other "
            "Azure Monitor records (PT1H.json, Event Hubs, REST, Log Analytics)",
    .sniffs = "records with operationName + resourceId/category + time/callerIpAddress (85-90); "
              "REST eventTimestamp (85); TimeGenerated + Log Analytics columns (80); Graph API "
              "signIn/directoryAudit objects (70)",
    .flags = TY_PARSER_F_JSON,
    .sniff = az_sniff,
    .open = az_open,
    .record = az_record,
    .close = az_close,
    .logsource = {.product = "azure"},
};

/* The per-event views: the same stream parser, each routed to its Sigma
 * log source (SigmaHQ: product azure, service activitylogs, signinlogs,
 * auditlogs, riskdetection; AKS as Kubernetes audit). */
const struct ty_parser ty_parser_azure_activity = {
    .abi = TY_PARSER_ABI,
    .name = "azure-activity",
    .desc = "Azure Activity log records",
    .sniffs = "never sniffed: events of azure-monitor streams",
    .flags = TY_PARSER_F_JSON,
    .sniff = never,
    .open = az_open,
    .record = az_record,
    .close = az_close,
    .logsource = {.product = "azure", .service = "activitylogs"},
    .fields = ty_azure_fields,
    .field_fast = ty_azure_field_fast,
};

const struct ty_parser ty_parser_entra_signin = {
    .abi = TY_PARSER_ABI,
    .name = "entra-signin",
    .desc = "Entra ID sign-in records (all four sign-in logs)",
    .sniffs = "never sniffed: events of azure-monitor streams",
    .flags = TY_PARSER_F_JSON,
    .sniff = never,
    .open = az_open,
    .record = az_record,
    .close = az_close,
    .logsource = {.product = "azure", .service = "signinlogs"},
    .fields = ty_azure_fields,
    .field_fast = ty_azure_field_fast,
};

const struct ty_parser ty_parser_entra_audit = {
    .abi = TY_PARSER_ABI,
    .name = "entra-audit",
    .desc = "Entra ID audit log records",
    .sniffs = "never sniffed: events of azure-monitor streams",
    .flags = TY_PARSER_F_JSON,
    .sniff = never,
    .open = az_open,
    .record = az_record,
    .close = az_close,
    .logsource = {.product = "azure", .service = "auditlogs"},
    .fields = ty_azure_fields,
    .field_fast = ty_azure_field_fast,
};

const struct ty_parser ty_parser_entra_risk = {
    .abi = TY_PARSER_ABI,
    .name = "entra-risk",
    .desc = "Entra ID Identity Protection risk detections",
    .sniffs = "never sniffed: events of azure-monitor streams",
    .flags = TY_PARSER_F_JSON,
    .sniff = never,
    .open = az_open,
    .record = az_record,
    .close = az_close,
    .logsource = {.product = "azure", .service = "riskdetection"},
    .fields = ty_azure_fields,
    .field_fast = ty_azure_field_fast,
};

const struct ty_parser ty_parser_aks_audit = {
    .abi = TY_PARSER_ABI,
    .name = "aks-audit",
    .desc = "AKS kube-audit records seen as Kubernetes audit events",
    .sniffs = "never sniffed: events of azure-monitor streams",
    .flags = TY_PARSER_F_JSON,
    .sniff = never,
    .open = az_open,
    .record = az_record,
    .close = az_close,
    .logsource = {.product = "kubernetes", .service = "audit", .category = "application"},
    .fields = ty_aks_fields,
    .field_fast = ty_gke_field_fast,
};
