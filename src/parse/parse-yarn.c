/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse-yarn.c - Hadoop YARN evidence on a node's disk: the NodeManager's
 * container launch scripts and the ResourceManager's file-system state store.
 * One event per file; each file is one record (TY_FRAME_WHOLE, bounded).
 *
 * yarn-launch-script: nm-local-dir/usercache/USER/appcache/APP/CONTAINER/
 * launch_container.sh, written by the NodeManager (ContainerLaunch) and run
 * by it to start the container: "#!/bin/bash", "export NAME="value"" lines
 * (CONTAINER_ID, USER, LOGNAME, NM_HOST, PWD, LOCAL_DIRS,
 * APP_SUBMIT_TIME_ENV in ms...), "ln -sf" lines for localized resources, and
 * "exec /bin/bash -c "<command>"" (the command the submitter asked for,
 * joined by spaces, not escaped). Event: category "process", action
 * "yarn-container-launch", process_exe /bin/bash, process_cmdline the
 * command, actor/process_user USER, container_id CONTAINER_ID, target the
 * application id (from the container id), host NM_HOST, process_cwd PWD,
 * ts APP_SUBMIT_TIME_ENV (the submission: the script is written at launch,
 * moments later; the file mtime when that is absent). Taxonomy
 * process_creation: the NodeManager executes the script it wrote.
 *
 * yarn-rmstore: FSRMStateRoot/RMAppRoot/application_N/application_N holds one
 * ApplicationStateDataProto, appattempt_* one ApplicationAttemptStateDataProto
 * (Hadoop yarn_server_resourcemanager_recovery.proto, yarn_protos.proto),
 * protobuf wire format without a header. The wire format is decoded
 * generically (varints of at most 10 bytes, lengths checked against what is
 * left, nesting at most 16 deep, wire types 0 1 2 5; groups are refused)
 * and then read by the schema: application: 1 submit_time, 2 submission
 * context {1 id {1 id, 2 cluster_timestamp}, 2 name, 3 queue, 5 AM
 * ContainerLaunchContext {4 environment {1 key, 2 value}, 5 command}, 10
 * type}, 3 user, 4 start_time, 5 state, 7 finish_time; attempt: 1 attempt
 * id {1 app id, 2 attempt}, 2 master container {2 node {1 host}}, 4 state,
 * 7 start_time, 12 finish_time. Event: category "process", action
 * "yarn-app-submit" / "yarn-app-attempt", target the application id,
 * target_name the name, target_namespace the queue, actor the user,
 * process_cmdline the AM commands, ts the submit (start) time. A file whose
 * fields do not have the schema's types is still valid protobuf: its
 * printable strings are listed in the message (shape says "unknown layout"),
 * and its field 1, when a varint holding a plausible time in ms, is taken as
 * the submit time (submit_time is field 1 in every version; the message says so).
 * Invalid wire format is TY_ECORRUPT with the byte offset. Sniffed by path
 * only (the files have no magic): .../RMAppRoot/application_N_N/{application,
 * appattempt}_...
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/parser.h>
#include <tyto/time.h>

#define LAUNCH_MAX (16u << 20)
#define STATE_MAX (16u << 20)
#define PB_DEPTH 16
#define MSG_MAX 8192

struct yarn {
    struct ty_event ev;
    char app[80];
    char msg[MSG_MAX];
    size_t msg_len;
};

static const char *base_name(const char *p)
{
    const char *s = p ? strrchr(p, '/') : NULL;
    return s ? s + 1 : p ? p : "";
}

static void put_file_time(struct ty_parse_ctx *ctx, struct ty_event *ev)
{
    if (ctx->file_mtime) {
        ty_event_set_int(ev, TY_F_TS, ctx->file_mtime);
    } else {
        ty_event_set_int(ev, TY_F_TS, 0);
        ty_event_set_int(ev, TY_F_TS_PREC, 0);
    }
}

/* ---- launch_container.sh ------------------------------------------------- */

