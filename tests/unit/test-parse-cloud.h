/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-parse-cloud.h - what the cloud parser tests (test-parse-gcp-audit.c,
 * test-parse-azure.c) share: a field lister sink that renders a Sigma view's
 * name=value pairs one per line, so a test can look for them with strstr.
 */
#ifndef TYTO_TEST_PARSE_CLOUD_H
#define TYTO_TEST_PARSE_CLOUD_H

#include <stdio.h>

#include <tyto/str.h>

struct kvs {
    char buf[8192];
    size_t n;
};

/* ty_kv_fn: append "name=value\n" (dropped when the buffer is full). */
static inline int kvs_collect(void *arg, struct ty_str name, struct ty_str value)
{
    struct kvs *k = arg;
    int w = snprintf(k->buf + k->n, sizeof(k->buf) - k->n, "%.*s=%.*s\n", (int)name.len,
                     name.p, (int)value.len, value.p);
    if (w > 0 && (size_t)w < sizeof(k->buf) - k->n)
        k->n += (size_t)w;
    return 0;
}

#endif
