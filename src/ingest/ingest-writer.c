/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ingest-writer.c - the case store writer thread of the ingest pipeline.
 *
 * The parse side (walk, decode, frame, parse) and the store (dictionary,
 * SQLite inserts, raw blocks) each take about half the time of an ingest, so
 * they run on two threads: the parse side appends operations to a batch, and
 * full batches go through a bounded queue to this thread, which applies them
 * in order. A batch owns copies of everything it refers to: the events'
 * strings that pointed into the raw record are rebased onto the batch's copy
 * of the record (events of one record share it), other strings are copied.
 * Memory is bounded by QUEUE_DEPTH batches of about BATCH_BYTES each.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/arena.h>

#include "ingest-int.h"

#define BATCH_BYTES (4u << 20)
#define BATCH_OPS 8192
#define QUEUE_DEPTH 3

enum op_kind { OP_BEGIN, OP_EVENT, OP_QUARANTINE, OP_END, OP_ALERT, OP_CORR };

struct op {
    enum op_kind kind;
    bool check_dup;
    uint64_t offset, line;
    const char *reason;
    struct ty_str raw;
    struct ty_event *ev;
    struct ty_evidence *evid;
    struct ty_alert *alert;      /* OP_ALERT: cites the event stored last */
    const char *corr;            /* OP_CORR: correlation uid; ts, rule, group, value */
    int64_t ts;
    uint32_t rule;
    struct ty_str group, value;
};

struct batch {
    struct ty_arena arena;
    struct op *ops;
    unsigned n_ops;
    /* the last raw record copied, so events of one record share the copy */
    const char *src_raw;
    size_t src_len;
    uint64_t src_offset;
    const char *copy_raw;
};

struct ty__writer {
    struct ty_store *st;
    void (*diag)(void *arg, const char *msg);
    void *diag_arg;
    pthread_t thread;
    bool running;
    pthread_mutex_t mu;
    pthread_cond_t cv_work, cv_space;
    struct batch *queue[QUEUE_DEPTH];
    unsigned q_head, q_len;
    struct batch *spare[QUEUE_DEPTH + 1];
    unsigned n_spare;
    bool closing;
    int rc; /* first error of the writer */
    struct ty_err err;
    struct batch *cur; /* being filled by the parse side */
    /* writer thread state */
    int64_t cur_id;
    int64_t last_event_id; /* the event the next alert or correlation input cites */
    uint64_t stream_alerts; /* alerts written for the stream begun last */
    struct ty__writer_dups dups;
};

static struct batch *batch_new(void)
{
    struct batch *b = calloc(1, sizeof(*b));
    if (!b)
        return NULL;
    b->ops = malloc(BATCH_OPS * sizeof(*b->ops));
    if (!b->ops) {
        free(b);
        return NULL;
    }
    ty_arena_init(&b->arena, 1u << 20, 0);
    return b;
}

static void batch_reset(struct batch *b)
{
    ty_arena_reset(&b->arena);
    b->n_ops = 0;
    b->src_raw = NULL;
    b->copy_raw = NULL;
}

static void batch_free(struct batch *b)
{
    if (!b)
        return;
    ty_arena_release(&b->arena);
    free(b->ops);
    free(b);
}

/* ---- the writer thread ---- */

