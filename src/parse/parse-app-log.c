/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse-app-log.c - Java application logs (Spring Boot/logback, log4j, Hadoop
 * daemons): one event per log record, its stack trace joined to it.
 *
 * Record format: a header line that starts with a date and time, then the
 * layout's tokens in any order - level (TRACE DEBUG INFO WARN WARNING ERROR
 * FATAL SEVERE), pid, "---", "[thread]" (Spring Boot 3 adds "[app]") - then
 * the logger and a separator (" : ", " - ", or ':' right after the logger):
 *   Spring Boot  "2026-10-20 12:00:01.123  INFO 1234 --- [nio-8080-exec-1] c.e.Foo : msg"
 *                (Spring Boot 3: "2026-10-20T12:00:01.123+02:00  INFO 1234 --- [app] [main] ...")
 *   log4j        "%d [%t] %-5p %c - %m%n", "%d %-5p [%t] %c - %m%n"
 *   Hadoop       "%d{ISO8601} %p %c: %m%n" ("2026-09-08 10:00:00,123 INFO org.a.B: msg")
 *   Tomcat JULI  OneLineFormatter "27-Oct-2026 11:41:37.433 SEVERE [main] a.b.C.method msg"
 *                (catalina.out, catalina.DATE.log: no separator after class.method)
 * Every following line that is not a header belongs to the record: the
 * exception line ("java.lang.X: msg"), "\tat ..." frames, "Caused by: ...",
 * "\t... 12 more", multi-line messages. The joined record (header and its
 * lines, '\n'-separated, at most JOIN_MAX bytes: a longer one is cut and
 * says so) is the event's raw record. Since a record ends only when the next
 * header (or the stream's end, finish()) arrives, each header line emits the
 * previous record and continuation lines are TY_SKIP (counted in the
 * record that holds them); the first header is TY_HELD (read, its event comes
 * later) and the last record is emitted by finish(), so records read = events
 * + quarantined holds for the stream (docs/internals/HOST-PARSERS.md).
 * Time: these layouts write local time without a zone (unless Spring Boot 3's
 * ISO form has one): the time is taken as UTC and the shape says so; ',' and
 * '.' before the milliseconds are both read.
 * Event: category "application", action "log", severity = level, provider =
 * logger, pid, message = the header's message, status_code = the first
 * exception class, status_detail = its message, correlation_id = thread.
 * Sniffing: the first line must be a header and most lines of the head
 * headers; a header needs a level and a logger, so syslog's RFC 3339 lines
 * ("time host prog[pid]: msg") are not taken.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/parser.h>
#include <tyto/time.h>

#define JOIN_MAX (256 * 1024)

struct header {
    struct ty_str time, level, pid, thread, app, logger, msg;
};

struct applog {
    struct ty_event ev;
    bool pending;      /* buf holds a record not yet emitted */
    bool orphan;       /* the last header was quarantined: its lines are too */
    bool cut;          /* the record grew past JOIN_MAX */
    uint64_t offset, line;
    uint64_t cut_lines;
    uint64_t bad_offset;
    size_t len;
    char buf[JOIN_MAX];
};

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool digits(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_digit(p[i]))
            return false;
    return true;
}

/* "YYYY-MM-DD[ T]hh:mm:ss[,.]fff[zone]": the length of the time token, 0 if none. */
static size_t time_len(struct ty_str l)
{
    if (l.len < 19 || !digits(l.p, 4) || l.p[4] != '-' || !digits(l.p + 5, 2) || l.p[7] != '-' ||
        !digits(l.p + 8, 2) || (l.p[10] != ' ' && l.p[10] != 'T') || !digits(l.p + 11, 2) ||
        l.p[13] != ':' || !digits(l.p + 14, 2) || l.p[16] != ':' || !digits(l.p + 17, 2))
        return 0;
    size_t i = 19;
    if (i < l.len && (l.p[i] == '.' || l.p[i] == ',')) {
        size_t d = ++i;
        while (i < l.len && is_digit(l.p[i]) && i - d < 9)
            i++;
        if (i == d)
            return 0;
    }
    if (i < l.len && l.p[i] == 'Z') {
        i++;
    } else if (i + 3 <= l.len && (l.p[i] == '+' || l.p[i] == '-') && digits(l.p + i + 1, 2)) {
        i += 3;
        if (i < l.len && l.p[i] == ':')
            i++;
        if (i + 2 <= l.len && digits(l.p + i, 2))
            i += 2;
    }
    if (i < l.len && l.p[i] != ' ' && l.p[i] != '\t')
        return 0;
    return i;
}

