/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store.h - the case file: one SQLite database per case.
 *
 * Tables: evidence (one row per evidence stream, with its SHA-256 and
 * counts), events (small rows: integer times, dictionary-encoded strings,
 * 16-byte IP blobs), strings (the dictionary), raw_blocks (the raw records,
 * zstd-compressed in blocks; each event points at block + index), quarantine
 * (records that could not be parsed, with offset, line, reason and bytes),
 * meta (schema versions, case facts). See docs/internals/STORE.md.
 *
 * One writer: a struct ty_store is not thread-safe. Loading happens inside
 * one transaction per ty_store_begin/commit pair; secondary indexes are
 * built by ty_store_finish_load() after the bulk load.
 */
#ifndef TYTO_STORE_H
#define TYTO_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include <tyto/buf.h>
#include <tyto/err.h>
#include <tyto/event.h>
#include <tyto/str.h>

#define TY_STORE_SCHEMA_VERSION 2

struct ty_store;

enum ty_store_flags {
    TY_STORE_CREATE = 1 << 0,   /* create the case file if missing */
    TY_STORE_READONLY = 1 << 1, /* open for queries only */
};

/* An evidence stream as recorded in the case. */
struct ty_evidence {
    int64_t id;
    const char *path;     /* display path ("a.tar.gz!x/y.json") */
    const char *codec;    /* decoding chain ("gzip", "") */
    uint64_t size;        /* decoded bytes read */
    uint64_t disk_size;   /* bytes on disk, 0 for members and stdin */
    char sha256[65];      /* lower-case hex */
    const char *format;   /* parser name, or "" when unrecognised */
    const char *shape;    /* delivery shape ("S3 Records file") */
    uint64_t records;     /* records read */
    uint64_t events;      /* events stored */
    uint64_t quarantined; /* records quarantined */
    uint64_t skipped;     /* non-records seen: headers, envelopes */
    int64_t ts_min, ts_max; /* event time range, 0 when no events */
    const char *status;   /* "ok", "partial" (damage: bytes after it lost), "unrecognized", "error" */
    const char *note;     /* the one-line diagnostic, or "" */
};

int ty_store_open(struct ty_store **out, const char *path, unsigned flags, struct ty_err *err);
/* NULL-safe. Rolls back an open transaction. */
void ty_store_close(struct ty_store *st);

int ty_store_begin(struct ty_store *st, struct ty_err *err);
int ty_store_commit(struct ty_store *st, struct ty_err *err);
/* Savepoints around one evidence stream, so a duplicate found only after
 * reading (stdin, archive members) can be undone. rollback_to undoes
 * everything since the savepoint and keeps it open (SQL semantics): release
 * it after. */
int ty_store_savepoint(struct ty_store *st, struct ty_err *err);
int ty_store_release(struct ty_store *st, struct ty_err *err);
int ty_store_rollback_to(struct ty_store *st, struct ty_err *err);

/* Id of the evidence row with this SHA-256 (hex), 0 when there is none. */
int ty_store_evidence_by_sha(struct ty_store *st, const char *sha256, int64_t *id,
                             struct ty_err *err);
/* Insert (ev->id == 0: sets ev->id) or update (ev->id != 0) an evidence row. */
int ty_store_evidence_put(struct ty_store *st, struct ty_evidence *ev, struct ty_err *err);

/* Store one event of an evidence stream (the raw record too, once per
 * record: events of one record share it). Sets *event_id if not NULL. */
int ty_store_event_add(struct ty_store *st, int64_t evidence_id, const struct ty_event *ev,
                       int64_t *event_id, struct ty_err *err);

/* Store a quarantined record (raw is kept, up to 64 KiB of it). */
int ty_store_quarantine_add(struct ty_store *st, int64_t evidence_id, uint64_t offset,
                            uint64_t line, const char *reason, struct ty_str raw,
                            struct ty_err *err);

/* Flush pending raw blocks and build the secondary indexes. Call before
 * commit at the end of a load; cheap if nothing changed. */
int ty_store_finish_load(struct ty_store *st, struct ty_err *err);

/* meta key/value (case facts, versions). get: *out is "" when missing. */
int ty_store_meta_set(struct ty_store *st, const char *key, const char *value, struct ty_err *err);
int ty_store_meta_get(struct ty_store *st, const char *key, struct ty_buf *out, struct ty_err *err);

/* ---- queries ---- */

enum ty_cmp { TY_CMP_EQ, TY_CMP_NE };

struct ty_event_where {
    int field;          /* enum ty_field */
    enum ty_cmp cmp;
    const char *value;  /* text form: IPs and times as printed, ints in decimal */
};

#define TY_QUERY_MAX_WHERE 16

struct ty_event_query {
    bool has_from, has_to;
    int64_t from, to;           /* ts range, inclusive from, exclusive to */
    struct ty_event_where where[TY_QUERY_MAX_WHERE];
    unsigned n_where;
    int64_t evidence_id;        /* 0 = all */
    int64_t limit;              /* 0 = none */
    bool descending;
    bool with_raw;              /* also fill ev->raw (decompresses raw blocks) */
    bool by_id;                 /* load order (event id) instead of time order */
    int64_t min_id;             /* only events with id > min_id (0: all) */
};

