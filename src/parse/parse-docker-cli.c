/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse-docker-cli.c - what the docker CLI prints during a response, saved to
 * files: `docker ps [-a] [--no-trunc] [-s]` tables (docker-ps) and `docker
 * diff` listings (docker-diff).
 *
 * docker-ps: a header "CONTAINER ID   IMAGE   COMMAND   CREATED   STATUS
 * PORTS   NAMES [SIZE]" then one row per container, columns padded by the Go
 * tabwriter (at least 3 spaces; cells never contain two spaces in a row).
 * Values are cut at the header's column starts when no cell crosses one;
 * otherwise (a hand-edited or re-flowed table) by their shape: ID and IMAGE
 * have no spaces, COMMAND is quoted, NAMES is the last cell, between them
 * CREATED, STATUS and an optional PORTS. One event "container-listed" per row:
 * container id (12 hex, or 64 with --no-trunc), image, command (a trailing
 * "…" means cut by docker), name; a kubelet name
 * k8s_<container>_<pod>_<namespace>_<uid>_<attempt> gives the container,
 * pod and namespace; STATUS gives the disposition (running, exited with its
 * code, created, paused, restarting, dead). The table holds relative times
 * only ("2 days ago"), so events are timed by the file's mtime (when the
 * listing was saved; 0 when unknown) and the message keeps CREATED as is.
 * docker-diff: lines "A /path", "C /path", "D /path" (added, changed,
 * deleted in the container's writable layer), one event each, timed by the
 * file's mtime; the container is not named in the content (only in a file
 * name, which parsers do not see).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/parser.h>

/* ---- docker-ps ---------------------------------------------------------- */

enum { C_ID, C_IMAGE, C_COMMAND, C_CREATED, C_STATUS, C_PORTS, C_NAMES, C_SIZE, C__N };

static const char *const col_names[C__N] = {"CONTAINER ID", "IMAGE", "COMMAND", "CREATED",
                                            "STATUS", "PORTS", "NAMES", "SIZE"};

#define MAX_COLS 16

struct ps {
    unsigned n;                /* columns in the header */
    size_t start[MAX_COLS];    /* their start offsets */
    int which[MAX_COLS];       /* C_* or -1 for an unknown column */
    bool standard;             /* ID, IMAGE, COMMAND, CREATED, STATUS, NAMES present */
};

/* Parse a header line into columns (cells separated by two or more spaces). */
static unsigned header_cols(struct ty_str l, struct ps *ps)
{
    size_t i = 0;
    unsigned seen = 0;
    ps->n = 0;
    while (i < l.len && ps->n < MAX_COLS) {
        while (i < l.len && (l.p[i] == ' ' || l.p[i] == '\t'))
            i++;
        if (i >= l.len)
            break;
        size_t s = i;
        while (i < l.len && l.p[i] != '\t' &&
               !(l.p[i] == ' ' && (i + 1 >= l.len || l.p[i + 1] == ' ')))
            i++;
        struct ty_str cell = ty_str_make(l.p + s, i - s);
        ps->start[ps->n] = s;
        ps->which[ps->n] = -1;
        for (int c = 0; c < C__N; c++)
            if (ty_str_eq_cstr(cell, col_names[c])) {
                ps->which[ps->n] = c;
                seen |= 1u << c;
            }
        ps->n++;
    }
    unsigned need = (1u << C_ID) | (1u << C_IMAGE) | (1u << C_COMMAND) | (1u << C_CREATED) |
                    (1u << C_STATUS) | (1u << C_NAMES);
    ps->standard = (seen & need) == need;
    return seen;
}

static int ps_sniff(struct ty_str head)
{
    struct ty_str l = ty_parse_first_line(head, 4096);
    struct ps ps;
    if (!l.p || !ty_str_starts(l, "CONTAINER ID"))
        return 0;
    unsigned seen = header_cols(l, &ps);
    if (ps.standard)
        return 90;
    /* a custom --format "table ..." with the id and the names */
    return (seen & (1u << C_NAMES)) ? 60 : 30;
}

