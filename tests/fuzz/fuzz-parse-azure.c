/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz-parse-azure.c - libFuzzer target for the azure-monitor parser (and through it the
 * k8s-audit parser on AKS kube-audit records): sniff, open, frame and parse any input,
 * checking the parser contract (parse-driver.h); then the Azure and AKS views over the
 * input taken as an event's raw record must neither crash nor leak.
 */
#include "parse-driver.h"

#include "parse/parse-azure-int.h"
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
    size_t n = 0;
    fz_run(&ty_parser_azure_monitor, data, size);
    ty_event_clear(&ev);
    ev.raw = ty_str_make((const char *)data, size);
    ty_event_set_str(&ev, TY_F_ACTOR, TY_STR_LIT("someone"));
    FZ_ENSURE(ty_azure_fields(&ev, kv_count, &n) == 0);
    FZ_ENSURE(ty_aks_fields(&ev, kv_count, &n) == 0);
    return 0;
}
