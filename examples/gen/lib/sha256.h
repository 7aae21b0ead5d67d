/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sha256.h - SHA-256 (FIPS 180-4) as lower-case hex, for the digests evidence carries
 * (CloudTrail digest files, Docker layer and image ids). libcrypto is not a generator
 * dependency, hence this small implementation.
 */
#ifndef GEN_SHA256_H
#define GEN_SHA256_H

#include <stddef.h>

/* out receives 64 hex digits and a NUL. */
void sha256_hex(const void *data, size_t len, char out[65]);

#endif
