/* SPDX-License-Identifier: Apache-2.0 */
/*
 * report-md.c - the report as Markdown, for terminals and tickets: per
 * incident the five answers with their cited records, the spread path, the
 * prevention advice, the containment plan and the timeline; then the
 * evidence with its counts and the alerts.
 */
#include <tyto/time.h>
#include <tyto/tyto.h>

#include <string.h>

#include "report/report-int.h"

static void row(struct ty_buf *b, const struct ty_evidence *ev, unsigned i)
{
    (void)i;
    ty_buf_addf(b, "| `%s` | %s | %llu | %llu | %llu | %s | `%.12s…` |\n", ev->path,
                ev->format[0] ? ev->format : "—", (unsigned long long)ev->records,
                (unsigned long long)ev->events, (unsigned long long)ev->quarantined, ev->status,
                ev->sha256);
}

/* Markdown table cells and list items: no pipes or newlines inside. */
static void cell(struct ty_buf *b, const char *s)
{
    for (; s && *s; s++)
        ty_buf_addc(b, *s == '|' ? '/' : (*s == '\n' || *s == '\r') ? ' ' : *s);
}

static void when(struct ty_buf *b, int64_t ts)
{
    char t[48];
    if (ty_time_format(ts, 0, t) < 0)
        t[0] = '\0';
    ty_buf_adds(b, t);
}

static void cite(struct ty_buf *b, const struct ty_inc_step *s)
{
    ty_buf_adds(b, "- ");
    when(b, s->ts);
    ty_buf_adds(b, " ");
    if (s->rule_title) {
        ty_buf_adds(b, "**");
        cell(b, s->rule_title);
        ty_buf_adds(b, "**: ");
    }
    cell(b, s->summary);
    ty_buf_addf(b, " — `%s:%llu` (offset %llu)", s->ev.file, (unsigned long long)s->ev.line,
                (unsigned long long)s->ev.offset);
    if (s->record && *s->record) {
        ty_buf_adds(b, "\n  record: `");
        for (const char *p = s->record; *p; p++)
            ty_buf_addc(b, *p == '`' ? '\'' : (*p == '\n' || *p == '\r') ? ' ' : *p);
        ty_buf_adds(b, "`");
    }
    if (s->detail && *s->detail) {
        ty_buf_adds(b, "\n  `");
        for (const char *p = s->detail; *p; p++)
            ty_buf_addc(b, *p == '`' ? '\'' : (*p == '\n' || *p == '\r') ? ' ' : *p);
        ty_buf_adds(b, "`");
    }
    ty_buf_adds(b, "\n");
}

static void answer(struct ty_buf *b, const struct ty_incident *inc, int q, const char *heading)
{
    const struct ty_answer *a = &inc->q[q];
    ty_buf_addf(b, "\n### %s\n\n", heading);
    cell(b, a->summary);
    ty_buf_adds(b, "\n");
    if (a->techniques && a->techniques[0]) {
        ty_buf_adds(b, "\nTechniques:");
        for (const char **t = a->techniques; *t; t++)
            ty_buf_addf(b, " %s", *t);
        ty_buf_adds(b, "\n");
    }
    if (q == TY_Q_SPREAD && a->n_path) {
        ty_buf_adds(b, "\nPath: ");
        for (size_t i = 0; i < a->n_path; i++) {
            ty_buf_addf(b, "%s%s `", i ? " → " : "",
                        ty_entity_type_name(inc->ents[a->path[i]].type));
            cell(b, inc->ents[a->path[i]].value);
            ty_buf_adds(b, "`");
        }
        ty_buf_adds(b, "\n");
    }
    if (a->n_artifacts) {
        ty_buf_adds(b, q == TY_Q_PERSISTENCE ? "\nLeft behind:" : "\nKey values:");
        for (size_t i = 0; i < a->n_artifacts && i < 30; i++) {
            ty_buf_adds(b, i ? ", `" : " `");
            cell(b, a->artifacts[i]);
            ty_buf_adds(b, "`");
        }
        ty_buf_adds(b, "\n");
    }
    if (a->n_steps) {
        ty_buf_adds(b, "\nEvidence:\n\n");
        size_t shown = 0;
        for (size_t i = 0; i < a->n_steps && shown < 40; i++, shown++)
            cite(b, &inc->steps[a->steps[i]]);
        if (a->n_steps > shown)
            ty_buf_addf(b, "- … %zu more (JSON report)\n", a->n_steps - shown);
    }
}

