/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sigma-value.c - compiling Sigma detection items: "field|mod|mod" keys
 * and their values become OR-groups of alternatives (sigma-spec §3-§5).
 * Modifiers run strictly left to right on every value. Evaluation is in
 * sigma-value-match.c, wildcard strings in sigma-glob.c, encodings in
 * sigma-value-encode.c.
 * See docs/internals/SIGMA-VALUES.md for every semantic choice.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <tyto/ip.h>

#include "sigma/sigma-value-int.h"

/* One rule value may expand to at most this many alternatives (windash,
 * base64offset, expand): past it the rule is rejected, bounding memory. */
#define MAX_ALTS 4096
/* Scratch memory of one compile (intermediate token strings). */
#define SCRATCH_MAX (64u << 20)

/* ------------------------------------------------------------------ */
/* Modifier names                                                      */

enum mod {
    M_CONTAINS, M_STARTSWITH, M_ENDSWITH, M_ALL, M_BASE64, M_BASE64OFFSET, M_WIDE, M_UTF16LE,
    M_UTF16BE, M_UTF16, M_WINDASH, M_RE, M_I, M_M, M_S, M_CASED, M_EXISTS, M_CIDR, M_GT, M_GTE,
    M_LT, M_LTE, M_NEQ, M_FIELDREF, M_EXPAND, M_MINUTE, M_HOUR, M_DAY, M_WEEK, M_MONTH, M_YEAR,
    M_COUNT
};

static const char *const mod_name[M_COUNT] = {
    "contains", "startswith", "endswith", "all", "base64", "base64offset", "wide", "utf16le",
    "utf16be", "utf16", "windash", "re", "i", "m", "s", "cased", "exists", "cidr", "gt", "gte",
    "lt", "lte", "neq", "fieldref", "expand", "minute", "hour", "day", "week", "month", "year",
};

static const char allowed_mods[] =
    "contains, startswith, endswith, all, base64, base64offset, wide, utf16le, utf16be, utf16, "
    "windash, re, i, m, s, cased, exists, cidr, gt, gte, lt, lte, neq, fieldref, expand, minute, "
    "hour, day, week, month, year";

static int mod_lookup(struct ty_str s)
{
    for (int i = 0; i < M_COUNT; i++)
        if (ty_str_eq_cstr(s, mod_name[i]))
            return i;
    if (ty_str_eq_cstr(s, "ignorecase"))
        return M_I;
    if (ty_str_eq_cstr(s, "multiline"))
        return M_M;
    if (ty_str_eq_cstr(s, "dotall"))
        return M_S;
    return -1;
}

static bool mod_is_list(int m)
{
    return m == M_ALL || m == M_NEQ;
}

static bool mod_needs_field(int m)
{
    return m == M_EXISTS || m == M_CIDR || m == M_FIELDREF || (m >= M_GT && m <= M_LTE) ||
           (m >= M_MINUTE && m <= M_YEAR);
}

/* ------------------------------------------------------------------ */
/* Values while the modifiers work on them                             */

enum cv_kind { CV_STR = 1, CV_RE, CV_NUM, CV_BOOL, CV_NULL, CV_EXISTS, CV_CIDR, CV_CMP, CV_FREF,
               CV_TIME };

static const char *const cv_name[] = {"?", "string", "regular expression", "number", "boolean",
                                      "null", "exists test", "network", "comparison",
                                      "field reference", "time part"};

struct cval {
    enum cv_kind kind;
    struct ty__tokv tv;     /* STR */
    bool cased, encoded;    /* STR: |cased; base64 output (case-significant) */
    struct ty_str raw;      /* STR: the rule text; RE: the pattern */
    uint32_t re_flags;      /* RE: PCRE2 options from i/m/s */
    double num;             /* NUM CMP TIME */
    struct ty_str num_text; /* NUM CMP TIME */
    enum ty_cmp_op op;      /* CMP TIME */
    int timepart;           /* TIME */
    bool flag;              /* BOOL EXISTS; CIDR: IPv6 network */
    int ref_how;            /* FREF */
    uint8_t net[16];        /* CIDR */
    unsigned prefix;        /* CIDR */
};

struct cvec {
    struct cval *v;
    size_t n, cap;
};

struct cc {
    struct ty_str key;
    bool keyword;
    bool pos_mod; /* contains/startswith/endswith seen */
    const struct ty_placeholders *ph;
    struct ty_arena *a;  /* output */
    struct ty_arena tmp; /* scratch */
    struct ty_buf *warn;
    struct ty_err *err;
};

static int cvec_push(struct cc *c, struct cvec *out, const struct cval *v)
{
    if (out->n == out->cap) {
        size_t cap = out->cap ? out->cap * 2 : 4;
        struct cval *nv = ty_arena_alloc(&c->tmp, cap * sizeof(*nv));
        if (!nv)
            return ty_err_set(c->err, TY_ENOMEM, "out of memory");
        if (out->n)
            memcpy(nv, out->v, out->n * sizeof(*nv));
        out->v = nv;
        out->cap = cap;
    }
    if (out->n >= MAX_ALTS)
        return ty_err_set(c->err, TY_ETOOBIG,
                          "a value expands to more than %d alternatives",
                          MAX_ALTS);
    out->v[out->n++] = *v;
    return 0;
}

