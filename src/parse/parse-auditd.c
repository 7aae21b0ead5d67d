/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse-auditd.c - Linux audit.log, raw and enriched (formats.md §7).
 *
 * Record format: one record per line, "[node=N ]type=T msg=audit(SEC.MS:
 * SERIAL): name=value ...", optionally followed by byte 0x1D and the
 * enriched UPPERCASE interpretations written on the audited host (AUID=
 * "alice", SYSCALL=execve, SADDR={...}). An audit event is every record of
 * one (node, time, serial); its records are usually adjacent but may
 * interleave with other events'.
 * Accounting: every line is one record and yields exactly one event (or is
 * quarantined), so records read = events + quarantined holds by
 * construction. The records of one event are assembled in a small bounded
 * table of pending events (16 entries, closed at EOE, after 256 lines
 * without a record of theirs, or when the table is full: the oldest goes),
 * and the assembled view is put on one of the lines: an exec's
 * process_creation view (exe, full decoded argv, cwd, uid/auid/euid, pid,
 * ppid, ses, comm, key) on the first record after its EXECVE record(s)
 * (CWD in kernel order), or on the EXECVE itself when the CWD came first;
 * a connect()'s network view on its SOCKADDR record. The parent image of an
 * exec is the last exe any SYSCALL record showed for its ppid (a 2048-slot
 * pid table, same node). Every line keeps its
 * own raw key/values for auditd rules (fields()).
 * Quirks handled: hex-encoded values (exe, comm, name, cwd, proctitle, cmd,
 * EXECVE args), arguments split as a1_len/a1[0]/a1[1] and argv spread over
 * several EXECVE records, PROCTITLE's NULs, keys joined by 0x01, auid/ses
 * 4294967295 = unset, EINPROGRESS connects (outcome unknown), user-space
 * msg='...' payloads, AVC denials, node= prefixes, 1-3 millisecond digits,
 * the kernel's own form ("audit: type=1300 audit(...)", numeric types named).
 * User names come only from the enriched part (written on the audited host);
 * a raw log's uids stay numbers (see resolve_uid()).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/parser.h>
#include <tyto/time.h>

#include "parse-auditd-int.h"

#define N_PEND 16
#define IDLE_LINES 256
#define ARGV_MAX (32 * 1024)

#define KEEP(dst, span)                                                                            \
    do {                                                                                           \
        size_t n_ = (span).len < sizeof(dst) ? (span).len : sizeof(dst);                           \
        if (n_)                                                                                    \
            memcpy((dst), (span).p, n_);                                                           \
        dst##_len = (uint16_t)n_;                                                                  \
    } while (0)
#define KEPT(f) ty_str_make((f), f##_len)

/* One audit event being assembled. */
struct pend {
    bool used, have_sys, have_exec, anchored, net_anchored, argv_trunc;
    uint64_t node, serial, touched;
    int64_t sec;
    uint32_t ms;
    /* from SYSCALL */
    int64_t pid, ppid, uid, auid, euid, ses;
    bool has_pid, has_ppid, has_uid, has_auid, has_euid, has_ses;
    bool succ_known, succ, in_progress;
    char sysname[32], exe[1024], comm[64], key[256], user[64], auser[64], euser[64];
    uint16_t sysname_len, exe_len, comm_len, key_len, user_len, auser_len, euser_len;
    /* from CWD */
    char cwd[1024];
    uint16_t cwd_len;
    /* from EXECVE; argv last: a new entry clears everything before it */
    int64_t argc, next_arg, last_arg;
    size_t argv_len;
    char argv[ARGV_MAX];
};

/* The last executable seen for a pid (any SYSCALL record names it): the
 * parent image of later execs. Direct-mapped, 2048 x 256 bytes. */
#define N_PIDS 2048
struct pidexe {
    uint64_t node;
    int64_t pid;
    uint16_t exe_len;
    char exe[238];
};

struct aud {
    uint64_t n_lines;
    struct pend pend[N_PEND];
    struct pidexe pids[N_PIDS];
    struct ty_event ev;
};

static struct pidexe *pid_slot(struct aud *a, uint64_t node, int64_t pid)
{
    return &a->pids[((uint64_t)pid ^ node) % N_PIDS];
}

