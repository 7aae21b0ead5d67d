/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz-parse-prometheus.c - libFuzzer target for the prometheus parser
 * (src/parse/parse-prometheus.c), checking the parser contract (parse-driver.h).
 */
#include "parse-driver.h"

extern const struct ty_parser ty_parser_prometheus;
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fz_run(&ty_parser_prometheus, data, size);
}
