/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-input.c - the evidence walk and input streams: fixtures (plain,
 * gzip, multi-member and truncated gzip, zstd, bzip2, xz, tar, tar.gz, zip,
 * nested archives, empty, garbage, symlinks, a 2,000-file directory) are made
 * at test time with libarchive's write API in a temporary directory, then
 * walked; names, codec chains, bytes, SHA-256 and damage offsets are checked.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <openssl/sha.h>
#ifdef TY_HAVE_ZLIB
#include <zlib.h>
#endif

#include <tyto/err.h>
#include <tyto/input.h>

#include "read/read-int.h"
#include "test.h"

/* ---------------------------------------------------------------- fixtures */

static char tmpdir[64];

static char *path_in(const char *name)
{
    static char bufs[4][512];
    static int k;
    char *p = bufs[k++ & 3];
    snprintf(p, 512, "%s/%s", tmpdir, name);
    return p;
}

static void write_file(const char *name, const void *p, size_t len)
{
    FILE *f = fopen(path_in(name), "wb");
    CHECK(f != NULL);
    if (!f)
        return;
    if (len)
        CHECK(fwrite(p, 1, len, f) == len);
    fclose(f);
}

/* Compress with a libarchive write filter and the raw format. */
static char *squeeze(const char *filter, const void *p, size_t len, size_t *out_len)
{
    size_t cap = len + len / 2 + 65536, used = 0;
    char *out = malloc(cap);
    struct archive *a = archive_write_new();
    struct archive_entry *e = archive_entry_new();
    archive_write_add_filter_by_name(a, filter);
    archive_write_set_format_raw(a);
    archive_write_set_bytes_in_last_block(a, 1);
    CHECK(archive_write_open_memory(a, out, cap, &used) == ARCHIVE_OK);
    archive_entry_set_pathname(e, "data");
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_size(e, (la_int64_t)len);
    CHECK(archive_write_header(a, e) == ARCHIVE_OK);
    if (len)
        CHECK(archive_write_data(a, p, len) == (la_ssize_t)len);
    CHECK(archive_write_close(a) == ARCHIVE_OK);
    archive_write_free(a);
    archive_entry_free(e);
    *out_len = used;
    return out;
}

struct member {
    const char *name;
    const void *data;
    size_t len;
    int type; /* 0 = file, 1 = dir, 2 = symlink */
};

/* A tar ("tar") or zip ("zip") archive in memory, optionally compressed. */
static char *archive_mem(const char *format, const char *filter, const struct member *m, int n,
                         size_t *out_len)
{
    size_t cap = 1 << 20, used = 0;
    for (int i = 0; i < n; i++)
        cap += m[i].len + 1024;
    char *out = malloc(cap);
    struct archive *a = archive_write_new();
    if (filter)
        archive_write_add_filter_by_name(a, filter);
    if (strcmp(format, "zip") == 0)
        archive_write_set_format_zip(a);
    else
        archive_write_set_format_pax_restricted(a);
    archive_write_set_bytes_in_last_block(a, 1);
    CHECK(archive_write_open_memory(a, out, cap, &used) == ARCHIVE_OK);
    for (int i = 0; i < n; i++) {
        struct archive_entry *e = archive_entry_new();
        archive_entry_set_pathname(e, m[i].name);
        archive_entry_set_perm(e, 0644);
        if (m[i].type == 1) {
            archive_entry_set_filetype(e, AE_IFDIR);
        } else if (m[i].type == 2) {
            archive_entry_set_filetype(e, AE_IFLNK);
            archive_entry_set_symlink(e, "/etc/passwd");
        } else {
            archive_entry_set_filetype(e, AE_IFREG);
            archive_entry_set_size(e, (la_int64_t)m[i].len);
        }
        CHECK(archive_write_header(a, e) == ARCHIVE_OK);
        if (m[i].type == 0 && m[i].len)
            CHECK(archive_write_data(a, m[i].data, m[i].len) == (la_ssize_t)m[i].len);
        archive_entry_free(e);
    }
    CHECK(archive_write_close(a) == ARCHIVE_OK);
    archive_write_free(a);
    *out_len = used;
    return out;
}