/* The value of `export NAME="value"` (or NAME=${NAME:-"value"}) in the script. */
static struct ty_str export_value(struct ty_str s, const char *name)
{
    size_t nl = strlen(name);
    while (s.len) {
        const char *e = memchr(s.p, '\n', s.len);
        struct ty_str l = ty_str_make(s.p, e ? (size_t)(e - s.p) : s.len);
        s = e ? ty_str_make(e + 1, s.len - l.len - 1) : TY_STR_NULL;
        if (!ty_str_starts(l, "export ") || l.len < 7 + nl + 1 ||
            memcmp(l.p + 7, name, nl) != 0 || l.p[7 + nl] != '=')
            continue;
        struct ty_str v = ty_str_make(l.p + 8 + nl, l.len - 8 - nl);
        if (ty_str_starts(v, "${")) { /* ${NAME:-"default"} */
            ptrdiff_t q = ty_str_chr(v, '"');
            if (q < 0)
                return TY_STR_NULL;
            v = ty_str_make(v.p + q, v.len - (size_t)q);
            if (ty_str_ends(v, "}"))
                v.len--;
        }
        if (v.len >= 2 && v.p[0] == '"' && v.p[v.len - 1] == '"')
            v = ty_str_make(v.p + 1, v.len - 2);
        return v;
    }
    return TY_STR_NULL;
}

/* The command of the script's final "exec /bin/bash -c "..."": the text
 * between the quote after -c and the last quote of the script. */
static struct ty_str exec_command(struct ty_str s, struct ty_str *shell)
{
    struct ty_str cmd = TY_STR_NULL;
    struct ty_str all = s;
    while (s.len) {
        const char *e = memchr(s.p, '\n', s.len);
        struct ty_str l = ty_str_make(s.p, e ? (size_t)(e - s.p) : s.len);
        s = e ? ty_str_make(e + 1, s.len - l.len - 1) : TY_STR_NULL;
        if (!ty_str_starts(l, "exec "))
            continue;
        struct ty_str r = ty_str_make(l.p + 5, l.len - 5);
        if (ty_str_starts(r, "setsid "))
            r = ty_str_make(r.p + 7, r.len - 7);
        ptrdiff_t sp = ty_str_chr(r, ' ');
        if (sp <= 0 || r.p[0] == '>' || r.p[0] == '2' || r.p[0] == '1')
            continue; /* exec >"${PRELAUNCH_OUT}": a redirection only */
        struct ty_str rest = ty_str_make(r.p + sp + 1, r.len - (size_t)sp - 1);
        if (!ty_str_starts(rest, "-c \""))
            continue;
        *shell = ty_str_make(r.p, (size_t)sp);
        const char *b = rest.p + 4;
        const char *end = all.p + all.len;
        const char *q = NULL;
        for (const char *p = end; p > b; p--)
            if (p[-1] == '"') {
                q = p - 1;
                break;
            }
        cmd = ty_str_make(b, q ? (size_t)(q - b) : (size_t)(end - b));
    }
    return cmd;
}

