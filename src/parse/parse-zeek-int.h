/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse-zeek-int.h - what parse-zeek.c shares with parse-pcap.c: the mapping
 * of a Zeek JSON record to the normalised event and the Sigma field view of
 * such records, so that events made from a capture and from Zeek's own logs
 * carry the same fields and match the same rules.
 */
#ifndef TYTO_PARSE_ZEEK_INT_H
#define TYTO_PARSE_ZEEK_INT_H

#include <tyto/parser.h>

/* Fill ev (cleared first) from one Zeek JSON record of log `path` ("conn",
 * "dns"...; "" = from _path or the keys). The record is tokenized into
 * ctx->json; offset is for messages. ev->raw is left unset. Returns 0 or
 * TY_ECORRUPT. */
int ty__zeek_json_event(struct ty_parse_ctx *ctx, struct ty_str json, const char *path,
                        uint64_t offset, struct ty_event *ev, struct ty_err *err);
/* The fields() view of a flat Zeek JSON record (ev->raw). */
int ty__zeek_fields(const struct ty_event *ev, ty_kv_fn kv, void *arg);

#endif
