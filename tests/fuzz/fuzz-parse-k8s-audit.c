/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz-parse-k8s-audit.c - libFuzzer target for the k8s-audit parser: sniff, open,
 * frame and parse any input, checking the parser contract (parse-driver.h).
 */
#include "parse-driver.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fz_run(&ty_parser_k8s_audit, data, size);
}
