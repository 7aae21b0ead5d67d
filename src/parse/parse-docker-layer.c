/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse-docker-layer.c - the files of a Docker root (/var/lib/docker) that
 * mean something by their place in the tree rather than by their content:
 * recognised by path (sniff_path), after every content parser declined.
 *
 * docker-layer: a file of a container filesystem - overlay2/<id>/diff/<path>
 * (a writable or image layer), volumes/<name>/_data/<path>, containerd's
 * io.containerd.snapshotter.v1.overlayfs/snapshots/<n>/fs/<path>. The record
 * is the whole file (TY_FRAME_WHOLE, at most max_record bytes: a longer
 * file is quarantined by the framer with its size reason; its SHA-256 is
 * still the evidence file's). One event "file-in-container-layer" (or
 * "file-in-container-volume", "file-in-containerd-snapshot";
 * "file-deleted-in-container-layer" for an aufs/overlay ".wh.NAME" whiteout)
 * at the file's mtime: file_path = the path inside the container, file_hash
 * = SHA-256 of the content, target = the overlay directory (mount) id with
 * target_kind "docker-layer" (docker-meta's mount-id events link it to the
 * container), disposition "executable" for ELF or "#!" content, the size in
 * the message. The raw record kept is the first 4 KiB of the file.
 * docker-meta: the engine's bookkeeping, one event per file unless said:
 * image/<driver>/layerdb/mounts/<container>/{mount-id,init-id,parent},
 * layerdb/sha256/<chain>/{cache-id,diff,parent,size}, repositories.json (one
 * event per repository tag), imagedb/content/sha256/<id> (the image config:
 * created, entrypoint and command, the history's build steps),
 * imagedb/metadata/sha256/<id>/{lastUpdated,parent}, overlay2/<id>/{link,
 * lower}, engine-id, containers/<id>/{hostname,hosts,resolv.conf} (hosts
 * and resolv.conf one event per line), and any other file under a
 * var/lib/docker/ folder (hashed, "docker-root-file"). Times are the files'
 * mtimes (lastUpdated and image configs carry their own).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/parser.h>
#include <tyto/time.h>

#include "read/read-int.h"

enum kind {
    K_NONE = 0,
    /* docker-layer */
    K_LAYER_FILE,
    K_VOLUME_FILE,
    K_SNAPSHOT_FILE,
    /* docker-meta */
    K_LAYERDB,    /* layerdb/{mounts,sha256}/<id>/<file>: one id line */
    K_REPOS,      /* repositories.json */
    K_IMAGE_CFG,  /* imagedb/content/sha256/<id> */
    K_IMAGE_META, /* imagedb/metadata/sha256/<id>/<file> */
    K_OVERLAY,    /* overlay2/<id>/{link,lower} */
    K_ENGINE_ID,
    K_HOSTNAME,   /* containers/<id>/hostname */
    K_HOSTS,      /* containers/<id>/hosts */
    K_RESOLV,     /* containers/<id>/resolv.conf */
    K_OTHER,      /* anything else under var/lib/docker/ */
};

/* Where a path sits in a Docker root. Spans point into the path. */
struct where {
    enum kind kind;
    struct ty_str id;    /* overlay dir, container, chain or image id of the path */
    struct ty_str file;  /* the last segment (layerdb and metadata files) */
    struct ty_str inner; /* the path inside the container, from its '/' */
    struct ty_str group; /* "mounts" or "sha256" for layerdb */
    struct ty_str rel;   /* the path from the Docker root */
};

static bool hexn(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f')))
            return false;
    return true;
}

/* The next "/"-separated segment of *s (advancing it). */
static struct ty_str seg(struct ty_str *s)
{
    ptrdiff_t e = ty_str_chr(*s, '/');
    struct ty_str r = ty_str_make(s->p, e < 0 ? s->len : (size_t)e);
    size_t adv = e < 0 ? s->len : (size_t)e + 1;
    s->p += adv;
    s->len -= adv;
    return r;
}

/* A 64-hex layer directory name, with docker's "-init" suffix allowed. */
static bool layer_dir(struct ty_str s)
{
    if (s.len == 69 && ty_str_ends(s, "-init"))
        s.len = 64;
    return s.len == 64 && hexn(s.p, 64);
}

/* Classify the path from position i (a segment start) as a docker root. */
static enum kind from_root(struct ty_str rest, struct where *w)
{
    struct ty_str r = rest, a = seg(&r);
    w->rel = rest;
    if (ty_str_eq_cstr(a, "overlay2") || ty_str_eq_cstr(a, "overlay")) {
        struct ty_str id = seg(&r), sub = seg(&r);
        if (!layer_dir(id))
            return K_NONE;
        w->id = id;
        if ((ty_str_eq_cstr(sub, "diff") || ty_str_eq_cstr(sub, "upper")) && r.len) {
            w->inner = ty_str_make(r.p - 1, r.len + 1);
            return K_LAYER_FILE;
        }
        if (!r.len && (ty_str_eq_cstr(sub, "link") || ty_str_eq_cstr(sub, "lower"))) {
            w->file = sub;
            return K_OVERLAY;
        }
        return K_OTHER;
    }
    if (ty_str_eq_cstr(a, "volumes")) {
        struct ty_str name = seg(&r), data = seg(&r);
        if (name.len && ty_str_eq_cstr(data, "_data") && r.len) {
            w->id = name;
            w->inner = ty_str_make(r.p - 1, r.len + 1);
            return K_VOLUME_FILE;
        }
        return K_NONE;
    }
    if (ty_str_eq_cstr(a, "image")) {
        struct ty_str drv = seg(&r), b = seg(&r);
        if (!drv.len)
            return K_NONE;
        if (ty_str_eq_cstr(b, "repositories.json") && !r.len)
            return K_REPOS;
        if (ty_str_eq_cstr(b, "layerdb")) {
            struct ty_str g = seg(&r), id = seg(&r), f = seg(&r);
            if ((ty_str_eq_cstr(g, "mounts") || ty_str_eq_cstr(g, "sha256")) && id.len &&
                !r.len &&
                (ty_str_eq_cstr(f, "mount-id") || ty_str_eq_cstr(f, "init-id") ||
                 ty_str_eq_cstr(f, "parent") || ty_str_eq_cstr(f, "cache-id") ||
                 ty_str_eq_cstr(f, "diff") || ty_str_eq_cstr(f, "size"))) {
                w->group = g;
                w->id = id;
                w->file = f;
                return K_LAYERDB;
            }
            return K_OTHER;
        }
        if (ty_str_eq_cstr(b, "imagedb")) {
            struct ty_str c = seg(&r), alg = seg(&r), id = seg(&r);
            if (ty_str_eq_cstr(c, "content") && ty_str_eq_cstr(alg, "sha256") && id.len &&
                !r.len) {
                w->id = id;
                return K_IMAGE_CFG;
            }
            if (ty_str_eq_cstr(c, "metadata") && id.len) {
                struct ty_str f = seg(&r);
                if (!r.len && (ty_str_eq_cstr(f, "lastUpdated") || ty_str_eq_cstr(f, "parent"))) {
                    w->id = id;
                    w->file = f;
                    return K_IMAGE_META;
                }
            }
        }
        return K_OTHER;
    }
    if (ty_str_eq_cstr(a, "containers")) {
        struct ty_str id = seg(&r), f = seg(&r);
        if (id.len != 64 || !hexn(id.p, 64) || r.len)
            return K_OTHER;
        w->id = id;
        w->file = f;
        if (ty_str_eq_cstr(f, "hostname"))
            return K_HOSTNAME;
        if (ty_str_eq_cstr(f, "hosts"))
            return K_HOSTS;
        if (ty_str_eq_cstr(f, "resolv.conf"))
            return K_RESOLV;
        return K_OTHER;
    }
    if (ty_str_eq_cstr(a, "engine-id") && !r.len)
        return K_ENGINE_ID;
    return K_OTHER;
}

static enum kind classify(const char *path, struct where *w)
{
    memset(w, 0, sizeof(*w));
    if (!path)
        return K_NONE;
    struct ty_str p = ty_str_cstr(path);
    /* containerd snapshots */
    static const char snap[] = "io.containerd.snapshotter.v1.overlayfs/snapshots/";
    const char *q = strstr(path, snap);
    if (q && (q == path || q[-1] == '/')) {
        struct ty_str r = ty_str_cstr(q + sizeof(snap) - 1), n = seg(&r), fs = seg(&r);
        if (n.len && ty_str_eq_cstr(fs, "fs") && r.len) {
            w->id = n;
            w->inner = ty_str_make(r.p - 1, r.len + 1);
            w->rel = ty_str_cstr(q);
            return w->kind = K_SNAPSHOT_FILE;
        }
        return K_NONE;
    }
    /* a "var/lib/docker/" folder anchors the root; without it (a root copied
     * under another name), the layouts specific enough to be Docker's */
    enum kind best = K_NONE;
    for (size_t i = 0; i < p.len; i++) {
        if (i && path[i - 1] != '/')
            continue;
        struct ty_str rest = ty_str_make(path + i, p.len - i);
        if (ty_str_starts(rest, "var/lib/docker/")) {
            struct where t;
            memset(&t, 0, sizeof(t));
            enum kind k = from_root(ty_str_make(rest.p + 15, rest.len - 15), &t);
            if (k != K_NONE) {
                *w = t;
                best = k;
            }
            continue;
        }
        if (best != K_NONE)
            continue;
        if (ty_str_starts(rest, "overlay2/") || ty_str_starts(rest, "image/overlay2/") ||
            ty_str_starts(rest, "containers/")) {
            struct where t;
            memset(&t, 0, sizeof(t));
            enum kind k = from_root(rest, &t);
            if (k != K_NONE && k != K_OTHER) {
                *w = t;
                best = k;
            }
        }
    }
    return w->kind = best;
}

static bool is_layer_kind(enum kind k)
{
    return k == K_LAYER_FILE || k == K_VOLUME_FILE || k == K_SNAPSHOT_FILE;
}

/* Content alone never says a file is a layer's: these parsers go by path. */
static int no_sniff(struct ty_str head)
{
    (void)head;
    return 0;
}

static int layer_sniff_path(const char *path, struct ty_str head)
{
    struct where w;
    (void)head;
    return is_layer_kind(classify(path, &w)) ? 60 : 0;
}

static int meta_sniff_path(const char *path, struct ty_str head)
{
    struct where w;
    (void)head;
    enum kind k = classify(path, &w);
    if (k == K_NONE || is_layer_kind(k))
        return 0;
    return k == K_OTHER ? 40 : 70;
}

struct dl {
    struct where w;
    enum kind kind;
    char path[4096]; /* the evidence path the where spans point into */
};

static int dl_open(struct ty_parse_ctx *ctx, struct ty_err *err)
{
    struct dl *s = calloc(1, sizeof(*s));
    if (!s)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    ctx->priv = s;
    snprintf(s->path, sizeof(s->path), "%s", ctx->evidence ? ctx->evidence : "");
    s->kind = classify(s->path, &s->w);
    bool layer = ctx->parser && strcmp(ctx->parser->name, "docker-layer") == 0;
    if (layer && !is_layer_kind(s->kind))
        s->kind = K_LAYER_FILE; /* --format docker-layer on a loose file: no place known */
    if (!layer && (s->kind == K_NONE || is_layer_kind(s->kind)))
        s->kind = K_OTHER;
    ctx->frame.kind =
        s->kind == K_HOSTS || s->kind == K_RESOLV ? TY_FRAME_LINES : TY_FRAME_WHOLE;
    ctx->frame.key = NULL;
    static const char *const shapes[] = {
        [K_NONE] = "file",
        [K_LAYER_FILE] = "overlay2 layer file",
        [K_VOLUME_FILE] = "volume file",
        [K_SNAPSHOT_FILE] = "containerd snapshot file",
        [K_LAYERDB] = "layerdb entry",
        [K_REPOS] = "repositories.json",
        [K_IMAGE_CFG] = "image config",
        [K_IMAGE_META] = "image metadata",
        [K_OVERLAY] = "overlay2 link",
        [K_ENGINE_ID] = "engine-id",
        [K_HOSTNAME] = "container hostname",
        [K_HOSTS] = "container hosts",
        [K_RESOLV] = "container resolv.conf",
        [K_OTHER] = "Docker root file",
    };
    snprintf(ctx->shape, sizeof(ctx->shape), "%s", shapes[s->kind]);
    return 0;
}

static void sha_hex(const char *p, size_t n, char hex[65])
{
    uint8_t d[32];
    hex[0] = '\0';
    if (ty__sha256_buf(p, n, d) == 0)
        ty__sha256_hex(d, hex);
}

static void base_event(struct ty_parse_ctx *ctx, struct ty_event *ev, const char *cat,
                       const char *action)
{
    memset(ev, 0, sizeof(*ev));
    ty_event_set_int(ev, TY_F_TS, ctx->file_mtime);
    ty_event_set_str(ev, TY_F_CATEGORY, ty_str_cstr(cat));
    ty_event_set_str(ev, TY_F_ACTION, ty_str_cstr(action));
    ty_event_set_str(ev, TY_F_PROVIDER, TY_STR_LIT("docker"));
}

static int emit(struct ty_parse_ctx *ctx, struct ty_event *ev)
{
    int rc = ty_parse_emit(ctx, ev);
    return rc < 0 ? rc : TY_OK;
}

static const char *time_note(const struct ty_parse_ctx *ctx)
{
    return ctx->file_mtime ? "" : " (time: unknown, no mtime)";
}

/* ---- docker-layer ------------------------------------------------------ */

static int layer_record(struct ty_parse_ctx *ctx, const struct ty_record *rec,
                        struct ty_err *err)
{
    struct dl *s = ctx->priv;
    struct ty_event ev;
    char hex[65];
    if (!s)
        return ty_err_set(err, TY_EINVAL, "docker-layer: record() before open()");
    struct ty_str inner = s->w.inner.p ? s->w.inner : TY_STR_LIT(""); /* no place known */
    /* the last segment: a whiteout ".wh.NAME" records NAME's deletion */
    size_t b = inner.len;
    while (b > 0 && inner.p[b - 1] != '/')
        b--;
    struct ty_str base = ty_str_make(inner.p + b, inner.len - b);
    bool opaque = ty_str_eq_cstr(base, ".wh..wh..opq");
    bool wh = !opaque && ty_str_starts(base, ".wh.") && base.len > 4;
    bool elf = rec->len >= 4 && memcmp(rec->p, "\x7f" "ELF", 4) == 0;
    bool script = rec->len >= 2 && rec->p[0] == '#' && rec->p[1] == '!';
    const char *act = s->kind == K_VOLUME_FILE     ? "file-in-container-volume"
                      : s->kind == K_SNAPSHOT_FILE ? "file-in-containerd-snapshot"
                                                   : "file-in-container-layer";
    if (wh || opaque)
        act = "file-deleted-in-container-layer";
    base_event(ctx, &ev, "file", act);
    if (wh) {
        struct ty_str p = ty_arena_printf(ctx->arena, "%.*s%.*s", (int)b, inner.p,
                                          (int)(base.len - 4), base.p + 4);
        if (!p.p)
            return ty_err_set(err, TY_ENOMEM, "out of memory");
        ty_event_set_str(&ev, TY_F_FILE_PATH, p);
    } else if (opaque) {
        ty_event_set_str(&ev, TY_F_FILE_PATH, ty_str_make(inner.p, b > 1 ? b - 1 : b));
    } else {
        ty_event_set_str(&ev, TY_F_FILE_PATH, inner);
    }
    sha_hex(rec->p, rec->len, hex);
    if (!wh && !opaque)
        ty_event_set_str(&ev, TY_F_FILE_HASH, ty_str_make(hex, strlen(hex)));
    ty_event_set_str(&ev, TY_F_TARGET_KIND,
                     s->kind == K_VOLUME_FILE     ? TY_STR_LIT("docker-volume")
                     : s->kind == K_SNAPSHOT_FILE ? TY_STR_LIT("containerd-snapshot")
                                                  : TY_STR_LIT("docker-layer"));
    ty_event_set_str(&ev, TY_F_TARGET, s->w.id);
    if (elf || script)
        ty_event_set_str(&ev, TY_F_DISPOSITION, TY_STR_LIT("executable"));
    struct ty_str m = ty_arena_printf(
        ctx->arena, "%s %.*s: %s%zu bytes%s%s", s->kind == K_VOLUME_FILE ? "volume" : "layer",
        (int)s->w.id.len, s->w.id.p ? s->w.id.p : "?",
        wh ? "whiteout (deleted), " : opaque ? "opaque directory (lower contents hidden), " : "",
        rec->len, elf ? ", ELF executable" : script ? ", script (#!)" : "", time_note(ctx));
    if (!m.p)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    ty_event_set_str(&ev, TY_F_MESSAGE, m);
    /* the content is evidence on disk; the case keeps its first bytes */
    ev.raw = ty_str_make(rec->p, rec->len > 4096 ? 4096 : rec->len);
    return emit(ctx, &ev);
}

static int layer_taxonomy(const struct ty_event *ev)
{
    struct ty_str a = ty_event_str(ev, TY_F_ACTION);
    return ty_str_eq_cstr(a, "file-deleted-in-container-layer") ? TY_SCAT_FILE_DELETE
                                                               : TY_SCAT_FILE_EVENT;
}

const struct ty_parser ty_parser_docker_layer = {
    .abi = TY_PARSER_ABI,
    .name = "docker-layer",
    .desc = "files of container filesystems in a Docker root (overlay2/<id>/diff, volumes, "
            "containerd snapshots): one event per file with its SHA-256, by path",
    .sniffs = "by path only, when no content parser claims the file: overlay2/<64hex>/diff/..., "
              "volumes/<name>/_data/..., ...overlayfs/snapshots/<n>/fs/... (60)",
    .flags = 0,
    .sniff = no_sniff,
    .open = dl_open,
    .record = layer_record,
    .close = ty_parse_free_priv,
    .sniff_path = layer_sniff_path,
    .logsource = {"docker", "layer", NULL},
    .taxonomy = layer_taxonomy,
};

/* ---- docker-meta ------------------------------------------------------- */

/* The one id line of a small metadata file: printable, no space, not empty. */
static struct ty_str one_token(const struct ty_record *rec)
{
    struct ty_str t = ty_str_trim(ty_str_make(rec->p, rec->len));
    for (size_t i = 0; i < t.len; i++)
        if ((unsigned char)t.p[i] <= ' ' || (unsigned char)t.p[i] >= 127)
            return TY_STR_NULL;
    return t.len && t.len <= 512 ? t : TY_STR_NULL;
}

static struct ty_str strip_sha(struct ty_str s)
{
    return ty_str_starts(s, "sha256:") ? ty_str_make(s.p + 7, s.len - 7) : s;
}

static int meta_layerdb(struct ty_parse_ctx *ctx, struct dl *s, const struct ty_record *rec,
                        struct ty_err *err)
{
    struct ty_str v = one_token(rec);
    struct ty_event ev;
    if (!v.len)
        return ty_err_set(err, TY_ECORRUPT, "layerdb %.*s at byte 0: not one id or number",
                          (int)s->w.file.len, s->w.file.p);
    bool mount = ty_str_eq_cstr(s->w.group, "mounts");
    struct ty_str act = ty_arena_printf(ctx->arena, "docker-layerdb-%.*s", (int)s->w.file.len,
                                        s->w.file.p);
    if (!act.p)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    base_event(ctx, &ev, "container", "");
    ty_event_set_str(&ev, TY_F_ACTION, act);
    const char *what;
    if (mount) {
        /* layerdb/mounts/<container>/: the container's layers */
        ty_event_set_str(&ev, TY_F_CONTAINER_ID, s->w.id);
        ty_event_set_str(&ev, TY_F_TARGET_KIND, ty_str_eq_cstr(s->w.file, "parent")
                                                    ? TY_STR_LIT("docker-image-layer")
                                                    : TY_STR_LIT("docker-layer"));
        ty_event_set_str(&ev, TY_F_TARGET, strip_sha(v));
        what = ty_str_eq_cstr(s->w.file, "mount-id")  ? "writable layer is overlay2"
               : ty_str_eq_cstr(s->w.file, "init-id") ? "init layer is overlay2"
                                                      : "image top layer (chain id)";
    } else {
        /* layerdb/sha256/<chain>/: an image layer */
        ty_event_set_str(&ev, TY_F_TARGET_KIND, TY_STR_LIT("docker-image-layer"));
        ty_event_set_str(&ev, TY_F_TARGET, s->w.id);
        ty_event_set_str(&ev, TY_F_TARGET_NAME, strip_sha(v));
        what = ty_str_eq_cstr(s->w.file, "cache-id") ? "is stored in overlay2"
               : ty_str_eq_cstr(s->w.file, "diff")   ? "has diff id"
               : ty_str_eq_cstr(s->w.file, "parent") ? "has parent chain"
               : ty_str_eq_cstr(s->w.file, "size")   ? "has size (bytes)"
                                                     : "has";
    }
    struct ty_str m = ty_arena_printf(ctx->arena, "%s %.*s %s %.*s%s",
                                      mount ? "container" : "image layer", (int)s->w.id.len,
                                      s->w.id.p, what, (int)v.len, v.p, time_note(ctx));
    if (!m.p)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    ty_event_set_str(&ev, TY_F_MESSAGE, m);
    return emit(ctx, &ev);
}

static int meta_repos(struct ty_parse_ctx *ctx, const struct ty_record *rec, struct ty_err *err)
{
    int rc = ty_parse_json_record(ctx, rec, err);
    if (rc)
        return rc;
    const struct ty_json_doc *d = ctx->json;
    uint32_t repos = ty_json_get(d, 0, "Repositories");
    if (ty_json_type(d, repos) != TY_JSON_OBJECT)
        return ty_err_set(err, TY_ECORRUPT,
                          "repositories.json at byte 0: no \"Repositories\" object");
    unsigned n = 0;
    for (uint32_t r = ty_json_first(d, repos); r != TY_JSON_NONE; r = ty_json_next_member(d, r)) {
        if (ty_json_type(d, r + 1) != TY_JSON_OBJECT)
            continue;
        for (uint32_t t = ty_json_first(d, r + 1); t != TY_JSON_NONE;
             t = ty_json_next_member(d, t)) {
            struct ty_str tag = TY_STR_NULL, id = TY_STR_NULL;
            struct ty_event ev;
            if (ty_json_str(d, t, ctx->arena, &tag) == TY_ENOMEM ||
                (ty_json_type(d, t + 1) == TY_JSON_STRING &&
                 ty_json_str(d, t + 1, ctx->arena, &id) == TY_ENOMEM))
                return ty_err_set(err, TY_ENOMEM, "out of memory");
            base_event(ctx, &ev, "container", "docker-image-tag");
            ty_event_set_str(&ev, TY_F_CONTAINER_IMAGE, tag);
            ty_event_set_str(&ev, TY_F_TARGET_KIND, TY_STR_LIT("docker-image"));
            ty_event_set_str(&ev, TY_F_TARGET, strip_sha(id));
            ty_event_set_str(&ev, TY_F_TARGET_NAME, tag);
            struct ty_str m = ty_arena_printf(ctx->arena, "image %.*s is %.*s%s", (int)tag.len,
                                              tag.p ? tag.p : "", (int)id.len, id.p ? id.p : "?",
                                              time_note(ctx));
            if (!m.p)
                return ty_err_set(err, TY_ENOMEM, "out of memory");
            ty_event_set_str(&ev, TY_F_MESSAGE, m);
            if ((rc = emit(ctx, &ev)) < 0)
                return rc;
            n++;
        }
    }
    if (!n) {
        struct ty_event ev;
        base_event(ctx, &ev, "container", "docker-image-tag");
        ty_event_set_str(&ev, TY_F_MESSAGE, TY_STR_LIT("repositories.json lists no image"));
        return emit(ctx, &ev);
    }
    return TY_OK;
}

/* "a b c" from a JSON array of strings, into the arena. */
static struct ty_str join_args(struct ty_parse_ctx *ctx, uint32_t arr)
{
    const struct ty_json_doc *d = ctx->json;
    struct ty_str out = TY_STR_NULL;
    if (ty_json_type(d, arr) != TY_JSON_ARRAY)
        return out;
    for (uint32_t e = ty_json_first(d, arr); e != TY_JSON_NONE; e = ty_json_next(d, e)) {
        struct ty_str s = TY_STR_NULL;
        if (ty_json_str(d, e, ctx->arena, &s) != 0)
            continue;
        out = ty_arena_printf(ctx->arena, "%.*s%s%.*s", (int)out.len, out.p ? out.p : "",
                              out.len ? " " : "", (int)s.len, s.p ? s.p : "");
        if (!out.p)
            return TY_STR_NULL;
    }
    return out;
}

static int meta_image_cfg(struct ty_parse_ctx *ctx, struct dl *s, const struct ty_record *rec,
                          struct ty_err *err)
{
    int rc = ty_parse_json_record(ctx, rec, err);
    if (rc)
        return rc;
    const struct ty_json_doc *d = ctx->json;
    if (ty_json_type(d, 0) != TY_JSON_OBJECT)
        return ty_err_set(err, TY_ECORRUPT, "image config at byte 0: not a JSON object");
    struct ty_event ev;
    base_event(ctx, &ev, "container", "docker-image-config");
    uint32_t created = ty_json_get(d, 0, "created");
    int64_t ts;
    int prec;
    if (ty_json_type(d, created) == TY_JSON_STRING &&
        ty_time_parse_iso(ty_json_raw(d, created), &ts, &prec, NULL) == 0) {
        ty_event_set_int(&ev, TY_F_TS, ts);
        ty_event_set_int(&ev, TY_F_TS_PREC, prec);
        ty_event_set_str(&ev, TY_F_TIME_TEXT, ty_json_raw(d, created));
    }
    uint32_t cfg = ty_json_get(d, 0, "config");
    struct ty_str ep = join_args(ctx, ty_json_get(d, cfg, "Entrypoint"));
    struct ty_str cmd = join_args(ctx, ty_json_get(d, cfg, "Cmd"));
    struct ty_str line = ty_arena_printf(ctx->arena, "%.*s%s%.*s", (int)ep.len,
                                         ep.p ? ep.p : "", ep.len && cmd.len ? " " : "",
                                         (int)cmd.len, cmd.p ? cmd.p : "");
    struct ty_str user = TY_STR_NULL;
    (void)ty_json_str(d, ty_json_get(d, cfg, "User"), ctx->arena, &user);
    ty_event_set_str(&ev, TY_F_PROC_CMDLINE, line);
    ty_event_set_str(&ev, TY_F_PROC_USER, user);
    ty_event_set_str(&ev, TY_F_TARGET_KIND, TY_STR_LIT("docker-image"));
    ty_event_set_str(&ev, TY_F_TARGET, s->w.id);
    /* the build steps, last ones first (where a tampered image shows) */
    uint32_t hist = ty_json_get(d, 0, "history");
    unsigned nh = ty_json_type(d, hist) == TY_JSON_ARRAY ? ty_json_tok(d, hist)->count : 0;
    struct ty_str m = ty_arena_printf(ctx->arena, "image %.*s: %u build steps", (int)s->w.id.len,
                                      s->w.id.p, nh);
    unsigned i = 0, shown = 0;
    if (nh)
        for (uint32_t e = ty_json_first(d, hist); e != TY_JSON_NONE && m.p;
             e = ty_json_next(d, e), i++) {
            struct ty_str cb = TY_STR_NULL;
            if (i + 3 < nh || ty_json_str(d, ty_json_get(d, e, "created_by"), ctx->arena,
                                          &cb) != 0)
                continue;
            m = ty_arena_printf(ctx->arena, "%.*s%s%.*s", (int)m.len, m.p,
                                shown++ ? " | " : "; last: ", (int)(cb.len > 300 ? 300 : cb.len),
                                cb.p ? cb.p : "");
        }
    if (!m.p || !line.p)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    ty_event_set_str(&ev, TY_F_MESSAGE, m);
    return emit(ctx, &ev);
}

static int meta_image_meta(struct ty_parse_ctx *ctx, struct dl *s, const struct ty_record *rec,
                           struct ty_err *err)
{
    struct ty_event ev;
    struct ty_str v = ty_str_trim(ty_str_make(rec->p, rec->len));
    bool upd = ty_str_eq_cstr(s->w.file, "lastUpdated");
    base_event(ctx, &ev, "container", upd ? "docker-image-updated" : "docker-image-parent");
    ty_event_set_str(&ev, TY_F_TARGET_KIND, TY_STR_LIT("docker-image"));
    ty_event_set_str(&ev, TY_F_TARGET, s->w.id);
    if (upd) {
        int64_t ts;
        int prec;
        if (ty_time_parse_iso(v, &ts, &prec, NULL) != 0)
            return ty_err_set(err, TY_ECORRUPT,
                              "image lastUpdated at byte 0: not an RFC 3339 time");
        ty_event_set_int(&ev, TY_F_TS, ts);
        ty_event_set_int(&ev, TY_F_TS_PREC, prec);
        ty_event_set_str(&ev, TY_F_TIME_TEXT, v);
        ty_event_set_str(&ev, TY_F_MESSAGE, TY_STR_LIT("image pulled or tagged"));
    } else {
        v = one_token(rec);
        if (!v.len)
            return ty_err_set(err, TY_ECORRUPT, "image parent at byte 0: not one id");
        ty_event_set_str(&ev, TY_F_TARGET_NAME, strip_sha(v));
        ty_event_set_str(&ev, TY_F_MESSAGE, TY_STR_LIT("image built on a parent image"));
    }
    return emit(ctx, &ev);
}

static int meta_overlay(struct ty_parse_ctx *ctx, struct dl *s, const struct ty_record *rec,
                        struct ty_err *err)
{
    struct ty_event ev;
    struct ty_str v = one_token(rec);
    bool link = ty_str_eq_cstr(s->w.file, "link");
    if (!v.len)
        return ty_err_set(err, TY_ECORRUPT, "overlay2 %s at byte 0: not one token",
                          link ? "link" : "lower");
    base_event(ctx, &ev, "container", link ? "docker-overlay-link" : "docker-overlay-lower");
    ty_event_set_str(&ev, TY_F_TARGET_KIND, TY_STR_LIT("docker-layer"));
    ty_event_set_str(&ev, TY_F_TARGET, s->w.id);
    unsigned n = 1;
    for (size_t i = 0; i < v.len; i++)
        n += v.p[i] == ':';
    struct ty_str m = link ? ty_arena_printf(ctx->arena, "overlay2 %.*s has short name l/%.*s",
                                             (int)s->w.id.len, s->w.id.p, (int)v.len, v.p)
                           : ty_arena_printf(ctx->arena, "overlay2 %.*s sits on %u layers: %.*s",
                                             (int)s->w.id.len, s->w.id.p, n,
                                             (int)(v.len > 600 ? 600 : v.len), v.p);
    if (!m.p)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    if (link)
        ty_event_set_str(&ev, TY_F_TARGET_NAME, v);
    ty_event_set_str(&ev, TY_F_MESSAGE, m);
    return emit(ctx, &ev);
}

static bool local_ip(const struct ty_ip *ip, struct ty_str text)
{
    (void)ip;
    return ty_str_starts(text, "127.") || ty_str_eq_cstr(text, "::1") ||
           ty_str_starts(text, "fe00:") || ty_str_starts(text, "ff00:") ||
           ty_str_starts(text, "ff02:");
}

/* containers/<id>/hosts and resolv.conf: one event per line. */
static int meta_line(struct ty_parse_ctx *ctx, struct dl *s, const struct ty_record *rec,
                     struct ty_err *err)
{
    struct ty_str l = ty_str_trim(ty_str_make(rec->p, rec->len));
    struct ty_event ev;
    if (!l.len || l.p[0] == '#' || l.p[0] == ';')
        return TY_SKIP; /* comments */
    struct ty_str a = l, b;
    size_t i = 0;
    while (i < a.len && a.p[i] != ' ' && a.p[i] != '\t')
        i++;
    a.len = i;
    b = ty_str_trim(ty_str_make(l.p + i, l.len - i));
    bool hosts = s->kind == K_HOSTS;
    base_event(ctx, &ev, "container", hosts ? "docker-container-hosts" : "docker-container-dns");
    ty_event_set_str(&ev, TY_F_CONTAINER_ID, s->w.id);
    ty_event_set_str(&ev, TY_F_MESSAGE, l);
    struct ty_ip ip;
    if (hosts) {
        if (ty_ip_parse(a, &ip) != 0 || !b.len)
            return ty_err_set(err, TY_ECORRUPT, "hosts line at byte %llu: not \"IP name...\"",
                              (unsigned long long)rec->offset);
        if (!local_ip(&ip, a))
            ty_event_set_ip(&ev, TY_F_SRC_IP, &ip);
        size_t j = 0;
        while (j < b.len && b.p[j] != ' ' && b.p[j] != '\t')
            j++;
        ty_event_set_str(&ev, TY_F_HOST, ty_str_make(b.p, j));
    } else if (ty_str_eq_cstr(a, "nameserver")) {
        if (ty_ip_parse(b, &ip) == 0)
            ty_event_set_ip(&ev, TY_F_DST_IP, &ip);
        else
            ty_event_set_str(&ev, TY_F_DST_ADDR, b);
    }
    return emit(ctx, &ev);
}

static int meta_record(struct ty_parse_ctx *ctx, const struct ty_record *rec, struct ty_err *err)
{
    struct dl *s = ctx->priv;
    struct ty_event ev;
    if (!s)
        return ty_err_set(err, TY_EINVAL, "docker-meta: record() before open()");
    switch (s->kind) {
    case K_LAYERDB:
        return meta_layerdb(ctx, s, rec, err);
    case K_REPOS:
        return meta_repos(ctx, rec, err);
    case K_IMAGE_CFG:
        return meta_image_cfg(ctx, s, rec, err);
    case K_IMAGE_META:
        return meta_image_meta(ctx, s, rec, err);
    case K_OVERLAY:
        return meta_overlay(ctx, s, rec, err);
    case K_HOSTS:
    case K_RESOLV:
        return meta_line(ctx, s, rec, err);
    case K_ENGINE_ID:
    case K_HOSTNAME: {
        struct ty_str v = one_token(rec);
        if (!v.len)
            return ty_err_set(err, TY_ECORRUPT, "%s at byte 0: not one name",
                              s->kind == K_HOSTNAME ? "container hostname" : "engine-id");
        base_event(ctx, &ev, "container",
                   s->kind == K_HOSTNAME ? "docker-container-hostname" : "docker-engine-id");
        if (s->kind == K_HOSTNAME) {
            ty_event_set_str(&ev, TY_F_CONTAINER_ID, s->w.id);
            ty_event_set_str(&ev, TY_F_HOST, v);
            ty_event_set_str(&ev, TY_F_MESSAGE, TY_STR_LIT("the container's hostname"));
        } else {
            ty_event_set_str(&ev, TY_F_TARGET_KIND, TY_STR_LIT("docker-engine"));
            ty_event_set_str(&ev, TY_F_TARGET, v);
            ty_event_set_str(&ev, TY_F_MESSAGE, TY_STR_LIT("the Docker engine's id"));
        }
        return emit(ctx, &ev);
    }
    default: {
        char hex[65];
        sha_hex(rec->p, rec->len, hex);
        base_event(ctx, &ev, "file", "docker-root-file");
        ty_event_set_str(&ev, TY_F_FILE_PATH, s->w.rel.len ? s->w.rel : ty_str_cstr(s->path));
        ty_event_set_str(&ev, TY_F_FILE_HASH, ty_str_make(hex, strlen(hex)));
        struct ty_str m = ty_arena_printf(ctx->arena, "Docker root file, %zu bytes%s", rec->len,
                                          time_note(ctx));
        if (!m.p)
            return ty_err_set(err, TY_ENOMEM, "out of memory");
        ty_event_set_str(&ev, TY_F_MESSAGE, m);
        ev.raw = ty_str_make(rec->p, rec->len > 4096 ? 4096 : rec->len);
        return emit(ctx, &ev);
    }
    }
}

const struct ty_parser ty_parser_docker_meta = {
    .abi = TY_PARSER_ABI,
    .name = "docker-meta",
    .desc = "a Docker root's bookkeeping (layerdb, repositories.json, image configs, overlay2 "
            "links, container hostname/hosts/resolv.conf): the links between containers, "
            "layers and images, by path",
    .sniffs = "by path only, when no content parser claims the file: image/<driver>/..., "
              "overlay2/<id>/{link,lower}, containers/<id>/{hostname,hosts,resolv.conf}, "
              "engine-id (70); any other file under var/lib/docker/ (40)",
    .flags = 0,
    .sniff = no_sniff,
    .open = dl_open,
    .record = meta_record,
    .close = ty_parse_free_priv,
    .sniff_path = meta_sniff_path,
    .logsource = {"docker", "meta", NULL},
};
