/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-yaml.c - the YAML loader: PyYAML 1.1 scalar resolution (each case
 * checked against PyYAML 6.0 by hand), multi-document streams, anchors and
 * merge keys, duplicate keys, positions, error messages and hostile input.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/buf.h>
#include <tyto/yaml.h>

#include "test.h"

/* Python-repr-like dump of a node: None True 8 1.5 'str' [..] {k: v}. */
static void dump(const struct ty_ynode *n, struct ty_buf *b)
{
    char tmp[64];
    if (n->kind == TY_Y_SCALAR) {
        switch (n->stype) {
        case TY_YS_NULL:
            ty_buf_adds(b, "None");
            break;
        case TY_YS_BOOL:
            ty_buf_adds(b, n->b ? "True" : "False");
            break;
        case TY_YS_INT:
            ty_buf_addf(b, "%lld", (long long)n->i);
            break;
        case TY_YS_FLOAT:
            if (isnan(n->f))
                ty_buf_adds(b, "nan");
            else if (isinf(n->f))
                ty_buf_adds(b, n->f > 0 ? "inf" : "-inf");
            else {
                snprintf(tmp, sizeof(tmp), "%.17g", n->f);
                ty_buf_adds(b, tmp);
            }
            break;
        case TY_YS_STR:
            ty_buf_addc(b, '\'');
            ty_buf_addstr(b, n->text);
            ty_buf_addc(b, '\'');
            break;
        }
        return;
    }
    ty_buf_addc(b, n->kind == TY_Y_SEQ ? '[' : '{');
    for (size_t k = 0; k < n->n; k++) {
        if (k)
            ty_buf_adds(b, ", ");
        if (n->kind == TY_Y_SEQ) {
            dump(n->kv[k], b);
        } else {
            dump(n->kv[2 * k], b);
            ty_buf_adds(b, ": ");
            dump(n->kv[2 * k + 1], b);
        }
    }
    ty_buf_addc(b, n->kind == TY_Y_SEQ ? ']' : '}');
}

/* Parse text; return the documents dumped one per line, or "ERR <msg>". */
static const char *load(const char *text)
{
    static char out[4096];
    struct ty_arena a;
    struct ty_ydocs d;
    struct ty_err err = {0};
    struct ty_buf b;
    int rc;
    ty_arena_init(&a, 0, 0);
    ty_buf_init(&b, 1 << 20);
    rc = ty_yaml_parse(text, strlen(text), &a, &d, &err);
    if (rc) {
        snprintf(out, sizeof(out), "ERR %s", err.msg);
        if (rc != TY_ECORRUPT || d.n != 0 || d.doc != NULL)
            snprintf(out, sizeof(out), "ERR wrong rc %d or documents returned", rc);
    } else {
        for (size_t k = 0; k < d.n; k++) {
            if (k)
                ty_buf_addc(&b, '\n');
            dump(d.doc[k], &b);
        }
        snprintf(out, sizeof(out), "%s", b.buf);
    }
    ty_buf_release(&b);
    ty_arena_release(&a);
    return out;
}

/* The value of "v: <plain>" dumped. */
static const char *scalar(const char *plain)
{
    static char in[256], out[512];
    const char *r;
    snprintf(in, sizeof(in), "v: %s\n", plain);
    r = load(in);
    if (strncmp(r, "{'v': ", 6) == 0 && strlen(r) > 7)
        snprintf(out, sizeof(out), "%.*s", (int)(strlen(r) - 7), r + 6);
    else
        snprintf(out, sizeof(out), "%s", r);
    return out;
}

