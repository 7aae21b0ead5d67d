/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse-cloudtrail-record.c - normalise one AWS CloudTrail record into a
 * struct ty_event (formats.md §1.2-1.6; targets: parse-cloudtrail-target.c).
 * The hot path of CloudTrail ingest:
 * the top-level members are walked once and switched on key length, nested
 * objects (userIdentity, requestParameters, ...) are walked only when present,
 * and strings are zero-copy spans into the record unless they hold escapes.
 *
 * Nested objects may also arrive as strings (CloudTrail Lake rows, some SIEM
 * exports): JSON text is parsed into a second tape, Presto/Java map text
 * ("{type=IAMUser, arn=arn:aws:..., sessioncontext={...}}") is read with a
 * small key path scanner.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/time.h>

#include "parse-cloudtrail-int.h"

#define NONE TY_JSON_NONE

/* ------------------------------------------------------------------------ */
/* keys */

static inline int key_id(const char *p, size_t len)
{
    switch (len) {
    case 4:
        return KEYIS("time") ? K_EB_TIME : -1;
    case 6:
        if (KEYIS("detail"))
            return K_DETAIL;
        if (KEYIS("Events"))
            return K_EVENTS;
        if (KEYIS("region"))
            return K_EB_REGION;
        return -1;
    case 7:
        if (KEYIS("eventID"))
            return K_EVENT_ID;
        if (KEYIS("EventId"))
            return K_LE_EVENT_ID;
        if (KEYIS("Records"))
            return K_RECORDS;
        if (KEYIS("message"))
            return K_MESSAGE;
        if (KEYIS("account"))
            return K_EB_ACCOUNT;
        return -1;
    case 8:
        if (KEYIS("readOnly"))
            return K_READ_ONLY;
        if (KEYIS("ReadOnly"))
            return K_LE_READ_ONLY;
        if (KEYIS("Username"))
            return K_LE_USERNAME;
        return -1;
    case 9:
        switch (p[0]) {
        case 'e':
            if (KEYIS("eventTime"))
                return K_EVENT_TIME;
            if (KEYIS("eventName"))
                return K_EVENT_NAME;
            if (KEYIS("eventType"))
                return K_EVENT_TYPE;
            if (KEYIS("errorCode"))
                return K_ERROR_CODE;
            return -1;
        case 'a':
            return KEYIS("awsRegion") ? K_AWS_REGION : -1;
        case 'u':
            return KEYIS("userAgent") ? K_USER_AGENT : -1;
        case 'r':
            if (KEYIS("requestID"))
                return K_REQUEST_ID;
            if (KEYIS("resources"))
                return K_RESOURCES;
            return -1;
        case 'E':
            if (KEYIS("EventTime"))
                return K_LE_EVENT_TIME;
            if (KEYIS("EventName"))
                return K_LE_EVENT_NAME;
            return -1;
        case 'R':
            return KEYIS("Resources") ? K_LE_RESOURCES : -1;
        case 'l':
            return KEYIS("logEvents") ? K_LOG_EVENTS : -1;
        case 't':
            return KEYIS("timestamp") ? K_TIMESTAMP : -1;
        }
        return -1;
    case 10:
        return KEYIS("@timestamp") ? K_AT_TIMESTAMP : -1;
    case 11:
        if (KEYIS("eventSource"))
            return K_EVENT_SOURCE;
        if (KEYIS("EventSource"))
            return K_LE_EVENT_SOURCE;
        if (KEYIS("AccessKeyId"))
            return K_LE_ACCESS_KEY_ID;
        if (KEYIS("detail-type"))
            return K_DETAIL_TYPE;
        return -1;
    case 12:
        if (KEYIS("p_event_time"))
            return K_P_EVENT_TIME;
        if (KEYIS("eventVersion"))
            return K_EVENT_VERSION;
        if (KEYIS("userIdentity"))
            return K_USER_IDENTITY;
        if (KEYIS("errorMessage"))
            return K_ERROR_MESSAGE;
        return -1;
    case 13:
        if (KEYIS("eventCategory"))
            return K_EVENT_CATEGORY;
        if (KEYIS("sharedEventID"))
            return K_SHARED_EVENT_ID;
        if (KEYIS("vpcEndpointId"))
            return K_VPC_ENDPOINT_ID;
        return -1;
    case 14:
        return KEYIS("insightDetails") ? K_INSIGHT_DETAILS : -1;
    case 15:
        if (KEYIS("sourceIPAddress"))
            return K_SOURCE_IP;
        if (KEYIS("CloudTrailEvent"))
            return K_CLOUDTRAIL_EVENT;
        if (KEYIS("QueryResultRows"))
            return K_QUERY_RESULT_ROWS;
        if (KEYIS("digestStartTime"))
            return K_DIGEST_START_TIME;
        return -1;
    case 16:
        return KEYIS("responseElements") ? K_RESPONSE_ELEMENTS : -1;
    case 17:
        return KEYIS("requestParameters") ? K_REQUEST_PARAMETERS : -1;
    case 18:
        return KEYIS("recipientAccountId") ? K_RECIPIENT_ACCOUNT_ID : -1;
    case 19:
        return KEYIS("additionalEventData") ? K_ADDITIONAL_EVENT_DATA : -1;
    }
    return -1;
}

