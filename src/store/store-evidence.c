/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store-evidence.c - evidence rows (one per evidence stream, with SHA-256,
 * format and counts) and quarantined records (offset, line, reason and up to
 * 64 KiB of the record's bytes). Re-ingesting the same bytes is detected by
 * SHA-256 (ty_store_evidence_by_sha); the column is indexed, not UNIQUE, so
 * the driver may still record a second copy under another path.
 */
#include <string.h>

#include "store/store-int.h"

#define QUARANTINE_RAW_MAX ((size_t)64 << 10)

static const char *nz(const char *s)
{
    return s ? s : "";
}

int ty_store_evidence_by_sha(struct ty_store *st, const char *sha256, int64_t *id,
                             struct ty_err *err)
{
    int rc;
    *id = 0;
    if (!st || st->tag != TY__STORE_TAG || !sha256)
        return ty_err_set(err, TY_EINVAL, "case store: bad arguments");
    rc = ty__store_prep(st, &st->evid_by_sha,
                        "SELECT id FROM evidence WHERE sha256 = ?1 AND status <> 'error'"
                        " ORDER BY id LIMIT 1",
                        err);
    if (rc)
        return rc;
    sqlite3_bind_text(st->evid_by_sha, 1, sha256, -1, SQLITE_STATIC);
    int step = sqlite3_step(st->evid_by_sha);
    if (step == SQLITE_ROW)
        *id = sqlite3_column_int64(st->evid_by_sha, 0);
    else if (step != SQLITE_DONE)
        rc = ty__store_dberr(st, err, "looking up evidence");
    sqlite3_reset(st->evid_by_sha);
    sqlite3_clear_bindings(st->evid_by_sha);
    return rc;
}

int ty_store_evidence_put(struct ty_store *st, struct ty_evidence *ev, struct ty_err *err)
{
    sqlite3_stmt *s;
    int rc = ty__store_writable(st, err);
    if (rc)
        return rc;
    if (ev->id == 0)
        rc = ty__store_prep(st, &st->ins_evid,
                            "INSERT INTO evidence(path, codec, size, disk_size, sha256, format,"
                            " shape, records, events, quarantined, skipped, ts_min, ts_max,"
                            " status, note) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
                            " ?12, ?13, ?14, ?15)",
                            err);
    else
        rc = ty__store_prep(st, &st->upd_evid,
                            "UPDATE evidence SET path = ?1, codec = ?2, size = ?3,"
                            " disk_size = ?4, sha256 = ?5, format = ?6, shape = ?7,"
                            " records = ?8, events = ?9, quarantined = ?10, skipped = ?11,"
                            " ts_min = ?12, ts_max = ?13, status = ?14, note = ?15"
                            " WHERE id = ?16",
                            err);
    if (rc)
        return rc;
    s = ev->id == 0 ? st->ins_evid : st->upd_evid;
    sqlite3_bind_text(s, 1, nz(ev->path), -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, nz(ev->codec), -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, (int64_t)ev->size);
    sqlite3_bind_int64(s, 4, (int64_t)ev->disk_size);
    sqlite3_bind_text(s, 5, ev->sha256, (int)strnlen(ev->sha256, 64), SQLITE_STATIC);
    sqlite3_bind_text(s, 6, nz(ev->format), -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 7, nz(ev->shape), -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 8, (int64_t)ev->records);
    sqlite3_bind_int64(s, 9, (int64_t)ev->events);
    sqlite3_bind_int64(s, 10, (int64_t)ev->quarantined);
    sqlite3_bind_int64(s, 11, (int64_t)ev->skipped);
    sqlite3_bind_int64(s, 12, ev->ts_min);
    sqlite3_bind_int64(s, 13, ev->ts_max);
    sqlite3_bind_text(s, 14, ev->status && *ev->status ? ev->status : "ok", -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 15, nz(ev->note), -1, SQLITE_STATIC);
    if (ev->id)
        sqlite3_bind_int64(s, 16, ev->id);
    if (sqlite3_step(s) != SQLITE_DONE)
        rc = ty__store_dberr(st, err, "writing evidence");
    else if (ev->id == 0)
        ev->id = sqlite3_last_insert_rowid(st->db);
    else if (sqlite3_changes(st->db) != 1)
        rc = ty_err_set(err, TY_EINVAL, "case store: no evidence row %lld", (long long)ev->id);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return rc;
}

int ty_store_quarantine_add(struct ty_store *st, int64_t evidence_id, uint64_t offset,
                            uint64_t line, const char *reason, struct ty_str raw,
                            struct ty_err *err)
{
    sqlite3_stmt *s;
    int rc = ty__store_writable(st, err);
    if (rc)
        return rc;
    rc = ty__store_prep(st, &st->ins_quar,
                        "INSERT INTO quarantine(evidence_id, \"offset\", line, reason, raw,"
                        " raw_size) VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
                        err);
    if (rc)
        return rc;
    s = st->ins_quar;
    size_t keep = raw.len < QUARANTINE_RAW_MAX ? raw.len : QUARANTINE_RAW_MAX;
    sqlite3_bind_int64(s, 1, evidence_id);
    sqlite3_bind_int64(s, 2, (int64_t)offset);
    sqlite3_bind_int64(s, 3, (int64_t)line);
    sqlite3_bind_text(s, 4, nz(reason), -1, SQLITE_STATIC);
    sqlite3_bind_blob(s, 5, raw.p ? raw.p : "", (int)keep, SQLITE_STATIC);
    sqlite3_bind_int64(s, 6, (int64_t)raw.len);
    if (sqlite3_step(s) != SQLITE_DONE)
        rc = ty__store_dberr(st, err, "writing a quarantined record");
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return rc;
}

static const char *col_text(sqlite3_stmt *s, int i)
{
    const char *p = (const char *)sqlite3_column_text(s, i);
    return p ? p : "";
}

int ty_store_evidence_list(struct ty_store *st, ty_evidence_cb cb, void *arg, struct ty_err *err)
{
    sqlite3_stmt *s = NULL;
    int rc = 0, step;
    if (!st || st->tag != TY__STORE_TAG || !cb)
        return ty_err_set(err, TY_EINVAL, "case store: bad arguments");
    if (sqlite3_prepare_v2(st->db,
                           "SELECT id, path, codec, size, disk_size, sha256, format, shape,"
                           " records, events, quarantined, skipped, ts_min, ts_max, status, note"
                           " FROM evidence ORDER BY id",
                           -1, &s, NULL))
        return ty__store_dberr(st, err, "listing evidence");
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        struct ty_evidence ev;
        memset(&ev, 0, sizeof(ev));
        ev.id = sqlite3_column_int64(s, 0);
        ev.path = col_text(s, 1);
        ev.codec = col_text(s, 2);
        ev.size = (uint64_t)sqlite3_column_int64(s, 3);
        ev.disk_size = (uint64_t)sqlite3_column_int64(s, 4);
        const char *sha = col_text(s, 5);
        size_t n = strnlen(sha, 64);
        memcpy(ev.sha256, sha, n);
        ev.sha256[n] = '\0';
        ev.format = col_text(s, 6);
        ev.shape = col_text(s, 7);
        ev.records = (uint64_t)sqlite3_column_int64(s, 8);
        ev.events = (uint64_t)sqlite3_column_int64(s, 9);
        ev.quarantined = (uint64_t)sqlite3_column_int64(s, 10);
        ev.skipped = (uint64_t)sqlite3_column_int64(s, 11);
        ev.ts_min = sqlite3_column_int64(s, 12);
        ev.ts_max = sqlite3_column_int64(s, 13);
        ev.status = col_text(s, 14);
        ev.note = col_text(s, 15);
        rc = cb(arg, &ev);
        if (rc)
            break;
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = ty__store_dberr(st, err, "listing evidence");
    if (rc == TY_STOP)
        rc = 0;
    sqlite3_finalize(s);
    return rc;
}

int ty_store_quarantine_list(struct ty_store *st, ty_quarantine_cb cb, void *arg,
                             struct ty_err *err)
{
    sqlite3_stmt *s = NULL;
    int rc = 0, step;
    if (!st || st->tag != TY__STORE_TAG || !cb)
        return ty_err_set(err, TY_EINVAL, "case store: bad arguments");
    if (sqlite3_prepare_v2(st->db,
                           "SELECT q.evidence_id, e.path, q.\"offset\", q.line, q.reason, q.raw,"
                           " q.raw_size FROM quarantine q LEFT JOIN evidence e"
                           " ON e.id = q.evidence_id ORDER BY q.evidence_id, q.\"offset\", q.id",
                           -1, &s, NULL))
        return ty__store_dberr(st, err, "listing quarantined records");
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        struct ty_quarantined q;
        memset(&q, 0, sizeof(q));
        q.evidence_id = sqlite3_column_int64(s, 0);
        q.evidence_path = col_text(s, 1);
        q.offset = (uint64_t)sqlite3_column_int64(s, 2);
        q.line = (uint64_t)sqlite3_column_int64(s, 3);
        q.reason = col_text(s, 4);
        const void *p = sqlite3_column_blob(s, 5);
        q.raw = ty_str_make(p ? p : "", (size_t)sqlite3_column_bytes(s, 5));
        q.raw_size = (uint64_t)sqlite3_column_int64(s, 6);
        rc = cb(arg, &q);
        if (rc)
            break;
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = ty__store_dberr(st, err, "listing quarantined records");
    if (rc == TY_STOP)
        rc = 0;
    sqlite3_finalize(s);
    return rc;
}
