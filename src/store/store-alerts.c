/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store-alerts.c - detection results in the case: the rules that ran, the
 * alerts they raised (each citing its event by evidence, offset and line),
 * and the staging table of correlation inputs, which keeps the
 * correlation pass in bounded memory however many events a burst rule
 * matches.
 */
#include <stdlib.h>
#include <string.h>

#include "store/store-int.h"

static void bind_s(sqlite3_stmt *s, int i, const char *v)
{
    sqlite3_bind_text(s, i, v ? v : "", -1, SQLITE_STATIC);
}

static int step_done(struct ty_store *st, sqlite3_stmt *s, struct ty_err *err, const char *what)
{
    int rc = sqlite3_step(s) == SQLITE_DONE ? 0 : ty__store_dberr(st, err, what);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return rc;
}

int ty_store_rule_put(struct ty_store *st, const struct ty_rule_row *r, struct ty_err *err)
{
    int rc = ty__store_writable(st, err);
    if (rc)
        return rc;
    rc = ty__store_prep(st, &st->ins_rule,
                        "INSERT OR REPLACE INTO rules(uid, kind, id, name, title, level, status,"
                        " tags, description, prevention, weakness, file, logsource)"
                        " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                        err);
    if (rc)
        return rc;
    const char *v[] = {r->uid,         r->kind,       r->id,         r->name,   r->title,
                       r->level,       r->status,     r->tags,       r->description,
                       r->prevention,  r->weakness,   r->file,       r->logsource};
    for (int i = 0; i < 13; i++)
        bind_s(st->ins_rule, i + 1, v[i]);
    return step_done(st, st->ins_rule, err, "writing a rule");
}

int ty_store_alert_add(struct ty_store *st, struct ty_alert *a, struct ty_err *err)
{
    int rc = ty__store_writable(st, err);
    if (rc)
        return rc;
    rc = ty__store_prep(st, &st->ins_alert,
                        "INSERT INTO alerts(rule_uid, kind, ts, ts_end, event_id, evidence_id,"
                        " \"offset\", line, matched, summary, refs, group_key)"
                        " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                        err);
    if (rc)
        return rc;
    sqlite3_stmt *s = st->ins_alert;
    bind_s(s, 1, a->rule_uid);
    bind_s(s, 2, a->kind);
    sqlite3_bind_int64(s, 3, a->ts);
    sqlite3_bind_int64(s, 4, a->ts_end);
    sqlite3_bind_int64(s, 5, a->event_id);
    sqlite3_bind_int64(s, 6, a->evidence_id);
    sqlite3_bind_int64(s, 7, (sqlite3_int64)a->offset);
    sqlite3_bind_int64(s, 8, (sqlite3_int64)a->line);
    bind_s(s, 9, a->matched ? a->matched : "{}");
    bind_s(s, 10, a->summary);
    bind_s(s, 11, a->refs ? a->refs : "[]");
    bind_s(s, 12, a->group_key);
    rc = step_done(st, s, err, "writing an alert");
    if (rc == 0)
        a->id = sqlite3_last_insert_rowid(st->db);
    return rc;
}

int ty_store_alert_extend(struct ty_store *st, int64_t id, int64_t ts_end, const char *summary,
                          struct ty_err *err)
{
    sqlite3_stmt *s = NULL;
    int rc = ty__store_writable(st, err);
    if (rc)
        return rc;
    if (sqlite3_prepare_v2(st->db, "UPDATE alerts SET ts_end = ?2, summary = ?3 WHERE id = ?1",
                           -1, &s, NULL) != SQLITE_OK)
        return ty__store_dberr(st, err, "extending an alert");
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int64(s, 2, ts_end);
    bind_s(s, 3, summary);
    rc = sqlite3_step(s) == SQLITE_DONE ? 0 : ty__store_dberr(st, err, "extending an alert");
    sqlite3_finalize(s);
    return rc;
}

static const char *col(sqlite3_stmt *s, int i)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    return t ? (const char *)t : "";
}

int ty_store_alerts(struct ty_store *st, ty_alert_cb cb, void *arg, struct ty_err *err)
{
    sqlite3_stmt *s = NULL;
    int rc = 0;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT a.id, a.rule_uid, a.kind, a.ts, a.ts_end, a.event_id,"
                           " a.evidence_id, a.\"offset\", a.line, a.matched, a.summary, a.refs,"
                           " a.group_key, coalesce(v.path, ''),"
                           " r.kind, r.id, r.name, r.title, r.level, r.status, r.tags,"
                           " r.description, r.prevention, r.weakness, r.file, r.logsource"
                           " FROM alerts a LEFT JOIN evidence v ON v.id = a.evidence_id"
                           " LEFT JOIN rules r ON r.uid = a.rule_uid ORDER BY a.ts, a.id",
                           -1, &s, NULL) != SQLITE_OK)
        return ty__store_dberr(st, err, "listing alerts");
    for (;;) {
        int step = sqlite3_step(s);
        if (step == SQLITE_DONE)
            break;
        if (step != SQLITE_ROW) {
            rc = ty__store_dberr(st, err, "listing alerts");
            break;
        }
        struct ty_rule_row r = {col(s, 1), col(s, 14), col(s, 15), col(s, 16), col(s, 17),
                                col(s, 18), col(s, 19), col(s, 20), col(s, 21), col(s, 22),
                                col(s, 23), col(s, 24), col(s, 25)};
        struct ty_alert a = {
            .id = sqlite3_column_int64(s, 0),
            .rule_uid = col(s, 1),
            .kind = col(s, 2),
            .ts = sqlite3_column_int64(s, 3),
            .ts_end = sqlite3_column_int64(s, 4),
            .event_id = sqlite3_column_int64(s, 5),
            .evidence_id = sqlite3_column_int64(s, 6),
            .offset = (uint64_t)sqlite3_column_int64(s, 7),
            .line = (uint64_t)sqlite3_column_int64(s, 8),
            .matched = col(s, 9),
            .summary = col(s, 10),
            .refs = col(s, 11),
            .group_key = col(s, 12),
            .evidence_path = col(s, 13),
            .rule = &r,
        };
        rc = cb(arg, &a);
        if (rc == TY_STOP) {
            rc = 0;
            break;
        }
        if (rc)
            break;
    }
    sqlite3_finalize(s);
    return rc;
}

