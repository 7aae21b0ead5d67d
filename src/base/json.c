/* SPDX-License-Identifier: Apache-2.0 */
/*
 * json.c - zero-copy JSON tokenizer: one validating pass over the input that
 * writes the token tape of include/tyto/json.h, plus lookups, iteration,
 * string decoding (UTF-8, surrogate pairs) and scalar conversions on it.
 * Design, accepted/rejected inputs and measured speed: docs/internals/JSON.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/json.h>

#define DEFAULT_MAX_DEPTH 512
#define DEFAULT_MAX_TOKENS (16u * 1024 * 1024)
#define FIRST_CAP 256u

#if defined(__GNUC__) || defined(__clang__)
#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)
#define NOINLINE __attribute__((noinline, cold))
#define ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define ALWAYS_INLINE inline
#define LIKELY(x) (x)
#define UNLIKELY(x) (x)
#define NOINLINE
#endif

#if (defined(__GNUC__) || defined(__clang__)) && defined(__BYTE_ORDER__) &&                        \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define SWAR_CTZ 1
#endif

/* Byte classes. */
enum {
    C_WS = 1 << 0,  /* JSON whitespace: space, tab, LF, CR */
    C_STR = 1 << 1, /* ends a plain run in a string: '"', '\\', bytes < 0x20 */
    C_DIG = 1 << 2, /* '0'..'9' */
};

#define R4(x) x, x, x, x
#define R8(x) R4(x), R4(x)
#define R16(x) R8(x), R8(x)
static const uint8_t cls[256] = {
    /* 0x00 */ R8(C_STR), C_STR, C_STR | C_WS, C_STR | C_WS, C_STR,
    /* 0x0c */ C_STR, C_STR | C_WS, C_STR, C_STR,
    /* 0x10 */ R16(C_STR),
    /* 0x20 */ C_WS, 0, C_STR, 0, R4(0), R8(0),
    /* 0x30 */ R8(C_DIG), C_DIG, C_DIG, 0, 0, R4(0),
    /* 0x40 */ R16(0),
    /* 0x50 */ R8(0), R4(0), C_STR, 0, 0, 0,
    /* 0x60 */ R16(0), R16(0),
    /* 0x80 */ R16(0), R16(0), R16(0), R16(0), R16(0), R16(0), R16(0), R16(0),
};

/* Hex digit values, 0xff for non-hex bytes. */
#define X16 R16(0xff)
static const uint8_t hexv[256] = {
    X16, X16, X16,
    /* 0x30 */ 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    /* 0x40 */ 0xff, 10, 11, 12, 13, 14, 15, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    X16,
    /* 0x60 */ 0xff, 10, 11, 12, 13, 14, 15, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    X16, X16, X16, X16, X16, X16, X16, X16, X16,
};

/* The byte at the next escape's second position: which escapes are valid. */
static const uint8_t esc_ok[256] = {
    ['"'] = '"', ['\\'] = '\\', ['/'] = '/', ['b'] = '\b',
    ['f'] = '\f', ['n'] = '\n', ['r'] = '\r', ['t'] = '\t', ['u'] = 'u',
};

void ty_json_doc_init(struct ty_json_doc *d, unsigned max_depth, uint32_t max_tokens)
{
    memset(d, 0, sizeof(*d));
    d->max_depth = max_depth ? max_depth : DEFAULT_MAX_DEPTH;
    d->max_tokens = max_tokens ? max_tokens : DEFAULT_MAX_TOKENS;
}

void ty_json_doc_release(struct ty_json_doc *d)
{
    free(d->toks);
    d->toks = NULL;
    d->n_toks = 0;
    d->cap = 0;
}

/* Error helper, kept out of the hot path: "offset N: what, found X". */
static NOINLINE int fail(struct ty_err *err, const uint8_t *base, const uint8_t *at,
                         const uint8_t *end, const char *what)
{
    size_t off = (size_t)(at - base);
    if (at >= end)
        return ty_err_set(err, TY_ECORRUPT, "offset %zu: %s, found end of input", off, what);
    if (*at >= 0x20 && *at < 0x7f)
        return ty_err_set(err, TY_ECORRUPT, "offset %zu: %s, found '%c'", off, what, *at);
    return ty_err_set(err, TY_ECORRUPT, "offset %zu: %s, found byte 0x%02x", off, what, *at);
}

