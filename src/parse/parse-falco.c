/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse-falco.c - Falco JSON alerts and Falcosidekick webhook payloads: one
 * alert per record, as an event carrying the rule, priority and output.
 *
 * Record format (formats.md §8.1-8.2): {time (RFC 3339, 9 digits; sidekick
 * trims trailing zeros), rule, priority, source, hostname, output, message?,
 * tags[], output_fields{...}, uuid (sidekick only)}. output_fields keys are
 * Falco field names with dots ("proc.cmdline", "container.id", "fd.sip"):
 * values keep their JSON type, missing values are null. The 2016 format has
 * the same top-level keys with few or no output_fields.
 * Shapes: JSON lines (file_output, stdout); lines behind a CRI log prefix
 * ("<time> stdout F {...}": everything before the first '{' is cut); the
 * Docker json-file wrapper {"log":"<alert JSON>\n","stream",...}, decoded
 * and parsed with a second tape; webhook bodies pretty-printed or as JSON
 * arrays (JSON framing).
 * Quirks: "time" wins over output_fields evt.time / evt.time.iso8601 (ns
 * integers), which are only a fallback; container.id "host" means a host
 * process (no container); "<NA>" and null are absent; fd.name is a file only
 * when it is a path (sockets print "ip:port->ip:port"). Mapping:
 * docs/internals/RUNTIME-PARSERS.md.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/parser.h>
#include <tyto/time.h>

struct falco {
    struct ty_json_doc doc2; /* the alert inside a Docker json-file "log" */
    struct ty_event ev;
};

struct conv {
    struct ty_parse_ctx *ctx;
    const struct ty_json_doc *d;
    struct ty_err *err;
    struct ty_str cut; /* the JSON after a CRI prefix: the event's raw record */
    int rc;            /* sticky TY_ENOMEM */
};

/* A scalar's text (strings decoded, numbers as written); NULL span for
 * null, containers, absent members and Falco's "<NA>". */
static struct ty_str text(struct conv *c, uint32_t i)
{
    struct ty_str s = TY_STR_NULL;
    int t = ty_json_type(c->d, i);
    if (t != TY_JSON_STRING && t != TY_JSON_NUMBER)
        return TY_STR_NULL;
    if (ty_json_text(c->d, i, c->ctx->arena, &s) == TY_ENOMEM) {
        c->rc = TY_ENOMEM;
        return TY_STR_NULL;
    }
    if (ty_str_eq_cstr(s, "<NA>"))
        return TY_STR_NULL;
    return s;
}

static struct ty_str get_text(struct conv *c, uint32_t obj, const char *key)
{
    return text(c, ty_json_get(c->d, obj, key));
}

/* ---- output_fields ------------------------------------------------------ */

enum ofkind { OF_STR, OF_INT, OF_ADDR_SRC, OF_ADDR_DST, OF_FILE, OF_CONTAINER_ID };

struct ofmap {
    const char *key;
    size_t len; /* strlen(key): most keys are rejected on length alone */
    int field;  /* enum ty_field */
    enum ofkind kind;
};

/* First match in table order wins for a field: earlier rows are preferred
 * (proc.exepath over proc.exe), so the walk keeps a per-field rank. */
