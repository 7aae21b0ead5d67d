/* SPDX-License-Identifier: Apache-2.0 */
/*
 * report-json.c - the report contract (DESIGN.md §4) as JSON: version, case,
 * evidence with SHA-256 and counts, totals, incidents and alerts (empty until
 * detection exists), and notes.
 */
#include <tyto/event.h>
#include <tyto/tyto.h>

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
                   "\n  \"incidents\": [],\n  \"alerts\": [],\n  \"notes\": [",
                (unsigned long long)t.records, (unsigned long long)t.events,
                (unsigned long long)t.quarantined);
    ty_buf_add_json_str(b, ty_str_cstr(ty__report_pending_note));
    ty_buf_adds(b, "]\n}\n");
    return 0;
}