static NOINLINE int grow(struct ty_json_doc *d)
{
    uint32_t ncap = d->cap ? d->cap * 2 : FIRST_CAP;
    if (ncap < d->cap || ncap > d->max_tokens)
        ncap = d->max_tokens;
    struct ty_json_tok *t = realloc(d->toks, (size_t)ncap * sizeof(*t));
    if (!t)
        return TY_ENOMEM;
    d->toks = t;
    d->cap = ncap;
    return 0;
}

/* Mask with the high bit set in each byte of v that is '"', '\\' or < 0x20.
 * Exact for the lowest such byte; bytes above it may be false positives
 * (borrows), which is fine since only the first one is used. */
static inline uint64_t str_special(uint64_t v)
{
    const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
    uint64_t q = v ^ (ones * '"'), b = v ^ (ones * '\\');
    return ((q - ones) | (b - ones) | (v - ones * 0x20)) & ~v & high;
}

/*
 * Scan a string's content from p (just past the opening quote). Returns the
 * closing quote, or NULL with *bad and *why set. Sets TY_JSON_F_ESCAPED in *flags
 * when the string holds escapes (which are validated here).
 */
static ALWAYS_INLINE const uint8_t *scan_string(const uint8_t *p, const uint8_t *end,
                                                uint8_t *flags, const uint8_t **bad,
                                                const char **why)
{
    for (;;) {
        while (end - p >= 8) {
            uint64_t v;
            memcpy(&v, p, 8);
            uint64_t m = str_special(v);
            if (m) {
#ifdef SWAR_CTZ
                p += (unsigned)__builtin_ctzll(m) >> 3;
#else
                while (!(cls[*p] & C_STR))
                    p++;
#endif
                goto found;
            }
            p += 8;
        }
        while (p < end && !(cls[*p] & C_STR))
            p++;
        if (UNLIKELY(p >= end)) {
            *bad = p;
            *why = "unterminated string";
            return NULL;
        }
    found:
        if (LIKELY(*p == '"'))
            return p;
        if (*p == '\\') {
            *flags = TY_JSON_F_ESCAPED;
            if (end - p < 2 || !esc_ok[p[1]]) {
                *bad = p + 1;
                *why = "invalid escape in string";
                return NULL;
            }
            if (p[1] == 'u') {
                if (end - p < 6 || (hexv[p[2]] | hexv[p[3]] | hexv[p[4]] | hexv[p[5]]) == 0xff) {
                    int k = 2;
                    while (k < 6 && p + k < end && hexv[p[k]] != 0xff)
                        k++;
                    *bad = p + k;
                    *why = "expected 4 hex digits after \\u";
                    return NULL;
                }
                p += 6;
            } else {
                p += 2;
            }
            continue;
        }
        *bad = p;
        *why = "control byte in string (must be escaped)";
        return NULL;
    }
}

/* Scan a number from p (at '-' or a digit); returns its end or NULL. */
static ALWAYS_INLINE const uint8_t *scan_number(const uint8_t *p, const uint8_t *end,
                                                uint8_t *flags, const uint8_t **bad,
                                                const char **why)
{
    if (*p == '-')
        p++;
    if (p >= end || !(cls[*p] & C_DIG)) {
        *why = "expected a digit";
        goto err;
    }
    if (*p == '0') {
        p++;
        if (p < end && (cls[*p] & C_DIG)) {
            *why = "leading zero in number";
            goto err;
        }
    } else {
        while (p < end && (cls[*p] & C_DIG))
            p++;
    }
    if (p < end && *p == '.') {
        p++;
        *flags = TY_JSON_F_FRAC;
        if (p >= end || !(cls[*p] & C_DIG)) {
            *why = "expected a digit after '.'";
            goto err;
        }
        while (p < end && (cls[*p] & C_DIG))
            p++;
    }
    if (p < end && (*p | 0x20) == 'e') {
        p++;
        *flags = TY_JSON_F_FRAC;
        if (p < end && (*p == '+' || *p == '-'))
            p++;
        if (p >= end || !(cls[*p] & C_DIG)) {
            *why = "expected a digit in exponent";
            goto err;
        }
        while (p < end && (cls[*p] & C_DIG))
            p++;
    }
    return p;
err:
    *bad = p;
    return NULL;
}

