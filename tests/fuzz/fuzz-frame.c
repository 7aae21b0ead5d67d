/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz-frame.c - the record framer on arbitrary bytes. The first 4 bytes
 * choose the mode (lines, JSON, JSON "Records", whole), a max_record, read
 * and chunk sizes and a point of injected input damage; the rest is framed
 * twice (whole reads, then tiny ones) and both runs must agree. Invariants:
 * every record lies inside the input at its offset, records do not overlap
 * and come in order, line numbers count the newlines before them, the
 * framer always ends.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/err.h>
#include <tyto/frame.h>
#include <tyto/input.h>

#include "read/read-int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_RECS 4096

struct out {
    int rc;
    uint64_t offset, line;
    size_t len;
};

static void check(int cond, const char *what)
{
    if (!cond) {
        fprintf(stderr, "fuzz-frame: invariant broken: %s\n", what);
        abort();
    }
}

static size_t frame(const uint8_t *d, size_t n, const uint64_t *nl_before,
                    const struct ty_frame_spec *spec, size_t max_read, size_t chunk,
                    size_t fail_at, struct out *outs)
{
    struct ty_input *in = NULL;
    struct ty_framer *f = NULL;
    struct ty_err err;
    size_t n_out = 0, calls = 0;
    uint64_t prev_end = 0;
    int rc;

    if (ty_input_mem_open(&in, "fuzz", d, n))
        return 0;
    if (max_read)
        ty__input_mem_set_max_read(in, max_read);
    if (fail_at < n)
        ty__input_mem_set_fail_at(in, fail_at);
    if (ty_framer_new(&f, in, spec, &err)) {
        ty_input_free(in);
        return 0;
    }
    if (chunk)
        ty__framer_set_chunk(f, chunk);
    for (;;) {
        struct ty_record rec;
        rc = ty_framer_next(f, &rec, &err);
        check(++calls <= 2 * n + 10, "progress: more records than bytes");
        if (rc == TY_EOF)
            break;
        check(rc == TY_OK || rc == TY_ECORRUPT, "only OK, ECORRUPT, EOF on memory input");
        check(rec.p != NULL, "record pointer set");
        if (!(rec.offset <= n && rec.len <= n - rec.offset))
            fprintf(stderr, "rc %d offset %llu len %zu size %zu: %s\n", rc,
                    (unsigned long long)rec.offset, rec.len, n, err.msg);
        check(rec.offset <= n && rec.len <= n - rec.offset, "record inside the input");
        check(rec.offset >= prev_end, "records in order, not overlapping");
        if (rec.len)
            check(memcmp(rec.p, d + rec.offset, rec.len) == 0, "record bytes are the input's");
        check(rec.line == 1 + nl_before[rec.offset], "line number counts the newlines before");
        check(rc == TY_OK || err.msg[0] != '\0', "a reason for every bad record");
        if (rc == TY_OK && spec->kind != TY_FRAME_WHOLE)
            check(rec.len > 0, "no empty records");
        if (rc == TY_OK && spec->max_record)
            check(rec.len <= spec->max_record, "no record longer than max_record");
        prev_end = rec.offset + rec.len;
        if (n_out < MAX_RECS)
            outs[n_out++] = (struct out){rc, rec.offset, rec.line, rec.len};
    }
    check(ty_framer_next(f, &(struct ty_record){0}, &err) == TY_EOF, "EOF stays EOF");
    ty_framer_free(f);
    ty_input_free(in);
    return n_out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct out a[MAX_RECS], b[MAX_RECS];
    static const size_t max_records[] = {0, 1, 2, 5, 16, 64, 300, 70000};
    struct ty_frame_spec spec;
    uint64_t *nl;
    size_t na, nb, max_read, chunk, fail_at;

    if (size < 4)
        return 0;
    memset(&spec, 0, sizeof(spec));
    spec.kind = data[0] % 4 == 3 ? TY_FRAME_WHOLE : TY_FRAME_JSON;
    if (data[0] % 4 == 0)
        spec.kind = TY_FRAME_LINES;
    spec.key = data[0] % 4 == 2 ? "Records" : NULL;
    spec.max_record = max_records[(data[0] >> 2) % 8];
    max_read = 1 + data[1] % 7;
    chunk = 1 + data[2] % 64;
    fail_at = data[3] < 0xe0 ? (size_t)-1 : (size_t)(data[3] - 0xe0) * 3;
    data += 4;
    size -= 4;
    if (!(nl = malloc((size + 1) * sizeof(*nl))))
        return 0;
    nl[0] = 0;
    for (size_t i = 0; i < size; i++)
        nl[i + 1] = nl[i] + (data[i] == '\n');
    na = frame(data, size, nl, &spec, 0, 0, fail_at, a);
    nb = frame(data, size, nl, &spec, max_read, chunk, fail_at, b);
    check(na == nb, "same records whatever the read and chunk sizes");
    for (size_t i = 0; i < na && i < nb; i++) {
        check(a[i].rc == b[i].rc && a[i].offset == b[i].offset && a[i].line == b[i].line,
              "same record results whatever the chunking");
        if (a[i].rc == TY_OK)
            check(a[i].len == b[i].len, "same record lengths whatever the chunking");
    }
    free(nl);
    return 0;
}
