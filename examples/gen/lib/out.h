/* SPDX-License-Identifier: Apache-2.0 */
/*
 * out.h - where a story generator writes: the output root, mkdir -p, whole files, symlinks,
 * and the two ways to give up (die, out of memory). All paths given to out_* are relative
 * to the root set by out_init; errors are fatal (a generator has nothing to recover).
 */
#ifndef GEN_OUT_H
#define GEN_OUT_H

#include <stddef.h>

/* prog prefixes error messages; root is OUTDIR. The evidence goes to OUTDIR/evidence (the
 * root of every out_* path below, created if missing); the answer key and the notes, which
 * a responder would not have, go beside it with out_meta_file, never among the evidence. */
void out_init(const char *prog, const char *root);
/* The evidence root: OUTDIR/evidence. */
const char *out_root(void);
/* Write OUTDIR/rel (expected.json, README.txt, attack-notes.txt), outside the evidence. */
void out_meta_file(const char *rel, const void *data, size_t len);

/* Print "prog: message" on stderr and exit(1). */
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
/* realloc that dies instead of failing; n 0 allocates 1 byte. */
void *xrealloc(void *p, size_t n);
/* Copy of s (malloc'd). */
char *xstrdup(const char *s);

/* mkdir -p of an absolute or cwd-relative path. */
void out_mkdir_p(const char *path);
/* mkdir -p ROOT/rel. */
void out_dir(const char *rel);
/* Write ROOT/rel (its directories created), replacing it. */
void out_file(const char *rel, const void *data, size_t len);
/* Write ROOT/rel with permission bits mode (e.g. 0600 for a crontab, 0755 for a script). */
void out_file_mode(const char *rel, const void *data, size_t len, unsigned mode);
/* Create the symlink ROOT/rel -> target (target written as given, e.g. "../abc/diff"). */
void out_symlink(const char *rel, const char *target);

#endif