static int exec(struct ty_store *st, const char *sql, struct ty_err *err, const char *what)
{
    int rc = ty__store_writable(st, err);
    if (rc)
        return rc;
    if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return ty__store_dberr(st, err, what);
    return 0;
}

int ty_store_alerts_clear(struct ty_store *st, struct ty_err *err)
{
    return exec(st, "DELETE FROM alerts; DELETE FROM rules; DELETE FROM corr_inputs;", err,
                "clearing alerts");
}

int ty_store_alerts_clear_kind(struct ty_store *st, const char *kind, struct ty_err *err)
{
    sqlite3_stmt *s = NULL;
    int rc = ty__store_writable(st, err);
    if (rc)
        return rc;
    if (sqlite3_prepare_v2(st->db, "DELETE FROM alerts WHERE kind = ?1", -1, &s, NULL) !=
        SQLITE_OK)
        return ty__store_dberr(st, err, "clearing alerts");
    sqlite3_bind_text(s, 1, kind, -1, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_DONE)
        rc = ty__store_dberr(st, err, "clearing alerts");
    sqlite3_finalize(s);
    return rc;
}

int ty_store_max_event_id(struct ty_store *st, int64_t *out, struct ty_err *err)
{
    sqlite3_stmt *s = NULL;
    *out = 0;
    if (sqlite3_prepare_v2(st->db, "SELECT coalesce(max(id), 0) FROM events", -1, &s, NULL) !=
        SQLITE_OK)
        return ty__store_dberr(st, err, "reading events");
    int rc = 0;
    if (sqlite3_step(s) == SQLITE_ROW)
        *out = sqlite3_column_int64(s, 0);
    else
        rc = ty__store_dberr(st, err, "reading events");
    sqlite3_finalize(s);
    return rc;
}