static void pid_note(struct aud *a, uint64_t node, int64_t pid, struct ty_str exe)
{
    struct pidexe *e = pid_slot(a, node, pid);
    if (!exe.len || exe.len > sizeof(e->exe))
        return;
    e->node = node;
    e->pid = pid;
    memcpy(e->exe, exe.p, exe.len);
    e->exe_len = (uint16_t)exe.len;
}

static struct ty_str pid_exe(struct aud *a, uint64_t node, int64_t pid)
{
    struct pidexe *e = pid_slot(a, node, pid);
    if (!e->exe_len || e->pid != pid || e->node != node)
        return TY_STR_NULL;
    return ty_str_make(e->exe, e->exe_len);
}

/* ---- captured fields of one line ---------------------------------------- */

enum key {
    K_ARCH, K_SYSCALL, K_SUCCESS, K_EXIT, K_PPID, K_PID, K_AUID, K_UID, K_EUID, K_SES,
    K_COMM, K_EXE, K_KEY, K_ARGC, K_CWD, K_NAME, K_PROCTITLE, K_SADDR, K_ACCT, K_ADDR,
    K_HOSTNAME, K_RES, K_OP, K_CMD, K_ID, K_SERESULT, K_PATH, K_E_AUID, K_E_UID, K_E_EUID,
    K_E_SYSCALL, K_E_ID, K_E_ACCT, K__COUNT
};

#define KN(s) {s, sizeof(s) - 1}
static const struct {
    const char *s;
    size_t len;
} key_names[K__COUNT] = {
    KN("arch"), KN("syscall"), KN("success"), KN("exit"), KN("ppid"), KN("pid"), KN("auid"),
    KN("uid"), KN("euid"), KN("ses"), KN("comm"), KN("exe"), KN("key"), KN("argc"), KN("cwd"),
    KN("name"), KN("proctitle"), KN("saddr"), KN("acct"), KN("addr"), KN("hostname"),
    KN("res"), KN("op"), KN("cmd"), KN("id"), KN("seresult"), KN("path"), KN("AUID"),
    KN("UID"), KN("EUID"), KN("SYSCALL"), KN("ID"), KN("ACCT")};

/* The keys by name length (2..9), for cap_kv. */
static const uint8_t by_len[K__COUNT] = {
    K_OP, K_ID, K_E_ID,                                                    /* 2 */
    K_PID, K_UID, K_SES, K_EXE, K_KEY, K_CWD, K_RES, K_CMD, K_E_UID,       /* 3 */
    K_ARCH, K_EXIT, K_PPID, K_AUID, K_EUID, K_COMM, K_ARGC, K_NAME, K_ACCT, /* 4 */
    K_ADDR, K_PATH, K_E_AUID, K_E_EUID, K_E_ACCT,                          /* 4 */
    K_SADDR,                                                               /* 5 */
    K_SYSCALL, K_SUCCESS, K_E_SYSCALL,                                     /* 7 */
    K_HOSTNAME, K_SERESULT,                                                /* 8 */
    K_PROCTITLE,                                                           /* 9 */
};
static const uint8_t by_len_start[11] = {0, 0, 0, 3, 12, 26, 27, 27, 30, 32, 33};

struct cap {
    struct ty_str v[K__COUNT];
};

static int cap_kv(void *arg, struct ty_str name, struct ty_str value)
{
    struct cap *c = arg;
    if (!name.len || name.len > 9)
        return 0;
    for (int k = by_len_start[name.len]; k < by_len_start[name.len + 1]; k++) {
        int i = by_len[k];
        if (key_names[i].s[0] == name.p[0] && !c->v[i].p &&
            memcmp(name.p, key_names[i].s, name.len) == 0) {
            c->v[i] = value.len ? value : TY_STR_LIT("");
            break;
        }
    }
    return 0;
}

/* ---- helpers -------------------------------------------------------------- */

#define CORRUPT(...) ty_err_set(err, TY_ECORRUPT, __VA_ARGS__)

/* A value meaning "none": ?, (null), (none), empty, "unset". */
static bool absent(struct ty_str s)
{
    return !s.len || ty_str_eq_cstr(s, "?") || ty_str_eq_cstr(s, "(null)") ||
           ty_str_eq_cstr(s, "(none)") || ty_str_eq_cstr(s, "unset") ||
           ty_str_eq_cstr(s, "\"?\"");
}