static int launch_record(struct ty_parse_ctx *ctx, const struct ty_record *rec,
                         struct ty_err *err)
{
    struct yarn *y = ctx->priv;
    struct ty_str s = ty_str_make(rec->p, rec->len), shell = TY_STR_NULL;
    if (!y)
        return ty_err_set(err, TY_EINVAL, "yarn-launch-script: record() before open()");
    if (memchr(s.p, '\0', s.len))
        return ty_err_set(err, TY_ECORRUPT, "launch script at byte %llu holds a NUL byte",
                          (unsigned long long)rec->offset);
    struct ty_str cmd = exec_command(s, &shell);
    struct ty_str cid = export_value(s, "CONTAINER_ID");
    if (!cmd.p && !cid.len)
        return ty_err_set(err, TY_ECORRUPT,
                          "launch script at byte %llu has neither an exec command nor a "
                          "CONTAINER_ID",
                          (unsigned long long)rec->offset);
    struct ty_event *ev = &y->ev;
    ty_event_clear(ev);
    ty_event_set_str(ev, TY_F_CATEGORY, TY_STR_LIT("process"));
    ty_event_set_str(ev, TY_F_ACTION, TY_STR_LIT("yarn-container-launch"));
    ty_event_set_str(ev, TY_F_PROVIDER, TY_STR_LIT("yarn-nodemanager"));
    ty_event_set_str(ev, TY_F_PROC_EXE, shell);
    ty_event_set_str(ev, TY_F_PROC_CMDLINE, cmd);
    struct ty_str user = export_value(s, "USER");
    if (!user.len)
        user = export_value(s, "LOGNAME");
    ty_event_set_str(ev, TY_F_ACTOR, user);
    ty_event_set_str(ev, TY_F_PROC_USER, user);
    ty_event_set_str(ev, TY_F_CONTAINER_ID, cid);
    ty_event_set_str(ev, TY_F_HOST, export_value(s, "NM_HOST"));
    ty_event_set_str(ev, TY_F_PROC_CWD, export_value(s, "PWD"));
    if (ctx->evidence)
        ty_event_set_str(ev, TY_F_FILE_PATH, ty_str_cstr(ctx->evidence));
    /* container_<ts>_<app>_<attempt>_<n> (or container_e<epoch>_...) -> application_<ts>_<app> */
    if (ty_str_starts(cid, "container_")) {
        struct ty_str r = ty_str_make(cid.p + 10, cid.len - 10);
        if (r.len && r.p[0] == 'e') {
            ptrdiff_t u = ty_str_chr(r, '_');
            r = u > 0 ? ty_str_make(r.p + u + 1, r.len - (size_t)u - 1) : TY_STR_NULL;
        }
        ptrdiff_t u1 = ty_str_chr(r, '_');
        if (u1 > 0) {
            struct ty_str r2 = ty_str_make(r.p + u1 + 1, r.len - (size_t)u1 - 1);
            ptrdiff_t u2 = ty_str_chr(r2, '_');
            if (u2 > 0) {
                ty_event_set_str(ev, TY_F_TARGET,
                        ty_arena_printf(ctx->arena, "application_%.*s_%.*s", (int)u1, r.p,
                                        (int)u2, r2.p));
                ty_event_set_str(ev, TY_F_TARGET_KIND, TY_STR_LIT("yarn-application"));
            }
        }
    }
    struct ty_str sub = export_value(s, "APP_SUBMIT_TIME_ENV");
    int64_t ms;
    const char *tnote;
    if (sub.len && ty_str_to_i64(sub, &ms) == 0 && ms > 0 && ms < INT64_MAX / 1000000) {
        ty_event_set_int(ev, TY_F_TS, ms * 1000000);
        ty_event_set_int(ev, TY_F_TS_PREC, 3);
        ty_event_set_str(ev, TY_F_TIME_TEXT, sub);
        tnote = "time: the application's submission (APP_SUBMIT_TIME_ENV); the script was "
                "written at the container's launch";
    } else {
        put_file_time(ctx, ev);
        tnote = ctx->file_mtime ? "time: the script file's last change"
                                : "time unknown (no APP_SUBMIT_TIME_ENV, no file mtime)";
    }
    ty_event_set_str(ev, TY_F_MESSAGE,
            ty_arena_printf(ctx->arena, "YARN container launch script%s; %s",
                            cmd.p ? "" : " without an exec command", tnote));
    int rc = ty_parse_emit(ctx, ev);
    return rc < 0 ? rc : TY_OK;
}

static int launch_sniff(struct ty_str head)
{
    struct ty_str s = ty_parse_skip_ws(head);
    if (!ty_str_starts(s, "#!/bin/bash") && !ty_str_starts(s, "#!/usr/bin/env bash"))
        return 0;
    int hits = ty_str_contains(s, "\nexport CONTAINER_ID=") +
               ty_str_contains(s, "\nexport NM_HOST=") +
               ty_str_contains(s, "\nexport LOCAL_DIRS=") +
               ty_str_contains(s, "\nexport APP_SUBMIT_TIME_ENV=") +
               ty_str_contains(s, "PRELAUNCH_OUT");
    return hits >= 2 ? 85 : 0;
}

