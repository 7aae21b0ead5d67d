/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse-bodyfile-mactime.c - the timeline of `tyto fs`: bodyfile lines in,
 * mactime's output out, byte for byte (TSK 4.11 `mactime`, a Perl script),
 * or tyto's readable timeline.
 *
 * mactime keeps two hashes: "<time>,<inode>,<name>" -> the macb letters, and
 * name -> "mode:uid:gid:size" (the last line wins). Here both are external
 * sorts so memory stays bounded: phase A sorts one record per line by file
 * name (records carrying metadata first, the latest line first) so each
 * name's winning metadata is known before its entries; phase B sorts the
 * entries by mactime's key string and merges equal keys. Perl semantics kept
 * (formats.md §9.2): split on '|' dropping trailing empty fields, %XX decoded
 * in every field, fields positional, "contains a digit" sanity checks, a
 * line dropped only when all four times are the string "0", numeric values
 * as Perl reads them (leading space, fractions, exponents, trailing junk),
 * keys sorted as strings ("%.10d" times: 11-digit times sort early), the
 * print-time regex ^(\d+),([\d-]+),(.*)$ (it drops or re-splits odd
 * inodes), ':' in the mode shifting the columns, dates past Perl's gmtime
 * limit printed as " Jan 0 1900 0:0:0".
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <tyto/fs.h>

#include "parse-bodyfile-int.h"

#define MAX_LINE (16u << 20)

struct ty_mactime {
    struct ty_mactime_opts o;
    int64_t in_sec, out_sec;
    char time_arg[256];
    struct ty_xsort *a;
    uint64_t seq;
    char *carry;
    size_t carry_len, carry_cap;
    bool carry_toolong;
    char *scratch; /* a record being built */
    size_t scratch_cap;
    struct ty_mactime_stats st;
};

/* ---- growing byte buffer for records ------------------------------------ */

struct rb {
    char *p;
    size_t len, cap;
    bool oom;
};

static void rb_put(struct rb *b, const void *p, size_t n)
{
    if (b->oom || n == 0)
        return;
    if (b->len + n > b->cap) {
        size_t nc = b->cap ? b->cap * 2 : 1024;
        while (nc < b->len + n)
            nc *= 2;
        char *q = realloc(b->p, nc);
        if (!q) {
            b->oom = true;
            return;
        }
        b->p = q;
        b->cap = nc;
    }
    memcpy(b->p + b->len, p, n);
    b->len += n;
}

static void rb_u32(struct rb *b, uint32_t v)
{
    rb_put(b, &v, 4);
}

static void rb_u32be(struct rb *b, uint32_t v)
{
    unsigned char c[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 8), (unsigned char)v};
    rb_put(b, c, 4);
}

static void rb_u64be(struct rb *b, uint64_t v)
{
    unsigned char c[8];
    for (int i = 0; i < 8; i++)
        c[i] = (unsigned char)(v >> (56 - 8 * i));
    rb_put(b, c, 8);
}

static uint32_t get32(const char *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

/* ---- Perl semantics ------------------------------------------------------ */

static bool perl_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static bool has_digit(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] >= '0' && p[i] <= '9')
            return true;
    return false;
}

/* s/%([A-F0-9][A-F0-9])/chr(hex)/egi in place; returns the new length. */
static size_t url_decode(char *p, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '%' && i + 2 < n && ty_hex_digit(p[i + 1]) >= 0 && ty_hex_digit(p[i + 2]) >= 0) {
            p[o++] = (char)(ty_hex_digit(p[i + 1]) * 16 + ty_hex_digit(p[i + 2]));
            i += 2;
        } else {
            p[o++] = p[i];
        }
    }
    return o;
}

enum { PN_INT, PN_DBL, PN_NAN, PN_INF, PN_NINF, PN_BIG };

struct pnum {
    int kind;
    int64_t i; /* PN_INT */
    double d;  /* PN_DBL, and every kind for comparisons */
};

static bool ci_prefix(const char *p, size_t n, const char *w)
{
    size_t k = strlen(w);
    if (n < k)
        return false;
    for (size_t i = 0; i < k; i++)
        if ((p[i] | 0x20) != w[i])
            return false;
    return true;
}

