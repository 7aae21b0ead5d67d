/* SPDX-License-Identifier: Apache-2.0 */
/*
 * read-int.h - internals shared by the files of src/read/ and their unit
 * tests: the SHA-256 wrapper and test hooks that make reads and framing chunks
 * tiny, so records split across every possible boundary get exercised.
 */
#ifndef TYTO_READ_INT_H
#define TYTO_READ_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <tyto/frame.h>
#include <tyto/input.h>

struct archive;

/* SHA-256 over OpenSSL EVP (sha256.c). */
struct ty__sha256 {
    void *ctx; /* EVP_MD_CTX */
};

/* TY_ENOMEM if OpenSSL cannot allocate. */
int ty__sha256_init(struct ty__sha256 *s);
void ty__sha256_update(struct ty__sha256 *s, const void *p, size_t len);
/* Write the digest and release the context (final or not, NULL-safe). */
void ty__sha256_final(struct ty__sha256 *s, uint8_t out[32]);
void ty__sha256_release(struct ty__sha256 *s);
/* One shot; TY_ENOMEM. */
int ty__sha256_buf(const void *p, size_t len, uint8_t out[32]);
/* Lower-case hex of a digest. */
void ty__sha256_hex(const uint8_t d[32], char out[65]);

/*
 * Byte streams (input.c). A stream is one layer: a file descriptor, memory,
 * an archive member, or a decoder (gzip, zstd, or libarchive's raw format for
 * bzip2/xz) reading the layer below. Every stream can read ahead into its
 * head buffer (sniffing, peeking); reads return the head first. An error met
 * while reading ahead is kept and returned once the head is drained; after
 * an error or the end, reads return TY_EOF.
 */
enum ty__stream_kind {
    TY__ST_FD,    /* a file descriptor (regular file, stdin, pipe) */
    TY__ST_MEM,   /* a caller's buffer */
    TY__ST_ENTRY, /* the current member of a libarchive container */
    TY__ST_GZIP,  /* zlib, multi-member (only with TY_HAVE_ZLIB) */
    TY__ST_ZSTD,  /* libzstd, multi-frame */
    TY__ST_LARC,  /* libarchive read filters + raw format (bzip2, xz; gzip without zlib) */
};

/* What the first bytes of a stream are (magic bytes only, never names). */
enum ty__sniff {
    TY__SNIFF_PLAIN,
    TY__SNIFF_GZIP,
    TY__SNIFF_ZSTD,
    TY__SNIFF_BZIP2,
    TY__SNIFF_XZ,
    TY__SNIFF_TAR,
    TY__SNIFF_ZIP,
};

/* Bytes to read ahead before sniffing (a tar header block). */
#define TY__SNIFF_LEN 512
/* Compression layers stacked on one stream (gz.gz.gz...). */
#define TY__MAX_LAYERS 8

struct ty__stream;

enum ty__sniff ty__sniff(const uint8_t *p, size_t len);
bool ty__sniff_is_compressed(enum ty__sniff s);

/* fd is borrowed. hash: SHA-256 the bytes as they are read. regular: a
 * regular file (seekable: archives may seek and skip in it). */
int ty__stream_fd(struct ty__stream **out, int fd, bool hash, bool regular);
int ty__stream_mem(struct ty__stream **out, const void *p, size_t len);
/* The current member of archive a (hashed while read). */
int ty__stream_entry(struct ty__stream **out, struct archive *a);
/* A decoder for compressed data of kind s over below (borrowed). The
 * decoder's codec name is in ty__stream_codec(). TY_ENOMEM only: a bad
 * stream shows as TY_ECORRUPT at the first read. */
int ty__stream_decoder(struct ty__stream **out, enum ty__sniff s, struct ty__stream *below);
void ty__stream_free(struct ty__stream *st);
const char *ty__stream_codec(const struct ty__stream *st);

/* TY_OK (*got > 0), TY_EOF, TY_ECORRUPT, TY_EIO, TY_ENOMEM. */
int ty__stream_read(struct ty__stream *st, void *buf, size_t cap, size_t *got,
                    struct ty_err *err);
/* Read ahead until want bytes are in the head or the stream ends; errors
 * are kept for later reads. *p and *len: the head. TY_ENOMEM only. */
int ty__stream_fill(struct ty__stream *st, size_t want, const uint8_t **p, size_t *len,
                    struct ty_err *err);
/* Open libarchive reader a over st (read, skip and, for regular files not
 * hashed, seek callbacks). Returns archive_read_open's code. */
int ty__stream_archive_open(struct archive *a, struct ty__stream *st);

/* Where a delivered stream comes from (walk.c fills it for ty__input_init). */
struct ty__origin {
    const char *disk_path;
    uint64_t disk_size;
    int64_t mtime_ns; /* the file's (or archive member's) modification time, 0 unknown */
    bool disk_sha_known;
    uint8_t disk_sha256[32];
    /* the stream hashed while read (stdin, members), or NULL when the
     * digest is disk_sha256 */
    struct ty__stream *hashed;
};

struct ty_input_impl {
    struct ty__stream *top;
    struct ty__stream *hashed;
    bool done;
    void *owner; /* standalone inputs: the allocation ty_input_free releases */
};

/* Fill in and impl for a stream about to be handed to a callback. */
void ty__input_init(struct ty_input *in, struct ty_input_impl *impl, const char *name,
                    const char *codec, struct ty__stream *top, const struct ty__origin *o);

/* Append "+part" (or part when chain is empty) to a codec chain of 32
 * bytes; a chain too long ends with "...". */
void ty__codec_append(char chain[32], const char *part);

/* Test hook: a memory input returns between 1 and max_read bytes per read
 * (a fixed pseudo-random sequence). 0 restores whole reads. */
void ty__input_mem_set_max_read(struct ty_input *in, size_t max_read);

/* Test hook: a memory input delivers its first `at` bytes, then fails with
 * TY_ECORRUPT as a damaged compressed stream would. */
void ty__input_mem_set_fail_at(struct ty_input *in, size_t at);

/* Test hook: the framer asks its input for at most chunk bytes per read
 * (default 256 KiB). Call right after ty_framer_new(). */
void ty__framer_set_chunk(struct ty_framer *f, size_t chunk);

#endif
