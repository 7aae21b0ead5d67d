/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parser.h - the evidence parser plugin table.
 *
 * One const struct ty_parser per evidence source (parse-<source>.c), listed
 * once in the registry (src/parse/parser.c). The driver (src/ingest) sniffs
 * the first bytes of a stream with every parser and takes the single best
 * score; a tie is an error naming the candidates and --format. The parser's
 * open() looks at the head of the stream and chooses the framing; the driver
 * frames records and calls record() for each; record() fills events and
 * hands each to ty_parse_emit(). Parsers never open files: fuzzers and tests
 * feed them memory. See docs/NEW-PARSER.md.
 */
#ifndef TYTO_PARSER_H
#define TYTO_PARSER_H

#include <stddef.h>
#include <stdint.h>

#include <tyto/arena.h>
#include <tyto/err.h>
#include <tyto/event.h>
#include <tyto/frame.h>
#include <tyto/json.h>
#include <tyto/str.h>

#define TY_PARSER_ABI 1

struct ty_parse_ctx;

/* Receives each event; returns 0 or a negative code to abort the stream. */
typedef int (*ty_emit_fn)(void *sink, struct ty_event *ev);

struct ty_parse_ctx {
    /* set by the driver before open() */
    const char *evidence;       /* display name of the stream */
    struct ty_str head;         /* the first bytes of the stream (up to 64 KiB) */
    struct ty_arena *arena;     /* scratch for event strings; reset after each record */
    struct ty_json_doc *json;   /* a reusable JSON tape for the parser's use */
    ty_emit_fn emit;
    void *sink;
    /* set by open(); the defaults are lines and "" */
    struct ty_frame_spec frame;
    char shape[64];             /* delivery shape seen ("S3 Records file", "JSON lines") */
    void *priv;                 /* the parser's own state: open() allocates, close() frees */
    /* maintained by the driver and ty_parse_emit() */
    const struct ty_record *rec;
    uint32_t n_emitted;         /* events emitted for the current record */
    const struct ty_parser *parser;
};

enum ty_parser_flags {
    TY_PARSER_F_TEXT = 1 << 0,  /* line-oriented text */
    TY_PARSER_F_JSON = 1 << 1,  /* JSON */
    TY_PARSER_F_NOEVENTS = 1 << 2, /* recognised evidence that holds no events (digest files) */
};

struct ty_parser {
    unsigned abi;          /* TY_PARSER_ABI */
    const char *name;      /* "aws-cloudtrail": --format NAME, event "format" */
    const char *desc;      /* one line for `tyto formats` */
    const char *sniffs;    /* how it recognises its input, for `tyto formats` */
    unsigned flags;
    /* Confidence 0..100 that head (first bytes of a stream, possibly cut
     * mid-record) is this format. Pure: no allocation, no state. */
    int (*sniff)(struct ty_str head);
    /* Prepare for a stream: choose ctx->frame, describe ctx->shape, allocate
     * ctx->priv. NULL means lines and no state. Returns 0 or < 0. */
    int (*open)(struct ty_parse_ctx *ctx, struct ty_err *err);
    /* Parse one framed record, emitting its events with ty_parse_emit().
     * Returns TY_OK (emitted >= 1), TY_SKIP (not a record: header line,
     * envelope, digest), TY_ECORRUPT (err->msg says why: the driver
     * quarantines the record and goes on), or another negative code to abort.
     * A parser must not emit an event and then return TY_ECORRUPT. */
    int (*record)(struct ty_parse_ctx *ctx, const struct ty_record *rec, struct ty_err *err);
    /* Release ctx->priv. NULL-safe; always called after a successful open. */
    void (*close)(struct ty_parse_ctx *ctx);
};

/* Hand one event to the sink: fills its provenance (format, raw record,
 * offset, line, sub-index) unless the parser set them. */
int ty_parse_emit(struct ty_parse_ctx *ctx, struct ty_event *ev);

/* The registry. */
const struct ty_parser *const *ty_parsers(size_t *n);
const struct ty_parser *ty_parser_find(const char *name);

/* Choose the parser for a stream's head. Returns 0 with *out set;
 * TY_EINVAL when nothing scores (msg: "unknown format"); TY_ERR on a tie
 * (msg: "aws-cloudtrail or k8s-audit; use --format NAME"). */
int ty_parser_sniff(struct ty_str head, const struct ty_parser **out, struct ty_err *err);

/* Shared helpers for parsers. Skip a UTF-8 BOM and leading whitespace. */
struct ty_str ty_parse_skip_ws(struct ty_str s);

/* The registered parsers. */
extern const struct ty_parser ty_parser_cloudtrail;
extern const struct ty_parser ty_parser_cloudtrail_digest;
extern const struct ty_parser ty_parser_k8s_audit;
extern const struct ty_parser ty_parser_vpcflow;

#endif
