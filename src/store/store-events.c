/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store-events.c - events in and out of the case.
 *
 * Insert: one prepared statement whose columns come from event-fields.def;
 * DICT fields become string ids, TEXT inline text, NUM integers, IPB 16-byte
 * blobs, absent fields NULL. Query: SQL built from struct ty_event_query with
 * bound parameters only, rows rebuilt into a struct ty_event whose strings
 * point into the dictionary cache or SQLite's column memory.
 */
#include <stdlib.h>
#include <string.h>

#include <tyto/time.h>

#include "store/store-int.h"

static const char *const fixed_select =
    "e.id, e.evidence_id, e.\"offset\", e.line, e.sub, e.format, e.raw_block, e.raw_index";

static int build_insert(struct ty_buf *b)
{
    int rc = ty_buf_adds(b, "INSERT INTO events(evidence_id, \"offset\", line, sub, format,"
                            " raw_block, raw_index");
    for (int f = 0; f < TY_F__COUNT; f++)
        rc |= ty_buf_addf(b, ", \"%s\"", ty__store_cols[f].name);
    rc |= ty_buf_adds(b, ") VALUES(?");
    for (int i = 1; i < TY__EV_FIXED + TY_F__COUNT; i++)
        rc |= ty_buf_adds(b, ", ?");
    rc |= ty_buf_adds(b, ")");
    return rc;
}

static int prep_insert(struct ty_store *st, struct ty_err *err)
{
    struct ty_buf b;
    int rc;
    if (st->ins_event) {
        sqlite3_reset(st->ins_event);
        return 0;
    }
    ty_buf_init(&b, (size_t)1 << 20);
    if (build_insert(&b))
        rc = ty_err_set(err, TY_ENOMEM, "case store: out of memory");
    else
        rc = ty__store_prep(st, &st->ins_event, b.buf, err);
    ty_buf_release(&b);
    return rc;
}

int ty_store_event_add(struct ty_store *st, int64_t evidence_id, const struct ty_event *ev,
                       int64_t *event_id, struct ty_err *err)
{
    sqlite3_stmt *s;
    int64_t block = 0, id;
    uint32_t index = 0;
    int rc = ty__store_writable(st, err);

    if (rc)
        return rc;
    if (sqlite3_get_autocommit(st->db))
        return ty_err_set(err, TY_EINVAL, "case store: events are added inside a transaction");
    ty__dict_tidy(&st->dict);
    rc = prep_insert(st, err);
    if (rc)
        return rc;
    s = st->ins_event;
    rc = ty__raw_put(st, evidence_id, ev, &block, &index, err);
    if (rc)
        return rc;

    sqlite3_bind_int64(s, TY__EV_EVIDENCE, evidence_id);
    sqlite3_bind_int64(s, TY__EV_OFFSET, (int64_t)ev->offset);
    sqlite3_bind_int64(s, TY__EV_LINE, (int64_t)ev->line);
    sqlite3_bind_int64(s, TY__EV_SUB, ev->sub);
    if (ev->format && *ev->format) {
        rc = ty__dict_intern(st, ty_str_cstr(ev->format), &id, err);
        if (rc)
            goto out;
        sqlite3_bind_int64(s, TY__EV_FORMAT, id);
    } else {
        sqlite3_bind_null(s, TY__EV_FORMAT);
    }
    if (block) {
        sqlite3_bind_int64(s, TY__EV_RAW_BLOCK, block);
        sqlite3_bind_int64(s, TY__EV_RAW_INDEX, index);
    } else {
        sqlite3_bind_null(s, TY__EV_RAW_BLOCK);
        sqlite3_bind_null(s, TY__EV_RAW_INDEX);
    }
    for (int f = 0; f < TY_F__COUNT; f++) {
        int p = TY__EV_FIXED + 1 + f;
        const union ty_value *v = &ev->v[f];
        if (!ty_event_has(ev, (enum ty_field)f)) {
            /* bindings survive reset: only unbind what the last event set */
            if (st->bound[f >> 6] & (UINT64_C(1) << (f & 63))) {
                sqlite3_bind_null(s, p);
                st->bound[f >> 6] &= ~(UINT64_C(1) << (f & 63));
            }
            continue;
        }
        st->bound[f >> 6] |= UINT64_C(1) << (f & 63);
        switch (ty__store_cols[f].store) {
        case TY_FS_NUM:
            sqlite3_bind_int64(s, p, v->i);
            break;
        case TY_FS_DICT:
            rc = ty__dict_intern(st, v->s, &id, err);
            if (rc)
                goto out;
            sqlite3_bind_int64(s, p, id);
            break;
        case TY_FS_TEXT:
            if (v->s.len > INT32_MAX) {
                rc = ty_err_set(err, TY_ETOOBIG, "case store: field %s too long",
                                ty__store_cols[f].name);
                goto out;
            }
            sqlite3_bind_text(s, p, v->s.p ? v->s.p : "", (int)v->s.len, SQLITE_STATIC);
            break;
        case TY_FS_IPB:
            sqlite3_bind_blob(s, p, v->ip.a, 16, SQLITE_STATIC);
            break;
        }
    }
    if (sqlite3_step(s) != SQLITE_DONE) {
        rc = ty__store_dberr(st, err, "inserting an event");
        goto out;
    }
    if (event_id)
        *event_id = sqlite3_last_insert_rowid(st->db);
out:
    sqlite3_reset(s);
    return rc;
}