static int ps_open(struct ty_parse_ctx *ctx, struct ty_err *err)
{
    struct ps *ps = calloc(1, sizeof(*ps));
    if (!ps)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    ctx->priv = ps;
    ctx->frame.kind = TY_FRAME_LINES;
    ctx->frame.key = NULL;
    struct ty_str l = ty_parse_first_line(ctx->head, 4096);
    if (l.p)
        header_cols(l, ps);
    snprintf(ctx->shape, sizeof(ctx->shape), "%s",
             ps->standard ? "docker ps table" : "docker ps custom table");
    return 0;
}

struct cell {
    struct ty_str s;
    size_t at;
};

/* Split a row into cells separated by 2+ spaces or tabs. */
static unsigned row_cells(struct ty_str l, struct cell *out, unsigned max)
{
    unsigned n = 0;
    size_t i = 0;
    while (i < l.len && n < max) {
        while (i < l.len && (l.p[i] == ' ' || l.p[i] == '\t'))
            i++;
        if (i >= l.len)
            break;
        size_t s = i;
        while (i < l.len && l.p[i] != '\t' &&
               !(l.p[i] == ' ' && (i + 1 >= l.len || l.p[i + 1] == ' ' || l.p[i + 1] == '\t')))
            i++;
        out[n].s = ty_str_make(l.p + s, i - s);
        out[n].at = s;
        n++;
    }
    return n;
}

/* Values by the header's column starts, when no cell crosses one. */
static bool by_position(const struct ps *ps, struct ty_str l, struct ty_str *v)
{
    for (unsigned c = 1; c < ps->n; c++) {
        size_t b = ps->start[c];
        /* a value starts at a column only after a gap of two blanks */
        if (b < l.len && b >= 2 && (l.p[b - 1] != ' ' || l.p[b - 2] != ' ') &&
            l.p[b - 1] != '\t')
            return false;
    }
    for (unsigned c = 0; c < ps->n; c++) {
        size_t s = ps->start[c], e = c + 1 < ps->n ? ps->start[c + 1] : l.len;
        if (s > l.len)
            s = l.len;
        if (e > l.len)
            e = l.len;
        struct ty_str t = ty_str_trim(ty_str_make(l.p + s, e > s ? e - s : 0));
        if (ps->which[c] >= 0)
            v[ps->which[c]] = t;
    }
    return v[C_ID].len > 0;
}

/* Values by their shape (standard columns only). */
static bool by_shape(const struct ps *ps, struct ty_str l, struct ty_str *v)
{
    struct cell c[24];
    unsigned n = row_cells(l, c, 22);
    /* ID and IMAGE hold no space: a single space ends them (an overflowing IMAGE) */
    for (unsigned k = 0; k < 2 && k < n; k++) {
        ptrdiff_t sp = ty_str_chr(c[k].s, ' ');
        if (sp <= 0 || n >= 23)
            continue;
        memmove(&c[k + 2], &c[k + 1], (n - k - 1) * sizeof(c[0]));
        struct ty_str rest = ty_str_trim(ty_str_make(c[k].s.p + sp, c[k].s.len - (size_t)sp));
        c[k + 1].s = rest;
        c[k + 1].at = (size_t)(rest.p - l.p);
        c[k].s.len = (size_t)sp;
        n++;
    }
    bool size = false;
    for (unsigned k = 0; k < ps->n; k++)
        size |= ps->which[k] == C_SIZE;
    if (n < 6 || c[2].s.len == 0 || c[2].s.p[0] != '"')
        return false;
    unsigned last = n - 1 - (size ? 1 : 0), mid = last - 3;
    if (mid != 2 && mid != 3)
        return false;
    v[C_ID] = c[0].s;
    v[C_IMAGE] = c[1].s;
    v[C_COMMAND] = c[2].s;
    v[C_CREATED] = c[3].s;
    v[C_STATUS] = c[4].s;
    if (mid == 3)
        v[C_PORTS] = c[5].s;
    v[C_NAMES] = c[last].s;
    if (size)
        v[C_SIZE] = c[n - 1].s;
    return true;
}