/* Decode a captured value into the arena (quotes stripped, hex decoded). */
static struct ty_str dec(struct ty_parse_ctx *ctx, struct ty_str type, const char *name,
                         struct ty_str v)
{
    if (!v.p || absent(v))
        return TY_STR_NULL;
    char *buf = ty_arena_alloc(ctx->arena, v.len + 1);
    if (!buf)
        return TY_STR_NULL;
    struct ty_str d = ty__audit_value(type, ty_str_cstr(name), v, buf);
    return absent(d) ? TY_STR_NULL : d;
}

/* A uid-like number; 4294967295 and -1 are "unset". */
static bool id_num(struct ty_str v, int64_t *out)
{
    if (!v.p || ty_str_to_i64(v, out) != 0 || *out == 4294967295LL || *out == -1)
        return false;
    return true;
}

/* An enriched user name (written on the audited host), or nothing. */
static struct ty_str ename(struct ty_str v)
{
    if (v.len >= 2 && v.p[0] == '"' && v.p[v.len - 1] == '"')
        v = ty_str_make(v.p + 1, v.len - 2);
    if (!v.p || absent(v) || ty_str_starts(v, "unknown("))
        return TY_STR_NULL;
    return v;
}

/* A parser sees one stream, so raw logs keep numeric uids (actor_id,
 * process_uid); the consumer names them from the passwd events of the same
 * collected tree (docs/internals/HOST-PARSERS.md), never from this
 * machine's database. */
static struct ty_str resolve_uid(struct aud *a, int64_t uid)
{
    (void)a;
    (void)uid;
    return TY_STR_NULL;
}

static void set_outcome_res(struct ty_event *ev, struct ty_str res)
{
    if (ty_str_eq_cstr(res, "success") || ty_str_eq_cstr(res, "1") ||
        ty_str_eq_cstr(res, "yes"))
        ty_event_set_str(ev, TY_F_OUTCOME, TY_STR_LIT("success"));
    else if (ty_str_eq_cstr(res, "failed") || ty_str_eq_cstr(res, "0") ||
             ty_str_eq_cstr(res, "no"))
        ty_event_set_str(ev, TY_F_OUTCOME, TY_STR_LIT("failure"));
}

static bool type_in(struct ty_str t, const char *const *list)
{
    for (; *list; list++)
        if (ty_str_eq_cstr(t, *list))
            return true;
    return false;
}

static const char *const auth_types[] = {
    "USER_LOGIN", "USER_LOGOUT", "USER_AUTH", "USER_ACCT", "USER_START", "USER_END",
    "USER_ERR", "CRED_ACQ", "CRED_DISP", "CRED_REFR", "LOGIN", "USER_ROLE_CHANGE",
    "ANOM_LOGIN_FAILURES", "ANOM_LOGIN_LOCATION", "ANOM_LOGIN_SESSIONS", "ANOM_LOGIN_TIME",
    NULL};
static const char *const iam_types[] = {
    "ADD_USER", "DEL_USER", "ADD_GROUP", "DEL_GROUP", "USER_CHAUTHTOK", "GRP_CHAUTHTOK",
    "USER_MGMT", "GRP_MGMT", "ACCT_LOCK", "ACCT_UNLOCK", "GRP_AUTH", "CHUSER_ID", "CHGRP_ID",
    NULL};
static const char *const mac_types[] = {"AVC", "USER_AVC", "SELINUX_ERR", "USER_SELINUX_ERR",
                                        "APPARMOR_DENIED", "APPARMOR_ALLOWED", NULL};

/* ---- the pending table --------------------------------------------------- */

static struct pend *pend_find(struct aud *a, const struct audit_hdr *h, uint64_t node,
                              bool create)
{
    struct pend *free_slot = NULL, *oldest = NULL;
    for (int i = 0; i < N_PEND; i++) {
        struct pend *p = &a->pend[i];
        if (p->used && a->n_lines - p->touched > IDLE_LINES)
            p->used = false; /* its event has moved on long ago */
        if (!p->used) {
            if (!free_slot)
                free_slot = p;
            continue;
        }
        if (p->serial == h->serial && p->sec == h->sec && p->ms == h->ms && p->node == node) {
            p->touched = a->n_lines;
            return p;
        }
        if (!oldest || p->touched < oldest->touched)
            oldest = p;
    }
    if (!create)
        return NULL;
    struct pend *p = free_slot ? free_slot : oldest;
    memset(p, 0, offsetof(struct pend, argv));
    p->used = true;
    p->node = node;
    p->serial = h->serial;
    p->sec = h->sec;
    p->ms = h->ms;
    p->touched = a->n_lines;
    return p;
}