#define SKIP_WS()                                                                                  \
    do {                                                                                           \
        while (p < end && (cls[*p] & C_WS))                                                        \
            p++;                                                                                   \
    } while (0)

/* Append a token slot: i is its index. */
#define NEW_TOK(i)                                                                                 \
    do {                                                                                           \
        if (UNLIKELY(n >= cap)) {                                                                  \
            if (n >= d->max_tokens) {                                                              \
                rc = ty_err_set(err, TY_ECORRUPT, "offset %zu: more than %u tokens",             \
                                (size_t)(p - base), (unsigned)d->max_tokens);                      \
                goto out;                                                                          \
            }                                                                                      \
            if (grow(d) < 0) {                                                                     \
                rc = ty_err_set(err, TY_ENOMEM, "out of memory for %u JSON tokens",              \
                                (unsigned)n + 1);                                                  \
                goto out;                                                                          \
            }                                                                                      \
            toks = d->toks;                                                                        \
            cap = d->cap;                                                                          \
        }                                                                                          \
        (i) = n++;                                                                                 \
    } while (0)

#define FAIL(at, what)                                                                             \
    do {                                                                                           \
        rc = fail(err, base, (at), end, (what));                                                   \
        goto out;                                                                                  \
    } while (0)

int ty_json_parse(struct ty_json_doc *d, const char *src, size_t len, struct ty_err *err)
{
    static const char empty[1] = "";
    const uint8_t *const base = (const uint8_t *)(src ? src : empty);
    const uint8_t *p = base;
    const uint8_t *const end = base + (src ? len : 0);
    const uint8_t *q, *bad = NULL;
    const char *why = NULL;
    struct ty_json_tok *toks = d->toks;
    /* the cap the tape may fill before growing (max_tokens may have been
     * lowered since the tape was allocated) */
    uint32_t cap = d->cap < d->max_tokens ? d->cap : d->max_tokens;
    uint32_t n = 0, cur = TY_JSON_NONE, i;
    unsigned depth = 0;
    int in_obj = 0, rc = 0;
    uint8_t fl;

    d->src = src;
    d->src_len = len;
    d->n_toks = 0;
    if (len > UINT32_MAX)
        return ty_err_set(err, TY_ETOOBIG, "JSON text of %zu bytes is over 4 GiB", len);
    if (!src)
        return ty_err_set(err, TY_ECORRUPT, "offset 0: empty input");
    /* RFC 8259 8.1 lets parsers ignore a UTF-8 byte order mark; Windows
     * tools write one, and refusing it would lose the record. */
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;

value:
    SKIP_WS();
    if (UNLIKELY(p >= end)) {
        if (n == 0) {
            rc = ty_err_set(err, TY_ECORRUPT, "offset %zu: empty input (no JSON value)",
                            (size_t)(p - base));
            goto out;
        }
        FAIL(p, "expected a value");
    }
    NEW_TOK(i);
    switch (*p) {
    case '"':
        fl = 0;
        q = scan_string(p + 1, end, &fl, &bad, &why);
        if (UNLIKELY(!q))
            FAIL(bad, why);
        toks[i] = (struct ty_json_tok){(uint32_t)(p + 1 - base), (uint32_t)(q - p - 1), i + 1,
                                       0, TY_JSON_STRING, fl};
        p = q + 1;
        goto after;
    case '{':
    case '[':
        if (UNLIKELY(++depth > d->max_depth)) {
            rc = ty_err_set(err, TY_ECORRUPT, "offset %zu: nesting deeper than %u levels",
                            (size_t)(p - base), d->max_depth);
            goto out;
        }
        in_obj = *p == '{';
        /* While open, next links to the enclosing container (a stack kept
         * in the tape itself); closing sets the real next and len. */
        toks[i] = (struct ty_json_tok){(uint32_t)(p - base), 0, cur, 0,
                                       in_obj ? TY_JSON_OBJECT : TY_JSON_ARRAY, 0};
        cur = i;
        p++;
        SKIP_WS();
        if (p < end && *p == (in_obj ? '}' : ']'))
            goto close;
        toks[cur].count = 1;
        if (in_obj) {
            if (UNLIKELY(p >= end || *p != '"'))
                FAIL(p, "expected a string key or '}'");
            goto key;
        }
        goto value;
    case '-':
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7':
    case '8':
    case '9':
        fl = 0;
        q = scan_number(p, end, &fl, &bad, &why);
        if (UNLIKELY(!q))
            FAIL(bad, why);
        toks[i] = (struct ty_json_tok){(uint32_t)(p - base), (uint32_t)(q - p), i + 1, 0,
                                       TY_JSON_NUMBER, fl};
        p = q;
        goto after;
    case 't':
        if (UNLIKELY(end - p < 4 || memcmp(p, "true", 4) != 0))
            FAIL(p, "invalid literal (expected true)");
        toks[i] = (struct ty_json_tok){(uint32_t)(p - base), 4, i + 1, 0, TY_JSON_TRUE, 0};
        p += 4;
        goto after;
    case 'f':
        if (UNLIKELY(end - p < 5 || memcmp(p, "false", 5) != 0))
            FAIL(p, "invalid literal (expected false)");
        toks[i] = (struct ty_json_tok){(uint32_t)(p - base), 5, i + 1, 0, TY_JSON_FALSE, 0};
        p += 5;
        goto after;
    case 'n':
        if (UNLIKELY(end - p < 4 || memcmp(p, "null", 4) != 0))
            FAIL(p, "invalid literal (expected null)");
        toks[i] = (struct ty_json_tok){(uint32_t)(p - base), 4, i + 1, 0, TY_JSON_NULL, 0};
        p += 4;
        goto after;
    default:
        FAIL(p, "expected a value");
    }

after:
    if (UNLIKELY(cur == TY_JSON_NONE))
        goto done;
    SKIP_WS();
    if (in_obj) {
        if (LIKELY(p < end && *p == ',')) {
            p++;
            SKIP_WS();
            if (UNLIKELY(p >= end || *p != '"'))
                FAIL(p, "expected a string key");
            toks[cur].count++;
            goto key;
        }
        if (LIKELY(p < end && *p == '}'))
            goto close;
        FAIL(p, "expected ',' or '}'");
    }
    if (LIKELY(p < end && *p == ',')) {
        p++;
        toks[cur].count++;
        goto value;
    }
    if (LIKELY(p < end && *p == ']'))
        goto close;
    FAIL(p, "expected ',' or ']'");

key:
    /* p is at the key's opening quote */
    NEW_TOK(i);
    fl = 0;
    q = scan_string(p + 1, end, &fl, &bad, &why);
    if (UNLIKELY(!q))
        FAIL(bad, why);
    toks[i] = (struct ty_json_tok){(uint32_t)(p + 1 - base), (uint32_t)(q - p - 1), i + 1, 0,
                                   TY_JSON_STRING, fl};
    p = q + 1;
    if (LIKELY(p < end && *p == ':')) {
        p++;
        goto value;
    }
    SKIP_WS();
    if (UNLIKELY(p >= end || *p != ':'))
        FAIL(p, "expected ':' after object key");
    p++;
    goto value;

close: {
    /* p is at the closing bracket of toks[cur] */
    struct ty_json_tok *t = &toks[cur];
    uint32_t parent = t->next;
    p++;
    t->next = n;
    t->len = (uint32_t)((size_t)(p - base) - t->off);
    depth--;
    cur = parent;
    if (parent != TY_JSON_NONE)
        in_obj = toks[parent].type == TY_JSON_OBJECT;
    goto after;
}

done:
    SKIP_WS();
    if (UNLIKELY(p < end))
        FAIL(p, "unexpected data after the JSON value");
    d->n_toks = n;
out:
    if (rc)
        d->n_toks = 0;
    return rc;
}

