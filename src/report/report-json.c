/* SPDX-License-Identifier: Apache-2.0 */
/*
 * report-json.c - the report contract (DESIGN.md §4) as JSON: version, case,
 * evidence with SHA-256 and counts, totals, incidents (entities, techniques,
 * the five questions, timeline, containment) and alerts. Every cited record
 * is an EVREF {"file", "offset", "line"}; evidence lists add the time, the
 * one-line summary and the record's key values so that a reader sees what
 * is cited without opening the file.
 */
#include <tyto/event.h>
#include <tyto/time.h>
#include <tyto/tyto.h>

#include <string.h>

#include "report/report-int.h"

static void str(struct ty_buf *b, const char *s)
{
    ty_buf_add_json_str(b, ty_str_cstr(s ? s : ""));
}

static void kv(struct ty_buf *b, const char *k, const char *v, bool comma)
{
    ty_buf_addf(b, "%s\"%s\":", comma ? "," : "", k);
    str(b, v);
}

static void time_kv(struct ty_buf *b, const char *k, int64_t ts, bool comma)
{
    char t[48];
    if (ty_time_format(ts, 9, t) < 0)
        t[0] = '\0';
    kv(b, k, t, comma);
}

static void row(struct ty_buf *b, const struct ty_evidence *ev, unsigned i)
{
    ty_buf_adds(b, i ? ",\n    {" : "\n    {");
    kv(b, "path", ev->path, false);
    kv(b, "sha256", ev->sha256, true);
    kv(b, "format", ev->format, true);
    kv(b, "shape", ev->shape, true);
    kv(b, "codec", ev->codec, true);
    ty_buf_addf(b, ",\"size\":%llu,\"records\":%llu,\"events\":%llu,\"quarantined\":%llu,"
                   "\"skipped\":%llu",
                (unsigned long long)ev->size, (unsigned long long)ev->records,
                (unsigned long long)ev->events, (unsigned long long)ev->quarantined,
                (unsigned long long)ev->skipped);
    kv(b, "status", ev->status, true);
    kv(b, "note", ev->note, true);
    ty_buf_addc(b, '}');
}

static void evref(struct ty_buf *b, const struct ty_evref *e)
{
    ty_buf_adds(b, "{\"file\":");
    str(b, e->file);
    ty_buf_addf(b, ",\"offset\":%llu,\"line\":%llu}", (unsigned long long)e->offset,
                (unsigned long long)e->line);
}

static void str_array(struct ty_buf *b, const char *const *v, size_t n)
{
    ty_buf_addc(b, '[');
    for (size_t i = 0; v && (n == (size_t)-1 ? v[i] != NULL : i < n); i++) {
        if (i)
            ty_buf_addc(b, ',');
        str(b, v[i]);
    }
    ty_buf_addc(b, ']');
}

/* A cited step: the EVREF plus what it says. */
static void cited(struct ty_buf *b, const struct ty_inc_step *s)
{
    ty_buf_adds(b, "{\"file\":");
    str(b, s->ev.file);
    ty_buf_addf(b, ",\"offset\":%llu,\"line\":%llu", (unsigned long long)s->ev.offset,
                (unsigned long long)s->ev.line);
    time_kv(b, "time", s->ts, true);
    kv(b, "source", s->source, true);
    if (s->alert_id) {
        ty_buf_addf(b, ",\"alert\":%lld", (long long)s->alert_id);
        kv(b, "rule", s->rule_title, true);
    }
    kv(b, "summary", s->summary, true);
    kv(b, "detail", s->detail, true);
    if (s->matched) {
        /* the detector's own JSON object */
        ty_buf_adds(b, ",\"matched\":");
        ty_buf_adds(b, s->matched);
    }
    if (s->record)
        kv(b, "record", s->record, true);
    ty_buf_addc(b, '}');
}

static void question(struct ty_buf *b, const struct ty_incident *inc, int q)
{
    const struct ty_answer *a = &inc->q[q];
    ty_buf_addf(b, "\n        \"%s\": {", ty_question_name(q));
    kv(b, "summary", a->summary, false);
    ty_buf_adds(b, ",\"techniques\":");
    str_array(b, a->techniques, (size_t)-1);
    if (q == TY_Q_SPREAD) {
        ty_buf_adds(b, ",\"path\":[");
        for (size_t i = 0; i < a->n_path; i++)
            ty_buf_addf(b, "%s%zu", i ? "," : "", a->path[i] + 1);
        ty_buf_adds(b, "],\"hops\":[");
        for (size_t i = 0; i < a->n_path; i++) {
            ty_buf_addf(b, "%s{\"type\":", i ? "," : "");
            str(b, ty_entity_type_name(inc->ents[a->path[i]].type));
            ty_buf_adds(b, ",\"value\":");
            str(b, inc->ents[a->path[i]].value);
            ty_buf_addc(b, '}');
        }
        ty_buf_addc(b, ']');
    }
    ty_buf_adds(b, ",\"artifacts\":");
    str_array(b, a->artifacts, a->n_artifacts);
    ty_buf_adds(b, ",\"evidence\":[");
    for (size_t i = 0; i < a->n_steps; i++) {
        ty_buf_adds(b, i ? ",\n          " : "\n          ");
        cited(b, &inc->steps[a->steps[i]]);
    }
    ty_buf_adds(b, "]}");
}