static int tok_from_bytes(struct ty_arena *a, const char *p, size_t n, struct ty__tokv *tv)
{
    uint16_t *t = ty_arena_alloc(a, (n + 1) * sizeof(*t));
    if (!t)
        return TY_ENOMEM;
    for (size_t i = 0; i < n; i++)
        t[i] = (unsigned char)p[i];
    tv->t = t;
    tv->n = n;
    return 0;
}

/* Literal bytes of a token string without wildcards, NUL-terminated. */
static char *tok_bytes(struct ty_arena *a, const struct ty__tokv *tv)
{
    char *s = ty_arena_alloc(a, tv->n + 1);
    if (!s)
        return NULL;
    for (size_t i = 0; i < tv->n; i++)
        s[i] = (char)ty__tok_byte(tv->t[i]);
    s[tv->n] = '\0';
    return s;
}

/* The text a YAML number has in pySigma (int as an integer, float in its
 * shortest round-trip form). */
static struct ty_str num_canon(struct ty_arena *a, const struct ty_ynode *n)
{
    if (n->stype == TY_YS_INT)
        return ty_arena_printf(a, "%lld", (long long)n->i);
    if (!isfinite(n->f))
        return ty_arena_str(a, n->text);
    for (int p = 1; p <= 17; p++) {
        char buf[64];
        snprintf(buf, sizeof(buf), "%.*g", p, n->f);
        if (strtod(buf, NULL) == n->f)
            return ty_arena_printf(a, "%s", buf);
    }
    return ty_arena_printf(a, "%.17g", n->f);
}

/* NUM as a string for the string modifiers (lenient where pySigma raises). */
static int as_str(struct cc *c, struct cval *v)
{
    if (v->kind != CV_NUM)
        return 0;
    struct cval s = {0};
    s.kind = CV_STR;
    s.raw = v->num_text;
    if (tok_from_bytes(&c->tmp, v->num_text.p, v->num_text.len, &s.tv))
        return ty_err_set(c->err, TY_ENOMEM, "out of memory");
    *v = s;
    return 0;
}

static int type_err(struct cc *c, int m, const struct cval *v, const char *needs)
{
    return ty_err_set(c->err, TY_EINVAL, "modifier '%s' needs %s, not a %s",
                      mod_name[m], needs, cv_name[v->kind]);
}

static bool re_starts_any(struct ty_str p)
{
    return (p.len >= 1 && p.p[0] == '^') || (p.len >= 2 && p.p[0] == '.' && p.p[1] == '*');
}

static bool re_ends_any(struct ty_str p)
{
    return (p.len >= 1 && p.p[p.len - 1] == '$') ||
           (p.len >= 2 && p.p[p.len - 2] == '.' && p.p[p.len - 1] == '*');
}

static int pos_mod(struct cc *c, int m, struct cval *v)
{
    int rc = as_str(c, v);
    if (rc)
        return rc;
    if (v->kind == CV_STR) {
        bool lead = m != M_STARTSWITH, trail = m != M_ENDSWITH;
        bool has_lead = v->tv.n && v->tv.t[0] == TY__TK_STAR;
        bool has_trail = v->tv.n && v->tv.t[v->tv.n - 1] == TY__TK_STAR;
        uint16_t *t = ty_arena_alloc(&c->tmp, (v->tv.n + 2) * sizeof(*t));
        size_t n = 0;
        if (!t)
            return ty_err_set(c->err, TY_ENOMEM, "out of memory");
        if (lead && !has_lead)
            t[n++] = TY__TK_STAR;
        if (v->tv.n)
            memcpy(t + n, v->tv.t, v->tv.n * sizeof(*t));
        n += v->tv.n;
        if (trail && !(has_trail && n > 0 && t[n - 1] == TY__TK_STAR))
            t[n++] = TY__TK_STAR;
        v->tv.t = t;
        v->tv.n = n;
        return 0;
    }
    if (v->kind == CV_RE) {
        bool lead = m != M_STARTSWITH && !re_starts_any(v->raw);
        bool trail = m != M_ENDSWITH && !re_ends_any(v->raw);
        char *p = ty_arena_alloc(&c->tmp, v->raw.len + 5);
        size_t n = 0;
        if (!p)
            return ty_err_set(c->err, TY_ENOMEM, "out of memory");
        if (lead) {
            memcpy(p, ".*", 2);
            n = 2;
        }
        if (v->raw.len)
            memcpy(p + n, v->raw.p, v->raw.len);
        n += v->raw.len;
        if (trail) {
            memcpy(p + n, ".*", 2);
            n += 2;
        }
        p[n] = '\0';
        v->raw = ty_str_make(p, n);
        return 0;
    }
    if (v->kind == CV_FREF) {
        if (v->ref_how != TY_REF_EQ)
            return ty_err_set(c->err, TY_EINVAL,
                              "a field reference takes one of contains, startswith, "
                              "endswith");
        v->ref_how = m == M_CONTAINS ? TY_REF_CONTAINS : m == M_STARTSWITH ? TY_REF_STARTS
                                                                           : TY_REF_ENDS;
        return 0;
    }
    return type_err(c, m, v, "a string, regular expression or field reference");
}

static int need_plain_str(struct cc *c, int m, struct cval *v)
{
    int rc = as_str(c, v);
    if (rc)
        return rc;
    if (v->kind != CV_STR)
        return type_err(c, m, v, "a string");
    if (ty__tok_wild(&v->tv))
        return ty_err_set(c->err, TY_EINVAL,
                          "modifier '%s' needs a value without wildcards (escape * and ? "
                          "as \\* and \\?)",
                          mod_name[m]);
    return 0;
}

