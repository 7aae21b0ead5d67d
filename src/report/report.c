/* SPDX-License-Identifier: Apache-2.0 */
/*
 * report.c - writing a case report: the format from the file name, the
 * evidence walk every format shares, and the atomic write.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <tyto/report.h>

#include "report/report-int.h"

const char *const ty__report_pending_note =
    "Alerts come from Sigma rules (tyto's pack and any --rules), each citing the evidence file, "
    "line and byte offset of its event. Correlation into incidents and the five questions are "
    "not part of this tyto version: no incidents were computed, and none are implied.";

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

int ty_report_write(struct ty_store *st, const char *out_path, int format, struct ty_err *err)
{
    struct ty_buf b, tmp;
    FILE *f = NULL;
    int rc;
    ty_buf_init(&b, 0);
    ty_buf_init(&tmp, 4096);
    switch (format) {
    case TY_REPORT_JSON: rc = ty__report_json(st, &b, err); break;
    case TY_REPORT_MD: rc = ty__report_md(st, &b, err); break;
    case TY_REPORT_HTML: rc = ty__report_html(st, &b, err); break;
    default: rc = ty_err_set(err, TY_EINVAL, "unknown report format %d", format);
    }
    if (rc)
        goto out;
    ty_buf_addf(&tmp, "%s.tmp", out_path);
    f = fopen(tmp.buf, "w");
    if (!f) {
        rc = ty_err_set(err, TY_EIO, "cannot write %s: %s", tmp.buf, strerror(errno));
        goto out;
    }
    if (fwrite(b.buf, 1, b.len, f) != b.len || fclose(f) != 0) {
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
