/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse-auditd-int.h - internals of the auditd parser shared by its files and
 * its unit tests: the record header, the field walker (auparse's view of a
 * record's fields, raw or decoded), hex and sockaddr decoding, syscall names.
 */
#ifndef TYTO_PARSE_AUDITD_INT_H
#define TYTO_PARSE_AUDITD_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <tyto/ip.h>
#include <tyto/parser.h>
#include <tyto/str.h>

/* "[node=N ][audit: ]type=T [msg=]audit(SEC.MS:SERIAL): body[0x1D enrich]" */
struct audit_hdr {
    struct ty_str node;   /* empty when absent */
    struct ty_str type;   /* "SYSCALL", "UNKNOWN[1323]" */
    struct ty_str stamp;  /* "1710252309.417:8812" */
    struct ty_str body;   /* after "): ", up to 0x1D or the end */
    struct ty_str enrich; /* after 0x1D, empty when raw */
    int64_t sec;
    uint32_t ms;
    uint64_t serial;
};

/* The record type's name: "SYSCALL" for the kernel's numeric "1300" (the
 * common types), else t itself. */
struct ty_str ty__audit_type(struct ty_str t);

/* Parse the header of one record line. Returns 0, or -1 with why set to a
 * reason naming the byte offset in the line. */
int ty__audit_header(struct ty_str line, struct audit_hdr *h, char *why, size_t why_len);

enum ty__audit_walk_flags {
    TY__AW_RAW = 1 << 0,    /* values as written: quotes kept, hex not decoded,
                               split a0[k] pieces not joined, no enriched part
                               (auparse's field walk; the conformance view) */
    TY__AW_ENRICH = 1 << 1, /* with TY__AW_RAW: also the enriched names */
};

/* Walk the fields of one record line: node, type, the body's name=value
 * pairs (inside msg='...' too; AVC's "avc: denied { read write }" as
 * seresult/seperms), then (decoded mode) the enriched UPPERCASE names and
 * SYSCALL derived from arch+syscall when the log has no enrichment.
 * Decoded values are valid only during the call of kv. Returns 0, what kv
 * returned to stop, or -1 when the line is not an audit record. */
int ty__audit_walk(struct ty_str line, unsigned flags, ty_kv_fn kv, void *arg);

/* Whether name is one of the fields auditd writes hex-encoded when the
 * value has special bytes (exe, comm, name, cwd, proctitle, cmd, a0...). */
bool ty__audit_encoded(struct ty_str type, struct ty_str name);
/* Upper-case hex of even length (auditd's encoding). */
bool ty__audit_is_hex(struct ty_str s);
/* Decode a field value: strip "quotes", or decode hex when encoded and
 * hex-shaped, else the value itself. out must hold v.len bytes; returns
 * the span (into out, or into v). */
struct ty_str ty__audit_value(struct ty_str type, struct ty_str name, struct ty_str v,
                              char *out);

/* Syscall name of (arch, number) for x86_64 and aarch64; NULL when unknown. */
const char *ty__audit_syscall_name(struct ty_str arch, struct ty_str num);

/* A decoded struct sockaddr (SOCKADDR saddr=hex). */
struct audit_sa {
    int family;        /* 2 inet, 10 inet6, 1 unix, other as found */
    struct ty_ip ip;   /* inet/inet6 */
    int port;
    char path[110];    /* unix: path, '@' first for the abstract namespace */
};
/* Returns 0, or -1 when the hex is not a sockaddr. */
int ty__audit_sockaddr(struct ty_str hex, struct audit_sa *out);

#endif
