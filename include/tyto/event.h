/* SPDX-License-Identifier: Apache-2.0 */
/*
 * event.h - the one normalized event every parser produces.
 *
 * A flat record of optional fields named in event-fields.def, a presence
 * bitmap, and the provenance of the raw record it came from (evidence file,
 * byte offset, line). String values are borrowed spans: into the raw record,
 * or into the parser's arena; they are valid until the driver resets the
 * arena after the event was handed to the store and the detector.
 * See docs/internals/EVENT-MODEL.md.
 */
#ifndef TYTO_EVENT_H
#define TYTO_EVENT_H

#include <stdbool.h>
#include <stdint.h>

#include <tyto/buf.h>
#include <tyto/ip.h>
#include <tyto/str.h>

struct ty_json_doc;

/* Bump when event-fields.def changes; the store refuses older case files. */
#define TY_EVENT_SCHEMA_VERSION 1

enum ty_field {
#define TY_FIELD(id, name, type, store, ecs) TY_F_##id,
#include <tyto/event-fields.def>
#undef TY_FIELD
    TY_F__COUNT
};

/* Sigma taxonomy categories (sigma-spec §2.2): rules whose logsource names
 * one of these see the event through the taxonomy view (Image,
 * CommandLine, DestinationIp, c-ip...), mapped onto the normalised fields.
 * A parser's taxonomy() hook says which one an event belongs to. */
enum ty_sigma_cat {
    TY_SCAT_NONE = 0,
    TY_SCAT_PROCESS_CREATION,
    TY_SCAT_PROCESS_TERMINATION,
    TY_SCAT_NETWORK_CONNECTION,
    TY_SCAT_FILE_EVENT,
    TY_SCAT_FILE_CHANGE,
    TY_SCAT_FILE_DELETE,
    TY_SCAT_FILE_ACCESS,
    TY_SCAT_DNS,
    TY_SCAT_WEBSERVER,
    TY_SCAT_PROXY,
    TY_SCAT_FIREWALL,
    TY_SCAT__COUNT
};

enum ty_ftype { TY_FT_TIME, TY_FT_INT, TY_FT_IP, TY_FT_STR };
enum ty_fstore { TY_FS_NUM, TY_FS_DICT, TY_FS_TEXT, TY_FS_IPB };

struct ty_field_info {
    const char *name;
    enum ty_ftype type;
    enum ty_fstore store;
    const char *ecs;
};

extern const struct ty_field_info ty_fields[TY_F__COUNT];

/* Field by name ("src_ip"); -1 when unknown. */
int ty_field_lookup(struct ty_str name);

union ty_value {
    int64_t i; /* TIME and INT */
    struct ty_ip ip;
    struct ty_str s;
};

#define TY_EVENT_PRESENT_WORDS ((TY_F__COUNT + 63) / 64)

struct ty_event {
    uint64_t present[TY_EVENT_PRESENT_WORDS];
    union ty_value v[TY_F__COUNT];
    /* provenance of the raw record */
    struct ty_str raw;   /* the record's bytes as read (borrowed) */
    uint64_t offset;     /* byte offset of the record in its evidence stream */
    uint64_t line;       /* 1-based line of the record's first byte */
    const char *format;  /* parser name, static */
    uint32_t sub;        /* index of this event within a multi-event record */
    /* The parser's JSON tape of exactly `raw`, when it has one (borrowed,
     * like raw): detection reads raw fields from it without tokenizing the
     * record again. NULL otherwise. */
    const struct ty_json_doc *raw_json;
};

/* Forget every field (cheap: clears the presence bitmap only). */
void ty_event_clear(struct ty_event *ev);

static inline bool ty_event_has(const struct ty_event *ev, enum ty_field f)
{
    return (ev->present[f >> 6] >> (f & 63)) & 1;
}

static inline void ty_event_mark(struct ty_event *ev, enum ty_field f)
{
    ev->present[f >> 6] |= UINT64_C(1) << (f & 63);
}

static inline void ty_event_unset(struct ty_event *ev, enum ty_field f)
{
    ev->present[f >> 6] &= ~(UINT64_C(1) << (f & 63));
}

/* Setters. An empty string or NULL span leaves the field absent. */
void ty_event_set_str(struct ty_event *ev, enum ty_field f, struct ty_str s);
void ty_event_set_int(struct ty_event *ev, enum ty_field f, int64_t i);
void ty_event_set_ip(struct ty_event *ev, enum ty_field f, const struct ty_ip *ip);
/* Validates s as an IP literal: sets ip_field when it is one, else puts the
 * text into addr_field (CloudTrail "AWS Internal", GCP "private"). */
void ty_event_set_addr(struct ty_event *ev, enum ty_field ip_field, enum ty_field addr_field,
                       struct ty_str s);

static inline struct ty_str ty_event_str(const struct ty_event *ev, enum ty_field f)
{
    return ty_event_has(ev, f) ? ev->v[f].s : TY_STR_NULL;
}

static inline int64_t ty_event_int(const struct ty_event *ev, enum ty_field f, int64_t dflt)
{
    return ty_event_has(ev, f) ? ev->v[f].i : dflt;
}

/* Append the event as one JSON object (no newline): the present fields by
 * name, times as RFC 3339 text, IPs as text, plus "format", "offset",
 * "line". The raw record is not included. */
int ty_event_to_json(const struct ty_event *ev, struct ty_buf *out);

/* Append one human line: who did what to what, from where, with what
 * result ("alice s3:GetObject arn:aws:s3:::b/k from 203.0.113.7 [1.2 MB out]"). */
int ty_event_summary(const struct ty_event *ev, struct ty_buf *out);

/* Append one field's value as display text (no quoting). */
int ty_event_field_text(const struct ty_event *ev, enum ty_field f, struct ty_buf *out);

#endif