static int do_base64(struct cc *c, struct cval *v, struct cvec *out, bool offset)
{
    char *bytes = tok_bytes(&c->tmp, &v->tv);
    size_t n = v->tv.n;
    if (!bytes)
        return ty_err_set(c->err, TY_ENOMEM, "out of memory");
    unsigned char *in = ty_arena_alloc(&c->tmp, n + 3);
    char *enc = ty_arena_alloc(&c->tmp, 4 * ((n + 2 + 2) / 3) + 4);
    if (!in || !enc)
        return ty_err_set(c->err, TY_ENOMEM, "out of memory");
    for (int i = 0; i < (offset ? 3 : 1); i++) {
        static const size_t start_cut[3] = {0, 2, 3};
        static const size_t end_cut[3] = {0, 3, 2};
        memset(in, ' ', (size_t)i);
        memcpy(in + i, bytes, n);
        size_t len = ty__b64(in, n + (size_t)i, enc);
        size_t s = offset ? start_cut[i] : 0;
        size_t e = offset ? end_cut[(n + (size_t)i) % 3] : 0;
        if (s + e >= len)
            continue; /* an empty variant would match everything: dropped */
        struct cval r = *v;
        if (tok_from_bytes(&c->tmp, enc + s, len - s - e, &r.tv))
            return ty_err_set(c->err, TY_ENOMEM, "out of memory");
        r.encoded = true;
        int rc = cvec_push(c, out, &r);
        if (rc)
            return rc;
    }
    if (out->n == 0)
        return ty_err_set(c->err, TY_EINVAL, "base64offset of an empty value");
    return 0;
}

