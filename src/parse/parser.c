/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parser.c - the one registry of evidence parsers, format sniffing, and the
 * emit helper that stamps provenance on events.
 *
 * Sniffing runs every parser's sniff() over the head of a stream and takes
 * the single best score. Two parsers with the same best score is an error
 * that names both and the --format flag, never a guess (as The Sleuth Kit
 * refuses "ext2 or fat").
 */
#include <stdio.h>
#include <string.h>

#include <tyto/parser.h>

static const struct ty_parser *const parsers[] = {
    &ty_parser_cloudtrail,
    &ty_parser_cloudtrail_digest,
    &ty_parser_k8s_audit,
    &ty_parser_vpcflow,
};

#define N_PARSERS (sizeof(parsers) / sizeof(parsers[0]))

/* Scores under this are "not recognised". */
#define SNIFF_MIN 20

const struct ty_parser *const *ty_parsers(size_t *n)
{
    *n = N_PARSERS;
    return parsers;
}

const struct ty_parser *ty_parser_find(const char *name)
{
    for (size_t i = 0; i < N_PARSERS; i++)
        if (strcmp(parsers[i]->name, name) == 0)
            return parsers[i];
    return NULL;
}

int ty_parser_sniff(struct ty_str head, const struct ty_parser **out, struct ty_err *err)
{
    int best = 0;
    const struct ty_parser *win = NULL, *tie = NULL;
    for (size_t i = 0; i < N_PARSERS; i++) {
        int s = parsers[i]->sniff(head);
        if (s > best) {
            best = s;
            win = parsers[i];
            tie = NULL;
        } else if (s == best && s > 0) {
            tie = parsers[i];
        }
    }
    *out = NULL;
    if (best < SNIFF_MIN)
        return ty_err_set(err, TY_EINVAL, "unrecognized format (see `tyto formats`)");
    if (tie)
        return ty_err_set(err, TY_ERR, "ambiguous format: %s or %s; use --format NAME", win->name,
                          tie->name);
    *out = win;
    return 0;
}

int ty_parse_emit(struct ty_parse_ctx *ctx, struct ty_event *ev)
{
    if (!ev->format)
        ev->format = ctx->parser ? ctx->parser->name : "";
    if (ctx->rec) {
        if (!ev->raw.p)
            ev->raw = (struct ty_str){ctx->rec->p, ctx->rec->len};
        if (!ev->offset && !ev->line) {
            ev->offset = ctx->rec->offset;
            ev->line = ctx->rec->line;
        }
    }
    ev->sub = ctx->n_emitted++;
    return ctx->emit ? ctx->emit(ctx->sink, ev) : 0;
}

struct ty_str ty_parse_skip_ws(struct ty_str s)
{
    if (s.len >= 3 && memcmp(s.p, "\xef\xbb\xbf", 3) == 0) {
        s.p += 3;
        s.len -= 3;
    }
    while (s.len && (s.p[0] == ' ' || s.p[0] == '\t' || s.p[0] == '\r' || s.p[0] == '\n')) {
        s.p++;
        s.len--;
    }
    return s;
}
