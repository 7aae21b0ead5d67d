/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse-bodyfile-xsort.c - an external sort of byte records for the
 * filesystem timeline: records are held in one buffer up to a memory budget,
 * sorted (an index of 8-byte key prefixes plus a full compare) and, when the
 * budget is hit, written as a sorted run to an unlinked temp file; reading
 * merges the runs with a binary heap. Records are [u32 key length][key]
 * [payload]; the order is the key's bytes (memcmp, a shorter key first: Perl's
 * `cmp`), ties in insertion order (runs are merged by run index).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parse-bodyfile-int.h"

struct ent {
    uint64_t prefix;
    uint64_t off; /* into buf */
    uint32_t len; /* whole record */
};

struct run {
    FILE *f;
    char *rec;
    size_t cap;
    size_t len;
    bool live;
};

struct ty_xsort {
    size_t budget;
    char tmpdir[512];
    char *buf;
    size_t buf_len, buf_cap;
    struct ent *ents;
    size_t n_ents, cap_ents;
    struct run *runs;
    unsigned n_runs, cap_runs;
    /* reading */
    bool reading;
    size_t pos;       /* in-memory: next ent */
    unsigned *heap;   /* run indices */
    unsigned n_heap;
    int last;         /* run whose record was returned last, -1 none */
};

