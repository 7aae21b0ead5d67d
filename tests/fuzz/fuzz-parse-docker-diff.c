/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz-parse-docker-diff.c - libFuzzer target for the docker-diff parser
 * (src/parse/parse-docker-cli.c), checking the parser contract (parse-driver.h).
 */
#include "parse-driver.h"

extern const struct ty_parser ty_parser_docker_diff;
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fz_run(&ty_parser_docker_diff, data, size);
}
