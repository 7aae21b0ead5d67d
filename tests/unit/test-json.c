/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-json.c - unit tests of the JSON tokenizer: the RFC 8259 grammar (accept,
 * or reject at the right offset), the tape layout, lookups, iteration, string
 * decoding and scalars, and a differential run against cJSON over every JSON
 * sample of the shared data folder (json-diff.h lists the allowed differences).
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <tyto/arena.h>
#include <tyto/json.h>

#include "json-diff.h"
#include "test.h"

struct gcase {
    const char *s;
    size_t len;
    long off; /* -1: must be accepted; else the offset of the rejection */
};

#define OK(s) {s, sizeof(s) - 1, -1}
#define BAD(s, o) {s, sizeof(s) - 1, o}

static const struct gcase grammar[] = {
    OK("0"), OK("-0"), OK("1.5e10"), OK("-1.0E-5"), OK("1E+2"), OK("0.0"), OK("-0.0e-0"),
    OK("123456789012345678901234567890"), OK("1e400"), OK("\"x\""), OK("true"), OK("false"),
    OK("null"), OK("[]"), OK("{}"), OK(" \t\r\n[ 1 , 2 ] \n"),
    OK("{\"a\":{\"b\":[1,{\"c\":null}]}}"),
    OK("\"\\u00e9\\ud83d\\ude00\\\"\\\\\\/\\b\\f\\n\\r\\t\""),
    OK("\"\\ud800\""), OK("\"\\udc00x\""),
    OK("\"\\uDBFF\\uDFFF\""), OK("\"\xc3\xa9 raw\""), OK("\"\xff\xfe\""), OK("\"\x7f\""),
    OK("{\"\":\"\"}"), OK("{\"a\":1,\"a\":2}"), OK("[[[[]]]]"), OK("\xEF\xBB\xBF{}"),
    OK("[1,[2,[3]],{}]"), OK("{ \"a\" : [ ] , \"b\" : { } }"), OK("\"\\u0000\""),
    /* empty and whitespace-only */
    BAD("", 0), BAD("   ", 3), BAD("\xEF\xBB\xBF", 3), BAD("\xEF\xBB{}", 0),
    /* numbers */
    BAD("01", 1), BAD("-01", 2), BAD("-", 1), BAD("-a", 1), BAD("1.", 2), BAD("1.x", 2),
    BAD(".5", 0), BAD("1e", 2), BAD("1e+", 3), BAD("1E-x", 3), BAD("+1", 0), BAD("NaN", 0),
    BAD("Infinity", 0), BAD("-Infinity", 1), BAD("0x10", 1), BAD("1 2", 2), BAD("-.5", 1),
    BAD("[01]", 2),
    /* literals */
    BAD("tru", 0), BAD("nul", 0), BAD("True", 0), BAD("truex", 4), BAD("nulll", 4),
    /* structure */
    BAD("[1,]", 3), BAD("{\"a\":1,}", 7), BAD("[1 2]", 3), BAD("{\"a\" 1}", 5),
    BAD("{\"a\":1 \"b\":2}", 7), BAD("{1:2}", 1), BAD("{,}", 1), BAD("[,1]", 1), BAD("[1}", 2),
    BAD("{\"a\":1]", 6), BAD("{\"a\":1}}", 7), BAD("]", 0), BAD("[1] x", 4), BAD("{} {}", 3),
    BAD("[", 1), BAD("[1", 2), BAD("[1,2", 4), BAD("{", 1), BAD("{\"a\"", 4), BAD("{\"a\":", 5),
    BAD("{\"a\":}", 5), BAD("[1\0]", 2), BAD("\f1", 0), BAD("[1\v]", 2), BAD("{'a':1}", 1),
    /* strings and escapes */
    BAD("\"\\x\"", 2), BAD("\"\\U0041\"", 2), BAD("\"\\u12g4\"", 5), BAD("\"\\u12\"", 5),
    BAD("\"\\ud800\\u12\"", 11), BAD("\"a\x01" "b\"", 2), BAD("\"a\nb\"", 2), BAD("\"a\tb\"", 2),
    BAD("\"a\0\"", 2), BAD("\"abc", 4), BAD("\"abc\\", 5), BAD("\"\\u00", 5),
    BAD("[\"0123456789abcdef0123456789", 28), BAD("[\"0123456789abcdef0123456\x1f\"]", 25),
};