#define OF(k, f, kind) {k, sizeof(k) - 1, f, kind}
static const struct ofmap of_table[] = {
    OF("proc.exepath", TY_F_PROC_EXE, OF_STR),
    OF("proc.exe", TY_F_PROC_EXE, OF_STR),
    OF("proc.cmdline", TY_F_PROC_CMDLINE, OF_STR),
    OF("proc.pid", TY_F_PID, OF_INT),
    OF("proc.vpid", TY_F_PID, OF_INT),
    OF("proc.ppid", TY_F_PPID, OF_INT),
    OF("proc.cwd", TY_F_PROC_CWD, OF_STR),
    OF("proc.pexepath", TY_F_PARENT_EXE, OF_STR),
    OF("proc.pexe", TY_F_PARENT_EXE, OF_STR),
    OF("proc.pname", TY_F_PARENT_EXE, OF_STR),
    OF("user.name", TY_F_PROC_USER, OF_STR),
    OF("user.uid", TY_F_PROC_UID, OF_INT),
    OF("container.id", TY_F_CONTAINER_ID, OF_CONTAINER_ID),
    OF("container.name", TY_F_CONTAINER_NAME, OF_STR),
    OF("container.image", TY_F_CONTAINER_IMAGE, OF_STR),
    OF("container.image.repository", TY_F_CONTAINER_IMAGE, OF_STR),
    OF("k8s.ns.name", TY_F_K8S_NAMESPACE, OF_STR),
    OF("k8s.pod.name", TY_F_K8S_POD, OF_STR),
    OF("fd.name", TY_F_FILE_PATH, OF_FILE),
    OF("fd.cip", TY_F_SRC_IP, OF_ADDR_SRC),
    OF("fd.lip", TY_F_SRC_IP, OF_ADDR_SRC),
    OF("fd.cport", TY_F_SRC_PORT, OF_INT),
    OF("fd.lport", TY_F_SRC_PORT, OF_INT),
    OF("fd.sip", TY_F_DST_IP, OF_ADDR_DST),
    OF("fd.rip", TY_F_DST_IP, OF_ADDR_DST),
    OF("fd.sport", TY_F_DST_PORT, OF_INT),
    OF("fd.rport", TY_F_DST_PORT, OF_INT),
    /* k8s_audit and cloudtrail plugin sources */
    OF("ka.user.name", TY_F_ACTOR, OF_STR),
    OF("ka.target.namespace", TY_F_K8S_NAMESPACE, OF_STR),
    OF("ka.uri", TY_F_REQUEST_URI, OF_STR),
    OF("ka.useragent", TY_F_USER_AGENT, OF_STR),
    OF("ct.user", TY_F_ACTOR, OF_STR),
    OF("ct.srcip", TY_F_SRC_IP, OF_ADDR_SRC),
    OF("ct.region", TY_F_CLOUD_REGION, OF_STR),
    OF("ct.useragent", TY_F_USER_AGENT, OF_STR),
};

#define N_OF (sizeof(of_table) / sizeof(of_table[0]))

static void map_output_fields(struct conv *c, struct ty_event *ev, uint32_t of)
{
    const struct ty_json_doc *d = c->d;
    unsigned char rank[TY_F__COUNT];
    struct ty_str tag = TY_STR_NULL;
    memset(rank, 0xff, sizeof(rank));
    if (ty_json_type(d, of) != TY_JSON_OBJECT)
        return;
    for (uint32_t k = ty_json_first(d, of); k != TY_JSON_NONE; k = ty_json_next_member(d, k)) {
        struct ty_str key = ty_json_raw(d, k);
        if (ty_str_eq_cstr(key, "container.image.tag")) {
            tag = text(c, k + 1);
            continue;
        }
        for (size_t i = 0; i < N_OF; i++) {
            const struct ofmap *m = &of_table[i];
            if (key.len != m->len || memcmp(key.p, m->key, m->len) != 0)
                continue;
            if (rank[m->field] <= i)
                break; /* a preferred key already set it */
            struct ty_str v = text(c, k + 1);
            int64_t n;
            if (!v.len)
                break;
            switch (m->kind) {
            case OF_STR:
                ty_event_set_str(ev, (enum ty_field)m->field, v);
                break;
            case OF_INT:
                if (ty_str_to_i64(v, &n) != 0)
                    goto next_key;
                ty_event_set_int(ev, (enum ty_field)m->field, n);
                break;
            case OF_ADDR_SRC:
                ty_event_set_addr(ev, TY_F_SRC_IP, TY_F_SRC_ADDR, v);
                break;
            case OF_ADDR_DST:
                ty_event_set_addr(ev, TY_F_DST_IP, TY_F_DST_ADDR, v);
                break;
            case OF_FILE:
                if (v.p[0] != '/')
                    goto next_key; /* a socket or pipe description */
                ty_event_set_str(ev, TY_F_FILE_PATH, v);
                break;
            case OF_CONTAINER_ID:
                if (ty_str_eq_cstr(v, "host"))
                    goto next_key;
                ty_event_set_str(ev, TY_F_CONTAINER_ID, v);
                break;
            }
            rank[m->field] = (unsigned char)i;
            break;
        }
    next_key:;
    }
    /* repository + tag, as "docker ps" shows an image */
    struct ty_str img = ty_event_str(ev, TY_F_CONTAINER_IMAGE);
    if (img.len && tag.len && ty_str_chr(img, ':') < 0) {
        struct ty_str s = ty_arena_printf(c->ctx->arena, "%.*s:%.*s", (int)img.len, img.p,
                                          (int)tag.len, tag.p);
        if (!s.p)
            c->rc = TY_ENOMEM;
        ty_event_set_str(ev, TY_F_CONTAINER_IMAGE, s);
    }
}

