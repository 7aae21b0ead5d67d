/* SPDX-License-Identifier: Apache-2.0 */
/*
 * walk.c - turn one user-given evidence path into logical streams: walk
 * directories in byte order of names without following symlinks, hash each
 * regular file before its callback, stack decoders on compression magic, and
 * unpack tar and zip archives (nested too, to a depth limit) into members
 * named "outer!member/path". One file is open at a time.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include <tyto/err.h>
#include <tyto/input.h>

#include "read/read-int.h"

#define HASH_BUF (1 << 20)
#define MAX_DIR_DEPTH 128

struct walk {
    const struct ty_walk_opts *opts;
    unsigned max_depth;
    ty_input_cb cb;
    void *cb_arg;
    struct ty_err *err;
    uint8_t *iobuf; /* HASH_BUF bytes */
};

static void diag(struct walk *w, int kind, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void diag(struct walk *w, int kind, const char *path, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    if (!w->opts || !w->opts->diag)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    w->opts->diag(w->opts->arg, kind, path, msg);
}

static int process(struct walk *w, struct ty__stream *st, const char *name, const char *codec,
                   unsigned depth, unsigned layers, const struct ty__origin *o);

/* Hand one decoded stream to the callback. */
static int deliver(struct walk *w, struct ty__stream *st, const char *name, const char *codec,
                   const struct ty__origin *o)
{
    struct ty_input in;
    struct ty_input_impl impl;
    int rc;

    ty__input_init(&in, &impl, name, codec, st, o);
    rc = w->cb(w->cb_arg, &in);
    if (rc > 0 && rc != TY_STOP)
        rc = 0;
    if (rc < 0 && w->err && w->err->rc == 0)
        ty_err_set(w->err, rc, "%s: stopped by the reader of this stream", name);
    return rc;
}

static const char *type_name(mode_t m)
{
    switch (m & S_IFMT) {
    case S_IFLNK: return "symbolic link";
    case S_IFIFO: return "FIFO";
    case S_IFSOCK: return "socket";
    case S_IFCHR: return "character device";
    case S_IFBLK: return "block device";
    case S_IFDIR: return "directory";
    default: return "special file";
    }
}

/* Every regular member of an archive becomes a stream "name!member". */
static int walk_archive(struct walk *w, struct ty__stream *st, const char *name,
                        const char *codec, unsigned depth, const struct ty__origin *o)
{
    struct archive *a = archive_read_new();
    struct archive_entry *e;
    struct ty__stream *entry = NULL;
    char *mname = NULL;
    unsigned n_members = 0;
    int rc = 0, r;

    if (!a)
        return ty_err_set(w->err, TY_ENOMEM, "out of memory");
    archive_read_support_format_tar(a);
    archive_read_support_format_zip(a);
    r = ty__stream_archive_open(a, st);
    if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
        diag(w, TY_WALK_ERROR, name, "unreadable %s archive: %s", codec,
             archive_error_string(a) ? archive_error_string(a) : "unknown error");
        goto out;
    }
    for (;;) {
        struct ty__origin mo = *o;
        const char *path;
        size_t len;

        r = archive_read_next_header(a, &e);
        if (r == ARCHIVE_EOF)
            break;
        if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
            diag(w, TY_WALK_ERROR, name, "damaged %s archive after %u member(s): %s", codec,
                 n_members, archive_error_string(a) ? archive_error_string(a) : "unknown error");
            if (archive_errno(a) == ENOMEM)
                rc = ty_err_set(w->err, TY_ENOMEM, "out of memory reading %s", name);
            goto out;
        }
        path = archive_entry_pathname(e);
        if (!path)
            path = "(unnamed)";
        len = strlen(name) + 1 + strlen(path) + 1;
        free(mname);
        if (!(mname = malloc(len))) {
            rc = ty_err_set(w->err, TY_ENOMEM, "out of memory");
            goto out;
        }
        snprintf(mname, len, "%s!%s", name, path);
        if (archive_entry_filetype(e) == AE_IFDIR)
            continue;
        if (archive_entry_hardlink(e)) {
            diag(w, TY_WALK_WARN, mname, "hard link to %s: read once, under that name",
                 archive_entry_hardlink(e));
            continue;
        }
        if (archive_entry_filetype(e) != AE_IFREG) {
            diag(w, TY_WALK_WARN, mname, "%s in archive: skipped",
                 type_name(archive_entry_filetype(e)));
            continue;
        }
        if (archive_entry_is_encrypted(e)) {
            diag(w, TY_WALK_ERROR, mname, "encrypted member: skipped");
            continue;
        }
        n_members++;
        if ((rc = ty__stream_entry(&entry, a))) {
            rc = ty_err_set(w->err, rc, "out of memory");
            goto out;
        }
        mo.hashed = entry;
        mo.mtime_ns = archive_entry_mtime_is_set(e)
                          ? (int64_t)archive_entry_mtime(e) * 1000000000 +
                                archive_entry_mtime_nsec(e)
                          : 0;
        rc = process(w, entry, mname, codec, depth + 1, 0, &mo);
        ty__stream_free(entry);
        entry = NULL;
        if (rc)
            goto out;
    }
    if (n_members == 0)
        diag(w, TY_WALK_WARN, name, "%s archive holds no regular file", codec);
