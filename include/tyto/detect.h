/* SPDX-License-Identifier: Apache-2.0 */
/*
 * detect.h - run a compiled Sigma rule set over a case and record alerts.
 *
 * Detection reads the stored events (the ones added since min_event_id) in
 * load order with their raw records, matches each against the rules that
 * can apply to it, writes an alert per match of an alerting rule and stages
 * the inputs of correlation rules; then each correlation runs over its
 * inputs in time order (sliding windows, bounded state) and writes its own
 * alerts. Ingest calls it after loading, `tyto detect` over a whole case.
 * See docs/internals/DETECTION.md.
 */
#ifndef TYTO_DETECT_H
#define TYTO_DETECT_H

#include <stddef.h>
#include <stdint.h>

#include <tyto/err.h>
#include <tyto/sigma.h>
#include <tyto/store.h>

struct ty_detect_opts {
    const struct ty_sigma_set *set;
    int64_t min_event_id;   /* only events with a larger id (0: all) */
    size_t max_groups;      /* live correlation groups per rule (0: 1,000,000) */
    void (*diag)(void *arg, const char *msg); /* warnings (group cap reached) */
    void *diag_arg;
};

struct ty_detect_stats {
    uint64_t events;        /* events tested */
    uint64_t matches;       /* rule matches (alerting or feeding correlations) */
    uint64_t alerts;        /* alerts written by detection rules */
    uint64_t corr_alerts;   /* alerts written by correlation rules */
    uint64_t evicted;       /* correlation groups dropped at the cap */
};

/* Detect over the stored events with id > o->min_event_id, then finish
 * (rules recorded, correlations run). `tyto detect` uses it. */
int ty_detect_case(struct ty_store *st, const struct ty_detect_opts *o,
                   struct ty_detect_stats *stats, struct ty_err *err);

/* ---- streaming detection (ingest runs it on the parse thread) ---- */

/* Where results go. alert(): a->rule_uid, kind, ts, offset, line, matched,
 * summary are filled; the sink knows the event id and evidence id.
 * corr(): one input of correlation corr_uid, citing the same event. */
struct ty_detect_sink {
    int (*alert)(void *arg, struct ty_alert *a);
    int (*corr)(void *arg, const char *corr_uid, int64_t ts, uint32_t rule, struct ty_str group,
                struct ty_str value);
    void *arg;
};

struct ty_detector;
int ty_detector_new(struct ty_detector **out, const struct ty_sigma_set *set, struct ty_err *err);
void ty_detector_free(struct ty_detector *d);
/* Match one event (its raw record and, when the parser kept it, its JSON
 * tape) and hand the results to the sink. */
int ty_detector_event(struct ty_detector *d, const struct ty_event *ev,
                      const struct ty_detect_sink *sink, struct ty_detect_stats *stats);

/* After streaming detection into st: record the rules and run the
 * correlation rules over their staged inputs in time order. */
int ty_detect_finish(struct ty_store *st, const struct ty_detect_opts *o,
                     struct ty_detect_stats *stats, struct ty_err *err);

#endif
