/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse-cloudtrail-int.h - internals shared by the CloudTrail parser files:
 * parse-cloudtrail.c (sniffing, delivery shapes, envelopes) and
 * parse-cloudtrail-record.c (normalising one record into a struct ty_event).
 * Not API: nothing outside src/parse/parse-cloudtrail*.c includes it.
 */
#ifndef TYTO_PARSE_CLOUDTRAIL_INT_H
#define TYTO_PARSE_CLOUDTRAIL_INT_H

#include <stdint.h>

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

/* Fill m with the members of object obj (value tokens by key). */
int ty__ct_members(struct ty_parse_ctx *ctx, const struct ty_json_doc *d, uint32_t obj,
                   struct ct_members *m, struct ty_err *err);

/* Normalise the CloudTrail record whose members are m (from doc d) into ev
 * (cleared first). env may be NULL. Returns 0, TY_ECORRUPT (err says why),
 * TY_ENOMEM. */
int ty__ct_record(struct ty_parse_ctx *ctx, struct ct_priv *pv, const struct ty_json_doc *d,
                  const struct ct_members *m, const struct ct_env *env, struct ty_event *ev,
                  struct ty_err *err);

/* Normalise one CloudTrail Lake result row (array of single-key objects). */
int ty__ct_lake_row(struct ty_parse_ctx *ctx, struct ct_priv *pv, const struct ty_json_doc *d,
                    uint32_t row, struct ty_event *ev, struct ty_err *err);

#endif
