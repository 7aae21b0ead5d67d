/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz-parse-gcp-audit.c - libFuzzer target for the gcp-audit parser: sniff, open, frame
 * and parse any input, checking the parser contract (parse-driver.h); then the GKE
 * Kubernetes view over the input taken as an event's raw record (JSON flattening, the
 * resourceName and status mapping) must neither crash nor leak.
 */
#include "parse-driver.h"

#include "parse/parse-gcp-audit-int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int kv_count(void *arg, struct ty_str name, struct ty_str value)
{
    size_t *n = arg;
    FZ_ENSURE(name.p != NULL && (value.p != NULL || value.len == 0));
    (*n)++;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ty_event ev;
    struct ty_str v;
    size_t n = 0;
    fz_run(&ty_parser_gcp_audit, data, size);
    ty_event_clear(&ev);
    ev.raw = ty_str_make((const char *)data, size);
    ty_event_set_str(&ev, TY_F_ACTION, TY_STR_LIT("create pods/exec"));
    ty_event_set_str(&ev, TY_F_TARGET_KIND, TY_STR_LIT("pods/exec"));
    FZ_ENSURE(ty_gke_fields(&ev, kv_count, &n) == 0);
    FZ_ENSURE(ty_gke_field_fast(&ev, TY_STR_LIT("objectRef.subresource"), &v) == 1);
    return 0;
}
