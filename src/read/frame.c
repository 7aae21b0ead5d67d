/* SPDX-License-Identifier: Apache-2.0 */
/*
 * frame.c - cut a decoded evidence stream into records in bounded memory:
 * lines (memchr), JSON values (a streaming scan of strings, escapes and
 * bracket depth, unrolling top-level arrays or the "Records" arrays of
 * CloudTrail files) or the whole stream. The buffer never holds more than
 * max_record plus one read chunk; longer records are reported and skipped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <tyto/err.h>
#include <tyto/frame.h>
#include <tyto/input.h>

#include "read/read-int.h"

#define DEFAULT_MAX_RECORD ((size_t)64 << 20)
#define DEFAULT_CHUNK ((size_t)256 << 10)
#define MIN_BUF ((size_t)64 << 10)  /* first buffer */
#define SHOW_MAX ((size_t)64 << 10) /* bytes of a bad record handed back */
#define MAX_NEST 65536              /* bracket types remembered */
#define NONE ((size_t)-1)
#define SIDE ((size_t)-2) /* a record start meaning "in f->side" */

enum mode {
    M_TOP,    /* between top-level values */
    M_ARR,    /* between elements of an unrolled array */
    M_ELEM,   /* inside an object, array or string that is a record */
    M_SCALAR, /* inside a bare scalar record (number, true, garbage...) */
    M_OBJ,    /* key mode: inside a top-level object, looking for the key */
};

struct ty_framer {
    struct ty_input *in;
    enum ty_frame_kind kind;
    const char *key;
    size_t key_len;
    size_t max_record, chunk;

    char *buf;
    size_t cap, end, pos; /* buf[0..end) holds data, scanned up to pos */
    unsigned streak;      /* reads in a row that filled what was asked */
    uint64_t base;        /* stream offset of buf[0] */
    uint64_t line;        /* line number at buf[pos] */
    bool in_eof;          /* the input has ended */
    int in_rc;            /* the input's error, reported once in the right place */
    char in_msg[256];
    bool done;
    bool bom_checked;

    /* the record being cut */
    size_t rs;        /* its start in buf, NONE when not buffering */
    uint64_t r_off;   /* its offset and line */
    uint64_t r_line;
    bool skipping;    /* reported as too long: scanned to its end, not kept */

    /* JSON */
    enum mode mode, elem_ret, arr_ret;
    bool in_str, esc;
    uint32_t depth, elem_depth;
    uint64_t arr_off; /* where the unrolled array opened */
    bool obj_buffer;  /* key mode: the object is kept as a record candidate */
    bool obj_over;    /* key mode: the object outgrew max_record before the key was seen */
    char *side;       /* then its first SHOW_MAX bytes, reported if the key never comes */
    size_t side_len;
    int kstate;       /* 0, 1 = key string seen, 2 = key and ':' seen */
    size_t ks;        /* start of a string at depth 1 that may be the key, or NONE */
    bool bad;
    char bad_msg[160];
    uint64_t stack[MAX_NEST / 64]; /* bit set: '{' at that depth */

    /* TY_FRAME_PCAP (next_pcap) */
    uint8_t cap_fmt;  /* 0 not yet known, 1 pcap, 2 pcapng */
    bool cap_be;      /* big-endian numbers (pcap file, or the current pcapng section) */
    bool cap_dead;    /* damage reported: the rest is skipped */
    uint8_t cap_hdr;  /* pcap record header bytes: 16, or 24 (modified pcap) */
    uint64_t cap_pkts;
};

void ty__framer_set_chunk(struct ty_framer *f, size_t chunk)
{
    f->chunk = chunk ? chunk : DEFAULT_CHUNK;
}

int ty_framer_new(struct ty_framer **out, struct ty_input *in, const struct ty_frame_spec *spec,
                  struct ty_err *err)
{
    struct ty_framer *f;

    *out = NULL;
    if (!in || !spec || spec->kind > TY_FRAME_PCAP)
        return ty_err_set(err, TY_EINVAL, "bad framing spec");
    if (!(f = calloc(1, sizeof(*f))))
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    f->in = in;
    f->kind = spec->kind;
    f->key = spec->kind == TY_FRAME_JSON && spec->key && *spec->key ? spec->key : NULL;
    f->key_len = f->key ? strlen(f->key) : 0;
    f->max_record = spec->max_record ? spec->max_record : DEFAULT_MAX_RECORD;
    f->chunk = DEFAULT_CHUNK;
    f->line = 1;
    f->rs = NONE;
    f->ks = NONE;
    f->mode = M_TOP;
    f->bom_checked = f->kind == TY_FRAME_WHOLE || f->kind == TY_FRAME_PCAP; /* as it is */
    *out = f;
    return 0;
}

