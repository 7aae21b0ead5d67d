/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse-syslog.c - syslog text files (RFC 3164 and RFC 5424, rsyslog's
 * RFC 3339 template) with auth.log / secure semantics (formats.md §10.2).
 *
 * Record format, one message per line:
 *   [<PRI>]Mmm dd hh:mm:ss host prog[pid]: message          (RFC 3164, BSD)
 *   2024-03-12T14:05:09.417002+01:00 host prog[pid]: message (rsyslog RFC 3339)
 *   <PRI>1 TIMESTAMP HOST APP PROCID MSGID [SD...] MESSAGE     (RFC 5424)
 * RFC 3164 times have no year and no zone. The year is inferred from the
 * evidence: the file's modification time (ctx->file_mtime, else the
 * analysis clock, said so in the shape) gives the year of the first line,
 * minus one when its month is later than the mtime's (a log is written
 * before its mtime); a month going back by more than one (Dec -> Jan) adds a
 * year. The zone is taken as UTC (hosts may log local time: the shape says
 * "UTC assumed"); RFC 3339/5424 offsets are honoured.
 * Messages understood: sshd (Accepted/Failed/Invalid user/disconnects/max
 * auth tries, key fingerprints), pam_unix sessions and failures, sudo
 * (user, TTY, PWD, USER, COMMAND, refusals), su, useradd/usermod/userdel/
 * groupadd/passwd/chpasswd, systemd-logind sessions, cron CMD lines (process
 * events). Other lines are kept as syslog messages. A line that has no
 * syslog header is quarantined with the byte offset of what is wrong.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <tyto/parser.h>
#include <tyto/time.h>

enum { K_3164 = 1, K_3339, K_5424 };

struct sl {
    int kind, pri;
    struct ty_str time_text, host, prog, pid, msgid, sd, msg;
    /* 3164 */
    int mon, day, hh, mm, ss;
    /* 3339 / 5424 */
    int64_t ts;
    int prec;
};

