/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ingest.h - the ingest driver: evidence paths in, events and quarantined
 * records out (into a case store, or to a callback only).
 *
 * For each evidence stream: skip it if its SHA-256 is already in the case,
 * sniff its format (or take --format), let the parser choose the framing,
 * frame records, parse each, store events and quarantine bad records with
 * file, offset, line and reason, then record the stream's counts. A bad
 * record never stops the run; only ENOMEM and store failures do. For every
 * stream: records = records with events + quarantined.
 */
#ifndef TYTO_INGEST_H
#define TYTO_INGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <tyto/detect.h>
#include <tyto/err.h>
#include <tyto/event.h>
#include <tyto/store.h>

struct ty_ingest_opts {
    const char *format;   /* parser name to use for every stream, or NULL to sniff */
    size_t max_record;    /* 0 = framer default */
    unsigned max_diag_per_file; /* quarantine lines printed per stream; 0 = 10 */
    bool progress;        /* redraw a progress line on stderr */
    /* The case file being written, so that ingesting the folder that holds
     * it does not ingest the case (or its journal) as evidence. May be NULL. */
    const char *case_path;
    /* Each event after it was stored (store may be NULL: parse only). */
    int (*on_event)(void *arg, const struct ty_event *ev, const char *evidence);
    void *arg;
    /* One diagnostic line ("path:line: offset N: reason"); NULL = stderr. */
    void (*diag)(void *arg, const char *msg);
    /* Sigma rules to run on each event as it is parsed (store required):
     * alerts and correlation inputs go to the case with the events; call
     * ty_detect_finish() afterwards for the correlations. NULL: none. */
    const struct ty_sigma_set *rules;
};

struct ty_ingest_stats {
    uint64_t streams;      /* evidence streams seen */
    uint64_t bytes;        /* decoded bytes read */
    uint64_t records;
    uint64_t events;
    uint64_t quarantined;
    uint64_t duplicates;   /* streams skipped: already in the case */
    uint64_t unrecognized; /* streams of no known format */
    uint64_t failed;       /* streams that could not be read to the end */
    uint64_t bad_paths;    /* paths given that could not be opened at all */
    struct ty_detect_stats detect; /* when opts->rules was set */
};

/* Ingest every path (files, directories, "-", archives) into st (may be
 * NULL to parse only). stats is filled (may be NULL). Returns 0 when the run
 * completed (even with quarantined records or unrecognized files), or a
 * negative code when it had to stop (err says why). */
int ty_ingest(struct ty_store *st, const char *const *paths, size_t n_paths,
              const struct ty_ingest_opts *opts, struct ty_ingest_stats *stats,
              struct ty_err *err);

#endif
