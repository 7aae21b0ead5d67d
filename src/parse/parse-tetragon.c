/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse-tetragon.c - Cilium Tetragon JSON events (the export file or the
 * export-stdout container, `tetra getevents -o json`): one event per line.
 *
 * Record format (formats.md §8.3): exactly one event key - process_exec
 * {process, parent}, process_exit {process, parent, signal, status},
 * process_kprobe / process_tracepoint / process_uprobe / process_lsm
 * {process, parent, function_name, args[], return, action, policy_name},
 * process_loader, process_throttle - plus node_name, time (RFC 3339 ns),
 * cluster_name. process: exec_id, pid, uid, cwd, binary, arguments (one
 * space-joined string, argv[0] excluded), start_time, parent_exec_id,
 * docker (short container id), pod{namespace, name, container{id
 * ("containerd://<hex>"), name, image{name}}}, user{name}.
 * Quirks: protobuf JSON omits zero values (uid 0 is absent: a present
 * process with no uid is root) and writes 64-bit integers as strings; the
 * gRPC/`tetra` encoder spells keys in camelCase (processExec, execId,
 * nodeName) - both spellings are read. kprobe args are typed unions
 * ({"sock_arg":{saddr, daddr, sport, dport}}, {"file_arg":{path}},
 * {"path_arg":{path}}): the first socket gives the addresses, the first
 * file or path the file. The command line is binary + " " + arguments.
 * Mapping: docs/internals/RUNTIME-PARSERS.md.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/parser.h>
#include <tyto/time.h>

struct conv {
    struct ty_parse_ctx *ctx;
    const struct ty_json_doc *d;
    struct ty_err *err;
    int rc; /* sticky TY_ENOMEM */
};

/* The event keys, snake_case then camelCase, and their action. */
static const struct {
    const char *snake, *camel, *action;
} kinds[] = {
    {"process_exec", "processExec", "exec"},
    {"process_exit", "processExit", "exit"},
    {"process_kprobe", "processKprobe", "kprobe"},
    {"process_tracepoint", "processTracepoint", "tracepoint"},
    {"process_uprobe", "processUprobe", "uprobe"},
    {"process_lsm", "processLsm", "lsm"},
    {"process_loader", "processLoader", "loader"},
    {"process_throttle", "processThrottle", "throttle"},
};

#define N_KINDS (sizeof(kinds) / sizeof(kinds[0]))

/* A member by its snake_case name, else its camelCase spelling. */
static uint32_t get2(const struct ty_json_doc *d, uint32_t obj, const char *snake,
                     const char *camel)
{
    uint32_t v = ty_json_get(d, obj, snake);
    if (v == TY_JSON_NONE && camel)
        v = ty_json_get(d, obj, camel);
    return v;
}

static struct ty_str text(struct conv *c, uint32_t i)
{
    struct ty_str s = TY_STR_NULL;
    int t = ty_json_type(c->d, i);
    if (t != TY_JSON_STRING && t != TY_JSON_NUMBER)
        return TY_STR_NULL;
    if (ty_json_text(c->d, i, c->ctx->arena, &s) == TY_ENOMEM)
        c->rc = TY_ENOMEM;
    return s;
}

static struct ty_str get_text(struct conv *c, uint32_t obj, const char *snake, const char *camel)
{
    return text(c, get2(c->d, obj, snake, camel));
}

/* Integer member (number or proto3 string); false when absent or not one. */
static bool get_int(struct conv *c, uint32_t obj, const char *snake, const char *camel,
                    int64_t *out)
{
    return ty_json_i64(c->d, get2(c->d, obj, snake, camel), out) == 0;
}

/* "containerd://<hex>", "docker://<hex>", "cri-o://<hex>" -> "<hex>" */
static struct ty_str strip_runtime(struct ty_str id)
{
    for (size_t i = 0; i + 2 < id.len; i++)
        if (id.p[i] == ':' && id.p[i + 1] == '/' && id.p[i + 2] == '/')
            return ty_str_make(id.p + i + 3, id.len - i - 3);
    return id;
}

