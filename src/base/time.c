/* SPDX-License-Identifier: Apache-2.0 */
/*
 * time.c - timestamp parsing and formatting in UTC nanoseconds, with our own
 * civil-date arithmetic: no timegm/gmtime, no dependence on the local zone.
 */
#include <stdio.h>

#include <tyto/err.h>
#include <tyto/time.h>

int64_t ty_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    /* Howard Hinnant's algorithm, counted from 1970-01-01 */
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static int digits(const char *p, size_t n, unsigned *out)
{
    unsigned v = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned c = (unsigned char)p[i] - '0';
        if (c > 9)
            return -1;
        v = v * 10 + c;
    }
    *out = v;
    return 0;
}

static bool leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned month_days(int64_t y, unsigned m)
{
    static const unsigned md[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : md[m - 1];
}

int ty_time_parse_iso(struct ty_str s, int64_t *ns, int *prec, int *tz)
{
    const char *p = s.p;
    size_t n = s.len, i;
    unsigned Y, M, D, h, mi, sec = 0;
    int64_t frac = 0;
    int fd = 0, zone = TY_TZ_ASSUMED_UTC;
    int64_t off = 0;

    if (n < 16 || digits(p, 4, &Y) || p[4] != '-' || digits(p + 5, 2, &M) || p[7] != '-' ||
        digits(p + 8, 2, &D) || (p[10] != 'T' && p[10] != 't' && p[10] != ' ') ||
        digits(p + 11, 2, &h) || p[13] != ':' || digits(p + 14, 2, &mi))
        return TY_EINVAL;
    i = 16;
    if (i < n && p[i] == ':') {
        if (i + 3 > n || digits(p + i + 1, 2, &sec))
            return TY_EINVAL;
        i += 3;
        if (i < n && (p[i] == '.' || p[i] == ',')) {
            i++;
            size_t st = i;
            while (i < n && p[i] >= '0' && p[i] <= '9') {
                if (fd < 9) {
                    frac = frac * 10 + (p[i] - '0');
                    fd++;
                }
                i++;
            }
            if (i == st)
                return TY_EINVAL;
        }
    }
    if (i < n) {
        if ((p[i] == 'Z' || p[i] == 'z') && i + 1 == n) {
            zone = TY_TZ_UTC;
            i++;
        } else if (p[i] == '+' || p[i] == '-') {
            int sign = p[i] == '-' ? -1 : 1;
            unsigned oh, om = 0;
            size_t r = n - i - 1;
            const char *q = p + i + 1;
            if (r == 2) {
                if (digits(q, 2, &oh))
                    return TY_EINVAL;
            } else if (r == 4) {
                if (digits(q, 2, &oh) || digits(q + 2, 2, &om))
                    return TY_EINVAL;
            } else if (r == 5 && q[2] == ':') {
                if (digits(q, 2, &oh) || digits(q + 3, 2, &om))
                    return TY_EINVAL;
            } else {
                return TY_EINVAL;
            }
            if (oh > 23 || om > 59)
                return TY_EINVAL;
            off = sign * (int64_t)(oh * 3600 + om * 60);
            zone = off ? TY_TZ_OFFSET : TY_TZ_UTC;
            i = n;
        } else {
            return TY_EINVAL;
        }
    }
    if (i != n)
        return TY_EINVAL;
    if (M < 1 || M > 12 || D < 1 || D > month_days(Y, M) || h > 23 || mi > 59 || sec > 60)
        return TY_EINVAL;
    if (sec == 60)
        sec = 59; /* leap second: keep it in its minute */
    for (int k = fd; k < 9; k++)
        frac *= 10;
    int64_t secs = ty_days_from_civil(Y, M, D) * 86400 + h * 3600 + mi * 60 + sec - off;
    /* int64 nanoseconds cover 1677-09-21 .. 2262-04-11 */
    if (secs > (INT64_MAX - frac) / TY_NS_PER_SEC || secs < INT64_MIN / TY_NS_PER_SEC)
        return TY_EINVAL;
    *ns = secs * TY_NS_PER_SEC + frac;
    if (prec)
        *prec = fd;
    if (tz)
        *tz = zone;
    return 0;
}

int ty_time_parse_epoch(struct ty_str s, int64_t *ns, int *prec)
{
    size_t i = 0;
    int64_t secs = 0, frac = 0;
    int fd = 0;
    bool neg = false;
    if (s.len && s.p[0] == '-') {
        neg = true;
        i++;
    }
    size_t st = i;
    while (i < s.len && s.p[i] >= '0' && s.p[i] <= '9') {
        secs = secs * 10 + (s.p[i] - '0');
        if (secs > INT64_MAX / TY_NS_PER_SEC)
            return TY_EINVAL; /* past 2262 */
        i++;
    }
    if (i == st)
        return TY_EINVAL;
    if (i < s.len && s.p[i] == '.') {
        i++;
        size_t fs = i;
        while (i < s.len && s.p[i] >= '0' && s.p[i] <= '9') {
            if (fd < 9) {
                frac = frac * 10 + (s.p[i] - '0');
                fd++;
            }
            i++;
        }
        if (i == fs)
            return TY_EINVAL;
    }
    if (i != s.len)
        return TY_EINVAL;
    for (int k = fd; k < 9; k++)
        frac *= 10;
    if (secs > (INT64_MAX - frac) / TY_NS_PER_SEC)
        return TY_EINVAL;
    int64_t v = secs * TY_NS_PER_SEC + frac;
    *ns = neg ? -v : v;
    if (prec)
        *prec = fd;
    return 0;
}

int ty_time_format(int64_t ns, int prec, char *out)
{
    int64_t secs = ns / TY_NS_PER_SEC, frac = ns % TY_NS_PER_SEC;
    if (frac < 0) {
        frac += TY_NS_PER_SEC;
        secs--;
    }
    int64_t days = secs / 86400, rem = secs % 86400;
    if (rem < 0) {
        rem += 86400;
        days--;
    }
    int64_t y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    int n = snprintf(out, 32, "%04lld-%02u-%02uT%02u:%02u:%02u", (long long)y, m, d,
                     (unsigned)(rem / 3600), (unsigned)(rem / 60 % 60), (unsigned)(rem % 60));
    if (prec > 0) {
        if (prec > 9)
            prec = 9;
        int64_t f = frac;
        for (int k = prec; k < 9; k++)
            f /= 10;
        n += snprintf(out + n, 32 - (size_t)n, ".%0*lld", prec, (long long)f);
    }
    out[n++] = 'Z';
    out[n] = '\0';
    return n;
}
