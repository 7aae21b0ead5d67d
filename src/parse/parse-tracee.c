/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse-tracee.c - Aqua Tracee JSON events (`tracee --output json`): one
 * event or detection per line.
 *
 * Record format (formats.md §8.4): timestamp (integer ns since the epoch),
 * processId/threadId/parentProcessId (namespace view) and hostProcessId/
 * hostParentProcessId (host view, preferred), userId, processName (comm),
 * executable{path} (newer), hostName, container fields (older: flat
 * containerId, containerImage, containerName, podName, podNamespace; newer:
 * container{id, name, image}, kubernetes{podName, podNamespace}), eventName,
 * returnValue, processEntityId, args[] = {name, type, value} (older custom
 * templates: an object name -> value; both are read), and for signature
 * detections metadata{Description, Properties{Severity, ...}}.
 * Mapping: exec events (sched_process_exec, execve, execveat) take the
 * program from args pathname and the command line from argv (an array,
 * joined by spaces); connects (security_socket_connect, connect) take the
 * destination from remote_addr {sa_family, sin_addr|sin6_addr,
 * sin_port|sin6_port}; other events with a pathname get it as the file.
 * Detections are alerts: rule = eventName, severity = Properties.Severity,
 * message = Description, objects from the triggering event (args triggeredBy
 * {name, args}). Details: docs/internals/RUNTIME-PARSERS.md.
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

static struct ty_str get_text(struct conv *c, uint32_t obj, const char *key)
{
    return text(c, ty_json_get(c->d, obj, key));
}

/* The first present of two keys (newer nested spelling, older flat one). */
static struct ty_str get_text2(struct conv *c, uint32_t obj1, const char *k1, uint32_t obj2,
                               const char *k2)
{
    struct ty_str s = get_text(c, obj1, k1);
    return s.len ? s : get_text(c, obj2, k2);
}

static bool get_int(struct conv *c, uint32_t obj, const char *key, int64_t *out)
{
    return ty_json_i64(c->d, ty_json_get(c->d, obj, key), out) == 0;
}

/* The value of argument `name`: args as [{name, type, value}] or {name: value}. */
static uint32_t arg(const struct ty_json_doc *d, uint32_t args, const char *name)
{
    if (ty_json_type(d, args) == TY_JSON_OBJECT)
        return ty_json_get(d, args, name);
    if (ty_json_type(d, args) != TY_JSON_ARRAY)
        return TY_JSON_NONE;
    for (uint32_t a = ty_json_first(d, args); a != TY_JSON_NONE; a = ty_json_next(d, a)) {
        uint32_t n = ty_json_get(d, a, "name");
        if (ty_json_type(d, n) == TY_JSON_STRING && ty_str_eq_cstr(ty_json_raw(d, n), name))
            return ty_json_get(d, a, "value");
    }
    return TY_JSON_NONE;
}

/* argv joined by spaces (an array of strings; a string is taken as is). */
static struct ty_str join_argv(struct conv *c, uint32_t argv)
{
    const struct ty_json_doc *d = c->d;
    if (ty_json_type(d, argv) != TY_JSON_ARRAY)
        return text(c, argv);
    size_t total = 0;
    for (uint32_t e = ty_json_first(d, argv); e != TY_JSON_NONE; e = ty_json_next(d, e))
        total += d->toks[e].len + 1;
    char *buf = ty_arena_alloc(c->ctx->arena, total + 1);
    size_t n = 0;
    if (!buf) {
        c->rc = TY_ENOMEM;
        return TY_STR_NULL;
    }
    for (uint32_t e = ty_json_first(d, argv); e != TY_JSON_NONE; e = ty_json_next(d, e)) {
        struct ty_str s = text(c, e);
        if (!s.p || n + s.len + 1 > total + 1)
            continue; /* non-string elements are skipped */
        if (n)
            buf[n++] = ' ';
        memcpy(buf + n, s.p, s.len);
        n += s.len;
    }
    buf[n] = '\0';
    return ty_str_make(buf, n);
}

static bool name_in(struct ty_str name, const char *const *list)
{
    for (; *list; list++)
        if (ty_str_eq_cstr(name, *list))
            return true;
    return false;
}

static const char *const exec_events[] = {"sched_process_exec", "execve", "execveat",
                                          "security_bprm_check", NULL};
static const char *const connect_events[] = {"security_socket_connect", "connect", NULL};