/* ---- decoding ---- */

static inline unsigned hex4(const uint8_t *s)
{
    return (unsigned)hexv[s[0]] << 12 | (unsigned)hexv[s[1]] << 8 | (unsigned)hexv[s[2]] << 4 |
           hexv[s[3]];
}

static inline int is_hex4(const uint8_t *s)
{
    return (hexv[s[0]] | hexv[s[1]] | hexv[s[2]] | hexv[s[3]]) != 0xff;
}

static size_t put_utf8(uint8_t *o, unsigned cp)
{
    if (cp < 0x80) {
        o[0] = (uint8_t)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (uint8_t)(0xc0 | cp >> 6);
        o[1] = (uint8_t)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (uint8_t)(0xe0 | cp >> 12);
        o[1] = (uint8_t)(0x80 | (cp >> 6 & 0x3f));
        o[2] = (uint8_t)(0x80 | (cp & 0x3f));
        return 3;
    }
    o[0] = (uint8_t)(0xf0 | cp >> 18);
    o[1] = (uint8_t)(0x80 | (cp >> 12 & 0x3f));
    o[2] = (uint8_t)(0x80 | (cp >> 6 & 0x3f));
    o[3] = (uint8_t)(0x80 | (cp & 0x3f));
    return 4;
}

/*
 * Decode one escape at s (just past the backslash) into o. Returns the bytes
 * written (1..4) and advances *sp, or 0 when the escape is malformed.
 * Surrogate pairs are joined; a lone surrogate becomes U+FFFD.
 */