/* ---- the alert --------------------------------------------------------- */

static bool is_alert(const struct ty_json_doc *d, uint32_t obj)
{
    return ty_json_get(d, obj, "rule") != TY_JSON_NONE &&
           ty_json_get(d, obj, "priority") != TY_JSON_NONE;
}

static int convert(struct conv *c, struct ty_event *ev, uint32_t root, bool emit)
{
    const struct ty_json_doc *d = c->d;
    int64_t ns = 0;
    int prec = 0;

    if (ty_json_type(d, root) != TY_JSON_OBJECT)
        return ty_err_set(c->err, TY_ECORRUPT, "not a Falco alert (not an object)");
    struct ty_str rule = get_text(c, root, "rule");
    struct ty_str prio = get_text(c, root, "priority");
    if (c->rc)
        return ty_err_set(c->err, c->rc, "out of memory");
    if (!rule.len)
        return ty_err_set(c->err, TY_ECORRUPT, "not a Falco alert: missing \"rule\"");
    if (!prio.len)
        return ty_err_set(c->err, TY_ECORRUPT, "not a Falco alert: missing \"priority\"");

    uint32_t of = ty_json_get(d, root, "output_fields");
    struct ty_str ttext = get_text(c, root, "time");
    if (ttext.len) {
        if (ty_time_parse_iso(ttext, &ns, &prec, NULL) != 0)
            return ty_err_set(c->err, TY_ECORRUPT, "\"time\" is not an RFC 3339 time: '%.*s'",
                              (int)(ttext.len > 40 ? 40 : ttext.len), ttext.p);
    } else {
        uint32_t t = ty_json_get(d, of, "evt.time");
        if (t == TY_JSON_NONE)
            t = ty_json_get(d, of, "evt.time.iso8601");
        if (ty_json_type(d, t) != TY_JSON_NUMBER || ty_json_i64(d, t, &ns) != 0)
            return ty_err_set(c->err, TY_ECORRUPT,
                              "Falco alert without \"time\" or output_fields evt.time");
        prec = 9;
        ttext = ty_json_raw(d, t);
    }

    ty_event_clear(ev);
    if (c->cut.p && c->ctx->rec && d == c->ctx->json) {
        /* rules read the alert's own fields: raw is the JSON, at its own offset */
        ev->raw = c->cut;
        ev->offset = c->ctx->rec->offset + (uint64_t)(c->cut.p - c->ctx->rec->p);
        ev->line = c->ctx->rec->line;
    }
    ty_event_set_int(ev, TY_F_TS, ns);
    ty_event_set_int(ev, TY_F_TS_PREC, prec);
    ty_event_set_str(ev, TY_F_TIME_TEXT, ttext);
    ty_event_set_str(ev, TY_F_CATEGORY, TY_STR_LIT("alert"));
    ty_event_set_str(ev, TY_F_PROVIDER, TY_STR_LIT("falco"));
    ty_event_set_str(ev, TY_F_ACTION, rule); /* formats.md §8.1 roles: action = rule */
    ty_event_set_str(ev, TY_F_RULE, rule);
    ty_event_set_str(ev, TY_F_SEVERITY, prio);
    ty_event_set_str(ev, TY_F_HOST, get_text(c, root, "hostname"));
    ty_event_set_str(ev, TY_F_VENDOR_ID, get_text(c, root, "uuid"));
    struct ty_str msg = get_text(c, root, "output");
    if (!msg.len)
        msg = get_text(c, root, "message");
    ty_event_set_str(ev, TY_F_MESSAGE, msg);
    map_output_fields(c, ev, of);
    if (c->rc)
        return ty_err_set(c->err, c->rc, "out of memory");
    if (!emit)
        return 0;
    return ty_parse_emit(c->ctx, ev);
}

