/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sigma.h - Sigma rule sets: load, compile, match events.
 *
 * A set holds detection, correlation and filter rules loaded from files,
 * directories or text (tyto's own pack is embedded in the binary). Loading
 * never stops at a bad rule: each problem becomes a diagnostic
 * "file:line:col: what is wrong" and the rule is left out. Compiling
 * resolves references (correlations, filters), routes rules by log source
 * and builds the exact-value index. Matching tests one event against the
 * rules that can apply to it and reports each match with the fields that
 * made it. See docs/internals/SIGMA.md.
 */
#ifndef TYTO_SIGMA_H
#define TYTO_SIGMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <tyto/err.h>
#include <tyto/event.h>
#include <tyto/str.h>

struct ty_sigma_set;

enum ty_sigma_kind { TY_SIGMA_DETECTION = 1, TY_SIGMA_CORRELATION, TY_SIGMA_FILTER };

struct ty_sigma_rule_info {
    enum ty_sigma_kind kind;
    const char *uid;         /* id, else name, else "file#N": unique in the set */
    const char *id, *name;   /* "" when absent */
    const char *title, *level, *status, *description;
    const char *product, *service, *category; /* "" when absent */
    const char *tags;        /* space-separated ("attack.t1562.008 attack.defense-evasion") */
    const char *prevention;  /* tyto: prevention, "" when absent */
    const char *weakness;    /* tyto: weakness, "" when absent */
    const char *file;        /* where it was loaded from ("builtin:aws/x.yml") */
    uint32_t line;
    bool alerts;             /* false: only feeds correlations (generate: false) */
    bool dropped;            /* loaded, then left out by a compile error */
    const char *corr_type;   /* correlation type, "" else */
};

/* Diagnostics while loading and compiling. */
struct ty_sigma_diag {
    const char *file;
    uint32_t line, col;
    const char *msg;
    bool warning;
};

int ty_sigma_set_new(struct ty_sigma_set **out, struct ty_err *err);
void ty_sigma_set_free(struct ty_sigma_set *s);

/* Placeholders for |expand (YAML map name -> list of values). */
int ty_sigma_set_placeholders(struct ty_sigma_set *s, const char *path, struct ty_err *err);

/* Load a .yml/.yaml file, or every such file under a directory (sorted,
 * recursive). Bad rules become diagnostics; only I/O and memory failures
 * return an error. */
int ty_sigma_set_load_path(struct ty_sigma_set *s, const char *path, struct ty_err *err);
int ty_sigma_set_load_text(struct ty_sigma_set *s, const char *name, const char *text,
                           size_t len, struct ty_err *err);
/* tyto's own rule pack, embedded at build time. */
int ty_sigma_set_load_builtin(struct ty_sigma_set *s, struct ty_err *err);

/* Resolve references, apply filters, route and index. Problems become
 * diagnostics; the rules involved are dropped. Call once, before matching. */
int ty_sigma_set_compile(struct ty_sigma_set *s, struct ty_err *err);

size_t ty_sigma_set_ndiag(const struct ty_sigma_set *s);
const struct ty_sigma_diag *ty_sigma_set_diag(const struct ty_sigma_set *s, size_t i);
/* Documents read, and rules that loaded (detection + correlation + filter). */
size_t ty_sigma_set_ndocs(const struct ty_sigma_set *s);
size_t ty_sigma_set_nrules(const struct ty_sigma_set *s);
const struct ty_sigma_rule_info *ty_sigma_set_rule(const struct ty_sigma_set *s, size_t i);

/* ---- matching ---- */

/* One field that made a match: the rule's field name and the event value. */
struct ty_sigma_hit {
    struct ty_str field;     /* "" for a keyword */
    struct ty_str value;
};

/* What a correlation needs from a match of one of its rules. */
struct ty_sigma_corr_key {
    uint32_t corr;           /* rule index of the correlation */
    const struct ty_str *group; /* its group-by values, in order (absent: TY_STR_NULL) */
    uint32_t n_group;
    struct ty_str value;     /* value_* types: the field's value */
};

struct ty_sigma_match {
    uint32_t rule;           /* index for ty_sigma_set_rule() */
    const struct ty_sigma_hit *hits;
    size_t n_hits;
    const struct ty_sigma_corr_key *keys;
    size_t n_keys;
};

/* Everything borrowed in a match is valid only during the callback. */
typedef int (*ty_sigma_match_fn)(void *arg, const struct ty_event *ev,
                                 const struct ty_sigma_match *m);

/* Per-thread matching state (scratch memory, the parsed raw record). */
struct ty_sigma_scratch;
int ty_sigma_scratch_new(struct ty_sigma_scratch **out, struct ty_err *err);
void ty_sigma_scratch_free(struct ty_sigma_scratch *sc);

/* Test one normalised event (its raw record in ev->raw, its parser by
 * ev->format). Calls fn per matching detection rule; returns 0, fn's
 * non-zero result, or an error. */
int ty_sigma_match_event(const struct ty_sigma_set *s, struct ty_sigma_scratch *sc,
                         const struct ty_event *ev, ty_sigma_match_fn fn, void *arg);

/* Field maps for generic JSON (rules test): none, or Windows events
 * converted from EVTX (X -> Event.EventData.X, then Event.System.X). */
enum ty_sigma_map { TY_SIGMA_MAP_NONE = 0, TY_SIGMA_MAP_EVTX };

/* Test one generic JSON object against every detection rule, ignoring log
 * sources. ev (may be NULL) is passed through to fn. */
int ty_sigma_match_json(const struct ty_sigma_set *s, struct ty_sigma_scratch *sc,
                        struct ty_str json, enum ty_sigma_map map, ty_sigma_match_fn fn,
                        void *arg, struct ty_err *err);

/* Correlation rules, in an order where every correlation comes after the
 * correlations it references. */
size_t ty_sigma_set_ncorr(const struct ty_sigma_set *s);
uint32_t ty_sigma_set_corr(const struct ty_sigma_set *s, size_t i);

#endif