static void pend_syscall(struct pend *p, const struct cap *c, struct ty_str sysname)
{
    p->have_sys = true;
    p->has_pid = c->v[K_PID].p && ty_str_to_i64(c->v[K_PID], &p->pid) == 0;
    p->has_ppid = c->v[K_PPID].p && ty_str_to_i64(c->v[K_PPID], &p->ppid) == 0;
    p->has_uid = id_num(c->v[K_UID], &p->uid);
    p->has_auid = id_num(c->v[K_AUID], &p->auid);
    p->has_euid = id_num(c->v[K_EUID], &p->euid);
    p->has_ses = id_num(c->v[K_SES], &p->ses);
    p->succ_known = c->v[K_SUCCESS].p != NULL;
    p->succ = ty_str_eq_cstr(c->v[K_SUCCESS], "yes");
    p->in_progress = ty_str_eq_cstr(c->v[K_EXIT], "-115");
    KEEP(p->sysname, sysname);
    struct ty_str n = ename(c->v[K_E_UID]);
    KEEP(p->user, n);
    n = ename(c->v[K_E_AUID]);
    KEEP(p->auser, n);
    n = ename(c->v[K_E_EUID]);
    KEEP(p->euser, n);
}

/* EXECVE arguments in order, from the decoded walk. */
static int argv_kv(void *arg, struct ty_str name, struct ty_str value)
{
    struct pend *p = arg;
    int64_t idx;
    if (name.len < 2 || name.p[0] != 'a' ||
        ty_str_to_i64(ty_str_make(name.p + 1, name.len - 1), &idx) != 0 || idx < 0)
        return 0;
    if (idx != p->last_arg || p->argv_len == 0) {
        if (idx != p->next_arg)
            p->argv_trunc = true; /* a gap: an EXECVE record is missing */
        if (p->argv_len && p->argv_len < ARGV_MAX)
            p->argv[p->argv_len++] = ' ';
        p->next_arg = idx + 1;
        p->last_arg = idx;
    }
    size_t n = value.len;
    if (p->argv_len + n > ARGV_MAX) {
        n = ARGV_MAX - p->argv_len;
        p->argv_trunc = true;
    }
    if (n)
        memcpy(p->argv + p->argv_len, value.p, n);
    p->argv_len += n;
    return 0;
}

/* ---- the assembled views -------------------------------------------------- */

static void put_kept(struct ty_parse_ctx *ctx, struct ty_event *ev, enum ty_field f,
                     struct ty_str s)
{
    if (s.len)
        ty_event_set_str(ev, f, ty_arena_str(ctx->arena, s));
}

static void put_process(struct aud *a, struct ty_parse_ctx *ctx, struct ty_event *ev,
                        struct pend *p)
{
    if (p->has_pid)
        ty_event_set_int(ev, TY_F_PID, p->pid);
    if (p->has_ppid)
        ty_event_set_int(ev, TY_F_PPID, p->ppid);
    if (p->has_uid)
        ty_event_set_int(ev, TY_F_PROC_UID, p->uid);
    put_kept(ctx, ev, TY_F_PROC_EXE, KEPT(p->exe));
    struct ty_str u = KEPT(p->user);
    if (!u.len && p->has_uid)
        u = resolve_uid(a, p->uid);
    put_kept(ctx, ev, TY_F_PROC_USER, u);
    put_kept(ctx, ev, TY_F_ACTOR, KEPT(p->auser));
    if (p->has_auid)
        ty_event_set_str(ev, TY_F_ACTOR_ID, ty_arena_printf(ctx->arena, "%lld",
                                                            (long long)p->auid));
    if (p->has_ses)
        ty_event_set_str(ev, TY_F_ACTOR_SESSION, ty_arena_printf(ctx->arena, "%lld",
                                                                 (long long)p->ses));
    put_kept(ctx, ev, TY_F_ACTOR_EFFECTIVE, KEPT(p->euser));
    put_kept(ctx, ev, TY_F_RULE, KEPT(p->key));
}