static void incident(struct ty__report *r, size_t k)
{
    struct ty_buf *b = r->b;
    const struct ty_incident *inc = &r->inv->inc[k];
    ty_buf_addf(b, "\n## Incident %d: ", inc->id);
    cell(b, inc->title);
    ty_buf_addf(b, "\n\nSeverity **%s**, ", inc->severity);
    when(b, inc->first_seen);
    ty_buf_adds(b, " to ");
    when(b, inc->last_seen);
    ty_buf_addf(b, ", %zu alerts.", inc->n_alerts);
    if (inc->techniques && inc->techniques[0]) {
        ty_buf_adds(b, " ATT&CK:");
        for (const char **t = inc->techniques; *t; t++)
            ty_buf_addf(b, " %s", *t);
        ty_buf_adds(b, ".");
    }
    ty_buf_adds(b, "\n\n| entity | value | role | alerts |\n|---|---|---|---:|\n");
    size_t shown = 0;
    for (size_t i = 0; i < inc->n_ents && shown < 40; i++) {
        const struct ty_inc_entity *e = &inc->ents[i];
        if (e->role == TY_ROLE_NONE)
            continue;
        ty_buf_addf(b, "| %s | `", ty_entity_type_name(e->type));
        cell(b, e->value);
        ty_buf_addf(b, "` | %s | %u |\n", ty_entity_role_name(e->role), e->n_alerts);
        shown++;
    }
    if (inc->n_links) {
        ty_buf_adds(b, "\nIdentity links:\n\n");
        for (size_t i = 0; i < inc->n_links && i < 20; i++) {
            const struct ty_inc_link *l = &inc->links[i];
            ty_buf_addf(b, "- %s `", ty_entity_type_name(l->a_type));
            cell(b, l->a);
            ty_buf_addf(b, "` = %s `", ty_entity_type_name(l->b_type));
            cell(b, l->b);
            ty_buf_adds(b, "` (");
            cell(b, l->why);
            ty_buf_addf(b, ") — `%s:%llu`\n", l->ev.file, (unsigned long long)l->ev.line);
        }
    }
    answer(b, inc, TY_Q_INITIAL_ACCESS, "1. Initial access");
    answer(b, inc, TY_Q_SPREAD, "2. Spread");
    answer(b, inc, TY_Q_PERSISTENCE, "3. Persistence");
    answer(b, inc, TY_Q_IMPACT, "4. Impact");
    ty_buf_adds(b, "\n### 5. Prevention\n\n");
    if (!inc->n_prevention)
        ty_buf_adds(b, "The rules that fired carry no prevention advice.\n");
    for (size_t i = 0; i < inc->n_prevention; i++) {
        const struct ty_advice *a = &inc->prevention[i];
        ty_buf_adds(b, "- ");
        cell(b, a->advice);
        if (a->weakness)
            ty_buf_addf(b, " *(%s)*", a->weakness);
        ty_buf_adds(b, " — alerts");
        for (size_t j = 0; j < a->n_alert_ids && j < 12; j++)
            ty_buf_addf(b, " %lld", (long long)a->alert_ids[j]);
        if (a->n_alert_ids > 12)
            ty_buf_addf(b, " and %zu more", a->n_alert_ids - 12);
        ty_buf_adds(b, "\n");
    }
    ty_buf_addf(b, "\n### Containment plan\n\nReview before running; `tyto contain CASE "
                   "--incident %d` prints it as a script.\n\n",
                inc->id);
    int phase = -1;
    for (size_t i = 0; i < r->n_plans[k]; i++) {
        const struct ty_action *a = &r->plans[k][i];
        if (a->phase != phase) {
            phase = a->phase;
            ty_buf_addf(b, "**%s**\n\n", ty_phase_name(phase));
        }
        ty_buf_adds(b, "- ");
        cell(b, a->target);
        ty_buf_adds(b, ": ");
        cell(b, a->action);
        if (a->command) {
            ty_buf_adds(b, "\n\n  ```\n  ");
            for (const char *p = a->command; *p; p++) {
                ty_buf_addc(b, *p);
                if (*p == '\n')
                    ty_buf_adds(b, "  ");
            }
            ty_buf_adds(b, "\n  ```\n");
        }
        ty_buf_adds(b, "\n");
    }
    ty_buf_adds(b, "\n### Timeline\n\n| time | source | alert | what happened | evidence |\n"
                   "|---|---|---|---|---|\n");
    for (size_t i = 0; i < inc->n_steps && i < TY__REPORT_MAX_STEPS; i++) {
        const struct ty_inc_step *s = &inc->steps[i];
        ty_buf_adds(b, "| ");
        when(b, s->ts);
        ty_buf_addf(b, " | %s | ", s->source);
        cell(b, s->rule_title ? s->rule_title : "");
        ty_buf_adds(b, " | ");
        cell(b, s->summary);
        ty_buf_addf(b, " | `%s:%llu` |\n", s->ev.file, (unsigned long long)s->ev.line);
    }
    if (inc->n_steps > TY__REPORT_MAX_STEPS)
        ty_buf_addf(b, "\n%zu more steps: `tyto timeline CASE --incident %d`.\n",
                    inc->n_steps - TY__REPORT_MAX_STEPS, inc->id);
}