/* A key token's text: raw unless it holds escapes (then decoded). */
static int key_text(struct ty_parse_ctx *ctx, const struct ty_json_doc *d, uint32_t k,
                    struct ty_str *out)
{
    const struct ty_json_tok *t = &d->toks[k];
    if (!(t->flags & TY_JSON_F_ESCAPED)) {
        *out = (struct ty_str){d->src + t->off, t->len};
        return 0;
    }
    return ty_json_str(d, k, ctx->arena, out);
}

/* The record keys again, for exports that changed their case (Athena,
 * Snowflake: "eventname", "useridentity"). Only tried when none of
 * eventTime/eventName/eventSource matched exactly. */
static const char *const record_keys[] = {
    [K_EVENT_TIME] = "eventTime",
    [K_EVENT_NAME] = "eventName",
    [K_EVENT_SOURCE] = "eventSource",
    [K_EVENT_VERSION] = "eventVersion",
    [K_EVENT_TYPE] = "eventType",
    [K_EVENT_ID] = "eventID",
    [K_EVENT_CATEGORY] = "eventCategory",
    [K_USER_IDENTITY] = "userIdentity",
    [K_AWS_REGION] = "awsRegion",
    [K_SOURCE_IP] = "sourceIPAddress",
    [K_USER_AGENT] = "userAgent",
    [K_ERROR_CODE] = "errorCode",
    [K_ERROR_MESSAGE] = "errorMessage",
    [K_REQUEST_PARAMETERS] = "requestParameters",
    [K_RESPONSE_ELEMENTS] = "responseElements",
    [K_ADDITIONAL_EVENT_DATA] = "additionalEventData",
    [K_REQUEST_ID] = "requestID",
    [K_READ_ONLY] = "readOnly",
    [K_RESOURCES] = "resources",
    [K_RECIPIENT_ACCOUNT_ID] = "recipientAccountId",
    [K_SHARED_EVENT_ID] = "sharedEventID",
    [K_VPC_ENDPOINT_ID] = "vpcEndpointId",
    [K_INSIGHT_DETAILS] = "insightDetails",
};

static void members_nocase(struct ty_parse_ctx *ctx, const struct ty_json_doc *d, uint32_t obj,
                           struct ct_members *m)
{
    const struct ty_json_tok *t = d->toks;
    uint32_t end = t[obj].next;
    for (uint32_t k = obj + 1; k < end; k = t[k + 1].next) {
        struct ty_str ks;
        if (key_text(ctx, d, k, &ks) < 0)
            continue;
        for (int id = 0; id < (int)(sizeof(record_keys) / sizeof(record_keys[0])); id++)
            if (record_keys[id] && m->v[id] == NONE &&
                ty__ct_eq_nocase(ks.p, ks.len, record_keys[id], strlen(record_keys[id]))) {
                m->v[id] = k + 1;
                break;
            }
    }
}

int ty__ct_members(struct ty_parse_ctx *ctx, const struct ty_json_doc *d, uint32_t obj,
                   struct ct_members *m, struct ty_err *err)
{
    const struct ty_json_tok *t = d->toks;
    memset(m, 0xff, sizeof(*m)); /* TY_JSON_NONE everywhere */
    if (t[obj].type != TY_JSON_OBJECT)
        return ty_err_set(err, TY_ECORRUPT, "record is not a JSON object");
    uint32_t end = t[obj].next;
    for (uint32_t k = obj + 1; k < end; k = t[k + 1].next) {
        int id;
        if (t[k].flags & TY_JSON_F_ESCAPED) {
            struct ty_str ks;
            if (key_text(ctx, d, k, &ks) < 0)
                return ty_err_set(err, TY_ENOMEM, "out of memory");
            id = key_id(ks.p, ks.len);
        } else {
            id = key_id(d->src + t[k].off, t[k].len);
        }
        if (id >= 0 && m->v[id] == NONE)
            m->v[id] = k + 1;
    }
    if (m->v[K_EVENT_NAME] != NONE || m->v[K_EVENT_TIME] != NONE || m->v[K_EVENT_SOURCE] != NONE)
        return 0;
    for (int id = K_CLOUDTRAIL_EVENT; id < K__COUNT; id++)
        if (m->v[id] != NONE)
            return 0; /* an envelope or container, not a record */
    members_nocase(ctx, d, obj, m);
    return 0;
}

