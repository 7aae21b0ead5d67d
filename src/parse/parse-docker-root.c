/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse-docker-root.c - reading a container engine's state directory from a
 * snapshot (include/tyto/docker.h): Docker's containers/ (config.v2.json,
 * hostconfig.json, json-file logs), the overlay2 writable layer as `docker
 * diff` prints it, and containerd's snapshots and runtime tasks. Read-only;
 * a missing, truncated or corrupt file becomes a message, never a crash.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <zlib.h>

#include <tyto/docker.h>
#include <tyto/json.h>
#include <tyto/time.h>

#include "parse-docker-int.h"

#define MAX_CONFIG (16u << 20) /* a config.v2.json is a few KiB */
#define MAX_LINE (1u << 20)    /* dockerd splits log lines at 16 KiB */
#define MAX_DEPTH 128

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool join(char *out, size_t cap, const char *a, const char *b)
{
    int n = snprintf(out, cap, "%s/%s", a, b);
    return n > 0 && (size_t)n < cap;
}

enum ty_docker_kind ty_docker_find_root(const char *path, char *out, size_t cap)
{
    static const char *const docker_marks[] = {"containers", "image", "overlay2"};
    static const char *const ctrd_marks[] = {"io.containerd.snapshotter.v1.overlayfs",
                                             "io.containerd.metadata.v1.bolt",
                                             "io.containerd.content.v1.content"};
    char p[PATH_MAX];
    for (int pass = 0; pass < 3; pass++) {
        const char *base = path;
        if (pass == 1) {
            if (!join(p, sizeof(p), path, "var/lib/docker"))
                return TY_DOCKER_NONE;
            base = p;
        } else if (pass == 2) {
            if (!join(p, sizeof(p), path, "var/lib/containerd"))
                return TY_DOCKER_NONE;
            base = p;
        }
        char q[PATH_MAX];
        for (size_t i = 0; pass != 2 && i < 3; i++)
            if (join(q, sizeof(q), base, docker_marks[i]) && is_dir(q)) {
                snprintf(out, cap, "%s", base);
                return TY_DOCKER_ENGINE;
            }
        for (size_t i = 0; pass != 1 && i < 3; i++)
            if (join(q, sizeof(q), base, ctrd_marks[i]) && is_dir(q)) {
                snprintf(out, cap, "%s", base);
                return TY_DOCKER_CONTAINERD;
            }
    }
    return TY_DOCKER_NONE;
}

/* Read a whole small file; *buf NULL on failure with why in msg. */
static int slurp(const char *path, size_t max, char **buf, size_t *len, char *msg, size_t cap)
{
    /* O_NONBLOCK: a FIFO planted in the tree must not hang the reader */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    struct stat st;
    *buf = NULL;
    *len = 0;
    if (fd < 0) {
        snprintf(msg, cap, "%s", strerror(errno));
        return TY_EIO;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(msg, cap, "not a regular file");
        close(fd);
        return TY_EIO;
    }
    if ((uint64_t)st.st_size > max) {
        snprintf(msg, cap, "%lld bytes, more than %zu", (long long)st.st_size, max);
        close(fd);
        return TY_ETOOBIG;
    }
    char *b = malloc((size_t)st.st_size + 1);
    size_t n = 0;
    if (!b) {
        close(fd);
        return TY_ENOMEM;
    }
    while (n < (size_t)st.st_size) {
        ssize_t r = read(fd, b + n, (size_t)st.st_size - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            snprintf(msg, cap, "%s", r < 0 ? strerror(errno) : "shorter than its size");
            free(b);
            close(fd);
            return TY_EIO;
        }
        n += (size_t)r;
    }
    close(fd);
    b[n] = '\0';
    *buf = b;
    *len = n;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names of a directory's entries (not . and ..). */
static int list_dir(const char *path, char ***names, size_t *n)
{
    DIR *d = opendir(path);
    char **v = NULL;
    size_t k = 0, cap = 0;
    *names = NULL;
    *n = 0;
    if (!d)
        return TY_EIO;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (k == cap) {
            size_t nc = cap ? cap * 2 : 32;
            char **nv = realloc(v, nc * sizeof(*nv));
            if (!nv)
                goto oom;
            v = nv;
            cap = nc;
        }
        if (!(v[k] = strdup(e->d_name)))
            goto oom;
        k++;
    }
    closedir(d);
    if (k)
        qsort(v, k, sizeof(*v), cmp_str);
    *names = v;
    *n = k;
    return 0;
oom:
    for (size_t i = 0; i < k; i++)
        free(v[i]);
    free(v);
    closedir(d);
    return TY_ENOMEM;
}

