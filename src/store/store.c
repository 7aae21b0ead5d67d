/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store.c - the case file: open/create with the schema (tables built from
 * event-fields.def), version checks, transactions and savepoints, the meta
 * table, the SQL helper functions (ty_ip, ty_time, ty_raw) and read-only
 * SQL for `tyto query`. Durability choices are in docs/internals/STORE.md.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <tyto/ip.h>
#include <tyto/time.h>

#include "store/store-int.h"

#define APPLICATION_ID 0x7479746f /* "tyto" */
#define RECOVERED (1u << 30) /* internal open flag: hot journal rolled back once */

const struct ty__store_col ty__store_cols[TY_F__COUNT] = {
#define TY_FIELD(id, name, type, store, ecs) [TY_F_##id] = {name, TY_FT_##type, TY_FS_##store},
#include <tyto/event-fields.def>
#undef TY_FIELD
};

/* Names the field columns must not take. */
static const char *const fixed_cols[] = {
    "id", "evidence_id", "offset", "line", "sub", "format", "raw_block", "raw_index", "ts_ns",
    "evidence",
};

int ty__store_dberr(struct ty_store *st, struct ty_err *err, const char *what)
{
    return ty_err_set(err, TY_EDB, "case store: %s: %s", what,
                      st && st->db ? sqlite3_errmsg(st->db) : "no database");
}

int ty__store_prep(struct ty_store *st, sqlite3_stmt **stp, const char *sql, struct ty_err *err)
{
    if (*stp) {
        sqlite3_reset(*stp);
        return 0;
    }
    if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, stp, NULL) != SQLITE_OK) {
        *stp = NULL;
        return ty__store_dberr(st, err, "prepare");
    }
    return 0;
}

int ty__store_writable(struct ty_store *st, struct ty_err *err)
{
    if (!st || st->tag != TY__STORE_TAG)
        return ty_err_set(err, TY_EINVAL, "case store: bad handle");
    if (st->flags & TY_STORE_READONLY)
        return ty_err_set(err, TY_EINVAL, "case store: the case was opened read-only");
    return 0;
}

int ty__store_exec(struct ty_store *st, const char *sql, struct ty_err *err)
{
    char *msg = NULL;
    int rc = sqlite3_exec(st->db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        rc = ty_err_set(err, TY_EDB, "case store: %s", msg ? msg : sqlite3_errstr(rc));
        sqlite3_free(msg);
        return rc;
    }
    return 0;
}

/* ---- SQL functions ---- */

/* ty_ip(blob16) -> "10.0.0.1" / "2001:db8::1"; anything else -> NULL */
static void fn_ip(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    char text[TY_IP_STRLEN + 1];
    struct ty_ip ip;
    if (sqlite3_value_type(argv[0]) != SQLITE_BLOB || sqlite3_value_bytes(argv[0]) != 16) {
        sqlite3_result_null(ctx);
        return;
    }
    memcpy(ip.a, sqlite3_value_blob(argv[0]), 16);
    int n = ty_ip_format(&ip, text);
    sqlite3_result_text(ctx, text, n, SQLITE_TRANSIENT);
}

/* Fractional digits needed to show ns exactly: 0, 3, 6 or 9. */
static int natural_prec(int64_t ns)
{
    int64_t frac = ns % TY_NS_PER_SEC;
    if (frac == 0)
        return 0;
    if (frac % 1000000 == 0)
        return 3;
    if (frac % 1000 == 0)
        return 6;
    return 9;
}

/* ty_time(ns [, prec]) -> RFC 3339 UTC text */
static void fn_time(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    char text[40];
    if (sqlite3_value_type(argv[0]) != SQLITE_INTEGER) {
        sqlite3_result_null(ctx);
        return;
    }
    int64_t ns = sqlite3_value_int64(argv[0]);
    int prec = natural_prec(ns);
    if (argc > 1 && sqlite3_value_type(argv[1]) == SQLITE_INTEGER) {
        int64_t p = sqlite3_value_int64(argv[1]);
        if (p >= 0 && p <= 9)
            prec = (int)p;
    }
    int n = ty_time_format(ns, prec, text);
    sqlite3_result_text(ctx, text, n, SQLITE_TRANSIENT);
}

