/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sigma-placeholder.c - values for %name% placeholders of |expand rules,
 * read from a YAML file that maps each name to a list of values:
 *   Administrators: [admin, root]
 *   JumpServers: jump01
 * A rule naming a placeholder the file does not define is rejected, as the
 * Sigma spec asks (sigma-spec §5, expand).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sigma/sigma-set-int.h"

int ty_placeholders_load(const char *path, struct ty_placeholders *out, struct ty_arena *a,
                         struct ty_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return ty_err_set(err, TY_EIO, "%s: %s", path, strerror(errno));
    struct ty_buf b;
    char chunk[8192];
    size_t n;
    int rc = 0;
    ty_buf_init(&b, (size_t)16 << 20);
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        if (ty_buf_add(&b, chunk, n)) {
            rc = ty_err_set(err, TY_ETOOBIG, "%s: larger than 16 MiB", path);
            break;
        }
    fclose(f);
    struct ty_ydocs docs;
    if (rc == 0 && (rc = ty_yaml_parse(b.buf ? b.buf : "", b.len, a, &docs, err)) != 0) {
        char msg[sizeof(err->msg)];
        snprintf(msg, sizeof(msg), "%s", err->msg);
        ty_err_set(err, rc, "%s: %s", path, msg);
    }
    const struct ty_ynode *m = rc == 0 && docs.n ? docs.doc[0] : NULL;
    if (rc == 0 && (!m || m->kind != TY_Y_MAP))
        rc = ty_err_set(err, TY_EINVAL, "%s: expected a map of placeholder name to values", path);
    if (rc == 0) {
        out->p = ty_arena_alloc(a, (m->n ? m->n : 1) * sizeof(*out->p));
        out->n = 0;
        if (!out->p)
            rc = ty_err_set(err, TY_ENOMEM, "out of memory");
    }
    for (size_t i = 0; rc == 0 && i < m->n; i++) {
        const struct ty_ynode *k = m->kv[2 * i], *v = m->kv[2 * i + 1];
        struct ty_placeholder *p = &out->p[out->n];
        size_t cnt = v->kind == TY_Y_SEQ ? v->n : 1;
        p->name = k->text;
        p->values = ty_arena_alloc(a, (cnt ? cnt : 1) * sizeof(*p->values));
        p->n = 0;
        if (!p->values) {
            rc = ty_err_set(err, TY_ENOMEM, "out of memory");
            break;
        }
        for (size_t j = 0; j < cnt; j++) {
            const struct ty_ynode *e = v->kind == TY_Y_SEQ ? v->kv[j] : v;
            if (e->kind != TY_Y_SCALAR) {
                rc = ty_err_set(err, TY_EINVAL, "%s:%u: placeholder '%s' values must be scalars",
                                path, e->line, k->text.p);
                break;
            }
            p->values[p->n++] = e->text;
        }
        out->n++;
    }
    ty_buf_release(&b);
    return rc;
}
