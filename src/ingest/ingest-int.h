/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ingest-int.h - internals of the ingest driver shared by its files: the
 * store writer that runs on its own thread.
 */
#ifndef TYTO_INGEST_INT_H
#define TYTO_INGEST_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <tyto/err.h>
#include <tyto/event.h>
#include <tyto/store.h>

struct ty__writer;

/* What the writer learned that the parse side must account for: streams it
 * rolled back because their hash, final only at end of stream, was already
 * in the case. */
struct ty__writer_dups {
    uint64_t streams, records, events, quarantined;
    uint64_t alerts; /* alerts of those streams, rolled back with them */
};

/* Start the writer thread on an open store; the store belongs to it until
 * ty__writer_finish(). diag (may be NULL) receives its one-line messages. */
int ty__writer_start(struct ty__writer **out, struct ty_store *st,
                     void (*diag)(void *arg, const char *msg), void *diag_arg,
                     struct ty_err *err);

/* Operations, applied by the writer in the order given. Each deep-copies what
 * it is given, so the caller's memory may be reused on return. They fail
 * (with the writer's error) once the writer has failed. */
int ty__writer_begin(struct ty__writer *w, const struct ty_evidence *ev, struct ty_err *err);
int ty__writer_event(struct ty__writer *w, const struct ty_event *ev, struct ty_err *err);
int ty__writer_quarantine(struct ty__writer *w, uint64_t offset, uint64_t line,
                          const char *reason, struct ty_str raw, struct ty_err *err);
/* Detection results, citing the event queued last (the writer knows its id). */
int ty__writer_alert(struct ty__writer *w, const struct ty_alert *a, struct ty_err *err);
int ty__writer_corr(struct ty__writer *w, const char *corr, int64_t ts, uint32_t rule,
                    struct ty_str group, struct ty_str value, struct ty_err *err);
/* End the stream begun last: update its evidence row with the final counts;
 * with check_dup, roll the stream back if its SHA-256 is already in the case. */
int ty__writer_end(struct ty__writer *w, const struct ty_evidence *ev, bool check_dup,
                   struct ty_err *err);

/* Drain, stop the thread, and report duplicates found at end of stream.
 * Returns the writer's first error, if any. The store is the caller's again. */
int ty__writer_finish(struct ty__writer *w, struct ty__writer_dups *dups, struct ty_err *err);

/* NULL-safe; stops the thread if still running (discarding queued work). */
void ty__writer_free(struct ty__writer *w);

#endif