static long err_offset(const char *msg)
{
    long off = -1;
    if (sscanf(msg, "offset %ld:", &off) != 1)
        return -2;
    return off;
}

static void grammar_tests(void)
{
    struct ty_json_doc d;
    struct ty_arena a;
    ty_json_doc_init(&d, JD_DEPTH, 0);
    ty_arena_init(&a, 0, 0);
    for (size_t i = 0; i < sizeof(grammar) / sizeof(grammar[0]); i++) {
        const struct gcase *g = &grammar[i];
        struct ty_err err;
        /* exact-size copy, so ASan catches any read past the end */
        char *buf = malloc(g->len + 1);
        memcpy(buf, g->s, g->len);
        buf[g->len] = '\0';
        ty_err_clear(&err);
        int rc = ty_json_parse(&d, buf, g->len, &err);
        if (g->off < 0 && rc != 0)
            ty_test_fail(__FILE__, __LINE__, "case %zu '%s' rejected: %s", i, g->s, err.msg);
        if (g->off >= 0 && rc != TY_ECORRUPT)
            ty_test_fail(__FILE__, __LINE__, "case %zu '%s' accepted (rc %d)", i, g->s, rc);
        if (g->off >= 0 && rc == TY_ECORRUPT && err_offset(err.msg) != g->off)
            ty_test_fail(__FILE__, __LINE__, "case %zu '%s': %s, expected offset %ld", i, g->s,
                         err.msg, g->off);
        if (rc == 0)
            CHECK(d.n_toks > 0 && d.toks[0].next == d.n_toks);
        else
            CHECK_INT(d.n_toks, 0);
        /* and cJSON must agree, up to its documented differences */
        const char *why = NULL;
        if (jd_compare(buf, g->len, &d, &a, &why) == JD_MISMATCH)
            ty_test_fail(__FILE__, __LINE__, "case %zu '%s': cJSON differs: %s", i, g->s, why);
        free(buf);
    }
    ty_arena_release(&a);
    ty_json_doc_release(&d);
}

static char *nested(unsigned depth, const char *open, const char *leaf, const char *close)
{
    size_t lo = strlen(open), ll = strlen(leaf), lc = strlen(close);
    char *s = malloc(depth * (lo + lc) + ll + 1), *p = s;
    for (unsigned i = 0; i < depth; i++, p += lo)
        memcpy(p, open, lo);
    memcpy(p, leaf, ll);
    p += ll;
    for (unsigned i = 0; i < depth; i++, p += lc)
        memcpy(p, close, lc);
    *p = '\0';
    return s;
}