int ty__ct_key_of(struct ty_parse_ctx *ctx, const struct ty_json_doc *d, uint32_t k)
{
    struct ty_str ks;
    if (key_text(ctx, d, k, &ks) < 0)
        return TY_ENOMEM;
    return key_id(ks.p, ks.len);
}

/* ------------------------------------------------------------------------ */
/* values */

/* Raw string bytes equal to a literal (no escapes expected in the literal). */
static bool tok_is(const struct ty_json_doc *d, uint32_t i, const char *lit, size_t n)
{
    return i != NONE && d->toks[i].type == TY_JSON_STRING && d->toks[i].len == n &&
           memcmp(d->src + d->toks[i].off, lit, n) == 0;
}
#define TOK_IS(d, i, lit) tok_is((d), (i), lit, sizeof(lit) - 1)

/* Set a string field from a token (absent, non-string or empty: nothing). */
static int set_tok(struct ty_parse_ctx *ctx, struct ty_event *ev, enum ty_field f,
                   const struct ty_json_doc *d, uint32_t i)
{
    struct ty_str s;
    int rc = tok_str(ctx, d, i, &s);
    if (rc < 0)
        return rc;
    if (rc == 0)
        put(ev, f, s);
    return 0;
}

/* A byte count: integer, "89.0" (S3 writes floats), or a numeric string. */
static int parse_count(struct ty_str s, int64_t *out)
{
    char buf[40];
    char *end;
    if (s.len == 0 || s.len >= sizeof(buf))
        return TY_EINVAL;
    if (ty_str_to_i64(s, out) == 0)
        return *out < 0 ? TY_EINVAL : 0;
    memcpy(buf, s.p, s.len);
    buf[s.len] = '\0';
    double v = strtod(buf, &end);
    if (end != buf + s.len || !isfinite(v) || v < 0 || v >= 9.2e18)
        return TY_EINVAL;
    *out = (int64_t)v;
    return 0;
}

static int tok_count(const struct ty_json_doc *d, uint32_t i, int64_t *out)
{
    if (i == NONE)
        return TY_EINVAL;
    int type = d->toks[i].type;
    if (type != TY_JSON_NUMBER && type != TY_JSON_STRING)
        return TY_EINVAL;
    return parse_count(ty_json_raw(d, i), out);
}

/* Time from a string (ISO 8601/RFC 3339, with or without zone) or a number
 * (epoch seconds, or milliseconds when ms). */
static int set_time(struct ty_parse_ctx *ctx, struct ty_event *ev, const struct ty_json_doc *d,
                    uint32_t i, int ms, const char *what, struct ty_err *err)
{
    struct ty_str s;
    int64_t ns;
    int prec = 0, rc;
    int type = d->toks[i].type;

    if (type == TY_JSON_NUMBER) {
        s = ty_json_raw(d, i);
        if (ms) {
            int64_t v;
            if (ty_str_to_i64(s, &v) != 0 || v < -INT64_MAX / 1000000 || v > INT64_MAX / 1000000)
                return ty_err_set(err, TY_ECORRUPT, "%s %.*s is not epoch milliseconds", what,
                                  (int)(s.len > 40 ? 40 : s.len), s.p);
            ns = v * 1000000;
            prec = 3;
        } else if (ty_time_parse_epoch(s, &ns, &prec) != 0) {
            return ty_err_set(err, TY_ECORRUPT, "%s %.*s is not an epoch time", what,
                              (int)(s.len > 40 ? 40 : s.len), s.p);
        }
    } else if (type == TY_JSON_STRING) {
        rc = tok_str(ctx, d, i, &s);
        if (rc < 0)
            return ty_err_set(err, TY_ENOMEM, "out of memory");
        if (ty_time_parse_iso(s, &ns, &prec, NULL) != 0)
            return ty_err_set(err, TY_ECORRUPT, "%s \"%.*s\" is not an ISO 8601 time", what,
                              (int)(s.len > 40 ? 40 : s.len), s.p);
    } else {
        return ty_err_set(err, TY_ECORRUPT, "%s is not a string", what);
    }
    put_int(ev, TY_F_TS, ns);
    put_int(ev, TY_F_TS_PREC, prec);
    if (type == TY_JSON_STRING)
        put(ev, TY_F_TIME_TEXT, s);
    else
        put(ev, TY_F_TIME_TEXT, ty_json_raw(d, i));
    return 0;
}