void ty_framer_free(struct ty_framer *f)
{
    if (!f)
        return;
    free(f->buf);
    free(f->side);
    free(f);
}

/* Keep from the earliest pinned byte, read one chunk. Returns 0 (data, or
 * in_eof set), or a fatal code. Input errors (damage) end the input and are
 * kept in in_rc for the framing code to place. */
static int refill(struct ty_framer *f, struct ty_err *err)
{
    size_t keep = f->pos, got = 0, want;
    struct ty_err ie;
    int rc;

    if (f->rs != NONE && f->rs < keep)
        keep = f->rs;
    if (f->ks != NONE && f->ks < keep)
        keep = f->ks;
    if (keep > 0) {
        memmove(f->buf, f->buf + keep, f->end - keep);
        f->base += keep;
        f->end -= keep;
        f->pos -= keep;
        if (f->rs != NONE)
            f->rs -= keep;
        if (f->ks != NONE)
            f->ks -= keep;
    }
    /* the buffer starts small (many evidence files are small) and doubles
     * when a record needs it or reads keep filling it (a big stream), up to
     * max_record and two chunks */
    if (f->cap == 0 || f->cap - f->end < f->cap / 4 ||
        (f->streak >= 2 && f->cap < 4 * f->chunk)) {
        size_t limit = f->max_record + f->key_len + 2 * f->chunk + 64;
        size_t ncap = f->cap ? f->cap * 2 : MIN_BUF;
        if (ncap > limit)
            ncap = limit;
        if (ncap > f->cap) {
            char *nb = realloc(f->buf, ncap + 1);
            if (!nb)
                return ty_err_set(err, TY_ENOMEM, "out of memory (framing buffer of %zu bytes)",
                                  ncap);
            f->buf = nb;
            f->cap = ncap;
        }
        f->streak = 0;
    }
    if (f->end == f->cap) /* cannot happen: records are cut at max_record */
        return ty_err_set(err, TY_ETOOBIG, "framing buffer over its limit");
    want = f->cap - f->end < f->chunk ? f->cap - f->end : f->chunk;
    ty_err_clear(&ie);
    rc = ty_input_read(f->in, f->buf + f->end, want, &got, &ie);
    if (rc == TY_OK) {
        f->end += got;
        f->streak = got == want ? f->streak + 1 : 0;
        return 0;
    }
    f->in_eof = true;
    if (rc == TY_EOF)
        return 0;
    if (rc == TY_ECORRUPT) {
        f->in_rc = rc;
        snprintf(f->in_msg, sizeof(f->in_msg), "%s", ie.msg);
        return 0;
    }
    return ty_err_set(err, rc, "%s", ie.msg);
}

static int give(struct ty_framer *f, struct ty_record *rec, size_t start, size_t len,
                uint64_t off, uint64_t line)
{
    rec->p = len ? (start == SIDE ? f->side : f->buf + start) : "";
    rec->len = len;
    rec->offset = off;
    rec->line = line;
    return TY_OK;
}

/* A bad record: at most SHOW_MAX of its bytes (none when start is NONE). */
static int give_bad(struct ty_framer *f, struct ty_record *rec, struct ty_err *err, size_t start,
                    size_t len, uint64_t off, uint64_t line, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));
static int give_bad(struct ty_framer *f, struct ty_record *rec, struct ty_err *err, size_t start,
                    size_t len, uint64_t off, uint64_t line, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (start == NONE)
        len = 0;
    give(f, rec, start, len > SHOW_MAX ? SHOW_MAX : len, off, line);
    return ty_err_set(err, TY_ECORRUPT, "%s", msg);
}

static int too_long(struct ty_framer *f, struct ty_record *rec, struct ty_err *err, size_t start,
                    size_t len)
{
    return give_bad(f, rec, err, start, len, f->r_off, f->r_line,
                    "record longer than %zu bytes at offset %llu", f->max_record,
                    (unsigned long long)f->r_off);
}

/* The input ended: the damage it reported comes out here, once, after the
 * last whole record, as a record-less ECORRUPT. */
static int end_of_input(struct ty_framer *f, struct ty_record *rec, struct ty_err *err)
{
    f->done = true;
    if (f->in_rc) {
        f->in_rc = 0;
        return give_bad(f, rec, err, NONE, 0, f->base + f->end, f->line, "%s", f->in_msg);
    }
    return TY_EOF;
}

/* End of stream inside a record: the partial bytes, with the input's own
 * error when it has one. */