static void test_resolution(void)
{
    /* null */
    CHECK_STR(scalar("~"), "None");
    CHECK_STR(scalar("null"), "None");
    CHECK_STR(scalar("Null"), "None");
    CHECK_STR(scalar("NULL"), "None");
    CHECK_STR(scalar(""), "None");
    CHECK_STR(scalar("nUll"), "'nUll'");
    /* bool: the 18 YAML 1.1 words, nothing else */
    {
        static const char *const t[] = {"yes", "Yes", "YES", "true", "True", "TRUE",
                                        "on",  "On",  "ON"};
        static const char *const f[] = {"no",    "No",  "NO",  "false", "False",
                                        "FALSE", "off", "Off", "OFF"};
        for (size_t k = 0; k < 9; k++) {
            CHECK_STR(scalar(t[k]), "True");
            CHECK_STR(scalar(f[k]), "False");
        }
    }
    CHECK_STR(scalar("y"), "'y'");
    CHECK_STR(scalar("n"), "'n'");
    CHECK_STR(scalar("tRue"), "'tRue'");
    CHECK_STR(scalar("oN"), "'oN'");
    /* int */
    CHECK_STR(scalar("4624"), "4624");
    CHECK_STR(scalar("-42"), "-42");
    CHECK_STR(scalar("+7"), "7");
    CHECK_STR(scalar("-0"), "0");
    CHECK_STR(scalar("1_000"), "1000");
    CHECK_STR(scalar("1__0"), "10");
    CHECK_STR(scalar("010"), "8");
    CHECK_STR(scalar("-010"), "-8");
    CHECK_STR(scalar("00"), "0");
    CHECK_STR(scalar("0_"), "0");
    CHECK_STR(scalar("0777"), "511");
    CHECK_STR(scalar("09"), "'09'");
    CHECK_STR(scalar("08"), "'08'");
    CHECK_STR(scalar("0x10"), "16");
    CHECK_STR(scalar("0x_1F"), "31");
    CHECK_STR(scalar("-0x10"), "-16");
    CHECK_STR(scalar("0xG"), "'0xG'");
    CHECK_STR(scalar("0b101"), "5");
    CHECK_STR(scalar("+0b11"), "3");
    CHECK_STR(scalar("0b2"), "'0b2'");
    CHECK_STR(scalar("0o10"), "'0o10'");
    CHECK_STR(scalar("1:30"), "90");
    CHECK_STR(scalar("-1:30"), "-90");
    CHECK_STR(scalar("190:20:30"), "685230");
    CHECK_STR(scalar("1:60"), "'1:60'");
    CHECK_STR(scalar("0:30"), "'0:30'");
    CHECK_STR(scalar("1::30"), "'1::30'");
    CHECK_STR(scalar("9223372036854775807"), "9223372036854775807");
    CHECK_STR(scalar("-9223372036854775808"), "-9223372036854775808");
    /* past int64: a FLOAT (documented), the text kept */
    CHECK_STR(scalar("9223372036854775808"), "9.2233720368547758e+18");
    CHECK_STR(scalar("_1"), "'_1'");
    CHECK_STR(scalar("--1"), "'--1'");
    CHECK_STR(scalar("0x"), "'0x'");
    /* float: needs a '.', an exponent needs its sign (PyYAML's regex) */
    CHECK_STR(scalar("1.50"), "1.5");
    CHECK_STR(scalar(".5"), "0.5");
    CHECK_STR(scalar("1."), "1");
    CHECK_STR(scalar("1_.5"), "1.5");
    CHECK_STR(scalar("1.5e+3"), "1500");
    CHECK_STR(scalar("1.5E-3"), "0.0015");
    CHECK_STR(scalar(".5e+3"), "500");
    CHECK_STR(scalar("1.5e3"), "'1.5e3'");
    CHECK_STR(scalar("1e3"), "'1e3'");
    CHECK_STR(scalar("-.5"), "'-.5'");
    CHECK_STR(scalar("._5"), "'._5'");
    CHECK_STR(scalar("1.2.3"), "'1.2.3'");
    CHECK_STR(scalar("127.0.0.1"), "'127.0.0.1'");
    CHECK_STR(scalar("1:30.5"), "90.5");
    CHECK_STR(scalar("0:30.5"), "30.5");
    CHECK_STR(scalar(".inf"), "inf");
    CHECK_STR(scalar("-.Inf"), "-inf");
    CHECK_STR(scalar("+.INF"), "inf");
    CHECK_STR(scalar(".NaN"), "nan");
    CHECK_STR(scalar("-.nan"), "'-.nan'");
    CHECK_STR(scalar(".iNf"), "'.iNf'");
    CHECK_STR(scalar("."), "'.'");
    /* not resolved here: timestamps stay strings (documented) */
    CHECK_STR(scalar("2023-01-01"), "'2023-01-01'");
    /* quoted and block scalars are strings */
    CHECK_STR(scalar("'010'"), "'010'");
    CHECK_STR(scalar("\"yes\""), "'yes'");
    CHECK_STR(scalar("''"), "''");
    CHECK_STR(load("v: |\n  010\n"), "{'v': '010\n'}");
    CHECK_STR(load("v: >-\n  a\n  b\n"), "{'v': 'a b'}");
    /* YAML escapes: only in double quotes */
    CHECK_STR(load("a: 'C:\\Windows\\'\nb: \"x\\ty\"\n"), "{'a': 'C:\\Windows\\', 'b': 'x\ty'}");
    /* explicit tags */
    CHECK_STR(load("a: !!int \"10\"\nb: !!str 10\nc: !!float 1\nd: !!bool yes\ne: ! 5\n"),
              "{'a': 10, 'b': '10', 'c': 1, 'd': True, 'e': '5'}");
    CHECK_STR(load("a: !!int x\n"), "ERR line 1 column 4: the tag !!int does not fit this value");
    CHECK_STR(load("a: !foo x\n"), "ERR line 1 column 4: unsupported tag '!foo'");
}