/* ------------------------------------------------------------------------ */
/* nested objects that may arrive as strings */

struct nested {
    const struct ty_json_doc *d; /* JSON form: d and tok */
    uint32_t tok;
    struct ty_str map; /* map-text form when map.p != NULL */
};

/* Resolve member i into JSON (object/array token) or map text. Returns 1 when
 * absent/unusable, 0 when n is set, TY_ENOMEM. A JSON string is parsed into
 * pv->aux, so the caller must be done with one nested value before the next. */
static int nested_get(struct ty_parse_ctx *ctx, struct ct_priv *pv, const struct ty_json_doc *d,
                      uint32_t i, struct nested *n)
{
    struct ty_str s;
    struct ty_err e;
    n->map = TY_STR_NULL;
    n->d = d;
    n->tok = i;
    if (i == NONE)
        return 1;
    int type = d->toks[i].type;
    if (type == TY_JSON_OBJECT || type == TY_JSON_ARRAY)
        return 0;
    if (type != TY_JSON_STRING)
        return 1;
    int rc = tok_str(ctx, d, i, &s);
    if (rc < 0)
        return rc;
    s = ty_str_trim(s);
    if (s.len < 2 || (s.p[0] != '{' && s.p[0] != '['))
        return 1;
    size_t j = 1;
    while (j < s.len && (s.p[j] == ' ' || s.p[j] == '\n' || s.p[j] == '{'))
        j++;
    if (j < s.len && (s.p[j] == '"' || s.p[j] == '}' || s.p[j] == ']')) {
        if (ty_json_parse(&pv->aux, s.p, s.len, &e) != 0)
            return 1;
        n->d = &pv->aux;
        n->tok = 0;
        return 0;
    }
    n->map = s;
    n->d = NULL;
    return 0;
}

/* Object member by key in either form: JSON token index via *tok, or map text. */
static uint32_t obj_get(const struct ty_json_doc *d, uint32_t obj, const char *key)
{
    return ty_json_get(d, obj, key);
}

/* ------------------------------------------------------------------------ */
/* userIdentity */

struct ident {
    struct ty_str type, principal, arn, account, akid, user, invoked_by, issuer;
    int mfa; /* -1 unknown */
};

/* Field by field: a memset of the struct compiles to "rep stos", whose
 * start-up cost showed in profiles of this hot path. */
static inline void ident_init(struct ident *id)
{
    id->type = id->principal = id->arn = id->account = TY_STR_NULL;
    id->akid = id->user = id->invoked_by = id->issuer = TY_STR_NULL;
    id->mfa = -1;
}

/* sessionContext: sessionIssuer.arn and attributes.mfaAuthenticated. */
static int session_context(struct ty_parse_ctx *ctx, const struct ty_json_doc *d, uint32_t obj,
                           struct ident *id)
{
    const struct ty_json_tok *t = d->toks;
    uint32_t end = t[obj].next;
    for (uint32_t k = obj + 1; k < end; k = t[k + 1].next) {
        const char *p = d->src + t[k].off;
        uint32_t v = k + 1;
        if (t[k].len == 13 && KEYIS("sessionIssuer") && t[v].type == TY_JSON_OBJECT) {
            uint32_t e2 = t[v].next;
            for (uint32_t j = v + 1; j < e2; j = t[j + 1].next) {
                if (t[j].len == 3 && keq(d->src + t[j].off, "arn", 3)) {
                    int rc = tok_str(ctx, d, j + 1, &id->issuer);
                    if (rc < 0)
                        return rc;
                    break;
                }
            }
        } else if (t[k].len == 10 && KEYIS("attributes") && t[v].type == TY_JSON_OBJECT) {
            uint32_t e2 = t[v].next;
            for (uint32_t j = v + 1; j < e2; j = t[j + 1].next) {
                bool b;
                if (t[j].len == 16 && keq(d->src + t[j].off, "mfaAuthenticated", 16) &&
                    ty_json_bool(d, j + 1, &b) == 0) {
                    id->mfa = b;
                    break;
                }
            }
        }
    }
    return 0;
}

