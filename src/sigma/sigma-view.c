/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sigma-view.c - how a rule's field names reach an event's values.
 *
 * The raw view answers with the record's own names: JSON records by dotted
 * path (a literal key first, else the longest literal prefix at each level;
 * arrays visited element by element; an exact key before a
 * case-insensitive one), text records through the parser's fields() hook.
 * The taxonomy view maps Sigma's generic names (Image, CommandLine,
 * DestinationIp, c-ip, ...) onto the normalised event and falls back to the
 * raw view for names it does not map. Everything is parsed lazily, once per
 * event, and only when a rule asks. See docs/internals/SIGMA-VIEWS.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/time.h>

#include "sigma/sigma-set-int.h"

/* ---- taxonomy ---- */

static const char *const cat_names[TY_SCAT__COUNT] = {
    [TY_SCAT_PROCESS_CREATION] = "process_creation",
    [TY_SCAT_PROCESS_TERMINATION] = "process_termination",
    [TY_SCAT_NETWORK_CONNECTION] = "network_connection",
    [TY_SCAT_FILE_EVENT] = "file_event",
    [TY_SCAT_FILE_CHANGE] = "file_change",
    [TY_SCAT_FILE_DELETE] = "file_delete",
    [TY_SCAT_FILE_ACCESS] = "file_access",
    [TY_SCAT_DNS] = "dns",
    [TY_SCAT_WEBSERVER] = "webserver",
    [TY_SCAT_PROXY] = "proxy",
    [TY_SCAT_FIREWALL] = "firewall",
};

int ty__sigma_taxonomy_by_name(struct ty_str category)
{
    for (int i = 1; i < TY_SCAT__COUNT; i++)
        if (ty_str_eq_cstr(category, cat_names[i]))
            return i;
    return TY_SCAT_NONE;
}

/* Sigma taxonomy name -> normalised field (docs/internals/SIGMA-VIEWS.md). */
static const struct {
    const char *name;
    enum ty_field f;
} taxo[] = {
    {"Image", TY_F_PROC_EXE},
    {"CommandLine", TY_F_PROC_CMDLINE},
    {"ParentImage", TY_F_PARENT_EXE},
    {"User", TY_F_PROC_USER},
    {"CurrentDirectory", TY_F_PROC_CWD},
    {"ProcessId", TY_F_PID},
    {"ParentProcessId", TY_F_PPID},
    {"LogonId", TY_F_ACTOR_SESSION},
    {"DestinationIp", TY_F_DST_IP},
    {"DestinationPort", TY_F_DST_PORT},
    {"DestinationHostname", TY_F_DOMAIN},
    {"SourceIp", TY_F_SRC_IP},
    {"SourcePort", TY_F_SRC_PORT},
    {"TargetFilename", TY_F_FILE_PATH},
    {"query", TY_F_DOMAIN},
    {"QueryName", TY_F_DOMAIN},
    {"c-ip", TY_F_SRC_IP},
    {"cs-method", TY_F_HTTP_METHOD},
    {"sc-status", TY_F_HTTP_STATUS},
    {"cs-user-agent", TY_F_USER_AGENT},
    {"c-useragent", TY_F_USER_AGENT},
    {"cs-host", TY_F_DOMAIN},
    {"cs-uri", TY_F_REQUEST_URI},
    {"c-uri", TY_F_URL},
    {"r-dns", TY_F_DOMAIN},
    {"cs-username", TY_F_ACTOR},
    {"src_ip", TY_F_SRC_IP},
    {"dst_ip", TY_F_DST_IP},
    {"src_port", TY_F_SRC_PORT},
    {"dst_port", TY_F_DST_PORT},
};

/* ---- values ---- */

static bool emit_str(ty_fval_fn fn, void *arg, struct ty_str s)
{
    struct ty_fval v = {.kind = TY_FV_STR, .s = s};
    return fn(arg, &v);
}

static bool emit_num_text(ty_fval_fn fn, void *arg, struct ty_str s)
{
    char tmp[64];
    struct ty_fval v = {.kind = TY_FV_NUM, .s = s};
    size_t n = s.len < sizeof(tmp) - 1 ? s.len : sizeof(tmp) - 1;
    memcpy(tmp, s.p, n);
    tmp[n] = '\0';
    v.num = strtod(tmp, NULL);
    return fn(arg, &v);
}

/* ---- raw JSON ---- */

