/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd-timeline.c - `tyto timeline CASE`: events in time order with filters,
 * as a table, CSV, JSON lines or Timesketch JSONL.
 */
#include <tyto/correlate.h>
#include <tyto/time.h>

#include <stdio.h>
#include <string.h>

#include "cli.h"

enum tl_format { TL_TABLE, TL_CSV, TL_JSONL, TL_TIMESKETCH };

/* An event held back while later records of the same thing may follow. */
struct held {
    bool have;
    struct ty_event ev;
    struct ty_event_ref ref;
    struct ty_arena arena;
};

struct tl {
    enum tl_format fmt;
    const char *grep;
    bool all_stages;
    struct ty_buf line, tmp;
    uint64_t n, collapsed;
    struct held held[2];
    int cur; /* index of the held event in use */
};

/* Case-insensitive substring search. */
static bool contains_nocase(struct ty_str hay, const char *needle)
{
    size_t n = strlen(needle);
    if (n == 0)
        return true;
    for (size_t i = 0; i + n <= hay.len; i++) {
        size_t k = 0;
        while (k < n) {
            char a = hay.p[i + k], b = needle[k];
            if (a >= 'A' && a <= 'Z')
                a = (char)(a + 32);
            if (b >= 'A' && b <= 'Z')
                b = (char)(b + 32);
            if (a != b)
                break;
            k++;
        }
        if (k == n)
            return true;
    }
    return false;
}

static void csv_field(struct ty_buf *b, struct ty_str s)
{
    bool quote = false;
    for (size_t i = 0; i < s.len; i++)
        if (s.p[i] == ',' || s.p[i] == '"' || s.p[i] == '\n' || s.p[i] == '\r')
            quote = true;
    if (!quote) {
        ty_buf_addstr(b, s);
        return;
    }
    ty_buf_addc(b, '"');
    for (size_t i = 0; i < s.len; i++) {
        if (s.p[i] == '"')
            ty_buf_addc(b, '"');
        ty_buf_addc(b, s.p[i]);
    }
    ty_buf_addc(b, '"');
}

static const enum ty_field csv_fields[] = {
    TY_F_CATEGORY, TY_F_ACTION, TY_F_OUTCOME, TY_F_ACTOR, TY_F_SRC_IP, TY_F_SRC_ADDR,
    TY_F_DST_IP, TY_F_DST_PORT, TY_F_TARGET, TY_F_USER_AGENT,
};

static int emit_row(struct tl *t, const struct ty_event *ev, const struct ty_event_ref *ref)
{
    char ts[40];
    int prec = (int)ty_event_int(ev, TY_F_TS_PREC, 9);
    ty_time_format(ty_event_int(ev, TY_F_TS, 0), prec, ts);

    ty_buf_reset(&t->tmp);
    ty_event_summary(ev, &t->tmp);
    if (t->grep) {
        ty_buf_reset(&t->line);
        ty_event_to_json(ev, &t->line);
        if (!contains_nocase(ty_buf_str(&t->line), t->grep) &&
            !contains_nocase(ty_buf_str(&t->tmp), t->grep))
            return 0;
    }
    ty_buf_reset(&t->line);
    switch (t->fmt) {
    case TL_TABLE:
        ty_buf_addf(&t->line, "%-27s %-16s %s\n", ts, ev->format ? ev->format : "",
                    t->tmp.buf);
        break;
    case TL_CSV:
        if (t->n == 0) {
            ty_buf_adds(&t->line, "time,format");
            for (size_t i = 0; i < sizeof(csv_fields) / sizeof(csv_fields[0]); i++)
                ty_buf_addf(&t->line, ",%s", ty_fields[csv_fields[i]].name);
            ty_buf_adds(&t->line, ",summary,evidence,offset,line\n");
        }
        ty_buf_addf(&t->line, "%s,%s", ts, ev->format ? ev->format : "");
        for (size_t i = 0; i < sizeof(csv_fields) / sizeof(csv_fields[0]); i++) {
            struct ty_buf v;
            ty_buf_init(&v, 0);
            ty_event_field_text(ev, csv_fields[i], &v);
            ty_buf_addc(&t->line, ',');
            csv_field(&t->line, ty_buf_str(&v));
            ty_buf_release(&v);
        }
        ty_buf_addc(&t->line, ',');
        csv_field(&t->line, ty_buf_str(&t->tmp));
        ty_buf_addc(&t->line, ',');
        csv_field(&t->line, ty_str_cstr(ref->evidence_path));
        ty_buf_addf(&t->line, ",%llu,%llu\n", (unsigned long long)ref->offset,
                    (unsigned long long)ref->line);
        break;
    case TL_JSONL:
    case TL_TIMESKETCH:
        if (t->fmt == TL_TIMESKETCH && ty_event_has(ev, TY_F_MESSAGE)) {
            /* Timesketch's "message" is the summary line: the event's own
             * message field moves to "event_message" */
            struct ty_event copy = *ev;
            ty_event_unset(&copy, TY_F_MESSAGE);
            ty_event_to_json(&copy, &t->line);
            t->line.len--;
            ty_buf_adds(&t->line, ",\"event_message\":");
            ty_buf_add_json_str(&t->line, ty_event_str(ev, TY_F_MESSAGE));
            ty_buf_adds(&t->line, "}");
        } else {
            ty_event_to_json(ev, &t->line);
        }
        t->line.len--; /* reopen the object */
        if (t->fmt == TL_TIMESKETCH) {
            ty_buf_adds(&t->line, ",\"datetime\":");
            ty_buf_add_json_str(&t->line, ty_str_cstr(ts));
            ty_buf_adds(&t->line, ",\"timestamp_desc\":\"Event Time\",\"message\":");
        } else {
            ty_buf_adds(&t->line, ",\"summary\":");
        }
        ty_buf_add_json_str(&t->line, ty_buf_str(&t->tmp));
        ty_buf_adds(&t->line, ",\"evidence\":");
        ty_buf_add_json_str(&t->line, ty_str_cstr(ref->evidence_path));
        ty_buf_addf(&t->line, ",\"event_id\":%lld}\n", (long long)ref->event_id);
        break;
    }
    t->n++;
    return fwrite(t->line.buf, 1, t->line.len, stdout) == t->line.len ? 0 : TY_EIO;
}

