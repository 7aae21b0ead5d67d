/* SPDX-License-Identifier: Apache-2.0 */
/*
 * input.c - evidence byte streams: files, memory, archive members and the
 * decoders stacked on them (gzip and zstd in-process, bzip2 and xz through
 * libarchive's raw format), read-ahead for sniffing and peeking, SHA-256 of
 * streams hashed while read, and the public ty_input object over them.
 * Decoders deliver every byte decoded before damage, then TY_ECORRUPT.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <zstd.h>
#ifdef TY_HAVE_ZLIB
#include <zlib.h>
#endif

#include <tyto/err.h>
#include <tyto/input.h>

#include "read/read-int.h"

#define IBUF_SIZE (256 * 1024) /* compressed bytes read per refill */
#define CBUF_SIZE (64 * 1024)  /* libarchive read callback buffer */
#define MAX_PEEK (64u << 20)

struct ty__stream {
    enum ty__stream_kind kind;
    struct ty__stream *below; /* decoders: the compressed bytes */
    /* TY__ST_FD */
    int fd;
    bool regular;
    /* TY__ST_MEM */
    const uint8_t *mem;
    size_t mem_len, mem_pos, max_read, fail_at;
    uint32_t rnd;
    /* TY__ST_ENTRY: the container; TY__ST_LARC: the decoder */
    struct archive *ar;
    /* hashing of the raw bytes read at this layer */
    bool hashing;
    bool hash_failed; /* a read failed: the digest would be partial */
    struct ty__sha256 sha;
    /* read-ahead */
    uint8_t *head;
    size_t head_pos, head_len, head_cap;
    /* decoders: compressed input */
    uint8_t *ibuf;
    size_t ibuf_pos, ibuf_len;
    bool below_eof;
    void *dec; /* z_stream or ZSTD_DStream */
    bool in_member;
    size_t zlast; /* zstd: last return of ZSTD_decompressStream */
    /* libarchive reading this stream: callback buffer */
    uint8_t *cbuf;
    uint64_t out_off; /* bytes produced by this layer */
    uint64_t in_off;  /* decoders: compressed bytes consumed */
    bool ended;       /* no more raw reads */
    int pending;      /* error to return once the head is drained */
    char msg[256];    /* reason for pending or the last error */
    char codec[32];
};

enum ty__sniff ty__sniff(const uint8_t *p, size_t len)
{
    if (len >= 2 && p[0] == 0x1f && p[1] == 0x8b)
        return TY__SNIFF_GZIP;
    if (len >= 4 && memcmp(p, "\x28\xb5\x2f\xfd", 4) == 0)
        return TY__SNIFF_ZSTD;
    if (len >= 4 && memcmp(p, "BZh", 3) == 0 && p[3] >= '1' && p[3] <= '9')
        return TY__SNIFF_BZIP2;
    if (len >= 6 && memcmp(p, "\xfd\x37\x7a\x58\x5a\x00", 6) == 0)
        return TY__SNIFF_XZ;
    if (len >= 4 && (memcmp(p, "PK\x03\x04", 4) == 0 || memcmp(p, "PK\x05\x06", 4) == 0))
        return TY__SNIFF_ZIP;
    if (len >= 512) {
        /* a tar header block: the checksum (octal at 148..155) is the sum of
         * the block's bytes with the checksum field read as spaces; both
         * ustar and old-style headers must carry a valid one */
        unsigned long sum = 0, want = 0;
        size_t i = 148;
        int digits = 0;
        for (size_t k = 0; k < 512; k++)
            sum += (k >= 148 && k < 156) ? ' ' : p[k];
        while (i < 156 && p[i] == ' ')
            i++;
        for (; i < 156 && p[i] >= '0' && p[i] <= '7'; i++, digits++)
            want = want * 8 + (unsigned long)(p[i] - '0');
        if (digits > 0 && (i == 156 || p[i] == ' ' || p[i] == '\0') && want == sum &&
            p[0] != '\0')
            return TY__SNIFF_TAR;
    }
    return TY__SNIFF_PLAIN;
}

bool ty__sniff_is_compressed(enum ty__sniff s)
{
    return s == TY__SNIFF_GZIP || s == TY__SNIFF_ZSTD || s == TY__SNIFF_BZIP2 ||
           s == TY__SNIFF_XZ;
}

void ty__codec_append(char chain[32], const char *part)
{
    size_t n = strlen(chain), m = strlen(part);
    if (!m)
        return;
    if (n >= 3 && strcmp(chain + n - 3, "...") == 0)
        return;
    if (n + (n ? 1 : 0) + m < 32) {
        snprintf(chain + n, 32 - n, "%s%s", n ? "+" : "", part);
        return;
    }
    /* keep what fits and mark the cut */
    snprintf(chain + (n > 28 ? 28 : n), 4, "...");
}

