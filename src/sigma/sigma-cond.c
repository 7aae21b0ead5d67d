/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sigma-cond.c - Sigma conditions: parse the text into a tree over the
 * rule's search identifiers, evaluate it lazily, print it canonically.
 *
 * Grammar (sigma-spec §6): or < and < not < "x of" < ( ); keywords are
 * lower-case whole words; "x of pattern" is expanded here. A recursive
 * descent parser bounded at 256 nested levels. See
 * docs/internals/SIGMA-LANGUAGE.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sigma/sigma-int.h"

#define MAX_NEST 256

enum tkind { T_END = 1, T_WORD, T_LP, T_RP };

struct tok {
    enum tkind kind;
    size_t off, len;
};

struct cparse {
    struct ty_str text;
    const struct ty_str *idents;
    size_t n_idents;
    struct ty_arena *a;
    struct ty_buf *warn;
    struct ty_err *err;
    size_t pos;     /* scanner position: after cur */
    struct tok cur; /* the current token */
    int nest;
};

static bool is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static bool is_word(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '-' || c == '*';
}

/* Column of a byte offset, 1-based. */
static unsigned col_of(size_t off)
{
    return (unsigned)(off + 1);
}

/* Printable copy of a token or identifier for messages (60 bytes at most). */
static const char *show(struct ty_str s, char *buf, size_t cap)
{
    size_t m = 0, j;
    for (j = 0; j < s.len && j < 60 && m + 8 < cap; j++) {
        unsigned char ch = (unsigned char)s.p[j];
        if (ch >= 0x20 && ch < 0x7f)
            buf[m++] = (char)ch;
        else
            m += (size_t)snprintf(buf + m, cap - m, "\\x%02x", ch);
    }
    if (j < s.len && m + 4 <= cap) {
        memcpy(buf + m, "...", 3);
        m += 3;
    }
    buf[m] = '\0';
    return buf;
}

static struct ty_str tok_str(const struct cparse *p, const struct tok *t)
{
    return ty_str_make(p->text.p + t->off, t->len);
}

/* Scan the token at p->pos into *t (without consuming when peek). */
static int scan(struct cparse *p, size_t *pos, struct tok *t)
{
    size_t k = *pos;
    const unsigned char *s = (const unsigned char *)p->text.p;
    while (k < p->text.len && is_space(s[k]))
        k++;
    t->off = k;
    t->len = 0;
    if (k == p->text.len) {
        t->kind = T_END;
    } else if (s[k] == '(' || s[k] == ')') {
        t->kind = s[k] == '(' ? T_LP : T_RP;
        t->len = 1;
    } else if (is_word(s[k])) {
        t->kind = T_WORD;
        while (k + t->len < p->text.len && is_word(s[k + t->len]))
            t->len++;
    } else {
        char b[16];
        return ty_err_set(p->err, TY_EINVAL,
                          "column %u: unexpected character '%s' (identifiers with characters "
                          "other than A-Z a-z 0-9 _ - are reached through a pattern: '1 of x*')",
                          col_of(k), show(ty_str_make(p->text.p + k, 1), b, sizeof(b)));
    }
    *pos = k + t->len;
    return 0;
}

static int advance(struct cparse *p)
{
    return scan(p, &p->pos, &p->cur);
}

static bool word_is(const struct cparse *p, const struct tok *t, const char *w)
{
    return t->kind == T_WORD && ty_str_eq_cstr(tok_str(p, t), w);
}

static bool is_keyword(const struct cparse *p, const struct tok *t)
{
    return word_is(p, t, "and") || word_is(p, t, "or") || word_is(p, t, "not") ||
           word_is(p, t, "of");
}

/* " (operators are lower-case: 'or')" when the word is a keyword in
 * another case, else "". */
static const char *case_hint(const struct cparse *p, const struct tok *t, char *buf, size_t cap)
{
    static const char *const kw[] = {"and", "or", "not", "of", "them", "all", "any", NULL};
    struct ty_str w = tok_str(p, t);
    buf[0] = '\0';
    for (size_t k = 0; kw[k]; k++) {
        if (ty_str_eq_nocase(w, ty_str_cstr(kw[k]))) {
            snprintf(buf, cap, " (keywords are lower-case: '%s')", kw[k]);
            break;
        }
    }
    return buf;
}

static struct ty_cond *new_cond(struct cparse *p, enum ty_cond_op op)
{
    struct ty_cond *c = ty_arena_alloc(p->a, sizeof(*c));
    if (c) {
        memset(c, 0, sizeof(*c));
        c->op = op;
    }
    return c;
}