static int truncated(struct ty_framer *f, struct ty_record *rec, struct ty_err *err,
                     size_t start, size_t len)
{
    if (f->in_rc) {
        f->in_rc = 0;
        return give_bad(f, rec, err, start, len, f->r_off, f->r_line,
                        "%s (record at offset %llu cut)", f->in_msg,
                        (unsigned long long)f->r_off);
    }
    return give_bad(f, rec, err, start, len, f->r_off, f->r_line,
                    "truncated record at offset %llu", (unsigned long long)f->r_off);
}

/* Skip a UTF-8 byte order mark at the very start of the stream. */
static int check_bom(struct ty_framer *f, struct ty_err *err)
{
    int rc;
    while (f->end < 3 && !f->in_eof)
        if ((rc = refill(f, err)))
            return rc;
    if (f->end >= 3 && memcmp(f->buf, "\xef\xbb\xbf", 3) == 0)
        f->pos = 3;
    f->bom_checked = true;
    return 0;
}

/* ------------------------------------------------------------------ lines */

static bool blank(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
            return false;
    return true;
}

static int next_line(struct ty_framer *f, struct ty_record *rec, struct ty_err *err)
{
    int rc;

    for (;;) {
        char *q = f->pos < f->end ? memchr(f->buf + f->pos, '\n', f->end - f->pos) : NULL;
        if (f->skipping) {
            if (q) {
                f->pos = (size_t)(q - f->buf) + 1;
                f->line++;
                f->skipping = false;
                continue;
            }
            f->pos = f->end;
            if (f->in_eof) {
                f->skipping = false;
                f->rs = NONE;
                return end_of_input(f, rec, err);
            }
        } else {
            if (f->rs == NONE) {
                f->rs = f->pos;
                f->r_off = f->base + f->pos;
                f->r_line = f->line;
            }
            if (q) {
                size_t start = f->rs, nl = (size_t)(q - f->buf), len = nl - start;
                f->pos = nl + 1;
                f->rs = NONE;
                f->line++;
                if (len && f->buf[nl - 1] == '\r')
                    len--;
                if (len > f->max_record)
                    return too_long(f, rec, err, start, len);
                if (len == 0 || ((f->buf[start] == ' ' || f->buf[start] == '\t' ||
                                  f->buf[start] == '\r') && blank(f->buf + start, len)))
                    continue;
                return give(f, rec, start, len, f->r_off, f->r_line);
            }
            f->pos = f->end;
            /* +1: the line may end in a '\r' that is not part of it */
            if (f->end - f->rs > f->max_record + 1) {
                size_t start = f->rs;
                f->rs = NONE;
                f->skipping = true;
                return too_long(f, rec, err, start, f->end - start);
            }
            if (f->in_eof) {
                size_t start = f->rs, len = f->end - start;
                f->rs = NONE;
                if (len && f->buf[start + len - 1] == '\r')
                    len--;
                if (len && !blank(f->buf + start, len)) {
                    f->pos = f->end;
                    if (f->in_rc)
                        return truncated(f, rec, err, start, len);
                    if (len > f->max_record)
                        return too_long(f, rec, err, start, len);
                    return give(f, rec, start, len, f->r_off, f->r_line);
                }
                return end_of_input(f, rec, err);
            }
        }
        if ((rc = refill(f, err)))
            return rc;
    }
}

/* ------------------------------------------------------------------ whole */

static int next_whole(struct ty_framer *f, struct ty_record *rec, struct ty_err *err)
{
    int rc;

    if (f->skipping) { /* the rest of a stream reported as too long */
        for (;;) {
            /* lines are counted so that damage after it is placed right */
            for (const char *q = f->buf + f->pos; f->pos < f->end; q++) {
                q = memchr(q, '\n', f->end - (size_t)(q - f->buf));
                if (!q)
                    break;
                f->line++;
                f->pos = (size_t)(q - f->buf) + 1;
            }
            f->pos = f->end;
            if (f->in_eof)
                break;
            if ((rc = refill(f, err)))
                return rc;
        }
        f->skipping = false;
        f->pos = f->end;
        return end_of_input(f, rec, err);
    }
    f->rs = 0;
    f->r_off = 0;
    f->r_line = 1;
    while (!f->in_eof && f->end <= f->max_record) {
        f->pos = f->end;
        if ((rc = refill(f, err)))
            return rc;
    }
    f->pos = f->end;
    f->rs = NONE;
    if (f->end > f->max_record) {
        f->skipping = true;
        f->pos = 0;
        return too_long(f, rec, err, 0, f->end);
    }
    if (f->end == 0)
        return end_of_input(f, rec, err);
    f->done = true;
    if (f->in_rc) {
        f->done = false;
        rc = truncated(f, rec, err, 0, f->end);
        f->done = true;
        return rc;
    }
    return give(f, rec, 0, f->end, 0, 1);
}