/* ---------------------------------------------------------------- streams */

static int stream_new(struct ty__stream **out, enum ty__stream_kind kind)
{
    struct ty__stream *st = calloc(1, sizeof(*st));
    *out = st;
    if (!st)
        return TY_ENOMEM;
    st->kind = kind;
    st->fd = -1;
    return 0;
}

int ty__stream_fd(struct ty__stream **out, int fd, bool hash, bool regular)
{
    int rc = stream_new(out, TY__ST_FD);
    if (rc)
        return rc;
    (*out)->fd = fd;
    (*out)->regular = regular;
    if (hash) {
        if ((rc = ty__sha256_init(&(*out)->sha))) {
            ty__stream_free(*out);
            *out = NULL;
            return rc;
        }
        (*out)->hashing = true;
    }
    return 0;
}

int ty__stream_mem(struct ty__stream **out, const void *p, size_t len)
{
    int rc = stream_new(out, TY__ST_MEM);
    if (rc)
        return rc;
    (*out)->mem = p;
    (*out)->mem_len = len;
    (*out)->rnd = 0x9e3779b9u;
    (*out)->fail_at = (size_t)-1;
    return 0;
}

int ty__stream_entry(struct ty__stream **out, struct archive *a)
{
    int rc = stream_new(out, TY__ST_ENTRY);
    if (rc)
        return rc;
    (*out)->ar = a;
    if ((rc = ty__sha256_init(&(*out)->sha))) {
        ty__stream_free(*out);
        *out = NULL;
        return rc;
    }
    (*out)->hashing = true;
    return 0;
}

const char *ty__stream_codec(const struct ty__stream *st)
{
    return st->codec;
}

static int larc_open(struct ty__stream *st, const char *name);

static const char *sniff_name(enum ty__sniff s)
{
    switch (s) {
    case TY__SNIFF_GZIP: return "gzip";
    case TY__SNIFF_ZSTD: return "zstd";
    case TY__SNIFF_BZIP2: return "bzip2";
    case TY__SNIFF_XZ: return "xz";
    default: return "?";
    }
}

int ty__stream_decoder(struct ty__stream **out, enum ty__sniff s, struct ty__stream *below)
{
    struct ty__stream *st = NULL;
    int rc;
    enum ty__stream_kind kind = TY__ST_LARC;

#ifdef TY_HAVE_ZLIB
    if (s == TY__SNIFF_GZIP)
        kind = TY__ST_GZIP;
#endif
    if (s == TY__SNIFF_ZSTD)
        kind = TY__ST_ZSTD;
    if ((rc = stream_new(&st, kind)))
        goto out;
    st->below = below;
    if (kind != TY__ST_LARC && !(st->ibuf = malloc(IBUF_SIZE))) {
        rc = TY_ENOMEM;
        goto out;
    }
    switch (kind) {
#ifdef TY_HAVE_ZLIB
    case TY__ST_GZIP: {
        z_stream *z = calloc(1, sizeof(*z));
        if (!z || inflateInit2(z, 15 + 16) != Z_OK) {
            free(z);
            rc = TY_ENOMEM;
            goto out;
        }
        st->dec = z;
        snprintf(st->codec, sizeof(st->codec), "gzip");
        break;
    }
#endif
    case TY__ST_ZSTD: {
        ZSTD_DStream *z = ZSTD_createDStream();
        if (!z || ZSTD_isError(ZSTD_initDStream(z))) {
            ZSTD_freeDStream(z);
            rc = TY_ENOMEM;
            goto out;
        }
        st->dec = z;
        snprintf(st->codec, sizeof(st->codec), "zstd");
        break;
    }
    default:
        if ((rc = larc_open(st, sniff_name(s))))
            goto out;
        break;
    }
    *out = st;
    st = NULL;
out:
    ty__stream_free(st);
    if (rc)
        *out = NULL;
    return rc;
}

void ty__stream_free(struct ty__stream *st)
{
    if (!st)
        return;
#ifdef TY_HAVE_ZLIB
    if (st->kind == TY__ST_GZIP && st->dec) {
        inflateEnd(st->dec);
        free(st->dec);
    }
#endif
    if (st->kind == TY__ST_ZSTD)
        ZSTD_freeDStream(st->dec);
    if (st->kind == TY__ST_LARC && st->ar)
        archive_read_free(st->ar);
    ty__sha256_release(&st->sha);
    free(st->head);
    free(st->ibuf);
    free(st->cbuf);
    free(st);
}

/* Fail the stream: the error is returned by the read in progress (or kept
 * as pending by fill) and every later raw read ends. */