static int ident_json(struct ty_parse_ctx *ctx, const struct ty_json_doc *d, uint32_t obj,
                      struct ident *id)
{
    const struct ty_json_tok *t = d->toks;
    if (t[obj].type != TY_JSON_OBJECT)
        return 0;
    uint32_t end = t[obj].next;
    for (uint32_t k = obj + 1; k < end; k = t[k + 1].next) {
        const char *p = d->src + t[k].off;
        uint32_t v = k + 1;
        struct ty_str *dst = NULL;
        switch (t[k].len) {
        case 3:
            if (KEYIS("arn"))
                dst = &id->arn;
            break;
        case 4:
            if (KEYIS("type"))
                dst = &id->type;
            break;
        case 8:
            if (KEYIS("userName"))
                dst = &id->user;
            break;
        case 9:
            if (KEYIS("accountId"))
                dst = &id->account;
            else if (KEYIS("invokedBy"))
                dst = &id->invoked_by;
            break;
        case 11:
            if (KEYIS("principalId"))
                dst = &id->principal;
            else if (KEYIS("accessKeyId"))
                dst = &id->akid;
            break;
        case 14:
            if (KEYIS("sessionContext") && t[v].type == TY_JSON_OBJECT) {
                int rc = session_context(ctx, d, v, id);
                if (rc < 0)
                    return rc;
            }
            break;
        }
        if (dst && dst->p == NULL) {
            int rc = tok_str(ctx, d, v, dst);
            if (rc < 0)
                return rc;
        }
    }
    return 0;
}

static void ident_map(struct ty_str m, struct ident *id)
{
    id->type = ty__ct_map_find(m, "type");
    id->principal = ty__ct_map_find(m, "principalid");
    id->arn = ty__ct_map_find(m, "arn");
    id->account = ty__ct_map_find(m, "accountid");
    id->akid = ty__ct_map_find(m, "accesskeyid");
    id->user = ty__ct_map_find(m, "username");
    id->invoked_by = ty__ct_map_find(m, "invokedby");
    id->issuer = ty__ct_map_find(m, "sessioncontext.sessionissuer.arn");
    struct ty_str mfa = ty__ct_map_find(m, "sessioncontext.attributes.mfaauthenticated");
    if (STR_IS(mfa, "true"))
        id->mfa = 1;
    else if (STR_IS(mfa, "false"))
        id->mfa = 0;
}

/* arn:<partition>:sts::<acct>:assumed-role/<role>/<session> -> session. */
static struct ty_str assumed_role_session(struct ty_str arn)
{
    size_t i = 0, colons = 0;
    while (i < arn.len && colons < 5)
        colons += arn.p[i++] == ':';
    if (colons < 5 || arn.len - i < 14 || !keq(arn.p + i, "assumed-role/", 13))
        return TY_STR_NULL;
    size_t e = arn.len;
    while (e > i + 13 && arn.p[e - 1] != '/')
        e--;
    if (e <= i + 13)
        return TY_STR_NULL; /* no session part */
    return (struct ty_str){arn.p + e, arn.len - e};
}

static int ident_apply(struct ty_parse_ctx *ctx, struct ty_event *ev, const struct ident *id,
                       bool *have_account)
{
    struct ty_str session = TY_STR_NULL;

    if (id->arn.len) {
        put(ev, TY_F_ACTOR, id->arn);
        if (!id->type.len || STR_IS(id->type, "AssumedRole"))
            session = assumed_role_session(id->arn);
    } else if (id->type.len && id->principal.len) {
        struct ty_str a = ty_arena_printf(ctx->arena, "%.*s:%.*s", (int)id->type.len, id->type.p,
                                          (int)id->principal.len, id->principal.p);
        if (!a.p)
            return TY_ENOMEM;
        put(ev, TY_F_ACTOR, a);
    } else if (id->user.len) {
        put(ev, TY_F_ACTOR, id->user);
    } else if (id->invoked_by.len) {
        put(ev, TY_F_ACTOR, id->invoked_by);
    }
    put(ev, TY_F_ACTOR_TYPE, id->type);
    put(ev, TY_F_ACTOR_ID, id->principal);
    put(ev, TY_F_ACTOR_ACCOUNT, id->account);
    put(ev, TY_F_ACCESS_KEY, id->akid);
    put(ev, TY_F_ACTOR_ISSUER, id->issuer);
    put(ev, TY_F_INVOKED_BY, id->invoked_by);
    put(ev, TY_F_ACTOR_SESSION, session);
    if (id->mfa >= 0)
        put_int(ev, TY_F_ACTOR_MFA, id->mfa);
    /* An EC2 instance profile session is named after the instance:
     * principalId "AROA...:i-0123456789abcdef0". */
    if (!session.len && id->principal.len > 11 &&
        id->principal.p[id->principal.len - 11] == ':')
        session = (struct ty_str){id->principal.p + id->principal.len - 10, 10};
    else if (!session.len && id->principal.len > 20 &&
             id->principal.p[id->principal.len - 20] == ':')
        session = (struct ty_str){id->principal.p + id->principal.len - 19, 19};
    if (ty__ct_is_instance_id(session))
        put(ev, TY_F_HOST_ID, session);
    *have_account = id->account.len > 0;
    return 0;
}

