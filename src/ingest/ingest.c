/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ingest.c - the ingest driver: walk evidence, sniff, frame, parse, store,
 * quarantine, count. One stream at a time on this thread; the store writes
 * happen on the writer thread (ingest-writer.c), in the same order.
 *
 * Accounting per stream (the "nothing lost" rule): every framed record is
 * counted once as read; it then either produced events, or was quarantined
 * (parser said TY_ECORRUPT, the framer could not cut it, or the parser
 * emitted nothing), or was not a record at all (TY_SKIP: header lines,
 * envelopes), which the parser must justify and which is counted apart.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <tyto/arena.h>
#include <tyto/frame.h>
#include <tyto/ingest.h>
#include <tyto/input.h>
#include <tyto/json.h>
#include <tyto/parser.h>

#include "ingest-int.h"

#define HEAD_BYTES (64 * 1024)

/* SHA-256 digests (hex) of the evidence already in the case or begun in
 * this run: a stream hashed before it is read is skipped when it is here. */
struct hashset {
    char (*keys)[65];
    size_t cap, n;
};

static int hashset_add(struct hashset *h, const char *hex)
{
    if (h->n * 2 >= h->cap) {
        size_t ncap = h->cap ? h->cap * 2 : 1024;
        char(*nk)[65] = calloc(ncap, sizeof(*nk));
        if (!nk)
            return TY_ENOMEM;
        for (size_t i = 0; i < h->cap; i++) {
            if (!h->keys[i][0])
                continue;
            size_t j = ty_str_hash(ty_str_cstr(h->keys[i])) & (ncap - 1);
            while (nk[j][0])
                j = (j + 1) & (ncap - 1);
            memcpy(nk[j], h->keys[i], 65);
        }
        free(h->keys);
        h->keys = nk;
        h->cap = ncap;
    }
    size_t j = ty_str_hash(ty_str_cstr(hex)) & (h->cap - 1);
    while (h->keys[j][0]) {
        if (strcmp(h->keys[j], hex) == 0)
            return 0;
        j = (j + 1) & (h->cap - 1);
    }
    snprintf(h->keys[j], 65, "%s", hex);
    h->n++;
    return 0;
}

static bool hashset_has(const struct hashset *h, const char *hex)
{
    if (!h->cap || !hex[0])
        return false;
    size_t j = ty_str_hash(ty_str_cstr(hex)) & (h->cap - 1);
    while (h->keys[j][0]) {
        if (strcmp(h->keys[j], hex) == 0)
            return true;
        j = (j + 1) & (h->cap - 1);
    }
    return false;
}

static int known_evidence(void *arg, const struct ty_evidence *ev)
{
    /* a stream that failed may be ingested again */
    if (strcmp(ev->status, "error") == 0)
        return 0;
    return ev->sha256[0] ? hashset_add(arg, ev->sha256) : 0;
}

struct run {
    struct ty_store *st;
    struct ty__writer *w; /* the store writer, when there is a store */
    struct hashset known;
    const struct ty_ingest_opts *opts;
    struct ty_ingest_stats *stats;
    struct ty_err *err; /* the fatal error of the run */
    struct ty_arena arena;
    struct ty_json_doc json;
    /* current stream */
    struct ty_evidence ev;
    const char *name;
    char shape[64];
    unsigned n_diag;
    int store_rc;
    struct ty_err store_err;
    /* streaming detection, when opts->rules is set */
    struct ty_detector *det;
    struct ty_detect_sink dsink;
    /* the case file and its journals, never evidence */
    bool have_case;
    dev_t case_dev;
    ino_t case_ino;
    /* progress */
    double last_draw;
    double t0;
};

