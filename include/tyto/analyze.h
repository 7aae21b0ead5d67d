/* SPDX-License-Identifier: Apache-2.0 */
/*
 * analyze.h - analyses over a whole stored case that raise alerts no single
 * event can: network ones for now (connections to addresses no DNS answer
 * named, beaconing, long-lived sessions, large outbound transfers). They
 * read conn, dns and flow events with ty_store_events in bounded memory and
 * write alerts of rule kind "analysis" (docs/internals/NETWORK.md).
 */
#ifndef TYTO_ANALYZE_H
#define TYTO_ANALYZE_H

#include <stddef.h>
#include <stdint.h>

#include <tyto/err.h>
#include <tyto/store.h>

struct ty_analyze_stats;

/* Thresholds; a zero member takes the default in brackets; a negative
 * time or count turns that analysis off. opts NULL: all defaults. */
struct ty_analyze_opts {
    /* long-lived sessions with a public peer: duration at least [1 h] */
    int64_t long_conn_ns;
    /* beaconing: at least [8] connections from one host to one public
     * address and port, [10 s] or more apart on average, whose intervals
     * deviate from their mean by at most [0.2] of it (standard deviation
     * over mean: uniform jitter up to about +-35 % passes) */
    int beacon_min_count;
    int64_t beacon_min_interval_ns;
    double beacon_max_jitter;
    /* large outbound transfers: bytes sent by an internal host to one
     * public address and port over the case [100 MiB]; over a connection to
     * an address no DNS answer named with no recognised protocol (a likely
     * command channel), [64 KiB] */
    int64_t large_out_bytes;
    int64_t c2_out_bytes;
    /* memory bound: DNS answers remembered and host/peer groups tracked
     * [500,000 each]; beyond it an analysis says so in its summary */
    int64_t max_tracked;
    /* alerts per analysis [100]; beyond it they are counted on the last one */
    int64_t max_alerts;
    /* where to count what was read and raised, or NULL */
    struct ty_analyze_stats *stats;
};

/* Counters of one run. */
struct ty_analyze_stats {
    uint64_t conns, dns, flows;     /* events read */
    uint64_t dns_answers;           /* distinct addresses answered */
    uint64_t groups;                /* host/peer groups tracked */
    uint64_t dropped;               /* groups or answers not tracked (limit) */
    uint64_t alerts;                /* raised (not counting those over max_alerts) */
};

/* Run every analysis over the case; alerts go to the store (rules of kind
 * "analysis", one uid per analysis) inside a savepoint of their own (one
 * transaction when the caller has none). Returns 0 or a store error. Run it
 * once per case after detection (a second run adds the alerts again, as
 * detection does: clear the alerts first). */
int ty_analyze_case(struct ty_store *st, const struct ty_analyze_opts *opts, struct ty_err *err);

#endif