static int launch_open(struct ty_parse_ctx *ctx, struct ty_err *err)
{
    struct yarn *y = calloc(1, sizeof(*y));
    if (!y)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    ctx->priv = y;
    ctx->frame.kind = TY_FRAME_WHOLE;
    ctx->frame.max_record = LAUNCH_MAX;
    snprintf(ctx->shape, sizeof(ctx->shape), "NodeManager launch_container.sh");
    return 0;
}

static int launch_taxonomy(const struct ty_event *ev)
{
    return ty_event_has(ev, TY_F_PROC_CMDLINE) ? TY_SCAT_PROCESS_CREATION : TY_SCAT_NONE;
}

static int launch_fields(const struct ty_event *ev, ty_kv_fn kv, void *arg)
{
    static const char *const names[] = {"CONTAINER_ID", "USER", "LOGNAME", "NM_HOST",
                                        "PWD", "LOCAL_DIRS", "LOG_DIRS", "APP_SUBMIT_TIME_ENV",
                                        "JAVA_HOME", "HOME"};
    int rc = 0;
    for (size_t i = 0; !rc && i < sizeof(names) / sizeof(names[0]); i++) {
        struct ty_str v = export_value(ev->raw, names[i]);
        if (v.p)
            rc = kv(arg, ty_str_cstr(names[i]), v);
    }
    if (!rc && ty_event_has(ev, TY_F_PROC_CMDLINE))
        rc = kv(arg, TY_STR_LIT("command"), ty_event_str(ev, TY_F_PROC_CMDLINE));
    return rc;
}

const struct ty_parser ty_parser_yarn_launch_script = {
    .abi = TY_PARSER_ABI,
    .name = "yarn-launch-script",
    .desc = "Hadoop YARN NodeManager launch_container.sh: one event with the container's "
            "command, user, container and application id",
    .sniffs = "\"#!/bin/bash\" and two of export CONTAINER_ID/NM_HOST/LOCAL_DIRS/"
              "APP_SUBMIT_TIME_ENV, PRELAUNCH_OUT (85)",
    .flags = TY_PARSER_F_TEXT,
    .sniff = launch_sniff,
    .open = launch_open,
    .record = launch_record,
    .close = ty_parse_free_priv,
    .logsource = {"linux", "yarn", NULL},
    .taxonomy = launch_taxonomy,
    .fields = launch_fields,
};

/* ---- protobuf wire format --------------------------------------------------- */

struct pb {
    const uint8_t *p;
    size_t len;
    size_t base; /* offset of p in the record, for messages */
};

struct pb_field {
    uint32_t num;
    int wt;
    uint64_t v;     /* varint / fixed value */
    struct pb sub;  /* wire type 2: the bytes */
};

static int pb_varint(const uint8_t *p, size_t len, size_t *pos, uint64_t *out)
{
    uint64_t v = 0;
    for (int i = 0; i < 10; i++) {
        if (*pos >= len)
            return -1;
        uint8_t b = p[(*pos)++];
        if (i == 9 && b > 1)
            return -1; /* more than 64 bits */
        v |= (uint64_t)(b & 0x7f) << (7 * i);
        if (!(b & 0x80)) {
            *out = v;
            return 0;
        }
    }
    return -1;
}

/* Next field of m at *pos: 1 read, 0 at the end, -1 invalid (*pos says where). */
static int pb_next(struct pb m, size_t *pos, struct pb_field *f)
{
    uint64_t tag;
    if (*pos >= m.len)
        return 0;
    if (pb_varint(m.p, m.len, pos, &tag) || tag >> 3 == 0 || tag >> 3 > 0x1fffffff)
        return -1;
    f->num = (uint32_t)(tag >> 3);
    f->wt = (int)(tag & 7);
    f->v = 0;
    f->sub = (struct pb){NULL, 0, 0};
    switch (f->wt) {
    case 0:
        return pb_varint(m.p, m.len, pos, &f->v) ? -1 : 1;
    case 1:
    case 5: {
        size_t n = f->wt == 1 ? 8 : 4;
        if (m.len - *pos < n)
            return -1;
        for (size_t i = 0; i < n; i++)
            f->v |= (uint64_t)m.p[*pos + i] << (8 * i);
        *pos += n;
        return 1;
    }
    case 2: {
        uint64_t n;
        if (pb_varint(m.p, m.len, pos, &n) || n > m.len - *pos)
            return -1;
        f->sub = (struct pb){m.p + *pos, (size_t)n, m.base + *pos};
        *pos += (size_t)n;
        return 1;
    }
    default:
        return -1; /* groups (3, 4) and 6, 7 */
    }
}