static size_t decode_escape(const uint8_t **sp, const uint8_t *e, uint8_t *o)
{
    const uint8_t *s = *sp;
    unsigned cp;
    if (s >= e)
        return 0;
    if (*s != 'u') {
        if (!esc_ok[*s])
            return 0;
        o[0] = esc_ok[*s];
        *sp = s + 1;
        return 1;
    }
    if (e - s < 5 || !is_hex4(s + 1))
        return 0;
    cp = hex4(s + 1);
    s += 5;
    if (cp >= 0xd800 && cp <= 0xdbff) {
        if (e - s >= 6 && s[0] == '\\' && s[1] == 'u' && is_hex4(s + 2)) {
            unsigned lo = hex4(s + 2);
            if (lo >= 0xdc00 && lo <= 0xdfff) {
                cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                s += 6;
            } else {
                cp = 0xfffd;
            }
        } else {
            cp = 0xfffd;
        }
    } else if (cp >= 0xdc00 && cp <= 0xdfff) {
        cp = 0xfffd;
    }
    *sp = s;
    return put_utf8(o, cp);
}

int ty_json_unescape(struct ty_str raw, struct ty_arena *a, struct ty_str *out)
{
    /* Decoding never grows the text: \uXXXX (6 bytes) gives at most 3,
     * a pair (12) gives 4, two-byte escapes give 1. */
    uint8_t *o0 = ty_arena_alloc(a, raw.len + 1), *o = o0;
    const uint8_t *s = (const uint8_t *)raw.p, *e = s + raw.len;
    if (!o0)
        return TY_ENOMEM;
    while (s < e) {
        const uint8_t *bs = memchr(s, '\\', (size_t)(e - s));
        if (!bs) {
            memcpy(o, s, (size_t)(e - s));
            o += e - s;
            break;
        }
        memcpy(o, s, (size_t)(bs - s));
        o += bs - s;
        s = bs + 1;
        size_t k = decode_escape(&s, e, o);
        if (!k)
            return TY_EINVAL;
        o += k;
    }
    *o = '\0';
    *out = (struct ty_str){(const char *)o0, (size_t)(o - o0)};
    return 0;
}

int ty_json_str(const struct ty_json_doc *d, uint32_t i, struct ty_arena *a, struct ty_str *out)
{
    if (i >= d->n_toks || d->toks[i].type != TY_JSON_STRING)
        return TY_EINVAL;
    if (!(d->toks[i].flags & TY_JSON_F_ESCAPED)) {
        *out = ty_json_raw(d, i);
        return 0;
    }
    return ty_json_unescape(ty_json_raw(d, i), a, out);
}

