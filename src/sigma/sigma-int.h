/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sigma-int.h - the compiled forms inside the Sigma engine.
 *
 * A rule compiles once into detection items (sigma-value.c), a condition
 * tree over its search identifiers (sigma-cond.c) and, for correlation
 * rules, a window specification (sigma-correlate.c). Items read event
 * values through a field source (struct ty_fsrc): the views in
 * sigma-view*.c implement it over raw JSON, parser key/values and the
 * taxonomy mapping; tests implement it over a fixed list.
 * See docs/internals/SIGMA.md.
 */
#ifndef TYTO_SIGMA_INT_H
#define TYTO_SIGMA_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <tyto/arena.h>
#include <tyto/buf.h>
#include <tyto/err.h>
#include <tyto/str.h>
#include <tyto/yaml.h>

/* ------------------------------------------------------------------ */
/* Event side: a field value as a rule sees it                         */

enum ty_fv_kind {
    TY_FV_STR = 1, /* s: the text */
    TY_FV_NUM,     /* s: the literal text ("5", "1.50"), num: its value */
    TY_FV_BOOL,    /* s: "true"/"false", b */
    TY_FV_NULL,    /* JSON null: present but null */
    TY_FV_OBJ,     /* an object or array met where a scalar was expected:
                      s is its JSON text (string modifiers search it) */
};

struct ty_fval {
    enum ty_fv_kind kind;
    struct ty_str s;
    double num;
    bool b;
};

/* Called for each value of a field; return true to stop the walk (the
 * caller found what it wanted). */
typedef bool (*ty_fval_fn)(void *arg, const struct ty_fval *v);

/* A field source: one event seen through one view. */
struct ty_fsrc {
    /* Visit every value of field `name` (a path crossing arrays visits each
     * element). Returns -1 when the field is absent, 1 when fn stopped the
     * walk, 0 when every value was visited. A present JSON null is one
     * TY_FV_NULL value. */
    int (*each)(struct ty_fsrc *src, struct ty_str name, ty_fval_fn fn, void *arg);
    /* Visit the texts a keyword search looks at (the raw line of a text
     * record; every string and number value of a JSON record). Same
     * return values, -1 meaning nothing to search. */
    int (*keywords)(struct ty_fsrc *src, ty_fval_fn fn, void *arg);
};

/* ------------------------------------------------------------------ */
/* Rule side: values and detection items (sigma-value.c)               */

enum ty_sv_kind {
    TY_SV_GLOB = 1, /* wildcard string: toks; plain equality when no wildcard */
    TY_SV_RE,       /* PCRE2 (JIT when available), unanchored search */
    TY_SV_NUM,      /* a YAML number: equal as text or as a number */
    TY_SV_BOOL,     /* a YAML boolean: JSON true/false or "true"/"false" */
    TY_SV_NULL,     /* null or []: field absent or JSON null */
    TY_SV_EXISTS,   /* |exists: presence equals flag */
    TY_SV_CIDR,     /* |cidr: v4 or v6 network */
    TY_SV_CMP,      /* |gt |gte |lt |lte: numeric comparison */
    TY_SV_FIELDREF, /* |fieldref: compare with another field's values */
    TY_SV_TIMEPART, /* |minute..|year, optionally followed by a comparison */
};

enum ty_glob_tok { TY_GT_LIT = 1, TY_GT_STAR, TY_GT_ONE };

struct ty_glob_part {
    enum ty_glob_tok tok;
    struct ty_str lit; /* TY_GT_LIT: literal bytes (case-folded unless cased) */
};

enum ty_cmp_op { TY_OP_EQ = 1, TY_OP_GT, TY_OP_GTE, TY_OP_LT, TY_OP_LTE };

struct ty_sv {
    enum ty_sv_kind kind;
    bool cased;                 /* |cased: case-sensitive glob */
    /* GLOB */
    struct ty_glob_part *parts;
    uint32_t n_parts;
    struct ty_str plain;        /* the whole value when it has no wildcard (folded) */
    /* RE */
    void *re;                   /* pcre2_code_8 * */
    void *re_md;                /* unused (NULL): match data is per thread */
    struct ty_str re_lit;       /* a literal every match of re contains (folded when
                                   re_fold), tested before running the regex; empty: none */
    bool re_fold;
    /* NUM, CMP, TIMEPART */
    double num;
    struct ty_str num_text;     /* the number as written, for text equality */
    enum ty_cmp_op op;
    int timepart;               /* 0 minute .. 5 year (TIMEPART) */
    /* BOOL, EXISTS */
    bool flag;
    /* CIDR */
    uint8_t net[16];            /* v4 mapped into ::ffff:0:0/96 */
    unsigned prefix;            /* on the 128-bit form */
    /* FIELDREF: the other field, and how to compare */
    struct ty_str ref;
    enum { TY_REF_EQ, TY_REF_CONTAINS, TY_REF_STARTS, TY_REF_ENDS } ref_how;
};

