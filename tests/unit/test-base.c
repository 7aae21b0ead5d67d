/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-base.c - unit tests of the base helpers: spans, buffers, arena,
 * time parsing/formatting and IP addresses.
 */
#include <stdlib.h>

#include <tyto/arena.h>
#include <tyto/buf.h>
#include <tyto/err.h>
#include <tyto/ip.h>
#include <tyto/str.h>
#include <tyto/time.h>

#include "test.h"

static void str_tests(void)
{
    int64_t v;
    uint64_t u;
    CHECK(ty_str_to_i64(ty_str_cstr("-42"), &v) == 0 && v == -42);
    CHECK(ty_str_to_i64(ty_str_cstr("9223372036854775807"), &v) == 0 && v == INT64_MAX);
    CHECK(ty_str_to_i64(ty_str_cstr("-9223372036854775808"), &v) == 0 && v == INT64_MIN);
    CHECK(ty_str_to_i64(ty_str_cstr("9223372036854775808"), &v) == TY_EINVAL);
    CHECK(ty_str_to_u64(ty_str_cstr("18446744073709551615"), &u) == 0 && u == UINT64_MAX);
    CHECK(ty_str_to_u64(ty_str_cstr("18446744073709551616"), &u) == TY_EINVAL);
    CHECK(ty_str_to_i64(ty_str_cstr(""), &v) == TY_EINVAL);
    CHECK(ty_str_to_i64(ty_str_cstr("-"), &v) == TY_EINVAL);
    CHECK(ty_str_to_i64(ty_str_cstr("12a"), &v) == TY_EINVAL);
    CHECK_SPAN(ty_str_trim(ty_str_cstr(" \t x y \r\n")), "x y");
    CHECK(ty_str_eq_nocase(ty_str_cstr("Level"), ty_str_cstr("lEVEL")));
    CHECK(!ty_str_eq_nocase(ty_str_cstr("Level"), ty_str_cstr("Levels")));
    CHECK(ty_str_hash(ty_str_cstr("a")) != ty_str_hash(ty_str_cstr("b")));
}

static void buf_tests(void)
{
    struct ty_buf b;
    ty_buf_init(&b, 16);
    CHECK(b.buf != NULL && b.buf[0] == '\0');
    CHECK_INT(ty_buf_adds(&b, "0123456789"), 0);
    CHECK_INT(ty_buf_addf(&b, "%d", 12345), 0);
    CHECK_STR(b.buf, "012345678912345");
    CHECK_INT(ty_buf_adds(&b, "xy"), TY_ETOOBIG);
    CHECK_STR(b.buf, "012345678912345"); /* unchanged after a refused append */
    ty_buf_release(&b);

    ty_buf_init(&b, 0);
    CHECK_INT(ty_buf_add_json_str(&b, ty_str_make("a\"b\\c\n\x01\xff\xc3\xa9", 10)), 0);
    CHECK_STR(b.buf, "\"a\\\"b\\\\c\\n\\u0001\\u00ff\xc3\xa9\"");
    size_t len;
    char *d = ty_buf_detach(&b, &len);
    CHECK(len == strlen(d));
    free(d);
    CHECK(b.len == 0);
    ty_buf_release(&b);
}

static void arena_tests(void)
{
    struct ty_arena a;
    ty_arena_init(&a, 64, 1024);
    char *p = ty_arena_alloc(&a, 10);
    char *q = ty_arena_alloc(&a, 100); /* larger than a block */
    CHECK(p && q && ((uintptr_t)q & 15) == 0);
    CHECK(ty_arena_alloc(&a, 2000) == NULL); /* over the cap */
    struct ty_str s = ty_arena_printf(&a, "%s-%d", "x", 7);
    CHECK_SPAN(s, "x-7");
    ty_arena_reset(&a);
    CHECK_INT(a.used_total, 0);
    CHECK(ty_arena_alloc(&a, 8) != NULL);
    ty_arena_release(&a);
}

