/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-sigma-cond.c - the condition parser: every grammar form, precedence,
 * "x of" expansion, sigma-spec §11 cases 21-25, whole-word keywords,
 * dropped empty selectors, error messages with columns, the depth limit,
 * lazy evaluation and the canonical format; then every rule of the shared
 * SigmaHQ snapshot through the YAML loader and the condition parser.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/yaml.h>

#include "sigma/sigma-int.h"
#include "test.h"

#define MAX_ID 16

struct idset {
    struct ty_str id[MAX_ID];
    size_t n;
};

/* Identifiers from a space-separated list. */
static struct idset ids(const char *list)
{
    struct idset s;
    const char *p = list;
    s.n = 0;
    while (*p && s.n < MAX_ID) {
        const char *e = strchr(p, ' ');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        s.id[s.n++] = ty_str_make(p, len);
        p += len;
        while (*p == ' ')
            p++;
    }
    return s;
}

static char warn_text[1024];

/* Parse and format: the canonical text, or "ERR <message>". Warnings land
 * in warn_text. */
static const char *cond(const char *text, const char *idlist)
{
    static char out[8192];
    struct idset s = ids(idlist);
    struct ty_arena a;
    struct ty_buf b, w;
    struct ty_err err = {0};
    struct ty_cond *c = NULL;
    int rc;
    ty_arena_init(&a, 0, 0);
    ty_buf_init(&b, 1 << 16);
    ty_buf_init(&w, 1 << 16);
    rc = ty_cond_parse(ty_str_cstr(text), s.id, s.n, &a, &c, &w, &err);
    if (rc) {
        snprintf(out, sizeof(out), "ERR %s", err.msg);
        if (rc != TY_EINVAL || c != NULL)
            snprintf(out, sizeof(out), "ERR wrong rc %d", rc);
    } else {
        ty_cond_format(c, s.id, &b);
        snprintf(out, sizeof(out), "%s", b.buf);
    }
    snprintf(warn_text, sizeof(warn_text), "%s", w.buf);
    ty_buf_release(&w);
    ty_buf_release(&b);
    ty_arena_release(&a);
    return out;
}

struct truth {
    unsigned mask;  /* bit k: identifier k is true */
    unsigned asked; /* bit k: identifier k was evaluated */
};

static bool ident_fn(void *arg, uint32_t ident)
{
    struct truth *t = arg;
    t->asked |= 1u << ident;
    return (t->mask >> ident) & 1;
}

/* Evaluate with the identifiers whose bits are set true; -1 on a parse
 * error. *asked gets the identifiers the evaluation looked at. */
static int eval(const char *text, const char *idlist, unsigned mask, unsigned *asked)
{
    struct idset s = ids(idlist);
    struct ty_arena a;
    struct ty_err err = {0};
    struct ty_cond *c = NULL;
    struct truth t = {mask, 0};
    int r = -1;
    ty_arena_init(&a, 0, 0);
    if (ty_cond_parse(ty_str_cstr(text), s.id, s.n, &a, &c, NULL, &err) == 0)
        r = ty_cond_eval(c, ident_fn, &t);
    if (asked)
        *asked = t.asked;
    ty_arena_release(&a);
    return r;
}

