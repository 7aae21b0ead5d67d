/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz-parse-app-log.c - libFuzzer target for the app-log parser: the common
 * driver (parse-driver.h), then the input's lines fed again and the stream
 * completed with finish(), which emits the record still held.
 */
#include "parse-driver.h"

extern const struct ty_parser ty_parser_app_log;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void held_record(const uint8_t *data, size_t size)
{
    const struct ty_parser *p = &ty_parser_app_log;
    struct ty_arena arena;
    struct ty_parse_ctx ctx;
    struct ty_buf out;
    struct ty_err err;
    const char *text = (const char *)data;
    uint64_t line = 1;

    ty_arena_init(&arena, 64 * 1024, (size_t)64 << 20);
    ty_buf_init(&out, 0);
    memset(&ctx, 0, sizeof(ctx));
    ctx.evidence = "fuzz";
    ctx.head = ty_str_make(text, size > 65536 ? 65536 : size);
    ctx.arena = &arena;
    ctx.emit = fz_sink;
    ctx.sink = &out;
    ctx.parser = p;
    ty_err_clear(&err);
    FZ_ENSURE(p->open(&ctx, &err) == 0);
    for (size_t b = 0; b < size;) {
        const char *nl = memchr(text + b, '\n', size - b);
        size_t e = nl ? (size_t)(nl - text) : size;
        struct ty_record rec = {text + b, e - b, b, line++};
        if (e > b)
            fz_record(&ctx, p, &rec);
        b = e + 1;
    }
    ctx.n_emitted = 0;
    FZ_ENSURE(p->finish(&ctx, &err) == 0);
    FZ_ENSURE(p->finish(&ctx, &err) == 0);
    p->close(&ctx);
    ty_buf_release(&out);
    ty_arena_release(&arena);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_run(&ty_parser_app_log, data, size);
    held_record(data, size);
    return 0;
}