static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

/* Tomcat's OneLineFormatter time "27-Oct-2026 11:41:37.433": its length, 0 if none;
 * *month the month number. */
static size_t tomcat_time_len(struct ty_str l, unsigned *month)
{
    if (l.len < 24 || !digits(l.p, 2) || l.p[2] != '-' || l.p[6] != '-' || !digits(l.p + 7, 4) ||
        l.p[11] != ' ' || !digits(l.p + 12, 2) || l.p[14] != ':' || !digits(l.p + 15, 2) ||
        l.p[17] != ':' || !digits(l.p + 18, 2) || l.p[20] != '.' || !digits(l.p + 21, 3))
        return 0;
    for (unsigned m = 0; m < 12; m++)
        if (memcmp(l.p + 3, months + 3 * m, 3) == 0) {
            *month = m + 1;
            return (l.len == 24 || l.p[24] == ' ') ? 24 : 0;
        }
    return 0;
}

static bool level_word(struct ty_str t)
{
    static const char *const lv[] = {"TRACE", "DEBUG", "INFO", "WARN", "WARNING",
                                     "ERROR", "FATAL", "SEVERE", "FINE", "CONFIG"};
    for (size_t i = 0; i < sizeof(lv) / sizeof(lv[0]); i++)
        if (ty_str_eq_cstr(t, lv[i]))
            return true;
    return false;
}

static size_t skip_sp(struct ty_str l, size_t i)
{
    while (i < l.len && (l.p[i] == ' ' || l.p[i] == '\t'))
        i++;
    return i;
}

static bool logger_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '.' ||
           c == '_' || c == '$' || c == '[' || c == ']' || c == '/' || c == '-' || c == '#';
}

/* Parse a header line; false when l is not one. */
static bool parse_header(struct ty_str l, struct header *h)
{
    memset(h, 0, sizeof(*h));
    unsigned mon;
    size_t tl = time_len(l);
    bool tomcat = false;
    if (!tl && (tl = tomcat_time_len(l, &mon)) != 0)
        tomcat = true;
    if (!tl)
        return false;
    h->time = ty_str_make(l.p, tl);
    size_t i = tl;
    for (int n = 0; n < 6; n++) {
        i = skip_sp(l, i);
        if (i >= l.len)
            return false;
        if (l.p[i] == '[') {
            const char *e = memchr(l.p + i, ']', l.len - i);
            if (!e)
                return false;
            struct ty_str t = ty_str_trim(ty_str_make(l.p + i + 1, (size_t)(e - l.p) - i - 1));
            if (h->thread.p && !h->app.p) { /* Spring Boot 3: [app] [thread] */
                h->app = h->thread;
                h->thread = t;
            } else if (!h->thread.p) {
                h->thread = t;
            } else {
                break;
            }
            i = (size_t)(e - l.p) + 1;
            continue;
        }
        size_t b = i;
        while (i < l.len && l.p[i] != ' ' && l.p[i] != '\t')
            i++;
        struct ty_str t = ty_str_make(l.p + b, i - b);
        if (!h->level.p && level_word(t)) {
            h->level = t;
        } else if (!h->pid.p && digits(t.p, t.len) && t.len <= 10) {
            h->pid = t;
        } else if (ty_str_eq_cstr(t, "---")) {
            continue;
        } else {
            i = b;
            break;
        }
    }
    if (!h->level.p || i >= l.len || !logger_char(l.p[i]) || l.p[i] == '[')
        return false;
    size_t b = i;
    while (i < l.len && logger_char(l.p[i]))
        i++;
    h->logger = ty_str_make(l.p + b, i - b);
    if (tomcat) { /* "LEVEL [thread] class.method message": no separator */
        if (!h->thread.p || (i < l.len && l.p[i] != ' '))
            return false;
        i = skip_sp(l, i);
        h->msg = ty_str_make(l.p + i, l.len - i);
        return true;
    }
    i = skip_sp(l, i);
    if (i >= l.len || (l.p[i] != ':' && l.p[i] != '-'))
        return false;
    i++;
    if (i < l.len && l.p[i] != ' ' && l.p[i] != '\t')
        return false;
    i = skip_sp(l, i);
    h->msg = ty_str_make(l.p + i, l.len - i);
    return true;
}

