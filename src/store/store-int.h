/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store-int.h - internals of the case store shared by the src/store files and its
 * unit test and benchmark: the handle, the string dictionary cache, the raw
 * block writer/reader, and the per-field column classes taken from
 * event-fields.def. Nothing outside src/store, tests and bench includes it.
 */
#ifndef TYTO_STORE_INT_H
#define TYTO_STORE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pthread.h>
#include <sqlite3.h>
#include <zstd.h>

#include <tyto/arena.h>
#include <tyto/buf.h>
#include <tyto/err.h>
#include <tyto/event.h>
#include <tyto/store.h>

/* ---- the field table, as the store sees it (X-macro, never by hand) ---- */

struct ty__store_col {
    const char *name;     /* column name == field name */
    enum ty_ftype type;
    enum ty_fstore store;
};

extern const struct ty__store_col ty__store_cols[TY_F__COUNT];

/* Fixed leading columns of the events table; field columns follow. The
 * insert statement binds them as parameters 1..TY__EV_FIXED, then field f as
 * TY__EV_FIXED + 1 + f. The select of ty_store_events returns them in the
 * same order (column 0 is events.id there). */
enum {
    TY__EV_EVIDENCE = 1,
    TY__EV_OFFSET,
    TY__EV_LINE,
    TY__EV_SUB,
    TY__EV_FORMAT,
    TY__EV_RAW_BLOCK,
    TY__EV_RAW_INDEX,
    TY__EV_FIXED = TY__EV_RAW_INDEX
};

/* ---- dictionary cache: string <-> id, bounded ---- */

struct ty__dict_ent;

struct ty__dict {
    struct ty_arena arena;           /* entries and their bytes */
    struct ty__dict_ent **by_s;      /* open addressing on the string hash */
    struct ty__dict_ent **by_id;     /* open addressing on the id */
    size_t slots;                    /* power of two, 0 before first use */
    size_t n;
    size_t max_bytes;                /* budget: arena + both tables */
    bool complete;                   /* every short string in the table is cached */
    uint64_t hits, misses, evictions;
};

/* Strings longer than this are never cached on the write path. */
#define TY__DICT_MAX_CACHED 4096
#define TY__DICT_DEFAULT_BUDGET ((size_t)64 << 20)

/* ---- raw blocks ---- */

#define TY__RAW_BLOCK_BYTES ((size_t)256 << 10)
#define TY__RAW_BLOCK_RECORDS 1024u
#define TY__RAW_MAX ((size_t)256 << 20) /* one raw record, hard cap */
#define TY__RAW_DEFAULT_LEVEL 1
#define TY__RAW_CACHE_BLOCKS 4

/* A block handed to the compressor: records in, one zstd frame out. */
struct ty__rawjob {
    int64_t id;
    struct ty_buf data;      /* the records' bytes */
    uint32_t *lens;          /* TY__RAW_BLOCK_RECORDS of them */
    unsigned n;
    struct ty_buf out;       /* the frame */
    size_t ulen;             /* uncompressed size (index + records) */
    size_t zerr;             /* zstd error code, 0 when fine */
};

enum ty__rawjob_state { TY__JOB_IDLE, TY__JOB_QUEUED, TY__JOB_DONE };

struct ty__raw {
    int level;
    size_t block_bytes;      /* flush thresholds (tests lower them) */
    unsigned block_records;
    bool threaded;           /* compress on a worker thread */
    ZSTD_CCtx *cctx;         /* used by the worker (or inline) only */
    ZSTD_DCtx *dctx;
    /* the block being filled; it will be written with id pend_id */
    int64_t pend_id;
    struct ty_buf pend;
    uint32_t *pend_lens;     /* TY__RAW_BLOCK_RECORDS of them */
    unsigned pend_n;
    /* the block being compressed (inflight: not in the table yet) */
    struct ty__rawjob job;
    bool inflight;                 /* writer thread only */
    enum ty__rawjob_state state;   /* under mu */
    bool thread_started, quit;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    /* the last record stored, so later events of it share its slot */
    bool last_valid;
    int64_t last_evidence;
    uint64_t last_offset;
    const char *last_p;
    size_t last_len;
    int64_t last_block;
    uint32_t last_index;
    /* the last blocks read back, decompressed (least recently used goes) */
    struct ty__rawcache {
        int64_t id;              /* 0 = empty */
        uint64_t used;           /* clock of the last use */
        struct ty_buf buf;
        uint32_t *ends;          /* end offset of record i after the index */
        unsigned n;
        size_t data;             /* offset of the first record's bytes */
    } cache[TY__RAW_CACHE_BLOCKS];
    uint64_t clock;
    /* statistics */
    uint64_t blocks_written, bytes_in, bytes_out;
};