/* ------------------------------------------------------------------------ */
/* the record */

static int corrupt_missing(struct ty_err *err, const struct ty_json_doc *d, uint32_t i,
                           const char *what)
{
    if (i == NONE)
        return ty_err_set(err, TY_ECORRUPT, "record has no %s", what);
    return ty_err_set(err, TY_ECORRUPT, "%s is not a string", what);
}

#define TRY(x)                                                                                     \
    do {                                                                                           \
        if ((rc = (x)) < 0)                                                                        \
            goto nomem;                                                                            \
    } while (0)

int ty__ct_record(struct ty_parse_ctx *ctx, struct ct_priv *pv, const struct ty_json_doc *d,
                  const struct ct_members *m, const struct ct_env *env, struct ty_event *ev,
                  struct ty_err *err)
{
    const uint32_t *v = m->v;
    uint32_t name = v[K_EVENT_NAME], source = v[K_EVENT_SOURCE], insight_obj = NONE;
    struct ty_str s, ename = TY_STR_NULL;
    struct nested n;
    bool have_account = false, target_set = false;
    int rc;

    ty_event_clear(ev);
    ev->raw = TY_STR_NULL;
    ev->format = NULL;
    ev->sub = 0;

    /* when */
    const struct ty_json_doc *td = d;
    uint32_t tt = v[K_EVENT_TIME];
    int ms = 0;
    if (tt == NONE)
        tt = v[K_AT_TIMESTAMP];
    if (tt == NONE)
        tt = v[K_P_EVENT_TIME];
    if (tt == NONE && env && env->time != NONE) {
        td = env->d;
        tt = env->time;
        ms = env->time_is_ms;
    }
    if (tt == NONE)
        return ty_err_set(err, TY_ECORRUPT, "record has no eventTime");
    if ((rc = set_time(ctx, ev, td, tt, ms, "eventTime", err)) != 0)
        return rc;

    /* what: Insights name the API they watched inside insightDetails */
    bool insight = TOK_IS(d, v[K_EVENT_TYPE], "AwsCloudTrailInsight");
    if (insight) {
        insight_obj = v[K_INSIGHT_DETAILS];
        if (ty_json_type(d, insight_obj) != TY_JSON_OBJECT)
            return ty_err_set(err, TY_ECORRUPT, "Insight record has no insightDetails object");
        if (name == NONE)
            name = obj_get(d, insight_obj, "eventName");
        if (source == NONE)
            source = obj_get(d, insight_obj, "eventSource");
    }
    if (tok_str(ctx, d, name, &ename) != 0 || !ename.len)
        return ename.p ? ty_err_set(err, TY_ECORRUPT, "eventName is empty")
                       : corrupt_missing(err, d, name, "eventName");
    if (tok_str(ctx, d, source, &s) != 0 || !s.len)
        return s.p ? ty_err_set(err, TY_ECORRUPT, "eventSource is empty")
                   : corrupt_missing(err, d, source, "eventSource");
    put(ev, TY_F_ACTION, ename);
    put(ev, TY_F_PROVIDER, s);
    bool iam = STR_IS(s, "iam.amazonaws.com");
    bool signin = STR_IS(s, "signin.amazonaws.com") ||
                  TOK_IS(d, v[K_EVENT_TYPE], "AwsConsoleSignIn");
    bool console_login = STR_IS(ename, "ConsoleLogin");

    if (insight)
        put(ev, TY_F_CATEGORY, TY_STR_LIT("insight"));
    else if (signin || console_login)
        put(ev, TY_F_CATEGORY, TY_STR_LIT("auth"));
    else
        put(ev, TY_F_CATEGORY, TY_STR_LIT("api"));

