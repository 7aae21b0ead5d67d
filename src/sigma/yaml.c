/* SPDX-License-Identifier: Apache-2.0 */
/*
 * yaml.c - YAML streams into a read-only node tree, on libyaml's event API.
 *
 * Plain scalars are resolved with PyYAML's YAML 1.1 rules (null, bool, int
 * with octal/hex/binary/sexagesimal forms, float needing a '.'), so Sigma
 * rules mean what they mean under pySigma. Composition is iterative (an
 * explicit stack, depth 64), anchors are shared nodes, merge keys are
 * flattened, duplicate keys are refused. See docs/internals/SIGMA-LANGUAGE.md.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include <tyto/yaml.h>

#define MAX_DEPTH 64
#define MAX_NODES 1000000u
#define TAG_PREFIX "tag:yaml.org,2002:"

/* ------------------------------------------------------------------ */
/* Plain scalar resolution (PyYAML resolver.py + constructor.py)       */

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Accumulate digits of `base` (skipping '_') into *mag; *dbl keeps the
 * value as a double for magnitudes past 2^64. Returns the digit count, or
 * -1 on a character that is not a digit of the base nor '_'. */
static long take_digits(const char *p, size_t len, int base, uint64_t *mag, double *dbl,
                        bool *over)
{
    long n = 0;
    for (size_t k = 0; k < len; k++) {
        int d;
        if (p[k] == '_')
            continue;
        d = ty_hex_digit(p[k]);
        if (d < 0 || d >= base)
            return -1;
        if (*mag > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
            *over = true;
        *mag = *mag * (uint64_t)base + (uint64_t)d;
        *dbl = *dbl * base + d;
        n++;
    }
    return n;
}

/* Does [p, p+len) match "(:[0-5]?[0-9])+" ? */
static bool sexa_tail(const char *p, size_t len)
{
    size_t k = 0;
    if (len == 0)
        return false;
    while (k < len) {
        size_t start;
        if (p[k] != ':')
            return false;
        start = ++k;
        while (k < len && is_digit(p[k]))
            k++;
        if (k - start == 1)
            continue;
        if (k - start == 2 && p[start] <= '5')
            continue;
        return false;
    }
    return true;
}

static double to_double(const char *p, size_t len);

/* Set an integer result: int64 when it fits, else FLOAT (documented). */
static void set_int(struct ty_ynode *n, bool neg, uint64_t mag, double dbl, bool over)
{
    if (!over && (neg ? mag <= (uint64_t)INT64_MAX + 1 : mag <= (uint64_t)INT64_MAX)) {
        n->stype = TY_YS_INT;
        n->i = neg ? (int64_t)(0 - mag) : (int64_t)mag;
        n->f = (double)n->i;
        return;
    }
    n->stype = TY_YS_FLOAT;
    n->f = neg ? -dbl : dbl;
}

/* int: [-+]?0b[01_]+ | [-+]?0[0-7_]+ | [-+]?(0|[1-9][0-9_]*) | [-+]?0x[0-9a-fA-F_]+
 *      | [-+]?[1-9][0-9_]*(:[0-5]?[0-9])+ */
static bool resolve_int(const char *p, size_t len, struct ty_ynode *n)
{
    bool neg = false, over = false;
    uint64_t mag = 0;
    double dbl = 0;
    if (len && (p[0] == '-' || p[0] == '+')) {
        neg = p[0] == '-';
        p++;
        len--;
    }
    if (len == 0 || !is_digit(p[0]))
        return false;
    if (p[0] == '0') {
        if (len == 1) {
            set_int(n, false, 0, 0, false);
            return true;
        }
        if (p[1] == 'b' || p[1] == 'x') {
            int base = p[1] == 'b' ? 2 : 16;
            /* "0b_" matches PyYAML's regex but its constructor fails:
             * such a scalar stays a string here */
            if (len < 3 || take_digits(p + 2, len - 2, base, &mag, &dbl, &over) <= 0)
                return false;
            set_int(n, neg, mag, dbl, over);
            return true;
        }
        if (take_digits(p + 1, len - 1, 8, &mag, &dbl, &over) < 0)
            return false;
        set_int(n, neg, mag, dbl, over);
        return true;
    }
    {
        size_t k = 0;
        while (k < len && (is_digit(p[k]) || p[k] == '_'))
            k++;
        if (k < len) {
            /* sexagesimal: base 60 groups after the first */
            if (!sexa_tail(p + k, len - k))
                return false;
            take_digits(p, k, 10, &mag, &dbl, &over);
            while (k < len) {
                unsigned v = 0;
                k++;
                while (k < len && p[k] != ':')
                    v = v * 10 + (unsigned)(p[k++] - '0');
                if (mag > (UINT64_MAX - v) / 60)
                    over = true;
                mag = mag * 60 + v;
                dbl = dbl * 60 + v;
            }
            set_int(n, neg, mag, dbl, over);
            return true;
        }
        take_digits(p, len, 10, &mag, &dbl, &over);
        if (over || mag > (uint64_t)INT64_MAX)
            dbl = to_double(p, len); /* nearer than the running product */
        set_int(n, neg, mag, dbl, over);
        return true;
    }
}

/* Does [p, p+len) match "[eE][-+][0-9]+" (PyYAML wants the sign)? */
static bool exp_ok(const char *p, size_t len)
{
    if (len < 3 || (p[0] != 'e' && p[0] != 'E') || (p[1] != '-' && p[1] != '+'))
        return false;
    for (size_t k = 2; k < len; k++)
        if (!is_digit(p[k]))
            return false;
    return true;
}

/* strtod over the text without '_' (the C locale is the default). */
static double to_double(const char *p, size_t len)
{
    char small[64];
    char *b = len < sizeof(small) ? small : malloc(len + 1);
    size_t m = 0;
    double d;
    if (!b)
        return NAN;
    for (size_t k = 0; k < len; k++)
        if (p[k] != '_')
            b[m++] = p[k];
    b[m] = '\0';
    d = strtod(b, NULL);
    if (b != small)
        free(b);
    return d;
}

/* float: [-+]?[0-9][0-9_]*\.[0-9_]*([eE][-+][0-9]+)? | \.[0-9][0-9_]*([eE][-+][0-9]+)?
 *        | [-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]* | [-+]?\.(inf|Inf|INF)
 *        | \.(nan|NaN|NAN) */
static bool resolve_float(const char *p, size_t len, struct ty_ynode *n)
{
    const char *q = p;
    size_t ql = len, k = 0;
    bool neg = false;
    if (len == 4 && (!memcmp(p, ".nan", 4) || !memcmp(p, ".NaN", 4) || !memcmp(p, ".NAN", 4))) {
        n->stype = TY_YS_FLOAT;
        n->f = NAN;
        return true;
    }
    if (ql && (q[0] == '-' || q[0] == '+')) {
        neg = q[0] == '-';
        q++;
        ql--;
    }
    if (ql == 4 && (!memcmp(q, ".inf", 4) || !memcmp(q, ".Inf", 4) || !memcmp(q, ".INF", 4))) {
        n->stype = TY_YS_FLOAT;
        n->f = neg ? -INFINITY : INFINITY;
        return true;
    }
    if (ql >= 2 && q[0] == '.' && q == p) {
        /* \.[0-9][0-9_]*(exp)? : no sign allowed */
        if (!is_digit(q[1]))
            return false;
        k = 2;
        while (k < ql && (is_digit(q[k]) || q[k] == '_'))
            k++;
        if (k < ql && !exp_ok(q + k, ql - k))
            return false;
        n->stype = TY_YS_FLOAT;
        n->f = to_double(p, len);
        return true;
    }
    if (ql == 0 || !is_digit(q[0]))
        return false;
    while (k < ql && (is_digit(q[k]) || q[k] == '_'))
        k++;
    if (k < ql && q[k] == '.') {
        k++;
        while (k < ql && (is_digit(q[k]) || q[k] == '_'))
            k++;
        if (k < ql && !exp_ok(q + k, ql - k))
            return false;
        n->stype = TY_YS_FLOAT;
        n->f = to_double(p, len);
        return true;
    }
    if (k < ql && q[k] == ':') {
        /* sexagesimal float: groups, then '.' and a fraction */
        size_t dot = k;
        double v = 0;
        while (dot < ql && q[dot] != '.')
            dot++;
        if (dot == ql || !sexa_tail(q + k, dot - k))
            return false;
        for (size_t j = dot + 1; j < ql; j++)
            if (!is_digit(q[j]) && q[j] != '_')
                return false;
        v = to_double(q, k);
        while (k < dot) {
            unsigned g = 0;
            k++;
            while (k < dot && q[k] != ':')
                g = g * 10 + (unsigned)(q[k++] - '0');
            v = v * 60 + g;
        }
        /* the fraction belongs to the last group */
        if (dot + 1 < ql) {
            char buf[80];
            size_t m = 0;
            buf[m++] = '0';
            buf[m++] = '.';
            for (size_t j = dot + 1; j < ql && m < sizeof(buf) - 1; j++)
                if (q[j] != '_')
                    buf[m++] = q[j];
            buf[m] = '\0';
            v += strtod(buf, NULL);
        }
        n->stype = TY_YS_FLOAT;
        n->f = neg ? -v : v;
        return true;
    }
    return false;
}

static bool text_is(const char *p, size_t len, const char *const *words)
{
    for (; *words; words++)
        if (strlen(*words) == len && memcmp(*words, p, len) == 0)
            return true;
    return false;
}

static const char *const null_words[] = {"~", "null", "Null", "NULL", NULL};
static const char *const true_words[] = {"yes", "Yes", "YES", "true", "True", "TRUE",
                                         "on",  "On",  "ON",  NULL};
static const char *const false_words[] = {"no",    "No",    "NO",  "false", "False",
                                          "FALSE", "off",   "Off", "OFF",   NULL};

/* Resolve a plain scalar's text into n (stype, i, f, b). */
static void resolve_plain(struct ty_ynode *n)
{
    const char *p = n->text.p;
    size_t len = n->text.len;
    n->stype = TY_YS_STR;
    if (len == 0 || text_is(p, len, null_words)) {
        n->stype = TY_YS_NULL;
        return;
    }
    if (text_is(p, len, true_words) || text_is(p, len, false_words)) {
        n->stype = TY_YS_BOOL;
        n->b = text_is(p, len, true_words);
        n->i = n->b;
        n->f = n->b;
        return;
    }
    if (!is_digit(p[0]) && p[0] != '-' && p[0] != '+' && p[0] != '.')
        return;
    if (resolve_float(p, len, n))
        return;
    if (resolve_int(p, len, n))
        return;
    n->stype = TY_YS_STR;
}

/* ------------------------------------------------------------------ */
/* Key identity (duplicates, merges): PyYAML compares constructed values */

static bool is_num(const struct ty_ynode *k)
{
    return k->stype == TY_YS_INT || k->stype == TY_YS_FLOAT || k->stype == TY_YS_BOOL;
}

static bool key_eq(const struct ty_ynode *a, const struct ty_ynode *b)
{
    if (a == b)
        return true;
    if (is_num(a) && is_num(b)) {
        if (a->stype == TY_YS_INT && b->stype == TY_YS_INT)
            return a->i == b->i;
        return a->f == b->f;
    }
    if (a->stype != b->stype)
        return false;
    if (a->stype == TY_YS_NULL)
        return true;
    return ty_str_eq(a->text, b->text);
}

static uint64_t key_hash(const struct ty_ynode *k)
{
    if (is_num(k)) {
        double d = k->f;
        uint64_t u;
        if (d == 0)
            d = 0; /* -0 and 0 */
        memcpy(&u, &d, sizeof(u));
        return u * 0x9E3779B97F4A7C15ull;
    }
    if (k->stype == TY_YS_NULL)
        return 7;
    return ty_str_hash(k->text);
}

/* Open-addressing set of key indexes into an array of key nodes. */
struct ktab {
    size_t *slot; /* index + 1, 0 = empty */
    size_t mask;
};

static int ktab_init(struct ktab *t, size_t n)
{
    size_t cap = 16;
    while (cap < n * 2)
        cap *= 2;
    t->slot = calloc(cap, sizeof(*t->slot));
    t->mask = cap - 1;
    return t->slot ? 0 : TY_ENOMEM;
}

/* Find keys[idx]'s twin among the inserted; insert idx when absent.
 * Returns the twin's index, or (size_t)-1 when inserted. */
static size_t ktab_put(struct ktab *t, struct ty_ynode *const *keys, size_t stride, size_t idx)
{
    const struct ty_ynode *k = keys[idx * stride];
    size_t h = (size_t)key_hash(k) & t->mask;
    while (t->slot[h]) {
        size_t j = t->slot[h] - 1;
        if (key_eq(keys[j * stride], k))
            return j;
        h = (h + 1) & t->mask;
    }
    t->slot[h] = idx + 1;
    return (size_t)-1;
}

/* ------------------------------------------------------------------ */
/* Anchors: name -> node, per document                                  */

struct anchor {
    char *name;
    struct ty_ynode *node;
    uint64_t count; /* nodes the anchored subtree expands to */
    bool done;      /* collection finished (else an alias would recurse) */
};

struct atab {
    struct anchor *e;
    size_t cap, n;
};

static struct anchor *atab_find(struct atab *t, const char *name)
{
    size_t h;
    if (!t->cap)
        return NULL;
    h = (size_t)ty_str_hash(ty_str_cstr(name)) & (t->cap - 1);
    while (t->e[h].name) {
        if (strcmp(t->e[h].name, name) == 0)
            return &t->e[h];
        h = (h + 1) & (t->cap - 1);
    }
    return NULL;
}

static void atab_clear(struct atab *t)
{
    for (size_t k = 0; k < t->cap; k++)
        free(t->e[k].name);
    free(t->e);
    t->e = NULL;
    t->cap = t->n = 0;
}

/* Define an anchor (the caller checked it is new in this document). */
static int atab_put(struct atab *t, const char *name, struct ty_ynode *node)
{
    size_t h;
    if ((t->n + 1) * 2 > t->cap) {
        struct atab nt = {NULL, t->cap ? t->cap * 2 : 16, 0};
        nt.e = calloc(nt.cap, sizeof(*nt.e));
        if (!nt.e)
            return TY_ENOMEM;
        for (size_t k = 0; k < t->cap; k++) {
            if (!t->e[k].name)
                continue;
            h = (size_t)ty_str_hash(ty_str_cstr(t->e[k].name)) & (nt.cap - 1);
            while (nt.e[h].name)
                h = (h + 1) & (nt.cap - 1);
            nt.e[h] = t->e[k];
        }
        nt.n = t->n;
        free(t->e);
        *t = nt;
    }
    h = (size_t)ty_str_hash(ty_str_cstr(name)) & (t->cap - 1);
    while (t->e[h].name)
        h = (h + 1) & (t->cap - 1);
    t->e[h].name = strdup(name);
    if (!t->e[h].name)
        return TY_ENOMEM;
    t->e[h].node = node;
    t->e[h].count = 1;
    t->e[h].done = false;
    t->n++;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Composition                                                          */

struct plist {
    struct ty_ynode **v;
    size_t n, cap;
};

static int plist_add(struct plist *l, struct ty_ynode *x)
{
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 8;
        struct ty_ynode **nv = realloc(l->v, nc * sizeof(*nv));
        if (!nv)
            return TY_ENOMEM;
        l->v = nv;
        l->cap = nc;
    }
    l->v[l->n++] = x;
    return 0;
}

struct frame {
    struct ty_ynode *node;
    struct plist items;  /* seq items, or map key/value pairs (explicit only) */
    struct plist merges; /* maps to merge, in PyYAML's order */
    uint64_t count0;     /* node counter before this node */
    char *anchor;        /* anchor name to complete at the end, or NULL */
    bool merge_pending;  /* a "<<" key waits for its value */
    uint32_t merge_line, merge_col;
};

struct composer {
    struct ty_arena *a;
    struct ty_err *err;
    const char *text;
    size_t len;
    struct frame stack[MAX_DEPTH];
    size_t depth;
    struct plist docs;
    struct atab anchors;
    uint64_t count;
};

static int fail(struct composer *c, uint32_t line, uint32_t col, int rc, const char *what)
{
    return ty_err_set(c->err, rc, "line %u column %u: %s", line, col, what);
}

static int oom(struct composer *c)
{
    return ty_err_set(c->err, TY_ENOMEM, "out of memory composing the YAML tree");
}

static int count_nodes(struct composer *c, uint64_t add, uint32_t line, uint32_t col)
{
    c->count += add;
    if (c->count > MAX_NODES) {
        char msg[128];
        snprintf(msg, sizeof(msg),
                 "more than %u nodes (aliases count as the nodes they expand to)", MAX_NODES);
        return fail(c, line, col, TY_ECORRUPT, msg);
    }
    return 0;
}

static struct ty_ynode *new_node(struct composer *c, enum ty_ykind kind, const yaml_mark_t *m)
{
    struct ty_ynode *n = ty_arena_alloc(c->a, sizeof(*n));
    if (!n)
        return NULL;
    memset(n, 0, sizeof(*n));
    n->kind = kind;
    n->line = (uint32_t)m->line + 1;
    n->col = (uint32_t)m->column + 1;
    return n;
}

/* A short, printable quote of a key for messages (at most 60 bytes). */
static void quote_key(const struct ty_ynode *k, char *out, size_t cap)
{
    size_t m = 0, j;
    for (j = 0; j < k->text.len && j < 60 && m + 8 < cap; j++) {
        unsigned char ch = (unsigned char)k->text.p[j];
        if (ch >= 0x20 && ch < 0x7f && ch != '\\')
            out[m++] = (char)ch;
        else
            m += (size_t)snprintf(out + m, cap - m, "\\x%02x", ch);
    }
    if (j < k->text.len && m + 4 <= cap) {
        memcpy(out + m, "...", 3);
        m += 3;
    }
    out[m] = '\0';
}

/* Check that a merge value is a map or a sequence of maps; record them. */
static int add_merge(struct composer *c, struct frame *f, struct ty_ynode *v)
{
    int rc;
    if (v->kind == TY_Y_MAP)
        return plist_add(&f->merges, v) ? oom(c) : 0;
    if (v->kind == TY_Y_SEQ) {
        /* PyYAML merges a list's maps in reverse, so earlier maps win */
        for (size_t k = v->n; k-- > 0;) {
            if (v->kv[k]->kind != TY_Y_MAP)
                return fail(c, v->kv[k]->line, v->kv[k]->col, TY_ECORRUPT,
                            "a merge key '<<' list may hold only maps");
            rc = plist_add(&f->merges, v->kv[k]);
            if (rc)
                return oom(c);
        }
        return 0;
    }
    return fail(c, v->line, v->col, TY_ECORRUPT,
                "a merge key '<<' needs a map or a list of maps");
}

/* Attach a finished node to the open collection (or as a document root). */
static int add_child(struct composer *c, struct ty_ynode *x)
{
    struct frame *f;
    if (c->depth == 0)
        return plist_add(&c->docs, x) ? oom(c) : 0;
    f = &c->stack[c->depth - 1];
    if (f->node->kind == TY_Y_SEQ)
        return plist_add(&f->items, x) ? oom(c) : 0;
    if (f->merge_pending) {
        f->merge_pending = false;
        return add_merge(c, f, x);
    }
    if (f->items.n % 2 == 0) {
        /* key position */
        if (x->kind != TY_Y_SCALAR)
            return fail(c, x->line, x->col, TY_ECORRUPT,
                        "a map key must be a scalar (complex keys are not supported)");
        if (!x->quoted && x->text.len == 2 && memcmp(x->text.p, "<<", 2) == 0) {
            f->merge_pending = true;
            f->merge_line = x->line;
            f->merge_col = x->col;
            return 0;
        }
    }
    return plist_add(&f->items, x) ? oom(c) : 0;
}

/* Finish a map: refuse duplicate keys, flatten merges, copy into the arena. */
static int finish_map(struct composer *c, struct frame *f)
{
    struct ktab t = {NULL, 0};
    struct ty_ynode **out = NULL;
    size_t n_pairs = f->items.n / 2, n_out = 0;
    int rc = 0;

    if (ktab_init(&t, n_pairs)) {
        rc = oom(c);
        goto out;
    }
    for (size_t k = 0; k < n_pairs; k++) {
        size_t twin = ktab_put(&t, f->items.v, 2, k);
        if (twin != (size_t)-1) {
            const struct ty_ynode *a = f->items.v[2 * twin], *b = f->items.v[2 * k];
            char q[300];
            quote_key(b, q, sizeof(q));
            rc = ty_err_set(c->err, TY_ECORRUPT,
                            "line %u column %u: duplicate key '%s' (first at line %u column %u)",
                            b->line, b->col, q, a->line, a->col);
            goto out;
        }
    }
    if (f->merges.n == 0) {
        out = f->items.n ? ty_arena_alloc(c->a, f->items.n * sizeof(*out)) : NULL;
        if (f->items.n && !out) {
            rc = oom(c);
            goto out;
        }
        if (f->items.n)
            memcpy(out, f->items.v, f->items.n * sizeof(*out));
        n_out = n_pairs;
    } else {
        /* merged pairs first (later ones win, position of first), then
         * the explicit pairs override or append: PyYAML's dict order */
        struct plist all = {NULL, 0, 0};
        struct ktab t2 = {NULL, 0};
        size_t total = f->items.n / 2;
        for (size_t m = 0; m < f->merges.n; m++)
            total += f->merges.v[m]->n;
        all.v = malloc(2 * (total ? total : 1) * sizeof(*all.v));
        if (!all.v || ktab_init(&t2, total)) {
            free(all.v);
            rc = oom(c);
            goto out;
        }
        for (size_t m = 0; m <= f->merges.n; m++) {
            struct ty_ynode **src = m < f->merges.n ? f->merges.v[m]->kv : f->items.v;
            size_t np = m < f->merges.n ? f->merges.v[m]->n : n_pairs;
            for (size_t k = 0; k < np; k++) {
                size_t twin;
                all.v[2 * all.n] = src[2 * k];
                all.v[2 * all.n + 1] = src[2 * k + 1];
                twin = ktab_put(&t2, all.v, 2, all.n);
                if (twin == (size_t)-1)
                    all.n++;
                else
                    all.v[2 * twin + 1] = src[2 * k + 1];
            }
        }
        free(t2.slot);
        out = all.n ? ty_arena_alloc(c->a, 2 * all.n * sizeof(*out)) : NULL;
        if (all.n && !out) {
            free(all.v);
            rc = oom(c);
            goto out;
        }
        if (all.n)
            memcpy(out, all.v, 2 * all.n * sizeof(*out));
        n_out = all.n;
        free(all.v);
    }
    f->node->kv = out;
    f->node->n = n_out;
out:
    free(t.slot);
    return rc;
}

static int finish_seq(struct composer *c, struct frame *f)
{
    struct ty_ynode **out = NULL;
    if (f->items.n) {
        out = ty_arena_alloc(c->a, f->items.n * sizeof(*out));
        if (!out)
            return oom(c);
        memcpy(out, f->items.v, f->items.n * sizeof(*out));
    }
    f->node->kv = out;
    f->node->n = f->items.n;
    return 0;
}

static void frame_free(struct frame *f)
{
    free(f->items.v);
    free(f->merges.v);
    free(f->anchor);
    memset(f, 0, sizeof(*f));
}

static bool tag_is(const yaml_char_t *tag, const char *name)
{
    size_t pl = strlen(TAG_PREFIX);
    return tag && strncmp((const char *)tag, TAG_PREFIX, pl) == 0 &&
           strcmp((const char *)tag + pl, name) == 0;
}

/* Register an anchor; PyYAML refuses a second definition in one document. */
static int new_anchor(struct composer *c, const char *name, struct ty_ynode *n)
{
    const struct anchor *prev = atab_find(&c->anchors, name);
    if (prev)
        return ty_err_set(c->err, TY_ECORRUPT,
                          "line %u column %u: anchor '&%.100s' is defined twice (first at "
                          "line %u column %u)",
                          n->line, n->col, name, prev->node->line, prev->node->col);
    return atab_put(&c->anchors, name, n) ? oom(c) : 0;
}

/* Apply an explicit tag to a scalar. */
static int scalar_tag(struct composer *c, struct ty_ynode *n, const yaml_char_t *tag)
{
    struct ty_ynode probe;
    char msg[160];
    const char *want = NULL;
    enum ty_ystype t = TY_YS_STR;
    if (strcmp((const char *)tag, "!") == 0 || tag_is(tag, "str") || tag_is(tag, "timestamp")) {
        n->stype = TY_YS_STR;
        return 0;
    }
    if (tag_is(tag, "int"))
        want = "int", t = TY_YS_INT;
    else if (tag_is(tag, "float"))
        want = "float", t = TY_YS_FLOAT;
    else if (tag_is(tag, "bool"))
        want = "bool", t = TY_YS_BOOL;
    else if (tag_is(tag, "null"))
        want = "null", t = TY_YS_NULL;
    if (!want) {
        snprintf(msg, sizeof(msg), "unsupported tag '%.100s'", (const char *)tag);
        return fail(c, n->line, n->col, TY_ECORRUPT, msg);
    }
    probe = *n;
    resolve_plain(&probe);
    if (t == TY_YS_FLOAT && probe.stype == TY_YS_INT)
        probe.stype = TY_YS_FLOAT;
    if (probe.stype != t) {
        snprintf(msg, sizeof(msg), "the tag !!%s does not fit this value", want);
        return fail(c, n->line, n->col, TY_ECORRUPT, msg);
    }
    n->stype = probe.stype;
    n->i = probe.i;
    n->f = probe.f;
    n->b = probe.b;
    return 0;
}

static int on_scalar(struct composer *c, const yaml_event_t *ev)
{
    struct ty_ynode *n = new_node(c, TY_Y_SCALAR, &ev->start_mark);
    int rc;
    if (!n)
        return oom(c);
    rc = count_nodes(c, 1, n->line, n->col);
    if (rc)
        return rc;
    n->text.p = ty_arena_memdup(c->a, ev->data.scalar.value, ev->data.scalar.length);
    if (!n->text.p)
        return oom(c);
    n->text.len = ev->data.scalar.length;
    n->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
    if (ev->data.scalar.tag) {
        rc = scalar_tag(c, n, ev->data.scalar.tag);
        if (rc)
            return rc;
    } else if (n->quoted) {
        n->stype = TY_YS_STR;
    } else {
        resolve_plain(n);
    }
    if (ev->data.scalar.anchor) {
        rc = new_anchor(c, (const char *)ev->data.scalar.anchor, n);
        if (rc)
            return rc;
        atab_find(&c->anchors, (const char *)ev->data.scalar.anchor)->done = true;
    }
    return add_child(c, n);
}

static int on_start(struct composer *c, const yaml_event_t *ev, enum ty_ykind kind)
{
    const yaml_char_t *anchor, *tag;
    struct ty_ynode *n;
    struct frame *f;
    int rc;
    if (kind == TY_Y_MAP) {
        anchor = ev->data.mapping_start.anchor;
        tag = ev->data.mapping_start.tag;
    } else {
        anchor = ev->data.sequence_start.anchor;
        tag = ev->data.sequence_start.tag;
    }
    n = new_node(c, kind, &ev->start_mark);
    if (!n)
        return oom(c);
    if (c->depth == MAX_DEPTH)
        return fail(c, n->line, n->col, TY_ECORRUPT, "nesting deeper than 64 levels");
    if (tag && !(kind == TY_Y_MAP ? tag_is(tag, "map") : tag_is(tag, "seq"))) {
        char msg[160];
        snprintf(msg, sizeof(msg), "unsupported tag '%.100s'", (const char *)tag);
        return fail(c, n->line, n->col, TY_ECORRUPT, msg);
    }
    f = &c->stack[c->depth++];
    memset(f, 0, sizeof(*f));
    f->node = n;
    f->count0 = c->count;
    rc = count_nodes(c, 1, n->line, n->col);
    if (rc)
        return rc;
    if (anchor) {
        f->anchor = strdup((const char *)anchor);
        if (!f->anchor)
            return oom(c);
        rc = new_anchor(c, f->anchor, n);
        if (rc)
            return rc;
    }
    return 0;
}

static int on_end(struct composer *c)
{
    struct frame *f = &c->stack[c->depth - 1];
    struct ty_ynode *n = f->node;
    int rc;
    if (n->kind == TY_Y_MAP)
        rc = finish_map(c, f);
    else
        rc = finish_seq(c, f);
    if (rc)
        return rc;
    if (f->anchor) {
        struct anchor *an = atab_find(&c->anchors, f->anchor);
        if (an) {
            an->done = true;
            an->count = c->count - f->count0;
        }
    }
    frame_free(f);
    c->depth--;
    return add_child(c, n);
}

static int on_alias(struct composer *c, const yaml_event_t *ev)
{
    const char *name = (const char *)ev->data.alias.anchor;
    struct anchor *an = atab_find(&c->anchors, name);
    uint32_t line = (uint32_t)ev->start_mark.line + 1, col = (uint32_t)ev->start_mark.column + 1;
    char msg[200];
    int rc;
    if (!an) {
        snprintf(msg, sizeof(msg), "undefined alias '*%.100s'", name);
        return fail(c, line, col, TY_ECORRUPT, msg);
    }
    if (!an->done) {
        snprintf(msg, sizeof(msg),
                 "alias '*%.100s' is inside the node it refers to (recursive structures are "
                 "not supported)",
                 name);
        return fail(c, line, col, TY_ECORRUPT, msg);
    }
    rc = count_nodes(c, an->count, line, col);
    if (rc)
        return rc;
    return add_child(c, an->node);
}

/* line/column of a byte offset, for reader errors (libyaml gives no mark). */
static void offset_pos(const char *text, size_t len, size_t off, uint32_t *line, uint32_t *col)
{
    uint32_t l = 1, cc = 1;
    if (off > len)
        off = len;
    for (size_t k = 0; k < off; k++) {
        unsigned char ch = (unsigned char)text[k];
        if (ch == '\n' || (ch == '\r' && (k + 1 >= len || text[k + 1] != '\n'))) {
            l++;
            cc = 1;
        } else if ((ch & 0xC0) != 0x80 && ch != '\r') {
            cc++;
        }
    }
    *line = l;
    *col = cc;
}

static int libyaml_error(struct composer *c, const yaml_parser_t *p)
{
    const char *problem = p->problem ? p->problem : "invalid YAML";
    uint32_t line, col;
    if (p->error == YAML_MEMORY_ERROR)
        return oom(c);
    if (p->error == YAML_READER_ERROR) {
        offset_pos(c->text, c->len, p->problem_offset, &line, &col);
        if (p->problem_value >= 0)
            return ty_err_set(c->err, TY_ECORRUPT, "line %u column %u: %s (#%x at byte %zu)",
                              line, col, problem, (unsigned)p->problem_value,
                              p->problem_offset);
        return ty_err_set(c->err, TY_ECORRUPT, "line %u column %u: %s (byte %zu)", line, col,
                          problem, p->problem_offset);
    }
    line = (uint32_t)p->problem_mark.line + 1;
    col = (uint32_t)p->problem_mark.column + 1;
    if (p->context)
        return ty_err_set(c->err, TY_ECORRUPT, "line %u column %u: %s (%s at line %u column %u)",
                          line, col, problem, p->context, (unsigned)p->context_mark.line + 1,
                          (unsigned)p->context_mark.column + 1);
    return ty_err_set(c->err, TY_ECORRUPT, "line %u column %u: %s", line, col, problem);
}

int ty_yaml_parse(const char *text, size_t len, struct ty_arena *a, struct ty_ydocs *out,
                  struct ty_err *err)
{
    struct composer c;
    yaml_parser_t parser;
    yaml_event_t ev;
    bool have_parser = false, have_ev = false, done = false;
    int rc = 0;

    memset(&c, 0, sizeof(c));
    c.a = a;
    c.err = err;
    c.text = text;
    c.len = len;
    out->doc = NULL;
    out->n = 0;
    if (!yaml_parser_initialize(&parser)) {
        rc = oom(&c);
        goto out;
    }
    have_parser = true;
    yaml_parser_set_input_string(&parser, (const unsigned char *)(text ? text : ""), len);
    while (!done) {
        if (!yaml_parser_parse(&parser, &ev)) {
            rc = libyaml_error(&c, &parser);
            goto out;
        }
        have_ev = true;
        switch (ev.type) {
        case YAML_STREAM_END_EVENT:
            done = true;
            break;
        case YAML_DOCUMENT_END_EVENT:
            atab_clear(&c.anchors); /* anchors are per document */
            break;
        case YAML_SCALAR_EVENT:
            rc = on_scalar(&c, &ev);
            break;
        case YAML_SEQUENCE_START_EVENT:
            rc = on_start(&c, &ev, TY_Y_SEQ);
            break;
        case YAML_MAPPING_START_EVENT:
            rc = on_start(&c, &ev, TY_Y_MAP);
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            rc = c.depth ? on_end(&c) : ty_err_set(err, TY_ECORRUPT, "unbalanced YAML events");
            break;
        case YAML_ALIAS_EVENT:
            rc = on_alias(&c, &ev);
            break;
        default:
            break;
        }
        yaml_event_delete(&ev);
        have_ev = false;
        if (rc)
            goto out;
    }
    if (c.docs.n) {
        out->doc = ty_arena_alloc(a, c.docs.n * sizeof(*out->doc));
        if (!out->doc) {
            rc = oom(&c);
            goto out;
        }
        memcpy(out->doc, c.docs.v, c.docs.n * sizeof(*out->doc));
        out->n = c.docs.n;
    }
out:
    if (have_ev)
        yaml_event_delete(&ev);
    if (have_parser)
        yaml_parser_delete(&parser);
    while (c.depth)
        frame_free(&c.stack[--c.depth]);
    free(c.docs.v);
    atab_clear(&c.anchors);
    if (rc) {
        out->doc = NULL;
        out->n = 0;
    }
    return rc;
}

const struct ty_ynode *ty_ymap_get(const struct ty_ynode *map, const char *key)
{
    size_t kl;
    if (!map || map->kind != TY_Y_MAP || !key)
        return NULL;
    kl = strlen(key);
    for (size_t k = 0; k < map->n; k++) {
        const struct ty_ynode *kn = map->kv[2 * k];
        if (kn->text.len == kl && memcmp(kn->text.p, key, kl) == 0)
            return map->kv[2 * k + 1];
    }
    return NULL;
}
