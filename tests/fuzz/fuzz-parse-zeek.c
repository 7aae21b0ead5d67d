/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz-parse-zeek.c - libFuzzer target for the Zeek log parsers (TSV with any
 * header, JSON): sniff, open, frame and parse any input, checking the parser
 * contract (parse-driver.h), through the conn parser and the catch-all one.
 */
#include "parse-driver.h"

extern const struct ty_parser ty_parser_zeek_conn;
extern const struct ty_parser ty_parser_zeek;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_run(&ty_parser_zeek_conn, data, size);
    return fz_run(&ty_parser_zeek, data, size);
}
