/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test.h - the unit test harness: CHECK macros that report file:line and go
 * on, and helpers to find the shared sample data.
 *
 * Each tests/unit/test-NAME.c defines `void test_NAME(void)`; the Makefile
 * lists them for runner.c. Run one test: build/unit-tests NAME.
 */
#ifndef TYTO_TEST_H
#define TYTO_TEST_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

void ty_test_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Mark the running test skipped, with a reason printed once. */
void ty_test_skip(const char *why);

#define CHECK(x)                                                                                   \
    do {                                                                                           \
        if (!(x))                                                                                  \
            ty_test_fail(__FILE__, __LINE__, "CHECK(%s)", #x);                                     \
    } while (0)

#define CHECK_INT(a, b)                                                                            \
    do {                                                                                           \
        long long a_ = (long long)(a), b_ = (long long)(b);                                        \
        if (a_ != b_)                                                                              \
            ty_test_fail(__FILE__, __LINE__, "%s == %lld, expected %lld", #a, a_, b_);             \
    } while (0)

#define CHECK_STR(a, b)                                                                            \
    do {                                                                                           \
        const char *a_ = (a), *b_ = (b);                                                           \
        if (!a_ || !b_ || strcmp(a_, b_) != 0)                                                     \
            ty_test_fail(__FILE__, __LINE__, "%s == \"%s\", expected \"%s\"", #a,                \
                         a_ ? a_ : "(null)", b_ ? b_ : "(null)");                                  \
    } while (0)

/* Compare a struct ty_str with a C string. */
#define CHECK_SPAN(span, b)                                                                        \
    do {                                                                                           \
        struct ty_str s_ = (span);                                                                 \
        const char *b_ = (b);                                                                      \
        if (s_.len != strlen(b_) || (s_.len && memcmp(s_.p, b_, s_.len) != 0))                     \
            ty_test_fail(__FILE__, __LINE__, "%s == \"%.*s\", expected \"%s\"", #span,           \
                         (int)(s_.len > 200 ? 200 : s_.len), s_.p ? s_.p : "", b_);                \
    } while (0)

/* The shared sample data folder ($TYTO_SHARED_DATA or ../shared/data), or
 * NULL when absent (tests then call ty_test_skip). */
const char *ty_test_data_dir(void);
/* Read a whole file into a malloc'd buffer (NUL-terminated); NULL on error. */
char *ty_test_read_file(const char *path, size_t *len);

#endif