int ty_json_text(const struct ty_json_doc *d, uint32_t i, struct ty_arena *a, struct ty_str *out)
{
    if (i >= d->n_toks)
        return TY_EINVAL;
    switch (d->toks[i].type) {
    case TY_JSON_STRING:
        return ty_json_str(d, i, a, out);
    case TY_JSON_NUMBER:
    case TY_JSON_TRUE:
    case TY_JSON_FALSE:
        *out = ty_json_raw(d, i);
        return 0;
    default:
        return TY_EINVAL;
    }
}

/* ---- lookups and iteration ---- */

static inline uint8_t lower(uint8_t c)
{
    return (uint8_t)(c >= 'A' && c <= 'Z' ? c + 32 : c);
}

/* Compare an escaped key with key[0..klen) after decoding it. */
static bool escaped_key_eq(struct ty_str raw, const char *key, size_t klen, bool nocase)
{
    const uint8_t *s = (const uint8_t *)raw.p, *e = s + raw.len;
    const uint8_t *k = (const uint8_t *)key, *ke = k + klen;
    uint8_t buf[4];
    while (s < e) {
        size_t n = 1;
        const uint8_t *u = s;
        if (*s == '\\') {
            s++;
            n = decode_escape(&s, e, buf);
            if (!n)
                return false;
            u = buf;
        } else {
            s++;
        }
        if ((size_t)(ke - k) < n)
            return false;
        for (size_t j = 0; j < n; j++, k++)
            if (nocase ? lower(u[j]) != lower(*k) : u[j] != *k)
                return false;
    }
    return k == ke;
}

/* memcmp(a, b, n) == 0 for the short keys of lookups, without a call. */
static inline bool same_bytes(const char *a, const char *b, size_t n)
{
    uint64_t x, y;
    while (n >= 8) {
        memcpy(&x, a, 8);
        memcpy(&y, b, 8);
        if (x != y)
            return false;
        a += 8;
        b += 8;
        n -= 8;
    }
    if (n >= 4) {
        uint32_t u, v, u2, v2;
        memcpy(&u, a, 4);
        memcpy(&v, b, 4);
        memcpy(&u2, a + n - 4, 4);
        memcpy(&v2, b + n - 4, 4);
        return u == v && u2 == v2;
    }
    for (size_t j = 0; j < n; j++)
        if (a[j] != b[j])
            return false;
    return true;
}

static inline bool key_eq(const struct ty_json_doc *d, const struct ty_json_tok *t,
                          const char *key, size_t klen, bool nocase)
{
    const char *s = d->src + t->off;
    if (UNLIKELY(t->flags & TY_JSON_F_ESCAPED))
        return escaped_key_eq((struct ty_str){s, t->len}, key, klen, nocase);
    if (t->len != klen)
        return false;
    if (!nocase)
        return same_bytes(s, key, klen);
    for (size_t j = 0; j < klen; j++)
        if (lower((uint8_t)s[j]) != lower((uint8_t)key[j]))
            return false;
    return true;
}

static uint32_t get(const struct ty_json_doc *d, uint32_t obj, const char *key, size_t klen,
                    bool nocase)
{
    if (obj >= d->n_toks || d->toks[obj].type != TY_JSON_OBJECT)
        return TY_JSON_NONE;
    const struct ty_json_tok *toks = d->toks;
    uint32_t k = obj + 1;
    for (uint32_t m = toks[obj].count; m > 0; m--) {
        if (key_eq(d, &toks[k], key, klen, nocase))
            return k + 1;
        /* Scalars' next is k + 2: a predicted branch, not a load, so the
         * walk does not wait on each value's next. */
        if (LIKELY(toks[k + 1].type < TY_JSON_OBJECT))
            k += 2;
        else
            k = toks[k + 1].next;
    }
    return TY_JSON_NONE;
}

