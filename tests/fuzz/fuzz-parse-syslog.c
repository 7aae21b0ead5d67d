/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz-parse-syslog.c - libFuzzer target for the syslog parser: sniff, open,
 * frame and parse any input, checking the parser contract (parse-driver.h).
 */
#include "parse-driver.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fz_run(&ty_parser_syslog, data, size);
}