/* The whole of m parses as fields; *bad = offset of the field that does not. */
static bool pb_valid(struct pb m, size_t *bad)
{
    size_t pos = 0, start = 0;
    struct pb_field f;
    int r;
    for (;;) {
        start = pos;
        if ((r = pb_next(m, &pos, &f)) != 1)
            break;
    }
    if (r < 0 && bad)
        *bad = m.base + start; /* where the bad field begins */
    return r == 0;
}

static bool printable(struct pb b)
{
    if (!b.len)
        return false;
    for (size_t i = 0; i < b.len; i++)
        if (b.p[i] < 0x20 && b.p[i] != '\t' && b.p[i] != '\n' && b.p[i] != '\r')
            return false;
    return true;
}

/* The first field num of m, of wire type wt. */
static bool pb_get(struct pb m, uint32_t num, int wt, struct pb_field *out)
{
    size_t pos = 0;
    struct pb_field f;
    while (pb_next(m, &pos, &f) == 1)
        if (f.num == num && f.wt == wt) {
            *out = f;
            return true;
        }
    return false;
}

static bool pb_msg(struct pb m, uint32_t num, struct pb *out)
{
    struct pb_field f;
    if (!pb_get(m, num, 2, &f) || !pb_valid(f.sub, NULL))
        return false;
    *out = f.sub;
    return true;
}

static struct ty_str pb_string(struct pb m, uint32_t num)
{
    struct pb_field f;
    if (!pb_get(m, num, 2, &f) || !printable(f.sub))
        return TY_STR_NULL;
    return ty_str_make((const char *)f.sub.p, f.sub.len);
}

static bool pb_int(struct pb m, uint32_t num, int64_t *out)
{
    struct pb_field f;
    if (!pb_get(m, num, 0, &f))
        return false;
    *out = (int64_t)f.v;
    return true;
}

static void msg_add(struct yarn *y, const char *s, size_t n)
{
    if (y->msg_len + n + 4 >= MSG_MAX) {
        if (y->msg_len + 4 < MSG_MAX) {
            memcpy(y->msg + y->msg_len, "...", 3);
            y->msg_len += 3;
        }
        y->msg_len = MSG_MAX - 1 < y->msg_len ? MSG_MAX - 1 : y->msg_len;
        return;
    }
    memcpy(y->msg + y->msg_len, s, n);
    y->msg_len += n;
}

/* Every printable string of m and its nested messages, " | " separated. */
static void pb_strings(struct yarn *y, struct pb m, int depth)
{
    size_t pos = 0;
    struct pb_field f;
    while (pb_next(m, &pos, &f) == 1) {
        if (f.wt != 2)
            continue;
        if (printable(f.sub)) {
            if (y->msg_len)
                msg_add(y, " | ", 3);
            msg_add(y, (const char *)f.sub.p, f.sub.len);
        } else if (depth < PB_DEPTH && pb_valid(f.sub, NULL)) {
            pb_strings(y, f.sub, depth + 1);
        }
    }
}

/* ApplicationIdProto {1 id, 2 cluster_timestamp} -> "application_<ts>_<id %04d>". */
static bool app_id_text(struct pb m, char *out, size_t cap)
{
    int64_t id, ts;
    if (!pb_int(m, 1, &id) || !pb_int(m, 2, &ts) || id < 0 || ts < 0)
        return false;
    snprintf(out, cap, "application_%lld_%04lld", (long long)ts, (long long)id);
    return true;
}

static void put_ms(struct ty_event *ev, enum ty_field f, int64_t ms)
{
    if (ms > 0 && ms < INT64_MAX / 1000000) {
        ty_event_set_int(ev, f, ms * 1000000);
        if (f == TY_F_TS)
            ty_event_set_int(ev, TY_F_TS_PREC, 3);
    }
}

