/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse-driver.h - the body of a parser fuzz target: sniff the input, open
 * the parser on its head, cut it with the real framer and parse every
 * record (resetting the arena as the ingest driver does), then parse the
 * whole input as one record. Checks the plugin contract on every call:
 * known return codes, no event before TY_ECORRUPT, TY_OK means >= 1 event,
 * every event has a time and a category, present strings are non-empty and
 * the event renders as JSON. Include once from fuzz-parse-<name>.c.
 */
#ifndef TYTO_FUZZ_PARSE_DRIVER_H
#define TYTO_FUZZ_PARSE_DRIVER_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/buf.h>
#include <tyto/frame.h>
#include <tyto/input.h>
#include <tyto/parser.h>

#define FZ_ENSURE(x)                                                                               \
    do {                                                                                           \
        if (!(x)) {                                                                                \
            fprintf(stderr, "fuzz: %s:%d: contract broken: %s\n", __FILE__, __LINE__, #x);         \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

static int fz_sink(void *arg, struct ty_event *ev)
{
    struct ty_buf *b = arg;
    FZ_ENSURE(ty_event_has(ev, TY_F_TS));
    FZ_ENSURE(ty_event_has(ev, TY_F_CATEGORY));
    for (int f = 0; f < TY_F__COUNT; f++)
        if (ty_event_has(ev, (enum ty_field)f) && ty_fields[f].type == TY_FT_STR)
            FZ_ENSURE(ev->v[f].s.p != NULL && ev->v[f].s.len > 0);
    ty_buf_reset(b);
    FZ_ENSURE(ty_event_to_json(ev, b) == 0);
    return 0;
}

static void fz_record(struct ty_parse_ctx *ctx, const struct ty_parser *p,
                      const struct ty_record *rec)
{
    struct ty_err err;
    ty_err_clear(&err);
    ctx->rec = rec;
    ctx->n_emitted = 0;
    int rc = p->record(ctx, rec, &err);
    FZ_ENSURE(rc == TY_OK || rc == TY_SKIP || rc == TY_HELD || rc == TY_ECORRUPT);
    if (rc == TY_ECORRUPT)
        FZ_ENSURE(ctx->n_emitted == 0 && err.msg[0]);
    if (rc == TY_OK)
        FZ_ENSURE(ctx->n_emitted >= 1);
    if (rc == TY_SKIP || rc == TY_HELD)
        FZ_ENSURE(ctx->n_emitted == 0);
    ctx->rec = NULL;
    ty_arena_reset(ctx->arena);
}

/* Run parser p over data as the stream named path (parsers that know files
 * by their place in a collected tree read it; others ignore it). */
static int fz_run_path(const struct ty_parser *p, const char *path, const uint8_t *data,
                       size_t size)
{
    struct ty_arena arena;
    struct ty_json_doc json;
    struct ty_parse_ctx ctx;
    struct ty_buf out;
    struct ty_err err;
    struct ty_input *in = NULL;
    struct ty_framer *fr = NULL;
    const char *text = (const char *)data;

    int score = p->sniff(ty_str_make(text, size > 65536 ? 65536 : size));
    FZ_ENSURE(score >= 0 && score <= 100);

    ty_arena_init(&arena, 64 * 1024, (size_t)256 << 20);
    ty_json_doc_init(&json, 0, 0);
    ty_buf_init(&out, 0);
    memset(&ctx, 0, sizeof(ctx));
    ctx.evidence = path;
    ctx.head = ty_str_make(text, size > 65536 ? 65536 : size);
    ctx.arena = &arena;
    ctx.json = &json;
    ctx.emit = fz_sink;
    ctx.sink = &out;
    ctx.parser = p;
    ctx.frame.max_record = (size_t)1 << 20;
    ty_err_clear(&err);
    FZ_ENSURE(p->open(&ctx, &err) == 0);

    if (ty_input_mem_open(&in, "fuzz", data, size) == 0 &&
        ty_framer_new(&fr, in, &ctx.frame, &err) == 0) {
        for (;;) {
            struct ty_record rec;
            int rc = ty_framer_next(fr, &rec, &err);
            if (rc == TY_EOF || (rc < 0 && rc != TY_ECORRUPT))
                break;
            if (rc == TY_OK)
                fz_record(&ctx, p, &rec);
        }
    }
    ty_framer_free(fr);
    ty_input_free(in);
    /* the stream's end: what the parser held comes out */
    if (p->finish) {
        ctx.rec = NULL;
        ctx.n_emitted = 0;
        ty_err_clear(&err);
        FZ_ENSURE(p->finish(&ctx, &err) == 0);
        ty_arena_reset(ctx.arena);
    }

    /* the whole input as one record */
    struct ty_record whole = {text, size, 0, 1};
    fz_record(&ctx, p, &whole);

    p->close(&ctx);
    FZ_ENSURE(ctx.priv == NULL);
    ty_buf_release(&out);
    ty_json_doc_release(&json);
    ty_arena_release(&arena);
    return 0;
}

static int fz_run(const struct ty_parser *p, const uint8_t *data, size_t size)
{
    return fz_run_path(p, "fuzz", data, size);
}

#endif