static void limit_tests(void)
{
    struct ty_json_doc d;
    struct ty_err err;
    char *s;

    ty_json_doc_init(&d, 0, 0);
    CHECK_INT(d.max_depth, 512);
    CHECK_INT(d.max_tokens, 16u * 1024 * 1024);
    s = nested(512, "[", "", "]");
    CHECK_INT(ty_json_parse(&d, s, strlen(s), &err), 0);
    CHECK_INT(d.n_toks, 512);
    free(s);
    s = nested(513, "[", "", "]");
    CHECK_INT(ty_json_parse(&d, s, strlen(s), &err), TY_ECORRUPT);
    CHECK_INT(err_offset(err.msg), 512);
    CHECK(strstr(err.msg, "nesting deeper than 512") != NULL);
    free(s);
    s = nested(513, "{\"a\":", "1", "}");
    CHECK_INT(ty_json_parse(&d, s, strlen(s), &err), TY_ECORRUPT);
    CHECK_INT(err_offset(err.msg), 512 * 5);
    free(s);
    /* a big flat array: the tape grows many times */
    size_t n = 200000;
    s = malloc(n * 2 + 2);
    s[0] = '[';
    for (size_t i = 0; i < n; i++) {
        s[1 + 2 * i] = (char)('0' + i % 10);
        s[2 + 2 * i] = ',';
    }
    s[n * 2] = ']';
    s[n * 2 + 1] = '\0';
    CHECK_INT(ty_json_parse(&d, s, n * 2 + 1, &err), 0);
    CHECK_INT(d.n_toks, n + 1);
    CHECK_INT(d.toks[0].count, n);
    CHECK_INT(d.toks[n].off, 2 * n - 1);
    free(s);
    /* reuse: a failed parse leaves an empty tape, the next one works */
    CHECK_INT(ty_json_parse(&d, "[1,", 3, &err), TY_ECORRUPT);
    CHECK_INT(d.n_toks, 0);
    CHECK_INT(ty_json_parse(&d, "[1]", 3, &err), 0);
    CHECK_INT(d.n_toks, 2);
    /* inputs over 4 GiB - 1 are refused before any byte is read */
    CHECK_INT(ty_json_parse(&d, "1", (size_t)UINT32_MAX + 1, &err), TY_ETOOBIG);
    ty_json_doc_release(&d);

    ty_json_doc_init(&d, 2, 4);
    CHECK_INT(ty_json_parse(&d, "[[1]]", 5, &err), 0);
    CHECK_INT(ty_json_parse(&d, "[[[1]]]", 7, &err), TY_ECORRUPT);
    CHECK_INT(err_offset(err.msg), 2);
    CHECK_INT(ty_json_parse(&d, "[1,2,3]", 7, &err), 0);
    CHECK_INT(d.n_toks, 4);
    CHECK_INT(ty_json_parse(&d, "[1,2,3,4]", 9, &err), TY_ECORRUPT);
    CHECK_INT(err_offset(err.msg), 7);
    CHECK(strstr(err.msg, "more than 4 tokens") != NULL);
    /* lowering the cap on a doc whose tape is already bigger still holds */
    d.max_tokens = 1000;
    CHECK_INT(ty_json_parse(&d, "[1,2,3,4,5,6,7,8,9,10,11,12]", 28, &err), 0);
    d.max_tokens = 4;
    CHECK_INT(ty_json_parse(&d, "[1,2,3,4]", 9, &err), TY_ECORRUPT);
    CHECK_INT(err_offset(err.msg), 7);
    ty_json_doc_release(&d);
}