static void rm_tree(const char *path)
{
    struct stat sb;
    if (lstat(path, &sb) < 0)
        return;
    if (S_ISDIR(sb.st_mode)) {
        DIR *d = opendir(path);
        struct dirent *de;
        while (d && (de = readdir(d))) {
            char sub[1024];
            if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                continue;
            snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
            rm_tree(sub);
        }
        if (d)
            closedir(d);
        rmdir(path);
    } else {
        unlink(path);
    }
}

/* -------------------------------------------------------------- collector */

struct got {
    char name[512];
    char codec[32];
    char disk_path[512];
    char *data;
    size_t len;
    int end_rc;     /* the read that ended the stream */
    char msg[256];
    int after_rc;   /* the read after that: must be TY_EOF */
    bool sha_known_at_start;
    bool sha_known;
    uint8_t sha[32];
    bool disk_sha_known;
    uint8_t disk_sha[32];
    uint64_t bytes_read;
};

struct coll {
    struct got g[32];
    int n;
    int n_warn, n_error;
    char last_diag[600];
    int stop_after; /* return TY_STOP after this many inputs (0: never) */
    size_t peek;    /* peek this many bytes first */
    bool no_read;   /* read nothing (the walk skips the data) */
    size_t read_size;
};

static void on_diag(void *arg, int kind, const char *path, const char *msg)
{
    struct coll *c = arg;
    if (kind == TY_WALK_WARN)
        c->n_warn++;
    else
        c->n_error++;
    snprintf(c->last_diag, sizeof(c->last_diag), "%s: %s", path, msg);
}

static int on_input(void *arg, struct ty_input *in)
{
    struct coll *c = arg;
    struct got *g;
    char buf[4096];
    size_t got, rs = c->read_size ? c->read_size : sizeof(buf);
    struct ty_err err;
    int rc;

    if (c->n >= 32)
        return TY_ERR;
    g = &c->g[c->n++];
    memset(g, 0, sizeof(*g));
    snprintf(g->name, sizeof(g->name), "%s", in->name);
    snprintf(g->codec, sizeof(g->codec), "%s", in->codec);
    snprintf(g->disk_path, sizeof(g->disk_path), "%s", in->disk_path);
    g->sha_known_at_start = in->sha_known;
    if (c->peek) {
        const char *p;
        size_t len;
        CHECK_INT(ty_input_peek(in, c->peek, &p, &len, &err), 0);
        CHECK(len <= c->peek);
        CHECK_INT(in->bytes_read, 0);
    }
    ty_err_clear(&err);
    if (c->no_read)
        return 0;
    while ((rc = ty_input_read(in, buf, rs, &got, &err)) == TY_OK) {
        CHECK(got > 0 && got <= rs);
        g->data = realloc(g->data, g->len + got + 1);
        memcpy(g->data + g->len, buf, got);
        g->len += got;
    }
    g->end_rc = rc;
    snprintf(g->msg, sizeof(g->msg), "%s", err.msg);
    g->after_rc = ty_input_read(in, buf, rs, &got, &err);
    g->sha_known = in->sha_known;
    memcpy(g->sha, in->sha256, 32);
    g->disk_sha_known = in->disk_sha_known;
    memcpy(g->disk_sha, in->disk_sha256, 32);
    g->bytes_read = in->bytes_read;
    if (c->stop_after && c->n >= c->stop_after)
        return TY_STOP;
    return 0;
}

static void coll_free(struct coll *c)
{
    for (int i = 0; i < c->n; i++)
        free(c->g[i].data);
    memset(c, 0, sizeof(*c));
}

static int walk(const char *path, struct coll *c, unsigned depth, struct ty_err *err)
{
    struct ty_walk_opts o = {.max_archive_depth = depth, .diag = on_diag, .arg = c};
    return ty_evidence_walk(path, &o, on_input, c, err);
}

static bool same_bytes(const struct got *g, const void *p, size_t len)
{
    return g->len == len && (len == 0 || memcmp(g->data, p, len) == 0);
}

static bool sha_is(const uint8_t d[32], const void *p, size_t len)
{
    uint8_t want[32];
    SHA256(p, len, want);
    return memcmp(d, want, 32) == 0;
}

/* Text of n lines, different each time it is called with another seed. */
static char *make_text(size_t n_lines, unsigned seed, size_t *len)
{
    size_t cap = n_lines * 64 + 1, k = 0;
    char *t = malloc(cap);
    for (size_t i = 0; i < n_lines; i++)
        k += (size_t)snprintf(t + k, cap - k, "{\"n\":%zu,\"seed\":%u,\"v\":\"%08zx\"}\n", i, seed,
                              (i * 2654435761u) ^ seed);
    *len = k;
    return t;
}