static void test_fields(void)
{
    struct ty_arena a;
    struct ty_ydocs d;
    struct ty_err err = {0};
    const char *y = "title: t\n"
                    "n: 010\n"
                    "q: '010'\n"
                    "b: on\n"
                    "f: 1.50\n"
                    "detection:\n"
                    "  sel:\n"
                    "    - x\n";
    const struct ty_ynode *n, *det;
    ty_arena_init(&a, 0, 0);
    CHECK_INT(ty_yaml_parse(y, strlen(y), &a, &d, &err), 0);
    CHECK_INT(d.n, 1);
    if (d.n != 1) {
        ty_arena_release(&a);
        return;
    }
    CHECK_INT(d.doc[0]->kind, TY_Y_MAP);
    CHECK_INT(d.doc[0]->line, 1);
    CHECK_INT(d.doc[0]->col, 1);
    n = ty_ymap_get(d.doc[0], "n");
    CHECK(ty_yis(n, TY_YS_INT));
    CHECK_INT(n ? n->i : -1, 8);
    CHECK(n && n->f == 8.0);
    CHECK(n && !n->quoted);
    CHECK_SPAN(n ? n->text : TY_STR_NULL, "010");
    CHECK_INT(n ? n->line : 0, 2);
    CHECK_INT(n ? n->col : 0, 4);
    n = ty_ymap_get(d.doc[0], "q");
    CHECK(ty_yis(n, TY_YS_STR) && n->quoted);
    CHECK(n && n->text.p[n->text.len] == '\0');
    n = ty_ymap_get(d.doc[0], "b");
    CHECK(ty_yis(n, TY_YS_BOOL) && n->b && n->i == 1);
    n = ty_ymap_get(d.doc[0], "f");
    CHECK(ty_yis(n, TY_YS_FLOAT) && n->f == 1.5);
    CHECK_SPAN(n ? n->text : TY_STR_NULL, "1.50");
    det = ty_ymap_get(d.doc[0], "detection");
    n = ty_ymap_get(det, "sel");
    CHECK(n && n->kind == TY_Y_SEQ && n->n == 1);
    CHECK_INT(n ? n->line : 0, 8);
    CHECK_INT(n ? n->col : 0, 5);
    CHECK(n && n->n == 1 && n->kv[0]->line == 8 && n->kv[0]->col == 7);
    CHECK(ty_ymap_get(d.doc[0], "missing") == NULL);
    CHECK(ty_ymap_get(n, "x") == NULL); /* not a map */
    CHECK(ty_ymap_get(NULL, "x") == NULL);
    CHECK(!ty_yis(det, TY_YS_STR));
    ty_arena_release(&a);
}

static void test_multidoc(void)
{
    CHECK_STR(load(""), "");
    CHECK_STR(load("# only a comment\n"), "");
    CHECK_STR(load("---\n"), "None");
    CHECK_STR(load("a: 1\n---\nb: 2\n...\n---\n- x\n"), "{'a': 1}\n{'b': 2}\n['x']");
    CHECK_STR(load("---\n---\nx\n"), "None\n'x'");
    /* the multi-line condition of a rule: joined with spaces */
    CHECK_STR(load("condition: sel and\n    not filter\n"), "{'condition': 'sel and not filter'}");
    /* anchors are per document, as in PyYAML */
    CHECK_STR(load("a: &a 1\n---\nb: *a\n"), "ERR line 3 column 4: undefined alias '*a'");
}

