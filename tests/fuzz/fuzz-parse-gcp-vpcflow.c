/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz-parse-gcp-vpcflow.c - libFuzzer target for the gcp-vpcflow parser: sniff, open,
 * frame and parse any input, checking the parser contract (parse-driver.h).
 */
#include "parse-driver.h"

extern const struct ty_parser ty_parser_gcp_vpcflow; /* not declared in parser.h */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fz_run(&ty_parser_gcp_vpcflow, data, size);
}