/* ------------------------------------------------------------------- JSON */

static const uint8_t elem_class[256] = {
    ['"'] = 1, ['{'] = 1, ['}'] = 1, ['['] = 1, [']'] = 1, ['\n'] = 1,
};

/* First '"', '\\' or '\n' in b[pos..end), or end. */
static size_t find_str_stop(const uint8_t *b, size_t pos, size_t end)
{
#ifdef __SSE2__
    const __m128i q = _mm_set1_epi8('"'), bs = _mm_set1_epi8('\\'), nl = _mm_set1_epi8('\n');
    while (pos + 16 <= end) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(b + pos));
        __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, q), _mm_cmpeq_epi8(v, bs)),
                                 _mm_cmpeq_epi8(v, nl));
        unsigned mask = (unsigned)_mm_movemask_epi8(m);
        if (mask)
            return pos + (size_t)__builtin_ctz(mask);
        pos += 16;
    }
#endif
    while (pos < end && b[pos] != '"' && b[pos] != '\\' && b[pos] != '\n')
        pos++;
    return pos;
}

static void push(struct ty_framer *f, uint8_t c, uint64_t off)
{
    if (f->depth < MAX_NEST) {
        uint64_t bit = (uint64_t)1 << (f->depth & 63);
        if (c == '{')
            f->stack[f->depth >> 6] |= bit;
        else
            f->stack[f->depth >> 6] &= ~bit;
    } else if (!f->bad) {
        f->bad = true;
        snprintf(f->bad_msg, sizeof(f->bad_msg), "nesting deeper than %d at offset %llu",
                 MAX_NEST, (unsigned long long)off);
    }
    f->depth++;
}

static void pop(struct ty_framer *f, uint8_t c, uint64_t off)
{
    f->depth--;
    if (f->depth < MAX_NEST) {
        bool obj = (f->stack[f->depth >> 6] >> (f->depth & 63)) & 1;
        if (obj != (c == '}') && !f->bad) {
            f->bad = true;
            snprintf(f->bad_msg, sizeof(f->bad_msg), "unbalanced brackets: '%c' at offset %llu "
                     "closes '%c'", c, (unsigned long long)off, obj ? '{' : '[');
        }
    }
}

static void start_record(struct ty_framer *f, size_t at)
{
    f->rs = at;
    f->r_off = f->base + at;
    f->r_line = f->line;
    f->bad = false;
    f->skipping = false;
}

/* An element (object, array, string or scalar) ended at f->pos. */
static int end_elem(struct ty_framer *f, struct ty_record *rec, struct ty_err *err)
{
    size_t start = f->rs, len = f->pos - f->rs;
    bool was_skipping = f->skipping;

    f->mode = f->elem_ret;
    f->rs = NONE;
    f->skipping = false;
    if (was_skipping) /* already reported as too long */
        return 1;
    if (f->bad) {
        f->bad = false;
        return give_bad(f, rec, err, start, len, f->r_off, f->r_line, "%s (record at offset %llu)",
                        f->bad_msg, (unsigned long long)f->r_off);
    }
    if (len > f->max_record)
        return too_long(f, rec, err, start, len);
    return give(f, rec, start, len, f->r_off, f->r_line);
}

#ifdef __SSE2__
/* Inside a record (M_ELEM): 16 bytes at a time, visiting only the bytes
 * that matter (quotes, backslashes, newlines, brackets) through bit masks.
 * Stops at the end of the record (returns true, *pos after it) or when fewer
 * than 16 bytes are left. */