/* ApplicationStateDataProto read by the schema; false when the types differ. */
static bool app_state(struct ty_parse_ctx *ctx, struct yarn *y, struct pb m)
{
    struct ty_event *ev = &y->ev;
    struct pb ctxm, idm, clc;
    int64_t t;
    if (!pb_msg(m, 2, &ctxm))
        return false;
    if (pb_msg(ctxm, 1, &idm) && app_id_text(idm, y->app, sizeof(y->app)))
        ty_event_set_str(ev, TY_F_TARGET, ty_str_cstr(y->app));
    ty_event_set_str(ev, TY_F_TARGET_NAME, pb_string(ctxm, 2));
    ty_event_set_str(ev, TY_F_TARGET_NAMESPACE, pb_string(ctxm, 3));
    struct ty_str user = pb_string(m, 3);
    ty_event_set_str(ev, TY_F_ACTOR, user);
    ty_event_set_str(ev, TY_F_PROC_USER, user);
    if (pb_int(m, 1, &t))
        put_ms(ev, TY_F_TS, t);
    if (pb_int(m, 7, &t))
        put_ms(ev, TY_F_TS_END, t);
    if (pb_msg(ctxm, 5, &clc)) {
        size_t pos = 0, cl = 0;
        struct pb_field f;
        char *cmd = ty_arena_alloc(ctx->arena, MSG_MAX);
        while (cmd && pb_next(clc, &pos, &f) == 1) {
            if (f.num == 5 && f.wt == 2 && f.sub.len < MSG_MAX - cl - 1) {
                if (cl)
                    cmd[cl++] = ' ';
                memcpy(cmd + cl, f.sub.p, f.sub.len);
                cl += f.sub.len;
            } else if (f.num == 4 && f.wt == 2 && pb_valid(f.sub, NULL)) {
                struct ty_str k = pb_string(f.sub, 1), v = pb_string(f.sub, 2);
                if (k.len) {
                    msg_add(y, y->msg_len ? "; " : "env ", y->msg_len ? 2 : 4);
                    msg_add(y, k.p, k.len);
                    msg_add(y, "=", 1);
                    msg_add(y, v.p ? v.p : "", v.len);
                }
            }
        }
        if (cmd && cl)
            ty_event_set_str(ev, TY_F_PROC_CMDLINE, ty_str_make(cmd, cl));
    }
    struct ty_str type = pb_string(ctxm, 10);
    int64_t state = -1;
    pb_int(m, 5, &state);
    struct ty_str head = ty_arena_printf(ctx->arena, "YARN application%s%.*s, state %lld%s",
                                         type.len ? " type " : "", (int)type.len,
                                         type.p ? type.p : "", (long long)state,
                                         y->msg_len ? "; " : "");
    if (head.p) {
        struct ty_str all = ty_arena_printf(ctx->arena, "%.*s%.*s", (int)head.len, head.p,
                                            (int)y->msg_len, y->msg);
        ty_event_set_str(ev, TY_F_MESSAGE, all);
    }
    return true;
}

/* ApplicationAttemptStateDataProto read by the schema. */
static bool attempt_state(struct ty_parse_ctx *ctx, struct yarn *y, struct pb m)
{
    struct ty_event *ev = &y->ev;
    struct pb aid, app, mc, node;
    int64_t t, n = 0;
    if (!pb_msg(m, 1, &aid) || !pb_msg(aid, 1, &app) || !app_id_text(app, y->app, sizeof(y->app)))
        return false;
    ty_event_set_str(ev, TY_F_TARGET, ty_str_cstr(y->app));
    pb_int(aid, 2, &n);
    ty_event_set_str(ev, TY_F_TARGET_NAME, ty_arena_printf(ctx->arena, "appattempt_%s_%06lld",
                                                  y->app + 12, (long long)n));
    if (pb_int(m, 7, &t))
        put_ms(ev, TY_F_TS, t);
    if (pb_int(m, 12, &t))
        put_ms(ev, TY_F_TS_END, t);
    struct ty_str host = TY_STR_NULL;
    if (pb_msg(m, 2, &mc) && pb_msg(mc, 2, &node))
        host = pb_string(node, 1);
    int64_t state = -1;
    pb_int(m, 4, &state);
    ty_event_set_str(ev, TY_F_MESSAGE,
            ty_arena_printf(ctx->arena, "YARN application attempt, state %lld%s%.*s",
                            (long long)state, host.len ? ", AM container on " : "",
                            (int)host.len, host.p ? host.p : ""));
    return true;
}

