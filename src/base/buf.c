/* SPDX-License-Identifier: Apache-2.0 */
/*
 * buf.c - growable, capped, always NUL-terminated byte buffer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/buf.h>
#include <tyto/err.h>

static char empty_buf[1];

void ty_buf_init(struct ty_buf *b, size_t max)
{
    b->buf = empty_buf;
    b->len = 0;
    b->alloc = 0;
    b->max = max ? max : SIZE_MAX / 2;
}

void ty_buf_release(struct ty_buf *b)
{
    if (b->alloc)
        free(b->buf);
    ty_buf_init(b, b->max);
}

void ty_buf_reset(struct ty_buf *b)
{
    b->len = 0;
    b->buf[0] = '\0';
}

int ty_buf_grow(struct ty_buf *b, size_t n)
{
    if (n > b->max || b->len > b->max - n)
        return TY_ETOOBIG;
    size_t need = b->len + n + 1;
    if (need <= b->alloc)
        return 0;
    size_t cap = b->alloc ? b->alloc : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *nb = b->alloc ? realloc(b->buf, cap) : malloc(cap);
    if (!nb)
        return TY_ENOMEM;
    if (!b->alloc)
        nb[0] = '\0';
    b->buf = nb;
    b->alloc = cap;
    return 0;
}

int ty_buf_add(struct ty_buf *b, const void *p, size_t n)
{
    int rc = ty_buf_grow(b, n);
    if (rc)
        return rc;
    if (n)
        memcpy(b->buf + b->len, p, n);
    b->len += n;
    b->buf[b->len] = '\0';
    return 0;
}

int ty_buf_addc(struct ty_buf *b, char c)
{
    return ty_buf_add(b, &c, 1);
}

int ty_buf_adds(struct ty_buf *b, const char *s)
{
    return ty_buf_add(b, s, strlen(s));
}

int ty_buf_addstr(struct ty_buf *b, struct ty_str s)
{
    return ty_buf_add(b, s.p, s.len);
}

int ty_buf_vaddf(struct ty_buf *b, const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0)
        return TY_EINVAL;
    int rc = ty_buf_grow(b, (size_t)n);
    if (rc)
        return rc;
    vsnprintf(b->buf + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return 0;
}

int ty_buf_addf(struct ty_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = ty_buf_vaddf(b, fmt, ap);
    va_end(ap);
    return rc;
}

/* Length of the valid UTF-8 sequence at p (1-4), or 0 if invalid. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
    unsigned c = p[0];
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        return (n >= 2 && (p[1] & 0xc0) == 0x80) ? 2 : 0;
    if (c >= 0xe0 && c <= 0xef) {
        if (n < 3 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80)
            return 0;
        if (c == 0xe0 && p[1] < 0xa0)
            return 0; /* overlong */
        if (c == 0xed && p[1] > 0x9f)
            return 0; /* surrogate */
        return 3;
    }
    if (c >= 0xf0 && c <= 0xf4) {
        if (n < 4 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80 || (p[3] & 0xc0) != 0x80)
            return 0;
        if (c == 0xf0 && p[1] < 0x90)
            return 0;
        if (c == 0xf4 && p[1] > 0x8f)
            return 0;
        return 4;
    }
    return 0;
}

int ty_buf_add_json_str(struct ty_buf *b, struct ty_str s)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s.p;
    int rc = ty_buf_addc(b, '"');
    size_t i = 0, run = 0;
    while (rc == 0 && i < s.len) {
        unsigned c = p[i];
        if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
            i++;
            run++;
            continue;
        }
        if (c >= 0x80) {
            size_t l = utf8_len(p + i, s.len - i);
            if (l) {
                i += l;
                run += l;
                continue;
            }
        }
        if (run)
            rc = ty_buf_add(b, p + i - run, run);
        run = 0;
        if (rc)
            break;
        char esc[7];
        size_t n = 2;
        esc[0] = '\\';
        switch (c) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        case '\b': esc[1] = 'b'; break;
        case '\f': esc[1] = 'f'; break;
        default:
            /* control byte, or a byte of invalid UTF-8: keep it visible */
            esc[1] = 'u';
            esc[2] = '0';
            esc[3] = '0';
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            n = 6;
        }
        rc = ty_buf_add(b, esc, n);
        i++;
    }
    if (rc == 0 && run)
        rc = ty_buf_add(b, p + i - run, run);
    if (rc == 0)
        rc = ty_buf_addc(b, '"');
    return rc;
}

char *ty_buf_detach(struct ty_buf *b, size_t *len)
{
    char *r;
    if (len)
        *len = b->len;
    if (b->alloc) {
        r = b->buf;
    } else {
        r = malloc(1);
        if (r)
            r[0] = '\0';
    }
    ty_buf_init(b, b->max);
    return r;
}