/* The objects of one event by its name: exec, connect or file. */
static void map_event(struct conv *c, struct ty_event *ev, struct ty_str name, uint32_t args,
                      struct ty_str *category, struct ty_str *action)
{
    const struct ty_json_doc *d = c->d;
    int64_t n;
    if (name_in(name, exec_events)) {
        *category = TY_STR_LIT("process");
        *action = TY_STR_LIT("exec");
        struct ty_str path = text(c, arg(d, args, "pathname"));
        if (!path.len)
            path = text(c, arg(d, args, "cmdpath"));
        ty_event_set_str(ev, TY_F_PROC_EXE, path);
        ty_event_set_str(ev, TY_F_PROC_CMDLINE, join_argv(c, arg(d, args, "argv")));
    } else if (name_in(name, connect_events)) {
        *category = TY_STR_LIT("network");
        *action = TY_STR_LIT("connect");
        uint32_t ra = arg(d, args, "remote_addr");
        struct ty_str ip = get_text(c, ra, "sin_addr");
        struct ty_str port = get_text(c, ra, "sin_port");
        if (!ip.len) {
            ip = get_text(c, ra, "sin6_addr");
            port = get_text(c, ra, "sin6_port");
        }
        if (ip.len)
            ty_event_set_addr(ev, TY_F_DST_IP, TY_F_DST_ADDR, ip);
        else
            ty_event_set_str(ev, TY_F_DST_ADDR, get_text(c, ra, "sun_path"));
        if (port.len && ty_str_to_i64(port, &n) == 0)
            ty_event_set_int(ev, TY_F_DST_PORT, n);
    } else {
        struct ty_str path = text(c, arg(d, args, "pathname"));
        if (path.len) {
            *category = TY_STR_LIT("file");
            ty_event_set_str(ev, TY_F_FILE_PATH, path);
        }
    }
}