/* A Java exception line: "a.b.CException[: msg]" or "Caused by: a.b.C: msg". */
static bool exception_line(struct ty_str l, struct ty_str *cls, struct ty_str *msg)
{
    if (ty_str_starts(l, "Caused by: "))
        l = ty_str_make(l.p + 11, l.len - 11);
    size_t i = 0, dots = 0;
    while (i < l.len && (logger_char(l.p[i]) && l.p[i] != '[' && l.p[i] != ']' &&
                         l.p[i] != '/' && l.p[i] != '-' && l.p[i] != '#')) {
        dots += l.p[i] == '.';
        i++;
    }
    if (!i || !dots || (i < l.len && l.p[i] != ':'))
        return false;
    struct ty_str c = ty_str_make(l.p, i);
    if (!ty_str_contains(c, "Exception") && !ty_str_contains(c, "Error") &&
        !ty_str_contains(c, "Throwable"))
        return false;
    *cls = c;
    *msg = i < l.len ? ty_str_trim(ty_str_make(l.p + i + 1, l.len - i - 1)) : TY_STR_NULL;
    return true;
}

static int parse_time(struct ty_str t, int64_t *ns, int *prec)
{
    char tb[48];
    int tz = 0;
    if (t.len >= sizeof(tb))
        return TY_EINVAL;
    unsigned mon;
    if (tomcat_time_len(t, &mon)) { /* to "yyyy-mm-dd hh:mm:ss.SSS" */
        snprintf(tb, sizeof(tb), "%.4s-%02u-%.2s %.12s", t.p + 7, mon, t.p, t.p + 12);
        return ty_time_parse_iso(ty_str_make(tb, 23), ns, prec, &tz);
    }
    memcpy(tb, t.p, t.len);
    if (t.len > 19 && tb[19] == ',')
        tb[19] = '.';
    return ty_time_parse_iso(ty_str_make(tb, t.len), ns, prec, &tz);
}

/* Emit the pending record held in a->buf. */
static int flush(struct ty_parse_ctx *ctx, struct applog *a, struct ty_err *err)
{
    struct ty_str rec = ty_str_make(a->buf, a->len);
    const char *nl = memchr(rec.p, '\n', rec.len);
    struct ty_str first = ty_str_make(rec.p, nl ? (size_t)(nl - rec.p) : rec.len);
    struct header h;
    int64_t ns = 0;
    int prec = 0;
    a->pending = false;
    if (!parse_header(first, &h) || parse_time(h.time, &ns, &prec))
        return ty_err_set(err, TY_ERR, "app-log: held record at byte %llu no longer parses",
                          (unsigned long long)a->offset);
    struct ty_event *ev = &a->ev;
    ty_event_clear(ev);
    ty_event_set_int(ev, TY_F_TS, ns);
    ty_event_set_int(ev, TY_F_TS_PREC, prec);
    ty_event_set_str(ev, TY_F_TIME_TEXT, h.time);
    ty_event_set_str(ev, TY_F_CATEGORY, TY_STR_LIT("application"));
    ty_event_set_str(ev, TY_F_ACTION, TY_STR_LIT("log"));
    ty_event_set_str(ev, TY_F_SEVERITY, h.level);
    ty_event_set_str(ev, TY_F_PROVIDER, h.logger);
    ty_event_set_str(ev, TY_F_CORRELATION_ID, h.thread);
    int64_t pid;
    if (h.pid.len && ty_str_to_i64(h.pid, &pid) == 0)
        ty_event_set_int(ev, TY_F_PID, pid);
    if (a->cut)
        ty_event_set_str(ev, TY_F_MESSAGE,
                ty_arena_printf(ctx->arena, "%.*s [record cut at %d bytes: %llu more lines]",
                                (int)h.msg.len, h.msg.p, JOIN_MAX,
                                (unsigned long long)a->cut_lines));
    else
        ty_event_set_str(ev, TY_F_MESSAGE, h.msg);
    /* the first exception line of the trace */
    struct ty_str rest = nl ? ty_str_make(nl + 1, rec.len - first.len - 1) : TY_STR_NULL;
    while (rest.len) {
        const char *e = memchr(rest.p, '\n', rest.len);
        struct ty_str l = ty_str_make(rest.p, e ? (size_t)(e - rest.p) : rest.len);
        struct ty_str cls, msg;
        if (exception_line(l, &cls, &msg)) {
            ty_event_set_str(ev, TY_F_STATUS_CODE, cls);
            ty_event_set_str(ev, TY_F_STATUS_DETAIL, msg);
            break;
        }
        if (!e)
            break;
        rest = ty_str_make(e + 1, rest.len - l.len - 1);
    }
    ev->raw = rec;
    ev->offset = a->offset;
    ev->line = a->line;
    int rc = ty_parse_emit(ctx, ev);
    return rc < 0 ? rc : TY_OK;
}

