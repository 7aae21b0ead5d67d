/* SPDX-License-Identifier: Apache-2.0 */
/*
 * str.c - helpers over borrowed spans: comparison, integers, trimming, hashing.
 */
#include <tyto/err.h>
#include <tyto/str.h>

static inline unsigned char lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

bool ty_str_eq_nocase(struct ty_str a, struct ty_str b)
{
    if (a.len != b.len)
        return false;
    for (size_t i = 0; i < a.len; i++)
        if (lower((unsigned char)a.p[i]) != lower((unsigned char)b.p[i]))
            return false;
    return true;
}

int ty_str_to_u64(struct ty_str s, uint64_t *out)
{
    uint64_t v = 0;
    if (s.len == 0 || s.len > 20)
        return TY_EINVAL;
    for (size_t i = 0; i < s.len; i++) {
        unsigned d = (unsigned char)s.p[i] - '0';
        if (d > 9)
            return TY_EINVAL;
        if (v > (UINT64_MAX - d) / 10)
            return TY_EINVAL;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

int ty_str_to_i64(struct ty_str s, int64_t *out)
{
    uint64_t v;
    bool neg = s.len > 0 && s.p[0] == '-';
    if (neg) {
        s.p++;
        s.len--;
    }
    if (ty_str_to_u64(s, &v) != 0)
        return TY_EINVAL;
    if (neg) {
        if (v > (uint64_t)INT64_MAX + 1)
            return TY_EINVAL;
        *out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
    } else {
        if (v > (uint64_t)INT64_MAX)
            return TY_EINVAL;
        *out = (int64_t)v;
    }
    return 0;
}

static inline bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

struct ty_str ty_str_trim(struct ty_str s)
{
    while (s.len && is_space(s.p[0])) {
        s.p++;
        s.len--;
    }
    while (s.len && is_space(s.p[s.len - 1]))
        s.len--;
    return s;
}

uint64_t ty_str_hash(struct ty_str s)
{
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    for (size_t i = 0; i < s.len; i++) {
        h ^= (unsigned char)s.p[i];
        h *= UINT64_C(0x100000001b3);
    }
    return h;
}

bool ty_str_contains(struct ty_str h, const char *needle)
{
    size_t n = strlen(needle);
    if (!h.p || !n)
        return false;
    const char *p = h.p, *end = h.p + h.len;
    while ((size_t)(end - p) >= n) {
        p = memchr(p, needle[0], (size_t)(end - p) - n + 1);
        if (!p)
            return false;
        if (memcmp(p, needle, n) == 0)
            return true;
        p++;
    }
    return false;
}