static void map_process(struct conv *c, struct ty_event *ev, uint32_t proc, uint32_t parent)
{
    const struct ty_json_doc *d = c->d;
    int64_t n;
    if (ty_json_type(d, proc) == TY_JSON_OBJECT) {
        struct ty_str bin = get_text(c, proc, "binary", NULL);
        struct ty_str args = get_text(c, proc, "arguments", NULL);
        ty_event_set_str(ev, TY_F_PROC_EXE, bin);
        if (bin.len && args.len) {
            struct ty_str cmd = ty_arena_printf(c->ctx->arena, "%.*s %.*s", (int)bin.len, bin.p,
                                                (int)args.len, args.p);
            if (!cmd.p)
                c->rc = TY_ENOMEM;
            ty_event_set_str(ev, TY_F_PROC_CMDLINE, cmd);
        } else {
            ty_event_set_str(ev, TY_F_PROC_CMDLINE, bin.len ? bin : args);
        }
        if (get_int(c, proc, "pid", NULL, &n))
            ty_event_set_int(ev, TY_F_PID, n);
        /* proto3 omits zero: a process without uid ran as root */
        ty_event_set_int(ev, TY_F_PROC_UID, get_int(c, proc, "uid", NULL, &n) ? n : 0);
        ty_event_set_str(ev, TY_F_PROC_CWD, get_text(c, proc, "cwd", NULL));
        ty_event_set_str(ev, TY_F_CORRELATION_ID, get_text(c, proc, "exec_id", "execId"));
        ty_event_set_str(ev, TY_F_PROC_USER,
                         get_text(c, ty_json_get(d, proc, "user"), "name", NULL));
        uint32_t pod = ty_json_get(d, proc, "pod");
        uint32_t ctr = ty_json_get(d, pod, "container");
        ty_event_set_str(ev, TY_F_K8S_NAMESPACE, get_text(c, pod, "namespace", NULL));
        ty_event_set_str(ev, TY_F_K8S_POD, get_text(c, pod, "name", NULL));
        struct ty_str cid = strip_runtime(get_text(c, ctr, "id", NULL));
        if (!cid.len)
            cid = get_text(c, proc, "docker", NULL);
        ty_event_set_str(ev, TY_F_CONTAINER_ID, cid);
        ty_event_set_str(ev, TY_F_CONTAINER_NAME, get_text(c, ctr, "name", NULL));
        ty_event_set_str(ev, TY_F_CONTAINER_IMAGE,
                         get_text(c, ty_json_get(d, ctr, "image"), "name", NULL));
        if (get_int(c, proc, "parent_pid", "parentPid", &n))
            ty_event_set_int(ev, TY_F_PPID, n);
    }
    if (ty_json_type(d, parent) == TY_JSON_OBJECT) {
        ty_event_set_str(ev, TY_F_PARENT_EXE, get_text(c, parent, "binary", NULL));
        if (get_int(c, parent, "pid", NULL, &n))
            ty_event_set_int(ev, TY_F_PPID, n);
    }
}

/* Is a kprobe/tracepoint/lsm function a connect? */
static bool is_connect_fn(struct ty_str fn)
{
    return ty_str_eq_cstr(fn, "tcp_connect") || ty_str_eq_cstr(fn, "tcp_v4_connect") ||
           ty_str_eq_cstr(fn, "tcp_v6_connect") || ty_str_eq_cstr(fn, "__sys_connect") ||
           ty_str_eq_cstr(fn, "sys_connect") || ty_str_eq_cstr(fn, "__x64_sys_connect") ||
           ty_str_eq_cstr(fn, "security_socket_connect") ||
           ty_str_eq_cstr(fn, "ip4_datagram_connect");
}

