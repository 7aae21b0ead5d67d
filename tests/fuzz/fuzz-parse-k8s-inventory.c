/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz-parse-k8s-inventory.c - libFuzzer target for the k8s-inventory parser
 * (src/parse/parse-k8s-inventory.c), checking the parser contract (parse-driver.h).
 */
#include "parse-driver.h"

extern const struct ty_parser ty_parser_k8s_inventory;
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fz_run(&ty_parser_k8s_inventory, data, size);
}
