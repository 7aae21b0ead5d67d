/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse-harness.h - drive a parser directly in unit tests: a parse context
 * with an arena, a JSON tape and a sink that renders each event as JSON,
 * feeding single records or whole streams through the real framer. Samples
 * may use ' for " and ^ for \" (q()), so expected JSON stays readable.
 */
#ifndef TYTO_TEST_PARSE_HARNESS_H
#define TYTO_TEST_PARSE_HARNESS_H

#include <tyto/frame.h>
#include <tyto/input.h>
#include <tyto/parser.h>

struct h {
    struct ty_arena arena;
    struct ty_json_doc json;
    struct ty_parse_ctx ctx;
    const struct ty_parser *p;
    struct ty_buf out;    /* JSON of the events of the last feed, one per line */
    unsigned n;           /* events emitted by the last feed */
    struct ty_event last; /* the last event emitted */
    struct ty_err err;
    uint64_t offset;
};

struct run_counts {
    unsigned ev, bad, skip, rec;
};


/* Samples in the q() conventions, copied to memory that lives to the end of the run. */
const char *q(struct h *h, const char *s);
/* Free the memory of every q() copy. */
void q_release(void);
void h_open(struct h *h, const struct ty_parser *p, const char *head, size_t head_len);
void h_close(struct h *h);
/* Feed one record; returns record()'s code (and checks nothing was emitted on TY_ECORRUPT). */
int h_feed_raw(struct h *h, const char *p, size_t len);
int h_feed(struct h *h, const char *sample);
/* A whole stream through open(), the real framer and record(). */
struct run_counts h_run(struct h *h, const struct ty_parser *p, const char *stream);
/* An IP field as text, or "(absent)". */
const char *ipstr(const struct ty_event *ev, enum ty_field f, char *buf);

#endif