    /* result */
    if (insight) {
        TRY(set_tok(ctx, ev, TY_F_STATUS_CODE, d, obj_get(d, insight_obj, "errorCode")));
        TRY(set_tok(ctx, ev, TY_F_RULE, d, obj_get(d, insight_obj, "insightType")));
        TRY(set_tok(ctx, ev, TY_F_DISPOSITION, d, obj_get(d, insight_obj, "state")));
    } else {
        struct ty_str code = TY_STR_NULL, msg = TY_STR_NULL;
        TRY(tok_str(ctx, d, v[K_ERROR_CODE], &code));
        TRY(tok_str(ctx, d, v[K_ERROR_MESSAGE], &msg));
        put(ev, TY_F_STATUS_CODE, code);
        put(ev, TY_F_STATUS_DETAIL, msg);
        const char *outcome = code.len ? "failure" : NULL;
        if (!outcome && (signin || console_login)) {
            /* {"ConsoleLogin":"Failure"}, {"CheckMfa":"Success"}, ... */
            TRY(nested_get(ctx, pv, d, v[K_RESPONSE_ELEMENTS], &n));
            struct ty_str r = TY_STR_NULL;
            if (rc == 0 && n.map.p) {
                char key[64];
                if (ename.len < sizeof(key)) {
                    memcpy(key, ename.p, ename.len);
                    key[ename.len] = '\0';
                    r = ty__ct_map_find(n.map, key);
                }
            } else if (rc == 0 && n.d->toks[n.tok].type == TY_JSON_OBJECT) {
                const struct ty_json_tok *t = n.d->toks;
                uint32_t end = t[n.tok].next;
                for (uint32_t k = n.tok + 1; k < end; k = t[k + 1].next)
                    if (t[k].len == ename.len &&
                        memcmp(n.d->src + t[k].off, ename.p, ename.len) == 0) {
                        TRY(tok_str(ctx, n.d, k + 1, &r));
                        break;
                    }
            }
            if (STR_IS(r, "Success"))
                outcome = "success";
            else if (STR_IS(r, "Failure"))
                outcome = "failure";
            else if (msg.len)
                outcome = "failure"; /* "Failed authentication" without a response */
        }
        put(ev, TY_F_OUTCOME, outcome ? ty_str_cstr(outcome) : TY_STR_LIT("success"));
    }

    if (v[K_READ_ONLY] != NONE) {
        bool b;
        if (ty_json_bool(d, v[K_READ_ONLY], &b) == 0)
            put_int(ev, TY_F_READ_ONLY, b);
    }
    TRY(set_tok(ctx, ev, TY_F_VENDOR_ID, d, v[K_EVENT_ID]));
    TRY(set_tok(ctx, ev, TY_F_CORRELATION_ID, d, v[K_REQUEST_ID]));
    if (!ty_event_has(ev, TY_F_CORRELATION_ID))
        TRY(set_tok(ctx, ev, TY_F_CORRELATION_ID, d, v[K_SHARED_EVENT_ID]));

    /* from where */
    TRY(tok_str(ctx, d, v[K_USER_AGENT], &s));
    if (rc == 0) {
        if (s.len >= 2 && s.p[0] == '[' && s.p[s.len - 1] == ']')
            s = (struct ty_str){s.p + 1, s.len - 2}; /* S3 data events: "[aws-cli/2 ...]" */
        put(ev, TY_F_USER_AGENT, s);
    }
    TRY(tok_str(ctx, d, v[K_SOURCE_IP], &s));
    if (rc == 0 && s.len) {
        ty_event_set_addr(ev, TY_F_SRC_IP, TY_F_SRC_ADDR, s);
    }
    TRY(set_tok(ctx, ev, TY_F_CLOUD_VPC, d, v[K_VPC_ENDPOINT_ID]));

    /* who */
    TRY(nested_get(ctx, pv, d, v[K_USER_IDENTITY], &n));
    if (rc == 0) {
        struct ident id;
        ident_init(&id);
        if (n.map.p)
            ident_map(n.map, &id);
        else
            TRY(ident_json(ctx, n.d, n.tok, &id));
        if (console_login && id.user.len)
            put(ev, TY_F_TARGET_USER, id.user);
        TRY(ident_apply(ctx, ev, &id, &have_account));
    }