static int month_of(const char *p)
{
    static const char m[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    for (int i = 0; i < 12; i++)
        if (memcmp(m + 3 * i, p, 3) == 0)
            return i + 1;
    return 0;
}

static int num2(const char *p)
{
    if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9')
        return -1;
    return (p[0] - '0') * 10 + p[1] - '0';
}

static const char *tok_end(const char *p, const char *end)
{
    while (p < end && *p != ' ')
        p++;
    return p;
}

static bool nil(struct ty_str s)
{
    return !s.len || (s.len == 1 && s.p[0] == '-');
}

/* "prog[pid]: msg" / "prog: msg"; without a tag the whole rest is the message. */
static void parse_tag(struct sl *s, const char *p, const char *end)
{
    const char *q = p;
    while (q < end && *q != '[' && *q != ':' && *q != ' ')
        q++;
    if (q > p && q < end && *q == '[') {
        const char *r = memchr(q, ']', (size_t)(end - q));
        if (r && r + 1 < end && r[1] == ':') {
            s->prog = ty_str_make(p, (size_t)(q - p));
            s->pid = ty_str_make(q + 1, (size_t)(r - q - 1));
            p = r + 2;
            goto msg;
        }
    } else if (q > p && q < end && *q == ':') {
        s->prog = ty_str_make(p, (size_t)(q - p));
        p = q + 1;
        goto msg;
    }
    s->msg = ty_str_make(p, (size_t)(end - p));
    return;
msg:
    while (p < end && *p == ' ')
        p++;
    s->msg = ty_str_make(p, (size_t)(end - p));
}

static int parse_line(struct ty_str line, struct sl *s, char *why, size_t why_len)
{
    const char *b = line.p, *p = line.p, *end = line.p + line.len, *q;
    memset(s, 0, sizeof(*s));
    s->pri = -1;
    while (end > p && (end[-1] == '\r' || end[-1] == '\n'))
        end--;
    if (p < end && *p == '<') {
        int v = 0, n = 0;
        for (q = p + 1; q < end && *q >= '0' && *q <= '9' && n < 3; q++, n++)
            v = v * 10 + (*q - '0');
        if (!n || q == end || *q != '>' || v > 191) {
            snprintf(why, why_len, "byte %zu: bad <PRI>", (size_t)(p - b));
            return -1;
        }
        s->pri = v;
        p = q + 1;
    }
    if (end - p >= 2 && p[0] == '1' && p[1] == ' ') { /* RFC 5424 */
        struct ty_str f[5];
        p += 2;
        for (int i = 0; i < 5; i++) {
            q = tok_end(p, end);
            f[i] = ty_str_make(p, (size_t)(q - p));
            if (q == end && i < 4) {
                snprintf(why, why_len, "byte %zu: RFC 5424 header cut short", (size_t)(q - b));
                return -1;
            }
            p = q < end ? q + 1 : q;
        }
        s->kind = K_5424;
        s->time_text = f[0];
        if (nil(f[0])) {
            snprintf(why, why_len, "byte %zu: no timestamp (\"-\")", (size_t)(f[0].p - b));
            return -1;
        }
        if (ty_time_parse_iso(f[0], &s->ts, &s->prec, NULL) != 0) {
            snprintf(why, why_len, "byte %zu: timestamp is not RFC 3339", (size_t)(f[0].p - b));
            return -1;
        }
        s->host = nil(f[1]) ? TY_STR_NULL : f[1];
        s->prog = nil(f[2]) ? TY_STR_NULL : f[2];
        s->pid = nil(f[3]) ? TY_STR_NULL : f[3];
        s->msgid = nil(f[4]) ? TY_STR_NULL : f[4];
        /* structured data: "-" or [id k="v"...]... with \] \" \\ escapes */
        if (p < end && *p == '[') {
            const char *sd = p;
            while (p < end && *p == '[') {
                bool inq = false;
                p++;
                while (p < end) {
                    if (*p == '\\' && p + 1 < end) {
                        p += 2;
                        continue;
                    }
                    if (*p == '"')
                        inq = !inq;
                    else if (*p == ']' && !inq)
                        break;
                    p++;
                }
                if (p == end) {
                    snprintf(why, why_len, "byte %zu: structured data not closed",
                             (size_t)(sd - b));
                    return -1;
                }
                p++;
            }
            s->sd = ty_str_make(sd, (size_t)(p - sd));
        } else if (p < end && *p == '-') {
            p++;
        }
        if (p < end && *p == ' ')
            p++;
        if (end - p >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
            p += 3;
        s->msg = ty_str_make(p, (size_t)(end - p));
        return 0;
    }
    if (end - p >= 19 && p[4] == '-' && p[7] == '-' && p[10] == 'T') { /* RFC 3339 */
        q = tok_end(p, end);
        s->kind = K_3339;
        s->time_text = ty_str_make(p, (size_t)(q - p));
        if (ty_time_parse_iso(s->time_text, &s->ts, &s->prec, NULL) != 0) {
            snprintf(why, why_len, "byte %zu: timestamp is not RFC 3339", (size_t)(p - b));
            return -1;
        }
        p = q;
    } else { /* "Mmm dd hh:mm:ss" */
        if (end - p < 15 || !(s->mon = month_of(p)) || p[3] != ' ' || p[6] != ' ' ||
            p[9] != ':' || p[12] != ':') {
            snprintf(why, why_len, "byte %zu: no syslog time (Mmm dd hh:mm:ss or RFC 3339)",
                     (size_t)(p - b));
            return -1;
        }
        s->day = p[4] == ' ' ? num2((const char[]){'0', p[5]}) : num2(p + 4);
        s->hh = num2(p + 7);
        s->mm = num2(p + 10);
        s->ss = num2(p + 13);
        if (s->day < 1 || s->day > 31 || s->hh < 0 || s->hh > 23 || s->mm < 0 || s->mm > 59 ||
            s->ss < 0 || s->ss > 60) {
            snprintf(why, why_len, "byte %zu: time '%.15s' out of range", (size_t)(p - b), p);
            return -1;
        }
        s->kind = K_3164;
        s->time_text = ty_str_make(p, 15);
        p += 15;
    }
    while (p < end && *p == ' ')
        p++;
    q = tok_end(p, end);
    if (q == p) {
        snprintf(why, why_len, "byte %zu: no host after the time", (size_t)(p - b));
        return -1;
    }
    s->host = ty_str_make(p, (size_t)(q - p));
    p = q;
    while (p < end && *p == ' ')
        p++;
    parse_tag(s, p, end);
    return 0;
}

/* ---- year inference -------------------------------------------------------- */

static void civil_from_ns(int64_t ns, int *y, int *m)
{
    int64_t z = ns / TY_NS_PER_SEC / 86400 + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t mo = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yoe + era * 400 + (mo <= 2));
    *m = (int)mo;
}

struct syslog {
    int ref_year, ref_mon; /* from the file's mtime (or the clock) */
    int year, last_mon;    /* running inference */
    bool started;
    struct ty_event ev;
};

static int64_t year_less_ts(struct syslog *g, const struct sl *s)
{
    if (!g->started) {
        g->year = s->mon > g->ref_mon ? g->ref_year - 1 : g->ref_year;
        g->started = true;
    } else if (s->mon + 1 < g->last_mon) {
        g->year++; /* Dec -> Jan */
    }
    g->last_mon = s->mon;
    if (g->year < 1900 || g->year > 2261)
        return 0;
    int64_t days = ty_days_from_civil(g->year, (unsigned)s->mon, (unsigned)s->day);
    return (days * 86400 + s->hh * 3600 + s->mm * 60 + s->ss) * TY_NS_PER_SEC;
}

/* ---- message semantics ------------------------------------------------------ */

static struct ty_str sub(struct ty_str s, size_t from, size_t to)
{
    return ty_str_make(s.p + from, to - from);
}

static ptrdiff_t find(struct ty_str s, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; n <= s.len && i + n <= s.len; i++)
        if (memcmp(s.p + i, needle, n) == 0)
            return (ptrdiff_t)i;
    return -1;
}