static int oom(struct cparse *p)
{
    return ty_err_set(p->err, TY_ENOMEM, "out of memory parsing the condition");
}

/* Whole-string glob match where '*' is any sequence (iterative). */
static bool glob_match(struct ty_str pat, struct ty_str s)
{
    size_t pi = 0, si = 0, star = (size_t)-1, mark = 0;
    while (si < s.len) {
        if (pi < pat.len && pat.p[pi] == '*') {
            star = pi++;
            mark = si;
        } else if (pi < pat.len && pat.p[pi] == s.p[si]) {
            pi++;
            si++;
        } else if (star != (size_t)-1) {
            pi = star + 1;
            si = ++mark;
        } else {
            return false;
        }
    }
    while (pi < pat.len && pat.p[pi] == '*')
        pi++;
    return pi == pat.len;
}

/* Build an n-ary node from a child list, collapsing 0 and 1 children. */
static int make_nary(struct cparse *p, enum ty_cond_op op, struct ty_cond **kids, size_t n,
                     struct ty_cond **out)
{
    struct ty_cond *c;
    if (n == 0) {
        *out = NULL;
        return 0;
    }
    if (n == 1) {
        *out = kids[0];
        return 0;
    }
    c = new_cond(p, op);
    if (!c || n > UINT32_MAX)
        return oom(p);
    c->kid = ty_arena_alloc(p->a, n * sizeof(*c->kid));
    if (!c->kid)
        return oom(p);
    memcpy(c->kid, kids, n * sizeof(*c->kid));
    c->n = (uint32_t)n;
    *out = c;
    return 0;
}

/* A warning line; a full warning buffer loses the warning, not the rule. */
static int add_warn(struct cparse *p, unsigned col, const char *term)
{
    int rc;
    if (!p->warn)
        return 0;
    rc = ty_buf_addf(p->warn, "column %u: '%s' matches no search identifier: the term is dropped\n",
                     col, term);
    return rc == TY_ENOMEM ? oom(p) : 0;
}

/* "1 of X", "any of X", "all of X": expand over the identifiers. The
 * current token is the quantifier; "of" follows. */
static int parse_selector(struct cparse *p, struct ty_cond **out)
{
    struct tok q = p->cur, pat;
    struct ty_cond **kids = NULL;
    size_t n = 0;
    bool all = word_is(p, &q, "all"), them, pat_under;
    struct ty_str ps;
    char b[80];
    int rc;

    *out = NULL;
    rc = advance(p); /* "of" */
    if (!rc)
        rc = advance(p);
    if (rc)
        goto out;
    pat = p->cur;
    if (pat.kind != T_WORD || (is_keyword(p, &pat))) {
        rc = ty_err_set(p->err, TY_EINVAL, "column %u: expected 'them' or a pattern after '%s of'",
                        col_of(pat.off), show(tok_str(p, &q), b, sizeof(b)));
        goto out;
    }
    ps = tok_str(p, &pat);
    them = ty_str_eq_cstr(ps, "them");
    pat_under = ps.len && ps.p[0] == '_';
    kids = malloc((p->n_idents ? p->n_idents : 1) * sizeof(*kids));
    if (!kids) {
        rc = oom(p);
        goto out;
    }
    for (size_t k = 0; k < p->n_idents; k++) {
        struct ty_str id = p->idents[k];
        bool under = id.len && id.p[0] == '_';
        bool hit;
        if (them)
            hit = !under;
        else if (under && !pat_under)
            hit = false;
        else if (ty_str_chr(ps, '*') >= 0)
            hit = glob_match(ps, id);
        else
            hit = ty_str_eq(ps, id);
        if (!hit)
            continue;
        kids[n] = new_cond(p, TY_C_IDENT);
        if (!kids[n]) {
            rc = oom(p);
            goto out;
        }
        kids[n]->ident = (uint32_t)k;
        n++;
    }
    if (n == 0) {
        struct ty_str whole = ty_str_make(p->text.p + q.off, pat.off + pat.len - q.off);
        rc = add_warn(p, col_of(q.off), show(whole, b, sizeof(b)));
    } else {
        rc = make_nary(p, all ? TY_C_AND : TY_C_OR, kids, n, out);
    }
    if (!rc)
        rc = advance(p);
out:
    free(kids);
    return rc;
}

static int parse_or(struct cparse *p, struct ty_cond **out);

