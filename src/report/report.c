/* SPDX-License-Identifier: Apache-2.0 */
/*
 * report.c - writing a case report: the format from the file name, the
 * evidence walk every format shares, the investigation and containment plans
 * every format reports, and the atomic write.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <tyto/correlate.h>
#include <tyto/report.h>

#include "report/report-int.h"

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

int ty_report_format_for_path(const char *path)
{
    if (ends_with(path, ".json"))
        return TY_REPORT_JSON;
    if (ends_with(path, ".md"))
        return TY_REPORT_MD;
    if (ends_with(path, ".html") || ends_with(path, ".htm"))
        return TY_REPORT_HTML;
    return -1;
}

int ty_report_format_named(const char *name)
{
    if (strcmp(name, "json") == 0)
        return TY_REPORT_JSON;
    if (strcmp(name, "md") == 0 || strcmp(name, "markdown") == 0)
        return TY_REPORT_MD;
    if (strcmp(name, "html") == 0)
        return TY_REPORT_HTML;
    return -1;
}

int ty__report_alert_incident(const struct ty__report *r, int64_t alert_id,
                              const struct ty_inc_step **step)
{
    for (size_t i = 0; r->inv && i < r->inv->n_inc; i++) {
        const struct ty_incident *inc = &r->inv->inc[i];
        for (size_t k = 0; k < inc->n_steps; k++)
            if (inc->steps[k].alert_id == alert_id) {
                if (step)
                    *step = &inc->steps[k];
                return inc->id;
            }
    }
    if (step)
        *step = NULL;
    return 0;
}

struct walk {
    struct ty_buf *b;
    ty__report_row_fn row;
    struct ty__report_totals *t;
};

static int one(void *arg, const struct ty_evidence *ev)
{
    struct walk *w = arg;
    struct ty__report_totals *t = w->t;
    t->records += ev->records;
    t->events += ev->events;
    t->quarantined += ev->quarantined;
    if (ev->ts_min && (!t->ts_min || ev->ts_min < t->ts_min))
        t->ts_min = ev->ts_min;
    if (ev->ts_max > t->ts_max)
        t->ts_max = ev->ts_max;
    w->row(w->b, ev, t->streams++);
    return 0;
}

int ty__report_evidence(struct ty_store *st, struct ty_buf *b, ty__report_row_fn row,
                        struct ty__report_totals *t, struct ty_err *err)
{
    struct walk w = {b, row, t};
    memset(t, 0, sizeof(*t));
    return ty_store_evidence_list(st, one, &w, err);
}

int ty_report_render(struct ty_store *st, const struct ty_investigation *inv, int incident,
                     int format, struct ty_buf *out, struct ty_err *err)
{
    struct ty__report r;
    struct ty_investigation *own = NULL;
    int rc = 0;
    memset(&r, 0, sizeof(r));
    ty_arena_init(&r.arena, 64 * 1024, 0);
    if (!inv) {
        if ((rc = ty_investigate_case(st, NULL, &own, err)))
            goto out;
        inv = own;
    }
    if (incident < 0 || (size_t)incident > inv->n_inc) {
        rc = ty_err_set(err, TY_EINVAL, "no incident %d (the case has %zu)", incident,
                        inv->n_inc);
        goto out;
    }
    r.st = st;
    r.inv = inv;
    r.incident = incident;
    r.b = out;
    r.plans = ty_arena_alloc(&r.arena, (inv->n_inc + 1) * sizeof(*r.plans));
    r.n_plans = ty_arena_alloc(&r.arena, (inv->n_inc + 1) * sizeof(*r.n_plans));
    if (!r.plans || !r.n_plans) {
        rc = ty_err_set(err, TY_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < inv->n_inc; i++) {
        r.plans[i] = NULL;
        r.n_plans[i] = 0;
        if (ty__report_has(&r, i) &&
            (rc = ty_contain_plan(&inv->inc[i], &r.arena, &r.plans[i], &r.n_plans[i], err)))
            goto out;
    }
    switch (format) {
    case TY_REPORT_JSON: rc = ty__report_json(&r, err); break;
    case TY_REPORT_MD: rc = ty__report_md(&r, err); break;
    case TY_REPORT_HTML: rc = ty__report_html(&r, err); break;
    default: rc = ty_err_set(err, TY_EINVAL, "unknown report format %d", format);
    }
out:
    ty_arena_release(&r.arena);
    ty_investigation_free(own);
    return rc;
}

int ty_report_write(struct ty_store *st, const struct ty_investigation *inv,
                    const char *out_path, int format, struct ty_err *err)
{
    struct ty_buf b, tmp;
    FILE *f = NULL;
    int rc;
    ty_buf_init(&b, 0);
    ty_buf_init(&tmp, 4096);
    if ((rc = ty_report_render(st, inv, 0, format, &b, err)))
        goto out;
    ty_buf_addf(&tmp, "%s.tmp", out_path);
    f = fopen(tmp.buf, "w");
    if (!f) {
        rc = ty_err_set(err, TY_EIO, "cannot write %s: %s", tmp.buf, strerror(errno));
        goto out;
    }
    if (fwrite(b.buf ? b.buf : "", 1, b.len, f) != b.len || fclose(f) != 0) {
        f = NULL;
        rc = ty_err_set(err, TY_EIO, "cannot write %s: %s", tmp.buf, strerror(errno));
        goto out;
    }
    f = NULL;
    if (rename(tmp.buf, out_path) != 0)
        rc = ty_err_set(err, TY_EIO, "cannot rename to %s: %s", out_path, strerror(errno));
out:
    if (f)
        fclose(f);
    ty_buf_release(&b);
    ty_buf_release(&tmp);
    return rc;
}
