/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse-bodyfile-xsort.c - an external sort of byte records for the
 * filesystem timeline: records are held in 4 MiB blocks up to a memory
 * budget, sorted (a merge sort of an index of 16-byte key prefixes plus a
 * full compare) and, when the budget is hit, written as a sorted run to an
 * unlinked temp file; reading merges the runs with a binary heap, and 64
 * runs are merged into one as they accumulate (bounded open files and
 * buffers). Records are [u32 key length][key][payload]; the order is the
 * key's bytes (memcmp, a shorter key first: Perl's `cmp`), ties in insertion
 * order (runs are merged by run index, a merged run keeps index 0).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "parse-bodyfile-int.h"

struct ent {
    uint64_t p1, p2;  /* the key's first 16 bytes, big-endian, zero-padded */
    const char *rec;
    uint64_t len_seq; /* record length << 32 | insertion index (ties) */
};

#define BLOCK_SIZE ((size_t)4 << 20)

struct block {
    struct block *next;
    size_t used, cap;
    char data[];
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
    struct block *blocks, *cur; /* blocks kept across spills */
    size_t mem_used;            /* record bytes held */
    struct ent *ents;
    size_t n_ents, cap_ents;
    struct run *runs;
    unsigned n_runs, cap_runs;
    unsigned runs_total; /* runs spilled, before any compaction */
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

static void key_prefix(const char *rec, uint64_t *p1, uint64_t *p2)
{
    uint32_t kl = rd32(rec);
    const unsigned char *k = (const unsigned char *)rec + 4;
    uint64_t a = 0, b = 0;
    for (unsigned i = 0; i < 8; i++)
        a = (a << 8) | (i < kl ? k[i] : 0);
    for (unsigned i = 8; i < 16; i++)
        b = (b << 8) | (i < kl ? k[i] : 0);
    *p1 = a;
    *p2 = b;
}

static int key_cmp(const char *a, const char *b)
{
    uint32_t la = rd32(a), lb = rd32(b);
    int c = memcmp(a + 4, b + 4, la < lb ? la : lb);
    if (c)
        return c;
    return la < lb ? -1 : la > lb;
}

static int ent_cmp(const struct ent *a, const struct ent *b)
{
    if (a->p1 != b->p1)
        return a->p1 < b->p1 ? -1 : 1;
    if (a->p2 != b->p2)
        return a->p2 < b->p2 ? -1 : 1;
    int c = key_cmp(a->rec, b->rec);
    if (c)
        return c;
    uint32_t sa = (uint32_t)a->len_seq, sb = (uint32_t)b->len_seq;
    return sa < sb ? -1 : sa > sb;
}

static inline bool ent_le(const struct ent *a, const struct ent *b)
{
    if (a->p1 != b->p1)
        return a->p1 < b->p1;
    if (a->p2 != b->p2)
        return a->p2 < b->p2;
    return ent_cmp(a, b) <= 0;
}

/* Bottom-up merge sort (stable, n log n whatever the input); tmp holds n. */
static void sort_ents(struct ent *a, size_t n, struct ent *tmp)
{
    struct ent *src = a, *dst = tmp;
    /* runs of 8 by insertion */
    for (size_t lo = 0; lo < n; lo += 8) {
        size_t hi = lo + 8 < n ? lo + 8 : n;
        for (size_t i = lo + 1; i < hi; i++) {
            struct ent v = a[i];
            size_t j = i;
            while (j > lo && !ent_le(&a[j - 1], &v)) {
                a[j] = a[j - 1];
                j--;
            }
            a[j] = v;
        }
    }
    for (size_t w = 8; w < n; w *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * w) {
            size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                dst[k++] = ent_le(&src[i], &src[j]) ? src[i++] : src[j++];
            while (i < mid)
                dst[k++] = src[i++];
            while (j < hi)
                dst[k++] = src[j++];
        }
        struct ent *t = src;
        src = dst;
        dst = t;
    }
    if (src != a)
        memcpy(a, src, n * sizeof(*a));
}

static int sort_all(struct ty_xsort *x, struct ty_err *err)
{
    if (x->n_ents < 2)
        return 0;
    struct ent *tmp = malloc(x->n_ents * sizeof(*tmp));
    if (!tmp)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    sort_ents(x->ents, x->n_ents, tmp);
    free(tmp);
    return 0;
}