/* The numeric value Perl gives a string. */
static struct pnum perl_num(const char *p, size_t n)
{
    struct pnum r = {PN_INT, 0, 0.0};
    size_t i = 0, start;
    bool neg = false, frac = false;
    char tmp[128];
    while (i < n && perl_space(p[i]))
        i++;
    start = i;
    if (i < n && (p[i] == '+' || p[i] == '-')) {
        neg = p[i] == '-';
        i++;
    }
    if (ci_prefix(p + i, n - i, "inf")) {
        r.kind = neg ? PN_NINF : PN_INF;
        r.d = neg ? -1e308 * 10 : 1e308 * 10;
        return r;
    }
    if (ci_prefix(p + i, n - i, "nan")) {
        r.kind = PN_NAN;
        r.d = 0.0 / 0.0;
        return r;
    }
    size_t d0 = i;
    while (i < n && p[i] >= '0' && p[i] <= '9')
        i++;
    size_t n_int = i - d0, n_frac = 0;
    if (i < n && p[i] == '.') {
        size_t f0 = i + 1, j = f0;
        while (j < n && p[j] >= '0' && p[j] <= '9')
            j++;
        n_frac = j - f0;
        if (n_int || n_frac) {
            frac = true;
            i = j;
        }
    }
    if (!n_int && !n_frac)
        return r; /* 0 */
    if (i < n && (p[i] == 'e' || p[i] == 'E')) {
        size_t j = i + 1;
        if (j < n && (p[j] == '+' || p[j] == '-'))
            j++;
        if (j < n && p[j] >= '0' && p[j] <= '9') {
            while (j < n && p[j] >= '0' && p[j] <= '9')
                j++;
            frac = true;
            i = j;
        }
    }
    if (!frac) {
        uint64_t v = 0;
        bool over = false;
        for (size_t k = d0; k < d0 + n_int; k++) {
            unsigned dg = (unsigned)(p[k] - '0');
            if (v > (UINT64_MAX - dg) / 10) {
                over = true;
                break;
            }
            v = v * 10 + dg;
        }
        if (!over && v <= (uint64_t)INT64_MAX) {
            r.kind = PN_INT;
            r.i = neg ? -(int64_t)v : (int64_t)v;
            r.d = (double)r.i;
            return r;
        }
        if (!over && neg && v == (uint64_t)INT64_MAX + 1) {
            r.kind = PN_INT;
            r.i = INT64_MIN;
            r.d = (double)r.i;
            return r;
        }
        r.kind = neg ? PN_DBL : PN_BIG;
    } else {
        r.kind = PN_DBL;
    }
    size_t len = i - start;
    if (len >= sizeof(tmp))
        len = sizeof(tmp) - 1;
    memcpy(tmp, p + start, len);
    tmp[len] = '\0';
    r.d = strtod(tmp, NULL);
    return r;
}

/* sprintf("%.10d", v) when it is a plain non-negative number (the only
 * keys mactime prints); false otherwise. */
static bool key_time(const struct pnum *v, int64_t *out)
{
    switch (v->kind) {
    case PN_INT:
        *out = v->i;
        return v->i >= 0;
    case PN_DBL:
        if (!(v->d > -1.0 && v->d < 9223372036854775808.0))
            return false;
        *out = (int64_t)v->d;
        return *out >= 0;
    default:
        return false;
    }
}

/* ---- dates ---------------------------------------------------------------- */

static const char *const wdays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

struct civil {
    int64_t year;
    int mon, mday, hour, min, sec, wday; /* mon 1-12 */
};

static void civil_utc(int64_t t, struct civil *c)
{
    int64_t days = t / 86400, rem = t % 86400;
    if (rem < 0) {
        rem += 86400;
        days--;
    }
    c->hour = (int)(rem / 3600);
    c->min = (int)(rem % 3600 / 60);
    c->sec = (int)(rem % 60);
    c->wday = (int)(((days % 7) + 11) % 7); /* 1970-01-01 was a Thursday */
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    c->mday = (int)(doy - (153 * mp + 2) / 5 + 1);
    c->mon = (int)(mp < 10 ? mp + 3 : mp - 9);
    c->year = c->mon <= 2 ? y + 1 : y;
}

/* mactime's date column for time t (string digits already checked). */
static size_t format_date(const struct ty_mactime *m, int64_t t, char *out, size_t cap)
{
    struct civil c;
    if (t == 0)
        return (size_t)snprintf(out, cap, "%s",
                                m->o.iso ? "0000-00-00T00:00:00Z" : "Xxx Xxx 00 0000 00:00:00");
    if ((double)t > 67767976233316800.0) {
        /* Perl's gmtime/localtime fail: every part undef */
        if (m->o.iso)
            return (size_t)snprintf(out, cap, "1900-01-0T0:0:0Z");
        return (size_t)snprintf(out, cap, m->o.month_num ? " 01 0 1900 0:0:0"
                                                         : " Jan 0 1900 0:0:0");
    }
    if (m->o.iso) {
        civil_utc(t, &c);
    } else {
        struct tm tm;
        time_t tt = (time_t)t;
        if (!localtime_r(&tt, &tm))
            return (size_t)snprintf(out, cap, m->o.month_num ? " 01 0 1900 0:0:0"
                                                             : " Jan 0 1900 0:0:0");
        c.year = (int64_t)tm.tm_year + 1900;
        c.mon = tm.tm_mon + 1;
        c.mday = tm.tm_mday;
        c.hour = tm.tm_hour;
        c.min = tm.tm_min;
        c.sec = tm.tm_sec;
        c.wday = tm.tm_wday;
    }
    if (m->o.iso)
        return (size_t)snprintf(out, cap, "%lld-%02d-%02dT%02d:%02d:%02dZ", (long long)c.year,
                                c.mon, c.mday, c.hour, c.min, c.sec);
    if (m->o.month_num)
        return (size_t)snprintf(out, cap, "%s %02d %02d %lld %02d:%02d:%02d", wdays[c.wday],
                                c.mon, c.mday, (long long)c.year, c.hour, c.min, c.sec);
    return (size_t)snprintf(out, cap, "%s %s %02d %lld %02d:%02d:%02d", wdays[c.wday],
                            months[c.mon - 1], c.mday, (long long)c.year, c.hour, c.min, c.sec);
}