/* Records of one thing reported in stages (Kubernetes audit RequestReceived,
 * ResponseStarted, ResponseComplete) or delivered twice (CloudTrail) share
 * format, time and vendor id, and sort next to each other: the timeline shows
 * the last of them (the most complete) once. */
static bool same_thing(const struct ty_event *a, const struct ty_event *b)
{
    return ty_event_has(a, TY_F_VENDOR_ID) && ty_event_has(b, TY_F_VENDOR_ID) &&
           a->format && b->format && strcmp(a->format, b->format) == 0 &&
           ty_event_int(a, TY_F_TS, 0) == ty_event_int(b, TY_F_TS, 1) &&
           ty_str_eq(ty_event_str(a, TY_F_VENDOR_ID), ty_event_str(b, TY_F_VENDOR_ID));
}

static int hold(struct held *h, const struct ty_event *ev, const struct ty_event_ref *ref)
{
    ty_arena_reset(&h->arena);
    h->ev = *ev;
    h->ref = *ref;
    for (int f = 0; f < TY_F__COUNT; f++) {
        if (ty_fields[f].type != TY_FT_STR || !ty_event_has(ev, (enum ty_field)f))
            continue;
        h->ev.v[f].s = ty_arena_str(&h->arena, ev->v[f].s);
        if (!h->ev.v[f].s.p)
            return TY_ENOMEM;
    }
    h->ev.raw = TY_STR_NULL;
    h->ref.evidence_path = ty_arena_memdup(&h->arena, ref->evidence_path,
                                           strlen(ref->evidence_path));
    if (!h->ref.evidence_path)
        return TY_ENOMEM;
    h->have = true;
    return 0;
}

static int row(void *arg, const struct ty_event *ev, const struct ty_event_ref *ref)
{
    struct tl *t = arg;
    if (t->all_stages)
        return emit_row(t, ev, ref);
    struct held *h = &t->held[t->cur], *next = &t->held[!t->cur];
    if (h->have && same_thing(&h->ev, ev)) {
        t->collapsed++;
    } else if (h->have) {
        int rc = emit_row(t, &h->ev, &h->ref);
        if (rc)
            return rc;
    }
    h->have = false;
    t->cur = !t->cur;
    return hold(next, ev, ref);
}

