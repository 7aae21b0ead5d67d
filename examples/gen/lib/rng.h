/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rng.h - the story generators' one deterministic random stream (splitmix64) and the ids
 * drawn from it. Same seed, same sequence on every platform and compiler. Draw once per
 * statement: C leaves the order in which function arguments are evaluated unspecified.
 */
#ifndef GEN_RNG_H
#define GEN_RNG_H

#include <stdint.h>

#define RNG_HEX "0123456789abcdef"
#define RNG_HEXU "0123456789ABCDEF"
#define RNG_ALNUMU "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
#define RNG_ALNUM "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
#define RNG_B64 "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

/* Restart the stream from seed. */
void rng_seed(uint64_t seed);
/* Next 64 random bits. */
uint64_t rng_u64(void);
/* Uniform in [0, n) (0 when n is 0). */
uint64_t rng_n(uint64_t n);
/* Uniform in [lo, hi], inclusive. */
int64_t rng_range(int64_t lo, int64_t hi);
/* Uniform in [0, 1). */
double rng_f(void);
/* n characters drawn from set, NUL-terminated (o holds n + 1). */
void rng_chars(char *o, int n, const char *set);
/* A version-4 UUID, lower-case, NUL-terminated. */
void rng_uuid(char o[37]);
/* n lower-case hex digits, NUL-terminated (Docker ids: 64, short ids: 12). */
void rng_hex(char *o, int n);

#endif