static void incident(struct ty__report *r, size_t k)
{
    struct ty_buf *b = r->b;
    const struct ty_incident *inc = &r->inv->inc[k];
    ty_buf_addf(b, "\n    {\"id\":%d", inc->id);
    kv(b, "title", inc->title, true);
    kv(b, "severity", inc->severity, true);
    time_kv(b, "first_seen", inc->first_seen, true);
    time_kv(b, "last_seen", inc->last_seen, true);
    ty_buf_addf(b, ",\"score\":%.0f,\"alerts\":[", inc->score);
    for (size_t i = 0; i < inc->n_alerts; i++)
        ty_buf_addf(b, "%s%lld", i ? "," : "", (long long)inc->alert_ids[i]);
    ty_buf_adds(b, "],\n      \"entities\":[");
    for (size_t i = 0; i < inc->n_ents; i++) {
        const struct ty_inc_entity *e = &inc->ents[i];
        ty_buf_addf(b, "%s\n        {\"id\":%zu", i ? "," : "", i + 1);
        kv(b, "type", ty_entity_type_name(e->type), true);
        kv(b, "value", e->value, true);
        kv(b, "role", ty_entity_role_name(e->role), true);
        if (e->n_alerts) {
            time_kv(b, "first_seen", e->first_seen, true);
            time_kv(b, "last_seen", e->last_seen, true);
        }
        ty_buf_addf(b, ",\"alerts\":%u,\"events\":%llu", e->n_alerts,
                    (unsigned long long)e->df);
        if (e->internal >= 0)
            ty_buf_addf(b, ",\"internal\":%s", e->internal ? "true" : "false");
        ty_buf_addc(b, '}');
    }
    ty_buf_adds(b, "],\n      \"links\":[");
    for (size_t i = 0; i < inc->n_links; i++) {
        const struct ty_inc_link *l = &inc->links[i];
        ty_buf_adds(b, i ? ",\n        {" : "\n        {");
        kv(b, "a_type", ty_entity_type_name(l->a_type), false);
        kv(b, "a", l->a, true);
        kv(b, "b_type", ty_entity_type_name(l->b_type), true);
        kv(b, "b", l->b, true);
        kv(b, "why", l->why, true);
        ty_buf_adds(b, ",\"evidence\":");
        evref(b, &l->ev);
        ty_buf_addc(b, '}');
    }
    ty_buf_adds(b, "],\n      \"techniques\":");
    str_array(b, inc->techniques, (size_t)-1);
    ty_buf_adds(b, ",\n      \"questions\": {");
    for (int q = 0; q < TY_Q__COUNT; q++) {
        question(b, inc, q);
        ty_buf_addc(b, ',');
    }
    ty_buf_adds(b, "\n        \"prevention\": [");
    for (size_t i = 0; i < inc->n_prevention; i++) {
        const struct ty_advice *a = &inc->prevention[i];
        ty_buf_adds(b, i ? ",\n          {" : "\n          {");
        kv(b, "advice", a->advice, false);
        if (a->weakness)
            kv(b, "weakness", a->weakness, true);
        ty_buf_adds(b, ",\"because\":[");
        for (size_t k2 = 0; k2 < a->n_alert_ids; k2++)
            ty_buf_addf(b, "%s%lld", k2 ? "," : "", (long long)a->alert_ids[k2]);
        ty_buf_adds(b, "]}");
    }
    ty_buf_adds(b, "]},\n      \"timeline\":[");
    for (size_t i = 0; i < inc->n_steps; i++) {
        const struct ty_inc_step *s = &inc->steps[i];
        ty_buf_adds(b, i ? ",\n        {" : "\n        {");
        time_kv(b, "time", s->ts, false);
        kv(b, "source", s->source, true);
        kv(b, "summary", s->summary, true);
        ty_buf_adds(b, ",\"alert\":");
        if (s->rule_id)
            str(b, s->rule_id);
        else
            ty_buf_adds(b, "null");
        if (s->tactic)
            kv(b, "tactic", s->tactic, true);
        ty_buf_adds(b, ",\"questions\":[");
        bool first = true;
        for (int q = 0; q < TY_Q__COUNT; q++)
            if (s->questions & (1u << q)) {
                ty_buf_adds(b, first ? "" : ",");
                str(b, ty_question_name(q));
                first = false;
            }
        ty_buf_adds(b, "],\"evidence\":");
        evref(b, &s->ev);
        ty_buf_addc(b, '}');
    }
    ty_buf_adds(b, "],\n      \"containment\":[");
    for (size_t i = 0; i < r->n_plans[k]; i++) {
        const struct ty_action *a = &r->plans[k][i];
        ty_buf_adds(b, i ? ",\n        {" : "\n        {");
        kv(b, "phase", ty_phase_name(a->phase), false);
        kv(b, "target", a->target, true);
        kv(b, "action", a->action, true);
        ty_buf_adds(b, ",\"command\":");
        if (a->command)
            str(b, a->command);
        else
            ty_buf_adds(b, "null");
        ty_buf_addc(b, '}');
    }
    ty_buf_adds(b, "]}");
}