static void wdiag(struct ty__writer *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void wdiag(struct ty__writer *w, const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    if (w->diag)
        w->diag(w->diag_arg, line);
    else
        fprintf(stderr, "tyto: %s\n", line);
}

static int apply(struct ty__writer *w, struct op *o, struct ty_err *err)
{
    int rc;
    switch (o->kind) {
    case OP_BEGIN:
        if ((rc = ty_store_savepoint(w->st, err)))
            return rc;
        o->evid->id = 0;
        if ((rc = ty_store_evidence_put(w->st, o->evid, err)))
            return rc;
        w->cur_id = o->evid->id;
        w->stream_alerts = 0;
        return 0;
    case OP_EVENT:
        return ty_store_event_add(w->st, w->cur_id, o->ev, &w->last_event_id, err);
    case OP_ALERT:
        o->alert->event_id = w->last_event_id;
        o->alert->evidence_id = w->cur_id;
        w->stream_alerts++;
        return ty_store_alert_add(w->st, o->alert, err);
    case OP_CORR:
        return ty_store_corr_add(w->st, o->corr, o->ts, o->rule, w->last_event_id, o->group,
                                 o->value, err);
    case OP_QUARANTINE:
        return ty_store_quarantine_add(w->st, w->cur_id, o->offset, o->line, o->reason, o->raw,
                                       err);
    case OP_END:
        o->evid->id = w->cur_id;
        if (o->check_dup && o->evid->sha256[0]) {
            int64_t id = 0;
            if ((rc = ty_store_evidence_by_sha(w->st, o->evid->sha256, &id, err)))
                return rc;
            if (id && id != w->cur_id) {
                if ((rc = ty_store_rollback_to(w->st, err)))
                    return rc;
                w->dups.streams++;
                w->dups.records += o->evid->records;
                w->dups.events += o->evid->events;
                w->dups.quarantined += o->evid->quarantined;
                w->dups.alerts += w->stream_alerts;
                wdiag(w, "%s: already in the case (evidence #%lld, same SHA-256): skipped",
                      o->evid->path, (long long)id);
                return ty_store_release(w->st, err);
            }
        }
        if ((rc = ty_store_evidence_put(w->st, o->evid, err)))
            return rc;
        return ty_store_release(w->st, err);
    }
    return 0;
}

static void *writer_main(void *arg)
{
    struct ty__writer *w = arg;
    struct ty_err err;
    ty_err_clear(&err);
    for (;;) {
        pthread_mutex_lock(&w->mu);
        while (w->q_len == 0 && !w->closing)
            pthread_cond_wait(&w->cv_work, &w->mu);
        if (w->q_len == 0) {
            pthread_mutex_unlock(&w->mu);
            break;
        }
        struct batch *b = w->queue[w->q_head];
        bool skip = w->rc != 0;
        pthread_mutex_unlock(&w->mu);

        int rc = 0;
        for (unsigned i = 0; !skip && i < b->n_ops && rc == 0; i++)
            rc = apply(w, &b->ops[i], &err);
        batch_reset(b);

        pthread_mutex_lock(&w->mu);
        if (rc && !w->rc) {
            w->rc = rc;
            w->err = err;
        }
        w->q_head = (w->q_head + 1) % QUEUE_DEPTH;
        w->q_len--;
        w->spare[w->n_spare++] = b;
        pthread_cond_signal(&w->cv_space);
        pthread_mutex_unlock(&w->mu);
    }
    return NULL;
}

/* ---- the parse side ---- */

static int failed(struct ty__writer *w, struct ty_err *err)
{
    pthread_mutex_lock(&w->mu);
    int rc = w->rc;
    if (rc && err)
        *err = w->err;
    pthread_mutex_unlock(&w->mu);
    return rc;
}

/* Hand the current batch to the writer and take an empty one. */
static int flush(struct ty__writer *w, struct ty_err *err)
{
    struct batch *b = w->cur;
    if (!b || b->n_ops == 0)
        return failed(w, err);
    pthread_mutex_lock(&w->mu);
    while (w->q_len == QUEUE_DEPTH && !w->rc)
        pthread_cond_wait(&w->cv_space, &w->mu);
    int rc = w->rc;
    if (rc) {
        if (err)
            *err = w->err;
        pthread_mutex_unlock(&w->mu);
        return rc;
    }
    w->queue[(w->q_head + w->q_len) % QUEUE_DEPTH] = b;
    w->q_len++;
    w->cur = w->n_spare ? w->spare[--w->n_spare] : NULL;
    pthread_cond_signal(&w->cv_work);
    pthread_mutex_unlock(&w->mu);
    if (!w->cur && !(w->cur = batch_new()))
        return ty_err_set(err, TY_ENOMEM, "out of memory for an ingest batch");
    return 0;
}

static int room(struct ty__writer *w, size_t bytes, struct ty_err *err)
{
    struct batch *b = w->cur;
    if (b->n_ops < BATCH_OPS && b->arena.used_total + bytes <= BATCH_BYTES)
        return failed(w, err);
    return flush(w, err);
}

static struct op *op_new(struct ty__writer *w, enum op_kind kind)
{
    struct op *o = &w->cur->ops[w->cur->n_ops++];
    memset(o, 0, sizeof(*o));
    o->kind = kind;
    return o;
}

static const char *dup_cstr(struct ty_arena *a, const char *s)
{
    return s ? ty_arena_memdup(a, s, strlen(s)) : NULL;
}

static struct ty_evidence *dup_evidence(struct ty_arena *a, const struct ty_evidence *ev)
{
    struct ty_evidence *c = ty_arena_alloc(a, sizeof(*c));
    if (!c)
        return NULL;
    *c = *ev;
    c->path = dup_cstr(a, ev->path);
    c->codec = dup_cstr(a, ev->codec);
    c->format = dup_cstr(a, ev->format);
    c->shape = dup_cstr(a, ev->shape);
    c->status = dup_cstr(a, ev->status);
    c->note = dup_cstr(a, ev->note);
    if ((ev->path && !c->path) || (ev->codec && !c->codec) || (ev->format && !c->format) ||
        (ev->shape && !c->shape) || (ev->status && !c->status) || (ev->note && !c->note))
        return NULL;
    return c;
}

int ty__writer_begin(struct ty__writer *w, const struct ty_evidence *ev, struct ty_err *err)
{
    int rc = room(w, 4096, err);
    if (rc)
        return rc;
    struct ty_evidence *c = dup_evidence(&w->cur->arena, ev);
    if (!c)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    op_new(w, OP_BEGIN)->evid = c;
    return 0;
}

int ty__writer_end(struct ty__writer *w, const struct ty_evidence *ev, bool check_dup,
                   struct ty_err *err)
{
    int rc = room(w, 4096, err);
    if (rc)
        return rc;
    struct ty_evidence *c = dup_evidence(&w->cur->arena, ev);
    if (!c)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    struct op *o = op_new(w, OP_END);
    o->evid = c;
    o->check_dup = check_dup;
    return 0;
}

int ty__writer_event(struct ty__writer *w, const struct ty_event *ev, struct ty_err *err)
{
    size_t need = sizeof(*ev) + ev->raw.len + 256;
    int rc = room(w, need, err);
    if (rc)
        return rc;
    struct batch *b = w->cur;
    struct ty_event *c = ty_arena_alloc(&b->arena, sizeof(*c));
    if (!c)
        return ty_err_set(err, TY_ENOMEM, "out of memory for an ingest batch");
    memcpy(c, ev, sizeof(*c));
    /* the raw record, once per record */
    const char *rp = ev->raw.p;
    size_t rl = ev->raw.len;
    if (rp) {
        if (!(b->src_raw == rp && b->src_len == rl && b->src_offset == ev->offset &&
              b->copy_raw)) {
            b->copy_raw = ty_arena_memdup(&b->arena, rp, rl);
            if (!b->copy_raw)
                return ty_err_set(err, TY_ENOMEM, "out of memory for an ingest batch");
            b->src_raw = rp;
            b->src_len = rl;
            b->src_offset = ev->offset;
        }
        c->raw = (struct ty_str){b->copy_raw, rl};
    }
    for (int f = 0; f < TY_F__COUNT; f++) {
        if (ty_fields[f].type != TY_FT_STR || !ty_event_has(ev, (enum ty_field)f))
            continue;
        struct ty_str s = ev->v[f].s;
        if (rp && s.p >= rp && s.p + s.len <= rp + rl) {
            c->v[f].s.p = b->copy_raw + (s.p - rp);
        } else {
            c->v[f].s = ty_arena_str(&b->arena, s);
            if (!c->v[f].s.p)
                return ty_err_set(err, TY_ENOMEM, "out of memory for an ingest batch");
        }
    }
    op_new(w, OP_EVENT)->ev = c;
    return 0;
}

int ty__writer_alert(struct ty__writer *w, const struct ty_alert *a, struct ty_err *err)
{
    const char *str[] = {a->rule_uid, a->kind, a->matched, a->summary, a->refs, a->group_key};
    size_t need = sizeof(struct ty_alert) + 64;
    for (size_t i = 0; i < sizeof(str) / sizeof(str[0]); i++)
        need += str[i] ? strlen(str[i]) + 1 : 0;
    int rc = room(w, need, err);
    if (rc)
        return rc;
    struct ty_arena *ar = &w->cur->arena;
    struct ty_alert *c = ty_arena_alloc(ar, sizeof(*c));
    if (!c)
        return ty_err_set(err, TY_ENOMEM, "out of memory for an ingest batch");
    *c = *a;
    c->rule_uid = dup_cstr(ar, a->rule_uid);
    c->kind = dup_cstr(ar, a->kind);
    c->matched = dup_cstr(ar, a->matched);
    c->summary = dup_cstr(ar, a->summary);
    c->refs = dup_cstr(ar, a->refs);
    c->group_key = dup_cstr(ar, a->group_key);
    if (!c->rule_uid || !c->kind || !c->matched || !c->summary || !c->refs || !c->group_key)
        return ty_err_set(err, TY_ENOMEM, "out of memory for an ingest batch");
    op_new(w, OP_ALERT)->alert = c;
    return 0;
}

int ty__writer_corr(struct ty__writer *w, const char *corr, int64_t ts, uint32_t rule,
                    struct ty_str group, struct ty_str value, struct ty_err *err)
{
    int rc = room(w, strlen(corr) + group.len + value.len + 64, err);
    if (rc)
        return rc;
    struct ty_arena *ar = &w->cur->arena;
    struct op *o = op_new(w, OP_CORR);
    o->corr = dup_cstr(ar, corr);
    o->ts = ts;
    o->rule = rule;
    o->group = group.len ? ty_arena_str(ar, group) : TY_STR_LIT("");
    o->value = value.p ? (value.len ? ty_arena_str(ar, value) : TY_STR_LIT("")) : TY_STR_NULL;
    if (!o->corr || !o->group.p || (value.p && !o->value.p))
        return ty_err_set(err, TY_ENOMEM, "out of memory for an ingest batch");
    return 0;
}

int ty__writer_quarantine(struct ty__writer *w, uint64_t offset, uint64_t line,
                          const char *reason, struct ty_str raw, struct ty_err *err)
{
    size_t keep = raw.len > 65536 ? 65536 : raw.len;
    int rc = room(w, keep + strlen(reason) + 64, err);
    if (rc)
        return rc;
    struct batch *b = w->cur;
    struct op *o = op_new(w, OP_QUARANTINE);
    o->offset = offset;
    o->line = line;
    o->reason = dup_cstr(&b->arena, reason);
    /* the store keeps up to 64 KiB; the full length is not needed here */
    o->raw = raw.p ? ty_arena_str(&b->arena, (struct ty_str){raw.p, keep}) : TY_STR_NULL;
    if (!o->reason || (raw.p && !o->raw.p))
        return ty_err_set(err, TY_ENOMEM, "out of memory for an ingest batch");
    return 0;
}

int ty__writer_start(struct ty__writer **out, struct ty_store *st,
                     void (*diag)(void *arg, const char *msg), void *diag_arg,
                     struct ty_err *err)
{
    struct ty__writer *w = calloc(1, sizeof(*w));
    *out = NULL;
    if (!w || !(w->cur = batch_new())) {
        free(w);
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    }
    w->st = st;
    w->diag = diag;
    w->diag_arg = diag_arg;
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv_work, NULL);
    pthread_cond_init(&w->cv_space, NULL);
    if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
        ty__writer_free(w);
        return ty_err_set(err, TY_ERR, "cannot start the store writer thread");
    }
    w->running = true;
    *out = w;
    return 0;
}

static void stop(struct ty__writer *w)
{
    if (!w->running)
        return;
    pthread_mutex_lock(&w->mu);
    w->closing = true;
    pthread_cond_signal(&w->cv_work);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);
    w->running = false;
}

int ty__writer_finish(struct ty__writer *w, struct ty__writer_dups *dups, struct ty_err *err)
{
    int rc = flush(w, err);
    stop(w);
    if (!rc)
        rc = failed(w, err);
    if (dups)
        *dups = w->dups;
    return rc;
}

void ty__writer_free(struct ty__writer *w)
{
    if (!w)
        return;
    if (w->running) {
        pthread_mutex_lock(&w->mu);
        if (!w->rc)
            w->rc = TY_STOP; /* discard what is queued */
        pthread_mutex_unlock(&w->mu);
        stop(w);
    }
    batch_free(w->cur);
    for (unsigned i = 0; i < w->q_len; i++)
        batch_free(w->queue[(w->q_head + i) % QUEUE_DEPTH]);
    for (unsigned i = 0; i < w->n_spare; i++)
        batch_free(w->spare[i]);
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cv_work);
    pthread_cond_destroy(&w->cv_space);
    free(w);
}