static void anchor_exec(struct aud *a, struct ty_parse_ctx *ctx, struct ty_event *ev,
                        struct pend *p)
{
    ty_event_set_str(ev, TY_F_CATEGORY, TY_STR_LIT("process"));
    ty_event_set_str(ev, TY_F_ACTION, TY_STR_LIT("exec"));
    put_process(a, ctx, ev, p);
    if (p->has_ppid)
        put_kept(ctx, ev, TY_F_PARENT_EXE, pid_exe(a, p->node, p->ppid));
    put_kept(ctx, ev, TY_F_PROC_CMDLINE, ty_str_make(p->argv, p->argv_len));
    put_kept(ctx, ev, TY_F_PROC_CWD, KEPT(p->cwd));
    if (p->succ_known)
        ty_event_set_str(ev, TY_F_OUTCOME, p->succ ? TY_STR_LIT("success")
                                                   : TY_STR_LIT("failure"));
    if (p->argv_trunc)
        ty_event_set_str(ev, TY_F_MESSAGE,
                         TY_STR_LIT("argv incomplete: an EXECVE record is missing or too long"));
    p->anchored = true;
}

static void anchor_connect(struct aud *a, struct ty_parse_ctx *ctx, struct ty_event *ev,
                           struct pend *p)
{
    ty_event_set_str(ev, TY_F_CATEGORY, TY_STR_LIT("network"));
    ty_event_set_str(ev, TY_F_ACTION, TY_STR_LIT("connect"));
    ty_event_set_str(ev, TY_F_NET_DIRECTION, TY_STR_LIT("outbound"));
    put_process(a, ctx, ev, p);
    if (p->in_progress)
        ty_event_set_str(ev, TY_F_OUTCOME, TY_STR_LIT("unknown")); /* EINPROGRESS */
    else if (p->succ_known)
        ty_event_set_str(ev, TY_F_OUTCOME, p->succ ? TY_STR_LIT("success")
                                                   : TY_STR_LIT("failure"));
    p->net_anchored = true;
}

/* ---- record ---------------------------------------------------------------- */