static int json_ready(struct sigma_src *src)
{
    if (src->json_state)
        return src->json_state;
    src->json_state = -1;
    if (!src->ev || !src->ev->raw.p || !src->json)
        return -1;
    const struct ty_json_doc *t = src->ev->raw_json;
    if (t && t->n_toks && t->src == src->ev->raw.p && t->src_len == src->ev->raw.len) {
        src->json = t; /* the parser's tape of this record */
    } else {
        struct ty_err e;
        if (ty_json_parse(src->scratch_json, src->ev->raw.p, src->ev->raw.len, &e) != 0)
            return -1;
        src->json = src->scratch_json;
    }
    src->root = 0;
    if (src->parser && src->parser->json_root) {
        uint32_t r = src->parser->json_root(src->json, 0);
        if (r != TY_JSON_NONE)
            src->root = r;
    }
    if (ty_json_type(src->json, src->root) != TY_JSON_OBJECT &&
        ty_json_type(src->json, src->root) != TY_JSON_ARRAY)
        return -1;
    src->json_state = 1;
    return 1;
}

struct walk {
    struct sigma_src *src;
    ty_fval_fn fn;
    void *arg;
    bool found, stopped;
};

static bool visit_value(struct walk *w, uint32_t t, int depth)
{
    const struct ty_json_doc *d = w->src->json;
    const struct ty_json_tok *tok = ty_json_tok(d, t);
    struct ty_fval v = {0};
    w->found = true;
    switch (tok->type) {
    case TY_JSON_ARRAY:
        if (depth < 16) {
            for (uint32_t e = ty_json_first(d, t); e != TY_JSON_NONE; e = ty_json_next(d, e))
                if (visit_value(w, e, depth + 1))
                    return true;
            return false;
        }
        v.kind = TY_FV_OBJ;
        v.s = ty_json_raw(d, t);
        break;
    case TY_JSON_OBJECT:
        v.kind = TY_FV_OBJ;
        v.s = ty_json_raw(d, t);
        break;
    case TY_JSON_STRING:
        v.kind = TY_FV_STR;
        if (ty_json_str(d, t, w->src->arena, &v.s) != 0)
            return false;
        break;
    case TY_JSON_NUMBER:
        if (emit_num_text(w->fn, w->arg, ty_json_raw(d, t)))
            return w->stopped = true;
        return false;
    case TY_JSON_TRUE:
    case TY_JSON_FALSE:
        v.kind = TY_FV_BOOL;
        v.b = tok->type == TY_JSON_TRUE;
        v.s = v.b ? TY_STR_LIT("true") : TY_STR_LIT("false");
        break;
    default:
        v.kind = TY_FV_NULL;
        break;
    }
    if (w->fn(w->arg, &v))
        return w->stopped = true;
    return false;
}

/* Key equality ignoring ASCII case and spaces ("Source Name" is SourceName
 * to rules over EVTX renderings). */
static bool eq_nospace(struct ty_str key, struct ty_str name)
{
    size_t i = 0, j = 0;
    for (; i < key.len; i++) {
        if (key.p[i] == ' ')
            continue;
        if (j == name.len ||
            ty_fold((unsigned char)key.p[i]) != ty_fold((unsigned char)name.p[j]))
            return false;
        j++;
    }
    return j == name.len;
}

/* Member of obj whose key equals k: mode 0 exact, 1 ASCII case-insensitive,
 * 2 also ignoring spaces in the key. Walks the tape: a value's `next` is
 * the following key. */
static uint32_t member(const struct ty_json_doc *d, uint32_t obj, struct ty_str k, int nocase,
                       struct ty_arena *a)
{
    const struct ty_json_tok *t = d->toks;
    uint32_t key = obj + 1;
    for (uint32_t i = 0; i < t[obj].count && key + 1 < d->n_toks; i++, key = t[key + 1].next) {
        struct ty_str ks = {d->src + t[key].off, t[key].len};
        if (t[key].flags & TY_JSON_F_ESCAPED) {
            if (ty_json_str(d, key, a, &ks) != 0)
                continue;
        } else if (nocase < 2 && ks.len != k.len) {
            continue;
        }
        if (nocase == 2 ? eq_nospace(ks, k) : nocase ? ty_str_eq_nocase(ks, k) : ty_str_eq(ks, k))
            return key + 1;
    }
    return TY_JSON_NONE;
}

#define COMPLEX (TY_JSON_NONE - 1)

/* A cheap hash of a key: length, first and last bytes (collisions only
 * cost a comparison). */
