/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse-cloudtrail-record.c - normalise one AWS CloudTrail record into a
 * struct ty_event (formats.md §1.2-1.6). The hot path of CloudTrail ingest:
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

/* Equality of n bytes (n <= 24) with a literal, by overlapping word loads:
 * with the literal and n constant, each key test is two or three compares. */
static inline uint64_t ld8(const char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static inline uint32_t ld4(const char *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static inline bool keq(const char *p, const char *lit, size_t n)
{
    if (n >= 8)
        return ld8(p) == ld8(lit) && ld8(p + n - 8) == ld8(lit + n - 8) &&
               (n <= 16 || ld8(p + 8) == ld8(lit + 8));
    if (n >= 4)
        return ld4(p) == ld4(lit) && ld4(p + n - 4) == ld4(lit + n - 4);
    for (size_t i = 0; i < n; i++)
        if (p[i] != lit[i])
            return false;
    return true;
}

/* p holds exactly sizeof(lit) - 1 bytes (the caller switched on length). */
#define KEYIS(lit) keq(p, lit, sizeof(lit) - 1)
/* A span equal to a literal. */
#define STR_IS(s, lit) ((s).len == sizeof(lit) - 1 && keq((s).p, lit, sizeof(lit) - 1))

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

static bool seg_eq_nocase(const char *k, size_t klen, const char *seg, size_t slen);

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
                seg_eq_nocase(ks.p, ks.len, record_keys[id], strlen(record_keys[id]))) {
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

/* ------------------------------------------------------------------------ */
/* values */

/* String value of token i: 0 with *out set, 1 when absent or not a string,
 * TY_ENOMEM. Escaped strings are decoded into the arena. */
static inline int tok_str(struct ty_parse_ctx *ctx, const struct ty_json_doc *d, uint32_t i,
                          struct ty_str *out)
{
    *out = TY_STR_NULL;
    if (i == NONE || d->toks[i].type != TY_JSON_STRING)
        return 1;
    const struct ty_json_tok *t = &d->toks[i];
    if (!(t->flags & TY_JSON_F_ESCAPED)) {
        *out = (struct ty_str){d->src + t->off, t->len};
        return 0;
    }
    return ty_json_str(d, i, ctx->arena, out) < 0 ? TY_ENOMEM : 0;
}

/* Raw string bytes equal to a literal (no escapes expected in the literal). */
static bool tok_is(const struct ty_json_doc *d, uint32_t i, const char *lit, size_t n)
{
    return i != NONE && d->toks[i].type == TY_JSON_STRING && d->toks[i].len == n &&
           memcmp(d->src + d->toks[i].off, lit, n) == 0;
}
#define TOK_IS(d, i, lit) tok_is((d), (i), lit, sizeof(lit) - 1)

/* put() inlined for the hot path: an empty span sets nothing. */
static inline void put(struct ty_event *ev, enum ty_field f, struct ty_str s)
{
    if (s.len) {
        ev->v[f].s = s;
        ty_event_mark(ev, f);
    }
}

static inline void put_int(struct ty_event *ev, enum ty_field f, int64_t i)
{
    ev->v[f].i = i;
    ty_event_mark(ev, f);
}

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

static struct ty_str str_trim(struct ty_str s)
{
    while (s.len && (s.p[0] == ' ' || s.p[0] == '\t' || s.p[0] == '\n' || s.p[0] == '\r')) {
        s.p++;
        s.len--;
    }
    while (s.len && (s.p[s.len - 1] == ' ' || s.p[s.len - 1] == '\t' || s.p[s.len - 1] == '\n' ||
                     s.p[s.len - 1] == '\r'))
        s.len--;
    return s;
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

/* Canonical dotted-quad IPv4 ("0" or no leading zero, each <= 255): the
 * common case of sourceIPAddress, without the copy and inet_pton() of
 * ty_ip_parse(). Anything else returns false and goes the general way, so
 * what is accepted is a subset of ty_ip_parse() with the same result. */
static bool fast_ipv4(struct ty_str s, struct ty_ip *out)
{
    unsigned oct[4], n = 0;
    size_t i = 0;
    if (s.len < 7 || s.len > 15)
        return false;
    for (;;) {
        size_t st = i;
        unsigned v = 0;
        while (i < s.len && s.p[i] >= '0' && s.p[i] <= '9' && i - st < 3)
            v = v * 10 + (unsigned)(s.p[i++] - '0');
        if (i == st || v > 255 || (s.p[st] == '0' && i - st > 1))
            return false;
        oct[n++] = v;
        if (n == 4)
            break;
        if (i >= s.len || s.p[i] != '.')
            return false;
        i++;
    }
    if (i != s.len)
        return false;
    memset(out->a, 0, 10);
    out->a[10] = 0xff;
    out->a[11] = 0xff;
    for (int k = 0; k < 4; k++)
        out->a[12 + k] = (uint8_t)oct[k];
    return true;
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
/* Presto/Java map text: {k=v, k={...}, k=[{...}], k=null} (Lake columns) */

static size_t map_value_end(const char *p, size_t i, size_t n)
{
    if (i < n && (p[i] == '{' || p[i] == '[')) {
        int depth = 0;
        for (; i < n; i++) {
            if (p[i] == '{' || p[i] == '[')
                depth++;
            else if ((p[i] == '}' || p[i] == ']') && --depth == 0)
                return i + 1;
        }
        return n;
    }
    while (i < n && p[i] != ',' && p[i] != '}')
        i++;
    return i;
}

static bool seg_eq_nocase(const char *k, size_t klen, const char *seg, size_t slen)
{
    if (klen != slen)
        return false;
    for (size_t i = 0; i < klen; i++) {
        unsigned char a = (unsigned char)k[i], b = (unsigned char)seg[i];
        if (a >= 'A' && a <= 'Z')
            a = (unsigned char)(a + 32);
        if (b >= 'A' && b <= 'Z')
            b = (unsigned char)(b + 32);
        if (a != b)
            return false;
    }
    return true;
}

/* Value at a dotted key path (keys case-insensitive); an array on the path
 * is entered at its first element. TY_STR_NULL when absent or "null". */
static struct ty_str map_find(struct ty_str text, const char *path)
{
    const char *p = text.p;
    size_t n = text.len, i = 0;
    for (int guard = 0; guard < 8; guard++) {
        const char *dot = strchr(path, '.');
        size_t slen = dot ? (size_t)(dot - path) : strlen(path);
        bool found = false;
        while (i < n && p[i] == ' ')
            i++;
        if (i < n && p[i] == '[')
            i++;
        while (i < n && p[i] == ' ')
            i++;
        if (i >= n || p[i] != '{')
            return TY_STR_NULL;
        i++;
        while (i < n) {
            while (i < n && (p[i] == ' ' || p[i] == ','))
                i++;
            if (i >= n || p[i] == '}')
                return TY_STR_NULL;
            size_t ks = i;
            while (i < n && p[i] != '=' && p[i] != ',' && p[i] != '}')
                i++;
            if (i >= n || p[i] != '=')
                return TY_STR_NULL;
            size_t ke = i++;
            size_t ve = map_value_end(p, i, n);
            if (seg_eq_nocase(p + ks, ke - ks, path, slen)) {
                struct ty_str v = str_trim((struct ty_str){p + i, ve - i});
                if (!dot)
                    return STR_IS(v, "null") ? TY_STR_NULL : v;
                p = v.p;
                n = v.len;
                i = 0;
                path = dot + 1;
                found = true;
                break;
            }
            i = ve;
        }
        if (!found)
            return TY_STR_NULL;
    }
    return TY_STR_NULL;
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
    s = str_trim(s);
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
    id->type = map_find(m, "type");
    id->principal = map_find(m, "principalid");
    id->arn = map_find(m, "arn");
    id->account = map_find(m, "accountid");
    id->akid = map_find(m, "accesskeyid");
    id->user = map_find(m, "username");
    id->invoked_by = map_find(m, "invokedby");
    id->issuer = map_find(m, "sessioncontext.sessionissuer.arn");
    struct ty_str mfa = map_find(m, "sessioncontext.attributes.mfaauthenticated");
    if (STR_IS(mfa, "true"))
        id->mfa = 1;
    else if (STR_IS(mfa, "false"))
        id->mfa = 0;
}

/* An EC2 instance id: i- and 8 or 17 hex digits (lower case in AWS; any
 * case accepted, as anonymised samples mix it). */
static bool is_instance_id(struct ty_str s)
{
#define H3(c) [c] = 1, [c + 1] = 1, [c + 2] = 1
    static const unsigned char hex[256] = {
        H3('0'), H3('3'), H3('6'), ['9'] = 1, H3('a'), H3('d'), H3('A'), H3('D'),
    };
#undef H3
    if (!(s.len == 10 || s.len == 19) || s.p[0] != 'i' || s.p[1] != '-')
        return false;
    unsigned ok = 1;
    for (size_t i = 2; i < s.len; i++)
        ok &= hex[(unsigned char)s.p[i]];
    return ok;
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
    if (is_instance_id(session))
        put(ev, TY_F_HOST_ID, session);
    *have_account = id->account.len > 0;
    return 0;
}

/* ------------------------------------------------------------------------ */
/* targets from requestParameters */

enum { T_NAME = 1 }; /* the value is a name (also TARGET_NAME), not an ARN/id */

/* requestParameters keys naming the target, by priority: the first present wins. */
enum tslot {
    T_BUCKET,
    T_ROLE_ARN,
    T_ROLE_NAME,
    T_USERNAME,
    T_GROUP_NAME,
    T_POLICY_ARN,
    T_INSTANCE_ID,
    T_INSTANCES,
    T_INSTANCE_IDS,
    T_TARGET,
    T_FUNCTION,
    T_SECRET,
    T_KEY_ID,
    T_DB_INSTANCE,
    T_DB_CLUSTER,
    T_DB_SNAPSHOT,
    T_SNAPSHOT,
    T_IMAGE,
    T_GROUP_ID,
    T_TRAIL,
    T_LOG_GROUP,
    T_STACK,
    T_CLUSTER,
    T_NAME_KEY,
    T_RESOURCE_ARN,
    T__COUNT
};

static const struct tkey {
    const char *key;
    unsigned char flags;
    const char *kind;
} tkeys[T__COUNT] = {
    [T_BUCKET] = {"bucketName", T_NAME, "AWS::S3::Bucket"},
    [T_ROLE_ARN] = {"roleArn", 0, "AWS::IAM::Role"},
    [T_ROLE_NAME] = {"roleName", T_NAME, "AWS::IAM::Role"},
    [T_USERNAME] = {"userName", T_NAME, "AWS::IAM::User"},
    [T_GROUP_NAME] = {"groupName", T_NAME, "AWS::IAM::Group"},
    [T_POLICY_ARN] = {"policyArn", 0, "AWS::IAM::ManagedPolicy"},
    [T_INSTANCE_ID] = {"instanceId", 0, "AWS::EC2::Instance"},
    [T_INSTANCES] = {"instancesSet", 0, "AWS::EC2::Instance"},
    [T_INSTANCE_IDS] = {"instanceIds", 0, "AWS::EC2::Instance"},
    [T_TARGET] = {"target", 0, NULL}, /* SSM StartSession: an instance id */
    [T_FUNCTION] = {"functionName", T_NAME, "AWS::Lambda::Function"},
    [T_SECRET] = {"secretId", 0, "AWS::SecretsManager::Secret"},
    [T_KEY_ID] = {"keyId", 0, "AWS::KMS::Key"},
    [T_DB_INSTANCE] = {"dBInstanceIdentifier", T_NAME, "AWS::RDS::DBInstance"},
    [T_DB_CLUSTER] = {"dBClusterIdentifier", T_NAME, "AWS::RDS::DBCluster"},
    [T_DB_SNAPSHOT] = {"dBSnapshotIdentifier", T_NAME, "AWS::RDS::DBSnapshot"},
    [T_SNAPSHOT] = {"snapshotId", 0, "AWS::EC2::Snapshot"},
    [T_IMAGE] = {"imageId", 0, "AWS::EC2::Image"},
    [T_GROUP_ID] = {"groupId", 0, "AWS::EC2::SecurityGroup"},
    [T_TRAIL] = {"trailName", T_NAME, "AWS::CloudTrail::Trail"},
    [T_LOG_GROUP] = {"logGroupName", T_NAME, "AWS::Logs::LogGroup"},
    [T_STACK] = {"stackName", T_NAME, "AWS::CloudFormation::Stack"},
    [T_CLUSTER] = {"clusterName", T_NAME, NULL},
    [T_NAME_KEY] = {"name", T_NAME, NULL},
    [T_RESOURCE_ARN] = {"resourceArn", 0, NULL},
};

static int tkey_find(const char *p, size_t len)
{
    switch (len) {
    case 4:
        return KEYIS("name") ? T_NAME_KEY : -1;
    case 5:
        return KEYIS("keyId") ? T_KEY_ID : -1;
    case 6:
        return KEYIS("target") ? T_TARGET : -1;
    case 7:
        if (KEYIS("roleArn"))
            return T_ROLE_ARN;
        if (KEYIS("imageId"))
            return T_IMAGE;
        if (KEYIS("groupId"))
            return T_GROUP_ID;
        return -1;
    case 8:
        if (KEYIS("userName"))
            return T_USERNAME;
        if (KEYIS("roleName"))
            return T_ROLE_NAME;
        if (KEYIS("secretId"))
            return T_SECRET;
        return -1;
    case 9:
        if (KEYIS("groupName"))
            return T_GROUP_NAME;
        if (KEYIS("policyArn"))
            return T_POLICY_ARN;
        if (KEYIS("trailName"))
            return T_TRAIL;
        if (KEYIS("stackName"))
            return T_STACK;
        return -1;
    case 10:
        if (KEYIS("bucketName"))
            return T_BUCKET;
        if (KEYIS("instanceId"))
            return T_INSTANCE_ID;
        if (KEYIS("snapshotId"))
            return T_SNAPSHOT;
        return -1;
    case 11:
        if (KEYIS("instanceIds"))
            return T_INSTANCE_IDS;
        if (KEYIS("clusterName"))
            return T_CLUSTER;
        if (KEYIS("resourceArn"))
            return T_RESOURCE_ARN;
        return -1;
    case 12:
        if (KEYIS("instancesSet"))
            return T_INSTANCES;
        if (KEYIS("functionName"))
            return T_FUNCTION;
        if (KEYIS("logGroupName"))
            return T_LOG_GROUP;
        return -1;
    case 19:
        return KEYIS("dBClusterIdentifier") ? T_DB_CLUSTER : -1;
    case 20:
        if (KEYIS("dBInstanceIdentifier"))
            return T_DB_INSTANCE;
        if (KEYIS("dBSnapshotIdentifier"))
            return T_DB_SNAPSHOT;
        return -1;
    }
    return -1;
}

struct target {
    int best; /* index into tkeys, or -1 */
    struct ty_str val;
    struct ty_str bucket, key, user;
};

static void target_offer(struct target *t, int slot, struct ty_str v)
{
    if (!v.len)
        return;
    if (slot == T_BUCKET)
        t->bucket = v;
    if (slot == T_USERNAME)
        t->user = v;
    if (t->best < 0 || slot < t->best) {
        t->best = slot;
        t->val = v;
    }
}

static int target_json(struct ty_parse_ctx *ctx, const struct ty_json_doc *d, uint32_t obj,
                       struct target *t)
{
    const struct ty_json_tok *tk = d->toks;
    if (tk[obj].type != TY_JSON_OBJECT)
        return 0;
    uint32_t end = tk[obj].next;
    for (uint32_t k = obj + 1; k < end; k = tk[k + 1].next) {
        const char *p = d->src + tk[k].off;
        size_t len = tk[k].len;
        uint32_t v = k + 1;
        struct ty_str s;
        int rc;
        if (len == 3 && KEYIS("key")) {
            if ((rc = tok_str(ctx, d, v, &t->key)) < 0)
                return rc;
            continue;
        }
        int slot = tkey_find(p, len);
        if (slot < 0)
            continue;
        if (slot == T_INSTANCES) {
            /* {"items":[{"instanceId":"i-..."}]} */
            uint32_t items = obj_get(d, v, "items");
            uint32_t first = ty_json_type(d, items) == TY_JSON_ARRAY ? ty_json_first(d, items)
                                                                      : NONE;
            v = obj_get(d, first, "instanceId");
        } else if (tk[v].type == TY_JSON_ARRAY) {
            v = ty_json_first(d, v); /* ["i-...", ...]: the first */
        }
        if ((rc = tok_str(ctx, d, v, &s)) < 0)
            return rc;
        if (rc == 0)
            target_offer(t, slot, s);
    }
    return 0;
}

static void target_map(struct ty_str m, struct target *t)
{
    t->key = map_find(m, "key");
    for (int i = 0; i < T__COUNT; i++) {
        struct ty_str v = i == T_INSTANCES ? map_find(m, "instancesSet.items.instanceId")
                                           : map_find(m, tkeys[i].key);
        target_offer(t, i, v);
    }
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
                    r = map_find(n.map, key);
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
        struct ty_ip ip;
        if (fast_ipv4(s, &ip)) {
            ev->v[TY_F_SRC_IP].ip = ip;
            ty_event_mark(ev, TY_F_SRC_IP);
        } else {
            ty_event_set_addr(ev, TY_F_SRC_IP, TY_F_SRC_ADDR, s);
        }
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
            arn = map_find(n.map, "arn");
            type = map_find(n.map, "type");
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
        struct target t;
        t.val = t.bucket = t.key = t.user = TY_STR_NULL;
        t.best = -1;
        if (n.map.p)
            target_map(n.map, &t);
        else
            TRY(target_json(ctx, n.d, n.tok, &t));
        put(ev, TY_F_BUCKET, t.bucket);
        if (t.bucket.len)
            put(ev, TY_F_OBJECT_KEY, t.key);
        if (iam)
            put(ev, TY_F_TARGET_USER, t.user);
        if (!target_set && t.best >= 0) {
            const struct tkey *k = &tkeys[t.best];
            if (t.best == T_BUCKET) {
                struct ty_str arn = t.key.len
                    ? ty_arena_printf(ctx->arena, "arn:aws:s3:::%.*s/%.*s", (int)t.bucket.len,
                                      t.bucket.p, (int)t.key.len, t.key.p)
                    : ty_arena_printf(ctx->arena, "arn:aws:s3:::%.*s", (int)t.bucket.len,
                                      t.bucket.p);
                if (!arn.p)
                    goto nomem;
                put(ev, TY_F_TARGET, arn);
                put(ev, TY_F_TARGET_KIND,
                                 ty_str_cstr(t.key.len ? "AWS::S3::Object" : "AWS::S3::Bucket"));
            } else {
                put(ev, TY_F_TARGET, t.val);
                if (k->kind)
                    put(ev, TY_F_TARGET_KIND, ty_str_cstr(k->kind));
                else if (is_instance_id(t.val))
                    put(ev, TY_F_TARGET_KIND, TY_STR_LIT("AWS::EC2::Instance"));
            }
            if (k->flags & T_NAME)
                put(ev, TY_F_TARGET_NAME, t.val);
        }
    }

    /* how much: S3 data events */
    TRY(nested_get(ctx, pv, d, v[K_ADDITIONAL_EVENT_DATA], &n));
    if (rc == 0) {
        int64_t b;
        if (n.map.p) {
            if (parse_count(map_find(n.map, "bytesTransferredOut"), &b) == 0)
                put_int(ev, TY_F_BYTES_OUT, b);
            if (parse_count(map_find(n.map, "bytesTransferredIn"), &b) == 0)
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

/* ------------------------------------------------------------------------ */
/* CloudTrail Lake rows */

int ty__ct_lake_row(struct ty_parse_ctx *ctx, struct ct_priv *pv, const struct ty_json_doc *d,
                    uint32_t row, struct ty_event *ev, struct ty_err *err)
{
    const struct ty_json_tok *t = d->toks;
    struct ct_members m;
    /* flattened userIdentity columns (SELECT userIdentity.arn, ...) */
    enum { F_ARN, F_PRINCIPAL, F_ACCOUNT, F_AKID, F_USER, F_TYPE, F__N };
    static const char *const fcols[F__N][2] = {
        {"arn", "userIdentity.arn"},
        {"principalId", "userIdentity.principalId"},
        {"accountId", "userIdentity.accountId"},
        {"accessKeyId", "userIdentity.accessKeyId"},
        {"userName", "userIdentity.userName"},
        {"userIdentity.type", "userIdentity.type"},
    };
    uint32_t flat[F__N];
    int rc;

    memset(&m, 0xff, sizeof(m));
    memset(flat, 0xff, sizeof(flat));
    if (t[row].type != TY_JSON_ARRAY)
        return ty_err_set(err, TY_ECORRUPT, "Lake result row is not an array");
    uint32_t end = t[row].next;
    for (uint32_t e = row + 1; e < end; e = t[e].next) {
        if (t[e].type != TY_JSON_OBJECT)
            return ty_err_set(err, TY_ECORRUPT, "Lake result column is not an object");
        if (t[e].count != 1)
            continue;
        struct ty_str k;
        if (key_text(ctx, d, e + 1, &k) < 0)
            return ty_err_set(err, TY_ENOMEM, "out of memory");
        int id = key_id(k.p, k.len);
        if (id >= 0 && id <= K_P_EVENT_TIME) {
            if (m.v[id] == NONE)
                m.v[id] = e + 2;
            continue;
        }
        for (int f = 0; f < F__N; f++)
            if (flat[f] == NONE && (seg_eq_nocase(k.p, k.len, fcols[f][0], strlen(fcols[f][0])) ||
                                    seg_eq_nocase(k.p, k.len, fcols[f][1], strlen(fcols[f][1]))))
                flat[f] = e + 2;
    }
    if ((rc = ty__ct_record(ctx, pv, d, &m, NULL, ev, err)) != 0)
        return rc;
    static const enum ty_field ff[F__N] = {TY_F_ACTOR,      TY_F_ACTOR_ID,   TY_F_ACTOR_ACCOUNT,
                                           TY_F_ACCESS_KEY, TY_F_TARGET_USER, TY_F_ACTOR_TYPE};
    for (int f = 0; f < F__N; f++) {
        if (flat[f] == NONE || ty_event_has(ev, ff[f]))
            continue;
        if (f == F_USER) {
            /* a bare user name column is the actor when there is no ARN */
            if (!ty_event_has(ev, TY_F_ACTOR) && set_tok(ctx, ev, TY_F_ACTOR, d, flat[f]) < 0)
                return ty_err_set(err, TY_ENOMEM, "out of memory");
            continue;
        }
        if (set_tok(ctx, ev, ff[f], d, flat[f]) < 0)
            return ty_err_set(err, TY_ENOMEM, "out of memory");
    }
    if (!ty_event_has(ev, TY_F_CLOUD_ACCOUNT) && ty_event_has(ev, TY_F_ACTOR_ACCOUNT))
        put(ev, TY_F_CLOUD_ACCOUNT, ty_event_str(ev, TY_F_ACTOR_ACCOUNT));
    return 0;
}