static int state_record(struct ty_parse_ctx *ctx, const struct ty_record *rec,
                        struct ty_err *err)
{
    struct yarn *y = ctx->priv;
    if (!y)
        return ty_err_set(err, TY_EINVAL, "yarn-rmstore: record() before open()");
    struct pb m = {(const uint8_t *)rec->p, rec->len, rec->offset};
    size_t bad = 0;
    if (!rec->len)
        return ty_err_set(err, TY_ECORRUPT, "empty state store file");
    if (!pb_valid(m, &bad))
        return ty_err_set(err, TY_ECORRUPT,
                          "not protobuf: bad tag, length or varint in the field at byte %llu",
                          (unsigned long long)bad);
    struct ty_event *ev = &y->ev;
    ty_event_clear(ev);
    y->msg_len = 0;
    y->app[0] = '\0';
    const char *name = base_name(ctx->evidence);
    bool attempt = strncmp(name, "appattempt_", 11) == 0;
    ty_event_set_str(ev, TY_F_CATEGORY, TY_STR_LIT("process"));
    ty_event_set_str(ev, TY_F_ACTION, attempt ? TY_STR_LIT("yarn-app-attempt")
                                     : TY_STR_LIT("yarn-app-submit"));
    ty_event_set_str(ev, TY_F_PROVIDER, TY_STR_LIT("yarn-resourcemanager"));
    ty_event_set_str(ev, TY_F_TARGET_KIND, TY_STR_LIT("yarn-application"));
    if (ctx->evidence)
        ty_event_set_str(ev, TY_F_FILE_PATH, ty_str_cstr(ctx->evidence));
    bool ok = attempt ? attempt_state(ctx, y, m) : app_state(ctx, y, m);
    if (!ok) {
        /* valid protobuf, not the schema's types: list its strings */
        ty_event_clear(ev);
        y->msg_len = 0;
        ty_event_set_str(ev, TY_F_CATEGORY, TY_STR_LIT("process"));
        ty_event_set_str(ev, TY_F_ACTION, attempt ? TY_STR_LIT("yarn-app-attempt")
                                         : TY_STR_LIT("yarn-app-submit"));
        ty_event_set_str(ev, TY_F_PROVIDER, TY_STR_LIT("yarn-resourcemanager"));
        ty_event_set_str(ev, TY_F_TARGET_KIND, TY_STR_LIT("yarn-application"));
        if (ctx->evidence)
            ty_event_set_str(ev, TY_F_FILE_PATH, ty_str_cstr(ctx->evidence));
        if (strncmp(name, "application_", 12) == 0)
            ty_event_set_str(ev, TY_F_TARGET, ty_str_cstr(name));
        pb_strings(y, m, 0);
        /* field 1 is submit_time in every version of the message: a varint holding a
         * plausible time in ms (2000 to 2100) is read as such, and said so */
        int64_t st;
        bool timed = !attempt && pb_int(m, 1, &st) && st > INT64_C(946684800000) &&
                     st < INT64_C(4102444800000);
        if (timed)
            put_ms(ev, TY_F_TS, st);
        ty_event_set_str(ev, TY_F_MESSAGE,
                         ty_arena_printf(ctx->arena,
                                         "protobuf not in the %s layout%s; its strings: %.*s",
                                         attempt ? "ApplicationAttemptStateDataProto"
                                                 : "ApplicationStateDataProto",
                                         timed ? " (time: field 1 read as submit_time)" : "",
                                         (int)y->msg_len, y->msg));
        snprintf(ctx->shape, sizeof(ctx->shape), "YARN RM state store file (unknown layout)");
    }
    if (!ty_event_has(ev, TY_F_TS))
        put_file_time(ctx, ev);
    int rc = ty_parse_emit(ctx, ev);
    return rc < 0 ? rc : TY_OK;
}

