/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse-docker.c - Docker Engine evidence from /var/lib/docker: the container
 * records (docker-config) and the json-file driver's logs (docker-json-log).
 *
 * docker-config (formats.md §10.5): containers/<id>/config.v2.json, one JSON
 * object {ID, Created (RFC 3339 ns), Path, Args[], Config{Image, User, Cmd,
 * Labels{io.kubernetes.pod.name, io.kubernetes.pod.namespace}}, Image
 * ("sha256:<id>"), Name ("/name"), Driver, MountPoints{dst:{Source, Type}},
 * State{Running, Paused, Restarting, Dead, Pid, ExitCode, StartedAt,
 * FinishedAt}} -> one event "container-created" at Created, carrying id,
 * name (without '/'), image, command, pod, and in the message the state, the
 * start/finish times and the dangerous mounts. Its sibling hostconfig.json
 * {Privileged, CapAdd, PidMode, NetworkMode, IpcMode, Binds, Mounts,
 * RestartPolicy{Name}, ...} is a second shape of the same parser: one event
 * "container-hostconfig" listing the dangerous settings, timed by the file's
 * mtime (the file holds no time; 0 when unknown, said in the message), the
 * container id taken from the evidence path.
 * docker-json-log: containers/<id>/<id>-json.log[.N] lines
 * {"log":"text\n","stream":"stdout"|"stderr","time":"RFC 3339 ns"[,"attrs"]}
 * -> one event per line, action = stream, message = text without its
 * newline, container id from the evidence path. A line split by dockerd at
 * 16 KiB (no trailing newline) stays one event per piece, flagged partial.
 * Quirks: "0001-01-01T00:00:00Z" means never; sniffing is strict (a log line
 * must start with {"log": and hold "stream" and "time"; a config must hold
 * ID, Config, State and Driver, or, cut short, a 64-hex ID with Created
 * or State; a hostconfig Binds, NetworkMode, RestartPolicy and Privileged).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/parser.h>
#include <tyto/time.h>

#include "parse-docker-int.h"

/* ---- shared with parse-docker-root.c ---------------------------------- */

void ty__docker_flag_add(struct ty__dflags *f, const char *what, struct ty_str arg)
{
    char tmp[300];
    int n;
    if (arg.len)
        n = snprintf(tmp, sizeof(tmp), "%s%s %.*s", f->count ? "; " : "", what,
                     (int)(arg.len > 200 ? 200 : arg.len), arg.p);
    else
        n = snprintf(tmp, sizeof(tmp), "%s%s", f->count ? "; " : "", what);
    if (n <= 0)
        return;
    /* the same finding from config.v2.json and hostconfig.json counts once */
    if (f->n && f->b && strstr(f->b, tmp + (f->count ? 2 : 0)))
        return;
    f->count++;
    if (!f->cap)
        return;
    if (f->n + (size_t)n + 1 > f->cap) {
        if (f->n + 4 < f->cap) {
            memcpy(f->b + f->n, "...", 4);
            f->n += 3;
        }
        return;
    }
    memcpy(f->b + f->n, tmp, (size_t)n + 1);
    f->n += (size_t)n;
}

static struct ty_str jstr(const struct ty_json_doc *d, uint32_t i, struct ty_arena *a, int *rc)
{
    struct ty_str s = TY_STR_NULL;
    if (ty_json_type(d, i) != TY_JSON_STRING)
        return s;
    if (ty_json_str(d, i, a, &s) == TY_ENOMEM) {
        *rc = TY_ENOMEM;
        return TY_STR_NULL;
    }
    return s;
}

const char *ty__docker_host_path_risk(struct ty_str src)
{
    while (src.len > 1 && src.p[src.len - 1] == '/')
        src.len--;
    if (ty_str_eq_cstr(src, "/"))
        return "host / mounted";
    if (ty_str_ends(src, "docker.sock") || ty_str_ends(src, "containerd.sock") ||
        ty_str_ends(src, "crio.sock"))
        return "container runtime socket mounted";
    if (ty_str_eq_cstr(src, "/var/run") || ty_str_eq_cstr(src, "/run") ||
        ty_str_eq_cstr(src, "/proc") || ty_str_eq_cstr(src, "/etc") ||
        ty_str_eq_cstr(src, "/root") || ty_str_eq_cstr(src, "/var/lib/docker") ||
        ty_str_eq_cstr(src, "/dev") || ty_str_eq_cstr(src, "/sys") ||
        ty_str_eq_cstr(src, "/boot") || ty_str_eq_cstr(src, "/var/lib/kubelet"))
        return "sensitive host path mounted";
    return NULL;
}

static void mount_flag(struct ty__dflags *f, struct ty_str src, struct ty_str dst,
                       struct ty_arena *a)
{
    const char *risk = ty__docker_host_path_risk(src);
    if (!risk)
        return;
    char *t = ty_arena_alloc(a, src.len + dst.len + 2);
    if (!t)
        return;
    memcpy(t, src.p, src.len);
    t[src.len] = ':';
    if (dst.len)
        memcpy(t + src.len + 1, dst.p, dst.len);
    ty__docker_flag_add(f, risk, ty_str_make(t, src.len + 1 + dst.len));
}

int ty__docker_flags_config(const struct ty_json_doc *d, uint32_t root, struct ty_arena *a,
                            struct ty__dflags *f)
{
    int rc = 0;
    uint32_t mp = ty_json_get(d, root, "MountPoints");
    if (ty_json_type(d, mp) != TY_JSON_OBJECT)
        return 0;
    for (uint32_t k = ty_json_first(d, mp); k != TY_JSON_NONE; k = ty_json_next_member(d, k)) {
        struct ty_str src = jstr(d, ty_json_get(d, k + 1, "Source"), a, &rc);
        struct ty_str dst = jstr(d, ty_json_get(d, k + 1, "Destination"), a, &rc);
        if (!dst.len)
            dst = jstr(d, k, a, &rc);
        if (src.len)
            mount_flag(f, src, dst, a);
    }
    return rc;
}

static bool is_host(struct ty_str s)
{
    return ty_str_eq_cstr(s, "host");
}

int ty__docker_flags_host(const struct ty_json_doc *d, uint32_t root, struct ty_arena *a,
                          struct ty__dflags *f)
{
    int rc = 0;
    if (ty_json_type(d, ty_json_get(d, root, "Privileged")) == TY_JSON_TRUE)
        ty__docker_flag_add(f, "privileged", TY_STR_NULL);
    uint32_t caps = ty_json_get(d, root, "CapAdd");
    if (ty_json_type(d, caps) == TY_JSON_ARRAY)
        for (uint32_t e = ty_json_first(d, caps); e != TY_JSON_NONE; e = ty_json_next(d, e)) {
            struct ty_str c = jstr(d, e, a, &rc);
            if (c.len)
                ty__docker_flag_add(f, "capability added", c);
        }
    static const struct {
        const char *key, *what;
    } ns[] = {{"PidMode", "host PID namespace"},
              {"NetworkMode", "host network"},
              {"IpcMode", "host IPC namespace"},
              {"UTSMode", "host UTS namespace"},
              {"UsernsMode", "host user namespace"},
              {"CgroupnsMode", "host cgroup namespace"}};
    for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++)
        if (is_host(jstr(d, ty_json_get(d, root, ns[i].key), a, &rc)))
            ty__docker_flag_add(f, ns[i].what, TY_STR_NULL);
    uint32_t binds = ty_json_get(d, root, "Binds");
    if (ty_json_type(d, binds) == TY_JSON_ARRAY)
        for (uint32_t e = ty_json_first(d, binds); e != TY_JSON_NONE; e = ty_json_next(d, e)) {
            struct ty_str b = jstr(d, e, a, &rc);
            ptrdiff_t c = ty_str_chr(b, ':');
            if (c <= 0)
                continue;
            struct ty_str dst = ty_str_make(b.p + c + 1, b.len - (size_t)c - 1);
            ptrdiff_t c2 = ty_str_chr(dst, ':');
            if (c2 >= 0)
                dst.len = (size_t)c2;
            mount_flag(f, ty_str_make(b.p, (size_t)c), dst, a);
        }
    uint32_t mounts = ty_json_get(d, root, "Mounts");
    if (ty_json_type(d, mounts) == TY_JSON_ARRAY)
        for (uint32_t e = ty_json_first(d, mounts); e != TY_JSON_NONE; e = ty_json_next(d, e)) {
            struct ty_str type = jstr(d, ty_json_get(d, e, "Type"), a, &rc);
            if (type.len && !ty_str_eq_cstr(type, "bind"))
                continue;
            mount_flag(f, jstr(d, ty_json_get(d, e, "Source"), a, &rc),
                       jstr(d, ty_json_get(d, e, "Target"), a, &rc), a);
        }
    uint32_t dev = ty_json_get(d, root, "Devices");
    if (ty_json_type(d, dev) == TY_JSON_ARRAY)
        for (uint32_t e = ty_json_first(d, dev); e != TY_JSON_NONE; e = ty_json_next(d, e)) {
            struct ty_str p = jstr(d, ty_json_get(d, e, "PathOnHost"), a, &rc);
            if (p.len)
                ty__docker_flag_add(f, "host device", p);
        }
    uint32_t so = ty_json_get(d, root, "SecurityOpt");
    if (ty_json_type(d, so) == TY_JSON_ARRAY)
        for (uint32_t e = ty_json_first(d, so); e != TY_JSON_NONE; e = ty_json_next(d, e)) {
            struct ty_str o = jstr(d, e, a, &rc);
            if (ty_str_contains(o, "unconfined"))
                ty__docker_flag_add(f, "security option", o);
        }
    struct ty_str rp = jstr(d, ty_json_path(d, root, "RestartPolicy.Name"), a, &rc);
    if (ty_str_eq_cstr(rp, "always") || ty_str_eq_cstr(rp, "unless-stopped"))
        ty__docker_flag_add(f, "restart", rp);
    return rc;
}