struct alerts_json {
    struct ty__report *r;
    unsigned long n;
};

/* One alert as DESIGN.md §4 has it: id, rule, title, level, time,
 * techniques (the ATT&CK technique tags), entities, evidence, and the
 * incident it belongs to. */
static int alert_json(void *arg, const struct ty_alert *a)
{
    struct alerts_json *aj = arg;
    struct ty_buf *b = aj->r->b;
    const struct ty_inc_step *step = NULL;
    int inc_id = ty__report_alert_incident(aj->r, a->id, &step);
    if (aj->r->incident && inc_id != aj->r->incident)
        return 0;
    ty_buf_addf(b, "%s\n    {\"id\":%lld,\"rule\":", aj->n++ ? "," : "", (long long)a->id);
    str(b, a->rule->id && a->rule->id[0] ? a->rule->id : a->rule_uid);
    kv(b, "title", a->rule->title, true);
    kv(b, "level", a->rule->level, true);
    time_kv(b, "time", a->ts, true);
    ty_buf_adds(b, ",\"techniques\":[");
    const char *t = a->rule->tags;
    bool first = true;
    while (t && *t) {
        const char *sp = strchr(t, ' ');
        size_t len = sp ? (size_t)(sp - t) : strlen(t);
        /* attack.t1562.008 -> T1562.008 */
        if (len > 8 && strncmp(t, "attack.t", 8) == 0 && t[8] >= '0' && t[8] <= '9') {
            ty_buf_adds(b, first ? "\"T" : ",\"T");
            ty_buf_add(b, t + 8, len - 8);
            ty_buf_addc(b, '"');
            first = false;
        }
        t += len + (sp ? 1 : 0);
    }
    ty_buf_adds(b, "],\"entities\":[");
    if (step && inc_id) {
        const struct ty_incident *inc = &aj->r->inv->inc[inc_id - 1];
        for (size_t i = 0; i < step->n_ents; i++) {
            const struct ty_inc_entity *e = &inc->ents[step->ents[i]];
            ty_buf_adds(b, i ? ",{" : "{");
            kv(b, "type", ty_entity_type_name(e->type), false);
            kv(b, "value", e->value, true);
            kv(b, "role", ty_entity_role_name(e->role), true);
            ty_buf_addc(b, '}');
        }
    }
    ty_buf_adds(b, "],");
    if (inc_id)
        ty_buf_addf(b, "\"incident\":%d,", inc_id);
    else
        ty_buf_adds(b, "\"incident\":null,");
    kv(b, "summary", a->summary, false);
    ty_buf_adds(b, ",\"evidence\":{\"file\":");
    str(b, a->evidence_path);
    ty_buf_addf(b, ",\"offset\":%llu,\"line\":%llu}}", (unsigned long long)a->offset,
                (unsigned long long)a->line);
    return 0;
}

int ty__report_json(struct ty__report *r, struct ty_err *err)
{
    struct ty__report_totals t;
    struct ty_buf *b = r->b;
    ty_buf_addf(b, "{\n  \"tyto_version\": \"%s\",\n  \"case\": {\"event_schema\": %d",
                TYTO_VERSION, TY_EVENT_SCHEMA_VERSION);
    if (r->incident)
        ty_buf_addf(b, ", \"incident\": %d", r->incident);
    ty_buf_adds(b, "},\n  \"evidence\": [");
    int rc = ty__report_evidence(r->st, b, row, &t, err);
    if (rc)
        return rc;
    ty_buf_addf(b, "\n  ],\n  \"totals\": {\"records\":%llu,\"events\":%llu,\"quarantined\":%llu,"
                   "\"incidents\":%zu,\"unassigned_alerts\":%zu},\n  \"incidents\": [",
                (unsigned long long)t.records, (unsigned long long)t.events,
                (unsigned long long)t.quarantined, r->inv->n_inc, r->inv->n_unassigned);
    bool any = false;
    for (size_t k = 0; k < r->inv->n_inc; k++) {
        if (!ty__report_has(r, k))
            continue;
        if (any)
            ty_buf_addc(b, ',');
        incident(r, k);
        any = true;
    }
    ty_buf_adds(b, any ? "\n  ],\n  \"alerts\": [" : "],\n  \"alerts\": [");
    struct alerts_json aj = {r, 0};
    if ((rc = ty_store_alerts(r->st, alert_json, &aj, err)) != 0)
        return rc;
    ty_buf_adds(b, aj.n ? "\n  ]\n}\n" : "]\n}\n");
    return 0;
}