int ty_store_corr_add(struct ty_store *st, const char *corr, int64_t ts, uint32_t rule,
                      int64_t ref, struct ty_str group, struct ty_str value, struct ty_err *err)
{
    int rc = ty__store_writable(st, err);
    if (rc)
        return rc;
    rc = ty__store_prep(st, &st->ins_corr,
                        "INSERT INTO corr_inputs(corr, ts, rule, ref, grp, value)"
                        " VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
                        err);
    if (rc)
        return rc;
    sqlite3_stmt *s = st->ins_corr;
    bind_s(s, 1, corr);
    sqlite3_bind_int64(s, 2, ts);
    sqlite3_bind_int64(s, 3, rule);
    sqlite3_bind_int64(s, 4, ref);
    sqlite3_bind_text(s, 5, group.p ? group.p : "", (int)group.len, SQLITE_STATIC);
    if (value.p)
        sqlite3_bind_text(s, 6, value.p, (int)value.len, SQLITE_STATIC);
    return step_done(st, s, err, "writing a correlation input");
}

int ty_store_corr_each(struct ty_store *st, const char *corr, ty_corr_row_cb cb, void *arg,
                       struct ty_err *err)
{
    sqlite3_stmt *s = NULL;
    int rc = 0;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT ts, rule, ref, grp, value FROM corr_inputs WHERE corr = ?1"
                           " ORDER BY ts, rowid",
                           -1, &s, NULL) != SQLITE_OK)
        return ty__store_dberr(st, err, "reading correlation inputs");
    sqlite3_bind_text(s, 1, corr, -1, SQLITE_STATIC);
    for (;;) {
        int step = sqlite3_step(s);
        if (step == SQLITE_DONE)
            break;
        if (step != SQLITE_ROW) {
            rc = ty__store_dberr(st, err, "reading correlation inputs");
            break;
        }
        struct ty_str g = {col(s, 3), (size_t)sqlite3_column_bytes(s, 3)};
        struct ty_str v = sqlite3_column_type(s, 4) == SQLITE_NULL
                              ? TY_STR_NULL
                              : (struct ty_str){col(s, 4), (size_t)sqlite3_column_bytes(s, 4)};
        rc = cb(arg, sqlite3_column_int64(s, 0), (uint32_t)sqlite3_column_int64(s, 1),
                sqlite3_column_int64(s, 2), g, v);
        if (rc)
            break;
    }
    sqlite3_finalize(s);
    return rc;
}

int ty_store_corr_clear(struct ty_store *st, struct ty_err *err)
{
    return exec(st, "DELETE FROM corr_inputs;", err, "clearing correlation inputs");
}

int ty_store_event_ref(struct ty_store *st, int64_t event_id, struct ty_event_ref *ref,
                       struct ty_err *err)
{
    sqlite3_stmt *s = NULL;
    memset(ref, 0, sizeof(*ref));
    if (sqlite3_prepare_v2(st->db,
                           "SELECT evidence_id, \"offset\", line FROM events WHERE id = ?1", -1,
                           &s, NULL) != SQLITE_OK)
        return ty__store_dberr(st, err, "reading an event");
    sqlite3_bind_int64(s, 1, event_id);
    int rc = 0;
    if (sqlite3_step(s) == SQLITE_ROW) {
        ref->event_id = event_id;
        ref->evidence_id = sqlite3_column_int64(s, 0);
        ref->offset = (uint64_t)sqlite3_column_int64(s, 1);
        ref->line = (uint64_t)sqlite3_column_int64(s, 2);
    } else
        rc = ty_err_set(err, TY_EINVAL, "no event %lld in the case", (long long)event_id);
    sqlite3_finalize(s);
    return rc;
}