static void test_aliases_merges(void)
{
    struct ty_arena a;
    struct ty_ydocs d;
    struct ty_err err = {0};
    const char *y = "x: &s {k: v}\ny: *s\n";
    CHECK_STR(load("a: &x 5\nb: *x\nc: [*x, *x]\n"), "{'a': 5, 'b': 5, 'c': [5, 5]}");
    /* an alias shares the anchored node */
    ty_arena_init(&a, 0, 0);
    CHECK_INT(ty_yaml_parse(y, strlen(y), &a, &d, &err), 0);
    CHECK(d.n == 1 && ty_ymap_get(d.doc[0], "x") == ty_ymap_get(d.doc[0], "y"));
    ty_arena_release(&a);
    /* merges, in PyYAML's order and precedence (checked with PyYAML 6.0) */
    CHECK_STR(load("base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 3\n  z: 4\n"),
              "{'base': {'x': 1, 'y': 2}, 'm': {'x': 1, 'y': 3, 'z': 4}}");
    CHECK_STR(load("a: &a {k: 1, j: 1}\nb: &b {k: 2, l: 2}\nc:\n  <<: [*a, *b]\n"),
              "{'a': {'k': 1, 'j': 1}, 'b': {'k': 2, 'l': 2}, 'c': {'k': 1, 'l': 2, 'j': 1}}");
    CHECK_STR(load("a: &a {k: 1, j: 1}\nb: &b {k: 2, l: 2}\nc:\n  <<: *a\n  <<: *b\n"),
              "{'a': {'k': 1, 'j': 1}, 'b': {'k': 2, 'l': 2}, 'c': {'k': 2, 'j': 1, 'l': 2}}");
    CHECK_STR(load("<<: {a: 1}\nb: 2\n"), "{'a': 1, 'b': 2}");
    CHECK_STR(load("'<<': 1\n"), "{'<<': 1}"); /* a quoted << is an ordinary key */
    CHECK_STR(load("m:\n  <<: 5\n"),
              "ERR line 2 column 7: a merge key '<<' needs a map or a list of maps");
    CHECK_STR(load("m:\n  <<: [{a: 1}, 2]\n"),
              "ERR line 2 column 16: a merge key '<<' list may hold only maps");
    /* errors */
    CHECK_STR(load("a: [1, *nope]\n"), "ERR line 1 column 8: undefined alias '*nope'");
    CHECK_STR(load("a: &x [1, *x]\n"), "ERR line 1 column 11: alias '*x' is inside the node it "
                                        "refers to (recursive structures are not supported)");
    CHECK_STR(load("- &a x\n- &a y\n"),
              "ERR line 2 column 3: anchor '&a' is defined twice (first at line 1 column 3)");
}

static void test_duplicates(void)
{
    CHECK_STR(load("x: 1\nx: 2\n"),
              "ERR line 2 column 1: duplicate key 'x' (first at line 1 column 1)");
    CHECK_STR(load("detection:\n  sel:\n"
                   "    CommandLine|contains: a\n    CommandLine|contains: b\n"),
              "ERR line 4 column 5: duplicate key 'CommandLine|contains' (first at line 3 "
              "column 5)");
    CHECK_STR(load("k: {a: 1, a: 2}\n"),
              "ERR line 1 column 11: duplicate key 'a' (first at line 1 column 5)");
    /* keys compare as PyYAML's values do */
    CHECK_STR(load("1: a\n01: b\n"),
              "ERR line 2 column 1: duplicate key '01' (first at line 1 column 1)");
    CHECK_STR(load("true: a\n1: b\n"),
              "ERR line 2 column 1: duplicate key '1' (first at line 1 column 1)");
    CHECK_STR(load("~: a\nnull: b\n"),
              "ERR line 2 column 1: duplicate key 'null' (first at line 1 column 1)");
    CHECK_STR(load("1: a\n'1': b\n"), "{1: 'a', '1': 'b'}");
    /* a merged key overridden by an explicit one is not a duplicate */
    CHECK_STR(load("a: &a {k: 1}\nc:\n  <<: *a\n  k: 5\n"), "{'a': {'k': 1}, 'c': {'k': 5}}");
    CHECK_STR(load("a: &a {k: 1}\nc:\n  <<: *a\n  k: 5\n  k: 6\n"),
              "ERR line 5 column 3: duplicate key 'k' (first at line 4 column 3)");
    /* complex keys are refused */
    CHECK_STR(load("? [a]\n: b\n"),
              "ERR line 1 column 3: a map key must be a scalar (complex keys are not supported)");
}