/* mactime's parse_isodate: mktime in the current TZ; -1 when malformed. */
static int64_t parse_isodate(const char *s)
{
    unsigned v[6] = {0, 0, 0, 0, 0, 0};
    size_t n = strlen(s);
    if (n && s[n - 1] == '\n')
        n--; /* Perl's $ matches before a final newline */
    static const char pat_d[] = "dddd-dd-dd", pat_t[] = "dddd-dd-ddTdd:dd:dd";
    const char *pat = n == 10 ? pat_d : n == 19 ? pat_t : NULL;
    if (!pat)
        return -1;
    int k = -1;
    for (size_t i = 0; i < n; i++) {
        if (pat[i] == 'd') {
            if (s[i] < '0' || s[i] > '9')
                return -1;
            if (i == 0 || pat[i - 1] != 'd')
                k++;
            v[k] = v[k] * 10 + (unsigned)(s[i] - '0');
        } else if (s[i] != pat[i]) {
            return -1;
        }
    }
    struct tm tm;
    memset(&tm, 0, sizeof(tm));
    tm.tm_year = (int)v[0] - 1900;
    tm.tm_mon = (int)v[1] - 1;
    tm.tm_mday = (int)v[2];
    tm.tm_hour = (int)v[3];
    tm.tm_min = (int)v[4];
    tm.tm_sec = (int)v[5];
    tm.tm_isdst = -1;
    return (int64_t)mktime(&tm);
}

/* ---- lifecycle ------------------------------------------------------------ */

int ty_mactime_new(struct ty_mactime **out, const struct ty_mactime_opts *o, struct ty_err *err)
{
    struct ty_mactime *m = calloc(1, sizeof(*m));
    int rc;
    *out = NULL;
    if (!m)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    m->o = *o;
    if (!m->o.mem_budget)
        m->o.mem_budget = (size_t)256 << 20;
    if (o->tz) {
        setenv("TZ", o->tz, 1);
    }
    tzset();
    if (o->range && *o->range) {
        char in[256], outs[256];
        const char *dd = strstr(o->range, "..");
        snprintf(m->time_arg, sizeof(m->time_arg), "%s", o->range);
        if (dd) {
            /* split(/\.\./): the first two pieces; a trailing empty piece is none */
            size_t l = (size_t)(dd - o->range);
            snprintf(in, sizeof(in), "%.*s", (int)(l < 255 ? l : 255), o->range);
            const char *rest = dd + 2;
            const char *dd2 = strstr(rest, "..");
            size_t l2 = dd2 ? (size_t)(dd2 - rest) : strlen(rest);
            snprintf(outs, sizeof(outs), "%.*s", (int)(l2 < 255 ? l2 : 255), rest);
        } else {
            snprintf(in, sizeof(in), "%s", o->range);
            outs[0] = '\0';
        }
        m->in_sec = parse_isodate(in);
        if (m->in_sec < 0) {
            rc = ty_err_set(err, TY_EINVAL, "Invalid Date: %s", in);
            goto fail;
        }
        if (outs[0] && strcmp(outs, "0") != 0) {
            m->out_sec = parse_isodate(outs);
            if (m->out_sec < 0) {
                rc = ty_err_set(err, TY_EINVAL, "Invalid Date: %s", outs);
                goto fail;
            }
        }
    }
    size_t half = m->o.mem_budget / 2;
    if ((rc = ty__xsort_new(&m->a, half, o->tmpdir, err)) != 0)
        goto fail;
    *out = m;
    return 0;
fail:
    ty_mactime_free(m);
    return rc;
}

void ty_mactime_free(struct ty_mactime *m)
{
    if (!m)
        return;
    ty__xsort_free(m->a);
    free(m->carry);
    free(m->scratch);
    free(m);
}

void ty_mactime_stats(const struct ty_mactime *m, struct ty_mactime_stats *st)
{
    *st = m->st;
    st->runs += ty__xsort_runs(m->a);
}

/* ---- phase A: one line ---------------------------------------------------- */

struct field {
    char *p;
    size_t len;
};

/* The inode and name mactime's print regex finds in "<t>,<ino>,<file>":
 * false when the line would never print. */
static bool print_split(const char *ino, size_t ino_len, const char *file, size_t file_len,
                        size_t *pino_len, size_t *pfile_off, size_t *pfile_len)
{
    /* rest = ino "," file; ([\d-]+) greedy then ',' */
    size_t r = 0;
    size_t total = ino_len + 1 + file_len;
#define REST(i) ((i) < ino_len ? ino[(i)] : (i) == ino_len ? ',' : file[(i) - ino_len - 1])
    while (r < total && ((REST(r) >= '0' && REST(r) <= '9') || REST(r) == '-'))
        r++;
    if (r == 0 || r >= total || REST(r) != ',')
        return false;
    size_t off = r + 1, len = total - off;
    /* (.*)$: no newline, or one final newline that $ stands before */
    for (size_t i = off; i < total; i++) {
        if (REST(i) == '\n') {
            if (i != total - 1)
                return false;
            len--;
        }
    }
#undef REST
    *pino_len = r;
    *pfile_off = off;
    *pfile_len = len;
    return true;
}

