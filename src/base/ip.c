/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ip.c - IP literal parsing into 16-byte canonical form and back to text.
 * inet_pton/inet_ntop do the RFC work; we add the span interface and the
 * v4-mapped storage.
 */
#include <arpa/inet.h>
#include <string.h>

#include <tyto/err.h>
#include <tyto/ip.h>

static const uint8_t v4_prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

/* Canonical dotted-quad IPv4 (each part 0-255, no leading zero, as
 * inet_pton accepts it): the common case, without a copy and a libc call.
 * Returns false for anything else, which then goes to inet_pton. */
static bool dotted_quad(struct ty_str s, struct ty_ip *out)
{
    unsigned n = 0;
    size_t i = 0;
    uint8_t oct[4];
    if (s.len < 7 || s.len > 15)
        return false;
    for (;;) {
        size_t st = i;
        unsigned v = 0;
        while (i < s.len && s.p[i] >= '0' && s.p[i] <= '9' && i - st < 3)
            v = v * 10 + (unsigned)(s.p[i++] - '0');
        if (i == st || v > 255 || (s.p[st] == '0' && i - st > 1))
            return false;
        oct[n++] = (uint8_t)v;
        if (n == 4)
            break;
        if (i >= s.len || s.p[i] != '.')
            return false;
        i++;
    }
    if (i != s.len)
        return false;
    memcpy(out->a, v4_prefix, 12);
    memcpy(out->a + 12, oct, 4);
    return true;
}

int ty_ip_parse(struct ty_str s, struct ty_ip *out)
{
    char tmp[TY_IP_STRLEN];
    if (dotted_quad(s, out))
        return 0;
    if (s.len == 0 || s.len >= sizeof(tmp))
        return TY_EINVAL;
    memcpy(tmp, s.p, s.len);
    tmp[s.len] = '\0';
    if (memchr(s.p, ':', s.len)) {
        if (inet_pton(AF_INET6, tmp, out->a) != 1)
            return TY_EINVAL;
        return 0;
    }
    uint8_t v4[4];
    if (inet_pton(AF_INET, tmp, v4) != 1)
        return TY_EINVAL;
    memcpy(out->a, v4_prefix, 12);
    memcpy(out->a + 12, v4, 4);
    return 0;
}

bool ty_ip_is_v4(const struct ty_ip *ip)
{
    return memcmp(ip->a, v4_prefix, 12) == 0;
}

int ty_ip_format(const struct ty_ip *ip, char *out)
{
    const char *r = ty_ip_is_v4(ip) ? inet_ntop(AF_INET, ip->a + 12, out, TY_IP_STRLEN)
                                     : inet_ntop(AF_INET6, ip->a, out, TY_IP_STRLEN);
    if (!r) {
        out[0] = '\0';
        return 0;
    }
    return (int)strlen(out);
}
