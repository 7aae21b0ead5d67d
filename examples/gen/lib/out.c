/* SPDX-License-Identifier: Apache-2.0 */
/*
 * out.c - the output tree of a story generator: fatal-error helpers, mkdir -p and writing
 * whole files under OUTDIR. Nothing here depends on the time or the process, so two runs
 * write the same bytes.
 */
#include "out.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

static const char *prog_name = "gen";
static const char *meta_dir = ".";  /* OUTDIR: the answer key and notes */
static const char *root_dir = "."; /* OUTDIR/evidence: what a responder collected */

void out_init(const char *prog, const char *root)
{
    prog_name = prog;
    meta_dir = root;
    size_t n = strlen(root) + sizeof "/evidence";
    char *r = xrealloc(NULL, n);
    snprintf(r, n, "%s/evidence", root);
    root_dir = r; /* kept for the life of the generator */
    out_mkdir_p(root_dir);
}

const char *out_root(void)
{
    return root_dir;
}

static void write_whole(const char *path, const void *data, size_t len);

void out_meta_file(const char *rel, const void *data, size_t len)
{
    char path[1024];
    if ((size_t)snprintf(path, sizeof path, "%s/%s", meta_dir, rel) >= sizeof path)
        die("path too long: %s/%s", meta_dir, rel);
    write_whole(path, data, len);
}

void die(const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "%s: ", prog_name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);

    if (!q)
        die("out of memory");
    return q;
}

char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;

    return memcpy(xrealloc(NULL, n), s, n);
}

void out_mkdir_p(const char *path)
{
    char tmp[1024];
    size_t n = strlen(path);

    if (n >= sizeof tmp)
        die("path too long: %s", path);
    memcpy(tmp, path, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (tmp[i] == '/' || tmp[i] == '\0') {
            char c = tmp[i];

            tmp[i] = '\0';
            if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
                die("mkdir %s: %s", tmp, strerror(errno));
            tmp[i] = c;
        }
    }
}

/* ROOT/rel into path, and its directory created. */
static void prepare(char *path, size_t n, const char *rel)
{
    char dir[1024];
    char *slash;
    int k = snprintf(path, n, "%s/%s", root_dir, rel);

    if (k < 0 || (size_t)k >= n || (size_t)k >= sizeof dir)
        die("path too long: %s", rel);
    memcpy(dir, path, (size_t)k + 1);
    slash = strrchr(dir, '/');
    if (slash) {
        *slash = '\0';
        out_mkdir_p(dir);
    }
}

void out_dir(const char *rel)
{
    char path[1024];
    int k = snprintf(path, sizeof path, "%s/%s", root_dir, rel);

    if (k < 0 || (size_t)k >= sizeof path)
        die("path too long: %s", rel);
    out_mkdir_p(path);
}

void out_file(const char *rel, const void *data, size_t len)
{
    char path[1024];

    prepare(path, sizeof path, rel);
    write_whole(path, data, len);
}

static void write_whole(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        die("cannot create %s: %s", path, strerror(errno));
    if (len && fwrite(data, 1, len, f) != len)
        die("write %s: %s", path, strerror(errno));
    if (fclose(f) != 0)
        die("write %s: %s", path, strerror(errno));
}

void out_file_mode(const char *rel, const void *data, size_t len, unsigned mode)
{
    char path[1024];

    out_file(rel, data, len);
    snprintf(path, sizeof path, "%s/%s", root_dir, rel);
    if (chmod(path, (mode_t)mode) != 0)
        die("chmod %s: %s", path, strerror(errno));
}

void out_symlink(const char *rel, const char *target)
{
    char path[1024];

    prepare(path, sizeof path, rel);
    if (unlink(path) != 0 && errno != ENOENT)
        die("unlink %s: %s", path, strerror(errno));
    if (symlink(target, path) != 0)
        die("symlink %s: %s", path, strerror(errno));
}