static ptrdiff_t rfind(struct ty_str s, const char *needle)
{
    size_t n = strlen(needle);
    if (n > s.len)
        return -1;
    for (size_t i = s.len - n + 1; i > 0; i--)
        if (memcmp(s.p + i - 1, needle, n) == 0)
            return (ptrdiff_t)i - 1;
    return -1;
}

static struct ty_str word(struct ty_str s)
{
    size_t i = 0;
    while (i < s.len && s.p[i] != ' ' && s.p[i] != ',' && s.p[i] != ';')
        i++;
    return ty_str_make(s.p, i);
}

static struct ty_str after(struct ty_str s, const char *marker)
{
    ptrdiff_t i = find(s, marker);
    if (i < 0)
        return TY_STR_NULL;
    size_t k = (size_t)i + strlen(marker);
    return ty_str_make(s.p + k, s.len - k);
}

static void set_port(struct ty_event *ev, struct ty_str p)
{
    int64_t v;
    if (ty_str_to_i64(word(p), &v) == 0 && v >= 0 && v <= 65535)
        ty_event_set_int(ev, TY_F_SRC_PORT, v);
}

/* "... <user> from <ip> port <port>..." with the user between lead and " from ". */
static bool user_from(struct ty_event *ev, struct ty_str m)
{
    ptrdiff_t f = rfind(m, " from ");
    if (f < 0)
        return false;
    ty_event_set_str(ev, TY_F_ACTOR, ty_str_trim(sub(m, 0, (size_t)f)));
    struct ty_str rest = sub(m, (size_t)f + 6, m.len);
    struct ty_str ip = word(rest);
    ty_event_set_addr(ev, TY_F_SRC_IP, TY_F_SRC_ADDR, ip);
    struct ty_str port = after(rest, " port ");
    if (port.p)
        set_port(ev, port);
    return true;
}

/* "<user> <ip> port <port>" (disconnect forms) */
static void user_ip_port(struct ty_event *ev, struct ty_str m)
{
    ptrdiff_t pp = rfind(m, " port ");
    if (pp < 0)
        return;
    set_port(ev, sub(m, (size_t)pp + 6, m.len));
    struct ty_str left = sub(m, 0, (size_t)pp);
    ptrdiff_t sp = rfind(left, " ");
    struct ty_str ip = sp >= 0 ? sub(left, (size_t)sp + 1, left.len) : left;
    ty_event_set_addr(ev, TY_F_SRC_IP, TY_F_SRC_ADDR, ip);
    if (sp > 0)
        ty_event_set_str(ev, TY_F_ACTOR, sub(left, 0, (size_t)sp));
}

static void lit(struct ty_event *ev, enum ty_field f, const char *s)
{
    ty_event_set_str(ev, f, ty_str_cstr(s));
}