/* ---- finish ---- */

int ty_store_finish_load(struct ty_store *st, struct ty_err *err)
{
    struct ty_buf b;
    int rc = ty__store_writable(st, err);
    if (rc)
        return rc;
    rc = ty__raw_flush(st, err);
    if (rc)
        return rc;
    /* IF NOT EXISTS makes this cheap when the indexes are there; when they
     * are, later loads keep them up to date row by row */
    ty_buf_init(&b, 4096);
    /* the timeline order, used in both directions */
    rc |= ty_buf_adds(&b, "CREATE INDEX IF NOT EXISTS events_ts ON events(\"ts\");\n");
    /* only the timeline order: every other index costs a scan and a sort
     * of the events table (~0.6 s per GB of CloudTrail, a quarter of an
     * ingest), while a filtered timeline walks the ts index and tests each
     * row (~0.5 s per GB). The correlator's entity tables will carry the
     * pivots (actors, addresses, keys) with their own indexes. */
    if (rc)
        rc = ty_err_set(err, TY_ENOMEM, "case store: out of memory");
    else
        rc = ty__store_exec(st, b.buf, err);
    ty_buf_release(&b);
    return rc;
}

/* ---- queries ---- */

struct evmap {
    int64_t *ids;
    size_t *at;   /* offset of the path in paths */
    size_t n;
    struct ty_buf paths;
};

static void evmap_release(struct evmap *m)
{
    free(m->ids);
    free(m->at);
    ty_buf_release(&m->paths);
}

static int evmap_load(struct ty_store *st, struct evmap *m, struct ty_err *err)
{
    sqlite3_stmt *s = NULL;
    size_t cap = 0;
    int rc = 0;
    memset(m, 0, sizeof(*m));
    ty_buf_init(&m->paths, (size_t)1 << 30);
    if (sqlite3_prepare_v2(st->db, "SELECT id, path FROM evidence ORDER BY id", -1, &s, NULL))
        return ty__store_dberr(st, err, "reading evidence");
    int step;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        if (m->n == cap) {
            size_t nc = cap ? cap * 2 : 64;
            int64_t *ni = realloc(m->ids, nc * sizeof(*ni));
            if (ni)
                m->ids = ni;
            size_t *na = realloc(m->at, nc * sizeof(*na));
            if (na)
                m->at = na;
            if (!ni || !na) {
                rc = ty_err_set(err, TY_ENOMEM, "case store: out of memory");
                goto out;
            }
            cap = nc;
        }
        m->ids[m->n] = sqlite3_column_int64(s, 0);
        m->at[m->n] = m->paths.len;
        if (ty_buf_add(&m->paths, sqlite3_column_text(s, 1),
                       (size_t)sqlite3_column_bytes(s, 1)) ||
            ty_buf_addc(&m->paths, '\0')) {
            rc = ty_err_set(err, TY_ENOMEM, "case store: out of memory");
            goto out;
        }
        m->n++;
    }
    if (step != SQLITE_DONE)
        rc = ty__store_dberr(st, err, "reading evidence");
