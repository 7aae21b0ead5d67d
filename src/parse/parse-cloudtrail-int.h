/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse-cloudtrail-int.h - internals shared by the CloudTrail parser files:
 * parse-cloudtrail.c (sniffing, delivery shapes, envelopes),
 * parse-cloudtrail-record.c (one record into a struct ty_event),
 * parse-cloudtrail-target.c (what a call acted on) and parse-cloudtrail-lake.c
 * (CloudTrail Lake rows, map text). Not API: only those files include it.
 */
#ifndef TYTO_PARSE_CLOUDTRAIL_INT_H
#define TYTO_PARSE_CLOUDTRAIL_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <tyto/parser.h>

/* Every object member name the parser looks at, in any shape. One pass over
 * an object fills an index array (struct ct_members) with the value token of
 * each key it knows; unknown keys cost one length switch. */
enum ct_key {
    /* the CloudTrail record */
    K_EVENT_TIME,
    K_EVENT_NAME,
    K_EVENT_SOURCE,
    K_EVENT_VERSION,
    K_EVENT_TYPE,
    K_EVENT_ID,
    K_EVENT_CATEGORY,
    K_USER_IDENTITY,
    K_AWS_REGION,
    K_SOURCE_IP,
    K_USER_AGENT,
    K_ERROR_CODE,
    K_ERROR_MESSAGE,
    K_REQUEST_PARAMETERS,
    K_RESPONSE_ELEMENTS,
    K_ADDITIONAL_EVENT_DATA,
    K_REQUEST_ID,
    K_READ_ONLY,
    K_RESOURCES,
    K_RECIPIENT_ACCOUNT_ID,
    K_SHARED_EVENT_ID,
    K_VPC_ENDPOINT_ID,
    K_INSIGHT_DETAILS,
    K_AT_TIMESTAMP, /* Logstash "@timestamp" (replaces eventTime in some exports) */
    K_P_EVENT_TIME, /* Panther data lake "p_event_time" */
    /* LookupEvents items */
    K_CLOUDTRAIL_EVENT,
    K_LE_EVENT_TIME,
    K_LE_EVENT_NAME,
    K_LE_EVENT_SOURCE,
    K_LE_EVENT_ID,
    K_LE_USERNAME,
    K_LE_ACCESS_KEY_ID,
    K_LE_READ_ONLY,
    K_LE_RESOURCES,
    /* EventBridge envelope */
    K_DETAIL,
    K_DETAIL_TYPE,
    K_EB_TIME,
    K_EB_REGION,
    K_EB_ACCOUNT,
    /* containers */
    K_RECORDS,
    K_EVENTS,
    K_QUERY_RESULT_ROWS,
    K_LOG_EVENTS,
    K_MESSAGE,    /* CloudWatch Logs log event */
    K_TIMESTAMP,  /* CloudWatch Logs log event: epoch ms */
    K_DIGEST_START_TIME,
    K__COUNT
};

struct ct_members {
    uint32_t v[K__COUNT]; /* value token index, or TY_JSON_NONE */
};

/* Fallbacks an envelope supplies when the record lacks them. */
struct ct_env {
    const struct ty_json_doc *d; /* document of the tokens below (may differ from the record's) */
    uint32_t time;               /* string or number token; TY_JSON_NONE if none */
    int time_is_ms;              /* a number token holding epoch milliseconds */
    uint32_t region;
    uint32_t account;
};

/* Parser state: ctx->priv. */
struct ct_priv {
    struct ty_event ev;
    struct ty_json_doc inner; /* a record held in a JSON string (CloudTrailEvent, message) */
    struct ty_json_doc aux;   /* a nested object held in a string (Lake columns) */
    int shape;                /* enum ct_shape in parse-cloudtrail.c */
};

/* ------------------------------------------------------------------------ */
/* hot-path helpers */

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
    if (n > 24) /* three words would leave a gap */
        return memcmp(p, lit, n) == 0;
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

/* String value of token i: 0 with *out set, 1 when absent or not a string,
 * TY_ENOMEM. Escaped strings are decoded into the arena. */
static inline int tok_str(struct ty_parse_ctx *ctx, const struct ty_json_doc *d, uint32_t i,
                          struct ty_str *out)
{
    *out = TY_STR_NULL;
    if (i == TY_JSON_NONE || d->toks[i].type != TY_JSON_STRING)
        return 1;
    const struct ty_json_tok *t = &d->toks[i];
    if (!(t->flags & TY_JSON_F_ESCAPED)) {
        *out = (struct ty_str){d->src + t->off, t->len};
        return 0;
    }
    return ty_json_str(d, i, ctx->arena, out) < 0 ? TY_ENOMEM : 0;
}

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

/* ------------------------------------------------------------------------ */

/* Fill m with the members of object obj (value tokens by key). */
int ty__ct_members(struct ty_parse_ctx *ctx, const struct ty_json_doc *d, uint32_t obj,
                   struct ct_members *m, struct ty_err *err);

/* Normalise the CloudTrail record whose members are m (from doc d) into ev
 * (cleared first). env may be NULL. Returns 0, TY_ECORRUPT (err says why),
 * TY_ENOMEM. */
int ty__ct_record(struct ty_parse_ctx *ctx, struct ct_priv *pv, const struct ty_json_doc *d,
                  const struct ct_members *m, const struct ct_env *env, struct ty_event *ev,
                  struct ty_err *err);

/* The enum ct_key of an object key token (decoding escapes): -1 if unknown,
 * TY_ENOMEM. */
int ty__ct_key_of(struct ty_parse_ctx *ctx, const struct ty_json_doc *d, uint32_t k);

/* ASCII case-insensitive equality of two byte runs. */
bool ty__ct_eq_nocase(const char *a, size_t alen, const char *b, size_t blen);

/* Presto/Java map text ("{type=IAMUser, arn=..., sessioncontext={...}}", as
 * Lake renders nested columns): the value at a dotted key path, keys compared
 * case-insensitively, an array on the path entered at its first element.
 * TY_STR_NULL when absent or "null". */
struct ty_str ty__ct_map_find(struct ty_str text, const char *path);

/* An EC2 instance id: "i-" and 8 or 17 hex digits. */
bool ty__ct_is_instance_id(struct ty_str s);

/* What requestParameters say the call acted on (parse-cloudtrail-target.c). */
struct ct_target {
    int best; /* the winning key's slot, or -1 */
    struct ty_str val;
    struct ty_str bucket, key, user;
};

void ty__ct_target_init(struct ct_target *t);
/* From the requestParameters object obj of d. 0 or TY_ENOMEM. */
int ty__ct_target_json(struct ty_parse_ctx *ctx, const struct ty_json_doc *d, uint32_t obj,
                       struct ct_target *t);
/* From requestParameters rendered as map text (Lake). */
void ty__ct_target_map(struct ty_str m, struct ct_target *t);
/* Set bucket, object_key, target_user (IAM calls) and, unless the record's
 * resources[] already named it, target/target_kind/target_name. 0 or TY_ENOMEM. */
int ty__ct_target_apply(struct ty_parse_ctx *ctx, struct ty_event *ev, const struct ct_target *t,
                        bool iam, bool target_set);

/* Normalise one CloudTrail Lake result row (array of single-key objects). */
int ty__ct_lake_row(struct ty_parse_ctx *ctx, struct ct_priv *pv, const struct ty_json_doc *d,
                    uint32_t row, struct ty_event *ev, struct ty_err *err);

#endif