/* ---- the handle ---- */

#define TY__STORE_TAG 0x7479746f5354ULL
#define TY__STORE_MAX_SAVEPOINTS 32

struct ty_store {
    uint64_t tag;
    sqlite3 *db;
    unsigned flags;
    bool in_begin;           /* ty_store_begin without commit yet */
    unsigned sp_depth;       /* open savepoints */

    sqlite3_stmt *ins_event;
    uint64_t bound[TY_EVENT_PRESENT_WORDS]; /* fields ins_event has non-NULL bindings for */
    sqlite3_stmt *ins_block;
    sqlite3_stmt *get_block;
    sqlite3_stmt *get_event_raw;
    sqlite3_stmt *dict_sel;
    sqlite3_stmt *dict_ins;
    sqlite3_stmt *dict_by_id;
    sqlite3_stmt *ins_quar;
    sqlite3_stmt *ins_evid;
    sqlite3_stmt *upd_evid;
    sqlite3_stmt *evid_by_sha;
    sqlite3_stmt *meta_set;
    sqlite3_stmt *meta_get;
    sqlite3_stmt *ins_rule;
    sqlite3_stmt *ins_alert;
    sqlite3_stmt *ins_corr;

    struct ty__dict dict;
    struct ty__raw raw;
};

/* store.c */
int ty__store_dberr(struct ty_store *st, struct ty_err *err, const char *what);
/* Prepare *stp once (persistent) and reset it for reuse. */
int ty__store_prep(struct ty_store *st, sqlite3_stmt **stp, const char *sql, struct ty_err *err);
int ty__store_writable(struct ty_store *st, struct ty_err *err);
int ty__store_exec(struct ty_store *st, const char *sql, struct ty_err *err);

/* store-dict.c */
void ty__dict_init(struct ty__dict *d, size_t max_bytes);
void ty__dict_release(struct ty__dict *d);
/* Forget every cached entry (after a rollback, or when over budget). */
void ty__dict_clear(struct ty__dict *d);
/* Call between events: clears the cache when it is over its budget. */
void ty__dict_tidy(struct ty__dict *d);
/* Id of s, inserting it into the strings table when missing. */
int ty__dict_intern(struct ty_store *st, struct ty_str s, int64_t *id, struct ty_err *err);
/* Id of s without inserting: *id = 0 when s was never stored. */
int ty__dict_find(struct ty_store *st, struct ty_str s, int64_t *id, struct ty_err *err);
/* The string of an id; the span stays valid until the next ty__dict_tidy
 * or ty__dict_clear. TY_EDB when the id is not in the table. */
int ty__dict_get(struct ty_store *st, int64_t id, struct ty_str *out, struct ty_err *err);

/* store-raw.c */
int ty__raw_init(struct ty__raw *r, struct ty_err *err);
void ty__raw_release(struct ty__raw *r);
/* Next block id from the table (at open, after a rollback). */
int ty__raw_sync(struct ty_store *st, struct ty_err *err);
/* Drop the pending and in-flight blocks and the shared-record memo (after
 * a rollback). */
void ty__raw_discard(struct ty_store *st);
/* Slot of the raw record of ev (shared with the previous event when it is a
 * later event of the same record). */
int ty__raw_put(struct ty_store *st, int64_t evidence_id, const struct ty_event *ev,
                int64_t *block, uint32_t *index, struct ty_err *err);
/* Write the pending block, if any, and wait until every block handed to the
 * compressor is in the table. */
int ty__raw_flush(struct ty_store *st, struct ty_err *err);
/* Append record (block, index) to out. */
int ty__raw_get(struct ty_store *st, int64_t block, int64_t index, struct ty_buf *out,
                struct ty_err *err);

/* Test and benchmark knobs (not API). */
void ty__store_set_dict_budget(struct ty_store *st, size_t max_bytes);
void ty__store_set_raw_block(struct ty_store *st, size_t bytes, unsigned records, int level);
/* Compress on a worker thread (default) or inline; before the first event. */
void ty__store_set_raw_threaded(struct ty_store *st, bool threaded);

#endif