static void tape_tests(void)
{
    static const char src[] =
        "{\"a\":1,\"b\":[true,false,null],\"c\":{\"d\":\"x\\ny\"},\"e\":[],\"f\":-2.5e3}";
    struct ty_json_doc d;
    struct ty_arena a;
    struct ty_err err;
    struct ty_str s;
    ty_json_doc_init(&d, 0, 0);
    ty_arena_init(&a, 0, 0);
    CHECK_INT(ty_json_parse(&d, src, sizeof(src) - 1, &err), 0);
    /* 0 {  1 "a" 2 1  3 "b" 4 [ 5 true 6 false 7 null  8 "c" 9 { 10 "d" 11 "x\ny"
     * 12 "e" 13 []  14 "f" 15 -2.5e3 */
    CHECK_INT(d.n_toks, 16);
    static const uint8_t types[16] = {
        TY_JSON_OBJECT, TY_JSON_STRING, TY_JSON_NUMBER, TY_JSON_STRING, TY_JSON_ARRAY,
        TY_JSON_TRUE,   TY_JSON_FALSE,  TY_JSON_NULL,   TY_JSON_STRING, TY_JSON_OBJECT,
        TY_JSON_STRING, TY_JSON_STRING, TY_JSON_STRING, TY_JSON_ARRAY,  TY_JSON_STRING,
        TY_JSON_NUMBER};
    static const uint32_t nexts[16] = {16, 2, 3, 4, 8, 6, 7, 8, 9, 12, 11, 12, 13, 14, 15, 16};
    static const uint32_t counts[16] = {5, 0, 0, 0, 3, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0};
    for (uint32_t i = 0; i < 16 && i < d.n_toks; i++) {
        CHECK_INT(ty_json_type(&d, i), types[i]);
        CHECK_INT(d.toks[i].next, nexts[i]);
        CHECK_INT(d.toks[i].count, counts[i]);
    }
    CHECK_INT(ty_json_type(&d, TY_JSON_NONE), 0);
    CHECK_INT(d.toks[0].off, 0);
    CHECK_INT(d.toks[0].len, sizeof(src) - 1);
    CHECK_SPAN(ty_json_raw(&d, 1), "a");
    CHECK_INT(d.toks[1].off, 2);
    CHECK_SPAN(ty_json_raw(&d, 4), "[true,false,null]");
    CHECK_SPAN(ty_json_raw(&d, 9), "{\"d\":\"x\\ny\"}");
    CHECK_SPAN(ty_json_raw(&d, 11), "x\\ny");
    CHECK(d.toks[11].flags & TY_JSON_F_ESCAPED);
    CHECK(!(d.toks[10].flags & TY_JSON_F_ESCAPED));
    CHECK_SPAN(ty_json_raw(&d, 13), "[]");
    CHECK_SPAN(ty_json_raw(&d, 15), "-2.5e3");
    CHECK(d.toks[15].flags & TY_JSON_F_FRAC);
    CHECK(!(d.toks[2].flags & TY_JSON_F_FRAC));

    /* lookups */
    CHECK_INT(ty_json_get(&d, 0, "a"), 2);
    CHECK_INT(ty_json_get(&d, 0, "b"), 4);
    CHECK_INT(ty_json_get(&d, 0, "f"), 15);
    CHECK_INT(ty_json_get(&d, 0, "z"), TY_JSON_NONE);
    CHECK_INT(ty_json_get(&d, 0, ""), TY_JSON_NONE);
    CHECK_INT(ty_json_get(&d, 0, "A"), TY_JSON_NONE);
    CHECK_INT(ty_json_get_nocase(&d, 0, "C"), 9);
    CHECK_INT(ty_json_get(&d, 4, "a"), TY_JSON_NONE); /* an array */
    CHECK_INT(ty_json_get(&d, 2, "a"), TY_JSON_NONE); /* a number */
    CHECK_INT(ty_json_get(&d, TY_JSON_NONE, "a"), TY_JSON_NONE);
    CHECK_INT(ty_json_get(&d, 999, "a"), TY_JSON_NONE);
    CHECK_INT(ty_json_get(&d, ty_json_get(&d, 0, "c"), "d"), 11);
    CHECK_INT(ty_json_get(&d, ty_json_get(&d, 0, "nope"), "d"), TY_JSON_NONE);
    CHECK_INT(ty_json_path(&d, 0, "c.d"), 11);
    CHECK_INT(ty_json_path(&d, 0, "c"), 9);
    CHECK_INT(ty_json_path(&d, 0, "c.x"), TY_JSON_NONE);
    CHECK_INT(ty_json_path(&d, 0, "a.b"), TY_JSON_NONE);
    CHECK_INT(ty_json_path(&d, 0, "c.d.e"), TY_JSON_NONE);
    CHECK_INT(ty_json_path(&d, 9, "d"), 11);

    /* iteration */
    uint32_t want_keys[] = {1, 3, 8, 12, 14}, k, n = 0;
    for (k = ty_json_first(&d, 0); k != TY_JSON_NONE && n < 6; k = ty_json_next_member(&d, k))
        CHECK_INT(k, want_keys[n++]);
    CHECK_INT(n, 5);
    uint32_t want_elems[] = {5, 6, 7};
    n = 0;
    for (k = ty_json_first(&d, 4); k != TY_JSON_NONE && n < 4; k = ty_json_next(&d, k))
        CHECK_INT(k, want_elems[n++]);
    CHECK_INT(n, 3);
    CHECK_INT(ty_json_first(&d, 13), TY_JSON_NONE); /* empty array */
    CHECK_INT(ty_json_first(&d, 2), TY_JSON_NONE);  /* scalar */
    CHECK_INT(ty_json_first(&d, TY_JSON_NONE), TY_JSON_NONE);
    CHECK_INT(ty_json_next(&d, 0), TY_JSON_NONE); /* root has no sibling */

    /* strings: zero-copy when plain, decoded into the arena when escaped */
    CHECK_INT(ty_json_str(&d, 10, &a, &s), 0);
    CHECK(s.p == src + d.toks[10].off);
    CHECK_SPAN(s, "d");
    CHECK_INT(ty_json_str(&d, 11, &a, &s), 0);
    CHECK(s.p < src || s.p >= src + sizeof(src));
    CHECK_SPAN(s, "x\ny");
    CHECK_INT(ty_json_str(&d, 2, &a, &s), TY_EINVAL);
    CHECK_INT(ty_json_str(&d, 99, &a, &s), TY_EINVAL);
    CHECK_INT(ty_json_text(&d, 2, &a, &s), 0);
    CHECK_SPAN(s, "1");
    CHECK_INT(ty_json_text(&d, 15, &a, &s), 0);
    CHECK_SPAN(s, "-2.5e3");
    CHECK_INT(ty_json_text(&d, 5, &a, &s), 0);
    CHECK_SPAN(s, "true");
    CHECK_INT(ty_json_text(&d, 6, &a, &s), 0);
    CHECK_SPAN(s, "false");
    CHECK_INT(ty_json_text(&d, 7, &a, &s), TY_EINVAL);
    CHECK_INT(ty_json_text(&d, 4, &a, &s), TY_EINVAL);
    CHECK_INT(ty_json_text(&d, 0, &a, &s), TY_EINVAL);
    CHECK_INT(ty_json_text(&d, 11, &a, &s), 0);
    CHECK_SPAN(s, "x\ny");

    /* whitespace before commas: iteration still finds the siblings */
    static const char ws[] = " [ 1 , \"two\"\n,\t{ \"k\" : 3 , \"l\" : [ ] } ] ";
    CHECK_INT(ty_json_parse(&d, ws, sizeof(ws) - 1, &err), 0);
    CHECK_INT(ty_json_first(&d, 0), 1);
    CHECK_INT(ty_json_next(&d, 1), 2);
    CHECK_INT(ty_json_next(&d, 2), 3);
    CHECK_INT(ty_json_next(&d, 3), TY_JSON_NONE);
    CHECK_INT(ty_json_first(&d, 3), 4);
    CHECK_INT(ty_json_next_member(&d, 4), 6);
    CHECK_INT(ty_json_next_member(&d, 6), TY_JSON_NONE);
    CHECK_SPAN(ty_json_raw(&d, 2), "two");
    CHECK_SPAN(ty_json_raw(&d, 3), "{ \"k\" : 3 , \"l\" : [ ] }");
    CHECK_INT(d.toks[0].off, 1);
    CHECK_INT(d.toks[0].len, sizeof(ws) - 3);

    ty_arena_release(&a);
    ty_json_doc_release(&d);
}