static double now_sec(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void diag(struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void diag(struct run *r, const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    if (r->opts->progress)
        fputs("\r\033[K", stderr);
    if (r->opts->diag)
        r->opts->diag(r->opts->arg, line);
    else
        fprintf(stderr, "tyto: %s\n", line);
}

static void progress(struct run *r, bool final)
{
    if (!r->opts->progress)
        return;
    double t = now_sec();
    if (!final && t - r->last_draw < 0.2)
        return;
    r->last_draw = t;
    double el = t - r->t0;
    double mb = (double)r->stats->bytes / 1e6;
    fprintf(stderr, "\r\033[K[ingest] %llu files  %.1f MB  %llu events  %llu quarantined  %.0f MB/s",
            (unsigned long long)r->stats->streams, mb, (unsigned long long)r->stats->events,
            (unsigned long long)r->stats->quarantined, el > 0 ? mb / el : 0.0);
    if (final)
        fputc('\n', stderr);
}

/* Detection results go to the writer right behind their event. */
static int det_alert(void *arg, struct ty_alert *a)
{
    struct run *r = arg;
    return ty__writer_alert(r->w, a, &r->store_err);
}

static int det_corr(void *arg, const char *corr, int64_t ts, uint32_t rule, struct ty_str group,
                    struct ty_str value)
{
    struct run *r = arg;
    return ty__writer_corr(r->w, corr, ts, rule, group, value, &r->store_err);
}

/* The sink of ty_parse_emit: store the event, keep counts and time range. */
static int sink(void *arg, struct ty_event *e)
{
    struct run *r = arg;
    if (r->w) {
        int rc = ty__writer_event(r->w, e, &r->store_err);
        if (rc) {
            r->store_rc = rc;
            return rc;
        }
    }
    if (r->det) {
        int rc = ty_detector_event(r->det, e, &r->dsink, &r->stats->detect);
        if (rc) {
            r->store_rc = rc;
            return rc;
        }
    }
    r->ev.events++;
    r->stats->events++;
    if (ty_event_has(e, TY_F_TS)) {
        int64_t t = e->v[TY_F_TS].i;
        if (r->ev.ts_min == 0 || t < r->ev.ts_min)
            r->ev.ts_min = t;
        if (r->ev.ts_max == 0 || t > r->ev.ts_max)
            r->ev.ts_max = t;
    }
    if (r->opts->on_event)
        return r->opts->on_event(r->opts->arg, e, r->name);
    return 0;
}

static int quarantine(struct run *r, const struct ty_record *rec, const char *reason)
{
    r->ev.quarantined++;
    r->stats->quarantined++;
    unsigned max = r->opts->max_diag_per_file ? r->opts->max_diag_per_file : 10;
    if (r->n_diag < max)
        diag(r, "%s:%llu: offset %llu: %s", r->name, (unsigned long long)rec->line,
             (unsigned long long)rec->offset, reason);
    else if (r->n_diag == max)
        diag(r, "%s: more quarantined records not shown (tyto quarantine CASE lists them)",
             r->name);
    r->n_diag++;
    if (!r->w)
        return 0;
    return ty__writer_quarantine(r->w, rec->offset, rec->line, reason,
                                 (struct ty_str){rec->p, rec->len}, r->err);
}

/* Frame and parse one recognised stream. Returns 0 or a fatal code. */
static int parse_stream(struct run *r, struct ty_input *in, const struct ty_parser *p,
                        struct ty_str head)
{
    struct ty_parse_ctx ctx;
    struct ty_framer *fr = NULL;
    struct ty_err perr;
    int rc;

    memset(&ctx, 0, sizeof(ctx));
    ctx.evidence = r->name;
    ctx.head = head;
    ctx.file_mtime = in->mtime_ns;
    ctx.arena = &r->arena;
    ctx.json = &r->json;
    ctx.emit = sink;
    ctx.sink = r;
    ctx.parser = p;
    ctx.frame.kind = TY_FRAME_LINES;
    ctx.frame.max_record = r->opts->max_record;
    ty_err_clear(&perr);
    if (p->open && (rc = p->open(&ctx, &perr)) < 0) {
        r->ev.status = "error";
        r->ev.note = perr.msg;
        diag(r, "%s: %s", r->name, perr.msg);
        return rc == TY_ENOMEM ? ty_err_set(r->err, rc, "%s", perr.msg) : 0;
    }
    snprintf(r->shape, sizeof(r->shape), "%s", ctx.shape);
    r->ev.shape = r->shape;
    if (ctx.frame.max_record == 0)
        ctx.frame.max_record = r->opts->max_record;
    rc = ty_framer_new(&fr, in, &ctx.frame, r->err);
    if (rc)
        goto out;
    for (;;) {
        struct ty_record rec;
        ty_err_clear(&perr);
        int fr_rc = ty_framer_next(fr, &rec, &perr);
        if (fr_rc == TY_EOF)
            break;
        if (fr_rc == TY_ECORRUPT) {
            r->ev.records++;
            r->stats->records++;
            r->ev.status = "partial";
            rc = quarantine(r, &rec, perr.msg);
            if (rc)
                goto out;
            continue;
        }
        if (fr_rc < 0) {
            /* the stream cannot be read on: keep what we have */
            r->ev.status = "error";
            snprintf(r->store_err.msg, sizeof(r->store_err.msg), "%s", perr.msg);
            r->ev.note = r->store_err.msg;
            r->stats->failed++;
            diag(r, "%s: offset %llu: %s", r->name, (unsigned long long)in->bytes_read,
                 perr.msg);
            if (fr_rc == TY_ENOMEM) {
                rc = ty_err_set(r->err, fr_rc, "%s", perr.msg);
                goto out;
            }
            break;
        }
        r->ev.records++;
        r->stats->records++;
        ctx.rec = &rec;
        ctx.n_emitted = 0;
        int prc = p->record(&ctx, &rec, &perr);
        if (r->store_rc) {
            rc = ty_err_set(r->err, r->store_rc, "%s", r->store_err.msg);
            goto out;
        }
        if (prc == TY_HELD && ctx.n_emitted == 0) {
            /* read and counted: its event arrives with a later record */
        } else if (prc == TY_SKIP && ctx.n_emitted == 0) {
            r->ev.records--;
            r->stats->records--;
            r->ev.skipped++;
        } else if (prc == TY_ECORRUPT || (prc == TY_OK && ctx.n_emitted == 0)) {
            rc = quarantine(r, &rec, prc == TY_OK ? "the parser found no event in the record"
                                                  : perr.msg);
            if (rc)
                goto out;
        } else if (prc < 0) {
            rc = ty_err_set(r->err, prc, "%s: offset %llu: %s", r->name,
                            (unsigned long long)rec.offset, perr.msg);
            goto out;
        }
        ty_arena_reset(&r->arena);
        r->stats->bytes += in->bytes_read - r->ev.size;
        r->ev.size = in->bytes_read;
        progress(r, false);
    }
    if (p->finish) {
        ctx.rec = NULL;
        ctx.n_emitted = 0;
        ty_err_clear(&perr);
        int frc = p->finish(&ctx, &perr);
        if (r->store_rc) {
            rc = ty_err_set(r->err, r->store_rc, "%s", r->store_err.msg);
            goto out;
        }
        if (frc < 0) {
            rc = ty_err_set(r->err, frc, "%s: end of stream: %s", r->name, perr.msg);
            goto out;
        }
    }
    rc = 0;
out:
    r->stats->bytes += in->bytes_read - r->ev.size;
    r->ev.size = in->bytes_read;
    ty_framer_free(fr);
    if (p->close)
        p->close(&ctx);
    ty_arena_reset(&r->arena);
    return rc;
}

/* Read the rest of a stream that was not parsed (unrecognized, failed open),
 * so its hash completes and its size is known. */
static void drain(struct ty_input *in)
{
    char buf[65536];
    size_t got;
    struct ty_err e;
    while (ty_input_read(in, buf, sizeof(buf), &got, &e) == TY_OK)
        ;
}

/* Whether a stream is the case file being written, or one of SQLite's
 * journal files beside it. */
static bool is_case_file(const struct run *r, const struct ty_input *in)
{
    struct stat st;
    const char *cp = r->opts->case_path;
    if (!cp || strcmp(in->name, in->disk_path) != 0 || strcmp(in->disk_path, "-") == 0)
        return false;
    if (r->have_case && stat(in->disk_path, &st) == 0 && st.st_dev == r->case_dev &&
        st.st_ino == r->case_ino)
        return true;
    /* journals: same directory and name + suffix */
    static const char *const sfx[] = {"-journal", "-wal", "-shm"};
    const char *cb = strrchr(cp, '/'), *ib = strrchr(in->disk_path, '/');
    cb = cb ? cb + 1 : cp;
    ib = ib ? ib + 1 : in->disk_path;
    size_t cn = strlen(cb);
    if (strncmp(ib, cb, cn) != 0)
        return false;
    for (size_t i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++)
        if (strcmp(ib + cn, sfx[i]) == 0)
            return true;
    return false;
}

static int on_input(void *arg, struct ty_input *in)
{
    struct run *r = arg;
    const struct ty_parser *p = NULL;
    struct ty_err perr;
    const char *hp = NULL;
    size_t hlen = 0;
    int rc, prc;

    if (is_case_file(r, in)) {
        diag(r, "%s: the case file itself: skipped", in->name);
        return 0;
    }

    r->stats->streams++;
    memset(&r->ev, 0, sizeof(r->ev));
    r->name = in->name;
    r->n_diag = 0;
    r->ev.path = in->name;
    r->ev.codec = in->codec;
    r->ev.disk_size = in->disk_size;
    r->ev.format = "";
    r->ev.shape = "";
    r->ev.status = "ok";
    r->ev.note = "";
    ty_err_clear(&perr);

    bool hashed_first = in->sha_known;
    if (hashed_first) {
        ty_input_sha256_hex(in, r->ev.sha256);
        if (hashset_has(&r->known, r->ev.sha256)) {
            r->stats->duplicates++;
            diag(r, "%s: already in the case (same SHA-256): skipped", in->name);
            return 0;
        }
        if ((rc = hashset_add(&r->known, r->ev.sha256)))
            return ty_err_set(r->err, rc, "out of memory");
    }
    if (r->w && (rc = ty__writer_begin(r->w, &r->ev, r->err)))
        return rc;

    rc = ty_input_peek(in, HEAD_BYTES, &hp, &hlen, &perr);
    if (rc < 0) {
        r->ev.status = "error";
        r->ev.note = perr.msg;
        r->stats->failed++;
        diag(r, "%s: %s", in->name, perr.msg);
        if (rc == TY_ENOMEM) {
            rc = ty_err_set(r->err, rc, "%s", perr.msg);
            goto out;
        }
    } else if (hlen == 0) {
        r->ev.status = "empty";
        r->ev.note = "empty stream";
    } else {
        struct ty_str head = {hp, hlen};
        if (r->opts->format) {
            p = ty_parser_find(r->opts->format);
            if (!p) {
                rc = ty_err_set(r->err, TY_EINVAL, "unknown format '%s' (see `tyto formats`)",
                                r->opts->format);
                goto out;
            }
        } else if ((prc = ty_parser_sniff(head, &p, &perr)) != 0 &&
                   (prc != TY_EINVAL || ty_parser_sniff_path(in->name, head, &p, &perr) != 0)) {
            r->ev.status = "unrecognized";
            snprintf(r->store_err.msg, sizeof(r->store_err.msg), "%s", perr.msg);
            r->ev.note = r->store_err.msg;
            r->stats->unrecognized++;
            diag(r, "%s: %s", in->name, perr.msg);
        }
        if (p) {
            r->ev.format = p->name;
            if ((rc = parse_stream(r, in, p, head)))
                goto out;
        }
    }

    /* streams hashed while read (stdin, members): read to the end so the
     * digest is final, then duplicates show up */
    if (!in->sha_known)
        drain(in);
    ty_input_sha256_hex(in, r->ev.sha256);
    if (!hashed_first && r->ev.sha256[0] && hashset_add(&r->known, r->ev.sha256)) {
        rc = ty_err_set(r->err, TY_ENOMEM, "out of memory");
        goto out;
    }
    if (in->bytes_read > r->ev.size) {
        r->stats->bytes += in->bytes_read - r->ev.size;
        r->ev.size = in->bytes_read;
    }
    rc = 0;
out:
    if (r->w && (rc == 0 || rc == TY_ECORRUPT)) {
        /* streams hashed while read are checked against the case at the end */
        int rc2 = ty__writer_end(r->w, &r->ev, !hashed_first, r->err);
        if (!rc)
            rc = rc2;
    }
    return rc;
}

static void walk_diag(void *arg, int kind, const char *path, const char *msg)
{
    struct run *r = arg;
    diag(r, "%s: %s%s", path, kind == TY_WALK_ERROR ? "error: " : "", msg);
}

int ty_ingest(struct ty_store *st, const char *const *paths, size_t n_paths,
              const struct ty_ingest_opts *opts, struct ty_ingest_stats *stats,
              struct ty_err *err)
{
    struct ty_ingest_stats local;
    struct run r;
    int rc = 0;

    if (!stats)
        stats = &local;
    memset(stats, 0, sizeof(*stats));
    memset(&r, 0, sizeof(r));
    r.st = st;
    r.opts = opts;
    r.stats = stats;
    r.err = err;
    r.t0 = now_sec();
    struct stat cst;
    if (opts->case_path && stat(opts->case_path, &cst) == 0) {
        r.have_case = true;
        r.case_dev = cst.st_dev;
        r.case_ino = cst.st_ino;
    }
    ty_arena_init(&r.arena, 64 * 1024, 0);
    ty_json_doc_init(&r.json, 0, 0);

    struct ty_walk_opts wo = {.max_archive_depth = 4, .diag = walk_diag, .arg = &r};
    if (opts->format && !ty_parser_find(opts->format)) {
        rc = ty_err_set(err, TY_EINVAL, "unknown format '%s' (see `tyto formats`)", opts->format);
        goto out;
    }
    if (st) {
        if ((rc = ty_store_evidence_list(st, known_evidence, &r.known, err)))
            goto out;
        if ((rc = ty_store_begin(st, err)))
            goto out;
        if ((rc = ty__writer_start(&r.w, st, opts->diag, opts->arg, err)))
            goto out;
        if (opts->rules) {
            if ((rc = ty_detector_new(&r.det, opts->rules, err)))
                goto out;
            r.dsink = (struct ty_detect_sink){det_alert, det_corr, &r};
            if ((rc = ty_store_corr_clear(st, err)))
                goto out;
        }
    }
    for (size_t i = 0; i < n_paths; i++) {
        struct ty_err werr;
        ty_err_clear(&werr);
        rc = ty_evidence_walk(paths[i], &wo, on_input, &r, &werr);
        if (rc == TY_EIO || rc == TY_EINVAL) {
            /* the path itself cannot be opened: say so, go on with the others */
            diag(&r, "%s: %s", paths[i], werr.msg);
            stats->bad_paths++;
            rc = 0;
        } else if (rc < 0) {
            if (!err || !err->msg[0])
                ty_err_set(err, rc, "%s", werr.msg[0] ? werr.msg : ty_strerror(rc));
            goto out;
        }
    }
    if (st) {
        struct ty__writer_dups dups;
        rc = ty__writer_finish(r.w, &dups, err);
        if (rc)
            goto out;
        stats->duplicates += dups.streams;
        stats->records -= dups.records;
        stats->events -= dups.events;
        stats->quarantined -= dups.quarantined;
        /* detection ran on those events too; their alerts went with them */
        stats->detect.events -= dups.events < stats->detect.events ? dups.events
                                                                   : stats->detect.events;
        stats->detect.alerts -= dups.alerts < stats->detect.alerts ? dups.alerts
                                                                   : stats->detect.alerts;
        if ((rc = ty_store_finish_load(st, err)))
            goto out;
        rc = ty_store_commit(st, err);
    }
out:
    ty__writer_free(r.w);
    ty_detector_free(r.det);
    free(r.known.keys);
    progress(&r, true);
    ty_json_doc_release(&r.json);
    ty_arena_release(&r.arena);
    return rc;
}
