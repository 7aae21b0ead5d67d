/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse-cloudtrail.c - AWS CloudTrail: every delivery shape, and digest files.
 *
 * Record format (formats.md §1; https://docs.aws.amazon.com/awscloudtrail/
 * latest/userguide/cloudtrail-event-reference-record-contents.html): one JSON
 * object per API call with eventTime (UTC, seconds), eventSource, eventName,
 * userIdentity{type, principalId, arn, accountId, accessKeyId, sessionContext},
 * sourceIPAddress (an IP, "AWS Internal" or a service name), userAgent,
 * errorCode/errorMessage, requestParameters, responseElements, resources[],
 * additionalEventData, eventID, requestID, recipientAccountId, awsRegion.
 * The mapping to struct ty_event is in parse-cloudtrail-record.c.
 *
 * Delivery shapes, told apart by sniff() from the head of the stream:
 *   - S3 trail files {"Records":[...]} (gzip is undone by the reader);
 *   - JSON lines of bare records (CloudWatch Logs, SIEM exports), also with a
 *     CloudWatch export ingestion timestamp before the "{" (stripped) and
 *     Logstash's @timestamp/@version (then @timestamp stands in for a missing
 *     eventTime); pretty-printed records (framed as JSON documents);
 *   - JSON arrays of records (Stratus Red Team detonation logs);
 *   - EventBridge envelopes (record in "detail", envelope time/region/account
 *     as fallbacks);
 *   - `aws cloudtrail lookup-events` output: {"Events":[...]} or lines of Event
 *     items; the record is the CloudTrailEvent string, decoded and parsed
 *     again; EventTime (epoch number or ISO text) is the fallback time;
 *   - CloudTrail Lake get-query-results: QueryResultRows of single-key objects
 *     whose values are all strings (nested objects as JSON or map text);
 *   - CloudWatch Logs subscription payloads (logEvents[].message records);
 *   - Insight events (eventType AwsCloudTrailInsight: category "insight");
 *   - digest files (ty_parser_cloudtrail_digest: recognised, no events).
 * Whatever the framing, record() also copes with a container arriving whole
 * (a one-line Records file, an array on one line): its elements become events
 * of one record, emitted only once all of them normalised.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse-cloudtrail-int.h"

#define NONE TY_JSON_NONE

/* memmem() is a GNU extension: the same, portable. */
static const char *find_bytes(const void *hay, size_t n, const void *needle, size_t k)
{
    const char *h = hay, *end = h + n;
    if (k == 0)
        return h;
    while ((size_t)(end - h) >= k) {
        const char *q = memchr(h, *(const char *)needle, (size_t)(end - h) - k + 1);
        if (!q)
            return NULL;
        if (memcmp(q, needle, k) == 0)
            return q;
        h = q + 1;
    }
    return NULL;
}

enum ct_shape {
    S_UNKNOWN,
    S_RECORDS,
    S_LINES,
    S_CW_LINES,
    S_LOGSTASH,
    S_DOCS,
    S_ARRAY,
    S_EVENTBRIDGE,
    S_LOOKUP_DOC,
    S_LOOKUP_ITEMS,
    S_LAKE,
    S_CWL_SUB,
    S_INSIGHT,
    S_DIGEST,
};

/* ------------------------------------------------------------------------ */
/* sniffing: pure functions over the head */

/* Does `"key"` occur as an object key (followed by optional blanks and ':')? */
static bool has_key(struct ty_str h, const char *key)
{
    size_t kl = strlen(key);
    const char *p = h.p, *end = h.p + h.len;
    while (p < end) {
        const char *q = find_bytes(p, (size_t)(end - p), key, kl);
        if (!q)
            return false;
        const char *r = q + kl;
        if (q > h.p && q[-1] == '"' && (q - 1 == h.p || q[-2] != '\\') && r < end && *r == '"') {
            r++;
            while (r < end && (*r == ' ' || *r == '\t' || *r == '\n' || *r == '\r'))
                r++;
            if (r < end && *r == ':')
                return true;
        }
        p = q + 1;
    }
    return false;
}

