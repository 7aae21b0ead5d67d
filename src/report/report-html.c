/* SPDX-License-Identifier: Apache-2.0 */
/*
 * report-html.c - the report as one self-contained HTML file that opens
 * offline on a forensic VM: inline style, an attack graph and a timeline as
 * inline SVG (hover a point for its record), one small inline script for the
 * timeline zoom (the page reads fine without it), no external resource.
 * Every value from the evidence is HTML-escaped.
 */
#include <stdio.h>
#include <string.h>

#include <tyto/time.h>
#include <tyto/tyto.h>

#include "report/report-int.h"

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

/* At most n bytes of s, escaped, with an ellipsis when cut (UTF-8 safe). */
static void esc_cut(struct ty_buf *b, const char *s, size_t n)
{
    size_t len = s ? strlen(s) : 0;
    if (len <= n) {
        esc(b, s);
        return;
    }
    while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
        n--;
    char tmp[256];
    if (n >= sizeof(tmp))
        n = sizeof(tmp) - 1;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    esc(b, tmp);
    ty_buf_adds(b, "…");
}

static void when(struct ty_buf *b, int64_t ts)
{
    char t[48];
    if (ty_time_format(ts, 0, t) < 0)
        t[0] = '\0';
    ty_buf_adds(b, t);
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

static const char *const q_color[TY_Q__COUNT] = {"#c0392b", "#d68910", "#7d3c98", "#1f618d"};

/* The attack graph: attackers -> entry -> each hop of the spread path ->
 * what the impact touched, as boxes left to right. */
static void graph(struct ty_buf *b, const struct ty_incident *inc)
{
    const char *col[5][6];
    size_t n[5] = {0};
    const char *kind[5] = {"attacker", "entry", "spread", "spread", "impact"};
    for (size_t i = 0; i < inc->n_ents && n[0] < 6; i++)
        if (inc->ents[i].role == TY_ROLE_ATTACKER && inc->ents[i].n_alerts)
            col[0][n[0]++] = inc->ents[i].value;
    for (size_t i = 0; i < inc->n_ents && n[1] < 6; i++)
        if (inc->ents[i].role == TY_ROLE_VICTIM &&
            (inc->ents[i].type == TY_ENT_POD || inc->ents[i].type == TY_ENT_HOST ||
             inc->ents[i].type == TY_ENT_CONTAINER))
            col[1][n[1]++] = inc->ents[i].value;
    const struct ty_answer *sp = &inc->q[TY_Q_SPREAD];
    for (size_t i = 0; i < sp->n_path && n[2 + (i >= 6)] < 6 && i < 12; i++)
        col[2 + (i >= 6)][n[2 + (i >= 6)]++] = inc->ents[sp->path[i]].value;
    const struct ty_answer *im = &inc->q[TY_Q_IMPACT];
    for (size_t i = 0; i < im->n_artifacts && n[4] < 6; i++)
        col[4][n[4]++] = im->artifacts[i];
    size_t cols = 0, rows = 1;
    for (int c = 0; c < 5; c++)
        if (n[c]) {
            cols++;
            if (n[c] > rows)
                rows = n[c];
        }
    if (!cols)
        return;
    int w = (int)cols * 260, h = (int)rows * 46 + 30;
    ty_buf_addf(b, "<svg class=graph viewBox='0 0 %d %d' width=%d height=%d role=img "
                   "aria-label='attack graph'>\n"
                   "<defs><marker id=ah markerWidth=8 markerHeight=8 refX=7 refY=4 "
                   "orient=auto><path d='M0,0 L8,4 L0,8 z' fill='#555'/></marker></defs>\n",
                w, h, w, h);
    int x = 10, prev_x = -1;
    size_t prev_n = 0;
    for (int c = 0; c < 5; c++) {
        if (!n[c])
            continue;
        ty_buf_addf(b, "<text x=%d y=14 class=gh>%s</text>\n", x, kind[c]);
        for (size_t i = 0; i < n[c]; i++) {
            int y = 22 + (int)i * 46;
            ty_buf_addf(b, "<g><title>");
            esc(b, col[c][i]);
            ty_buf_addf(b, "</title><rect x=%d y=%d width=220 height=34 rx=6 class='n%d'/>"
                           "<text x=%d y=%d class=gt>",
                        x, y, c, x + 8, y + 21);
            esc_cut(b, col[c][i], 30);
            ty_buf_adds(b, "</text></g>\n");
            if (prev_x >= 0)
                for (size_t j = 0; j < prev_n; j++)
                    if (j == i || (i >= prev_n && j == prev_n - 1) ||
                        (j >= n[c] && i == n[c] - 1))
                        ty_buf_addf(b, "<line x1=%d y1=%d x2=%d y2=%d class=ge "
                                       "marker-end='url(#ah)'/>\n",
                                    prev_x + 220, 39 + (int)j * 46, x - 4, y + 17);
        }
        prev_x = x;
        prev_n = n[c];
        x += 260;
    }
    ty_buf_adds(b, "</svg>\n");
}

/* The timeline: every step on a time axis, colored by the first question it
 * answers (grey: context only); a slider widens it. */
static void timeline_svg(struct ty_buf *b, const struct ty_incident *inc)
{
    if (!inc->n_steps)
        return;
    int64_t t0 = inc->steps[0].ts, t1 = inc->steps[inc->n_steps - 1].ts;
    for (size_t i = 0; i < inc->n_steps; i++) {
        if (inc->steps[i].ts < t0)
            t0 = inc->steps[i].ts;
        if (inc->steps[i].ts > t1)
            t1 = inc->steps[i].ts;
    }
    double span = t1 > t0 ? (double)(t1 - t0) : 1.0;
    int w = 1200, h = 140;
    ty_buf_addf(b, "<div class=tlw><label>zoom <input type=range min=1 max=20 value=1 "
                   "class=zoom data-for=tl%d></label><div class=tls>"
                   "<svg id=tl%d class=tl viewBox='0 0 %d %d' width=%d height=%d "
                   "preserveAspectRatio=none role=img aria-label=timeline>\n"
                   "<line x1=10 y1=%d x2=%d y2=%d class=ax />\n",
                inc->id, inc->id, w, h, w, h, h - 30, w - 10, h - 30);
    ty_buf_addf(b, "<text x=10 y=%d class=tt>", h - 10);
    when(b, t0);
    ty_buf_addf(b, "</text><text x=%d y=%d class=tt text-anchor=end>", w - 10, h - 10);
    when(b, t1);
    ty_buf_adds(b, "</text>\n");
    for (size_t i = 0; i < inc->n_steps && i < 2000; i++) {
        const struct ty_inc_step *s = &inc->steps[i];
        double x = 10 + (double)(s->ts - t0) / span * (w - 20);
        const char *color = "#999";
        int lane = 4;
        for (int q = 0; q < TY_Q__COUNT; q++)
            if (s->questions & (1u << q)) {
                color = q_color[q];
                lane = q;
                break;
            }
        ty_buf_addf(b, "<circle cx=%.1f cy=%d r=%d fill='%s'><title>", x, 14 + lane * 20,
                    s->alert_id ? 6 : 3, color);
        when(b, s->ts);
        ty_buf_adds(b, " ");
        if (s->rule_title) {
            esc(b, s->rule_title);
            ty_buf_adds(b, ": ");
        }
        esc_cut(b, s->summary, 200);
        ty_buf_adds(b, "</title></circle>\n");
    }
    ty_buf_adds(b, "</svg></div></div>\n");
}

static void cite_row(struct ty_buf *b, const struct ty_inc_step *s)
{
    ty_buf_adds(b, "<tr><td class=t>");
    when(b, s->ts);
    ty_buf_adds(b, "</td><td>");
    if (s->rule_title) {
        ty_buf_adds(b, "<b>");
        esc(b, s->rule_title);
        ty_buf_adds(b, "</b><br>");
    }
    esc(b, s->summary);
    if (s->record && *s->record) {
        ty_buf_adds(b, "<pre>");
        esc(b, s->record);
        ty_buf_adds(b, "</pre>");
    }
    if (s->detail && *s->detail) {
        ty_buf_adds(b, "<div class=d>");
        esc_cut(b, s->detail, 240);
        ty_buf_adds(b, "</div>");
    }
    ty_buf_adds(b, "</td><td class=p>");
    esc(b, s->ev.file);
    ty_buf_addf(b, ":%llu <span class=o>@%llu</span></td></tr>\n", (unsigned long long)s->ev.line,
                (unsigned long long)s->ev.offset);
}

static void answer(struct ty_buf *b, const struct ty_incident *inc, int q, const char *heading)
{
    const struct ty_answer *a = &inc->q[q];
    ty_buf_addf(b, "<section class=q style='border-color:%s'><h3>%s</h3>\n<p>", q_color[q],
                heading);
    esc(b, a->summary);
    ty_buf_adds(b, "</p>\n");
    if (a->techniques && a->techniques[0]) {
        ty_buf_adds(b, "<p class=tech>");
        for (const char **t = a->techniques; *t; t++) {
            ty_buf_adds(b, "<span>");
            esc(b, *t);
            ty_buf_adds(b, "</span> ");
        }
        ty_buf_adds(b, "</p>\n");
    }
    if (q == TY_Q_SPREAD && a->n_path) {
        ty_buf_adds(b, "<p class=path>");
        for (size_t i = 0; i < a->n_path; i++) {
            ty_buf_addf(b, "%s<span>%s <code>", i ? " → " : "",
                        ty_entity_type_name(inc->ents[a->path[i]].type));
            esc(b, inc->ents[a->path[i]].value);
            ty_buf_adds(b, "</code></span>");
        }
        ty_buf_adds(b, "</p>\n");
    }
    if (a->n_artifacts) {
        ty_buf_addf(b, "<p>%s ", q == TY_Q_PERSISTENCE ? "Left behind:" : "Key values:");
        for (size_t i = 0; i < a->n_artifacts && i < 30; i++) {
            ty_buf_adds(b, i ? ", <code>" : "<code>");
            esc(b, a->artifacts[i]);
            ty_buf_adds(b, "</code>");
        }
        ty_buf_adds(b, "</p>\n");
    }
    if (a->n_steps) {
        ty_buf_addf(b, "<details%s><summary>%zu cited record%s</summary><table>\n",
                    a->n_steps <= 12 ? " open" : "", a->n_steps, a->n_steps == 1 ? "" : "s");
        for (size_t i = 0; i < a->n_steps && i < 200; i++)
            cite_row(b, &inc->steps[a->steps[i]]);
        ty_buf_adds(b, "</table></details>\n");
    }
    ty_buf_adds(b, "</section>\n");
}

static void incident(struct ty__report *r, size_t k)
{
    struct ty_buf *b = r->b;
    const struct ty_incident *inc = &r->inv->inc[k];
    ty_buf_addf(b, "<article class=inc id=incident-%d><h2>Incident %d: ", inc->id, inc->id);
    esc(b, inc->title);
    ty_buf_addf(b, "</h2>\n<p><span class='sev %s'>", inc->severity);
    esc(b, inc->severity);
    ty_buf_adds(b, "</span> ");
    when(b, inc->first_seen);
    ty_buf_adds(b, " → ");
    when(b, inc->last_seen);
    ty_buf_addf(b, " · %zu alerts · ATT&amp;CK ", inc->n_alerts);
    for (const char **t = inc->techniques; t && *t; t++) {
        esc(b, *t);
        ty_buf_adds(b, " ");
    }
    ty_buf_adds(b, "</p>\n<h3>Attack graph</h3>\n");
    graph(b, inc);
    ty_buf_adds(b, "<h3>Timeline</h3>\n<p class=legend>");
    static const char *const names[TY_Q__COUNT] = {"initial access", "spread", "persistence",
                                                   "impact"};
    for (int q = 0; q < TY_Q__COUNT; q++)
        ty_buf_addf(b, "<span style='color:%s'>●</span> %s ", q_color[q], names[q]);
    ty_buf_adds(b, "<span style='color:#999'>●</span> context</p>\n");
    timeline_svg(b, inc);
    answer(b, inc, TY_Q_INITIAL_ACCESS, "1. Initial access");
    answer(b, inc, TY_Q_SPREAD, "2. Spread");
    answer(b, inc, TY_Q_PERSISTENCE, "3. Persistence");
    answer(b, inc, TY_Q_IMPACT, "4. Impact");
    ty_buf_adds(b, "<section class=q style='border-color:#1e8449'><h3>5. Prevention</h3><ul>\n");
    if (!inc->n_prevention)
        ty_buf_adds(b, "<li>The rules that fired carry no prevention advice.</li>\n");
    for (size_t i = 0; i < inc->n_prevention; i++) {
        const struct ty_advice *a = &inc->prevention[i];
        ty_buf_adds(b, "<li>");
        esc(b, a->advice);
        if (a->weakness) {
            ty_buf_adds(b, " <span class=wk>");
            esc(b, a->weakness);
            ty_buf_adds(b, "</span>");
        }
        ty_buf_addf(b, " <span class=o>(%zu alert%s)</span></li>\n", a->n_alert_ids,
                    a->n_alert_ids == 1 ? "" : "s");
    }
    ty_buf_addf(b, "</ul></section>\n<h3>Containment plan</h3>\n<p>Review before running: "
                   "<code>tyto contain CASE --incident %d</code> prints it as a script.</p>\n",
                inc->id);
    int phase = -1;
    for (size_t i = 0; i < r->n_plans[k]; i++) {
        const struct ty_action *a = &r->plans[k][i];
        if (a->phase != phase) {
            ty_buf_addf(b, "%s<h4>%s</h4><ol>\n", phase >= 0 ? "</ol>" : "",
                        ty_phase_name(a->phase));
            phase = a->phase;
        }
        ty_buf_adds(b, "<li><b>");
        esc(b, a->target);
        ty_buf_adds(b, "</b>: ");
        esc(b, a->action);
        if (a->command) {
            ty_buf_adds(b, "<pre>");
            esc(b, a->command);
            ty_buf_adds(b, "</pre>");
        }
        ty_buf_adds(b, "</li>\n");
    }
    if (phase >= 0)
        ty_buf_adds(b, "</ol>\n");
    ty_buf_adds(b, "<h3>Entities</h3>\n<table><tr><th>type</th><th>value</th><th>role</th>"
                   "<th>alerts</th><th>events</th></tr>\n");
    for (size_t i = 0; i < inc->n_ents && i < 200; i++) {
        const struct ty_inc_entity *e = &inc->ents[i];
        ty_buf_addf(b, "<tr><td>%s</td><td class=p>", ty_entity_type_name(e->type));
        esc(b, e->value);
        ty_buf_addf(b, "</td><td>%s</td><td class=n>%u</td><td class=n>%llu</td></tr>\n",
                    ty_entity_role_name(e->role), e->n_alerts, (unsigned long long)e->df);
    }
    ty_buf_adds(b, "</table>\n<details><summary>All steps</summary><table>\n");
    for (size_t i = 0; i < inc->n_steps && i < TY__REPORT_MAX_STEPS; i++)
        cite_row(b, &inc->steps[i]);
    ty_buf_adds(b, "</table></details>\n</article>\n");
}

struct alerts_html {
    struct ty__report *r;
    unsigned long n;
};

static int alert_html(void *arg, const struct ty_alert *a)
{
    struct alerts_html *ah = arg;
    struct ty_buf *b = ah->r->b;
    int inc = ty__report_alert_incident(ah->r, a->id, NULL);
    if (ah->r->incident && inc != ah->r->incident)
        return 0;
    if (ah->n++ >= TY__REPORT_MAX_ALERTS)
        return 0;
    ty_buf_adds(b, "<tr><td class=t>");
    when(b, a->ts);
    ty_buf_adds(b, "</td><td>");
    esc(b, a->rule->level);
    ty_buf_adds(b, "</td><td>");
    if (inc)
        ty_buf_addf(b, "<a href='#incident-%d'>%d</a>", inc, inc);
    ty_buf_adds(b, "</td><td>");
    esc(b, a->rule->title);
    ty_buf_adds(b, "</td><td class=p>");
    esc(b, a->evidence_path);
    ty_buf_addf(b, ":%llu <span class=o>@%llu</span></td><td>", (unsigned long long)a->line,
                (unsigned long long)a->offset);
    esc(b, a->summary);
    ty_buf_adds(b, "</td></tr>\n");
    return 0;
}

static const char style[] =
    "body{font:14px/1.45 system-ui,sans-serif;margin:2em;color:#222;max-width:1400px}\n"
    "h1{font-size:1.5em}h2{font-size:1.25em;margin-top:1.6em}h3{font-size:1.05em}\n"
    "table{border-collapse:collapse;width:100%}\n"
    "th,td{border-bottom:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}\n"
    "th{background:#f3f3f3}td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
    "td.p,td.h,.d{font-family:ui-monospace,monospace;font-size:12px;word-break:break-all}\n"
    "td.t{white-space:nowrap;font-size:12px}.o{color:#888}.d{color:#555}\n"
    "tr.look{background:#fff4e5}.note{color:#8a5a00}\n"
    ".inc{border:1px solid #ccc;border-radius:8px;padding:0 1.2em 1em;margin:1.5em 0}\n"
    ".q{border-left:5px solid #888;padding:.2em 1em;margin:1em 0;background:#fafafa}\n"
    ".tech span,.wk{background:#eef;border-radius:4px;padding:0 4px;font-size:12px}\n"
    ".path span{background:#fff3e0;border-radius:4px;padding:1px 4px}\n"
    ".sev{border-radius:4px;padding:1px 6px;color:#fff;background:#888}\n"
    ".sev.critical{background:#922}.sev.high{background:#c0392b}.sev.medium{background:#d68910}"
    ".sev.low{background:#2e86c1}\n"
    "svg.graph{max-width:100%;height:auto}.gh{font-size:12px;fill:#666}\n"
    ".gt{font:12px ui-monospace,monospace}.ge{stroke:#555;stroke-width:1.5}\n"
    "rect.n0{fill:#fadbd8;stroke:#c0392b}rect.n1{fill:#fdebd0;stroke:#d68910}"
    "rect.n2,rect.n3{fill:#fcf3cf;stroke:#b7950b}rect.n4{fill:#d6eaf8;stroke:#1f618d}\n"
    ".tls{overflow-x:auto;border:1px solid #eee}.ax{stroke:#aaa}.tt{font-size:11px;fill:#666}\n"
    "pre{background:#f4f4f4;padding:.5em;overflow-x:auto;font-size:12px}\n"
    ".legend{font-size:12px}\n";

/* The zoom slider: widen the timeline's SVG; nothing else runs. */
static const char script[] =
    "<script>\n"
    "document.querySelectorAll('input.zoom').forEach(function(z){\n"
    "  z.addEventListener('input',function(){\n"
    "    var s=document.getElementById(z.dataset.for);\n"
    "    if(s)s.setAttribute('width',1200*z.value);});});\n"
    "</script>\n";

int ty__report_html(struct ty__report *r, struct ty_err *err)
{
    struct ty__report_totals t;
    struct ty_buf *b = r->b;
    size_t n_inc = 0;
    for (size_t k = 0; k < r->inv->n_inc; k++)
        n_inc += ty__report_has(r, k);
    ty_buf_addf(b, "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>\n"
                   "<meta name=viewport content='width=device-width'>\n"
                   "<title>tyto investigation report</title>\n<style>\n%s</style></head>"
                   "<body>\n<h1>tyto investigation report</h1>\n<p>%zu incident%s",
                style, n_inc, n_inc == 1 ? "" : "s");
    if (r->inv->n_unassigned && !r->incident)
        ty_buf_addf(b, "; %zu alert%s below the incident bar (listed under Alerts)",
                    r->inv->n_unassigned, r->inv->n_unassigned == 1 ? "" : "s");
    ty_buf_adds(b, ".</p>\n<ul>\n");
    for (size_t k = 0; k < r->inv->n_inc; k++) {
        if (!ty__report_has(r, k))
            continue;
        const struct ty_incident *inc = &r->inv->inc[k];
        ty_buf_addf(b, "<li><a href='#incident-%d'>Incident %d</a> (%s): ", inc->id, inc->id,
                    inc->severity);
        esc(b, inc->title);
        ty_buf_adds(b, "</li>\n");
    }
    ty_buf_adds(b, "</ul>\n");
    for (size_t k = 0; k < r->inv->n_inc; k++)
        if (ty__report_has(r, k))
            incident(r, k);
    ty_buf_adds(b, "<h2>Evidence</h2>\n<table><thead><tr><th>evidence</th><th>format</th>"
                   "<th>records</th><th>events</th><th>quarantined</th><th>status</th>"
                   "<th>SHA-256</th></tr></thead><tbody>\n");
    int rc = ty__report_evidence(r->st, b, row, &t, err);
    if (rc)
        return rc;
    ty_buf_addf(b, "</tbody></table>\n<p>%u evidence streams: %llu records read = %llu events "
                   "stored + %llu quarantined.",
                t.streams, (unsigned long long)t.records, (unsigned long long)t.events,
                (unsigned long long)t.quarantined);
    if (t.ts_min) {
        ty_buf_adds(b, " Events span ");
        when(b, t.ts_min);
        ty_buf_adds(b, " to ");
        when(b, t.ts_max);
        ty_buf_adds(b, ".");
    }
    ty_buf_adds(b, "</p>\n<h2>Alerts</h2>\n<table><tr><th>time</th><th>level</th>"
                   "<th>incident</th><th>rule</th><th>evidence</th><th>what happened</th></tr>\n");
    struct alerts_html ah = {r, 0};
    if ((rc = ty_store_alerts(r->st, alert_html, &ah, err)) != 0)
        return rc;
    ty_buf_adds(b, "</table>\n");
    if (ah.n > TY__REPORT_MAX_ALERTS)
        ty_buf_addf(b, "<p>%lu more alerts: <code>tyto alerts CASE</code> lists them all.</p>\n",
                    ah.n - TY__REPORT_MAX_ALERTS);
    if (ah.n == 0)
        ty_buf_adds(b, "<p>No rule matched.</p>\n");
    ty_buf_addf(b, "<p><small>Incidents merge alerts that share a rare entity or a workload "
                   "within a time window; every statement cites its record as file:line "
                   "(@ byte offset). tyto %s</small></p>\n%s</body></html>\n",
                TYTO_VERSION, script);
    return 0;
}
