/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fs.h - filesystem timelines: a mactime-compatible timeline of bodyfile
 * lines (byte-identical to The Sleuth Kit's `mactime` 4.11, quirks included,
 * see docs/internals/FS-TIMELINE.md), built with an external sort in bounded
 * memory, and a libtsk walk of raw disk images into the bodyfile lines
 * `fls -r -m /` prints.
 */
#ifndef TYTO_FS_H
#define TYTO_FS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <tyto/err.h>

struct ty_mactime_opts {
    bool mactime;        /* mactime's own output (else tyto's readable timeline) */
    bool json;           /* readable timeline as JSON lines (ignored with mactime) */
    bool csv;            /* mactime -d */
    bool iso;            /* mactime -y: ISO 8601, always UTC */
    bool month_num;      /* mactime -m */
    bool header;         /* mactime -h */
    const char *tz;      /* mactime -z: sets TZ for this process; NULL keeps it */
    const char *range;   /* mactime DATE or DATE..DATE; NULL for all */
    const char *source;  /* the input's name for -h ("STDIN" when NULL) */
    size_t mem_budget;   /* bytes of sort buffer before spilling runs; 0 = 256 MiB */
    const char *tmpdir;  /* sort runs; NULL = $TMPDIR or /tmp */
};

struct ty_mactime_stats {
    uint64_t lines;      /* lines read */
    uint64_t skipped;    /* comment/blank lines and lines mactime's checks drop */
    uint64_t entries;    /* timeline lines written */
    unsigned runs;       /* sort runs spilled to disk (0: all in memory) */
};

struct ty_mactime;

/* Validates the options (a bad DATE is TY_EINVAL "Invalid Date: X"). */
int ty_mactime_new(struct ty_mactime **out, const struct ty_mactime_opts *o, struct ty_err *err);
/* Feed bodyfile bytes in any chunking; lines end at '\n'. */
int ty_mactime_feed(struct ty_mactime *m, const char *p, size_t len, struct ty_err *err);
/* After the last feed: sort and write the timeline. */
int ty_mactime_write(struct ty_mactime *m, FILE *out, struct ty_err *err);
void ty_mactime_stats(const struct ty_mactime *m, struct ty_mactime_stats *st);
void ty_mactime_free(struct ty_mactime *m);

/* Receives one bodyfile line (no newline). Returns 0 or < 0 to stop. */
typedef int (*ty_fs_line_fn)(void *arg, const char *line, size_t len);

/* Walk a raw (dd) disk image's file system with libtsk (volume system
 * detected; the first file system found when there is a partition table)
 * and produce the lines `fls -r -m / IMAGE` prints, in its order.
 * offset_sectors: start of the file system (fls -o); 0 = autodetect. */
int ty_fs_image_walk(const char *path, uint64_t offset_sectors, ty_fs_line_fn fn, void *arg,
                     struct ty_err *err);
/* Whether this build can open E01 images (libtsk built with libewf). */
bool ty_fs_image_has_ewf(void);

#endif
