/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse-cloudtrail-lake.c - CloudTrail Lake get-query-results rows, and the
 * map text Lake (Presto/Trino) renders nested columns as.
 *
 * A row is an array of single-key objects whose values are all strings:
 * [{"eventTime":"2024-03-12 14:05:09.000"},{"userIdentity":"{type=IAMUser,
 * principalid=AIDA..., arn=arn:aws:iam::...:user/x, sessioncontext={...}}"}].
 * Top-level columns keep their CloudTrail names; SELECTs of nested fields
 * come back flattened ("arn", "userIdentity.arn", ...).
 */
#include <string.h>

#include "parse-cloudtrail-int.h"

#define NONE TY_JSON_NONE

static int lake_set(struct ty_parse_ctx *ctx, struct ty_event *ev, enum ty_field f,
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

bool ty__ct_eq_nocase(const char *k, size_t klen, const char *seg, size_t slen)
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

struct ty_str ty__ct_map_find(struct ty_str text, const char *path)
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
            if (ty__ct_eq_nocase(p + ks, ke - ks, path, slen)) {
                struct ty_str v = ty_str_trim((struct ty_str){p + i, ve - i});
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
        if (ty_json_str(d, e + 1, ctx->arena, &k) < 0)
            return ty_err_set(err, TY_ENOMEM, "out of memory");
        int id = ty__ct_key_of(ctx, d, e + 1);
        if (id == TY_ENOMEM)
            return ty_err_set(err, TY_ENOMEM, "out of memory");
        if (id >= 0 && id <= K_P_EVENT_TIME) {
            if (m.v[id] == NONE)
                m.v[id] = e + 2;
            continue;
        }
        for (int f = 0; f < F__N; f++)
            if (flat[f] == NONE &&
                (ty__ct_eq_nocase(k.p, k.len, fcols[f][0], strlen(fcols[f][0])) ||
                                    ty__ct_eq_nocase(k.p, k.len, fcols[f][1], strlen(fcols[f][1]))))
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
            if (!ty_event_has(ev, TY_F_ACTOR) && lake_set(ctx, ev, TY_F_ACTOR, d, flat[f]) < 0)
                return ty_err_set(err, TY_ENOMEM, "out of memory");
            continue;
        }
        if (lake_set(ctx, ev, ff[f], d, flat[f]) < 0)
            return ty_err_set(err, TY_ENOMEM, "out of memory");
    }
    if (!ty_event_has(ev, TY_F_CLOUD_ACCOUNT) && ty_event_has(ev, TY_F_ACTOR_ACCOUNT))
        put(ev, TY_F_CLOUD_ACCOUNT, ty_event_str(ev, TY_F_ACTOR_ACCOUNT));
    return 0;
}