static bool elem_fast(struct ty_framer *f, const uint8_t *b, size_t *pos_io, size_t end)
{
    const __m128i q = _mm_set1_epi8('"'), bs = _mm_set1_epi8('\\'), nl = _mm_set1_epi8('\n');
    const __m128i ob = _mm_set1_epi8('{'), cb = _mm_set1_epi8('}');
    const __m128i osq = _mm_set1_epi8('['), csq = _mm_set1_epi8(']');
    size_t pos = *pos_io;
    uint64_t line = f->line;
    bool in_str = f->in_str, done = false;

    while (pos + 16 <= end) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(b + pos));
        unsigned mq = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, q));
        unsigned mb = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, bs));
        unsigned mn = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, nl));
        unsigned ms = (unsigned)_mm_movemask_epi8(
            _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, ob), _mm_cmpeq_epi8(v, cb)),
                         _mm_or_si128(_mm_cmpeq_epi8(v, osq), _mm_cmpeq_epi8(v, csq))));
        unsigned all = mq | mb | mn | ms;

        if (f->esc) { /* the first byte is escaped */
            f->esc = false;
            if (mn & 1)
                line++;
            all &= ~1u;
        }
        if (in_str && !(all & (mq | mb | mn))) {
            pos += 16;
            continue;
        }
        while (all) {
            unsigned i = (unsigned)__builtin_ctz(all);
            uint8_t c = b[pos + i];
            all &= all - 1;
            if (c == '\n') {
                line++;
            } else if (in_str) {
                if (c == '"') {
                    in_str = false;
                    if (f->depth == f->elem_depth) {
                        pos += i + 1;
                        done = true;
                        goto out;
                    }
                } else if (c == '\\') {
                    if (i == 15) {
                        f->esc = true;
                    } else {
                        if ((mn >> (i + 1)) & 1)
                            line++;
                        all &= ~(1u << (i + 1));
                    }
                }
            } else if (c == '"') {
                in_str = true;
            } else if (c == '{' || c == '[') {
                push(f, c, f->base + pos + i);
            } else if (c == '}' || c == ']') {
                pop(f, c, f->base + pos + i);
                if (f->depth == f->elem_depth) {
                    pos += i + 1;
                    done = true;
                    goto out;
                }
            }
        }
        pos += 16;
    }
out:
    f->line = line;
    f->in_str = in_str;
    *pos_io = pos;
    return done;
}
#endif

/* Scan buf[pos..end). Returns 1 when more input is needed, or a record
 * result (TY_OK, TY_ECORRUPT). */