static int aud_record(struct ty_parse_ctx *ctx, const struct ty_record *rec, struct ty_err *err)
{
    struct aud *a = ctx->priv;
    struct audit_hdr h;
    struct cap c;
    char why[96];
    struct ty_str line = ty_str_make(rec->p, rec->len);
    int rc;

    if (!a)
        return ty_err_set(err, TY_EINVAL, "auditd: record() before open()");
    a->n_lines++;
    while (line.len && (line.p[line.len - 1] == '\r' || line.p[line.len - 1] == '\n'))
        line.len--;
    if (ty__audit_header(line, &h, why, sizeof(why)) != 0)
        return CORRUPT("%s", why);
    if (memchr(line.p, '\n', line.len))
        return CORRUPT("byte %zu: a line break inside the record",
                       (size_t)((const char *)memchr(line.p, '\n', line.len) - line.p));
    if (h.sec > INT64_MAX / TY_NS_PER_SEC - 1)
        return CORRUPT("byte %zu: time out of range", (size_t)(h.stamp.p - line.p));
    memset(&c, 0, sizeof(c));
    ty__audit_walk(line, TY__AW_RAW | TY__AW_ENRICH, cap_kv, &c);

    struct ty_event *ev = &a->ev;
    ty_event_clear(ev);
    ty_event_set_int(ev, TY_F_TS, h.sec * TY_NS_PER_SEC + (int64_t)h.ms * 1000000);
    ty_event_set_int(ev, TY_F_TS_PREC, 3);
    ty_event_set_str(ev, TY_F_TIME_TEXT, h.stamp);
    ty_event_set_str(ev, TY_F_CORRELATION_ID, h.stamp);
    ty_event_set_str(ev, TY_F_HOST, h.node);
    ty_event_set_str(ev, TY_F_PROVIDER, TY_STR_LIT("auditd"));
    ty_event_set_str(ev, TY_F_CATEGORY, TY_STR_LIT("audit"));
    ty_event_set_str(ev, TY_F_ACTION, ty__audit_type(h.type));

    struct ty_str t = ty__audit_type(h.type);
    uint64_t node = ty_str_hash(h.node);
    int64_t n;
    struct pend *p;

    if (ty_str_eq_cstr(t, "EOE")) {
        p = pend_find(a, &h, node, false);
    } else {
        p = pend_find(a, &h, node, true);
    }

    if (ty_str_eq_cstr(t, "SYSCALL")) {
        struct ty_str sysname = ename(c.v[K_E_SYSCALL]);
        if (!sysname.len) {
            const char *sn = ty__audit_syscall_name(c.v[K_ARCH], c.v[K_SYSCALL]);
            sysname = sn ? ty_str_cstr(sn) : TY_STR_NULL;
        }
        ty_event_set_str(ev, TY_F_CATEGORY, TY_STR_LIT("syscall"));
        ty_event_set_str(ev, TY_F_ACTION, sysname.len ? sysname : TY_STR_LIT("syscall"));
        if (p) {
            pend_syscall(p, &c, sysname);
            struct ty_str s = dec(ctx, t, "exe", c.v[K_EXE]);
            KEEP(p->exe, s);
            if (p->has_pid)
                pid_note(a, node, p->pid, s);
            s = dec(ctx, t, "comm", c.v[K_COMM]);
            KEEP(p->comm, s);
            s = dec(ctx, t, "key", c.v[K_KEY]);
            ptrdiff_t k = ty_str_chr(s, '\x01');
            if (k >= 0)
                s.len = (size_t)k;
            KEEP(p->key, s);
            put_process(a, ctx, ev, p);
            if (p->in_progress)
                ty_event_set_str(ev, TY_F_OUTCOME, TY_STR_LIT("unknown")); /* EINPROGRESS */
            else if (p->succ_known)
                ty_event_set_str(ev, TY_F_OUTCOME, p->succ ? TY_STR_LIT("success")
                                                           : TY_STR_LIT("failure"));
            if (c.v[K_EXIT].p)
                ty_event_set_str(ev, TY_F_STATUS_CODE, c.v[K_EXIT]);
        }
    } else if (ty_str_eq_cstr(t, "EXECVE")) {
        if (p) {
            if (!p->have_exec) {
                p->have_exec = true;
                p->argv_len = 0;
                p->next_arg = 0;
                p->last_arg = -1;
                p->argc = -1;
            }
            if (c.v[K_ARGC].p && ty_str_to_i64(c.v[K_ARGC], &n) == 0)
                p->argc = n;
            ty__audit_walk(line, 0, argv_kv, p);
        }
    } else if (ty_str_eq_cstr(t, "CWD")) {
        struct ty_str s = dec(ctx, t, "cwd", c.v[K_CWD]);
        ty_event_set_str(ev, TY_F_PROC_CWD, s);
        if (p)
            KEEP(p->cwd, s);
    } else if (ty_str_eq_cstr(t, "PATH")) {
        ty_event_set_str(ev, TY_F_FILE_PATH, dec(ctx, t, "name", c.v[K_NAME]));
        /* the process that touched the path (open, unlink, chmod ...): an exec's PATH
         * records are its exec view's business */
        if (p && p->have_sys && !p->have_exec)
            put_process(a, ctx, ev, p);
    } else if (ty_str_eq_cstr(t, "PROCTITLE")) {
        struct ty_str s = dec(ctx, t, "proctitle", c.v[K_PROCTITLE]);
        if (s.len && ty__audit_is_hex(c.v[K_PROCTITLE])) { /* hex: NULs between the args */
            char *w = (char *)s.p;
            for (size_t i = 0; i < s.len; i++)
                if (w[i] == '\0')
                    w[i] = ' ';
            while (s.len && w[s.len - 1] == ' ')
                s.len--;
        }
        ty_event_set_str(ev, TY_F_PROC_CMDLINE, s);
    } else if (ty_str_eq_cstr(t, "SOCKADDR")) {
        struct audit_sa sa;
        if (c.v[K_SADDR].p && ty__audit_sockaddr(c.v[K_SADDR], &sa) == 0) {
            if (sa.family == 2 || sa.family == 10) {
                ty_event_set_ip(ev, TY_F_DST_IP, &sa.ip);
                ty_event_set_int(ev, TY_F_DST_PORT, sa.port);
            } else if (sa.family == 1 && sa.path[0]) {
                ty_event_set_str(ev, TY_F_DST_ADDR, ty_arena_str(ctx->arena,
                                                                 ty_str_cstr(sa.path)));
            }
        }
    } else if (type_in(t, auth_types) || type_in(t, iam_types) ||
               ty_str_eq_cstr(t, "USER_CMD")) {
        bool iam = type_in(t, iam_types), cmd = ty_str_eq_cstr(t, "USER_CMD");
        ty_event_set_str(ev, TY_F_CATEGORY, cmd ? TY_STR_LIT("process")
                                          : iam ? TY_STR_LIT("iam")
                                                : TY_STR_LIT("auth"));
        if (c.v[K_PID].p && ty_str_to_i64(c.v[K_PID], &n) == 0)
            ty_event_set_int(ev, TY_F_PID, n);
        if (id_num(c.v[K_UID], &n))
            ty_event_set_int(ev, TY_F_PROC_UID, n);
        if (id_num(c.v[K_AUID], &n))
            ty_event_set_str(ev, TY_F_ACTOR_ID, ty_arena_printf(ctx->arena, "%lld",
                                                                (long long)n));
        if (id_num(c.v[K_SES], &n))
            ty_event_set_str(ev, TY_F_ACTOR_SESSION, ty_arena_printf(ctx->arena, "%lld",
                                                                     (long long)n));
        ty_event_set_str(ev, TY_F_PROC_EXE, dec(ctx, t, "exe", c.v[K_EXE]));
        ty_event_set_str(ev, TY_F_STATUS_DETAIL, dec(ctx, t, "op", c.v[K_OP]));
        struct ty_str acct = dec(ctx, t, "acct", c.v[K_ACCT]);
        if (!acct.len)
            acct = ename(c.v[K_E_ACCT]);
        if (!acct.len)
            acct = ename(c.v[K_E_ID]);
        struct ty_str auser = ename(c.v[K_E_AUID]), user = ename(c.v[K_E_UID]);
        if (iam) {
            ty_event_set_str(ev, TY_F_ACTOR, auser.len ? auser : user);
            if (!acct.len && c.v[K_ID].p && !absent(c.v[K_ID]))
                acct = c.v[K_ID];
            ty_event_set_str(ev, TY_F_TARGET_USER, acct);
        } else if (cmd) {
            ty_event_set_str(ev, TY_F_ACTOR, user.len ? user : auser);
            ty_event_set_str(ev, TY_F_PROC_CMDLINE, dec(ctx, t, "cmd", c.v[K_CMD]));
            ty_event_set_str(ev, TY_F_PROC_CWD, dec(ctx, t, "cwd", c.v[K_CWD]));
        } else {
            ty_event_set_str(ev, TY_F_ACTOR, acct.len ? acct : auser);
        }
        struct ty_str addr = c.v[K_ADDR];
        if (!addr.p || absent(addr))
            addr = c.v[K_HOSTNAME];
        if (addr.p && !absent(addr))
            ty_event_set_addr(ev, TY_F_SRC_IP, TY_F_SRC_ADDR, addr);
        if (c.v[K_RES].p)
            set_outcome_res(ev, c.v[K_RES]);
    } else if (type_in(t, mac_types)) {
        ty_event_set_str(ev, TY_F_CATEGORY, TY_STR_LIT("mac"));
        if (c.v[K_PID].p && ty_str_to_i64(c.v[K_PID], &n) == 0)
            ty_event_set_int(ev, TY_F_PID, n);
        ty_event_set_str(ev, TY_F_PROC_EXE, dec(ctx, t, "exe", c.v[K_EXE]));
        struct ty_str f = dec(ctx, t, "path", c.v[K_PATH]);
        ty_event_set_str(ev, TY_F_FILE_PATH, f.len ? f : dec(ctx, t, "name", c.v[K_NAME]));
        if (ty_str_eq_cstr(c.v[K_SERESULT], "denied")) {
            ty_event_set_str(ev, TY_F_OUTCOME, TY_STR_LIT("failure"));
            ty_event_set_str(ev, TY_F_DISPOSITION, TY_STR_LIT("blocked"));
        } else if (ty_str_eq_cstr(c.v[K_SERESULT], "granted")) {
            ty_event_set_str(ev, TY_F_OUTCOME, TY_STR_LIT("success"));
            ty_event_set_str(ev, TY_F_DISPOSITION, TY_STR_LIT("allowed"));
        }
        if (c.v[K_RES].p)
            set_outcome_res(ev, c.v[K_RES]);
    } else if (c.v[K_RES].p) {
        set_outcome_res(ev, c.v[K_RES]);
    }

    /* the assembled views */
    if (p && p->have_exec && !p->anchored &&
        (!ty_str_eq_cstr(t, "EXECVE") || (p->cwd_len && p->argc >= 0 && p->next_arg >= p->argc)))
        anchor_exec(a, ctx, ev, p);
    else if (p && ty_str_eq_cstr(t, "SOCKADDR") && !p->net_anchored &&
             ty_str_eq_cstr(KEPT(p->sysname), "connect"))
        anchor_connect(a, ctx, ev, p);
    if (p && ty_str_eq_cstr(t, "EOE"))
        p->used = false;

    rc = ty_parse_emit(ctx, ev);
    return rc < 0 ? rc : TY_OK;
}

