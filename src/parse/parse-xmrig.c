/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse-xmrig.c - XMRig miner configuration files (config.json) found on a
 * compromised host: one event per configured pool, so each pool is an
 * indicator (host, port, wallet).
 *
 * Record format (xmrig's documented config.json): one JSON object with
 * "pools": [{"url", "user" (the wallet), "pass", "algo", "coin", "rig-id",
 * "tls", "enabled", "nicehash"...}], and top-level "donate-level",
 * "background", "autosave", "cpu" {"enabled", "max-threads-hint"...},
 * "randomx", "opencl", "cuda". A pool url is "stratum+tcp://host:port",
 * "stratum+ssl://host:port" or a bare "host:port" (xmrig adds the scheme).
 * Event: category "file", action "miner-config", url = the pool url,
 * domain (or dst_ip) and dst_port from it, target_user = the wallet,
 * file_path the evidence, ts = the file's mtime (the file holds no time; 0
 * with a note when unknown), message the pool's algo/coin, donate level and
 * whether it runs in the background. A config without pools is one event
 * without url.
 * Sniffing: a JSON object whose head holds "pools" and one of xmrig's own keys
 * ("donate-level", "randomx", "max-threads-hint") or a "stratum+" url (85).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tyto/ip.h>
#include <tyto/parser.h>

struct xmrig {
    struct ty_event ev;
};

/* Host and port of "scheme://host:port[/...]", "host:port" or "[v6]:port". */
static void split_url(struct ty_str u, struct ty_str *host, int64_t *port)
{
    *host = TY_STR_NULL;
    *port = -1;
    for (size_t i = 0; i + 2 < u.len; i++)
        if (u.p[i] == ':' && u.p[i + 1] == '/' && u.p[i + 2] == '/') {
            u = ty_str_make(u.p + i + 3, u.len - i - 3);
            break;
        }
    ptrdiff_t slash = ty_str_chr(u, '/');
    if (slash >= 0)
        u.len = (size_t)slash;
    ptrdiff_t at = ty_str_chr(u, '@');
    if (at >= 0)
        u = ty_str_make(u.p + at + 1, u.len - (size_t)at - 1);
    size_t colon = u.len;
    if (u.len && u.p[0] == '[') {
        ptrdiff_t e = ty_str_chr(u, ']');
        if (e < 0)
            return;
        *host = ty_str_make(u.p + 1, (size_t)e - 1);
        colon = (size_t)e + 1;
    } else {
        for (size_t i = u.len; i > 0; i--)
            if (u.p[i - 1] == ':') {
                colon = i - 1;
                break;
            }
        *host = ty_str_make(u.p, colon);
    }
    if (colon < u.len && u.p[colon] == ':') {
        int64_t v;
        if (ty_str_to_i64(ty_str_make(u.p + colon + 1, u.len - colon - 1), &v) == 0 && v >= 0 &&
            v <= 65535)
            *port = v;
    }
}

static struct ty_str text_of(struct ty_parse_ctx *ctx, uint32_t obj, const char *key)
{
    struct ty_str s = TY_STR_NULL;
    if (ty_json_text(ctx->json, ty_json_get(ctx->json, obj, key), ctx->arena, &s))
        return TY_STR_NULL;
    return s;
}

static int emit_pool(struct ty_parse_ctx *ctx, struct xmrig *x, uint32_t root, uint32_t pool,
                     struct ty_err *err)
{
    struct ty_event *ev = &x->ev;
    const struct ty_json_doc *d = ctx->json;
    ty_event_clear(ev);
    ty_event_set_str(ev, TY_F_CATEGORY, TY_STR_LIT("file"));
    ty_event_set_str(ev, TY_F_ACTION, TY_STR_LIT("miner-config"));
    ty_event_set_str(ev, TY_F_PROVIDER, TY_STR_LIT("xmrig"));
    if (ctx->evidence)
        ty_event_set_str(ev, TY_F_FILE_PATH, ty_str_cstr(ctx->evidence));
    if (ctx->file_mtime) {
        ty_event_set_int(ev, TY_F_TS, ctx->file_mtime);
    } else {
        ty_event_set_int(ev, TY_F_TS, 0);
        ty_event_set_int(ev, TY_F_TS_PREC, 0);
    }
    struct ty_str url = TY_STR_NULL, algo = TY_STR_NULL, coin = TY_STR_NULL;
    if (pool != TY_JSON_NONE) {
        if (ty_json_type(d, pool) != TY_JSON_OBJECT)
            return ty_err_set(err, TY_ECORRUPT,
                              "xmrig config at byte %llu: a pools[] element is not an object",
                              (unsigned long long)ctx->rec->offset);
        url = text_of(ctx, pool, "url");
        ty_event_set_str(ev, TY_F_URL, url);
        ty_event_set_str(ev, TY_F_TARGET_USER, text_of(ctx, pool, "user"));
        ty_event_set_str(ev, TY_F_TARGET_NAME, text_of(ctx, pool, "rig-id"));
        algo = text_of(ctx, pool, "algo");
        coin = text_of(ctx, pool, "coin");
        struct ty_str host;
        int64_t port;
        split_url(url, &host, &port);
        struct ty_ip ip;
        if (host.len && ty_ip_parse(host, &ip) == 0)
            ty_event_set_ip(ev, TY_F_DST_IP, &ip);
        else
            ty_event_set_str(ev, TY_F_DOMAIN, host);
        if (port >= 0)
            ty_event_set_int(ev, TY_F_DST_PORT, port);
    }
    struct ty_str donate = text_of(ctx, root, "donate-level");
    struct ty_str bg = text_of(ctx, root, "background");
    struct ty_str m = ty_arena_printf(
        ctx->arena, "xmrig pool %.*s%s%.*s%s%.*s; donate-level %.*s; background %.*s; %s",
        (int)(url.len ? url.len : 6), url.len ? url.p : "(none)", algo.len ? " algo " : "",
        (int)algo.len, algo.p ? algo.p : "", coin.len ? " coin " : "", (int)coin.len,
        coin.p ? coin.p : "", (int)(donate.len ? donate.len : 1), donate.len ? donate.p : "-",
        (int)(bg.len ? bg.len : 1), bg.len ? bg.p : "-",
        ctx->file_mtime ? "time: the file's last change"
                        : "time unknown (the file's mtime was not collected)");
    if (!m.p)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    ty_event_set_str(ev, TY_F_MESSAGE, m);
    int rc = ty_parse_emit(ctx, ev);
    return rc < 0 ? rc : TY_OK;
}