static void free_names(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static void copy_str(char *out, size_t cap, struct ty_str s)
{
    size_t n = s.len < cap - 1 ? s.len : cap - 1;
    if (n)
        memcpy(out, s.p, n);
    out[n] = '\0';
}

static struct ty_str get_s(struct ty_json_doc *d, uint32_t obj, const char *key,
                           struct ty_arena *a)
{
    struct ty_str s = TY_STR_NULL;
    uint32_t i = ty_json_get(d, obj, key);
    if (ty_json_type(d, i) == TY_JSON_STRING)
        (void)ty_json_str(d, i, a, &s);
    return s;
}

static void add_problem(struct ty_docker_container *c, const char *fmt, const char *what,
                        const char *why)
{
    size_t n = strlen(c->problem);
    if (n + 4 >= sizeof(c->problem))
        return;
    snprintf(c->problem + n, sizeof(c->problem) - n, n ? "; " : "");
    n = strlen(c->problem);
    snprintf(c->problem + n, sizeof(c->problem) - n, fmt, what, why);
}

static int read_config(struct ty_docker_container *c, const char *dir, struct ty_json_doc *d,
                       struct ty_arena *a, struct ty__dflags *f)
{
    char p[PATH_MAX], msg[200] = "";
    char *buf = NULL;
    size_t len;
    struct ty_err err;
    int rc;
    if (!join(p, sizeof(p), dir, "config.v2.json"))
        return 0;
    rc = slurp(p, MAX_CONFIG, &buf, &len, msg, sizeof(msg));
    if (rc == TY_ENOMEM)
        return rc;
    if (rc) {
        add_problem(c, "%s: %s", "config.v2.json", msg);
        return 0;
    }
    ty_err_clear(&err);
    rc = ty_json_parse(d, buf, len, &err);
    if (rc == TY_ENOMEM) {
        free(buf);
        return rc;
    }
    if (rc || ty_json_type(d, 0) != TY_JSON_OBJECT) {
        add_problem(c, "%s: %s", "config.v2.json", rc ? err.msg : "not a JSON object");
        free(buf);
        return 0;
    }
    c->has_config = true;
    struct ty_str id = get_s(d, 0, "ID", a);
    if (id.len && !ty_str_eq_cstr(id, c->id))
        add_problem(c, "%s: %s", "config.v2.json", "its ID differs from the directory name");
    struct ty_str name = get_s(d, 0, "Name", a);
    if (name.len && name.p[0] == '/') {
        name.p++;
        name.len--;
    }
    copy_str(c->name, sizeof(c->name), name);
    uint32_t cfg = ty_json_get(d, 0, "Config");
    copy_str(c->image, sizeof(c->image), get_s(d, cfg, "Image", a));
    copy_str(c->image_id, sizeof(c->image_id), get_s(d, 0, "Image", a));
    uint32_t st = ty_json_get(d, 0, "State");
    snprintf(c->state, sizeof(c->state), "%s", ty__docker_state(d, st));
    c->created = ty__docker_time(d, 0, "Created");
    c->started = ty__docker_time(d, st, "StartedAt");
    c->finished = ty__docker_time(d, st, "FinishedAt");
    (void)ty_json_i64(d, ty_json_get(d, st, "ExitCode"), &c->exit_code);
    (void)ty_json_i64(d, ty_json_get(d, st, "Pid"), &c->pid);
    /* Path and Args */
    struct ty_str path = get_s(d, 0, "Path", a);
    size_t o = 0;
    copy_str(c->command, sizeof(c->command), path);
    o = strlen(c->command);
    uint32_t args = ty_json_get(d, 0, "Args");
    if (ty_json_type(d, args) == TY_JSON_ARRAY)
        for (uint32_t e = ty_json_first(d, args); e != TY_JSON_NONE; e = ty_json_next(d, e)) {
            struct ty_str s = TY_STR_NULL;
            if (ty_json_type(d, e) == TY_JSON_STRING)
                (void)ty_json_str(d, e, a, &s);
            if (o + s.len + 2 >= sizeof(c->command))
                break;
            if (o)
                c->command[o++] = ' ';
            memcpy(c->command + o, s.p ? s.p : "", s.len);
            o += s.len;
            c->command[o] = '\0';
        }
    rc = ty__docker_flags_config(d, 0, a, f);
    free(buf);
    return rc;
}

static int read_hostconfig(struct ty_docker_container *c, const char *dir,
                           struct ty_json_doc *d, struct ty_arena *a, struct ty__dflags *f)
{
    char p[PATH_MAX], msg[200] = "";
    char *buf = NULL;
    size_t len;
    struct ty_err err;
    if (!join(p, sizeof(p), dir, "hostconfig.json"))
        return 0;
    int rc = slurp(p, MAX_CONFIG, &buf, &len, msg, sizeof(msg));
    if (rc == TY_ENOMEM)
        return rc;
    if (rc) {
        add_problem(c, "%s: %s", "hostconfig.json", msg);
        return 0;
    }
    ty_err_clear(&err);
    rc = ty_json_parse(d, buf, len, &err);
    if (rc == TY_ENOMEM) {
        free(buf);
        return rc;
    }
    if (rc || ty_json_type(d, 0) != TY_JSON_OBJECT) {
        add_problem(c, "%s: %s", "hostconfig.json", rc ? err.msg : "not a JSON object");
        free(buf);
        return 0;
    }
    c->has_hostconfig = true;
    rc = ty__docker_flags_host(d, 0, a, f);
    free(buf);
    return rc;
}

int ty_docker_list(const char *root, ty_docker_container_fn fn, void *arg, struct ty_err *err)
{
    char dir[PATH_MAX], cdir[PATH_MAX];
    char **names = NULL;
    size_t n = 0;
    struct ty_json_doc d;
    struct ty_arena a;
    struct ty_docker_container *c = NULL;
    int rc;
    ty_json_doc_init(&d, 0, 0);
    ty_arena_init(&a, 0, 64u << 20);
    if (!join(dir, sizeof(dir), root, "containers") || !is_dir(dir)) {
        rc = ty_err_set(err, TY_EINVAL, "%s: no containers/ directory (not a Docker root?)",
                        root);
        goto out;
    }
    rc = list_dir(dir, &names, &n);
    if (rc) {
        rc = ty_err_set(err, rc, "%s: %s", dir, rc == TY_ENOMEM ? "out of memory" : "unreadable");
        goto out;
    }
    c = malloc(sizeof(*c));
    if (!c) {
        rc = ty_err_set(err, TY_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        memset(c, 0, sizeof(*c));
        snprintf(c->id, sizeof(c->id), "%s", names[i]);
        snprintf(c->state, sizeof(c->state), "?");
        if (!join(cdir, sizeof(cdir), dir, names[i]) || !is_dir(cdir))
            continue;
        struct ty__dflags f = {c->flags, sizeof(c->flags), 0, 0};
        rc = read_config(c, cdir, &d, &a, &f);
        if (!rc)
            rc = read_hostconfig(c, cdir, &d, &a, &f);
        ty_arena_reset(&a);
        if (rc) {
            rc = ty_err_set(err, rc, "out of memory");
            goto out;
        }
        c->n_flags = f.count;
        if ((rc = fn(arg, c)) != 0)
            goto out;
    }
    rc = 0;
out:
    free(c);
    free_names(names, n);
    ty_arena_release(&a);
    ty_json_doc_release(&d);
    return rc;
}

int ty_docker_resolve(const char *root, const char *id, char *out, size_t cap,
                      struct ty_err *err)
{
    char dir[PATH_MAX];
    char **names = NULL;
    size_t n = 0, hits = 0;
    int rc;
    if (!id || !*id)
        return ty_err_set(err, TY_EINVAL, "empty container id");
    if (!join(dir, sizeof(dir), root, "containers"))
        return ty_err_set(err, TY_EINVAL, "path too long");
    rc = list_dir(dir, &names, &n);
    if (rc)
        return ty_err_set(err, rc, "%s: cannot list containers", dir);
    const char *want = id[0] == '/' ? id + 1 : id;
    for (size_t i = 0; i < n; i++) {
        if (strncmp(names[i], id, strlen(id)) == 0) {
            if (!hits++)
                snprintf(out, cap, "%s", names[i]);
            continue;
        }
        /* by name: read the config's Name */
        char p[PATH_MAX], *buf = NULL, msg[64];
        size_t len;
        if (snprintf(p, sizeof(p), "%s/%s/config.v2.json", dir, names[i]) >= (int)sizeof(p) ||
            slurp(p, MAX_CONFIG, &buf, &len, msg, sizeof(msg)) != 0)
            continue;
        char pat[300];
        snprintf(pat, sizeof(pat), "\"Name\":\"/%s\"", want);
        if (strstr(buf, pat) && !hits++)
            snprintf(out, cap, "%s", names[i]);
        free(buf);
    }
    free_names(names, n);
    if (hits == 1)
        return 0;
    if (hits)
        return ty_err_set(err, TY_EINVAL, "%s: %zu containers match; give more of the id", id,
                          hits);
    return ty_err_set(err, TY_EINVAL, "%s: no such container", id);
}

/* ---- logs ------------------------------------------------------------- */

static int log_file(const char *path, ty_docker_log_fn fn, void *arg, struct ty_json_doc *d,
                    struct ty_arena *a, char *line, struct ty_err *err)
{
    struct stat fst;
    if (stat(path, &fst) != 0 || !S_ISREG(fst.st_mode))
        return ty_err_set(err, TY_EIO, "%s: not a regular file", path);
    gzFile g = gzopen(path, "rb");
    uint64_t lno = 0, off = 0;
    int rc = 0;
    if (!g)
        return ty_err_set(err, TY_EIO, "%s: %s", path, strerror(errno));
    gzbuffer(g, 1 << 17);
    for (;;) {
        char *r = gzgets(g, line, (int)MAX_LINE);
        if (!r)
            break;
        size_t len = strlen(line); /* a NUL inside the line ends it: reported as bad JSON */
        bool cut = len && line[len - 1] != '\n' && !gzeof(g);
        struct ty_docker_log l;
        memset(&l, 0, sizeof(l));
        l.file = path;
        l.line = ++lno;
        l.offset = off;
        off += len;
        if (cut) {
            int ch;
            while ((ch = gzgetc(g)) != -1 && ch != '\n')
                off++;
            off++;
            l.bad = true;
            l.log = TY_STR_LIT("line longer than 1 MiB");
        } else {
            size_t n = len;
            while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
                n--;
            if (!n) {
                continue;
            }
            struct ty_err jerr;
            ty_err_clear(&jerr);
            int jr = ty_json_parse(d, line, n, &jerr);
            if (jr == TY_ENOMEM) {
                rc = ty_err_set(err, jr, "out of memory");
                break;
            }
            uint32_t lg = ty_json_get(d, 0, "log"), st = ty_json_get(d, 0, "stream");
            uint32_t t = ty_json_get(d, 0, "time");
            if (jr != 0) {
                l.bad = true;
                char *m = ty_arena_alloc(a, sizeof(jerr.msg));
                if (m) {
                    snprintf(m, sizeof(jerr.msg), "%s", jerr.msg);
                    l.log = ty_str_cstr(m);
                }
            } else if (ty_json_type(d, lg) != TY_JSON_STRING ||
                       ty_json_type(d, t) != TY_JSON_STRING) {
                l.bad = true;
                l.log = TY_STR_LIT("not a json-file log object (log, stream, time)");
            } else {
                l.time = ty_json_raw(d, t);
                if (ty_json_type(d, st) == TY_JSON_STRING)
                    (void)ty_json_str(d, st, a, &l.stream);
                (void)ty_json_str(d, lg, a, &l.log);
                if (l.log.len && l.log.p[l.log.len - 1] == '\n')
                    l.log.len--;
                else
                    l.partial = true;
            }
        }
        rc = fn(arg, &l);
        ty_arena_reset(a);
        if (rc)
            break;
    }
    int ze;
    const char *zm = gzerror(g, &ze);
    if (!rc && ze != Z_OK && ze != Z_STREAM_END)
        rc = ty_err_set(err, TY_EIO, "%s: %s", path, zm);
    gzclose(g);
    return rc;
}

int ty_docker_logs(const char *root, const char *id, ty_docker_log_fn fn, void *arg,
                   struct ty_err *err)
{
    char dir[PATH_MAX], base[PATH_MAX], p[PATH_MAX + 32];
    struct ty_json_doc d;
    struct ty_arena a;
    char *line = NULL;
    int rc, found = 0;
    ty_json_doc_init(&d, 0, 0);
    ty_arena_init(&a, 0, 64u << 20);
    if (snprintf(dir, sizeof(dir), "%s/containers/%s", root, id) >= (int)sizeof(dir) ||
        snprintf(base, sizeof(base), "%s/%s-json.log", dir, id) >= (int)sizeof(base)) {
        rc = ty_err_set(err, TY_EINVAL, "path too long");
        goto out;
    }
    line = malloc(MAX_LINE);
    if (!line) {
        rc = ty_err_set(err, TY_ENOMEM, "out of memory");
        goto out;
    }
    /* rotations, oldest first: .N(.gz) ... .1(.gz), then the live file */
    int top = 0;
    struct stat st;
    for (int i = 1; i < 1000; i++) {
        snprintf(p, sizeof(p), "%s.%d", base, i);
        bool plain = stat(p, &st) == 0;
        snprintf(p, sizeof(p), "%s.%d.gz", base, i);
        if (!plain && stat(p, &st) != 0)
            break;
        top = i;
    }
    rc = 0;
    for (int i = top; i >= 0 && !rc; i--) {
        if (i == 0)
            snprintf(p, sizeof(p), "%s", base);
        else {
            snprintf(p, sizeof(p), "%s.%d", base, i);
            if (stat(p, &st) != 0)
                snprintf(p, sizeof(p), "%s.%d.gz", base, i);
        }
        if (stat(p, &st) != 0)
            continue;
        found++;
        rc = log_file(p, fn, arg, &d, &a, line, err);
    }
    if (!rc && !found)
        rc = ty_err_set(err, TY_EINVAL, "%s: no json-file log (another log driver, or deleted)",
                        base);
out:
    free(line);
    ty_arena_release(&a);
    ty_json_doc_release(&d);
    return rc;
}

/* ---- diff ------------------------------------------------------------- */

struct change {
    char *path;
    char kind;
    bool dir;
    bool reg;
    mode_t mode;
    int64_t size, mtime;
};

struct walk {
    struct change *v;
    size_t n, cap;
    char **lower;
    size_t n_lower;
    char **img;       /* sorted "/path" list of the image layers' tar-split files */
    size_t n_img, cap_img;
    bool lower_ok;
    int rc;
    struct ty_err *err;
};

static bool in_lower(const struct walk *w, const char *rel)
{
    char p[PATH_MAX];
    struct stat st;
    if (w->n_img && bsearch(&rel, w->img, w->n_img, sizeof(*w->img), cmp_str))
        return true;
    for (size_t i = 0; i < w->n_lower; i++)
        if (snprintf(p, sizeof(p), "%s%s", w->lower[i], rel) < (int)sizeof(p) &&
            lstat(p, &st) == 0)
            return true;
    return false;
}

static int add_change(struct walk *w, const char *rel, char kind, const struct stat *st)
{
    if (w->n == w->cap) {
        size_t nc = w->cap ? w->cap * 2 : 256;
        struct change *nv = realloc(w->v, nc * sizeof(*nv));
        if (!nv)
            return TY_ENOMEM;
        w->v = nv;
        w->cap = nc;
    }
    struct change *c = &w->v[w->n];
    memset(c, 0, sizeof(*c));
    if (!(c->path = strdup(rel)))
        return TY_ENOMEM;
    c->kind = kind;
    if (st) {
        c->dir = S_ISDIR(st->st_mode);
        c->reg = S_ISREG(st->st_mode);
        c->mode = st->st_mode;
        c->size = st->st_size;
        c->mtime = (int64_t)st->st_mtim.tv_sec * TY_NS_PER_SEC + st->st_mtim.tv_nsec;
    }
    w->n++;
    return 0;
}

static bool opaque_xattr(const char *p)
{
    char v[4];
    ssize_t n = lgetxattr(p, "trusted.overlay.opaque", v, sizeof(v));
    if (n < 1)
        n = lgetxattr(p, "user.overlay.opaque", v, sizeof(v));
    return n >= 1 && v[0] == 'y';
}

static int walk_dir(struct walk *w, const char *abs, char *rel, size_t rlen, int depth)
{
    char **names = NULL;
    size_t n = 0;
    int rc = list_dir(abs, &names, &n);
    if (rc == TY_ENOMEM)
        return rc;
    if (rc) {
        fprintf(stderr, "tyto: docker diff: %s: unreadable, skipped\n", abs);
        return 0;
    }
    if (depth > MAX_DEPTH) {
        free_names(names, n);
        return ty_err_set(w->err, TY_ETOOBIG, "%s: nested deeper than %d", abs, MAX_DEPTH);
    }
    for (size_t i = 0; i < n && !rc; i++) {
        const char *nm = names[i];
        char a[PATH_MAX];
        struct stat st;
        if (snprintf(a, sizeof(a), "%s/%s", abs, nm) >= (int)sizeof(a) ||
            rlen + 1 + strlen(nm) >= PATH_MAX) {
            fprintf(stderr, "tyto: docker diff: %s/%s: path too long, skipped\n", abs, nm);
            continue;
        }
        if (lstat(a, &st) != 0)
            continue;
        size_t nl = rlen;
        rel[nl++] = '/';
        if (strncmp(nm, ".wh.", 4) == 0) {
            if (strncmp(nm, ".wh..wh.", 8) == 0) {
                rel[rlen] = '\0';
                continue; /* .wh..wh..opq (handled by the parent), aufs internals */
            }
            snprintf(rel + nl, PATH_MAX - nl, "%s", nm + 4);
            rc = add_change(w, rel, 'D', NULL);
            rel[rlen] = '\0';
            continue;
        }
        snprintf(rel + nl, PATH_MAX - nl, "%s", nm);
        if (S_ISCHR(st.st_mode) && st.st_rdev == 0) {
            rc = add_change(w, rel, 'D', NULL);
        } else {
            char kind = 'A';
            if (w->lower_ok)
                kind = in_lower(w, rel) ? 'C' : 'A';
            else if (S_ISDIR(st.st_mode))
                kind = 'C';
            rc = add_change(w, rel, kind, &st);
            if (!rc && S_ISDIR(st.st_mode)) {
                char opq[PATH_MAX];
                if (snprintf(opq, sizeof(opq), "%s/.wh..wh..opq", a) < (int)sizeof(opq) &&
                    (access(opq, F_OK) == 0 || opaque_xattr(a)))
                    w->v[w->n - 1].kind = 'C';
                rc = walk_dir(w, a, rel, strlen(rel), depth + 1);
            }
        }
        rel[rlen] = '\0';
    }
    free_names(names, n);
    return rc;
}

static int cmp_change(const void *a, const void *b)
{
    return strcmp(((const struct change *)a)->path, ((const struct change *)b)->path);
}

static bool is_exec(const char *path, const struct change *c)
{
    if (!c->reg)
        return false;
    if (c->mode & 0111)
        return true;
    if (c->size < 2)
        return false; /* too short for "#!" or an ELF magic */
    unsigned char m[4];
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0)
        return false;
    ssize_t n = read(fd, m, sizeof(m));
    close(fd);
    return (n == 4 && memcmp(m, "\x7f" "ELF", 4) == 0) || (n >= 2 && m[0] == '#' && m[1] == '!');
}

static int sha256_file(const char *path, char hex[65])
{
    unsigned char md[32], buf[65536];
    unsigned int mdlen = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK), rc = TY_EIO;
    EVP_MD_CTX *x = EVP_MD_CTX_new();
    hex[0] = '\0';
    if (fd < 0 || !x || EVP_DigestInit_ex(x, EVP_sha256(), NULL) != 1)
        goto out;
    for (;;) {
        ssize_t n = read(fd, buf, sizeof(buf));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            goto out;
        if (n == 0)
            break;
        if (EVP_DigestUpdate(x, buf, (size_t)n) != 1)
            goto out;
    }
    if (EVP_DigestFinal_ex(x, md, &mdlen) != 1 || mdlen != 32)
        goto out;
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    rc = 0;
out:
    EVP_MD_CTX_free(x);
    if (fd >= 0)
        close(fd);
    return rc;
}

