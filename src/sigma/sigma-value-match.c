/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sigma-value-match.c - evaluating compiled Sigma detection items: the
 * single-value test of every value kind (glob, regex, number, boolean,
 * null, exists, cidr, comparison, time part) and the item walk over a field
 * source: one walk per 64 groups, presence-based kinds settled after it,
 * |all, |neq, |fieldref and keyword search. No allocation per evaluation
 * (the PCRE2 match data is one per thread).
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <tyto/ip.h>
#include <tyto/time.h>

#include "sigma/sigma-value-int.h"

/* Values of the referenced field kept for |fieldref. */
#define MAX_REF_VALUES 64
/* PCRE2 backtracking budget per match (hostile input must not hang). */
#define RE_MATCH_LIMIT 10000000u

static pthread_once_t re_once = PTHREAD_ONCE_INIT;
static pthread_key_t re_key;
static pcre2_match_context *re_mctx;

static void re_md_free(void *p)
{
    pcre2_match_data_free(p);
}

static void re_init(void)
{
    if (pthread_key_create(&re_key, re_md_free) != 0)
        return;
    re_mctx = pcre2_match_context_create(NULL);
    if (re_mctx)
        pcre2_set_match_limit(re_mctx, RE_MATCH_LIMIT);
}

/* ------------------------------------------------------------------ */
/* Matching one value                                                  */

/* A number written in plain decimal (sign, digits, fraction, exponent). */
static bool num_parse(struct ty_str s, double *out)
{
    char buf[64];
    bool digit = false;
    char *end;
    if (s.len == 0 || s.len >= sizeof(buf))
        return false;
    for (size_t i = 0; i < s.len; i++) {
        char ch = s.p[i];
        if (ch >= '0' && ch <= '9')
            digit = true;
        else if (ch != '+' && ch != '-' && ch != '.' && ch != 'e' && ch != 'E')
            return false;
    }
    if (!digit)
        return false;
    memcpy(buf, s.p, s.len);
    buf[s.len] = '\0';
    *out = strtod(buf, &end);
    return end == buf + s.len;
}

static bool fv_number(const struct ty_fval *fv, double *out)
{
    if (fv->kind == TY_FV_NUM) {
        *out = fv->num;
        return true;
    }
    return fv->kind == TY_FV_STR && num_parse(fv->s, out);
}

static bool cmp(double x, enum ty_cmp_op op, double y)
{
    switch (op) {
    case TY_OP_EQ:
        return x == y;
    case TY_OP_GT:
        return x > y;
    case TY_OP_GTE:
        return x >= y;
    case TY_OP_LT:
        return x < y;
    case TY_OP_LTE:
        return x <= y;
    }
    return false;
}