/* ty_raw(event_id) -> the raw record as text */
static void fn_raw(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    struct ty_store *st = sqlite3_user_data(ctx);
    struct ty_buf b;
    struct ty_err err = {0};
    if (sqlite3_value_type(argv[0]) != SQLITE_INTEGER) {
        sqlite3_result_null(ctx);
        return;
    }
    ty_buf_init(&b, TY__RAW_MAX);
    int rc = ty_store_raw(st, sqlite3_value_int64(argv[0]), &b, &err);
    if (rc == 0)
        sqlite3_result_text(ctx, b.buf, (int)b.len, SQLITE_TRANSIENT);
    else if (rc == TY_EINVAL)
        sqlite3_result_null(ctx);
    else
        sqlite3_result_error(ctx, err.msg, -1);
    ty_buf_release(&b);
}

static int register_functions(struct ty_store *st, struct ty_err *err)
{
    int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
    if (sqlite3_create_function(st->db, "ty_ip", 1, flags, NULL, fn_ip, NULL, NULL) ||
        sqlite3_create_function(st->db, "ty_time", 1, flags, NULL, fn_time, NULL, NULL) ||
        sqlite3_create_function(st->db, "ty_time", 2, flags, NULL, fn_time, NULL, NULL) ||
        sqlite3_create_function(st->db, "ty_raw", 1, SQLITE_UTF8, st, fn_raw, NULL, NULL))
        return ty__store_dberr(st, err, "registering SQL functions");
    return 0;
}

/* ---- schema ---- */

static const char *col_type(enum ty_fstore s)
{
    switch (s) {
    case TY_FS_TEXT:
        return "TEXT";
    case TY_FS_IPB:
        return "BLOB";
    case TY_FS_NUM:
    case TY_FS_DICT:
    default:
        return "INTEGER";
    }
}