static int parse_primary(struct cparse *p, struct ty_cond **out)
{
    struct tok t = p->cur;
    char b[80], h[64];
    int rc;

    *out = NULL;
    if (t.kind == T_LP) {
        if (++p->nest > MAX_NEST)
            return ty_err_set(p->err, TY_EINVAL, "column %u: nested deeper than %d levels",
                              col_of(t.off), MAX_NEST);
        rc = advance(p);
        if (!rc)
            rc = parse_or(p, out);
        if (rc)
            return rc;
        if (p->cur.kind != T_RP)
            return ty_err_set(p->err, TY_EINVAL,
                              "column %u: expected ')' to close the '(' at column %u",
                              col_of(p->cur.off), col_of(t.off));
        p->nest--;
        return advance(p);
    }
    if (t.kind == T_RP)
        return ty_err_set(p->err, TY_EINVAL, "column %u: unexpected ')'", col_of(t.off));
    if (t.kind == T_END)
        return ty_err_set(p->err, TY_EINVAL,
                          "column %u: the condition ends where a search identifier, 'not' or "
                          "'(' was expected",
                          col_of(t.off));
    if (is_keyword(p, &t))
        return ty_err_set(p->err, TY_EINVAL,
                          "column %u: unexpected '%s' where a search identifier was expected",
                          col_of(t.off), show(tok_str(p, &t), b, sizeof(b)));
    if (word_is(p, &t, "1") || word_is(p, &t, "any") || word_is(p, &t, "all")) {
        struct tok nx;
        size_t pos = p->pos;
        rc = scan(p, &pos, &nx);
        if (rc)
            return rc;
        if (word_is(p, &nx, "of"))
            return parse_selector(p, out);
    }
    if (ty_str_chr(tok_str(p, &t), '*') >= 0)
        return ty_err_set(p->err, TY_EINVAL,
                          "column %u: the pattern '%s' needs a quantifier ('1 of', 'all of')",
                          col_of(t.off), show(tok_str(p, &t), b, sizeof(b)));
    for (size_t k = 0; k < p->n_idents; k++) {
        if (ty_str_eq(p->idents[k], tok_str(p, &t))) {
            struct ty_cond *c = new_cond(p, TY_C_IDENT);
            if (!c)
                return oom(p);
            c->ident = (uint32_t)k;
            *out = c;
            return advance(p);
        }
    }
    return ty_err_set(p->err, TY_EINVAL, "column %u: unknown search identifier '%s'%s",
                      col_of(t.off), show(tok_str(p, &t), b, sizeof(b)),
                      case_hint(p, &t, h, sizeof(h)));
}

static int parse_not(struct cparse *p, struct ty_cond **out)
{
    struct ty_cond *kid = NULL, *c;
    int rc;
    *out = NULL;
    if (!word_is(p, &p->cur, "not"))
        return parse_primary(p, out);
    if (++p->nest > MAX_NEST)
        return ty_err_set(p->err, TY_EINVAL, "column %u: nested deeper than %d levels",
                          col_of(p->cur.off), MAX_NEST);
    rc = advance(p);
    if (!rc)
        rc = parse_not(p, &kid);
    if (rc)
        return rc;
    p->nest--;
    if (!kid)
        return 0; /* not of a dropped term is dropped too */
    c = new_cond(p, TY_C_NOT);
    if (!c)
        return oom(p);
    c->kid = ty_arena_alloc(p->a, sizeof(*c->kid));
    if (!c->kid)
        return oom(p);
    c->kid[0] = kid;
    c->n = 1;
    *out = c;
    return 0;
}

/* A left-associative chain "x op y op z" as one n-ary node. */
static int parse_chain(struct cparse *p, const char *kw, struct ty_cond **out)
{
    struct ty_cond **kids = NULL, *x = NULL;
    size_t n = 0, cap = 0;
    bool is_and = kw[0] == 'a';
    int rc;

    *out = NULL;
    for (;;) {
        rc = is_and ? parse_not(p, &x) : parse_chain(p, "and", &x);
        if (rc)
            goto out;
        if (x) {
            if (n == cap) {
                size_t nc = cap ? cap * 2 : 4;
                struct ty_cond **nk = realloc(kids, nc * sizeof(*nk));
                if (!nk) {
                    rc = oom(p);
                    goto out;
                }
                kids = nk;
                cap = nc;
            }
            kids[n++] = x;
        }
        if (!word_is(p, &p->cur, kw))
            break;
        rc = advance(p);
        if (rc)
            goto out;
    }
    rc = make_nary(p, is_and ? TY_C_AND : TY_C_OR, kids, n, out);
out:
    free(kids);
    return rc;
}

