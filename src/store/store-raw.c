/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store-raw.c - raw records in zstd-compressed blocks.
 *
 * Records are appended to a pending block (up to 256 KiB or 1024 records),
 * which is written as one row raw_blocks(id, n, ulen, data). data is one
 * zstd frame of: varint n, n varint record lengths, the records' bytes.
 * Events point at (raw_block, raw_index); the events of one record share its
 * slot. Reading decompresses a block once and keeps the last one.
 */
#include <stdlib.h>
#include <string.h>

#include "store/store-int.h"

#define HDR_MAX (5 * (TY__RAW_BLOCK_RECORDS + 1))
/* Largest block we accept reading back. */
#define ULEN_MAX (TY__RAW_MAX + TY__RAW_BLOCK_BYTES + HDR_MAX)

int ty__raw_init(struct ty__raw *r, struct ty_err *err)
{
    memset(r, 0, sizeof(*r));
    r->level = TY__RAW_DEFAULT_LEVEL;
    r->block_bytes = TY__RAW_BLOCK_BYTES;
    r->block_records = TY__RAW_BLOCK_RECORDS;
    r->threaded = true;
    ty_buf_init(&r->pend, TY__RAW_BLOCK_BYTES + TY__RAW_MAX);
    ty_buf_init(&r->job.data, TY__RAW_BLOCK_BYTES + TY__RAW_MAX);
    ty_buf_init(&r->job.out, ZSTD_COMPRESSBOUND(ULEN_MAX));
    for (int i = 0; i < TY__RAW_CACHE_BLOCKS; i++) {
        ty_buf_init(&r->cache[i].buf, ULEN_MAX);
        r->cache[i].ends = calloc(TY__RAW_BLOCK_RECORDS, sizeof(*r->cache[i].ends));
        if (!r->cache[i].ends)
            return ty_err_set(err, TY_ENOMEM, "case store: out of memory");
    }
    pthread_mutex_init(&r->mu, NULL);
    pthread_cond_init(&r->cv, NULL);
    r->cctx = ZSTD_createCCtx();
    r->dctx = ZSTD_createDCtx();
    r->pend_lens = calloc(TY__RAW_BLOCK_RECORDS, sizeof(*r->pend_lens));
    r->job.lens = calloc(TY__RAW_BLOCK_RECORDS, sizeof(*r->job.lens));
    if (!r->cctx || !r->dctx || !r->pend_lens || !r->job.lens)
        return ty_err_set(err, TY_ENOMEM, "case store: out of memory");
    return 0;
}

void ty__raw_release(struct ty__raw *r)
{
    if (r->thread_started) {
        pthread_mutex_lock(&r->mu);
        r->quit = true;
        pthread_cond_broadcast(&r->cv);
        pthread_mutex_unlock(&r->mu);
        pthread_join(r->thread, NULL);
    }
    pthread_mutex_destroy(&r->mu);
    pthread_cond_destroy(&r->cv);
    ZSTD_freeCCtx(r->cctx);
    ZSTD_freeDCtx(r->dctx);
    ty_buf_release(&r->pend);
    ty_buf_release(&r->job.data);
    ty_buf_release(&r->job.out);
    for (int i = 0; i < TY__RAW_CACHE_BLOCKS; i++) {
        ty_buf_release(&r->cache[i].buf);
        free(r->cache[i].ends);
    }
    free(r->pend_lens);
    free(r->job.lens);
    memset(r, 0, sizeof(*r));
}

int ty__raw_sync(struct ty_store *st, struct ty_err *err)
{
    sqlite3_stmt *s = NULL;
    int rc = 0;
    if (sqlite3_prepare_v2(st->db, "SELECT coalesce(max(id), 0) + 1 FROM raw_blocks", -1, &s,
                           NULL) != SQLITE_OK)
        return ty__store_dberr(st, err, "reading raw blocks");
    if (sqlite3_step(s) == SQLITE_ROW)
        st->raw.pend_id = sqlite3_column_int64(s, 0);
    else
        rc = ty__store_dberr(st, err, "reading raw blocks");
    sqlite3_finalize(s);
    /* a block id may be reused after a rollback: the cached copies are stale */
    for (int i = 0; i < TY__RAW_CACHE_BLOCKS; i++)
        st->raw.cache[i].id = 0;
    return rc;
}

/* Give back the memory of an outsized record, keep the usual size. */
static void trim(struct ty_buf *b, size_t usual)
{
    if (b->alloc > 4 * usual + 4096)
        ty_buf_release(b);
    else
        ty_buf_reset(b);
}

/* Wait for the compressor to finish the job in flight; the job is then the
 * writer's again. */