out:
    free(mname);
    archive_read_free(a);
    return rc;
}

/* Sniff a stream and decode, unpack or deliver it. depth: archives around
 * it; layers: compression layers stacked since the last archive. */
static int process(struct walk *w, struct ty__stream *st, const char *name, const char *codec,
                   unsigned depth, unsigned layers, const struct ty__origin *o)
{
    const uint8_t *hp;
    size_t hl;
    enum ty__sniff k;
    char chain[32];
    int rc;

    if ((rc = ty__stream_fill(st, TY__SNIFF_LEN, &hp, &hl, w->err)))
        return rc;
    k = ty__sniff(hp, hl);
    snprintf(chain, sizeof(chain), "%s", codec);
    if (ty__sniff_is_compressed(k)) {
        struct ty__stream *dec = NULL;
        if (layers >= TY__MAX_LAYERS) {
            diag(w, TY_WALK_WARN, name, "more than %d compression layers: not decoded further",
                 TY__MAX_LAYERS);
            return deliver(w, st, name, chain, o);
        }
        if ((rc = ty__stream_decoder(&dec, k, st)))
            return ty_err_set(w->err, rc, "out of memory");
        ty__codec_append(chain, ty__stream_codec(dec));
        rc = process(w, dec, name, chain, depth, layers + 1, o);
        ty__stream_free(dec);
        return rc;
    }
    if (k == TY__SNIFF_TAR || k == TY__SNIFF_ZIP) {
        if (depth >= w->max_depth) {
            diag(w, TY_WALK_ERROR, name, "archive nested more than %u deep: not unpacked",
                 w->max_depth);
            return 0;
        }
        ty__codec_append(chain, k == TY__SNIFF_TAR ? "tar" : "zip");
        return walk_archive(w, st, name, chain, depth, o);
    }
    return deliver(w, st, name, chain, o);
}

/* A stream with no file of its own to hash first (stdin, a FIFO given on
 * the command line): hashed while read. */
static int walk_fd_stream(struct walk *w, int fd, const char *name, const char *disk_path)
{
    struct ty__stream *st = NULL;
    struct ty__origin o;
    int rc;

    memset(&o, 0, sizeof(o));
    o.disk_path = disk_path;
    if ((rc = ty__stream_fd(&st, fd, true, false)))
        return ty_err_set(w->err, rc, "out of memory");
    o.hashed = st;
    rc = process(w, st, name, "", 0, 0, &o);
    ty__stream_free(st);
    return rc;
}

/* One regular file: open without following links, hash, rewind, process.
 * Problems are diagnostics unless the file was named by the user (top). */
