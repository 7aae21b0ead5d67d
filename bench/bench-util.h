/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench-util.h - what the micro-benchmarks share: clocks (thread CPU time,
 * because the machine is shared and time spent descheduled is not the code's;
 * wall time beside it) and a growing buffer for generated input.
 */
#ifndef TYTO_BENCH_UTIL_H
#define TYTO_BENCH_UTIL_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static inline double bench_seconds(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU time of the calling thread. */
static inline double bench_thread_cpu(void)
{
    return bench_seconds(CLOCK_THREAD_CPUTIME_ID);
}

static inline double bench_wall(void)
{
    return bench_seconds(CLOCK_MONOTONIC);
}

/* Growing output buffer (plain malloc: benchmarks hold hundreds of MB). */
struct out {
    char *p;
    size_t len, cap;
};

static inline void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static inline void put(struct out *o, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int n = vsnprintf(o->p + o->len, o->cap - o->len, fmt, ap);
        va_end(ap);
        if (n >= 0 && (size_t)n < o->cap - o->len) {
            o->len += (size_t)n;
            return;
        }
        o->cap = o->cap * 2 + (size_t)n + 4096;
        o->p = realloc(o->p, o->cap);
        if (!o->p) {
            fprintf(stderr, "bench: out of memory\n");
            exit(1);
        }
    }
}

#endif