static int add_line(struct ty_mactime *m, char *line, size_t len, bool had_nl, struct ty_err *err)
{
    struct field f[12];
    size_t nf = 0;
    int rc = 0;
    struct rb rec = {0}, rec2 = {0};

    m->st.lines++;
    /* next if /^#/ || /^\s+$/ */
    if (len && line[0] == '#')
        goto skip;
    {
        bool ws = true;
        for (size_t i = 0; i < len && ws; i++)
            ws = perl_space(line[i]);
        if (ws && (len || had_nl))
            goto skip;
    }
    /* split /\|/, trailing empty fields removed */
    {
        size_t start = 0;
        size_t n_all = 0;
        for (size_t i = 0; i <= len; i++) {
            if (i == len || line[i] == '|') {
                if (n_all < 12) {
                    f[n_all].p = line + start;
                    f[n_all].len = i - start;
                }
                n_all++;
                start = i + 1;
                if (n_all >= 12 && i < len) {
                    /* fields past the 12th are never used; only whether the
                     * ones we use are trailing-empty matters, and a later
                     * non-empty field keeps them */
                    bool later = false;
                    for (size_t j = i + 1; j < len; j++)
                        if (line[j] != '|') {
                            later = true;
                            break;
                        }
                    if (later)
                        n_all = 13;
                    break;
                }
            }
        }
        nf = n_all > 12 ? 12 : n_all;
        if (n_all <= 12)
            while (nf && f[nf - 1].len == 0)
                nf--;
    }
    for (size_t i = 0; i < nf; i++)
        f[i].len = url_decode(f[i].p, f[i].len);
    if (nf < 11)
        goto skip; /* crtime (or an earlier field) undefined */
    {
        struct field *ino = &f[2];
        bool ok = false;
        for (size_t i = 0; i < ino->len; i++)
            if ((ino->p[i] >= '0' && ino->p[i] <= '9') || ino->p[i] == '-')
                ok = true;
        if (!ok)
            goto skip;
        for (int i = 4; i <= 10; i++)
            if (!has_digit(f[i].p, f[i].len))
                goto skip;
    }
    /* atime 7, mtime 8, ctime 9, crtime 10 */
    if (f[7].len == 1 && f[7].p[0] == '0' && f[8].len == 1 && f[8].p[0] == '0' && f[9].len == 1 &&
        f[9].p[0] == '0' && f[10].len == 1 && f[10].p[0] == '0')
        goto skip;
    struct pnum v[4]; /* m a c b */
    static const int col[4] = {8, 7, 9, 10};
    bool all_early = true;
    for (int k = 0; k < 4; k++) {
        v[k] = perl_num(f[col[k]].p, f[col[k]].len);
        if (!(v[k].d < (double)m->in_sec))
            all_early = false;
    }
    if (all_early)
        goto skip;

    /* metadata "mode:uid:gid:size" with whitespace in ids as '/' */
    struct rb meta = {0};
    rb_put(&meta, f[3].p, f[3].len);
    rb_put(&meta, ":", 1);
    for (int k = 4; k <= 5; k++) {
        for (size_t i = 0; i < f[k].len; i++) {
            char ch = perl_space(f[k].p[i]) ? '/' : f[k].p[i];
            rb_put(&meta, &ch, 1);
        }
        rb_put(&meta, ":", 1);
    }
    rb_put(&meta, f[6].p, f[6].len);

    /* entries: the times that pass the filter, equal times merged */
    int64_t tv[4];
    uint8_t letters[4];
    int n_ent = 0;
    for (int k = 0; k < 4; k++) {
        int64_t t;
        if (!key_time(&v[k], &t))
            continue;
        if (t < m->in_sec || (m->out_sec && t >= m->out_sec))
            continue;
        int j;
        for (j = 0; j < n_ent; j++)
            if (tv[j] == t)
                break;
        if (j == n_ent) {
            tv[n_ent] = t;
            letters[n_ent++] = 0;
        }
        letters[j] |= (uint8_t)(1u << k);
    }
    size_t pino_len = 0, pfile_off = 0, pfile_len = 0;
    bool printable = n_ent &&
                     print_split(f[2].p, f[2].len, f[1].p, f[1].len, &pino_len, &pfile_off,
                                 &pfile_len);
    bool same = printable && pfile_len == f[1].len &&
                pfile_off == f[2].len + 1; /* parsed name is the line's name */
    uint64_t seq = ~m->seq++;

    /* record for the line's own name: its metadata (and entries if same) */
    rb_u32(&rec, (uint32_t)(8 + 4 + f[1].len + 1 + 8));
    rb_u64be(&rec, ty_str_hash(ty_str_make(f[1].p, f[1].len)));
    rb_u32be(&rec, (uint32_t)f[1].len);
    rb_put(&rec, f[1].p, f[1].len);
    rb_put(&rec, "\0", 1); /* has metadata: first */
    rb_u64be(&rec, seq);
    rb_u32(&rec, (uint32_t)meta.len);
    rb_put(&rec, meta.p, meta.len);
    struct rb *er = same ? &rec : printable ? &rec2 : NULL;
    if (er == &rec2) {
        /* entries go to the name the print regex will look up */
        const char *pf = pfile_off < f[2].len + 1 ? NULL : f[1].p + (pfile_off - f[2].len - 1);
        char *tmp = NULL;
        if (!pf) {
            /* the parsed name starts inside the inode field */
            tmp = malloc(pfile_len + 1);
            if (!tmp) {
                free(meta.p);
                rc = ty_err_set(err, TY_ENOMEM, "out of memory");
                goto out;
            }
            size_t o = 0;
            for (size_t i = pfile_off; o < pfile_len; i++, o++)
                tmp[o] = i < f[2].len ? f[2].p[i] : i == f[2].len ? ',' : f[1].p[i - f[2].len - 1];
            pf = tmp;
        }
        rb_u32(&rec2, (uint32_t)(8 + 4 + pfile_len + 1 + 8));
        rb_u64be(&rec2, ty_str_hash(ty_str_make(pf, pfile_len)));
        rb_u32be(&rec2, (uint32_t)pfile_len);
        rb_put(&rec2, pf, pfile_len);
        rb_put(&rec2, "\1", 1);
        rb_u64be(&rec2, seq);
        rb_u32(&rec2, 0);
        free(tmp);
    }
    free(meta.p);
    if (er) {
        /* [n][pino len][pfile off][pfile len][ino len][ino][file len][file] then
         * n x [letters][time]: phase B builds the keys */
        uint8_t n = (uint8_t)n_ent;
        rb_put(er, &n, 1);
        rb_u32(er, (uint32_t)pino_len);
        rb_u32(er, (uint32_t)pfile_off);
        rb_u32(er, (uint32_t)pfile_len);
        rb_u32(er, (uint32_t)f[2].len);
        rb_put(er, f[2].p, f[2].len);
        rb_u32(er, (uint32_t)f[1].len);
        rb_put(er, f[1].p, f[1].len);
        for (int j = 0; j < n_ent; j++) {
            rb_put(er, &letters[j], 1);
            rb_put(er, &tv[j], 8);
        }
    }
    if (er != &rec) {
        uint8_t z = 0;
        rb_put(&rec, &z, 1);
    }
    if (rec.oom || rec2.oom) {
        rc = ty_err_set(err, TY_ENOMEM, "out of memory");
        goto out;
    }
    if ((rc = ty__xsort_add(m->a, rec.p, rec.len, err)) != 0)
        goto out;
    if (er == &rec2 && (rc = ty__xsort_add(m->a, rec2.p, rec2.len, err)) != 0)
        goto out;
    goto out;
skip:
    m->st.skipped++;
out:
    free(rec.p);
    free(rec2.p);
    return rc;
}