/* An OR-group: the alternatives one rule value expanded into (windash,
 * base64offset, expand to a list). */
struct ty_sgroup {
    struct ty_sv *alt;
    uint32_t n;
};

struct ty_sitem {
    struct ty_str field;    /* empty: a keyword item (full-text search) */
    struct ty_sgroup *g;    /* one group per rule value */
    uint32_t n;
    bool all;               /* |all: groups AND-ed, else OR-ed */
    bool neq;               /* |neq: the item's result negated */
    uint32_t line, col;     /* where the item's key is in the rule file */
};

/* Placeholders for |expand: name (without %) -> values. */
struct ty_placeholder {
    struct ty_str name;
    struct ty_str *values;
    size_t n;
};

struct ty_placeholders {
    struct ty_placeholder *p;
    size_t n;
};

/* Compile one detection item from its key ("field|mod|mod", "|all",
 * "keywords" in a keyword list: pass an empty field) and its YAML value
 * (a scalar, or a sequence of scalars). Errors are TY_EINVAL with a
 * message that says what is wrong and what is allowed ("unknown modifier
 * 'contain' (allowed: contains, startswith, ...)"); the caller adds
 * file:line. Warnings (legal but suspicious: |all on one value, null in a
 * list) are appended to warn as lines, when warn is not NULL. */
int ty_sitem_compile(struct ty_sitem *it, struct ty_str key, const struct ty_ynode *value,
                     const struct ty_placeholders *ph, struct ty_arena *a, struct ty_buf *warn,
                     struct ty_err *err);

/* Compile a keyword list's values (each scalar of a sequence, or one
 * scalar) into one keyword item. */
int ty_sitem_compile_keywords(struct ty_sitem *it, const struct ty_ynode *value,
                              struct ty_arena *a, struct ty_buf *warn, struct ty_err *err);

/* Evaluate one item against an event. When hit is not NULL and the item
 * matched, *hit is set to the event value that matched (borrowed from the
 * source: valid until the source changes). */
bool ty_sitem_eval(const struct ty_sitem *it, struct ty_fsrc *src, struct ty_fval *hit);

/* Free what the arena does not own (PCRE2 code). */
void ty_sitem_release(struct ty_sitem *it);

/* The single-value test, exposed for tests and the index. */
bool ty_sv_match(const struct ty_sv *v, const struct ty_fval *fv);

/* ASCII case folding used everywhere in the engine (documented choice:
 * Sigma defines no folding beyond ASCII). */