/* ---- sniff, open, views ---------------------------------------------------- */

static int aud_sniff(struct ty_str head)
{
    struct audit_hdr h;
    char why[96];
    head = ty_parse_skip_ws(head);
    /* the first line; a damaged first line may be followed by good ones */
    for (int i = 0; i < 4 && head.len; i++) {
        const char *nl = memchr(head.p, '\n', head.len);
        struct ty_str l = ty_str_make(head.p, nl ? (size_t)(nl - head.p) : head.len);
        if (!nl && i > 0)
            break; /* a cut last line proves nothing */
        if (l.len && l.p[l.len - 1] == '\r')
            l.len--;
        if (ty__audit_header(l, &h, why, sizeof(why)) == 0)
            return i == 0 ? 95 : 70;
        if (!nl)
            break;
        head = ty_str_make(nl + 1, head.len - (size_t)(nl + 1 - head.p));
    }
    return 0;
}

static int aud_open(struct ty_parse_ctx *ctx, struct ty_err *err)
{
    struct aud *a = calloc(1, sizeof(*a));
    if (!a)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    ctx->priv = a;
    ctx->frame.kind = TY_FRAME_LINES;
    ctx->frame.key = NULL;
    bool enriched = ctx->head.len && memchr(ctx->head.p, 0x1d, ctx->head.len);
    bool node = ty_str_starts(ty_parse_skip_ws(ctx->head), "node=");
    snprintf(ctx->shape, sizeof(ctx->shape), "%s audit.log%s",
             enriched ? "enriched" : "raw", node ? " with node names" : "");
    return 0;
}