static int build_schema(struct ty_buf *b)
{
    int rc = 0;
    rc |= ty_buf_adds(b,
                      "CREATE TABLE meta(key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);\n"
                      "CREATE TABLE strings(id INTEGER PRIMARY KEY, s TEXT NOT NULL UNIQUE);\n"
                      "CREATE TABLE evidence(id INTEGER PRIMARY KEY, path TEXT NOT NULL,"
                      " codec TEXT NOT NULL DEFAULT '', size INTEGER NOT NULL DEFAULT 0,"
                      " disk_size INTEGER NOT NULL DEFAULT 0, sha256 TEXT NOT NULL,"
                      " format TEXT NOT NULL DEFAULT '', shape TEXT NOT NULL DEFAULT '',"
                      " records INTEGER NOT NULL DEFAULT 0, events INTEGER NOT NULL DEFAULT 0,"
                      " quarantined INTEGER NOT NULL DEFAULT 0,"
                      " skipped INTEGER NOT NULL DEFAULT 0,"
                      " ts_min INTEGER NOT NULL DEFAULT 0, ts_max INTEGER NOT NULL DEFAULT 0,"
                      " status TEXT NOT NULL DEFAULT 'ok', note TEXT NOT NULL DEFAULT '');\n"
                      "CREATE INDEX evidence_sha256 ON evidence(sha256);\n"
                      "CREATE TABLE raw_blocks(id INTEGER PRIMARY KEY, n INTEGER NOT NULL,"
                      " ulen INTEGER NOT NULL, data BLOB NOT NULL);\n"
                      "CREATE TABLE quarantine(id INTEGER PRIMARY KEY,"
                      " evidence_id INTEGER NOT NULL, \"offset\" INTEGER NOT NULL,"
                      " line INTEGER NOT NULL, reason TEXT NOT NULL, raw BLOB NOT NULL,"
                      " raw_size INTEGER NOT NULL);\n"
                      "CREATE INDEX quarantine_evidence ON quarantine(evidence_id, \"offset\");\n"
                      "CREATE TABLE events(id INTEGER PRIMARY KEY, evidence_id INTEGER NOT NULL,"
                      " \"offset\" INTEGER NOT NULL, line INTEGER NOT NULL,"
                      " sub INTEGER NOT NULL, format INTEGER, raw_block INTEGER,"
                      " raw_index INTEGER");
    for (int f = 0; f < TY_F__COUNT; f++)
        rc |= ty_buf_addf(b, ",\n \"%s\" %s", ty__store_cols[f].name,
                          col_type(ty__store_cols[f].store));
    rc |= ty_buf_adds(b, ");\n");

    /* the readable view */
    rc |= ty_buf_adds(b, "CREATE VIEW events_v AS SELECT e.id AS id, e.evidence_id AS evidence_id,"
                         " (SELECT path FROM evidence WHERE evidence.id = e.evidence_id)"
                         " AS evidence, e.\"offset\" AS \"offset\", e.line AS line,"
                         " e.sub AS sub,"
                         " (SELECT s FROM strings WHERE strings.id = e.format) AS format,"
                         " e.\"ts\" AS ts_ns");
    for (int f = 0; f < TY_F__COUNT; f++) {
        const struct ty__store_col *c = &ty__store_cols[f];
        if (c->type == TY_FT_TIME)
            rc |= ty_buf_addf(b, ",\n ty_time(e.\"%s\", e.\"%s\") AS \"%s\"", c->name,
                              ty__store_cols[TY_F_TS_PREC].name, c->name);
        else if (c->store == TY_FS_DICT)
            rc |= ty_buf_addf(b,
                              ",\n (SELECT s FROM strings WHERE strings.id = e.\"%s\")"
                              " AS \"%s\"",
                              c->name, c->name);
        else if (c->store == TY_FS_IPB)
            rc |= ty_buf_addf(b, ",\n ty_ip(e.\"%s\") AS \"%s\"", c->name, c->name);
        else
            rc |= ty_buf_addf(b, ",\n e.\"%s\" AS \"%s\"", c->name, c->name);
    }
    rc |= ty_buf_adds(b, "\nFROM events e;\n");
    /* detection: the rules that ran, their alerts, and the inputs of
     * correlation rules (kept until the correlation pass has read them) */
    rc |= ty_buf_adds(b,
                      "CREATE TABLE rules(uid TEXT PRIMARY KEY NOT NULL, kind TEXT NOT NULL,"
                      " id TEXT NOT NULL, name TEXT NOT NULL, title TEXT NOT NULL,"
                      " level TEXT NOT NULL, status TEXT NOT NULL, tags TEXT NOT NULL,"
                      " description TEXT NOT NULL, prevention TEXT NOT NULL,"
                      " weakness TEXT NOT NULL, file TEXT NOT NULL, logsource TEXT NOT NULL);\n"
                      "CREATE TABLE alerts(id INTEGER PRIMARY KEY, rule_uid TEXT NOT NULL,"
                      " kind TEXT NOT NULL, ts INTEGER NOT NULL, ts_end INTEGER NOT NULL,"
                      " event_id INTEGER NOT NULL, evidence_id INTEGER NOT NULL,"
                      " \"offset\" INTEGER NOT NULL, line INTEGER NOT NULL,"
                      " matched TEXT NOT NULL, summary TEXT NOT NULL, refs TEXT NOT NULL,"
                      " group_key TEXT NOT NULL);\n"
                      "CREATE INDEX alerts_ts ON alerts(ts);\n"
                      "CREATE TABLE corr_inputs(corr TEXT NOT NULL, ts INTEGER NOT NULL,"
                      " rule INTEGER NOT NULL, ref INTEGER NOT NULL, grp TEXT NOT NULL,"
                      " value TEXT);\n");
    return rc ? TY_ENOMEM : 0;
}

static int create_schema(struct ty_store *st, struct ty_err *err)
{
    struct ty_buf b;
    char now[40];
    int rc;

    ty_buf_init(&b, (size_t)1 << 20);
    rc = build_schema(&b);
    if (rc) {
        rc = ty_err_set(err, rc, "case store: out of memory building the schema");
        goto out;
    }
    rc = ty__store_exec(st, "PRAGMA page_size=16384; BEGIN IMMEDIATE", err);
    if (rc)
        goto out;
    rc = ty__store_exec(st, b.buf, err);
    if (rc)
        goto fail;
    ty_buf_reset(&b);
    ty_time_format((int64_t)time(NULL) * TY_NS_PER_SEC, 0, now);
    if (ty_buf_addf(&b,
                    "PRAGMA application_id=%d; PRAGMA user_version=%d;"
                    "INSERT INTO meta(key, value) VALUES('schema_version', '%d'),"
                    " ('event_schema_version', '%d'), ('created', '%s');",
                    APPLICATION_ID, TY_STORE_SCHEMA_VERSION, TY_STORE_SCHEMA_VERSION,
                    TY_EVENT_SCHEMA_VERSION, now)) {
        rc = ty_err_set(err, TY_ENOMEM, "case store: out of memory");
        goto fail;
    }
    rc = ty__store_exec(st, b.buf, err);
    if (rc)
        goto fail;
    rc = ty__store_exec(st, "COMMIT", err);
    if (rc)
        goto fail;
    goto out;
fail:
    sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
out:
    ty_buf_release(&b);
    return rc;
}

