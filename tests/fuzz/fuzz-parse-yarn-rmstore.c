/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz-parse-yarn-rmstore.c - libFuzzer target for the yarn-rmstore parser: sniff, open,
 * frame and parse any input, checking the parser contract (parse-driver.h).
 */
#include "parse-driver.h"

extern const struct ty_parser ty_parser_yarn_rmstore;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fz_run(&ty_parser_yarn_rmstore, data, size);
}