static void civil(int64_t days, int64_t *y, unsigned *m, unsigned *d)
{
    /* days since 1970-01-01 -> proleptic Gregorian date, eras of 400 years */
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
    *m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

static unsigned iso_week(int64_t days)
{
    /* 1970-01-01 was a Thursday: the Thursday of this ISO week (Monday to
     * Sunday) decides the week's year */
    int64_t thu = floor_div(days + 3, 7) * 7;
    int64_t y;
    unsigned m, d;
    civil(thu, &y, &m, &d);
    return (unsigned)((thu - ty_days_from_civil(y, 1, 1)) / 7 + 1);
}

static unsigned dig2(const char *p)
{
    return (unsigned)(p[0] - '0') * 10 + (unsigned)(p[1] - '0');
}

/* The part (0 minute .. 5 year) of a time value; the text's own wall clock,
 * no zone conversion (sigma-spec §5); a number is Unix epoch seconds, UTC. */
static bool time_part(const struct ty_fval *fv, int part, double *out)
{
    int64_t ns, y;
    unsigned mo, d, h, mi;
    double num;
    if (fv->kind == TY_FV_STR && ty_time_parse_iso(fv->s, &ns, NULL, NULL) == 0) {
        const char *p = fv->s.p;
        y = (int64_t)dig2(p) * 100 + dig2(p + 2);
        mo = dig2(p + 5);
        d = dig2(p + 8);
        h = dig2(p + 11);
        mi = dig2(p + 14);
    } else if (fv_number(fv, &num) && isfinite(num) && fabs(num) < 1e13) {
        int64_t secs = (int64_t)floor(num);
        int64_t days = floor_div(secs, 86400), rem = secs - days * 86400;
        civil(days, &y, &mo, &d);
        h = (unsigned)(rem / 3600);
        mi = (unsigned)(rem / 60 % 60);
    } else {
        return false;
    }
    switch (part) {
    case 0: *out = mi; break;
    case 1: *out = h; break;
    case 2: *out = d; break;
    case 3: *out = iso_week(ty_days_from_civil(y, mo, d)); break;
    case 4: *out = mo; break;
    default: *out = (double)y; break;
    }
    return true;
}

static bool cidr_match(const struct ty_sv *v, const struct ty_fval *fv)
{
    struct ty_ip ip;
    if (fv->kind != TY_FV_STR || ty_ip_parse(fv->s, &ip) != 0)
        return false;
    bool ev6 = !ty_ip_is_v4(&ip) || memchr(fv->s.p, ':', fv->s.len) != NULL;
    if (ev6 != v->flag)
        return false;
    unsigned full = v->prefix / 8, rest = v->prefix % 8;
    if (memcmp(ip.a, v->net, full) != 0)
        return false;
    if (rest) {
        uint8_t mask = (uint8_t)(0xFF00 >> rest);
        if ((ip.a[full] & mask) != (v->net[full] & mask))
            return false;
    }
    return true;
}

static bool re_match(const struct ty_sv *v, struct ty_str s)
{
    pcre2_match_data *md;
    pthread_once(&re_once, re_init);
    md = pthread_getspecific(re_key);
    if (!md) {
        md = pcre2_match_data_create(1, NULL);
        if (!md || pthread_setspecific(re_key, md) != 0) {
            pcre2_match_data_free(md);
            return false;
        }
    }
    int rc = pcre2_match(v->re, (PCRE2_SPTR)(s.p ? s.p : ""), s.len, 0, 0, md, re_mctx);
    return rc >= 0;
}

bool ty_sv_match(const struct ty_sv *v, const struct ty_fval *fv)
{
    double x;
    switch (v->kind) {
    case TY_SV_GLOB:
        return fv->kind != TY_FV_NULL &&
               ty__glob_match(v, fv->s.p ? fv->s.p : "", fv->s.len, false);
    case TY_SV_RE:
        if (fv->kind == TY_FV_NULL)
            return false;
        if (v->re_lit.len && ty__fold_find(fv->s.p ? fv->s.p : "", fv->s.len, v->re_lit.p,
                                           v->re_lit.len, !v->re_fold) < 0)
            return false; /* the literal every match contains is not there */
        return re_match(v, fv->s);
    case TY_SV_NUM:
        if (fv->kind == TY_FV_NUM)
            return fv->num == v->num;
        if (fv->kind != TY_FV_STR)
            return false;
        return ty_str_eq_nocase(fv->s, v->num_text) || (num_parse(fv->s, &x) && x == v->num);
    case TY_SV_BOOL:
        if (fv->kind == TY_FV_BOOL)
            return fv->b == v->flag;
        return fv->kind == TY_FV_STR &&
               ty_str_eq_nocase(fv->s, v->flag ? TY_STR_LIT("true") : TY_STR_LIT("false"));
    case TY_SV_NULL:
        return fv->kind == TY_FV_NULL;
    case TY_SV_EXISTS:
        return v->flag; /* a visited value proves presence */
    case TY_SV_CIDR:
        return cidr_match(v, fv);
    case TY_SV_CMP:
        return fv_number(fv, &x) && cmp(x, v->op, v->num);
    case TY_SV_TIMEPART:
        return time_part(fv, v->timepart, &x) && cmp(x, v->op, v->num);
    case TY_SV_FIELDREF:
        return false; /* needs the event: ty_sitem_eval */
    }
    return false;
}

/* ------------------------------------------------------------------ */
/* Evaluating an item                                                  */

struct walk {
    const struct ty_sgroup *g;
    uint32_t n;     /* groups in this window (<= 64) */
    bool all;
    bool seen;      /* some value was visited */
    uint64_t got;   /* groups satisfied */
    uint64_t need;
    bool have_hit;
    struct ty_fval hit;
};

/* Values up to this size are folded once per value for all the item's
 * case-insensitive searching alternatives (on the stack); longer ones per
 * test. Equality, prefix and suffix compare folding on the fly. */
#define FOLD_ONCE_MAX 1024

static bool walk_fn(void *arg, const struct ty_fval *fv)
{
    struct walk *w = arg;
    char folded[FOLD_ONCE_MAX];
    bool have_folded = false;
    w->seen = true;
    for (uint32_t k = 0; k < w->n; k++) {
        if (w->got & (UINT64_C(1) << k))
            continue;
        const struct ty_sgroup *g = &w->g[k];
        for (uint32_t j = 0; j < g->n; j++) {
            const struct ty_sv *v = &g->alt[j];
            bool ok;
            if (v->kind == TY_SV_GLOB && !v->cased && v->n_parts >= 3 &&
                fv->kind != TY_FV_NULL && fv->s.len <= FOLD_ONCE_MAX) {
                if (!have_folded) {
                    if (fv->s.len)
                        ty__fold_copy(folded, fv->s.p, fv->s.len);
                    have_folded = true;
                }
                ok = ty__glob_match(v, folded, fv->s.len, true);
            } else {
                ok = ty_sv_match(v, fv);
            }
            if (ok) {
                w->got |= UINT64_C(1) << k;
                if (!w->have_hit) {
                    w->hit = *fv;
                    w->have_hit = true;
                }
                break;
            }
        }
        if (!w->all && w->got)
            return true;
    }
    return w->all && w->got == w->need;
}

struct refs {
    struct ty_fval v[MAX_REF_VALUES];
    size_t n;
};

static bool ref_collect(void *arg, const struct ty_fval *fv)
{
    struct refs *r = arg;
    if (fv->kind == TY_FV_NULL)
        return false;
    r->v[r->n++] = *fv;
    return r->n == MAX_REF_VALUES;
}

static bool eq_fold2(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (ty_fold((unsigned char)a[i]) != ty_fold((unsigned char)b[i]))
            return false;
    return true;
}

static bool ref_cmp(int how, struct ty_str x, struct ty_str r)
{
    if (x.len < r.len)
        return false;
    switch (how) {
    case TY_REF_EQ:
        return x.len == r.len && eq_fold2(x.p, r.p, r.len);
    case TY_REF_STARTS:
        return eq_fold2(x.p, r.p, r.len);
    case TY_REF_ENDS:
        return eq_fold2(x.p + x.len - r.len, r.p, r.len);
    default:
        for (size_t i = 0; i + r.len <= x.len; i++)
            if (eq_fold2(x.p + i, r.p, r.len))
                return true;
        return false;
    }
}

struct refwalk {
    const struct refs *r;
    int how;
    bool ok;
    struct ty_fval hit;
};

static bool ref_walk_fn(void *arg, const struct ty_fval *fv)
{
    struct refwalk *w = arg;
    if (fv->kind == TY_FV_NULL)
        return false;
    for (size_t i = 0; i < w->r->n; i++)
        if (ref_cmp(w->how, fv->s, w->r->v[i].s)) {
            w->ok = true;
            w->hit = *fv;
            return true;
        }
    return false;
}

static bool fieldref_eval(const struct ty_sv *v, struct ty_str field, struct ty_fsrc *src,
                          struct walk *w)
{
    struct refs r;
    r.n = 0;
    if (src->each(src, v->ref, ref_collect, &r) < 0 || r.n == 0)
        return false;
    struct refwalk rw = {&r, (int)v->ref_how, false, {0}};
    src->each(src, field, ref_walk_fn, &rw);
    if (rw.ok && !w->have_hit) {
        w->hit = rw.hit;
        w->have_hit = true;
    }
    return rw.ok;
}

bool ty_sitem_eval(const struct ty_sitem *it, struct ty_fsrc *src, struct ty_fval *hit)
{
    bool r = it->all;
    struct walk w;
    bool keyword = it->field.len == 0;
    memset(&w, 0, sizeof(w));
    for (uint32_t base = 0; base < it->n; base += 64) {
        uint32_t n = it->n - base < 64 ? it->n - base : 64;
        int rc;
        w.g = it->g + base;
        w.n = n;
        w.all = it->all;
        w.seen = false;
        w.got = 0;
        w.need = n == 64 ? ~UINT64_C(0) : (UINT64_C(1) << n) - 1;
        if (keyword)
            rc = src->keywords ? src->keywords(src, walk_fn, &w) : -1;
        else
            rc = src->each(src, it->field, walk_fn, &w);
        if (!keyword) {
            for (uint32_t k = 0; k < n && w.got != w.need; k++) {
                const struct ty_sgroup *g = &w.g[k];
                if (w.got & (UINT64_C(1) << k))
                    continue;
                for (uint32_t j = 0; j < g->n; j++) {
                    const struct ty_sv *v = &g->alt[j];
                    bool ok = false;
                    if (v->kind == TY_SV_NULL)
                        ok = rc < 0 || !w.seen; /* absent, or an empty array */
                    else if (v->kind == TY_SV_EXISTS)
                        ok = (rc >= 0) == v->flag;
                    else if (v->kind == TY_SV_FIELDREF && rc >= 0)
                        ok = fieldref_eval(v, it->field, src, &w);
                    if (ok) {
                        w.got |= UINT64_C(1) << k;
                        break;
                    }
                }
                if (!it->all && w.got)
                    break;
            }
        }
        if (it->all && w.got != w.need) {
            r = false;
            break;
        }
        if (!it->all && w.got) {
            r = true;
            break;
        }
    }
    if (it->n == 0)
        r = false;
    if (it->neq)
        r = !r;
    if (r && hit) {
        if (w.have_hit && !it->neq)
            *hit = w.hit;
        else
            *hit = (struct ty_fval){.kind = TY_FV_NULL};
    }
    return r;
}