static int query_int(struct ty_store *st, const char *sql, int64_t *out, struct ty_err *err)
{
    sqlite3_stmt *s = NULL;
    int rc = 0;
    *out = 0;
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
        return ty__store_dberr(st, err, "reading the case");
    int step = sqlite3_step(s);
    if (step == SQLITE_ROW)
        *out = sqlite3_column_int64(s, 0);
    else if (step != SQLITE_DONE)
        rc = ty__store_dberr(st, err, "reading the case");
    sqlite3_finalize(s);
    return rc;
}

static int check_version(struct ty_store *st, const char *path, const char *key, int64_t want,
                         struct ty_err *err)
{
    struct ty_buf b;
    int64_t have = 0;
    int rc;
    ty_buf_init(&b, 256);
    rc = ty_store_meta_get(st, key, &b, err);
    if (rc)
        goto out;
    if (ty_str_to_i64(ty_buf_str(&b), &have) != 0 || have != want)
        rc = ty_err_set(err, TY_EINVAL,
                        "%s: case file has %s %s but this tyto uses %" PRId64
                        "; re-ingest the evidence into a new case",
                        path, key, b.len ? b.buf : "(none)", want);
out:
    ty_buf_release(&b);
    return rc;
}

/* The events table must have exactly the columns of this build's field table. */
static int check_columns(struct ty_store *st, const char *path, struct ty_err *err)
{
    sqlite3_stmt *s = NULL;
    int rc = 0, i = 0;
    if (sqlite3_prepare_v2(st->db, "SELECT name FROM pragma_table_info('events')", -1, &s, NULL))
        return ty__store_dberr(st, err, "reading the events table");
    while (sqlite3_step(s) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(s, 0);
        int f = i - (TY__EV_FIXED + 1);
        if (f >= 0 && (f >= TY_F__COUNT || !name || strcmp(name, ty__store_cols[f].name) != 0)) {
            rc = ty_err_set(err, TY_EINVAL,
                            "%s: the case's events table does not match this tyto's event "
                            "fields (column %d is '%s'); re-ingest into a new case",
                            path, i, name ? name : "");
            goto out;
        }
        i++;
    }
    if (i != TY__EV_FIXED + 1 + TY_F__COUNT)
        rc = ty_err_set(err, TY_EINVAL,
                        "%s: the case's events table has %d columns, this tyto expects %d; "
                        "re-ingest into a new case",
                        path, i, TY__EV_FIXED + 1 + TY_F__COUNT);
out:
    sqlite3_finalize(s);
    return rc;
}

static int check_field_names(struct ty_err *err)
{
    for (int f = 0; f < TY_F__COUNT; f++)
        for (size_t k = 0; k < sizeof(fixed_cols) / sizeof(fixed_cols[0]); k++)
            if (strcmp(ty__store_cols[f].name, fixed_cols[k]) == 0)
                return ty_err_set(err, TY_ERR, "case store: field '%s' clashes with a column",
                                  fixed_cols[k]);
    return 0;
}

