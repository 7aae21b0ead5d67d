/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz-parse-pcap.c - libFuzzer target for the pcap parser: sniff, open,
 * frame (TY_FRAME_PCAP) and parse any input through the packet analyzer,
 * checking the parser contract (parse-driver.h).
 */
#include "parse-driver.h"

extern const struct ty_parser ty_parser_pcap;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fz_run(&ty_parser_pcap, data, size);
}
