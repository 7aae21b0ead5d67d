/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse-harness.c - the parser test harness shared by the parser unit tests
 * (see parse-harness.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse-harness.h"
#include "test.h"


static int sink(void *arg, struct ty_event *ev)
{
    struct h *h = arg;
    h->n++;
    h->last = *ev;
    ty_event_to_json(ev, &h->out);
    ty_buf_addc(&h->out, '\n');
    return 0;
}

/* ' -> ", ^ -> \" ; the copy lives until the end of the test (qa). */
static struct ty_arena qa;
static bool qa_ready;

const char *q(struct h *h, const char *s)
{
    size_t n = strlen(s), o = 0;
    (void)h;
    if (!qa_ready) {
        ty_arena_init(&qa, 64 * 1024, 0);
        qa_ready = true;
    }
    char *d = ty_arena_alloc(&qa, 2 * n + 1);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\'') {
            d[o++] = '"';
        } else if (s[i] == '^') {
            d[o++] = '\\';
            d[o++] = '"';
        } else {
            d[o++] = s[i];
        }
    }
    d[o] = '\0';
    return d;
}

void q_release(void)
{
    if (qa_ready)
        ty_arena_release(&qa);
    qa_ready = false;
}

void h_open(struct h *h, const struct ty_parser *p, const char *head, size_t head_len)
{
    memset(h, 0, sizeof(*h));
    ty_arena_init(&h->arena, 64 * 1024, 0);
    ty_json_doc_init(&h->json, 0, 0);
    ty_buf_init(&h->out, 0);
    h->p = p;
    h->ctx.evidence = "test";
    h->ctx.head = ty_str_make(head, head_len);
    h->ctx.arena = &h->arena;
    h->ctx.json = &h->json;
    h->ctx.emit = sink;
    h->ctx.sink = h;
    h->ctx.parser = p;
    CHECK_INT(p->open(&h->ctx, &h->err), 0);
}

void h_close(struct h *h)
{
    h->p->close(&h->ctx);
    ty_buf_release(&h->out);
    ty_json_doc_release(&h->json);
    ty_arena_release(&h->arena);
}

/* Feed one record (raw bytes); returns record()'s code. */
int h_feed_raw(struct h *h, const char *p, size_t len)
{
    struct ty_record rec = {p, len, h->offset, 1};
    h->offset += len + 1;
    h->n = 0;
    ty_buf_reset(&h->out);
    ty_err_clear(&h->err);
    h->ctx.rec = &rec;
    h->ctx.n_emitted = 0;
    int rc = h->p->record(&h->ctx, &rec, &h->err);
    h->ctx.rec = NULL;
    if (rc == TY_ECORRUPT)
        CHECK_INT(h->n, 0); /* never emit and then fail */
    return rc;
}


/* Feed a sample written with the q() conventions. */
int h_feed(struct h *h, const char *sample)
{
    const char *s = q(h, sample);
    return h_feed_raw(h, s, strlen(s));
}

/* Run a whole stream through open(), the real framer and record(): counts
 * events, corrupt and skipped records; h->out keeps every event's JSON. */
struct run_counts h_run(struct h *h, const struct ty_parser *p, const char *stream)
{
    struct run_counts c = {0, 0, 0, 0};
    struct ty_input *in = NULL;
    struct ty_framer *fr = NULL;
    struct ty_record rec;
    struct ty_buf all;
    size_t len = strlen(stream);
    h_open(h, p, stream, len > 65536 ? 65536 : len);
    ty_buf_init(&all, 0);
    CHECK_INT(ty_input_mem_open(&in, "mem", stream, len), 0);
    CHECK_INT(ty_framer_new(&fr, in, &h->ctx.frame, &h->err), 0);
    for (;;) {
        struct ty_err ferr;
        int rc = ty_framer_next(fr, &rec, &ferr);
        if (rc == TY_EOF)
            break;
        c.rec++;
        if (rc != TY_OK) {
            c.bad++;
            continue;
        }
        h->offset = rec.offset;
        rc = h_feed_raw(h, rec.p, rec.len);
        c.ev += h->n;
        c.bad += rc == TY_ECORRUPT || (rc == TY_OK && !h->n);
        c.skip += rc == TY_SKIP;
        ty_buf_addstr(&all, ty_buf_str(&h->out));
    }
    ty_buf_reset(&h->out);
    ty_buf_addstr(&h->out, ty_buf_str(&all));
    ty_buf_release(&all);
    ty_framer_free(fr);
    ty_input_free(in);
    return c;
}

const char *ipstr(const struct ty_event *ev, enum ty_field f, char *buf)
{
    if (!ty_event_has(ev, f))
        return "(absent)";
    ty_ip_format(&ev->v[f].ip, buf);
    return buf;
}