int ty_store_open(struct ty_store **out, const char *path, unsigned flags, struct ty_err *err)
{
    struct ty_store *st = NULL;
    struct stat sb;
    int64_t n_tables = 0, app_id = 0, n_strings = 0;
    bool fresh = false;
    int rc, oflags;

    *out = NULL;
    if ((flags & TY_STORE_READONLY) && (flags & TY_STORE_CREATE))
        return ty_err_set(err, TY_EINVAL, "case store: cannot create a case read-only");
    rc = check_field_names(err);
    if (rc)
        return rc;
    if (stat(path, &sb) != 0) {
        if (!(flags & TY_STORE_CREATE))
            return ty_err_set(err, TY_EINVAL, "%s: no such case file", path);
        fresh = true;
    } else if (!S_ISREG(sb.st_mode)) {
        return ty_err_set(err, TY_EINVAL, "%s: not a regular file", path);
    } else if (sb.st_size == 0) {
        if (!(flags & TY_STORE_CREATE))
            return ty_err_set(err, TY_EINVAL, "%s: empty file, not a tyto case", path);
        fresh = true;
    }

    st = calloc(1, sizeof(*st));
    if (!st)
        return ty_err_set(err, TY_ENOMEM, "case store: out of memory");
    st->tag = TY__STORE_TAG;
    st->flags = flags;
    ty__dict_init(&st->dict, TY__DICT_DEFAULT_BUDGET);
    rc = ty__raw_init(&st->raw, err);
    if (rc)
        goto fail;

    /* one thread uses a handle at a time: no per-call mutex (a measurable
     * share of the cost with ~100 binds or column reads per event) */
    oflags = SQLITE_OPEN_NOMUTEX;
    oflags |= (flags & TY_STORE_READONLY) ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    if (flags & TY_STORE_CREATE)
        oflags |= SQLITE_OPEN_CREATE;
    if (sqlite3_open_v2(path, &st->db, oflags, NULL) != SQLITE_OK) {
        rc = ty_err_set(err, TY_EDB, "%s: cannot open case file: %s", path,
                        st->db ? sqlite3_errmsg(st->db) : "out of memory");
        goto fail;
    }
    sqlite3_extended_result_codes(st->db, 1);
    sqlite3_busy_timeout(st->db, 5000);
    rc = register_functions(st, err);
    if (rc)
        goto fail;

    if (sqlite3_exec(st->db, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL)) {
        int ec = sqlite3_extended_errcode(st->db);
        if (ec == SQLITE_READONLY_ROLLBACK && (flags & TY_STORE_READONLY) && !(flags & RECOVERED))
            goto recover;
        if (ec == SQLITE_READONLY_ROLLBACK)
            rc = ty_err_set(err, TY_EDB,
                            "%s: a load into this case stopped before it finished and the case "
                            "cannot be written to roll it back (%s)", path,
                            sqlite3_errmsg(st->db));
        else if ((ec & 0xff) == SQLITE_NOTADB)
            rc = ty_err_set(err, TY_EINVAL, "%s: not a tyto case file (%s)", path,
                            sqlite3_errmsg(st->db));
        else
            rc = ty_err_set(err, TY_EDB, "%s: cannot read the case file (%s)", path,
                            sqlite3_errmsg(st->db));
        goto fail;
    }
    rc = query_int(st, "SELECT count(*) FROM sqlite_master", &n_tables, err);
    if (rc)
        goto fail;
    if (n_tables == 0 && fresh && !(flags & TY_STORE_READONLY)) {
        rc = create_schema(st, err);
        if (rc)
            goto fail;
    }
    rc = query_int(st, "PRAGMA application_id", &app_id, err);
    if (rc)
        goto fail;
    if (app_id != APPLICATION_ID) {
        rc = ty_err_set(err, TY_EINVAL, "%s: not a tyto case file (SQLite application_id %#" PRIx64
                        ")", path, (uint64_t)app_id);
        goto fail;
    }
    rc = check_version(st, path, "schema_version", TY_STORE_SCHEMA_VERSION, err);
    if (rc)
        goto fail;
    rc = check_version(st, path, "event_schema_version", TY_EVENT_SCHEMA_VERSION, err);
    if (rc)
        goto fail;
    rc = check_columns(st, path, err);
    if (rc)
        goto fail;

    /*
     * Rollback journal (DELETE), not WAL: a bulk load appends pages beyond
     * the old end of the file, which the journal does not copy, so the
     * journal costs almost nothing, while WAL writes every page twice. A
     * process killed mid-load leaves a hot journal; the next open rolls the
     * unfinished transaction back, so a case never holds half a stream.
     * synchronous=NORMAL: the journal is synced before the case is
     * overwritten and the case at commit, so a power loss cannot corrupt it
     * either; it costs one fsync of the new pages per commit.
     */
    rc = ty__store_exec(st,
                        (flags & TY_STORE_READONLY)
                            ? "PRAGMA cache_size=-65536"
                            : "PRAGMA journal_mode=DELETE; PRAGMA synchronous=NORMAL;"
                              " PRAGMA cache_size=-65536; PRAGMA temp_store=FILE;"
                              " PRAGMA threads=1",
                        err);
    if (rc)
        goto fail;
    rc = query_int(st, "SELECT count(*) FROM (SELECT 1 FROM strings LIMIT 1)", &n_strings, err);
    if (rc)
        goto fail;
    st->dict.complete = n_strings == 0;
    rc = ty__raw_sync(st, err);
    if (rc)
        goto fail;
    *out = st;
    return 0;
recover:
    /* A process died mid-load and left a hot journal, which only a writer can
     * roll back: open read-write once (the first read rolls back), then
     * read-only again. The case is tyto's own file, never evidence. */
    ty_store_close(st);
    {
        sqlite3 *db = NULL;
        int orc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL);
        if (orc == SQLITE_OK)
            orc = sqlite3_exec(db, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL);
        sqlite3_close(db);
        if (orc != SQLITE_OK)
            return ty_err_set(err, TY_EDB,
                              "%s: a load into this case stopped before it finished and the "
                              "case cannot be written to roll it back",
                              path);
    }
    return ty_store_open(out, path, flags | RECOVERED, err);