static int json_scan(struct ty_framer *f, struct ty_record *rec, struct ty_err *err)
{
    const uint8_t *b = (const uint8_t *)f->buf;
    size_t pos = f->pos, end = f->end;
    int rc;

    while (pos < end) {
        uint8_t c;
#ifdef __SSE2__
        if (f->mode == M_ELEM && end - pos >= 16) {
            if (elem_fast(f, b, &pos, end)) {
                f->pos = pos;
                if ((rc = end_elem(f, rec, err)) != 1)
                    return rc;
                continue;
            }
            if (pos == end)
                break;
        }
#endif
        if (f->in_str) {
            for (;;) {
                if (f->esc) {
                    f->esc = false;
                    if (b[pos] == '\n')
                        f->line++;
                    pos++;
                } else {
                    pos = find_str_stop(b, pos, end);
                    if (pos == end)
                        break;
                    c = b[pos++];
                    if (c == '"') {
                        f->in_str = false;
                        break;
                    }
                    if (c == '\\')
                        f->esc = true;
                    else
                        f->line++;
                }
                if (pos == end)
                    break;
            }
            if (f->in_str)
                break;
            if (f->mode == M_ELEM && f->depth == f->elem_depth) { /* a string record */
                f->pos = pos;
                if ((rc = end_elem(f, rec, err)) != 1)
                    return rc;
                continue;
            }
            if (f->mode == M_OBJ && f->depth == 1) {
                f->kstate = f->ks != NONE && pos - 1 - f->ks == f->key_len &&
                                    memcmp(b + f->ks, f->key, f->key_len) == 0
                                ? 1
                                : 0;
                f->ks = NONE;
            }
            continue;
        }
        c = b[pos];
        switch (f->mode) {
        case M_TOP:
        case M_ARR:
            if (c == ' ' || c == '\t' || c == '\r' || c == ',') {
                pos++;
                continue;
            }
            if (c == '\n') {
                f->line++;
                pos++;
                continue;
            }
            if (c == '[' && f->mode == M_TOP) { /* unrolled: its elements are records */
                push(f, c, f->base + pos);
                f->mode = M_ARR;
                f->arr_ret = M_TOP;
                f->arr_off = f->base + pos;
                pos++;
                continue;
            }
            if (c == '{' && f->mode == M_TOP && f->key) {
                start_record(f, pos);
                push(f, c, f->base + pos);
                f->mode = M_OBJ;
                f->obj_buffer = true;
                f->kstate = 0;
                pos++;
                continue;
            }
            if (c == ']' && f->mode == M_ARR) {
                pop(f, c, f->base + pos);
                f->mode = f->arr_ret;
                f->kstate = 0;
                pos++;
                continue;
            }
            if (c == ']' || c == '}') {
                f->pos = pos + 1;
                return give_bad(f, rec, err, pos, 1, f->base + pos, f->line,
                                "unexpected '%c' at offset %llu", c,
                                (unsigned long long)(f->base + pos));
            }
            start_record(f, pos);
            f->elem_ret = f->mode;
            f->elem_depth = f->depth;
            pos++;
            if (c == '{' || c == '[') {
                push(f, c, f->base + pos - 1);
                f->mode = M_ELEM;
            } else if (c == '"') {
                f->mode = M_ELEM;
                f->in_str = true;
            } else {
                f->mode = M_SCALAR;
            }
            continue;
        case M_SCALAR:
            while (pos < end && !(b[pos] == ' ' || b[pos] == '\t' || b[pos] == '\r' ||
                                  b[pos] == '\n' || b[pos] == ',' || elem_class[b[pos]]))
                pos++;
            if (pos == end)
                break;
            f->pos = pos;
            if ((rc = end_elem(f, rec, err)) != 1)
                return rc;
            continue;
        case M_ELEM:
            while (pos < end && !elem_class[b[pos]])
                pos++;
            if (pos == end)
                break;
            c = b[pos++];
            if (c == '"') {
                f->in_str = true;
            } else if (c == '\n') {
                f->line++;
            } else if (c == '{' || c == '[') {
                push(f, c, f->base + pos - 1);
            } else {
                pop(f, c, f->base + pos - 1);
                if (f->depth == f->elem_depth) {
                    f->pos = pos;
                    if ((rc = end_elem(f, rec, err)) != 1)
                        return rc;
                }
            }
            continue;
        case M_OBJ:
            if (f->depth > 1) {
                while (pos < end && !elem_class[b[pos]])
                    pos++;
                if (pos == end)
                    break;
            }
            c = b[pos++];
            if (c == '"') {
                f->in_str = true;
                if (f->depth == 1)
                    f->ks = pos;
            } else if (c == '\n') {
                f->line++;
            } else if (c == '[' && f->depth == 1 && f->kstate == 2) {
                /* the key's array: its elements are the records; the object
                 * around it is no longer one */
                f->rs = NONE;
                f->obj_buffer = false;
                f->obj_over = false;
                f->side_len = 0;
                f->bad = false;
                push(f, c, f->base + pos - 1);
                f->mode = M_ARR;
                f->arr_ret = M_OBJ;
                f->arr_off = f->base + pos - 1;
            } else if (c == '{' || c == '[') {
                push(f, c, f->base + pos - 1);
                f->kstate = 0;
            } else if (c == '}' || c == ']') {
                pop(f, c, f->base + pos - 1);
                f->kstate = 0;
                if (f->depth == 0) {
                    bool whole = f->obj_buffer;
                    size_t start = f->rs;
                    f->mode = M_TOP;
                    f->obj_buffer = false;
                    f->rs = NONE;
                    f->pos = pos;
                    if (f->obj_over) { /* no key after all: a record, too long */
                        f->obj_over = false;
                        f->bad = false;
                        return too_long(f, rec, err, SIDE, f->side_len);
                    }
                    if (!whole) {
                        f->bad = false;
                        continue;
                    }
                    f->elem_ret = M_TOP;
                    f->rs = start;
                    if ((rc = end_elem(f, rec, err)) != 1)
                        return rc;
                }
            } else if (f->depth == 1) {
                if (c == ':')
                    f->kstate = f->kstate == 1 ? 2 : 0;
                else if (c != ' ' && c != '\t' && c != '\r')
                    f->kstate = 0;
            }
            continue;
        }
        break;
    }
    f->pos = pos;
    return 1;
}

/* The input ended with the scan inside something. */
static int json_eof(struct ty_framer *f, struct ty_record *rec, struct ty_err *err)
{
    enum mode m = f->mode;
    size_t start = f->rs;

    f->mode = M_TOP;
    f->rs = NONE;
    f->in_str = false;
    f->ks = NONE;
    if (m == M_TOP)
        return end_of_input(f, rec, err);
    f->done = true;
    if (m == M_SCALAR && !f->skipping && !f->in_rc) {
        size_t len = f->end - start;
        if (len > f->max_record)
            return too_long(f, rec, err, start, len);
        return give(f, rec, start, len, f->r_off, f->r_line);
    }
    if ((m == M_ELEM || m == M_SCALAR || (m == M_OBJ && f->obj_buffer)) && !f->skipping)
        return truncated(f, rec, err, start, f->end - start);
    if (m == M_OBJ && f->obj_over) {
        f->obj_over = false;
        if (f->in_rc)
            f->done = false; /* the input's error comes next */
        return too_long(f, rec, err, SIDE, f->side_len);
    }
    /* between elements of an array, in the rest of an object, or in a
     * record already reported as too long */
    if (f->in_rc) {
        f->in_rc = 0;
        return give_bad(f, rec, err, NONE, 0, f->base + f->end, f->line, "%s", f->in_msg);
    }
    return give_bad(f, rec, err, NONE, 0, f->base + f->end, f->line,
                    "truncated JSON: the stream ends at offset %llu inside %s opened at offset "
                    "%llu",
                    (unsigned long long)(f->base + f->end),
                    m == M_ARR ? "the array" : "the value",
                    (unsigned long long)(m == M_ARR ? f->arr_off : f->r_off));
}