/* ------------------------------------------------------------------ tests */

static void test_plain_and_compressed(void)
{
    size_t tl, zl;
    char *text = make_text(40000, 1, &tl); /* more than the 1 MiB read at once */
    struct coll c;
    struct ty_err err;
    const char *filters[] = {"gzip", "zstd", "bzip2", "xz"};

    memset(&c, 0, sizeof(c));
    write_file("plain.json", text, tl);
    CHECK_INT(walk(path_in("plain.json"), &c, 0, &err), 0);
    CHECK_INT(c.n, 1);
    CHECK_STR(c.g[0].name, path_in("plain.json"));
    CHECK_STR(c.g[0].codec, "");
    CHECK(same_bytes(&c.g[0], text, tl));
    CHECK_INT(c.g[0].end_rc, TY_EOF);
    CHECK_INT(c.g[0].after_rc, TY_EOF);
    CHECK(c.g[0].sha_known_at_start);
    CHECK(sha_is(c.g[0].sha, text, tl));
    CHECK(c.g[0].disk_sha_known);
    CHECK_INT(c.g[0].bytes_read, tl);
    coll_free(&c);

    for (int i = 0; i < 4; i++) {
        char name[32];
        char *z = squeeze(filters[i], text, tl, &zl);
        snprintf(name, sizeof(name), "data.%s", filters[i]); /* names do not matter */
        write_file(name, z, zl);
        c.peek = 100;
        CHECK_INT(walk(path_in(name), &c, 0, &err), 0);
        CHECK_INT(c.n, 1);
        CHECK_STR(c.g[0].codec, filters[i]);
        CHECK(same_bytes(&c.g[0], text, tl));
        CHECK_INT(c.g[0].end_rc, TY_EOF);
        CHECK(c.g[0].sha_known_at_start);
        CHECK(sha_is(c.g[0].sha, z, zl)); /* of the bytes on disk */
        coll_free(&c);

        /* ty_input_file_open decodes the same way */
        struct ty_input *in = NULL;
        CHECK_INT(ty_input_file_open(&in, path_in(name), &err), 0);
        if (in) {
            char buf[65536];
            size_t got, total = 0;
            bool same = true;
            CHECK_STR(in->codec, filters[i]);
            while (ty_input_read(in, buf, sizeof(buf), &got, &err) == TY_OK) {
                same = same && total + got <= tl && memcmp(buf, text + total, got) == 0;
                total += got;
            }
            CHECK(same);
            CHECK_INT(total, tl);
            CHECK(sha_is(in->sha256, z, zl));
            ty_input_free(in);
        }
        free(z);
    }
    free(text);
}