fail:
    ty_store_close(st);
    return rc;
}

void ty_store_close(struct ty_store *st)
{
    if (!st)
        return;
    sqlite3_stmt **stmts[] = {
        &st->ins_event, &st->ins_block, &st->get_block, &st->get_event_raw, &st->dict_sel,
        &st->dict_ins,  &st->dict_by_id, &st->ins_quar, &st->ins_evid,      &st->upd_evid,
        &st->evid_by_sha, &st->meta_set, &st->meta_get, &st->ins_rule, &st->ins_alert,
        &st->ins_corr,
    };
    for (size_t i = 0; i < sizeof(stmts) / sizeof(stmts[0]); i++) {
        sqlite3_finalize(*stmts[i]);
        *stmts[i] = NULL;
    }
    if (st->db) {
        /* closing with a transaction open rolls it back */
        if (!sqlite3_get_autocommit(st->db))
            sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
        sqlite3_close_v2(st->db);
    }
    ty__dict_release(&st->dict);
    ty__raw_release(&st->raw);
    st->tag = 0;
    free(st);
}

/* ---- transactions ---- */

int ty_store_begin(struct ty_store *st, struct ty_err *err)
{
    int rc = ty__store_writable(st, err);
    if (rc)
        return rc;
    if (st->in_begin || st->sp_depth)
        return ty_err_set(err, TY_EINVAL, "case store: a transaction is already open");
    rc = ty__store_exec(st, "BEGIN IMMEDIATE", err);
    if (rc == 0)
        st->in_begin = true;
    return rc;
}

static void after_rollback(struct ty_store *st)
{
    /* strings and blocks written since may be gone: forget what we cached */
    ty__dict_clear(&st->dict);
    ty__raw_discard(st);
}

int ty_store_commit(struct ty_store *st, struct ty_err *err)
{
    int rc = ty__store_writable(st, err);
    if (rc)
        return rc;
    if (!st->in_begin)
        return ty_err_set(err, TY_EINVAL, "case store: commit without begin");
    rc = ty__raw_flush(st, err);
    if (rc)
        return rc;
    rc = ty__store_exec(st, "COMMIT", err);
    if (rc)
        return rc;
    st->in_begin = false;
    st->sp_depth = 0;
    return 0;
}

int ty_store_savepoint(struct ty_store *st, struct ty_err *err)
{
    int rc = ty__store_writable(st, err);
    if (rc)
        return rc;
    if (st->sp_depth >= TY__STORE_MAX_SAVEPOINTS)
        return ty_err_set(err, TY_EINVAL, "case store: savepoints nested too deep");
    /* the pending block holds records from before the savepoint: write it
     * now, so a rollback to the savepoint cannot take them with it */
    rc = ty__raw_flush(st, err);
    if (rc)
        return rc;
    rc = ty__store_exec(st, "SAVEPOINT ty_stream", err);
    if (rc == 0)
        st->sp_depth++;
    return rc;
}

int ty_store_release(struct ty_store *st, struct ty_err *err)
{
    int rc = ty__store_writable(st, err);
    if (rc)
        return rc;
    if (st->sp_depth == 0)
        return ty_err_set(err, TY_EINVAL, "case store: release without savepoint");
    if (st->sp_depth == 1 && !st->in_begin) {
        /* this release ends the transaction: write what it references */
        rc = ty__raw_flush(st, err);
        if (rc)
            return rc;
    }
    rc = ty__store_exec(st, "RELEASE ty_stream", err);
    if (rc == 0)
        st->sp_depth--;
    return rc;
}