static bool contains(struct ty_str h, const char *s)
{
    return find_bytes(h.p, h.len, s, strlen(s)) != NULL;
}

static struct ty_str skip_blank(struct ty_str s)
{
    while (s.len && (s.p[0] == ' ' || s.p[0] == '\t' || s.p[0] == '\n' || s.p[0] == '\r')) {
        s.p++;
        s.len--;
    }
    return s;
}

/* The first key of the object h starts with ("{" blanks "\"key\""). */
static bool first_key_is(struct ty_str h, const char *key)
{
    size_t kl = strlen(key);
    if (!h.len || h.p[0] != '{')
        return false;
    h = skip_blank((struct ty_str){h.p + 1, h.len - 1});
    return h.len > kl + 1 && h.p[0] == '"' && memcmp(h.p + 1, key, kl) == 0 && h.p[kl + 1] == '"';
}

/* Does the JSON value starting at h.p end on its first line? */
static bool value_on_one_line(struct ty_str h)
{
    int depth = 0;
    bool in_str = false;
    for (size_t i = 0; i < h.len; i++) {
        char c = h.p[i];
        if (in_str) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_str = false;
            else if (c == '\n')
                return false;
            continue;
        }
        if (c == '"') {
            in_str = true;
        } else if (c == '{' || c == '[') {
            depth++;
        } else if (c == '}' || c == ']') {
            if (--depth == 0) {
                for (i++; i < h.len && (h.p[i] == ' ' || h.p[i] == '\t' || h.p[i] == '\r'); i++)
                    ;
                return i >= h.len || h.p[i] == '\n';
            }
        } else if (c == '\n') {
            return false;
        }
    }
    return false; /* not closed within the head */
}

/* A CloudWatch export line: "<ingestion time> {...}". The prefix must be a
 * short run of time characters. Returns the offset of the "{" or -1. */
static ptrdiff_t time_prefix(struct ty_str h)
{
    size_t i;
    for (i = 0; i < h.len && i < 64; i++) {
        char c = h.p[i];
        if (c == '{')
            return i >= 8 ? (ptrdiff_t)i : -1;
        if (!((c >= '0' && c <= '9') || c == '-' || c == ':' || c == '.' || c == 'T' ||
              c == 'Z' || c == '+' || c == ' ' || c == '\t' || c == ','))
            return -1;
    }
    return -1;
}

struct cls {
    int shape;
    int score;
    bool lines; /* records are one per line */
};

static struct cls classify(struct ty_str head)
{
    struct cls c = {S_UNKNOWN, 0, false};
    struct ty_str h = ty_parse_skip_ws(head);
    bool prefixed = false;

    if (!h.len)
        return c;
    if (has_key(h, "digestStartTime") &&
        (has_key(h, "logFiles") || has_key(h, "digestEndTime") || has_key(h, "digestS3Bucket"))) {
        c.shape = S_DIGEST;
        c.score = 95;
        return c;
    }
    if (h.p[0] != '{' && h.p[0] != '[') {
        ptrdiff_t o = time_prefix(h);
        if (o < 0)
            return c;
        h = (struct ty_str){h.p + o, h.len - (size_t)o};
        prefixed = true;
    }
    bool array = h.p[0] == '[';
    c.lines = prefixed || (!array && value_on_one_line(h));
    bool ev_version = has_key(h, "eventVersion"), ev_source = has_key(h, "eventSource"),
         ev_name = has_key(h, "eventName"), ev_time = has_key(h, "eventTime");
    bool foreign = has_key(h, "auditID") || has_key(h, "protoPayload") ||
                   has_key(h, "operationName");