static inline unsigned key_slot(const char *p, size_t len)
{
    return (unsigned)((len * 31u + (unsigned char)p[0] * 7u + (unsigned char)p[len - 1] * 3u) &
                      (SIGMA_ROOT_KEYS - 1));
}

/* The root object's keys in a small table, built on the first lookup of an
 * event: rules mostly name fields at the root, and a record has a few
 * dozen keys there, so a lookup (found or not) costs one or two probes
 * instead of a scan. False when the table cannot help (too many keys,
 * escaped or empty keys): the caller scans. */
static bool root_index(struct sigma_src *src)
{
    if (src->root_state)
        return src->root_state > 0;
    const struct ty_json_doc *d = src->json;
    const struct ty_json_tok *t = d->toks;
    uint32_t obj = src->root, key = obj + 1;
    src->root_state = -1;
    if (t[obj].type != TY_JSON_OBJECT || t[obj].count > SIGMA_ROOT_KEYS / 2)
        return false;
    memset(src->root_keys, 0, sizeof(src->root_keys));
    for (uint32_t i = 0; i < t[obj].count && key + 1 < d->n_toks; i++, key = t[key + 1].next) {
        if ((t[key].flags & TY_JSON_F_ESCAPED) || t[key].len == 0)
            return false;
        unsigned j = key_slot(d->src + t[key].off, t[key].len);
        while (src->root_keys[j])
            j = (j + 1) & (SIGMA_ROOT_KEYS - 1);
        src->root_keys[j] = key;
    }
    src->root_state = 1;
    return true;
}

/* step() at the root, through the table: the whole name, then each prefix
 * ending at a dot, longest first (the first found is the longest). A
 * duplicate key resolves to the first one, as a scan does. */
static uint32_t root_step(struct sigma_src *src, struct ty_str rest, size_t *used)
{
    const struct ty_json_doc *d = src->json;
    size_t len = rest.len;
    while (len > 0) {
        uint32_t found = TY_JSON_NONE;
        for (unsigned j = key_slot(rest.p, len); src->root_keys[j];
             j = (j + 1) & (SIGMA_ROOT_KEYS - 1)) {
            uint32_t key = src->root_keys[j];
            if (d->toks[key].len == len && memcmp(d->src + d->toks[key].off, rest.p, len) == 0 &&
                (found == TY_JSON_NONE || key < found - 1))
                found = key + 1;
        }
        if (found != TY_JSON_NONE) {
            *used = len;
            return found;
        }
        while (len > 0 && rest.p[--len] != '.')
            ;
    }
    return TY_JSON_NONE;
}

/* The one node a path names when it crosses no array (memoised per
 * event), TY_JSON_NONE when absent, COMPLEX when an array is on the way. */
/* One step down a dotted path: the member of obj whose key is the whole of
 * rest, else the longest key that is a prefix of rest ending at a dot.
 * *used says how much of rest it took. One scan of the object (modes 0
 * and 1); the space-blind EVTX mode tries the prefixes one by one. */
static uint32_t step(const struct ty_json_doc *d, uint32_t obj, struct ty_str rest, int mode,
                     struct ty_arena *a, size_t *used)
{
    if (mode == 2) {
        uint32_t v = member(d, obj, rest, mode, a);
        *used = rest.len;
        for (size_t i = rest.len; v == TY_JSON_NONE && i-- > 0;)
            if (rest.p[i] == '.' && (v = member(d, obj, (struct ty_str){rest.p, i}, mode, a)) !=
                                        TY_JSON_NONE)
                *used = i;
        return v;
    }
    const struct ty_json_tok *t = d->toks;
    uint32_t key = obj + 1, best = TY_JSON_NONE;
    size_t best_len = 0;
    for (uint32_t i = 0; i < t[obj].count && key + 1 < d->n_toks; i++, key = t[key + 1].next) {
        bool esc = t[key].flags & TY_JSON_F_ESCAPED;
        /* most keys differ in length or first byte: reject those cheaply */
        if (!esc && (t[key].len > rest.len || t[key].len <= best_len ||
                     (mode == 0 && d->src[t[key].off] != rest.p[0])))
            continue;
        struct ty_str ks = {d->src + t[key].off, t[key].len};
        if (esc && ty_json_str(d, key, a, &ks) != 0)
            continue;
        if (ks.len > rest.len || ks.len <= best_len)
            continue;
        if (ks.len < rest.len && rest.p[ks.len] != '.')
            continue;
        struct ty_str head = {rest.p, ks.len};
        if (mode ? !ty_str_eq_nocase(ks, head) : memcmp(ks.p, head.p, ks.len) != 0)
            continue;
        best = key + 1;
        best_len = ks.len;
        if (best_len == rest.len)
            break; /* the whole name as a literal key wins */
    }
    *used = best_len;
    return best;
}