static void test_gzip_members_and_damage(void)
{
    size_t al, bl, zal, zbl, hl;
    char *a = make_text(3000, 2, &al), *b = make_text(5000, 3, &bl);
    char *za = squeeze("gzip", a, al, &zal), *zb = squeeze("gzip", b, bl, &zbl);
    char *cat = malloc(zal + zbl), *ab = malloc(al + bl);
    struct coll c;
    struct ty_err err;
    size_t big_l, zbig_l;
    char *big, *zbig;

    memset(&c, 0, sizeof(c));
    memcpy(cat, za, zal);
    memcpy(cat + zal, zb, zbl);
    memcpy(ab, a, al);
    memcpy(ab + al, b, bl);
    write_file("rotated.gz", cat, zal + zbl);
    CHECK_INT(walk(path_in("rotated.gz"), &c, 0, &err), 0);
    CHECK_INT(c.n, 1);
    CHECK_STR(c.g[0].codec, "gzip");
    CHECK(same_bytes(&c.g[0], ab, al + bl)); /* both members, in order */
    CHECK_INT(c.g[0].end_rc, TY_EOF);
    coll_free(&c);

    /* cut in the middle: what decoded comes out, then ECORRUPT naming the
     * decoded offset, then EOF */
    big = make_text(60000, 4, &big_l);
    zbig = squeeze("gzip", big, big_l, &zbig_l);
    write_file("cut.gz", zbig, zbig_l * 2 / 3);
    CHECK_INT(walk(path_in("cut.gz"), &c, 0, &err), 0);
    CHECK_INT(c.n, 1);
    CHECK(c.g[0].len > big_l / 3);
    CHECK(c.g[0].len < big_l);
    CHECK(c.g[0].len <= big_l && memcmp(c.g[0].data, big, c.g[0].len) == 0);
    CHECK_INT(c.g[0].end_rc, TY_ECORRUPT);
    CHECK_INT(c.g[0].after_rc, TY_EOF);
    {
        char want[64];
        snprintf(want, sizeof(want), "offset %zu", c.g[0].len);
        CHECK(strstr(c.g[0].msg, want) != NULL);
        if (!strstr(c.g[0].msg, want))
            fprintf(stderr, "    message: %s\n", c.g[0].msg);
    }
#ifdef TY_HAVE_ZLIB
    {
        /* in-process zlib delivers every byte that can be decoded */
        z_stream z;
        size_t cap = big_l, n;
        char *out = malloc(cap);
        memset(&z, 0, sizeof(z));
        CHECK_INT(inflateInit2(&z, 15 + 16), Z_OK);
        z.next_in = (unsigned char *)zbig;
        z.avail_in = (uInt)(zbig_l * 2 / 3);
        z.next_out = (unsigned char *)out;
        z.avail_out = (uInt)cap;
        inflate(&z, Z_SYNC_FLUSH);
        n = cap - z.avail_out;
        inflateEnd(&z);
        free(out);
        CHECK_INT(c.g[0].len, n);
    }
#endif
    CHECK(c.g[0].sha_known_at_start);
    CHECK(sha_is(c.g[0].sha, zbig, zbig_l * 2 / 3));
    coll_free(&c);

    /* a gzip header alone, a gzip magic on garbage, and zero bytes: no
     * hang, ECORRUPT at offset 0 */
    write_file("header.gz", zbig, 10);
    {
        struct ty_input *in = NULL;
        const char *p;
        size_t len;
        CHECK_INT(ty_input_file_open(&in, path_in("header.gz"), &err), 0);
        if (in) { /* peek says so too */
            CHECK_INT(ty_input_peek(in, 100, &p, &len, &err), TY_ECORRUPT);
            CHECK(strstr(err.msg, "offset 0") != NULL);
            CHECK_INT(len, 0);
            ty_input_free(in);
        }
    }
    CHECK_INT(walk(path_in("header.gz"), &c, 0, &err), 0);
    CHECK_INT(c.n, 1);
    CHECK_INT(c.g[0].len, 0);
    CHECK_INT(c.g[0].end_rc, TY_ECORRUPT);
    CHECK_INT(c.g[0].after_rc, TY_EOF);
    coll_free(&c);
    {
        char junk[5000];
        for (size_t i = 0; i < sizeof(junk); i++)
            junk[i] = (char)(i * 7919 % 251);
        junk[0] = 0x1f;
        junk[1] = (char)0x8b;
        write_file("junk.gz", junk, sizeof(junk));
        CHECK_INT(walk(path_in("junk.gz"), &c, 0, &err), 0);
        CHECK_INT(c.n, 1);
        CHECK_INT(c.g[0].end_rc, TY_ECORRUPT);
        coll_free(&c);
        memcpy(junk, "\x28\xb5\x2f\xfd", 4);
        write_file("junk.zst", junk, sizeof(junk));
        CHECK_INT(walk(path_in("junk.zst"), &c, 0, &err), 0);
        CHECK_INT(c.n, 1);
        CHECK_INT(c.g[0].end_rc, TY_ECORRUPT);
        coll_free(&c);
    }
    /* zstd cut short: everything decoded is delivered, then the offset */
    {
        size_t zl;
        char *z = squeeze("zstd", big, big_l, &zl);
        write_file("cut.zst", z, zl / 2);
        CHECK_INT(walk(path_in("cut.zst"), &c, 0, &err), 0);
        CHECK_INT(c.n, 1);
        CHECK(c.g[0].len > 0 && c.g[0].len < big_l);
        CHECK(c.g[0].len <= big_l && memcmp(c.g[0].data, big, c.g[0].len) == 0);
        CHECK_INT(c.g[0].end_rc, TY_ECORRUPT);
        char want[64];
        snprintf(want, sizeof(want), "decoded offset %zu", c.g[0].len);
        CHECK(strstr(c.g[0].msg, want) != NULL);
        coll_free(&c);
        free(z);
    }
    /* gzip of nothing: an empty stream */
    {
        size_t zl;
        char *z = squeeze("gzip", "", 0, &zl);
        write_file("empty.gz", z, zl);
        CHECK_INT(walk(path_in("empty.gz"), &c, 0, &err), 0);
        CHECK_INT(c.n, 1);
        CHECK_STR(c.g[0].codec, "gzip");
        CHECK_INT(c.g[0].len, 0);
        CHECK_INT(c.g[0].end_rc, TY_EOF);
        coll_free(&c);
        free(z);
    }
    (void)hl;
    free(big);
    free(zbig);
    free(a);
    free(b);
    free(za);
    free(zb);
    free(cat);
    free(ab);
}

