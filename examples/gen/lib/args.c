/* SPDX-License-Identifier: Apache-2.0 */
/*
 * args.c - `PROG OUTDIR [--scale N] [--seed S]` for the story generators (args.h).
 */
#include "args.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "out.h"

static void usage(const char *prog)
{
    fprintf(stderr, "usage: %s OUTDIR [--scale N] [--seed S]\n", prog);
    exit(2);
}

void args_parse(int argc, char **argv, const char *prog, int *scale, uint64_t *seed)
{
    const char *outdir = NULL;
    char *end;
    int i;

    *scale = 1;
    *seed = 1;
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--scale") == 0 && i + 1 < argc) {
            long v = strtol(argv[++i], &end, 10);
            if (*end || v < 1 || v > 1000)
                die("--scale wants an integer in 1..1000, not '%s'", argv[i]);
            *scale = (int)v;
        } else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
            *seed = strtoull(argv[++i], &end, 0);
            if (*end)
                die("--seed wants an integer, not '%s'", argv[i]);
        } else if (argv[i][0] == '-' || outdir) {
            usage(prog);
        } else {
            outdir = argv[i];
        }
    }
    if (!outdir)
        usage(prog);
    out_init(prog, outdir);
}
