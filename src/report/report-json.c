/* SPDX-License-Identifier: Apache-2.0 */
/*
 * report-json.c - the report contract (DESIGN.md §4) as JSON: version, case,
 * evidence with SHA-256 and counts, totals, incidents and alerts (empty until
 * detection exists), and notes.
 */
#include <tyto/event.h>
#include <tyto/tyto.h>

#include <string.h>

#include "report/report-int.h"

static void kv(struct ty_buf *b, const char *k, const char *v, bool comma)
{
    ty_buf_addf(b, "%s\"%s\":", comma ? "," : "", k);
    ty_buf_add_json_str(b, ty_str_cstr(v ? v : ""));
}

static void row(struct ty_buf *b, const struct ty_evidence *ev, unsigned i)
{
    ty_buf_adds(b, i ? ",\n    {" : "\n    {");
    kv(b, "path", ev->path, false);
    kv(b, "sha256", ev->sha256, true);
    kv(b, "format", ev->format, true);
    kv(b, "shape", ev->shape, true);
    kv(b, "codec", ev->codec, true);
    ty_buf_addf(b, ",\"size\":%llu,\"records\":%llu,\"events\":%llu,\"quarantined\":%llu",
                (unsigned long long)ev->size, (unsigned long long)ev->records,
                (unsigned long long)ev->events, (unsigned long long)ev->quarantined);
    kv(b, "status", ev->status, true);
    kv(b, "note", ev->note, true);
    ty_buf_addc(b, '}');
}

struct alerts_json {
    struct ty_buf *b;
    unsigned long n;
};

/* One alert as DESIGN.md §4 has it: id, rule, title, level, time,
 * techniques (the ATT&CK technique tags), entities, evidence. */
static int alert_json(void *arg, const struct ty_alert *a)
{
    struct alerts_json *aj = arg;
    struct ty_buf *b = aj->b;
    char ts[40];
    ty_time_format(a->ts, 3, ts);
    ty_buf_addf(b, "%s\n    {\"id\": %lld, \"rule\": ", aj->n++ ? "," : "", (long long)a->id);
    ty_buf_add_json_str(b, ty_str_cstr(a->rule_uid));
    ty_buf_adds(b, ", \"title\": ");
    ty_buf_add_json_str(b, ty_str_cstr(a->rule->title));
    ty_buf_adds(b, ", \"level\": ");
    ty_buf_add_json_str(b, ty_str_cstr(a->rule->level));
    ty_buf_adds(b, ", \"time\": ");
    ty_buf_add_json_str(b, ty_str_cstr(ts));
    ty_buf_adds(b, ", \"techniques\": [");
    const char *t = a->rule->tags;
    bool first = true;
    while (*t) {
        const char *sp = strchr(t, ' ');
        size_t len = sp ? (size_t)(sp - t) : strlen(t);
        /* attack.t1562.008 -> T1562.008 */
        if (len > 8 && strncmp(t, "attack.t", 8) == 0 && t[8] >= '0' && t[8] <= '9') {
            ty_buf_adds(b, first ? "\"T" : ", \"T");
            ty_buf_add(b, t + 8, len - 8);
            ty_buf_addc(b, '"');
            first = false;
        }
        t += len + (sp ? 1 : 0);
    }
    ty_buf_adds(b, "], \"entities\": [], \"evidence\": {\"file\": ");
    ty_buf_add_json_str(b, ty_str_cstr(a->evidence_path));
    ty_buf_addf(b, ", \"offset\": %llu, \"line\": %llu}}", (unsigned long long)a->offset,
                (unsigned long long)a->line);
    return 0;
}

int ty__report_json(struct ty_store *st, struct ty_buf *b, struct ty_err *err)
{
    struct ty__report_totals t;
    ty_buf_addf(b, "{\n  \"tyto_version\": \"%s\",\n  \"case\": {\"event_schema\": %d},\n"
                   "  \"evidence\": [",
                TYTO_VERSION, TY_EVENT_SCHEMA_VERSION);
    int rc = ty__report_evidence(st, b, row, &t, err);
    if (rc)
        return rc;
    ty_buf_addf(b, "\n  ],\n  \"totals\": {\"records\":%llu,\"events\":%llu,\"quarantined\":%llu},"
                   "\n  \"incidents\": [],\n  \"alerts\": [",
                (unsigned long long)t.records, (unsigned long long)t.events,
                (unsigned long long)t.quarantined);
    struct alerts_json aj = {b, 0};
    if ((rc = ty_store_alerts(st, alert_json, &aj, err)) != 0)
        return rc;
    ty_buf_adds(b, aj.n ? "\n  ],\n  \"notes\": [" : "],\n  \"notes\": [");
    ty_buf_add_json_str(b, ty_str_cstr(ty__report_pending_note));
    ty_buf_adds(b, "]\n}\n");
    return 0;
}