static int tr_record(struct ty_parse_ctx *ctx, const struct ty_record *rec, struct ty_err *err)
{
    struct ty_event *ev = ctx->priv;
    struct conv c = {ctx, ctx->json, err, 0};
    struct ty_str s = ty_parse_skip_ws(ty_str_make(rec->p, rec->len));
    int64_t ns = 0, n;
    int rc;

    if (!ev)
        return ty_err_set(err, TY_EINVAL, "tracee: record() before open()");
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
        return ty_err_set(err, TY_ECORRUPT, "not a Tracee event (not an object)");
    struct ty_str name = get_text(&c, 0, "eventName");
    if (!name.len)
        return ty_err_set(err, TY_ECORRUPT, "not a Tracee event: missing \"eventName\"");
    uint32_t ts = ty_json_get(d, 0, "timestamp");
    if (ty_json_type(d, ts) != TY_JSON_NUMBER || ty_json_i64(d, ts, &ns) != 0 || ns < 0)
        return ty_err_set(err, TY_ECORRUPT, "Tracee event without an integer \"timestamp\"");

    ty_event_clear(ev);
    ty_event_set_int(ev, TY_F_TS, ns);
    ty_event_set_int(ev, TY_F_TS_PREC, 9);
    ty_event_set_str(ev, TY_F_TIME_TEXT, ty_json_raw(d, ts));
    ty_event_set_str(ev, TY_F_PROVIDER, TY_STR_LIT("tracee"));
    ty_event_set_str(ev, TY_F_HOST, get_text(&c, 0, "hostName"));
    ty_event_set_str(ev, TY_F_CORRELATION_ID, get_text(&c, 0, "processEntityId"));

    /* process, host view first */
    if (get_int(&c, 0, "hostProcessId", &n) || get_int(&c, 0, "processId", &n))
        ty_event_set_int(ev, TY_F_PID, n);
    if (get_int(&c, 0, "hostParentProcessId", &n) || get_int(&c, 0, "parentProcessId", &n))
        ty_event_set_int(ev, TY_F_PPID, n);
    if (get_int(&c, 0, "userId", &n))
        ty_event_set_int(ev, TY_F_PROC_UID, n);
    ty_event_set_str(ev, TY_F_PROC_EXE, get_text(&c, ty_json_get(d, 0, "executable"), "path"));

    /* container and pod: newer nested objects, older flat keys */
    uint32_t ctr = ty_json_get(d, 0, "container"), k8s = ty_json_get(d, 0, "kubernetes");
    ty_event_set_str(ev, TY_F_CONTAINER_ID, get_text2(&c, ctr, "id", 0, "containerId"));
    ty_event_set_str(ev, TY_F_CONTAINER_NAME, get_text2(&c, ctr, "name", 0, "containerName"));
    ty_event_set_str(ev, TY_F_CONTAINER_IMAGE, get_text2(&c, ctr, "image", 0, "containerImage"));
    ty_event_set_str(ev, TY_F_K8S_POD, get_text2(&c, k8s, "podName", 0, "podName"));
    ty_event_set_str(ev, TY_F_K8S_NAMESPACE,
                     get_text2(&c, k8s, "podNamespace", 0, "podNamespace"));

    uint32_t args = ty_json_get(d, 0, "args");
    uint32_t meta = ty_json_get(d, 0, "metadata");
    struct ty_str category = TY_STR_LIT("host"), action = name, msg = TY_STR_NULL;
    if (ty_json_type(d, meta) == TY_JSON_OBJECT) {
        /* a signature detection: the triggering event's args give its objects */
        uint32_t props = ty_json_get(d, meta, "Properties");
        uint32_t trig = arg(d, args, "triggeredBy");
        struct ty_str cat_unused, act_unused;
        ty_event_set_str(ev, TY_F_RULE, name);
        ty_event_set_str(ev, TY_F_SEVERITY, get_text(&c, props, "Severity"));
        msg = get_text(&c, meta, "Description");
        if (ty_json_type(d, trig) == TY_JSON_OBJECT)
            map_event(&c, ev, get_text(&c, trig, "name"), ty_json_get(d, trig, "args"),
                      &cat_unused, &act_unused);
        category = TY_STR_LIT("alert");
    } else {
        map_event(&c, ev, name, args, &category, &action);
    }
    ty_event_set_str(ev, TY_F_CATEGORY, category);
    ty_event_set_str(ev, TY_F_ACTION, action);
    if (get_int(&c, 0, "returnValue", &n) && ty_json_type(d, meta) != TY_JSON_OBJECT) {
        ty_event_set_str(ev, TY_F_STATUS_CODE, ty_arena_printf(ctx->arena, "%lld", (long long)n));
        ty_event_set_str(ev, TY_F_OUTCOME, n < 0 ? TY_STR_LIT("failure") : TY_STR_LIT("success"));
    }
    if (!msg.len) {
        struct ty_str comm = get_text(&c, 0, "processName");
        if (comm.len) {
            msg = ty_arena_printf(ctx->arena, "comm=%.*s", (int)comm.len, comm.p);
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

static int tr_sniff(struct ty_str head)
{
    struct ty_str s = ty_parse_skip_ws(head);
    if (!s.len || s.p[0] != '{')
        return 0;
    if (!ty_str_contains(s, "\"eventName\"") || !ty_str_contains(s, "\"processId\"") || !ty_str_contains(s, "\"timestamp\""))
        return 0;
    if (ty_str_contains(s, "\"eventVersion\"") || ty_str_contains(s, "\"eventSource\""))
        return 0; /* CloudTrail */
    int score = 70;
    if (ty_str_contains(s, "\"hostProcessId\"") || ty_str_contains(s, "\"argsNum\""))
        score += 15;
    if (ty_str_contains(s, "\"processName\"") || ty_str_contains(s, "\"mountNamespace\""))
        score += 10;
    return score;
}

static int tr_open(struct ty_parse_ctx *ctx, struct ty_err *err)
{
    struct ty_event *ev = calloc(1, sizeof(*ev));
    if (!ev)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    ctx->priv = ev;
    ctx->frame.kind = TY_FRAME_LINES;
    ctx->frame.key = NULL;
    snprintf(ctx->shape, sizeof(ctx->shape), "JSON lines%s",
             ty_str_contains(ctx->head, "\"containerId\"") ? " (flat container fields)" : "");
    return 0;
}

static int tr_taxonomy(const struct ty_event *ev)
{
    struct ty_str cat = ty_event_str(ev, TY_F_CATEGORY), act = ty_event_str(ev, TY_F_ACTION);
    if (ty_str_eq_cstr(cat, "process") && ty_str_eq_cstr(act, "exec"))
        return TY_SCAT_PROCESS_CREATION;
    if (ty_str_eq_cstr(cat, "network") && ty_str_eq_cstr(act, "connect"))
        return TY_SCAT_NETWORK_CONNECTION;
    return TY_SCAT_NONE;
}

const struct ty_parser ty_parser_tracee = {
    .abi = TY_PARSER_ABI,
    .name = "tracee",
    .desc = "Aqua Tracee JSON events and signature detections (tracee --output json)",
    .sniffs = "\"eventName\" + \"processId\" + \"timestamp\" (70), + hostProcessId/argsNum "
              "(+15), + processName/mountNamespace (+10); never with CloudTrail keys",
    .flags = TY_PARSER_F_JSON | TY_PARSER_F_EXACT_KEYS,
    .sniff = tr_sniff,
    .open = tr_open,
    .record = tr_record,
    .close = ty_parse_free_priv,
    .logsource = {.product = "linux", .service = "tracee"},
    .taxonomy = tr_taxonomy,
};
