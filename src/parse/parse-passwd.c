/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse-passwd.c - a collected host's account database: /etc/passwd and
 * /etc/group. One event per account or group, so that numeric ids in that
 * host's other evidence (auditd uid/auid, file owners) can be named from the
 * host's own file and never from the analysis machine's.
 *
 * Record format (passwd(5), group(5)): passwd "name:password:uid:gid:gecos:
 * home:shell" (exactly 7 fields), group "name:password:gid:member,member"
 * (exactly 4). "+"/"-" NIS compat lines are not accounts (TY_SKIP); '#'
 * comments and blank lines likewise. A line with another field count, a
 * non-numeric or out-of-range id, or a bad name is TY_ECORRUPT.
 * Events: category "iam"; passwd: action "local-account", actor = name,
 * actor_id = uid, actor_groups = primary gid, message "home H shell S"
 * (+ gecos, and notes for uid 0 other than root, an empty password field, a
 * login shell); group: action "local-group", target_name = group, target =
 * gid, actor_groups = the members. ts = the file's mtime (no times inside).
 * Host: the file names no host; events carry none, and file_path (the
 * evidence path) ties them to their collected tree. A consumer resolves a
 * uid of an event from the same tree: see docs/internals/HOST-PARSERS.md.
 * Sniffing is strict: every complete non-comment line of the head must parse
 * (80 when there are 3 lines or the first is root's/group root, else 40).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/parser.h>

#define MAX_FIELDS 8

struct acct {
    struct ty_event ev;
    bool group;
};

/* Split l at ':'; returns the field count (at most MAX_FIELDS + 1). */
static int split(struct ty_str l, struct ty_str *f)
{
    int n = 0;
    size_t b = 0;
    for (size_t i = 0; i <= l.len && n <= MAX_FIELDS; i++)
        if (i == l.len || l.p[i] == ':') {
            if (n < MAX_FIELDS)
                f[n] = ty_str_make(l.p + b, i - b);
            n++;
            b = i + 1;
        }
    return n;
}

/* useradd's default NAME_REGEX, relaxed as distributions do (upper case,
 * '.', a trailing '$' for Samba machine accounts), at most 32 bytes. */
static bool good_name(struct ty_str s)
{
    if (!s.len || s.len > 32 || s.p[0] == '-')
        return false;
    for (size_t i = 0; i < s.len; i++) {
        char c = s.p[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '_' || c == '-' || c == '.' || (c == '$' && i + 1 == s.len);
        if (!ok)
            return false;
    }
    return true;
}

static bool good_id(struct ty_str s, int64_t *out)
{
    if (!s.len || s.len > 10)
        return false;
    for (size_t i = 0; i < s.len; i++)
        if (s.p[i] < '0' || s.p[i] > '9')
            return false;
    return ty_str_to_i64(s, out) == 0 && *out <= 4294967295LL;
}

static bool good_text(struct ty_str s)
{
    for (size_t i = 0; i < s.len; i++)
        if ((unsigned char)s.p[i] < 0x20)
            return false;
    return true;
}

enum line_kind { L_BAD, L_SKIP, L_OK };

static enum line_kind check_line(struct ty_str l, bool group, struct ty_str *f, const char **why)
{
    if (!ty_str_trim(l).len || l.p[0] == '#')
        return L_SKIP;
    if (l.p[0] == '+' || l.p[0] == '-') {
        *why = NULL;
        return L_SKIP; /* NIS compat */
    }
    int n = split(l, f);
    int64_t id;
    if (n != (group ? 4 : 7)) {
        *why = group ? "not 4 ':'-separated fields" : "not 7 ':'-separated fields";
        return L_BAD;
    }
    if (!good_name(f[0])) {
        *why = "bad account name";
        return L_BAD;
    }
    if (!good_id(f[2], &id) || (!group && !good_id(f[3], &id))) {
        *why = "id not a number in 0..4294967295";
        return L_BAD;
    }
    if (!good_text(l)) {
        *why = "control characters";
        return L_BAD;
    }
    if (!group && f[5].len && f[5].p[0] != '/') {
        *why = "home directory not an absolute path";
        return L_BAD;
    }
    if (!group && f[6].len && f[6].p[0] != '/') {
        *why = "shell not an absolute path";
        return L_BAD;
    }
    return L_OK;
}

static bool login_shell(struct ty_str sh)
{
    return sh.len && !ty_str_ends(sh, "/nologin") && !ty_str_ends(sh, "/false") &&
           !ty_str_ends(sh, "/sync") && !ty_str_ends(sh, "/shutdown") && !ty_str_ends(sh, "/halt");
}

static int acct_record(struct ty_parse_ctx *ctx, const struct ty_record *rec, struct ty_err *err)
{
    struct acct *a = ctx->priv;
    struct ty_str f[MAX_FIELDS];
    const char *why = "";
    if (!a)
        return ty_err_set(err, TY_EINVAL, "passwd: record() before open()");
    struct ty_str l = ty_str_make(rec->p, rec->len);
    enum line_kind k = check_line(l, a->group, f, &why);
    if (k == L_SKIP)
        return TY_SKIP;
    if (k == L_BAD)
        return ty_err_set(err, TY_ECORRUPT, "%s line at byte %llu: %s",
                          a->group ? "group" : "passwd", (unsigned long long)rec->offset, why);
    struct ty_event *ev = &a->ev;
    ty_event_clear(ev);
    ty_event_set_str(ev, TY_F_CATEGORY, TY_STR_LIT("iam"));
    if (ctx->evidence)
        ty_event_set_str(ev, TY_F_FILE_PATH, ty_str_cstr(ctx->evidence));
    if (ctx->file_mtime) {
        ty_event_set_int(ev, TY_F_TS, ctx->file_mtime);
    } else {
        ty_event_set_int(ev, TY_F_TS, 0);
        ty_event_set_int(ev, TY_F_TS_PREC, 0);
    }
    const char *tnote = ctx->file_mtime ? "time: the file's last change"
                                        : "time unknown (the file's mtime was not collected)";
    struct ty_str m;
    if (a->group) {
        ty_event_set_str(ev, TY_F_ACTION, TY_STR_LIT("local-group"));
        ty_event_set_str(ev, TY_F_TARGET_KIND, TY_STR_LIT("group"));
        ty_event_set_str(ev, TY_F_TARGET_NAME, f[0]);
        ty_event_set_str(ev, TY_F_TARGET, f[2]);
        ty_event_set_str(ev, TY_F_ACTOR_GROUPS, f[3]);
        m = ty_arena_printf(ctx->arena, "group %.*s gid %.*s members %.*s; %s", (int)f[0].len,
                            f[0].p, (int)f[2].len, f[2].p, (int)(f[3].len ? f[3].len : 6),
                            f[3].len ? f[3].p : "(none)", tnote);
    } else {
        ty_event_set_str(ev, TY_F_ACTION, TY_STR_LIT("local-account"));
        ty_event_set_str(ev, TY_F_ACTOR, f[0]);
        ty_event_set_str(ev, TY_F_ACTOR_ID, f[2]);
        ty_event_set_str(ev, TY_F_ACTOR_GROUPS, f[3]);
        ty_event_set_str(ev, TY_F_ACTOR_TYPE, TY_STR_LIT("local"));
        bool uid0 = ty_str_eq_cstr(f[2], "0") && !ty_str_eq_cstr(f[0], "root");
        m = ty_arena_printf(ctx->arena, "home %.*s shell %.*s%s%.*s%s%s%s; %s", (int)f[5].len,
                            f[5].p, (int)(f[6].len ? f[6].len : 9),
                            f[6].len ? f[6].p : "(default)", f[4].len ? "; gecos " : "",
                            (int)f[4].len, f[4].p ? f[4].p : "",
                            uid0 ? "; uid 0 but not root" : "",
                            !f[1].len ? "; empty password field: no password" : "",
                            login_shell(f[6]) ? "; login shell" : "", tnote);
    }
    if (!m.p)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    ty_event_set_str(ev, TY_F_MESSAGE, m);
    int rc = ty_parse_emit(ctx, ev);
    return rc < 0 ? rc : TY_OK;
}

static int sniff_kind(struct ty_str head, bool group)
{
    struct ty_str s = ty_parse_skip_ws(head), f[MAX_FIELDS];
    int ok = 0;
    bool root = false;
    const char *why;
    while (s.len) {
        const char *nl = memchr(s.p, '\n', s.len);
        if (!nl)
            break;
        struct ty_str l = ty_str_make(s.p, (size_t)(nl - s.p));
        if (l.len && l.p[l.len - 1] == '\r')
            l.len--;
        enum line_kind k = check_line(l, group, f, &why);
        if (k == L_BAD)
            return 0;
        if (k == L_OK) {
            if (!ok && ty_str_eq_cstr(f[0], "root") && ty_str_eq_cstr(f[2], "0"))
                root = true;
            ok++;
        }
        s = ty_str_make(nl + 1, s.len - (size_t)(nl - s.p) - 1);
    }
    if (!ok)
        return 0;
    return (root || ok >= 3) ? 80 : 40;
}

static int passwd_sniff(struct ty_str head)
{
    return sniff_kind(head, false);
}

static int group_sniff(struct ty_str head)
{
    return sniff_kind(head, true);
}

static int open_kind(struct ty_parse_ctx *ctx, bool group, struct ty_err *err)
{
    struct acct *a = calloc(1, sizeof(*a));
    if (!a)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    a->group = group;
    ctx->priv = a;
    ctx->frame.kind = TY_FRAME_LINES;
    ctx->frame.key = NULL;
    snprintf(ctx->shape, sizeof(ctx->shape), "%s; %s", group ? "group(5)" : "passwd(5)",
             ctx->file_mtime ? "time from file mtime" : "no time (mtime unknown)");
    return 0;
}

static int passwd_open(struct ty_parse_ctx *ctx, struct ty_err *err)
{
    return open_kind(ctx, false, err);
}

static int group_open(struct ty_parse_ctx *ctx, struct ty_err *err)
{
    return open_kind(ctx, true, err);
}

static int acct_fields(const struct ty_event *ev, ty_kv_fn kv, void *arg)
{
    static const char *const pw[] = {"name", "password", "uid", "gid", "gecos", "home", "shell"};
    static const char *const gr[] = {"name", "password", "gid", "members"};
    struct ty_str f[MAX_FIELDS];
    bool group = ty_str_eq_cstr(ty_event_str(ev, TY_F_ACTION), "local-group");
    int n = split(ev->raw, f), rc = 0;
    if (n != (group ? 4 : 7))
        return 0;
    for (int i = 0; !rc && i < n; i++)
        rc = kv(arg, ty_str_cstr(group ? gr[i] : pw[i]), f[i]);
    return rc;
}

const struct ty_parser ty_parser_passwd = {
    .abi = TY_PARSER_ABI,
    .name = "passwd",
    .desc = "a collected host's /etc/passwd: one event per account (name, uid, gid, home, "
            "shell)",
    .sniffs = "every line 7 ':' fields with numeric uid/gid and absolute home/shell (80 with "
              "root first or 3 lines, else 40)",
    .flags = TY_PARSER_F_TEXT,
    .sniff = passwd_sniff,
    .open = passwd_open,
    .record = acct_record,
    .close = ty_parse_free_priv,
    .logsource = {"linux", "passwd", NULL},
    .fields = acct_fields,
};

const struct ty_parser ty_parser_group = {
    .abi = TY_PARSER_ABI,
    .name = "group",
    .desc = "a collected host's /etc/group: one event per group (name, gid, members)",
    .sniffs = "every line 4 ':' fields with a numeric gid (80 with root first or 3 lines, "
              "else 40)",
    .flags = TY_PARSER_F_TEXT,
    .sniff = group_sniff,
    .open = group_open,
    .record = acct_record,
    .close = ty_parse_free_priv,
    .logsource = {"linux", "group", NULL},
    .fields = acct_fields,
};