static void decode_tests(void)
{
    static const struct {
        const char *in, *out;
        size_t out_len;
    } dec[] = {
        {"\"plain\"", "plain", 5},
        {"\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\/\b\f\n\r\t", 8},
        {"\"\\u0041\\u00e9\\u20AC\"", "A\xc3\xa9\xe2\x82\xac", 6},
        {"\"\\ud83d\\ude00!\"", "\xf0\x9f\x98\x80!", 5},
        {"\"\\uDBFF\\uDFFF\"", "\xf4\x8f\xbf\xbf", 4},
        {"\"\\ud800x\"", "\xef\xbf\xbdx", 4},                 /* lone high */
        {"\"\\udc00\"", "\xef\xbf\xbd", 3},                   /* lone low */
        {"\"\\ud800\\u0041\"", "\xef\xbf\xbd" "A", 4},        /* high + non-low */
        {"\"\\ud800\\ud800\\udc00\"", "\xef\xbf\xbd\xf0\x90\x80\x80", 7},
        {"\"a\\u0000b\"", "a\0b", 3},
        {"\"\xff raw \xc3\xa9\"", "\xff raw \xc3\xa9", 8},
    };
    struct ty_json_doc d;
    struct ty_arena a;
    struct ty_err err;
    struct ty_str s;
    ty_json_doc_init(&d, 0, 0);
    ty_arena_init(&a, 0, 0);
    for (size_t i = 0; i < sizeof(dec) / sizeof(dec[0]); i++) {
        if (ty_json_parse(&d, dec[i].in, strlen(dec[i].in), &err) != 0) {
            ty_test_fail(__FILE__, __LINE__, "decode case %zu: %s", i, err.msg);
            continue;
        }
        CHECK_INT(ty_json_str(&d, 0, &a, &s), 0);
        if (s.len != dec[i].out_len || memcmp(s.p, dec[i].out, s.len) != 0)
            ty_test_fail(__FILE__, __LINE__, "decode case %zu: got %zu bytes '%.*s'", i, s.len,
                         (int)s.len, s.p);
    }
    /* escaped keys are compared after decoding */
    static const char ek[] = "{\"k\\u0065y\":1,\"\\u00e9t\\u00e9\":2,\"a\\\"b\":3}";
    CHECK_INT(ty_json_parse(&d, ek, sizeof(ek) - 1, &err), 0);
    CHECK_INT(ty_json_get(&d, 0, "key"), 2);
    CHECK_INT(ty_json_get(&d, 0, "ke"), TY_JSON_NONE);
    CHECK_INT(ty_json_get(&d, 0, "keyy"), TY_JSON_NONE);
    CHECK_INT(ty_json_get_nocase(&d, 0, "KEY"), 2);
    CHECK_INT(ty_json_get(&d, 0, "\xc3\xa9t\xc3\xa9"), 4);
    CHECK_INT(ty_json_get(&d, 0, "a\"b"), 6);
    /* ty_json_unescape on its own, including malformed content */
    CHECK_INT(ty_json_unescape(ty_str_cstr("a\\tb"), &a, &s), 0);
    CHECK_SPAN(s, "a\tb");
    CHECK(s.p[s.len] == '\0');
    CHECK_INT(ty_json_unescape(ty_str_cstr(""), &a, &s), 0);
    CHECK_INT(s.len, 0);
    CHECK_INT(ty_json_unescape(ty_str_cstr("a\\"), &a, &s), TY_EINVAL);
    CHECK_INT(ty_json_unescape(ty_str_cstr("\\u12"), &a, &s), TY_EINVAL);
    CHECK_INT(ty_json_unescape(ty_str_cstr("\\u12x4"), &a, &s), TY_EINVAL);
    CHECK_INT(ty_json_unescape(ty_str_cstr("\\q"), &a, &s), TY_EINVAL);
    /* a capped arena reports ENOMEM */
    struct ty_arena small;
    ty_arena_init(&small, 64, 64);
    CHECK_INT(ty_json_unescape(ty_str_cstr("0123456789012345678901234567890123456789"
                                           "0123456789012345678901234567890123456789\\n"),
                               &small, &s),
              TY_ENOMEM);
    ty_arena_release(&small);
    ty_arena_release(&a);
    ty_json_doc_release(&d);
}

