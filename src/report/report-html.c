/* SPDX-License-Identifier: Apache-2.0 */
/*
 * report-html.c - the report as one self-contained HTML file: inline style,
 * no script, no external resource, so it opens offline on a forensic VM.
 * Every value from the evidence is HTML-escaped.
 */
#include <string.h>

#include <stdio.h>

#include <tyto/time.h>
#include <tyto/tyto.h>

#include "report/report-int.h"

static void esc(struct ty_buf *b, const char *s);

struct alerts_html {
    struct ty_buf *b;
    unsigned long n;
};

static int alert_html(void *arg, const struct ty_alert *a)
{
    struct alerts_html *ah = arg;
    struct ty_buf *b = ah->b;
    char ts[40], num[64];
    if (ah->n++ >= TY__REPORT_MAX_ALERTS)
        return 0;
    ty_time_format(a->ts, 0, ts);
    ty_buf_addf(b, "<tr><td>%s</td><td>", ts);
    esc(b, a->rule->level);
    ty_buf_adds(b, "</td><td>");
    esc(b, a->rule->title);
    ty_buf_adds(b, "</td><td><code>");
    esc(b, a->evidence_path);
    snprintf(num, sizeof(num), ":%llu</code> (offset %llu)", (unsigned long long)a->line,
             (unsigned long long)a->offset);
    ty_buf_adds(b, num);
    ty_buf_adds(b, "</td><td>");
    esc(b, a->summary);
    ty_buf_adds(b, "</td></tr>\n");
    return 0;
}

static void esc(struct ty_buf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': ty_buf_adds(b, "&amp;"); break;
        case '<': ty_buf_adds(b, "&lt;"); break;
        case '>': ty_buf_adds(b, "&gt;"); break;
        case '"': ty_buf_adds(b, "&quot;"); break;
        case '\'': ty_buf_adds(b, "&#39;"); break;
        default: ty_buf_addc(b, *s);
        }
    }
}

static void row(struct ty_buf *b, const struct ty_evidence *ev, unsigned i)
{
    bool look = ev->quarantined || (ev->status[0] && strcmp(ev->status, "ok") != 0);
    ty_buf_addf(b, "<tr%s><td class=p>", look ? " class=look" : "");
    esc(b, ev->path);
    ty_buf_adds(b, "</td><td>");
    esc(b, ev->format[0] ? ev->format : "—");
    ty_buf_addf(b, "</td><td class=n>%llu</td><td class=n>%llu</td><td class=n>%llu</td><td>",
                (unsigned long long)ev->records, (unsigned long long)ev->events,
                (unsigned long long)ev->quarantined);
    esc(b, ev->status);
    if (ev->note && ev->note[0]) {
        ty_buf_adds(b, " <span class=note>");
        esc(b, ev->note);
        ty_buf_adds(b, "</span>");
    }
    ty_buf_adds(b, "</td><td class=h>");
    esc(b, ev->sha256);
    ty_buf_adds(b, "</td></tr>\n");
    (void)i;
}

int ty__report_html(struct ty_store *st, struct ty_buf *b, struct ty_err *err)
{
    struct ty__report_totals t;
    char t1[40], t2[40];
    ty_buf_adds(b, "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>\n"
                   "<title>tyto investigation report</title>\n<style>\n"
                   "body{font:14px/1.45 system-ui,sans-serif;margin:2em;color:#222}\n"
                   "h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.6em}\n"
                   "table{border-collapse:collapse;width:100%}\n"
                   "th,td{border-bottom:1px solid #ddd;padding:3px 6px;text-align:left;"
                   "vertical-align:top}\n"
                   "th{background:#f3f3f3}td.n{text-align:right;font-variant-numeric:"
                   "tabular-nums}\n"
                   "td.p,td.h{font-family:ui-monospace,monospace;font-size:12px;"
                   "word-break:break-all}\n"
                   "tr.look{background:#fff4e5}.note{color:#8a5a00}\n"
                   ".pending{border-left:4px solid #888;padding:.4em .8em;background:#f7f7f7}\n"
                   "</style></head><body>\n<h1>tyto investigation report</h1>\n"
                   "<h2>Evidence</h2>\n<table><thead><tr><th>evidence</th><th>format</th>"
                   "<th>records</th><th>events</th><th>quarantined</th><th>status</th>"
                   "<th>SHA-256</th></tr></thead><tbody>\n");
    int rc = ty__report_evidence(st, b, row, &t, err);
    if (rc)
        return rc;
    ty_buf_addf(b, "</tbody></table>\n<p>%u evidence streams: %llu records read = %llu events "
                   "stored + %llu quarantined.",
                t.streams, (unsigned long long)t.records, (unsigned long long)t.events,
                (unsigned long long)t.quarantined);
    if (t.ts_min) {
        ty_time_format(t.ts_min, 0, t1);
        ty_time_format(t.ts_max, 0, t2);
        ty_buf_addf(b, " Events span %s to %s.", t1, t2);
    }
    ty_buf_adds(b, "</p>\n<h2>Alerts</h2>\n<table><tr><th>time</th><th>level</th><th>rule</th>"
                   "<th>evidence</th><th>what happened</th></tr>\n");
    struct alerts_html ah = {b, 0};
    if ((rc = ty_store_alerts(st, alert_html, &ah, err)) != 0)
        return rc;
    ty_buf_adds(b, "</table>\n");
    if (ah.n > TY__REPORT_MAX_ALERTS)
        ty_buf_addf(b, "<p>%lu more alerts: <code>tyto alerts CASE</code> lists them all.</p>\n",
                    ah.n - TY__REPORT_MAX_ALERTS);
    if (ah.n == 0)
        ty_buf_adds(b, "<p>No rule matched.</p>\n");
    ty_buf_adds(b, "<h2>Findings</h2>\n<p class=pending>");
    esc(b, ty__report_pending_note);
    ty_buf_addf(b, "</p>\n<p><small>tyto %s</small></p>\n</body></html>\n", TYTO_VERSION);
    return 0;
}