static void test_forms(void)
{
    CHECK_STR(cond("sel", "sel"), "sel");
    CHECK_STR(cond("a and b", "a b"), "a and b");
    CHECK_STR(cond("a or b", "a b"), "a or b");
    CHECK_STR(cond("not a", "a"), "not a");
    CHECK_STR(cond("not not a", "a"), "not not a");
    CHECK_STR(cond("a and b and c", "a b c"), "a and b and c");
    CHECK_STR(cond("a or b or c", "a b c"), "a or b or c");
    CHECK_STR(cond("(a)", "a"), "a");
    CHECK_STR(cond("((a or b))", "a b"), "a or b");
    CHECK_STR(cond("a and (b or c)", "a b c"), "a and (b or c)");
    CHECK_STR(cond("(a and b) and c", "a b c"), "(a and b) and c");
    CHECK_STR(cond("not (a or b)", "a b"), "not (a or b)");
    CHECK_STR(cond("a and not b or c", "a b c"), "(a and not b) or c");
    /* x of: 1/any are OR, all is AND; a pattern globs the whole name */
    CHECK_STR(cond("1 of sel*", "sel1 sel2 filter"), "sel1 or sel2");
    CHECK_STR(cond("any of sel*", "sel1 sel2 filter"), "sel1 or sel2");
    CHECK_STR(cond("all of sel*", "sel1 sel2 filter"), "sel1 and sel2");
    CHECK_STR(cond("1 of them", "a b"), "a or b");
    CHECK_STR(cond("all of them", "a b"), "a and b");
    CHECK_STR(cond("1 of *_b", "x_b b y_b_c"), "x_b");
    CHECK_STR(cond("1 of s*l*", "sel sl s sxlx"), "sel or sl or sxlx");
    CHECK_STR(cond("1 of *", "a _b c"), "a or c");
    /* one match: the identifier itself */
    CHECK_STR(cond("all of sel*", "sel1 other"), "sel1");
    /* x of binds tighter than not and and */
    CHECK_STR(cond("sel and not 1 of filter_*", "sel filter_a filter_b"),
              "sel and not (filter_a or filter_b)");
    CHECK_STR(cond("not all of f* or x", "f1 f2 x"), "not (f1 and f2) or x");
    /* identifiers with other characters are reachable only by a pattern */
    CHECK_STR(cond("sel and not 1 of filter_main_*", "sel filter_main_mdadm.conf filter_main_x"),
              "sel and not (filter_main_mdadm.conf or filter_main_x)");
    CHECK_STR(cond("1 of select*", "select_tree_execution|endswith"),
              "select_tree_execution|endswith");
    /* '-' is an identifier character, as in pySigma */
    CHECK_STR(cond("sel-1 and not f-2", "sel-1 f-2"), "sel-1 and not f-2");
    /* quantifier words are identifiers when no 'of' follows */
    CHECK_STR(cond("all and them and any", "all them any"), "all and them and any");
    CHECK_STR(cond("1 of all", "all x"), "all");
    /* identifiers are case-sensitive */
    CHECK_STR(cond("Sel", "sel"), "ERR column 1: unknown search identifier 'Sel'");
}

static void test_spec_cases(void)
{
    /* 21: them skips identifiers starting with '_' */
    CHECK_STR(cond("all of them", "sel1 _hidden"), "sel1");
    CHECK_INT(eval("all of them", "sel1 _hidden", 1, NULL), 1);
    /* ...and so do patterns that do not start with '_' */
    CHECK_STR(cond("1 of *hidden", "sel1 _hidden x_hidden"), "x_hidden");
    CHECK_STR(cond("1 of _*", "sel1 _hidden _b"), "_hidden or _b");
    CHECK_STR(cond("_hidden and sel1", "sel1 _hidden"), "_hidden and sel1");
    /* 22: a pattern without '*' is exact */
    CHECK_STR(cond("1 of selection", "selection selection_extra"), "selection");
    CHECK_INT(eval("1 of selection", "selection selection_extra", 2, NULL), 0);
    /* 23: precedence, only d true */
    CHECK_STR(cond("a and not b or not c and d", "a b c d"), "(a and not b) or (not c and d)");
    CHECK_INT(eval("a and not b or not c and d", "a b c d", 8, NULL), 1);
    CHECK_INT(eval("a and not b or not c and d", "a b c d", 8 | 4, NULL), 0);
    /* 24: upper-case operators are rejected */
    CHECK_STR(cond("sel1 OR sel2", "sel1 sel2"),
              "ERR column 6: unexpected 'OR' where 'and', 'or' or the end was expected "
              "(keywords are lower-case: 'or')");
    CHECK_STR(cond("NOT sel1", "sel1"),
              "ERR column 1: unknown search identifier 'NOT' (keywords are lower-case: 'not')");
    CHECK_STR(cond("1 OF them", "sel1"),
              "ERR column 1: unknown search identifier '1'");
    CHECK_STR(cond("All of them", "sel1"),
              "ERR column 1: unknown search identifier 'All' (keywords are lower-case: 'all')");
    /* 25: the v1 pipe aggregation */
    CHECK_STR(cond("sel | count() > 5", "sel"),
              "ERR column 5: the v1 aggregation syntax (|) is not supported: use a correlation "
              "rule");
    CHECK_STR(cond("sel | count(x) by y > 5", "sel"),
              "ERR column 5: the v1 aggregation syntax (|) is not supported: use a correlation "
              "rule");
}