    if (first_key_is(h, "Records")) {
        /* S3/SQS/SNS notifications use Records too, with "eventSource":"aws:s3" */
        if (contains(h, "\"eventSource\":\"aws:") || contains(h, "\"eventSource\": \"aws:") ||
            contains(h, "\"EventSource\":\"aws:") || contains(h, "\"EventSource\": \"aws:"))
            return c;
        c.shape = S_RECORDS;
        c.score = (ev_version || ev_source) && !foreign ? 95 : 60;
    } else if (has_key(h, "CloudTrailEvent")) {
        c.shape = first_key_is(h, "Events") ? S_LOOKUP_DOC : S_LOOKUP_ITEMS;
        if (!first_key_is(h, "Events") && has_key(h, "Events"))
            c.shape = S_LOOKUP_DOC;
        c.score = 95;
    } else if (has_key(h, "QueryResultRows")) {
        c.shape = S_LAKE;
        c.score = 90;
    } else if (has_key(h, "detail-type") && contains(h, "via CloudTrail\"")) {
        c.shape = S_EVENTBRIDGE;
        c.score = 90;
    } else if (has_key(h, "logEvents") && has_key(h, "messageType") &&
               (contains(h, "\\\"eventVersion\\\"") || contains(h, "\\\"eventSource\\\""))) {
        c.shape = S_CWL_SUB;
        c.score = 90;
    } else if (foreign) {
        return c;
    } else if (ev_version && ev_source && ev_name) {
        c.shape = S_LINES;
        c.score = 90;
    } else if (ev_version && has_key(h, "insightDetails")) {
        c.shape = S_INSIGHT;
        c.score = 90;
    } else {
        int n = ev_version + ev_source + ev_name + ev_time + has_key(h, "userIdentity") +
                has_key(h, "awsRegion") + has_key(h, "sourceIPAddress") +
                has_key(h, "recipientAccountId");
        if (n < 4 || !(ev_source || ev_name))
            return c;
        c.shape = S_LINES;
        c.score = 70;
    }
    if (prefixed) {
        if (c.shape != S_LINES && c.shape != S_INSIGHT && c.shape != S_EVENTBRIDGE &&
            c.shape != S_LOOKUP_ITEMS) {
            c.score = 0;
            return c;
        }
        c.shape = S_CW_LINES;
        c.score -= 5;
    } else if (array && (c.shape == S_LINES || c.shape == S_INSIGHT)) {
        c.shape = S_ARRAY;
    } else if (c.shape == S_LINES && c.lines && has_key(h, "@version")) {
        c.shape = S_LOGSTASH;
    } else if ((c.shape == S_LINES || c.shape == S_INSIGHT) && !c.lines) {
        c.shape = S_DOCS;
    }
    return c;
}

static int ct_sniff(struct ty_str head)
{
    struct cls c = classify(head);
    return c.shape == S_DIGEST ? 0 : c.score;
}

static int digest_sniff(struct ty_str head)
{
    struct cls c = classify(head);
    return c.shape == S_DIGEST ? c.score : 0;
}

/* ------------------------------------------------------------------------ */
/* open / close */

static void ct_close(struct ty_parse_ctx *ctx)
{
    struct ct_priv *pv = ctx->priv;
    if (!pv)
        return;
    ty_json_doc_release(&pv->inner);
    ty_json_doc_release(&pv->aux);
    free(pv);
    ctx->priv = NULL;
}

static void set_shape(struct ty_parse_ctx *ctx, const char *s)
{
    size_t n = strlen(s);
    if (n >= sizeof(ctx->shape))
        n = sizeof(ctx->shape) - 1;
    memcpy(ctx->shape, s, n);
    ctx->shape[n] = '\0';
}