static int read_id_file(const char *path, char *out, size_t cap)
{
    char *buf = NULL, msg[64];
    size_t len;
    if (slurp(path, 4096, &buf, &len, msg, sizeof(msg)) != 0)
        return TY_EIO;
    while (len && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
        len--;
    buf[len] = '\0';
    bool ok = len > 0 && len < cap && !strchr(buf, '/') && strcmp(buf, "..") != 0;
    if (ok)
        snprintf(out, cap, "%s", buf);
    free(buf);
    return ok ? 0 : TY_EINVAL;
}

/* The lower directories of an overlay2 layer, top first; false when the
 * snapshot lacks one of them. */
static int load_lower(struct walk *w, const char *root, const char *mount, bool *ok)
{
    char p[PATH_MAX], *buf = NULL, msg[64];
    size_t len;
    *ok = false;
    if (snprintf(p, sizeof(p), "%s/overlay2/%s/lower", root, mount) >= (int)sizeof(p) ||
        slurp(p, 1 << 20, &buf, &len, msg, sizeof(msg)) != 0)
        return 0;
    bool all = true;
    char *s = buf, *tok;
    while (len && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
        buf[--len] = '\0';
    while (s && *s) {
        tok = s;
        s = strchr(s, ':');
        if (s)
            *s++ = '\0';
        if (!*tok || strstr(tok, ".."))
            continue;
        char d[PATH_MAX];
        if (snprintf(d, sizeof(d), "%s/overlay2/%s", root, tok) >= (int)sizeof(d) ||
            !is_dir(d)) {
            all = false;
            continue;
        }
        char **nv = realloc(w->lower, (w->n_lower + 1) * sizeof(*nv));
        if (!nv) {
            free(buf);
            return TY_ENOMEM;
        }
        w->lower = nv;
        if (!(w->lower[w->n_lower] = strdup(d))) {
            free(buf);
            return TY_ENOMEM;
        }
        w->n_lower++;
    }
    free(buf);
    /* layer directories that are all empty were not captured (a real base
     * layer is never empty): A/C cannot be proven from them */
    bool any = false;
    for (size_t i = 0; i < w->n_lower && !any; i++) {
        char rp[PATH_MAX];
        /* Docker's own -init layer (hosts, resolv.conf) says nothing of the image */
        if (realpath(w->lower[i], rp) && strstr(rp, "-init/diff"))
            continue;
        DIR *dd = opendir(w->lower[i]);
        struct dirent *e;
        while (dd && (e = readdir(dd)) != NULL)
            if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
                any = true;
                break;
            }
        if (dd)
            closedir(dd);
    }
    *ok = all && any;
    return 0;
}

static int img_add(struct walk *w, struct ty_str name)
{
    while (name.len >= 2 && name.p[0] == '.' && name.p[1] == '/') {
        name.p += 2;
        name.len -= 2;
    }
    while (name.len && name.p[name.len - 1] == '/')
        name.len--;
    if (!name.len || name.len + 2 > PATH_MAX || memchr(name.p, '\0', name.len))
        return 0;
    const char *base = name.p;
    for (const char *q = name.p; q < name.p + name.len; q++)
        if (*q == '/')
            base = q + 1;
    if ((size_t)(name.p + name.len - base) >= 4 && memcmp(base, ".wh.", 4) == 0)
        return 0; /* a deletion recorded by that layer, not a file */
    if (w->n_img == w->cap_img) {
        size_t nc = w->cap_img ? w->cap_img * 2 : 1024;
        char **nv = realloc(w->img, nc * sizeof(*nv));
        if (!nv)
            return TY_ENOMEM;
        w->img = nv;
        w->cap_img = nc;
    }
    char *c = malloc(name.len + 2);
    if (!c)
        return TY_ENOMEM;
    c[0] = '/';
    memcpy(c + 1, name.p, name.len);
    c[name.len + 1] = '\0';
    w->img[w->n_img++] = c;
    return 0;
}

/* The file lists of the image layers under a container, from
 * layerdb/sha256/<chain>/tar-split.json.gz (entries {"type":1,"name":...}),
 * following the parent chain. *ok only when every layer's list was read. */
static int load_tarsplit(struct walk *w, const char *root, const char *id, bool *ok)
{
    char p[PATH_MAX], chain[160], *line = NULL;
    struct ty_json_doc d;
    struct ty_arena a;
    int rc = 0, layers = 0;
    bool all = true;
    *ok = false;
    if (snprintf(p, sizeof(p), "%s/image/overlay2/layerdb/mounts/%s/parent", root, id) >=
            (int)sizeof(p) ||
        read_id_file(p, chain, sizeof(chain)) != 0)
        return 0;
    ty_json_doc_init(&d, 0, 0);
    ty_arena_init(&a, 0, 16u << 20);
    line = malloc(MAX_LINE);
    if (!line) {
        rc = TY_ENOMEM;
        goto out;
    }
    while (layers < 256) {
        const char *hex = strncmp(chain, "sha256:", 7) == 0 ? chain + 7 : chain;
        char dir[PATH_MAX];
        struct stat fst;
        if (snprintf(dir, sizeof(dir), "%s/image/overlay2/layerdb/sha256/%s", root, hex) >=
                (int)sizeof(dir) ||
            snprintf(p, sizeof(p), "%s/tar-split.json.gz", dir) >= (int)sizeof(p) ||
            stat(p, &fst) != 0 || !S_ISREG(fst.st_mode)) {
            all = false;
            break;
        }
        gzFile g = gzopen(p, "rb");
        if (!g) {
            all = false;
            break;
        }
        while (gzgets(g, line, (int)MAX_LINE)) {
            size_t n = strlen(line);
            struct ty_err e;
            while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
                n--;
            if (!n || ty_json_parse(&d, line, n, &e) != 0)
                continue;
            int64_t type = 0;
            struct ty_str name = TY_STR_NULL;
            if (ty_json_i64(&d, ty_json_get(&d, 0, "type"), &type) != 0 || type != 1)
                continue;
            if (ty_json_str(&d, ty_json_get(&d, 0, "name"), &a, &name) == 0 &&
                (rc = img_add(w, name)) != 0)
                break;
            ty_arena_reset(&a);
        }
        int ze;
        (void)gzerror(g, &ze);
        if (ze != Z_OK && ze != Z_STREAM_END)
            all = false;
        gzclose(g);
        if (rc)
            goto out;
        layers++;
        if (snprintf(p, sizeof(p), "%s/parent", dir) >= (int)sizeof(p) ||
            read_id_file(p, chain, sizeof(chain)) != 0)
            break; /* the base layer */
    }
    if (w->n_img)
        qsort(w->img, w->n_img, sizeof(*w->img), cmp_str);
    *ok = all && layers > 0 && w->n_img > 0;
out:
    free(line);
    ty_arena_release(&a);
    ty_json_doc_release(&d);
    return rc;
}

int ty_docker_diff(const char *root, const char *id, ty_docker_change_fn fn, void *arg,
                   struct ty_docker_diff_stats *st, struct ty_err *err)
{
    struct walk w;
    char p[PATH_MAX], mount[128], upper[PATH_MAX];
    char *rel = NULL;
    int rc;
    memset(&w, 0, sizeof(w));
    memset(st, 0, sizeof(*st));
    w.err = err;
    if (snprintf(p, sizeof(p), "%s/image/overlay2/layerdb/mounts/%s/mount-id", root, id) >=
        (int)sizeof(p)) {
        rc = ty_err_set(err, TY_EINVAL, "path too long");
        goto out;
    }
    if (read_id_file(p, mount, sizeof(mount)) != 0) {
        /* no layerdb entry: Docker with the containerd image store, or a
         * half-deleted tree; an overlay2/<id> of the container id itself is
         * tried last */
        snprintf(mount, sizeof(mount), "%s", id);
        if (snprintf(upper, sizeof(upper), "%s/overlay2/%s/diff", root, mount) >=
                (int)sizeof(upper) ||
            !is_dir(upper)) {
            rc = ty_err_set(err, TY_EINVAL,
                            "%.64s: the writable layer cannot be found (no readable "
                            "image/overlay2/layerdb/mounts/ID/mount-id)",
                            id);
            goto out;
        }
    }
    if (snprintf(upper, sizeof(upper), "%s/overlay2/%s/diff", root, mount) >=
            (int)sizeof(upper) ||
        !is_dir(upper)) {
        rc = ty_err_set(err, TY_EINVAL, "%s: the writable layer %s is missing", id, upper);
        goto out;
    }
    memcpy(st->upper, upper, sizeof(st->upper));
    rc = load_lower(&w, root, mount, &w.lower_ok);
    if (rc) {
        rc = ty_err_set(err, rc, "out of memory");
        goto out;
    }
    if (!w.lower_ok) {
        rc = load_tarsplit(&w, root, id, &w.lower_ok);
        if (rc) {
            rc = ty_err_set(err, rc, "out of memory");
            goto out;
        }
    }
    st->lower_found = w.lower_ok;
    rel = calloc(1, PATH_MAX);
    if (!rel) {
        rc = ty_err_set(err, TY_ENOMEM, "out of memory");
        goto out;
    }
    rc = walk_dir(&w, upper, rel, 0, 0);
    if (rc) {
        if (rc == TY_ENOMEM)
            ty_err_set(err, rc, "out of memory");
        goto out;
    }
    if (w.n)
        qsort(w.v, w.n, sizeof(*w.v), cmp_change);
    for (size_t i = 0; i < w.n && !rc; i++) {
        struct change *c = &w.v[i];
        struct ty_docker_change out;
        memset(&out, 0, sizeof(out));
        out.kind = c->kind;
        out.path = c->path;
        out.size = c->size;
        out.mtime = c->mtime;
        out.guessed = !w.lower_ok && c->kind != 'D';
        char a[PATH_MAX];
        if (c->kind != 'D' && snprintf(a, sizeof(a), "%s%s", upper, c->path) < (int)sizeof(a) &&
            is_exec(a, c)) {
            out.exec = true;
            if (sha256_file(a, out.sha256) != 0)
                out.sha256[0] = '\0';
            st->exec++;
        }
        st->changes++;
        rc = fn(arg, &out);
    }
out:
    for (size_t i = 0; i < w.n; i++)
        free(w.v[i].path);
    free(w.v);
    for (size_t i = 0; i < w.n_lower; i++)
        free(w.lower[i]);
    free(w.lower);
    for (size_t i = 0; i < w.n_img; i++)
        free(w.img[i]);
    free(w.img);
    free(rel);
    return rc;
}

/* ---- containerd ------------------------------------------------------- */

static int ctrd_tasks(const char *base, ty_containerd_fn fn, void *arg, struct ty_arena *a,
                      struct ty_json_doc *d)
{
    char **nss = NULL;
    size_t n_ns = 0;
    int rc = 0;
    if (list_dir(base, &nss, &n_ns) != 0)
        return 0;
    for (size_t i = 0; i < n_ns && !rc; i++) {
        char nsdir[PATH_MAX];
        char **ids = NULL;
        size_t n_ids = 0;
        if (!join(nsdir, sizeof(nsdir), base, nss[i]) || list_dir(nsdir, &ids, &n_ids) != 0)
            continue;
        for (size_t j = 0; j < n_ids && !rc; j++) {
            char p[PATH_MAX], *buf = NULL, msg[64], detail[1024] = "(no config.json)";
            size_t len, o = 0;
            struct ty_err e;
            if (snprintf(p, sizeof(p), "%s/%s/config.json", nsdir, ids[j]) >= (int)sizeof(p))
                continue;
            if (slurp(p, MAX_CONFIG, &buf, &len, msg, sizeof(msg)) == 0) {
                ty_err_clear(&e);
                if (ty_json_parse(d, buf, len, &e) == 0) {
                    uint32_t args = ty_json_path(d, 0, "process.args");
                    detail[0] = '\0';
                    for (uint32_t k = ty_json_first(d, args); k != TY_JSON_NONE;
                         k = ty_json_next(d, k)) {
                        struct ty_str s = TY_STR_NULL;
                        if (ty_json_type(d, k) == TY_JSON_STRING)
                            (void)ty_json_str(d, k, a, &s);
                        if (o + s.len + 2 >= sizeof(detail))
                            break;
                        if (o)
                            detail[o++] = ' ';
                        memcpy(detail + o, s.p ? s.p : "", s.len);
                        o += s.len;
                        detail[o] = '\0';
                    }
                } else {
                    snprintf(detail, sizeof(detail), "config.json: %.200s", e.msg);
                }
                free(buf);
            }
            struct ty_containerd_item it = {"task", ids[j], nss[i], detail, p};
            rc = fn(arg, &it);
            ty_arena_reset(a);
        }
        free_names(ids, n_ids);
    }
    free_names(nss, n_ns);
    return rc;
}

int ty_containerd_list(const char *root, ty_containerd_fn fn, void *arg, struct ty_err *err)
{
    char p[PATH_MAX];
    char **names = NULL;
    size_t n = 0;
    int rc = 0;
    struct ty_arena a;
    struct ty_json_doc d;
    ty_arena_init(&a, 0, 16u << 20);
    ty_json_doc_init(&d, 0, 0);
    if (join(p, sizeof(p), root, "io.containerd.snapshotter.v1.overlayfs/snapshots") &&
        list_dir(p, &names, &n) == 0) {
        for (size_t i = 0; i < n && !rc; i++) {
            char fs[PATH_MAX], detail[64];
            char **ents = NULL;
            size_t ne = 0;
            if (snprintf(fs, sizeof(fs), "%s/%s/fs", p, names[i]) >= (int)sizeof(fs))
                continue;
            if (list_dir(fs, &ents, &ne) == 0)
                snprintf(detail, sizeof(detail), "%zu entries in fs/", ne);
            else
                snprintf(detail, sizeof(detail), "fs/ missing");
            free_names(ents, ne);
            struct ty_containerd_item it = {"snapshot", names[i], "", detail, fs};
            rc = fn(arg, &it);
        }
        free_names(names, n);
    }
    static const char *const tasks[] = {"io.containerd.runtime.v2.task",
                                        "../../../run/containerd/io.containerd.runtime.v2.task"};
    for (size_t i = 0; i < 2 && !rc; i++)
        if (join(p, sizeof(p), root, tasks[i]) && is_dir(p))
            rc = ctrd_tasks(p, fn, arg, &a, &d);
    if (rc < 0 && rc != TY_STOP)
        ty_err_set(err, rc, "containerd listing stopped");
    ty_arena_release(&a);
    ty_json_doc_release(&d);
    return rc;
}