static void scalar_tests(void)
{
    static const char src[] =
        "[0,-0,9223372036854775807,-9223372036854775808,9223372036854775808,"
        "-9223372036854775809,\"123\",\"-5\",\"12a\",\"\",\"-\",1.0,1e3,true,"
        "\"9223372036854775808\",\"\\u0031\",null,false,\"true\",\"false\",\"True\",1,{}]";
    struct ty_json_doc d;
    struct ty_err err;
    int64_t v = 77;
    bool b;
    ty_json_doc_init(&d, 0, 0);
    CHECK_INT(ty_json_parse(&d, src, sizeof(src) - 1, &err), 0);
    CHECK_INT(d.toks[0].count, 23);
    CHECK(ty_json_i64(&d, 1, &v) == 0 && v == 0);
    CHECK(ty_json_i64(&d, 2, &v) == 0 && v == 0);
    CHECK(ty_json_i64(&d, 3, &v) == 0 && v == INT64_MAX);
    CHECK(ty_json_i64(&d, 4, &v) == 0 && v == INT64_MIN);
    CHECK_INT(ty_json_i64(&d, 5, &v), TY_EINVAL); /* overflow */
    CHECK_INT(ty_json_i64(&d, 6, &v), TY_EINVAL); /* underflow */
    CHECK(ty_json_i64(&d, 7, &v) == 0 && v == 123);
    CHECK(ty_json_i64(&d, 8, &v) == 0 && v == -5);
    CHECK_INT(ty_json_i64(&d, 9, &v), TY_EINVAL);
    CHECK_INT(ty_json_i64(&d, 10, &v), TY_EINVAL);
    CHECK_INT(ty_json_i64(&d, 11, &v), TY_EINVAL);
    CHECK_INT(ty_json_i64(&d, 12, &v), TY_EINVAL); /* 1.0: not an integer token */
    CHECK_INT(ty_json_i64(&d, 13, &v), TY_EINVAL); /* 1e3 */
    CHECK_INT(ty_json_i64(&d, 14, &v), TY_EINVAL); /* true */
    CHECK_INT(ty_json_i64(&d, 15, &v), TY_EINVAL); /* string overflow */
    CHECK_INT(ty_json_i64(&d, 16, &v), TY_EINVAL); /* escaped string */
    CHECK_INT(ty_json_i64(&d, 17, &v), TY_EINVAL); /* null */
    CHECK_INT(ty_json_i64(&d, 0, &v), TY_EINVAL);  /* array */
    CHECK_INT(ty_json_i64(&d, TY_JSON_NONE, &v), TY_EINVAL);
    CHECK(ty_json_bool(&d, 14, &b) == 0 && b);
    CHECK(ty_json_bool(&d, 18, &b) == 0 && !b);
    CHECK(ty_json_bool(&d, 19, &b) == 0 && b);
    CHECK(ty_json_bool(&d, 20, &b) == 0 && !b);
    CHECK_INT(ty_json_bool(&d, 21, &b), TY_EINVAL); /* "True" */
    CHECK_INT(ty_json_bool(&d, 22, &b), TY_EINVAL); /* 1 */
    CHECK_INT(ty_json_bool(&d, 17, &b), TY_EINVAL); /* null */
    CHECK_INT(ty_json_bool(&d, 23, &b), TY_EINVAL); /* {} */
    CHECK_INT(ty_json_bool(&d, TY_JSON_NONE, &b), TY_EINVAL);
    ty_json_doc_release(&d);
}