static void hold(struct applog *a, const struct ty_record *rec, bool first)
{
    if (first) {
        a->len = 0;
        a->cut = false;
        a->cut_lines = 0;
        a->offset = rec->offset;
        a->line = rec->line;
        a->pending = true;
    }
    size_t need = rec->len + (first ? 0 : 1);
    if (a->cut || a->len + need > JOIN_MAX) {
        a->cut = true;
        a->cut_lines++;
        return;
    }
    if (!first)
        a->buf[a->len++] = '\n';
    memcpy(a->buf + a->len, rec->p, rec->len);
    a->len += rec->len;
}

static int al_record(struct ty_parse_ctx *ctx, const struct ty_record *rec, struct ty_err *err)
{
    struct applog *a = ctx->priv;
    struct ty_str l = ty_str_make(rec->p, rec->len);
    struct header h;
    int rc = TY_SKIP;

    if (!a)
        return ty_err_set(err, TY_EINVAL, "app-log: record() before open()");
    if (memchr(l.p, '\0', l.len))
        return ty_err_set(err, TY_ECORRUPT, "app-log line at byte %llu holds a NUL byte",
                          (unsigned long long)rec->offset);
    if (memchr(l.p, '\n', l.len))
        return ty_err_set(err, TY_ECORRUPT, "app-log record at byte %llu is not one line",
                          (unsigned long long)rec->offset);
    if (rec->len > JOIN_MAX) {
        if (time_len(l)) { /* a header too long to keep: its trace goes with it */
            a->orphan = true;
            a->bad_offset = rec->offset;
        }
        return ty_err_set(err, TY_ECORRUPT, "app-log line at byte %llu longer than %d bytes",
                          (unsigned long long)rec->offset, JOIN_MAX);
    }
    if (parse_header(l, &h)) {
        int64_t ns;
        int prec;
        if (parse_time(h.time, &ns, &prec)) {
            a->orphan = true;
            a->bad_offset = rec->offset;
            return ty_err_set(err, TY_ECORRUPT, "app-log record at byte %llu: bad time \"%.*s\"",
                              (unsigned long long)rec->offset, (int)h.time.len, h.time.p);
        }
        if (!a->pending)
            rc = TY_HELD;   /* counted now; its event comes with the next header */
        else if ((rc = flush(ctx, a, err)) < 0)
            return rc;
        a->orphan = false;
        hold(a, rec, true);
        return rc;
    }
    if (a->orphan)
        return ty_err_set(err, TY_ECORRUPT,
                          "app-log line at byte %llu continues the bad record at byte %llu",
                          (unsigned long long)rec->offset, (unsigned long long)a->bad_offset);
    if (!a->pending)
        return ty_err_set(err, TY_ECORRUPT,
                          "app-log line at byte %llu is not a record and follows none "
                          "(log cut mid-record?)",
                          (unsigned long long)rec->offset);
    hold(a, rec, false);
    return TY_SKIP;
}

static int al_finish(struct ty_parse_ctx *ctx, struct ty_err *err)
{
    struct applog *a = ctx->priv;
    if (!a || !a->pending)
        return 0;
    int rc = flush(ctx, a, err);
    return rc < 0 ? rc : 0;
}