int cli_print_timeline(struct ty_store *st, const struct ty_event_query *q, const char *format,
                       const char *grep, bool all_stages)
{
    struct tl t = {.grep = grep, .all_stages = all_stages};
    struct ty_err err;
    if (!format || strcmp(format, "table") == 0)
        t.fmt = TL_TABLE;
    else if (strcmp(format, "csv") == 0)
        t.fmt = TL_CSV;
    else if (strcmp(format, "jsonl") == 0 || strcmp(format, "json") == 0)
        t.fmt = TL_JSONL;
    else if (strcmp(format, "timesketch") == 0)
        t.fmt = TL_TIMESKETCH;
    else
        return cli_error("unknown --format '%s': table, csv, jsonl or timesketch", format);
    ty_buf_init(&t.line, 0);
    ty_buf_init(&t.tmp, 0);
    ty_arena_init(&t.held[0].arena, 16 * 1024, 0);
    ty_arena_init(&t.held[1].arena, 16 * 1024, 0);
    ty_err_clear(&err);
    if (t.fmt == TL_TABLE)
        printf("%-27s %-16s %s\n", "TIME (UTC)", "SOURCE", "EVENT");
    int rc = ty_store_events(st, q, row, &t, &err);
    if (rc >= 0 && t.held[t.cur].have)
        rc = emit_row(&t, &t.held[t.cur].ev, &t.held[t.cur].ref);
    if (t.collapsed && t.fmt == TL_TABLE)
        fprintf(stderr, "timeline: %llu events shown; %llu records of the same request (stages, "
                        "repeated deliveries) folded into them (--all-stages shows each)\n",
                (unsigned long long)t.n, (unsigned long long)t.collapsed);
    ty_arena_release(&t.held[0].arena);
    ty_arena_release(&t.held[1].arena);
    ty_buf_release(&t.line);
    ty_buf_release(&t.tmp);
    if (rc < 0)
        return cli_error("%s", err.msg[0] ? err.msg : ty_strerror(rc));
    return 0;
}

/* "field=value" or "field!=value" into a query condition. */
static int parse_where(const char *w, struct ty_event_where *out)
{
    const char *eq = strchr(w, '=');
    if (!eq || eq == w)
        return cli_error("--where '%s': expected FIELD=VALUE or FIELD!=VALUE", w);
    size_t flen = (size_t)(eq - w);
    out->cmp = TY_CMP_EQ;
    if (w[flen - 1] == '!') {
        out->cmp = TY_CMP_NE;
        flen--;
    }
    int f = ty_field_lookup((struct ty_str){w, flen});
    if (f < 0)
        return cli_error("--where '%s': no field '%.*s' (fields: see docs/internals/EVENT-MODEL.md)",
                         w, (int)flen, w);
    out->field = f;
    out->value = eq + 1;
    return 0;
}

int cli_build_query(struct ty_event_query *q, const char *from, const char *to,
                    const struct opt_list *where, int64_t limit)
{
    memset(q, 0, sizeof(*q));
    if (from) {
        if (cli_parse_time(from, &q->from))
            return cli_error("--from '%s': not a time (2026-10-01, 2026-10-01T10:00Z, epoch)", from);
        q->has_from = true;
    }
    if (to) {
        if (cli_parse_time(to, &q->to))
            return cli_error("--to '%s': not a time (2026-10-01, 2026-10-01T10:00Z, epoch)", to);
        q->has_to = true;
    }
    for (unsigned i = 0; i < where->n; i++) {
        if (q->n_where >= TY_QUERY_MAX_WHERE)
            return cli_error("at most %d --where filters", TY_QUERY_MAX_WHERE);
        if (parse_where(where->v[i], &q->where[q->n_where++]))
            return 1;
    }
    q->limit = limit;
    return 0;
}