/* A Docker json-file line {"log":"<alert>\n","stream":...}: parse the log text. */
static int convert_wrapped(struct conv *c, struct falco *f, uint32_t log)
{
    struct ty_str s;
    int rc = ty_json_str(c->d, log, c->ctx->arena, &s);
    if (rc == TY_ENOMEM)
        return ty_err_set(c->err, rc, "out of memory");
    if (rc)
        return ty_err_set(c->err, TY_ECORRUPT, "\"log\" is not a string");
    s = ty_str_trim(s);
    if (!s.len || s.p[0] != '{')
        return ty_err_set(c->err, TY_ECORRUPT, "container log line is not a Falco JSON alert");
    rc = ty_json_parse(&f->doc2, s.p, s.len, c->err);
    if (rc == TY_ECORRUPT) {
        char tmp[sizeof(c->err->msg)];
        snprintf(tmp, sizeof(tmp), "%s", c->err->msg);
        return ty_err_set(c->err, rc, "\"log\" is not JSON: %s", tmp);
    }
    if (rc)
        return rc;
    const struct ty_json_doc *outer = c->d;
    c->d = &f->doc2;
    rc = convert(c, &f->ev, 0, true);
    c->d = outer;
    return rc;
}

static int convert_any(struct conv *c, struct falco *f, uint32_t v, bool emit)
{
    if (ty_json_type(c->d, v) == TY_JSON_OBJECT && !is_alert(c->d, v)) {
        uint32_t log = ty_json_get(c->d, v, "log");
        if (ty_json_type(c->d, log) == TY_JSON_STRING) {
            if (!emit)
                return 0; /* validated when emitted: only single alerts are wrapped */
            return convert_wrapped(c, f, log);
        }
    }
    return convert(c, &f->ev, v, emit);
}

static int falco_record(struct ty_parse_ctx *ctx, const struct ty_record *rec, struct ty_err *err)
{
    struct falco *f = ctx->priv;
    struct conv c = {ctx, ctx->json, err, TY_STR_NULL, 0};
    struct ty_str s = ty_parse_skip_ws(ty_str_make(rec->p, rec->len));
    int rc;

    if (!f)
        return ty_err_set(err, TY_EINVAL, "falco: record() before open()");
    if (!s.len)
        return TY_SKIP;
    if (s.p[0] != '{' && s.p[0] != '[') {
        /* "2024-05-07T18:54:19.341Z stdout F {...}" (CRI) */
        ptrdiff_t b = ty_str_chr(s, '{');
        if (b < 0)
            return ty_err_set(err, TY_ECORRUPT, "not a Falco JSON alert: no '{' in the record");
        s = ty_str_make(s.p + b, s.len - (size_t)b);
        c.cut = s;
    }
    rc = ty_json_parse(ctx->json, s.p, s.len, err);
    if (rc == TY_ECORRUPT) {
        char tmp[sizeof(err->msg)];
        snprintf(tmp, sizeof(tmp), "%s", err->msg);
        return ty_err_set(err, rc, "not JSON: %s", tmp);
    }
    if (rc)
        return rc;
    if (ty_json_type(c.d, 0) == TY_JSON_ARRAY) {
        uint32_t i = 0;
        if (!c.d->toks[0].count)
            return TY_SKIP;
        for (uint32_t e = ty_json_first(c.d, 0); e != TY_JSON_NONE; e = ty_json_next(c.d, e), i++)
            if ((rc = convert(&c, &f->ev, e, false)) < 0) {
                char tmp[sizeof(err->msg)];
                snprintf(tmp, sizeof(tmp), "%s", err->msg);
                return ty_err_set(err, rc, "element %u: %s", i, tmp);
            }
        for (uint32_t e = ty_json_first(c.d, 0); e != TY_JSON_NONE; e = ty_json_next(c.d, e))
            if ((rc = convert(&c, &f->ev, e, true)) < 0)
                return rc;
        return TY_OK;
    }
    rc = convert_any(&c, f, 0, true);
    return rc < 0 ? rc : TY_OK;
}

/* ---- sniff and open ----------------------------------------------------- */

