/* SPDX-License-Identifier: Apache-2.0 */
/*
 * frame.h - cut an evidence stream into records, in bounded memory.
 *
 * Lines: records end at '\n' ("\r\n" trimmed); blank lines are not records.
 * JSON: records are JSON values found by a streaming scan that tracks only
 * strings and bracket depth (each record is validated later by the parser):
 *   - key == NULL: every top-level value is a record, except that a
 *     top-level array is unrolled into its elements (JSON arrays, NDJSON
 *     without newlines, concatenated documents);
 *   - key == "Records": in each top-level object, the elements of the array
 *     under that key are records; a top-level object without the key is one
 *     record itself (a digest file in a CloudTrail tree, say).
 * A record never needs more memory than spec.max_record bytes; a longer one is
 * returned as TY_ECORRUPT ("record longer than N bytes") with its first bytes,
 * then skipped. Offsets are of the record's first byte in the decoded
 * stream, lines 1-based.
 */
#ifndef TYTO_FRAME_H
#define TYTO_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include <tyto/err.h>
#include <tyto/input.h>

/* Packet captures (TY_FRAME_PCAP): a pcap stream (either byte order, micro-
 * or nanosecond, the 24-byte-header "modified" variant) gives its 24-byte
 * file header as one record (line 0), then one record per packet: the
 * record header and the captured bytes, line = the packet number from 1 (as
 * tshark numbers frames). A pcapng stream gives each block whole (type and
 * lengths included); packet blocks (EPB, SPB, obsolete PB) have line = the
 * packet number, other blocks line 0. Damage (a cut record, a length
 * libpcap would refuse, a block whose trailing length disagrees) comes back
 * once as TY_ECORRUPT "capture damaged at byte N after K packets: <reason>"
 * and the rest of the stream is skipped, as libpcap stops there. */
enum ty_frame_kind { TY_FRAME_LINES = 0, TY_FRAME_JSON = 1, TY_FRAME_WHOLE = 2,
                     TY_FRAME_PCAP = 3 };

struct ty_frame_spec {
    enum ty_frame_kind kind;
    const char *key;   /* TY_FRAME_JSON: array key in top-level objects, or NULL */
    size_t max_record; /* 0 = default, 64 MiB */
};

struct ty_record {
    const char *p; /* the record's bytes; valid until the next ty_framer_next() */
    size_t len;
    uint64_t offset;
    uint64_t line;
};

struct ty_framer;

int ty_framer_new(struct ty_framer **out, struct ty_input *in, const struct ty_frame_spec *spec,
                  struct ty_err *err);

/* TY_OK: *rec is the next record. TY_EOF: no more.
 * TY_ECORRUPT: *rec holds the damaged bytes (at most 64 KiB of them) and err
 *   the reason (record too long, truncated at end of stream, unbalanced
 *   brackets, or the input's own decompression error); call again to go on.
 * Other negative codes are fatal (TY_EIO, TY_ENOMEM). */
int ty_framer_next(struct ty_framer *f, struct ty_record *rec, struct ty_err *err);

void ty_framer_free(struct ty_framer *f);

#endif