static bool hexstr(struct ty_str s)
{
    for (size_t i = 0; i < s.len; i++)
        if (!((s.p[i] >= '0' && s.p[i] <= '9') || (s.p[i] >= 'a' && s.p[i] <= 'f')))
            return false;
    return s.len > 0;
}

/* k8s_<container>_<pod>_<namespace>_<uid>_<attempt> (dockershim names). */
static void k8s_name(struct ty_event *ev, struct ty_str name)
{
    struct ty_str part[6], rest;
    unsigned n = 0;
    if (!ty_str_starts(name, "k8s_"))
        return;
    rest = ty_str_make(name.p + 4, name.len - 4);
    while (n < 6) {
        ptrdiff_t u = ty_str_chr(rest, '_');
        if (u < 0) {
            part[n++] = rest;
            break;
        }
        part[n++] = ty_str_make(rest.p, (size_t)u);
        rest = ty_str_make(rest.p + u + 1, rest.len - (size_t)u - 1);
    }
    if (n != 5)
        return;
    ty_event_set_str(ev, TY_F_CONTAINER_NAME, part[0]); /* "POD": the pause container */
    ty_event_set_str(ev, TY_F_K8S_POD, part[1]);
    ty_event_set_str(ev, TY_F_K8S_NAMESPACE, part[2]);
}