static void test_archives(void)
{
    size_t al, bl, zbl, tl, zl, il, gl;
    char *a = make_text(100, 5, &al), *b = make_text(2000, 6, &bl);
    char *zb = squeeze("gzip", b, bl, &zbl);
    struct member m[] = {
        {"logs", NULL, 0, 1},
        {"logs/a.json", a, al, 0},
        {"logs/b.json.gz", zb, zbl, 0},
        {"logs/link", NULL, 0, 2},
        {"logs/empty", "", 0, 0},
    };
    struct coll c;
    struct ty_err err;
    char *t, *inner, *z;

    memset(&c, 0, sizeof(c));
    /* plain tar, a member that is gzip */
    t = archive_mem("tar", NULL, m, 5, &tl);
    write_file("ev.tar", t, tl);
    CHECK_INT(walk(path_in("ev.tar"), &c, 0, &err), 0);
    CHECK_INT(c.n, 3);
    {
        char want[600];
        snprintf(want, sizeof(want), "%s!logs/a.json", path_in("ev.tar"));
        CHECK_STR(c.g[0].name, want);
        snprintf(want, sizeof(want), "%s!logs/b.json.gz", path_in("ev.tar"));
        CHECK_STR(c.g[1].name, want);
    }
    CHECK_STR(c.g[0].codec, "tar");
    CHECK(same_bytes(&c.g[0], a, al));
    CHECK(!c.g[0].sha_known_at_start);
    CHECK(c.g[0].sha_known);
    CHECK(sha_is(c.g[0].sha, a, al));
    CHECK(c.g[0].disk_sha_known);
    CHECK(sha_is(c.g[0].disk_sha, t, tl)); /* the archive on disk */
    CHECK_STR(c.g[0].disk_path, path_in("ev.tar"));
    CHECK_STR(c.g[1].codec, "tar+gzip");
    CHECK(same_bytes(&c.g[1], b, bl));
    CHECK(sha_is(c.g[1].sha, zb, zbl)); /* the member as stored */
    CHECK_INT(c.g[2].len, 0);
    CHECK_INT(c.g[2].end_rc, TY_EOF);
    CHECK_INT(c.n_warn, 1); /* the symlink member */
    coll_free(&c);

    /* tar.gz, tar.zst, tar.xz: the same members */
    const char *filters[] = {"gzip", "zstd", "xz", "bzip2"};
    for (int i = 0; i < 4; i++) {
        char want[32];
        z = archive_mem("tar", filters[i], m, 5, &zl);
        write_file("ev.tgz", z, zl);
        c.read_size = 7;
        CHECK_INT(walk(path_in("ev.tgz"), &c, 0, &err), 0);
        CHECK_INT(c.n, 3);
        snprintf(want, sizeof(want), "%s+tar", filters[i]);
        CHECK_STR(c.g[0].codec, want);
        CHECK(same_bytes(&c.g[0], a, al));
        snprintf(want, sizeof(want), "%s+tar+gzip", filters[i]);
        CHECK_STR(c.g[1].codec, want);
        CHECK(same_bytes(&c.g[1], b, bl));
        CHECK(sha_is(c.g[1].sha, zb, zbl));
        coll_free(&c);
        free(z);
    }

    /* zip, and a tar nested in a zip */
    z = archive_mem("zip", NULL, m, 5, &zl);
    write_file("ev.zip", z, zl);
    CHECK_INT(walk(path_in("ev.zip"), &c, 0, &err), 0);
    CHECK_INT(c.n, 3);
    CHECK_STR(c.g[0].codec, "zip");
    CHECK(same_bytes(&c.g[0], a, al));
    CHECK_STR(c.g[1].codec, "zip+gzip");
    CHECK(same_bytes(&c.g[1], b, bl));
    coll_free(&c);
    free(z);

    struct member outer[] = {{"bundle/inner.tar", t, tl, 0}, {"note.txt", "hello\n", 6, 0}};
    z = archive_mem("zip", NULL, outer, 2, &zl);
    write_file("nested.zip", z, zl);
    CHECK_INT(walk(path_in("nested.zip"), &c, 0, &err), 0);
    free(z);
    CHECK_INT(c.n, 4);
    {
        char want[600];
        snprintf(want, sizeof(want), "%s!bundle/inner.tar!logs/a.json", path_in("nested.zip"));
        CHECK_STR(c.g[0].name, want);
        snprintf(want, sizeof(want), "%s!note.txt", path_in("nested.zip"));
        CHECK_STR(c.g[3].name, want);
    }
    CHECK_STR(c.g[0].codec, "zip+tar");
    CHECK(same_bytes(&c.g[0], a, al));
    CHECK_STR(c.g[1].codec, "zip+tar+gzip");
    CHECK(same_bytes(&c.g[1], b, bl));
    CHECK(same_bytes(&c.g[3], "hello\n", 6));
    coll_free(&c);

    /* depth limit 1: the inner tar is not unpacked, and says so */
    CHECK_INT(walk(path_in("nested.zip"), &c, 1, &err), 0);
    CHECK_INT(c.n, 1);
    CHECK(c.n_error == 1 && strstr(c.last_diag, "nested") != NULL);
    coll_free(&c);

    /* TY_STOP from the callback ends the walk */
    c.stop_after = 1;
    CHECK_INT(walk(path_in("nested.zip"), &c, 0, &err), TY_STOP);
    CHECK_INT(c.n, 1);
    coll_free(&c);

    /* an empty zip is an archive with no members */
    inner = archive_mem("zip", NULL, NULL, 0, &il);
    CHECK_INT(il, 22);
    write_file("empty.zip", inner, il);
    CHECK_INT(walk(path_in("empty.zip"), &c, 0, &err), 0);
    CHECK_INT(c.n, 0);
    CHECK_INT(c.n_warn, 1);
    coll_free(&c);
    free(inner);

    /* archives larger than the 1 MiB read at once are read from the file:
     * zip through its central directory (seek), tar skipping unread data */
    {
        size_t big_l = 1200000, bz;
        char *big = malloc(big_l);
        uint32_t x = 12345;
        for (size_t i = 0; i < big_l; i++) { /* incompressible */
            x = x * 1103515245u + 12345u;
            big[i] = (char)(x >> 24);
        }
        struct member two[] = {{"big.json", big, big_l, 0}, {"after.json", a, al, 0}};
        for (int i = 0; i < 2; i++) {
            char *bt = archive_mem(i ? "zip" : "tar", NULL, two, 2, &bz);
            CHECK(bz > (1u << 20));
            write_file("big.arc", bt, bz);
            CHECK_INT(walk(path_in("big.arc"), &c, 0, &err), 0);
            CHECK_INT(c.n, 2);
            CHECK(same_bytes(&c.g[0], big, big_l));
            CHECK(same_bytes(&c.g[1], a, al));
            CHECK(sha_is(c.g[0].disk_sha, bt, bz));
            coll_free(&c);
            c.no_read = true;
            CHECK_INT(walk(path_in("big.arc"), &c, 0, &err), 0);
            CHECK_INT(c.n, 2);
            if (c.n == 2)
                CHECK(strstr(c.g[1].name, "!after.json") != NULL);
            coll_free(&c);
            free(bt);
        }
        free(big);
    }

    /* a tar cut in the middle of a member: its bytes so far, ECORRUPT */
    {
        size_t big_l;
        char *big = make_text(30000, 9, &big_l);
        struct member one[] = {{"big.json", big, big_l, 0}};
        char *bt = archive_mem("tar", "gzip", one, 1, &gl);
        write_file("cut.tgz", bt, gl / 2);
        CHECK_INT(walk(path_in("cut.tgz"), &c, 0, &err), 0);
        CHECK_INT(c.n, 1);
        CHECK_INT(c.g[0].end_rc, TY_ECORRUPT);
        CHECK(c.g[0].len > big_l / 4 && c.g[0].len < big_l);
        CHECK(c.g[0].len < big_l && memcmp(c.g[0].data, big, c.g[0].len) == 0);
        CHECK(!c.g[0].sha_known); /* the member could not be read whole */
        coll_free(&c);
        free(bt);
        free(big);
    }
    free(t);
    free(a);
    free(b);
    free(zb);
}