out:
    sqlite3_finalize(s);
    return rc;
}

static const char *evmap_path(const struct evmap *m, int64_t id)
{
    size_t lo = 0, hi = m->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < m->n && m->ids[lo] == id ? m->paths.buf + m->at[lo] : "";
}

enum bind_kind { BIND_INT, BIND_TEXT, BIND_BLOB };

struct bind {
    enum bind_kind kind;
    int64_t i;
    const char *p;
    int len;
    struct ty_ip ip;
};

/* Append one condition. When it needs a value, fills *x, uses parameter
 * number pnum and sets *used; *never is set when it cannot match anything. */
static int add_where(struct ty_store *st, const struct ty_event_where *w, struct ty_buf *sql,
                     struct bind *x, unsigned pnum, bool *used, bool *never, struct ty_err *err)
{
    const struct ty__store_col *c;
    const char *val = w->value ? w->value : "";
    struct ty_str sv = ty_str_cstr(val);
    bool eq;
    int rc;

    if (w->field < 0 || w->field >= TY_F__COUNT)
        return ty_err_set(err, TY_EINVAL, "query: unknown field number %d", w->field);
    if (w->cmp != TY_CMP_EQ && w->cmp != TY_CMP_NE)
        return ty_err_set(err, TY_EINVAL, "query: unknown comparison %d", (int)w->cmp);
    c = &ty__store_cols[w->field];
    eq = w->cmp == TY_CMP_EQ;
    if (sv.len == 0) /* absent field */
        return ty_buf_addf(sql, " AND e.\"%s\" IS %sNULL", c->name, eq ? "" : "NOT ")
                   ? TY_ENOMEM
                   : 0;

    memset(x, 0, sizeof(*x));
    switch (c->store) {
    case TY_FS_NUM:
        x->kind = BIND_INT;
        if (c->type == TY_FT_TIME) {
            if (ty_time_parse_iso(sv, &x->i, NULL, NULL) != 0 &&
                ty_time_parse_epoch(sv, &x->i, NULL) != 0)
                return ty_err_set(err, TY_EINVAL,
                                  "query: %s: '%s' is not a time (RFC 3339 or epoch seconds)",
                                  c->name, val);
        } else if (ty_str_to_i64(sv, &x->i) != 0) {
            return ty_err_set(err, TY_EINVAL, "query: %s: '%s' is not an integer", c->name, val);
        }
        break;
    case TY_FS_DICT:
        x->kind = BIND_INT;
        rc = ty__dict_find(st, sv, &x->i, err);
        if (rc)
            return rc;
        if (x->i == 0) {
            /* never stored: == matches nothing, != matches everything */
            if (eq)
                *never = true;
            return 0;
        }
        break;
    case TY_FS_TEXT:
        x->kind = BIND_TEXT;
        x->p = val;
        x->len = (int)sv.len;
        break;
    case TY_FS_IPB:
        x->kind = BIND_BLOB;
        if (ty_ip_parse(sv, &x->ip) != 0)
            return ty_err_set(err, TY_EINVAL, "query: %s: '%s' is not an IP address", c->name,
                              val);
        break;
    }
    *used = true;
    /* != also matches events without the field */
    return ty_buf_addf(sql, " AND e.\"%s\" %s ?%u", c->name, eq ? "=" : "IS NOT", pnum)
               ? TY_ENOMEM
               : 0;
}