int ty_mactime_feed(struct ty_mactime *m, const char *p, size_t len, struct ty_err *err)
{
    int rc;
    while (len) {
        const char *nl = memchr(p, '\n', len);
        size_t n = nl ? (size_t)(nl - p) : len;
        if (m->carry_len + n > MAX_LINE) {
            m->carry_toolong = true;
            m->carry_len = 0;
        } else if (m->carry_len || !nl) {
            if (m->carry_len + n > m->carry_cap) {
                size_t nc = m->carry_cap ? m->carry_cap * 2 : 4096;
                while (nc < m->carry_len + n)
                    nc *= 2;
                char *c = realloc(m->carry, nc);
                if (!c)
                    return ty_err_set(err, TY_ENOMEM, "out of memory");
                m->carry = c;
                m->carry_cap = nc;
            }
            memcpy(m->carry + m->carry_len, p, n);
            m->carry_len += n;
        }
        if (!nl)
            return 0;
        if (m->carry_toolong) {
            m->st.lines++;
            m->st.skipped++;
            m->carry_toolong = false;
            m->carry_len = 0;
        } else if (m->carry_len) {
            rc = add_line(m, m->carry, m->carry_len, true, err);
            m->carry_len = 0;
            if (rc)
                return rc;
        } else {
            /* the line in place: copy (URL decoding writes to it) */
            if (n > m->scratch_cap) {
                size_t nc = m->scratch_cap ? m->scratch_cap * 2 : 4096;
                while (nc < n)
                    nc *= 2;
                char *s = realloc(m->scratch, nc);
                if (!s)
                    return ty_err_set(err, TY_ENOMEM, "out of memory");
                m->scratch = s;
                m->scratch_cap = nc;
            }
            if (n)
                memcpy(m->scratch, p, n);
            if ((rc = add_line(m, m->scratch ? m->scratch : "", n, true, err)) != 0)
                return rc;
        }
        p = nl + 1;
        len -= n + 1;
    }
    return 0;
}

/* ---- phase B and output ---------------------------------------------------- */

struct out {
    FILE *f;
    char *buf;
    size_t len, cap;
    bool fail;
};

static void o_put(struct out *o, const char *p, size_t n)
{
    if (o->len + n > o->cap) {
        if (o->len && fwrite(o->buf, 1, o->len, o->f) != o->len)
            o->fail = true;
        o->len = 0;
        if (n > o->cap) {
            if (fwrite(p, 1, n, o->f) != n)
                o->fail = true;
            return;
        }
    }
    memcpy(o->buf + o->len, p, n);
    o->len += n;
}

static void o_str(struct out *o, const char *s)
{
    o_put(o, s, strlen(s));
}

/* %-<w>s */
static void o_lpad(struct out *o, const char *p, size_t n, size_t w)
{
    static const char sp[] = "                                ";
    o_put(o, p, n);
    while (n < w) {
        size_t k = w - n > 32 ? 32 : w - n;
        o_put(o, sp, k);
        n += k;
    }
}

