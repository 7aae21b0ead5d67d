/* SPDX-License-Identifier: Apache-2.0 */
/*
 * report-md.c - the report as Markdown, for terminals and tickets.
 */
#include <tyto/time.h>
#include <tyto/tyto.h>

#include "report/report-int.h"

static void row(struct ty_buf *b, const struct ty_evidence *ev, unsigned i)
{
    (void)i;
    ty_buf_addf(b, "| `%s` | %s | %llu | %llu | %llu | %s | `%.12s…` |\n", ev->path,
                ev->format[0] ? ev->format : "—", (unsigned long long)ev->records,
                (unsigned long long)ev->events, (unsigned long long)ev->quarantined, ev->status,
                ev->sha256);
}

struct alerts_md {
    struct ty_buf *b;
    unsigned long n;
};

/* Markdown table cells: no pipes or newlines inside. */
static void cell(struct ty_buf *b, const char *s)
{
    for (; *s; s++)
        ty_buf_addc(b, *s == '|' ? '/' : (*s == '\n' || *s == '\r') ? ' ' : *s);
}

static int alert_md(void *arg, const struct ty_alert *a)
{
    struct alerts_md *am = arg;
    struct ty_buf *b = am->b;
    char ts[40];
    if (am->n++ >= TY__REPORT_MAX_ALERTS)
        return 0;
    ty_time_format(a->ts, 0, ts);
    ty_buf_addf(b, "| %s | %s | ", ts, a->rule->level);
    cell(b, a->rule->title);
    ty_buf_addf(b, " | `%s:%llu` (offset %llu) | ", a->evidence_path, (unsigned long long)a->line,
                (unsigned long long)a->offset);
    cell(b, a->summary);
    ty_buf_adds(b, " |\n");
    return 0;
}

int ty__report_md(struct ty_store *st, struct ty_buf *b, struct ty_err *err)
{
    struct ty__report_totals t;
    char t1[40], t2[40];
    ty_buf_adds(b, "# tyto investigation report\n\n## Evidence\n\n"
                   "| evidence | format | records | events | quarantined | status | SHA-256 |\n"
                   "|---|---|---:|---:|---:|---|---|\n");
    int rc = ty__report_evidence(st, b, row, &t, err);
    if (rc)
        return rc;
    ty_buf_addf(b, "\n%u evidence streams: %llu records read = %llu events stored + %llu "
                   "quarantined.\n",
                t.streams, (unsigned long long)t.records, (unsigned long long)t.events,
                (unsigned long long)t.quarantined);
    if (t.ts_min) {
        ty_time_format(t.ts_min, 0, t1);
        ty_time_format(t.ts_max, 0, t2);
        ty_buf_addf(b, "Events span %s to %s.\n", t1, t2);
    }
    struct alerts_md am = {b, 0};
    ty_buf_adds(b, "\n## Alerts\n\n"
                   "| time | level | rule | evidence | what happened |\n|---|---|---|---|---|\n");
    if ((rc = ty_store_alerts(st, alert_md, &am, err)) != 0)
        return rc;
    if (am.n > TY__REPORT_MAX_ALERTS)
        ty_buf_addf(b, "\n%lu more alerts: `tyto alerts CASE` lists them all.\n",
                    am.n - TY__REPORT_MAX_ALERTS);
    if (am.n == 0)
        ty_buf_adds(b, "| — | — | no rule matched | — | — |\n");
    ty_buf_addf(b, "\n## Findings\n\n%s\n\ntyto %s\n", ty__report_pending_note, TYTO_VERSION);
    return 0;
}