static int row_to_event(struct ty_store *st, sqlite3_stmt *s, struct ty_event *ev,
                        struct ty_err *err)
{
    int rc;
    memset(ev->present, 0, sizeof(ev->present));
    ev->raw = TY_STR_NULL;
    ev->offset = (uint64_t)sqlite3_column_int64(s, 2);
    ev->line = (uint64_t)sqlite3_column_int64(s, 3);
    ev->sub = (uint32_t)sqlite3_column_int64(s, 4);
    ev->format = "";
    if (sqlite3_column_type(s, 5) != SQLITE_NULL) {
        struct ty_str fs;
        rc = ty__dict_get(st, sqlite3_column_int64(s, 5), &fs, err);
        if (rc)
            return rc;
        ev->format = fs.p; /* cache entries are NUL-terminated */
    }
    for (int f = 0; f < TY_F__COUNT; f++) {
        int col = TY__EV_FIXED + 1 + f;
        int t = sqlite3_column_type(s, col);
        union ty_value *v = &ev->v[f];
        if (t == SQLITE_NULL)
            continue;
        switch (ty__store_cols[f].store) {
        case TY_FS_NUM:
            v->i = sqlite3_column_int64(s, col);
            break;
        case TY_FS_DICT:
            rc = ty__dict_get(st, sqlite3_column_int64(s, col), &v->s, err);
            if (rc)
                return rc;
            break;
        case TY_FS_TEXT: {
            const char *p = (const char *)sqlite3_column_text(s, col);
            v->s = ty_str_make(p ? p : "", (size_t)sqlite3_column_bytes(s, col));
            break;
        }
        case TY_FS_IPB:
            if (t != SQLITE_BLOB || sqlite3_column_bytes(s, col) != 16)
                return ty_err_set(err, TY_EDB, "case store: event %lld: bad %s value",
                                  (long long)sqlite3_column_int64(s, 0), ty__store_cols[f].name);
            memcpy(v->ip.a, sqlite3_column_blob(s, col), 16);
            break;
        }
        ty_event_mark(ev, (enum ty_field)f);
    }
    return 0;
}

int ty_store_events(struct ty_store *st, const struct ty_event_query *q, ty_event_cb cb, void *arg,
                    struct ty_err *err)
{
    struct ty_buf sql;
    struct bind binds[TY_QUERY_MAX_WHERE + 4];
    unsigned nb = 0, nw = 0;
    int64_t from_i = 0, to_i = 0, ev_i = 0, lim_i = 0;
    unsigned from_p = 0, to_p = 0, ev_p = 0, lim_p = 0;
    bool never = false;
    struct evmap m;
    sqlite3_stmt *s = NULL;
    struct ty_event *ev = NULL;
    struct ty_buf raw;
    int rc = 0;