static void job_take(struct ty__raw *r)
{
    if (!r->inflight)
        return;
    pthread_mutex_lock(&r->mu);
    while (r->state == TY__JOB_QUEUED)
        pthread_cond_wait(&r->cv, &r->mu);
    r->state = TY__JOB_IDLE;
    pthread_mutex_unlock(&r->mu);
    r->inflight = false;
}

void ty__raw_discard(struct ty_store *st)
{
    struct ty__raw *r = &st->raw;
    job_take(r);
    trim(&r->pend, r->block_bytes);
    r->pend_n = 0;
    r->last_valid = false;
    for (int i = 0; i < TY__RAW_CACHE_BLOCKS; i++)
        r->cache[i].id = 0;
}

static size_t put_varint(uint8_t *p, uint64_t v)
{
    size_t n = 0;
    while (v >= 0x80) {
        p[n++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    p[n++] = (uint8_t)v;
    return n;
}

static int get_varint(const uint8_t *p, size_t len, size_t *pos, uint64_t *v)
{
    uint64_t x = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
        if (*pos >= len)
            return -1;
        uint8_t c = p[(*pos)++];
        x |= (uint64_t)(c & 0x7f) << shift;
        if (!(c & 0x80)) {
            *v = x;
            return 0;
        }
    }
    return -1;
}

/* Compress job j into j->out: [varint n][n varint lengths][records]. */
static void compress_job(ZSTD_CCtx *cctx, int level, struct ty__rawjob *j)
{
    uint8_t hdr[HDR_MAX];
    size_t hlen = 0, bound, z;

    j->zerr = 0;
    hlen += put_varint(hdr + hlen, j->n);
    for (unsigned i = 0; i < j->n; i++)
        hlen += put_varint(hdr + hlen, j->lens[i]);
    j->ulen = hlen + j->data.len;
    bound = ZSTD_compressBound(j->ulen);
    ty_buf_reset(&j->out);
    if (ty_buf_grow(&j->out, bound)) {
        j->zerr = (size_t)-1;
        return;
    }
    ZSTD_CCtx_reset(cctx, ZSTD_reset_session_only);
    ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, level);
    ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1);
    ZSTD_CCtx_setPledgedSrcSize(cctx, j->ulen);
    ZSTD_outBuffer ob = {j->out.buf, bound, 0};
    ZSTD_inBuffer ih = {hdr, hlen, 0};
    ZSTD_inBuffer ib = {j->data.buf, j->data.len, 0};
    do
        z = ZSTD_compressStream2(cctx, &ob, &ih, ZSTD_e_continue);
    while (!ZSTD_isError(z) && ih.pos < ih.size && ob.pos < ob.size);
    if (!ZSTD_isError(z)) {
        do
            z = ZSTD_compressStream2(cctx, &ob, &ib, ZSTD_e_end);
        while (!ZSTD_isError(z) && z != 0 && ob.pos < ob.size);
    }
    if (ZSTD_isError(z))
        j->zerr = z;
    else if (z != 0)
        j->zerr = (size_t)-1;
    j->out.len = ob.pos;
}