static void test_words(void)
{
    /* whole words: 'notable' is an identifier, not 'not able' */
    CHECK_STR(cond("notable", "notable able"), "notable");
    CHECK_STR(cond("not notable", "notable able"), "not notable");
    CHECK_STR(cond("order and android", "order android"), "order and android");
    CHECK_STR(cond("sel andfilter", "sel filter"),
              "ERR column 5: unexpected 'andfilter' where 'and', 'or' or the end was expected");
    /* any whitespace separates, including newlines (block scalars) */
    CHECK_STR(cond("sel\nand\tnot\r\n  filter\n", "sel filter"), "sel and not filter");
    CHECK_STR(cond("(sel)and(not filter)", "sel filter"), "sel and not filter");
    CHECK_STR(cond("  sel  ", "sel"), "sel");
}

static void test_dropped(void)
{
    /* a selector matching nothing is dropped with a warning */
    CHECK_STR(cond("sel and not 1 of filter_*", "sel"), "sel");
    CHECK_STR(warn_text,
              "column 13: '1 of filter_*' matches no search identifier: the term is dropped\n");
    CHECK_STR(cond("sel and 1 of filter_*", "sel"), "sel");
    CHECK_STR(cond("1 of filter_* or sel", "sel"), "sel");
    CHECK_STR(cond("sel and (not 1 of f*)", "sel"), "sel");
    CHECK_STR(cond("sel and 1 of x* and all of y*", "sel"), "sel");
    CHECK_STR(warn_text, "column 9: '1 of x*' matches no search identifier: the term is "
                         "dropped\ncolumn 21: 'all of y*' matches no search identifier: the "
                         "term is dropped\n");
    CHECK_STR(cond("1 of them", "_a _b"),
              "ERR column 1: the condition is empty once the terms matching no search "
              "identifier are dropped");
    CHECK_STR(cond("not 1 of x* or (all of y*)", "sel"),
              "ERR column 1: the condition is empty once the terms matching no search "
              "identifier are dropped");
    CHECK_STR(cond("sel", "sel"), "sel");
    CHECK_STR(warn_text, "");
}

static void test_errors(void)
{
    CHECK_STR(cond("", "sel"), "ERR column 1: the condition is empty");
    CHECK_STR(cond(" \n ", "sel"), "ERR column 1: the condition is empty");
    CHECK_STR(cond("sel and selction", "sel selection"),
              "ERR column 9: unknown search identifier 'selction'");
    CHECK_STR(cond("sel*", "sel1"),
              "ERR column 1: the pattern 'sel*' needs a quantifier ('1 of', 'all of')");
    CHECK_STR(cond("sel and", "sel"),
              "ERR column 8: the condition ends where a search identifier, 'not' or '(' was "
              "expected");
    CHECK_STR(cond("sel and or b", "sel b"),
              "ERR column 9: unexpected 'or' where a search identifier was expected");
    CHECK_STR(cond("and sel", "sel"),
              "ERR column 1: unexpected 'and' where a search identifier was expected");
    CHECK_STR(cond("(sel", "sel"), "ERR column 5: expected ')' to close the '(' at column 1");
    CHECK_STR(cond("sel)", "sel"), "ERR column 4: unexpected ')'");
    CHECK_STR(cond("()", "sel"), "ERR column 2: unexpected ')'");
    CHECK_STR(cond("sel b", "sel b"),
              "ERR column 5: unexpected 'b' where 'and', 'or' or the end was expected");
    CHECK_STR(cond("1 of", "sel"), "ERR column 5: expected 'them' or a pattern after '1 of'");
    CHECK_STR(cond("all of (sel)", "sel"),
              "ERR column 8: expected 'them' or a pattern after 'all of'");
    CHECK_STR(cond("1 of not", "sel"), "ERR column 6: expected 'them' or a pattern after '1 of'");
    CHECK_STR(cond("of sel", "sel"),
              "ERR column 1: unexpected 'of' where a search identifier was expected");
    CHECK_STR(cond("sel and filter.x", "sel filter.x"),
              "ERR column 15: unexpected character '.' "
              "(identifiers with characters other than A-Z a-z 0-9 _ - are reached through a "
              "pattern: '1 of x*')");
    CHECK_STR(cond("sel & b", "sel b"), "ERR column 5: unexpected character '&' "
              "(identifiers with characters other than A-Z a-z 0-9 _ - are reached through a "
              "pattern: '1 of x*')");
    CHECK_STR(cond("sel and \xc3\xa9", "sel"), "ERR column 9: unexpected character '\\xc3' "
              "(identifiers with characters other than A-Z a-z 0-9 _ - are reached through a "
              "pattern: '1 of x*')");
    CHECK_STR(cond("\"sel\"", "sel"), "ERR column 1: unexpected character '\"' "
              "(identifiers with characters other than A-Z a-z 0-9 _ - are reached through a "
              "pattern: '1 of x*')");
}