/* ---- differential run over the shared samples ---- */

struct diff_stats {
    unsigned files, docs, lines, accepted, rejected, allowed, mismatches;
    unsigned n_why;
    const char *why[8];
    unsigned why_count[8];
};

static void note(struct diff_stats *st, const char *path, size_t line, const char *p, size_t len,
                 enum jd_result r, const char *why)
{
    switch (r) {
    case JD_SAME_ACCEPT: st->accepted++; break;
    case JD_SAME_REJECT: st->rejected++; break;
    case JD_ALLOWED: {
        unsigned i;
        st->allowed++;
        for (i = 0; i < st->n_why && strcmp(st->why[i], why) != 0; i++)
            ;
        if (i == st->n_why && i < 8)
            st->why[st->n_why++] = why;
        if (i < 8)
            st->why_count[i]++;
        break;
    }
    case JD_MISMATCH:
        st->mismatches++;
        ty_test_fail(__FILE__, __LINE__, "%s:%zu: %s: %.80s", path, line, why, p);
        (void)len;
        break;
    }
}

static int has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && strcmp(s + n - m, suf) == 0;
}

/* Every line starting with '{' (copied, so it is NUL-terminated for cJSON). */
static void diff_lines(struct diff_stats *st, const char *path, const char *buf, size_t len,
                       struct ty_json_doc *d, struct ty_arena *a)
{
    const char *p = buf, *e = buf + len;
    size_t line = 0;
    while (p < e) {
        const char *nl = memchr(p, '\n', (size_t)(e - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(e - p);
        line++;
        if (n && p[0] == '{') {
            char *c = malloc(n + 1);
            const char *why = NULL;
            memcpy(c, p, n);
            c[n] = '\0';
            note(st, path, line, c, n, jd_compare(c, n, d, a, &why), why);
            st->lines++;
            free(c);
        }
        p += n + 1;
    }
}

static void diff_walk(struct diff_stats *st, const char *dir, struct ty_json_doc *d,
                      struct ty_arena *a)
{
    DIR *dh = opendir(dir);
    struct dirent *de;
    if (!dh)
        return;
    while ((de = readdir(dh))) {
        char path[4096];
        struct stat sb;
        if (de->d_name[0] == '.')
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
        if (lstat(path, &sb) != 0)
            continue;
        if (S_ISDIR(sb.st_mode)) {
            diff_walk(st, path, d, a);
            continue;
        }
        int is_json = has_suffix(de->d_name, ".json");
        int is_lines = has_suffix(de->d_name, ".jsonl") || has_suffix(de->d_name, ".log") ||
                       strstr(de->d_name, "ndjson") != NULL;
        if (!S_ISREG(sb.st_mode) || (!is_json && !is_lines))
            continue;
        size_t len;
        char *buf = ty_test_read_file(path, &len);
        if (!buf)
            continue;
        st->files++;
        if (is_json) {
            const char *why = NULL;
            enum jd_result r = jd_compare(buf, len, d, a, &why);
            note(st, path, 0, buf, len, r, why);
            st->docs++;
            /* several .json samples are really JSON lines: compare those too */
            if (r == JD_SAME_REJECT)
                diff_lines(st, path, buf, len, d, a);
        } else {
            diff_lines(st, path, buf, len, d, a);
        }
        free(buf);
    }
    closedir(dh);
}

static void differential_tests(void)
{
    const char *dir = ty_test_data_dir();
    struct diff_stats st;
    struct ty_json_doc d;
    struct ty_arena a;
    if (!dir) {
        ty_test_skip("no shared data folder for the cJSON differential");
        return;
    }
    memset(&st, 0, sizeof(st));
    ty_json_doc_init(&d, JD_DEPTH, 0);
    ty_arena_init(&a, 0, 0);
    diff_walk(&st, dir, &d, &a);
    fprintf(stderr,
            "  json vs cJSON: %u files (%u whole documents, %u lines): %u both accept with equal "
            "trees, %u both reject, %u documented differences, %u mismatches\n",
            st.files, st.docs, st.lines, st.accepted, st.rejected, st.allowed, st.mismatches);
    for (unsigned i = 0; i < st.n_why; i++)
        fprintf(stderr, "    allowed: %s: %u\n", st.why[i], st.why_count[i]);
    /* the walk must have found real samples, or the test proves nothing */
    CHECK(st.files > 100);
    CHECK(st.accepted > 1000);
    CHECK_INT(st.mismatches, 0);
    ty_arena_release(&a);
    ty_json_doc_release(&d);
}

void test_json(void);

void test_json(void)
{
    grammar_tests();
    limit_tests();
    tape_tests();
    decode_tests();
    scalar_tests();
    differential_tests();
}
