/* SPDX-License-Identifier: Apache-2.0 */
/*
 * args.h - the story generators' command line, `PROG OUTDIR [--scale N] [--seed S]`: parsed,
 * checked (scale an integer in 1..1000, seed any integer, default 1), and the output root
 * set (out_init). A usage error prints the usage line and exits 2.
 */
#ifndef GEN_ARGS_H
#define GEN_ARGS_H

#include <stdint.h>

void args_parse(int argc, char **argv, const char *prog, int *scale, uint64_t *seed);

#endif