static int next_json(struct ty_framer *f, struct ty_record *rec, struct ty_err *err)
{
    int rc;

    for (;;) {
        rc = json_scan(f, rec, err);
        if (rc != 1)
            return rc;
        /* need more: a record being kept that grew too long is cut here */
        if (f->rs != NONE && f->end - f->rs > f->max_record) {
            size_t start = f->rs;
            f->rs = NONE;
            if (f->mode != M_OBJ) {
                f->skipping = true;
                return too_long(f, rec, err, start, f->end - start);
            }
            /* an object that may yet hold the key: whether it is a record
             * (too long) is known only at its end; keep its first bytes */
            f->side_len = f->end - start > SHOW_MAX ? SHOW_MAX : f->end - start;
            if (!f->side && !(f->side = malloc(SHOW_MAX)))
                return ty_err_set(err, TY_ENOMEM, "out of memory");
            memcpy(f->side, f->buf + start, f->side_len);
            f->obj_buffer = false;
            f->obj_over = true;
        }
        if (f->ks != NONE && f->end - f->ks > f->key_len)
            f->ks = NONE; /* longer than the key: not it */
        if (f->in_eof)
            return json_eof(f, rec, err);
        if ((rc = refill(f, err)))
            return rc;
    }
}

/* ------------------------------------------------------------ captures */

#define CAP_MAX_SNAPLEN 262144u /* libpcap's MAXIMUM_SNAPLEN */