static int state_sniff(struct ty_str head)
{
    (void)head;
    return 0; /* no magic: recognised by its place (state_sniff_path) */
}

static bool yarn_id(const char *s, size_t n, const char *prefix)
{
    size_t pl = strlen(prefix), i = pl, us = 0;
    if (n <= pl || strncmp(s, prefix, pl) != 0)
        return false;
    for (; i < n; i++) {
        if (s[i] == '_')
            us++;
        else if (s[i] < '0' || s[i] > '9')
            return false;
    }
    return us >= 1;
}

static int state_sniff_path(const char *path, struct ty_str head)
{
    const char *b = base_name(path);
    if (!path || b == path || !strstr(path, "RMAppRoot/application_"))
        return 0;
    const char *d = b - 1;
    const char *ds = d;
    while (ds > path && ds[-1] != '/')
        ds--;
    if (!yarn_id(ds, (size_t)(d - ds), "application_"))
        return 0;
    if (!yarn_id(b, strlen(b), "application_") && !yarn_id(b, strlen(b), "appattempt_"))
        return 0;
    struct pb m = {(const uint8_t *)head.p, head.len, 0};
    if (head.len < 64 * 1024 && !pb_valid(m, NULL))
        return 10; /* the place fits, the bytes do not: quarantined with the reason */
    return 80;
}

static int state_open(struct ty_parse_ctx *ctx, struct ty_err *err)
{
    struct yarn *y = calloc(1, sizeof(*y));
    if (!y)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    ctx->priv = y;
    ctx->frame.kind = TY_FRAME_WHOLE;
    ctx->frame.max_record = STATE_MAX;
    snprintf(ctx->shape, sizeof(ctx->shape), "YARN RM state store file (protobuf)");
    return 0;
}

/* The normalised values by name (the raw record is binary protobuf); "strings" is the
 * list of printable strings of a file not in the known layout. */
static int state_fields(const struct ty_event *ev, ty_kv_fn kv, void *arg)
{
    static const struct {
        const char *name;
        enum ty_field f;
    } map[] = {{"application_id", TY_F_TARGET}, {"attempt_id", TY_F_TARGET_NAME},
               {"user", TY_F_ACTOR},            {"queue", TY_F_TARGET_NAMESPACE},
               {"command", TY_F_PROC_CMDLINE},  {"message", TY_F_MESSAGE}};
    bool attempt = ty_str_eq_cstr(ty_event_str(ev, TY_F_ACTION), "yarn-app-attempt");
    int rc = 0;
    for (size_t i = 0; !rc && i < sizeof(map) / sizeof(map[0]); i++) {
        struct ty_str v = ty_event_str(ev, map[i].f);
        const char *name = map[i].name;
        if (map[i].f == TY_F_TARGET_NAME && !attempt)
            name = "name";
        if (v.len)
            rc = kv(arg, ty_str_cstr(name), v);
    }
    struct ty_str m = ty_event_str(ev, TY_F_MESSAGE);
    const char *key = "; its strings: ";
    for (size_t i = 0; !rc && m.len >= strlen(key) && i <= m.len - strlen(key); i++)
        if (memcmp(m.p + i, key, strlen(key)) == 0) {
            size_t b = i + strlen(key);
            rc = kv(arg, TY_STR_LIT("strings"), ty_str_make(m.p + b, m.len - b));
            break;
        }
    return rc;
}

const struct ty_parser ty_parser_yarn_rmstore = {
    .abi = TY_PARSER_ABI,
    .name = "yarn-rmstore",
    .desc = "Hadoop YARN ResourceManager FS state store (application_*, appattempt_* "
            "protobuf): application id, user, queue, name, times, AM command",
    .sniffs = "by path: .../RMAppRoot/application_N_N/{application,appattempt}_... holding "
              "valid protobuf wire format (80)",
    .flags = 0,
    .sniff = state_sniff,
    .open = state_open,
    .record = state_record,
    .close = ty_parse_free_priv,
    .sniff_path = state_sniff_path,
    .logsource = {"hadoop", "yarn", NULL},
    .fields = state_fields,
};