static void test_dir_walk(void)
{
    struct coll c;
    struct ty_err err;
    char dir[600];

    memset(&c, 0, sizeof(c));
    snprintf(dir, sizeof(dir), "%s/ev", tmpdir);
    CHECK_INT(mkdir(dir, 0755), 0);
    CHECK_INT(mkdir(path_in("ev/sub"), 0755), 0);
    write_file("ev/b.log", "b\n", 2);
    write_file("ev/a.log", "a\n", 2);
    write_file("ev/B.log", "B\n", 2);
    write_file("ev/sub/c.log", "c\n", 2);
    write_file("ev/empty", "", 0);
    write_file("ev/garbage.bin", "\x00\x01\xfe\xff\x8b\x1f", 6);
    CHECK_INT(symlink("/etc/passwd", path_in("ev/zlink")), 0);
    CHECK_INT(mkfifo(path_in("ev/fifo"), 0600), 0);
    CHECK_INT(walk(dir, &c, 0, &err), 0);
    CHECK_INT(c.n, 6);
    if (c.n == 6) {
        /* bytewise order: uppercase first; files in sub/ after "garbage.bin" */
        const char *want[] = {"ev/B.log", "ev/a.log", "ev/b.log", "ev/empty", "ev/garbage.bin",
                              "ev/sub/c.log"};
        for (int i = 0; i < 6; i++)
            CHECK_STR(c.g[i].name, path_in(want[i]));
        CHECK(same_bytes(&c.g[1], "a\n", 2));
        CHECK_INT(c.g[3].len, 0);
        CHECK_INT(c.g[3].end_rc, TY_EOF);
        CHECK(sha_is(c.g[3].sha, "", 0));
        CHECK(same_bytes(&c.g[4], "\x00\x01\xfe\xff\x8b\x1f", 6));
        CHECK_STR(c.g[4].codec, "");
    }
    CHECK_INT(c.n_warn, 2); /* the FIFO, the symlink */
    coll_free(&c);

    /* a trailing slash names members the same way */
    {
        char d2[700];
        snprintf(d2, sizeof(d2), "%s/sub/", dir);
        CHECK_INT(walk(d2, &c, 0, &err), 0);
        CHECK_INT(c.n, 1);
        CHECK_STR(c.g[0].name, path_in("ev/sub/c.log"));
        coll_free(&c);
    }
    /* a missing path is an error of the walk itself */
    CHECK_INT(walk(path_in("nope"), &c, 0, &err), TY_EIO);
    CHECK(strstr(err.msg, "nope") != NULL);
    coll_free(&c);
}