static int walk_file(struct walk *w, const char *path, bool top, bool follow)
{
    struct ty__stream *st = NULL;
    struct ty__origin o;
    struct ty__sha256 sha = {NULL};
    struct stat sb;
    size_t whole = 0; /* bytes in iobuf while the file fits there, then HASH_BUF */
    int fd, rc = 0, flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | (follow ? 0 : O_NOFOLLOW);

    memset(&o, 0, sizeof(o));
    fd = open(path, flags);
    if (fd < 0 || fstat(fd, &sb) < 0) {
        int e = errno;
        if (top)
            rc = ty_err_set(w->err, TY_EIO, "cannot open %s: %s", path, strerror(e));
        else
            diag(w, TY_WALK_ERROR, path, "cannot open: %s", strerror(e));
        goto out;
    }
    if (!S_ISREG(sb.st_mode)) { /* replaced since lstat */
        diag(w, TY_WALK_WARN, path, "%s, not a regular file: skipped", type_name(sb.st_mode));
        goto out;
    }
    /* O_NONBLOCK stays: it means nothing for a regular file */
    if (sb.st_size >= HASH_BUF)
        posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    if ((rc = ty__sha256_init(&sha))) {
        rc = ty_err_set(w->err, rc, "out of memory");
        goto out;
    }
    for (;;) {
        /* a file smaller than the buffer is read once, kept in memory for
         * decoding: fewer system calls for trees of many small files */
        size_t off = whole < HASH_BUF ? whole : 0;
        ssize_t n = read(fd, w->iobuf + off, HASH_BUF - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            if (top)
                rc = ty_err_set(w->err, TY_EIO, "%s: read failed: %s", path, strerror(e));
            else
                diag(w, TY_WALK_ERROR, path, "read failed: %s", strerror(e));
            goto out;
        }
        if (n == 0)
            break;
        ty__sha256_update(&sha, w->iobuf + off, (size_t)n);
        if (whole < HASH_BUF)
            whole = off + (size_t)n < HASH_BUF ? off + (size_t)n : HASH_BUF;
    }
    ty__sha256_final(&sha, o.disk_sha256);
    o.disk_sha_known = true;
    o.disk_path = path;
    o.disk_size = (uint64_t)sb.st_size;
    o.mtime_ns = (int64_t)sb.st_mtim.tv_sec * 1000000000 + sb.st_mtim.tv_nsec;
    if (whole < HASH_BUF)
        rc = ty__stream_mem(&st, w->iobuf, whole);
    else if (lseek(fd, 0, SEEK_SET) < 0) {
        diag(w, TY_WALK_ERROR, path, "cannot rewind after hashing: %s", strerror(errno));
        goto out;
    } else
        rc = ty__stream_fd(&st, fd, false, true);
    if (rc) {
        rc = ty_err_set(w->err, rc, "out of memory");
        goto out;
    }
    rc = process(w, st, path, "", 0, 0, &o);
out:
    ty__sha256_release(&sha);
    ty__stream_free(st);
    if (fd >= 0)
        close(fd);
    return rc;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk_dir(struct walk *w, const char *path, unsigned level);

/* One directory entry found while walking: never followed if a link. */
static int walk_entry(struct walk *w, const char *path, unsigned level)
{
    struct stat sb;

    if (lstat(path, &sb) < 0) {
        diag(w, TY_WALK_ERROR, path, "cannot stat: %s", strerror(errno));
        return 0;
    }
    if (S_ISDIR(sb.st_mode))
        return walk_dir(w, path, level + 1);
    if (S_ISREG(sb.st_mode))
        return walk_file(w, path, false, false);
    if (S_ISLNK(sb.st_mode)) {
        char target[256];
        ssize_t n = readlink(path, target, sizeof(target) - 1);
        target[n > 0 ? n : 0] = '\0';
        diag(w, TY_WALK_WARN, path, "symbolic link to %s: not followed", n > 0 ? target : "?");
        return 0;
    }
    diag(w, TY_WALK_WARN, path, "%s: skipped", type_name(sb.st_mode));
    return 0;
}

/* Read all names first (sorted, bytewise), close the directory, then visit:
 * one descriptor open at a time however large or deep the tree. */
static int walk_dir(struct walk *w, const char *path, unsigned level)
{
    char **names = NULL, *child = NULL;
    size_t n = 0, cap = 0, plen = strlen(path);
    struct dirent *de;
    DIR *d = NULL;
    int fd, rc = 0;

    if (level > MAX_DIR_DEPTH) {
        diag(w, TY_WALK_ERROR, path, "directories nested more than %d deep: not walked",
             MAX_DIR_DEPTH);
        return 0;
    }
    fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | (level ? O_NOFOLLOW : 0));
    if (fd < 0 || !(d = fdopendir(fd))) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        if (level == 0)
            return ty_err_set(w->err, TY_EIO, "cannot open directory %s: %s", path, strerror(e));
        diag(w, TY_WALK_ERROR, path, "cannot open directory: %s", strerror(e));
        return 0;
    }
    errno = 0;
    while ((de = readdir(d))) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 64;
            char **nn = realloc(names, ncap * sizeof(*nn));
            if (!nn)
                goto nomem;
            names = nn;
            cap = ncap;
        }
        if (!(names[n] = strdup(de->d_name)))
            goto nomem;
        n++;
        errno = 0;
    }
    if (errno)
        diag(w, TY_WALK_ERROR, path, "directory listing incomplete: %s", strerror(errno));
    closedir(d);
    d = NULL;
    if (n)
        qsort(names, n, sizeof(*names), cmp_names);
    for (size_t i = 0; i < n && rc == 0; i++) {
        size_t len = plen + 1 + strlen(names[i]) + 1;
        free(child);
        if (!(child = malloc(len)))
            goto nomem;
        snprintf(child, len, "%s%s%s", path, (plen && path[plen - 1] == '/') ? "" : "/",
                 names[i]);
        rc = walk_entry(w, child, level);
    }
    goto out;