/* The one node a path names when it crosses no array (memoised per
 * event), TY_JSON_NONE when absent, COMPLEX when an array is on the way. */
static uint32_t resolve_simple(struct sigma_src *src, uint32_t node, struct ty_str rest,
                               int depth)
{
    const struct ty_json_doc *d = src->json;
    int type = ty_json_type(d, node);
    if (type == TY_JSON_ARRAY || depth > 32)
        return COMPLEX;
    if (type != TY_JSON_OBJECT)
        return TY_JSON_NONE;
    int modes = src->exact_keys ? 1 : 2;
    for (int mode = 0; mode < modes; mode++) {
        size_t used;
        uint32_t v = mode == 0 && node == src->root && rest.len && root_index(src)
                         ? root_step(src, rest, &used)
                         : step(d, node, rest, mode, src->arena, &used);
        if (v == TY_JSON_NONE)
            continue;
        if (used == rest.len)
            return v;
        return resolve_simple(src, v, (struct ty_str){rest.p + used + 1, rest.len - used - 1},
                              depth + 1);
    }
    return TY_JSON_NONE;
}

/* A cheap hash of a field name for the memo: its length and its first and
 * last eight bytes (names sharing a prefix differ at the end; a collision
 * only costs a comparison). */
static uint64_t name_hash(struct ty_str n)
{
    uint64_t a = 0, b = 0;
    size_t k = n.len < 8 ? n.len : 8;
    memcpy(&a, n.p, k);
    memcpy(&b, n.p + n.len - k, k);
    uint64_t h = (a ^ (b * UINT64_C(0x9e3779b97f4a7c15)) ^ n.len) * UINT64_C(0xff51afd7ed558ccd);
    return h ^ (h >> 29);
}

static uint32_t memo_lookup(struct sigma_src *src, struct ty_str name)
{
    uint64_t h = name_hash(name);
    struct sigma_memo *m = &src->memo[h & (SIGMA_MEMO - 1)];
    if (m->gen == src->memo_gen && m->hash == h && ty_str_eq(m->name, name))
        return m->node;
    uint32_t node = resolve_simple(src, src->root, name, 0);
    *m = (struct sigma_memo){h, name, node, src->memo_gen};
    return node;
}

static void walk_path(struct walk *w, uint32_t node, struct ty_str rest, int depth)
{
    const struct ty_json_doc *d = w->src->json;
    int type = ty_json_type(d, node);
    if (depth > 32 || w->stopped)
        return;
    if (type == TY_JSON_ARRAY) {
        for (uint32_t e = ty_json_first(d, node); e != TY_JSON_NONE && !w->stopped;
             e = ty_json_next(d, e))
            walk_path(w, e, rest, depth + 1);
        return;
    }
    if (type != TY_JSON_OBJECT)
        return;
    int modes = w->src->map == TY_SIGMA_MAP_EVTX ? 3 : w->src->exact_keys ? 1 : 2;
    for (int mode = 0; mode < modes; mode++) {
        size_t used;
        uint32_t v = step(d, node, rest, mode, w->src->arena, &used);
        if (v == TY_JSON_NONE)
            continue;
        if (used == rest.len)
            visit_value(w, v, 0);
        else
            walk_path(w, v, (struct ty_str){rest.p + used + 1, rest.len - used - 1}, depth + 1);
        return;
    }
}

static int json_each(struct sigma_src *src, struct ty_str name, ty_fval_fn fn, void *arg)
{
    if (json_ready(src) < 0)
        return -1;
    struct walk w = {src, fn, arg, false, false};
    if (src->map == TY_SIGMA_MAP_NONE) {
        uint32_t node = memo_lookup(src, name);
        if (node == TY_JSON_NONE)
            return -1;
        if (node != COMPLEX) {
            visit_value(&w, node, 0);
            return w.stopped ? 1 : 0;
        }
    }
    if (src->map == TY_SIGMA_MAP_EVTX) {
        static const char *const pre[] = {"Event.EventData.", "Event.System.", NULL};
        for (int i = 0; pre[i] && !w.found; i++) {
            struct ty_str full = ty_arena_printf(src->arena, "%s%.*s", pre[i], (int)name.len,
                                                 name.p);
            if (full.p)
                walk_path(&w, src->root, full, 0);
        }
        if (!w.found && ty_str_eq_cstr(name, "Provider_Name"))
            walk_path(&w, src->root, TY_STR_LIT("Event.System.Provider.#attributes.Name"), 0);
        if (!w.found) {
            /* events without EventData carry theirs in UserData.<Element> */
            uint32_t ud = ty_json_path(src->json, src->root, "Event.UserData");
            if (ty_json_type(src->json, ud) == TY_JSON_OBJECT)
                for (uint32_t k = ty_json_first(src->json, ud); k != TY_JSON_NONE && !w.found;
                     k = ty_json_next_member(src->json, k))
                    walk_path(&w, k + 1, name, 0);
        }
        if (w.found)
            return w.stopped ? 1 : 0;
    }
    walk_path(&w, src->root, name, 0);
    return !w.found ? -1 : w.stopped ? 1 : 0;
}