static uint32_t cap_u32(const char *p, bool be)
{
    const uint8_t *u = (const uint8_t *)p;
    return be ? (uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 | (uint32_t)u[2] << 8 | u[3]
              : (uint32_t)u[3] << 24 | (uint32_t)u[2] << 16 | (uint32_t)u[1] << 8 | u[0];
}

/* Make n bytes from pos available (fewer only at the end of the input). */
static int cap_need(struct ty_framer *f, size_t n, struct ty_err *err)
{
    int rc;
    while (f->end - f->pos < n && !f->in_eof)
        if ((rc = refill(f, err)))
            return rc;
    return 0;
}

/* Damage at pos: reported once with up to SHOW_MAX of what is there; what
 * follows is skipped (libpcap stops at the first bad record). */
static int cap_damage(struct ty_framer *f, struct ty_record *rec, struct ty_err *err,
                      const char *why)
{
    uint64_t off = f->base + f->pos;
    size_t len = f->end - f->pos;
    f->cap_dead = true;
    if (f->in_rc) { /* the input's own damage (gzip) is the better reason */
        f->in_rc = 0;
        why = f->in_msg;
    }
    int rc = give_bad(f, rec, err, f->pos, len, off, 0,
                      "capture damaged at byte %llu after %llu packets: %s",
                      (unsigned long long)off, (unsigned long long)f->cap_pkts, why);
    f->pos = f->end;
    return rc;
}

static int cap_give(struct ty_framer *f, struct ty_record *rec, size_t len, bool packet)
{
    uint64_t line = 0;
    if (packet)
        line = ++f->cap_pkts;
    give(f, rec, f->pos, len, f->base + f->pos, line);
    f->pos += len;
    return TY_OK;
}

/* pcap: the file header, then a record header and the captured bytes per
 * packet. pcapng: whole blocks, lengths in the byte order of the section's
 * header block. */
static int next_pcap(struct ty_framer *f, struct ty_record *rec, struct ty_err *err)
{
    char why[160];
    int rc;

    if (f->cap_dead) {
        while (!f->in_eof) {
            f->pos = f->end;
            if ((rc = refill(f, err)))
                return rc;
        }
        f->pos = f->end;
        f->in_rc = 0; /* already reported with the damage */
        return end_of_input(f, rec, err);
    }
    if ((rc = cap_need(f, 12, err)))
        return rc;
    size_t have = f->end - f->pos;
    if (have == 0)
        return end_of_input(f, rec, err);
    const char *p = f->buf + f->pos;
    if (f->cap_fmt == 0) {
        uint32_t m = have >= 4 ? cap_u32(p, false) : 0;
        if (m == 0xa1b2c3d4u || m == 0xa1b23c4du || m == 0xa1b2cd34u ||
            m == 0xd4c3b2a1u || m == 0x4d3cb2a1u || m == 0x34cdb2a1u) {
            f->cap_fmt = 1;
            f->cap_be = (m & 0xffff) == 0xb2a1;
            f->cap_hdr = (m == 0xa1b2cd34u || m == 0x34cdb2a1u) ? 24 : 16;
            if ((rc = cap_need(f, 24, err)))
                return rc;
            have = f->end - f->pos;
            if (have < 24) {
                snprintf(why, sizeof(why), "truncated dump file; tried to read 24 file header "
                         "bytes, only got %zu", have);
                return cap_damage(f, rec, err, why);
            }
            return cap_give(f, rec, 24, false);
        }
        if (m != 0x0a0d0d0au)
            return cap_damage(f, rec, err, "not a pcap or pcapng capture");
        f->cap_fmt = 2;
    }
    if (f->cap_fmt == 1) {
        size_t hl = f->cap_hdr;
        if ((rc = cap_need(f, hl, err)))
            return rc;
        have = f->end - f->pos;
        p = f->buf + f->pos;
        if (have < hl) {
            snprintf(why, sizeof(why), "truncated dump file; tried to read %zu header bytes, "
                     "only got %zu", hl, have);
            return cap_damage(f, rec, err, why);
        }
        uint32_t caplen = cap_u32(p + 8, f->cap_be);
        if (caplen > CAP_MAX_SNAPLEN || caplen + hl > f->max_record) {
            snprintf(why, sizeof(why), "invalid packet capture length %u, bigger than maximum "
                     "of %u", caplen, CAP_MAX_SNAPLEN);
            return cap_damage(f, rec, err, why);
        }
        if ((rc = cap_need(f, hl + caplen, err)))
            return rc;
        have = f->end - f->pos;
        if (have < hl + caplen) {
            snprintf(why, sizeof(why), "truncated dump file; tried to read %u captured bytes, "
                     "only got %zu", caplen, have - hl);
            return cap_damage(f, rec, err, why);
        }
        return cap_give(f, rec, hl + caplen, true);
    }
    /* pcapng */
    if (have < 12) {
        snprintf(why, sizeof(why), "truncated pcapng dump file; tried to read 12 block header "
                 "bytes, only got %zu", have);
        return cap_damage(f, rec, err, why);
    }
    uint32_t type = cap_u32(p, f->cap_be);
    if (type == 0x0a0d0d0au) { /* a section header sets the byte order */
        uint32_t bom = cap_u32(p + 8, false);
        if (bom != 0x1a2b3c4du && bom != 0x4d3c2b1au)
            return cap_damage(f, rec, err, "section header block with an unknown byte-order "
                                           "magic");
        f->cap_be = bom == 0x4d3c2b1au;
    }
    uint32_t len = cap_u32(p + 4, f->cap_be);
    if (len < 12 || len % 4 || len > f->max_record) {
        snprintf(why, sizeof(why), "block total length %u is %s", len,
                 len < 12 ? "< 12" : len % 4 ? "not a multiple of 4" : "too large");
        return cap_damage(f, rec, err, why);
    }
    if ((rc = cap_need(f, len, err)))
        return rc;
    have = f->end - f->pos;
    p = f->buf + f->pos;
    if (have < len) {
        snprintf(why, sizeof(why), "truncated pcapng dump file; tried to read %u bytes, only "
                 "got %zu", len, have);
        return cap_damage(f, rec, err, why);
    }
    if (cap_u32(p + len - 4, f->cap_be) != len) {
        snprintf(why, sizeof(why), "block total length in header (%u) and trailer (%u) don't "
                 "match", len, cap_u32(p + len - 4, f->cap_be));
        return cap_damage(f, rec, err, why);
    }
    return cap_give(f, rec, len, type == 6 || type == 3 || type == 2);
}

int ty_framer_next(struct ty_framer *f, struct ty_record *rec, struct ty_err *err)
{
    int rc;

    memset(rec, 0, sizeof(*rec));
    rec->p = "";
    if (f->done)
        return TY_EOF;
    if (!f->bom_checked && (rc = check_bom(f, err)))
        return rc;
    switch (f->kind) {
    case TY_FRAME_LINES: return next_line(f, rec, err);
    case TY_FRAME_JSON: return next_json(f, rec, err);
    case TY_FRAME_PCAP: return next_pcap(f, rec, err);
    default: return next_whole(f, rec, err);
    }
}
