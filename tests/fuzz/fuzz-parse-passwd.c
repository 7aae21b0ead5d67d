/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz-parse-passwd.c - libFuzzer target for the passwd parser: sniff, open,
 * frame and parse any input, checking the parser contract (parse-driver.h).
 */
#include "parse-driver.h"

extern const struct ty_parser ty_parser_passwd;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fz_run(&ty_parser_passwd, data, size);
}