static int ct_open(struct ty_parse_ctx *ctx, struct ty_err *err)
{
    struct cls c = classify(ctx->head);
    struct ct_priv *pv = calloc(1, sizeof(*pv));
    if (!pv)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    ty_json_doc_init(&pv->inner, 0, 0);
    ty_json_doc_init(&pv->aux, 0, 0);
    ctx->priv = pv;

    struct ty_frame_spec lines = {TY_FRAME_LINES, NULL, 0};
    struct ty_frame_spec docs = {TY_FRAME_JSON, NULL, 0};
    struct ty_frame_spec one_per_line = c.lines ? lines : docs;
    const char *suffix = c.lines ? "lines" : "documents";
    char buf[64];

    pv->shape = c.shape;
    switch (c.shape) {
    case S_RECORDS:
        ctx->frame = (struct ty_frame_spec){TY_FRAME_JSON, "Records", 0};
        set_shape(ctx, "S3 Records file");
        break;
    case S_LOOKUP_DOC:
        ctx->frame = (struct ty_frame_spec){TY_FRAME_JSON, "Events", 0};
        set_shape(ctx, "LookupEvents output");
        break;
    case S_LAKE:
        ctx->frame = (struct ty_frame_spec){TY_FRAME_JSON, "QueryResultRows", 0};
        set_shape(ctx, "CloudTrail Lake query results");
        break;
    case S_CWL_SUB:
        ctx->frame = (struct ty_frame_spec){TY_FRAME_JSON, "logEvents", 0};
        set_shape(ctx, "CloudWatch Logs subscription payload");
        break;
    case S_CW_LINES:
        ctx->frame = lines;
        set_shape(ctx, "CloudWatch Logs export lines");
        break;
    case S_LOGSTASH:
        ctx->frame = lines;
        set_shape(ctx, "Logstash JSON lines");
        break;
    case S_ARRAY:
        ctx->frame = docs;
        set_shape(ctx, "JSON array");
        break;
    case S_EVENTBRIDGE:
        ctx->frame = one_per_line;
        snprintf(buf, sizeof(buf), "EventBridge %s", suffix);
        set_shape(ctx, buf);
        break;
    case S_LOOKUP_ITEMS:
        ctx->frame = ctx->head.len && ty_parse_skip_ws(ctx->head).p[0] == '[' ? docs
                                                                                : one_per_line;
        snprintf(buf, sizeof(buf), "LookupEvents items (%s)",
                 ctx->frame.kind == TY_FRAME_LINES ? "lines" : "JSON");
        set_shape(ctx, buf);
        break;
    case S_INSIGHT:
        ctx->frame = one_per_line;
        snprintf(buf, sizeof(buf), "Insight JSON %s", suffix);
        set_shape(ctx, buf);
        break;
    case S_LINES:
        ctx->frame = lines;
        set_shape(ctx, "JSON lines");
        break;
    default: /* S_DOCS, or forced with --format on an unknown head */
        ctx->frame = docs;
        set_shape(ctx, c.shape == S_DOCS ? "JSON documents" : "JSON (unrecognised head)");
        break;
    }
    return 0;
}

/* ------------------------------------------------------------------------ */
/* records */

static int reprefix(struct ty_err *err, int rc, const char *fmt, unsigned long n)
{
    char msg[sizeof(err->msg)];
    char pre[48];
    snprintf(msg, sizeof(msg), "%s", err->msg);
    snprintf(pre, sizeof(pre), fmt, n);
    return ty_err_set(err, rc, "%s%s", pre, msg);
}

/* Parse JSON text held in a string member into pv->inner. */
static int parse_inner(struct ty_parse_ctx *ctx, struct ct_priv *pv, struct ty_str s,
                       const char *what, struct ty_err *err)
{
    int rc = ty_json_parse(&pv->inner, s.p, s.len, err);
    if (rc == TY_ECORRUPT || rc == TY_ETOOBIG)
        return reprefix(err, TY_ECORRUPT, what, 0);
    if (rc < 0)
        return rc;
    if (pv->inner.toks[0].type != TY_JSON_OBJECT)
        return ty_err_set(err, TY_ECORRUPT, "%.*s is not a JSON object", (int)strcspn(what, ":"),
                          what);
    return 0;
}

/* A string member's text (decoded); nonzero when absent or not a string. */
static int str_at(struct ty_parse_ctx *ctx, const struct ty_json_doc *d, uint32_t i,
                  struct ty_str *out)
{
    if (ty_json_type(d, i) != TY_JSON_STRING)
        return TY_EINVAL;
    return ty_json_str(d, i, ctx->arena, out);
}

