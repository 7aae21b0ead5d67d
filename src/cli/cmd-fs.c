/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmd-fs.c - `tyto fs IMAGE|BODYFILE [--mactime] [-d] [-y] [-m] [-z TZ] [DATE[..DATE]]`:
 * a filesystem timeline from a bodyfile (or stdin) or a raw disk image
 * walked with libtsk. With --mactime the output is The Sleuth Kit mactime's,
 * byte for byte (-d for its CSV, as `mactime -b BODY -d`); --bodyfile prints
 * the image's bodyfile lines (as `fls -r -m /`) instead of a timeline.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <tyto/fs.h>

#include "cli.h"

static int feed_line(void *arg, const char *line, size_t len)
{
    struct ty_mactime *m = arg;
    struct ty_err err;
    int rc = ty_mactime_feed(m, line, len, &err);
    if (rc == 0)
        rc = ty_mactime_feed(m, "\n", 1, &err);
    if (rc)
        cli_error("fs: %s", err.msg);
    return rc;
}

static int print_line(void *arg, const char *line, size_t len)
{
    FILE *f = arg;
    if (fwrite(line, 1, len, f) != len || fputc('\n', f) == EOF)
        return TY_EIO;
    return 0;
}

/* Whether the head of the file looks like a bodyfile (text with '|' lines). */
static bool looks_like_body(const char *p, size_t n)
{
    size_t bars = 0, bin = 0;
    if (!n)
        return true;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        bars += c == '|';
        bin += c == 0 || (c < 0x20 && c != '\n' && c != '\r' && c != '\t');
    }
    return bin == 0 && bars >= 10;
}

