/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz-parse-cloudtrail.c - libFuzzer target for the CloudTrail parsers:
 * sniff both (never both claim), open on the head, then record() for every
 * line and for the whole input as one record, whatever framing open() chose,
 * checking the plugin contract of parse-driver.h plus CloudTrail's own: every
 * event names its action, provider and cloud. The real framer is left out
 * (fuzz-frame covers it): its per-stream buffer costs ~10 ms under ASan and
 * held this target to ~80 runs/s.
 */
#include "parse-driver.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int ct_sink(void *arg, struct ty_event *ev)
{
    FZ_ENSURE(ty_event_has(ev, TY_F_ACTION));
    FZ_ENSURE(ty_event_has(ev, TY_F_PROVIDER));
    FZ_ENSURE(ty_event_has(ev, TY_F_CLOUD_PROVIDER));
    return fz_sink(arg, ev);
}

static void run(const struct ty_parser *p, const uint8_t *data, size_t size)
{
    struct ty_arena arena;
    struct ty_json_doc json;
    struct ty_parse_ctx ctx;
    struct ty_buf out;
    struct ty_err err;
    const char *text = (const char *)data;

    ty_arena_init(&arena, 64 * 1024, (size_t)256 << 20);
    ty_json_doc_init(&json, 0, 0);
    ty_buf_init(&out, 0);
    memset(&ctx, 0, sizeof(ctx));
    ctx.evidence = "fuzz";
    ctx.head = ty_str_make(text, size > 65536 ? 65536 : size);
    ctx.arena = &arena;
    ctx.json = &json;
    ctx.emit = ct_sink;
    ctx.sink = &out;
    ctx.parser = p;
    ty_err_clear(&err);
    FZ_ENSURE(p->open(&ctx, &err) == 0);
    for (size_t i = 0; i < size;) {
        const char *nl = memchr(text + i, '\n', size - i);
        size_t e = nl ? (size_t)(nl - text) : size;
        struct ty_record rec = {text + i, e - i, i, 1};
        if (e > i)
            fz_record(&ctx, p, &rec);
        i = e + 1;
    }
    struct ty_record whole = {text, size, 0, 1};
    fz_record(&ctx, p, &whole);
    p->close(&ctx);
    FZ_ENSURE(ctx.priv == NULL);
    ty_buf_release(&out);
    ty_json_doc_release(&json);
    ty_arena_release(&arena);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int a = ty_parser_cloudtrail.sniff(ty_str_make((const char *)data, size));
    int b = ty_parser_cloudtrail_digest.sniff(ty_str_make((const char *)data, size));
    FZ_ENSURE(a == 0 || b == 0); /* never both */
    (void)fz_run;                /* the framer-driven pass of parse-driver.h: not here */
    run(&ty_parser_cloudtrail, data, size);
    run(&ty_parser_cloudtrail_digest, data, size);
    return 0;
}
