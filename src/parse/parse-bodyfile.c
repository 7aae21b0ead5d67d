/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse-bodyfile.c - The Sleuth Kit bodyfile (fls -m, ils -m, mac-robber):
 * one event per file line.
 *
 * Record format (formats.md §9.1): `MD5|name|inode|mode_as_string|UID|GID|
 * size|atime|mtime|ctime|crtime`, times in Unix epoch seconds UTC (integers
 * from TSK, fractions from other producers), 0 = not available. The pre-3.0
 * layout has 16 fields (`MD5|path|device|inode|mode_as_value|mode_as_string|
 * nlink|UID|GID|rdev|size|atime|mtime|ctime|blksize|blocks`, no crtime) and
 * is told apart by its count and a numeric field 5.
 * Quirks handled: '|' inside names is not escaped by TSK, so with more than
 * 11 fields the first is the MD5, the last 9 are taken from the right and
 * the rest re-joined as the name; names keep TSK's suffixes (" (deleted)",
 * " (deleted-realloc)", " -> target" for links, " ($FILE_NAME)") in the raw
 * record while file_path has them stripped; mac-robber's three header lines
 * (host and collection time are kept) and the symlink target it appends to
 * the mode field; 64-bit NTFS file references are kept as written, with the
 * MFT entry (low 48 bits) added to the message; times
 * "0", "-1", "" or "-" are "not available"; a header line "MD5|name|..." and
 * '#' comments are skipped.
 * One event per line: ts is the earliest available of the four MACB times,
 * ts_end the latest, and all four (with the line's macb flags) are in the
 * message; the per-time timeline (one line per distinct time, like mactime)
 * is the job of `tyto fs`. A line whose four times are all unavailable (a
 * deleted name without metadata) is still evidence: it is emitted with ts 0
 * and action "file-untimed". Fewer than 11 fields, a non-numeric size or
 * time: TY_ECORRUPT naming the field.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/parser.h>
#include <tyto/time.h>

#include "parse-bodyfile-int.h"

static const char *const bf_names[BF_N] = {"md5",   "name",  "inode", "mode",  "uid",  "gid",
                                           "size",  "atime", "mtime", "ctime", "crtime"};

const char *ty__bf_field_name(int i)
{
    return i >= 0 && i < BF_N ? bf_names[i] : "";
}

static bool all_digits(struct ty_str s)
{
    if (!s.len)
        return false;
    for (size_t i = 0; i < s.len; i++)
        if (s.p[i] < '0' || s.p[i] > '9')
            return false;
    return true;
}

/* A mode string "r/rrwxr-xr-x", "-/----------" or mac-robber's "-rw-r--r--". */
static bool mode_shaped(struct ty_str s)
{
    if (s.len >= 12 && s.p[1] == '/')
        return true;
    return s.len >= 10 && strchr("-dlcbpsDhwvV", s.p[0]) != NULL;
}

int ty__bf_split(struct ty_str line, struct ty_bf_line *out)
{
    struct ty_str parts[16];
    size_t n_bars = 0;
    memset(out, 0, sizeof(*out));
    for (size_t i = 0; i < line.len; i++)
        n_bars += line.p[i] == '|';
    if (n_bars < 10)
        return -1;
    /* the 16-field pre-3.0 layout */
    if (n_bars == 15) {
        size_t k = 0, start = 0;
        for (size_t i = 0; i <= line.len; i++) {
            if (i == line.len || line.p[i] == '|') {
                parts[k++] = ty_str_make(line.p + start, i - start);
                start = i + 1;
            }
        }
        if (all_digits(parts[4]) && mode_shaped(parts[5]) && all_digits(parts[10])) {
            static const int map[BF_N] = {0, 1, 3, 5, 7, 8, 10, 11, 12, 13, -1};
            for (int f = 0; f < BF_N; f++)
                out->f[f] = map[f] < 0 ? TY_STR_NULL : parts[map[f]];
            out->version = 2;
            return 0;
        }
    }
    /* 3.x: MD5 first, 9 fields from the right, the name in between */
    const char *p = line.p, *end = line.p + line.len;
    const char *bar = memchr(p, '|', line.len);
    out->f[BF_MD5] = ty_str_make(p, (size_t)(bar - p));
    const char *q = end;
    for (int f = BF_N - 1; f >= BF_INODE; f--) {
        const char *r = q;
        while (r > bar && r[-1] != '|')
            r--;
        out->f[f] = ty_str_make(r, (size_t)(q - r));
        q = r - 1; /* the bar before this field */
    }
    out->f[BF_NAME] = ty_str_make(bar + 1, q > bar ? (size_t)(q - bar - 1) : 0);
    out->version = 3;
    return 0;
}

/* Time text: "" "-" "0" "-1" are absent (returns 1); else 0 with *ns and
 * *prec, or -1 when it is not a number. */
int ty__bf_time(struct ty_str s, int64_t *ns, int *prec)
{
    int64_t sec = 0, frac = 0;
    int digits = 0, fdig = 0;
    bool neg = false;
    size_t i = 0;
    *ns = 0;
    *prec = 0;
    if (!s.len || (s.len == 1 && s.p[0] == '-') || ty_str_eq_cstr(s, "0") ||
        ty_str_eq_cstr(s, "-1"))
        return 1;
    if (s.p[0] == '-') {
        neg = true;
        i++;
    }
    for (; i < s.len && s.p[i] >= '0' && s.p[i] <= '9'; i++, digits++) {
        if (sec > (INT64_MAX / TY_NS_PER_SEC) / 10)
            return -1;
        sec = sec * 10 + (s.p[i] - '0');
    }
    if (!digits || sec > (INT64_MAX - (TY_NS_PER_SEC - 1)) / TY_NS_PER_SEC)
        return -1; /* the time must fit in int64 nanoseconds */
    if (i < s.len && s.p[i] == '.') {
        for (i++; i < s.len && s.p[i] >= '0' && s.p[i] <= '9'; i++) {
            if (fdig < 9) {
                frac = frac * 10 + (s.p[i] - '0');
                fdig++;
            }
        }
    }
    if (i != s.len)
        return -1;
    for (int k = fdig; k < 9; k++)
        frac *= 10;
    if (!neg && sec == 0 && frac == 0)
        return 1;
    *ns = (neg ? -1 : 1) * (sec * TY_NS_PER_SEC + frac);
    *prec = fdig;
    return 0;
}

struct bf {
    struct ty_event ev;
    char host[256];
    size_t host_len;
};

#define CORRUPT(...) ty_err_set(err, TY_ECORRUPT, __VA_ARGS__)

static void put_str(struct ty_event *ev, enum ty_field f, struct ty_str s)
{
    if (s.len) {
        ev->v[f].s = s;
        ty_event_mark(ev, f);
    }
}

static void put_int(struct ty_event *ev, enum ty_field f, int64_t i)
{
    ev->v[f].i = i;
    ty_event_mark(ev, f);
}

/* Strip TSK's name suffixes; sets *flags text (static). */
static struct ty_str clean_name(struct ty_str name, struct ty_str mode, struct ty_str *target,
                                const char **flag)
{
    *flag = NULL;
    *target = TY_STR_NULL;
    if (ty_str_ends(name, " ($FILE_NAME)")) {
        name.len -= 13;
        *flag = "fn-attr";
    }
    if (ty_str_ends(name, " (deleted)")) {
        name.len -= 10;
        *flag = "deleted";
    } else if (ty_str_ends(name, " (deleted-realloc)")) {
        name.len -= 18;
        *flag = "deleted-realloc";
    }
    /* a link target, only for link modes ("l/l...", mac-robber "l...") */
    if (mode.len && (mode.p[0] == 'l' || (mode.len > 2 && mode.p[1] == '/' && mode.p[2] == 'l'))) {
        for (size_t i = 0; i + 4 <= name.len; i++) {
            if (memcmp(name.p + i, " -> ", 4) == 0) {
                *target = ty_str_make(name.p + i + 4, name.len - i - 4);
                name.len = i;
                break;
            }
        }
    }
    return name;
}

static const char *kind_of(struct ty_str mode)
{
    char t = 0;
    if (mode.len >= 3 && mode.p[1] == '/')
        t = mode.p[2] != '-' ? mode.p[2] : mode.p[0];
    else if (mode.len)
        t = mode.p[0];
    switch (t) {
    case 'r':
    case '-':
        return mode.len >= 3 && mode.p[1] == '/' && t == '-' ? NULL : "file";
    case 'd':
    case 'V':
        return "directory";
    case 'l':
        return "symlink";
    case 'c':
    case 'b':
        return "device";
    case 'p':
        return "fifo";
    case 's':
        return "socket";
    default:
        return NULL;
    }
}

static int bf_record(struct ty_parse_ctx *ctx, const struct ty_record *rec, struct ty_err *err)
{
    struct bf *b = ctx->priv;
    struct ty_bf_line l;
    struct ty_str line = ty_str_make(rec->p, rec->len);
    int64_t t[4], lo = 0, hi = 0;
    int prec[4], lo_i = -1;
    bool have[4];
    char iso[4][40];

    if (!b)
        return ty_err_set(err, TY_EINVAL, "bodyfile: record() before open()");
    if (line.len && line.p[0] == '#')
        return TY_SKIP;
    if (ty_str_trim(line).len == 0)
        return TY_SKIP;
    /* mac-robber header lines */
    if (ty_str_eq_cstr(line, "class|host|start_time"))
        return TY_SKIP;
    if (ty_str_starts(line, "body|")) {
        struct ty_str rest = ty_str_make(line.p + 5, line.len - 5);
        ptrdiff_t bar = ty_str_chr(rest, '|');
        if (bar >= 0 && ty_str_chr(ty_str_make(rest.p + bar + 1, rest.len - (size_t)bar - 1),
                                   '|') < 0) {
            size_t n = (size_t)bar < sizeof(b->host) ? (size_t)bar : sizeof(b->host) - 1;
            memcpy(b->host, rest.p, n);
            b->host_len = n;
            return TY_SKIP;
        }
    }
    if (ty__bf_split(line, &l) != 0)
        return CORRUPT("bodyfile line at byte %llu has fewer than 11 '|'-separated fields",
                       (unsigned long long)rec->offset);
    if (ty_str_eq_cstr(l.f[BF_MD5], "MD5") && ty_str_eq_cstr(l.f[BF_NAME], "name"))
        return TY_SKIP; /* the column header mac-robber (and some scripts) write */
    if (!l.f[BF_NAME].len)
        return CORRUPT("bodyfile line at byte %llu: empty name", (unsigned long long)rec->offset);
    if (l.f[BF_SIZE].len && !all_digits(l.f[BF_SIZE]))
        return CORRUPT("bodyfile line at byte %llu: size '%.*s' is not a number",
                       (unsigned long long)rec->offset,
                       (int)(l.f[BF_SIZE].len > 40 ? 40 : l.f[BF_SIZE].len), l.f[BF_SIZE].p);
    for (int i = 0; i < 4; i++) {
        struct ty_str s = l.f[BF_ATIME + i];
        int rc = ty__bf_time(s, &t[i], &prec[i]);
        if (rc < 0)
            return CORRUPT("bodyfile line at byte %llu: %s '%.*s' is not an epoch time",
                           (unsigned long long)rec->offset, bf_names[BF_ATIME + i],
                           (int)(s.len > 40 ? 40 : s.len), s.p);
        have[i] = rc == 0;
        if (have[i]) {
            if (lo_i < 0 || t[i] < lo) {
                lo = t[i];
                lo_i = i;
            }
            ty_time_format(t[i], prec[i], iso[i]);
        }
    }
    hi = lo;
    for (int i = 0; i < 4; i++)
        if (have[i] && t[i] > hi)
            hi = t[i];

    struct ty_event *ev = &b->ev;
    ty_event_clear(ev);
    struct ty_str target;
    const char *flag;
    struct ty_str path = clean_name(l.f[BF_NAME], l.f[BF_MODE], &target, &flag);
    put_str(ev, TY_F_CATEGORY, TY_STR_LIT("file"));
    put_str(ev, TY_F_FILE_PATH, path.len ? path : l.f[BF_NAME]);
    const char *kind = kind_of(l.f[BF_MODE]);
    if (kind)
        put_str(ev, TY_F_TARGET_KIND, ty_str_cstr(kind));
    put_str(ev, TY_F_TARGET, target);
    if (flag && flag[0] == 'd')
        put_str(ev, TY_F_DISPOSITION, ty_str_cstr(flag));
    if (b->host_len)
        put_str(ev, TY_F_HOST, ty_str_make(b->host, b->host_len));
    if (lo_i < 0) {
        put_int(ev, TY_F_TS, 0);
        put_str(ev, TY_F_ACTION, TY_STR_LIT("file-untimed"));
    } else {
        char macb[5] = "....";
        for (int i = 0; i < 4; i++)
            if (have[i] && t[i] == lo)
                macb[i == 0 ? 1 : i == 1 ? 0 : i] = "amcb"[i];
        put_int(ev, TY_F_TS, lo);
        put_int(ev, TY_F_TS_PREC, prec[lo_i]);
        put_str(ev, TY_F_TIME_TEXT, l.f[BF_ATIME + lo_i]);
        if (hi != lo)
            put_int(ev, TY_F_TS_END, hi);
        struct ty_str a = ty_arena_printf(ctx->arena, "file-%s", macb);
        if (!a.p)
            return ty_err_set(err, TY_ENOMEM, "out of memory");
        put_str(ev, TY_F_ACTION, a);
    }
    /* the four times, in mactime's m a c b order */
    static const int order[4] = {1, 0, 2, 3};
    char times[4][48];
    for (int k = 0; k < 4; k++) {
        int i = order[k];
        snprintf(times[k], sizeof(times[k]), "%c=%s", "amcb"[i], have[i] ? iso[i] : "-");
    }
    /* a 64-bit NTFS file reference (some exporters): the MFT entry is the low 48 bits */
    char mft[48] = "";
    uint64_t ref;
    if (all_digits(l.f[BF_INODE]) && ty_str_to_u64(l.f[BF_INODE], &ref) == 0 &&
        ref >> 48 != 0)
        snprintf(mft, sizeof(mft), " mft_entry=%llu",
                 (unsigned long long)(ref & 0xffffffffffffULL));
    struct ty_str msg = ty_arena_printf(
        ctx->arena, "%s %s %s %s size=%.*s mode=%.*s uid=%.*s gid=%.*s inode=%.*s%s%s%s",
        times[0], times[1], times[2], times[3], (int)l.f[BF_SIZE].len, l.f[BF_SIZE].p,
        (int)l.f[BF_MODE].len, l.f[BF_MODE].p, (int)l.f[BF_UID].len, l.f[BF_UID].p,
        (int)l.f[BF_GID].len, l.f[BF_GID].p, (int)l.f[BF_INODE].len, l.f[BF_INODE].p, mft,
        flag ? " " : "", flag ? flag : "");
    if (!msg.p)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    put_str(ev, TY_F_MESSAGE, msg);
    int rc = ty_parse_emit(ctx, ev);
    return rc < 0 ? rc : TY_OK;
}

/* ---- sniff, open, views ------------------------------------------------ */

static bool time_shaped(struct ty_str s)
{
    int64_t ns;
    int prec;
    return ty__bf_time(s, &ns, &prec) >= 0;
}

/* 2 = a bodyfile line, 1 = a header/comment, 0 = not one. */
static int line_score(struct ty_str l)
{
    struct ty_bf_line b;
    if (l.len && l.p[l.len - 1] == '\r')
        l.len--;
    if (!l.len || l.p[0] == '#')
        return 1;
    if (ty_str_eq_cstr(l, "class|host|start_time") || ty_str_starts(l, "MD5|name|inode|"))
        return 1;
    if (ty_str_starts(l, "body|"))
        return 1;
    if (ty__bf_split(l, &b) != 0)
        return 0;
    for (int i = BF_ATIME; i < BF_N; i++)
        if (!time_shaped(b.f[i]))
            return 0;
    if (!all_digits(b.f[BF_SIZE]) || !b.f[BF_INODE].len || !b.f[BF_NAME].len)
        return 0;
    if (!mode_shaped(b.f[BF_MODE]))
        return 0;
    return 2;
}

static int bf_sniff(struct ty_str head)
{
    struct ty_str s = head;
    int lines = 0, good = 0;
    if (s.len >= 3 && memcmp(s.p, "\xef\xbb\xbf", 3) == 0) {
        s.p += 3;
        s.len -= 3;
    }
    if (ty_str_starts(s, "class|host|start_time\n") || ty_str_starts(s, "class|host|start_time\r"))
        return 95;
    while (s.len && lines < 8) {
        const char *nl = memchr(s.p, '\n', s.len);
        if (!nl)
            break; /* a cut line proves nothing */
        struct ty_str l = ty_str_make(s.p, (size_t)(nl - s.p));
        int sc = line_score(l);
        if (sc == 0)
            return 0;
        good += sc == 2;
        lines++;
        s.p = nl + 1;
        s.len -= (size_t)(nl - l.p) + 1;
    }
    if (!good && s.len && line_score(s) == 2 && s.len == head.len)
        return 60; /* one line without a newline */
    if (!good)
        return 0;
    return good >= 2 ? 90 : 80;
}

static int bf_open(struct ty_parse_ctx *ctx, struct ty_err *err)
{
    struct bf *b = calloc(1, sizeof(*b));
    if (!b)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    ctx->priv = b;
    ctx->frame.kind = TY_FRAME_LINES;
    ctx->frame.key = NULL;
    snprintf(ctx->shape, sizeof(ctx->shape), "%s",
             ty_str_starts(ctx->head, "class|host|start_time") ? "mac-robber output"
                                                               : "TSK 3.x bodyfile lines");
    return 0;
}

static int bf_taxonomy(const struct ty_event *ev)
{
    (void)ev;
    return TY_SCAT_FILE_EVENT;
}

static int bf_fields(const struct ty_event *ev, ty_kv_fn kv, void *arg)
{
    struct ty_bf_line l;
    if (ty__bf_split(ev->raw, &l) != 0)
        return 0;
    for (int i = 0; i < BF_N; i++) {
        if (!l.f[i].p)
            continue;
        int rc = kv(arg, ty_str_cstr(bf_names[i]), l.f[i]);
        if (rc)
            return rc;
    }
    return 0;
}

const struct ty_parser ty_parser_bodyfile = {
    .abi = TY_PARSER_ABI,
    .name = "bodyfile",
    .desc = "The Sleuth Kit bodyfile 3.x (fls -m, ils -m), pre-3.0 16-field bodyfiles and "
            "mac-robber output: one event per file",
    .sniffs = "first line \"class|host|start_time\" (95); lines of >= 11 '|'-separated fields "
              "with a mode string, a numeric size and four epoch times (80, 90 for two lines)",
    .flags = TY_PARSER_F_TEXT,
    .sniff = bf_sniff,
    .open = bf_open,
    .record = bf_record,
    .close = ty_parse_free_priv,
    .taxonomy = bf_taxonomy,
    .fields = bf_fields,
};