static bool sshd(struct ty_event *ev, struct ty_str m)
{
    struct ty_str r;
    lit(ev, TY_F_CATEGORY, "auth");
    if (ty_str_starts(m, "Accepted ") || ty_str_starts(m, "Failed ")) {
        bool ok = m.p[0] == 'A';
        struct ty_str rest = after(m, ok ? "Accepted " : "Failed ");
        struct ty_str method = word(rest);
        r = after(rest, " for ");
        if (!r.p)
            return false;
        if (ty_str_starts(r, "invalid user ")) {
            r = sub(r, 13, r.len);
            lit(ev, TY_F_STATUS_CODE, "invalid_user");
        }
        lit(ev, TY_F_ACTION, "ssh_login");
        lit(ev, TY_F_OUTCOME, ok ? "success" : "failure");
        ty_event_set_str(ev, TY_F_STATUS_DETAIL, method);
        ptrdiff_t fp = find(r, " SHA256:");
        if (fp < 0)
            fp = find(r, " MD5:");
        if (fp >= 0)
            ty_event_set_str(ev, TY_F_ACCESS_KEY, word(sub(r, (size_t)fp + 1, r.len)));
        return user_from(ev, r);
    }
    if (ty_str_starts(m, "Invalid user ")) {
        lit(ev, TY_F_ACTION, "ssh_login");
        lit(ev, TY_F_OUTCOME, "failure");
        lit(ev, TY_F_STATUS_CODE, "invalid_user");
        return user_from(ev, sub(m, 13, m.len));
    }
    if ((r = after(m, "maximum authentication attempts exceeded for ")).p) {
        lit(ev, TY_F_ACTION, "ssh_login");
        lit(ev, TY_F_OUTCOME, "failure");
        lit(ev, TY_F_STATUS_CODE, "max_auth_tries");
        if (ty_str_starts(r, "invalid user "))
            r = sub(r, 13, r.len);
        return user_from(ev, r);
    }
    if ((r = after(m, "Connection closed by authenticating user ")).p ||
        (r = after(m, "Disconnected from authenticating user ")).p) {
        lit(ev, TY_F_ACTION, "ssh_login");
        lit(ev, TY_F_OUTCOME, "failure");
        lit(ev, TY_F_STATUS_CODE, "preauth_closed");
        user_ip_port(ev, r);
        return true;
    }
    if ((r = after(m, "Disconnected from user ")).p ||
        (r = after(m, "Disconnected from invalid user ")).p) {
        lit(ev, TY_F_ACTION, "ssh_disconnect");
        user_ip_port(ev, r);
        return true;
    }
    if ((r = after(m, "Received disconnect from ")).p ||
        (r = after(m, "Connection closed by ")).p || (r = after(m, "Disconnected from ")).p) {
        lit(ev, TY_F_ACTION, "ssh_disconnect");
        ty_event_set_addr(ev, TY_F_SRC_IP, TY_F_SRC_ADDR, word(r));
        struct ty_str port = after(r, " port ");
        if (port.p) {
            size_t i = 0;
            while (i < port.len && port.p[i] >= '0' && port.p[i] <= '9')
                i++;
            set_port(ev, ty_str_make(port.p, i));
        }
        return true;
    }
    return false;
}

/* "pam_unix(sshd:session): session opened for user alice(uid=1000) by (uid=0)" */
static bool pam(struct ty_event *ev, struct ty_str m)
{
    struct ty_str r;
    ptrdiff_t c = find(m, "): ");
    if (c < 0)
        return false;
    struct ty_str body = sub(m, (size_t)c + 3, m.len);
    lit(ev, TY_F_CATEGORY, "auth");
    if ((r = after(body, "session opened for user ")).p ||
        (r = after(body, "session closed for user ")).p) {
        lit(ev, TY_F_ACTION, body.p[8] == 'o' ? "session_open" : "session_close");
        struct ty_str u = word(r);
        ptrdiff_t par = ty_str_chr(u, '(');
        if (par >= 0)
            u.len = (size_t)par;
        struct ty_str by = after(r, " by ");
        struct ty_str byu = by.p ? word(by) : TY_STR_NULL;
        par = ty_str_chr(byu, '(');
        if (par >= 0)
            byu.len = (size_t)par;
        if (byu.len && !ty_str_eq(byu, u)) {
            ty_event_set_str(ev, TY_F_ACTOR, byu);
            ty_event_set_str(ev, TY_F_TARGET_USER, u);
        } else {
            ty_event_set_str(ev, TY_F_ACTOR, u);
        }
        lit(ev, TY_F_OUTCOME, "success");
        return true;
    }
    if (ty_str_starts(body, "authentication failure")) {
        lit(ev, TY_F_ACTION, "auth_failure");
        lit(ev, TY_F_OUTCOME, "failure");
        struct ty_str u = after(body, " user=");
        if (u.p)
            ty_event_set_str(ev, TY_F_ACTOR, word(u));
        struct ty_str rh = after(body, " rhost=");
        if (rh.p && word(rh).len)
            ty_event_set_addr(ev, TY_F_SRC_IP, TY_F_SRC_ADDR, word(rh));
        return true;
    }
    if ((r = after(body, "password changed for ")).p) {
        lit(ev, TY_F_CATEGORY, "iam");
        lit(ev, TY_F_ACTION, "password_changed");
        lit(ev, TY_F_OUTCOME, "success");
        ty_event_set_str(ev, TY_F_TARGET_USER, word(r));
        return true;
    }
    return false;
}

