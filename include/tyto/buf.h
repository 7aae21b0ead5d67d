/* SPDX-License-Identifier: Apache-2.0 */
/*
 * buf.h - growable byte buffer with a mandatory size cap.
 *
 * Invariants (as git's strbuf): buf is never NULL and always NUL-terminated
 * at buf[len]; an empty buffer points at a shared "" until it grows.
 * Unlike strbuf, every buffer has a maximum size: an append that would pass
 * it fails with TY_ETOOBIG and leaves the buffer unchanged, so hostile input
 * cannot grow memory without bound (curl's dynbuf "toobig").
 */
#ifndef TYTO_BUF_H
#define TYTO_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include <tyto/str.h>

struct ty_buf {
    char *buf;
    size_t len;
    size_t alloc;
    size_t max; /* the cap, in bytes, not counting the NUL */
};

void ty_buf_init(struct ty_buf *b, size_t max);
void ty_buf_release(struct ty_buf *b);
/* Keep the allocation, set len to 0. */
void ty_buf_reset(struct ty_buf *b);
/* Make room for n more bytes. TY_ENOMEM or TY_ETOOBIG. */
int ty_buf_grow(struct ty_buf *b, size_t n);
int ty_buf_add(struct ty_buf *b, const void *p, size_t n);
int ty_buf_addc(struct ty_buf *b, char c);
int ty_buf_adds(struct ty_buf *b, const char *s);
int ty_buf_addstr(struct ty_buf *b, struct ty_str s);
int ty_buf_addf(struct ty_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int ty_buf_vaddf(struct ty_buf *b, const char *fmt, va_list ap);
/* Append s as a JSON string literal (with quotes and escapes). Bytes that are
 * not valid UTF-8 are written as \u00XX of the byte so output stays valid. */
int ty_buf_add_json_str(struct ty_buf *b, struct ty_str s);
/* Hand the heap buffer to the caller (who frees it); b is re-initialised. */
char *ty_buf_detach(struct ty_buf *b, size_t *len);

static inline struct ty_str ty_buf_str(const struct ty_buf *b)
{
    return (struct ty_str){b->buf, b->len};
}

#endif