struct names {
    char **v;
    size_t n;
};

static int on_name(void *arg, struct ty_input *in)
{
    struct names *nm = arg;
    char b;
    size_t got;
    struct ty_err err;
    nm->v = realloc(nm->v, (nm->n + 1) * sizeof(*nm->v));
    nm->v[nm->n++] = strdup(in->name);
    CHECK_INT(ty_input_read(in, &b, 1, &got, &err), TY_OK);
    return 0;
}

static void test_big_dir(void)
{
    struct names nm = {NULL, 0};
    struct ty_err err;
    char dir[600];
    int fds_before = 0, fds_after = 0;

    snprintf(dir, sizeof(dir), "%s/many", tmpdir);
    CHECK_INT(mkdir(dir, 0755), 0);
    /* created in a scrambled order */
    for (unsigned i = 0; i < 2000; i++) {
        char name[64];
        unsigned k = (i * 7919u) % 2000u;
        snprintf(name, sizeof(name), "many/f%u.log", k);
        write_file(name, "x\n", 2);
    }
    {
        DIR *d = opendir("/proc/self/fd");
        while (d && readdir(d))
            fds_before++;
        if (d)
            closedir(d);
    }
    CHECK_INT(ty_evidence_walk(dir, NULL, on_name, &nm, &err), 0);
    {
        DIR *d = opendir("/proc/self/fd");
        while (d && readdir(d))
            fds_after++;
        if (d)
            closedir(d);
    }
    CHECK_INT(fds_after, fds_before);
    CHECK_INT(nm.n, 2000);
    for (size_t i = 1; i < nm.n; i++)
        if (strcmp(nm.v[i - 1], nm.v[i]) >= 0) {
            CHECK(!"names in byte order");
            break;
        }
    if (nm.n == 2000) {
        CHECK_STR(nm.v[0], path_in("many/f0.log"));
        CHECK_STR(nm.v[1], path_in("many/f1.log"));
        CHECK_STR(nm.v[2], path_in("many/f10.log"));
    }
    for (size_t i = 0; i < nm.n; i++)
        free(nm.v[i]);
    free(nm.v);
}

