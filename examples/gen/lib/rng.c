/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rng.c - splitmix64: tiny, fast, and the same sequence everywhere, which is all a
 * deterministic evidence generator needs (no cryptographic quality claimed).
 */
#include "rng.h"

#include <string.h>

static uint64_t state;

void rng_seed(uint64_t seed)
{
    state = seed;
}

uint64_t rng_u64(void)
{
    uint64_t z = (state += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

uint64_t rng_n(uint64_t n)
{
    return n ? rng_u64() % n : 0;
}

int64_t rng_range(int64_t lo, int64_t hi)
{
    return lo + (int64_t)rng_n((uint64_t)(hi - lo + 1));
}

double rng_f(void)
{
    return (double)(rng_u64() >> 11) / 9007199254740992.0;
}

void rng_chars(char *o, int n, const char *set)
{
    size_t k = strlen(set);

    for (int i = 0; i < n; i++)
        o[i] = set[rng_n(k)];
    o[n] = '\0';
}

void rng_uuid(char o[37])
{
    rng_chars(o, 36, RNG_HEX);
    o[8] = o[13] = o[18] = o[23] = '-';
    o[14] = '4';
    o[19] = "89ab"[rng_n(4)];
}

void rng_hex(char *o, int n)
{
    rng_chars(o, n, RNG_HEX);
}
