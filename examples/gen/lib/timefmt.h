/* SPDX-License-Identifier: Apache-2.0 */
/*
 * timefmt.h - UTC time arithmetic and every timestamp style the stories write, without
 * gmtime/localtime (proleptic Gregorian, days_from_civil). Each formatter writes into o
 * (at least TF_LEN bytes unless said otherwise) and returns o, so it can be a printf argument.
 */
#ifndef GEN_TIMEFMT_H
#define GEN_TIMEFMT_H

#include <stdint.h>

#define TF_LEN 48

struct tf_ymd {
    int y;
    unsigned mo, d, h, mi, s; /* month 1-12, day 1-31 */
    unsigned wday;            /* 0 = Sunday */
};

/* Days since 1970-01-01 of a civil date. */
int64_t tf_days(int64_t y, unsigned m, unsigned d);
/* Unix seconds of a civil date and time (UTC). */
int64_t tf_epoch(int y, unsigned mo, unsigned d, unsigned h, unsigned mi, unsigned s);
/* Civil date and time of Unix seconds t. */
struct tf_ymd tf_split(int64_t t);

/* "2026-10-14T13:06:12Z" (o >= 32) */
char *tf_iso_s(char *o, int64_t t);
/* "2026-10-14T13:06:12.123Z" from milliseconds */
char *tf_iso_ms(char *o, int64_t ms);
/* "2026-10-14T13:06:12.123456Z" from microseconds (o >= 40) */
char *tf_iso_us(char *o, int64_t us);
/* "2026-10-14T13:06:12.123456789Z" from nanoseconds (Falco, Docker) */
char *tf_iso_ns(char *o, int64_t ns);
/* "20261014T1305Z" (o >= 24; CloudTrail file names) */
char *tf_stamp_min(char *o, int64_t t);
/* "20261014T130512Z" (o >= 24) */
char *tf_stamp_sec(char *o, int64_t t);
/* "2026/10/14" (o >= 16; S3 delivery folders) */
char *tf_date_dir(char *o, int64_t t);
/* "Oct 14, 2026, 2:31:15 PM" (o >= 40; STS responseElements) */
char *tf_aws_date(char *o, int64_t t);
/* "14/Oct/2026:13:06:12 +0000" (Apache/Tomcat access log, without the brackets) */
char *tf_clf(char *o, int64_t t);
/* "Oct 14 13:06:12" (syslog, auth.log; the day padded with a space: "Oct  4") */
char *tf_syslog(char *o, int64_t t);
/* "Wed Oct 04 13:06:12 2026" (Apache error log style: the day zero-padded) */
char *tf_ctime(char *o, int64_t t);
/* "2026-10-14 13:06:12,345" from milliseconds (log4j/logback; sep ',' or '.') */
char *tf_log_ms(char *o, int64_t ms, char sep);
/* "1760447172.123456" epoch seconds with 6 decimals from microseconds (Zeek ts) */
char *tf_epoch_us(char *o, int64_t us);
/* "1760447172.123" epoch seconds with 3 decimals from milliseconds (auditd msg=audit(...)) */
char *tf_epoch_ms(char *o, int64_t ms);

#endif