static void test_mem_input(void)
{
    static const char text[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    struct ty_input *in = NULL;
    struct ty_err err;
    const char *p;
    size_t len, got;
    char buf[64], hex[65];
    uint8_t want[32];

    CHECK_INT(ty_input_mem_open(&in, "mem", text, sizeof(text) - 1), 0);
    if (!in)
        return;
    CHECK_STR(in->name, "mem");
    CHECK(in->sha_known);
    SHA256((const unsigned char *)text, sizeof(text) - 1, want);
    CHECK(memcmp(in->sha256, want, 32) == 0);
    ty_input_sha256_hex(in, hex);
    CHECK_INT(strlen(hex), 64);
    ty__input_mem_set_max_read(in, 3);
    /* peek buffers the head; reads return it first */
    CHECK_INT(ty_input_peek(in, 10, &p, &len, &err), 0);
    CHECK_INT(len, 10);
    CHECK(memcmp(p, "0123456789", 10) == 0);
    CHECK_INT(ty_input_read(in, buf, 4, &got, &err), TY_OK);
    CHECK_INT(got, 4);
    CHECK(memcmp(buf, "0123", 4) == 0);
    /* a second peek wants more than the head holds */
    CHECK_INT(ty_input_peek(in, 20, &p, &len, &err), 0);
    CHECK_INT(len, 20);
    CHECK(memcmp(p, "456789abcdefghijklmn", 20) == 0);
    {
        size_t total = 4;
        while (ty_input_read(in, buf, sizeof(buf), &got, &err) == TY_OK) {
            CHECK(got <= 20 || got <= 3);
            CHECK(memcmp(buf, text + total, got) == 0);
            total += got;
        }
        CHECK_INT(total, sizeof(text) - 1);
        CHECK_INT(in->bytes_read, sizeof(text) - 1);
    }
    /* peek past the end: what there is */
    CHECK_INT(ty_input_peek(in, 100, &p, &len, &err), 0);
    CHECK_INT(len, 0);
    ty_input_free(in);

    /* a mem input is never decoded */
    CHECK_INT(ty_input_mem_open(&in, "gz", "\x1f\x8b\x08", 3), 0);
    CHECK_INT(ty_input_read(in, buf, sizeof(buf), &got, &err), TY_OK);
    CHECK_INT(got, 3);
    ty_input_free(in);

    CHECK(ty__sniff((const uint8_t *)"BZh9", 4) == TY__SNIFF_BZIP2);
    CHECK(ty__sniff((const uint8_t *)"BZhx", 4) == TY__SNIFF_PLAIN);
    CHECK(ty__sniff((const uint8_t *)"PK\x05\x06", 4) == TY__SNIFF_ZIP);
    {
        char codec[32] = "";
        ty__codec_append(codec, "gzip");
        ty__codec_append(codec, "tar");
        CHECK_STR(codec, "gzip+tar");
        for (int i = 0; i < 10; i++)
            ty__codec_append(codec, "zip");
        CHECK(strlen(codec) < 32);
        CHECK(strstr(codec, "...") != NULL);
    }
}

void test_input(void);
void test_input(void)
{
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/tyto-test-input-XXXXXX");
    if (!mkdtemp(tmpdir)) {
        CHECK(!"mkdtemp");
        return;
    }
    test_plain_and_compressed();
    test_gzip_members_and_damage();
    test_archives();
    test_dir_walk();
    test_big_dir();
    test_mem_input();
    if (!getenv("TY_KEEP_TMP"))
        rm_tree(tmpdir);
}