static int al_sniff(struct ty_str head)
{
    struct ty_str s = ty_parse_skip_ws(head);
    int lines = 0, headers = 0;
    bool first = true;
    struct header h;
    while (s.len && lines < 200) {
        const char *nl = memchr(s.p, '\n', s.len);
        if (!nl)
            break;
        struct ty_str l = ty_str_make(s.p, (size_t)(nl - s.p));
        if (l.len && l.p[l.len - 1] == '\r')
            l.len--;
        if (memchr(l.p, '\0', l.len))
            return 0;
        bool hd = parse_header(l, &h);
        if (first && !hd)
            return 0;
        first = false;
        headers += hd;
        lines += l.len > 0;
        s = ty_str_make(nl + 1, s.len - (size_t)(nl - s.p) - 1);
    }
    if (lines == 0 && s.len) { /* one unterminated line */
        return parse_header(s, &h) ? 40 : 0;
    }
    if (headers >= 2 && headers * 3 >= lines)
        return 60;
    if (headers == 1 && lines <= 3)
        return 40;
    return 0;
}

static int al_open(struct ty_parse_ctx *ctx, struct ty_err *err)
{
    struct applog *a = malloc(sizeof(*a));
    if (!a)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    memset(a, 0, offsetof(struct applog, buf));
    ctx->priv = a;
    ctx->frame.kind = TY_FRAME_LINES;
    ctx->frame.key = NULL;
    struct ty_str first = ty_parse_first_line(ctx->head, 4096);
    struct header h;
    const char *layout = "Java application log";
    const char *zone = "local time without zone: UTC assumed";
    if (first.p && parse_header(first, &h)) {
        unsigned mon;
        if (tomcat_time_len(h.time, &mon))
            layout = "Tomcat/JULI log";
        else if (h.pid.p && h.thread.p)
            layout = "Spring Boot log";
        else if (h.thread.p)
            layout = "log4j/logback log";
        else
            layout = "log4j log (Hadoop layout)";
        if (h.time.len > 19 && (h.time.p[h.time.len - 1] == 'Z' ||
                                h.time.p[h.time.len - 3] == ':' ||
                                h.time.p[h.time.len - 5] == '+' ||
                                h.time.p[h.time.len - 5] == '-'))
            zone = "time zone in the record";
    }
    snprintf(ctx->shape, sizeof(ctx->shape), "%s; %s", layout, zone);
    return 0;
}

static int al_fields(const struct ty_event *ev, ty_kv_fn kv, void *arg)
{
    struct ty_str r = ev->raw;
    const char *nl = memchr(r.p, '\n', r.len);
    struct ty_str first = ty_str_make(r.p, nl ? (size_t)(nl - r.p) : r.len);
    struct header h;
    int rc = 0;
    if (!r.p || !parse_header(first, &h))
        return 0;
    if (!rc)
        rc = kv(arg, TY_STR_LIT("time"), h.time);
    if (!rc)
        rc = kv(arg, TY_STR_LIT("level"), h.level);
    if (!rc && h.pid.len)
        rc = kv(arg, TY_STR_LIT("pid"), h.pid);
    if (!rc && h.app.len)
        rc = kv(arg, TY_STR_LIT("application"), h.app);
    if (!rc && h.thread.len)
        rc = kv(arg, TY_STR_LIT("thread"), h.thread);
    if (!rc)
        rc = kv(arg, TY_STR_LIT("logger"), h.logger);
    if (!rc)
        rc = kv(arg, TY_STR_LIT("message"), h.msg);
    if (!rc && ty_event_has(ev, TY_F_STATUS_CODE))
        rc = kv(arg, TY_STR_LIT("exception"), ty_event_str(ev, TY_F_STATUS_CODE));
    if (!rc && nl)
        rc = kv(arg, TY_STR_LIT("stacktrace"), ty_str_make(nl + 1, r.len - first.len - 1));
    return rc;
}

const struct ty_parser ty_parser_app_log = {
    .abi = TY_PARSER_ABI,
    .name = "app-log",
    .desc = "Java application logs (Spring Boot, log4j/logback, Hadoop daemons): one event per "
            "record with its stack trace",
    .sniffs = "first line \"YYYY-MM-DD hh:mm:ss[.,]ms\" + level + logger + \" : \"/\" - \"/\":\", "
              "and a third of the lines such headers (60)",
    .flags = TY_PARSER_F_TEXT,
    .sniff = al_sniff,
    .open = al_open,
    .record = al_record,
    .close = ty_parse_free_priv,
    .finish = al_finish,
    .logsource = {"jvm", NULL, "application"},
    .fields = al_fields,
};
