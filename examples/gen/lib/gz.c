/* SPDX-License-Identifier: Apache-2.0 */
/*
 * gz.c - one-shot deterministic gzip of a buffer in memory (rotated logs, CloudTrail and
 * flow log deliveries). zlib writes mtime 0 and no name when no gz_header is set.
 */
#include "gz.h"

#include "out.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

unsigned char *gz_mem(const void *data, size_t len, size_t *out_len)
{
    z_stream z;
    unsigned char *out;
    size_t cap;

    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
        die("deflateInit2 failed");
    cap = deflateBound(&z, (uLong)len) + 64;
    out = xrealloc(NULL, cap);
    z.next_in = (Bytef *)(uintptr_t)data;
    z.avail_in = (uInt)len;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    if (deflate(&z, Z_FINISH) != Z_STREAM_END)
        die("deflate failed");
    *out_len = cap - z.avail_out;
    deflateEnd(&z);
    return out;
}

void gz_file(const char *rel, const void *data, size_t len)
{
    size_t n;
    unsigned char *out = gz_mem(data, len, &n);

    out_file(rel, out, n);
    free(out);
}