static inline unsigned char ty_fold(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

/* ------------------------------------------------------------------ */
/* Conditions (sigma-cond.c)                                           */

enum ty_cond_op { TY_C_IDENT = 1, TY_C_AND, TY_C_OR, TY_C_NOT, TY_C_TRUE, TY_C_FALSE };

/* A condition tree. `x of pattern` is expanded at parse time into an
 * n-ary AND/OR of identifiers. */
struct ty_cond {
    enum ty_cond_op op;
    uint32_t ident;         /* IDENT: index into the identifier list */
    struct ty_cond **kid;   /* AND/OR: n >= 1 children; NOT: one */
    uint32_t n;
};

/* Parse a condition over the rule's search identifiers (sigma-spec §6):
 * or < and < not < x of < (); keywords lower-case and whole words; "1",
 * "any" and "all" quantifiers; "them" skips identifiers starting with "_";
 * a pattern without "*" is exact; "|" (v1 aggregation) is an error. A
 * selector whose pattern matches no identifier is dropped from the tree,
 * as pySigma does, with a warning line; a condition left empty is an
 * error. Errors: TY_EINVAL, message naming the column ("column 12:
 * unknown identifier 'selction'"). */
int ty_cond_parse(struct ty_str text, const struct ty_str *idents, size_t n_idents,
                  struct ty_arena *a, struct ty_cond **out, struct ty_buf *warn,
                  struct ty_err *err);

/* Evaluate with each identifier's result supplied by a callback (lazily:
 * AND/OR short-circuit). */
typedef bool (*ty_ident_fn)(void *arg, uint32_t ident);
bool ty_cond_eval(const struct ty_cond *c, ty_ident_fn fn, void *arg);

/* Append the tree in canonical text form ("(a and not b) or c"), for
 * tests and `tyto rules test`. */
int ty_cond_format(const struct ty_cond *c, const struct ty_str *idents, struct ty_buf *out);

/* ------------------------------------------------------------------ */
/* Correlation (sigma-correlate.c)                                     */

enum ty_corr_type {
    TY_CORR_EVENT_COUNT = 1,
    TY_CORR_VALUE_COUNT,
    TY_CORR_TEMPORAL,
    TY_CORR_TEMPORAL_ORDERED,
    TY_CORR_VALUE_SUM,
    TY_CORR_VALUE_AVG,
    TY_CORR_VALUE_PERCENTILE,
};

/* One condition operator of a correlation ("gte: 10"); several are AND-ed
 * (the spec allows a range; pySigma does not, tyto does). */
struct ty_corr_cond {
    enum ty_cmp_op op;      /* plus NEQ below */
    bool neq;               /* "neq": value != num */
    double num;
};

struct ty_corr_spec {
    enum ty_corr_type type;
    int64_t timespan_ns;
    uint32_t n_rules;       /* the referenced rules, in the order written */
    uint32_t n_group;       /* group-by fields (values arrive with each input) */
    struct ty_corr_cond cond[4];
    uint32_t n_cond;        /* 0 for temporal types: all rules must occur */
    double percentile;      /* VALUE_PERCENTILE */
    bool has_field;         /* value_* types: each input carries one value */
    /* Memory caps (0: the defaults). max_keep: inputs or distinct values
     * kept per group window (100,000); max_items: the same summed over all
     * groups (4,000,000; past it the least recently seen groups are
     * evicted). See docs/internals/SIGMA-CORRELATION.md for what stays
     * exact past a cap. */
    uint32_t max_keep;
    size_t max_items;
};

/* One input to a correlation: a match of a referenced rule, in time order. */
struct ty_corr_input {
    int64_t ts;             /* ns */
    uint32_t rule;          /* index into the spec's rule list */
    const struct ty_str *group; /* n_group values (text; an absent field is TY_STR_NULL) */
    struct ty_str value;    /* value_*: the field's value as text */
    int64_t ref;            /* caller's id of the matching event/alert */
};

/* A correlation fired for one group: the window [first, last] and the refs
 * of the inputs in it (at most 64, the earliest; per type in
 * docs/internals/SIGMA-CORRELATION.md). */
struct ty_corr_hit {
    const struct ty_str *group; /* n_group values (copies cut at 1 KiB); NULL if none */
    int64_t first, last;
    double value;           /* the aggregate compared with the condition */
    const int64_t *refs;
    size_t n_refs;
};

typedef int (*ty_corr_hit_fn)(void *arg, const struct ty_corr_hit *hit);

struct ty_corr;

/* Streaming evaluation with sliding windows per group. Inputs must come in
 * non-decreasing ts (the caller sorts); state older than the timespan is
 * dropped. max_groups caps live groups (0: 100,000): past it, the least
 * recently seen group is evicted and counted (ty_corr_evicted) when it
 * still held live inputs, so the caller can warn. A group fires
 * once per window: after a hit its window restarts after the last input.
 *
 * Two inputs share a window when their ts differ by at most timespan_ns.
 * When every operator is gt/gte and the type only grows as inputs arrive
 * (event_count, value_count, temporal, temporal_ordered, value_sum), the
 * window is the sliding [ts - timespan, ts] and is tested at each input
 * ("rising"). Otherwise (lt, lte, eq, neq, ranges, value_avg,
 * value_percentile) a window opens at a group's first input, closes after
 * timespan and is tested once when it is known to be complete: at a later
 * input of any group past its end, at eviction, or at ty_corr_flush
 * ("settled").
 *
 * feed returns TY_EINVAL for a ts going back or a bad input (message in
 * ty_corr_errmsg), TY_ENOMEM, or the first non-zero value fn returned.
 * The hit and the memory it points to are valid only during fn. */
int ty_corr_new(struct ty_corr **out, const struct ty_corr_spec *spec, size_t max_groups,
                struct ty_err *err);
int ty_corr_feed(struct ty_corr *c, const struct ty_corr_input *in, ty_corr_hit_fn fn, void *arg);
uint64_t ty_corr_evicted(const struct ty_corr *c);
void ty_corr_free(struct ty_corr *c);

/* The input is over: evaluate the windows still waiting for their end
 * ("settled" windows, above),
 * then drop every group. Later inputs must still not go back in time. */
int ty_corr_flush(struct ty_corr *c, ty_corr_hit_fn fn, void *arg);

/* The reason for the last error returned by ty_corr_feed/flush ("" none). */
const char *ty_corr_errmsg(const struct ty_corr *c);

struct ty_corr_stats {
    uint64_t inputs;        /* fed */
    uint64_t hits;          /* reported */
    uint64_t evicted;       /* groups dropped while holding state (= ty_corr_evicted) */
    uint64_t ignored;       /* values not counted: absent (value_count), not a number (sum,
                               avg, percentile) */
    uint64_t capped;        /* times a per-group cap made an aggregate approximate */
    size_t groups;          /* live groups */
    size_t items;           /* kept inputs and values, all groups */
};
void ty_corr_get_stats(const struct ty_corr *c, struct ty_corr_stats *st);

/* "5m", "1h30m" is not Sigma: one integer and one unit of s m h d w M y. */
int ty_corr_timespan(struct ty_str text, int64_t *ns, struct ty_err *err);

#endif