struct alerts_md {
    struct ty__report *r;
    unsigned long n;
};

static int alert_md(void *arg, const struct ty_alert *a)
{
    struct alerts_md *am = arg;
    struct ty_buf *b = am->r->b;
    int inc = ty__report_alert_incident(am->r, a->id, NULL);
    if (am->r->incident && inc != am->r->incident)
        return 0;
    if (am->n++ >= TY__REPORT_MAX_ALERTS)
        return 0;
    ty_buf_adds(b, "| ");
    when(b, a->ts);
    ty_buf_addf(b, " | %s | ", a->rule->level);
    if (inc)
        ty_buf_addf(b, "%d", inc);
    ty_buf_adds(b, " | ");
    cell(b, a->rule->title);
    ty_buf_addf(b, " | `%s:%llu` (offset %llu) | ", a->evidence_path, (unsigned long long)a->line,
                (unsigned long long)a->offset);
    cell(b, a->summary);
    ty_buf_adds(b, " |\n");
    return 0;
}

int ty__report_md(struct ty__report *r, struct ty_err *err)
{
    struct ty__report_totals t;
    struct ty_buf *b = r->b;
    size_t n_inc = 0;
    for (size_t k = 0; k < r->inv->n_inc; k++)
        n_inc += ty__report_has(r, k);
    ty_buf_addf(b, "# tyto investigation report\n\n%zu incident%s", n_inc, n_inc == 1 ? "" : "s");
    if (r->inv->n_unassigned && !r->incident)
        ty_buf_addf(b, "; %zu alert%s below the incident bar (listed under Alerts)",
                    r->inv->n_unassigned, r->inv->n_unassigned == 1 ? "" : "s");
    ty_buf_adds(b, ".\n");
    for (size_t k = 0; k < r->inv->n_inc; k++)
        if (ty__report_has(r, k))
            incident(r, k);
    ty_buf_adds(b, "\n## Evidence\n\n"
                   "| evidence | format | records | events | quarantined | status | SHA-256 |\n"
                   "|---|---|---:|---:|---:|---|---|\n");
    int rc = ty__report_evidence(r->st, b, row, &t, err);
    if (rc)
        return rc;
    ty_buf_addf(b, "\n%u evidence streams: %llu records read = %llu events stored + %llu "
                   "quarantined.\n",
                t.streams, (unsigned long long)t.records, (unsigned long long)t.events,
                (unsigned long long)t.quarantined);
    if (t.ts_min) {
        ty_buf_adds(b, "Events span ");
        when(b, t.ts_min);
        ty_buf_adds(b, " to ");
        when(b, t.ts_max);
        ty_buf_adds(b, ".\n");
    }
    struct alerts_md am = {r, 0};
    ty_buf_adds(b, "\n## Alerts\n\n| time | level | incident | rule | evidence | what happened |"
                   "\n|---|---|---|---|---|---|\n");
    if ((rc = ty_store_alerts(r->st, alert_md, &am, err)) != 0)
        return rc;
    if (am.n > TY__REPORT_MAX_ALERTS)
        ty_buf_addf(b, "\n%lu more alerts: `tyto alerts CASE` lists them all.\n",
                    am.n - TY__REPORT_MAX_ALERTS);
    if (am.n == 0)
        ty_buf_adds(b, "| — | — | — | no rule matched | — | — |\n");
    ty_buf_addf(b, "\nIncidents merge alerts that share a rare entity or a workload within a "
                   "time window (docs/internals/CORRELATION.md); every statement above cites "
                   "its record as file:line (byte offset).\n\ntyto %s\n",
                TYTO_VERSION);
    return 0;
}