/* The first socket and the first file among kprobe args. */
static void map_args(struct conv *c, struct ty_event *ev, uint32_t args)
{
    const struct ty_json_doc *d = c->d;
    bool sock = false, file = false;
    int64_t n;
    if (ty_json_type(d, args) != TY_JSON_ARRAY)
        return;
    for (uint32_t a = ty_json_first(d, args); a != TY_JSON_NONE; a = ty_json_next(d, a)) {
        uint32_t s = get2(d, a, "sock_arg", "sockArg");
        if (s == TY_JSON_NONE)
            s = get2(d, a, "sockaddr_arg", "sockaddrArg");
        if (!sock && ty_json_type(d, s) == TY_JSON_OBJECT) {
            sock = true;
            struct ty_str sa = get_text(c, s, "saddr", NULL), da = get_text(c, s, "daddr", NULL);
            if (sa.len)
                ty_event_set_addr(ev, TY_F_SRC_IP, TY_F_SRC_ADDR, sa);
            if (da.len)
                ty_event_set_addr(ev, TY_F_DST_IP, TY_F_DST_ADDR, da);
            if (!da.len) /* sockaddr_arg: {family, addr, port} */
                ty_event_set_addr(ev, TY_F_DST_IP, TY_F_DST_ADDR, get_text(c, s, "addr", NULL));
            if (get_int(c, s, "sport", NULL, &n))
                ty_event_set_int(ev, TY_F_SRC_PORT, n);
            if (get_int(c, s, "dport", NULL, &n) || get_int(c, s, "port", NULL, &n))
                ty_event_set_int(ev, TY_F_DST_PORT, n);
            struct ty_str proto = get_text(c, s, "protocol", NULL);
            if (ty_str_eq_cstr(proto, "IPPROTO_TCP"))
                ty_event_set_int(ev, TY_F_NET_PROTO, 6);
            else if (ty_str_eq_cstr(proto, "IPPROTO_UDP"))
                ty_event_set_int(ev, TY_F_NET_PROTO, 17);
        }
        uint32_t f = get2(d, a, "file_arg", "fileArg");
        if (f == TY_JSON_NONE)
            f = get2(d, a, "path_arg", "pathArg");
        if (!file && ty_json_type(d, f) == TY_JSON_OBJECT) {
            struct ty_str p = get_text(c, f, "path", NULL);
            if (p.len) {
                file = true;
                ty_event_set_str(ev, TY_F_FILE_PATH, p);
            }
        }
    }
}