static bool hexdig(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

struct ty_str ty__docker_path_id(const char *path)
{
    struct ty_str best = TY_STR_NULL;
    const char *p = path;
    if (!path)
        return best;
    while ((p = strstr(p, "containers/")) != NULL) {
        if (p == path || p[-1] == '/') {
            const char *s = p + 11, *e = s;
            while (hexdig(*e))
                e++;
            if (e - s >= 12 && e - s <= 64 && (*e == '/' || *e == '\0' || *e == '-'))
                best = ty_str_make(s, (size_t)(e - s));
        }
        p += 11;
    }
    return best;
}

const char *ty__docker_state(const struct ty_json_doc *d, uint32_t st)
{
    if (ty_json_type(d, st) != TY_JSON_OBJECT)
        return "?";
#define T(k) (ty_json_type(d, ty_json_get(d, st, k)) == TY_JSON_TRUE)
    if (T("Dead"))
        return "dead";
    if (T("Restarting"))
        return "restarting";
    if (T("Paused") && T("Running"))
        return "paused";
    if (T("Running"))
        return "running";
#undef T
    if (ty__docker_time(d, st, "StartedAt"))
        return "exited";
    return "created";
}

int64_t ty__docker_time(const struct ty_json_doc *d, uint32_t obj, const char *key)
{
    uint32_t i = ty_json_get(d, obj, key);
    int64_t ns;
    if (ty_json_type(d, i) != TY_JSON_STRING)
        return 0;
    struct ty_str s = ty_json_raw(d, i);
    if (ty_str_starts(s, "0001-01-01") || ty_time_parse_iso(s, &ns, NULL, NULL) != 0)
        return 0;
    return ns;
}

/* ---- docker-config ---------------------------------------------------- */

struct dcfg {
    bool host; /* this stream is a hostconfig.json */
};

static int cfg_kind(struct ty_str head)
{
    head = ty_parse_skip_ws(head);
    if (!head.len || head.p[0] != '{')
        return 0;
    if (ty_str_contains(head, "\"ID\":") && ty_str_contains(head, "\"Config\":") &&
        ty_str_contains(head, "\"State\":") && ty_str_contains(head, "\"Driver\":"))
        return 1;
    /* a truncated record: its 64-hex ID and its creation time or state */
    const char *id = NULL;
    for (const char *q = head.p; q && (size_t)(head.p + head.len - q) > 72;) {
        q = memchr(q, '"', (size_t)(head.p + head.len - q) - 72);
        if (!q)
            break;
        if (memcmp(q, "\"ID\":\"", 6) == 0) {
            id = q + 6;
            break;
        }
        q++;
    }
    if (id) {
        size_t n = 0;
        while (n < 64 && hexdig(id[n]))
            n++;
        if (n == 64 && id[64] == '"' &&
            (ty_str_contains(head, "\"Created\":\"") || ty_str_contains(head, "\"State\":{")))
            return 3;
    }
    if (ty_str_contains(head, "\"Binds\":") && ty_str_contains(head, "\"NetworkMode\":") &&
        ty_str_contains(head, "\"RestartPolicy\":") && ty_str_contains(head, "\"Privileged\":") &&
        !ty_str_contains(head, "\"eventName\""))
        return 2;
    return 0;
}

static int cfg_sniff(struct ty_str head)
{
    int k = cfg_kind(head);
    return k == 1 ? 90 : k == 2 ? 85 : k == 3 ? 60 : 0;
}

static int cfg_open(struct ty_parse_ctx *ctx, struct ty_err *err)
{
    struct dcfg *c = calloc(1, sizeof(*c));
    if (!c)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    ctx->priv = c;
    c->host = cfg_kind(ctx->head) == 2;
    ctx->frame.kind = TY_FRAME_JSON;
    ctx->frame.key = NULL;
    snprintf(ctx->shape, sizeof(ctx->shape), "%s",
             c->host ? "hostconfig.json" : "config.v2.json");
    return 0;
}

static struct ty_str cat_cmd(const struct ty_json_doc *d, uint32_t root, struct ty_arena *a,
                             int *rc)
{
    struct ty_str path = jstr(d, ty_json_get(d, root, "Path"), a, rc);
    uint32_t args = ty_json_get(d, root, "Args");
    size_t n = path.len;
    if (ty_json_type(d, args) == TY_JSON_ARRAY)
        for (uint32_t e = ty_json_first(d, args); e != TY_JSON_NONE; e = ty_json_next(d, e))
            n += ty_json_tok(d, e)->len + 1;
    char *b = ty_arena_alloc(a, n + 1);
    if (!b) {
        *rc = TY_ENOMEM;
        return TY_STR_NULL;
    }
    size_t o = 0;
    if (path.len)
        memcpy(b, path.p, path.len);
    o = path.len;
    if (ty_json_type(d, args) == TY_JSON_ARRAY)
        for (uint32_t e = ty_json_first(d, args); e != TY_JSON_NONE; e = ty_json_next(d, e)) {
            struct ty_str s = jstr(d, e, a, rc);
            if (o + 1 + s.len > n)
                break; /* decoded text is never longer than the raw token */
            if (o)
                b[o++] = ' ';
            if (s.len)
                memcpy(b + o, s.p, s.len);
            o += s.len;
        }
    b[o] = '\0';
    return ty_str_make(b, o);
}

static int emit_config(struct ty_parse_ctx *ctx, const struct ty_json_doc *d, uint32_t root,
                       struct ty_err *err)
{
    struct ty_event ev;
    struct ty_arena *a = ctx->arena;
    int rc = 0;
    memset(&ev, 0, sizeof(ev));
    struct ty_str id = jstr(d, ty_json_get(d, root, "ID"), a, &rc);
    uint32_t created = ty_json_get(d, root, "Created");
    int64_t ts = 0;
    int prec = 0;
    if (!id.len)
        return ty_err_set(err, TY_ECORRUPT, "config.v2.json at byte %llu: no container ID",
                          (unsigned long long)ctx->rec->offset);
    if (ty_json_type(d, created) != TY_JSON_STRING ||
        ty_time_parse_iso(ty_json_raw(d, created), &ts, &prec, NULL) != 0)
        return ty_err_set(err, TY_ECORRUPT,
                          "config.v2.json at byte %llu: Created is not an RFC 3339 time",
                          (unsigned long long)ctx->rec->offset);
    uint32_t cfg = ty_json_get(d, root, "Config");
    uint32_t labels = ty_json_get(d, cfg, "Labels");
    uint32_t state = ty_json_get(d, root, "State");
    struct ty_str name = jstr(d, ty_json_get(d, root, "Name"), a, &rc);
    if (name.len && name.p[0] == '/') {
        name.p++;
        name.len--;
    }
    struct ty_str image = jstr(d, ty_json_get(d, cfg, "Image"), a, &rc);
    if (!image.len)
        image = jstr(d, ty_json_get(d, root, "Image"), a, &rc);
    ty_event_set_int(&ev, TY_F_TS, ts);
    ty_event_set_int(&ev, TY_F_TS_PREC, prec);
    ty_event_set_str(&ev, TY_F_TIME_TEXT, ty_json_raw(d, created));
    ty_event_set_str(&ev, TY_F_CATEGORY, TY_STR_LIT("container"));
    ty_event_set_str(&ev, TY_F_ACTION, TY_STR_LIT("container-created"));
    ty_event_set_str(&ev, TY_F_PROVIDER, TY_STR_LIT("docker"));
    ty_event_set_str(&ev, TY_F_CONTAINER_ID, id);
    ty_event_set_str(&ev, TY_F_CONTAINER_NAME, name);
    ty_event_set_str(&ev, TY_F_CONTAINER_IMAGE, image);
    ty_event_set_str(&ev, TY_F_TARGET_KIND, TY_STR_LIT("container"));
    ty_event_set_str(&ev, TY_F_TARGET, id);
    ty_event_set_str(&ev, TY_F_TARGET_NAME, name);
    ty_event_set_str(&ev, TY_F_PROC_EXE, jstr(d, ty_json_get(d, root, "Path"), a, &rc));
    ty_event_set_str(&ev, TY_F_PROC_CMDLINE, cat_cmd(d, root, a, &rc));
    ty_event_set_str(&ev, TY_F_PROC_USER, jstr(d, ty_json_get(d, cfg, "User"), a, &rc));
    ty_event_set_str(&ev, TY_F_K8S_POD,
                     jstr(d, ty_json_get(d, labels, "io.kubernetes.pod.name"), a, &rc));
    ty_event_set_str(&ev, TY_F_K8S_NAMESPACE,
                     jstr(d, ty_json_get(d, labels, "io.kubernetes.pod.namespace"), a, &rc));
    int64_t pid = 0;
    if (ty_json_i64(d, ty_json_get(d, state, "Pid"), &pid) == 0 && pid > 0)
        ty_event_set_int(&ev, TY_F_PID, pid);

    char fb[768] = "", msg[1024], t1[32] = "never", t2[32] = "never";
    struct ty__dflags f = {fb, sizeof(fb), 0, 0};
    if (ty__docker_flags_config(d, root, a, &f) == TY_ENOMEM)
        rc = TY_ENOMEM;
    if (rc == TY_ENOMEM)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    int64_t st = ty__docker_time(d, state, "StartedAt");
    int64_t fin = ty__docker_time(d, state, "FinishedAt");
    if (st)
        ty_time_format(st, 9, t1);
    if (fin)
        ty_time_format(fin, 9, t2);
    int64_t code = 0;
    (void)ty_json_i64(d, ty_json_get(d, state, "ExitCode"), &code);
    int n;
    n = snprintf(msg, sizeof(msg), "state %s (exit code %lld), started %s, finished %s%s%s",
                 ty__docker_state(d, state), (long long)code, t1, t2,
                 f.count ? "; dangerous: " : "", fb);
    if (n > 0)
        ty_event_set_str(&ev, TY_F_MESSAGE, ty_str_make(msg, strlen(msg)));
    ty_event_set_str(&ev, TY_F_SEVERITY, f.count ? TY_STR_LIT("high") : TY_STR_NULL);
    rc = ty_parse_emit(ctx, &ev);
    return rc < 0 ? rc : TY_OK;
}

static int emit_hostconfig(struct ty_parse_ctx *ctx, const struct ty_json_doc *d, uint32_t root,
                           struct ty_err *err)
{
    struct ty_event ev;
    struct ty_arena *a = ctx->arena;
    char fb[900] = "", msg[1024];
    struct ty__dflags f = {fb, sizeof(fb), 0, 0};
    memset(&ev, 0, sizeof(ev));
    if (ty__docker_flags_host(d, root, a, &f) == TY_ENOMEM)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    struct ty_str id = ty__docker_path_id(ctx->evidence);
    ty_event_set_int(&ev, TY_F_TS, ctx->file_mtime);
    ty_event_set_str(&ev, TY_F_CATEGORY, TY_STR_LIT("container"));
    ty_event_set_str(&ev, TY_F_ACTION, TY_STR_LIT("container-hostconfig"));
    ty_event_set_str(&ev, TY_F_PROVIDER, TY_STR_LIT("docker"));
    ty_event_set_str(&ev, TY_F_CONTAINER_ID, id);
    ty_event_set_str(&ev, TY_F_TARGET_KIND, TY_STR_LIT("container"));
    ty_event_set_str(&ev, TY_F_TARGET, id);
    snprintf(msg, sizeof(msg), "%s%s (time: %s)", f.count ? "dangerous: " : "no dangerous settings",
             fb, ctx->file_mtime ? "hostconfig.json last written" : "unknown, the file has none");
    ty_event_set_str(&ev, TY_F_MESSAGE, ty_str_make(msg, strlen(msg)));
    ty_event_set_str(&ev, TY_F_SEVERITY, f.count ? TY_STR_LIT("high") : TY_STR_NULL);
    int rc = ty_parse_emit(ctx, &ev);
    return rc < 0 ? rc : TY_OK;
}

static int cfg_record(struct ty_parse_ctx *ctx, const struct ty_record *rec, struct ty_err *err)
{
    struct dcfg *c = ctx->priv;
    if (!c)
        return ty_err_set(err, TY_EINVAL, "docker-config: record() before open()");
    int rc = ty_json_parse(ctx->json, rec->p, rec->len, err);
    if (rc == TY_ECORRUPT) {
        char m[200];
        snprintf(m, sizeof(m), "%.190s", err->msg);
        return ty_err_set(err, TY_ECORRUPT, "docker %s at byte %llu: %s",
                          c->host ? "hostconfig" : "config",
                          (unsigned long long)rec->offset, m);
    }
    if (rc)
        return rc;
    if (ty_json_type(ctx->json, 0) != TY_JSON_OBJECT)
        return ty_err_set(err, TY_ECORRUPT, "docker config at byte %llu: not a JSON object",
                          (unsigned long long)rec->offset);
    /* each record says what it is: a stream sniffed as one kind may hold the other */
    if (ty_json_get(ctx->json, 0, "ID") != TY_JSON_NONE &&
        ty_json_get(ctx->json, 0, "State") != TY_JSON_NONE)
        return emit_config(ctx, ctx->json, 0, err);
    if (ty_json_get(ctx->json, 0, "Binds") != TY_JSON_NONE ||
        ty_json_get(ctx->json, 0, "Privileged") != TY_JSON_NONE)
        return emit_hostconfig(ctx, ctx->json, 0, err);
    return ty_err_set(err, TY_ECORRUPT,
                      "docker config at byte %llu: neither a container record (ID, State) nor "
                      "a host configuration (Binds, Privileged)",
                      (unsigned long long)rec->offset);
}

const struct ty_parser ty_parser_docker_config = {
    .abi = TY_PARSER_ABI,
    .name = "docker-config",
    .desc = "Docker container records (containers/<id>/config.v2.json) and their "
            "hostconfig.json: one event per container, dangerous settings in the message",
    .sniffs = "a JSON object with ID, Config, State and Driver (90); with Binds, NetworkMode, "
              "RestartPolicy and Privileged (hostconfig.json, 85); a 64-hex ID with Created "
              "or State (a truncated config.v2.json, 60)",
    .flags = TY_PARSER_F_JSON | TY_PARSER_F_EXACT_KEYS,
    .sniff = cfg_sniff,
    .open = cfg_open,
    .record = cfg_record,
    .close = ty_parse_free_priv,
    .logsource = {"docker", "config", NULL},
};

/* ---- docker-json-log -------------------------------------------------- */

static int log_sniff(struct ty_str head)
{
    struct ty_str l = ty_parse_first_line(head, 65536);
    if (!l.p)
        l = ty_parse_skip_ws(head); /* one long first line cut by the head */
    if (!ty_str_starts(l, "{\"log\":\""))
        return 0;
    if (!ty_str_contains(l, "\"stream\":\"") || !ty_str_contains(l, "\"time\":\"")) {
        /* the first line may be longer than the head: accept when cut */
        return l.len >= 60000 ? 60 : 0;
    }
    return 90;
}

static int log_open(struct ty_parse_ctx *ctx, struct ty_err *err)
{
    (void)err;
    ctx->frame.kind = TY_FRAME_LINES;
    ctx->frame.key = NULL;
    snprintf(ctx->shape, sizeof(ctx->shape), "json-file log lines");
    return 0;
}

static int log_record(struct ty_parse_ctx *ctx, const struct ty_record *rec, struct ty_err *err)
{
    struct ty_json_doc *d = ctx->json;
    unsigned long long off = (unsigned long long)rec->offset;
    int rc = ty_json_parse(d, rec->p, rec->len, err);
    if (rc == TY_ECORRUPT) {
        char m[200];
        snprintf(m, sizeof(m), "%.190s", err->msg);
        return ty_err_set(err, TY_ECORRUPT, "docker log line at byte %llu: %s", off, m);
    }
    if (rc)
        return rc;
    uint32_t log = ty_json_get(d, 0, "log"), stream = ty_json_get(d, 0, "stream");
    uint32_t t = ty_json_get(d, 0, "time");
    if (ty_json_type(d, log) != TY_JSON_STRING || ty_json_type(d, stream) != TY_JSON_STRING ||
        ty_json_type(d, t) != TY_JSON_STRING)
        return ty_err_set(err, TY_ECORRUPT,
                          "docker log line at byte %llu: needs string log, stream and time", off);
    int64_t ts;
    int prec;
    if (ty_time_parse_iso(ty_json_raw(d, t), &ts, &prec, NULL) != 0)
        return ty_err_set(err, TY_ECORRUPT, "docker log line at byte %llu: bad time \"%.*s\"",
                          off, (int)(ty_json_raw(d, t).len > 40 ? 40 : ty_json_raw(d, t).len),
                          ty_json_raw(d, t).p);
    struct ty_str text = TY_STR_NULL, st = TY_STR_NULL;
    if (ty_json_str(d, log, ctx->arena, &text) == TY_ENOMEM ||
        ty_json_str(d, stream, ctx->arena, &st) == TY_ENOMEM)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    bool partial = !(text.len && text.p[text.len - 1] == '\n');
    if (!partial) {
        text.len--;
        if (text.len && text.p[text.len - 1] == '\r')
            text.len--;
    }
    struct ty_event ev;
    memset(&ev, 0, sizeof(ev));
    ty_event_set_int(&ev, TY_F_TS, ts);
    ty_event_set_int(&ev, TY_F_TS_PREC, prec);
    ty_event_set_str(&ev, TY_F_TIME_TEXT, ty_json_raw(d, t));
    ty_event_set_str(&ev, TY_F_CATEGORY, TY_STR_LIT("log"));
    ty_event_set_str(&ev, TY_F_ACTION, st.len ? st : TY_STR_LIT("output"));
    ty_event_set_str(&ev, TY_F_PROVIDER, TY_STR_LIT("docker"));
    ty_event_set_str(&ev, TY_F_CONTAINER_ID, ty__docker_path_id(ctx->evidence));
    if (text.len)
        ty_event_set_str(&ev, TY_F_MESSAGE, text);
    else
        ty_event_set_str(&ev, TY_F_MESSAGE, TY_STR_LIT("(empty line)"));
    if (partial)
        ty_event_set_str(&ev, TY_F_DISPOSITION, TY_STR_LIT("partial"));
    rc = ty_parse_emit(ctx, &ev);
    return rc < 0 ? rc : TY_OK;
}

const struct ty_parser ty_parser_docker_json_log = {
    .abi = TY_PARSER_ABI,
    .name = "docker-json-log",
    .desc = "Docker json-file log driver lines (containers/<id>/<id>-json.log): one event per "
            "line, container id from the path",
    .sniffs = "first line starts {\"log\":\" and holds \"stream\":\" and \"time\":\" (90)",
    .flags = TY_PARSER_F_JSON | TY_PARSER_F_EXACT_KEYS,
    .sniff = log_sniff,
    .open = log_open,
    .record = log_record,
    .close = ty_parse_free_priv,
    .logsource = {"docker", "container-log", NULL},
};