/* LookupEvents Event item: the record is the CloudTrailEvent string. */
static int one_lookup(struct ty_parse_ctx *ctx, struct ct_priv *pv, const struct ty_json_doc *d,
                      const struct ct_members *m, struct ty_event *ev, struct ty_err *err)
{
    struct ct_env env = {d, m->v[K_LE_EVENT_TIME], 0, NONE, NONE};
    struct ct_members im;
    uint32_t ce = m->v[K_CLOUDTRAIL_EVENT];
    struct ty_str s;
    int rc;

    if (ty_json_type(d, ce) == TY_JSON_STRING) {
        if (ty_json_str(d, ce, ctx->arena, &s) < 0)
            return ty_err_set(err, TY_ENOMEM, "out of memory");
        if ((rc = parse_inner(ctx, pv, s, "CloudTrailEvent: ", err)) != 0)
            return rc;
        if ((rc = ty__ct_members(ctx, &pv->inner, 0, &im, err)) != 0)
            return rc;
        rc = ty__ct_record(ctx, pv, &pv->inner, &im, &env, ev, err);
    } else if (ty_json_type(d, ce) == TY_JSON_OBJECT) {
        if ((rc = ty__ct_members(ctx, d, ce, &im, err)) != 0)
            return rc;
        rc = ty__ct_record(ctx, pv, d, &im, &env, ev, err);
    } else {
        /* only the summary keys (lookup-events --query without CloudTrailEvent) */
        memset(&im, 0xff, sizeof(im));
        im.v[K_EVENT_NAME] = m->v[K_LE_EVENT_NAME];
        im.v[K_EVENT_SOURCE] = m->v[K_LE_EVENT_SOURCE];
        im.v[K_EVENT_ID] = m->v[K_LE_EVENT_ID];
        im.v[K_READ_ONLY] = m->v[K_LE_READ_ONLY];
        rc = ty__ct_record(ctx, pv, d, &im, &env, ev, err);
        if (rc == 0 && ty_json_type(d, m->v[K_LE_RESOURCES]) == TY_JSON_ARRAY) {
            uint32_t r = ty_json_first(d, m->v[K_LE_RESOURCES]);
            if (ty_json_type(d, r) == TY_JSON_OBJECT) {
                if (str_at(ctx, d, ty_json_get(d, r, "ResourceName"), &s) == 0)
                    ty_event_set_str(ev, TY_F_TARGET, s);
                if (str_at(ctx, d, ty_json_get(d, r, "ResourceType"), &s) == 0 &&
                    ty_event_has(ev, TY_F_TARGET))
                    ty_event_set_str(ev, TY_F_TARGET_KIND, s);
            }
        }
    }
    if (rc != 0)
        return rc;
    /* what the record lacks, the summary may have */
    if (!ty_event_has(ev, TY_F_ACCESS_KEY) &&
        str_at(ctx, d, m->v[K_LE_ACCESS_KEY_ID], &s) == 0)
        ty_event_set_str(ev, TY_F_ACCESS_KEY, s);
    if (!ty_event_has(ev, TY_F_ACTOR) && str_at(ctx, d, m->v[K_LE_USERNAME], &s) == 0)
        ty_event_set_str(ev, TY_F_ACTOR, s);
    return 0;
}

/* A log event whose message is a CloudTrail record (CloudWatch Logs
 * subscription, or a Logstash event that kept the raw line in "message"). */