static int ps_record(struct ty_parse_ctx *ctx, const struct ty_record *rec, struct ty_err *err)
{
    struct ps *ps = ctx->priv;
    struct ty_str l = ty_str_make(rec->p, rec->len);
    struct ty_str v[C__N];
    unsigned long long off = (unsigned long long)rec->offset;
    if (!ps)
        return ty_err_set(err, TY_EINVAL, "docker-ps: record() before open()");
    if (ty_str_starts(l, "CONTAINER ID")) {
        header_cols(l, ps); /* a listing saved twice into one file: its own header */
        return TY_SKIP;
    }
    memset(v, 0, sizeof(v));
    if (!by_position(ps, l, v) || !hexstr(v[C_ID]) ||
        (ps->standard && (!v[C_IMAGE].len || !v[C_NAMES].len))) {
        memset(v, 0, sizeof(v));
        if (!ps->standard || !by_shape(ps, l, v))
            return ty_err_set(err, TY_ECORRUPT,
                              "docker ps row at byte %llu: its cells do not fit the header", off);
    }
    if (!hexstr(v[C_ID]) || v[C_ID].len < 12 || v[C_ID].len > 64)
        return ty_err_set(err, TY_ECORRUPT,
                          "docker ps row at byte %llu: \"%.*s\" is not a container id", off,
                          (int)(v[C_ID].len > 64 ? 64 : v[C_ID].len), v[C_ID].p);
    struct ty_event ev;
    memset(&ev, 0, sizeof(ev));
    ty_event_set_int(&ev, TY_F_TS, ctx->file_mtime);
    ty_event_set_str(&ev, TY_F_CATEGORY, TY_STR_LIT("container"));
    ty_event_set_str(&ev, TY_F_ACTION, TY_STR_LIT("container-listed"));
    ty_event_set_str(&ev, TY_F_PROVIDER, TY_STR_LIT("docker"));
    ty_event_set_str(&ev, TY_F_CONTAINER_ID, v[C_ID]);
    ty_event_set_str(&ev, TY_F_TARGET_KIND, TY_STR_LIT("container"));
    ty_event_set_str(&ev, TY_F_TARGET, v[C_ID]);
    ty_event_set_str(&ev, TY_F_CONTAINER_IMAGE, v[C_IMAGE]);
    struct ty_str cmd = v[C_COMMAND];
    bool cut = false;
    if (cmd.len >= 2 && cmd.p[0] == '"' && cmd.p[cmd.len - 1] == '"') {
        cmd = ty_str_make(cmd.p + 1, cmd.len - 2);
        /* U+2026 (docker's ellipsis for a cut command) */
        cut = ty_str_ends(cmd, "\xe2\x80\xa6");
    }
    ty_event_set_str(&ev, TY_F_PROC_CMDLINE, cmd);
    struct ty_str names = v[C_NAMES], name = names;
    ptrdiff_t comma = ty_str_chr(names, ',');
    if (comma > 0)
        name.len = (size_t)comma;
    ty_event_set_str(&ev, TY_F_TARGET_NAME, name);
    ty_event_set_str(&ev, TY_F_CONTAINER_NAME, name);
    k8s_name(&ev, name);
    struct ty_str st = v[C_STATUS];
    const char *disp = ty_str_starts(st, "Up") ? (ty_str_contains(st, "(Paused)") ? "paused"
                                                                                : "running")
                       : ty_str_starts(st, "Exited")     ? "exited"
                       : ty_str_starts(st, "Created")    ? "created"
                       : ty_str_starts(st, "Restarting") ? "restarting"
                       : ty_str_starts(st, "Dead")       ? "dead"
                       : ty_str_starts(st, "Removal")    ? "removing"
                                                         : NULL;
    if (disp)
        ty_event_set_str(&ev, TY_F_DISPOSITION, ty_str_cstr(disp));
    ptrdiff_t par = ty_str_chr(st, '(');
    if (par > 0 && (disp && (disp[0] == 'e' || disp[0] == 'r'))) {
        struct ty_str code = ty_str_make(st.p + par + 1, st.len - (size_t)par - 1);
        ptrdiff_t close = ty_str_chr(code, ')');
        if (close > 0)
            ty_event_set_str(&ev, TY_F_STATUS_CODE, ty_str_make(code.p, (size_t)close));
    }
    struct ty_str m = ty_arena_printf(
        ctx->arena, "%.*s %.*s, created %.*s, status %.*s%s%.*s%s%.*s%s%s", (int)v[C_ID].len,
        v[C_ID].p, (int)names.len, names.p ? names.p : "", (int)v[C_CREATED].len,
        v[C_CREATED].p ? v[C_CREATED].p : "?", (int)st.len, st.p ? st.p : "?",
        v[C_PORTS].len ? ", ports " : "", (int)v[C_PORTS].len, v[C_PORTS].p ? v[C_PORTS].p : "",
        v[C_SIZE].len ? ", size " : "", (int)v[C_SIZE].len, v[C_SIZE].p ? v[C_SIZE].p : "",
        cut ? ", command cut by docker ps" : "",
        ctx->file_mtime ? " (time: when the listing was saved)" : " (time: unknown)");
    if (!m.p)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    ty_event_set_str(&ev, TY_F_MESSAGE, m);
    int rc = ty_parse_emit(ctx, &ev);
    return rc < 0 ? rc : TY_OK;
}

const struct ty_parser ty_parser_docker_ps = {
    .abi = TY_PARSER_ABI,
    .name = "docker-ps",
    .desc = "docker ps [-a] [--no-trunc] [-s] tables: one event per container (id, image, "
            "command, status, name; kubelet names give pod and namespace)",
    .sniffs = "first line starts CONTAINER ID and names IMAGE, COMMAND, CREATED, STATUS and "
              "NAMES (90); a custom table with NAMES (60)",
    .flags = TY_PARSER_F_TEXT,
    .sniff = ps_sniff,
    .open = ps_open,
    .record = ps_record,
    .close = ty_parse_free_priv,
    .logsource = {"docker", "ps", NULL},
};

/* ---- docker-diff -------------------------------------------------------- */

static bool diff_line(struct ty_str l)
{
    return l.len >= 3 && (l.p[0] == 'A' || l.p[0] == 'C' || l.p[0] == 'D') && l.p[1] == ' ' &&
           l.p[2] == '/';
}

