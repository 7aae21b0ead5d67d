/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz-parse-docker-layer.c - libFuzzer target for the parsers of Docker
 * root files known by path, docker-layer and docker-meta
 * (src/parse/parse-docker-layer.c). The first input byte picks the file's
 * place in the tree (so every kind of file is reached), the rest is its
 * content, run by parse-driver.h under that path (open(), the real framer,
 * record(), finish() and the whole input as one record, contract checked).
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
    /* known by place, not by content */
    FZ_ENSURE(p->sniff(ty_str_make(text, size > 65536 ? 65536 : size)) == 0);
    return fz_run_path(p, path, (const uint8_t *)text, size);
}