static int one_message(struct ty_parse_ctx *ctx, struct ct_priv *pv, const struct ty_json_doc *d,
                       const struct ct_members *m, struct ty_event *ev, struct ty_err *err)
{
    struct ty_str s;
    struct ct_members im;
    int rc;
    struct ct_env env = {d, m->v[K_TIMESTAMP], 1, NONE, NONE};

    if (env.time == NONE || ty_json_type(d, env.time) != TY_JSON_NUMBER) {
        env.time = m->v[K_AT_TIMESTAMP];
        env.time_is_ms = 0;
    }
    if ((rc = str_at(ctx, d, m->v[K_MESSAGE], &s)) != 0)
        return rc == TY_ENOMEM ? ty_err_set(err, rc, "out of memory")
                               : ty_err_set(err, TY_ECORRUPT, "log event message is not a string");
    s = ty_parse_skip_ws(s);
    if (ty_str_starts(s, "CWL CONTROL MESSAGE"))
        return TY_SKIP;
    if (!s.len || s.p[0] != '{')
        return ty_err_set(err, TY_ECORRUPT, "log event message is not a JSON record");
    if ((rc = parse_inner(ctx, pv, s, "message: ", err)) != 0)
        return rc;
    if ((rc = ty__ct_members(ctx, &pv->inner, 0, &im, err)) != 0)
        return rc;
    return ty__ct_record(ctx, pv, &pv->inner, &im, &env, ev, err);
}

/* Normalise the object whose members are m: one event. 0, TY_SKIP, or < 0. */
static int one_obj(struct ty_parse_ctx *ctx, struct ct_priv *pv, const struct ty_json_doc *d,
                   const struct ct_members *mp, struct ty_event *ev, struct ty_err *err)
{
    const struct ct_members m = *mp;
    int rc;

    if (m.v[K_EVENT_NAME] == NONE && m.v[K_EVENT_TIME] == NONE) {
        if (m.v[K_DIGEST_START_TIME] != NONE)
            return TY_SKIP; /* a digest file among records */
        if (m.v[K_CLOUDTRAIL_EVENT] != NONE || m.v[K_LE_EVENT_NAME] != NONE)
            return one_lookup(ctx, pv, d, &m, ev, err);
        if (ty_json_type(d, m.v[K_DETAIL]) == TY_JSON_OBJECT) {
            struct ct_members dm;
            struct ct_env env = {d, m.v[K_EB_TIME], 0, m.v[K_EB_REGION], m.v[K_EB_ACCOUNT]};
            if ((rc = ty__ct_members(ctx, d, m.v[K_DETAIL], &dm, err)) != 0)
                return rc;
            return ty__ct_record(ctx, pv, d, &dm, &env, ev, err);
        }
        if (ty_json_type(d, m.v[K_MESSAGE]) == TY_JSON_STRING)
            return one_message(ctx, pv, d, &m, ev, err);
    }
    return ty__ct_record(ctx, pv, d, &m, NULL, ev, err);
}

/* Normalise one element that stands for one event. 0, TY_SKIP, or < 0. */
static int one(struct ty_parse_ctx *ctx, struct ct_priv *pv, const struct ty_json_doc *d,
               uint32_t i, struct ty_event *ev, struct ty_err *err)
{
    struct ct_members m;
    int rc;

    if (d->toks[i].type == TY_JSON_ARRAY)
        return ty__ct_lake_row(ctx, pv, d, i, ev, err);
    if (d->toks[i].type != TY_JSON_OBJECT)
        return ty_err_set(err, TY_ECORRUPT, "record is not a JSON object");
    if ((rc = ty__ct_members(ctx, d, i, &m, err)) != 0)
        return rc;
    return one_obj(ctx, pv, d, &m, ev, err);
}

/* Does the array hold Lake columns (single-key objects) rather than records? */
static bool is_lake_row(const struct ty_json_doc *d, uint32_t arr)
{
    uint32_t e = ty_json_first(d, arr);
    return e != NONE && d->toks[e].type == TY_JSON_OBJECT && d->toks[e].count == 1 &&
           d->toks[e + 2].type == TY_JSON_STRING;
}

/* A container of events that arrived as one record: normalise every element
 * first (so nothing is emitted from a record that turns out corrupt), then
 * emit. */
