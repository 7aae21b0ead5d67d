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

#define TY_PARSER_ABI 2

struct ty_parse_ctx;

/* Sigma log source of a parser's events (product/service/category; NULL =
 * not set). Rules are routed by containment: a rule applies when every
 * attribute it sets equals the event's. See docs/internals/SIGMA-VIEWS.md. */
struct ty_logsource {
    const char *product;  /* "aws", "kubernetes", "linux", "zeek" */
    const char *service;  /* "cloudtrail", "audit", "auditd", "dns" */
    const char *category; /* a static category ("application" for k8s audit) */
};

/* Receives one of a record's own fields as name and value text. Returns 0,
 * or non-zero to stop the walk (returned by the walker). */
typedef int (*ty_kv_fn)(void *arg, struct ty_str name, struct ty_str value);

/* Receives each event; returns 0 or a negative code to abort the stream. */
typedef int (*ty_emit_fn)(void *sink, struct ty_event *ev);

struct ty_parse_ctx {
    /* set by the driver before open() */
    const char *evidence;       /* display name of the stream */
    struct ty_str head;         /* the first bytes of the stream (up to 64 KiB) */
    struct ty_arena *arena;     /* scratch for event strings; reset after each record */
    struct ty_json_doc *json;   /* a reusable JSON tape for the parser's use */
    int64_t file_mtime;         /* the evidence file's (or archive member's)
                                   modification time in ns, 0 when unknown:
                                   crontabs, units and keys have no times inside */
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
    TY_PARSER_F_EXACT_KEYS = 1 << 3, /* JSON keys have one spelling (the vendor's): rules
                                        look them up case-sensitively, and a key absent from
                                        the raw text needs no tokenizing to be known absent */
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
    /* Optional, called once after the last record of a stream that opened
     * (before close): emit what the stream's end completes (a capture's
     * connections still open). ctx->rec is NULL: the parser sets each
     * event's offset, line and raw. Returns 0 or a negative code. */
    int (*finish)(struct ty_parse_ctx *ctx, struct ty_err *err);
    /* Optional: confidence 0..100 from the stream's path inside the
     * evidence ("/" separated, as shown in the case) when no parser
     * recognises its content: files of a collected tree whose meaning is
     * their place (a Docker root's layer files). Pure. */
    int (*sniff_path)(const char *path, struct ty_str head);

    /* ---- Sigma views (all optional; docs/internals/SIGMA-VIEWS.md) ---- */
    /* The log source product/service rules see this parser's events as. */
    struct ty_logsource logsource;
    /* The log source service of one event when it varies within a stream
     * (syslog: "sshd", "sudo", "cron" by program), or NULL; used only when
     * logsource.service is NULL. */
    const char *(*service)(const struct ty_event *ev);
    /* The Sigma taxonomy category of one event (enum ty_sigma_cat), derived
     * from the normalised event alone so that ingest-time and stored-case
     * detection agree: auditd EXECVE -> TY_SCAT_PROCESS_CREATION. */
    int (*taxonomy)(const struct ty_event *ev);
    /* Text formats: call kv(arg, name, value) for each of the record's own
     * fields, re-reading ev->raw (auditd "exe", "a0"; VPC "dstaddr").
     * Returns 0, or what kv returned to stop. NULL for JSON formats: rules
     * then walk the raw JSON record with dotted paths. */
    int (*fields)(const struct ty_event *ev, ty_kv_fn kv, void *arg);
    /* JSON formats: the object rules see inside the raw record (the
     * EventBridge "detail"), or TY_JSON_NONE for the root. */
    uint32_t (*json_root)(const struct ty_json_doc *d, uint32_t root);
    /* Fast path for hot raw fields: when the normalised event holds exactly
     * the record's own value of field `name`, set *out and return 1; return
     * 0 when this parser cannot say (the view then reads the raw record). */
    int (*field_fast)(const struct ty_event *ev, struct ty_str name, struct ty_str *out);
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
/* The same by the stream's path (sniff_path hooks); TY_EINVAL when none. */
int ty_parser_sniff_path(const char *path, struct ty_str head, const struct ty_parser **out,
                         struct ty_err *err);

/* Shared helpers for parsers. Skip a UTF-8 BOM and leading whitespace. */
struct ty_str ty_parse_skip_ws(struct ty_str s);
/* The first line of a stream's head (BOM and leading blanks skipped),
 * without its newline; TY_STR_NULL when no line ends within max bytes. */
struct ty_str ty_parse_first_line(struct ty_str head, size_t max);
/* The user whose home an evidence path is under (".../home/alice/..." ->
 * "alice", ".../root/..." -> "root"); "" when none. */
void ty_parse_home_user(const char *path, char *out, size_t cap);
/* Tokenize the whole record into ctx->json; a syntax error is TY_ECORRUPT
 * with "not JSON: <where and why>". */
int ty_parse_json_record(struct ty_parse_ctx *ctx, const struct ty_record *rec,
                         struct ty_err *err);
/* close() for parsers whose state is one malloc'd block in ctx->priv. */
void ty_parse_free_priv(struct ty_parse_ctx *ctx);

/* The registered parsers. */
extern const struct ty_parser ty_parser_cloudtrail;
extern const struct ty_parser ty_parser_cloudtrail_digest;
extern const struct ty_parser ty_parser_k8s_audit;
extern const struct ty_parser ty_parser_vpcflow;
extern const struct ty_parser ty_parser_auditd;
extern const struct ty_parser ty_parser_weblog;
extern const struct ty_parser ty_parser_syslog;

#endif
