/* SPDX-License-Identifier: Apache-2.0 */
/*
 * report.c - the case report as JSON (the contract) and Markdown.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <tyto/report.h>
#include <tyto/time.h>
#include <tyto/tyto.h>

int ty_report_format_for_path(const char *path)
{
    size_t n = strlen(path);
    if (n >= 5 && strcmp(path + n - 5, ".json") == 0)
        return TY_REPORT_JSON;
    if (n >= 3 && strcmp(path + n - 3, ".md") == 0)
        return TY_REPORT_MD;
    return -1;
}

struct ctx {
    struct ty_buf *b;
    int format;
    unsigned n;
    uint64_t records, events, quarantined;
    int64_t ts_min, ts_max;
};

static void json_kv_str(struct ty_buf *b, const char *k, const char *v, bool comma)
{
    ty_buf_addf(b, "%s\"%s\":", comma ? "," : "", k);
    ty_buf_add_json_str(b, ty_str_cstr(v ? v : ""));
}

static int evidence_row(void *arg, const struct ty_evidence *ev)
{
    struct ctx *c = arg;
    struct ty_buf *b = c->b;
    c->records += ev->records;
    c->events += ev->events;
    c->quarantined += ev->quarantined;
    if (ev->ts_min && (!c->ts_min || ev->ts_min < c->ts_min))
        c->ts_min = ev->ts_min;
    if (ev->ts_max > c->ts_max)
        c->ts_max = ev->ts_max;
    if (c->format == TY_REPORT_JSON) {
        ty_buf_adds(b, c->n ? ",\n    {" : "\n    {");
        json_kv_str(b, "path", ev->path, false);
        json_kv_str(b, "sha256", ev->sha256, true);
        json_kv_str(b, "format", ev->format, true);
        json_kv_str(b, "shape", ev->shape, true);
        json_kv_str(b, "codec", ev->codec, true);
        ty_buf_addf(b, ",\"size\":%llu,\"records\":%llu,\"events\":%llu,\"quarantined\":%llu",
                    (unsigned long long)ev->size, (unsigned long long)ev->records,
                    (unsigned long long)ev->events, (unsigned long long)ev->quarantined);
        json_kv_str(b, "status", ev->status, true);
        json_kv_str(b, "note", ev->note, true);
        ty_buf_addc(b, '}');
    } else {
        ty_buf_addf(b, "| `%s` | %s | %llu | %llu | %llu | %s | `%.12s…` |\n", ev->path,
                    ev->format[0] ? ev->format : "—", (unsigned long long)ev->records,
                    (unsigned long long)ev->events, (unsigned long long)ev->quarantined,
                    ev->status, ev->sha256);
    }
    c->n++;
    return 0;
}

static const char *const pending_note =
    "Detection (Sigma rules), correlation into incidents and the five questions are not part "
    "of this tyto version: no alerts or incidents were computed, and none are implied.";

static int build(struct ty_store *st, int format, struct ty_buf *b, struct ty_err *err)
{
    struct ctx c = {.b = b, .format = format};
    char t1[40], t2[40];
    int rc;
    if (format == TY_REPORT_JSON) {
        ty_buf_addf(b, "{\n  \"tyto_version\": \"%s\",\n  \"case\": {\"event_schema\": %d},\n"
                       "  \"evidence\": [",
                    TYTO_VERSION, TY_EVENT_SCHEMA_VERSION);
        if ((rc = ty_store_evidence_list(st, evidence_row, &c, err)))
            return rc;
        ty_buf_adds(b, "\n  ],\n  \"totals\": {");
        ty_buf_addf(b, "\"records\":%llu,\"events\":%llu,\"quarantined\":%llu",
                    (unsigned long long)c.records, (unsigned long long)c.events,
                    (unsigned long long)c.quarantined);
        ty_buf_adds(b, "},\n  \"incidents\": [],\n  \"alerts\": [],\n  \"notes\": [");
        ty_buf_add_json_str(b, ty_str_cstr(pending_note));
        ty_buf_adds(b, "]\n}\n");
        return 0;
    }
    ty_buf_adds(b, "# tyto investigation report\n\n## Evidence\n\n"
                   "| evidence | format | records | events | quarantined | status | SHA-256 |\n"
                   "|---|---|---:|---:|---:|---|---|\n");
    if ((rc = ty_store_evidence_list(st, evidence_row, &c, err)))
        return rc;
    ty_buf_addf(b, "\n%u evidence streams: %llu records read = %llu events stored + %llu "
                   "quarantined.\n",
                c.n, (unsigned long long)c.records, (unsigned long long)c.events,
                (unsigned long long)c.quarantined);
    if (c.ts_min) {
        ty_time_format(c.ts_min, 0, t1);
        ty_time_format(c.ts_max, 0, t2);
        ty_buf_addf(b, "Events span %s to %s.\n", t1, t2);
    }
    ty_buf_addf(b, "\n## Findings\n\n%s\n\ntyto %s\n", pending_note, TYTO_VERSION);
    return 0;
}

int ty_report_write(struct ty_store *st, const char *out_path, int format, struct ty_err *err)
{
    struct ty_buf b, tmp;
    FILE *f = NULL;
    int rc;
    ty_buf_init(&b, 0);
    ty_buf_init(&tmp, 4096);
    if ((rc = build(st, format, &b, err)))
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