static int many(struct ty_parse_ctx *ctx, struct ct_priv *pv, const struct ty_json_doc *d,
                uint32_t arr, struct ty_err *err)
{
    unsigned long idx = 0, n_ok = 0;
    int rc;
    for (uint32_t e = ty_json_first(d, arr); e != NONE; e = ty_json_next(d, e), idx++) {
        rc = one(ctx, pv, d, e, &pv->ev, err);
        if (rc == TY_SKIP)
            continue;
        if (rc == TY_ECORRUPT)
            return reprefix(err, rc, "element %lu: ", idx);
        if (rc < 0)
            return rc;
        n_ok++;
    }
    if (!n_ok)
        return TY_SKIP;
    for (uint32_t e = ty_json_first(d, arr); e != NONE; e = ty_json_next(d, e)) {
        rc = one(ctx, pv, d, e, &pv->ev, err);
        if (rc == TY_SKIP)
            continue;
        if (rc < 0)
            return rc;
        if ((rc = ty_parse_emit(ctx, &pv->ev)) < 0)
            return rc;
    }
    return TY_OK;
}

static int ct_record(struct ty_parse_ctx *ctx, const struct ty_record *rec, struct ty_err *err)
{
    struct ct_priv *pv = ctx->priv;
    struct ty_json_doc *d = ctx->json;
    struct ty_str s = ty_parse_skip_ws(ty_str_make(rec->p, rec->len));
    int rc;

    if (!s.len)
        return ty_err_set(err, TY_ECORRUPT, "empty record");
    if (s.p[0] != '{' && s.p[0] != '[') {
        /* CloudWatch export "<ingestion time> {...}": strip up to the first "{" */
        const char *q = memchr(s.p, '{', s.len);
        if (!q)
            return ty_err_set(err, TY_ECORRUPT, "no JSON object in record");
        s = (struct ty_str){q, s.len - (size_t)(q - s.p)};
    }
    rc = ty_json_parse(d, s.p, s.len, err);
    if (rc == TY_ECORRUPT || rc == TY_ETOOBIG)
        return reprefix(err, TY_ECORRUPT, "invalid JSON: ", 0);
    if (rc < 0)
        return rc;

    if (d->toks[0].type == TY_JSON_ARRAY) {
        if (is_lake_row(d, 0))
            rc = ty__ct_lake_row(ctx, pv, d, 0, &pv->ev, err);
        else
            return many(ctx, pv, d, 0, err);
    } else if (d->toks[0].type == TY_JSON_OBJECT) {
        struct ct_members m;
        if ((rc = ty__ct_members(ctx, d, 0, &m, err)) != 0)
            return rc;
        if (m.v[K_EVENT_NAME] == NONE && m.v[K_EVENT_TIME] == NONE) {
            static const int containers[] = {K_RECORDS, K_EVENTS, K_QUERY_RESULT_ROWS,
                                             K_LOG_EVENTS};
            for (size_t c = 0; c < sizeof(containers) / sizeof(containers[0]); c++)
                if (ty_json_type(d, m.v[containers[c]]) == TY_JSON_ARRAY)
                    return many(ctx, pv, d, m.v[containers[c]], err);
        }
        rc = one_obj(ctx, pv, d, &m, &pv->ev, err);
    } else {
        return ty_err_set(err, TY_ECORRUPT, "record is not a JSON object");
    }
    if (rc != 0)
        return rc;
    if ((rc = ty_parse_emit(ctx, &pv->ev)) < 0)
        return rc;
    return TY_OK;
}

/* ------------------------------------------------------------------------ */
/* digest files: recognised so a CloudTrail tree ingests cleanly, no events */

static int digest_open(struct ty_parse_ctx *ctx, struct ty_err *err)
{
    ctx->frame = (struct ty_frame_spec){TY_FRAME_WHOLE, NULL, 0};
    set_shape(ctx, "CloudTrail digest file (no events)");
    return 0;
}

static void digest_close(struct ty_parse_ctx *ctx)
{
    (void)ctx; /* no state */
}

