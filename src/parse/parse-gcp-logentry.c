/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse-gcp-logentry.c - Cloud Logging LogEntry helpers shared by the GCP
 * parsers: where an entry's keys sit in a stream head (GCS sink JSON lines,
 * `gcloud logging read --format=json` arrays, pretty-printed documents), the
 * shape's name, the log id and parent of a logName, and base64 for Pub/Sub
 * message data, and the two-pass walk over a record's entries (validate
 * all, then emit) that keeps one bad entry from emitting half a record.
 */
#include <stdio.h>
#include <string.h>

#include "parse-gcp-audit-int.h"

bool ty_gcp_entry_has_key(struct ty_str s, const char *key)
{
    size_t klen = strlen(key);
    s = ty_parse_skip_ws(s);
    if (!s.len || (s.p[0] != '{' && s.p[0] != '['))
        return false;
    int depth = 0, want = s.p[0] == '[' ? 2 : 1;
    bool in_str = false, esc = false;
    size_t start = 0;
    for (size_t i = 0; i < s.len; i++) {
        char ch = s.p[i];
        if (in_str) {
            if (esc) {
                esc = false;
            } else if (ch == '\\') {
                esc = true;
            } else if (ch == '"') {
                in_str = false;
                if (depth == want && i - start == klen && memcmp(s.p + start, key, klen) == 0)
                    return true;
            }
            continue;
        }
        if (ch == '"') {
            in_str = true;
            start = i + 1;
        } else if (ch == '{' || ch == '[') {
            depth++;
        } else if ((ch == '}' || ch == ']') && --depth < want) {
            return false; /* the first entry ended */
        }
    }
    return false;
}

const char *ty_gcp_entry_shape(struct ty_str head)
{
    struct ty_str s = ty_parse_skip_ws(head);
    if (!s.len)
        return "empty";
    if (s.p[0] == '[')
        return "JSON array (gcloud logging read)";
    const char *nl = memchr(s.p, '\n', s.len);
    if (nl && nl > s.p && (nl[-1] == '{' || (nl - 1 > s.p && nl[-1] == '\r' && nl[-2] == '{')))
        return "pretty-printed JSON entries";
    return "JSON lines (GCS sink)";
}

size_t ty_gcp_log_id(struct ty_str name, char *out, size_t cap)
{
    static const char marker[] = "/logs/";
    size_t m = sizeof(marker) - 1, o = 0;
    if (!cap)
        return 0;
    for (size_t i = 0; i + m <= name.len; i++) {
        if (memcmp(name.p + i, marker, m) != 0)
            continue;
        for (size_t j = i + m; j < name.len && o + 1 < cap; j++) {
            int hi, lo;
            if (name.p[j] == '%' && j + 2 < name.len && (hi = ty_hex_digit(name.p[j + 1])) >= 0 &&
                (lo = ty_hex_digit(name.p[j + 2])) >= 0) {
                out[o++] = (char)(hi * 16 + lo);
                j += 2;
            } else {
                out[o++] = name.p[j];
            }
        }
        break;
    }
    out[o] = '\0';
    return o;
}

struct ty_str ty_gcp_log_parent(struct ty_str name)
{
    ptrdiff_t sl = ty_str_chr(name, '/');
    if (sl <= 0)
        return TY_STR_NULL;
    struct ty_str rest = ty_str_make(name.p + sl + 1, name.len - (size_t)sl - 1);
    ptrdiff_t sl2 = ty_str_chr(rest, '/');
    if (sl2 <= 0)
        return TY_STR_NULL;
    return ty_str_make(rest.p, (size_t)sl2);
}

static int b64val(unsigned char ch)
{
    if (ch >= 'A' && ch <= 'Z')
        return ch - 'A';
    if (ch >= 'a' && ch <= 'z')
        return ch - 'a' + 26;
    if (ch >= '0' && ch <= '9')
        return ch - '0' + 52;
    if (ch == '+' || ch == '-')
        return 62;
    if (ch == '/' || ch == '_')
        return 63;
    return -1;
}

long ty_gcp_base64_decode(struct ty_str in, char *out)
{
    unsigned long acc = 0;
    int bits = 0;
    long o = 0;
    bool pad = false;
    for (size_t i = 0; i < in.len; i++) {
        unsigned char ch = (unsigned char)in.p[i];
        if (ch == ' ' || ch == '\n' || ch == '\r' || ch == '\t')
            continue;
        if (ch == '=') {
            pad = true;
            continue;
        }
        int v = b64val(ch);
        if (v < 0 || pad)
            return -1;
        acc = ((acc << 6) | (unsigned long)v) & 0xffffff;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (char)((acc >> bits) & 0xff);
        }
    }
    return bits >= 6 ? -1 : o; /* a lone 6-bit group is not base64 */
}

static int each_pass(const struct ty_json_doc *d, ty_gcp_entry_fn fn, void *arg, bool emit)
{
    int rc;
    if (ty_json_type(d, 0) != TY_JSON_ARRAY)
        return fn(arg, d, 0, emit);
    for (uint32_t i = ty_json_first(d, 0); i != TY_JSON_NONE; i = ty_json_next(d, i))
        if ((rc = fn(arg, d, i, emit)) < 0)
            return rc;
    return 0;
}

int ty_gcp_each_entry(struct ty_parse_ctx *ctx, const struct ty_record *rec, struct ty_err *err,
                      ty_gcp_entry_fn fn, void *arg)
{
    int rc;
    if ((rc = ty_parse_json_record(ctx, rec, err)) != 0)
        return rc;
    const struct ty_json_doc *d = ctx->json;
    if (ty_json_type(d, 0) == TY_JSON_ARRAY && !d->toks[0].count)
        return ty_err_set(err, TY_ECORRUPT, "offset %llu: an empty array, no log entry",
                          (unsigned long long)rec->offset);
    /* one entry: fn validates before it emits, a single pass is enough */
    if (ty_json_type(d, 0) == TY_JSON_ARRAY && (rc = each_pass(d, fn, arg, false)) < 0)
        return rc;
    rc = each_pass(d, fn, arg, true);
    return rc < 0 ? rc : TY_OK;
}