    /* cloud context */
    put(ev, TY_F_CLOUD_PROVIDER, TY_STR_LIT("aws"));
    TRY(set_tok(ctx, ev, TY_F_CLOUD_REGION, d, v[K_AWS_REGION]));
    if (!ty_event_has(ev, TY_F_CLOUD_REGION) && env && env->region != NONE)
        TRY(set_tok(ctx, ev, TY_F_CLOUD_REGION, env->d, env->region));
    TRY(set_tok(ctx, ev, TY_F_CLOUD_ACCOUNT, d, v[K_RECIPIENT_ACCOUNT_ID]));
    if (!ty_event_has(ev, TY_F_CLOUD_ACCOUNT) && have_account)
        put(ev, TY_F_CLOUD_ACCOUNT, ty_event_str(ev, TY_F_ACTOR_ACCOUNT));
    if (!ty_event_has(ev, TY_F_CLOUD_ACCOUNT) && env && env->account != NONE)
        TRY(set_tok(ctx, ev, TY_F_CLOUD_ACCOUNT, env->d, env->account));

    /* on what: resources[0] */
    TRY(nested_get(ctx, pv, d, v[K_RESOURCES], &n));
    if (rc == 0) {
        struct ty_str arn = TY_STR_NULL, type = TY_STR_NULL;
        if (n.map.p) {
            arn = ty__ct_map_find(n.map, "arn");
            type = ty__ct_map_find(n.map, "type");
        } else if (n.d->toks[n.tok].type == TY_JSON_ARRAY && n.d->toks[n.tok].count) {
            /* resources[0]: {"ARN"|"arn": ..., "type": ..., "accountId": ...} */
            const struct ty_json_tok *t = n.d->toks;
            uint32_t r = n.tok + 1;
            if (t[r].type == TY_JSON_OBJECT) {
                uint32_t end = t[r].next, a = NONE, ty = NONE;
                for (uint32_t k = r + 1; k < end; k = t[k + 1].next) {
                    const char *p = n.d->src + t[k].off;
                    if (t[k].len == 3 && a == NONE && (KEYIS("ARN") || KEYIS("arn")))
                        a = k + 1;
                    else if (t[k].len == 4 && ty == NONE && KEYIS("type"))
                        ty = k + 1;
                }
                TRY(tok_str(ctx, n.d, a, &arn));
                TRY(tok_str(ctx, n.d, ty, &type));
            }
        }
        if (arn.len) {
            put(ev, TY_F_TARGET, arn);
            put(ev, TY_F_TARGET_KIND, type);
            target_set = true;
        }
    }

    /* on what: requestParameters */
    TRY(nested_get(ctx, pv, d, v[K_REQUEST_PARAMETERS], &n));
    if (rc == 0) {
        struct ct_target t;
        ty__ct_target_init(&t);
        if (n.map.p)
            ty__ct_target_map(n.map, &t);
        else
            TRY(ty__ct_target_json(ctx, n.d, n.tok, &t));
        TRY(ty__ct_target_apply(ctx, ev, &t, iam, target_set));
    }

    /* how much: S3 data events */
    TRY(nested_get(ctx, pv, d, v[K_ADDITIONAL_EVENT_DATA], &n));
    if (rc == 0) {
        int64_t b;
        if (n.map.p) {
            if (parse_count(ty__ct_map_find(n.map, "bytesTransferredOut"), &b) == 0)
                put_int(ev, TY_F_BYTES_OUT, b);
            if (parse_count(ty__ct_map_find(n.map, "bytesTransferredIn"), &b) == 0)
                put_int(ev, TY_F_BYTES_IN, b);
        } else if (n.d->toks[n.tok].type == TY_JSON_OBJECT) {
            const struct ty_json_tok *t = n.d->toks;
            uint32_t end = t[n.tok].next;
            for (uint32_t k = n.tok + 1; k < end; k = t[k + 1].next) {
                const char *p = n.d->src + t[k].off;
                if (t[k].len < 18 || memcmp(p, "bytesTransferred", 16) != 0)
                    continue;
                if (t[k].len == 19 && KEYIS("bytesTransferredOut") &&
                    tok_count(n.d, k + 1, &b) == 0)
                    put_int(ev, TY_F_BYTES_OUT, b);
                else if (t[k].len == 18 && KEYIS("bytesTransferredIn") &&
                         tok_count(n.d, k + 1, &b) == 0)
                    put_int(ev, TY_F_BYTES_IN, b);
            }
        }
    }
    return 0;

nomem:
    return ty_err_set(err, TY_ENOMEM, "out of memory");
}

