/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse-persist.c - persistence files from a collected Linux tree: crontabs,
 * systemd units, authorized_keys, ld.so.preload, rc.local and shell startup
 * scripts. One event per persistence artifact (a cron entry, an Exec line,
 * a key, a preloaded library, a startup command): category "persistence",
 * the command in process_cmdline, file_path the evidence file, ts the file's
 * mtime (ctx->file_mtime; these files hold no times, so it is the last
 * change of the file, not of the entry: 0 with a note when unknown).
 *
 * Formats (formats.md §10.4 and the man pages crontab(5), systemd.service(5),
 * systemd.timer(5), sshd(8) AUTHORIZED_KEYS, ld.so(8)):
 *  - crontab: "m h dom mon dow command" (user crontabs: /var/spool/cron/
 *    crontabs/USER, /var/spool/cron/USER), with a user column after the five
 *    fields in /etc/crontab and /etc/cron.d/ (from the path, or a "root"
 *    sixth field), "@reboot"-style specials, NAME=value lines (skipped),
 *    '%' in the command (stdin for the job: kept as written). Action
 *    "cron-entry"; actor the user column or the spool file's owner.
 *  - systemd units: [Section] headers and Key=Value lines; ExecStart,
 *    ExecStartPre/Post, ExecStop, ExecReload, ExecCondition (prefixes
 *    -@+!: stripped) give "systemd-service" events, [Timer] On* lines
 *    "systemd-timer"; '\' continuation lines are joined (bounded). target =
 *    the unit file's name.
 *  - authorized_keys: "[options] type base64 [comment]"; the key's SHA256
 *    fingerprint (as sshd logs it, "SHA256:...") is the target, a
 *    command="..." option the process_cmdline; action "ssh-authorized-key".
 *  - ld.so.preload: library paths (space, tab or ':' separated): action
 *    "ld-preload", target the library.
 *  - rc.local and shell startup files (recognised by their shebang and
 *    rc.local comment, or by Debian's "# ~/.bashrc:"-style first comment):
 *    each line that runs something (not comments, blank lines or bare
 *    keywords): action "rc-local" or "shell-startup".
 * Sniffing is strict: every complete non-comment line of the head must
 * parse as the format, so random text is never taken for a crontab.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include <tyto/parser.h>
#include <tyto/time.h>

enum kind { K_CRON, K_UNIT, K_KEYS, K_PRELOAD, K_RC };

#define JOIN_MAX 8192

struct persist {
    struct ty_event ev;
    enum kind kind;
    bool system_cron;  /* crontab with a user column */
    bool rc_local;
    char actor[64];
    char unit[128];
    char section[32];
    char join[JOIN_MAX]; /* a systemd line continued with '\' */
    size_t join_len;
    bool joining;
    bool join_over;
};

/* ---- small helpers -------------------------------------------------------- */

static struct ty_str next_tok(struct ty_str *s)
{
    size_t i = 0;
    while (i < s->len && (s->p[i] == ' ' || s->p[i] == '\t'))
        i++;
    size_t b = i;
    while (i < s->len && s->p[i] != ' ' && s->p[i] != '\t')
        i++;
    struct ty_str t = ty_str_make(s->p + b, i - b);
    s->p += i;
    s->len -= i;
    return t;
}

static struct ty_str ltrim(struct ty_str s)
{
    while (s.len && (s.p[0] == ' ' || s.p[0] == '\t')) {
        s.p++;
        s.len--;
    }
    return s;
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

static const char *base_name(const char *p)
{
    const char *s = p ? strrchr(p, '/') : NULL;
    return s ? s + 1 : p ? p : "";
}

static bool path_has(const char *p, const char *part)
{
    return p && strstr(p, part) != NULL;
}


/* Fill the fields every persistence event has; emit. */
static int emit(struct ty_parse_ctx *ctx, struct persist *p, const char *action, struct ty_str cmd,
                struct ty_str target, struct ty_str actor, const char *msg, struct ty_err *err)
{
    struct ty_event *ev = &p->ev;
    put_str(ev, TY_F_CATEGORY, TY_STR_LIT("persistence"));
    put_str(ev, TY_F_ACTION, ty_str_cstr(action));
    put_str(ev, TY_F_PROC_CMDLINE, cmd);
    put_str(ev, TY_F_TARGET, target);
    put_str(ev, TY_F_ACTOR, actor);
    if (ctx->evidence)
        put_str(ev, TY_F_FILE_PATH, ty_str_cstr(ctx->evidence));
    if (ctx->file_mtime) {
        put_int(ev, TY_F_TS, ctx->file_mtime);
    } else {
        put_int(ev, TY_F_TS, 0);
        put_int(ev, TY_F_TS_PREC, 0);
    }
    const char *tnote = ctx->file_mtime ? "time: the file's last change"
                                        : "time unknown (the file's mtime was not collected)";
    struct ty_str m = ty_arena_printf(ctx->arena, "%s%s%s", msg ? msg : "", msg ? "; " : "",
                                      tnote);
    if (!m.p)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    put_str(ev, TY_F_MESSAGE, m);
    int rc = ty_parse_emit(ctx, ev);
    return rc < 0 ? rc : TY_OK;
}

/* ---- crontab -------------------------------------------------------------- */

static bool cron_field(struct ty_str t)
{
    static const char *const names[] = {"jan", "feb", "mar", "apr", "may", "jun", "jul",
                                        "aug", "sep", "oct", "nov", "dec", "sun", "mon",
                                        "tue", "wed", "thu", "fri", "sat"};
    if (!t.len || t.len > 64)
        return false;
    for (size_t i = 0; i < t.len;) {
        char c = t.p[i];
        if ((c >= '0' && c <= '9') || c == '*' || c == ',' || c == '/' || c == '-') {
            i++;
            continue;
        }
        bool ok = false;
        for (size_t k = 0; k < sizeof(names) / sizeof(names[0]) && !ok; k++)
            if (i + 3 <= t.len && (t.p[i] | 0x20) == names[k][0] &&
                (t.p[i + 1] | 0x20) == names[k][1] && (t.p[i + 2] | 0x20) == names[k][2])
                ok = true;
        if (!ok)
            return false;
        i += 3;
    }
    return true;
}

static bool cron_special(struct ty_str t)
{
    static const char *const sp[] = {"@reboot",  "@yearly", "@annually", "@monthly",
                                     "@weekly",  "@daily",  "@midnight", "@hourly"};
    for (size_t i = 0; i < sizeof(sp) / sizeof(sp[0]); i++)
        if (ty_str_eq_cstr(t, sp[i]))
            return true;
    return false;
}

static bool env_line(struct ty_str l)
{
    l = ltrim(l);
    size_t i = 0;
    if (!l.len || !((l.p[0] >= 'A' && l.p[0] <= 'Z') || (l.p[0] >= 'a' && l.p[0] <= 'z') ||
                    l.p[0] == '_'))
        return false;
    while (i < l.len && ((l.p[i] >= 'A' && l.p[i] <= 'Z') || (l.p[i] >= 'a' && l.p[i] <= 'z') ||
                         (l.p[i] >= '0' && l.p[i] <= '9') || l.p[i] == '_'))
        i++;
    while (i < l.len && (l.p[i] == ' ' || l.p[i] == '\t'))
        i++;
    return i < l.len && l.p[i] == '=';
}

struct cron_entry {
    struct ty_str sched, user, cmd;
};

/* 0 an entry, -1 not one. user_col: -1 unknown (guess "root"), 0 no, 1 yes. */
static int cron_parse(struct ty_str l, int user_col, struct cron_entry *e)
{
    struct ty_str rest = l, t = next_tok(&rest);
    const char *s0 = t.p;
    if (cron_special(t)) {
        e->sched = t;
    } else {
        if (!cron_field(t))
            return -1;
        for (int i = 0; i < 4; i++)
            if (!cron_field(next_tok(&rest)))
                return -1;
        e->sched = ty_str_make(s0, (size_t)(rest.p - s0));
    }
    e->user = TY_STR_NULL;
    struct ty_str save = rest, u = next_tok(&rest);
    if (user_col == 1 || (user_col == -1 && ty_str_eq_cstr(u, "root"))) {
        e->user = u;
    } else {
        rest = save;
    }
    e->cmd = ty_str_trim(rest);
    return e->cmd.len ? 0 : -1;
}

static int cron_record(struct ty_parse_ctx *ctx, struct persist *p, struct ty_str l,
                       struct ty_err *err)
{
    struct cron_entry e;
    if (env_line(l))
        return TY_SKIP;
    if (cron_parse(l, p->system_cron ? 1 : -1, &e) != 0)
        return ty_err_set(err, TY_ECORRUPT,
                          "crontab line at byte %llu is not \"m h dom mon dow [user] command\", "
                          "an @special, NAME=value or a comment",
                          (unsigned long long)ctx->rec->offset);
    struct ty_str actor = e.user.len ? e.user : ty_str_cstr(p->actor);
    struct ty_str msg = ty_arena_printf(ctx->arena, "schedule %.*s", (int)e.sched.len, e.sched.p);
    if (!msg.p)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    ty_event_clear(&p->ev);
    put_str(&p->ev, TY_F_PROC_USER, actor);
    return emit(ctx, p, "cron-entry", e.cmd, TY_STR_NULL, actor, msg.p, err);
}

/* ---- systemd units --------------------------------------------------------- */

static bool section_line(struct ty_str l)
{
    return l.len >= 3 && l.p[0] == '[' && l.p[l.len - 1] == ']';
}

static bool key_line(struct ty_str l, struct ty_str *key, struct ty_str *val)
{
    ptrdiff_t eq = ty_str_chr(l, '=');
    if (eq <= 0)
        return false;
    struct ty_str k = ty_str_trim(ty_str_make(l.p, (size_t)eq));
    if (!k.len)
        return false;
    for (size_t i = 0; i < k.len; i++) {
        char c = k.p[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.'))
            return false;
    }
    *key = k;
    *val = ty_str_trim(ty_str_make(l.p + eq + 1, l.len - (size_t)eq - 1));
    return true;
}

static int unit_value(struct ty_parse_ctx *ctx, struct persist *p, struct ty_str key,
                      struct ty_str val, struct ty_err *err)
{
    const char *action = NULL;
    struct ty_str cmd = TY_STR_NULL;
    if (strcmp(p->section, "Service") == 0 && ty_str_starts(key, "Exec") &&
        !ty_str_eq_cstr(key, "ExecSearchPath")) {
        action = "systemd-service";
        while (val.len && strchr("-@+!:", val.p[0])) {
            val.p++;
            val.len--;
        }
        cmd = val;
    } else if (strcmp(p->section, "Timer") == 0 && ty_str_starts(key, "On")) {
        action = "systemd-timer";
    } else {
        return TY_SKIP;
    }
    if (!val.len)
        return TY_SKIP; /* "ExecStart=" resets the list */
    struct ty_str msg = ty_arena_printf(ctx->arena, "[%s] %.*s=%.*s", p->section, (int)key.len,
                                        key.p, (int)(val.len > 300 ? 300 : val.len), val.p);
    if (!msg.p)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    ty_event_clear(&p->ev);
    return emit(ctx, p, action, cmd, ty_str_cstr(p->unit), TY_STR_NULL, msg.p, err);
}

static int unit_record(struct ty_parse_ctx *ctx, struct persist *p, struct ty_str l,
                       struct ty_err *err)
{
    struct ty_str key, val;
    bool cont = l.len && l.p[l.len - 1] == '\\';
    if (p->joining) {
        /* a continuation: append (bounded), emit at the last line */
        struct ty_str part = ty_str_trim(cont ? ty_str_make(l.p, l.len - 1) : l);
        if (p->join_len + 1 + part.len < JOIN_MAX) {
            p->join[p->join_len++] = ' ';
            memcpy(p->join + p->join_len, part.p, part.len);
            p->join_len += part.len;
        } else {
            p->join_over = true;
        }
        if (cont)
            return TY_SKIP;
        p->joining = false;
        if (p->join_over) {
            p->join_over = false;
            return ty_err_set(err, TY_ECORRUPT,
                              "unit line continued past %d bytes (ends at byte %llu)", JOIN_MAX,
                              (unsigned long long)ctx->rec->offset);
        }
        struct ty_str whole = ty_str_make(p->join, p->join_len);
        if (!key_line(whole, &key, &val))
            return TY_SKIP;
        struct ty_str kcopy = ty_arena_str(ctx->arena, key), vcopy = ty_arena_str(ctx->arena, val);
        if ((key.len && !kcopy.p) || (val.len && !vcopy.p))
            return ty_err_set(err, TY_ENOMEM, "out of memory");
        return unit_value(ctx, p, kcopy, vcopy, err);
    }
    if (section_line(l)) {
        snprintf(p->section, sizeof(p->section), "%.*s", (int)(l.len - 2), l.p + 1);
        return TY_SKIP;
    }
    if (!key_line(l, &key, &val))
        return ty_err_set(err, TY_ECORRUPT,
                          "unit file line at byte %llu is not [Section], Key=Value or a comment",
                          (unsigned long long)ctx->rec->offset);
    if (cont) {
        struct ty_str part = ty_str_make(l.p, l.len - 1);
        size_t n = part.len < JOIN_MAX ? part.len : JOIN_MAX - 1;
        memcpy(p->join, part.p, n);
        p->join_len = n;
        p->join_over = part.len >= JOIN_MAX;
        p->joining = true;
        return TY_SKIP;
    }
    return unit_value(ctx, p, key, val, err);
}

/* ---- authorized_keys --------------------------------------------------------- */

static bool key_type(struct ty_str t)
{
    static const char *const types[] = {"ssh-rsa", "ssh-dss", "ssh-ed25519", "ssh-ed448",
                                        "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
                                        "ecdsa-sha2-nistp521", "sk-ssh-ed25519@openssh.com",
                                        "sk-ecdsa-sha2-nistp256@openssh.com"};
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        size_t n = strlen(types[i]);
        if (ty_str_eq_cstr(t, types[i]))
            return true;
        /* certificates: <type>-cert-v01@openssh.com */
        if (t.len > n && memcmp(t.p, types[i], n) == 0 &&
            ty_str_eq(ty_str_make(t.p + n, t.len - n), TY_STR_LIT("-cert-v01@openssh.com")))
            return true;
    }
    return false;
}

static int b64v(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

/* Decode base64 (padding optional); returns the length, or -1. */
static long b64_decode(struct ty_str s, unsigned char *out, size_t cap)
{
    uint32_t acc = 0;
    int bits = 0;
    size_t o = 0, i = 0;
    for (; i < s.len && s.p[i] != '='; i++) {
        int v = b64v((unsigned char)s.p[i]);
        if (v < 0)
            return -1;
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (o >= cap)
                return -1;
            out[o++] = (unsigned char)(acc >> bits);
        }
    }
    for (; i < s.len; i++)
        if (s.p[i] != '=')
            return -1;
    return (long)o;
}

/* Split a key line: options (may be empty), type, blob, comment. */
static int keys_split(struct ty_str l, struct ty_str *opts, struct ty_str *type,
                      struct ty_str *blob, struct ty_str *comment)
{
    struct ty_str rest = l, t = next_tok(&rest);
    *opts = TY_STR_NULL;
    if (!key_type(t)) {
        /* options: up to the first unquoted space */
        size_t i = 0;
        bool q = false;
        for (; i < l.len; i++) {
            if (l.p[i] == '\\' && q && i + 1 < l.len) {
                i++;
                continue;
            }
            if (l.p[i] == '"')
                q = !q;
            else if (!q && (l.p[i] == ' ' || l.p[i] == '\t'))
                break;
        }
        if (q || i == l.len)
            return -1;
        *opts = ty_str_make(l.p, i);
        rest = ty_str_make(l.p + i, l.len - i);
        t = next_tok(&rest);
        if (!key_type(t))
            return -1;
    }
    *type = t;
    *blob = next_tok(&rest);
    if (blob->len < 16)
        return -1;
    *comment = ty_str_trim(rest);
    return 0;
}

/* The value of option name="..." in opts (unescaped into the arena). */
static struct ty_str key_option(struct ty_arena *a, struct ty_str opts, const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; i + n + 2 <= opts.len; i++) {
        if ((i == 0 || opts.p[i - 1] == ',') && memcmp(opts.p + i, name, n) == 0 &&
            opts.p[i + n] == '=' && opts.p[i + n + 1] == '"') {
            char *out = ty_arena_alloc(a, opts.len + 1);
            size_t o = 0;
            if (!out)
                return TY_STR_NULL;
            for (size_t j = i + n + 2; j < opts.len && opts.p[j] != '"'; j++) {
                if (opts.p[j] == '\\' && j + 1 < opts.len && opts.p[j + 1] == '"')
                    j++;
                out[o++] = opts.p[j];
            }
            return ty_str_make(out, o);
        }
    }
    return TY_STR_NULL;
}

static int keys_record(struct ty_parse_ctx *ctx, struct persist *p, struct ty_str l,
                       struct ty_err *err)
{
    struct ty_str opts, type, blob, comment;
    unsigned char raw[16384], md[EVP_MAX_MD_SIZE];
    unsigned int md_len = 0;
    if (keys_split(l, &opts, &type, &blob, &comment) != 0)
        return ty_err_set(err, TY_ECORRUPT,
                          "authorized_keys line at byte %llu is not \"[options] type key "
                          "[comment]\"",
                          (unsigned long long)ctx->rec->offset);
    long n = b64_decode(blob, raw, sizeof(raw));
    if (n < 4)
        return ty_err_set(err, TY_ECORRUPT,
                          "authorized_keys line at byte %llu: the key is not base64",
                          (unsigned long long)ctx->rec->offset);
    if (!EVP_Digest(raw, (size_t)n, md, &md_len, EVP_sha256(), NULL))
        return ty_err_set(err, TY_ERR, "SHA-256 failed");
    /* "SHA256:" + unpadded base64, as ssh-keygen -l and sshd print it */
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char fp[80] = "SHA256:";
    size_t o = 7;
    for (unsigned i = 0; i < md_len; i += 3) {
        uint32_t v = (uint32_t)md[i] << 16;
        unsigned k = md_len - i;
        if (k > 1)
            v |= (uint32_t)md[i + 1] << 8;
        if (k > 2)
            v |= md[i + 2];
        fp[o++] = b64[(v >> 18) & 63];
        fp[o++] = b64[(v >> 12) & 63];
        if (k > 1)
            fp[o++] = b64[(v >> 6) & 63];
        if (k > 2)
            fp[o++] = b64[v & 63];
    }
    fp[o] = '\0';
    struct ty_str target = ty_arena_str(ctx->arena, ty_str_make(fp, o));
    struct ty_str cmd = key_option(ctx->arena, opts, "command");
    struct ty_str from = key_option(ctx->arena, opts, "from");
    struct ty_str msg = ty_arena_printf(ctx->arena, "%.*s key%s%.*s%s%.*s", (int)type.len, type.p,
                                        comment.len ? " comment " : "", (int)comment.len,
                                        comment.p, opts.len ? " options " : "",
                                        (int)(opts.len > 300 ? 300 : opts.len), opts.p);
    if (!target.p || !msg.p)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    ty_event_clear(&p->ev);
    put_str(&p->ev, TY_F_TARGET_KIND, TY_STR_LIT("ssh-key"));
    put_str(&p->ev, TY_F_TARGET_NAME, comment);
    put_str(&p->ev, TY_F_SRC_ADDR, from);
    return emit(ctx, p, "ssh-authorized-key", cmd, target, ty_str_cstr(p->actor), msg.p, err);
}

/* ---- ld.so.preload ------------------------------------------------------------ */

static bool lib_path(struct ty_str t)
{
    if (t.len < 4 || t.p[0] != '/')
        return false;
    for (size_t i = 0; i < t.len; i++)
        if ((unsigned char)t.p[i] <= ' ')
            return false;
    return true;
}

static bool has_so(struct ty_str w)
{
    for (size_t i = 0; i + 3 <= w.len; i++)
        if (memcmp(w.p + i, ".so", 3) == 0 && (i + 3 == w.len || w.p[i + 3] == '.'))
            return true;
    return false;
}

static int preload_record(struct ty_parse_ctx *ctx, struct persist *p, struct ty_str l,
                          struct ty_err *err)
{
    int rc = TY_SKIP;
    size_t i = 0;
    while (i < l.len) {
        while (i < l.len && (l.p[i] == ' ' || l.p[i] == '\t' || l.p[i] == ':'))
            i++;
        size_t b = i;
        while (i < l.len && l.p[i] != ' ' && l.p[i] != '\t' && l.p[i] != ':')
            i++;
        if (i == b)
            break;
        struct ty_str lib = ty_str_make(l.p + b, i - b);
        if (!lib_path(lib)) {
            if (ctx->n_emitted)
                break; /* keep what was emitted; the rest stays in the raw line */
            return ty_err_set(err, TY_ECORRUPT,
                              "ld.so.preload line at byte %llu: '%.*s' is not a library path",
                              (unsigned long long)ctx->rec->offset,
                              (int)(lib.len > 60 ? 60 : lib.len), lib.p);
        }
        ty_event_clear(&p->ev);
        put_str(&p->ev, TY_F_TARGET_KIND, TY_STR_LIT("library"));
        rc = emit(ctx, p, "ld-preload", TY_STR_NULL, lib, TY_STR_NULL,
                  "loaded into every dynamically linked process", err);
        if (rc < 0)
            return rc;
    }
    return rc;
}

/* ---- rc.local and shell startup files ------------------------------------------ */

static int rc_record(struct ty_parse_ctx *ctx, struct persist *p, struct ty_str l,
                     struct ty_err *err)
{
    static const char *const kw[] = {"fi", "then", "else", "done", "do", "esac", ";;", "{", "}",
                                     "exit 0", "exit", "return", "return 0", "elif"};
    l = ty_str_trim(l);
    for (size_t i = 0; i < sizeof(kw) / sizeof(kw[0]); i++)
        if (ty_str_eq_cstr(l, kw[i]))
            return TY_SKIP;
    for (size_t i = 0; i < l.len; i++)
        if (l.p[i] == '\0')
            return ty_err_set(err, TY_ECORRUPT, "script line at byte %llu holds a NUL byte",
                              (unsigned long long)ctx->rec->offset);
    ty_event_clear(&p->ev);
    return emit(ctx, p, p->rc_local ? "rc-local" : "shell-startup", l, TY_STR_NULL,
                ty_str_cstr(p->actor),
                p->rc_local ? "run as root at boot" : "run by shells at login or start", err);
}

/* ---- record, sniff, open ----------------------------------------------------- */

static int persist_record(struct ty_parse_ctx *ctx, const struct ty_record *rec,
                          struct ty_err *err)
{
    struct persist *p = ctx->priv;
    struct ty_str l = ty_str_make(rec->p, rec->len);
    if (!p)
        return ty_err_set(err, TY_EINVAL, "persist: record() before open()");
    struct ty_str t = ty_str_trim(l);
    if (!p->joining && (!t.len || t.p[0] == '#' || (p->kind == K_UNIT && t.p[0] == ';')))
        return TY_SKIP;
    switch (p->kind) {
    case K_CRON:
        return cron_record(ctx, p, t, err);
    case K_UNIT:
        return unit_record(ctx, p, p->joining ? l : t, err);
    case K_KEYS:
        return keys_record(ctx, p, t, err);
    case K_PRELOAD:
        return preload_record(ctx, p, t, err);
    default:
        return rc_record(ctx, p, l, err);
    }
}

/* Walk the complete lines of head (at most 64): counts of lines that are
 * entries of the format (good), comments/blank (neutral) and others (bad). */
struct tally {
    int good, bad, lines;
    bool header; /* a strong first-line signature */
};

static struct tally tally_lines(struct ty_str head, enum kind k)
{
    struct tally t = {0, 0, 0, false};
    struct ty_str s = ty_parse_skip_ws(head);
    bool in_cont = false;
    while (s.len && t.lines < 64) {
        const char *nl = memchr(s.p, '\n', s.len);
        if (!nl)
            break;
        struct ty_str l = ty_str_make(s.p, (size_t)(nl - s.p));
        s.p = nl + 1;
        s.len -= l.len + 1;
        if (l.len && l.p[l.len - 1] == '\r')
            l.len--;
        for (size_t i = 0; i < l.len; i++)
            if ((unsigned char)l.p[i] < 0x09)
                t.bad++;
        t.lines++;
        struct ty_str tr = ty_str_trim(l);
        if (in_cont) {
            in_cont = tr.len && tr.p[tr.len - 1] == '\\';
            continue;
        }
        if (!tr.len || tr.p[0] == '#' || (k == K_UNIT && tr.p[0] == ';'))
            continue;
        struct ty_str a, b, c, d;
        struct cron_entry e;
        bool ok = false;
        switch (k) {
        case K_CRON:
            if (env_line(tr))
                continue;
            ok = cron_parse(tr, -1, &e) == 0;
            if (ok)
                t.good++;
            break;
        case K_UNIT:
            ok = section_line(tr) || key_line(tr, &a, &b);
            if (section_line(tr) && t.good + t.bad == 0 && ty_str_starts(tr, "[") &&
                (ty_str_eq_cstr(tr, "[Unit]") || ty_str_eq_cstr(tr, "[Service]") ||
                 ty_str_eq_cstr(tr, "[Timer]") || ty_str_eq_cstr(tr, "[Install]") ||
                 ty_str_eq_cstr(tr, "[Socket]") || ty_str_eq_cstr(tr, "[Path]")))
                t.header = true;
            in_cont = tr.len && tr.p[tr.len - 1] == '\\';
            if (ok)
                t.good++;
            break;
        case K_KEYS:
            ok = keys_split(tr, &a, &b, &c, &d) == 0;
            if (ok)
                t.good++;
            break;
        case K_PRELOAD: {
            struct ty_str rest = tr;
            ok = true;
            for (struct ty_str w = next_tok(&rest); w.len; w = next_tok(&rest))
                ok = ok && lib_path(w) && has_so(w);
            if (ok)
                t.good++;
            break;
        }
        default:
            ok = true;
            break;
        }
        if (!ok)
            t.bad++;
    }
    return t;
}

static int cron_sniff(struct ty_str head)
{
    struct ty_str h = ty_parse_skip_ws(head);
    struct tally t = tally_lines(head, K_CRON);
    if (t.bad || !t.good)
        return 0;
    if (ty_str_starts(h, "# DO NOT EDIT THIS FILE - edit the master and reinstall."))
        return 95;
    return 75;
}

static int unit_sniff(struct ty_str head)
{
    struct tally t = tally_lines(head, K_UNIT);
    return !t.bad && t.header && t.good >= 2 ? 85 : 0;
}

static int keys_sniff(struct ty_str head)
{
    struct tally t = tally_lines(head, K_KEYS);
    return !t.bad && t.good ? 90 : 0;
}

static int preload_sniff(struct ty_str head)
{
    struct tally t = tally_lines(head, K_PRELOAD);
    return !t.bad && t.good && t.lines <= 16 ? 60 : 0;
}

/* rc.local: a shebang and "rc.local" in the opening comments; startup
 * files: Debian's first-line comments. */
static int rc_kind(struct ty_str head)
{
    struct ty_str h = ty_parse_skip_ws(head);
    static const char *const starts[] = {"# ~/.bashrc", "# ~/.profile", "# /etc/profile",
                                         "# ~/.bash_profile", "# /etc/bash.bashrc",
                                         "# System-wide .bashrc", "# ~/.bash_logout",
                                         "# /etc/zsh/zshrc", "# ~/.zshrc"};
    for (size_t i = 0; i < sizeof(starts) / sizeof(starts[0]); i++)
        if (ty_str_starts(h, starts[i]))
            return 2;
    if (!ty_str_starts(h, "#!/bin/sh") && !ty_str_starts(h, "#!/bin/bash") &&
        !ty_str_starts(h, "#!/usr/bin/env bash") && !ty_str_starts(h, "#!/usr/bin/bash"))
        return 0;
    size_t lim = h.len < 512 ? h.len : 512;
    for (size_t i = 0; i + 8 <= lim; i++)
        if (memcmp(h.p + i, "rc.local", 8) == 0)
            return 1;
    return 0;
}

static int rc_sniff(struct ty_str head)
{
    return rc_kind(head) ? 85 : 0;
}

static int open_kind(struct ty_parse_ctx *ctx, enum kind k, struct ty_err *err)
{
    struct persist *p = calloc(1, sizeof(*p));
    if (!p)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    ctx->priv = p;
    ctx->frame.kind = TY_FRAME_LINES;
    ctx->frame.key = NULL;
    p->kind = k;
    const char *ev = ctx->evidence;
    ty_parse_home_user(ev, p->actor, sizeof(p->actor));
    snprintf(p->unit, sizeof(p->unit), "%s", base_name(ev));
    switch (k) {
    case K_CRON:
        p->system_cron = path_has(ev, "etc/crontab") || path_has(ev, "cron.d/");
        if (!p->system_cron && (path_has(ev, "cron/crontabs/") || path_has(ev, "spool/cron/")))
            snprintf(p->actor, sizeof(p->actor), "%s", base_name(ev));
        snprintf(ctx->shape, sizeof(ctx->shape), "%s",
                 p->system_cron ? "system crontab (user column)" : "crontab");
        break;
    case K_UNIT:
        snprintf(ctx->shape, sizeof(ctx->shape), "systemd unit");
        break;
    case K_KEYS:
        snprintf(ctx->shape, sizeof(ctx->shape), "authorized_keys");
        break;
    case K_PRELOAD:
        snprintf(ctx->shape, sizeof(ctx->shape), "ld.so.preload");
        break;
    default:
        p->rc_local = rc_kind(ctx->head) == 1 || path_has(ev, "rc.local");
        snprintf(ctx->shape, sizeof(ctx->shape), "%s",
                 p->rc_local ? "rc.local" : "shell startup script");
        break;
    }
    return 0;
}

static int cron_open(struct ty_parse_ctx *ctx, struct ty_err *err)
{
    return open_kind(ctx, K_CRON, err);
}

static int unit_open(struct ty_parse_ctx *ctx, struct ty_err *err)
{
    return open_kind(ctx, K_UNIT, err);
}

static int keys_open(struct ty_parse_ctx *ctx, struct ty_err *err)
{
    return open_kind(ctx, K_KEYS, err);
}

static int preload_open(struct ty_parse_ctx *ctx, struct ty_err *err)
{
    return open_kind(ctx, K_PRELOAD, err);
}

static int rc_open(struct ty_parse_ctx *ctx, struct ty_err *err)
{
    return open_kind(ctx, K_RC, err);
}

static int persist_taxonomy(const struct ty_event *ev)
{
    (void)ev;
    return TY_SCAT_NONE; /* a configured command, not a process start */
}

static int persist_fields(const struct ty_event *ev, ty_kv_fn kv, void *arg)
{
    static const struct {
        const char *name;
        enum ty_field f;
    } map[] = {{"command", TY_F_PROC_CMDLINE}, {"user", TY_F_ACTOR}, {"target", TY_F_TARGET},
               {"kind", TY_F_ACTION},          {"path", TY_F_FILE_PATH}};
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
        struct ty_str v = ty_event_str(ev, map[i].f);
        if (v.len) {
            int rc = kv(arg, ty_str_cstr(map[i].name), v);
            if (rc)
                return rc;
        }
    }
    return kv(arg, TY_STR_LIT("line"), ev->raw);
}