nomem:
    rc = ty_err_set(w->err, TY_ENOMEM, "out of memory listing %s", path);
out:
    if (d)
        closedir(d);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    free(child);
    return rc;
}

int ty_evidence_walk(const char *path, const struct ty_walk_opts *opts, ty_input_cb cb,
                     void *cb_arg, struct ty_err *err)
{
    struct walk w;
    struct stat sb;
    char *p = NULL;
    size_t len;
    int rc;

    if (!path || !*path || !cb)
        return ty_err_set(err, TY_EINVAL, "no evidence path");
    memset(&w, 0, sizeof(w));
    w.opts = opts;
    w.max_depth = opts && opts->max_archive_depth ? opts->max_archive_depth : 4;
    w.cb = cb;
    w.cb_arg = cb_arg;
    w.err = err;
    if (err)
        ty_err_clear(err);
    if (strcmp(path, "-") == 0)
        return walk_fd_stream(&w, STDIN_FILENO, "-", "-");
    /* "dir/" and "dir" name members the same way */
    len = strlen(path);
    while (len > 1 && path[len - 1] == '/')
        len--;
    if (!(p = strndup(path, len)))
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    if (!(w.iobuf = malloc(HASH_BUF))) {
        rc = ty_err_set(err, TY_ENOMEM, "out of memory");
        goto out;
    }
    /* the path the user named is followed if it is a link; links found
     * while walking are not */
    if (stat(p, &sb) < 0) {
        rc = ty_err_set(err, TY_EIO, "cannot open %s: %s", p, strerror(errno));
        goto out;
    }
    if (S_ISDIR(sb.st_mode)) {
        rc = walk_dir(&w, p, 0);
    } else if (S_ISREG(sb.st_mode)) {
        rc = walk_file(&w, p, true, true);
    } else {
        /* a FIFO or device named explicitly (bash's <(zcat x)): a stream */
        int fd = open(p, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            rc = ty_err_set(err, TY_EIO, "cannot open %s: %s", p, strerror(errno));
            goto out;
        }
        rc = walk_fd_stream(&w, fd, p, p);
        close(fd);
    }
out:
    free(w.iobuf);
    free(p);
    return rc;
}
