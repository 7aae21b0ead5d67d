/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sigma-set-int.h - rules as the set holds them: detection identifiers,
 * conditions, filters, correlation links, log source routing and the
 * exact-value index (sigma-rule.c, sigma-set.c, sigma-index.c,
 * sigma-match.c, sigma-view.c share it).
 */
#ifndef TYTO_SIGMA_SET_INT_H
#define TYTO_SIGMA_SET_INT_H

#include <tyto/arena.h>
#include <tyto/buf.h>
#include <tyto/json.h>
#include <tyto/parser.h>
#include <tyto/sigma.h>

#include "sigma/sigma-int.h"

/* One alternative of a search identifier: its items AND-ed. */
struct sigma_alt {
    struct ty_sitem *item;
    uint32_t n;
};

/* A search identifier: its alternatives OR-ed (a list of maps). */
struct sigma_det {
    struct ty_str name;
    struct sigma_alt *alt;
    uint32_t n;
};

/* Identifiers plus condition(s): a rule's detection, or a filter's. */
struct sigma_logic {
    struct sigma_det *det;
    uint32_t n_det;
    struct ty_str *idents;      /* det[i].name, for the condition parser */
    struct ty_cond **cond;      /* a condition list is an OR */
    uint32_t n_cond;
};

enum sigma_view { VIEW_RAW = 0, VIEW_TAXONOMY };

struct sigma_rule {
    struct ty_sigma_rule_info info;
    int64_t doc_index;          /* position in load order */
    bool dropped;               /* a compile error removed it */
    /* detection and filter */
    struct sigma_logic logic;
    enum sigma_view view;
    int taxonomy;               /* enum ty_sigma_cat for VIEW_TAXONOMY */
    const struct sigma_rule **filters; /* filters AND-ed to this rule */
    uint32_t n_filters;
    /* filter documents: the rules named (empty or "any": all in its log source) */
    struct ty_str *filter_refs;
    uint32_t n_filter_refs;
    bool filter_any;
    /* correlation */
    struct ty_corr_spec spec;
    struct ty_str *refs;        /* referenced rule ids/names, as written */
    uint32_t *ref_idx;          /* resolved rule indexes */
    struct ty_str *group_by;    /* group-by names (fields or aliases) */
    /* aliases: alias name -> (rule name -> field), flattened */
    struct sigma_alias { struct ty_str alias, rule, field; } *aliases;
    uint32_t n_aliases;
    struct ty_str value_field;  /* condition.field; a list is joined with "," */
    struct ty_str *value_fields;
    uint32_t n_value_fields;
    bool generate;
    /* rules that consume this one's matches */
    uint32_t *consumers;
    uint32_t n_consumers;
};

struct sigma_diag_list {
    struct ty_sigma_diag *d;
    size_t n, cap;
};

struct ty_sigma_set {
    struct ty_arena arena;      /* rules, items, strings: live as long as the set */
    struct sigma_rule *rules;
    size_t n, cap;
    size_t n_docs;
    struct sigma_diag_list diags;
    struct ty_placeholders ph;
    bool compiled;
    uint32_t *corr_order;
    size_t n_corr;
    struct sigma_route *routes; /* per (parser, taxonomy) routing, built lazily at compile */
    size_t n_routes;
    struct sigma_route *all;    /* every detection rule, no index (generic JSON) */
};

/* Load a placeholder file (YAML map name -> list of values) for |expand
 * (sigma-placeholder.c). */
int ty_placeholders_load(const char *path, struct ty_placeholders *out, struct ty_arena *a,
                         struct ty_err *err);

/* Add a diagnostic (the text is copied). */
void ty__sigma_diag(struct ty_sigma_set *s, const char *file, uint32_t line, uint32_t col,
                    bool warning, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Build rules from one parsed YAML document (sigma-rule.c). `global` is the
 * current action: global template or NULL. */
int ty__sigma_rule_from_doc(struct ty_sigma_set *s, const char *file,
                            const struct ty_ynode *doc, struct ty_err *err);

/* Deep-merge two maps (pySigma collection semantics: `over` wins on scalar
 * conflicts, maps merge recursively). */
struct ty_ynode *ty__ynode_merge(struct ty_arena *a, const struct ty_ynode *base,
                                 const struct ty_ynode *over);

/* ---- routing and the index (sigma-index.c) ---- */

struct sigma_bucket; /* exact value -> rules */

struct sigma_route {
    const struct ty_parser *parser; /* NULL: generic JSON */
    int taxonomy;
    uint32_t *plain;                /* rules without an index key: always tested */
    uint32_t n_plain;
    struct sigma_index_field {
        struct ty_str field;        /* raw or taxonomy name */
        enum sigma_view view;
        struct sigma_bucket *b;
    } *ix;
    uint32_t n_ix;
};

int ty__sigma_route_build(struct ty_sigma_set *s, struct sigma_route *r,
                          const struct ty_parser *p, int taxonomy, bool any_logsource,
                          struct ty_err *err);
void ty__sigma_route_release(struct sigma_route *r);
/* Rules filed under exact value v of index field i (folded), NULL when none. */
const uint32_t *ty__sigma_bucket_get(const struct sigma_bucket *b, struct ty_str v, uint32_t *n);

/* ---- views (sigma-view.c) ---- */

/* One event seen by the rules: lazily parsed raw JSON, lazily collected
 * parser key/values, the taxonomy mapping. */
struct sigma_src {
    struct ty_fsrc fs;              /* the view presented to items (must be first) */
    const struct ty_event *ev;
    const struct ty_parser *parser;
    enum sigma_view view;
    enum ty_sigma_map map;
    struct ty_arena *arena;         /* per-event scratch */
    /* raw JSON */
    const struct ty_json_doc *json; /* the tape read: the parser's, or scratch_json */
    struct ty_json_doc *scratch_json;
    int json_state;                 /* 0 not tried, 1 parsed, -1 not JSON */
    bool exact_keys;                /* the parser's TY_PARSER_F_EXACT_KEYS */
    /* field name -> resolved node, for paths that cross no array */
#define SIGMA_MEMO 64
    struct sigma_memo {
        uint64_t hash;
        struct ty_str name;
        uint32_t node;
        uint32_t gen;
    } memo[SIGMA_MEMO];
    uint32_t memo_gen;
    /* the root object's keys (key tokens; 0 = empty slot), built per event */
#define SIGMA_ROOT_KEYS 128
    uint32_t root_keys[SIGMA_ROOT_KEYS];
    int root_state; /* 0 not built, 1 built, -1 not usable */
    uint32_t root;
    /* raw key/values */
    int kv_state;
    struct sigma_kv { struct ty_str name, value; } *kv;
    size_t n_kv, cap_kv;
};

void ty__sigma_src_init(struct sigma_src *src, const struct ty_event *ev,
                        const struct ty_parser *p, struct ty_arena *a, struct ty_json_doc *json);
void ty__sigma_src_view(struct sigma_src *src, enum sigma_view view);
void ty__sigma_src_release(struct sigma_src *src);

/* The first value of a field as text (for index keys, group-by values):
 * 1 found, 0 absent. Objects come back as their JSON text. */
int ty__sigma_src_text(struct sigma_src *src, struct ty_str name, struct ty_str *out);

/* The taxonomy category a log source category names, or TY_SCAT_NONE. */
int ty__sigma_taxonomy_by_name(struct ty_str category);

#endif