static uint32_t ent_len(const struct ent *e)
{
    return (uint32_t)(e->len_seq >> 32);
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

static void free_blocks(struct ty_xsort *x)
{
    struct block *b = x->blocks;
    while (b) {
        struct block *n = b->next;
        free(b);
        b = n;
    }
    x->blocks = x->cur = NULL;
    x->mem_used = 0;
}

#define MAX_RUNS 64           /* more runs are merged into one (bounded fds and buffers) */
#define RUN_BUF (64 * 1024)   /* stdio buffer per run */

/* An unlinked temp file for a run. */
static int new_run_file(struct ty_xsort *x, FILE **out, struct ty_err *err)
{
    char path[600];
    int fd;
    FILE *f;
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
    setvbuf(f, NULL, _IOFBF, RUN_BUF);
    *out = f;
    return 0;
}

static int put_rec(FILE *f, const void *rec, uint32_t l)
{
    return fwrite(&l, 4, 1, f) == 1 && fwrite(rec, l, 1, f) == 1 ? 0 : -1;
}

static int add_run(struct ty_xsort *x, FILE *f, struct ty_err *err)
{
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
    return 0;
}

static int start_merge(struct ty_xsort *x, struct ty_err *err);
static int compact(struct ty_xsort *x, struct ty_err *err);

/* Sort the buffered records and write them as one run. */
static int spill(struct ty_xsort *x, struct ty_err *err)
{
    FILE *f;
    if (!x->n_ents)
        return 0;
    int rc = sort_all(x, err);
    if (rc || (rc = new_run_file(x, &f, err)) != 0)
        return rc;
    for (size_t i = 0; i < x->n_ents; i++) {
        if (put_rec(f, x->ents[i].rec, ent_len(&x->ents[i])) != 0) {
            fclose(f);
            return ty_err_set(err, TY_EIO, "writing a sort run in %s: %s", x->tmpdir,
                              strerror(errno));
        }
    }
    if ((rc = add_run(x, f, err)) != 0)
        return rc;
    x->n_ents = 0;
    x->mem_used = 0;
    for (struct block *b = x->blocks; b; b = b->next)
        b->used = 0;
    x->cur = x->blocks;
    x->runs_total++;
    if (x->n_runs >= MAX_RUNS)
        return compact(x, err);
    return 0;
}

/* Room for n bytes in the block list (blocks are reused after a spill). */
static char *reserve(struct ty_xsort *x, size_t n)
{
    while (x->cur && x->cur->cap - x->cur->used < n)
        x->cur = x->cur->next;
    if (!x->cur) {
        size_t cap = n > BLOCK_SIZE ? n : BLOCK_SIZE;
        void *mem = NULL;
        if (posix_memalign(&mem, (size_t)2 << 20, sizeof(struct block) + cap) != 0)
            return NULL;
        struct block *b = mem;
        /* fewer page faults on fresh memory: transparent huge pages if allowed */
        madvise(mem, sizeof(struct block) + cap, MADV_HUGEPAGE);
        b->used = 0;
        b->cap = cap;
        b->next = NULL;
        /* append at the end so that reuse walks blocks in order */
        struct block **pp = &x->blocks;
        while (*pp)
            pp = &(*pp)->next;
        *pp = b;
        x->cur = b;
    }
    char *p = x->cur->data + x->cur->used;
    x->cur->used += n;
    return p;
}

int ty__xsort_add(struct ty_xsort *x, const void *rec, size_t len, struct ty_err *err)
{
    int rc;
    if (len < 4 || len > UINT32_MAX / 2 || rd32(rec) > len - 4)
        return ty_err_set(err, TY_EINVAL, "xsort: malformed record");
    size_t need = len + sizeof(struct ent);
    if (x->mem_used + 2 * x->n_ents * sizeof(struct ent) + need > x->budget && x->n_ents) {
        if ((rc = spill(x, err)) != 0)
            return rc;
    }
    if (x->n_ents == x->cap_ents) {
        size_t nc = x->cap_ents ? x->cap_ents * 2 : 4096;
        struct ent *e = realloc(x->ents, nc * sizeof(*e));
        if (!e)
            return ty_err_set(err, TY_ENOMEM, "out of memory");
        x->ents = e;
        x->cap_ents = nc;
    }
    char *p = reserve(x, (len + 7) & ~(size_t)7);
    if (!p)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    memcpy(p, rec, len);
    struct ent *e = &x->ents[x->n_ents];
    key_prefix(p, &e->p1, &e->p2);
    e->rec = p;
    e->len_seq = ((uint64_t)len << 32) | (uint32_t)x->n_ents;
    x->n_ents++;
    x->mem_used += len;
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
        return sort_all(x, err);
    }
    if ((rc = spill(x, err)) != 0)
        return rc;
    free_blocks(x);
    free(x->ents);
    x->ents = NULL;
    x->cap_ents = 0;
    return start_merge(x, err);
}

/* Read the first record of every run into the heap. */
static int start_merge(struct ty_xsort *x, struct ty_err *err)
{
    int rc;
    free(x->heap);
    x->n_heap = 0;
    x->last = -1;
    x->heap = calloc(x->n_runs, sizeof(*x->heap));
    if (!x->heap)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    for (unsigned i = 0; i < x->n_runs; i++) {
        if ((rc = run_read(x, i, err)) != 0)
            return rc;
        if (x->runs[i].live)
            x->heap[x->n_heap++] = i;
    }
    for (unsigned i = x->n_heap; i-- > 0;)
        sift_down(x, i);
    return 0;
}

/* Merge every run into one (a cascade: bounded open files and buffers). */
static int compact(struct ty_xsort *x, struct ty_err *err)
{
    FILE *f;
    const void *rec;
    size_t len;
    int rc;
    if ((rc = start_merge(x, err)) != 0 || (rc = new_run_file(x, &f, err)) != 0)
        return rc;
    while ((rc = ty__xsort_next(x, &rec, &len, err)) == TY_OK) {
        if (put_rec(f, rec, (uint32_t)len) != 0) {
            fclose(f);
            return ty_err_set(err, TY_EIO, "writing a sort run in %s: %s", x->tmpdir,
                              strerror(errno));
        }
    }
    if (rc != TY_EOF) {
        fclose(f);
        return rc;
    }
    for (unsigned i = 0; i < x->n_runs; i++) {
        fclose(x->runs[i].f);
        free(x->runs[i].rec);
    }
    x->n_runs = 0;
    free(x->heap);
    x->heap = NULL;
    x->n_heap = 0;
    x->last = -1;
    return add_run(x, f, err);
}

int ty__xsort_next(struct ty_xsort *x, const void **rec, size_t *len, struct ty_err *err)
{
    int rc;
    if (!x->n_runs) {
        if (x->pos >= x->n_ents)
            return TY_EOF;
        *rec = x->ents[x->pos].rec;
        *len = ent_len(&x->ents[x->pos]);
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
    return x ? x->runs_total : 0;
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
    free_blocks(x);
    free(x->ents);
    free(x);
}
