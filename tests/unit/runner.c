/* SPDX-License-Identifier: Apache-2.0 */
/*
 * runner.c - runs the unit tests listed by the Makefile (list.h), or only the
 * ones named on the command line, and prints "unit: N passed, N failed".
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test.h"

#define TY_TEST(name) void test_##name(void);
#include "list.h"
#undef TY_TEST

static const struct {
    const char *name;
    void (*fn)(void);
} tests[] = {
#define TY_TEST(name) {#name, test_##name},
#include "list.h"
#undef TY_TEST
};

static int cur_failed;
static int cur_skipped;
static const char *cur_name;

void ty_test_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "  FAIL %s: %s:%d: ", cur_name, file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    cur_failed++;
}

void ty_test_skip(const char *why)
{
    if (!cur_skipped)
        fprintf(stderr, "  SKIP %s: %s\n", cur_name, why);
    cur_skipped = 1;
}

const char *ty_test_data_dir(void)
{
    const char *d = getenv("TYTO_SHARED_DATA");
    if (!d || !*d)
        d = "../shared/data";
    return access(d, R_OK | X_OK) == 0 ? d : NULL;
}

char *ty_test_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0;
    if (!f)
        return NULL;
    for (;;) {
        if (n + 65536 + 1 > cap) {
            cap = (cap ? cap * 2 : 131072);
            char *nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = nb;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    fclose(f);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

int main(int argc, char **argv)
{
    int passed = 0, failed = 0, skipped = 0;
    for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
        if (argc > 1) {
            int want = 0;
            for (int a = 1; a < argc; a++)
                want |= strcmp(argv[a], tests[i].name) == 0;
            if (!want)
                continue;
        }
        cur_name = tests[i].name;
        cur_failed = 0;
        cur_skipped = 0;
        tests[i].fn();
        if (cur_failed) {
            failed++;
            fprintf(stderr, "not ok %s (%d failed checks)\n", cur_name, cur_failed);
        } else if (cur_skipped) {
            skipped++;
            fprintf(stderr, "skip %s\n", cur_name);
        } else {
            passed++;
            fprintf(stderr, "ok %s\n", cur_name);
        }
    }
    printf("unit: %d passed, %d failed, %d skipped\n", passed, failed, skipped);
    return failed ? 1 : 0;
}
