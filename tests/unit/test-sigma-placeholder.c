/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-sigma-placeholder.c - loading a placeholder file for |expand
 * (sigma-placeholder.c): lists and single values, and the errors for a
 * missing file, a file that is not a map, a nested value and bad YAML.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sigma/sigma-set-int.h"
#include "test.h"

/* Write text to a fresh temporary file; path receives its name. */
static int write_tmp(char *path, size_t len, const char *text)
{
    snprintf(path, len, "/tmp/tyto-ph-XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0)
        return -1;
    size_t n = strlen(text);
    int ok = write(fd, text, n) == (ssize_t)n;
    close(fd);
    return ok ? 0 : -1;
}

static const struct ty_placeholder *find(const struct ty_placeholders *ph, const char *name)
{
    for (size_t i = 0; i < ph->n; i++)
        if (ty_str_eq_cstr(ph->p[i].name, name))
            return &ph->p[i];
    return NULL;
}

static int load(const char *text, struct ty_placeholders *ph, struct ty_arena *a,
                struct ty_err *err)
{
    char path[64];
    if (write_tmp(path, sizeof(path), text) != 0)
        return 1;
    int rc = ty_placeholders_load(path, ph, a, err);
    unlink(path);
    return rc;
}

void test_sigma_placeholder(void);
void test_sigma_placeholder(void)
{
    struct ty_arena a;
    struct ty_placeholders ph = {0};
    struct ty_err err = {0};
    const struct ty_placeholder *p;
    ty_arena_init(&a, 4096, 0);

    CHECK_INT(load("Administrators: [admin, root]\n"
                   "JumpServers: jump01\n"
                   "Ports:\n  - 22\n  - '3389'\n",
                   &ph, &a, &err),
              0);
    CHECK_INT(ph.n, 3);
    p = find(&ph, "Administrators");
    CHECK(p != NULL);
    if (p) {
        CHECK_INT(p->n, 2);
        CHECK_SPAN(p->values[0], "admin");
        CHECK_SPAN(p->values[1], "root");
    }
    p = find(&ph, "JumpServers");
    CHECK(p != NULL);
    if (p) {
        CHECK_INT(p->n, 1);
        CHECK_SPAN(p->values[0], "jump01");
    }
    p = find(&ph, "Ports");
    CHECK(p != NULL);
    if (p) {
        CHECK_INT(p->n, 2);
        CHECK_SPAN(p->values[0], "22"); /* numbers keep their text */
        CHECK_SPAN(p->values[1], "3389");
    }
    CHECK(find(&ph, "administrators") == NULL); /* names are case-sensitive */

    /* an empty list defines the name with no values */
    CHECK_INT(load("Nobody: []\n", &ph, &a, &err), 0);
    CHECK_INT(ph.n, 1);
    CHECK_INT(ph.p[0].n, 0);

    /* errors */
    CHECK_INT(ty_placeholders_load("/nonexistent/tyto/placeholders.yml", &ph, &a, &err),
              TY_EIO);
    CHECK(strstr(err.msg, "/nonexistent/tyto/placeholders.yml") != NULL);
    CHECK_INT(load("- admin\n- root\n", &ph, &a, &err), TY_EINVAL);
    CHECK(strstr(err.msg, "map") != NULL);
    CHECK_INT(load("Admins:\n  nested: [a]\n", &ph, &a, &err), TY_EINVAL);
    CHECK(strstr(err.msg, "Admins") != NULL);
    CHECK(strstr(err.msg, "scalar") != NULL);
    CHECK_INT(load("Admins: [a, [b]]\n", &ph, &a, &err), TY_EINVAL);
    CHECK(load("Admins: [a\n", &ph, &a, &err) < 0);
    CHECK(strstr(err.msg, "line") != NULL);
    CHECK(load("a: 1\na: 2\n", &ph, &a, &err) < 0); /* duplicate key */

    ty_arena_release(&a);
}