static int tg_record(struct ty_parse_ctx *ctx, const struct ty_record *rec, struct ty_err *err)
{
    struct ty_event *ev = ctx->priv;
    struct conv c = {ctx, ctx->json, err, 0};
    struct ty_str s = ty_parse_skip_ws(ty_str_make(rec->p, rec->len));
    int64_t ns = 0, n;
    int prec = 0, rc;

    if (!ev)
        return ty_err_set(err, TY_EINVAL, "tetragon: record() before open()");
    if (!s.len)
        return TY_SKIP;
    rc = ty_json_parse(ctx->json, s.p, s.len, err);
    if (rc == TY_ECORRUPT) {
        char tmp[sizeof(err->msg)];
        snprintf(tmp, sizeof(tmp), "%s", err->msg);
        return ty_err_set(err, rc, "not JSON: %s", tmp);
    }
    if (rc)
        return rc;
    const struct ty_json_doc *d = ctx->json;
    if (ty_json_type(d, 0) != TY_JSON_OBJECT)
        return ty_err_set(err, TY_ECORRUPT, "not a Tetragon event (not an object)");
    size_t kind = N_KINDS;
    uint32_t body = TY_JSON_NONE;
    for (size_t i = 0; i < N_KINDS && kind == N_KINDS; i++) {
        body = get2(d, 0, kinds[i].snake, kinds[i].camel);
        if (body != TY_JSON_NONE)
            kind = i;
    }
    if (kind == N_KINDS)
        return ty_err_set(err, TY_ECORRUPT, "not a Tetragon event: no process_* event key");
    if (ty_json_type(d, body) != TY_JSON_OBJECT)
        return ty_err_set(err, TY_ECORRUPT, "Tetragon %s is not an object", kinds[kind].snake);
    struct ty_str ttext = get_text(&c, 0, "time", NULL);
    if (!ttext.len || ty_time_parse_iso(ttext, &ns, &prec, NULL) != 0)
        return ty_err_set(err, TY_ECORRUPT, "Tetragon event without an RFC 3339 \"time\": '%.*s'",
                          (int)(ttext.len > 40 ? 40 : ttext.len), ttext.p ? ttext.p : "");

    ty_event_clear(ev);
    ty_event_set_int(ev, TY_F_TS, ns);
    ty_event_set_int(ev, TY_F_TS_PREC, prec);
    ty_event_set_str(ev, TY_F_TIME_TEXT, ttext);
    ty_event_set_str(ev, TY_F_PROVIDER, TY_STR_LIT("tetragon"));
    ty_event_set_str(ev, TY_F_HOST, get_text(&c, 0, "node_name", "nodeName"));
    ty_event_set_str(ev, TY_F_K8S_CLUSTER, get_text(&c, 0, "cluster_name", "clusterName"));
    map_process(&c, ev, ty_json_get(d, body, "process"), ty_json_get(d, body, "parent"));
    /* node_name is the Kubernetes node name: a pod's events name their node */
    if (ty_event_has(ev, TY_F_K8S_POD))
        ty_event_set_str(ev, TY_F_K8S_NODE, ty_event_str(ev, TY_F_HOST));

    struct ty_str fn = get_text(&c, body, "function_name", "functionName");
    if (!fn.len)
        fn = get_text(&c, body, "event", NULL); /* tracepoints: subsys/event */
    struct ty_str category = TY_STR_LIT("process");
    struct ty_str action = ty_str_cstr(kinds[kind].action);
    if (fn.len) {
        action = ty_arena_printf(ctx->arena, "%s %.*s", kinds[kind].action, (int)fn.len, fn.p);
        if (!action.p)
            c.rc = TY_ENOMEM;
    }
    map_args(&c, ev, get2(d, body, "args", NULL));
    if (is_connect_fn(fn)) {
        category = TY_STR_LIT("network");
        action = TY_STR_LIT("connect");
    } else if (ty_event_has(ev, TY_F_FILE_PATH)) {
        category = TY_STR_LIT("file");
    } else if (ty_event_has(ev, TY_F_DST_IP) || ty_event_has(ev, TY_F_DST_ADDR)) {
        category = TY_STR_LIT("network");
    }
    ty_event_set_str(ev, TY_F_CATEGORY, category);
    ty_event_set_str(ev, TY_F_ACTION, action);
    ty_event_set_str(ev, TY_F_RULE, get_text(&c, body, "policy_name", "policyName"));

    /* result: exit status/signal, kprobe return and enforcement action */
    struct ty_str msg = TY_STR_NULL;
    if (kind == 1) {
        struct ty_str sig = get_text(&c, body, "signal", NULL);
        int64_t st = get_int(&c, body, "status", NULL, &n) ? n : 0;
        msg = sig.len ? ty_arena_printf(ctx->arena, "status=%lld signal=%.*s", (long long)st,
                                        (int)sig.len, sig.p)
                      : ty_arena_printf(ctx->arena, "status=%lld", (long long)st);
        if (!msg.p)
            c.rc = TY_ENOMEM;
        ty_event_set_str(ev, TY_F_STATUS_CODE, ty_arena_printf(ctx->arena, "%lld", (long long)st));
    } else if (kind == 0) {
        /* "procFS": a process already running when Tetragon started (seen in /proc,
         * not exec'd at this time) */
        struct ty_str flags = get_text(&c, ty_json_get(d, body, "process"), "flags", NULL);
        if (flags.len) {
            msg = ty_arena_printf(ctx->arena, "flags=%.*s", (int)flags.len, flags.p);
            if (!msg.p)
                c.rc = TY_ENOMEM;
        }
    } else {
        struct ty_str act = get_text(&c, body, "action", NULL);
        uint32_t ret = ty_json_get(d, body, "return");
        if (get_int(&c, ret, "int_arg", "intArg", &n)) {
            ty_event_set_str(ev, TY_F_STATUS_CODE,
                             ty_arena_printf(ctx->arena, "%lld", (long long)n));
            ty_event_set_str(ev, TY_F_OUTCOME,
                             n < 0 ? TY_STR_LIT("failure") : TY_STR_LIT("success"));
        }
        ty_event_set_str(ev, TY_F_DISPOSITION, act);
        if (act.len) {
            msg = ty_arena_printf(ctx->arena, "action=%.*s", (int)act.len, act.p);
            if (!msg.p)
                c.rc = TY_ENOMEM;
        }
    }
    ty_event_set_str(ev, TY_F_MESSAGE, msg);
    if (c.rc)
        return ty_err_set(err, c.rc, "out of memory");
    rc = ty_parse_emit(ctx, ev);
    return rc < 0 ? rc : TY_OK;
}