    ty_buf_init(&raw, TY__RAW_MAX);
    memset(&m, 0, sizeof(m));
    ty_buf_init(&m.paths, 1);
    ty_buf_init(&sql, (size_t)1 << 20);
    if (!st || st->tag != TY__STORE_TAG || !q || !cb) {
        rc = ty_err_set(err, TY_EINVAL, "query: bad arguments");
        goto out;
    }
    if (q->n_where > TY_QUERY_MAX_WHERE) {
        rc = ty_err_set(err, TY_EINVAL, "query: more than %d filters", TY_QUERY_MAX_WHERE);
        goto out;
    }
    rc = ty_buf_addf(&sql, "SELECT %s", fixed_select);
    for (int f = 0; f < TY_F__COUNT && rc == 0; f++)
        rc = ty_buf_addf(&sql, ", e.\"%s\"", ty__store_cols[f].name);
    rc |= ty_buf_adds(&sql, " FROM events e WHERE 1");
    if (rc == 0 && q->has_from) {
        from_i = q->from;
        from_p = ++nb;
        rc = ty_buf_addf(&sql, " AND e.\"ts\" >= ?%u", from_p);
    }
    if (rc == 0 && q->has_to) {
        to_i = q->to;
        to_p = ++nb;
        rc = ty_buf_addf(&sql, " AND e.\"ts\" < ?%u", to_p);
    }
    if (rc == 0 && q->min_id > 0) /* an integer: safe to print */
        rc = ty_buf_addf(&sql, " AND e.id > %lld", (long long)q->min_id);
    if (rc == 0 && q->evidence_id) {
        ev_i = q->evidence_id;
        ev_p = ++nb;
        rc = ty_buf_addf(&sql, " AND e.evidence_id = ?%u", ev_p);
    }
    if (rc) {
        rc = ty_err_set(err, TY_ENOMEM, "query: out of memory");
        goto out;
    }
    for (unsigned i = 0; i < q->n_where; i++) {
        bool used = false;
        rc = add_where(st, &q->where[i], &sql, &binds[nw], nb + 1, &used, &never, err);
        if (used) {
            nw++;
            nb++;
        }
        if (rc == TY_ENOMEM)
            rc = ty_err_set(err, TY_ENOMEM, "query: out of memory");
        if (rc)
            goto out;
    }
    if (never)
        goto out;
    {
        const char *d = q->descending ? " DESC" : "";
        if (q->by_id)
            rc = ty_buf_addf(&sql, " ORDER BY e.id%s", d);
        else
            /* events are inserted stream by stream in record order, so the
             * row id is the (evidence, offset, sub) order: the ts index,
             * which carries the row id, gives the whole order without a sort */
            rc = ty_buf_addf(&sql, " ORDER BY e.\"ts\"%s, e.id%s", d, d);
    }
    if (rc == 0 && q->limit > 0) {
        lim_i = q->limit;
        lim_p = ++nb;
        rc = ty_buf_addf(&sql, " LIMIT ?%u", lim_p);
    }
    if (rc) {
        rc = ty_err_set(err, TY_ENOMEM, "query: out of memory");
        goto out;
    }
    if (sqlite3_prepare_v2(st->db, sql.buf, -1, &s, NULL) != SQLITE_OK) {
        rc = ty__store_dberr(st, err, "preparing the event query");
        goto out;
    }
    /* binds[] holds the where values in order; the fixed ones are numbered apart */
    {
        unsigned wi = 0;
        for (unsigned p = 1; p <= nb; p++) {
            if (p == from_p)
                sqlite3_bind_int64(s, (int)p, from_i);
            else if (p == to_p)
                sqlite3_bind_int64(s, (int)p, to_i);
            else if (p == ev_p)
                sqlite3_bind_int64(s, (int)p, ev_i);
            else if (p == lim_p)
                sqlite3_bind_int64(s, (int)p, lim_i);
            else {
                struct bind *x = &binds[wi++];
                if (x->kind == BIND_INT)
                    sqlite3_bind_int64(s, (int)p, x->i);
                else if (x->kind == BIND_TEXT)
                    sqlite3_bind_text(s, (int)p, x->p, x->len, SQLITE_STATIC);
                else
                    sqlite3_bind_blob(s, (int)p, x->ip.a, 16, SQLITE_STATIC);
            }
        }
    }
    ty_buf_release(&m.paths);
    rc = evmap_load(st, &m, err);
    if (rc)
        goto out;
    ev = calloc(1, sizeof(*ev));
    if (!ev) {
        rc = ty_err_set(err, TY_ENOMEM, "query: out of memory");
        goto out;
    }
    for (;;) {
        struct ty_event_ref ref;
        int step = sqlite3_step(s);
        if (step == SQLITE_DONE)
            break;
        if (step != SQLITE_ROW) {
            rc = ty__store_dberr(st, err, "reading events");
            goto out;
        }
        ty__dict_tidy(&st->dict);
        rc = row_to_event(st, s, ev, err);
        if (rc)
            goto out;
        if (q->with_raw && sqlite3_column_type(s, 6) != SQLITE_NULL) {
            /* a copy: the callback may read other raw records meanwhile */
            ty_buf_reset(&raw);
            rc = ty__raw_get(st, sqlite3_column_int64(s, 6), sqlite3_column_int64(s, 7), &raw,
                             err);
            if (rc)
                goto out;
            ev->raw = ty_buf_str(&raw);
        }
        ref.event_id = sqlite3_column_int64(s, 0);
        ref.evidence_id = sqlite3_column_int64(s, 1);
        ref.evidence_path = evmap_path(&m, ref.evidence_id);
        ref.offset = ev->offset;
        ref.line = ev->line;
        rc = cb(arg, ev, &ref);
        if (rc == TY_STOP) {
            rc = 0;
            break;
        }
        if (rc)
            goto out;
    }
out:
    free(ev);
    ty_buf_release(&raw);
    sqlite3_finalize(s);
    evmap_release(&m);
    ty_buf_release(&sql);
    return rc;
}
