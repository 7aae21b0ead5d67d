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

int ty_ip_parse(struct ty_str s, struct ty_ip *out)
{
    char tmp[TY_IP_STRLEN];
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
