/* SPDX-License-Identifier: Apache-2.0 */
/*
 * report-int.h - internals shared by the report writers: the evidence of a
 * case gathered once, and one builder per format.
 */
#ifndef TYTO_REPORT_INT_H
#define TYTO_REPORT_INT_H

#include <tyto/buf.h>
#include <tyto/store.h>

/* What every format reports about the evidence. */
struct ty__report_totals {
    unsigned streams;
    uint64_t records, events, quarantined;
    int64_t ts_min, ts_max;
};

/* Called per evidence stream, in case order, after totals were updated. */
typedef void (*ty__report_row_fn)(struct ty_buf *b, const struct ty_evidence *ev, unsigned i);

/* Walk the case's evidence: fill totals and call row for each stream. */
int ty__report_evidence(struct ty_store *st, struct ty_buf *b, ty__report_row_fn row,
                        struct ty__report_totals *t, struct ty_err *err);

/* Alerts in the reports: at most this many are listed in Markdown and
 * HTML (JSON lists every one); the rest are counted. */
#define TY__REPORT_MAX_ALERTS 500

/* The sentence every format carries until detection and correlation exist. */
extern const char *const ty__report_pending_note;

int ty__report_json(struct ty_store *st, struct ty_buf *b, struct ty_err *err);
int ty__report_md(struct ty_store *st, struct ty_buf *b, struct ty_err *err);
int ty__report_html(struct ty_store *st, struct ty_buf *b, struct ty_err *err);

#endif