/* sudo: "alice : TTY=pts/1 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/bash -i" */
static bool sudo_line(struct ty_event *ev, struct ty_str m)
{
    ptrdiff_t c = find(m, " : ");
    if (c < 0)
        return false;
    struct ty_str user = ty_str_trim(sub(m, 0, (size_t)c)), rest = sub(m, (size_t)c + 3, m.len);
    bool refused = false;
    ty_event_set_str(ev, TY_F_ACTOR, user);
    lit(ev, TY_F_CATEGORY, "process");
    lit(ev, TY_F_ACTION, "sudo");
    while (rest.len) {
        ptrdiff_t sc = find(rest, " ; ");
        struct ty_str item = sc >= 0 ? sub(rest, 0, (size_t)sc) : rest;
        if (ty_str_starts(item, "COMMAND=")) {
            item = sub(rest, 8, rest.len); /* the command may hold " ; " itself */
            ty_event_set_str(ev, TY_F_PROC_CMDLINE, item);
            ty_event_set_str(ev, TY_F_PROC_EXE, word(item));
            break;
        }
        if (ty_str_starts(item, "PWD="))
            ty_event_set_str(ev, TY_F_PROC_CWD, sub(item, 4, item.len));
        else if (ty_str_starts(item, "USER=")) {
            ty_event_set_str(ev, TY_F_TARGET_USER, sub(item, 5, item.len));
            ty_event_set_str(ev, TY_F_PROC_USER, sub(item, 5, item.len));
        } else if (!ty_str_starts(item, "TTY=") && !ty_str_starts(item, "TSID=") &&
                   !ty_str_starts(item, "ENV=") && !ty_str_starts(item, "GROUP=")) {
            refused = true; /* "3 incorrect password attempts", "user NOT in sudoers" */
            ty_event_set_str(ev, TY_F_STATUS_DETAIL, ty_str_trim(item));
        }
        if (sc < 0)
            break;
        rest = sub(rest, (size_t)sc + 3, rest.len);
    }
    lit(ev, TY_F_OUTCOME, refused ? "failure" : "success");
    return true;
}

static bool su_line(struct ty_event *ev, struct ty_str m)
{
    struct ty_str r;
    lit(ev, TY_F_CATEGORY, "auth");
    lit(ev, TY_F_ACTION, "su");
    if ((r = after(m, "Successful su for ")).p || (r = after(m, "FAILED su for ")).p) {
        lit(ev, TY_F_OUTCOME, m.p[0] == 'S' ? "success" : "failure");
        ty_event_set_str(ev, TY_F_TARGET_USER, word(r));
        struct ty_str by = after(r, " by ");
        if (by.p)
            ty_event_set_str(ev, TY_F_ACTOR, word(by));
        return true;
    }
    if ((r = after(m, "(to ")).p && ty_str_chr(r, ')') > 0) {
        ptrdiff_t cl = ty_str_chr(r, ')');
        lit(ev, TY_F_OUTCOME, "success");
        ty_event_set_str(ev, TY_F_TARGET_USER, sub(r, 0, (size_t)cl));
        ty_event_set_str(ev, TY_F_ACTOR, word(ty_str_trim(sub(r, (size_t)cl + 1, r.len))));
        return true;
    }
    return false;
}

/* useradd/usermod/userdel/groupadd/chpasswd */
static bool account(struct ty_event *ev, struct ty_str m)
{
    struct ty_str r;
    lit(ev, TY_F_CATEGORY, "iam");
    lit(ev, TY_F_OUTCOME, "success");
    if ((r = after(m, "new user: name=")).p) {
        lit(ev, TY_F_ACTION, "user_created");
        ty_event_set_str(ev, TY_F_TARGET_USER, word(r));
        return true;
    }
    if ((r = after(m, "new group: name=")).p || (r = after(m, "group added to ")).p) {
        if (!ty_str_starts(m, "new group"))
            r = after(r, "name=");
        lit(ev, TY_F_ACTION, "group_created");
        ty_event_set_str(ev, TY_F_TARGET_NAME, word(r));
        return r.p != NULL;
    }
    if (ty_str_starts(m, "add '") && (r = after(m, "' to group '")).p) {
        struct ty_str u = sub(m, 5, (size_t)find(m, "' to group '"));
        lit(ev, TY_F_ACTION, "group_member_added");
        ty_event_set_str(ev, TY_F_TARGET_USER, u);
        ptrdiff_t q = ty_str_chr(r, '\'');
        ty_event_set_str(ev, TY_F_TARGET_NAME, q >= 0 ? sub(r, 0, (size_t)q) : r);
        return true;
    }
    if ((r = after(m, "delete user '")).p) {
        ptrdiff_t q = ty_str_chr(r, '\'');
        lit(ev, TY_F_ACTION, "user_deleted");
        ty_event_set_str(ev, TY_F_TARGET_USER, q >= 0 ? sub(r, 0, (size_t)q) : r);
        return true;
    }
    if ((r = after(m, "change user '")).p && find(r, "' password") > 0) {
        lit(ev, TY_F_ACTION, "password_changed");
        ty_event_set_str(ev, TY_F_TARGET_USER, sub(r, 0, (size_t)ty_str_chr(r, '\'')));
        return true;
    }
    if ((r = after(m, "password changed for ")).p) {
        lit(ev, TY_F_ACTION, "password_changed");
        ty_event_set_str(ev, TY_F_TARGET_USER, word(r));
        return true;
    }
    return false;
}

