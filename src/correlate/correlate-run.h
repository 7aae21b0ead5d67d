/* SPDX-License-Identifier: Apache-2.0 */
/*
 * correlate-run.h - the working state of one correlation run, shared by
 * correlate.c (merging), incident.c (answers) and context.c.
 */
#ifndef TYTO_CORRELATE_RUN_H
#define TYTO_CORRELATE_RUN_H

#include "correlate/correlate-int.h"

#define TY__MAX_TECH 12
#define TY__MAX_ALERT_ENTS 48
#define TY__MAX_LINKS 1000000

struct ty__ent {
    int type;
    const char *value;      /* in the entity map's arena */
    unsigned flags;         /* TY__ENT_* seen */
    uint64_t df;            /* events naming it */
    uint64_t seen_in;       /* the last event counted (one count per event) */
    uint32_t parent;        /* identity class (union-find) */
    int64_t first, last;    /* over the alerts naming it */
    int64_t ev_first, ev_last; /* over the events naming it */
    unsigned in_alerts : 1, glues : 1, common : 1, rare_member : 1;
};

struct ty__link {
    uint32_t a, b;
    const char *why;
    struct ty_evref ev;
};

struct ty__alert {
    int64_t id, event_id, ts, ts_end;
    const char *kind, *summary, *matched, *source, *detail, *user_agent;
    const char *parent;     /* the parent process (path or name), or NULL */
    const char *rule_uid, *rule_id, *title, *level, *prevention, *weakness;
    int lvl;
    int64_t uid;            /* the process's uid when the event names no user, else -1 */
    bool untimed;           /* the event's time is not the record's (a file's mtime) */
    unsigned tactics;
    char tech[TY__MAX_TECH][16];
    size_t n_tech;
    struct ty_evref ev;
    int64_t bytes_out;
    uint32_t ents[TY__MAX_ALERT_ENTS];
    unsigned ent_flags[TY__MAX_ALERT_ENTS];
    size_t n_ents;
    uint32_t comp;          /* union-find over alerts */
};

/* What an incident keeps while it is built: the run entities behind
 * inc->ents (same order) and its entry. */
struct ty__inc_priv {
    uint32_t *ents;
    size_t n_ents;
    int64_t entry_ts, entry_end, foothold_ts;
    uint32_t entry_workloads[8];
    size_t n_entry_workloads;
    const char *uas[8];     /* user agents of its alerts */
    size_t n_uas;
};

struct ty__run {
    struct ty_store *st;
    struct ty_correlate_opts opts;
    struct ty_investigation *inv;
    struct ty__alert *alerts;
    size_t n_alerts, cap_alerts;
    struct ty__ent *ents;
    size_t n_ents, cap_ents;
    struct ty__link *links;
    size_t n_links, cap_links;
    struct ty_strmap emap, lmap;
    uint64_t n_events, cur_event, common_limit;
    int64_t cur_ts, case_first, case_last;
    struct ty_evref cur_ref;
    const char *cur_path;   /* evidence path of the current event (borrowed) */
    struct ty_strmap accounts;  /* "TREE\x1fUID" -> index in account_names (passwd files) */
    const char **account_names;
    size_t n_accounts, cap_accounts;
    struct ty__inc_priv *privs; /* one per incident */
    size_t n_privs;
};

int64_t ty__ent_find(struct ty__run *r, int type, struct ty_str v);
uint32_t ty__ent_root(struct ty__run *r, uint32_t i);
uint32_t ty__alert_comp(struct ty__run *r, size_t i);
/* "key=value ..." of an event's citable fields, in the investigation arena. */
const char *ty__event_detail(struct ty__run *r, const struct ty_event *ev);
/* Build incident inc from the alerts of component root. */
int ty__incident_build(struct ty__run *r, uint32_t root, struct ty_incident *inc,
                       struct ty_err *err);
/* A NULL-terminated copy of n strings in the arena. */
const char **ty__str_list(struct ty_arena *a, const char *const *v, size_t n);
/* Sorted, distinct techniques of the steps (all steps when idx is NULL). */
const char **ty__techniques_of(struct ty_arena *a, const struct ty_incident *inc,
                               const size_t *idx, size_t n);
/* Answer the questions of an incident whose steps are final. */
int ty__incident_answers(struct ty__run *r, struct ty_incident *inc,
                         const struct ty__inc_priv *p, struct ty_err *err);
/* The run alert of an alert id, or NULL. */
const struct ty__alert *ty__alert_by_id(const struct ty__run *r, int64_t id);
/* Add context events to every incident and answer the questions. */
int ty__incident_context(struct ty__run *r, struct ty_err *err);

#endif
