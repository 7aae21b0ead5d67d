/* SPDX-License-Identifier: Apache-2.0 */
/*
 * report-int.h - internals shared by the report writers: the case's evidence
 * totals, the investigation and the containment plans, gathered once.
 */
#ifndef TYTO_REPORT_INT_H
#define TYTO_REPORT_INT_H

#include <tyto/buf.h>
#include <tyto/correlate.h>
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
/* Timeline steps shown per incident in Markdown and HTML (JSON: all). */
#define TY__REPORT_MAX_STEPS 400

struct ty__report {
    struct ty_store *st;
    const struct ty_investigation *inv;
    int incident;               /* 0: all */
    struct ty_buf *b;
    struct ty_action **plans;   /* per incident of inv (NULL when not reported) */
    size_t *n_plans;
    struct ty_arena arena;
};

/* Whether incident i (0-based) of the investigation is in this report. */
static inline bool ty__report_has(const struct ty__report *r, size_t i)
{
    return r->incident == 0 || (size_t)r->incident == i + 1;
}

/* The incident an alert belongs to (1-based), 0 for none; *step its step. */
int ty__report_alert_incident(const struct ty__report *r, int64_t alert_id,
                              const struct ty_inc_step **step);

int ty__report_json(struct ty__report *r, struct ty_err *err);
int ty__report_md(struct ty__report *r, struct ty_err *err);
int ty__report_html(struct ty__report *r, struct ty_err *err);

#endif