int ty_store_rollback_to(struct ty_store *st, struct ty_err *err)
{
    int rc = ty__store_writable(st, err);
    if (rc)
        return rc;
    if (st->sp_depth == 0)
        return ty_err_set(err, TY_EINVAL, "case store: rollback without savepoint");
    /* SQL semantics: the savepoint stays open, the caller releases it */
    rc = ty__store_exec(st, "ROLLBACK TO ty_stream", err);
    after_rollback(st);
    if (rc)
        return rc;
    return ty__raw_sync(st, err);
}

/* ---- meta ---- */

int ty_store_meta_set(struct ty_store *st, const char *key, const char *value, struct ty_err *err)
{
    int rc = ty__store_writable(st, err);
    if (rc)
        return rc;
    rc = ty__store_prep(st, &st->meta_set,
                        "INSERT INTO meta(key, value) VALUES(?1, ?2)"
                        " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                        err);
    if (rc)
        return rc;
    sqlite3_bind_text(st->meta_set, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st->meta_set, 2, value ? value : "", -1, SQLITE_STATIC);
    if (sqlite3_step(st->meta_set) != SQLITE_DONE)
        rc = ty__store_dberr(st, err, "writing meta");
    sqlite3_reset(st->meta_set);
    sqlite3_clear_bindings(st->meta_set);
    return rc;
}

int ty_store_meta_get(struct ty_store *st, const char *key, struct ty_buf *out, struct ty_err *err)
{
    int rc = ty__store_prep(st, &st->meta_get, "SELECT value FROM meta WHERE key = ?1", err);
    if (rc)
        return rc;
    ty_buf_reset(out);
    sqlite3_bind_text(st->meta_get, 1, key, -1, SQLITE_STATIC);
    int step = sqlite3_step(st->meta_get);
    if (step == SQLITE_ROW) {
        const void *p = sqlite3_column_text(st->meta_get, 0);
        int n = sqlite3_column_bytes(st->meta_get, 0);
        if (p && ty_buf_add(out, p, (size_t)n))
            rc = ty_err_set(err, TY_ETOOBIG, "case store: meta value '%s' too long", key);
    } else if (step != SQLITE_DONE) {
        rc = ty__store_dberr(st, err, "reading meta");
    }
    sqlite3_reset(st->meta_get);
    sqlite3_clear_bindings(st->meta_get);
    return rc;
}

/* ---- read-only SQL ---- */

static int sql_auth(void *arg, int action, const char *a, const char *b, const char *c,
                    const char *d)
{
    static const char *const ok_pragmas[] = {
        "table_info", "table_xinfo", "index_list", "index_info", "index_xinfo",
        "foreign_key_list", "page_count", "page_size", "user_version", "application_id",
        "database_list", "table_list", "function_list", "freelist_count", "compile_options",
    };
    switch (action) {
    case SQLITE_SELECT:
    case SQLITE_READ:
    case SQLITE_FUNCTION:
    case SQLITE_RECURSIVE:
        return SQLITE_OK;
    case SQLITE_PRAGMA:
        if (b)  /* pragma with an argument that sets something */
            return SQLITE_DENY;
        for (size_t i = 0; i < sizeof(ok_pragmas) / sizeof(ok_pragmas[0]); i++)
            if (a && strcmp(a, ok_pragmas[i]) == 0)
                return SQLITE_OK;
        return SQLITE_DENY;
    default:
        return SQLITE_DENY;
    }
}

static int add_hex(struct ty_buf *b, const unsigned char *p, int n)
{
    static const char hex[] = "0123456789abcdef";
    int rc = ty_buf_adds(b, "x'");
    for (int i = 0; i < n && rc == 0; i++) {
        rc |= ty_buf_addc(b, hex[p[i] >> 4]);
        rc |= ty_buf_addc(b, hex[p[i] & 15]);
    }
    rc |= ty_buf_addc(b, '\'');
    return rc;
}

static int run_readonly(struct ty_store *st, sqlite3_stmt *s, ty_sql_row_cb row, void *arg,
                        struct ty_err *err)
{
    int ncols = sqlite3_column_count(s);
    const char **names = NULL, **values = NULL;
    size_t *blob_at = NULL;
    struct ty_buf blobs;
    int rc = 0;

    ty_buf_init(&blobs, (size_t)1 << 30);
    names = calloc((size_t)ncols + 1, sizeof(*names));
    values = calloc((size_t)ncols + 1, sizeof(*values));
    blob_at = calloc((size_t)ncols + 1, sizeof(*blob_at));
    if (!names || !values || !blob_at) {
        rc = ty_err_set(err, TY_ENOMEM, "query: out of memory");
        goto out;
    }
    for (int i = 0; i < ncols; i++)
        names[i] = sqlite3_column_name(s, i);
    for (;;) {
        int step = sqlite3_step(s);
        if (step == SQLITE_DONE)
            break;
        if (step != SQLITE_ROW) {
            rc = ty_err_set(err, TY_EINVAL, "query: %s", sqlite3_errmsg(st->db));
            goto out;
        }
        ty_buf_reset(&blobs);
        for (int i = 0; i < ncols; i++) {
            int t = sqlite3_column_type(s, i);
            blob_at[i] = SIZE_MAX;
            if (t == SQLITE_BLOB) {
                blob_at[i] = blobs.len;
                if (add_hex(&blobs, sqlite3_column_blob(s, i), sqlite3_column_bytes(s, i)) ||
                    ty_buf_addc(&blobs, '\0')) {
                    rc = ty_err_set(err, TY_ETOOBIG, "query: row too large");
                    goto out;
                }
            }
        }
        for (int i = 0; i < ncols; i++) {
            if (blob_at[i] != SIZE_MAX)
                values[i] = blobs.buf + blob_at[i];
            else if (sqlite3_column_type(s, i) == SQLITE_NULL)
                values[i] = NULL;
            else
                values[i] = (const char *)sqlite3_column_text(s, i);
        }
        if (row) {
            rc = row(arg, ncols, names, values);
            if (rc == TY_STOP) {
                rc = 0;
                goto out;
            }
            if (rc)
                goto out;
        }
    }
out:
    free(names);
    free(values);
    free(blob_at);
    ty_buf_release(&blobs);
    return rc;
}

int ty_store_sql(struct ty_store *st, const char *sql, ty_sql_row_cb row, void *arg,
                 struct ty_err *err)
{
    const char *tail = sql;
    int rc = 0;

    if (!st || st->tag != TY__STORE_TAG || !sql)
        return ty_err_set(err, TY_EINVAL, "query: bad arguments");
    while (tail && *tail) {
        sqlite3_stmt *s = NULL;
        const char *next = NULL;
        sqlite3_set_authorizer(st->db, sql_auth, NULL);
        int prc = sqlite3_prepare_v2(st->db, tail, -1, &s, &next);
        sqlite3_set_authorizer(st->db, NULL, NULL);
        if (prc != SQLITE_OK) {
            if (prc == SQLITE_AUTH)
                rc = ty_err_set(err, TY_EINVAL,
                                "query: only read-only statements are allowed (%s)",
                                sqlite3_errmsg(st->db));
            else
                rc = ty_err_set(err, TY_EINVAL, "query: %s", sqlite3_errmsg(st->db));
            sqlite3_finalize(s);
            break;
        }
        tail = next;
        if (!s) /* whitespace or a comment */
            continue;
        if (!sqlite3_stmt_readonly(s)) {
            rc = ty_err_set(err, TY_EINVAL, "query: only read-only statements are allowed");
            sqlite3_finalize(s);
            break;
        }
        rc = run_readonly(st, s, row, arg, err);
        sqlite3_finalize(s);
        if (rc)
            break;
    }
    return rc;
}

/* ---- knobs for tests and benchmarks ---- */

void ty__store_set_dict_budget(struct ty_store *st, size_t max_bytes)
{
    ty__dict_clear(&st->dict);
    st->dict.max_bytes = max_bytes;
}

void ty__store_set_raw_threaded(struct ty_store *st, bool threaded)
{
    if (!st->raw.thread_started)
        st->raw.threaded = threaded;
}

void ty__store_set_raw_block(struct ty_store *st, size_t bytes, unsigned records, int level)
{
    if (bytes)
        st->raw.block_bytes = bytes;
    if (records && records <= TY__RAW_BLOCK_RECORDS)
        st->raw.block_records = records;
    if (level)
        st->raw.level = level;
}
