/* SPDX-License-Identifier: Apache-2.0 */
/*
 * json.h - zero-copy JSON tokenizer (RFC 8259).
 *
 * ty_json_parse() validates one JSON text in a single pass and writes a
 * "tape" of tokens into a reusable array: no allocation per value, every
 * token a span into the caller's input. Containers record the index just past
 * their subtree, so skipping a value is O(1) and looking up a key walks only
 * the siblings. The Debian C JSON libraries measure 69-633 MB/s on CloudTrail
 * lines (docs/internals/JSON.md); this is the hot path of every JSON parser.
 *
 * Tape layout: token 0 is the root value. An object token is followed by its
 * members as (key STRING token, value subtree) pairs; an array token by its
 * element subtrees. tok.next is the index of the first token after the
 * token's subtree (for scalars: index + 1).
 *
 * Accepted: exactly the RFC 8259 grammar, with any bytes >= 0x80 inside
 * strings taken as they are (UTF-8 is not validated, so evidence with bad
 * bytes is kept; \u escapes are checked, lone surrogates decode to U+FFFD).
 * Rejected with TY_ECORRUPT and a message naming the byte offset: anything
 * else, including control bytes in strings, leading zeros, trailing commas,
 * trailing garbage, nesting deeper than max_depth, more than max_tokens.
 *
 * Spans are valid as long as the input buffer is; the tape is valid until the
 * next ty_json_parse() on the same doc.
 */
#ifndef TYTO_JSON_H
#define TYTO_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <tyto/arena.h>
#include <tyto/err.h>
#include <tyto/str.h>

enum ty_json_type {
    TY_JSON_NULL = 1,
    TY_JSON_FALSE,
    TY_JSON_TRUE,
    TY_JSON_NUMBER,
    TY_JSON_STRING,
    TY_JSON_OBJECT,
    TY_JSON_ARRAY,
};

enum ty_json_tok_flags {
    TY_JSON_F_ESCAPED = 1 << 0, /* string: contains backslash escapes */
    TY_JSON_F_FRAC = 1 << 1,    /* number: has a fraction or exponent */
};

#define TY_JSON_NONE UINT32_MAX

struct ty_json_tok {
    uint32_t off;   /* byte offset in the input: strings after the opening quote */
    uint32_t len;   /* bytes: strings without quotes (still escaped), containers
                       from the opening to the closing bracket inclusive */
    uint32_t next;  /* index of the first token after this subtree */
    uint32_t count; /* containers: members / elements; else 0 */
    uint8_t type;   /* enum ty_json_type */
    uint8_t flags;  /* enum ty_json_tok_flags */
};

struct ty_json_doc {
    const char *src;
    size_t src_len;
    struct ty_json_tok *toks;
    uint32_t n_toks;
    uint32_t cap;
    unsigned max_depth;  /* default 512 */
    uint32_t max_tokens; /* default 16M */
};

/* max_depth/max_tokens of 0 take the defaults. */
void ty_json_doc_init(struct ty_json_doc *d, unsigned max_depth, uint32_t max_tokens);
void ty_json_doc_release(struct ty_json_doc *d);

/* Tokenize and validate one JSON text (surrounding whitespace allowed).
 * Inputs larger than 4 GiB - 1 are refused with TY_ETOOBIG.
 * Returns 0, TY_ECORRUPT (err->msg: "offset N: ..."), TY_ETOOBIG, TY_ENOMEM. */
int ty_json_parse(struct ty_json_doc *d, const char *p, size_t len, struct ty_err *err);

static inline const struct ty_json_tok *ty_json_tok(const struct ty_json_doc *d, uint32_t i)
{
    return &d->toks[i];
}

static inline int ty_json_type(const struct ty_json_doc *d, uint32_t i)
{
    return i == TY_JSON_NONE ? 0 : d->toks[i].type;
}

/* The raw bytes of a token (for strings: between the quotes, undecoded). */
static inline struct ty_str ty_json_raw(const struct ty_json_doc *d, uint32_t i)
{
    return (struct ty_str){d->src + d->toks[i].off, d->toks[i].len};
}

/* Object member lookup by exact key (keys compared after unescaping).
 * Returns the value's token index or TY_JSON_NONE (also when obj is not an
 * object or is TY_JSON_NONE, so lookups chain safely). First match wins. */
uint32_t ty_json_get(const struct ty_json_doc *d, uint32_t obj, const char *key);
/* ASCII case-insensitive key lookup (Azure's "Level"/"level"). */
uint32_t ty_json_get_nocase(const struct ty_json_doc *d, uint32_t obj, const char *key);
/* Dotted path of object keys: "userIdentity.sessionContext.sessionIssuer.arn". */
uint32_t ty_json_path(const struct ty_json_doc *d, uint32_t obj, const char *path);

/* Iteration. Objects: k = ty_json_first(d, obj) gives the first key token,
 * its value is k + 1, the next key is ty_json_next_member(d, k). Arrays:
 * e = ty_json_first(d, arr), then e = ty_json_next(d, e). TY_JSON_NONE ends. */
uint32_t ty_json_first(const struct ty_json_doc *d, uint32_t container);
uint32_t ty_json_next(const struct ty_json_doc *d, uint32_t elem);
uint32_t ty_json_next_member(const struct ty_json_doc *d, uint32_t key);

/* The accessors below take any index, TY_JSON_NONE included, and return
 * TY_EINVAL for one that is not a token of the right type. */

/* A string token's text: the raw span when it has no escapes (zero-copy),
 * else decoded (UTF-8, surrogate pairs joined) into the arena.
 * Returns 0, TY_EINVAL (not a string), TY_ENOMEM. */
int ty_json_str(const struct ty_json_doc *d, uint32_t i, struct ty_arena *a, struct ty_str *out);

/* Decode JSON string content (between quotes) into out (appending). */
int ty_json_unescape(struct ty_str raw, struct ty_arena *a, struct ty_str *out);

/* Scalars as text: strings decoded, numbers/true/false as their literal.
 * null, objects and arrays: TY_EINVAL. Useful for "numbers as strings". */
int ty_json_text(const struct ty_json_doc *d, uint32_t i, struct ty_arena *a, struct ty_str *out);

/* Integer from a number token or a string holding a decimal integer (proto3
 * JSON); TY_EINVAL if it is neither or does not fit. */
int ty_json_i64(const struct ty_json_doc *d, uint32_t i, int64_t *out);
/* true/false tokens, or strings "true"/"false" (CloudTrail); TY_EINVAL else. */
int ty_json_bool(const struct ty_json_doc *d, uint32_t i, bool *out);

#endif