static void test_depth(void)
{
    static char buf[4096];
    size_t m = 0;
    for (int k = 0; k < 256; k++)
        buf[m++] = '(';
    buf[m++] = 'a';
    for (int k = 0; k < 256; k++)
        buf[m++] = ')';
    buf[m] = '\0';
    CHECK_STR(cond(buf, "a"), "a");
    m = 0;
    for (int k = 0; k < 257; k++)
        buf[m++] = '(';
    buf[m++] = 'a';
    for (int k = 0; k < 257; k++)
        buf[m++] = ')';
    buf[m] = '\0';
    CHECK_STR(cond(buf, "a"), "ERR column 257: nested deeper than 256 levels");
    m = 0;
    for (int k = 0; k < 300; k++) {
        memcpy(buf + m, "not ", 4);
        m += 4;
    }
    buf[m++] = 'a';
    buf[m] = '\0';
    CHECK_STR(cond(buf, "a"), "ERR column 1025: nested deeper than 256 levels");
    /* long flat chains are not nesting */
    m = 0;
    for (int k = 0; k < 500; k++) {
        memcpy(buf + m, k ? " or a" : "a", k ? 5 : 1);
        m += k ? 5 : 1;
    }
    buf[m] = '\0';
    CHECK_INT(strlen(cond(buf, "a")), 500 * 5 - 4);
}

static void test_eval(void)
{
    unsigned asked;
    /* truth tables */
    for (unsigned m = 0; m < 4; m++) {
        bool a = m & 1, b = m & 2;
        CHECK_INT(eval("a and b", "a b", m, NULL), a && b);
        CHECK_INT(eval("a or b", "a b", m, NULL), a || b);
        CHECK_INT(eval("not a or b", "a b", m, NULL), !a || b);
        CHECK_INT(eval("not (a or b)", "a b", m, NULL), !(a || b));
        CHECK_INT(eval("all of them", "a b", m, NULL), a && b);
        CHECK_INT(eval("1 of them", "a b", m, NULL), a || b);
    }
    /* lazy: and stops at the first false, or at the first true */
    CHECK_INT(eval("a and b and c", "a b c", 0, &asked), 0);
    CHECK_INT(asked, 1);
    CHECK_INT(eval("a or b or c", "a b c", 2, &asked), 1);
    CHECK_INT(asked, 3);
    CHECK_INT(eval("sel and not 1 of filter*", "sel filter1 filter2", 1 | 4, &asked), 0);
    CHECK_INT(asked, 7);
    /* a NULL tree is false */
    CHECK(!ty_cond_eval(NULL, ident_fn, NULL));
}

static void test_format_nodes(void)
{
    /* TRUE/FALSE nodes (built by callers, never by the parser) */
    struct ty_cond t = {TY_C_TRUE, 0, NULL, 0}, f = {TY_C_FALSE, 0, NULL, 0};
    struct ty_cond *kids[2] = {&t, &f};
    struct ty_cond and = {TY_C_AND, 0, kids, 2};
    struct ty_buf b;
    ty_buf_init(&b, 256);
    CHECK_INT(ty_cond_format(&and, NULL, &b), 0);
    CHECK_STR(b.buf, "true and false");
    CHECK(!ty_cond_eval(&and, ident_fn, NULL));
    and.op = TY_C_OR;
    CHECK(ty_cond_eval(&and, ident_fn, NULL));
    /* a full output buffer is an error, not a crash */
    ty_buf_release(&b);
    ty_buf_init(&b, 4);
    CHECK_INT(ty_cond_format(&and, NULL, &b), TY_ETOOBIG);
    ty_buf_release(&b);
}