/* %<w>s */
static void o_rpad(struct out *o, const char *p, size_t n, size_t w)
{
    static const char sp[] = "                                ";
    size_t pad = n < w ? w - n : 0;
    while (pad) {
        size_t k = pad > 32 ? 32 : pad;
        o_put(o, sp, k);
        pad -= k;
    }
    o_put(o, p, n);
}

struct meta4 {
    const char *p[4];
    size_t n[4];
};

/* split(/:/, meta): the first four pieces, missing ones empty */
static void split_meta(const char *p, size_t n, struct meta4 *m)
{
    size_t start = 0;
    int k = 0;
    for (int i = 0; i < 4; i++) {
        m->p[i] = "";
        m->n[i] = 0;
    }
    for (size_t i = 0; i <= n && k < 4; i++) {
        if (i == n || p[i] == ':') {
            m->p[k] = p + start;
            m->n[k] = i - start;
            k++;
            start = i + 1;
        }
    }
}

struct bent {
    const char *key;
    size_t key_len;
    uint8_t letters;
    uint32_t tlen, pino_off, pfile_off, pfile_len;
    const char *meta;
    uint32_t meta_len;
};

static void parse_b(const char *rec, struct bent *b)
{
    b->key_len = get32(rec);
    b->key = rec + 4;
    const char *q = rec + 4 + b->key_len;
    b->letters = (uint8_t)q[0];
    b->tlen = get32(q + 1);
    b->pino_off = get32(q + 5);
    b->pfile_off = get32(q + 9);
    b->pfile_len = get32(q + 13);
    b->meta_len = get32(q + 17);
    b->meta = q + 21;
}

struct printer {
    struct ty_mactime *m;
    struct out o;
    char old_date[64];
    size_t old_len;
    int64_t cache_t;
    char cache_s[64];
    size_t cache_len;
};

/* A JSON string: quotes, backslashes and control bytes escaped; other bytes
 * as they are (names are bytes, not necessarily UTF-8). */
static void o_json_str(struct out *o, const char *p, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    size_t s = 0;
    o_put(o, "\"", 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        o_put(o, p + s, i - s);
        char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
        if (c == '"' || c == '\\') {
            e[1] = (char)c;
            o_put(o, e, 2);
        } else {
            o_put(o, e, 6);
        }
        s = i + 1;
    }
    o_put(o, p + s, n - s);
    o_put(o, "\"", 1);
}

static void print_json(struct printer *pr, int64_t t, const char macb[4], const struct meta4 *md,
                       const char *ino, size_t ino_len, const char *file, size_t file_len)
{
    struct out *o = &pr->o;
    char d[64];
    size_t dl = 0;
    o_str(o, "{\"time\":");
    if (t == 0 || (double)t > 67767976233316800.0) {
        o_str(o, "null");
    } else {
        struct civil c;
        civil_utc(t, &c);
        dl = (size_t)snprintf(d, sizeof(d), "\"%04lld-%02d-%02dT%02d:%02d:%02dZ\"",
                              (long long)c.year, c.mon, c.mday, c.hour, c.min, c.sec);
        o_put(o, d, dl);
    }
    dl = (size_t)snprintf(d, sizeof(d), ",\"epoch\":%lld,\"macb\":\"%.4s\",\"size\":",
                          (long long)t, macb);
    o_put(o, d, dl);
    o_json_str(o, md->p[3], md->n[3]);
    o_str(o, ",\"mode\":");
    o_json_str(o, md->p[0], md->n[0]);
    o_str(o, ",\"uid\":");
    o_json_str(o, md->p[1], md->n[1]);
    o_str(o, ",\"gid\":");
    o_json_str(o, md->p[2], md->n[2]);
    o_str(o, ",\"inode\":");
    o_json_str(o, ino, ino_len);
    o_str(o, ",\"name\":");
    o_json_str(o, file, file_len);
    o_str(o, "}\n");
}