static bool keyword_tokens(struct walk *w, uint32_t t, int depth)
{
    const struct ty_json_doc *d = w->src->json;
    int type = ty_json_type(d, t);
    if (type == TY_JSON_OBJECT) {
        if (depth > 32)
            return false;
        for (uint32_t k = ty_json_first(d, t); k != TY_JSON_NONE; k = ty_json_next_member(d, k))
            if (keyword_tokens(w, k + 1, depth + 1))
                return true;
        return false;
    }
    if (type == TY_JSON_ARRAY) {
        if (depth > 32)
            return false;
        for (uint32_t e = ty_json_first(d, t); e != TY_JSON_NONE; e = ty_json_next(d, e))
            if (keyword_tokens(w, e, depth + 1))
                return true;
        return false;
    }
    if (type == TY_JSON_STRING || type == TY_JSON_NUMBER)
        return visit_value(w, t, 0);
    return false;
}

/* ---- parser key/values ---- */

static int kv_collect(void *arg, struct ty_str name, struct ty_str value)
{
    struct sigma_src *src = arg;
    if (src->n_kv == src->cap_kv) {
        size_t cap = src->cap_kv ? src->cap_kv * 2 : 32;
        struct sigma_kv *p = ty_arena_alloc(src->arena, cap * sizeof(*p));
        if (!p)
            return TY_ENOMEM;
        if (src->n_kv)
            memcpy(p, src->kv, src->n_kv * sizeof(*p));
        src->kv = p;
        src->cap_kv = cap;
    }
    struct sigma_kv *e = &src->kv[src->n_kv];
    e->name = ty_arena_str(src->arena, name);
    e->value = value.len ? ty_arena_str(src->arena, value) : TY_STR_LIT("");
    if (!e->name.p || !e->value.p)
        return TY_ENOMEM;
    src->n_kv++;
    return 0;
}

static int kv_ready(struct sigma_src *src)
{
    if (src->kv_state)
        return src->kv_state;
    src->kv_state = -1;
    if (!src->parser || !src->parser->fields || !src->ev)
        return -1;
    if (src->parser->fields(src->ev, kv_collect, src) != 0)
        return -1;
    src->kv_state = 1;
    return 1;
}

static int kv_each(struct sigma_src *src, struct ty_str name, ty_fval_fn fn, void *arg)
{
    if (kv_ready(src) < 0)
        return -1;
    int found = -1;
    for (int nocase = 0; nocase < 2 && found < 0; nocase++)
        for (size_t i = 0; i < src->n_kv; i++) {
            if (nocase ? !ty_str_eq_nocase(src->kv[i].name, name)
                       : !ty_str_eq(src->kv[i].name, name))
                continue;
            found = 0;
            if (emit_str(fn, arg, src->kv[i].value))
                return 1;
        }
    return found;
}

/* ---- the fsrc entry points ---- */

static int raw_each(struct sigma_src *src, struct ty_str name, ty_fval_fn fn, void *arg)
{
    if (src->parser && src->parser->field_fast && src->ev) {
        struct ty_str v;
        if (src->parser->field_fast(src->ev, name, &v) == 1)
            return emit_str(fn, arg, v) ? 1 : 0;
    }
    if (src->parser && src->parser->fields)
        return kv_each(src, name, fn, arg);
    return json_each(src, name, fn, arg);
}