/* "(root) CMD (command)" */
static bool cron_line(struct ty_event *ev, struct ty_str m)
{
    if (m.len < 4 || m.p[0] != '(')
        return false;
    ptrdiff_t c = ty_str_chr(m, ')');
    if (c < 1)
        return false;
    struct ty_str user = sub(m, 1, (size_t)c), rest = sub(m, (size_t)c + 1, m.len);
    if (!ty_str_starts(rest, " CMD ("))
        return false;
    struct ty_str cmd = sub(rest, 6, rest.len);
    if (cmd.len && cmd.p[cmd.len - 1] == ')')
        cmd.len--;
    lit(ev, TY_F_CATEGORY, "process");
    lit(ev, TY_F_ACTION, "cron_exec");
    ty_event_set_str(ev, TY_F_ACTOR, user);
    ty_event_set_str(ev, TY_F_PROC_USER, user);
    ty_event_set_str(ev, TY_F_PROC_CMDLINE, cmd);
    lit(ev, TY_F_OUTCOME, "success");
    return true;
}

static bool logind(struct ty_event *ev, struct ty_str m)
{
    struct ty_str r;
    if (ty_str_starts(m, "New session ") && (r = after(m, " of user ")).p) {
        lit(ev, TY_F_CATEGORY, "auth");
        lit(ev, TY_F_ACTION, "session_open");
        ty_event_set_str(ev, TY_F_ACTOR_SESSION, word(sub(m, 12, m.len)));
        struct ty_str u = word(r);
        if (u.len && u.p[u.len - 1] == '.')
            u.len--;
        ty_event_set_str(ev, TY_F_ACTOR, u);
        lit(ev, TY_F_OUTCOME, "success");
        return true;
    }
    if (ty_str_starts(m, "Removed session ")) {
        struct ty_str s = word(sub(m, 16, m.len));
        if (s.len && s.p[s.len - 1] == '.')
            s.len--;
        lit(ev, TY_F_CATEGORY, "auth");
        lit(ev, TY_F_ACTION, "session_close");
        ty_event_set_str(ev, TY_F_ACTOR_SESSION, s);
        return true;
    }
    return false;
}

static bool prog_is(struct ty_str p, const char *const *names)
{
    for (; *names; names++)
        if (ty_str_eq_cstr(p, *names))
            return true;
    return false;
}

static const char *const cron_progs[] = {"CRON", "cron", "crond", "/usr/sbin/cron", NULL};
static const char *const acct_progs[] = {"useradd", "usermod", "userdel", "groupadd", "groupmod",
                                         "groupdel", "passwd", "chpasswd", "gpasswd", NULL};
static void semantics(struct ty_event *ev, const struct sl *s)
{
    struct ty_str p = s->prog, m = s->msg;
    if (ty_str_starts(m, "pam_unix(") || ty_str_starts(m, "pam_sss(")) {
        if (pam(ev, m))
            return;
    }
    if ((ty_str_eq_cstr(p, "sshd") || ty_str_eq_cstr(p, "sshd-session")) && sshd(ev, m))
        return;
    if (ty_str_eq_cstr(p, "sudo") && sudo_line(ev, ty_str_trim(m)))
        return;
    if (ty_str_eq_cstr(p, "su") && su_line(ev, m))
        return;
    if (prog_is(p, acct_progs) && account(ev, m))
        return;
    if (prog_is(p, cron_progs) && cron_line(ev, m))
        return;
    if (ty_str_eq_cstr(p, "systemd-logind") && logind(ev, m))
        return;
    /* not understood: a plain message */
    ty_event_unset(ev, TY_F_OUTCOME);
    lit(ev, TY_F_CATEGORY, "syslog");
    ty_event_set_str(ev, TY_F_ACTION, p.len ? p : TY_STR_LIT("message"));
}

/* ---- record ---------------------------------------------------------------- */