/* Where a stored event came from, for citing it. */
struct ty_event_ref {
    int64_t event_id;
    int64_t evidence_id;
    const char *evidence_path;
    uint64_t offset;
    uint64_t line;
};

/* Called per matching event in time order (then evidence, offset, sub), or
 * in load order with by_id; the event and ref are valid during the call only.
 * Return 0 to go on, TY_STOP to end. Filters: == and != compare the text
 * form; != also matches events without the field; the value "" means the
 * field is absent. ev->raw is empty unless with_raw (scanning with by_id
 * reads each raw block once; time order may decompress a block per event). */
typedef int (*ty_event_cb)(void *arg, const struct ty_event *ev, const struct ty_event_ref *ref);

int ty_store_events(struct ty_store *st, const struct ty_event_query *q, ty_event_cb cb, void *arg,
                    struct ty_err *err);

/* The raw record of a stored event (decompressed), appended to out. */
int ty_store_raw(struct ty_store *st, int64_t event_id, struct ty_buf *out, struct ty_err *err);

typedef int (*ty_evidence_cb)(void *arg, const struct ty_evidence *ev);
int ty_store_evidence_list(struct ty_store *st, ty_evidence_cb cb, void *arg, struct ty_err *err);

struct ty_quarantined {
    int64_t evidence_id;
    const char *evidence_path;
    uint64_t offset, line;
    const char *reason;
    struct ty_str raw;  /* the stored bytes: at most 64 KiB */
    uint64_t raw_size;  /* the record's full size (raw.len < raw_size: cut) */
};
typedef int (*ty_quarantine_cb)(void *arg, const struct ty_quarantined *q);
int ty_store_quarantine_list(struct ty_store *st, ty_quarantine_cb cb, void *arg,
                             struct ty_err *err);

/* ---- detection results ---- */

/* A rule as recorded with the alerts it raised. */
struct ty_rule_row {
    const char *uid, *kind, *id, *name, *title, *level, *status, *tags, *description;
    const char *prevention, *weakness, *file, *logsource;
};

struct ty_alert {
    int64_t id;
    const char *rule_uid;
    const char *kind;       /* "rule" or "correlation" */
    int64_t ts, ts_end;     /* the event's time; a correlation's window */
    int64_t event_id;       /* the matched event (a correlation: its first) */
    int64_t evidence_id;
    const char *evidence_path; /* filled when listing */
    uint64_t offset, line;
    const char *matched;    /* JSON object: field -> value that matched */
    const char *summary;    /* one line: the event's summary, or the correlation's */
    const char *refs;       /* JSON array of event ids (correlations), "[]" else */
    const char *group_key;  /* correlation group values, "" else */
    /* filled when listing: the rule's row */
    const struct ty_rule_row *rule;
};

int ty_store_rule_put(struct ty_store *st, const struct ty_rule_row *r, struct ty_err *err);
int ty_store_alert_add(struct ty_store *st, struct ty_alert *a, struct ty_err *err);
/* Extend an alert (a correlation's window going on): new end and summary. */
int ty_store_alert_extend(struct ty_store *st, int64_t id, int64_t ts_end, const char *summary,
                          struct ty_err *err);
/* Alerts in time order (hidden: none; every alert is listed). */
typedef int (*ty_alert_cb)(void *arg, const struct ty_alert *a);
int ty_store_alerts(struct ty_store *st, ty_alert_cb cb, void *arg, struct ty_err *err);
/* Forget every alert and rule (before a fresh `tyto detect`). */
int ty_store_alerts_clear(struct ty_store *st, struct ty_err *err);
/* Forget the alerts of one kind ("analysis": before the analyses run again
 * over a case that grew). */
int ty_store_alerts_clear_kind(struct ty_store *st, const char *kind, struct ty_err *err);
/* Where a stored event came from (ref->evidence_path stays NULL). */
int ty_store_event_ref(struct ty_store *st, int64_t event_id, struct ty_event_ref *ref,
                       struct ty_err *err);
/* The largest event id in the case (0 when empty). */
int ty_store_max_event_id(struct ty_store *st, int64_t *out, struct ty_err *err);

/* Correlation inputs: appended during matching, read back per correlation
 * in time order, then cleared. */
int ty_store_corr_add(struct ty_store *st, const char *corr, int64_t ts, uint32_t rule,
                      int64_t ref, struct ty_str group, struct ty_str value, struct ty_err *err);
typedef int (*ty_corr_row_cb)(void *arg, int64_t ts, uint32_t rule, int64_t ref,
                              struct ty_str group, struct ty_str value);
int ty_store_corr_each(struct ty_store *st, const char *corr, ty_corr_row_cb cb, void *arg,
                       struct ty_err *err);
int ty_store_corr_clear(struct ty_store *st, struct ty_err *err);

/* Run read-only SQL for `tyto query`; calls row(arg, ncols, names, values) per row. */
typedef int (*ty_sql_row_cb)(void *arg, int ncols, const char *const *names,
                             const char *const *values);
int ty_store_sql(struct ty_store *st, const char *sql, ty_sql_row_cb row, void *arg,
                 struct ty_err *err);

#endif