static int parse_or(struct cparse *p, struct ty_cond **out)
{
    return parse_chain(p, "or", out);
}

int ty_cond_parse(struct ty_str text, const struct ty_str *idents, size_t n_idents,
                  struct ty_arena *a, struct ty_cond **out, struct ty_buf *warn,
                  struct ty_err *err)
{
    struct cparse p;
    struct ty_cond *root = NULL;
    ptrdiff_t bar;
    char b[80], h[64];
    int rc;

    *out = NULL;
    memset(&p, 0, sizeof(p));
    p.text = text.p ? text : ty_str_make("", 0);
    p.idents = idents;
    p.n_idents = n_idents;
    p.a = a;
    p.warn = warn;
    p.err = err;
    bar = ty_str_chr(p.text, '|');
    if (bar >= 0)
        return ty_err_set(err, TY_EINVAL,
                          "column %u: the v1 aggregation syntax (|) is not supported: use a "
                          "correlation rule",
                          col_of((size_t)bar));
    /* lexical errors first, so 'filter.x' reports its '.' */
    for (size_t pos = 0;;) {
        struct tok t;
        rc = scan(&p, &pos, &t);
        if (rc)
            return rc;
        if (t.kind == T_END)
            break;
    }
    rc = advance(&p);
    if (rc)
        return rc;
    if (p.cur.kind == T_END)
        return ty_err_set(err, TY_EINVAL, "column 1: the condition is empty");
    rc = parse_or(&p, &root);
    if (rc)
        return rc;
    if (p.cur.kind != T_END) {
        struct tok t = p.cur;
        if (t.kind == T_RP)
            return ty_err_set(err, TY_EINVAL, "column %u: unexpected ')'", col_of(t.off));
        return ty_err_set(err, TY_EINVAL,
                          "column %u: unexpected '%s' where 'and', 'or' or the end was "
                          "expected%s",
                          col_of(t.off), show(tok_str(&p, &t), b, sizeof(b)),
                          t.kind == T_WORD ? case_hint(&p, &t, h, sizeof(h)) : "");
    }
    if (!root)
        return ty_err_set(err, TY_EINVAL,
                          "column 1: the condition is empty once the terms matching no "
                          "search identifier are dropped");
    *out = root;
    return 0;
}

bool ty_cond_eval(const struct ty_cond *c, ty_ident_fn fn, void *arg)
{
    if (!c)
        return false;
    switch (c->op) {
    case TY_C_IDENT:
        return fn(arg, c->ident);
    case TY_C_AND:
        for (uint32_t k = 0; k < c->n; k++)
            if (!ty_cond_eval(c->kid[k], fn, arg))
                return false;
        return true;
    case TY_C_OR:
        for (uint32_t k = 0; k < c->n; k++)
            if (ty_cond_eval(c->kid[k], fn, arg))
                return true;
        return false;
    case TY_C_NOT:
        return !ty_cond_eval(c->kid[0], fn, arg);
    case TY_C_TRUE:
        return true;
    case TY_C_FALSE:
        return false;
    }
    return false;
}

static int format(const struct ty_cond *c, const struct ty_str *idents, struct ty_buf *out,
                  bool wrap)
{
    int rc = 0;
    switch (c->op) {
    case TY_C_IDENT:
        return ty_buf_addstr(out, idents[c->ident]);
    case TY_C_TRUE:
        return ty_buf_adds(out, "true");
    case TY_C_FALSE:
        return ty_buf_adds(out, "false");
    case TY_C_NOT:
        rc = ty_buf_adds(out, "not ");
        return rc ? rc : format(c->kid[0], idents, out, true);
    case TY_C_AND:
    case TY_C_OR:
        if (wrap)
            rc = ty_buf_addc(out, '(');
        for (uint32_t k = 0; !rc && k < c->n; k++) {
            if (k)
                rc = ty_buf_adds(out, c->op == TY_C_AND ? " and " : " or ");
            if (!rc)
                rc = format(c->kid[k], idents, out, true);
        }
        if (!rc && wrap)
            rc = ty_buf_addc(out, ')');
        return rc;
    }
    return TY_EINVAL;
}

int ty_cond_format(const struct ty_cond *c, const struct ty_str *idents, struct ty_buf *out)
{
    if (!c)
        return ty_buf_adds(out, "false");
    return format(c, idents, out, false);
}