/* The steps of one incident: its alerts and the events that explain them. */
static int incident_timeline(struct ty_store *st, int64_t id, const char *format)
{
    struct cli_corr corr = {0};
    bool jsonl = format && strcmp(format, "jsonl") == 0;
    if (format && !jsonl && strcmp(format, "table") != 0)
        return cli_error("--incident prints a table or jsonl, not %s", format);
    struct ty_investigation *inv = cli_investigate(st, &corr);
    if (!inv)
        return 1;
    if (id < 1 || (size_t)id > inv->n_inc) {
        cli_error("no incident %lld (the case has %zu: tyto incidents CASE)", (long long)id,
                  inv->n_inc);
        ty_investigation_free(inv);
        return 1;
    }
    const struct ty_incident *inc = &inv->inc[id - 1];
    struct ty_buf b;
    ty_buf_init(&b, 0);
    for (size_t i = 0; i < inc->n_steps; i++) {
        const struct ty_inc_step *s = &inc->steps[i];
        char ts[48];
        ty_time_format(s->ts, 3, ts);
        char qs[64] = "";
        for (int q = 0; q < TY_Q__COUNT; q++)
            if (s->questions & (1u << q))
                snprintf(qs + strlen(qs), sizeof(qs) - strlen(qs), "%s%s", qs[0] ? "," : "",
                         ty_question_name(q));
        if (!jsonl) {
            printf("%-24s %-14s %-28s %s%s%s  %s:%llu\n", ts, s->source, qs[0] ? qs : "-",
                   s->rule_title ? s->rule_title : "", s->rule_title ? ": " : "", s->summary,
                   s->ev.file, (unsigned long long)s->ev.line);
            continue;
        }
        ty_buf_reset(&b);
        ty_buf_adds(&b, "{\"time\":");
        ty_buf_add_json_str(&b, ty_str_cstr(ts));
        ty_buf_adds(&b, ",\"source\":");
        ty_buf_add_json_str(&b, ty_str_cstr(s->source));
        ty_buf_adds(&b, ",\"questions\":");
        ty_buf_add_json_str(&b, ty_str_cstr(qs));
        ty_buf_adds(&b, ",\"rule\":");
        if (s->rule_title)
            ty_buf_add_json_str(&b, ty_str_cstr(s->rule_title));
        else
            ty_buf_adds(&b, "null");
        ty_buf_adds(&b, ",\"summary\":");
        ty_buf_add_json_str(&b, ty_str_cstr(s->summary));
        ty_buf_adds(&b, ",\"evidence\":{\"file\":");
        ty_buf_add_json_str(&b, ty_str_cstr(s->ev.file));
        ty_buf_addf(&b, ",\"offset\":%llu,\"line\":%llu}}\n", (unsigned long long)s->ev.offset,
                    (unsigned long long)s->ev.line);
        fwrite(b.buf, 1, b.len, stdout);
    }
    ty_buf_release(&b);
    ty_investigation_free(inv);
    return 0;
}

int cmd_timeline(int argc, const char **argv)
{
    const char *from = NULL, *to = NULL, *format = NULL, *grep = NULL;
    struct opt_list where = {.n = 0};
    int64_t limit = 0, incident = 0;
    bool all_stages = false;
    struct opt opts[] = {
        {OPT_STRING, 0, "from", &from, "TIME", "events at or after TIME (2026-10-01T10:00Z)"},
        {OPT_STRING, 0, "to", &to, "TIME", "events before TIME"},
        {OPT_LIST, 'w', "where", &where, "FIELD=VALUE",
         "keep events whose field equals (or with != differs from) VALUE; repeatable"},
        {OPT_STRING, 'g', "grep", &grep, "TEXT", "keep events whose fields contain TEXT (any case)"},
        {OPT_INT, 'n', "limit", &limit, "N", "at most N events"},
        {OPT_STRING, 'f', "format", &format, "FMT", "table (default), csv, jsonl or timesketch"},
        {OPT_FLAG, 0, "all-stages", &all_stages, NULL,
         "show every record of a request (Kubernetes audit stages, repeated deliveries)"},
        {OPT_INT, 'i', "incident", &incident, "N",
         "only incident N: its alerts and the events that explain them, with the question each "
         "answers (table or jsonl)"},
        {OPT_END, 0, NULL, NULL, NULL, NULL},
    };
    struct cmd_usage u = {
        "tyto timeline CASE [--incident N] [--from T] [--to T] [--where F=V]... [--grep TEXT] "
        "[--format FMT]",
        "Print the case's events in time order (then evidence and offset). Records of one request\n"
        "(Kubernetes audit stages, CloudTrail events delivered twice: same format, time and\n"
        "vendor_id) show once, as the last of them, unless --all-stages. Fields are those of\n"
        "docs/internals/EVENT-MODEL.md (src_ip, actor, action, k8s_pod, bucket, ...).\n"
        "The timesketch format is JSON lines with message, datetime and timestamp_desc.",
        opts};
    if (opt_parse_args(&argc, argv, &u, 1, 1))
        return EXIT_USAGE;
    if (incident) {
        struct ty_store *ist = cli_open_case(argv[0], false);
        if (!ist)
            return 1;
        int irc = incident_timeline(ist, incident, format);
        ty_store_close(ist);
        return irc;
    }
    struct ty_event_query q;
    if (cli_build_query(&q, from, to, &where, limit))
        return EXIT_USAGE;
    struct ty_store *st = cli_open_case(argv[0], false);
    if (!st)
        return 1;
    int rc = cli_print_timeline(st, &q, format, grep, all_stages);
    ty_store_close(st);
    return rc;
}
