/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse-bodyfile-int.h - internals shared by the bodyfile parser, the
 * mactime-compatible timeline (parse-bodyfile-mactime.c), its external sort
 * (parse-bodyfile-xsort.c) and the libtsk image walker
 * (parse-bodyfile-image.c), and by their unit tests. Not API.
 */
#ifndef TYTO_PARSE_BODYFILE_INT_H
#define TYTO_PARSE_BODYFILE_INT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <tyto/err.h>
#include <tyto/str.h>

enum {
    BF_MD5,
    BF_NAME,
    BF_INODE,
    BF_MODE,
    BF_UID,
    BF_GID,
    BF_SIZE,
    BF_ATIME,
    BF_MTIME,
    BF_CTIME,
    BF_CRTIME,
    BF_N
};

/* One bodyfile line cut into its 11 fields (3.x order; a 2.x line is mapped
 * onto it and has no crtime). */
struct ty_bf_line {
    struct ty_str f[BF_N];
    int version; /* 3 or 2 */
};

/* Robust split (formats.md §9.1): 0, or -1 with fewer than 11 fields. */
int ty__bf_split(struct ty_str line, struct ty_bf_line *out);
/* A time field: 1 absent ("", "-", "0", "-1"), 0 with *ns set, -1 not a number. */
int ty__bf_time(struct ty_str s, int64_t *ns, int *prec);
const char *ty__bf_field_name(int i);

/* ---- external sort: records of bytes ordered by a comparator ---------- */

struct ty_xsort;
/* budget: bytes of records held in memory before a sorted run is written to
 * a temp file in tmpdir (NULL: $TMPDIR or /tmp). */
int ty__xsort_new(struct ty_xsort **out, size_t budget, const char *tmpdir,
                  struct ty_err *err);
int ty__xsort_add(struct ty_xsort *x, const void *rec, size_t len, struct ty_err *err);
/* After the last add: start reading in order. */
int ty__xsort_finish(struct ty_xsort *x, struct ty_err *err);
/* TY_OK with *rec and *len valid until the next call, TY_EOF, or < 0. */
int ty__xsort_next(struct ty_xsort *x, const void **rec, size_t *len, struct ty_err *err);
/* Runs written to disk so far (for tests and the bench). */
unsigned ty__xsort_runs(const struct ty_xsort *x);
void ty__xsort_free(struct ty_xsort *x);

#endif