static void *worker(void *arg)
{
    struct ty__raw *r = arg;
    pthread_mutex_lock(&r->mu);
    for (;;) {
        while (r->state != TY__JOB_QUEUED && !r->quit)
            pthread_cond_wait(&r->cv, &r->mu);
        if (r->quit)
            break;
        pthread_mutex_unlock(&r->mu);
        compress_job(r->cctx, r->level, &r->job);
        pthread_mutex_lock(&r->mu);
        r->state = TY__JOB_DONE;
        pthread_cond_broadcast(&r->cv);
    }
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

/* Wait for the job in flight and put its frame into the table. */
static int job_finish(struct ty_store *st, struct ty_err *err)
{
    struct ty__raw *r = &st->raw;
    struct ty__rawjob *j = &r->job;
    int rc;

    if (!r->inflight)
        return 0;
    job_take(r);
    if (j->zerr)
        return ty_err_set(err, TY_ERR, "case store: compressing raw block %lld: %s",
                          (long long)j->id,
                          j->zerr == (size_t)-1 ? "out of memory" : ZSTD_getErrorName(j->zerr));
    rc = ty__store_prep(st, &st->ins_block,
                        "INSERT INTO raw_blocks(id, n, ulen, data) VALUES(?1, ?2, ?3, ?4)", err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st->ins_block, 1, j->id);
    sqlite3_bind_int64(st->ins_block, 2, j->n);
    sqlite3_bind_int64(st->ins_block, 3, (int64_t)j->ulen);
    sqlite3_bind_blob(st->ins_block, 4, j->out.buf, (int)j->out.len, SQLITE_STATIC);
    if (sqlite3_step(st->ins_block) != SQLITE_DONE)
        rc = ty__store_dberr(st, err, "writing a raw block");
    sqlite3_reset(st->ins_block);
    if (rc)
        return rc;
    r->blocks_written++;
    r->bytes_in += j->ulen;
    r->bytes_out += j->out.len;
    trim(&j->out, ZSTD_compressBound(r->block_bytes + HDR_MAX));
    return 0;
}

/* Hand the pending block to the compressor (after the one before it is in
 * the table); the next block starts empty. */
static int rotate(struct ty_store *st, struct ty_err *err)
{
    struct ty__raw *r = &st->raw;
    struct ty__rawjob *j = &r->job;
    int rc;

    if (r->pend_n == 0)
        return 0;
    rc = job_finish(st, err);
    if (rc)
        return rc;
    struct ty_buf tb = j->data;
    uint32_t *tl = j->lens;
    j->data = r->pend;
    j->lens = r->pend_lens;
    j->n = r->pend_n;
    j->id = r->pend_id;
    r->pend = tb;
    r->pend_lens = tl;
    r->pend_n = 0;
    r->pend_id++;
    trim(&r->pend, r->block_bytes);

    if (r->threaded && !r->thread_started) {
        if (pthread_create(&r->thread, NULL, worker, r) == 0)
            r->thread_started = true;
        else
            r->threaded = false; /* go on without it */
    }
    r->inflight = true;
    if (r->threaded) {
        pthread_mutex_lock(&r->mu);
        r->state = TY__JOB_QUEUED;
        pthread_cond_broadcast(&r->cv);
        pthread_mutex_unlock(&r->mu);
        return 0;
    }
    compress_job(r->cctx, r->level, j);
    return job_finish(st, err);
}

int ty__raw_flush(struct ty_store *st, struct ty_err *err)
{
    int rc = rotate(st, err);
    if (rc == 0)
        rc = job_finish(st, err);
    return rc;
}

int ty__raw_put(struct ty_store *st, int64_t evidence_id, const struct ty_event *ev,
                int64_t *block, uint32_t *index, struct ty_err *err)
{
    struct ty__raw *r = &st->raw;
    int rc;

    *block = 0;
    *index = 0;
    if (!ev->raw.p || ev->raw.len == 0)
        return 0;
    if (ev->sub > 0 && r->last_valid && r->last_evidence == evidence_id &&
        r->last_offset == ev->offset && r->last_p == ev->raw.p && r->last_len == ev->raw.len) {
        *block = r->last_block;
        *index = r->last_index;
        return 0;
    }
    if (ev->raw.len > TY__RAW_MAX)
        return ty_err_set(err, TY_ETOOBIG,
                          "case store: raw record at offset %llu is %zu bytes (limit %zu)",
                          (unsigned long long)ev->offset, ev->raw.len, (size_t)TY__RAW_MAX);
    if (r->pend_n >= r->block_records ||
        (r->pend_n > 0 && r->pend.len + ev->raw.len > r->block_bytes)) {
        rc = rotate(st, err);
        if (rc)
            return rc;
    }
    if (ty_buf_add(&r->pend, ev->raw.p, ev->raw.len))
        return ty_err_set(err, TY_ENOMEM, "case store: out of memory for a raw record");
    r->pend_lens[r->pend_n] = (uint32_t)ev->raw.len;
    *block = r->pend_id;
    *index = r->pend_n++;
    r->last_valid = true;
    r->last_evidence = evidence_id;
    r->last_offset = ev->offset;
    r->last_p = ev->raw.p;
    r->last_len = ev->raw.len;
    r->last_block = *block;
    r->last_index = *index;
    return 0;
}

/* Decompress block id into cache slot c. */
static int load_block(struct ty_store *st, int64_t id, struct ty__rawcache *c, struct ty_err *err)
{
    struct ty__raw *r = &st->raw;
    int64_t n, ulen;
    size_t pos = 0, sum = 0;
    uint64_t v;
    int rc;

    c->id = 0;
    rc = ty__store_prep(st, &st->get_block, "SELECT n, ulen, data FROM raw_blocks WHERE id = ?1",
                        err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st->get_block, 1, id);
    int step = sqlite3_step(st->get_block);
    if (step != SQLITE_ROW) {
        rc = step == SQLITE_DONE
                 ? ty_err_set(err, TY_EDB, "case store: raw block %lld is missing",
                              (long long)id)
                 : ty__store_dberr(st, err, "reading a raw block");
        goto out;
    }
    n = sqlite3_column_int64(st->get_block, 0);
    ulen = sqlite3_column_int64(st->get_block, 1);
    const void *data = sqlite3_column_blob(st->get_block, 2);
    size_t dlen = (size_t)sqlite3_column_bytes(st->get_block, 2);
    if (n <= 0 || n > TY__RAW_BLOCK_RECORDS || ulen <= 0 || (uint64_t)ulen > ULEN_MAX || !data) {
        rc = ty_err_set(err, TY_EDB, "case store: raw block %lld has a bad header",
                        (long long)id);
        goto out;
    }
    trim(&c->buf, TY__RAW_BLOCK_BYTES + HDR_MAX);
    if (ty_buf_grow(&c->buf, (size_t)ulen)) {
        rc = ty_err_set(err, TY_ENOMEM, "case store: out of memory reading raw block");
        goto out;
    }
    size_t got = ZSTD_decompressDCtx(r->dctx, c->buf.buf, (size_t)ulen, data, dlen);
    if (ZSTD_isError(got) || got != (size_t)ulen) {
        rc = ty_err_set(err, TY_EDB, "case store: raw block %lld is corrupt (%s)", (long long)id,
                        ZSTD_isError(got) ? ZSTD_getErrorName(got) : "wrong size");
        goto out;
    }
    c->buf.len = got;
    c->buf.buf[got] = '\0';
    const uint8_t *p = (const uint8_t *)c->buf.buf;
    if (get_varint(p, got, &pos, &v) || v != (uint64_t)n)
        goto corrupt;
    for (int64_t i = 0; i < n; i++) {
        if (get_varint(p, got, &pos, &v) || v > got)
            goto corrupt;
        sum += v;
        c->ends[i] = (uint32_t)sum;
    }
    if (pos + sum != got)
        goto corrupt;
    c->data = pos;
    c->n = (unsigned)n;
    c->id = id;
    goto out;
corrupt:
    rc = ty_err_set(err, TY_EDB, "case store: raw block %lld has a bad index", (long long)id);
out:
    sqlite3_reset(st->get_block);
    return rc;
}

int ty__raw_get(struct ty_store *st, int64_t block, int64_t index, struct ty_buf *out,
                struct ty_err *err)
{
    struct ty__raw *r = &st->raw;
    const char *p;
    size_t len;
    int rc;

    if ((block == r->pend_id && r->pend_n > 0) ||
        (block == r->job.id && r->inflight)) {
        /* not in the table yet (the compressor only reads job.data) */
        bool pend = block == r->pend_id;
        const uint32_t *lens = pend ? r->pend_lens : r->job.lens;
        unsigned n = pend ? r->pend_n : r->job.n;
        size_t off = 0;
        if (index < 0 || index >= n)
            return ty_err_set(err, TY_EDB, "case store: raw index %lld out of range",
                              (long long)index);
        for (int64_t i = 0; i < index; i++)
            off += lens[i];
        p = (pend ? r->pend.buf : r->job.data.buf) + off;
        len = lens[index];
    } else {
        struct ty__rawcache *c = NULL, *lru = &r->cache[0];
        for (int i = 0; i < TY__RAW_CACHE_BLOCKS && !c; i++) {
            if (r->cache[i].id == block)
                c = &r->cache[i];
            else if (r->cache[i].used < lru->used)
                lru = &r->cache[i];
        }
        if (!c) {
            c = lru;
            rc = load_block(st, block, c, err);
            if (rc)
                return rc;
        }
        c->used = ++r->clock;
        if (index < 0 || index >= c->n)
            return ty_err_set(err, TY_EDB, "case store: raw index %lld out of range in block %lld",
                              (long long)index, (long long)block);
        size_t start = index ? c->ends[index - 1] : 0;
        p = c->buf.buf + c->data + start;
        len = c->ends[index] - start;
    }
    if (ty_buf_add(out, p, len))
        return ty_err_set(err, TY_ETOOBIG, "case store: raw record of %zu bytes does not fit",
                          len);
    return 0;
}

int ty_store_raw(struct ty_store *st, int64_t event_id, struct ty_buf *out, struct ty_err *err)
{
    int64_t block = 0, index = 0;
    bool has = false;
    int rc;

    if (!st || st->tag != TY__STORE_TAG)
        return ty_err_set(err, TY_EINVAL, "case store: bad handle");
    rc = ty__store_prep(st, &st->get_event_raw,
                        "SELECT raw_block, raw_index FROM events WHERE id = ?1", err);
    if (rc)
        return rc;
    sqlite3_bind_int64(st->get_event_raw, 1, event_id);
    int step = sqlite3_step(st->get_event_raw);
    if (step == SQLITE_ROW) {
        has = sqlite3_column_type(st->get_event_raw, 0) != SQLITE_NULL;
        block = sqlite3_column_int64(st->get_event_raw, 0);
        index = sqlite3_column_int64(st->get_event_raw, 1);
    } else if (step == SQLITE_DONE) {
        rc = ty_err_set(err, TY_EINVAL, "case store: no event %lld", (long long)event_id);
    } else {
        rc = ty__store_dberr(st, err, "reading an event");
    }
    sqlite3_reset(st->get_event_raw);
    if (rc || !has)
        return rc;
    return ty__raw_get(st, block, index, out, err);
}