static int tg_sniff(struct ty_str head)
{
    struct ty_str s = ty_parse_skip_ws(head);
    if (!s.len || s.p[0] != '{')
        return 0;
    bool kind = false, camel = false;
    for (size_t i = 0; i < N_KINDS; i++) {
        char k[40];
        snprintf(k, sizeof(k), "{\"%s\":", kinds[i].snake);
        if (ty_str_contains(s, k) || ty_str_contains(s, k + 1)) {
            kind = true;
            break;
        }
        snprintf(k, sizeof(k), "\"%s\":", kinds[i].camel);
        if (ty_str_contains(s, k)) {
            kind = camel = true;
            break;
        }
    }
    if (!kind)
        return 0;
    bool node = ty_str_contains(s, camel ? "\"nodeName\"" : "\"node_name\"");
    bool exec_id = ty_str_contains(s, camel ? "\"execId\"" : "\"exec_id\"");
    if (node && exec_id)
        return 95;
    if (node || exec_id)
        return 85;
    return 40;
}

static int tg_open(struct ty_parse_ctx *ctx, struct ty_err *err)
{
    struct ty_event *ev = calloc(1, sizeof(*ev));
    if (!ev)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    ctx->priv = ev;
    ctx->frame.kind = TY_FRAME_LINES;
    ctx->frame.key = NULL;
    snprintf(ctx->shape, sizeof(ctx->shape), "JSON lines%s",
             ty_str_contains(ctx->head, "\"nodeName\"") ? " (camelCase, gRPC/tetra)" : "");
    return 0;
}

static int tg_taxonomy(const struct ty_event *ev)
{
    struct ty_str cat = ty_event_str(ev, TY_F_CATEGORY), act = ty_event_str(ev, TY_F_ACTION);
    if (ty_str_eq_cstr(cat, "process") && ty_str_eq_cstr(act, "exec"))
        return TY_SCAT_PROCESS_CREATION;
    if (ty_str_eq_cstr(cat, "process") && ty_str_eq_cstr(act, "exit"))
        return TY_SCAT_PROCESS_TERMINATION;
    if (ty_str_eq_cstr(cat, "network") && ty_str_eq_cstr(act, "connect"))
        return TY_SCAT_NETWORK_CONNECTION;
    return TY_SCAT_NONE;
}

const struct ty_parser ty_parser_tetragon = {
    .abi = TY_PARSER_ABI,
    .name = "tetragon",
    .desc = "Cilium Tetragon JSON events (process_exec/exit/kprobe/tracepoint/uprobe/lsm...; "
            "export file, export-stdout, tetra getevents)",
    .sniffs = "a process_* event key (or processExec... camelCase) with node_name and exec_id "
              "(95), one of them (85), neither (40)",
    .flags = TY_PARSER_F_JSON | TY_PARSER_F_EXACT_KEYS,
    .sniff = tg_sniff,
    .open = tg_open,
    .record = tg_record,
    .close = ty_parse_free_priv,
    .logsource = {.product = "linux", .service = "tetragon"},
    .taxonomy = tg_taxonomy,
};
