/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse-bodyfile-image.c - disk images to bodyfile lines with libtsk: the
 * lines `fls -r -m / IMAGE` prints (TSK 4.11), in its order, for `tyto fs`.
 *
 * The image is opened read-only (raw/dd; E01, VMDK, VHD by their signature:
 * Debian's libtsk is built with libewf, libvmdk and libvhdi), the file system at the given
 * sector offset or, failing that, in the first partition of a volume system
 * that holds one. The walk is tsk_fs_dir_walk over allocated and unallocated
 * names, recursive, with TSK's $OrphanFiles folder. Each name becomes
 * `0|/<path><name>[:<stream>][ -> <link>][ (deleted|deleted-realloc)]|
 * <inode>[-<attr type>-<attr id>]|<name type>/<mode>|uid|gid|size|a|m|c|b`:
 * control characters in names are printed as '^', "." and ".." are left
 * out, a name without metadata prints "-/----------" style zeros. NTFS
 * files print one line per $DATA / $INDEX_ROOT attribute (named streams as
 * ":name"); the extra " ($FILE_NAME)" lines of newer TSK are not produced.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tsk/libtsk.h>

#include <tyto/fs.h>

#include "parse-bodyfile-int.h"

struct walk {
    ty_fs_line_fn fn;
    void *arg;
    char *buf;
    size_t len, cap;
    int rc;
    int oom;
};

static void put(struct walk *w, const char *p, size_t n)
{
    if (w->oom)
        return;
    if (w->len + n > w->cap) {
        size_t nc = w->cap ? w->cap * 2 : 1024;
        while (nc < w->len + n)
            nc *= 2;
        char *b = realloc(w->buf, nc);
        if (!b) {
            w->oom = 1;
            return;
        }
        w->buf = b;
        w->cap = nc;
    }
    memcpy(w->buf + w->len, p, n);
    w->len += n;
}

static void puts_clean(struct walk *w, const char *s)
{
    for (; s && *s; s++) {
        char c = (unsigned char)*s < 0x20 ? '^' : *s;
        put(w, &c, 1);
    }
}

static void putf(struct walk *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void putf(struct walk *w, const char *fmt, ...)
{
    char tmp[128];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    if (n > 0)
        put(w, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

static int is_dot(const char *n)
{
    return n[0] == '.' && (n[1] == '\0' || (n[1] == '.' && n[2] == '\0'));
}

static void line(struct walk *w, TSK_FS_FILE *f, const char *path, const TSK_FS_ATTR *attr)
{
    int ads = attr && attr->name && attr->type != TSK_FS_ATTR_TYPE_NTFS_FNAME &&
              (attr->type != TSK_FS_ATTR_TYPE_NTFS_IDXROOT || strcmp(attr->name, "$I30") != 0);
    w->len = 0;
    put(w, "0|/", 3);
    puts_clean(w, path);
    puts_clean(w, f->name->name);
    if (ads) {
        put(w, ":", 1);
        puts_clean(w, attr->name);
    }
    if (f->meta && f->meta->type == TSK_FS_META_TYPE_LNK && f->meta->link) {
        put(w, " -> ", 4);
        puts_clean(w, f->meta->link);
    }
    if (f->name->flags & TSK_FS_NAME_FLAG_UNALLOC)
        putf(w, " (%s)",
             f->meta && (f->meta->flags & TSK_FS_META_FLAG_ALLOC) ? "deleted-realloc" : "deleted");
    putf(w, "|%" PRIuINUM, f->name->meta_addr);
    if (attr)
        putf(w, "-%" PRIu32 "-%" PRIu16, (uint32_t)attr->type, attr->id);
    put(w, "|", 1);
    if ((unsigned)f->name->type < TSK_FS_NAME_TYPE_STR_MAX)
        putf(w, "%s/", tsk_fs_name_type_str[f->name->type]);
    else
        put(w, "-/", 2);
    if (!f->meta) {
        put(w, "----------|0|0|0|0|0|0|0", 24);
    } else {
        char ls[12];
        tsk_fs_meta_make_ls(f->meta, ls, sizeof(ls));
        putf(w, "%s|%" PRIuUID "|%" PRIuGID "|%" PRIdOFF "|", ls, f->meta->uid, f->meta->gid,
             attr ? attr->size : f->meta->size);
        putf(w, "%lld|%lld|%lld|%lld", (long long)f->meta->atime, (long long)f->meta->mtime,
             (long long)f->meta->ctime, (long long)f->meta->crtime);
    }
    if (w->oom) {
        w->rc = TY_ENOMEM;
        return;
    }
    int rc = w->fn(w->arg, w->buf, w->len);
    if (rc < 0)
        w->rc = rc;
}

static TSK_WALK_RET_ENUM visit(TSK_FS_FILE *f, const char *path, void *ptr)
{
    struct walk *w = ptr;
    if (!f->name)
        return TSK_WALK_CONT;
    if (TSK_FS_TYPE_ISNTFS(f->fs_info->ftype) && f->meta) {
        int printed = 0, cnt = tsk_fs_file_attr_getsize(f);
        for (int i = 0; i < cnt && !w->rc; i++) {
            const TSK_FS_ATTR *a = tsk_fs_file_attr_get_idx(f, i);
            if (!a)
                continue;
            if (a->type == TSK_FS_ATTR_TYPE_NTFS_DATA) {
                printed = 1;
                if (f->meta->type == TSK_FS_META_TYPE_DIR && is_dot(f->name->name))
                    continue;
                line(w, f, path, a);
            } else if (a->type == TSK_FS_ATTR_TYPE_NTFS_IDXROOT) {
                printed = 1;
                if (!is_dot(f->name->name))
                    line(w, f, path, a);
            }
        }
        if (!printed && !w->rc)
            line(w, f, path, NULL);
    } else if (!is_dot(f->name->name)) {
        line(w, f, path, NULL);
    }
    return w->rc ? TSK_WALK_STOP : TSK_WALK_CONT;
}

static TSK_FS_INFO *open_fs(TSK_IMG_INFO *img, uint64_t offset_sectors, int explicit_offset,
                            TSK_VS_INFO **vs_out)
{
    TSK_FS_INFO *fs = tsk_fs_open_img(img, (TSK_OFF_T)offset_sectors * img->sector_size,
                                      TSK_FS_TYPE_DETECT);
    if (fs || explicit_offset)
        return fs;
    TSK_VS_INFO *vs = tsk_vs_open(img, 0, TSK_VS_TYPE_DETECT);
    if (!vs)
        return NULL;
    for (TSK_PNUM_T i = 0; i < vs->part_count && !fs; i++) {
        const TSK_VS_PART_INFO *p = tsk_vs_part_get(vs, i);
        if (!p || !(p->flags & TSK_VS_PART_FLAG_ALLOC))
            continue;
        fs = tsk_fs_open_vol(p, TSK_FS_TYPE_DETECT);
    }
    if (!fs)
        tsk_vs_close(vs);
    else
        *vs_out = vs; /* closed after the file system */
    return fs;
}

/* Raw unless the first bytes name a container libtsk knows (VMDK, VHD,
 * EWF): its detection probes every container library, which leak on a miss. */
static TSK_IMG_TYPE_ENUM image_type(const char *path)
{
    unsigned char h[32] = {0};
    FILE *f = fopen(path, "rb");
    size_t n = 0;
    if (f) {
        n = fread(h, 1, sizeof(h), f);
        fclose(f);
    }
    if (n >= 4 && (memcmp(h, "KDMV", 4) == 0 || memcmp(h, "# Di", 4) == 0 ||
                   memcmp(h, "COWD", 4) == 0))
        return TSK_IMG_TYPE_DETECT;
    if (n >= 8 && (memcmp(h, "conectix", 8) == 0 || memcmp(h, "EVF\x09\x0d\x0a\xff\x00", 8) == 0))
        return TSK_IMG_TYPE_DETECT;
    return TSK_IMG_TYPE_RAW;
}

int ty_fs_image_walk(const char *path, uint64_t offset_sectors, ty_fs_line_fn fn, void *arg,
                     struct ty_err *err)
{
    TSK_IMG_INFO *img = NULL;
    TSK_FS_INFO *fs = NULL;
    TSK_VS_INFO *vs = NULL;
    struct walk w = {fn, arg, NULL, 0, 0, 0, 0};
    int rc;

    img = tsk_img_open_utf8_sing(path, image_type(path), 0);
    if (!img) {
        rc = ty_err_set(err, TY_EINVAL, "%s: not a disk image libtsk can open (%s)", path,
                        tsk_error_get() ? tsk_error_get() : "unknown");
        tsk_error_reset();
        goto out;
    }
    fs = open_fs(img, offset_sectors, offset_sectors != 0, &vs);
    if (!fs) {
        rc = ty_err_set(err, TY_EINVAL, "%s: no file system libtsk recognises", path);
        tsk_error_reset();
        goto out;
    }
    if (tsk_fs_dir_walk(fs, fs->root_inum,
                        (TSK_FS_DIR_WALK_FLAG_ENUM)(TSK_FS_DIR_WALK_FLAG_ALLOC |
                                                    TSK_FS_DIR_WALK_FLAG_UNALLOC |
                                                    TSK_FS_DIR_WALK_FLAG_RECURSE),
                        visit, &w) != 0 &&
        !w.rc) {
        rc = ty_err_set(err, TY_EIO, "%s: file system walk failed (%s)", path,
                        tsk_error_get() ? tsk_error_get() : "unknown");
        tsk_error_reset();
        goto out;
    }
    rc = w.rc;
    if (rc == TY_ENOMEM)
        ty_err_set(err, rc, "out of memory");
out:
    if (fs)
        tsk_fs_close(fs);
    if (vs)
        tsk_vs_close(vs);
    if (img)
        tsk_img_close(img);
    free(w.buf);
    return rc;
}

bool ty_fs_image_has_ewf(void)
{
    return (tsk_img_type_supported() & TSK_IMG_TYPE_EWF_EWF) != 0;
}