static int fail(struct ty__stream *st, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(struct ty__stream *st, int rc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(st->msg, sizeof(st->msg), fmt, ap);
    va_end(ap);
    st->ended = true;
    if (st->hashing)
        st->hash_failed = true;
    return rc;
}

static void hash(struct ty__stream *st, const void *p, size_t n)
{
    if (st->hashing)
        ty__sha256_update(&st->sha, p, n);
}

static int fd_read(struct ty__stream *st, uint8_t *buf, size_t cap, size_t *got)
{
    ssize_t n;
    do
        n = read(st->fd, buf, cap);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return fail(st, TY_EIO, "read failed at offset %llu: %s",
                    (unsigned long long)st->out_off, strerror(errno));
    if (n == 0) {
        st->ended = true;
        return TY_EOF;
    }
    hash(st, buf, (size_t)n);
    *got = (size_t)n;
    return TY_OK;
}

static int mem_read(struct ty__stream *st, uint8_t *buf, size_t cap, size_t *got)
{
    size_t n = st->mem_len - st->mem_pos;
    if (st->mem_pos >= st->fail_at)
        return fail(st, TY_ECORRUPT, "injected damage at decoded offset %zu", st->mem_pos);
    if (n > st->fail_at - st->mem_pos)
        n = st->fail_at - st->mem_pos;
    if (n == 0) {
        st->ended = true;
        return TY_EOF;
    }
    if (n > cap)
        n = cap;
    if (st->max_read) {
        /* xorshift: a fixed, varied sequence of short reads */
        st->rnd ^= st->rnd << 13;
        st->rnd ^= st->rnd >> 17;
        st->rnd ^= st->rnd << 5;
        size_t lim = 1 + st->rnd % st->max_read;
        if (n > lim)
            n = lim;
    }
    memcpy(buf, st->mem + st->mem_pos, n);
    st->mem_pos += n;
    *got = n;
    return TY_OK;
}

static int entry_read(struct ty__stream *st, uint8_t *buf, size_t cap, size_t *got)
{
    la_ssize_t n = archive_read_data(st->ar, buf, cap);
    if (n < 0) {
        const char *why = archive_error_string(st->ar);
        return fail(st, TY_ECORRUPT, "archive member unreadable at offset %llu: %s",
                    (unsigned long long)st->out_off, why ? why : "unknown error");
    }
    if (n == 0) {
        st->ended = true;
        return TY_EOF;
    }
    hash(st, buf, (size_t)n);
    *got = (size_t)n;
    return TY_OK;
}

/* Decoders: make compressed input available. TY_OK (maybe below_eof now),
 * or the error of the layer below, wrapped. */
static int refill(struct ty__stream *st)
{
    struct ty_err e;
    size_t got = 0;
    int rc;

    if (st->ibuf_pos < st->ibuf_len && st->ibuf_pos > 0) {
        memmove(st->ibuf, st->ibuf + st->ibuf_pos, st->ibuf_len - st->ibuf_pos);
        st->ibuf_len -= st->ibuf_pos;
        st->ibuf_pos = 0;
    } else if (st->ibuf_pos >= st->ibuf_len) {
        st->ibuf_pos = st->ibuf_len = 0;
    }
    if (st->below_eof || st->ibuf_len == IBUF_SIZE)
        return TY_OK;
    rc = ty__stream_read(st->below, st->ibuf + st->ibuf_len, IBUF_SIZE - st->ibuf_len, &got, &e);
    if (rc == TY_EOF) {
        st->below_eof = true;
        return TY_OK;
    }
    if (rc == TY_OK) {
        st->ibuf_len += got;
        return TY_OK;
    }
    return fail(st, rc, "%s data unreadable at decoded offset %llu: %s", st->codec,
                (unsigned long long)st->out_off, e.msg);
}

#ifdef TY_HAVE_ZLIB
/* zlib, gzip framing only; concatenated members (cat a.gz b.gz) are read
 * one after the other; zero padding after the last member is ignored. */
static int gzip_read(struct ty__stream *st, uint8_t *buf, size_t cap, size_t *got)
{
    z_stream *z = st->dec;
    size_t produced = 0;
    int rc;

    for (;;) {
        if (st->ibuf_pos == st->ibuf_len || (!st->in_member && st->ibuf_len - st->ibuf_pos < 2 &&
                                             !st->below_eof)) {
            if ((rc = refill(st)))
                goto err;
        }
        size_t avail = st->ibuf_len - st->ibuf_pos;
        if (!st->in_member) {
            const uint8_t *p = st->ibuf + st->ibuf_pos;
            if (avail == 0 && st->below_eof)
                break;
            if (avail >= 2 && p[0] == 0x1f && p[1] == 0x8b) {
                if (inflateReset2(z, 15 + 16) != Z_OK) {
                    rc = fail(st, TY_ENOMEM, "gzip: cannot reset the decoder");
                    goto err;
                }
                st->in_member = true;
                continue;
            }
            if (avail >= 2 || st->below_eof) {
                size_t k = 0;
                while (k < avail && p[k] == 0)
                    k++;
                if (k == avail) { /* zero padding */
                    st->ibuf_pos += k;
                    st->in_off += k;
                    continue;
                }
                rc = fail(st, TY_ECORRUPT,
                          "gzip: garbage after the last member at compressed offset %llu "
                          "(decoded offset %llu)",
                          (unsigned long long)st->in_off,
                          (unsigned long long)(st->out_off + produced));
                goto err;
            }
            continue;
        }
        if (produced == cap)
            break;
        z->next_in = st->ibuf + st->ibuf_pos;
        z->avail_in = (uInt)(avail > (1u << 30) ? (1u << 30) : avail);
        z->next_out = buf + produced;
        z->avail_out = (uInt)(cap - produced > (1u << 30) ? (1u << 30) : cap - produced);
        uInt in0 = z->avail_in, out0 = z->avail_out;
        int zr = inflate(z, Z_NO_FLUSH);
        st->ibuf_pos += in0 - z->avail_in;
        st->in_off += in0 - z->avail_in;
        produced += out0 - z->avail_out;
        if (zr == Z_STREAM_END) {
            st->in_member = false;
            continue;
        }
        if (zr == Z_OK || zr == Z_BUF_ERROR) {
            if (produced == cap)
                break;
            if (st->ibuf_pos == st->ibuf_len && st->below_eof) {
                rc = fail(st, TY_ECORRUPT,
                          "gzip: truncated stream at decoded offset %llu (compressed offset "
                          "%llu)",
                          (unsigned long long)(st->out_off + produced),
                          (unsigned long long)st->in_off);
                goto err;
            }
            if (zr == Z_BUF_ERROR && in0 == z->avail_in && out0 == z->avail_out &&
                st->ibuf_pos < st->ibuf_len) {
                rc = fail(st, TY_ECORRUPT, "gzip: decoder stuck at decoded offset %llu",
                          (unsigned long long)(st->out_off + produced));
                goto err;
            }
            continue;
        }
        rc = fail(st, zr == Z_MEM_ERROR ? TY_ENOMEM : TY_ECORRUPT,
                  "gzip: damaged data at decoded offset %llu (compressed offset %llu): %s",
                  (unsigned long long)(st->out_off + produced), (unsigned long long)st->in_off,
                  z->msg ? z->msg : "invalid data");
        goto err;
    }
    if (produced == 0) {
        st->ended = true;
        return TY_EOF;
    }
    *got = produced;
    return TY_OK;
err:
    if (produced) { /* deliver what decoded; the error comes next */
        st->pending = rc;
        *got = produced;
        return TY_OK;
    }
    return rc;
}
#endif

/* libzstd: concatenated and skippable frames are handled by the streaming
 * decoder; a frame cut short is reported once all output is flushed. */
static int zstd_read(struct ty__stream *st, uint8_t *buf, size_t cap, size_t *got)
{
    ZSTD_outBuffer out = {buf, cap, 0};
    int rc;

    for (;;) {
        ZSTD_inBuffer in = {st->ibuf, st->ibuf_len, st->ibuf_pos};
        size_t out0 = out.pos, in0 = st->ibuf_pos;
        size_t r = ZSTD_decompressStream(st->dec, &out, &in);
        st->in_off += in.pos - st->ibuf_pos;
        st->ibuf_pos = in.pos;
        if (ZSTD_isError(r)) {
            rc = fail(st, TY_ECORRUPT,
                      "zstd: damaged data at decoded offset %llu (compressed offset %llu): %s",
                      (unsigned long long)(st->out_off + out.pos), (unsigned long long)st->in_off,
                      ZSTD_getErrorName(r));
            goto err;
        }
        if (in.pos != in0 || out.pos != out0) /* an idle call says nothing of the frame */
            st->zlast = r;
        if (out.pos == out.size)
            break;
        if (st->ibuf_pos < st->ibuf_len)
            continue;
        if (out.pos > 0)
            break;
        if (st->below_eof) {
            if (st->zlast == 0 || st->in_off == 0) {
                st->ended = true;
                return TY_EOF;
            }
            rc = fail(st, TY_ECORRUPT,
                      "zstd: truncated stream at decoded offset %llu (compressed offset %llu)",
                      (unsigned long long)(st->out_off + out.pos), (unsigned long long)st->in_off);
            goto err;
        }
        if ((rc = refill(st)))
            goto err;
    }
    *got = out.pos;
    return TY_OK;
err:
    if (out.pos) {
        st->pending = rc;
        *got = out.pos;
        return TY_OK;
    }
    return rc;
}

/* libarchive read callbacks over a stream: the head is handed over in
 * place, then raw reads go through cbuf. */
static la_ssize_t cb_read(struct archive *a, void *arg, const void **buf)
{
    struct ty__stream *st = arg;
    struct ty_err e;
    size_t got = 0;
    int rc;

    if (st->head_pos < st->head_len) {
        *buf = st->head + st->head_pos;
        got = st->head_len - st->head_pos;
        st->head_pos = st->head_len;
        return (la_ssize_t)got;
    }
    if (!st->cbuf && !(st->cbuf = malloc(CBUF_SIZE))) {
        archive_set_error(a, ENOMEM, "out of memory");
        return -1;
    }
    rc = ty__stream_read(st, st->cbuf, CBUF_SIZE, &got, &e);
    if (rc == TY_EOF)
        return 0;
    if (rc != TY_OK) {
        archive_set_error(a, rc == TY_ENOMEM ? ENOMEM : EIO, "%s", e.msg);
        return -1;
    }
    *buf = st->cbuf;
    return (la_ssize_t)got;
}

static la_int64_t cb_skip(struct archive *a, void *arg, la_int64_t request)
{
    struct ty__stream *st = arg;
    size_t avail = st->head_len - st->head_pos;
    off_t cur, end;

    if (request <= 0)
        return 0;
    if (avail) {
        size_t n = (uint64_t)request < avail ? (size_t)request : avail;
        st->head_pos += n;
        return (la_int64_t)n;
    }
    if (st->kind == TY__ST_MEM && !st->pending) {
        size_t left = st->mem_len - st->mem_pos;
        size_t n = (uint64_t)request < left ? (size_t)request : left;
        st->mem_pos += n;
        st->out_off += n;
        return (la_int64_t)n;
    }
    if (st->kind != TY__ST_FD || !st->regular || st->hashing || st->pending || st->ended)
        return 0;
    cur = lseek(st->fd, 0, SEEK_CUR);
    end = lseek(st->fd, 0, SEEK_END);
    if (cur < 0 || end < 0)
        return 0;
    if (request > end - cur)
        request = end - cur;
    if (lseek(st->fd, cur + request, SEEK_SET) < 0)
        return 0;
    st->out_off += (uint64_t)request;
    return request;
}

static la_int64_t cb_seek(struct archive *a, void *arg, la_int64_t offset, int whence)
{
    struct ty__stream *st = arg;
    off_t cur, r;

    if (st->kind == TY__ST_MEM) {
        la_int64_t base = whence == SEEK_SET ? 0
                          : whence == SEEK_END
                              ? (la_int64_t)st->mem_len
                              : (la_int64_t)st->mem_pos - (la_int64_t)(st->head_len - st->head_pos);
        if (base + offset < 0 || base + offset > (la_int64_t)st->mem_len) {
            archive_set_error(a, EINVAL, "seek outside the data");
            return ARCHIVE_FATAL;
        }
        st->head_pos = st->head_len = 0;
        st->ended = false;
        st->mem_pos = (size_t)(base + offset);
        st->out_off = st->mem_pos;
        return base + offset;
    }
    cur = lseek(st->fd, 0, SEEK_CUR);

    if (cur < 0)
        return ARCHIVE_FATAL;
    if (whence == SEEK_CUR) { /* relative to what libarchive has consumed */
        offset += cur - (off_t)(st->head_len - st->head_pos);
        whence = SEEK_SET;
    }
    st->head_pos = st->head_len = 0;
    st->ended = false; /* an end met while reading ahead is behind us now */
    r = lseek(st->fd, offset, whence);
    if (r < 0) {
        archive_set_error(a, errno, "seek failed: %s", strerror(errno));
        return ARCHIVE_FATAL;
    }
    st->out_off = (uint64_t)r;
    return r;
}

int ty__stream_archive_open(struct archive *a, struct ty__stream *st)
{
    archive_read_set_callback_data(a, st);
    archive_read_set_read_callback(a, cb_read);
    archive_read_set_skip_callback(a, cb_skip);
    if ((st->kind == TY__ST_FD && st->regular && !st->hashing) ||
        (st->kind == TY__ST_MEM && !st->max_read && st->fail_at == (size_t)-1))
        archive_read_set_seek_callback(a, cb_seek);
    return archive_read_open1(a);
}

/* bzip2 and xz (and gzip without zlib): libarchive's read filters with the
 * raw format. libarchive drops the output of a partly decoded block when the
 * data is cut or damaged, so these lose up to 64 KiB before the damage. */
static int larc_open(struct ty__stream *st, const char *name)
{
    struct archive_entry *e;
    int r;

    if (!(st->ar = archive_read_new()))
        return TY_ENOMEM;
    archive_read_support_filter_gzip(st->ar);
    archive_read_support_filter_bzip2(st->ar);
    archive_read_support_filter_xz(st->ar);
    archive_read_support_filter_zstd(st->ar);
    archive_read_support_format_raw(st->ar);
    archive_read_support_format_empty(st->ar);
    r = ty__stream_archive_open(st->ar, st->below);
    if (r == ARCHIVE_OK || r == ARCHIVE_WARN)
        r = archive_read_next_header(st->ar, &e);
    if (r == ARCHIVE_OK || r == ARCHIVE_WARN || r == ARCHIVE_EOF) {
        int n = archive_filter_count(st->ar);
        for (int i = n - 2; i >= 0; i--)
            ty__codec_append(st->codec, archive_filter_name(st->ar, i));
        if (n < 2) {
            snprintf(st->codec, sizeof(st->codec), "%s", name);
            st->pending = fail(st, TY_ECORRUPT,
                               "not a valid %s stream (magic bytes present, but the header is "
                               "cut or damaged)", name);
        } else if (r == ARCHIVE_EOF) {
            st->ended = true;
        }
        return 0;
    }
    if (r == ARCHIVE_FATAL && archive_errno(st->ar) == ENOMEM)
        return TY_ENOMEM;
    snprintf(st->codec, sizeof(st->codec), "%s", name);
    st->pending = fail(st, TY_ECORRUPT, "%s: damaged or truncated at decoded offset 0: %s", name,
                       archive_error_string(st->ar) ? archive_error_string(st->ar) : "?");
    return 0;
}

static int larc_read(struct ty__stream *st, uint8_t *buf, size_t cap, size_t *got)
{
    la_ssize_t n = archive_read_data(st->ar, buf, cap);
    if (n < 0) {
        const char *why = archive_error_string(st->ar);
        return fail(st, archive_errno(st->ar) == ENOMEM ? TY_ENOMEM : TY_ECORRUPT,
                    "%s: damaged or truncated at decoded offset %llu: %s", st->codec,
                    (unsigned long long)st->out_off, why ? why : "unknown error");
    }
    if (n == 0) {
        st->ended = true;
        return TY_EOF;
    }
    *got = (size_t)n;
    return TY_OK;
}

/* One read from the layer itself, bypassing the head. */
static int raw_read(struct ty__stream *st, uint8_t *buf, size_t cap, size_t *got)
{
    int rc;

    *got = 0;
    if (st->pending) {
        rc = st->pending;
        st->pending = 0;
        st->ended = true;
        return rc;
    }
    if (st->ended)
        return TY_EOF;
    switch (st->kind) {
    case TY__ST_FD: rc = fd_read(st, buf, cap, got); break;
    case TY__ST_MEM: rc = mem_read(st, buf, cap, got); break;
    case TY__ST_ENTRY: rc = entry_read(st, buf, cap, got); break;
#ifdef TY_HAVE_ZLIB
    case TY__ST_GZIP: rc = gzip_read(st, buf, cap, got); break;
#endif
    case TY__ST_ZSTD: rc = zstd_read(st, buf, cap, got); break;
    default: rc = larc_read(st, buf, cap, got); break;
    }
    if (rc == TY_OK)
        st->out_off += *got;
    return rc;
}

int ty__stream_read(struct ty__stream *st, void *buf, size_t cap, size_t *got,
                    struct ty_err *err)
{
    size_t avail = st->head_len - st->head_pos;
    int rc;

    *got = 0;
    if (cap == 0)
        return ty_err_set(err, TY_EINVAL, "read of 0 bytes");
    if (avail) {
        size_t n = avail < cap ? avail : cap;
        memcpy(buf, st->head + st->head_pos, n);
        st->head_pos += n;
        *got = n;
        return TY_OK;
    }
    rc = raw_read(st, buf, cap, got);
    if (rc < 0)
        ty_err_set(err, rc, "%s", st->msg);
    return rc;
}

int ty__stream_fill(struct ty__stream *st, size_t want, const uint8_t **p, size_t *len,
                    struct ty_err *err)
{
    size_t avail = st->head_len - st->head_pos;

    while (avail < want && !st->ended && !st->pending) {
        size_t got = 0;
        int rc;
        if (st->head_pos > 0) {
            memmove(st->head, st->head + st->head_pos, avail);
            st->head_pos = 0;
            st->head_len = avail;
        }
        if (st->head_cap < want) {
            uint8_t *nh = realloc(st->head, want);
            if (!nh)
                return ty_err_set(err, TY_ENOMEM, "out of memory reading ahead %zu bytes", want);
            st->head = nh;
            st->head_cap = want;
        }
        rc = raw_read(st, st->head + st->head_len, st->head_cap - st->head_len, &got);
        if (rc == TY_OK) {
            st->head_len += got;
            avail += got;
        } else if (rc < 0) {
            if (rc == TY_ENOMEM)
                return ty_err_set(err, rc, "%s", st->msg);
            st->pending = rc; /* returned after the head */
            st->ended = false;
        }
    }
    *p = st->head ? st->head + st->head_pos : (const uint8_t *)"";
    *len = avail;
    return 0;
}

/* ----------------------------------------------------------------- inputs */

void ty__input_init(struct ty_input *in, struct ty_input_impl *impl, const char *name,
                    const char *codec, struct ty__stream *top, const struct ty__origin *o)
{
    memset(in, 0, sizeof(*in));
    memset(impl, 0, sizeof(*impl));
    in->name = name;
    in->disk_path = o->disk_path;
    in->disk_size = o->disk_size;
    in->mtime_ns = o->mtime_ns;
    snprintf(in->codec, sizeof(in->codec), "%s", codec);
    in->disk_sha_known = o->disk_sha_known;
    memcpy(in->disk_sha256, o->disk_sha256, 32);
    if (!o->hashed && o->disk_sha_known) {
        in->sha_known = true;
        memcpy(in->sha256, o->disk_sha256, 32);
    }
    impl->top = top;
    impl->hashed = o->hashed;
    in->impl = impl;
}

/* The decoded stream ended: read the rest of the hashed layer (bytes after
 * the end of compressed data, the rest after damage) and finish the digest,
 * unless that layer itself could not be read to its end. */
static void finish_hash(struct ty_input *in)
{
    struct ty__stream *h = in->impl->hashed;
    uint8_t tmp[16384];
    size_t got;
    struct ty_err e;
    int rc;

    if (!h || in->sha_known || !h->hashing)
        return;
    while ((rc = ty__stream_read(h, tmp, sizeof(tmp), &got, &e)) == TY_OK)
        ;
    if (rc == TY_EOF && !h->hash_failed) {
        ty__sha256_final(&h->sha, in->sha256);
        in->sha_known = true;
    }
    h->hashing = false;
}

int ty_input_read(struct ty_input *in, void *buf, size_t cap, size_t *got, struct ty_err *err)
{
    struct ty_input_impl *impl = in->impl;
    int rc;

    *got = 0;
    if (impl->done)
        return TY_EOF;
    rc = ty__stream_read(impl->top, buf, cap, got, err);
    if (rc == TY_OK) {
        in->bytes_read += *got;
        return rc;
    }
    if (rc == TY_EINVAL || rc == TY_ENOMEM)
        return rc;
    impl->done = true;
    finish_hash(in);
    return rc;
}

int ty_input_peek(struct ty_input *in, size_t want, const char **p, size_t *len,
                  struct ty_err *err)
{
    const uint8_t *hp;
    int rc;

    *p = "";
    *len = 0;
    if (want > MAX_PEEK)
        return ty_err_set(err, TY_EINVAL, "peek of %zu bytes is more than %u", want, MAX_PEEK);
    if (in->impl->done)
        return 0;
    rc = ty__stream_fill(in->impl->top, want, &hp, len, err);
    if (rc)
        return rc;
    if (*len == 0 && in->impl->top->pending < 0) /* nothing readable: say why now */
        return ty_err_set(err, in->impl->top->pending, "%s", in->impl->top->msg);
    *p = (const char *)hp;
    if (*len > want)
        *len = want;
    return 0;
}

void ty_input_sha256_hex(const struct ty_input *in, char out[65])
{
    if (!in->sha_known) {
        out[0] = '\0';
        return;
    }
    ty__sha256_hex(in->sha256, out);
}

/* Standalone inputs own their streams, file descriptor and names. */
struct standalone {
    struct ty_input in;
    struct ty_input_impl impl;
    struct ty__stream *layers[TY__MAX_LAYERS + 1];
    int n_layers;
    int fd;
    char *name;
    char *disk_path;
};

static struct standalone *standalone_new(const char *name, const char *disk_path)
{
    struct standalone *s = calloc(1, sizeof(*s));
    if (!s)
        return NULL;
    s->fd = -1;
    s->name = strdup(name ? name : "");
    s->disk_path = strdup(disk_path ? disk_path : "");
    if (!s->name || !s->disk_path) {
        free(s->name);
        free(s->disk_path);
        free(s);
        return NULL;
    }
    return s;
}

static void standalone_free(struct standalone *s)
{
    if (!s)
        return;
    for (int i = s->n_layers - 1; i >= 0; i--)
        ty__stream_free(s->layers[i]);
    if (s->fd >= 0)
        close(s->fd);
    free(s->name);
    free(s->disk_path);
    free(s);
}

int ty_input_mem_open(struct ty_input **out, const char *name, const void *buf, size_t len)
{
    struct standalone *s = standalone_new(name, "");
    struct ty__origin o;
    int rc;

    *out = NULL;
    if (!s)
        return TY_ENOMEM;
    memset(&o, 0, sizeof(o));
    o.disk_path = s->disk_path;
    o.disk_size = len;
    rc = ty__stream_mem(&s->layers[0], buf, len);
    s->n_layers = rc ? 0 : 1;
    if (rc || (rc = ty__sha256_buf(buf, len, o.disk_sha256))) {
        standalone_free(s);
        return rc;
    }
    o.disk_sha_known = true;
    ty__input_init(&s->in, &s->impl, s->name, "", s->layers[0], &o);
    s->in.disk_sha_known = false; /* not a file on disk */
    s->impl.owner = s;
    *out = &s->in;
    return 0;
}

void ty__input_mem_set_max_read(struct ty_input *in, size_t max_read)
{
    struct ty__stream *st = in->impl->top;
    if (st->kind == TY__ST_MEM)
        st->max_read = max_read;
}

void ty__input_mem_set_fail_at(struct ty_input *in, size_t at)
{
    struct ty__stream *st = in->impl->top;
    if (st->kind == TY__ST_MEM)
        st->fail_at = at;
}

int ty_input_file_open(struct ty_input **out, const char *path, struct ty_err *err)
{
    struct standalone *s = standalone_new(path, path);
    struct ty__origin o;
    struct stat sb;
    char codec[32] = "";
    uint8_t *tmp = NULL;
    int rc;

    *out = NULL;
    memset(&o, 0, sizeof(o));
    if (!s)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    s->fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (s->fd < 0 || fstat(s->fd, &sb) < 0) {
        rc = ty_err_set(err, TY_EIO, "cannot open %s: %s", path, strerror(errno));
        goto out;
    }
    if (!S_ISREG(sb.st_mode)) {
        rc = ty_err_set(err, TY_EINVAL, "%s: not a regular file", path);
        goto out;
    }
    fcntl(s->fd, F_SETFL, fcntl(s->fd, F_GETFL) & ~O_NONBLOCK);
    /* hash first (chain of custody), then read from the start */
    {
        struct ty__sha256 sha;
        if (!(tmp = malloc(1 << 20)) || (rc = ty__sha256_init(&sha))) {
            rc = ty_err_set(err, TY_ENOMEM, "out of memory");
            goto out;
        }
        for (;;) {
            ssize_t n = read(s->fd, tmp, 1 << 20);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0) {
                ty__sha256_release(&sha);
                rc = ty_err_set(err, TY_EIO, "%s: read failed: %s", path, strerror(errno));
                goto out;
            }
            if (n == 0)
                break;
            ty__sha256_update(&sha, tmp, (size_t)n);
        }
        ty__sha256_final(&sha, o.disk_sha256);
        o.disk_sha_known = true;
    }
    if (lseek(s->fd, 0, SEEK_SET) < 0) {
        rc = ty_err_set(err, TY_EIO, "%s: cannot seek: %s", path, strerror(errno));
        goto out;
    }
    if ((rc = ty__stream_fd(&s->layers[0], s->fd, false, true)))
        goto nomem;
    s->n_layers = 1;
    /* stack decoders while the head carries compression magic */
    while (s->n_layers <= TY__MAX_LAYERS) {
        struct ty__stream *top = s->layers[s->n_layers - 1];
        const uint8_t *hp;
        size_t hl;
        enum ty__sniff k;
        if ((rc = ty__stream_fill(top, TY__SNIFF_LEN, &hp, &hl, err)))
            goto out;
        k = ty__sniff(hp, hl);
        if (!ty__sniff_is_compressed(k) || s->n_layers == TY__MAX_LAYERS + 1)
            break;
        if ((rc = ty__stream_decoder(&s->layers[s->n_layers], k, top)))
            goto nomem;
        ty__codec_append(codec, ty__stream_codec(s->layers[s->n_layers]));
        s->n_layers++;
    }
    o.disk_path = s->disk_path;
    o.disk_size = (uint64_t)sb.st_size;
    ty__input_init(&s->in, &s->impl, s->name, codec, s->layers[s->n_layers - 1], &o);
    s->impl.owner = s;
    *out = &s->in;
    s = NULL;
    rc = 0;
    goto out;
nomem:
    rc = ty_err_set(err, rc, "out of memory");
out:
    free(tmp);
    standalone_free(s);
    return rc;
}

void ty_input_free(struct ty_input *in)
{
    /* inputs handed to a walk callback have no owner and are not freed */
    if (in && in->impl && in->impl->owner)
        standalone_free(in->impl->owner);
}