static int sl_record(struct ty_parse_ctx *ctx, const struct ty_record *rec, struct ty_err *err)
{
    struct syslog *g = ctx->priv;
    struct sl s;
    char why[128];
    int rc;

    if (!g)
        return ty_err_set(err, TY_EINVAL, "syslog: record() before open()");
    struct ty_str line = ty_str_make(rec->p, rec->len);
    if (parse_line(line, &s, why, sizeof(why)) != 0)
        return ty_err_set(err, TY_ECORRUPT, "%s", why);
    const char *nl = memchr(line.p, '\n', line.len);
    if (nl && (size_t)(nl - line.p) + 1 < line.len)
        return ty_err_set(err, TY_ECORRUPT, "byte %zu: a line break inside the record",
                          (size_t)(nl - line.p));
    struct ty_event *ev = &g->ev;
    ty_event_clear(ev);
    if (s.kind == K_3164) {
        int64_t ts = year_less_ts(g, &s);
        if (g->year < 1900 || g->year > 2261)
            return ty_err_set(err, TY_ECORRUPT, "byte 0: inferred year %d out of range (too "
                              "many Dec -> Jan rollovers)", g->year);
        ty_event_set_int(ev, TY_F_TS, ts);
        ty_event_set_int(ev, TY_F_TS_PREC, 0);
    } else {
        ty_event_set_int(ev, TY_F_TS, s.ts);
        ty_event_set_int(ev, TY_F_TS_PREC, s.prec);
    }
    ty_event_set_str(ev, TY_F_TIME_TEXT, s.time_text);
    ty_event_set_str(ev, TY_F_HOST, s.host);
    ty_event_set_str(ev, TY_F_PROVIDER, s.prog);
    int64_t v;
    if (s.pid.len && ty_str_to_i64(s.pid, &v) == 0)
        ty_event_set_int(ev, TY_F_PID, v);
    ty_event_set_str(ev, TY_F_MESSAGE, s.msg);
    semantics(ev, &s);
    rc = ty_parse_emit(ctx, ev);
    return rc < 0 ? rc : TY_OK;
}

/* ---- sniff, open, views ---------------------------------------------------- */

static int sl_sniff(struct ty_str head)
{
    struct sl s;
    char why[128];
    struct ty_str l = ty_parse_first_line(head, 8192);
    if (!l.p || parse_line(l, &s, why, sizeof(why)) != 0)
        return 0;
    if (!s.prog.len)
        return 30; /* a time and a host, no "prog:" tag */
    /* audit records forwarded through syslog belong to the auditd parser only
     * when they are bare; here they are syslog lines */
    return s.kind == K_3164 ? 75 : s.kind == K_5424 ? 80 : 70;
}

static int sl_open(struct ty_parse_ctx *ctx, struct ty_err *err)
{
    struct syslog *g = calloc(1, sizeof(*g));
    struct sl s;
    char why[128];
    if (!g)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    ctx->priv = g;
    ctx->frame.kind = TY_FRAME_LINES;
    ctx->frame.key = NULL;
    int64_t ref = ctx->file_mtime;
    bool clock = ref == 0;
    if (clock)
        ref = (int64_t)time(NULL) * TY_NS_PER_SEC;
    civil_from_ns(ref, &g->ref_year, &g->ref_mon);
    struct ty_str head = ty_parse_skip_ws(ctx->head);
    const char *nl = memchr(head.p, '\n', head.len);
    struct ty_str l = ty_str_make(head.p, nl ? (size_t)(nl - head.p) : head.len);
    int kind = parse_line(l, &s, why, sizeof(why)) == 0 ? s.kind : 0;
    if (kind == K_5424)
        snprintf(ctx->shape, sizeof(ctx->shape), "RFC 5424 syslog");
    else if (kind == K_3339)
        snprintf(ctx->shape, sizeof(ctx->shape), "syslog, RFC 3339 times");
    else if (kind == K_3164)
        snprintf(ctx->shape, sizeof(ctx->shape), "RFC 3164; year %d from %s; UTC assumed",
                 s.mon > g->ref_mon ? g->ref_year - 1 : g->ref_year,
                 clock ? "analysis clock" : "file mtime");
    else
        snprintf(ctx->shape, sizeof(ctx->shape), "syslog (first line unreadable)");
    return 0;
}

static int sl_taxonomy(const struct ty_event *ev)
{
    struct ty_str cat = ty_event_str(ev, TY_F_CATEGORY), act = ty_event_str(ev, TY_F_ACTION);
    if (ty_str_eq_cstr(cat, "process") &&
        ((ty_str_eq_cstr(act, "sudo") && ty_str_eq_cstr(ty_event_str(ev, TY_F_OUTCOME),
                                                       "success") &&
          ty_event_has(ev, TY_F_PROC_CMDLINE)) ||
         ty_str_eq_cstr(act, "cron_exec")))
        return TY_SCAT_PROCESS_CREATION;
    return TY_SCAT_NONE;
}

