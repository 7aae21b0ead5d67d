/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz-parse-xmrig-config.c - libFuzzer target for the xmrig-config parser: sniff, open,
 * frame and parse any input, checking the parser contract (parse-driver.h).
 */
#include "parse-driver.h"

extern const struct ty_parser ty_parser_xmrig_config;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fz_run(&ty_parser_xmrig_config, data, size);
}
