/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz-parse-docker-layer.c - libFuzzer target for the parsers of Docker
 * root files known by path, docker-layer and docker-meta
 * (src/parse/parse-docker-layer.c). The first input byte picks the file's
 * place in the tree (so every kind of file is reached), the rest is its
 * content, run through open(), the real framer and record() with the
 * parser contract checked (the checks of parse-driver.h).
 */
#include "parse-driver.h"

extern const struct ty_parser ty_parser_docker_layer;
extern const struct ty_parser ty_parser_docker_meta;

#define R "n/var/lib/docker/"
#define H64 "9e4b7c2d1a08f35e6b9d47c0a2e5f18b3c6d9a0e7f214b58c3a6d9e0f1b2c4a7"

static const char *const paths[] = {
    R "overlay2/" H64 "/diff/tmp/kinsing",
    R "overlay2/" H64 "/diff/etc/.wh.motd",
    R "overlay2/" H64 "/diff/var/.wh..wh..opq",
    R "volumes/v/_data/index.php",
    "c/io.containerd.snapshotter.v1.overlayfs/snapshots/7/fs/bin/x",
    R "image/overlay2/layerdb/mounts/" H64 "/mount-id",
    R "image/overlay2/layerdb/sha256/" H64 "/size",
    R "image/overlay2/repositories.json",
    R "image/overlay2/imagedb/content/sha256/" H64,
    R "image/overlay2/imagedb/metadata/sha256/" H64 "/lastUpdated",
    R "image/overlay2/imagedb/metadata/sha256/" H64 "/parent",
    R "overlay2/" H64 "/lower",
    R "overlay2/" H64 "/link",
    R "engine-id",
    R "containers/" H64 "/hostname",
    R "containers/" H64 "/hosts",
    R "containers/" H64 "/resolv.conf",
    R "network/files/local-kv.db",
    "fuzz",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2) /* too short to pick a place: the plain driver, path "fuzz" */
        return fz_run(&ty_parser_docker_layer, data, size);
    const char *path = paths[data[0] % (sizeof(paths) / sizeof(paths[0]))];
    const char *text = (const char *)data + 1;
    size--;
    const struct ty_parser *p = ty_parser_docker_layer.sniff_path(path, TY_STR_NULL) > 0
                                    ? &ty_parser_docker_layer
                                    : &ty_parser_docker_meta;
    struct ty_arena arena;
    struct ty_json_doc json;
    struct ty_parse_ctx ctx;
    struct ty_buf out;
    struct ty_err err;
    struct ty_input *in = NULL;
    struct ty_framer *fr = NULL;

    FZ_ENSURE(p->sniff(ty_str_make(text, size)) == 0);
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
    if (ty_input_mem_open(&in, "fuzz", text, size) == 0 &&
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
    p->close(&ctx);
    FZ_ENSURE(ctx.priv == NULL);
    ty_buf_release(&out);
    ty_json_doc_release(&json);
    ty_arena_release(&arena);
    return 0;
}
