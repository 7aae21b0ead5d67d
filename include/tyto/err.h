/* SPDX-License-Identifier: Apache-2.0 */
/*
 * err.h - return codes and the caller-provided error record.
 *
 * Every fallible function returns int: 0 is success, a negative value an
 * error, a positive value a non-error outcome (end of input, stop). Details go
 * into a struct ty_err owned by the caller; there is no global error state.
 */
#ifndef TYTO_ERR_H
#define TYTO_ERR_H

#include <stdarg.h>

enum {
    TY_OK = 0,
    TY_ERR = -1,      /* generic failure */
    TY_ENOMEM = -2,   /* allocation failed: aborts a run */
    TY_EIO = -3,      /* read/write failed: aborts a run */
    TY_EINVAL = -4,   /* bad argument or usage */
    TY_ETOOBIG = -5,  /* a size cap was hit */
    TY_ECORRUPT = -6, /* this record is bad: count it, quarantine it, go on */
    TY_EDB = -7,      /* the case store failed */
    TY_EOF = 1,       /* no more input */
    TY_STOP = 2,      /* the callee asks the caller to stop early */
    TY_SKIP = 3,      /* not a record (header line, envelope): not counted */
    TY_HELD = 4,      /* a record read whose event comes with a later record or at the
                         stream's end (multi-line records joined by the parser) */
};

struct ty_err {
    int rc;
    char msg[256];
    const char *file; /* source file of the code that set the error */
    int line;
};

/* Fill err (which may be NULL) and return rc, so callers can write
 * `return ty_err_set(err, TY_EINVAL, "bad %s", x);`. */
#define ty_err_set(err, rc, ...) ty__err_set((err), (rc), __FILE__, __LINE__, __VA_ARGS__)

int ty__err_set(struct ty_err *err, int rc, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Reset err to "no error". */
void ty_err_clear(struct ty_err *err);

/* A short name for a return code ("ECORRUPT"). */
const char *ty_strerror(int rc);

#endif