static inline uint32_t rd32(const char *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static uint64_t key_prefix(const char *rec, size_t len)
{
    uint32_t kl = rd32(rec);
    const unsigned char *k = (const unsigned char *)rec + 4;
    uint64_t v = 0;
    (void)len;
    for (unsigned i = 0; i < 8; i++)
        v = (v << 8) | (i < kl ? k[i] : 0);
    return v;
}

static int key_cmp(const char *a, const char *b)
{
    uint32_t la = rd32(a), lb = rd32(b);
    int c = memcmp(a + 4, b + 4, la < lb ? la : lb);
    if (c)
        return c;
    return la < lb ? -1 : la > lb;
}

static const char *sort_base;

static int ent_cmp(const void *pa, const void *pb)
{
    const struct ent *a = pa, *b = pb;
    if (a->prefix != b->prefix)
        return a->prefix < b->prefix ? -1 : 1;
    int c = key_cmp(sort_base + a->off, sort_base + b->off);
    if (c)
        return c;
    return a->off < b->off ? -1 : a->off > b->off;
}

int ty__xsort_new(struct ty_xsort **out, size_t budget, const char *tmpdir,
                  struct ty_err *err)
{
    struct ty_xsort *x = calloc(1, sizeof(*x));
    *out = NULL;
    if (!x)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    x->budget = budget < (1u << 16) ? (1u << 16) : budget;
    if (!tmpdir || !*tmpdir)
        tmpdir = getenv("TMPDIR");
    snprintf(x->tmpdir, sizeof(x->tmpdir), "%s", tmpdir && *tmpdir ? tmpdir : "/tmp");
    x->last = -1;
    *out = x;
    return 0;
}

/* Sort the buffered records and write them as one run. */
static int spill(struct ty_xsort *x, struct ty_err *err)
{
    char path[600];
    int fd;
    FILE *f;
    if (!x->n_ents)
        return 0;
    sort_base = x->buf;
    qsort(x->ents, x->n_ents, sizeof(*x->ents), ent_cmp);
    snprintf(path, sizeof(path), "%s/tyto-fs-run-XXXXXX", x->tmpdir);
    fd = mkstemp(path);
    if (fd < 0)
        return ty_err_set(err, TY_EIO, "cannot create a sort run in %s: %s", x->tmpdir,
                          strerror(errno));
    unlink(path);
    f = fdopen(fd, "w+b");
    if (!f) {
        close(fd);
        return ty_err_set(err, TY_EIO, "fdopen: %s", strerror(errno));
    }
    setvbuf(f, NULL, _IOFBF, 1 << 20);
    for (size_t i = 0; i < x->n_ents; i++) {
        uint32_t l = x->ents[i].len;
        if (fwrite(&l, 4, 1, f) != 1 || fwrite(x->buf + x->ents[i].off, l, 1, f) != 1) {
            fclose(f);
            return ty_err_set(err, TY_EIO, "writing a sort run in %s: %s", x->tmpdir,
                              strerror(errno));
        }
    }
    if (fflush(f) != 0 || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return ty_err_set(err, TY_EIO, "writing a sort run in %s: %s", x->tmpdir,
                          strerror(errno));
    }
    if (x->n_runs == x->cap_runs) {
        unsigned nc = x->cap_runs ? x->cap_runs * 2 : 16;
        struct run *r = realloc(x->runs, nc * sizeof(*r));
        if (!r) {
            fclose(f);
            return ty_err_set(err, TY_ENOMEM, "out of memory");
        }
        x->runs = r;
        x->cap_runs = nc;
    }
    memset(&x->runs[x->n_runs], 0, sizeof(x->runs[0]));
    x->runs[x->n_runs++].f = f;
    x->n_ents = 0;
    x->buf_len = 0;
    return 0;
}

int ty__xsort_add(struct ty_xsort *x, const void *rec, size_t len, struct ty_err *err)
{
    int rc;
    if (len < 4 || len > UINT32_MAX / 2 || rd32(rec) > len - 4)
        return ty_err_set(err, TY_EINVAL, "xsort: malformed record");
    size_t need = len + sizeof(struct ent);
    if (x->buf_len + x->n_ents * sizeof(struct ent) + need > x->budget && x->n_ents) {
        if ((rc = spill(x, err)) != 0)
            return rc;
    }
    if (x->buf_len + len > x->buf_cap) {
        size_t nc = x->buf_cap ? x->buf_cap * 2 : (1 << 20);
        while (nc < x->buf_len + len)
            nc *= 2;
        if (nc > x->budget && x->budget >= x->buf_len + len)
            nc = x->budget;
        char *b = realloc(x->buf, nc);
        if (!b)
            return ty_err_set(err, TY_ENOMEM, "out of memory");
        x->buf = b;
        x->buf_cap = nc;
    }
    if (x->n_ents == x->cap_ents) {
        size_t nc = x->cap_ents ? x->cap_ents * 2 : 4096;
        struct ent *e = realloc(x->ents, nc * sizeof(*e));
        if (!e)
            return ty_err_set(err, TY_ENOMEM, "out of memory");
        x->ents = e;
        x->cap_ents = nc;
    }
    memcpy(x->buf + x->buf_len, rec, len);
    x->ents[x->n_ents].prefix = key_prefix(rec, len);
    x->ents[x->n_ents].off = x->buf_len;
    x->ents[x->n_ents].len = (uint32_t)len;
    x->n_ents++;
    x->buf_len += len;
    return 0;
}

/* Read the next record of run i; false at its end. */
static int run_read(struct ty_xsort *x, unsigned i, struct ty_err *err)
{
    struct run *r = &x->runs[i];
    uint32_t l;
    if (fread(&l, 4, 1, r->f) != 1) {
        r->live = false;
        return 0;
    }
    if (l > r->cap) {
        size_t nc = r->cap ? r->cap : 256;
        while (nc < l)
            nc *= 2;
        char *p = realloc(r->rec, nc);
        if (!p)
            return ty_err_set(err, TY_ENOMEM, "out of memory");
        r->rec = p;
        r->cap = nc;
    }
    if (fread(r->rec, l, 1, r->f) != 1)
        return ty_err_set(err, TY_EIO, "sort run truncated");
    r->len = l;
    r->live = true;
    return 0;
}

static bool heap_less(struct ty_xsort *x, unsigned a, unsigned b)
{
    int c = key_cmp(x->runs[a].rec, x->runs[b].rec);
    return c < 0 || (c == 0 && a < b);
}

static void sift_down(struct ty_xsort *x, unsigned i)
{
    for (;;) {
        unsigned l = 2 * i + 1, r = l + 1, m = i;
        if (l < x->n_heap && heap_less(x, x->heap[l], x->heap[m]))
            m = l;
        if (r < x->n_heap && heap_less(x, x->heap[r], x->heap[m]))
            m = r;
        if (m == i)
            return;
        unsigned t = x->heap[i];
        x->heap[i] = x->heap[m];
        x->heap[m] = t;
        i = m;
    }
}

int ty__xsort_finish(struct ty_xsort *x, struct ty_err *err)
{
    int rc;
    x->reading = true;
    x->pos = 0;
    if (!x->n_runs) {
        sort_base = x->buf;
        if (x->n_ents)
            qsort(x->ents, x->n_ents, sizeof(*x->ents), ent_cmp);
        return 0;
    }
    if ((rc = spill(x, err)) != 0)
        return rc;
    free(x->buf);
    free(x->ents);
    x->buf = NULL;
    x->ents = NULL;
    x->buf_cap = x->cap_ents = 0;
    x->heap = calloc(x->n_runs, sizeof(*x->heap));
    if (!x->heap)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    for (unsigned i = 0; i < x->n_runs; i++) {
        setvbuf(x->runs[i].f, NULL, _IOFBF, 256 * 1024);
        if ((rc = run_read(x, i, err)) != 0)
            return rc;
        if (x->runs[i].live)
            x->heap[x->n_heap++] = i;
    }
    for (unsigned i = x->n_heap; i-- > 0;)
        sift_down(x, i);
    return 0;
}

int ty__xsort_next(struct ty_xsort *x, const void **rec, size_t *len, struct ty_err *err)
{
    int rc;
    if (!x->n_runs) {
        if (x->pos >= x->n_ents)
            return TY_EOF;
        *rec = x->buf + x->ents[x->pos].off;
        *len = x->ents[x->pos].len;
        x->pos++;
        return TY_OK;
    }
    if (x->last >= 0) {
        /* advance the run returned last */
        unsigned i = (unsigned)x->last;
        if ((rc = run_read(x, i, err)) != 0)
            return rc;
        if (!x->runs[i].live) {
            x->heap[0] = x->heap[--x->n_heap];
        }
        if (x->n_heap)
            sift_down(x, 0);
        x->last = -1;
    }
    if (!x->n_heap)
        return TY_EOF;
    unsigned top = x->heap[0];
    *rec = x->runs[top].rec;
    *len = x->runs[top].len;
    x->last = (int)top;
    return TY_OK;
}

unsigned ty__xsort_runs(const struct ty_xsort *x)
{
    return x ? x->n_runs : 0;
}

void ty__xsort_free(struct ty_xsort *x)
{
    if (!x)
        return;
    for (unsigned i = 0; i < x->n_runs; i++) {
        if (x->runs[i].f)
            fclose(x->runs[i].f);
        free(x->runs[i].rec);
    }
    free(x->runs);
    free(x->heap);
    free(x->buf);
    free(x->ents);
    free(x);
}