/* The Sigma service of an event, by program (SigmaHQ's linux services). */
static const char *sl_service(const struct ty_event *ev)
{
    static const struct {
        const char *prog, *service;
    } map[] = {
        {"sshd", "sshd"},         {"sshd-session", "sshd"},  {"sudo", "sudo"},
        {"CRON", "cron"},         {"cron", "cron"},          {"crond", "cron"},
        {"anacron", "cron"},      {"su", "auth"},            {"login", "auth"},
        {"useradd", "auth"},      {"usermod", "auth"},       {"userdel", "auth"},
        {"groupadd", "auth"},     {"groupmod", "auth"},      {"groupdel", "auth"},
        {"passwd", "auth"},       {"chpasswd", "auth"},      {"gpasswd", "auth"},
        {"chage", "auth"},        {"chsh", "auth"},          {"chfn", "auth"},
        {"systemd-logind", "auth"}, {"polkitd", "auth"},     {"pkexec", "auth"},
        {"unix_chkpwd", "auth"},  {"vsftpd", "vsftpd"},      {"clamd", "clamav"},
        {"freshclam", "clamav"},  {"guacd", "guacamole"},
    };
    struct ty_str p = ty_event_str(ev, TY_F_PROVIDER);
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (ty_str_eq_cstr(p, map[i].prog))
            return map[i].service;
    return "syslog";
}

static int sl_fields(const struct ty_event *ev, ty_kv_fn kv, void *arg)
{
    struct sl s;
    char why[128], num[8];
    int rc;
    if (parse_line(ev->raw, &s, why, sizeof(why)) != 0)
        return 0;
    if (s.host.len && (rc = kv(arg, TY_STR_LIT("host"), s.host)) != 0)
        return rc;
    if (s.prog.len && (rc = kv(arg, TY_STR_LIT("program"), s.prog)) != 0)
        return rc;
    if (s.pid.len && (rc = kv(arg, TY_STR_LIT("pid"), s.pid)) != 0)
        return rc;
    if (s.msgid.len && (rc = kv(arg, TY_STR_LIT("msgid"), s.msgid)) != 0)
        return rc;
    if (s.pri >= 0) {
        int n = snprintf(num, sizeof(num), "%d", s.pri >> 3);
        if ((rc = kv(arg, TY_STR_LIT("facility"), ty_str_make(num, (size_t)n))) != 0)
            return rc;
        n = snprintf(num, sizeof(num), "%d", s.pri & 7);
        if ((rc = kv(arg, TY_STR_LIT("severity"), ty_str_make(num, (size_t)n))) != 0)
            return rc;
    }
    if ((rc = kv(arg, TY_STR_LIT("message"), s.msg)) != 0)
        return rc;
    /* sudo's "TTY=pts/1 ; PWD=/home/alice ; USER=root ; COMMAND=..." pairs */
    if (ty_str_eq_cstr(s.prog, "sudo")) {
        struct ty_str m = s.msg;
        ptrdiff_t c = find(m, " : ");
        if (c < 0)
            return 0;
        m = sub(m, (size_t)c + 3, m.len);
        while (m.len) {
            ptrdiff_t sc = find(m, " ; ");
            struct ty_str item = sc >= 0 ? sub(m, 0, (size_t)sc) : m;
            ptrdiff_t eq = ty_str_chr(item, '=');
            bool last = ty_str_starts(item, "COMMAND=");
            if (last)
                item = m;
            if (eq > 0 && (rc = kv(arg, sub(item, 0, (size_t)eq),
                                   sub(item, (size_t)eq + 1, item.len))) != 0)
                return rc;
            if (last || sc < 0)
                break;
            m = sub(m, (size_t)sc + 3, m.len);
        }
    }
    return 0;
}

const struct ty_parser ty_parser_syslog = {
    .abi = TY_PARSER_ABI,
    .name = "syslog",
    .desc = "syslog files (RFC 3164/5424, rsyslog RFC 3339) with auth.log semantics: sshd, "
            "sudo, su, PAM, account changes, cron",
    .sniffs = "first line \"Mmm dd hh:mm:ss host prog[pid]:\" (75), RFC 3339 time + host + "
              "tag (70), \"<PRI>1 \" RFC 5424 (80)",
    .flags = TY_PARSER_F_TEXT,
    .sniff = sl_sniff,
    .open = sl_open,
    .record = sl_record,
    .close = ty_parse_free_priv,
    .logsource = {"linux", NULL, NULL},
    .service = sl_service,
    .taxonomy = sl_taxonomy,
    .fields = sl_fields,
};
