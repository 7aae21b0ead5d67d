/* SPDX-License-Identifier: Apache-2.0 */
/*
 * gz.h - deterministic gzip: level 9, mtime 0, no file name, OS byte as zlib writes it, so
 * the compressed bytes depend only on the content (and the zlib version).
 */
#ifndef GEN_GZ_H
#define GEN_GZ_H

#include <stddef.h>

/* gzip of data; returns a malloc'd buffer and its length in *out_len. */
unsigned char *gz_mem(const void *data, size_t len, size_t *out_len);
/* Write ROOT/rel (see out.h) as the gzip of data. */
void gz_file(const char *rel, const void *data, size_t len);

#endif
