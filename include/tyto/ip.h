/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ip.h - IPv4/IPv6 addresses in canonical binary form.
 *
 * Stored as 16 bytes; IPv4 as the v4-mapped form ::ffff:a.b.c.d so both
 * families sort and compare in one column. Text output is the usual dotted
 * quad for IPv4 and RFC 5952 for IPv6.
 */
#ifndef TYTO_IP_H
#define TYTO_IP_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <tyto/str.h>

struct ty_ip {
    uint8_t a[16];
};

#define TY_IP_STRLEN 46

/* Parse an IPv4 or IPv6 literal filling the whole span (no brackets, no
 * port, no zone). Returns 0 or TY_EINVAL. */
int ty_ip_parse(struct ty_str s, struct ty_ip *out);
bool ty_ip_is_v4(const struct ty_ip *ip);
/* Writes the canonical text into out (at least TY_IP_STRLEN bytes), returns its length. */
int ty_ip_format(const struct ty_ip *ip, char *out);
static inline bool ty_ip_eq(const struct ty_ip *x, const struct ty_ip *y)
{
    return memcmp(x->a, y->a, 16) == 0;
}

#endif