int cmd_fs(int argc, const char **argv)
{
    bool mactime = false, csv = false, iso = false, month = false, header = false;
    bool body_out = false, stats = false, force_image = false, force_body = false, json = false;
    const char *tz = NULL, *tmpdir = NULL;
    int64_t mem_mb = 0, offset = 0;
    struct opt opts[] = {
        {OPT_FLAG, 0, "mactime", &mactime, NULL,
         "print exactly what TSK's mactime prints (use with -d as `mactime -b BODY -d`)"},
        {OPT_FLAG, 'd', "comma", &csv, NULL, "mactime -d: comma-separated output"},
        {OPT_FLAG, 'y', "iso", &iso, NULL, "mactime -y: ISO 8601 dates, always UTC"},
        {OPT_FLAG, 'm', "month-num", &month, NULL, "mactime -m: month as a number"},
        {OPT_STRING, 'z', "tz", &tz, "TZ", "mactime -z: the time zone for dates (sets TZ)"},
        {OPT_FLAG, 0, "header", &header, NULL, "mactime -h: a header with session information"},
        {OPT_FLAG, 0, "bodyfile", &body_out, NULL,
         "IMAGE: print its bodyfile lines (as `fls -r -m /`) instead of a timeline"},
        {OPT_FLAG, 0, "image", &force_image, NULL, "the input is a disk image"},
        {OPT_FLAG, 0, "body", &force_body, NULL, "the input is a bodyfile"},
        {OPT_INT, 'o', "offset", &offset, "SECTORS", "IMAGE: file system offset (fls -o)"},
        {OPT_INT, 0, "memory", &mem_mb, "MB", "sort memory before spilling to temp files (256)"},
        {OPT_STRING, 0, "tmpdir", &tmpdir, "DIR", "where sort runs go ($TMPDIR or /tmp)"},
        {OPT_FLAG, 0, "json", &json, NULL, "the timeline as JSON lines (time, macb, size, ...)"},
        {OPT_FLAG, 0, "stats", &stats, NULL, "counts and sort runs on stderr"},
        {OPT_END, 0, NULL, NULL, NULL, NULL},
    };
    struct cmd_usage u = {
        "tyto fs IMAGE|BODYFILE|- [--mactime] [-d] [-y] [-m] [-z TZ] [DATE|DATE..DATE]",
        "A filesystem timeline: one line per file and distinct time with its macb flags\n"
        "(m modified, a accessed, c changed, b born), from a TSK bodyfile (fls -m, ils -m,\n"
        "mac-robber) or a raw disk image walked with libtsk. DATE is yyyy-mm-dd or\n"
        "yyyy-mm-ddThh:mm:ss in the time zone (from then on; A..B: A inclusive, B\n"
        "exclusive). --mactime prints mactime's output byte for byte, quirks included.\n"
        "Memory stays bounded: large inputs are sorted in runs on disk.",
        opts};
    struct ty_mactime *m = NULL;
    struct ty_err err;
    int fd = -1, rc = 1;
    char *buf = NULL;

    if (opt_parse_args(&argc, argv, &u, 1, 2))
        return EXIT_USAGE;
    const char *path = argv[0];
    bool is_stdin = strcmp(path, "-") == 0;
    bool image = false;
    if (!is_stdin) {
        fd = open(path, O_RDONLY);
        if (fd < 0)
            return cli_error("fs: %s: %s", path, strerror(errno));
    } else {
        fd = 0;
    }
    buf = malloc(1 << 20);
    if (!buf) {
        rc = cli_error("fs: out of memory");
        goto out;
    }
    size_t head = 0;
    if (!is_stdin && !force_body) {
        ssize_t n = pread(fd, buf, 65536, 0);
        head = n > 0 ? (size_t)n : 0;
        image = force_image || !looks_like_body(buf, head);
    }
    if (body_out) {
        if (!image) {
            rc = cli_error("fs: --bodyfile needs a disk image");
            goto out;
        }
        ty_err_clear(&err);
        if (ty_fs_image_walk(path, (uint64_t)offset, print_line, stdout, &err) != 0 ||
            fflush(stdout) != 0) {
            rc = cli_error("fs: %s", err.msg[0] ? err.msg : "cannot write the bodyfile");
            goto out;
        }
        rc = 0;
        goto out;
    }
    struct ty_mactime_opts mo = {
        .mactime = mactime,
        .json = json,
        .csv = csv,
        .iso = iso,
        .month_num = month,
        .header = header,
        .tz = tz,
        .range = argc > 1 ? argv[1] : NULL,
        .source = is_stdin ? NULL : path,
        .mem_budget = mem_mb > 0 ? (size_t)mem_mb << 20 : 0,
        .tmpdir = tmpdir,
    };
    ty_err_clear(&err);
    if (ty_mactime_new(&m, &mo, &err) != 0) {
        if (mactime && strncmp(err.msg, "Invalid Date", 12) == 0) {
            fprintf(stderr, "%s\n", err.msg); /* mactime's own words */
            rc = EXIT_USAGE;
        } else {
            rc = cli_error("fs: %s", err.msg);
        }
        goto out;
    }
    if (image) {
        struct ty_err werr;
        ty_err_clear(&werr);
        int wrc = ty_fs_image_walk(path, (uint64_t)offset, feed_line, m, &werr);
        if (wrc != 0) {
            size_t pl = strlen(path);
            bool e01 = pl > 4 && (strcmp(path + pl - 4, ".E01") == 0 ||
                                  strcmp(path + pl - 4, ".e01") == 0);
            if (e01) {
                if (ty_fs_image_has_ewf())
                    rc = cli_error("fs: %s", werr.msg);
                else
                    rc = cli_error("fs: %s: E01 images need libtsk built with libewf", path);
                goto out;
            }
            if (wrc != TY_EINVAL || force_image) {
                rc = cli_error("fs: %s", werr.msg);
                goto out;
            }
            image = false; /* not an image after all: read it as a bodyfile, as mactime would */
        }
    }
    if (!image) {
        for (;;) {
            ssize_t n = read(fd, buf, 1 << 20);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0) {
                rc = cli_error("fs: %s: %s", path, strerror(errno));
                goto out;
            }
            if (n == 0)
                break;
            if (ty_mactime_feed(m, buf, (size_t)n, &err) != 0) {
                rc = cli_error("fs: %s", err.msg);
                goto out;
            }
        }
    }
    if (ty_mactime_write(m, stdout, &err) != 0) {
        rc = cli_error("fs: %s", err.msg);
        goto out;
    }
    struct ty_mactime_stats st;
    ty_mactime_stats(m, &st);
    if (stats || st.skipped)
        fprintf(stderr,
                "tyto fs: %llu lines, %llu skipped (comments, blank, or dropped by mactime's "
                "checks), %llu timeline entries, %u sort runs on disk\n",
                (unsigned long long)st.lines, (unsigned long long)st.skipped,
                (unsigned long long)st.entries, st.runs);
    rc = 0;
out:
    ty_mactime_free(m);
    free(buf);
    if (fd > 0)
        close(fd);
    return rc;
}