static void test_errors(void)
{
    CHECK_STR(load("a: [1, 2\n"), "ERR line 2 column 1: did not find expected ',' or ']' (while "
                                   "parsing a flow sequence at line 1 column 4)");
    CHECK_STR(load("a: b: c\n"),
              "ERR line 1 column 5: mapping values are not allowed in this context");
    CHECK_STR(load("a: 'x\n"), "ERR line 2 column 1: found unexpected end of stream (while "
                                "scanning a quoted scalar at line 1 column 4)");
    CHECK_STR(load("a: \"\\x.exe\"\n"),
              "ERR line 1 column 7: did not find expected hexdecimal number (while parsing a "
              "quoted scalar at line 1 column 4)");
    CHECK_STR(load("\ta: 1\n"), "ERR line 1 column 1: found character that cannot start any token "
                                "(while scanning for the next token at line 1 column 1)");
    CHECK_STR(load("a: 1\nb: \x01\n"),
              "ERR line 2 column 4: control characters are not allowed (#1 at byte 8)");
    {
        /* invalid UTF-8: a reader error, positioned from its byte offset */
        const char *r = load("a: 1\nb: \xff\n");
        CHECK(strncmp(r, "ERR line 2 column 4: invalid ", 29) == 0);
    }
}

static void test_hostile(void)
{
    struct ty_arena a;
    struct ty_ydocs d;
    struct ty_err err = {0};
    struct ty_buf b;
    int rc;
    /* billion laughs: 9 levels of 9 aliases = 387 million nodes */
    const char *laughs = "a: &a [x, x, x, x, x, x, x, x, x]\n"
                         "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                         "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
                         "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                         "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
                         "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
                         "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
                         "h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
                         "i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]\n";
    CHECK_STR(load(laughs), "ERR line 7 column 8: more than 1000000 nodes (aliases count as the "
                            "nodes they expand to)");
    /* the same shape a little smaller is fine: 9^5 = 59049 */
    CHECK(strncmp(load("a: &a [x, x, x, x, x, x, x, x, x]\n"
                       "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                       "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
                       "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                       "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n"),
                  "ERR", 3) != 0);
    /* merges count too */
    ty_buf_init(&b, 1 << 24);
    ty_buf_adds(&b, "a: &a {");
    for (int k = 0; k < 2000; k++)
        ty_buf_addf(&b, "%sk%d: 1", k ? ", " : "", k);
    ty_buf_adds(&b, "}\nl:\n");
    for (int k = 0; k < 600; k++)
        ty_buf_addf(&b, "- {<<: *a}\n");
    ty_arena_init(&a, 0, 0);
    rc = ty_yaml_parse(b.buf, b.len, &a, &d, &err);
    CHECK_INT(rc, TY_ECORRUPT);
    CHECK(strstr(err.msg, "more than 1000000 nodes") != NULL);
    ty_arena_release(&a);
    /* depth: 64 nested collections parse, 65 do not */
    ty_buf_reset(&b);
    for (int k = 0; k < 64; k++)
        ty_buf_addc(&b, '[');
    for (int k = 0; k < 64; k++)
        ty_buf_addc(&b, ']');
    ty_arena_init(&a, 0, 0);
    CHECK_INT(ty_yaml_parse(b.buf, b.len, &a, &d, &err), 0);
    ty_arena_release(&a);
    ty_buf_reset(&b);
    for (int k = 0; k < 100000; k++)
        ty_buf_adds(&b, "[{a: ");
    ty_arena_init(&a, 0, 0);
    rc = ty_yaml_parse(b.buf, b.len, &a, &d, &err);
    CHECK_INT(rc, TY_ECORRUPT);
    CHECK_STR(err.msg, "line 1 column 161: nesting deeper than 64 levels");
    ty_arena_release(&a);
    /* an arena cap turns into an error, not a crash */
    ty_buf_reset(&b);
    for (int k = 0; k < 20000; k++)
        ty_buf_addf(&b, "k%d: [a, b, c]\n", k);
    ty_arena_init(&a, 4096, 64 * 1024);
    rc = ty_yaml_parse(b.buf, b.len, &a, &d, &err);
    CHECK_INT(rc, TY_ENOMEM);
    CHECK(d.n == 0 && d.doc == NULL);
    ty_arena_release(&a);
    /* NUL bytes inside the text */
    ty_arena_init(&a, 0, 0);
    rc = ty_yaml_parse("a: b\0c\n", 7, &a, &d, &err);
    CHECK_INT(rc, TY_ECORRUPT);
    CHECK(strncmp(err.msg, "line 1 column 5: control characters are not allowed", 51) == 0);
    ty_arena_release(&a);
    ty_buf_release(&b);
}

void test_yaml(void);

void test_yaml(void)
{
    test_resolution();
    test_fields();
    test_multidoc();
    test_aliases_merges();
    test_duplicates();
    test_errors();
    test_hostile();
}
