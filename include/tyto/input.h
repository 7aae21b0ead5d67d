/* SPDX-License-Identifier: Apache-2.0 */
/*
 * input.h - evidence as byte streams: files, directories, stdin, compressed
 * files and archives.
 *
 * ty_evidence_walk() turns one path given by the user into a sequence of
 * logical evidence streams (struct ty_input) and calls back for each:
 *   - a directory is walked recursively, entries in byte order of their
 *     names (deterministic on every machine); symlinks are not followed;
 *   - "-" is standard input;
 *   - gzip, zstd, bzip2 and xz are detected by magic bytes (never by name)
 *     and decompressed while reading, through libarchive;
 *   - tar and zip archives (compressed or not, nested too) yield one stream
 *     per regular member, named "archive.tar.gz!dir/member.json".
 * Files are opened read-only (O_NOFOLLOW). A regular file on disk is hashed
 * with SHA-256 before the callback runs (chain of custody, and so the caller
 * can skip evidence already in the case); streams without a file of their own
 * (stdin, archive members) are hashed while they are read and the digest is
 * final at end of stream.
 *
 * Problems that do not stop the walk (unreadable file, corrupt archive
 * member, nesting too deep) are reported through opts->diag and the walk goes
 * on. A decompression error in the middle of a stream is returned by
 * ty_input_read() as TY_ECORRUPT with the offset; the bytes before it were
 * delivered, and the next read returns TY_EOF.
 */
#ifndef TYTO_INPUT_H
#define TYTO_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <tyto/err.h>
#include <tyto/str.h>

struct ty_input_impl;

struct ty_input {
    const char *name;      /* display path, as the user would write it */
    const char *disk_path; /* the file on disk holding the stream ("-" for stdin) */
    uint64_t disk_size;    /* size of that file on disk, 0 when unknown */
    int64_t mtime_ns;      /* modification time of the file, or of the archive member
                              (ns since the epoch, UTC), 0 when unknown (stdin) */
    char codec[32];        /* decoding chain, outermost first: "gzip", "tar", "gzip+tar", "" */
    bool sha_known;        /* sha256 is final (hashed first, or stream fully read) */
    uint8_t sha256[32];    /* of the file on disk, or of the member's bytes */
    uint64_t bytes_read;   /* decoded bytes delivered so far */
    /* The file on disk itself (for an archive member: the archive), hashed
     * before the callback; false for stdin and pipes. */
    bool disk_sha_known;
    uint8_t disk_sha256[32];
    struct ty_input_impl *impl;
};

/* Read up to cap decoded bytes. TY_OK with *got > 0, TY_EOF at end (then
 * sha256 is final), TY_ECORRUPT for damaged compressed data (bytes before it
 * were delivered), TY_EIO. */
int ty_input_read(struct ty_input *in, void *buf, size_t cap, size_t *got, struct ty_err *err);

/* Look at the first bytes without consuming them: *p and *len give up to
 * `want` bytes (fewer at end of stream), valid until the next read or peek.
 * Returns 0, or an error as ty_input_read. */
int ty_input_peek(struct ty_input *in, size_t want, const char **p, size_t *len,
                  struct ty_err *err);

/* Lower-case hex SHA-256 (65 bytes with NUL); "" when not yet final. */
void ty_input_sha256_hex(const struct ty_input *in, char out[65]);

enum ty_walk_diag_kind { TY_WALK_WARN, TY_WALK_ERROR };

struct ty_walk_opts {
    unsigned max_archive_depth; /* nested archives; default 4 */
    /* Called for problems that do not stop the walk; may be NULL. */
    void (*diag)(void *arg, int kind, const char *path, const char *msg);
    void *arg;
};

/* Callback per logical stream. Return 0 to go on, TY_STOP to end the walk
 * early (the walk then returns TY_STOP), or a negative code to abort. The
 * input is valid only during the call. */
typedef int (*ty_input_cb)(void *arg, struct ty_input *in);

/* Walk one user-given path. Returns 0, TY_STOP, the callback's negative code,
 * or TY_EIO/TY_EINVAL when the path itself cannot be opened (err says why). */
int ty_evidence_walk(const char *path, const struct ty_walk_opts *opts, ty_input_cb cb,
                     void *cb_arg, struct ty_err *err);

/* A standalone input over a memory buffer (tests, fuzzers, decoded
 * envelopes); not decompressed. The buffer must outlive the input; the hash is
 * computed at creation. Free with ty_input_free(). TY_ENOMEM. */
int ty_input_mem_open(struct ty_input **out, const char *name, const void *buf, size_t len);
/* A standalone input over one file on disk, decompressed as the walk would
 * (archives are not unpacked: use the walk for those). */
int ty_input_file_open(struct ty_input **out, const char *path, struct ty_err *err);
void ty_input_free(struct ty_input *in);

#endif