uint32_t ty_json_get(const struct ty_json_doc *d, uint32_t obj, const char *key)
{
    return get(d, obj, key, strlen(key), false);
}

uint32_t ty_json_get_nocase(const struct ty_json_doc *d, uint32_t obj, const char *key)
{
    return get(d, obj, key, strlen(key), true);
}

uint32_t ty_json_path(const struct ty_json_doc *d, uint32_t obj, const char *path)
{
    const char *s = path;
    for (;;) {
        const char *dot = strchr(s, '.');
        size_t n = dot ? (size_t)(dot - s) : strlen(s);
        obj = get(d, obj, s, n, false);
        if (!dot || obj == TY_JSON_NONE)
            return obj;
        s = dot + 1;
    }
}

uint32_t ty_json_first(const struct ty_json_doc *d, uint32_t container)
{
    if (container >= d->n_toks)
        return TY_JSON_NONE;
    const struct ty_json_tok *t = &d->toks[container];
    if ((t->type != TY_JSON_OBJECT && t->type != TY_JSON_ARRAY) || t->count == 0)
        return TY_JSON_NONE;
    return container + 1;
}

/*
 * The tape has no parent links, so whether a value has a following sibling
 * is read from the (already validated) input: the first non-blank byte after
 * the value is ',' exactly when another member or element follows.
 */
uint32_t ty_json_next(const struct ty_json_doc *d, uint32_t elem)
{
    if (elem >= d->n_toks)
        return TY_JSON_NONE;
    const struct ty_json_tok *t = &d->toks[elem];
    size_t pos = (size_t)t->off + t->len + (t->type == TY_JSON_STRING);
    const uint8_t *s = (const uint8_t *)d->src;
    while (pos < d->src_len && (cls[s[pos]] & C_WS))
        pos++;
    if (pos >= d->src_len || s[pos] != ',')
        return TY_JSON_NONE;
    return t->next;
}

uint32_t ty_json_next_member(const struct ty_json_doc *d, uint32_t key)
{
    if (key >= d->n_toks || key + 1 >= d->n_toks)
        return TY_JSON_NONE;
    return ty_json_next(d, key + 1);
}

/* ---- scalars ---- */

/* [-]digits filling the span, into int64 with overflow check. */
static int parse_i64(const uint8_t *s, size_t n, int64_t *out)
{
    bool neg = false;
    uint64_t v = 0, lim;
    if (n && *s == '-') {
        neg = true;
        s++;
        n--;
    }
    if (n == 0)
        return TY_EINVAL;
    lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (size_t j = 0; j < n; j++) {
        unsigned dg = (unsigned)s[j] - '0';
        if (dg > 9)
            return TY_EINVAL;
        if (v > (lim - dg) / 10)
            return TY_EINVAL;
        v = v * 10 + dg;
    }
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return 0;
}

int ty_json_i64(const struct ty_json_doc *d, uint32_t i, int64_t *out)
{
    if (i >= d->n_toks)
        return TY_EINVAL;
    const struct ty_json_tok *t = &d->toks[i];
    const uint8_t *s = (const uint8_t *)d->src + t->off;
    if (t->type == TY_JSON_NUMBER && !(t->flags & TY_JSON_F_FRAC))
        return parse_i64(s, t->len, out);
    if (t->type == TY_JSON_STRING && !(t->flags & TY_JSON_F_ESCAPED))
        return parse_i64(s, t->len, out);
    return TY_EINVAL;
}

int ty_json_bool(const struct ty_json_doc *d, uint32_t i, bool *out)
{
    if (i >= d->n_toks)
        return TY_EINVAL;
    const struct ty_json_tok *t = &d->toks[i];
    if (t->type == TY_JSON_TRUE || t->type == TY_JSON_FALSE) {
        *out = t->type == TY_JSON_TRUE;
        return 0;
    }
    if (t->type == TY_JSON_STRING) {
        struct ty_str s = ty_json_raw(d, i);
        if (ty_str_eq_cstr(s, "true") || ty_str_eq_cstr(s, "false")) {
            *out = s.len == 4;
            return 0;
        }
    }
    return TY_EINVAL;
}