static int xm_record(struct ty_parse_ctx *ctx, const struct ty_record *rec, struct ty_err *err)
{
    struct xmrig *x = ctx->priv;
    int rc;
    if (!x)
        return ty_err_set(err, TY_EINVAL, "xmrig-config: record() before open()");
    if ((rc = ty_parse_json_record(ctx, rec, err)))
        return rc;
    const struct ty_json_doc *d = ctx->json;
    uint32_t root = 0;
    if (ty_json_type(d, root) != TY_JSON_OBJECT)
        return ty_err_set(err, TY_ECORRUPT, "xmrig config at byte %llu is not a JSON object",
                          (unsigned long long)rec->offset);
    uint32_t pools = ty_json_get(d, root, "pools");
    if (pools != TY_JSON_NONE && ty_json_type(d, pools) != TY_JSON_ARRAY)
        return ty_err_set(err, TY_ECORRUPT, "xmrig config at byte %llu: \"pools\" is not an array",
                          (unsigned long long)rec->offset);
    /* validate first: never emit and then fail */
    for (uint32_t e = ty_json_first(d, pools); e != TY_JSON_NONE; e = ty_json_next(d, e))
        if (ty_json_type(d, e) != TY_JSON_OBJECT)
            return ty_err_set(err, TY_ECORRUPT,
                              "xmrig config at byte %llu: a pools[] element is not an object",
                              (unsigned long long)rec->offset);
    uint32_t e = ty_json_first(d, pools);
    if (e == TY_JSON_NONE)
        return emit_pool(ctx, x, root, TY_JSON_NONE, err);
    for (; e != TY_JSON_NONE; e = ty_json_next(d, e))
        if ((rc = emit_pool(ctx, x, root, e, err)) < 0)
            return rc;
    return TY_OK;
}

static int xm_sniff(struct ty_str head)
{
    struct ty_str s = ty_parse_skip_ws(head);
    if (!s.len || s.p[0] != '{' || !ty_str_contains(s, "\"pools\""))
        return 0;
    if (ty_str_contains(s, "\"donate-level\"") || ty_str_contains(s, "\"randomx\"") ||
        ty_str_contains(s, "\"max-threads-hint\"") || ty_str_contains(s, "\"stratum+"))
        return 85;
    return 0;
}

static int xm_open(struct ty_parse_ctx *ctx, struct ty_err *err)
{
    struct xmrig *x = calloc(1, sizeof(*x));
    if (!x)
        return ty_err_set(err, TY_ENOMEM, "out of memory");
    ctx->priv = x;
    ctx->frame.kind = TY_FRAME_JSON;
    ctx->frame.key = NULL;
    snprintf(ctx->shape, sizeof(ctx->shape), "xmrig config.json%s",
             ctx->file_mtime ? "; time from file mtime" : "; no time (mtime unknown)");
    return 0;
}

const struct ty_parser ty_parser_xmrig_config = {
    .abi = TY_PARSER_ABI,
    .name = "xmrig-config",
    .desc = "XMRig miner config.json: one event per pool (url, host, port, wallet)",
    .sniffs = "a JSON object with \"pools\" and \"donate-level\", \"randomx\", "
              "\"max-threads-hint\" or a stratum+ url (85)",
    .flags = TY_PARSER_F_JSON | TY_PARSER_F_EXACT_KEYS,
    .sniff = xm_sniff,
    .open = xm_open,
    .record = xm_record,
    .close = ty_parse_free_priv,
    .logsource = {"xmrig", "config", NULL},
};
