/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz-sigma-value.c - libFuzzer target for Sigma detection items. Input:
 * one flag byte, then "key\nvalue[\nvalue...]". The flag's low 3 bits pick
 * the YAML type of the values (string, int, float, bool, null), bit 3 makes
 * them a sequence (else only the first is used), bit 4 compiles them as a
 * keyword list. The item is compiled (with two placeholders configured),
 * evaluated against a fixed mock event, and each alternative is tested
 * against every mock value; compile errors must carry a message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sigma/sigma-value-int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ENSURE(x)                                                                                  \
    do {                                                                                           \
        if (!(x)) {                                                                                \
            fprintf(stderr, "fuzz-sigma-value: %s:%d: invariant failed: %s\n", __FILE__,         \
                    __LINE__, #x);                                                                 \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

struct mf {
    const char *name;
    enum ty_fv_kind kind;
    const char *text;
    size_t len;
};

#define F(n, k, t) {n, k, t, sizeof(t) - 1}
static const struct mf ev[] = {
    F("f", TY_FV_STR, "C:\\Windows\\System32\\cmd.exe /c whoami -enc Zm9vYmFy"),
    F("f", TY_FV_STR, ""),
    F("g", TY_FV_NUM, "4624"),
    F("g", TY_FV_STR, "10.1.2.3"),
    F("h", TY_FV_BOOL, "true"),
    F("n", TY_FV_NULL, ""),
    F("o", TY_FV_OBJ, "{\"a\":[1,2,\"x\"]}"),
    F("t", TY_FV_STR, "2024-03-12T14:05:09.123+02:00"),
    F("u", TY_FV_STR, "fe80::1"),
    F("w", TY_FV_STR, "c\0m\0d\0\xff\xfe\xc3\xa9"),
    F("CommandLine", TY_FV_STR, "powershell -nop /exec \xe2\x80\x93w hidden"),
};

static void to_fval(const struct mf *f, struct ty_fval *v)
{
    memset(v, 0, sizeof(*v));
    v->kind = f->kind;
    v->s = ty_str_make(f->text, f->len);
    if (f->kind == TY_FV_NUM)
        v->num = strtod(f->text, NULL);
    v->b = f->kind == TY_FV_BOOL;
}

static int each(struct ty_fsrc *src, struct ty_str name, ty_fval_fn fn, void *arg)
{
    bool found = false;
    (void)src;
    for (size_t i = 0; i < sizeof(ev) / sizeof(ev[0]); i++) {
        struct ty_fval v;
        if (!ty_str_eq_cstr(name, ev[i].name))
            continue;
        found = true;
        to_fval(&ev[i], &v);
        if (fn(arg, &v))
            return 1;
    }
    return found ? 0 : -1;
}

static int keywords(struct ty_fsrc *src, ty_fval_fn fn, void *arg)
{
    (void)src;
    for (size_t i = 0; i < sizeof(ev) / sizeof(ev[0]); i++) {
        struct ty_fval v;
        if (ev[i].kind != TY_FV_STR && ev[i].kind != TY_FV_NUM)
            continue;
        to_fval(&ev[i], &v);
        if (fn(arg, &v))
            return 1;
    }
    return 0;
}

static struct ty_ynode *scalar(struct ty_arena *a, int t, const char *p, size_t len)
{
    struct ty_ynode *n = ty_arena_alloc(a, sizeof(*n));
    static const enum ty_ystype types[8] = {TY_YS_STR, TY_YS_INT, TY_YS_FLOAT, TY_YS_BOOL,
                                            TY_YS_NULL, TY_YS_STR, TY_YS_INT, TY_YS_STR};
    memset(n, 0, sizeof(*n));
    n->kind = TY_Y_SCALAR;
    n->stype = types[t & 7];
    n->text = ty_arena_str(a, ty_str_make(p, len));
    if (n->stype == TY_YS_INT) {
        n->i = strtoll(n->text.p, NULL, 0);
        n->f = (double)n->i;
    } else if (n->stype == TY_YS_FLOAT) {
        n->f = strtod(n->text.p, NULL);
    } else if (n->stype == TY_YS_BOOL) {
        n->b = len & 1;
        n->i = n->b;
    }
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct ty_str admins[] = {{"Administrators", 14}, {"a*b\\", 4}};
    static struct ty_placeholder p[] = {{{"Administrators", 14}, admins, 2},
                                        {{"x", 1}, admins + 1, 1}};
    static const struct ty_placeholders ph = {p, 2};
    struct ty_arena a;
    struct ty_buf warn;
    struct ty_sitem it;
    struct ty_err err = {0};
    struct ty_fsrc src = {each, keywords};
    struct ty_ynode *vals[64], *value;
    size_t n_vals = 0;
    if (size < 1 || size > 4096)
        return 0;
    int flags = data[0];
    const char *s = (const char *)data + 1, *end = (const char *)data + size;
    const char *nl = memchr(s, '\n', (size_t)(end - s));
    struct ty_str key = ty_str_make(s, nl ? (size_t)(nl - s) : (size_t)(end - s));

    ty_arena_init(&a, 4096, 64u << 20);
    ty_buf_init(&warn, 1 << 16);
    for (const char *q = nl ? nl + 1 : end; q <= end && n_vals < 64;) {
        const char *e = memchr(q, '\n', (size_t)(end - q));
        if (!e)
            e = end;
        vals[n_vals++] = scalar(&a, flags, q, (size_t)(e - q));
        q = e + 1;
    }
    if (n_vals == 0)
        vals[n_vals++] = scalar(&a, flags, "", 0);
    if (flags & 8) {
        value = ty_arena_alloc(&a, sizeof(*value));
        memset(value, 0, sizeof(*value));
        value->kind = TY_Y_SEQ;
        value->kv = vals;
        value->n = n_vals;
    } else {
        value = vals[0];
    }
    int rc = (flags & 16) ? ty_sitem_compile_keywords(&it, value, &a, &warn, &err)
                          : ty_sitem_compile(&it, key, value, &ph, &a, &warn, &err);
    if (rc) {
        ENSURE(rc < 0 && err.msg[0]);
    } else {
        struct ty_fval hit;
        bool r = ty_sitem_eval(&it, &src, &hit);
        if (r)
            ENSURE(hit.kind >= TY_FV_STR && hit.kind <= TY_FV_OBJ);
        ENSURE(ty_sitem_eval(&it, &src, NULL) == r); /* evaluation is pure */
        for (uint32_t g = 0; g < it.n; g++)
            for (uint32_t j = 0; j < it.g[g].n; j++)
                for (size_t i = 0; i < sizeof(ev) / sizeof(ev[0]); i++) {
                    struct ty_fval v;
                    to_fval(&ev[i], &v);
                    (void)ty_sv_match(&it.g[g].alt[j], &v);
                }
        ty_sitem_release(&it);
    }
    ty_buf_release(&warn);
    ty_arena_release(&a);
    return 0;
}
