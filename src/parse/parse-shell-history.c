/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse-shell-history.c - bash and zsh history files: one event per command
 * line, in file order.
 *
 * Record format (formats.md §10.3): one command per line; bash with
 * HISTTIMEFORMAT writes a line "#<epoch>" (UTC seconds, when the command was
 * entered) before each command, and a multi-line command (cmdhist/lithist)
 * continues on the following lines under the same timestamp; zsh
 * EXTENDED_HISTORY writes ": <epoch>:<duration>;<command>", a command
 * continuing on the next line when the line ends in '\'. A '#' line that is
 * not all digits is a command (a comment typed at the prompt).
 * Times: a command under a timestamp gets it (ts_prec 0). A command with no
 * timestamp is "untimed": its ts is the history file's mtime when the
 * driver knows it (ctx->file_mtime: the last write, so an upper bound on when
 * it was typed, said in the message) and 0 otherwise; order is kept by the
 * records' offsets. The actor is the home directory's owner when the
 * evidence path shows one (/home/USER/..., /root/...).
 * Honesty: a line in a history file is a command typed at a shell prompt,
 * not proof that a process ran (it may have failed, been a builtin, or been
 * edited into the file), so the events are category "process", action
 * "shell-command", and taxonomy() gives no Sigma category: process_creation
 * rules do not fire on them (tyto's own rules can, by logsource).
 * Sniffing is conservative: "#<10 digits>" lines followed by commands (70) or
 * zsh's ": <epoch>:<n>;" (85); plain history has no signature and is only
 * read with --format shell-history.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/parser.h>
#include <tyto/time.h>

struct hist {
    struct ty_event ev;
    int64_t ts;        /* pending timestamp, when has_ts */
    bool has_ts;
    bool zsh;
    bool zsh_cont;     /* the previous zsh line ended in '\' */
    bool after_cmd;    /* a command was seen since the last timestamp */
    char ts_text[24];
    char actor[64];
};

static bool is_digits(const char *p, size_t n)
{
    if (!n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (p[i] < '0' || p[i] > '9')
            return false;
    return true;
}

/* "#1710252305": a bash timestamp line (9 to 11 digits). */
static bool bash_ts(struct ty_str l, int64_t *t)
{
    if (l.len < 10 || l.len > 12 || l.p[0] != '#' || !is_digits(l.p + 1, l.len - 1))
        return false;
    int64_t v = 0;
    for (size_t i = 1; i < l.len; i++)
        v = v * 10 + (l.p[i] - '0');
    *t = v;
    return true;
}

/* ": 1700000000:0;cmd" -> epoch and the command. */
static bool zsh_line(struct ty_str l, int64_t *t, struct ty_str *cmd)
{
    size_t i = 2, d0;
    int64_t v = 0;
    if (l.len < 6 || l.p[0] != ':' || l.p[1] != ' ')
        return false;
    d0 = i;
    while (i < l.len && l.p[i] >= '0' && l.p[i] <= '9' && i - d0 < 12)
        v = v * 10 + (l.p[i++] - '0');
    if (i - d0 < 9 || i >= l.len || l.p[i] != ':')
        return false;
    i++;
    size_t e0 = i;
    while (i < l.len && l.p[i] >= '0' && l.p[i] <= '9')
        i++;
    if (i == e0 || i >= l.len || l.p[i] != ';')
        return false;
    *t = v;
    *cmd = ty_str_make(l.p + i + 1, l.len - i - 1);
    return true;
}


static void put_str(struct ty_event *ev, enum ty_field f, struct ty_str s)
{
    if (s.len) {
        ev->v[f].s = s;
        ty_event_mark(ev, f);
    }
}

static void put_int(struct ty_event *ev, enum ty_field f, int64_t i)
{
    ev->v[f].i = i;
    ty_event_mark(ev, f);
}

static int hist_record(struct ty_parse_ctx *ctx, const struct ty_record *rec, struct ty_err *err)
{
    struct hist *h = ctx->priv;
    struct ty_str l = ty_str_make(rec->p, rec->len), cmd = l;
    int64_t t;
    bool cont = false;

    if (!h)
        return ty_err_set(err, TY_EINVAL, "shell-history: record() before open()");
    if (bash_ts(l, &t)) {
        h->ts = t;
        h->has_ts = true;
        h->after_cmd = false;
        snprintf(h->ts_text, sizeof(h->ts_text), "%.*s", (int)(l.len - 1), l.p + 1);
        return TY_SKIP;
    }
    if (h->zsh_cont) {
        cont = true;
    } else if (zsh_line(l, &t, &cmd)) {
        h->zsh = true;
        h->ts = t;
        h->has_ts = true;
        h->after_cmd = false;
        size_t n = 2;
        while (n < l.len && l.p[n] != ':')
            n++;
        snprintf(h->ts_text, sizeof(h->ts_text), "%.*s", (int)(n - 2), l.p + 2);
    } else if (h->has_ts && h->after_cmd && !h->zsh) {
        cont = true; /* bash: a further line under the same timestamp */
    }
    h->zsh_cont = h->zsh && l.len && l.p[l.len - 1] == '\\';
    if (!ty_str_trim(cmd).len)
        return TY_SKIP; /* blank, or an empty command */
    for (size_t i = 0; i < cmd.len; i++)
        if (cmd.p[i] == '\0')
            return ty_err_set(err, TY_ECORRUPT,
                              "history line at byte %llu holds a NUL byte: not text",
                              (unsigned long long)rec->offset);

    struct ty_event *ev = &h->ev;
    ty_event_clear(ev);
    put_str(ev, TY_F_CATEGORY, TY_STR_LIT("process"));
    put_str(ev, TY_F_ACTION, TY_STR_LIT("shell-command"));
    put_str(ev, TY_F_PROVIDER, h->zsh ? TY_STR_LIT("zsh") : TY_STR_LIT("bash"));
    put_str(ev, TY_F_PROC_CMDLINE, cmd);
    if (h->actor[0]) {
        put_str(ev, TY_F_ACTOR, ty_str_cstr(h->actor));
        put_str(ev, TY_F_PROC_USER, ty_str_cstr(h->actor));
    }
    const char *note = NULL;
    if (h->has_ts) {
        if (h->ts > INT64_MAX / TY_NS_PER_SEC)
            return ty_err_set(err, TY_ECORRUPT, "history timestamp at byte %llu out of range",
                              (unsigned long long)rec->offset);
        put_int(ev, TY_F_TS, h->ts * TY_NS_PER_SEC);
        put_int(ev, TY_F_TS_PREC, 0);
        put_str(ev, TY_F_TIME_TEXT, ty_str_cstr(h->ts_text));
        if (cont)
            note = "continuation line of a multi-line command";
    } else if (ctx->file_mtime) {
        put_int(ev, TY_F_TS, ctx->file_mtime);
        note = "untimed: the time is the history file's last write, an upper bound";
    } else {
        put_int(ev, TY_F_TS, 0);
        put_int(ev, TY_F_TS_PREC, 0);
        note = "untimed: no timestamp in the history and the file's time is unknown";
    }
    if (note)
        put_str(ev, TY_F_MESSAGE, ty_str_cstr(note));
    h->after_cmd = true;
    int rc = ty_parse_emit(ctx, ev);
    return rc < 0 ? rc : TY_OK;
}

static int hist_sniff(struct ty_str head)
{
    int lines = 0, ts = 0, zsh = 0, after_ts = 0, binary = 0, long_lines = 0;
    bool prev_ts = false;
    struct ty_str s = head;
    while (s.len && lines < 200) {
        const char *nl = memchr(s.p, '\n', s.len);
        if (!nl)
            break;
        struct ty_str l = ty_str_make(s.p, (size_t)(nl - s.p));
        int64_t t;
        struct ty_str c;
        for (size_t i = 0; i < l.len; i++)
            if ((unsigned char)l.p[i] < 0x09)
                binary++;
        if (l.len > 2000)
            long_lines++;
        if (bash_ts(l, &t)) {
            ts++;
            prev_ts = true;
        } else {
            if (zsh_line(l, &t, &c))
                zsh++;
            else if (prev_ts && l.len && l.p[0] != '{' && l.p[0] != '<')
                after_ts++;
            prev_ts = false;
        }
        lines++;
        s.p = nl + 1;
        s.len -= l.len + 1;
    }
    if (binary || long_lines || !lines)
        return 0;
    if (zsh >= 2 && zsh * 2 >= lines)
        return 85;
    if (ts >= 2 && after_ts >= ts - 1 && (ts + after_ts) * 10 >= lines * 7)
        return 70;
    return 0;
}

static int hist_open(struct ty_parse_ctx *ctx, struct ty_err *err)
{
    struct hist *h = calloc(1, sizeof(*h));
    if (!h)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    ctx->priv = h;
    ctx->frame.kind = TY_FRAME_LINES;
    ctx->frame.key = NULL;
    ty_parse_home_user(ctx->evidence, h->actor, sizeof(h->actor));
    int64_t t;
    struct ty_str c, first = ctx->head;
    const char *nl = memchr(first.p, '\n', first.len);
    if (nl)
        first.len = (size_t)(nl - first.p);
    snprintf(ctx->shape, sizeof(ctx->shape), "%s",
             zsh_line(first, &t, &c) ? "zsh extended history"
             : bash_ts(first, &t)    ? "bash history with #epoch lines"
                                     : "shell history without times");
    return 0;
}

static int hist_taxonomy(const struct ty_event *ev)
{
    (void)ev;
    return TY_SCAT_NONE; /* a typed command is not a proven execution */
}

static int hist_fields(const struct ty_event *ev, ty_kv_fn kv, void *arg)
{
    struct ty_str cmd = ty_event_str(ev, TY_F_PROC_CMDLINE);
    int rc = 0;
    if (cmd.len)
        rc = kv(arg, TY_STR_LIT("command"), cmd);
    if (!rc && ty_event_has(ev, TY_F_TIME_TEXT))
        rc = kv(arg, TY_STR_LIT("timestamp"), ty_event_str(ev, TY_F_TIME_TEXT));
    return rc;
}

const struct ty_parser ty_parser_shell_history = {
    .abi = TY_PARSER_ABI,
    .name = "shell-history",
    .desc = "bash and zsh history (#epoch lines, zsh extended history, or untimed): one "
            "event per typed command",
    .sniffs = "zsh \": <epoch>:<n>;cmd\" lines (85); bash \"#<epoch>\" lines each followed by a "
              "command (70); plain history only with --format shell-history",
    .flags = TY_PARSER_F_TEXT,
    .sniff = hist_sniff,
    .open = hist_open,
    .record = hist_record,
    .close = ty_parse_free_priv,
    .logsource = {"linux", "shell", NULL},
    .taxonomy = hist_taxonomy,
    .fields = hist_fields,
};