static int aud_taxonomy(const struct ty_event *ev)
{
    struct ty_str cat = ty_event_str(ev, TY_F_CATEGORY), act = ty_event_str(ev, TY_F_ACTION);
    if (ty_str_eq_cstr(cat, "process") && ty_str_eq_cstr(act, "exec"))
        return TY_SCAT_PROCESS_CREATION;
    if (ty_str_eq_cstr(cat, "network") && ty_str_eq_cstr(act, "connect"))
        return TY_SCAT_NETWORK_CONNECTION;
    return TY_SCAT_NONE;
}

static int aud_fields(const struct ty_event *ev, ty_kv_fn kv, void *arg)
{
    int rc = ty__audit_walk(ev->raw, 0, kv, arg);
    return rc < 0 ? 0 : rc;
}

const struct ty_parser ty_parser_auditd = {
    .abi = TY_PARSER_ABI,
    .name = "auditd",
    .desc = "Linux audit.log, raw and enriched: every record, exec and connect events "
            "assembled",
    .sniffs = "first line \"[node=N ]type=T msg=audit(SEC.MS:SERIAL):\" (95)",
    .flags = TY_PARSER_F_TEXT,
    .sniff = aud_sniff,
    .open = aud_open,
    .record = aud_record,
    .close = ty_parse_free_priv,
    .logsource = {"linux", "auditd", NULL},
    .taxonomy = aud_taxonomy,
    .fields = aud_fields,
};
