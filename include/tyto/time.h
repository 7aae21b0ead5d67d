/* SPDX-License-Identifier: Apache-2.0 */
/*
 * time.h - timestamps as int64 nanoseconds since the Unix epoch, UTC.
 *
 * Parsing is strict about the digits it reads and never consults the local
 * time zone of the machine running tyto: a time without an offset is taken
 * as UTC and reported as such (TY_TZ_ASSUMED_UTC), so the case can say so.
 */
#ifndef TYTO_TIME_H
#define TYTO_TIME_H

#include <stdint.h>

#include <tyto/str.h>

#define TY_NS_PER_SEC INT64_C(1000000000)

/* Precision actually present in the source: the number of fractional digits
 * (0 = seconds, 3 = ms, 6 = us, 9 = ns). */
enum ty_tz {
    TY_TZ_UTC = 0,        /* Z or +00:00 in the source, or a Unix epoch */
    TY_TZ_OFFSET = 1,     /* explicit non-zero offset, converted to UTC */
    TY_TZ_ASSUMED_UTC = 2 /* no zone in the source: assumed UTC */
};

/* Days since 1970-01-01 of a proleptic Gregorian civil date. */
int64_t ty_days_from_civil(int64_t y, unsigned m, unsigned d);

/* RFC 3339 / ISO 8601: YYYY-MM-DD[T| ]hh:mm:ss[.f{1,9}][Z|+hh:mm|+hhmm|+hh];
 * also SQL style without a zone. The whole span must match.
 * prec and tz may be NULL. Returns 0 or TY_EINVAL. */
int ty_time_parse_iso(struct ty_str s, int64_t *ns, int *prec, int *tz);

/* Unix epoch seconds with an optional fraction ("1710252300", "1710252300.123"). */
int ty_time_parse_epoch(struct ty_str s, int64_t *ns, int *prec);

/* RFC 3339 UTC text with prec fractional digits (0-9): "2024-03-12T14:05:09.123Z".
 * out needs 32 bytes; returns the length. */
int ty_time_format(int64_t ns, int prec, char *out);

#endif