static int digest_record(struct ty_parse_ctx *ctx, const struct ty_record *rec,
                         struct ty_err *err)
{
    int rc = ty_json_parse(ctx->json, rec->p, rec->len, err);
    if (rc == TY_ECORRUPT || rc == TY_ETOOBIG)
        return reprefix(err, TY_ECORRUPT, "invalid JSON in digest file: ", 0);
    if (rc < 0)
        return rc;
    if (ty_json_get(ctx->json, 0, "digestStartTime") == NONE)
        return ty_err_set(err, TY_ECORRUPT, "digest file has no digestStartTime");
    return TY_SKIP;
}

/* Sigma raw view: an EventBridge envelope's rules see the CloudTrail
 * event in "detail"; other shapes are the event itself. (LookupEvents'
 * CloudTrailEvent is a JSON string: its fields reach rules only through
 * the fast path below.) */
static uint32_t ct_json_root(const struct ty_json_doc *d, uint32_t root)
{
    /* a quick scan of the tape for a "detail" key (most records have none) */
    const struct ty_json_tok *t = d->toks;
    uint32_t det = NONE, key = root + 1;
    if (t[root].type != TY_JSON_OBJECT)
        return TY_JSON_NONE;
    for (uint32_t i = 0; i < t[root].count && key + 1 < d->n_toks; i++, key = t[key + 1].next)
        if (t[key].len == 6 && memcmp(d->src + t[key].off, "detail", 6) == 0) {
            det = key + 1;
            break;
        }
    if (ty_json_type(d, det) == TY_JSON_OBJECT && ty_json_get(d, det, "eventName") != NONE)
        return det;
    return TY_JSON_NONE;
}

/* eventName, eventSource and userIdentity.type are the normalised action,
 * provider and actor type, copied as written, except for Insights (their
 * name and source come from insightDetails). */
static int ct_field_fast(const struct ty_event *ev, struct ty_str name, struct ty_str *out)
{
    if (ty_str_eq_cstr(ty_event_str(ev, TY_F_CATEGORY), "insight"))
        return 0;
    enum ty_field f;
    if (ty_str_eq_cstr(name, "eventName"))
        f = TY_F_ACTION;
    else if (ty_str_eq_cstr(name, "eventSource"))
        f = TY_F_PROVIDER;
    else if (ty_str_eq_cstr(name, "userIdentity.type"))
        f = TY_F_ACTOR_TYPE;
    else
        return 0;
    if (!ty_event_has(ev, f))
        return 0;
    *out = ev->v[f].s;
    return 1;
}

const struct ty_parser ty_parser_cloudtrail = {
    .abi = TY_PARSER_ABI,
    .name = "aws-cloudtrail",
    .desc = "AWS CloudTrail: S3 trail files, JSON lines/arrays, EventBridge, LookupEvents, Lake",
    .sniffs = "{\"Records\":[ of CloudTrail records; objects with eventVersion+eventSource+"
              "eventName (lines, arrays, CloudWatch export lines); CloudTrailEvent; "
              "QueryResultRows; detail-type \"... via CloudTrail\"",
    .flags = TY_PARSER_F_JSON | TY_PARSER_F_EXACT_KEYS,
    .sniff = ct_sniff,
    .open = ct_open,
    .record = ct_record,
    .close = ct_close,
    .logsource = {.product = "aws", .service = "cloudtrail"},
    .json_root = ct_json_root,
    .field_fast = ct_field_fast,
};

const struct ty_parser ty_parser_cloudtrail_digest = {
    .abi = TY_PARSER_ABI,
    .name = "aws-cloudtrail-digest",
    .desc = "AWS CloudTrail digest files (integrity hashes; recognised, no events)",
    .sniffs = "object with digestStartTime and logFiles/digestEndTime",
    .flags = TY_PARSER_F_JSON | TY_PARSER_F_NOEVENTS,
    .sniff = digest_sniff,
    .open = digest_open,
    .record = digest_record,
    .close = digest_close,
};