static void print_entry(struct printer *pr, const struct bent *b)
{
    struct ty_mactime *m = pr->m;
    struct out *o = &pr->o;
    int64_t t = 0;
    for (uint32_t i = 0; i < b->tlen; i++)
        t = t * 10 + (b->key[i] - '0');
    if (t != pr->cache_t || !pr->cache_len) {
        pr->cache_len = format_date(m, t, pr->cache_s, sizeof(pr->cache_s));
        pr->cache_t = t;
    }
    struct meta4 md;
    split_meta(b->meta, b->meta_len, &md);
    char macb[4] = {b->letters & 1 ? 'm' : '.', b->letters & 2 ? 'a' : '.',
                    b->letters & 4 ? 'c' : '.', b->letters & 8 ? 'b' : '.'};
    const char *ino = b->key + b->tlen + 1;
    size_t ino_len = b->pino_off - b->tlen - 1;
    const char *file = b->key + b->pfile_off;
    bool same_date = pr->old_len == pr->cache_len &&
                     memcmp(pr->old_date, pr->cache_s, pr->cache_len) == 0;
    if (!same_date) {
        memcpy(pr->old_date, pr->cache_s, pr->cache_len);
        pr->old_len = pr->cache_len;
    }
    m->st.entries++;
    if (!m->o.mactime && m->o.json) {
        print_json(pr, t, macb, &md, ino, ino_len, file, b->pfile_len);
        return;
    }
    if (!m->o.mactime) {
        /* tyto's readable line: ISO UTC time, macb, size, mode, uid:gid, inode, name */
        char d[64];
        size_t dl;
        if (t == 0) {
            dl = (size_t)snprintf(d, sizeof(d), "%-20s", "(no time)");
        } else if ((double)t > 67767976233316800.0) {
            dl = (size_t)snprintf(d, sizeof(d), "%-20s", "(time out of range)");
        } else {
            struct civil c;
            civil_utc(t, &c);
            dl = (size_t)snprintf(d, sizeof(d), "%04lld-%02d-%02dT%02d:%02d:%02dZ",
                                  (long long)c.year, c.mon, c.mday, c.hour, c.min, c.sec);
        }
        o_put(o, d, dl);
        o_put(o, " ", 1);
        o_put(o, macb, 4);
        o_put(o, " ", 1);
        o_rpad(o, md.p[3], md.n[3], 10);
        o_put(o, " ", 1);
        o_put(o, md.p[0], md.n[0]);
        o_put(o, " ", 1);
        o_put(o, md.p[1], md.n[1]);
        o_put(o, ":", 1);
        o_put(o, md.p[2], md.n[2]);
        o_put(o, " ", 1);
        o_put(o, ino, ino_len);
        o_put(o, " ", 1);
        o_put(o, file, b->pfile_len);
        o_put(o, "\n", 1);
        return;
    }
    if (m->o.csv) {
        o_put(o, pr->old_date, pr->old_len);
        o_put(o, ",", 1);
        o_put(o, md.p[3], md.n[3]);
        o_put(o, ",", 1);
        o_put(o, macb, 4);
        o_put(o, ",", 1);
        o_put(o, md.p[0], md.n[0]);
        o_put(o, ",", 1);
        o_put(o, md.p[1], md.n[1]);
        o_put(o, ",", 1);
        o_put(o, md.p[2], md.n[2]);
        o_put(o, ",", 1);
        o_put(o, ino, ino_len);
        o_put(o, ",\"", 2);
        size_t s = 0;
        for (size_t i = 0; i < b->pfile_len; i++) {
            if (file[i] == '"') {
                o_put(o, file + s, i + 1 - s);
                o_put(o, "\"", 1);
                s = i + 1;
            }
        }
        o_put(o, file + s, b->pfile_len - s);
        o_put(o, "\"\n", 2);
        return;
    }
    /* "%s %8s %3s %s %-8s %-8s %-8s %s\n" */
    if (same_date)
        o_str(o, m->o.iso ? "                    " : "                        ");
    else
        o_put(o, pr->cache_s, pr->cache_len);
    o_put(o, " ", 1);
    o_rpad(o, md.p[3], md.n[3], 8);
    o_put(o, " ", 1);
    o_put(o, macb, 4);
    o_put(o, " ", 1);
    o_put(o, md.p[0], md.n[0]);
    o_put(o, " ", 1);
    o_lpad(o, md.p[1], md.n[1], 8);
    o_put(o, " ", 1);
    o_lpad(o, md.p[2], md.n[2], 8);
    o_put(o, " ", 1);
    o_lpad(o, ino, ino_len, 8);
    o_put(o, " ", 1);
    o_put(o, file, b->pfile_len);
    o_put(o, "\n", 1);
}

