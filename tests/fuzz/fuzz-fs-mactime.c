/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz-fs-mactime.c - libFuzzer target for the mactime-compatible timeline:
 * any bytes as a bodyfile, fed in two chunks, with a tiny sort budget so the
 * external runs and the merge are exercised; the output must be written
 * without error and every output line must end in a newline.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/fs.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const ranges[] = {NULL, "2024-03-12", "2001-01-01..2030-01-01"};
    struct ty_mactime_opts o = {.mactime = true, .csv = size & 1, .iso = (size >> 1) & 1,
                                .tz = "UTC", .range = ranges[size % 3], .mem_budget = 4096};
    struct ty_mactime *m = NULL;
    struct ty_err err;
    char *out = NULL;
    size_t out_len = 0;
    FILE *f = open_memstream(&out, &out_len);
    if (!f)
        return 0;
    if (ty_mactime_new(&m, &o, &err) != 0)
        abort();
    size_t half = size / 2;
    if (ty_mactime_feed(m, (const char *)data, half, &err) != 0 ||
        ty_mactime_feed(m, (const char *)data + half, size - half, &err) != 0)
        abort();
    if (ty_mactime_write(m, f, &err) != 0)
        abort();
    ty_mactime_free(m);
    fclose(f);
    if (out_len && out[out_len - 1] != '\n')
        abort();
    free(out);
    return 0;
}