#define PERSIST_COMMON                                                                             \
    .abi = TY_PARSER_ABI, .flags = TY_PARSER_F_TEXT, .record = persist_record,                   \
    .close = ty_parse_free_priv, .taxonomy = persist_taxonomy, .fields = persist_fields

const struct ty_parser ty_parser_crontab = {
    PERSIST_COMMON,
    .name = "crontab",
    .desc = "crontabs (user spool files, /etc/crontab and cron.d with a user column): one "
            "persistence event per entry",
    .sniffs = "every non-comment line is a schedule (5 fields or @special) with a command or "
              "NAME=value (75; 95 with Debian's \"DO NOT EDIT\" header)",
    .sniff = cron_sniff,
    .open = cron_open,
    .logsource = {"linux", "cron", NULL},
};

const struct ty_parser ty_parser_systemd_unit = {
    PERSIST_COMMON,
    .name = "systemd-unit",
    .desc = "systemd service and timer units: one persistence event per Exec line or timer",
    .sniffs = "first line [Unit]/[Service]/[Timer]/[Install]/[Socket]/[Path], then only "
              "sections and Key=Value lines (85)",
    .sniff = unit_sniff,
    .open = unit_open,
    .logsource = {"linux", "systemd", NULL},
};

const struct ty_parser ty_parser_authorized_keys = {
    PERSIST_COMMON,
    .name = "authorized-keys",
    .desc = "OpenSSH authorized_keys: one persistence event per key, with its SHA256 "
            "fingerprint and forced command",
    .sniffs = "every non-comment line is \"[options] <ssh key type> <base64> [comment]\" (90)",
    .sniff = keys_sniff,
    .open = keys_open,
    .logsource = {"linux", "sshd", NULL},
};

const struct ty_parser ty_parser_ld_preload = {
    PERSIST_COMMON,
    .name = "ld-preload",
    .desc = "/etc/ld.so.preload: one persistence event per preloaded library",
    .sniffs = "at most 16 lines, each only absolute library paths (60)",
    .sniff = preload_sniff,
    .open = preload_open,
    .logsource = {"linux", NULL, NULL},
};

const struct ty_parser ty_parser_rc_script = {
    PERSIST_COMMON,
    .name = "rc-script",
    .desc = "rc.local and shell startup files (.bashrc, .profile, /etc/profile): one "
            "persistence event per command line",
    .sniffs = "a shell shebang and \"rc.local\" in the opening comments, or Debian's "
              "\"# ~/.bashrc:\"-style first line (85)",
    .sniff = rc_sniff,
    .open = rc_open,
    .logsource = {"linux", NULL, NULL},
};
