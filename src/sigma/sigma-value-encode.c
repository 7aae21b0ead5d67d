/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sigma-value-encode.c - the encoding modifiers of sigma-spec §5 on token
 * strings: base64 (the raw encoder; base64offset slices it in
 * sigma-value.c), UTF-16 (wide/utf16le, utf16be, utf16 with the spec's
 * FF FE byte-order mark) and windash (flag characters at word starts, every
 * combination of - / en dash, em dash, horizontal bar).
 */
#include "sigma/sigma-value-int.h"

static const char b64_alpha[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t ty__b64(const unsigned char *in, size_t n, char *out)
{
    size_t o = 0, i = 0;
    for (; i + 3 <= n; i += 3) {
        uint32_t x = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
        out[o++] = b64_alpha[x >> 18];
        out[o++] = b64_alpha[(x >> 12) & 63];
        out[o++] = b64_alpha[(x >> 6) & 63];
        out[o++] = b64_alpha[x & 63];
    }
    if (n - i == 1) {
        uint32_t x = (uint32_t)in[i] << 16;
        out[o++] = b64_alpha[x >> 18];
        out[o++] = b64_alpha[(x >> 12) & 63];
        out[o++] = '=';
        out[o++] = '=';
    } else if (n - i == 2) {
        uint32_t x = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
        out[o++] = b64_alpha[x >> 18];
        out[o++] = b64_alpha[(x >> 12) & 63];
        out[o++] = b64_alpha[(x >> 6) & 63];
        out[o++] = '=';
    }
    return o;
}

static bool is_wild(uint16_t t)
{
    return t == TY__TK_STAR || t == TY__TK_ONE;
}

static void put_unit(uint16_t *o, size_t *n, uint32_t u, bool be)
{
    if (be) {
        o[(*n)++] = (uint16_t)(u >> 8);
        o[(*n)++] = (uint16_t)(u & 0xFF);
    } else {
        o[(*n)++] = (uint16_t)(u & 0xFF);
        o[(*n)++] = (uint16_t)(u >> 8);
    }
}

int ty__utf16(const struct ty__tokv *in, int which, struct ty_arena *a, struct ty__tokv *out,
              struct ty_err *err)
{
    bool be = which == 1;
    /* at most 4 bytes per input byte (a 1-byte char becomes 2, a 4-byte one 4), + BOM */
    uint16_t *o = ty_arena_alloc(a, (in->n * 2 + 2) * sizeof(*o));
    size_t n = 0;
    if (!o)
        return TY_ENOMEM;
    if (which == 2) {
        o[n++] = 0xFF;
        o[n++] = 0xFE;
    }
    for (size_t i = 0; i < in->n;) {
        if (is_wild(in->t[i])) {
            o[n++] = in->t[i++];
            continue;
        }
        unsigned char c = ty__tok_byte(in->t[i]);
        size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3
                                  : (c & 0xF8) == 0xF0 ? 4 : 0;
        uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1Fu) : len == 3 ? (c & 0x0Fu) : (c & 0x07u);
        if (len == 0 || i + len > in->n)
            goto bad;
        for (size_t k = 1; k < len; k++) {
            uint16_t t = in->t[i + k];
            if (is_wild(t) || (ty__tok_byte(t) & 0xC0) != 0x80)
                goto bad;
            cp = cp << 6 | (ty__tok_byte(t) & 0x3Fu);
        }
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
            cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            goto bad;
        if (cp >= 0x10000) {
            cp -= 0x10000;
            put_unit(o, &n, 0xD800 | (cp >> 10), be);
            put_unit(o, &n, 0xDC00 | (cp & 0x3FF), be);
        } else {
            put_unit(o, &n, cp, be);
        }
        i += len;
        continue;
    bad:
        return ty_err_set(err, TY_EINVAL,
                          "UTF-16 modifiers need UTF-8 text: invalid byte 0x%02x at offset %zu",
                          c, i);
    }
    out->t = o;
    out->n = n;
    return 0;
}

static bool word_byte(uint16_t t)
{
    if (is_wild(t) || t == TY__TK_KEPT_BS)
        return false;
    return (t >= 'a' && t <= 'z') || (t >= 'A' && t <= 'Z') || (t >= '0' && t <= '9') ||
           t == '_' || t >= 0x80;
}

static const char *const dashes[5] = {"-", "/", "\xE2\x80\x93", "\xE2\x80\x94", "\xE2\x80\x95"};

int ty__windash(const struct ty__tokv *in, struct ty_arena *a, struct ty__tokv **out,
                size_t *n_out, size_t max, struct ty_err *err)
{
    size_t k = 0, total = 1;
    size_t *pos = ty_arena_alloc(a, (in->n + 1) * sizeof(*pos));
    if (!pos)
        return TY_ENOMEM;
    for (size_t i = 0; i < in->n; i++) {
        uint16_t t = in->t[i];
        if (t != '-' && t != '/')
            continue;
        if (i > 0 && word_byte(in->t[i - 1]))
            continue;
        if (i + 1 >= in->n || !word_byte(in->t[i + 1]))
            continue;
        pos[k++] = i;
        if (total > max / 5)
            return ty_err_set(err, TY_ETOOBIG,
                              "windash: %zu flag characters expand to more than %zu variants", k,
                              max);
        total *= 5;
    }
    struct ty__tokv *v = ty_arena_alloc(a, total * sizeof(*v));
    if (!v)
        return TY_ENOMEM;
    for (size_t j = 0; j < total; j++) {
        uint16_t *o = ty_arena_alloc(a, (in->n + 2 * k + 1) * sizeof(*o));
        size_t n = 0, q = 0, code = j;
        if (!o)
            return TY_ENOMEM;
        for (size_t i = 0; i < in->n; i++) {
            if (q < k && pos[q] == i) {
                const char *d = dashes[code % 5];
                code /= 5;
                q++;
                for (; *d; d++)
                    o[n++] = (unsigned char)*d;
            } else {
                o[n++] = in->t[i];
            }
        }
        v[j].t = o;
        v[j].n = n;
    }
    *out = v;
    *n_out = total;
    return 0;
}
