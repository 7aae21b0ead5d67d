/* SPDX-License-Identifier: Apache-2.0 */
/*
 * timefmt.c - civil date <-> Unix time (Howard Hinnant's days_from_civil algorithm, valid
 * for negative times too) and the timestamp styles of the vendors' logs.
 */
#include "timefmt.h"

#include <stdio.h>

static const char *const mon_names[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
static const char *const day_names[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };

int64_t tf_days(int64_t y, unsigned m, unsigned d)
{
    int64_t era;
    unsigned yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = (unsigned)(y - era * 400);
    doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

int64_t tf_epoch(int y, unsigned mo, unsigned d, unsigned h, unsigned mi, unsigned s)
{
    return tf_days(y, mo, d) * 86400 + (int64_t)h * 3600 + (int64_t)mi * 60 + (int64_t)s;
}

struct tf_ymd tf_split(int64_t t)
{
    struct tf_ymd r;
    int64_t z = (t >= 0 ? t : t - 86399) / 86400, era;
    int64_t sec = t - z * 86400;
    unsigned doe, yoe, doy, mp;

    r.wday = (unsigned)((z % 7 + 11) % 7); /* 1970-01-01 was a Thursday */
    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = (unsigned)(z - era * 146097);
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    r.d = doy - (153 * mp + 2) / 5 + 1;
    r.mo = mp < 10 ? mp + 3 : mp - 9;
    r.y = (int)((int64_t)yoe + era * 400 + (r.mo <= 2));
    r.h = (unsigned)(sec / 3600);
    r.mi = (unsigned)(sec / 60 % 60);
    r.s = (unsigned)(sec % 60);
    return r;
}

/* Whole seconds and the fraction below them, for a count of units per second. */
static int64_t whole(int64_t v, int64_t per, int64_t *frac)
{
    int64_t t = (v >= 0 ? v : v - (per - 1)) / per;

    *frac = v - t * per;
    return t;
}

char *tf_iso_s(char *o, int64_t t)
{
    struct tf_ymd a = tf_split(t);

    snprintf(o, 32, "%04d-%02u-%02uT%02u:%02u:%02uZ", a.y, a.mo, a.d, a.h, a.mi, a.s);
    return o;
}

/* ISO 8601 UTC with `digits` fractional digits, from a count of 10^digits units a second. */
static char *iso_frac(char *o, size_t n, int64_t v, int64_t per, int digits)
{
    int64_t f, t = whole(v, per, &f);
    struct tf_ymd a = tf_split(t);

    snprintf(o, n, "%04d-%02u-%02uT%02u:%02u:%02u.%0*dZ", a.y, a.mo, a.d, a.h, a.mi, a.s,
             digits, (int)f);
    return o;
}

char *tf_iso_ms(char *o, int64_t ms)
{
    return iso_frac(o, TF_LEN, ms, 1000, 3);
}

char *tf_iso_us(char *o, int64_t us)
{
    return iso_frac(o, 40, us, 1000000, 6);
}

char *tf_iso_ns(char *o, int64_t ns)
{
    return iso_frac(o, TF_LEN, ns, 1000000000, 9);
}

char *tf_stamp_min(char *o, int64_t t)
{
    struct tf_ymd a = tf_split(t);

    snprintf(o, 24, "%04d%02u%02uT%02u%02uZ", a.y, a.mo, a.d, a.h, a.mi);
    return o;
}

char *tf_stamp_sec(char *o, int64_t t)
{
    struct tf_ymd a = tf_split(t);

    snprintf(o, 24, "%04d%02u%02uT%02u%02u%02uZ", a.y, a.mo, a.d, a.h, a.mi, a.s);
    return o;
}

char *tf_date_dir(char *o, int64_t t)
{
    struct tf_ymd a = tf_split(t);

    snprintf(o, 16, "%04d/%02u/%02u", a.y, a.mo, a.d);
    return o;
}

char *tf_aws_date(char *o, int64_t t)
{
    struct tf_ymd a = tf_split(t);
    unsigned h12 = a.h % 12 ? a.h % 12 : 12;

    snprintf(o, 40, "%s %u, %d, %u:%02u:%02u %s", mon_names[a.mo - 1], a.d, a.y, h12, a.mi, a.s,
             a.h < 12 ? "AM" : "PM");
    return o;
}

char *tf_clf(char *o, int64_t t)
{
    struct tf_ymd a = tf_split(t);

    snprintf(o, TF_LEN, "%02u/%s/%04d:%02u:%02u:%02u +0000", a.d, mon_names[a.mo - 1], a.y, a.h,
             a.mi, a.s);
    return o;
}

char *tf_syslog(char *o, int64_t t)
{
    struct tf_ymd a = tf_split(t);

    snprintf(o, TF_LEN, "%s %2u %02u:%02u:%02u", mon_names[a.mo - 1], a.d, a.h, a.mi, a.s);
    return o;
}

char *tf_ctime(char *o, int64_t t)
{
    struct tf_ymd a = tf_split(t);

    snprintf(o, TF_LEN, "%s %s %02u %02u:%02u:%02u %04d", day_names[a.wday],
             mon_names[a.mo - 1], a.d, a.h, a.mi, a.s, a.y);
    return o;
}

char *tf_log_ms(char *o, int64_t ms, char sep)
{
    int64_t f, t = whole(ms, 1000, &f);
    struct tf_ymd a = tf_split(t);

    snprintf(o, TF_LEN, "%04d-%02u-%02u %02u:%02u:%02u%c%03d", a.y, a.mo, a.d, a.h, a.mi, a.s,
             sep, (int)f);
    return o;
}

char *tf_epoch_us(char *o, int64_t us)
{
    int64_t f, t = whole(us, 1000000, &f);

    snprintf(o, TF_LEN, "%lld.%06d", (long long)t, (int)f);
    return o;
}

char *tf_epoch_ms(char *o, int64_t ms)
{
    int64_t f, t = whole(ms, 1000, &f);

    snprintf(o, TF_LEN, "%lld.%03d", (long long)t, (int)f);
    return o;
}
