/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sha256.c - SHA-256 for the chain of custody, a thin wrapper over OpenSSL's
 * EVP interface (which uses the CPU's SHA extensions when present).
 */
#include <openssl/evp.h>

#include <tyto/err.h>

#include "read/read-int.h"

int ty__sha256_init(struct ty__sha256 *s)
{
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    s->ctx = NULL;
    if (!c)
        return TY_ENOMEM;
    if (EVP_DigestInit_ex(c, EVP_sha256(), NULL) != 1) {
        EVP_MD_CTX_free(c);
        return TY_ENOMEM;
    }
    s->ctx = c;
    return 0;
}

void ty__sha256_update(struct ty__sha256 *s, const void *p, size_t len)
{
    if (s->ctx && len)
        EVP_DigestUpdate(s->ctx, p, len);
}

void ty__sha256_final(struct ty__sha256 *s, uint8_t out[32])
{
    unsigned n = 0;
    if (s->ctx)
        EVP_DigestFinal_ex(s->ctx, out, &n);
    ty__sha256_release(s);
}

void ty__sha256_release(struct ty__sha256 *s)
{
    EVP_MD_CTX_free(s->ctx);
    s->ctx = NULL;
}

int ty__sha256_buf(const void *p, size_t len, uint8_t out[32])
{
    struct ty__sha256 s;
    int rc = ty__sha256_init(&s);
    if (rc)
        return rc;
    ty__sha256_update(&s, p, len);
    ty__sha256_final(&s, out);
    return 0;
}

void ty__sha256_hex(const uint8_t d[32], char out[65])
{
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        out[2 * i] = hex[d[i] >> 4];
        out[2 * i + 1] = hex[d[i] & 15];
    }
    out[64] = '\0';
}
