/* SPDX-License-Identifier: Apache-2.0 */
/*
 * err.c - filling the caller's error record, and names of return codes.
 */
#include <stdio.h>
#include <string.h>

#include <tyto/err.h>

int ty__err_set(struct ty_err *err, int rc, const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    if (!err)
        return rc;
    err->rc = rc;
    err->file = file;
    err->line = line;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
    return rc;
}

void ty_err_clear(struct ty_err *err)
{
    if (!err)
        return;
    err->rc = 0;
    err->msg[0] = '\0';
    err->file = NULL;
    err->line = 0;
}

const char *ty_strerror(int rc)
{
    switch (rc) {
    case TY_OK: return "OK";
    case TY_ERR: return "ERR";
    case TY_ENOMEM: return "ENOMEM";
    case TY_EIO: return "EIO";
    case TY_EINVAL: return "EINVAL";
    case TY_ETOOBIG: return "ETOOBIG";
    case TY_ECORRUPT: return "ECORRUPT";
    case TY_EDB: return "EDB";
    case TY_EOF: return "EOF";
    case TY_STOP: return "STOP";
    case TY_SKIP: return "SKIP";
    default: return "unknown";
    }
}
