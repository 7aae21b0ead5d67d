/* SPDX-License-Identifier: Apache-2.0 */
/*
 * yaml.h - YAML documents as a read-only node tree (libyaml underneath).
 *
 * Sigma rules are YAML written for PyYAML, so plain scalars are resolved
 * with YAML 1.1 rules (sigma-spec §1.3): 010 is 8, 0x10 is 16, yes/no/on/off
 * are booleans, 1e3 stays a string. Quoted scalars are always strings.
 * Every node keeps its line and column for error messages. Duplicate map
 * keys are an error. Anchors and aliases are resolved (an alias shares the
 * anchored node). Nodes live in the caller's arena.
 */
#ifndef TYTO_YAML_H
#define TYTO_YAML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <tyto/arena.h>
#include <tyto/err.h>
#include <tyto/str.h>

enum ty_ykind { TY_Y_SCALAR = 1, TY_Y_MAP, TY_Y_SEQ };

/* Resolved type of a scalar. */
enum ty_ystype { TY_YS_STR = 1, TY_YS_INT, TY_YS_FLOAT, TY_YS_BOOL, TY_YS_NULL };

struct ty_ynode {
    enum ty_ykind kind;
    uint32_t line, col;     /* 1-based start of the node */
    /* scalars */
    struct ty_str text;     /* the scalar's text after YAML escapes, NUL-terminated */
    enum ty_ystype stype;   /* YAML 1.1 resolution of plain scalars; quoted: STR */
    bool quoted;            /* single- or double-quoted, or a block scalar */
    int64_t i;              /* INT (also set for BOOL: 1/0) */
    double f;               /* FLOAT, and INT as a double */
    bool b;                 /* BOOL */
    /* maps: n pairs in kv[2*k] (key) and kv[2*k+1] (value), in document
     * order; sequences: n items in kv[0..n) */
    struct ty_ynode **kv;
    size_t n;
};

struct ty_ydocs {
    struct ty_ynode **doc; /* each document's root; an empty document is a NULL scalar */
    size_t n;
};

/* Parse every document of a YAML stream. On error returns TY_ECORRUPT with
 * err->msg "line L column C: what is wrong" (nothing is returned then).
 * Limits against hostile input: depth 64, 1,000,000 nodes, alias expansion
 * counted towards the node limit. */
int ty_yaml_parse(const char *text, size_t len, struct ty_arena *a, struct ty_ydocs *out,
                  struct ty_err *err);

/* Map lookup by exact key text; NULL when absent or when map is not a map. */
const struct ty_ynode *ty_ymap_get(const struct ty_ynode *map, const char *key);

/* True when n is a scalar of that resolved type. */
static inline bool ty_yis(const struct ty_ynode *n, enum ty_ystype t)
{
    return n && n->kind == TY_Y_SCALAR && n->stype == t;
}

#endif