static int falco_sniff(struct ty_str head)
{
    struct ty_str s = ty_parse_skip_ws(head);
    if (!s.len)
        return 0;
    if (s.p[0] != '{' && s.p[0] != '[') {
        struct ty_str line = ty_parse_first_line(s, 4096);
        if (!line.p)
            line = s;
        if (ty_str_chr(line, '{') < 0)
            return 0;
    }
    bool rule = ty_str_contains(s, "\"rule\"");
    bool prio = ty_str_contains(s, "\"priority\"");
    bool out = ty_str_contains(s, "\"output\"");
    bool fields = ty_str_contains(s, "\"output_fields\"");
    if (rule && prio && out) {
        if (fields || ty_str_contains(s, "\"hostname\""))
            return 95;
        return 85;
    }
    /* json_include_output_property: false */
    if (rule && prio && fields && ty_str_contains(s, "\"time\"") &&
        (ty_str_contains(s, "\"hostname\"") || ty_str_contains(s, "\"source\"")))
        return 90;
    /* escaped inside a Docker json-file "log" */
    if (ty_str_contains(s, "\\\"rule\\\"") && ty_str_contains(s, "\\\"priority\\\"") && ty_str_contains(s, "\\\"output\\\"") &&
        ty_str_contains(s, "\"log\""))
        return 92; /* above docker-json-log's 90: the alerts inside matter more */
    return 0;
}

static int falco_open(struct ty_parse_ctx *ctx, struct ty_err *err)
{
    struct falco *f = calloc(1, sizeof(*f));
    struct ty_str s = ty_parse_skip_ws(ctx->head);
    if (!f)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    ty_json_doc_init(&f->doc2, 0, 0);
    ctx->priv = f;
    ctx->frame.kind = TY_FRAME_LINES;
    ctx->frame.key = NULL;
    bool sidekick = ty_str_contains(s, "\"uuid\"");
    struct ty_str line = ty_parse_first_line(s, s.len); /* NULL: one line, no newline */
    if (s.len && s.p[0] == '[') {
        ctx->frame.kind = TY_FRAME_JSON;
        snprintf(ctx->shape, sizeof(ctx->shape), "JSON array%s",
                 sidekick ? " (Falcosidekick)" : "");
    } else if (s.len && s.p[0] != '{') {
        snprintf(ctx->shape, sizeof(ctx->shape), "CRI-prefixed JSON lines");
    } else if (line.p && ty_str_trim(line).len &&
               ty_str_trim(line).p[ty_str_trim(line).len - 1] != '}') {
        ctx->frame.kind = TY_FRAME_JSON; /* pretty-printed webhook bodies */
        snprintf(ctx->shape, sizeof(ctx->shape), "JSON documents%s",
                 sidekick ? " (Falcosidekick webhook)" : "");
    } else if (ty_str_contains(s, "\"log\"") && ty_str_contains(s, "\\\"rule\\\"")) {
        snprintf(ctx->shape, sizeof(ctx->shape), "Docker json-file lines");
    } else {
        snprintf(ctx->shape, sizeof(ctx->shape), "JSON lines%s",
                 sidekick ? " (Falcosidekick)" : "");
    }
    return 0;
}

static void falco_close(struct ty_parse_ctx *ctx)
{
    struct falco *f = ctx->priv;
    if (!f)
        return;
    ty_json_doc_release(&f->doc2);
    free(f);
    ctx->priv = NULL;
}

/* rule and priority are the normalised rule and severity, as written. */
static int falco_field_fast(const struct ty_event *ev, struct ty_str name, struct ty_str *out)
{
    enum ty_field fld;
    if (ty_str_eq_cstr(name, "rule"))
        fld = TY_F_RULE;
    else if (ty_str_eq_cstr(name, "priority"))
        fld = TY_F_SEVERITY;
    else if (ty_str_eq_cstr(name, "hostname"))
        fld = TY_F_HOST;
    else
        return 0;
    if (!ty_event_has(ev, fld))
        return 0;
    *out = ev->v[fld].s;
    return 1;
}

const struct ty_parser ty_parser_falco = {
    .abi = TY_PARSER_ABI,
    .name = "falco",
    .desc = "Falco JSON alerts (2016 to current, output_fields) and Falcosidekick webhook "
            "payloads; JSON lines, CRI or Docker json-file wrapped, arrays",
    .sniffs = "\"rule\" + \"priority\" + \"output\" with \"output_fields\" or \"hostname\" (95), "
              "without them (85); \"rule\" + \"priority\" + \"output_fields\" + \"time\" + "
              "\"hostname\"/\"source\" (90); escaped inside a Docker json-file \"log\" (92, "
              "above docker-json-log)",
    .flags = TY_PARSER_F_JSON | TY_PARSER_F_EXACT_KEYS,
    .sniff = falco_sniff,
    .open = falco_open,
    .record = falco_record,
    .close = falco_close,
    .logsource = {.product = "falco"},
    .field_fast = falco_field_fast,
};