int ty_mactime_write(struct ty_mactime *m, FILE *f, struct ty_err *err)
{
    struct ty_xsort *bsort = NULL;
    struct printer pr;
    struct rb grp_meta = {0}, brec = {0};
    char *last_key = NULL;
    size_t last_cap = 0;
    int rc;
    const void *rp;
    size_t rl;

    memset(&pr, 0, sizeof(pr));
    pr.m = m;
    pr.o.f = f;
    pr.o.cap = 1 << 20;
    pr.o.buf = malloc(pr.o.cap);
    if (!pr.o.buf)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    /* a last line without '\n' */
    if (m->carry_toolong) {
        m->st.lines++;
        m->st.skipped++;
        m->carry_toolong = false;
    } else if (m->carry_len) {
        rc = add_line(m, m->carry, m->carry_len, false, err);
        m->carry_len = 0;
        if (rc)
            goto out;
    }
    if ((rc = ty__xsort_finish(m->a, err)) != 0)
        goto out;
    if ((rc = ty__xsort_new(&bsort, m->o.mem_budget / 2, m->o.tmpdir, err)) != 0)
        goto out;

    /* phase A: group by name; the first record of a group has the winning metadata */
    {
        const char *gname = NULL;
        size_t gname_len = 0;
        char *gcopy = NULL;
        size_t gcap = 0;
        bool have_group = false;
        while ((rc = ty__xsort_next(m->a, &rp, &rl, err)) == TY_OK) {
            const char *r = rp;
            uint32_t klen = get32(r);
            const unsigned char *k = (const unsigned char *)r + 4 + 8; /* after the hash */
            size_t nlen = ((size_t)k[0] << 24) | ((size_t)k[1] << 16) | ((size_t)k[2] << 8) | k[3];
            const char *name = (const char *)k + 4;
            bool has_meta = k[4 + nlen] == 0;
            const char *q = r + 4 + klen;
            uint32_t mlen = get32(q);
            const char *mp = q + 4;
            q = mp + mlen;
            if (!have_group || nlen != gname_len || memcmp(name, gname, nlen) != 0) {
                if (nlen >= gcap) { /* also allocates for an empty name */
                    char *g = realloc(gcopy, nlen + 1);
                    if (!g) {
                        free(gcopy);
                        rc = ty_err_set(err, TY_ENOMEM, "out of memory");
                        goto out;
                    }
                    gcopy = g;
                    gcap = nlen + 1;
                }
                if (nlen)
                    memcpy(gcopy, name, nlen);
                gname = gcopy;
                gname_len = nlen;
                have_group = true;
                grp_meta.len = 0;
                if (has_meta)
                    rb_put(&grp_meta, mp, mlen);
            }
            uint8_t n = (uint8_t)q[0];
            if (n) {
                uint32_t pino_len = get32(q + 1), pfile_off = get32(q + 5);
                uint32_t pfile_len = get32(q + 9), ino_len = get32(q + 13);
                const char *ino = q + 17;
                uint32_t file_len = get32(ino + ino_len);
                const char *file = ino + ino_len + 4;
                q = file + file_len;
                for (uint8_t j = 0; j < n; j++, q += 9) {
                    uint8_t letters = (uint8_t)q[0];
                    int64_t t;
                    char ts[32];
                    memcpy(&t, q + 1, 8);
                    int tl = snprintf(ts, sizeof(ts), "%010lld", (long long)t);
                    uint32_t key_len = (uint32_t)tl + 1 + ino_len + 1 + file_len;
                    uint32_t x[4] = {(uint32_t)tl, (uint32_t)tl + 1 + pino_len,
                                     (uint32_t)tl + 1 + pfile_off, pfile_len};
                    brec.len = 0;
                    rb_u32(&brec, key_len);
                    rb_put(&brec, ts, (size_t)tl);
                    rb_put(&brec, ",", 1);
                    rb_put(&brec, ino, ino_len);
                    rb_put(&brec, ",", 1);
                    rb_put(&brec, file, file_len);
                    rb_put(&brec, &letters, 1);
                    rb_put(&brec, x, 16); /* tlen, pino end, pfile off, pfile len */
                    rb_u32(&brec, (uint32_t)grp_meta.len);
                    rb_put(&brec, grp_meta.p, grp_meta.len);
                    if (brec.oom || grp_meta.oom) {
                        free(gcopy);
                        rc = ty_err_set(err, TY_ENOMEM, "out of memory");
                        goto out;
                    }
                    if ((rc = ty__xsort_add(bsort, brec.p, brec.len, err)) != 0) {
                        free(gcopy);
                        goto out;
                    }
                }
            }
        }
        free(gcopy);
        if (rc != TY_EOF)
            goto out;
    }
    /* free phase A's memory before phase B's */
    m->st.runs += ty__xsort_runs(m->a);
    ty__xsort_free(m->a);
    m->a = NULL;
    if ((rc = ty__xsort_finish(bsort, err)) != 0)
        goto out;

    if (m->o.mactime && m->o.header) {
        const char *tz = getenv("TZ");
        fprintf(f, "The Sleuth Kit mactime Timeline\nInput Source: %s\n",
                m->o.source ? m->o.source : "STDIN");
        if (m->time_arg[0])
            fprintf(f, "Time: %s\t\t", m->time_arg);
        if (!tz || !*tz)
            fputs("\n", f);
        else
            fprintf(f, "Timezone: %s\n", tz);
        fputs("\n", f);
    }
    if (m->o.mactime && m->o.csv)
        o_str(&pr.o, "Date,Size,Type,Mode,UID,GID,Meta,File Name\n");

    /* phase B: merge equal keys, print */
    {
        struct bent cur;
        bool have = false;
        while ((rc = ty__xsort_next(bsort, &rp, &rl, err)) == TY_OK) {
            struct bent b;
            parse_b(rp, &b);
            if (have && b.key_len == cur.key_len && memcmp(b.key, cur.key, b.key_len) == 0) {
                cur.letters |= b.letters;
                continue;
            }
            if (have)
                print_entry(&pr, &cur);
            /* keep a copy: the record's memory is reused by the next call */
            size_t need = 4 + b.key_len + 21 + b.meta_len;
            if (need > last_cap) {
                char *lk = realloc(last_key, need);
                if (!lk) {
                    rc = ty_err_set(err, TY_ENOMEM, "out of memory");
                    goto out;
                }
                last_key = lk;
                last_cap = need;
            }
            memcpy(last_key, rp, need);
            parse_b(last_key, &cur);
            have = true;
        }
        if (rc != TY_EOF)
            goto out;
        if (have)
            print_entry(&pr, &cur);
    }
    m->st.runs += ty__xsort_runs(bsort);
    if (pr.o.len && fwrite(pr.o.buf, 1, pr.o.len, f) != pr.o.len)
        pr.o.fail = true;
    pr.o.len = 0;
    if (fflush(f) != 0 || pr.o.fail) {
        rc = ty_err_set(err, TY_EIO, "cannot write the timeline");
        goto out;
    }
    rc = 0;
out:
    free(pr.o.buf);
    free(grp_meta.p);
    free(brec.p);
    free(last_key);
    ty__xsort_free(bsort);
    return rc;
}