static int diff_sniff(struct ty_str head)
{
    head = ty_parse_skip_ws(head);
    unsigned n = 0;
    while (head.len) {
        const char *nl = memchr(head.p, '\n', head.len);
        if (!nl)
            break; /* the last line may be cut by the head */
        struct ty_str l = ty_str_make(head.p, (size_t)(nl - head.p));
        if (l.len && l.p[l.len - 1] == '\r')
            l.len--;
        if (l.len && !diff_line(l))
            return 0;
        n += l.len > 0;
        head = ty_str_make(nl + 1, head.len - (size_t)(nl - head.p) - 1);
    }
    return n >= 3 ? 80 : n ? 50 : 0;
}

static int diff_open(struct ty_parse_ctx *ctx, struct ty_err *err)
{
    (void)err;
    ctx->frame.kind = TY_FRAME_LINES;
    ctx->frame.key = NULL;
    snprintf(ctx->shape, sizeof(ctx->shape), "docker diff listing");
    return 0;
}

static int diff_record(struct ty_parse_ctx *ctx, const struct ty_record *rec, struct ty_err *err)
{
    struct ty_str l = ty_str_make(rec->p, rec->len);
    if (!diff_line(l))
        return ty_err_set(err, TY_ECORRUPT,
                          "docker diff line at byte %llu: not \"A|C|D /path\"",
                          (unsigned long long)rec->offset);
    struct ty_event ev;
    memset(&ev, 0, sizeof(ev));
    const char *act = l.p[0] == 'A' ? "container-file-added"
                      : l.p[0] == 'C' ? "container-file-changed"
                                      : "container-file-deleted";
    ty_event_set_int(&ev, TY_F_TS, ctx->file_mtime);
    ty_event_set_str(&ev, TY_F_CATEGORY, TY_STR_LIT("file"));
    ty_event_set_str(&ev, TY_F_ACTION, ty_str_cstr(act));
    ty_event_set_str(&ev, TY_F_PROVIDER, TY_STR_LIT("docker"));
    ty_event_set_str(&ev, TY_F_FILE_PATH, ty_str_make(l.p + 2, l.len - 2));
    ty_event_set_str(&ev, TY_F_MESSAGE,
                     ctx->file_mtime ? TY_STR_LIT("docker diff (time: when the listing was saved)")
                                     : TY_STR_LIT("docker diff (time: unknown)"));
    int rc = ty_parse_emit(ctx, &ev);
    return rc < 0 ? rc : TY_OK;
}

static int diff_taxonomy(const struct ty_event *ev)
{
    struct ty_str a = ty_event_str(ev, TY_F_ACTION);
    if (ty_str_eq_cstr(a, "container-file-added"))
        return TY_SCAT_FILE_EVENT;
    if (ty_str_eq_cstr(a, "container-file-changed"))
        return TY_SCAT_FILE_CHANGE;
    if (ty_str_eq_cstr(a, "container-file-deleted"))
        return TY_SCAT_FILE_DELETE;
    return TY_SCAT_NONE;
}

/* The record's own fields for rules: "change" (A, C, D) and "path". */
static int diff_fields(const struct ty_event *ev, ty_kv_fn kv, void *arg)
{
    struct ty_str l = ev->raw;
    if (!diff_line(l))
        return 0;
    int rc = kv(arg, TY_STR_LIT("change"), ty_str_make(l.p, 1));
    return rc ? rc : kv(arg, TY_STR_LIT("path"), ty_str_make(l.p + 2, l.len - 2));
}

const struct ty_parser ty_parser_docker_diff = {
    .abi = TY_PARSER_ABI,
    .name = "docker-diff",
    .desc = "docker diff listings (A/C/D /path): one event per added, changed or deleted path "
            "of a container's writable layer",
    .sniffs = "every complete line of the head is \"A /...\", \"C /...\" or \"D /...\" (80 from "
              "three lines, 50 for one or two)",
    .flags = TY_PARSER_F_TEXT,
    .sniff = diff_sniff,
    .open = diff_open,
    .record = diff_record,
    .close = ty_parse_free_priv,
    .logsource = {"docker", "diff", NULL},
    .taxonomy = diff_taxonomy,
    .fields = diff_fields,
};