static int event_field(struct sigma_src *src, enum ty_field f, ty_fval_fn fn, void *arg)
{
    const struct ty_event *ev = src->ev;
    if (!ev || !ty_event_has(ev, f))
        return -1;
    char tmp[64];
    switch (ty_fields[f].type) {
    case TY_FT_STR:
        return emit_str(fn, arg, ev->v[f].s) ? 1 : 0;
    case TY_FT_INT: {
        int n = snprintf(tmp, sizeof(tmp), "%lld", (long long)ev->v[f].i);
        struct ty_str s = ty_arena_str(src->arena, (struct ty_str){tmp, (size_t)n});
        struct ty_fval v = {.kind = TY_FV_NUM, .s = s, .num = (double)ev->v[f].i};
        return fn(arg, &v) ? 1 : 0;
    }
    default: {
        struct ty_buf b;
        ty_buf_init(&b, 256);
        ty_event_field_text(ev, f, &b);
        struct ty_str s = ty_arena_str(src->arena, ty_buf_str(&b));
        ty_buf_release(&b);
        return emit_str(fn, arg, s) ? 1 : 0;
    }
    }
}

/* cs-uri-stem / cs-uri-query: the two halves of the request URI. */
static int uri_part(struct sigma_src *src, bool query, ty_fval_fn fn, void *arg)
{
    struct ty_str u = ty_event_str(src->ev, TY_F_REQUEST_URI);
    if (!u.p)
        return -1;
    ptrdiff_t q = ty_str_chr(u, '?');
    struct ty_str part = q < 0 ? (query ? TY_STR_NULL : u)
                         : query ? (struct ty_str){u.p + q + 1, u.len - (size_t)q - 1}
                                 : (struct ty_str){u.p, (size_t)q};
    if (!part.p)
        return -1;
    return emit_str(fn, arg, part) ? 1 : 0;
}

static int src_each(struct ty_fsrc *fs, struct ty_str name, ty_fval_fn fn, void *arg)
{
    struct sigma_src *src = (struct sigma_src *)fs;
    if (src->view == VIEW_TAXONOMY && src->ev) {
        if (ty_str_eq_cstr(name, "cs-uri-stem") || ty_str_eq_cstr(name, "c-uri-stem") ||
            ty_str_eq_cstr(name, "cs-uri-query") || ty_str_eq_cstr(name, "c-uri-query")) {
            int rc = uri_part(src, ty_str_ends(name, "query"), fn, arg);
            if (rc >= 0)
                return rc;
        }
        for (size_t i = 0; i < sizeof(taxo) / sizeof(taxo[0]); i++)
            if (ty_str_eq_cstr(name, taxo[i].name)) {
                int rc = event_field(src, taxo[i].f, fn, arg);
                if (rc >= 0)
                    return rc;
                break;
            }
    }
    return raw_each(src, name, fn, arg);
}

static int src_keywords(struct ty_fsrc *fs, ty_fval_fn fn, void *arg)
{
    struct sigma_src *src = (struct sigma_src *)fs;
    if (!src->ev || !src->ev->raw.p)
        return -1;
    if (src->parser && src->parser->fields)
        return emit_str(fn, arg, src->ev->raw) ? 1 : 0;
    if (json_ready(src) < 0)
        return emit_str(fn, arg, src->ev->raw) ? 1 : 0;
    struct walk w = {src, fn, arg, false, false};
    keyword_tokens(&w, src->root, 0);
    return !w.found ? -1 : w.stopped ? 1 : 0;
}

void ty__sigma_src_init(struct sigma_src *src, const struct ty_event *ev,
                        const struct ty_parser *p, struct ty_arena *a, struct ty_json_doc *json)
{
    memset(src, 0, sizeof(*src));
    src->fs.each = src_each;
    src->fs.keywords = src_keywords;
    src->ev = ev;
    src->parser = p;
    src->arena = a;
    src->json = json;
    src->scratch_json = json;
    src->exact_keys = p && (p->flags & TY_PARSER_F_EXACT_KEYS);
    src->memo_gen = 1; /* the memset emptied the memo (entries of generation 0) */
}

void ty__sigma_src_view(struct sigma_src *src, enum sigma_view view)
{
    src->view = view;
}

void ty__sigma_src_release(struct sigma_src *src)
{
    (void)src; /* everything lives in the scratch arena */
}

struct first {
    struct ty_str *out;
    bool got;
};

static bool take_first(void *arg, const struct ty_fval *v)
{
    struct first *f = arg;
    if (v->kind == TY_FV_NULL)
        return false;
    *f->out = v->s;
    f->got = true;
    return true;
}

int ty__sigma_src_text(struct sigma_src *src, struct ty_str name, struct ty_str *out)
{
    struct first f = {out, false};
    *out = TY_STR_NULL;
    src_each(&src->fs, name, take_first, &f);
    return f.got ? 1 : 0;
}