/* Escape a placeholder value for insertion into a regular expression. */
static int re_quote(struct ty_buf *b, struct ty_str s)
{
    for (size_t i = 0; i < s.len; i++) {
        unsigned char ch = (unsigned char)s.p[i];
        bool alnum = (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') ||
                     (ch >= 'A' && ch <= 'Z') || ch >= 0x80;
        if ((!alnum && ty_buf_addc(b, '\\')) || ty_buf_addc(b, (char)ch))
            return TY_ENOMEM;
    }
    return 0;
}

static bool ph_name_char(unsigned c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '-' || c == '.';
}

static const struct ty_placeholder *ph_find(struct cc *c, struct ty_str name)
{
    for (size_t i = 0; c->ph && i < c->ph->n; i++)
        if (ty_str_eq(c->ph->p[i].name, name))
            return &c->ph->p[i];
    return NULL;
}

/* A segment of a value under |expand: literal tokens, or a placeholder. */
struct seg {
    const struct ty_placeholder *ph; /* NULL: tokens t[0..n) */
    const uint16_t *t;
    size_t n;
};

static int unresolved(struct cc *c, struct ty_str name)
{
    return ty_err_set(c->err, TY_EINVAL,
                      "unresolved placeholder '%%%.*s%%' (configure its values, or "
                      "drop |expand to match the text literally)",
                      (int)name.len, name.p);
}

static int do_expand_str(struct cc *c, struct cval *v, struct cvec *out)
{
    const struct ty__tokv *tv = &v->tv;
    struct seg *sg = ty_arena_alloc(&c->tmp, (tv->n + 1) * sizeof(*sg));
    uint16_t *lit = ty_arena_alloc(&c->tmp, (tv->n + 1) * sizeof(*lit));
    size_t ns = 0, nl = 0, total = 1;
    if (!sg || !lit)
        return ty_err_set(c->err, TY_ENOMEM, "out of memory");
    size_t lit_start = 0;
    for (size_t i = 0; i < tv->n;) {
        uint16_t t = tv->t[i];
        if (t == TY__TK_KEPT_BS && i + 1 < tv->n && tv->t[i + 1] == '%') {
            lit[nl++] = '%';
            i += 2;
            continue;
        }
        if (t == '%') {
            size_t j = i + 1;
            while (j < tv->n && tv->t[j] < 256 && ph_name_char(tv->t[j]))
                j++;
            if (j > i + 1 && j < tv->n && tv->t[j] == '%') {
                size_t len = j - i - 1;
                char *name = ty_arena_alloc(&c->tmp, len + 1);
                if (!name)
                    return ty_err_set(c->err, TY_ENOMEM, "out of memory");
                for (size_t k = 0; k < len; k++)
                    name[k] = (char)tv->t[i + 1 + k];
                const struct ty_placeholder *p = ph_find(c, ty_str_make(name, len));
                if (!p)
                    return unresolved(c, ty_str_make(name, len));
                if (p->n == 0)
                    return ty_err_set(c->err, TY_EINVAL,
                                      "placeholder '%%%.*s%%' has no values",
                                      (int)len, name);
                if (total > MAX_ALTS / p->n)
                    return ty_err_set(c->err, TY_ETOOBIG,
                                      "placeholders expand to more than %d values",
                                      MAX_ALTS);
                total *= p->n;
                if (nl > lit_start)
                    sg[ns++] = (struct seg){NULL, lit + lit_start, nl - lit_start};
                lit_start = nl;
                sg[ns++] = (struct seg){p, NULL, 0};
                i = j + 1;
                continue;
            }
        }
        lit[nl++] = t == TY__TK_KEPT_BS ? '\\' : t;
        i++;
    }
    if (nl > lit_start)
        sg[ns++] = (struct seg){NULL, lit + lit_start, nl - lit_start};
    for (size_t j = 0; j < total; j++) {
        size_t code = j, cap = 0;
        struct ty__tokv *parts = ty_arena_alloc(&c->tmp, (ns + 1) * sizeof(*parts));
        if (!parts)
            return ty_err_set(c->err, TY_ENOMEM, "out of memory");
        for (size_t k = 0; k < ns; k++) {
            if (sg[k].ph) {
                const struct ty_placeholder *p = sg[k].ph;
                if (ty__glob_parse(p->values[code % p->n], &c->tmp, &parts[k]))
                    return ty_err_set(c->err, TY_ENOMEM, "out of memory");
                code /= p->n;
            } else {
                parts[k] = (struct ty__tokv){(uint16_t *)sg[k].t, sg[k].n};
            }
            cap += parts[k].n;
        }
        struct cval r = *v;
        r.tv.t = ty_arena_alloc(&c->tmp, (cap + 1) * sizeof(uint16_t));
        if (!r.tv.t)
            return ty_err_set(c->err, TY_ENOMEM, "out of memory");
        r.tv.n = 0;
        for (size_t k = 0; k < ns; k++) {
            if (parts[k].n)
                memcpy(r.tv.t + r.tv.n, parts[k].t, parts[k].n * sizeof(uint16_t));
            r.tv.n += parts[k].n;
        }
        int rc = cvec_push(c, out, &r);
        if (rc)
            return rc;
    }
    return 0;
}

static int do_expand_re(struct cc *c, struct cval *v, struct cvec *out)
{
    struct ty_str p = v->raw;
    struct { size_t at, end; const struct ty_placeholder *ph; } hole[16];
    size_t nh = 0, total = 1;
    for (size_t i = 0; i < p.len; i++) {
        if (p.p[i] == '\\') {
            i++;
            continue;
        }
        if (p.p[i] != '%')
            continue;
        size_t j = i + 1;
        while (j < p.len && ph_name_char((unsigned char)p.p[j]))
            j++;
        if (j == i + 1 || j >= p.len || p.p[j] != '%')
            continue;
        struct ty_str name = ty_str_make(p.p + i + 1, j - i - 1);
        const struct ty_placeholder *ph = ph_find(c, name);
        if (!ph)
            return unresolved(c, name);
        if (ph->n == 0 || nh == 16 || total > MAX_ALTS / ph->n)
            return ty_err_set(c->err, TY_EINVAL,
                              "placeholder '%%%.*s%%' has no values or too many",
                              (int)name.len, name.p);
        total *= ph->n;
        hole[nh].at = i;
        hole[nh].end = j + 1;
        hole[nh++].ph = ph;
        i = j;
    }
    for (size_t k = 0; k < total; k++) {
        struct ty_buf b;
        size_t code = k, pos = 0;
        int rc = 0;
        ty_buf_init(&b, 1u << 20);
        for (size_t h = 0; h < nh && !rc; h++) {
            const struct ty_placeholder *ph = hole[h].ph;
            rc = ty_buf_add(&b, p.p + pos, hole[h].at - pos);
            if (!rc)
                rc = re_quote(&b, ph->values[code % ph->n]);
            code /= ph->n;
            pos = hole[h].end;
        }
        if (!rc)
            rc = ty_buf_add(&b, p.p + pos, p.len - pos);
        struct cval r = *v;
        r.raw = rc ? TY_STR_NULL : ty_arena_str(&c->tmp, ty_buf_str(&b));
        ty_buf_release(&b);
        if (rc || !r.raw.p)
            return ty_err_set(c->err, TY_ENOMEM, "out of memory");
        rc = cvec_push(c, out, &r);
        if (rc)
            return rc;
    }
    return 0;
}

static int do_cidr(struct cc *c, struct cval *v)
{
    char buf[64];
    struct ty_str s = v->raw;
    struct ty_ip ip;
    uint64_t plen;
    ptrdiff_t slash = ty_str_chr(s, '/');
    struct ty_str addr = slash < 0 ? s : ty_str_make(s.p, (size_t)slash);
    if (ty_ip_parse(addr, &ip))
        goto bad;
    bool v4 = ty_ip_is_v4(&ip) && memchr(addr.p, ':', addr.len) == NULL;
    unsigned maxlen = v4 ? 32 : 128;
    if (slash < 0) {
        plen = maxlen;
    } else if (ty_str_to_u64(ty_str_make(s.p + slash + 1, s.len - (size_t)slash - 1), &plen) ||
               s.p[slash + 1] == '-' || s.p[slash + 1] == '+' || plen > maxlen) {
        goto bad;
    }
    unsigned bits = (unsigned)plen + (v4 ? 96 : 0);
    for (unsigned b = bits; b < 128; b++)
        if (ip.a[b / 8] & (0x80 >> (b % 8)))
            return ty_err_set(c->err, TY_EINVAL,
                              "network '%.*s' has host bits set (write the network "
                              "address, e.g. 192.168.1.0/24)",
                              (int)s.len, s.p);
    v->kind = CV_CIDR;
    memcpy(v->net, ip.a, 16);
    v->prefix = bits;
    v->flag = !v4;
    return 0;
bad:
    snprintf(buf, sizeof(buf), "%.*s", (int)(s.len > 48 ? 48 : s.len), s.p);
    return ty_err_set(c->err, TY_EINVAL,
                      "'%s' is not an IPv4 or IPv6 network (a.b.c.d/n or x:y::/n)",
                      buf);
}

/* Apply modifier m to one value, appending the result(s) to out. */
static int apply1(struct cc *c, int m, struct cval *v, struct cvec *out)
{
    int rc = 0;
    if (v->kind == CV_NULL)
        return ty_err_set(c->err, TY_EINVAL, "null takes no value modifier ('%s')",
                          mod_name[m]);
    switch (m) {
    case M_CONTAINS:
    case M_STARTSWITH:
    case M_ENDSWITH:
        rc = pos_mod(c, m, v);
        break;
    case M_BASE64:
    case M_BASE64OFFSET:
        rc = need_plain_str(c, m, v);
        if (!rc)
            return do_base64(c, v, out, m == M_BASE64OFFSET);
        break;
    case M_WIDE:
    case M_UTF16LE:
    case M_UTF16BE:
    case M_UTF16:
        rc = as_str(c, v);
        if (!rc && v->kind != CV_STR)
            rc = type_err(c, m, v, "a string");
        if (!rc) {
            struct ty_err e2;
            rc = ty__utf16(&v->tv, m == M_UTF16BE ? 1 : m == M_UTF16 ? 2 : 0, &c->tmp, &v->tv,
                           &e2);
            if (rc == TY_EINVAL)
                rc = ty_err_set(c->err, rc, "%s", e2.msg);
            else if (rc)
                rc = ty_err_set(c->err, rc, "out of memory");
        }
        break;
    case M_WINDASH: {
        rc = as_str(c, v);
        if (!rc && v->kind != CV_STR)
            rc = type_err(c, m, v, "a string");
        if (rc)
            break;
        struct ty__tokv *alts;
        size_t n;
        struct ty_err e2;
        rc = ty__windash(&v->tv, &c->tmp, &alts, &n, MAX_ALTS, &e2);
        if (rc)
            return ty_err_set(c->err, rc, "%s", rc == TY_ENOMEM ? "out of memory" : e2.msg);
        for (size_t i = 0; i < n && !rc; i++) {
            struct cval r = *v;
            r.tv = alts[i];
            rc = cvec_push(c, out, &r);
        }
        return rc;
    }
    case M_RE:
        if (v->kind != CV_STR)
            return type_err(c, m, v, "a string");
        v->kind = CV_RE;
        v->re_flags = 0;
        break;
    case M_I:
    case M_M:
    case M_S:
        if (v->kind != CV_RE)
            return ty_err_set(c->err, TY_EINVAL,
                              "modifier '%s' applies to a regular expression only "
                              "(write re|%s)",
                              mod_name[m], mod_name[m]);
        v->re_flags |= m == M_I ? PCRE2_CASELESS : m == M_M ? PCRE2_MULTILINE : PCRE2_DOTALL;
        break;
    case M_CASED:
        rc = as_str(c, v);
        if (!rc && v->kind != CV_STR)
            rc = type_err(c, m, v, "a string");
        v->cased = true;
        break;
    case M_EXISTS:
        if (v->kind != CV_BOOL)
            return type_err(c, m, v, "true or false");
        v->kind = CV_EXISTS;
        break;
    case M_CIDR:
        if (v->kind != CV_STR)
            return type_err(c, m, v, "a string");
        rc = do_cidr(c, v);
        break;
    case M_GT:
    case M_GTE:
    case M_LT:
    case M_LTE: {
        enum ty_cmp_op op = m == M_GT ? TY_OP_GT : m == M_GTE ? TY_OP_GTE
                            : m == M_LT ? TY_OP_LT : TY_OP_LTE;
        if (v->kind == CV_NUM) {
            v->kind = CV_CMP;
            v->op = op;
        } else if (v->kind == CV_TIME && v->op == TY_OP_EQ) {
            v->op = op;
        } else {
            return type_err(c, m, v, "a number (write 10, not '10')");
        }
        break;
    }
    case M_FIELDREF:
        rc = need_plain_str(c, m, v);
        if (!rc) {
            char *name = tok_bytes(&c->tmp, &v->tv);
            if (!name)
                return ty_err_set(c->err, TY_ENOMEM, "out of memory");
            if (!name[0])
                return ty_err_set(c->err, TY_EINVAL, "fieldref needs a field name");
            v->raw = ty_str_make(name, v->tv.n);
            v->kind = CV_FREF;
            v->ref_how = TY_REF_EQ;
        }
        break;
    case M_EXPAND:
        if (v->kind == CV_STR)
            return do_expand_str(c, v, out);
        if (v->kind == CV_RE)
            return do_expand_re(c, v, out);
        return type_err(c, m, v, "a string or regular expression");
    case M_MINUTE:
    case M_HOUR:
    case M_DAY:
    case M_WEEK:
    case M_MONTH:
    case M_YEAR:
        if (v->kind != CV_NUM)
            return type_err(c, m, v, "a number");
        v->kind = CV_TIME;
        v->op = TY_OP_EQ;
        v->timepart = m - M_MINUTE;
        break;
    default:
        break;
    }
    if (rc)
        return rc;
    return cvec_push(c, out, v);
}

/* ------------------------------------------------------------------ */
/* Compiled form                                                       */

/* The longest literal that every match of a regular expression contains,
 * read conservatively at the top level of the pattern: runs of plain
 * characters (and escaped punctuation), cut by anything else; a character
 * made optional by ? * or {} leaves its run. Any alternation or \Q gives
 * none. Used as a prefilter (memmem before PCRE2), so it must never
 * reject a text the regex would match. */
static struct ty_str re_required_literal(struct ty_str re, char *buf, size_t cap)
{
    struct ty_str best = TY_STR_NULL;
    size_t run = 0, depth = 0;
    char *cur = buf, *alt = buf + cap / 2; /* the run being built, and the best one */
    cap /= 2;
    for (size_t i = 0; i < re.len; i++) {
        if (re.p[i] == '|' || (re.p[i] == '\\' && i + 1 < re.len && re.p[i + 1] == 'Q'))
            return TY_STR_NULL;
        /* (?x) makes spaces in the pattern insignificant: no literal then */
        if (re.p[i] == '(' && i + 1 < re.len && re.p[i + 1] == '?')
            for (size_t j = i + 2; j < re.len && re.p[j] != ')' && re.p[j] != ':'; j++)
                if (re.p[j] == 'x')
                    return TY_STR_NULL;
    }
#define END_RUN()                                                                                  \
    do {                                                                                           \
        if (run > best.len) {                                                                      \
            memcpy(alt, cur, run);                                                                 \
            best = (struct ty_str){alt, run};                                                      \
        }                                                                                          \
        run = 0;                                                                                   \
    } while (0)
    for (size_t i = 0; i < re.len; i++) {
        char ch = re.p[i];
        bool lit = false;
        if (ch == '\\' && i + 1 < re.len) {
            char e = re.p[++i];
            if (strchr("\\.^$*+?()[]{}|/-:@#%&=~'\"<> ,;!", e) && depth == 0) {
                ch = e;
                lit = true;
            }
        } else if (ch == '[') {
            /* a class: skip to its end ("[]" and "[^]" take the ']' as a member) */
            size_t j = i + 1;
            if (j < re.len && re.p[j] == '^')
                j++;
            if (j < re.len && re.p[j] == ']')
                j++;
            for (; j < re.len && re.p[j] != ']'; j++)
                if (re.p[j] == '\\')
                    j++;
            i = j;
        } else if (ch == '(') {
            depth++;
        } else if (ch == ')') {
            if (depth)
                depth--;
        } else if (ch == '{' || ch == '*' || ch == '?') {
            if (run && depth == 0)
                run--; /* the atom before is optional */
            if (ch == '{')
                while (i < re.len && re.p[i] != '}')
                    i++;
        } else if (!strchr(".^$+", ch) && depth == 0) {
            lit = true;
        }
        if (lit && run < cap) {
            /* a quantifier right after makes this character optional */
            char nx = i + 1 < re.len ? re.p[i + 1] : 0;
            if (nx == '*' || nx == '?' || nx == '{') {
                END_RUN();
                continue;
            }
            cur[run++] = ch;
            continue;
        }
        END_RUN();
    }
    END_RUN();
#undef END_RUN
    return best;
}

static int finish(struct cc *c, const struct cval *v, struct ty_sv *sv)
{
    memset(sv, 0, sizeof(*sv));
    switch (v->kind) {
    case CV_STR: {
        struct ty__tokv tv = v->tv;
        if (c->keyword && !c->pos_mod) {
            uint16_t *t = ty_arena_alloc(&c->tmp, (tv.n + 2) * sizeof(*t));
            if (!t)
                return ty_err_set(c->err, TY_ENOMEM, "out of memory");
            t[0] = TY__TK_STAR;
            if (tv.n)
                memcpy(t + 1, tv.t, tv.n * sizeof(*t));
            t[tv.n + 1] = TY__TK_STAR;
            tv.t = t;
            tv.n += 2;
        }
        if (ty__glob_build(sv, &tv, v->cased || v->encoded, c->a))
            return ty_err_set(c->err, TY_ENOMEM, "out of memory");
        return 0;
    }
    case CV_RE: {
        int ec;
        PCRE2_SIZE eo;
        pcre2_code *re;
        re = pcre2_compile((PCRE2_SPTR)v->raw.p, v->raw.len,
                           v->re_flags | PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &ec, &eo, NULL);
        if (!re) {
            char msg[128];
            pcre2_get_error_message(ec, (PCRE2_UCHAR *)msg, sizeof(msg));
            return ty_err_set(c->err, TY_EINVAL,
                              "invalid regular expression at offset %zu: %s",
                              (size_t)eo, msg);
        }
        (void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE); /* interpreter when JIT is missing */
        sv->kind = TY_SV_RE;
        sv->re = re;
        char lbuf[512];
        struct ty_str lit = re_required_literal(v->raw, lbuf, sizeof(lbuf));
        if (lit.len >= 3) {
            /* inline flags anywhere may make the match case-insensitive: fold */
            sv->re_fold = (v->re_flags & PCRE2_CASELESS) || memchr(v->raw.p, '(', v->raw.len);
            char *d = ty_arena_alloc(c->a, lit.len);
            if (!d)
                return ty_err_set(c->err, TY_ENOMEM, "out of memory");
            if (sv->re_fold)
                ty__fold_copy(d, lit.p, lit.len);
            else
                memcpy(d, lit.p, lit.len);
            sv->re_lit = (struct ty_str){d, lit.len};
        }
        return 0;
    }
    case CV_NUM:
    case CV_CMP:
    case CV_TIME:
        sv->kind = v->kind == CV_NUM ? TY_SV_NUM : v->kind == CV_CMP ? TY_SV_CMP : TY_SV_TIMEPART;
        sv->num = v->num;
        sv->num_text = ty_arena_str(c->a, v->num_text);
        sv->op = v->kind == CV_NUM ? TY_OP_EQ : v->op;
        sv->timepart = v->timepart;
        return sv->num_text.p ? 0 : ty_err_set(c->err, TY_ENOMEM, "out of memory");
    case CV_BOOL:
    case CV_EXISTS:
        sv->kind = v->kind == CV_BOOL ? TY_SV_BOOL : TY_SV_EXISTS;
        sv->flag = v->flag;
        return 0;
    case CV_NULL:
        sv->kind = TY_SV_NULL;
        return 0;
    case CV_CIDR:
        sv->kind = TY_SV_CIDR;
        memcpy(sv->net, v->net, 16);
        sv->prefix = v->prefix;
        sv->flag = v->flag;
        return 0;
    case CV_FREF:
        sv->kind = TY_SV_FIELDREF;
        sv->ref = ty_arena_str(c->a, v->raw);
        sv->ref_how = v->ref_how;
        return sv->ref.p ? 0 : ty_err_set(c->err, TY_ENOMEM, "out of memory");
    }
    return ty_err_set(c->err, TY_ERR, "internal: value kind %d", (int)v->kind);
}

/* The first value of one scalar, before modifiers. */
static int start_value(struct cc *c, const struct ty_ynode *n, struct cval *v)
{
    memset(v, 0, sizeof(*v));
    if (!n && c->keyword)
        return ty_err_set(c->err, TY_EINVAL, "null needs a field (a keyword cannot be null)");
    if (!n) {
        v->kind = CV_NULL;
        return 0;
    }
    if (n->kind != TY_Y_SCALAR)
        return ty_err_set(c->err, TY_EINVAL,
                          "a value must be a scalar or a list of scalars, not a %s",
                          n->kind == TY_Y_MAP ? "map" : "list");
    switch (n->stype) {
    case TY_YS_NULL:
        if (c->keyword)
            return ty_err_set(c->err, TY_EINVAL,
                              "null needs a field (a keyword cannot be null)");
        v->kind = CV_NULL;
        return 0;
    case TY_YS_BOOL:
        if (!c->keyword) {
            v->kind = CV_BOOL;
            v->flag = n->b;
            return 0;
        }
        break;
    case TY_YS_INT:
    case TY_YS_FLOAT:
        v->kind = CV_NUM;
        v->num = n->stype == TY_YS_INT ? (double)n->i : n->f;
        v->num_text = num_canon(&c->tmp, n);
        if (!v->num_text.p)
            return ty_err_set(c->err, TY_ENOMEM, "out of memory");
        if (c->keyword)
            return as_str(c, v);
        return 0;
    default:
        break;
    }
    v->kind = CV_STR;
    v->raw = n->text;
    if (ty__glob_parse(n->text, &c->tmp, &v->tv))
        return ty_err_set(c->err, TY_ENOMEM, "out of memory");
    return 0;
}

static void warnf(struct cc *c, const char *what)
{
    if (c->warn)
        ty_buf_addf(c->warn, "%.*s: %s\n", (int)c->key.len, c->key.p, what);
}

static int compile(struct ty_sitem *it, struct ty_str key, struct ty_str label,
                   const struct ty_ynode *value, const struct ty_placeholders *ph, bool keyword,
                   struct ty_arena *a, struct ty_buf *warn, struct ty_err *err)
{
    struct cc c = {.key = label, .keyword = keyword, .ph = ph, .a = a, .warn = warn, .err = err};
    int mods[32], n_mods = 0, n_vmods = 0, rc = 0;
    unsigned seen = 0;
    const struct ty_ynode *one[1];
    const struct ty_ynode *const *vals;
    size_t n_vals;

    memset(it, 0, sizeof(*it));
    ty_arena_init(&c.tmp, 16384, SCRATCH_MAX);
    if (value) {
        it->line = value->line;
        it->col = value->col;
    }

    /* the key: field, then modifiers */
    ptrdiff_t bar = ty_str_chr(key, '|');
    struct ty_str field = bar < 0 ? key : ty_str_make(key.p, (size_t)bar);
    if (field.len == 0)
        c.keyword = keyword = true;
    for (size_t i = bar < 0 ? key.len : (size_t)bar; i < key.len;) {
        size_t j = i + 1;
        while (j < key.len && key.p[j] != '|')
            j++;
        struct ty_str name = ty_str_make(key.p + i + 1, j - i - 1);
        int m = mod_lookup(name);
        if (m < 0) {
            rc = ty_err_set(err, TY_EINVAL, "unknown modifier '%.*s' (allowed: %s)",
                            (int)(name.len > 24 ? 24 : name.len), name.p, allowed_mods);
            goto out;
        }
        if (n_mods == 32) {
            rc = ty_err_set(err, TY_EINVAL, "too many modifiers (at most 32)");
            goto out;
        }
        if ((seen & (1u << m)) && m != M_BASE64)
            warnf(&c, "the same modifier twice");
        seen |= 1u << m;
        if ((m == M_RE || m == M_CIDR || m == M_EXISTS) && n_vmods > 0) {
            rc = ty_err_set(err, TY_EINVAL, "modifier '%s' must come first (it follows "
                            "'%s')", mod_name[m], mod_name[mods[n_mods - 1]]);
            goto out;
        }
        if (keyword && mod_needs_field(m)) {
            rc = ty_err_set(err, TY_EINVAL, "modifier '%s' needs a field (this is a "
                            "keyword item)", mod_name[m]);
            goto out;
        }
        if (m == M_ALL)
            it->all = true;
        else if (m == M_NEQ)
            it->neq = true;
        else
            n_vmods++;
        if (m == M_CONTAINS || m == M_STARTSWITH || m == M_ENDSWITH)
            c.pos_mod = true;
        mods[n_mods++] = m;
        i = j;
    }
    if (field.len) {
        it->field = ty_arena_str(a, field);
        if (!it->field.p) {
            rc = ty_err_set(err, TY_ENOMEM, "out of memory");
            goto out;
        }
    }
    if ((seen & (1u << M_BASE64OFFSET)) && !(seen & (1u << M_CONTAINS)))
        warnf(&c, "base64offset without contains rarely matches (write base64offset|contains)");
    if ((seen & (1u << M_WINDASH)) && it->all)
        warnf(&c, "windash with all: each value's variants stay OR-ed");

    /* the values */
    if (value && value->kind == TY_Y_SEQ) {
        vals = (const struct ty_ynode *const *)value->kv;
        n_vals = value->n;
    } else {
        one[0] = value;
        vals = one;
        n_vals = 1;
    }
    if (n_vals == 0) {
        /* [] is null (pySigma: a zero-value item becomes "field is null") */
        if (keyword) {
            rc = ty_err_set(err, TY_EINVAL, "an empty keyword list");
            goto out;
        }
        if (n_vmods)
            warnf(&c, "an empty list is null: the modifiers do nothing");
        it->g = ty_arena_alloc(a, sizeof(*it->g));
        struct ty_sv *sv = ty_arena_alloc(a, sizeof(*sv));
        if (!it->g || !sv) {
            rc = ty_err_set(err, TY_ENOMEM, "out of memory");
            goto out;
        }
        memset(sv, 0, sizeof(*sv));
        sv->kind = TY_SV_NULL;
        it->g[0] = (struct ty_sgroup){sv, 1};
        it->n = 1;
        goto out;
    }
    if (it->all && n_vals == 1)
        warnf(&c, "all on a single value has no effect");
    if (it->all && !c.pos_mod && !keyword && !(seen & (1u << M_RE)) && n_vals > 1)
        warnf(&c, "all without contains: one value cannot equal several different values");
    it->g = ty_arena_alloc(a, n_vals * sizeof(*it->g));
    if (!it->g) {
        rc = ty_err_set(err, TY_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t k = 0; k < n_vals; k++) {
        struct cvec cur = {0}, next;
        struct cval v0;
        rc = start_value(&c, vals[k], &v0);
        if (rc)
            goto out;
        if (v0.kind == CV_NULL && n_vals > 1)
            warnf(&c, "null in a value list (the spec wants null alone)");
        rc = cvec_push(&c, &cur, &v0);
        for (int mi = 0; mi < n_mods && !rc; mi++) {
            if (mod_is_list(mods[mi]))
                continue;
            memset(&next, 0, sizeof(next));
            for (size_t j = 0; j < cur.n && !rc; j++)
                rc = apply1(&c, mods[mi], &cur.v[j], &next);
            cur = next;
        }
        if (rc)
            goto out;
        if (cur.n == 0) {
            rc = ty_err_set(err, TY_ERR, "internal: empty expansion");
            goto out;
        }
        struct ty_sv *alt = ty_arena_alloc(a, cur.n * sizeof(*alt));
        if (!alt) {
            rc = ty_err_set(err, TY_ENOMEM, "out of memory");
            goto out;
        }
        it->g[k] = (struct ty_sgroup){alt, 0};
        it->n = (uint32_t)k + 1;
        for (size_t j = 0; j < cur.n; j++) {
            rc = finish(&c, &cur.v[j], &alt[j]);
            if (rc)
                goto out;
            it->g[k].n++;
        }
    }
out:
    ty_arena_release(&c.tmp);
    if (rc)
        ty_sitem_release(it);
    return rc;
}

int ty_sitem_compile(struct ty_sitem *it, struct ty_str key, const struct ty_ynode *value,
                     const struct ty_placeholders *ph, struct ty_arena *a, struct ty_buf *warn,
                     struct ty_err *err)
{
    return compile(it, key, key, value, ph, false, a, warn, err);
}

int ty_sitem_compile_keywords(struct ty_sitem *it, const struct ty_ynode *value,
                              struct ty_arena *a, struct ty_buf *warn, struct ty_err *err)
{
    return compile(it, TY_STR_NULL, TY_STR_LIT("keywords"), value, NULL, true, a, warn, err);
}

void ty_sitem_release(struct ty_sitem *it)
{
    if (!it || !it->g)
        return;
    for (uint32_t k = 0; k < it->n; k++)
        for (uint32_t j = 0; j < it->g[k].n; j++) {
            struct ty_sv *v = &it->g[k].alt[j];
            if (v->kind == TY_SV_RE && v->re) {
                pcre2_code_free(v->re);
                v->re = NULL;
            }
        }
    it->g = NULL;
    it->n = 0;
}