static void time_tests(void)
{
    int64_t ns;
    int prec, tz;
    char out[32];
    CHECK_INT(ty_time_parse_iso(ty_str_cstr("1970-01-01T00:00:00Z"), &ns, &prec, &tz), 0);
    CHECK_INT(ns, 0);
    CHECK_INT(ty_time_parse_iso(ty_str_cstr("2024-03-12T14:05:09Z"), &ns, &prec, &tz), 0);
    CHECK_INT(ns, INT64_C(1710252309) * TY_NS_PER_SEC);
    CHECK_INT(prec, 0);
    CHECK_INT(tz, TY_TZ_UTC);
    CHECK_INT(ty_time_parse_iso(ty_str_cstr("2024-03-12T14:08:02.123456Z"), &ns, &prec, &tz), 0);
    CHECK_INT(ns, INT64_C(1710252482123456000));
    CHECK_INT(prec, 6);
    CHECK_INT(ty_time_parse_iso(ty_str_cstr("2022-02-08 09:23:37+11:00"), &ns, &prec, &tz), 0);
    CHECK_INT(ns, INT64_C(1644272617) * TY_NS_PER_SEC);
    CHECK_INT(tz, TY_TZ_OFFSET);
    CHECK_INT(ty_time_parse_iso(ty_str_cstr("2024-03-12 14:05:09.000"), &ns, &prec, &tz), 0);
    CHECK_INT(tz, TY_TZ_ASSUMED_UTC);
    CHECK_INT(prec, 3);
    CHECK_INT(ty_time_parse_iso(ty_str_cstr("2024-02-30T00:00:00Z"), &ns, NULL, NULL), TY_EINVAL);
    CHECK_INT(ty_time_parse_iso(ty_str_cstr("2024-03-12T14:05:09Zx"), &ns, NULL, NULL), TY_EINVAL);
    CHECK_INT(ty_time_parse_iso(ty_str_cstr("2024-03-12T14:05:09."), &ns, NULL, NULL), TY_EINVAL);
    CHECK_INT(ty_time_parse_iso(ty_str_cstr("2024-3-12T14:05:09Z"), &ns, NULL, NULL), TY_EINVAL);
    CHECK_INT(ty_time_parse_iso(ty_str_cstr("1960-12-31T23:59:59.5Z"), &ns, &prec, NULL), 0);
    ty_time_format(ns, prec, out);
    CHECK_STR(out, "1960-12-31T23:59:59.5Z");
    ty_time_format(INT64_C(1710252482123456789), 9, out);
    CHECK_STR(out, "2024-03-12T14:08:02.123456789Z");
    ty_time_format(INT64_C(1710252482123456789), 0, out);
    CHECK_STR(out, "2024-03-12T14:08:02Z");
    CHECK_INT(ty_time_parse_epoch(ty_str_cstr("1710252300.25"), &ns, &prec), 0);
    CHECK_INT(ns, INT64_C(1710252300250000000));
    CHECK_INT(prec, 2);
    CHECK_INT(ty_time_parse_epoch(ty_str_cstr("17x"), &ns, &prec), TY_EINVAL);
    /* the int64 nanosecond range ends in 1677 and 2262: beyond is refused, not wrapped */
    CHECK_INT(ty_time_parse_iso(ty_str_cstr("2262-04-11T23:47:16Z"), &ns, NULL, NULL), 0);
    CHECK_INT(ty_time_parse_iso(ty_str_cstr("2262-04-11T23:47:17Z"), &ns, NULL, NULL), TY_EINVAL);
    CHECK_INT(ty_time_parse_iso(ty_str_cstr("9999-12-31T23:59:59Z"), &ns, NULL, NULL), TY_EINVAL);
    CHECK_INT(ty_time_parse_iso(ty_str_cstr("0001-01-01T00:00:00Z"), &ns, NULL, NULL), TY_EINVAL);
    CHECK_INT(ty_time_parse_iso(ty_str_cstr("1677-09-21T00:12:44Z"), &ns, NULL, NULL), 0);
    CHECK_INT(ty_time_parse_epoch(ty_str_cstr("9223372036"), &ns, NULL), 0);
    CHECK_INT(ty_time_parse_epoch(ty_str_cstr("9223372036.9"), &ns, NULL), TY_EINVAL);
    CHECK_INT(ty_time_parse_epoch(ty_str_cstr("9223372039"), &ns, NULL), TY_EINVAL);
    CHECK_INT(ty_time_parse_epoch(ty_str_cstr("99999999999999999999999"), &ns, NULL), TY_EINVAL);
    /* fast dotted quad and the general path agree */
    {
        struct ty_ip a;
        CHECK_INT(ty_ip_parse(ty_str_cstr("010.1.1.1"), &a), TY_EINVAL);
        CHECK_INT(ty_ip_parse(ty_str_cstr("1.2.3.4.5"), &a), TY_EINVAL);
        CHECK_INT(ty_ip_parse(ty_str_cstr("0.0.0.0"), &a), 0);
        CHECK_INT(ty_ip_parse(ty_str_cstr("::ffff:1.2.3.4"), &a), 0);
        CHECK(ty_ip_is_v4(&a) && a.a[15] == 4);
    }
    /* round trip over a range of days, including leap years */
    for (int64_t d = -100000; d < 100000; d += 97) {
        int64_t t = d * 86400 * TY_NS_PER_SEC + 3723 * TY_NS_PER_SEC;
        int64_t back;
        ty_time_format(t, 0, out);
        CHECK(ty_time_parse_iso(ty_str_cstr(out), &back, NULL, NULL) == 0 && back == t);
    }
}

static void ip_tests(void)
{
    struct ty_ip ip;
    char out[TY_IP_STRLEN];
    CHECK_INT(ty_ip_parse(ty_str_cstr("203.0.113.7"), &ip), 0);
    CHECK(ty_ip_is_v4(&ip));
    ty_ip_format(&ip, out);
    CHECK_STR(out, "203.0.113.7");
    CHECK_INT(ty_ip_parse(ty_str_cstr("2001:DB8:0:0:0:0:0:1"), &ip), 0);
    CHECK(!ty_ip_is_v4(&ip));
    ty_ip_format(&ip, out);
    CHECK_STR(out, "2001:db8::1");
    CHECK_INT(ty_ip_parse(ty_str_cstr("AWS Internal"), &ip), TY_EINVAL);
    CHECK_INT(ty_ip_parse(ty_str_cstr("256.1.1.1"), &ip), TY_EINVAL);
    CHECK_INT(ty_ip_parse(ty_str_cstr("-"), &ip), TY_EINVAL);
    CHECK_INT(ty_ip_parse(ty_str_make("1.2.3.4", 5), &ip), TY_EINVAL); /* "1.2.3" */
}

void test_base(void);
void test_base(void)
{
    str_tests();
    buf_tests();
    arena_tests();
    time_tests();
    ip_tests();
}