struct corpus_stats {
    size_t files, rules, conds, yaml_err, cond_err, warned;
    char first_err[512];
};

/* Load one rule file; parse each document's condition(s). */
static void corpus_file(const char *path, struct corpus_stats *st)
{
    size_t len = 0;
    char *text = ty_test_read_file(path, &len);
    struct ty_arena a;
    struct ty_ydocs d;
    struct ty_err err = {0};
    if (!text)
        return;
    st->files++;
    ty_arena_init(&a, 0, 0);
    if (ty_yaml_parse(text, len, &a, &d, &err) != 0) {
        st->yaml_err++;
        if (!st->first_err[0])
            snprintf(st->first_err, sizeof(st->first_err), "%.200s: %s", path, err.msg);
        d.n = 0;
    }
    for (size_t k = 0; k < d.n; k++) {
        const struct ty_ynode *det = ty_ymap_get(d.doc[k], "detection"), *cv;
        struct ty_str ids[256];
        size_t n = 0;
        if (!det || det->kind != TY_Y_MAP)
            continue;
        st->rules++;
        for (size_t j = 0; j < det->n && n < 256; j++)
            if (!ty_str_eq_cstr(det->kv[2 * j]->text, "condition"))
                ids[n++] = det->kv[2 * j]->text;
        cv = ty_ymap_get(det, "condition");
        for (size_t j = 0; cv && j < (cv->kind == TY_Y_SEQ ? cv->n : 1); j++) {
            const struct ty_ynode *one = cv->kind == TY_Y_SEQ ? cv->kv[j] : cv;
            struct ty_cond *c = NULL;
            struct ty_buf w;
            ty_buf_init(&w, 4096);
            st->conds++;
            if (ty_cond_parse(one->text, ids, n, &a, &c, &w, &err) != 0) {
                st->cond_err++;
                if (!st->first_err[0])
                    snprintf(st->first_err, sizeof(st->first_err), "%.200s: %s", path, err.msg);
            }
            if (w.len)
                st->warned++;
            ty_buf_release(&w);
        }
    }
    ty_arena_release(&a);
    free(text);
}

static void corpus_dir(const char *dir, struct corpus_stats *st, int depth)
{
    DIR *dh = depth < 12 ? opendir(dir) : NULL;
    struct dirent *de;
    char path[4096];
    if (!dh)
        return;
    while ((de = readdir(dh))) {
        size_t nl = strlen(de->d_name);
        if (de->d_name[0] == '.')
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
        if (nl > 4 && strcmp(de->d_name + nl - 4, ".yml") == 0)
            corpus_file(path, st);
        else
            corpus_dir(path, st, depth + 1);
    }
    closedir(dh);
}

/* Every SigmaHQ rule loads, and every condition of the rule folders parses
 * (deprecated/ and unsupported/ with v1 pipes are not in the snapshot). */
static void test_sigmahq(void)
{
    static const char *const sub[] = {"rules", "rules-threat-hunting", "rules-emerging-threats",
                                      "rules-placeholder"};
    const char *data = ty_test_data_dir();
    struct corpus_stats st;
    char dir[1024];
    if (!data) {
        ty_test_skip("no shared data");
        return;
    }
    memset(&st, 0, sizeof(st));
    for (size_t k = 0; k < 4; k++) {
        snprintf(dir, sizeof(dir), "%s/sigmahq-sigma/%s", data, sub[k]);
        corpus_dir(dir, &st, 0);
    }
    if (st.files == 0) {
        ty_test_skip("no sigmahq-sigma rules in the shared data");
        return;
    }
    CHECK(st.rules > 500);
    CHECK_INT(st.conds, st.rules);
    CHECK_INT(st.yaml_err, 0);
    CHECK_INT(st.cond_err, 0);
    if (st.first_err[0])
        fprintf(stderr, "  first error: %s\n", st.first_err);
}

void test_sigma_cond(void);

void test_sigma_cond(void)
{
    test_forms();
    test_spec_cases();
    test_words();
    test_dropped();
    test_errors();
    test_depth();
    test_eval();
    test_format_nodes();
    test_sigmahq();
}
